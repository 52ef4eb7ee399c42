// SPDX-License-Identifier: Apache-2.0
// jobcoach/host/inspect.hpp: what a host can learn about a plugin file without running any of its code, and
// about the process it runs in. Used by the runtime before it loads a plugin, and by jobcoach-validate.
#pragma once

#include <jobcoach/jobcoach.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace jobcoach::host {

// A manifest (*.plugin.json) that is unreadable or lacks a member; what() names the member.
class ManifestError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What a manifest says, and what the plugin said of itself once loaded.
struct PluginInfo {
    std::filesystem::path manifest;
    std::filesystem::path library;
    std::string id;
    std::string name;
    std::string vendor;
    std::string version;
    std::string description;
    jc_version abi_version{};  // built with (from the library)
    jc_version min_host_abi{}; // needs (the manifest's "abi_version", checked against the library's)
    uint32_t event_schema_version = 0;
    std::vector<std::string> schemes;
};

// Reads a manifest: file_format_version 1, id, name, library (a file name beside the manifest), abi_version
// {major, minor} and schemes. Throws ManifestError.
PluginInfo read_manifest(const std::filesystem::path &manifest);

// The manifests (*.plugin.json) in `dir` and in its subdirectories one level below (not through symbolic
// links), sorted: where a host looks for plugins.
std::vector<std::filesystem::path> find_manifests(const std::filesystem::path &dir);

// The dynamic symbol table (.dynsym) of an ELF shared object, read from the file. It is what the dynamic
// loader sees, so it is also there in a stripped library.
struct DynamicSymbols {
    std::vector<std::string> defined;   // global and weak symbols the library exports (version nodes excluded)
    std::vector<std::string> undefined; // global symbols it needs from elsewhere
};
// Throws std::runtime_error naming the file when it cannot be read or is not an ELF shared object.
DynamicSymbols read_dynamic_symbols(const std::filesystem::path &library);

// The SHA-256 of a file, as 64 lowercase hex digits. Throws std::runtime_error naming the file.
std::string sha256_of_file(const std::filesystem::path &file);

// Reads an allowlist of plugin libraries in the format `sha256sum` writes: per line 64 hex digits, white space,
// and a file name (which is ignored: the hash is what counts). Blank lines and lines starting with '#' are
// skipped. Throws std::runtime_error naming the file and line of a malformed line.
std::vector<std::string> read_sha256_allowlist(const std::filesystem::path &file);

// Why a host must not trust `path` as a plugin directory (directory) or as a plugin's manifest, library or rule
// pack (a regular file), or nullopt when it may. A trailing '/' is ignored (it would make lstat follow a link).
// Refused: a symbolic link; the wrong kind of file; an owner other than root or this process's user; write
// permission for others; write permission for the group, unless that group is the owner's own private group
// (user-private groups, the default on Debian and Ubuntu: a group named as the owner, its primary group, with
// no other members), where group write gives nobody else access.
std::optional<std::string> untrusted_path(const std::filesystem::path &path, bool directory);

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
// Hosts check every string a plugin hands them with it before it reaches a terminal, a file or a database.
bool valid_utf8(std::string_view text);
// The same for a text already known to hold a byte of 128 or more (copy_telling_ascii said so): validated at once,
// without valid_utf8's first look for ASCII, which such a text would fail after reading it whole.
bool valid_utf8_not_ascii(std::string_view text);

// Makes `to` a copy of `text` (its storage kept where the text fits) and returns whether every byte is below 128:
// ASCII, so valid UTF-8. Copying a finding's texts and telling them ASCII is one pass over their bytes; only a
// text with another byte needs valid_utf8 after it. Inline: a host calls it for each of a finding's some twenty
// texts, most of them short.
inline bool copy_telling_ascii(std::string &to, std::string_view text)
{
    const size_t n = text.size();
    if (to.size() != n)
        to.resize(n); // mostly within its capacity (the same member of the finding before was about as long)
    const char *from = text.data();
    char *d = to.data();
#ifdef __SSE2__
    if (n >= 16) {
        __m128i any = _mm_setzero_si128();
        for (size_t i = 0; i + 16 <= n; i += 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(from + i));
            any = _mm_or_si128(any, v);
            _mm_storeu_si128(reinterpret_cast<__m128i *>(d + i), v);
        }
        // The last 16 bytes once more (they overlap the step before), ending where the text ends.
        const __m128i last = _mm_loadu_si128(reinterpret_cast<const __m128i *>(from + n - 16));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(d + n - 16), last);
        return _mm_movemask_epi8(_mm_or_si128(any, last)) == 0;
    }
#endif
    constexpr uint64_t high = 0x8080808080808080ull;
    uint64_t any = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t word;
        std::memcpy(&word, from + i, 8);
        std::memcpy(d + i, &word, 8);
        any |= word;
    }
    for (; i < n; ++i) {
        d[i] = from[i];
        any |= static_cast<unsigned char>(from[i]);
    }
    return (any & high) == 0;
}

// The ids of this process's threads (/proc/self/task), sorted.
std::vector<int> process_threads();

} // namespace jobcoach::host
