// SPDX-License-Identifier: Apache-2.0
// The compatibility matrix: every variant of the test plugin (tests/CMakeLists.txt) against today's host, and
// the frozen v1.0 plugin, today's plugins and the shipped plugins against a host built from the v1.0 headers.
#include <jobcoach/host/event_file.hpp>
#include <jobcoach/host/inspect.hpp>
#include <jobcoach/host/runtime.hpp>

#include "conformance_events.h"
#include "e2e/demo_run.hpp"
#include "generate.hpp"
#include "runtime/fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <tuple>
#include <vector>

namespace fs = std::filesystem;
using namespace jobcoach;
using ::testing::HasSubstr;

namespace {

fs::path manifest(const std::string &name) { return variant_manifest(name); }
fs::path library(const std::string &name) { return variant_library(name); }

// The conformance batch plus one event of a type from the future, as the older host sends it.
struct Batch {
    jc_conformance_batch batch;
    std::string future_id;
    struct {
        jc_event_header header;
        int64_t payload;
    } future{};
    std::vector<const jc_event_header *> events;

    explicit Batch(const char *employee, const char *scheme)
    {
        jc_conformance_batch_init(&batch, employee, scheme);
        future_id = std::string(employee) + "-future";
        future.header = {sizeof future, 1000, {future_id.data(), future_id.size()}, {employee, std::strlen(employee)}, 20100, 0};
        future.payload = 42;
        events.assign(batch.events, batch.events + batch.count);
        events.push_back(&future.header);
    }
    Batch(const Batch &) = delete;
};

struct Outcome {
    std::string variant;
    std::string check;  // empty: loaded
    std::string reason; // a part of the refusal's reason
};

void PrintTo(const Outcome &o, std::ostream *os) { *os << o.variant; }

class Matrix : public ::testing::TestWithParam<Outcome> {};

} // namespace

TEST_P(Matrix, LoadsOrRefusesWithTheExactReason)
{
    const Outcome &want = GetParam();
    LoggedRuntime r;
    const bool loaded = r.runtime->load_manifest(manifest(want.variant));
    if (want.check.empty()) {
        ASSERT_TRUE(loaded) << r.log.str();
        EXPECT_EQ(host::Runtime::info(*r.runtime->plugins().at(0)).id, "test." + want.variant);
        EXPECT_TRUE(r.runtime->refusals().empty());
        return;
    }
    ASSERT_FALSE(loaded);
    ASSERT_EQ(r.runtime->refusals().size(), 1u);
    const host::Refusal &x = r.runtime->refusals()[0];
    EXPECT_EQ(x.path, manifest(want.variant));
    EXPECT_EQ(x.check, want.check);
    EXPECT_THAT(x.reason, HasSubstr(want.reason));
    EXPECT_THAT(r.log.str(), HasSubstr(want.check + " check: "));
}

INSTANTIATE_TEST_SUITE_P(
    Variants, Matrix,
    ::testing::Values(
        Outcome{"good", "", ""}, Outcome{"v1_0", "", ""}, Outcome{"v1_1", "", ""}, Outcome{"v1_2", "", ""}, Outcome{"v1_3", "", ""}, Outcome{"needs_1_1", "", ""},
        Outcome{"newer_minor", "version", "the manifest needs host ABI 1.8, this host has 1.7"},
        Outcome{"other_major", "version", "the manifest needs host ABI 2.0, this host has 1.7"},
        Outcome{"lying_major", "version", "the plugin needs host ABI 2.0, this host has 1.7"},
        Outcome{"small_entry", "entry", "jc_plugin_entry.struct_size 16 is smaller than ABI 1.0's 56"},
        Outcome{"small_finding", "", ""}, Outcome{"large", "", ""}, Outcome{"two_findings", "", ""}, Outcome{"stripped", "", ""},
        Outcome{"no_entry", "symbol", "the library does not export jc_plugin_entry_v1"},
        Outcome{"unresolved", "load", "undefined symbol: jc_test_function_nobody_defines"},
        Outcome{"extra_export", "", ""}, Outcome{"throws", "", ""}, Outcome{"thread_left", "", ""},
        Outcome{"bad_refcount", "", ""}, Outcome{"reject_unknown", "", ""}, Outcome{"strict_size", "", ""},
        Outcome{"shared_state", "", ""}, Outcome{"one_instance", "", ""}, Outcome{"bundles_sqlite", "", ""},
        Outcome{"global_current", "", ""}, Outcome{"crashes", "", ""}, Outcome{"hangs", "", ""},
        Outcome{"bad_utf8", "", ""}, Outcome{"empty_id", "", ""}, Outcome{"forgetful_changes", "", ""}, Outcome{"unterminated_error", "", ""}, Outcome{"sdk_minimal", "", ""},
        Outcome{"keeps_threads", "", ""}),
    [](const ::testing::TestParamInfo<Outcome> &info) { return info.param.variant; });

namespace {

// Loads one variant, sends the batch, evaluates; returns the findings (or throws what evaluate throws).
std::vector<host::Finding> drive(LoggedRuntime &r, const std::string &variant, host::BatchOutcome *outcome = nullptr)
{
    if (!r.runtime->load_manifest(manifest(variant)))
        throw std::runtime_error("refused: " + r.log.str());
    auto instance = r.runtime->create_instance(r.runtime->plugins().back(), {});
    Batch batch("E-MATRIX", "test");
    const auto o = instance->handle_events(batch.events);
    if (outcome != nullptr)
        *outcome = o;
    return instance->evaluate(JC_CONFORMANCE_AS_OF);
}

} // namespace

