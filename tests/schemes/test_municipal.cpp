// SPDX-License-Identifier: Apache-2.0
// docs/rules.md §4 (vpw) and §5 (wsp-rijnmond), run by the rule-pack-driven gemeente engine, on their boundaries: the
// day before, on and after each due date; exactly 80 % and 100 % of a cap; month ends; leap years. Also the
// engine's own contract: effective dating and a pack's roles.
#include "engine/fixtures.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace jobcoach::test;
using jobcoach::rules::Activity;
using jobcoach::rules::add_days;
using jobcoach::rules::RulePack;
using jobcoach::rules::RulePackSet;

namespace {

// A contract of `hours` a week and a grant of `level` in `scheme`, both from `start`.
Scenario municipal(const char *scheme, const char *start, const char *level, double hours = 24)
{
    Scenario s;
    s.scheme = scheme;
    s.contract(start, hours);
    s.grant(start, level);
    return s;
}

std::vector<std::string> subjects(const std::vector<Finding> &fs)
{
    std::vector<std::string> out;
    for (const auto &f : fs)
        out.push_back(f.subject);
    return out;
}

Event &transfer(Scenario &s, const char *date, int32_t minutes, const char *justification = "Langdurig ziek.")
{
    Event &e = s.add(EventType::budget_transferred, date);
    e.scheme = s.scheme;
    e.minutes = minutes;
    e.justification = justification;
    return e;
}

// An employee of the wsp-rijnmond scenario `s`: a contract of 32 hours a week and a grant of pakket-1 from
// `start` (its next visit due a month after it), at `employer` (the scenario's own when null).
void wsp_employee(Scenario &s, const char *key, const char *start, const char *employer = nullptr)
{
    s.employee = key;
    Event &contract = s.contract(start, 32);
    if (employer != nullptr)
        contract.employer = employer;
    s.grant(start, "pakket-1");
}

} // namespace

// vpw.plan, vpw.evaluation, vpw.plan-revision, vpw.necessity-review ---------------------------------------------

TEST(VpwPlan, DueFourteenDaysAfterTheStart)
{
    auto s = municipal("vpw", "2026-01-05", "midden");
    const auto due = s.of("2026-01-19", "vpw.plan", "report.due");
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].due, d("2026-01-19"));
    EXPECT_TRUE(s.of("2026-01-19", "vpw.plan", "report.overdue").empty());
    EXPECT_EQ(s.of("2026-01-20", "vpw.plan", "report.overdue").size(), 1u);
    s.report("2026-01-15", "plan");
    EXPECT_TRUE(s.of("2026-01-20", "vpw.plan", "report.overdue").empty());
}

TEST(VpwEvaluation, EveryThreeMonthsClampedAtMonthEnds)
{
    const auto s = municipal("vpw", "2026-01-31", "midden");
    // add_months(2026-01-31, 3) = 2026-04-30; (…, 6) = 2026-07-31.
    EXPECT_TRUE(s.of("2026-04-15", "vpw.evaluation", "report.due").empty()); // 15 days before
    EXPECT_EQ(s.of("2026-04-16", "vpw.evaluation", "report.due").size(), 1u);  // 14 days before
    const auto on = s.of("2026-04-30", "vpw.evaluation", "report.due");
    ASSERT_EQ(on.size(), 1u);
    EXPECT_EQ(on[0].due, d("2026-04-30"));
    const auto after = s.of("2026-05-01", "vpw.evaluation", "report.overdue");
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].subject, "evaluation#1");
    EXPECT_EQ(subjects(s.of("2026-08-01", "vpw.evaluation", "report.overdue")),
              (std::vector<std::string>{"evaluation#1", "evaluation#2"}));
}

TEST(VpwEvaluation, LeapDayStart)
{
    const auto s = municipal("vpw", "2024-02-29", "midden");
    // The 4th evaluation is due add_months(2024-02-29, 12) = 2025-02-28.
    const auto fs = s.of("2025-03-01", "vpw.evaluation", "report.overdue");
    ASSERT_EQ(fs.size(), 4u);
    EXPECT_EQ(fs.back().due, d("2025-02-28"));
}

