// SPDX-License-Identifier: Apache-2.0
// The host runtime against test plugins: which are loaded, which refused and why, and containment.
#include <jobcoach/host/loader_checks.hpp>
#include <jobcoach/host/runtime.hpp>

#include "conformance_events.h"
#include "runtime/fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using namespace jobcoach;
using ::testing::HasSubstr;

namespace {

fs::path variant(const std::string &name) { return variant_dir(name); }
fs::path manifest(const std::string &name) { return variant_manifest(name); }

const host::Refusal *refusal_for(const host::Runtime &r, const std::string &name)
{
    for (const auto &x : r.refusals())
        if (x.path == manifest(name))
            return &x;
    return nullptr;
}

} // namespace

TEST(Runtime, LoadsAGoodPluginAndDrivesIt)
{
    LoggedRuntime r;
    ASSERT_TRUE(r.runtime->load_manifest(manifest("good"))) << r.log.str();
    ASSERT_EQ(r.runtime->plugins().size(), 1u);
    const auto &info = host::Runtime::info(*r.runtime->plugins()[0]);
    EXPECT_EQ(info.id, "test.good");
    EXPECT_EQ(info.schemes, std::vector<std::string>{"test"});
    auto instance = r.runtime->create_instance(r.runtime->plugins()[0], {});
    jc_conformance_batch batch;
    jc_conformance_batch_init(&batch, "E-1", "test");
    const auto outcome = instance->handle_events({batch.events, batch.count});
    EXPECT_EQ(outcome.status, JC_OK);
    EXPECT_EQ(outcome.result.accepted, batch.count);
    // The same batch again: every id was seen, nothing is counted twice.
    const auto again = instance->handle_events({batch.events, batch.count});
    EXPECT_EQ(again.result.accepted, 0u);
    EXPECT_EQ(again.result.duplicates, batch.count);
    const auto findings = instance->evaluate(100);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].rule, "test.count");
    EXPECT_EQ(findings[0].observed_minutes, batch.count);
    EXPECT_EQ(findings[0].due, 100);
}

TEST(Runtime, ABadEventRejectsTheBatchWithItsIndex)
{
    LoggedRuntime r;
    ASSERT_TRUE(r.runtime->load_manifest(manifest("good"))) << r.log.str();
    auto instance = r.runtime->create_instance(r.runtime->plugins()[0], {});
    jc_conformance_batch batch;
    jc_conformance_batch_init(&batch, "E-1", "test");
    batch.events[4] = nullptr;
    const auto outcome = instance->handle_events({batch.events, batch.count});
    EXPECT_EQ(outcome.status, JC_E_INVALID_EVENT);
    EXPECT_EQ(outcome.result.failed_index, 4u);
    EXPECT_EQ(outcome.message, "event #4 of the batch: NULL pointer");
    EXPECT_EQ(instance->evaluate(100).at(0).observed_minutes, 0); // nothing of the batch was stored
}

TEST(Runtime, ContainsAThrowingPluginAndKeepsServingTheGoodOne)
{
    LoggedRuntime r;
    ASSERT_TRUE(r.runtime->load_manifest(manifest("good")));
    ASSERT_TRUE(r.runtime->load_manifest(manifest("throws")));
    jc_conformance_batch batch;
    jc_conformance_batch_init(&batch, "E-1", "test");
    for (const auto &p : r.runtime->plugins()) {
        auto instance = r.runtime->create_instance(p, {});
        const auto outcome = instance->handle_events({batch.events, batch.count});
        if (host::Runtime::info(*p).id == "test.throws") {
            EXPECT_EQ(outcome.status, JC_E_INTERNAL);
            EXPECT_THAT(outcome.message, HasSubstr("hook failed on purpose"));
            EXPECT_TRUE(instance->contained());
            EXPECT_THROW(instance->evaluate(0), host::HostError);
        } else {
            EXPECT_EQ(outcome.status, JC_OK);
            EXPECT_EQ(instance->evaluate(0).size(), 1u);
        }
    }
    EXPECT_THAT(r.log.str(), HasSubstr("plugin test.throws contained: handle_events threw: hook failed on purpose"));
}

TEST(Runtime, LoadsADirectoryAndRecordsEachRefusal)
{
    LoggedRuntime r;
    r.runtime->load_directory(JC_TEST_PLUGIN_ROOT);
    std::set<std::string> refused;
    for (const auto &x : r.runtime->refusals())
        refused.insert(x.path.parent_path().filename().string());
    EXPECT_EQ(refused, (std::set<std::string>{"newer_minor", "other_major", "lying_major", "small_entry", "no_entry", "unresolved"}));
    EXPECT_EQ(r.runtime->plugins().size() + r.runtime->refusals().size(), 32u) << r.log.str();
}