TEST(MatrixBehaviour, TheFrozenV10PluginWorksWithTodaysHost)
{
    LoggedRuntime r;
    host::BatchOutcome outcome;
    const auto findings = drive(r, "v1_0", &outcome);
    EXPECT_EQ(outcome.status, JC_OK);
    EXPECT_EQ(outcome.result.accepted, 13u);
    EXPECT_EQ(outcome.result.skipped, 1u); // the event type from the future
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].observed_minutes, 13);
    EXPECT_EQ(findings[0].explanation, ""); // a 1.0 finding has no explanation member
    const auto &info = host::Runtime::info(*r.runtime->plugins()[0]);
    EXPECT_EQ(info.abi_version.major, 1);
    EXPECT_EQ(info.abi_version.minor, 0);
    auto instance = r.runtime->create_instance(r.runtime->plugins()[0], {});
    EXPECT_EQ(instance->status("E-MATRIX", JC_CONFORMANCE_AS_OF), std::nullopt); // no jc.status/1 in 1.0
}

TEST(MatrixBehaviour, TheFrozenV11PluginWorksWithTodaysHostWithoutIds)
{
    LoggedRuntime r;
    const auto findings = drive(r, "v1_1");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].explanation, "events: 13"); // 1.1 has the explanation
    EXPECT_EQ(findings[0].id, "");                    // but no id and no trajectory: read only when covered
    EXPECT_EQ(findings[0].trajectory, 0u);
    EXPECT_EQ(host::Runtime::info(*r.runtime->plugins()[0]).abi_version.minor, 1);
}

// jc.status/1 grew in 1.2 (finding ids), 1.3 (lead times, warning threshold) and 1.4 (titles). Today's host reads
// each element by its own struct_size: an older plugin's status arrives whole, its newer members as absent.
TEST(MatrixBehaviour, StatusOfEachMinorIsReadWithTheMembersItHas)
{
    struct Want {
        const char *variant;
        const char *finding_id;
        int32_t lead_days, warning_pct, max_end_lead_days;
        const char *title_en;
    };
    for (const Want &want : {Want{"v1_1", "", -1, 0, -1, ""}, Want{"v1_2", "test.report:E-TEST", -1, 0, -1, ""},
                             Want{"v1_3", "test.report:E-TEST", 14, 80, 90, ""},
                             Want{"good", "test.report:E-TEST", 14, 80, 90, "Test report"}}) {
        LoggedRuntime r;
        ASSERT_TRUE(r.runtime->load_manifest(manifest(want.variant))) << r.log.str();
        auto instance = r.runtime->create_instance(r.runtime->plugins().back(), {});
        const auto status = instance->status("E-TEST", JC_CONFORMANCE_AS_OF);
        ASSERT_TRUE(status.has_value()) << want.variant;
        ASSERT_EQ(status->size(), 1u) << want.variant;
        const host::TrajectoryStatus &t = status->front();
        ASSERT_EQ(t.budgets.size(), 1u) << want.variant;
        ASSERT_EQ(t.dues.size(), 1u) << want.variant;
        EXPECT_EQ(t.budgets[0].used_minutes, 480) << want.variant;
        EXPECT_EQ(t.dues[0].due, JC_CONFORMANCE_AS_OF + 5) << want.variant;
        EXPECT_EQ(t.dues[0].finding_id, want.finding_id) << want.variant;
        EXPECT_EQ(t.dues[0].lead_days, want.lead_days) << want.variant;
        EXPECT_EQ(t.budgets[0].warning_pct, want.warning_pct) << want.variant;
        EXPECT_EQ(t.max_end_lead_days, want.max_end_lead_days) << want.variant;
        EXPECT_EQ(t.dues[0].title_en, want.title_en) << want.variant;
        EXPECT_EQ(t.dues[0].title_nl, *want.title_en ? "Testverslag" : "") << want.variant;
        const bool dutch = *want.title_en != '\0'; // 1.4 gives the Dutch words of budgets and figures too
        EXPECT_EQ(t.budgets[0].basis, "test basis") << want.variant;
        EXPECT_EQ(t.budgets[0].basis_nl, dutch ? "testgrondslag" : "") << want.variant;
        ASSERT_EQ(t.figures.size(), 1u) << want.variant << ": a figure of an older, smaller struct is read";
        EXPECT_EQ(t.figures[0], (std::pair<std::string, std::string>{"hours", "8.00 h"})) << want.variant;
        EXPECT_EQ(t.figures_nl.size(), dutch ? 1u : 0u) << want.variant;
        if (dutch) {
            EXPECT_EQ(t.figures_nl[0], (std::pair<std::string, std::string>{"uren", "8,00 uur"}));
        }
    }
}

// jc_finding grew in 1.4 (the rule's title, what to do next): a 1.3 plugin's findings arrive whole without them.
TEST(MatrixBehaviour, FindingsOfEachMinorAreReadWithTheMembersTheyHave)
{
    for (const char *variant : {"v1_3", "good"}) {
        LoggedRuntime r;
        const auto findings = drive(r, variant);
        ASSERT_EQ(findings.size(), 1u) << variant;
        const bool today = std::string(variant) == "good";
        EXPECT_EQ(findings[0].id, "test.count:E-TEST") << variant;
        EXPECT_EQ(findings[0].title_en, today ? "Test rule" : "") << variant;
        EXPECT_EQ(findings[0].title_nl, today ? "Testregel" : "") << variant;
        EXPECT_EQ(findings[0].action_en, today ? "Count the events." : "") << variant;
        EXPECT_EQ(findings[0].action_nl, today ? "Tel de gebeurtenissen." : "") << variant;
    }
}

