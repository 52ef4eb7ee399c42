// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/host/loader_checks.hpp"

#include <algorithm>
#include <cstddef>
#include <system_error>

namespace fs = std::filesystem;

namespace jobcoach::host {

namespace {

[[noreturn]] void fail(const char *check, const std::string &reason) { throw LoaderCheckFailed(check, reason); }

std::string needs_text(const char *who, jc_version needs, jc_version host_abi)
{
    return std::string(who) + " needs host ABI " + version_text(needs) + ", this host has " + version_text(host_abi) +
           " (same major and a minor at least as new are needed)";
}

} // namespace

std::string version_text(jc_version v) { return std::to_string(v.major) + "." + std::to_string(v.minor); }

const std::vector<LoaderCheck> &loader_checks()
{
    static const std::vector<LoaderCheck> all = {
        {"permissions", "the manifest is a regular file of this user's (or root's) that no one else may write"},
        {"manifest", "the manifest reads (file_format_version 1, id, name, library, abi_version, schemes) and its id is "
                     "not loaded already"},
        {"version", "the host ABI the manifest says the plugin needs is one this host has"},
        {"permissions", "the library, its directory and its rule packs are trusted as the manifest is"},
        {"allowlist", "the library's SHA-256 is on the host's allowlist, when the host has one"},
        {"symbol", "the library's dynamic symbol table (read from the file) exports " JC_PLUGIN_ENTRY_SYMBOL},
        {"load", "dlopen with RTLD_NOW | RTLD_LOCAL resolves every symbol"},
        {"entry", JC_PLUGIN_ENTRY_SYMBOL " returns an entry of at least ABI 1.0's size with init, deinit and create"},
        {"version", "the entry's minimum host ABI is this host's and the manifest's; its event schema is one this host "
                    "sends"},
        {"descriptor", "the entry's descriptor is there, of at least ABI 1.0's size, with the manifest's id"},
        {"init", "init(plugin directory) returns JC_OK"},
    };
    return all;
}

namespace loader {

std::optional<std::string> untrusted_rule_packs(const fs::path &dir)
{
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(dir, ec)))
        return std::nullopt;
    if (auto why = untrusted_path(dir, true))
        return why;
    for (const auto &entry : fs::directory_iterator(dir, ec))
        if (auto why = untrusted_path(entry.path(), false))
            return why;
    if (ec)
        return dir.string() + ": cannot list (" + ec.message() + ")";
    return std::nullopt;
}

std::string manifest_file(const fs::path &manifest)
{
    if (auto why = untrusted_path(manifest, false))
        fail("permissions", *why);
    return manifest.filename().string() + ": a file of this user's that no one else may write";
}

PluginInfo manifest(const fs::path &manifest, const std::vector<const PluginInfo *> &loaded)
{
    PluginInfo info;
    try {
        info = read_manifest(manifest);
    } catch (const ManifestError &e) {
        fail("manifest", e.what());
    }
    for (const PluginInfo *other : loaded)
        if (other->id == info.id)
            fail("manifest", "id " + info.id + " is already loaded from " + other->manifest.string());
    return info;
}

std::string manifest_version(const PluginInfo &info, jc_version host_abi)
{
    if (!jc_version_is_compatible(host_abi, info.min_host_abi))
        fail("version", needs_text("the manifest", info.min_host_abi, host_abi));
    return "the manifest needs host ABI " + version_text(info.min_host_abi) + ", this host has " + version_text(host_abi);
}

std::string plugin_files(const PluginInfo &info)
{
    if (auto why = untrusted_path(info.library.parent_path(), true))
        fail("permissions", *why);
    if (auto why = untrusted_path(info.library, false))
        fail("permissions", *why);
    // Rule packs hold every number of the rules: whoever can write one changes them all.
    if (auto why = untrusted_rule_packs(info.library.parent_path() / "rulepacks"))
        fail("permissions", *why);
    return info.library.filename().string() + ", its directory and its rule packs: no one else may write them";
}

