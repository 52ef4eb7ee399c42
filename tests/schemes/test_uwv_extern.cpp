// SPDX-License-Identifier: Apache-2.0
// docs/rules.md §2 (uwv-extern), on its boundaries: the day before, on and after each due date; exactly
// 80 % and 100 % of a budget; month ends; leap years.
#include "engine/fixtures.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>

using namespace jobcoach::test;
using jobcoach::rules::Params;
using jobcoach::rules::Trajectory;
using jobcoach::uwv::ExternPeriod;
using jobcoach::uwv::UwvExtern;

namespace {

std::vector<ExternPeriod> periods_of(const Scenario &s)
{
    std::vector<const Event *> list;
    for (const auto &e : s.events)
        list.push_back(&e);
    const auto contracts = jobcoach::rules::ContractTimeline::build(list, d("2199-01-01"));
    const Params params(packs().get("uwv-extern"), packs().get("common"));
    const auto ts = jobcoach::rules::build_trajectories(list, "uwv-extern", contracts, [](const Event &) { return 36; });
    EXPECT_EQ(ts.size(), 1u);
    return UwvExtern::periods(ts.at(0), jobcoach::rules::ContractTimeline::build(list, ts.at(0).start), params);
}

} // namespace

// uwv-extern.period -------------------------------------------------------------------------------------------

TEST(UwvExternPeriod, SeedExampleEightMonthContractGivesAnEightMonthPeriod)
{
    Scenario s;
    s.contract("2026-01-05", 20, "2026-09-04"); // 8 months (docs/formats.md's example)
    s.grant("2026-01-05");
    const auto p = periods_of(s);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].span.first, d("2026-01-05"));
    EXPECT_EQ(p[0].span.last, d("2026-09-04"));
    const auto due = s.of("2026-09-20", "uwv-extern.period-report", "report.due");
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].due, d("2026-10-02"));
}

TEST(UwvExternPeriod, ContractOfExactlyTwelveMonthsGivesSixMonthPeriods)
{
    Scenario s;
    s.contract("2026-01-05", 20, "2027-01-04");
    s.grant("2026-01-05");
    const auto p = periods_of(s);
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p[0].span.last, d("2026-07-04"));
    EXPECT_EQ(p[1].span.first, d("2026-07-05"));
    EXPECT_EQ(p[1].span.last, d("2027-01-04"));
}

TEST(UwvExternPeriod, ContractOneDayShortOfTwelveMonthsGivesOnePeriod)
{
    Scenario s;
    s.contract("2026-01-05", 20, "2027-01-03");
    s.grant("2026-01-05");
    const auto p = periods_of(s);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].span.last, d("2027-01-03"));
}

TEST(UwvExternPeriod, PeriodsAreAnchoredOnTheStartAcrossMonthEndsAndLeapYears)
{
    Scenario s;
    s.contract("2026-08-31", 20);
    s.grant("2026-08-31");
    const auto p = periods_of(s);
    ASSERT_EQ(p.size(), 6u);
    EXPECT_EQ(p[1].span.first, d("2027-02-28"));
    EXPECT_EQ(p[2].span.first, d("2027-08-31")); // not 2027-08-28: no drift after the clamp
    EXPECT_EQ(p[3].span.first, d("2028-02-29")); // leap year
    EXPECT_EQ(p[5].span.last, d("2029-08-30"));  // = the maximum end
}

TEST(UwvExternPeriod, AShortFirstPeriodIsFollowedBySixMonthPeriods)
{
    Scenario s;
    s.contract("2026-01-05", 20, "2026-09-04");
    s.contract("2026-09-05", 20); // renewed without a gap: coaching goes on
    s.grant("2026-01-05");
    const auto p = periods_of(s);
    ASSERT_GE(p.size(), 2u);
    EXPECT_EQ(p[0].span.last, d("2026-09-04"));
    EXPECT_EQ(p[1].span.first, d("2026-09-05"));
    EXPECT_EQ(p[1].span.last, d("2027-03-04"));
}

// uwv-extern.budget with C-8 ---------------------------------------------------------------------------------

class Budget : public ::testing::TestWithParam<std::tuple<int32_t, const char *>> {};