TEST(MatrixBehaviour, ATodaysPluginsFindingCarriesItsIdAndTrajectory)
{
    LoggedRuntime r;
    const auto findings = drive(r, "good");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].id, "test.count:E-TEST");
    EXPECT_EQ(findings[0].trajectory, 1u);
}

TEST(MatrixBehaviour, AnEmployeesFindingsComeFromThePluginOrFromEveryonesForAnOlderPlugin)
{
    for (const char *variant : {"v1_1", "good"}) {
        LoggedRuntime r;
        ASSERT_TRUE(r.runtime->load_manifest(manifest(variant))) << r.log.str();
        auto instance = r.runtime->create_instance(r.runtime->plugins().back(), {});
        Batch batch("E-MATRIX", "test");
        ASSERT_EQ(instance->handle_events(batch.events).status, JC_OK);
        bool alone = true;
        const auto mine = instance->evaluate_employees({"E-TEST"}, JC_CONFORMANCE_AS_OF, &alone);
        EXPECT_FALSE(alone) << variant << ": the test plugin offers no jc.findings/1";
        ASSERT_EQ(mine.size(), 1u) << variant;
        EXPECT_EQ(mine[0].employee, "E-TEST");
        EXPECT_TRUE(instance->evaluate_employees({"E-SOMEONE-ELSE"}, JC_CONFORMANCE_AS_OF).empty()) << variant;
    }
}

TEST(MatrixBehaviour, TheShippedPluginsComputeAnEmployeesFindingsAlone)
{
    LoggedRuntime r;
    r.runtime->load_directory(JC_TEST_PLUGIN_DIR);
    ASSERT_EQ(r.runtime->plugins().size(), 2u) << r.log.str();
    for (const auto &plugin : r.runtime->plugins()) {
        auto instance = r.runtime->create_instance(plugin, {});
        Batch batch("E-MATRIX", host::Runtime::info(*plugin).schemes.at(0).c_str());
        ASSERT_EQ(instance->handle_events(batch.events).status, JC_OK);
        bool alone = false;
        const auto mine = instance->evaluate_employees({"E-MATRIX"}, JC_CONFORMANCE_AS_OF, &alone);
        EXPECT_TRUE(alone) << host::Runtime::info(*plugin).id;
        auto all = instance->evaluate(JC_CONFORMANCE_AS_OF);
        ASSERT_FALSE(all.empty());
        ASSERT_EQ(mine.size(), all.size());
        for (size_t i = 0; i < all.size(); ++i)
            EXPECT_EQ(mine[i].id, all[i].id);
    }
}

namespace {

// A generated history of 300 employees over 3 years: every rule's kinds of findings.
host::EventFile generated_history(unsigned seed)
{
    std::ostringstream generated;
    demo::GenerateOptions options;
    options.employees = 300;
    options.years = 3;
    options.seed = seed;
    demo::generate(options, generated);
    return host::parse_events(generated.str());
}

// The sample, as of its date (2026-11-23), and a generated history, as of its last day (2022-12-31).
std::vector<std::pair<host::EventFile, jc_date>> sample_and_generated()
{
    std::vector<std::pair<host::EventFile, jc_date>> out;
    out.emplace_back(host::read_events(std::string(JC_TEST_SOURCE_DIR) + "/host_demo/samples/sample-events.jsonl"),
                     20780);
    out.emplace_back(generated_history(7), 19357);
    return out;
}

// A new instance of `plugin`, in a state of its own, holding every event of `file`.
std::unique_ptr<host::Instance> holding(host::Runtime &runtime, const std::shared_ptr<host::Plugin> &plugin,
                                        const host::EventFile &file)
{
    EXPECT_TRUE(file.errors.empty());
    std::vector<const host::Event *> list;
    for (const auto &e : file.events)
        list.push_back(&e);
    const host::AbiEvents abi(list);
    auto instance = runtime.create_instance(plugin, {});
    EXPECT_EQ(instance->handle_events(abi.headers()).status, JC_OK) << host::Runtime::info(*plugin).id;
    return instance;
}

} // namespace