TEST(VpwPlanRevisionAndNecessityReview, EverySixMonths)
{
    auto s = municipal("vpw", "2026-01-05", "licht");
    EXPECT_TRUE(s.of("2026-07-05", "vpw.plan-revision", "report.overdue").empty());
    EXPECT_EQ(s.of("2026-07-05", "vpw.plan-revision", "report.due")[0].due, d("2026-07-05"));
    EXPECT_EQ(s.of("2026-07-06", "vpw.plan-revision", "report.overdue").size(), 1u);
    EXPECT_EQ(s.of("2026-07-06", "vpw.necessity-review", "report.overdue").size(), 1u);
    s.report("2026-07-01", "plan-revision");
    EXPECT_TRUE(s.of("2026-07-06", "vpw.plan-revision", "report.overdue").empty());
    EXPECT_EQ(s.of("2026-07-06", "vpw.necessity-review", "report.overdue").size(), 1u); // another kind
}

// vpw.max-duration --------------------------------------------------------------------------------------------

TEST(VpwMaxDuration, TwoYearsAndAJustifiedUitloop)
{
    auto s = municipal("vpw", "2026-01-05", "midden");
    // Maximum end 2028-01-04; expiring from 90 days before: 2027-10-06.
    EXPECT_TRUE(s.of("2027-10-05", "vpw.max-duration", "trajectory.expiring").empty());
    const auto on = s.of("2027-10-06", "vpw.max-duration", "trajectory.expiring");
    ASSERT_EQ(on.size(), 1u);
    EXPECT_EQ(on[0].due, d("2028-01-04"));
    EXPECT_NE(on[0].message_nl.find("uitloop"), std::string::npos);
    s.extend("2027-10-20", 12, "Nog niet zelfstandig; onderbouwing bij de werkadviseur.");
    EXPECT_TRUE(s.of("2027-10-21", "vpw.max-duration", "trajectory.expiring").empty());
    EXPECT_EQ(s.of("2028-10-07", "vpw.max-duration", "trajectory.expiring")[0].due, d("2029-01-04"));
    EXPECT_TRUE(s.of("2027-10-21", "leidraad.justification", "deviation.unjustified").empty());
    s.events.back().justification.clear();
    EXPECT_EQ(s.of("2027-10-21", "leidraad.justification", "deviation.unjustified").size(), 1u);
}

// vpw.max-duration (docs/rules.md, changed): the extensions' months count, at most max_extension_months (12) in all;
// months beyond do not move the maximum end and give extension.above_max naming them. Exactly 12, 13, and 6 + 7.
TEST(VpwMaxDuration, ExtensionsCountUpToTwelveMonthsInAll)
{
    auto max_end_of = [](const Scenario &s, const char *as_of) { return s.status(as_of).at(0).max_end; };
    auto twelve = municipal("vpw", "2026-01-05", "midden");
    twelve.extend("2027-10-20", 12, "onderbouwd");
    EXPECT_EQ(max_end_of(twelve, "2027-10-21"), d("2029-01-04"));
    EXPECT_TRUE(twelve.of("2027-10-21", "vpw.max-duration", "extension.above_max").empty());

    auto thirteen = municipal("vpw", "2026-01-05", "midden");
    thirteen.extend("2027-10-20", 13, "onderbouwd");
    EXPECT_EQ(max_end_of(thirteen, "2027-10-21"), d("2029-01-04")); // not 2029-02-04
    const auto above = thirteen.of("2027-10-21", "vpw.max-duration", "extension.above_max");
    ASSERT_EQ(above.size(), 1u);
    EXPECT_EQ(above[0].severity, jobcoach::rules::Severity::warning);
    EXPECT_EQ(above[0].due, d("2027-10-20"));
    EXPECT_NE(above[0].message_en.find("An extension of 13 months was granted on 2027-10-20; 1 month of it lies "
                                       "beyond the maximum of 1 year of extensions in all"), std::string::npos)
        << above[0].message_en;
    EXPECT_NE(above[0].message_nl.find("1 maand daarvan valt boven het maximum van 1 jaar verlenging"), std::string::npos)
        << above[0].message_nl;

    auto two = municipal("vpw", "2026-01-05", "midden");
    two.extend("2027-10-20", 6, "onderbouwd");
    EXPECT_TRUE(two.of("2027-10-21", "vpw.max-duration", "extension.above_max").empty());
    two.extend("2028-06-01", 7, "onderbouwd");
    EXPECT_EQ(max_end_of(two, "2028-06-02"), d("2029-01-04"));
    const auto second = two.of("2028-06-02", "vpw.max-duration", "extension.above_max");
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].due, d("2028-06-01"));
    EXPECT_NE(second[0].message_en.find("1 month of it lies beyond"), std::string::npos) << second[0].message_en;
}

