// SPDX-License-Identifier: Apache-2.0
// jobcoach-validate as a vendor runs it: every shipped plugin passes; each broken variant of the test plugin
// fails, and the report names the check it fails. The JSON report is read back with simdjson.
#include "e2e/demo_run.hpp"
#include "runtime/fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>

namespace fs = std::filesystem;
using ::testing::HasSubstr;

namespace {

std::string variant(const std::string &name) { return variant_manifest(name).string(); }

struct Verdict {
    int exit_code = -1;
    std::string human;
    std::string plugin_result;
    std::map<std::string, std::pair<std::string, std::string>> checks; // name -> (result, detail)
    std::vector<std::string> order;
};

// Runs the validator on one plugin with --json - and reads the report back.
Verdict validate(const std::string &args)
{
    const auto run = run_program(JC_TEST_VALIDATE, "--json - " + args);
    Verdict v;
    v.exit_code = run.exit_code;
    v.human = run.err;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(run.out).get(doc) != simdjson::SUCCESS)
        return v;
    simdjson::dom::array plugins;
    if (doc["plugins"].get(plugins) != simdjson::SUCCESS || plugins.size() != 1)
        return v;
    simdjson::dom::element plugin;
    simdjson::dom::array checks;
    std::string_view result;
    if (plugins.at(0).get(plugin) != simdjson::SUCCESS || plugin["result"].get(result) != simdjson::SUCCESS ||
        plugin["checks"].get(checks) != simdjson::SUCCESS)
        return v;
    v.plugin_result = std::string(result);
    for (simdjson::dom::element check : checks) {
        std::string_view name, outcome, detail;
        if (check["name"].get(name) != simdjson::SUCCESS || check["result"].get(outcome) != simdjson::SUCCESS ||
            check["detail"].get(detail) != simdjson::SUCCESS)
            return v;
        v.order.emplace_back(name);
        v.checks[std::string(name)] = {std::string(outcome), std::string(detail)};
    }
    return v;
}

const std::vector<std::string> all_checks = {"manifest",       "exports",        "entry",       "version",
                                             "init-refcount",  "create-destroy", "findings",    "unknown-events",
                                             "event-sizes",    "threads",        "threads-after-deinit", "hr-workflow",
                                             "explanations", "thread-tokens", "messages"};

} // namespace

TEST(Validate, EveryShippedPluginPassesEveryCheck)
{
    for (const char *plugin : {"uwv/jobcoach-uwv.plugin.json", "gemeente/jobcoach-gemeente.plugin.json"}) {
        SCOPED_TRACE(plugin);
        const auto v = validate((fs::path(JC_TEST_PLUGIN_DIR) / plugin).string());
        EXPECT_EQ(v.exit_code, 0) << v.human;
        EXPECT_EQ(v.plugin_result, "pass");
        EXPECT_EQ(v.order, all_checks);
        for (const auto &[name, outcome] : v.checks)
            EXPECT_EQ(outcome.first, "pass") << name << ": " << outcome.second;
    }
}

TEST(Validate, SoundVariantsPass)
{
    for (const char *name : {"good", "v1_0", "needs_1_1", "large", "stripped", "sdk_minimal"}) {
        SCOPED_TRACE(name);
        const auto v = validate(variant(name));
        EXPECT_EQ(v.exit_code, 0) << v.human;
        EXPECT_EQ(v.plugin_result, "pass");
        EXPECT_EQ(v.checks.size(), all_checks.size());
    }
}

namespace {

struct Broken {
    std::string variant;
    std::string check;  // the first check that fails
    std::string detail; // part of what it says
};

void PrintTo(const Broken &b, std::ostream *os) { *os << b.variant; }

class BrokenVariant : public ::testing::TestWithParam<Broken> {};

} // namespace

TEST_P(BrokenVariant, FailsNamingTheCheck)
{
    const Broken &want = GetParam();
    const auto v = validate(variant(want.variant));
    EXPECT_EQ(v.exit_code, 1) << v.human;
    EXPECT_EQ(v.plugin_result, "fail");
    ASSERT_EQ(v.checks.count(want.check), 1u) << v.human;
    EXPECT_EQ(v.checks.at(want.check).first, "fail");
    EXPECT_THAT(v.checks.at(want.check).second, HasSubstr(want.detail));
    // Every check before it passed: the failure is pinned to this check.
    for (const auto &name : v.order) {
        if (name == want.check)
            break;
        EXPECT_EQ(v.checks.at(name).first, "pass") << name << ": " << v.checks.at(name).second;
    }
    EXPECT_THAT(v.human, HasSubstr("FAIL  " + want.check));
}