// jc.explanations/1 (ABI 1.5): a host that does not show explanations turns them off. The shipped plugins then do
// not make them, and every other member of every finding, through evaluate and evaluate_employees, is what it is
// with them on; on again, the findings are the first ones byte for byte. A plugin without the extension (the test
// plugin, which fills the explanation) has it left out by the runtime.
TEST(MatrixBehaviour, FindingsWithoutExplanationsDifferInNothingElse)
{
    auto same_but_explanation = [](const host::Finding &a, const host::Finding &b) {
        return std::tie(a.plugin_id, a.employee, a.scheme, a.rule, a.kind, a.severity, a.due, a.subject,
                        a.observed_minutes, a.limit_minutes, a.amount_cents, a.message_nl, a.message_en, a.source,
                        a.employer, a.employees, a.id, a.trajectory, a.change, a.title_nl, a.title_en, a.action_nl,
                        a.action_en) ==
               std::tie(b.plugin_id, b.employee, b.scheme, b.rule, b.kind, b.severity, b.due, b.subject,
                        b.observed_minutes, b.limit_minutes, b.amount_cents, b.message_nl, b.message_en, b.source,
                        b.employer, b.employees, b.id, b.trajectory, b.change, b.title_nl, b.title_en, b.action_nl,
                        b.action_en);
    };
    // The sample, as of its date, and a generated history of 300 employees over 3 years (every rule's kinds of
    // findings), as of its last day.
    const auto histories = sample_and_generated();
    LoggedRuntime r;
    r.runtime->load_directory(JC_TEST_PLUGIN_DIR);
    ASSERT_EQ(r.runtime->plugins().size(), 2u) << r.log.str();
    size_t compared = 0, explained = 0;
    std::set<std::string> rules;
    for (const auto &[file, as_of] : histories) {
        for (const auto &plugin : r.runtime->plugins()) {
            const std::string id = host::Runtime::info(*plugin).id;
            auto instance = holding(*r.runtime, plugin, file);
            const auto with = instance->evaluate(as_of);
            std::vector<std::string> employees;
            for (const auto &f : with)
                if (!f.employee.empty())
                    employees.push_back(f.employee);
            const auto with_of_some = instance->evaluate_employees(employees, as_of);
            EXPECT_TRUE(instance->set_explanations(false)) << id << " offers jc.explanations/1";
            const auto without = instance->evaluate(as_of);
            const auto without_of_some = instance->evaluate_employees(employees, as_of);
            for (const auto &[a, b] : {std::pair{&with, &without}, std::pair{&with_of_some, &without_of_some}}) {
                ASSERT_EQ(a->size(), b->size()) << id;
                for (size_t i = 0; i < a->size(); ++i) {
                    EXPECT_TRUE(same_but_explanation((*a)[i], (*b)[i])) << id << " " << (*a)[i].id;
                    EXPECT_EQ((*b)[i].explanation, "") << id << " " << (*b)[i].id;
                    explained += (*a)[i].explanation.empty() ? 0 : 1;
                    rules.insert((*a)[i].rule + " " + (*a)[i].kind);
                    ++compared;
                }
            }
            EXPECT_TRUE(instance->set_explanations(true));
            const auto again = instance->evaluate(as_of);
            ASSERT_EQ(again.size(), with.size()) << id;
            for (size_t i = 0; i < with.size(); ++i) {
                EXPECT_TRUE(same_but_explanation(again[i], with[i])) << id;
                EXPECT_EQ(again[i].explanation, with[i].explanation) << id;
            }
        }
    }
    EXPECT_GT(compared, 2000u);
    EXPECT_GE(rules.size(), 30u) << "rules and kinds compared";
    EXPECT_EQ(explained, compared) << "every finding of the shipped plugins has an explanation when asked";

    LoggedRuntime t;
    ASSERT_TRUE(t.runtime->load_manifest(manifest("good"))) << t.log.str();
    auto instance = t.runtime->create_instance(t.runtime->plugins().back(), {});
    Batch batch("E-MATRIX", "test");
    ASSERT_EQ(instance->handle_events(batch.events).status, JC_OK);
    EXPECT_FALSE(instance->set_explanations(false)) << "the test plugin offers no jc.explanations/1";
    auto findings = instance->evaluate(JC_CONFORMANCE_AS_OF);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].explanation, "");
    EXPECT_EQ(findings[0].id, "test.count:E-TEST");
    instance->set_explanations(true);
    findings = instance->evaluate(JC_CONFORMANCE_AS_OF);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].explanation, "events: 13");
}

