// SPDX-License-Identifier: Apache-2.0
// The gemeente plugin at its ABI, as a host loads it (the built library, through the host runtime): the
// municipal scenarios' events in, its findings out with their identity, one employee's findings computed alone,
// the change feed across a correction, its status, and erasure.
#include <jobcoach/dates.hpp>
#include <jobcoach/host/event_file.hpp>

#include <jobcoach/host/runtime.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>

using namespace jobcoach;
using testing::HasSubstr;

namespace {

namespace fs = std::filesystem;

constexpr jc_date as_of = 20780; // 2026-11-23, the scenarios' date

// The events of both municipal scenarios (vpw and wsp-rijnmond), and the gemeente plugin loaded from the build.
struct Gemeente {
    host::EventFile vpw = host::read_events(std::string(JC_TEST_SOURCE_DIR) + "/tests/scenarios/vpw/events.jsonl");
    host::EventFile wsp = host::read_events(std::string(JC_TEST_SOURCE_DIR) + "/tests/scenarios/wsp-rijnmond/events.jsonl");
    std::vector<const host::Event *> pointers;
    std::unique_ptr<host::AbiEvents> abi;
    host::Runtime runtime{std::make_shared<spdlog::logger>("gemeente", std::make_shared<spdlog::sinks::null_sink_mt>())};
    std::shared_ptr<host::Plugin> plugin;