TEST(Runtime, EveryRefusalNamesOneOfTheLoaderChecksAndValidateSaysTheSame)
{
    // The runtime's checks are one named list (jobcoach/host/loader_checks.hpp): each refusal names one of it.
    std::set<std::string> names;
    for (const auto &c : jobcoach::host::loader_checks()) {
        names.insert(c.name);
        EXPECT_GT(std::string(c.requirement).size(), 10u) << c.name;
    }
    EXPECT_EQ(names, (std::set<std::string>{"permissions", "manifest", "version", "allowlist", "symbol", "load", "entry",
                                            "descriptor", "init"}));
    LoggedRuntime r;
    r.runtime->load_directory(JC_TEST_PLUGIN_ROOT);
    ASSERT_FALSE(r.runtime->refusals().empty());
    for (const auto &x : r.runtime->refusals())
        EXPECT_EQ(names.count(x.check), 1u) << x.check << ": " << x.reason;
    // The same function refuses in the loader and fails jobcoach-validate's check (with the loader's words).
    jobcoach::host::PluginInfo info;
    info.id = "nl.example";
    info.min_host_abi = {1, 0, 0};
    jc_plugin_entry entry{};
    entry.struct_size = sizeof entry;
    entry.min_host_abi = {1, 3, 0};
    try {
        jobcoach::host::loader::entry_version(entry, info, {1, 2, 0});
        ADD_FAILURE() << "a plugin that needs 1.3 passed a 1.2 host";
    } catch (const jobcoach::host::LoaderCheckFailed &e) {
        EXPECT_EQ(e.check(), "version");
        EXPECT_THAT(e.what(), HasSubstr("the plugin needs host ABI 1.3, this host has 1.2"));
    }
}

TEST(Runtime, RefusesAManifestThatIsNotJson)
{
    const fs::path dir = fs::temp_directory_path() / "jc-bad-manifest";
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                             fs::perms::others_exec);
    { std::ofstream(dir / "x.plugin.json") << "{ not json"; }
    LoggedRuntime r;
    r.runtime->load_directory(dir);
    ASSERT_EQ(r.runtime->refusals().size(), 1u);
    EXPECT_EQ(r.runtime->refusals()[0].check, "manifest");
    fs::remove_all(dir);
}

TEST(Runtime, RefusesAWorldWritableDirectory)
{
    const fs::path dir = fs::temp_directory_path() / "jc-world-writable";
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::all);
    LoggedRuntime r;
    r.runtime->load_directory(dir);
    ASSERT_EQ(r.runtime->refusals().size(), 1u);
    EXPECT_EQ(r.runtime->refusals()[0].check, "permissions");
    EXPECT_THAT(r.runtime->refusals()[0].reason, HasSubstr("writable by others"));
    fs::remove_all(dir);
}

TEST(Runtime, Sha256OfAFileMatchesTheStandardVector)
{
    const fs::path file = fs::temp_directory_path() / ("jc-sha-" + std::to_string(::getpid()));
    { std::ofstream(file) << "abc"; }
    EXPECT_EQ(host::sha256_of_file(file), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    fs::remove(file);
    EXPECT_THROW(host::sha256_of_file(file), std::runtime_error);
}

TEST(Runtime, AnAllowlistAdmitsOnlyTheLibrariesItNames)
{
    const fs::path list = fs::temp_directory_path() / ("jc-allow-" + std::to_string(::getpid()));
    const std::string good = host::sha256_of_file(variant("good") / "test-good.so");
    std::string upper = good;
    for (auto &c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    { std::ofstream(list) << "# plugins approved by payroll IT\n\n" << upper << "  test-good.so\n"; }
    LoggedRuntime r;
    r.runtime->require_sha256(host::read_sha256_allowlist(list));
    EXPECT_TRUE(r.runtime->load_manifest(manifest("good"))) << r.log.str();
    EXPECT_FALSE(r.runtime->load_manifest(manifest("needs_1_1")));
    const auto *x = refusal_for(*r.runtime, "needs_1_1");
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->check, "allowlist");
    EXPECT_EQ(x->reason, "SHA-256 " + host::sha256_of_file(variant("needs_1_1") / "test-needs_1_1.so") +
                             " of test-needs_1_1.so is not in the host's allowlist");

    { std::ofstream(list) << good << "  test-good.so\nnot-a-hash  test-other.so\n"; }
    try {
        host::read_sha256_allowlist(list);
        FAIL() << "a malformed allowlist must be refused";
    } catch (const std::runtime_error &e) {
        EXPECT_EQ(std::string(e.what()), list.string() + ":2: not a SHA-256 (64 hex digits) followed by a file name");
    }
    fs::remove(list);
}