// jc.messages/1 (ABI 1.7): a host that keeps its tasks by id turns the findings' words off. The shipped plugins
// then make none of them (no message, action or explanation), and every other member of every finding, through
// evaluate and evaluate_employees, is what it is with them on, in the same order; turning them off or on makes no
// change in the change feed by itself; on again, the findings are the first ones byte for byte. A plugin without
// the extension (the test plugin) has its words left out by the runtime, which then requires no message.
TEST(MatrixBehaviour, FindingsWithoutWordsDifferInNothingElse)
{
    auto same_but_words = [](const host::Finding &a, const host::Finding &b) {
        return std::tie(a.plugin_id, a.employee, a.scheme, a.rule, a.kind, a.severity, a.due, a.subject,
                        a.observed_minutes, a.limit_minutes, a.amount_cents, a.source, a.employer, a.employees, a.id,
                        a.trajectory, a.change, a.title_nl, a.title_en) ==
               std::tie(b.plugin_id, b.employee, b.scheme, b.rule, b.kind, b.severity, b.due, b.subject,
                        b.observed_minutes, b.limit_minutes, b.amount_cents, b.source, b.employer, b.employees, b.id,
                        b.trajectory, b.change, b.title_nl, b.title_en);
    };
    auto without_words = [](const host::Finding &f) {
        return f.message_nl.empty() && f.message_en.empty() && f.action_nl.empty() && f.action_en.empty() &&
               f.explanation.empty();
    };
    const auto histories = sample_and_generated();
    LoggedRuntime r;
    r.runtime->load_directory(JC_TEST_PLUGIN_DIR);
    ASSERT_EQ(r.runtime->plugins().size(), 2u) << r.log.str();
    size_t compared = 0, worded = 0, titled = 0;
    std::set<std::string> rules;
    for (const auto &[file, as_of] : histories) {
        for (const auto &plugin : r.runtime->plugins()) {
            const std::string id = host::Runtime::info(*plugin).id;
            auto instance = holding(*r.runtime, plugin, file);
            const auto with = instance->evaluate(as_of);
            std::vector<std::string> employees;
            for (const auto &f : with)
                if (!f.employee.empty())
                    employees.push_back(f.employee);
            const auto with_of_some = instance->evaluate_employees(employees, as_of);
            const auto first_changes = instance->evaluate_changes(nullptr, as_of);
            ASSERT_TRUE(first_changes.has_value()) << id;
            EXPECT_EQ(first_changes->size(), with.size()) << id << ": every finding is new at first";
            EXPECT_TRUE(instance->set_messages(false)) << id << " offers jc.messages/1";
            const auto without = instance->evaluate(as_of);
            const auto without_of_some = instance->evaluate_employees(employees, as_of);
            EXPECT_EQ(instance->evaluate_changes(nullptr, as_of)->size(), 0u) << id << ": the words are no change";
            for (const auto &[a, b] : {std::pair{&with, &without}, std::pair{&with_of_some, &without_of_some}}) {
                ASSERT_EQ(a->size(), b->size()) << id;
                for (size_t i = 0; i < a->size(); ++i) {
                    EXPECT_TRUE(same_but_words((*a)[i], (*b)[i])) << id << " " << (*a)[i].id;
                    EXPECT_TRUE(without_words((*b)[i])) << id << " " << (*b)[i].id << ": " << (*b)[i].message_en;
                    worded += !(*a)[i].message_nl.empty() && !(*a)[i].message_en.empty() &&
                                      !(*a)[i].explanation.empty()
                                  ? 1
                                  : 0;
                    titled += (*b)[i].title_en.empty() ? 0 : 1;
                    rules.insert((*a)[i].rule + " " + (*a)[i].kind);
                    ++compared;
                }
            }
            EXPECT_TRUE(instance->set_messages(true));
            const auto again = instance->evaluate(as_of);
            ASSERT_EQ(again.size(), with.size()) << id;
            for (size_t i = 0; i < with.size(); ++i)
                EXPECT_TRUE(same_but_words(again[i], with[i]) && again[i].message_nl == with[i].message_nl &&
                            again[i].message_en == with[i].message_en && again[i].action_nl == with[i].action_nl &&
                            again[i].action_en == with[i].action_en && again[i].explanation == with[i].explanation)
                    << id << " " << with[i].id;
            // With the words off, jc.explanations/1 has nothing to add; with them on, it still leaves out the
            // explanation alone.
            EXPECT_TRUE(instance->set_messages(false));
            EXPECT_TRUE(instance->set_explanations(true));
            for (const auto &f : instance->evaluate(as_of))
                EXPECT_TRUE(without_words(f)) << id << " " << f.id;
            EXPECT_TRUE(instance->set_messages(true));
            EXPECT_TRUE(instance->set_explanations(false));
            for (const auto &f : instance->evaluate(as_of))
                EXPECT_TRUE(!f.message_en.empty() && f.explanation.empty()) << id << " " << f.id;
        }
    }
    // A feed recorded without words, then read with them a year later: what is new or updated comes with its words,
    // and what resolved comes as last reported, without them, accepted by the runtime all the same.
    for (const auto &plugin : r.runtime->plugins()) {
        const std::string id = host::Runtime::info(*plugin).id;
        auto instance = holding(*r.runtime, plugin, histories[1].first);
        EXPECT_TRUE(instance->set_messages(false));
        const auto first = instance->evaluate_changes(nullptr, 18992); // 2021-12-31
        ASSERT_TRUE(first.has_value() && !first->empty()) << id;
        EXPECT_TRUE(instance->set_messages(true));
        const auto later = instance->evaluate_changes(nullptr, 19357); // 2022-12-31
        ASSERT_TRUE(later.has_value()) << id;
        size_t resolved = 0, current = 0;
        for (const auto &f : *later) {
            if (f.change == JC_CHANGE_RESOLVED) {
                EXPECT_TRUE(without_words(f)) << id << " " << f.id;
                ++resolved;
            } else {
                EXPECT_FALSE(f.message_nl.empty() || f.message_en.empty()) << id << " " << f.id;
                ++current;
            }
        }
        EXPECT_GT(resolved, 10u) << id;
        EXPECT_GT(current, 10u) << id;
    }
    EXPECT_GT(compared, 2000u);
    EXPECT_GE(rules.size(), 30u) << "rules and kinds compared";
    EXPECT_EQ(worded, compared) << "every finding of the shipped plugins has its words when asked";
    EXPECT_GT(titled, compared / 2) << "the titles stay";

    LoggedRuntime t;
    ASSERT_TRUE(t.runtime->load_manifest(manifest("good"))) << t.log.str();
    auto instance = t.runtime->create_instance(t.runtime->plugins().back(), {});
    Batch batch("E-MATRIX", "test");
    ASSERT_EQ(instance->handle_events(batch.events).status, JC_OK);
    EXPECT_FALSE(instance->set_messages(false)) << "the test plugin offers no jc.messages/1";
    auto findings = instance->evaluate(JC_CONFORMANCE_AS_OF);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_TRUE(without_words(findings[0])) << findings[0].message_en;
    EXPECT_EQ(findings[0].id, "test.count:E-TEST");
    instance->set_messages(true);
    findings = instance->evaluate(JC_CONFORMANCE_AS_OF);
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_FALSE(findings[0].message_en.empty());
    EXPECT_EQ(findings[0].explanation, "events: 13");
}