    Gemeente()
    {
        for (const auto *file : {&vpw, &wsp})
            for (const auto &e : file->events)
                pointers.push_back(&e);
        abi = std::make_unique<host::AbiEvents>(pointers);
        runtime.load_directory(fs::path(JC_TEST_PLUGIN_DIR) / "gemeente");
        if (runtime.plugins().size() == 1)
            plugin = runtime.plugins().front();
    }
    std::unique_ptr<host::Instance> fed(const std::string &state = "")
    {
        auto instance = runtime.create_instance(plugin, {state, ""});
        const auto outcome = instance->handle_events(abi->headers());
        EXPECT_EQ(outcome.status, JC_OK) << outcome.message;
        return instance;
    }
};

std::map<std::string, host::Finding> by_id(const std::vector<host::Finding> &findings)
{
    std::map<std::string, host::Finding> out;
    for (const auto &f : findings)
        EXPECT_TRUE(out.emplace(f.id, f).second) << "two findings share id " << f.id;
    return out;
}

struct TempState {
    fs::path dir = fs::temp_directory_path() / ("jc-gemeente-" + std::to_string(::getpid()) + "-" +
                                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    TempState() { fs::create_directories(dir); }
    ~TempState() { fs::remove_all(dir); }
    std::string path() const { return (dir / "state.nl.jobcoach.gemeente").string(); }
};

} // namespace

TEST(GemeentePlugin, LoadsWithItsSchemesAndGivesEveryFindingAnIdentity)
{
    Gemeente g;
    ASSERT_TRUE(g.plugin) << "the gemeente plugin did not load from " << JC_TEST_PLUGIN_DIR;
    const auto &info = host::Runtime::info(*g.plugin);
    EXPECT_EQ(info.id, "nl.jobcoach.gemeente");
    EXPECT_EQ(info.schemes, (std::vector<std::string>{"vpw", "wsp-rijnmond"}));
    const auto findings = g.fed()->evaluate(as_of);
    ASSERT_GT(findings.size(), 5u);
    std::set<std::string> rules;
    for (const auto &f : by_id(findings)) {
        EXPECT_THAT(f.second.scheme, testing::AnyOf("vpw", "wsp-rijnmond")) << f.second.rule;
        EXPECT_EQ(f.first.size(), 16u);
        EXPECT_EQ(f.first.find_first_not_of("0123456789abcdef"), std::string::npos) << f.first;
        EXPECT_FALSE(f.second.message_nl.empty());
        EXPECT_FALSE(f.second.source.empty());
        if (f.second.employees.empty()) { // an employee's finding: of a trajectory of that employee
            EXPECT_GE(f.second.trajectory, 1u) << f.second.rule;
        }
        rules.insert(f.second.rule);
    }
    // Both schemes' rules fire on their scenarios: the vpw plan and hour cap, the wsp visits.
    EXPECT_TRUE(std::any_of(rules.begin(), rules.end(), [](const std::string &r) { return r.rfind("vpw.", 0) == 0; }));
    EXPECT_TRUE(std::any_of(rules.begin(), rules.end(), [](const std::string &r) { return r.rfind("wsp-rijnmond.", 0) == 0; }));
}

TEST(GemeentePlugin, OneEmployeesFindingsComputedAloneAreThatEmployeesShareOfEveryones)
{
    Gemeente g;
    ASSERT_TRUE(g.plugin);
    auto instance = g.fed();
    const auto all = instance->evaluate(as_of);
    // An employer-level finding among them: a query for one of its employees reads that employee's co-workers.
    ASSERT_TRUE(std::any_of(all.begin(), all.end(), [](const host::Finding &f) { return !f.employees.empty(); }));
    std::set<std::string> employees;
    for (const auto *e : g.pointers)
        employees.insert(e->employee);
    ASSERT_GE(employees.size(), 3u);
    for (const auto &employee : employees) {
        bool alone = false;
        const auto mine = by_id(instance->evaluate_employees({employee}, as_of, &alone));
        EXPECT_TRUE(alone) << "jc.findings/1 computes one employee's findings";
        std::map<std::string, host::Finding> expected;
        for (const auto &f : all)
            if (f.employee == employee ||
                std::find(f.employees.begin(), f.employees.end(), employee) != f.employees.end())
                expected.emplace(f.id, f);
        ASSERT_EQ(mine.size(), expected.size()) << employee;
        for (const auto &[id, f] : expected) {
            ASSERT_EQ(mine.count(id), 1u) << employee << ": " << f.rule << " " << f.kind;
            EXPECT_EQ(mine.at(id).kind, f.kind);
            EXPECT_EQ(mine.at(id).due, f.due);
            EXPECT_EQ(mine.at(id).message_en, f.message_en);
        }
    }
}

TEST(GemeentePlugin, TheChangeFeedAcrossRestartsAndACorrectionAndAnErasure)
{
    TempState state;
    Gemeente g;
    ASSERT_TRUE(g.plugin);
    size_t first = 0;
    {
        auto instance = g.fed(state.path());
        const auto changes = instance->evaluate_changes(nullptr, as_of);
        ASSERT_TRUE(changes);
        for (const auto &f : *changes)
            EXPECT_EQ(f.change, JC_CHANGE_NEW) << f.rule;
        first = changes->size();
        EXPECT_EQ(first, instance->evaluate(as_of).size());
    }
    // A restart with nothing new: no change.
    auto instance = g.runtime.create_instance(g.plugin, {state.path(), ""});
    ASSERT_TRUE(instance->evaluate_changes(nullptr, as_of));
    EXPECT_TRUE(instance->evaluate_changes(nullptr, as_of)->empty());

    // A correction: the host retracts one employee's grant (event.retracted). That employee's trajectory
    // findings resolve; nobody else's change.
    const host::Event *grant = nullptr;
    for (const auto *e : g.pointers)
        if (e->type == JC_EVENT_COACHING_GRANTED && e->scheme == "vpw") {
            grant = e;
            break;
        }
    ASSERT_NE(grant, nullptr);
    const std::string employee = grant->employee;
    std::vector<std::string> before_of_employee;
    for (const auto &f : instance->evaluate_employees({employee}, as_of))
        before_of_employee.push_back(f.id);
    ASSERT_FALSE(before_of_employee.empty());
    host::Event retraction;
    retraction.type = JC_EVENT_EVENT_RETRACTED;
    retraction.id = "correction-1";
    retraction.employee = employee;
    retraction.date = as_of;
    retraction.retracts = grant->id;
    const host::Event *one[] = {&retraction};
    const host::AbiEvents correction(one);
    ASSERT_EQ(instance->handle_events(correction.headers()).status, JC_OK);
    const auto changes = instance->evaluate_changes(nullptr, as_of);
    ASSERT_TRUE(changes);
    ASSERT_FALSE(changes->empty());
    for (const auto &f : *changes) {
        EXPECT_EQ(f.employee, employee) << "only the corrected employee's findings change: " << f.rule;
        if (f.change == JC_CHANGE_RESOLVED) {
            EXPECT_NE(std::find(before_of_employee.begin(), before_of_employee.end(), f.id), before_of_employee.end());
        }
    }

    // Erasure: the employee is gone from the plugin; the others keep their findings.
    const auto others_before = [&] {
        std::vector<std::string> ids;
        for (const auto &f : instance->evaluate(as_of))
            if (f.employee != employee)
                ids.push_back(f.id);
        return ids;
    }();
    const auto erased = instance->erase_employee(employee);
    ASSERT_TRUE(erased);
    EXPECT_GT(erased->events, 0u);
    EXPECT_EQ(instance->knows(employee), std::optional<bool>(false));
    std::vector<std::string> after;
    for (const auto &f : instance->evaluate(as_of)) {
        EXPECT_NE(f.employee, employee);
        after.push_back(f.id);
    }
    EXPECT_EQ(after, others_before);
}

TEST(GemeentePlugin, StatusReportsEachTrajectoryOfAMunicipalEmployee)
{
    Gemeente g;
    ASSERT_TRUE(g.plugin);
    auto instance = g.fed();
    std::map<std::string, size_t> grants; // employee -> its municipal grants
    for (const auto *e : g.pointers)
        if (e->type == JC_EVENT_COACHING_GRANTED)
            ++grants[e->employee];
    ASSERT_FALSE(grants.empty());
    for (const auto &[employee, count] : grants) {
        const auto status = instance->status(employee, as_of);
        ASSERT_TRUE(status) << "the gemeente plugin offers jc.status/1";
        ASSERT_FALSE(status->empty()) << employee;
        for (const auto &t : *status) {
            EXPECT_EQ(t.employee, employee);
            EXPECT_THAT(t.scheme, testing::AnyOf("vpw", "wsp-rijnmond"));
            EXPECT_GE(t.number, 1);
            EXPECT_NE(t.start, JC_DATE_NONE);
        }
        EXPECT_LE(status->size(), count) << "at most one trajectory per grant";
    }
    EXPECT_EQ(instance->knows("E-nobody"), std::optional<bool>(false));
}

namespace {

// Every trajectory status of the employees of both scenarios.
std::vector<host::TrajectoryStatus> statuses_of(const Gemeente &g, host::Instance &instance)
{
    std::set<std::string> employees;
    for (const auto *e : g.pointers)
        employees.insert(e->employee);
    std::vector<host::TrajectoryStatus> out;
    for (const auto &employee : employees)
        if (auto found = instance.status(employee, as_of))
            std::move(found->begin(), found->end(), std::back_inserter(out));
    return out;
}

// A copy of the shipped common pack with a second version of budget_warning_pct (90, from 2026-01-01) and of
// report_lead_days (21, from 2026-10-01), in a directory of its own (a host's rule_pack_dir).
fs::path common_pack_with_2026_versions()
{
    std::ifstream in(std::string(JC_TEST_SOURCE_DIR) + "/plugins/common/rulepacks/common.json");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto add_version = [&](const std::string &name, const char *valid_from, int value) {
        const size_t at = text.find("\"" + name + "\": [");
        const size_t end = at == std::string::npos ? at : text.find("\n    ]", at);
        if (end == std::string::npos)
            throw std::runtime_error("the shipped common pack has no " + name);
        text.insert(end, ",\n      { \"valid_from\": \"" + std::string(valid_from) + "\", \"value\": " +
                             std::to_string(value) + ", \"source\": \"test\" }");
    };
    add_version("budget_warning_pct", "2026-01-01", 90);
    add_version("report_lead_days", "2026-10-01", 21);
    const fs::path dir = fs::temp_directory_path() / ("jc-packs-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec);
    std::ofstream(dir / "common.json") << text;
    fs::permissions(dir / "common.json", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                             fs::perms::others_read);
    return dir;
}

} // namespace

// ABI 1.3: what a host shows about a rule comes through jc.status/1, as the rule itself uses it: the warning
// threshold of each budget span (C-8), the lead of each open due (C-7's report lead, wsp-rijnmond's own visit lead
// of 7 days), none for a satisfied one, and the expiring lead of a trajectory that runs to its maximum end (C-9).
TEST(GemeentePlugin, StatusCarriesTheLeadTimesAndTheWarningThresholdTheRulesUse)
{
    Gemeente g;
    ASSERT_TRUE(g.plugin);
    auto instance = g.fed();
    size_t budgets = 0, open_reports = 0, visits = 0, satisfied = 0, expiring = 0;
    for (const auto &t : statuses_of(g, *instance)) {
        for (const auto &b : t.budgets) {
            EXPECT_EQ(b.warning_pct, 80) << t.employee << " " << b.subject;
            ++budgets;
        }
        for (const auto &d : t.dues) {
            const int32_t want = d.satisfied ? -1 : d.kind == "visit" || d.kind == "contact" ? 7 : 14;
            EXPECT_EQ(d.lead_days, want) << t.employee << " " << d.rule << " #" << d.number;
            (d.satisfied ? satisfied : d.kind == "visit" || d.kind == "contact" ? visits : open_reports) += 1;
        }
        EXPECT_EQ(t.max_end_lead_days, t.close_reason == "max-duration" ? 90 : -1) << t.employee;
        expiring += t.close_reason == "max-duration";
    }
    EXPECT_GT(budgets, 0u);
    EXPECT_GT(open_reports, 0u);
    EXPECT_GT(visits, 0u);
    EXPECT_GT(satisfied, 0u);
    EXPECT_GT(expiring, 0u);
}

// A finding's explanation cites a number with the version it used (Params::cite_integer_into): a report's lead
// is the one valid on its due date; a budget's warning threshold is cited with its pack, version and source.
TEST(GemeentePlugin, AnExplanationCitesTheVersionOfANumberValidOnTheDateTheRuleReadsItOn)
{
    Gemeente g;
    ASSERT_TRUE(g.plugin);
    const fs::path packs = common_pack_with_2026_versions();
    auto instance = g.runtime.create_instance(g.plugin, {"", packs.string()});
    ASSERT_EQ(instance->handle_events(g.abi->headers()).status, JC_OK);
    const jc_date lead_changes = *dates::parse("2026-10-01");
    const std::string lead_before = "\nlead: 14 (rule pack common, report_lead_days, valid from 2000-01-01; "
                                    "docs/rules.md C-7 (engine default))";
    const std::string lead_after = "\nlead: 21 (rule pack common, report_lead_days, valid from 2026-10-01; test)";
    size_t before = 0, after = 0, budgets = 0;
    for (const auto &f : instance->evaluate(as_of)) {
        if (f.explanation.find("\nreports of this kind filed: ") != std::string::npos) {
            ASSERT_NE(f.due, JC_DATE_NONE) << f.id;
            const bool later = f.due >= lead_changes;
            const std::string &want = later ? lead_after : lead_before;
            EXPECT_TRUE(f.explanation.size() >= want.size() &&
                        f.explanation.compare(f.explanation.size() - want.size(), want.size(), want) == 0)
                << f.id << " due " << f.due << ":\n" << f.explanation;
            (later ? after : before) += 1;
        }
    }
    // With the shipped packs (the second threshold, 90 %, leaves no warning here).
    for (const auto &f : g.fed()->evaluate(as_of))
        if (f.kind == "budget.warning" || f.kind == "budget.exceeded") {
            EXPECT_NE(f.explanation.find("\nwarning from (%, while the span is current): 80 (rule pack common, "
                                         "budget_warning_pct, valid from 2000-01-01; docs/rules.md C-8 (engine "
                                         "default))"),
                      std::string::npos)
                << f.id << ":\n" << f.explanation;
            ++budgets;
        }
    EXPECT_GT(before, 0u);
    EXPECT_GT(after, 0u);
    EXPECT_GT(budgets, 0u);
    fs::remove_all(packs);
}

// A number with a second version: the threshold valid on each span's first day, the lead valid on each due date,
// as the rules read them, not the value valid on the evaluation date (2026-11-23, after both changes).
TEST(GemeentePlugin, StatusGivesTheVersionValidOnTheDateTheRuleReadsItOn)
{
    Gemeente g;
    ASSERT_TRUE(g.plugin);
    const fs::path packs = common_pack_with_2026_versions();
    auto instance = g.runtime.create_instance(g.plugin, {"", packs.string()});
    ASSERT_EQ(instance->handle_events(g.abi->headers()).status, JC_OK);
    const jc_date threshold_changes = *dates::parse("2026-01-01"), lead_changes = *dates::parse("2026-10-01");
    size_t spans_before = 0, spans_after = 0, dues_before = 0, dues_after = 0;
    for (const auto &t : statuses_of(g, *instance)) {
        for (const auto &b : t.budgets) {
            EXPECT_EQ(b.warning_pct, b.first < threshold_changes ? 80 : 90) << t.employee << " " << b.subject;
            (b.first < threshold_changes ? spans_before : spans_after) += 1;
        }
        for (const auto &d : t.dues)
            if (!d.satisfied && d.kind != "visit" && d.kind != "contact") {
                EXPECT_EQ(d.lead_days, d.due < lead_changes ? 14 : 21) << t.employee << " " << d.rule << " #" << d.number;
                (d.due < lead_changes ? dues_before : dues_after) += 1;
            }
    }
    EXPECT_GT(spans_before, 0u);
    EXPECT_GT(spans_after, 0u);
    EXPECT_GT(dues_before, 0u);
    EXPECT_GT(dues_after, 0u);
    fs::remove_all(packs);
}