// vpw.hour-cap ------------------------------------------------------------------------------------------------

class VpwCap : public ::testing::TestWithParam<std::pair<int32_t, const char *>> {};

TEST_P(VpwCap, SixtyHoursInYearOneWarnFromEightyPercent)
{
    auto s = municipal("vpw", "2026-01-05", "midden");
    s.log("2026-03-01", GetParam().first, "vpw");
    std::vector<Finding> caps;
    for (const auto &f : s.findings("2026-06-01"))
        if (f.rule == "vpw.hour-cap")
            caps.push_back(f);
    if (GetParam().second == nullptr) {
        EXPECT_TRUE(caps.empty());
        return;
    }
    ASSERT_EQ(caps.size(), 1u);
    EXPECT_EQ(caps[0].kind, GetParam().second);
    EXPECT_EQ(caps[0].limit_minutes, 3600);
    EXPECT_EQ(caps[0].subject, "year#1");
}

INSTANTIATE_TEST_SUITE_P(Boundaries, VpwCap,
                         ::testing::Values(std::pair<int32_t, const char *>{1439 + 1440, nullptr},
                                           std::pair<int32_t, const char *>{2880, "budget.warning"},
                                           std::pair<int32_t, const char *>{3600, "budget.warning"},
                                           std::pair<int32_t, const char *>{3601, "budget.exceeded"}));

TEST(VpwHourCap, PartTimeFactorAndAgreedHours)
{
    auto half = municipal("vpw", "2026-01-05", "licht", 12); // 36 h × 12/24 = 18 h
    half.log("2026-02-01", 1081, "vpw");
    const auto f = half.of("2026-03-01", "vpw.hour-cap", "budget.exceeded");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].limit_minutes, 1080);
    std::string why = f[0].explanation + "\n";
    EXPECT_NE(why.find("base cap: 36 h for level licht in year 1"), std::string::npos) << why;
    EXPECT_NE(why.find("part-time factor: 262800 / 525600"), std::string::npos) << why;

    auto agreed = municipal("vpw", "2026-01-05", "licht", 12);
    agreed.grant("2026-02-01", "licht", 1500).justification = "In overleg met de werkgever.";
    agreed.log("2026-02-01", 1200, "vpw");
    const auto w = agreed.of("2026-03-01", "vpw.hour-cap", "budget.warning");
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].limit_minutes, 1500);
}

// A trajectory year counts the entries of its first and its last day and none of the next year's, whatever order
// they arrived in (minutes_in over the year's span).
TEST(VpwHourCap, AYearCountsTheEntriesOfItsFirstAndLastDayAndNoneOfTheNext)
{
    auto s = municipal("vpw", "2026-01-05", "licht"); // year 1: 2026-01-05 .. 2027-01-04, 36 h = 2160 min
    s.log("2027-01-05", 500, "vpw");  // year 2's first day, sent first
    s.log("2027-01-04", 1161, "vpw"); // year 1's last day
    s.log("2026-01-05", 1000, "vpw"); // year 1's first day: 2161 in year 1
    std::map<std::string, int64_t> used;
    for (const auto &f : s.of("2027-02-01", "vpw.hour-cap", "budget.exceeded"))
        used[f.subject] = *f.observed_minutes;
    EXPECT_EQ(used, (std::map<std::string, int64_t>{{"year#1", 2161}}));
}

TEST(VpwHourCap, YearThreeOnlyWithAnUitloop)
{
    auto s = municipal("vpw", "2026-01-05", "midden");
    s.log("2028-02-01", 30, "vpw");
    EXPECT_TRUE(s.of("2028-03-01", "vpw.hour-cap", "budget.exceeded").empty());
    EXPECT_EQ(s.of("2028-03-01", "vpw.max-duration", "trajectory.expired").size(), 1u);
    s.extend("2027-11-01", 12, "Uitloop met onderbouwing.");
    s.log("2028-02-02", 1411, "vpw"); // 1441 minutes in year 3, cap 24 h = 1440
    const auto f = s.of("2028-03-01", "vpw.hour-cap", "budget.exceeded");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].subject, "year#3");
    EXPECT_EQ(f[0].limit_minutes, 1440);
}

// vpw.hour-transfer ---------------------------------------------------------------------------------------------