TEST_P(Budget, GrantedHoursWarnAtEightyPercentAndExceedAboveHundred)
{
    const auto [used, expected_kind] = GetParam();
    Scenario s;
    s.contract("2026-01-05", 20);
    s.grant("2026-01-05", "midden", 600); // 10 hours
    s.log("2026-02-02", used, "uwv-extern");
    std::vector<std::string> kinds;
    for (const auto &f : s.findings("2026-03-01"))
        if (f.rule == "uwv-extern.budget") {
            kinds.push_back(f.kind);
            EXPECT_EQ(f.observed_minutes, used);
            EXPECT_EQ(f.limit_minutes, 600);
            EXPECT_EQ(f.due, d("2026-07-04"));
        }
    if (std::string(expected_kind).empty())
        EXPECT_TRUE(kinds.empty());
    else
        EXPECT_EQ(kinds, std::vector<std::string>{expected_kind});
}

INSTANTIATE_TEST_SUITE_P(Boundaries, Budget,
                         ::testing::Values(std::make_tuple(479, ""),                   // 79.8 %
                                           std::make_tuple(480, "budget.warning"),     // exactly 80 %
                                           std::make_tuple(600, "budget.warning"),     // exactly 100 %
                                           std::make_tuple(601, "budget.exceeded")));  // 100 % + 1 minute

TEST(UwvExternBudget, EstimateIsLevelPercentOfAgreedMinutesByTrajectoryYear)
{
    auto limit_for = [](const char *log_date, const char *as_of) {
        Scenario s = standard();
        s.log(log_date, 1440 * 4, "uwv-extern"); // 96 hours: above every estimate below
        const auto f = s.of(as_of, "uwv-extern.budget", "budget.exceeded");
        return f.empty() ? int64_t{-1} : *f[0].limit_minutes;
    };
    // Period 1, 181 days of 20 h: 181 × 1200 / 7 × 10 % = 3102.86 -> 3102.
    EXPECT_EQ(limit_for("2026-02-02", "2026-03-01"), 3102);
    // Period 2 starts in year 1 (2026-07-05), 184 days: 10 % -> 3154.
    EXPECT_EQ(limit_for("2026-08-03", "2026-09-01"), 3154);
    // Period 3 starts in year 2, 181 days: 5 % -> 1551.
    EXPECT_EQ(limit_for("2027-02-01", "2027-03-01"), 1551);
    // Period 5 starts in year 3, 182 days (2028 is a leap year): 3 % -> 936.
    EXPECT_EQ(limit_for("2028-02-01", "2028-03-01"), 936);
}

// The estimate's percentage in the finding's words, as the rule pack gives it: a whole one (15) and one with a
// decimal (7.5, level intensief in trajectory year 2), each language with its own decimal mark: "7.5 %" in
// English, "7,5 %" in Dutch.
TEST(UwvExternBudget, AnEstimatesPercentageReadsAsTheRulePackGivesIt)
{
    auto words_for = [](const char *log_date, const char *as_of) {
        Scenario s;
        s.contract("2026-01-05", 20);
        s.grant("2026-01-05", "intensief");
        s.log(log_date, 1440 * 4, "uwv-extern"); // 96 hours: above every estimate below
        const auto f = s.of(as_of, "uwv-extern.budget", "budget.exceeded");
        return f.empty() ? std::pair<std::string, std::string>() : std::pair{f[0].message_en, f[0].message_nl};
    };
    const auto [year_1_en, year_1_nl] = words_for("2026-02-02", "2026-03-01");
    EXPECT_THAT(year_1_en, ::testing::HasSubstr("estimate: level intensief, trajectory year 1: 15 % of "));
    EXPECT_THAT(year_1_nl, ::testing::HasSubstr("schatting: niveau intensief, trajectjaar 1: 15 % van "));
    const auto [year_2_en, year_2_nl] = words_for("2027-02-01", "2027-03-01");
    EXPECT_THAT(year_2_en, ::testing::HasSubstr("estimate: level intensief, trajectory year 2: 7.5 % of "));
    EXPECT_THAT(year_2_nl, ::testing::HasSubstr("schatting: niveau intensief, trajectjaar 2: 7,5 % van "));
    EXPECT_THAT(year_2_en, ::testing::HasSubstr("Budget of period 3 (2027-01-05 to 2027-07-04) exceeded"));
    EXPECT_THAT(year_2_nl, ::testing::HasSubstr("Budget periode 3 (2027-01-05 t/m 2027-07-04) overschreden"));
}

