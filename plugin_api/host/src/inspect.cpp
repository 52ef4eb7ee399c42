// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/host/inspect.hpp"

#include <openssl/evp.h>
#include <simdjson.h>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <memory>

namespace jobcoach::host {

namespace fs = std::filesystem;

PluginInfo read_manifest(const fs::path &manifest)
{
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (auto error = parser.load(manifest.string()).get(doc); error != simdjson::SUCCESS)
        throw ManifestError(std::string("not valid JSON: ") + simdjson::error_message(error));
    auto string_of = [&](std::string_view key) {
        std::string_view v;
        if (doc[key].get(v) != simdjson::SUCCESS || v.empty())
            throw ManifestError("member \"" + std::string(key) + "\" is missing or not a string");
        return std::string(v);
    };
    auto version_of = [&](std::string_view key) {
        int64_t major = 0, minor = 0;
        if (doc[key]["major"].get(major) != simdjson::SUCCESS || doc[key]["minor"].get(minor) != simdjson::SUCCESS ||
            major < 0 || minor < 0 || major > 65535 || minor > 65535)
            throw ManifestError("member \"" + std::string(key) + "\" must be {\"major\": N, \"minor\": N}");
        return jc_version{static_cast<uint16_t>(major), static_cast<uint16_t>(minor), 0};
    };
    int64_t format = 0;
    if (doc["file_format_version"].get(format) != simdjson::SUCCESS || format != 1)
        throw ManifestError("file_format_version must be 1");
    PluginInfo info;
    info.manifest = manifest;
    info.id = string_of("id");
    info.name = string_of("name");
    const std::string library = string_of("library");
    if (library.find('/') != std::string::npos)
        throw ManifestError("library \"" + library + "\" must be a file name beside the manifest");
    info.library = manifest.parent_path() / library;
    info.min_host_abi = version_of("abi_version");
    simdjson::dom::array schemes;
    if (doc["schemes"].get(schemes) != simdjson::SUCCESS)
        throw ManifestError("member \"schemes\" is missing or not an array");
    for (auto s : schemes) {
        std::string_view v;
        if (s.get(v) != simdjson::SUCCESS)
            throw ManifestError("\"schemes\" must hold strings");
        info.schemes.emplace_back(v);
    }
    return info;
}

std::vector<fs::path> find_manifests(const fs::path &dir)
{
    std::vector<fs::path> manifests;
    std::error_code ec;
    auto scan = [&](const fs::path &d) {
        for (const auto &entry : fs::directory_iterator(d, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.size() > 12 && name.ends_with(".plugin.json"))
                manifests.push_back(entry.path());
        }
    };
    scan(dir);
    for (const auto &entry : fs::directory_iterator(dir, ec))
        if (entry.is_directory() && !entry.is_symlink())
            scan(entry.path());
    std::sort(manifests.begin(), manifests.end());
    return manifests;
}

DynamicSymbols read_dynamic_symbols(const fs::path &library)
{
    auto fail = [&](const std::string &why) { return std::runtime_error(library.string() + ": " + why); };
    if (elf_version(EV_CURRENT) == EV_NONE)
        throw fail("libelf is out of date");
    const int fd = ::open(library.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw fail(std::string("cannot open (") + std::strerror(errno) + ")");
    struct Closer {
        int fd;
        Elf *elf = nullptr;
        ~Closer()
        {
            if (elf != nullptr)
                elf_end(elf);
            ::close(fd);
        }
    } closer{fd};
    closer.elf = elf_begin(fd, ELF_C_READ, nullptr);
    if (closer.elf == nullptr || elf_kind(closer.elf) != ELF_K_ELF)
        throw fail("not an ELF file");
    GElf_Ehdr header;
    if (gelf_getehdr(closer.elf, &header) == nullptr || header.e_type != ET_DYN)
        throw fail("not an ELF shared object");
    DynamicSymbols out;
    Elf_Scn *section = nullptr;
    while ((section = elf_nextscn(closer.elf, section)) != nullptr) {
        GElf_Shdr sh;
        if (gelf_getshdr(section, &sh) == nullptr || sh.sh_type != SHT_DYNSYM || sh.sh_entsize == 0)
            continue;
        Elf_Data *data = elf_getdata(section, nullptr);
        if (data == nullptr)
            throw fail("unreadable dynamic symbol table");
        const size_t count = sh.sh_size / sh.sh_entsize;
        for (size_t i = 1; i < count; ++i) {
            GElf_Sym sym;
            if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr)
                throw fail("unreadable dynamic symbol #" + std::to_string(i));
            const char *name = elf_strptr(closer.elf, sh.sh_link, sym.st_name);
            const int binding = GELF_ST_BIND(sym.st_info);
            if (name == nullptr || *name == '\0' || (binding != STB_GLOBAL && binding != STB_WEAK))
                continue;
            if (sym.st_shndx == SHN_UNDEF) {
                if (binding == STB_GLOBAL)
                    out.undefined.emplace_back(name);
            } else if (!(sym.st_shndx == SHN_ABS && sym.st_size == 0 && sym.st_value == 0)) { // not a version node
                out.defined.emplace_back(name);
            }
        }
    }
    std::sort(out.defined.begin(), out.defined.end());
    std::sort(out.undefined.begin(), out.undefined.end());
    return out;
}

std::string sha256_of_file(const fs::path &file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw std::runtime_error(file.string() + ": cannot read");
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 is not available");
    char buffer[1 << 16];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
        EVP_DigestUpdate(ctx.get(), buffer, static_cast<size_t>(in.gcount()));
    if (in.bad())
        throw std::runtime_error(file.string() + ": read error");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &size);
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

std::vector<std::string> read_sha256_allowlist(const fs::path &file)
{
    std::ifstream in(file);
    if (!in)
        throw std::runtime_error(file.string() + ": cannot read the allowlist");
    std::vector<std::string> hashes;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        const size_t start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line[start] == '#')
            continue;
        std::string hash = line.substr(start, line.find_first_of(" \t", start) - start);
        std::transform(hash.begin(), hash.end(), hash.begin(), [](unsigned char c) { return std::tolower(c); });
        if (hash.size() != 64 || hash.find_first_not_of("0123456789abcdef") != std::string::npos)
            throw std::runtime_error(file.string() + ":" + std::to_string(number) +
                                     ": not a SHA-256 (64 hex digits) followed by a file name");
        hashes.push_back(hash);
    }
    return hashes;
}