TEST(VpwHourTransfer, MovesUnusedMinutesButNeverMore)
{
    auto s = municipal("vpw", "2026-01-05", "midden");
    s.log("2026-06-01", 3000, "vpw"); // 600 of year 1's 3600 unused
    transfer(s, "2026-12-20", 400);
    const auto st = s.status("2027-02-01");
    ASSERT_EQ(st.size(), 1u);
    ASSERT_EQ(st[0].budgets.size(), 2u);
    EXPECT_EQ(st[0].budgets[0].limit_minutes, 3200);
    EXPECT_EQ(st[0].budgets[1].limit_minutes, 2160 + 400);

    auto over = municipal("vpw", "2026-01-05", "midden");
    over.log("2026-06-01", 3000, "vpw");
    transfer(over, "2026-12-20", 800);
    const auto f = over.of("2027-02-01", "vpw.hour-transfer", "transfer.above_unused");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].limit_minutes, 600);
    EXPECT_EQ(over.status("2027-02-01")[0].budgets[1].limit_minutes, 2160 + 600);
}

// A year's budget finding explains its cap line by line, the minutes moved out of it and into the next year
// last ("name: value" lines, as the finding's own).
TEST(VpwHourTransfer, TheYearsBudgetFindingsExplainTheMinutesMoved)
{
    auto s = municipal("vpw", "2026-01-05", "midden");
    s.log("2026-06-01", 3000, "vpw"); // year 1: 3000 of 3600, 3200 after the transfer (93 %)
    transfer(s, "2026-12-20", 400);
    s.log("2027-03-01", 2100, "vpw"); // year 2: 2100 of 2160 + 400 (82 %)
    const auto year1 = s.of("2026-12-21", "vpw.hour-cap", "budget.warning");
    ASSERT_EQ(year1.size(), 1u);
    const std::string &e1 = year1[0].explanation;
    EXPECT_NE(e1.find("\nbase cap: 60 h for level midden in year 1 (rule pack vpw, hour_cap_hours, valid from "),
              std::string::npos)
        << e1;
    EXPECT_NE(e1.find("\npart-time factor: "), std::string::npos) << e1;
    EXPECT_NE(e1.find(") over the year's contract days)\ncap: 3600 min = base cap × factor, rounded down\n"
                      "moved out: 400 min to year 2"),
              std::string::npos)
        << e1;
    EXPECT_TRUE(e1.ends_with("\nmoved out: 400 min to year 2")) << e1;
    const auto year2 = s.of("2027-03-02", "vpw.hour-cap", "budget.warning");
    ASSERT_EQ(year2.size(), 1u);
    const std::string &e2 = year2[0].explanation;
    EXPECT_TRUE(e2.ends_with("\ncap: 2160 min = base cap × factor, rounded down\nmoved in: 400 min from year 1")) << e2;
}

// Two budget findings of one evaluation each explain their own year: the words of the second are made where
// those of the first were (Params::budget_words), and nothing of the first is left in them.
TEST(VpwHourCap, EachYearsFindingExplainsThatYearAlone)
{
    auto s = municipal("vpw", "2026-01-05", "midden");
    s.log("2026-06-01", 3700, "vpw"); // year 1: 3700 of 3600, exceeded
    s.log("2027-03-01", 2000, "vpw"); // year 2: 2000 of 2160 (92 %), current
    const auto findings = s.findings("2027-03-02");
    std::vector<const Finding *> budgets;
    for (const auto &f : findings)
        if (f.rule == "vpw.hour-cap")
            budgets.push_back(&f);
    ASSERT_EQ(budgets.size(), 2u);
    const std::string &e1 = budgets[0]->kind == "budget.exceeded" ? budgets[0]->explanation : budgets[1]->explanation;
    const std::string &e2 = budgets[0]->kind == "budget.exceeded" ? budgets[1]->explanation : budgets[0]->explanation;
    EXPECT_EQ(std::count(e1.begin(), e1.end(), '\n'), std::count(e2.begin(), e2.end(), '\n')) << e1 << "\n--\n" << e2;
    EXPECT_NE(e1.find("base cap: 60 h for level midden in year 1 "), std::string::npos) << e1;
    EXPECT_EQ(e1.find("in year 2 "), std::string::npos) << e1;
    EXPECT_TRUE(e1.ends_with("\ncap: 3600 min = base cap × factor, rounded down")) << e1;
    EXPECT_NE(e2.find("base cap: 36 h for level midden in year 2 "), std::string::npos) << e2;
    EXPECT_EQ(e2.find("in year 1 "), std::string::npos) << e2;
    EXPECT_TRUE(e2.ends_with("\ncap: 2160 min = base cap × factor, rounded down")) << e2;
    const Finding &f1 = budgets[0]->kind == "budget.exceeded" ? *budgets[0] : *budgets[1];
    const Finding &f2 = budgets[0]->kind == "budget.exceeded" ? *budgets[1] : *budgets[0];
    EXPECT_NE(f1.message_en.find("Budget: level midden, year 1: "), std::string::npos) << f1.message_en;
    EXPECT_NE(f2.message_en.find("Budget: level midden, year 2: "), std::string::npos) << f2.message_en;
    EXPECT_NE(f2.message_en.find("Budget of trajectory year 2 ("), std::string::npos) << f2.message_en;
}

