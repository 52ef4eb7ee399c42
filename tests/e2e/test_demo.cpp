// SPDX-License-Identifier: Apache-2.0
// End-to-end: jobcoach-demo as a user runs it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/demo_run.hpp"

#include <jobcoach/host/inspect.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <sys/wait.h>

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const std::string sample = std::string(JC_TEST_SOURCE_DIR) + "/host_demo/samples/sample-events.jsonl";

fs::path temp(const std::string &name)
{
    const fs::path dir = fs::temp_directory_path() / ("jc-e2e-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

std::vector<std::string> lines(const std::string &s)
{
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);)
        out.push_back(l);
    return out;
}

} // namespace

TEST(Demo, SampleFindingsFollowTheRules)
{
    const DemoRun r = demo("evaluate --events " + sample + " --as-of 2026-11-23");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The seed's example: E-101's 8-month contract gives one 8-month period, reported 28 days after it.
    EXPECT_THAT(r.out, HasSubstr(R"({"employee":"E-101","scheme":"uwv-extern","rule":"uwv-extern.period-report","kind":"report.due","severity":"warning","due":"2026-11-29","subject":"period-report#1")"));
    EXPECT_THAT(r.out, HasSubstr(R"("rule":"uwv-extern.contract-end","kind":"report.overdue","severity":"high","due":"2026-11-08")"));
    EXPECT_THAT(r.out, HasSubstr(R"("employee":"E-103","scheme":"uwv-extern","rule":"uwv-extern.budget","kind":"budget.exceeded")"));
    EXPECT_THAT(r.out, HasSubstr(R"("employee":"E-106","scheme":"uwv-extern","rule":"uwv-extern.max-duration","kind":"trajectory.expired","severity":"critical","due":"2026-01-08")"));
    EXPECT_THAT(r.out, HasSubstr(R"("rule":"uwv-extern.extension-window","kind":"extension.window","severity":"info","due":"2026-12-28")"));
    EXPECT_THAT(r.out, HasSubstr(R"("rule":"uwv-extern.legal-max","kind":"grant.above_legal_max")"));
    EXPECT_THAT(r.out, HasSubstr(R"("rule":"jobcoaching.paid-work")"));
    EXPECT_THAT(r.out, HasSubstr(R"("rule":"coaching.unassigned")"));
    // Sorted by employee.
    const auto ls = lines(r.out);
    ASSERT_GT(ls.size(), 10u);
    EXPECT_TRUE(std::is_sorted(ls.begin(), ls.end(), [](const std::string &a, const std::string &b) {
        return a.substr(0, 20) < b.substr(0, 20);
    }));
}

TEST(Demo, TableAndCsvFormats)
{
    const DemoRun table = demo("evaluate --events " + sample + " --as-of 2026-11-23 --format table");
    ASSERT_EQ(table.exit_code, 0);
    EXPECT_THAT(table.out, HasSubstr("EMPLOYEE"));
    EXPECT_THAT(table.out, HasSubstr("source: Beleidsregel Protocol Jobcoach UWV 2014, A.8, A.8.1"));
    EXPECT_THAT(table.out, HasSubstr("to do: Notify UWV in writing of the end of the employment now: it was\n           due on 2026-11-08."));
    const DemoRun csv = demo("evaluate --events " + sample + " --as-of 2026-11-23 --format csv");
    ASSERT_EQ(csv.exit_code, 0);
    EXPECT_EQ(lines(csv.out).at(0), "\xEF\xBB\xBF" "employee,scheme,rule,kind,severity,due,subject,observed_minutes,limit_minutes,"
                                    "amount_cents,observed_hours,limit_hours,amount_eur,employer,message_en,message_nl,"
                                    "source,title_en,title_nl,action_en,action_nl,trajectory,id\r");
}

TEST(Demo, ABadLineExitsTwoNamesLineAndFieldAndAppliesNothing)
{
    const fs::path bad = temp("bad.jsonl");
    std::ofstream(bad) << R"({"id":"c1","type":"contract.started","employee":"E-1","date":"2026-01-05","employer":"ACME","weekly_hours":20})" "\n"
                       << R"({"id":"g1","type":"coaching.granted","employee":"E-1","date":"2026-01-05","scheme":"uwv-extern"})" "\n"
                       << R"({"id":"t1","type":"timesheet.logged","employee":"E-1","date":"2026-01-12","minutes":-90})" "\n";
    const fs::path state = temp("state.db");
    const DemoRun r = demo("evaluate --events " + bad.string() + " --as-of 2026-08-01 --state " + state.string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.err, HasSubstr(bad.string() + ":3: field 'minutes'"));
    EXPECT_THAT(r.err, HasSubstr("nothing was applied"));
    EXPECT_TRUE(r.out.empty());
    // Nothing stored: the state, fed an empty file, has no findings.
    const fs::path empty = temp("empty.jsonl");
    std::ofstream(empty) << "";
    const DemoRun after = demo("evaluate --events " + empty.string() + " --as-of 2026-08-01 --state " + state.string());
    EXPECT_EQ(after.exit_code, 0) << after.err;
    EXPECT_TRUE(after.out.empty()) << after.out;
    fs::remove_all(bad.parent_path());
}

TEST(Demo, ReplayIntoOneStateGivesTheFindingsOfOneImport)
{
    const fs::path state = temp("replay.db");
    const DemoRun once = demo("evaluate --events " + sample + " --as-of 2026-11-23");
    const DemoRun first = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state.string());
    const DemoRun second = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state.string());
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_EQ(first.out, once.out);
    EXPECT_EQ(second.out, once.out);
    fs::remove_all(state.parent_path());
}