namespace {

// True when `gid` is the user-private group of `uid`: the owner's primary group, named as the owner, with no
// members listed. Write permission for such a group gives no one but the owner access.
bool is_private_group_of(uid_t uid, gid_t gid)
{
    std::vector<char> buffer(16384);
    struct passwd pw {};
    struct passwd *user = nullptr;
    if (::getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &user) != 0 || user == nullptr || user->pw_gid != gid)
        return false;
    const std::string user_name = user->pw_name;
    std::vector<char> group_buffer(65536);
    struct group gr {};
    struct group *group = nullptr;
    if (::getgrgid_r(gid, &gr, group_buffer.data(), group_buffer.size(), &group) != 0 || group == nullptr)
        return false;
    if (user_name != group->gr_name)
        return false;
    for (char **member = group->gr_mem; member != nullptr && *member != nullptr; ++member)
        if (user_name != *member)
            return false;
    return true;
}

} // namespace

std::optional<std::string> untrusted_path(const fs::path &given, bool directory)
{
    fs::path path = given;
    while (!path.has_filename() && path.has_relative_path()) // "plugins/" names the link "plugins", not its target
        path = path.parent_path();
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        return path.string() + ": cannot stat (" + std::strerror(errno) + ")";
    if (S_ISLNK(st.st_mode))
        return path.string() + ": is a symbolic link";
    if (directory ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
        return path.string() + (directory ? ": not a directory" : ": not a regular file");
    if (st.st_uid != 0 && st.st_uid != ::geteuid())
        return path.string() + ": owned by uid " + std::to_string(st.st_uid) + ", neither root nor this user";
    if ((st.st_mode & S_IWOTH) != 0)
        return path.string() + ": writable by others (chmod o-w)";
    if ((st.st_mode & S_IWGRP) != 0 && !is_private_group_of(st.st_uid, st.st_gid))
        return path.string() + ": writable by group " + std::to_string(st.st_gid) +
               ", which is not the owner's private group (chmod g-w)";
    return std::nullopt;
}

namespace {
// simdjson's validator for this CPU, asked once: simdjson::validate_utf8 asks for it at each call, through an
// atomic load and a call of its own (a sixth of validating a finding's texts). The first validation makes
// simdjson choose (its implementation until then is a stand-in that chooses), so the one it chose is kept.
const simdjson::implementation &utf8_validator()
{
    static const simdjson::implementation *const chosen = [] {
        [[maybe_unused]] const bool chooses = simdjson::validate_utf8("", 0);
        return static_cast<const simdjson::implementation *>(simdjson::get_active_implementation());
    }();
    return *chosen;
}
} // namespace

bool valid_utf8(std::string_view text)
{
    // Most texts a plugin hands over are ASCII (keys, codes, and nine in ten of a finding's messages): told 16
    // bytes at a time, 32 a step, without a call. simdjson's validator (32 or 64 bytes a step) is called only
    // for a text with a byte of 128 or more: for the short texts of a finding its call and set-up cost more than
    // the scan (about 230 instructions for a message of 180 bytes). The bytes after the last whole step are read
    // as one more, ending where the text ends (it overlaps the one before).
    const size_t n = text.size();
    const char *p = text.data();
#ifdef __SSE2__
    if (n >= 16) {
        size_t i = 0;
        __m128i any = _mm_setzero_si128();
        for (; i + 32 <= n; i += 32)
            any = _mm_or_si128(any, _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i)),
                                                 _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i + 16))));
        if (i + 16 <= n)
            any = _mm_or_si128(any, _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i)));
        any = _mm_or_si128(any, _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + n - 16)));
        return _mm_movemask_epi8(any) == 0 || utf8_validator().validate_utf8(p, n);
    }
#endif
    constexpr uint64_t high = 0x8080808080808080ull;
    uint64_t any = 0;
    if (n >= 8) {
        for (size_t i = 0; i + 8 <= n; i += 8) {
            uint64_t word;
            std::memcpy(&word, p + i, 8);
            any |= word;
        }
        uint64_t last;
        std::memcpy(&last, p + n - 8, 8);
        any |= last;
    } else if (n >= 4) {
        uint32_t first, last;
        std::memcpy(&first, p, 4);
        std::memcpy(&last, p + n - 4, 4);
        any = first | last;
    } else {
        for (size_t i = 0; i < n; ++i)
            any |= static_cast<unsigned char>(p[i]);
    }
    return (any & high) == 0 || utf8_validator().validate_utf8(p, n);
}

bool valid_utf8_not_ascii(std::string_view text)
{
    return utf8_validator().validate_utf8(text.data(), text.size());
}

std::vector<int> process_threads()
{
    std::vector<int> ids;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator("/proc/self/task", ec))
        ids.push_back(std::atoi(entry.path().filename().c_str()));
    std::sort(ids.begin(), ids.end());
    return ids;
}

} // namespace jobcoach::host
