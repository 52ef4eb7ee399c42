// SPDX-License-Identifier: Apache-2.0
// End-to-end scenarios, one directory per scheme under tests/scenarios/: events.jsonl, as-of, an optional
// rulepacks/ directory handed to --rule-packs, and expected.jsonl, the findings jobcoach-demo must print.
// Each expected file was reviewed finding by finding against docs/rules.md; the unit tests pin the boundaries.
#include "e2e/demo_run.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const fs::path scenarios = fs::path(JC_TEST_SOURCE_DIR) / "tests" / "scenarios";

std::string read(const fs::path &p)
{
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string trim(std::string s)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

std::string args_for(const fs::path &dir)
{
    std::string args = "evaluate --events " + (dir / "events.jsonl").string() + " --as-of " + trim(read(dir / "as-of"));
    if (fs::is_directory(dir / "rulepacks"))
        args += " --rule-packs " + (dir / "rulepacks").string();
    return args;
}

class Scenario : public ::testing::TestWithParam<std::string> {};

} // namespace

TEST_P(Scenario, PrintsTheExpectedFindings)
{
    const fs::path dir = scenarios / GetParam();
    const DemoRun r = demo(args_for(dir));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, read(dir / "expected.jsonl")) << r.err;
    EXPECT_FALSE(r.out.empty());
}

TEST_P(Scenario, EveryFindingIsExplained)
{
    const DemoRun r = demo(args_for(scenarios / GetParam()) + " --explain");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        EXPECT_THAT(line, HasSubstr(R"("explanation":[")")) << "a finding without explanation lines";
        EXPECT_THAT(line, Not(HasSubstr(R"("explanation":[])")));
    }
}