TEST(UwvExternBudget, EstimateAtExactlyTheLimitWarnsAndOneMinuteMoreExceeds)
{
    Scenario s = standard();
    s.log("2026-02-02", 1440, "uwv-extern");
    s.log("2026-02-03", 1440, "uwv-extern");
    Event &last = s.log("2026-02-04", 222, "uwv-extern"); // 3102 in all
    EXPECT_EQ(s.of("2026-03-01", "uwv-extern.budget", "budget.warning").size(), 1u);
    last.minutes = 223;
    EXPECT_EQ(s.of("2026-03-01", "uwv-extern.budget", "budget.exceeded").size(), 1u);
}

TEST(UwvExternBudget, PastPeriodsKeepTheirOverrunButNotTheirWarning)
{
    Scenario s;
    s.contract("2026-01-05", 20);
    s.grant("2026-01-05", "midden", 600);
    s.log("2026-02-02", 540, "uwv-extern"); // 90 % of period 1
    EXPECT_EQ(s.of("2026-07-04", "uwv-extern.budget", "budget.warning").size(), 1u); // last day of period 1
    EXPECT_TRUE(s.of("2026-07-05", "uwv-extern.budget", "budget.warning").empty());   // period 2 is current
    s.log("2026-02-03", 61, "uwv-extern"); // 601
    EXPECT_EQ(s.of("2026-09-01", "uwv-extern.budget", "budget.exceeded").size(), 1u);
}

TEST(UwvExternBudget, RetractedEntriesDoNotCount)
{
    Scenario s;
    s.contract("2026-01-05", 20);
    s.grant("2026-01-05", "midden", 600);
    s.log("2026-02-02", 500, "uwv-extern");
    const std::string big = s.log("2026-02-03", 200, "uwv-extern").id;
    EXPECT_EQ(s.of("2026-03-01", "uwv-extern.budget", "budget.exceeded").size(), 1u);
    s.add(EventType::timesheet_retracted, "2026-02-10").retracts = big;
    EXPECT_TRUE(s.of("2026-03-01", "uwv-extern.budget", "budget.exceeded").empty());
    EXPECT_EQ(s.of("2026-03-01", "uwv-extern.budget", "budget.warning").size(), 1u);
    // Before the retraction's date the entry still counts (C-6).
    EXPECT_EQ(s.of("2026-02-09", "uwv-extern.budget", "budget.exceeded").size(), 1u);
}

// A period counts the entries of its first and its last day and none of the days around it, whatever order they
// arrived in (minutes_in reads a trajectory's entries in date order and stops after the period's last day).
TEST(UwvExternBudget, APeriodCountsTheEntriesOfItsFirstAndLastDayAndNoneOutside)
{
    Scenario s;
    s.contract("2026-01-05", 20);
    s.grant("2026-01-05", "midden", 299); // period 1: 2026-01-05 .. 2026-07-04
    s.grant("2026-07-05", "midden", 399); // period 2: from 2026-07-05
    s.log("2026-07-05", 400, "uwv-extern"); // period 2's first day, sent first
    s.log("2026-07-04", 200, "uwv-extern"); // period 1's last day
    s.log("2026-01-05", 100, "uwv-extern"); // period 1's first day
    std::map<std::string, int64_t> used;
    for (const auto &f : s.of("2026-07-10", "uwv-extern.budget", "budget.exceeded"))
        used[f.subject] = *f.observed_minutes;
    EXPECT_EQ(used, (std::map<std::string, int64_t>{{"period#1", 300}, {"period#2", 400}}));
}