TEST(Demo, StateKeepsEventsAcrossRunsWithLaterDates)
{
    // Feed up to one date, then evaluate later from the state alone: the stored events still count.
    const fs::path state = temp("later.db");
    ASSERT_EQ(demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state.string()).exit_code, 0);
    const fs::path empty = temp("none.jsonl");
    std::ofstream(empty) << "# nothing new\n";
    const DemoRun later = demo("evaluate --events " + empty.string() + " --as-of 2026-11-23 --state " + state.string());
    const DemoRun once = demo("evaluate --events " + sample + " --as-of 2026-11-23");
    EXPECT_EQ(later.out, once.out);
    fs::remove_all(state.parent_path());
}

TEST(Demo, BadArgumentsExitTwo)
{
    EXPECT_EQ(demo("evaluate --events " + sample + " --as-of 2026-02-30").exit_code, 2);
    EXPECT_EQ(demo("evaluate --events /nonexistent.jsonl --as-of 2026-02-01").exit_code, 2);
    EXPECT_EQ(demo("evaluate --as-of 2026-02-01").exit_code, 2);
    EXPECT_EQ(demo("evaluate --events " + sample + " --as-of 2026-01-01 --format xml").exit_code, 2);
}

TEST(Demo, PluginsListsLoadedAndRefusedPlugins)
{
    const DemoRun ours = demo("plugins");
    ASSERT_EQ(ours.exit_code, 0);
    EXPECT_THAT(ours.out, HasSubstr("loaded   nl.jobcoach.uwv"));
    EXPECT_THAT(ours.out, HasSubstr("schemes: uwv-extern"));
    const DemoRun tests = demo(std::string("plugins --plugins ") + JC_TEST_PLUGIN_ROOT);
    EXPECT_THAT(tests.out, HasSubstr("loaded   test.good"));
    EXPECT_THAT(tests.out, HasSubstr("version check: the manifest needs host ABI 1.8"));
    EXPECT_THAT(tests.out, HasSubstr("symbol check: the library does not export jc_plugin_entry_v1"));
}

TEST(Demo, EvaluateGoesOnWithTheGoodPluginsWhenOneIsRefused)
{
    const DemoRun r = demo("evaluate --events " + sample + " --as-of 2026-11-23 --plugins " + JC_TEST_PLUGIN_ROOT);
    // The refusals are logged; test.throws is contained (exit 1); test.good still gives its finding.
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr("version check: the manifest needs host ABI 1.8"));
    EXPECT_THAT(r.err, HasSubstr("plugin test.throws refused the events: handle_events threw: hook failed on purpose"));
    EXPECT_THAT(r.out, HasSubstr(R"("rule":"test.count")"));
}

// Each plugin evaluates right after its own import, on its thread: one that fails to evaluate is reported and
// shows no finding, and the others' findings are all there, as when they evaluate one after the other.
TEST(Demo, APluginThatFailsToEvaluateIsReportedAndTheOthersFindingsStay)
{
    const std::string args = "evaluate --events " + sample + " --as-of 2026-11-23";
    const DemoRun shipped = demo(args); // the plugins beside the executable
    ASSERT_EQ(shipped.exit_code, 0) << shipped.err;
    ASSERT_FALSE(shipped.out.empty());
    // ... and, found through JOBCOACH_PLUGIN_PATH, one that imports but fails to evaluate.
    const DemoRun r = run_program(std::string("JOBCOACH_PLUGIN_PATH=") + JC_TEST_EVALUATE_FAILS_ROOT + " " + JC_TEST_DEMO, args);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr("evaluate failed on purpose"));
    EXPECT_EQ(r.out, shipped.out);
}