TEST(VpwHourTransfer, PossibleInTheLastThirtyDaysAfterALongAbsence)
{
    auto make = [](const char *absence_end) {
        auto s = municipal("vpw", "2026-01-05", "midden");
        s.add(EventType::absence_started, "2026-05-01");
        s.add(EventType::absence_ended, absence_end);
        return s;
    };
    // Year 1 ends 2027-01-04: its last 30 days start 2026-12-06.
    const auto long_absence = make("2026-05-28"); // 28 days
    EXPECT_TRUE(long_absence.of("2026-12-05", "vpw.hour-transfer", "budget.transfer_possible").empty());
    const auto f = long_absence.of("2026-12-06", "vpw.hour-transfer", "budget.transfer_possible");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].due, d("2027-01-04"));
    EXPECT_TRUE(make("2026-05-27").of("2026-12-06", "vpw.hour-transfer", "budget.transfer_possible").empty()); // 27 days
    EXPECT_TRUE(long_absence.of("2027-01-05", "vpw.hour-transfer", "budget.transfer_possible").empty()); // year 2
}

TEST(VpwQuarterlyHours, MinutesPerCalendarQuarter)
{
    // vpw.quarterly-hours: no finding, the status shows the minutes per calendar quarter.
    auto s = municipal("vpw", "2026-01-05", "midden");
    s.log("2026-03-31", 60, "vpw");
    s.log("2026-04-01", 45, "vpw");
    const auto st = s.status("2026-05-01");
    ASSERT_EQ(st.size(), 1u);
    std::map<std::string, std::string> figures, figures_nl;
    for (const auto &f : st[0].figures) {
        figures[f.name] = f.value;
        figures_nl[f.name_nl] = f.value_nl;
    }
    EXPECT_EQ(figures["hours 2026-Q1"], "1.00 h (60 min)");
    EXPECT_EQ(figures_nl["uren 2026-K1"], "1,00 uur (60 min)");
    EXPECT_EQ(figures["hours 2026-Q2"], "0.75 h (45 min)");
}

// wsp-rijnmond ------------------------------------------------------------------------------------------------

TEST(WspStartVisit, ProefplaatsingNeedsAVisitOnTheFirstDay)
{
    auto s = municipal("wsp-rijnmond", "2026-03-02", "proefplaatsing");
    EXPECT_TRUE(s.of("2026-03-02", "wsp-rijnmond.start-visit", "visit.missing").empty());
    EXPECT_EQ(s.of("2026-03-03", "wsp-rijnmond.start-visit", "visit.missing").size(), 1u);
    s.visit("2026-03-02");
    EXPECT_TRUE(s.of("2026-03-03", "wsp-rijnmond.start-visit", "visit.missing").empty());
    EXPECT_TRUE(municipal("wsp-rijnmond", "2026-03-02", "pakket-1").of("2026-03-03", "wsp-rijnmond.start-visit",
                                                                        "visit.missing").empty());
}

TEST(WspVisitFrequency, AverageOverTheLastThreeCompletedWindows)
{
    // pakket-1, from 2026-01-31: windows 01-31..02-27, 02-28..03-30, 03-31..04-29 (month ends clamp).
    auto s = municipal("wsp-rijnmond", "2026-01-31", "pakket-1");
    EXPECT_TRUE(s.of("2026-02-27", "wsp-rijnmond.visit-frequency", "visits.below_package").empty());
    const auto first = s.of("2026-02-28", "wsp-rijnmond.visit-frequency", "visits.below_package");
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].due, d("2026-02-27"));
    s.visit("2026-03-10");
    s.visit("2026-04-01");
    s.visit("2026-04-20"); // 0 + 1 + 2 = 3 visits in 3 windows: on average enough
    EXPECT_TRUE(s.of("2026-04-30", "wsp-rijnmond.visit-frequency", "visits.below_package").empty());
    s.events.pop_back(); // 0 + 1 + 1 = 2 < 3
    EXPECT_EQ(s.of("2026-04-30", "wsp-rijnmond.visit-frequency", "visits.below_package").size(), 1u);
}