// An employee's corrections are told apart one by one up to eight, and in a hash set beyond (engine.cpp, IdSet):
// the eighth retraction and the ninth count alike.
TEST(UwvExternBudget, ManyRetractedEntriesCountAsFewDo)
{
    Scenario s;
    s.contract("2026-01-05", 20);
    s.grant("2026-01-05", "midden", 600);
    std::vector<std::string> ids;
    for (int k = 0; k < 40; ++k) { // 40 entries of 15 minutes: 600, on Jan 6 .. Feb 14
        const std::string date = k < 26 ? fmt::format("2026-01-{:02}", 6 + k) : fmt::format("2026-02-{:02}", k - 25);
        ids.push_back(s.log(date.c_str(), 15, "uwv-extern").id);
    }
    auto warnings = s.of("2026-03-01", "uwv-extern.budget", "budget.warning");
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0].observed_minutes, 600);
    for (int k = 0; k < 8; ++k)
        s.add(EventType::timesheet_retracted, "2026-02-20").retracts = ids[static_cast<size_t>(k) * 5];
    warnings = s.of("2026-03-01", "uwv-extern.budget", "budget.warning");
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0].observed_minutes, 480); // exactly 80 %
    s.add(EventType::timesheet_retracted, "2026-02-20").retracts = ids[1];
    EXPECT_TRUE(s.of("2026-03-01", "uwv-extern.budget", "budget.warning").empty()); // 465: 77.5 %
    for (int k = 2; k < 5; ++k)
        s.add(EventType::timesheet_retracted, "2026-02-20").retracts = ids[static_cast<size_t>(k)];
    s.log("2026-02-16", 136, "uwv-extern"); // 420 + 136 = 556 of 600: 92.7 %
    warnings = s.of("2026-03-01", "uwv-extern.budget", "budget.warning");
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0].observed_minutes, 556);
}

// uwv-extern.legal-max -----------------------------------------------------------------------------------------

TEST(UwvExternLegalMax, GrantAboveFifteenPercentInYearOne)
{
    // Period 1, 181 days of 20 h: 15 % = 4654.29 -> 4654 minutes.
    Scenario at = standard();
    at.events[1].granted_minutes = 4654;
    EXPECT_TRUE(at.of("2026-02-01", "uwv-extern.legal-max", "grant.above_legal_max").empty());
    Scenario above = standard();
    above.events[1].granted_minutes = 4655;
    const auto f = above.of("2026-02-01", "uwv-extern.legal-max", "grant.above_legal_max");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].limit_minutes, 4654);
    EXPECT_EQ(f[0].observed_minutes, 4655);
    EXPECT_EQ(f[0].severity, jobcoach::rules::Severity::high);
}

// uwv-extern.period-report with C-7 ----------------------------------------------------------------------------

TEST(UwvExternPeriodReport, DueFromFourteenDaysBeforeAndOverdueAfter)
{
    const Scenario s = standard(); // period 1 ends 2026-07-04: due 2026-08-01
    EXPECT_TRUE(s.of("2026-07-17", "uwv-extern.period-report", "report.due").empty());
    EXPECT_EQ(s.of("2026-07-18", "uwv-extern.period-report", "report.due").size(), 1u);
    const auto on = s.of("2026-08-01", "uwv-extern.period-report", "report.due");
    ASSERT_EQ(on.size(), 1u);
    EXPECT_EQ(on[0].due, d("2026-08-01"));
    EXPECT_EQ(on[0].subject, "period-report#1");
    EXPECT_TRUE(s.of("2026-08-01", "uwv-extern.period-report", "report.overdue").empty());
    EXPECT_EQ(s.of("2026-08-02", "uwv-extern.period-report", "report.overdue").size(), 1u);
}

TEST(UwvExternPeriodReport, TheNthReportSatisfiesTheNthInstance)
{
    Scenario s = standard();
    s.report("2026-07-20", "period-report");
    EXPECT_TRUE(s.of("2026-08-02", "uwv-extern.period-report", "report.overdue").empty());
    // Period 2 ends 2027-01-04: due 2027-02-01; the one report does not cover it.
    const auto f = s.of("2027-02-02", "uwv-extern.period-report", "report.overdue");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].subject, "period-report#2");
}

// uwv-extern.max-duration with C-9 -----------------------------------------------------------------------------