// The change feed of everyone compares the findings without their words, then makes the words of the new and
// updated ones alone: for their employees alone when few changed, in one more pass when many did; a state's first
// feed, where everything is new, is evaluated with its words at once.
// Either way each one is the finding evaluate gives, member for member, its words included; with the words off
// (jc.messages/1), the same without them.
TEST(MatrixBehaviour, TheChangeFeedsFindingsAreThoseOfEvaluateWithTheirWords)
{
    const host::EventFile file = generated_history(11);
    LoggedRuntime r;
    r.runtime->load_directory(JC_TEST_PLUGIN_DIR);
    ASSERT_EQ(r.runtime->plugins().size(), 2u) << r.log.str();
    auto same = [](const host::Finding &a, const host::Finding &b) {
        return std::tie(a.plugin_id, a.employee, a.scheme, a.rule, a.kind, a.severity, a.due, a.subject,
                        a.observed_minutes, a.limit_minutes, a.amount_cents, a.message_nl, a.message_en, a.source,
                        a.employer, a.employees, a.id, a.trajectory, a.title_nl, a.title_en, a.action_nl,
                        a.action_en, a.explanation) ==
               std::tie(b.plugin_id, b.employee, b.scheme, b.rule, b.kind, b.severity, b.due, b.subject,
                        b.observed_minutes, b.limit_minutes, b.amount_cents, b.message_nl, b.message_en, b.source,
                        b.employer, b.employees, b.id, b.trajectory, b.title_nl, b.title_en, b.action_nl,
                        b.action_en, b.explanation);
    };
    size_t first = 0, many = 0, few = 0, without = 0;
    for (const auto &plugin : r.runtime->plugins()) {
        const std::string id = host::Runtime::info(*plugin).id;
        auto instance = holding(*r.runtime, plugin, file);
        // 2022-06-30 (everything new), a day later (a few employees), a day after that without words, and half a
        // year later (many employees).
        const std::pair<jc_date, bool> days[] = {{19173, true}, {19174, true}, {19175, false}, {19357, true}};
        for (const auto &[day, worded] : days) {
            instance->set_messages(worded);
            const auto feed = instance->evaluate_changes(nullptr, day);
            ASSERT_TRUE(feed.has_value()) << id;
            std::map<std::string, host::Finding> evaluated;
            for (auto &f : instance->evaluate(day))
                evaluated.emplace(f.id, std::move(f));
            std::set<std::string> employees;
            size_t compared = 0;
            for (const auto &f : *feed) {
                if (f.change == JC_CHANGE_RESOLVED)
                    continue;
                const auto it = evaluated.find(f.id);
                ASSERT_NE(it, evaluated.end()) << id << " " << f.id;
                EXPECT_TRUE(same(f, it->second)) << id << " " << f.id << ": " << f.message_en << " | "
                                                 << it->second.message_en;
                EXPECT_EQ(f.message_en.empty(), !worded) << id << " " << f.id;
                employees.insert(f.employee);
                ++compared;
            }
            if (day == 19173) {
                EXPECT_EQ(compared, evaluated.size()) << id << ": every finding is new at first";
                first += compared;
            } else if (day == 19357) {
                EXPECT_GT(employees.size() * 8, 300u) << id << ": many employees changed, so one more pass";
                many += compared;
            } else if (worded) {
                EXPECT_LT(employees.size() * 8, 300u) << id << ": few employees changed, so theirs alone";
                few += compared;
            } else {
                without += compared;
            }
        }
    }
    EXPECT_GT(first, 500u);
    EXPECT_GT(many, 100u);
    EXPECT_GT(few, 5u);
    EXPECT_GT(without, 5u);
}

// The host's UTF-8 check, on both sides of each of its switches (texts under 16 bytes a word at a time, longer
// ones 16 bytes at a time and 32 a step, the last read overlapping the one before; simdjson's validator for a
// text with a byte of 128 or more): a bad byte anywhere (every position of a text up to 49 bytes), a sequence cut
// at the end, an overlong form and a surrogate are refused at every length; well-formed Dutch text is accepted.
// valid_utf8_not_ascii, which the host asks of a text its copy found not ASCII, answers alike.
TEST(MatrixBehaviour, TheHostsUtf8CheckTellsBadBytesInShortAndLongTexts)
{
    for (size_t length : {0u, 1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u, 12u, 15u, 16u, 17u, 31u, 32u, 33u, 47u, 48u, 49u, 63u, 64u,
                          65u, 200u, 1000u}) {
        const std::string ascii(length, 'a');
        EXPECT_TRUE(host::valid_utf8(ascii)) << length;
        // The host copies a finding's texts telling them ASCII on the way (copy_telling_ascii), into strings that
        // held the member of the finding before: longer, shorter, or as long.
        for (const std::string &held :
             {std::string(length + 20, 'x'), std::string(length / 2, 'y'), std::string(length, 'z')}) {
            std::string to = held;
            EXPECT_TRUE(host::copy_telling_ascii(to, ascii)) << length;
            EXPECT_EQ(to, ascii) << length;
        }
        if (length >= 2) {
            std::string dutch = ascii;
            dutch.replace(length / 2 - 1, 2, "\xc3\xab"); // ë
            EXPECT_TRUE(host::valid_utf8(dutch)) << length;
            EXPECT_TRUE(host::valid_utf8_not_ascii(dutch)) << length;
        }
        if (length == 0)
            continue;
        std::vector<size_t> positions{0, length / 2, length - 1};
        if (length <= 49)
            for (size_t at = 1; at + 1 < length; ++at)
                positions.push_back(at);
        for (const size_t at : positions) {
            std::string bad = ascii;
            bad[at] = '\xff';
            EXPECT_FALSE(host::valid_utf8(bad)) << length << " at " << at;
            EXPECT_FALSE(host::valid_utf8_not_ascii(bad)) << length << " at " << at;
            std::string copied(length + 3, 'x');
            EXPECT_FALSE(host::copy_telling_ascii(copied, bad)) << length << " at " << at;
            EXPECT_EQ(copied, bad) << length << " at " << at;
        }
        std::string cut = ascii;
        cut.back() = '\xc3'; // the first byte of two, and then the end
        EXPECT_FALSE(host::valid_utf8(cut)) << length;
        EXPECT_FALSE(host::valid_utf8(ascii + "\xc0\xaf")) << length;     // an overlong '/'
        EXPECT_FALSE(host::valid_utf8(ascii + "\xed\xa0\x80")) << length; // U+D800, a surrogate
        // What the host asks of a text its copy found not ASCII: the same answers, without the look for ASCII.
        EXPECT_FALSE(host::valid_utf8_not_ascii(cut)) << length;
        EXPECT_FALSE(host::valid_utf8_not_ascii(ascii + "\xc0\xaf")) << length;
        EXPECT_FALSE(host::valid_utf8_not_ascii(ascii + "\xed\xa0\x80")) << length;
        EXPECT_TRUE(host::valid_utf8_not_ascii(ascii + "\xce\xa3")) << length; // Σ, as an explanation writes it
    }
}