TEST(Demo, AnAllowlistLoadsOnlyTheApprovedPlugins)
{
    const std::string uwv = std::string(JC_TEST_PLUGIN_DIR) + "/uwv/jobcoach-uwv.so";
    const std::string list = (std::filesystem::temp_directory_path() / ("jc-demo-allow-" + std::to_string(::getpid()))).string();
    { std::ofstream(list) << jobcoach::host::sha256_of_file(uwv) << "  jobcoach-uwv.so\n"; }
    const DemoRun r = demo("plugins --allowlist " + list);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("loaded   nl.jobcoach.uwv"));
    EXPECT_THAT(r.out, HasSubstr("allowlist check"));
    EXPECT_THAT(r.out, HasSubstr("jobcoach-gemeente.so is not in the host's allowlist"));
    { std::ofstream(list) << "xyz\n"; }
    const DemoRun bad = demo("plugins --allowlist " + list);
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_THAT(bad.err, HasSubstr("--allowlist: " + list + ":1: not a SHA-256"));
    std::filesystem::remove(list);
}

// docs/formats.md `id`: unique among one evaluation's findings, in every output, and the calendar's UIDs are the ids
// of the findings its entries become (a host's task and a calendar entry of one duty match).
TEST(FindingIdentity, EveryFindingHasAUniqueIdInEveryFormatAndTheCalendarUsesThem)
{
    const fs::path dir = fs::temp_directory_path() / ("jc-ids-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string events = (dir / "tenant.jsonl").string();
    ASSERT_EQ(demo("generate --employees 400 --years 3 --start 2024-01-01 --seed 7 -o " + events).exit_code, 0);
    const DemoRun r = demo("evaluate --events " + events + " --as-of 2026-06-30");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::regex id_member(R"re("id":"([0-9a-f]{16})")re");
    std::set<std::string> ids;
    size_t lines = 0;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line); ++lines) {
        std::smatch m;
        ASSERT_TRUE(std::regex_search(line, m, id_member)) << line;
        EXPECT_TRUE(ids.insert(m[1]).second) << "a second finding with id " << m[1] << ": " << line;
    }
    EXPECT_GT(lines, 500u);
    const DemoRun csv = demo("evaluate --events " + events + " --as-of 2026-06-30 --format csv");
    for (const auto &id : {*ids.begin(), *ids.rbegin()})
        EXPECT_THAT(csv.out, HasSubstr("," + id + "\r\n"));
    const DemoRun table = demo("evaluate --events " + events + " --as-of 2026-06-30 --format table");
    EXPECT_THAT(table.out, HasSubstr("id: " + *ids.begin()));
    fs::remove_all(dir);

    // The sample's report.due findings lie ahead of the as-of date: each is an entry of the calendar, by its id.
    const DemoRun sample_findings = demo("evaluate --events " + sample + " --as-of 2026-11-23");
    const DemoRun ics = demo("report --format ics --events " + sample + " --as-of 2026-11-23");
    ASSERT_EQ(ics.exit_code, 0) << ics.err;
    size_t matched = 0;
    std::istringstream findings(sample_findings.out);
    for (std::string line; std::getline(findings, line);) {
        std::smatch m;
        if (line.find(R"("kind":"report.due")") == std::string::npos || !std::regex_search(line, m, id_member))
            continue;
        EXPECT_THAT(ics.out, HasSubstr("UID:" + m[1].str() + "@jobcoach")) << line;
        ++matched;
    }
    EXPECT_GE(matched, 3u);
}