INSTANTIATE_TEST_SUITE_P(Schemes, Scenario,
                         ::testing::Values("uwv-extern", "uwv-intern", "vpw", "wsp-rijnmond", "duinstad"),
                         [](const auto &info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST(MadeUpMunicipality, ItsPackIsLoadedAtRunTimeAndOnlyThen)
{
    const fs::path dir = scenarios / "duinstad";
    const std::string base = "evaluate --events " + (dir / "events.jsonl").string() + " --as-of 2026-11-23";
    const DemoRun without = demo(base);
    EXPECT_EQ(without.exit_code, 0) << without.err;
    EXPECT_THAT(without.out, Not(HasSubstr(R"("rule":"duinstad.)")));
    // Without its pack no plugin serves the scheme: its hours are reported, not lost.
    EXPECT_THAT(without.out, HasSubstr(R"("employee":"D-1","scheme":"duinstad","rule":"coaching.unassigned")"));
    const DemoRun with = demo(base + " --rule-packs " + (dir / "rulepacks").string());
    EXPECT_THAT(with.out, HasSubstr(R"("rule":"duinstad.hour-cap")"));
    // The pack's second cap, valid from 2026-07-01, applies to D-2's year that starts on that day only.
    EXPECT_THAT(with.out, HasSubstr(R"("employee":"D-1","scheme":"duinstad","rule":"duinstad.hour-cap","kind":"budget.exceeded","severity":"high","due":"2027-03-01","subject":"year#1","observed_minutes":1380,"limit_minutes":1200)"));
    EXPECT_THAT(with.out, HasSubstr(R"("employee":"D-2","scheme":"duinstad","rule":"duinstad.hour-cap","kind":"budget.warning","severity":"warning","due":"2027-06-30","subject":"year#1","observed_minutes":2520,"limit_minutes":3000)"));
}

TEST(MadeUpMunicipality, ABrokenPackIsRefusedWithItsFileAndMember)
{
    const fs::path dir = fs::temp_directory_path() / ("jc-bad-pack-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "bad.json") << R"({"scheme":"kapot","engine":"gemeente","rules":{"kapot.x":{"source":"s","role":"fly"}},"parameters":{}})";
    const DemoRun r = demo("evaluate --events " + (scenarios / "duinstad" / "events.jsonl").string() +
                           " --as-of 2026-11-23 --rule-packs " + dir.string());
    fs::remove_all(dir);
    EXPECT_EQ(r.exit_code, 2); // the user's own --rule-packs: bad input
    EXPECT_THAT(r.err, HasSubstr("bad.json: rule kapot.x: role 'fly' is not one of the gemeente engine's roles"));
}

// Issue 15 §5: a host pack whose every version starts in 2030 has no number for a year that starts in 2026.
// The earliest version used to apply to it; now the evaluation fails naming the pack, the parameter, the date
// and the employee, and prints no finding of that scheme.
TEST(MadeUpMunicipality, APackValidOnlyFromALaterDateIsAnErrorNotAppliedToEarlierYears)
{
    const fs::path dir = fs::temp_directory_path() / ("jc-later-pack-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::string pack = read(scenarios / "duinstad" / "rulepacks" / "duinstad.json");
    for (const auto &[from, to] : {std::pair{"2026-01-01", "2030-01-01"}, std::pair{"2026-07-01", "2030-07-01"}})
        for (size_t at = pack.find(from); at != std::string::npos; at = pack.find(from))
            pack.replace(at, 10, to);
    ASSERT_EQ(pack.find("\"2026-"), std::string::npos);
    std::ofstream(dir / "duinstad.json") << pack;
    const DemoRun r = demo("evaluate --events " + (scenarios / "duinstad" / "events.jsonl").string() +
                           " --as-of 2026-11-23 --rule-packs " + dir.string());
    fs::remove_all(dir);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_THAT(r.err, HasSubstr("evaluate as of 2026-11-23: employee D-1: " + (dir / "duinstad.json").string() +
                                 ": parameter "));
    EXPECT_THAT(r.err, HasSubstr("has no version valid on 2026-"));
    EXPECT_THAT(r.err, HasSubstr("(its earliest is valid from 2030-01-01)"));
    EXPECT_THAT(r.out, Not(HasSubstr(R"("rule":"duinstad.)")));
}

TEST(Status, ShowsPeriodBudgetAndNextDueDates)
{
    const std::string sample = std::string(JC_TEST_SOURCE_DIR) + "/host_demo/samples/sample-events.jsonl";
    const DemoRun r = demo("status --events " + sample + " --employee E-112 --as-of 2026-11-23");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // Lines wrap at 80 columns (a pipe's width); joined again, with every run of spaces one, each reads as one.
    const std::string shown = std::regex_replace(r.out, std::regex("\\s+"), " ");
    EXPECT_THAT(shown, HasSubstr("E-112 vpw trajectory #1, level midden"));
    EXPECT_THAT(shown, HasSubstr("runs 2025-03-03 to 2027-03-02 (maximum duration), maximum end 2027-03-02"));
    EXPECT_THAT(shown, HasSubstr("current year 2 2026-03-03 to 2027-03-02: used 20.00 h of 24.00 h, 4.00 h left (83%)"));
    EXPECT_THAT(shown, HasSubstr("2026-12-03 Evaluation report (every 3 months) #7 (vpw.evaluation)"));
    EXPECT_THAT(shown, HasSubstr("2026-09-03 Review: is coaching still needed #3 OVERDUE (vpw.necessity-review)"));
    EXPECT_THAT(shown, HasSubstr("hours 2026-Q2: 6.66 h (400 min)"));
    // In Dutch, the span and its days in Dutch words too ("huidig jaar", "huidige periode").
    const DemoRun dutch = demo("status --lang nl --events " + sample + " --employee E-112 --as-of 2026-11-23");
    const std::string dutch_shown = std::regex_replace(dutch.out, std::regex("\\s+"), " ");
    EXPECT_THAT(dutch_shown, HasSubstr("loopt 2025-03-03 t/m 2027-03-02 (maximale duur), uiterste einde 2027-03-02"));
    EXPECT_THAT(dutch_shown,
                HasSubstr("huidig jaar 2 2026-03-03 t/m 2027-03-02: 20,00 uur gebruikt van 24,00 uur, 4,00 uur over (83%)"));
    const DemoRun period = demo("status --lang nl --events " + sample + " --employee E-110 --as-of 2026-11-23");
    EXPECT_THAT(std::regex_replace(period.out, std::regex("\\s+"), " "),
                HasSubstr("huidige periode 2 2026-11-03 t/m 2027-11-02: 2,00 uur gebruikt van 62,56 uur"));

    const DemoRun intern = demo("status --events " + sample + " --employee E-110 --as-of 2026-11-23 --format jsonl");
    EXPECT_EQ(intern.exit_code, 0) << intern.err;
    EXPECT_THAT(intern.out, HasSubstr(R"("scheme":"uwv-intern","number":1,"level":"midden","start":"2025-11-03","max_end":"2028-05-02")"));
    EXPECT_THAT(intern.out, HasSubstr(R"("subsidy period#2":"EUR 2,700.00)"));

    const DemoRun nobody = demo("status --events " + sample + " --employee E-999 --as-of 2026-11-23");
    EXPECT_EQ(nobody.exit_code, 0);
    EXPECT_EQ(nobody.out, "E-999: unknown: no plugin holds any event of this employee\n");
    // Known, but without a trajectory: E-102 between its contract (2024-01-08) and its grant (2024-01-15); E-109,
    // whose hours are unassigned, never has one.
    for (const char *args : {"--employee E-102 --as-of 2024-01-10", "--employee E-109 --as-of 2026-11-23"}) {
        const DemoRun known = demo("status --events " + sample + " " + args);
        EXPECT_EQ(known.exit_code, 0) << known.err;
        EXPECT_THAT(known.out, HasSubstr(": no trajectory as of ")) << args;
        EXPECT_THAT(known.out, HasSubstr("hold events of this employee, but no coaching.granted opens one")) << args;
    }
    EXPECT_EQ(demo("status --events " + sample + " --employee E-102 --as-of 2024-01-07").out,
              "E-102: unknown: no plugin holds any event of this employee\n"); // nothing dated by then
}

// R-7 (docs/rules.md §8) and coaching.unassigned: every coaching minute outside an open trajectory is reported by
// exactly one finding, across both plugins, whichever scheme's trajectory it follows.
TEST(SettledReadings, R7_EveryMinuteOutsideAnOpenTrajectoryIsReportedExactlyOnce)
{
    const fs::path dir = fs::temp_directory_path() / ("jc-r7-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "events.jsonl") <<
        // A vpw trajectory that closed at the contract's end, then minutes (municipal: unassigned).
        R"({"id":"a1","type":"contract.started","employee":"E-1","date":"2026-01-05","employer":"W","weekly_hours":24,"end":"2026-06-30"})" "\n"
        R"({"id":"a2","type":"coaching.granted","employee":"E-1","date":"2026-01-05","scheme":"vpw","level":"midden"})" "\n"
        R"({"id":"a3","type":"timesheet.logged","employee":"E-1","date":"2026-03-02","minutes":60,"scheme":"vpw"})" "\n"
        R"({"id":"a4","type":"timesheet.logged","employee":"E-1","date":"2026-08-03","minutes":45,"scheme":"vpw"})" "\n"
        R"({"id":"a5","type":"timesheet.logged","employee":"E-1","date":"2026-08-04","minutes":30})" "\n"
        // No contract and no grant at all; and a scheme nobody runs (a typo).
        R"({"id":"b1","type":"timesheet.logged","employee":"E-2","date":"2026-03-02","minutes":50})" "\n"
        R"({"id":"c1","type":"contract.started","employee":"E-3","date":"2026-01-05","employer":"W","weekly_hours":30})" "\n"
        R"({"id":"c2","type":"timesheet.logged","employee":"E-3","date":"2026-03-02","minutes":40,"scheme":"uwv-extren"})" "\n"
        R"({"id":"c3","type":"timesheet.logged","employee":"E-3","date":"2026-03-03","minutes":40,"scheme":"wsp-rijnmond"})" "\n"
        // A UWV trajectory closed at the contract's end, then minutes (UWV: outside the contract).
        R"({"id":"d1","type":"contract.started","employee":"E-4","date":"2026-01-05","employer":"W","weekly_hours":30,"end":"2026-06-30"})" "\n"
        R"({"id":"d2","type":"coaching.granted","employee":"E-4","date":"2026-01-05","scheme":"uwv-extern","level":"midden"})" "\n"
        R"({"id":"d3","type":"timesheet.logged","employee":"E-4","date":"2026-08-03","minutes":45})" "\n";
    const DemoRun r = demo("evaluate --events " + (dir / "events.jsonl").string() + " --as-of 2026-11-23");
    fs::remove_all(dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto reports_of = [&](const std::string &entry) {
        std::vector<std::string> kinds;
        std::istringstream lines(r.out);
        for (std::string line; std::getline(lines, line);)
            if (line.find("\"subject\":\"" + entry + "\"") != std::string::npos) {
                const size_t k = line.find("\"kind\":\"") + 8;
                kinds.push_back(line.substr(k, line.find('"', k) - k));
            }
        return kinds;
    };
    EXPECT_EQ(reports_of("a3"), std::vector<std::string>{}); // inside the trajectory: counted
    EXPECT_EQ(reports_of("a4"), std::vector<std::string>{"coaching.unassigned"});
    EXPECT_EQ(reports_of("a5"), std::vector<std::string>{"coaching.unassigned"});
    EXPECT_EQ(reports_of("b1"), std::vector<std::string>{"coaching.unassigned"});
    EXPECT_EQ(reports_of("c2"), std::vector<std::string>{"coaching.unassigned"});
    EXPECT_EQ(reports_of("c3"), std::vector<std::string>{"coaching.unassigned"});
    EXPECT_EQ(reports_of("d3"), std::vector<std::string>{"coaching.outside_contract"});
}

// A grant of a scheme no plugin runs (a typo) is told once, by one plugin, with its id.
TEST(UnknownScheme, AGrantOfASchemeNoPluginRunsIsReportedOnce)
{
    const fs::path dir = fs::temp_directory_path() / ("jc-unknown-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "events.jsonl") <<
        R"({"id":"c1","type":"contract.started","employee":"E-1","date":"2026-01-05","employer":"W","weekly_hours":30})" "\n"
        R"({"id":"g1","type":"coaching.granted","employee":"E-1","date":"2026-01-05","scheme":"uwv-extren","level":"midden"})" "\n"
        R"({"id":"g2","type":"coaching.granted","employee":"E-1","date":"2026-01-05","scheme":"vpw","level":"midden"})" "\n";
    const DemoRun r = demo("evaluate --events " + (dir / "events.jsonl").string() + " --as-of 2026-03-01");
    fs::remove_all(dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    size_t unknown = 0;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);)
        if (line.find("\"kind\":\"grant.unknown_scheme\"") != std::string::npos) {
            ++unknown;
            EXPECT_THAT(line, HasSubstr("\"scheme\":\"uwv-extren\""));
            EXPECT_THAT(line, HasSubstr("\"subject\":\"g1\""));
            EXPECT_THAT(line, HasSubstr("which no plugin knows: a typo?"));
        }
    EXPECT_EQ(unknown, 1u) << r.out;
    EXPECT_THAT(r.out, Not(HasSubstr("\"subject\":\"g2\",\"kind\":\"grant.unknown_scheme")));
}