std::string allowlisted(const PluginInfo &info, const std::optional<std::vector<std::string>> &allowlist)
{
    if (!allowlist)
        return "no allowlist";
    std::string hash;
    try {
        hash = sha256_of_file(info.library);
    } catch (const std::exception &e) {
        fail("allowlist", e.what());
    }
    if (std::find(allowlist->begin(), allowlist->end(), hash) == allowlist->end())
        fail("allowlist", "SHA-256 " + hash + " of " + info.library.filename().string() + " is not in the host's allowlist");
    return "SHA-256 " + hash + " is on the allowlist";
}

std::string entry_symbol(const PluginInfo &info)
{
    DynamicSymbols symbols;
    try {
        symbols = read_dynamic_symbols(info.library);
    } catch (const std::exception &e) {
        fail("symbol", std::string("not a shared library this host can read: ") + e.what());
    }
    if (std::find(symbols.defined.begin(), symbols.defined.end(), JC_PLUGIN_ENTRY_SYMBOL) == symbols.defined.end())
        fail("symbol", "the library does not export " JC_PLUGIN_ENTRY_SYMBOL);
    return "exports " JC_PLUGIN_ENTRY_SYMBOL;
}

std::string entry(const jc_plugin_entry *entry)
{
    if (entry == nullptr)
        fail("entry", JC_PLUGIN_ENTRY_SYMBOL " returned NULL");
    constexpr size_t v1_0 = offsetof(jc_plugin_entry, create) + sizeof(void *);
    if (entry->struct_size < v1_0)
        fail("entry", "jc_plugin_entry.struct_size " + std::to_string(entry->struct_size) + " is smaller than ABI 1.0's " +
                          std::to_string(v1_0));
    if (entry->init == nullptr || entry->deinit == nullptr || entry->create == nullptr)
        fail("entry", "jc_plugin_entry: init, deinit or create is NULL");
    return "jc_plugin_entry of " + std::to_string(entry->struct_size) + " bytes";
}

std::string entry_version(const jc_plugin_entry &entry, const PluginInfo &info, jc_version host_abi)
{
    if (!jc_version_is_compatible(host_abi, entry.min_host_abi))
        fail("version", needs_text("the plugin", entry.min_host_abi, host_abi));
    if (entry.event_schema_version > JC_EVENT_SCHEMA_VERSION)
        fail("version", "the plugin needs event schema " + std::to_string(entry.event_schema_version) +
                            ", this host sends " + std::to_string(JC_EVENT_SCHEMA_VERSION));
    if (entry.min_host_abi.major != info.min_host_abi.major || entry.min_host_abi.minor != info.min_host_abi.minor)
        fail("version", "the manifest says the plugin needs ABI " + version_text(info.min_host_abi) +
                            ", the library says " + version_text(entry.min_host_abi));
    return "built with ABI " + version_text(entry.abi_version) + ", needs " + version_text(entry.min_host_abi) +
           "; this host has " + version_text(host_abi) + "; event schema " + std::to_string(entry.event_schema_version);
}

std::string descriptor(const jc_plugin_entry &entry, PluginInfo &info)
{
    const jc_plugin_descriptor *d = entry.descriptor;
    if (d == nullptr)
        fail("descriptor", "jc_plugin_entry.descriptor is NULL");
    if (d->struct_size < offsetof(jc_plugin_descriptor, schemes) + sizeof(void *))
        fail("descriptor", "jc_plugin_descriptor.struct_size " + std::to_string(d->struct_size) +
                               " is smaller than ABI 1.0's");
    if (d->id == nullptr || info.id != d->id)
        fail("descriptor", "the library's id " + std::string(d->id != nullptr ? d->id : "(NULL)") +
                               " differs from the manifest's " + info.id);
    info.abi_version = entry.abi_version;
    info.event_schema_version = entry.event_schema_version;
    info.vendor = d->vendor != nullptr ? d->vendor : "";
    info.version = d->version != nullptr ? d->version : "";
    info.description = d->description != nullptr ? d->description : "";
    if (d->name != nullptr)
        info.name = d->name;
    return info.id + " " + info.version + " by " + info.vendor;
}

} // namespace loader

} // namespace jobcoach::host