// FORMATS.md `message_nl`, `message_en` (and the titles and actions): each language in its own words and
// numbers, as an HR user reads them. A Dutch text has no English word of a unit ("7 day(s)", "1 month(s)",
// "h") and no decimal point ("7.5 %", "0.33"); an English text has no Dutch unit ("dag(en)", "uur", "t/m")
// and no decimal comma; every text opens with a capital. Over the sample (contact.missed,
// budget.transfer_possible, a cluster of one day) and a generated tenant (every budget's percentage, the visit
// frequencies, the subsidy), with explanations.
TEST(Texts, EachLanguageWritesItsOwnWordsAndNumbers)
{
    const fs::path dir = fs::temp_directory_path() / ("jc-texts-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string events = (dir / "tenant.jsonl").string();
    ASSERT_EQ(demo("generate --employees 400 --years 3 --start 2024-01-01 --seed 7 -o " + events).exit_code, 0);
    std::string out;
    for (const auto &[file, as_of] : {std::pair{sample, "2026-11-23"}, std::pair{events, "2025-06-30"},
                                      std::pair{events, "2026-06-30"}, std::pair{events, "2026-12-31"}}) {
        const DemoRun r = demo("evaluate --explain --events " + file + " --as-of " + as_of);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        out += r.out;
    }
    fs::remove_all(dir);

    const std::regex kind_member(R"re("kind":"([^"]+)")re");
    const std::regex english_in_dutch(
        R"re(\b(day|days|month|months|weeks|hour|hours|visit|visits)\b|\d h\b|\d\.\d{1,2}(?![\d.,]))re");
    const std::regex dutch_in_english(
        R"re(\w\(en\)|\b(dag|dagen|maand|maanden|uur|weken|bezoek|bezoeken)\b|t/m|€|\d,\d{1,2}(?!\d))re");
    const std::regex same_date_twice(R"re((tussen|between) (\d{4}-\d\d-\d\d) (en|and) \2)re");
    std::set<std::string> kinds;
    size_t texts = 0;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        std::smatch kind;
        ASSERT_TRUE(std::regex_search(line, kind, kind_member)) << line;
        kinds.insert(kind[1]);
        for (const std::string field : {"message_nl", "title_nl", "action_nl", "message_en", "title_en", "action_en"}) {
            const size_t at = line.find("\"" + field + "\":\"");
            if (at == std::string::npos)
                continue;
            std::string text; // the JSON string up to its closing quote, an escaped character kept as it is
            for (size_t i = at + field.size() + 4; i < line.size() && line[i] != '"'; ++i)
                text += line[i] == '\\' && i + 1 < line.size() ? line[++i] : line[i];
            ++texts;
            const bool dutch = field.ends_with("_nl");
            std::smatch wrong;
            EXPECT_FALSE(std::regex_search(text, wrong, dutch ? english_in_dutch : dutch_in_english))
                << kind[1] << " " << field << " has \"" << wrong[0] << "\": " << text;
            EXPECT_FALSE(std::regex_search(text, wrong, same_date_twice))
                << kind[1] << " " << field << " has \"" << wrong[0] << "\": " << text;
            EXPECT_FALSE(text.empty() || (text[0] >= 'a' && text[0] <= 'z'))
                << kind[1] << " " << field << " opens in lower case: " << text;
        }
    }
    EXPECT_GT(texts, 3000u);
    for (const char *k : {"visits.below_package", "contact.missed", "budget.transfer_possible", "visits.cluster",
                          "budget.warning", "budget.exceeded", "subsidy.repayment_risk", "grant.above_legal_max",
                          "visit.overdue", "report.overdue", "trajectory.expiring"})
        EXPECT_TRUE(kinds.count(k)) << "no " << k << " among the findings checked";
}

// docs/formats.md `evaluate --employee KEY`: that employee's findings and the employer-level ones that name the
// employee, exactly the lines of a whole evaluation that concern the employee, for every employee of the sample
// (E-115 gets the cluster of visits filed under E-114) and for one no plugin knows (nothing).
TEST(EmployeeFindings, AreTheLinesOfTheWholeEvaluationThatNameTheEmployee)
{
    const std::string base = "evaluate --events " + sample + " --as-of 2026-11-23";
    const DemoRun all = demo(base);
    ASSERT_EQ(all.exit_code, 0) << all.err;
    std::set<std::string> keys;
    const std::regex employee_member(R"re("employee":"([^"]+)")re");
    std::istringstream in(all.out);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
        std::smatch m;
        ASSERT_TRUE(std::regex_search(line, m, employee_member));
        keys.insert(m[1]);
    }
    ASSERT_GE(keys.size(), 10u);
    keys.insert("E-NOBODY");
    for (const auto &key : keys) {
        std::string expected;
        for (const auto &line : lines)
            if (line.find(R"("employee":")" + key + "\"") != std::string::npos ||
                line.find("\"" + key + "\"]") != std::string::npos || line.find("\"" + key + "\",") != std::string::npos)
                expected += line + "\n";
        const DemoRun one = demo(base + " --employee " + key);
        EXPECT_EQ(one.exit_code, 0) << one.err;
        EXPECT_EQ(one.out, expected) << key;
    }
    const DemoRun e115 = demo(base + " --employee E-115");
    EXPECT_THAT(e115.out, HasSubstr(R"("rule":"wsp-rijnmond.cluster")"));
}

namespace {

// A contract and a zeer-licht uwv-extern grant (period#1: 15.50 h = 930 min), `entries` hours of coaching from
// 2026-01-12, and retractions of the first `retracted` of them.
std::string lifecycle_events(int entries, int retracted)
{
    std::string out =
        R"({"id":"c1","type":"contract.started","employee":"E-L","date":"2026-01-05","employer":"ACME","weekly_hours":20})" "\n"
        R"({"id":"g1","type":"coaching.granted","employee":"E-L","date":"2026-01-05","scheme":"uwv-extern","level":"zeer-licht"})" "\n";
    for (int i = 0; i < entries; ++i)
        out += R"({"id":"t)" + std::to_string(i) + R"(","type":"timesheet.logged","employee":"E-L","date":"2026-01-)" +
               std::to_string(12 + i) + R"(","minutes":60})" "\n";
    for (int i = 0; i < retracted; ++i)
        out += R"({"id":"r)" + std::to_string(i) + R"(","type":"timesheet.retracted","employee":"E-L","date":"2026-02-01","retracts":"t)" +
               std::to_string(i) + R"("})" "\n";
    return out;
}

} // namespace