TEST(UwvExternMaxDuration, ExpiringInTheNinetyDaysBeforeTheMaximumEnd)
{
    const Scenario s = standard(); // maximum end 2029-01-04
    EXPECT_TRUE(s.of("2028-10-05", "uwv-extern.max-duration", "trajectory.expiring").empty());
    EXPECT_EQ(s.of("2028-10-06", "uwv-extern.max-duration", "trajectory.expiring").size(), 1u);
    const auto last = s.of("2029-01-04", "uwv-extern.max-duration", "trajectory.expiring");
    ASSERT_EQ(last.size(), 1u);
    EXPECT_EQ(last[0].due, d("2029-01-04"));
    EXPECT_TRUE(s.of("2029-01-05", "uwv-extern.max-duration", "trajectory.expiring").empty());
}

TEST(UwvExternMaxDuration, CoachingAfterTheMaximumEndIsExpired)
{
    Scenario s = standard();
    s.log("2029-01-04", 30, "uwv-extern"); // the last day: counted
    EXPECT_TRUE(s.of("2029-02-01", "uwv-extern.max-duration", "trajectory.expired").empty());
    s.log("2029-01-05", 60, "uwv-extern");
    s.log("2029-01-12", 45);
    const auto f = s.of("2029-02-01", "uwv-extern.max-duration", "trajectory.expired");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].observed_minutes, 105);
    EXPECT_EQ(f[0].severity, jobcoach::rules::Severity::critical);
}

TEST(UwvExternMaxDuration, AnExtensionMovesTheEnd)
{
    Scenario s = standard();
    s.extend("2028-09-01", 6, "UWV besluit 2028-09-01");
    EXPECT_TRUE(s.of("2028-10-06", "uwv-extern.max-duration", "trajectory.expiring").empty());
    const auto f = s.of("2029-04-06", "uwv-extern.max-duration", "trajectory.expiring");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].due, d("2029-07-04"));
}

// uwv-extern.extension-window ----------------------------------------------------------------------------------

TEST(UwvExternExtensionWindow, OpensTwentyEightDaysBeforeTheFifthPeriodEndsUntilItsReportIsDue)
{
    const Scenario s = standard(); // period 5: 2028-01-05 .. 2028-07-04; its report is due 2028-08-01
    EXPECT_TRUE(s.of("2028-06-05", "uwv-extern.extension-window", "extension.window").empty());
    EXPECT_EQ(s.of("2028-06-06", "uwv-extern.extension-window", "extension.window").size(), 1u);
    const auto f = s.of("2028-08-01", "uwv-extern.extension-window", "extension.window");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].due, d("2028-08-01"));
    EXPECT_TRUE(s.of("2028-08-02", "uwv-extern.extension-window", "extension.window").empty());
    Scenario extended = standard();
    extended.extend("2028-05-01", 12, "UWV besluit");
    EXPECT_TRUE(extended.of("2028-06-06", "uwv-extern.extension-window", "extension.window").empty());
}

// uwv-extern.contract-end --------------------------------------------------------------------------------------

TEST(UwvExternContractEnd, NoticeIsDueOneWeekAfterTheContractEnds)
{
    Scenario s;
    s.contract("2026-01-05", 20);
    s.grant("2026-01-05");
    s.add(EventType::contract_ended, "2026-12-31");
    // contract.ended is known from its own date on (C-6).
    EXPECT_TRUE(s.of("2026-12-30", "uwv-extern.contract-end", "report.due").empty());
    EXPECT_EQ(s.of("2026-12-31", "uwv-extern.contract-end", "report.due").size(), 1u);
    EXPECT_EQ(s.of("2027-01-07", "uwv-extern.contract-end", "report.due").size(), 1u);
    EXPECT_EQ(s.of("2027-01-08", "uwv-extern.contract-end", "report.overdue").size(), 1u);
}