// A visit on a window's first or last day counts in that window alone; one on the day after the last completed
// window counts in none of them.
TEST(WspVisitFrequency, AVisitOnAWindowsFirstOrLastDayCountsInThatWindow)
{
    // pakket-1, from 2026-01-31: windows 01-31..02-27, 02-28..03-30, 03-31..04-29, 04-30..05-30.
    auto s = municipal("wsp-rijnmond", "2026-01-31", "pakket-1");
    s.visit("2026-04-29"); // window 3's last day, sent first
    s.visit("2026-02-28"); // window 2's first day
    s.visit("2026-02-27"); // window 1's last day: 1 + 1 + 1 = 3 in 3 windows
    EXPECT_TRUE(s.of("2026-05-01", "wsp-rijnmond.visit-frequency", "visits.below_package").empty());
    s.events[s.events.size() - 3].date = d("2026-04-30"); // window 4's first day: 1 + 1 + 0 = 2
    const auto f = s.of("2026-05-01", "wsp-rijnmond.visit-frequency", "visits.below_package");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].due, d("2026-04-29"));
}

// Weekly windows (proefplaatsing: [1, 0, 7]) from 2026-03-02: window k runs 7k .. 7k + 6 days after it. Months on,
// the finding names the last three windows ended before as_of: on the day after a window ends, that window is the
// last of them; on its last day, the window before it is.
TEST(WspVisitFrequency, TheLastThreeOfManyWeeklyWindowsAreNamed)
{
    auto s = municipal("wsp-rijnmond", "2026-03-02", "proefplaatsing");
    const auto window_days = [](int k) { return std::pair{7 * k, 7 * k + 6}; };
    for (const int ended : {38, 39}) { // windows 0 .. ended - 1 have ended
        const Date last_day = add_days(d("2026-03-02"), window_days(ended - 1).second);
        const Date first_day = add_days(d("2026-03-02"), window_days(ended - 3).first);
        for (const Date as_of : {add_days(last_day, 1), add_days(last_day, 7)}) {
            const auto f = s.of(as_of.iso().c_str(), "wsp-rijnmond.visit-frequency", "visits.below_package");
            ASSERT_EQ(f.size(), 1u) << as_of.iso();
            EXPECT_EQ(f[0].due, last_day) << as_of.iso();
            EXPECT_EQ(f[0].subject, "visits " + first_day.iso() + ".." + last_day.iso()) << as_of.iso();
        }
        const auto before = s.of(last_day.iso().c_str(), "wsp-rijnmond.visit-frequency", "visits.below_package");
        ASSERT_EQ(before.size(), 1u);
        EXPECT_EQ(before[0].due, add_days(last_day, -7)); // its own window has not ended on its last day
    }
    EXPECT_EQ(add_days(d("2026-03-02"), window_days(38).second), d("2026-11-29")); // (window 38: 11-23 .. 11-29)
}

TEST(WspVisitFrequency, PakketZeroNeedsAContactInEveryThreeMonths)
{
    auto s = municipal("wsp-rijnmond", "2026-01-05", "pakket-0");
    s.visit("2026-02-10", Activity::contact);
    // Window 2 (2026-04-05 .. 2026-07-04) has none; it is complete from 2026-07-05.
    EXPECT_TRUE(s.of("2026-07-04", "wsp-rijnmond.visit-frequency", "contact.missed").empty());
    const auto f = s.of("2026-07-05", "wsp-rijnmond.visit-frequency", "contact.missed");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].subject, "contact-window#2");
}