INSTANTIATE_TEST_SUITE_P(
    Variants, BrokenVariant,
    ::testing::Values(
        Broken{"no_entry", "exports", "the library does not export jc_plugin_entry_v1"},
        Broken{"extra_export", "exports", "the library also exports jc_test_extra_export"},
        Broken{"unresolved", "exports", "undefined symbol: jc_test_function_nobody_defines"},
        Broken{"small_entry", "entry", "jc_plugin_entry.struct_size 16 is smaller than ABI 1.0's 56"},
        Broken{"newer_minor", "version", "the plugin needs host ABI 1.8, this host has 1.7"},
        Broken{"other_major", "version", "the plugin needs host ABI 2.0, this host has 1.7"},
        Broken{"lying_major", "version", "the plugin needs host ABI 2.0"},
        Broken{"bad_refcount", "init-refcount", "after init, init, deinit the library no longer works"},
        Broken{"one_instance", "init-refcount", "only one instance per process"},
        Broken{"shared_state", "create-destroy", "cycle 2 gave other findings than the plain run"},
        Broken{"throws", "create-destroy", "handle_events threw a C++ exception across the ABI: hook failed on purpose"},
        Broken{"crashes", "create-destroy", "crashed the check's process with signal 11"},
        Broken{"small_finding", "findings", "a finding's struct_size is 100, less than ABI 1.0's 200"},
        Broken{"bad_utf8", "findings", "a finding of rule 'test.count' has message_en that is not valid UTF-8"},
        Broken{"empty_id", "findings", "a finding of rule 'test.count' has an id of 0 bytes; a 1.2 finding's id is 1-128"},
        Broken{"reject_unknown", "unknown-events", "unknown type 1000 was refused with status -2"},
        Broken{"strict_size", "event-sizes", "refused events 64 bytes larger than their schema-1 struct"},
        Broken{"global_current", "threads", "gave other findings than the plain run"},
        Broken{"thread_left", "threads-after-deinit", "1 thread(s) the plugin started still run after its last deinit"},
        Broken{"forgetful_changes", "hr-workflow", "a second change feed with nothing changed gave 1 finding(s)"},
        Broken{"keeps_threads", "thread-tokens", "jc.threads/1 call(s) outside evaluate or on another thread"}),
    [](const ::testing::TestParamInfo<Broken> &info) { return info.param.variant; });

TEST(Validate, AChecksThatCannotLoadThePluginSkipTheRest)
{
    const auto v = validate(variant("no_entry"));
    EXPECT_EQ(v.checks.at("manifest").first, "pass");
    for (const char *name : {"entry", "version", "init-refcount", "threads-after-deinit"}) {
        EXPECT_EQ(v.checks.at(name).first, "skip") << name;
        EXPECT_EQ(v.checks.at(name).second, "not run: the exports check failed");
    }
}

TEST(Validate, AHangingCheckTimesOutAndTheValidatorGoesOn)
{
    const auto v = validate("--timeout 1 --check create-destroy --check threads-after-deinit " + variant("hangs"));
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_EQ(v.order, (std::vector<std::string>{"create-destroy", "threads-after-deinit"}));
    EXPECT_EQ(v.checks.at("create-destroy").second, "timed out after 1 s");
}

TEST(Validate, WrongCommandLinesExitWith2)
{
    auto run = run_program(JC_TEST_VALIDATE, "/no/such/plugin.plugin.json");
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_THAT(run.err, HasSubstr("/no/such/plugin.plugin.json: no such file"));
    run = run_program(JC_TEST_VALIDATE, "--check no-such-check " + variant("good"));
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_THAT(run.err, HasSubstr("no check is called no-such-check"));
    run = run_program(JC_TEST_VALIDATE, "");
    EXPECT_EQ(run.exit_code, 2);
}

TEST(Validate, ALibraryPathFindsItsManifestAndTheReportIsReadable)
{
    const auto run = run_program(JC_TEST_VALIDATE, (fs::path(JC_TEST_PLUGIN_ROOT) / "good" / "test-good.so").string());
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_THAT(run.out, HasSubstr("test.good  "));
    EXPECT_THAT(run.out, HasSubstr("PASS  threads-after-deinit  no thread left after the last deinit"));
    EXPECT_THAT(run.out, HasSubstr("15 passed, 0 failed, 0 skipped: PASS"));
    EXPECT_THAT(run.out, HasSubstr("1 plugin(s): 1 passed, 0 failed"));
}