TEST(UwvExternContractEnd, AKnownFixedTermEndIsAnnouncedFourteenDaysAhead)
{
    Scenario s;
    s.contract("2026-01-05", 20, "2026-12-31");
    s.grant("2026-01-05");
    EXPECT_TRUE(s.of("2026-12-23", "uwv-extern.contract-end", "report.due").empty());
    EXPECT_EQ(s.of("2026-12-24", "uwv-extern.contract-end", "report.due").size(), 1u);
    const auto on = s.of("2027-01-07", "uwv-extern.contract-end", "report.due");
    ASSERT_EQ(on.size(), 1u);
    EXPECT_EQ(on[0].due, d("2027-01-07"));
    EXPECT_EQ(s.of("2027-01-08", "uwv-extern.contract-end", "report.overdue").size(), 1u);
    s.report("2027-01-05", "contract-end-notice");
    EXPECT_TRUE(s.of("2027-01-08", "uwv-extern.contract-end", "report.overdue").empty());
}

TEST(UwvExternContractEnd, CoachingOnADayWithoutAContract)
{
    Scenario s;
    s.contract("2026-01-05", 20, "2026-12-31");
    s.grant("2026-01-05");
    s.log("2026-12-31", 60, "uwv-extern");
    EXPECT_TRUE(s.of("2027-01-10", "uwv-extern.contract-end", "coaching.outside_contract").empty());
    s.log("2027-01-01", 45, "uwv-extern");
    const auto f = s.of("2027-01-10", "uwv-extern.contract-end", "coaching.outside_contract");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].due, d("2027-01-01"));
    EXPECT_EQ(f[0].observed_minutes, 45);
}

// Every number in a message comes from the pack: a pack that allows 4 years says 4 years, in both languages.
TEST(UwvMessages, TheMaximumDurationInTheTextIsThePacksNumber)
{
    auto with_max = [](const std::string &file, int months) {
        std::ifstream in(std::string(JC_TEST_SOURCE_DIR) + "/plugins/uwv/rulepacks/" + file);
        std::string json((std::istreambuf_iterator<char>(in)), {});
        const std::string from = "\"max_duration_months\": [\n      { \"valid_from\": ";
        const size_t at = json.find(from);
        EXPECT_NE(at, std::string::npos) << file;
        const size_t value = json.find("\"value\": 36", at);
        EXPECT_NE(value, std::string::npos) << file;
        json.replace(value, 11, "\"value\": " + std::to_string(months));
        return jobcoach::rules::RulePack::parse(json, file);
    };
    jobcoach::rules::RulePackSet set = packs();
    set.add(with_max("uwv-extern.json", 48));
    set.add(with_max("uwv-intern.json", 48));
    Scenario s;
    s.pack_set = &set;
    s.contract("2022-01-03", 36);
    s.grant("2022-01-03");
    // The extension window opens 28 days before the end of the 5th period (2024-07-02): its text names 4 years.
    const auto window = s.of("2024-06-20", "uwv-extern.extension-window", "extension.window");
    ASSERT_EQ(window.size(), 1u);
    EXPECT_THAT(window[0].message_nl, ::testing::HasSubstr("de maximale duur van 4 jaar"));
    EXPECT_THAT(window[0].message_en, ::testing::HasSubstr("its 4-year maximum"));
    const auto expiring = s.of("2025-12-01", "uwv-extern.max-duration", "trajectory.expiring");
    ASSERT_EQ(expiring.size(), 1u);
    EXPECT_THAT(expiring[0].message_nl, ::testing::HasSubstr("Langer dan 4 jaar"));
    EXPECT_THAT(expiring[0].message_en, ::testing::HasSubstr("Beyond 4 years"));
    EXPECT_THAT(expiring[0].message_nl, ::testing::Not(::testing::HasSubstr("3 jaar")));

    Scenario intern;
    intern.scheme = "uwv-intern";
    intern.pack_set = &set;
    intern.contract("2022-01-03", 36);
    intern.grant("2022-01-03");
    const auto intern_expiring = intern.of("2025-12-01", "uwv-intern.period", "trajectory.expiring");
    ASSERT_EQ(intern_expiring.size(), 1u);
    EXPECT_THAT(intern_expiring[0].message_nl, ::testing::HasSubstr("Maximaal 4 perioden van 12 maanden"));
    EXPECT_THAT(intern_expiring[0].message_en, ::testing::HasSubstr("At most 4 periods of 12 months"));
}
