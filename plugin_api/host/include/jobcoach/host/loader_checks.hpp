// SPDX-License-Identifier: Apache-2.0
// jobcoach/host/loader_checks.hpp: the checks the host runtime makes of a plugin before it uses it, each named.
// Runtime::load_directory runs them in the order of loader_checks(), and a refusal names the check that
// failed (Refusal::check); jobcoach-validate runs the same functions in its own checks. Each check is a
// function of what the checks before it established, and either returns a note of what it found or throws
// LoaderCheckFailed with the reason.
#pragma once

#include <jobcoach/host/inspect.hpp>
#include <jobcoach/jobcoach.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace jobcoach::host {

// A check that failed; what() is the reason, check() the name of loader_checks() it belongs to.
class LoaderCheckFailed : public std::runtime_error {
public:
    LoaderCheckFailed(std::string check, const std::string &reason) : std::runtime_error(reason), check_(std::move(check)) {}
    const std::string &check() const { return check_; }

private:
    std::string check_;
};

// One of the loader's checks: its name (several steps may share one: "permissions" and "version" are each
// checked before and after the library is loaded) and what it requires, in words.
struct LoaderCheck {
    const char *name;
    const char *requirement;
};

// The loader's checks in the order it runs them: the manifest's file ("permissions"), the manifest itself
// ("manifest"), its version ("version"), the plugin's files ("permissions"), the host's allowlist
// ("allowlist"), the symbol table ("symbol"), then, with the library loaded ("load"), its entry ("entry"),
// the entry's version ("version"), its descriptor ("descriptor") and init ("init").
const std::vector<LoaderCheck> &loader_checks();

// "1.2": a version as the checks' reasons write it.
std::string version_text(jc_version v);

namespace loader {

// Why a rule-pack directory (a plugin's rulepacks/, a host's rule_pack_dir) or a file in it must not be
// trusted (untrusted_path), or nullopt when it may; nullopt also when there is no such directory.
std::optional<std::string> untrusted_rule_packs(const std::filesystem::path &dir);

// "permissions": the manifest is a regular file of this user's (or root's) that no one else may write.
std::string manifest_file(const std::filesystem::path &manifest);
// "manifest": reads the manifest (read_manifest); `loaded` are the plugins loaded already, whose ids it must not
// repeat.
PluginInfo manifest(const std::filesystem::path &manifest, const std::vector<const PluginInfo *> &loaded = {});
// "version": the host ABI the manifest says the plugin needs is one this host has (jc_version_is_compatible).
std::string manifest_version(const PluginInfo &info, jc_version host_abi);
// "permissions": the library, its directory and its rulepacks/ (every number of its rules) are trusted as the
// manifest is (untrusted_path).
std::string plugin_files(const PluginInfo &info);
// "allowlist": the library's SHA-256 is one of `allowlist`, when the host has one (nullopt: no allowlist).
std::string allowlisted(const PluginInfo &info, const std::optional<std::vector<std::string>> &allowlist);
// "symbol": the library's dynamic symbol table exports jc_plugin_entry_v1 (read from the file, not loaded).
std::string entry_symbol(const PluginInfo &info);
// "entry": what jc_plugin_entry_v1 returned is an entry of at least ABI 1.0's size with init, deinit, create.
std::string entry(const jc_plugin_entry *entry);
// "version": the entry's minimum host ABI is one this host has and the manifest's, and its event schema is one
// this host sends.
std::string entry_version(const jc_plugin_entry &entry, const PluginInfo &info, jc_version host_abi);
// "descriptor": the entry's descriptor is there, of at least ABI 1.0's size, with the manifest's id; its name,
// vendor, version and description go into `info`.
std::string descriptor(const jc_plugin_entry &entry, PluginInfo &info);

} // namespace loader

} // namespace jobcoach::host