TEST(WspNextVisit, DueTheIntervalAfterTheLastVisit)
{
    auto s = municipal("wsp-rijnmond", "2026-01-05", "pakket-1");
    s.visit("2026-03-15"); // next due 2026-04-15, shown from 7 days before
    EXPECT_TRUE(s.of("2026-04-07", "wsp-rijnmond.next-visit", "visit.due").empty());
    EXPECT_EQ(s.of("2026-04-08", "wsp-rijnmond.next-visit", "visit.due").size(), 1u);
    EXPECT_EQ(s.of("2026-04-15", "wsp-rijnmond.next-visit", "visit.due")[0].due, d("2026-04-15"));
    EXPECT_EQ(s.of("2026-04-16", "wsp-rijnmond.next-visit", "visit.overdue").size(), 1u);
    const auto two = municipal("wsp-rijnmond", "2026-01-05", "pakket-2");
    EXPECT_EQ(two.of("2026-01-20", "wsp-rijnmond.next-visit", "visit.due")[0].due, d("2026-01-20")); // S + 15 days
}

TEST(WspQuarterlyCheck, LksCheckEveryQuarter)
{
    // wsp-rijnmond.quarterly-check
    const auto s = municipal("wsp-rijnmond", "2025-11-30", "pakket-1");
    // add_months(2025-11-30, 3) = 2026-02-28.
    EXPECT_TRUE(s.of("2026-02-28", "wsp-rijnmond.quarterly-check", "report.overdue").empty());
    const auto f = s.of("2026-03-01", "wsp-rijnmond.quarterly-check", "report.overdue");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].due, d("2026-02-28"));
}

TEST(WspCluster, VisitsOfOneEmployerWithinFourteenDays)
{
    auto make = [](const char *second_start) {
        Scenario s;
        s.scheme = "wsp-rijnmond";
        wsp_employee(s, "E-A", "2026-03-02"); // next visit due 2026-04-02
        wsp_employee(s, "E-B", second_start);
        return s;
    };
    const auto near = make("2026-03-15").of("2026-03-20", "wsp-rijnmond.cluster", "visits.cluster"); // due 04-15: day 14
    ASSERT_EQ(near.size(), 1u);
    EXPECT_EQ(near[0].employer, "ACME");
    EXPECT_EQ(near[0].employees, (std::vector<std::string>{"E-A", "E-B"}));
    EXPECT_EQ(near[0].due, d("2026-04-02"));
    EXPECT_TRUE(make("2026-03-16").of("2026-03-20", "wsp-rijnmond.cluster", "visits.cluster").empty()); // day 15
}

// Each employer's next visits are clustered on their own: a visit at another employer within the window joins no
// cluster, and an employer with one visit due has none (evaluate_cluster takes the plans employer by employer).
TEST(WspCluster, EachEmployerIsClusteredOnItsOwn)
{
    Scenario s;
    s.scheme = "wsp-rijnmond";
    wsp_employee(s, "E-A", "2026-03-02", "ACME");  // next visit due 2026-04-02
    wsp_employee(s, "E-B", "2026-03-10", "ACME");  // 2026-04-10
    wsp_employee(s, "E-C", "2026-03-03", "BETA");  // 2026-04-03
    wsp_employee(s, "E-D", "2026-03-05", "BETA");  // 2026-04-05
    wsp_employee(s, "E-E", "2026-03-04", "ALONE"); // 2026-04-04: the one visit at its employer
    const auto clusters = s.of("2026-03-20", "wsp-rijnmond.cluster", "visits.cluster");
    ASSERT_EQ(clusters.size(), 2u);
    std::map<std::string, std::vector<std::string>> by_employer;
    for (const auto &f : clusters)
        by_employer[f.employer] = f.employees;
    EXPECT_EQ(by_employer["ACME"], (std::vector<std::string>{"E-A", "E-B"}));
    EXPECT_EQ(by_employer["BETA"], (std::vector<std::string>{"E-C", "E-D"}));
    EXPECT_EQ(by_employer.count("ALONE"), 0u);
}

// A cluster names its employees once each, in key order, whatever the order of their due dates; its due date is
// the first visit's, and its explanation lists the visits in due order.
TEST(WspCluster, NamesItsEmployeesInKeyOrderAndItsVisitsInDueOrder)
{
    Scenario s;
    s.scheme = "wsp-rijnmond";
    wsp_employee(s, "E-A", "2026-03-10"); // next visit due 2026-04-10
    wsp_employee(s, "E-B", "2026-03-02"); // 2026-04-02: the first
    const auto clusters = s.of("2026-03-20", "wsp-rijnmond.cluster", "visits.cluster");
    ASSERT_EQ(clusters.size(), 1u);
    EXPECT_EQ(clusters[0].employees, (std::vector<std::string>{"E-A", "E-B"}));
    EXPECT_EQ(clusters[0].employee, "E-A");
    EXPECT_EQ(clusters[0].due, d("2026-04-02"));
    EXPECT_NE(clusters[0].message_en.find("2 visits are due between 2026-04-02 and 2026-04-10 (E-A, E-B)"),
              std::string::npos)
        << clusters[0].message_en;
    EXPECT_NE(clusters[0].explanation.find("next visit: E-B due 2026-04-02\nnext visit: E-A due 2026-04-10"),
              std::string::npos)
        << clusters[0].explanation;
}