// docs/formats.md `changes`, each run a new process on the same state: new, then nothing, then updated (the warning
// became an overrun under the same id), then resolved (retracted entries took the budget under 80 %), printed
// as last reported.
TEST(Changes, NewThenNothingThenUpdatedThenResolvedAcrossRestarts)
{
    const fs::path dir = fs::temp_directory_path() / ("jc-changes-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string state = (dir / "tenant").string(), events = (dir / "events.jsonl").string();
    auto run = [&](int entries, int retracted) {
        std::ofstream(events) << lifecycle_events(entries, retracted);
        const DemoRun r = demo("changes --events " + events + " --as-of 2026-03-01 --state " + state);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    };
    const std::regex budget_line(R"re(.*"rule":"uwv-extern\.budget","kind":"([a-z.]+)".*"id":"([0-9a-f]{16})","change":"([a-z]+)".*)re");
    auto only_line = [&](const std::string &out) {
        std::smatch m;
        EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
        EXPECT_TRUE(std::regex_search(out, m, budget_line)) << out;
        return std::vector<std::string>{m[1], m[2], m[3]};
    };
    const auto first = only_line(run(13, 0)); // 780 of 930 min: 84 %
    EXPECT_EQ(first[0], "budget.warning");
    EXPECT_EQ(first[2], "new");
    EXPECT_EQ(run(13, 0), "") << "nothing changed, nothing printed";
    const auto second = only_line(run(16, 0)); // 960 min: over
    EXPECT_EQ(second[0], "budget.exceeded");
    EXPECT_EQ(second[1], first[1]);
    EXPECT_EQ(second[2], "updated");
    EXPECT_EQ(run(16, 0), "");
    const auto third = only_line(run(16, 10)); // 360 min
    EXPECT_EQ(third[0], "budget.exceeded") << "a resolved finding is printed as last reported";
    EXPECT_EQ(third[1], first[1]);
    EXPECT_EQ(third[2], "resolved");
    EXPECT_EQ(run(16, 10), "");
    fs::remove_all(dir);
}

// The demo evaluates its plugins at once, a thread each (run under ThreadSanitizer too: the name puts it in the
// tsan preset's tests). What it prints is what each plugin alone gives, together.
TEST(Concurrency, TheDemoEvaluatesThePluginsAtOnceAndPrintsWhatEachAloneGives)
{
    const fs::path events = temp("at-once.jsonl");
    ASSERT_EQ(demo("generate --employees 300 --years 2 --seed 7 -o " + events.string()).exit_code, 0);
    const std::string args = " --events " + events.string() + " --as-of 2022-06-30";
    const DemoRun both = demo("evaluate" + args + " --state " + temp("at-once").string());
    ASSERT_EQ(both.exit_code, 0) << both.err;
    EXPECT_THAT(both.err, Not(HasSubstr("ThreadSanitizer")));
    std::vector<std::string> expected;
    for (const char *plugin : {"uwv", "gemeente"}) {
        const DemoRun alone = demo("evaluate --plugins " + std::string(JC_TEST_PLUGIN_DIR) + "/" + plugin + args);
        ASSERT_EQ(alone.exit_code, 0) << alone.err;
        const auto theirs = lines(alone.out);
        ASSERT_GT(theirs.size(), 100u) << plugin;
        expected.insert(expected.end(), theirs.begin(), theirs.end());
    }
    auto got = lines(both.out);
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(got, expected);
    // Evaluating the states again (nothing to import) gives the same, in the same order.
    const fs::path none = temp("none-at-once.jsonl");
    std::ofstream(none) << "# nothing new\n";
    const DemoRun again = demo("evaluate --events " + none.string() + " --as-of 2022-06-30 --state " +
                               temp("at-once").string());
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out, both.out);
    fs::remove_all(events.parent_path());
}