TEST(MatrixBehaviour, AFindingThatIsNotUtf8IsRefusedByTheHost)
{
    LoggedRuntime r;
    // The test plugin fails its evaluate when the host refuses its finding: nothing reaches a terminal or a file.
    EXPECT_THROW(drive(r, "bad_utf8"), host::HostError);
    EXPECT_THAT(r.log.str(), HasSubstr("emit_finding refused: member message_en is not valid UTF-8"));
}

// jc.threads/1 (ABI 1.6) holds only on the thread of the call that evaluates, and only for that call: a take on
// another thread gets nothing, and a thread the plugin keeps past its call is taken back by the runtime, which
// says so in its log. Its next call can take it again.
TEST(MatrixBehaviour, AThreadAPluginKeepsPastItsCallIsTakenBack)
{
    LoggedRuntime r;
    r.runtime->share_threads(2);
    for (int call = 0; call < 2; ++call) {
        const auto findings = call == 0 ? drive(r, "keeps_threads") : [&] {
            auto instance = r.runtime->create_instance(r.runtime->plugins().back(), {});
            return instance->evaluate(JC_CONFORMANCE_AS_OF);
        }();
        ASSERT_EQ(findings.size(), 1u);
        EXPECT_EQ(findings[0].message_en, "elsewhere 0, here 1") << "call " << call;
        EXPECT_EQ(r.runtime->evaluation_threads().in_use(), 0u) << "call " << call;
    }
    EXPECT_THAT(r.log.str(), HasSubstr("plugin test.keeps_threads kept 1 thread token(s) of jc.threads/1 past its "
                                       "call; taken back"));
}

TEST(MatrixBehaviour, AnErrorBufferFilledWithoutANulIsNotReadPastItsEnd)
{
    LoggedRuntime r;
    ASSERT_TRUE(r.runtime->load_manifest(manifest("unterminated_error")));
    try {
        r.runtime->create_instance(r.runtime->plugins().back(), {});
        FAIL() << "create succeeded";
    } catch (const host::HostError &e) {
        const std::string what = e.what();
        const auto xs = what.size() - what.find_first_of('x');
        EXPECT_EQ(xs, 1023u) << what; // the 1024-byte buffer, its last byte made the NUL (ASan checks the rest)
    }
}

TEST(MatrixBehaviour, TodaysPluginFillsTheExplanation)
{
    LoggedRuntime r;
    const auto findings = drive(r, "good");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].explanation, "events: 13");
    EXPECT_EQ(host::Runtime::info(*r.runtime->plugins()[0]).abi_version.minor, JC_ABI_VERSION_MINOR);
}

TEST(MatrixBehaviour, LargerStructsFromAFutureMinorAreReadUpToWhatThisHostKnows)
{
    LoggedRuntime r;
    const auto findings = drive(r, "large");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].observed_minutes, 13);
    EXPECT_EQ(findings[0].explanation, "events: 13");
}

// The host reads each finding into storage it keeps from one finding to the next: nothing of a finding carries
// over into the next one, not even to a host that copies what it is handed (rather than moving it).
TEST(MatrixBehaviour, NothingOfAFindingCarriesOverIntoTheNextOne)
{
    LoggedRuntime r;
    ASSERT_TRUE(r.runtime->load_manifest(manifest("two_findings"))) << r.log.str();
    auto instance = r.runtime->create_instance(r.runtime->plugins().back(), {});
    Batch batch("E-MATRIX", "test");
    instance->handle_events(batch.events);
    for (int round = 0; round < 2; ++round) { // and from one evaluate to the next
        std::vector<host::Finding> got;
        instance->evaluate_each(JC_CONFORMANCE_AS_OF, [&](host::Finding &&f) {
            const host::Finding &copied = f;
            got.push_back(copied);
        });
        ASSERT_EQ(got.size(), 2u);
        EXPECT_EQ(got[0].employees, (std::vector<std::string>{"E-TEST", "E-OTHER"}));
        EXPECT_EQ(got[0].explanation, "events: counted");
        EXPECT_EQ(got[0].id, "test.count:W-TEST");
        EXPECT_EQ(got[0].amount_cents, 1250);
        EXPECT_EQ(got[0].title_en, "Test rule");
        const host::Finding &second = got[1];
        EXPECT_EQ(got[0].source, "tests");
        EXPECT_EQ(second.employee, "E-SECOND");
        EXPECT_EQ(second.source, "suite") << "a member as long as the previous finding's is written whole";
        EXPECT_EQ(second.severity, JC_SEVERITY_WARNING);
        EXPECT_EQ(second.due, JC_DATE_NONE);
        EXPECT_EQ(second.employer, "");
        EXPECT_TRUE(second.employees.empty());
        EXPECT_EQ(second.observed_minutes, std::nullopt);
        EXPECT_EQ(second.amount_cents, std::nullopt);
        EXPECT_EQ(second.explanation, "") << "a 1.0 finding has no explanation";
        EXPECT_EQ(second.id, "");
        EXPECT_EQ(second.trajectory, 0u);
        EXPECT_EQ(second.title_en, "");
        EXPECT_EQ(second.action_nl, "");
        EXPECT_EQ(second.plugin_id, "test.two_findings");
    }
}

TEST(MatrixBehaviour, AStrippedPluginLoadsAndWorks)
{
    LoggedRuntime r;
    EXPECT_EQ(drive(r, "stripped").size(), 1u);
}