TEST(WspCost, PerCoachFormAtThePacksRate)
{
    auto s = municipal("wsp-rijnmond", "2026-01-05", "pakket-1");
    s.events.back().coach_form = "extern";
    s.visit("2026-01-20");
    s.log("2026-01-21", 30, "wsp-rijnmond");
    auto figures_of = [&] {
        const auto st = s.status("2026-02-01");
        std::map<std::string, std::string> out;
        for (const auto &[n, v, n_nl, v_nl] : st.at(0).figures)
            out[n] = v;
        return out;
    };
    auto figures = figures_of();
    EXPECT_EQ(figures["cost extern"], "1.50 h: no hourly rate in the rule pack (set hourly_rate_cents.extern)");

    // A pack with a contracted rate, as a municipality would add it.
    RulePackSet set = packs();
    std::string json = R"({"scheme":"wsp-rijnmond","engine":"gemeente","rules":{
        "wsp-rijnmond.cost":{"source":"contract","role":"cost"}},
        "parameters":{"hourly_rate_cents":[{"valid_from":"2018-08-01","value":{"extern":[7250]},"source":"contract"}],
                      "default_coach_form":[{"valid_from":"2018-08-01","value":"gemeente","source":"x"}]}})";
    set.add(RulePack::parse(json, "test"));
    s.pack_set = &set;
    figures = figures_of();
    EXPECT_EQ(figures["cost extern"], "EUR 108.75 for 1.50 h");
}

// The engine's contract ---------------------------------------------------------------------------------------

TEST(MunicipalEffectiveDating, AParameterAppliesToYearsStartingOnOrAfterItsValidFrom)
{
    // vpw's midden cap rises to 80 h in year 1 from 2027-01-01 (a made-up policy change).
    RulePackSet set = packs();
    std::string json = R"({"scheme":"vpw","engine":"gemeente","rules":{"vpw.hour-cap":{"source":"x","role":"hour-cap"}},
        "parameters":{
          "hour_cap_hours":[{"valid_from":"2018-01-01","value":{"midden":[60,36,24]},"source":"old"},
                            {"valid_from":"2027-01-01","value":{"midden":[80,36,24]},"source":"new"}],
          "part_time_full_hours":[{"valid_from":"2018-01-01","value":24,"source":"x"}],
          "default_level":[{"valid_from":"2018-01-01","value":"midden","source":"x"}]}})";
    set.add(RulePack::parse(json, "effective-dating"));
    auto limit_for = [&](const char *start) {
        auto s = municipal("vpw", start, "midden");
        s.pack_set = &set;
        s.log(start, 5000, "vpw");
        const auto f = s.of(start, "vpw.hour-cap", "budget.exceeded");
        EXPECT_EQ(f.size(), 1u) << start;
        return f.empty() ? -1 : *f[0].limit_minutes;
    };
    EXPECT_EQ(limit_for("2026-12-31"), 3600); // the year starts the day before: the old cap
    EXPECT_EQ(limit_for("2027-01-01"), 4800); // on the day: the new cap
    EXPECT_EQ(limit_for("2027-01-02"), 4800);
}

TEST(MunicipalPack, UnknownRoleOrMissingParameterIsRefusedNamingIt)
{
    const RulePack bad = RulePack::parse(R"({"scheme":"x","engine":"gemeente","rules":{
        "x.a":{"source":"s","role":"teleport"},"x.b":{"source":"s","role":"hour-cap"}},"parameters":{}})",
                                         "bad.json");
    const RulePack common = packs().get("common");
    jobcoach::gemeente::Municipal m(bad);
    try {
        m.check(jobcoach::rules::Params(bad, common));
        FAIL() << "accepted";
    } catch (const jobcoach::rules::RulePackError &e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("bad.json"), std::string::npos) << what;
        EXPECT_NE(what.find("rule x.a: role 'teleport'"), std::string::npos) << what;
        EXPECT_NE(what.find("parameter hour_cap_hours is missing"), std::string::npos) << what;
    }
}