TEST(MatrixBehaviour, AFindingSmallerThanV10IsRefusedAndEvaluateFailsWithTheReason)
{
    LoggedRuntime r;
    try {
        drive(r, "small_finding");
        FAIL() << "evaluate should fail";
    } catch (const host::HostError &e) {
        EXPECT_EQ(e.status(), JC_E_INVALID_ARGUMENT);
        EXPECT_THAT(e.what(), HasSubstr("evaluate failed: the host refused the finding (status -1)"));
    }
    EXPECT_THAT(r.log.str(), HasSubstr("[test.small_finding] emit_finding: struct_size 100 too small"));
}

TEST(MatrixBehaviour, AThrowingHookIsContained)
{
    LoggedRuntime r;
    host::BatchOutcome outcome;
    EXPECT_THROW(drive(r, "throws", &outcome), host::HostError);
    EXPECT_EQ(outcome.status, JC_E_INTERNAL);
    EXPECT_THAT(outcome.message, HasSubstr("handle_events threw: hook failed on purpose"));
}

TEST(MatrixBehaviour, ALibraryWhoseThreadOutlivesDeinitStaysLoaded)
{
    LoggedRuntime r;
    EXPECT_EQ(drive(r, "thread_left").size(), 1u);
    r.runtime.reset(); // the last deinit; unmapping the library now would crash the stray thread
    EXPECT_THAT(r.log.str(), HasSubstr("plugin test.thread_left: 1 thread(s) that started after it was loaded still run "
                                       "after its last deinit; the library is kept loaded"));
}

TEST(MatrixBehaviour, AWellBehavedLibraryIsUnloadedWithoutWarning)
{
    LoggedRuntime r;
    EXPECT_EQ(drive(r, "good").size(), 1u);
    r.runtime.reset();
    EXPECT_THAT(r.log.str(), ::testing::Not(HasSubstr("kept loaded")));
}

// ---------------------------------------------------------------------------------------------------------------
// The older host: built from the v1.0 headers (tests/abi/host_v1_0.c).

namespace {

DemoRun older_host(const fs::path &library, const std::string &scheme)
{
    return run_program(JC_TEST_HOST_V1_0, library.string() + " " + scheme);
}

fs::path shipped(const std::string &dir, const std::string &file) { return fs::path(JC_TEST_PLUGIN_DIR) / dir / file; }

// "rule kind subject due observed" of each finding, as the older host prints them.
std::multiset<std::string> printed(const std::string &out)
{
    std::multiset<std::string> lines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        if (line.rfind("finding: ", 0) == 0)
            lines.insert(line.substr(9, line.rfind(" size=") - 9));
    return lines;
}

} // namespace

TEST(OlderHost, RunsTheFrozenV10Plugin)
{
    const auto run = older_host(library("v1_0"), "test");
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_THAT(run.out, HasSubstr("loaded: abi 1.0 needs 1.0"));
    EXPECT_THAT(run.out, HasSubstr("ok: findings=1 accepted=13 skipped=1"));
}

TEST(OlderHost, RunsTodaysPluginThatNeedsOnly10AndReadsOnlyThe10Members)
{
    const auto run = older_host(library("good"), "test");
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_THAT(run.out, HasSubstr("loaded: abi 1." + std::to_string(JC_ABI_VERSION_MINOR) + " needs 1.0"));
    EXPECT_THAT(run.out, HasSubstr("size=" + std::to_string(sizeof(jc_finding)))); // larger than the host's 200
    EXPECT_THAT(run.out, HasSubstr("ok: findings=1 accepted=13 skipped=1"));
}

TEST(OlderHost, RefusesAPluginThatNeeds11WithTheReason)
{
    const auto run = older_host(library("needs_1_1"), "test");
    EXPECT_EQ(run.exit_code, 3);
    EXPECT_THAT(run.out, HasSubstr("refused: version: the plugin needs host ABI 1.1, this host has 1.0"));
}

TEST(OlderHost, RefusesAPluginOfAnotherMajor)
{
    const auto run = older_host(library("other_major"), "test");
    EXPECT_EQ(run.exit_code, 3);
    EXPECT_THAT(run.out, HasSubstr("refused: version: the plugin needs host ABI 2.0, this host has 1.0"));
}

TEST(OlderHost, GetsTheSameFindingsFromTheShippedPluginsAsTodaysHost)
{
    const std::pair<fs::path, std::string> cases[] = {{shipped("uwv", "jobcoach-uwv.so"), "uwv-extern"},
                                                      {shipped("gemeente", "jobcoach-gemeente.so"), "vpw"},
                                                      {shipped("gemeente", "jobcoach-gemeente.so"), "wsp-rijnmond"}};
    for (const auto &[lib, scheme] : cases) {
        SCOPED_TRACE(scheme);
        const auto run = older_host(lib, scheme);
        ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
        const auto old_findings = printed(run.out);
        EXPECT_FALSE(old_findings.empty());

        LoggedRuntime r;
        fs::path m = lib;
        ASSERT_TRUE(r.runtime->load_manifest(m.replace_extension(".plugin.json"))) << r.log.str();
        auto instance = r.runtime->create_instance(r.runtime->plugins()[0], {});
        Batch batch("E-OLDHOST", scheme.c_str());
        ASSERT_EQ(instance->handle_events(batch.events).status, JC_OK);
        std::multiset<std::string> today;
        for (const auto &f : instance->evaluate(JC_CONFORMANCE_AS_OF))
            today.insert(f.rule + " " + f.kind + " " + f.subject + " " + std::to_string(f.due) + " " +
                         std::to_string(f.observed_minutes.value_or(JC_NO_VALUE)));
        EXPECT_EQ(old_findings, today);
    }
}
