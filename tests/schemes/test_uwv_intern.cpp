// SPDX-License-Identifier: Apache-2.0
// docs/rules.md §3 (uwv-intern) on its boundaries: periods and prior months, budgets at exactly 80 % and 100 %, the
// subsidy with the part-time factor and its repayment in cents, continuation requests the day before, on and
// after their due date, contract end, leap years.
#include "engine/fixtures.hpp"

#include <gtest/gtest.h>

using namespace jobcoach::test;

namespace {

// A 24 h/week contract and a midden uwv-intern grant from 2026-01-01. `end`: the contract's last day.
Scenario intern(const char *end = nullptr, double hours = 24, int32_t prior_months = -1)
{
    Scenario s;
    s.scheme = "uwv-intern";
    s.contract("2026-01-01", hours, end);
    s.grant("2026-01-01").prior_months = prior_months;
    return s;
}

const jobcoach::rules::TrajectoryStatus &only(const std::vector<jobcoach::rules::TrajectoryStatus> &st)
{
    EXPECT_EQ(st.size(), 1u);
    return st.at(0);
}

std::string figure(const jobcoach::rules::TrajectoryStatus &st, const std::string &name)
{
    for (const auto &f : st.figures)
        if (f.name == name)
            return f.value;
    return "(none)";
}

} // namespace

// uwv-intern.period ---------------------------------------------------------------------------------------------

TEST(UwvInternPeriod, ThreePeriodsOfTwelveMonthsAndTheMaximumEnd)
{
    const auto st = only(intern().status("2029-06-01"));
    EXPECT_EQ(st.max_end, d("2028-12-31"));
    ASSERT_EQ(st.budgets.size(), 3u);
    EXPECT_EQ(st.budgets[0].span, (jobcoach::rules::Span{d("2026-01-01"), d("2026-12-31")}));
    EXPECT_EQ(st.budgets[1].span.first, d("2027-01-01"));
    EXPECT_EQ(st.budgets[2].span.last, d("2028-12-31"));
}

TEST(UwvInternPeriod, PriorExternalMonthsAreDeductedAndCountTowardTheYear)
{
    // 30 months of external coaching before: one internal period of 6 months, at year-3 numbers (3 %, € 1,400).
    const auto st = only(intern(nullptr, 24, 30).status("2026-03-01"));
    EXPECT_EQ(st.max_end, d("2026-06-30"));
    ASSERT_EQ(st.budgets.size(), 1u);
    EXPECT_EQ(st.budgets[0].span.last, d("2026-06-30"));
    // 181 days × 1440 / 7 × 3 % = 1117.03 -> 1117 minutes.
    EXPECT_EQ(st.budgets[0].limit_minutes, 1117);
    EXPECT_EQ(figure(st, "subsidy period#1").substr(0, 12), "EUR 1,400.00");

    const auto six = only(intern(nullptr, 24, 6).status("2028-03-01"));
    EXPECT_EQ(six.max_end, d("2028-06-30"));
    ASSERT_EQ(six.budgets.size(), 3u);
    EXPECT_EQ(six.budgets[2].span, (jobcoach::rules::Span{d("2028-01-01"), d("2028-06-30")}));
    EXPECT_EQ(figure(six, "subsidy period#2").substr(0, 12), "EUR 2,700.00"); // year 2
    EXPECT_EQ(figure(six, "subsidy period#3").substr(0, 12), "EUR 1,400.00"); // year 3
}

TEST(UwvInternPeriod, ExpiryAroundALeapDayStart)
{
    Scenario s;
    s.scheme = "uwv-intern";
    s.contract("2024-02-29", 24);
    s.grant("2024-02-29");
    // add_months(2024-02-29, 36) = 2027-02-28, so the maximum end is 2027-02-27; 90 days before is 2026-11-29.
    EXPECT_TRUE(s.of("2026-11-28", "uwv-intern.period", "trajectory.expiring").empty());
    const auto on = s.of("2026-11-29", "uwv-intern.period", "trajectory.expiring");
    ASSERT_EQ(on.size(), 1u);
    EXPECT_EQ(on[0].due, d("2027-02-27"));
    EXPECT_EQ(s.of("2027-02-27", "uwv-intern.period", "trajectory.expiring").size(), 1u);
    EXPECT_TRUE(s.of("2027-02-28", "uwv-intern.period", "trajectory.expiring").empty());
    s.log("2027-02-27", 60, "uwv-intern");
    s.log("2027-02-28", 45, "uwv-intern");
    const auto expired = s.of("2027-03-10", "uwv-intern.period", "trajectory.expired");
    ASSERT_EQ(expired.size(), 1u);
    EXPECT_EQ(expired[0].observed_minutes, 45);
}

// uwv-intern.budget -----------------------------------------------------------------------------------------------

class InternBudget : public ::testing::TestWithParam<std::pair<int32_t, const char *>> {};

TEST_P(InternBudget, TenPercentOfAgreedHoursWarnsFromEightyPercent)
{
    // 365 days × 1440 / 7 = 75085.71 agreed minutes; 10 % = 7508.57 -> 7508. 80 % of 7508 = 6006.4.
    auto s = intern();
    s.log("2026-06-01", GetParam().first, "uwv-intern");
    std::vector<Finding> budget;
    for (const auto &f : s.findings("2026-12-01"))
        if (f.rule == "uwv-intern.budget")
            budget.push_back(f);
    if (GetParam().second == nullptr) {
        EXPECT_TRUE(budget.empty());
        return;
    }
    ASSERT_EQ(budget.size(), 1u);
    EXPECT_EQ(budget[0].kind, GetParam().second);
    EXPECT_EQ(budget[0].limit_minutes, 7508);
    EXPECT_EQ(budget[0].observed_minutes, GetParam().first);
}

INSTANTIATE_TEST_SUITE_P(Boundaries, InternBudget,
                         ::testing::Values(std::pair<int32_t, const char *>{6006, nullptr},
                                           std::pair<int32_t, const char *>{6007, "budget.warning"},
                                           std::pair<int32_t, const char *>{7508, "budget.warning"},
                                           std::pair<int32_t, const char *>{7509, "budget.exceeded"}));

TEST(UwvInternBudget, GrantedHoursReplaceTheEstimateAndAboveStandardNeedAJustification)
{
    auto s = intern();
    s.events.back().granted_minutes = 9000; // above the 7508-minute standard, no justification
    s.log("2026-03-01", 9001, "uwv-intern");
    const auto exceeded = s.of("2026-04-01", "uwv-intern.budget", "budget.exceeded");
    ASSERT_EQ(exceeded.size(), 1u);
    EXPECT_EQ(exceeded[0].limit_minutes, 9000);
    EXPECT_EQ(s.of("2026-04-01", "leidraad.justification", "deviation.unjustified").size(), 1u);
    s.events[1].justification = "Complex werkplek; afgestemd met UWV.";
    EXPECT_TRUE(s.of("2026-04-01", "leidraad.justification", "deviation.unjustified").empty());
}

// uwv-intern.subsidy ----------------------------------------------------------------------------------------------

TEST(UwvInternSubsidy, NormbedragTimesThePartTimeFactor)
{
    EXPECT_EQ(figure(only(intern().status("2026-02-01")), "subsidy period#1").substr(0, 12), "EUR 4,500.00");
    EXPECT_EQ(figure(only(intern(nullptr, 12).status("2026-02-01")), "subsidy period#1").substr(0, 12), "EUR 2,250.00");
    EXPECT_EQ(figure(only(intern(nullptr, 36).status("2026-02-01")), "subsidy period#1").substr(0, 12), "EUR 4,500.00");
}

TEST(UwvInternSubsidy, LeavingAfterThreeOfTwelveMonthsKeepsThreeTwelfths)
{
    // PIJ15 4.1 Ex. 6: € 4,500 paid in advance, the employee leaves after 3 months: € 1,125 is earned.
    const auto f = intern("2026-03-31").of("2026-04-01", "uwv-intern.subsidy", "subsidy.repayment_risk");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].amount_cents, 450000 - 112500);
    EXPECT_EQ(f[0].due, d("2026-03-31"));
    EXPECT_EQ(f[0].severity, jobcoach::rules::Severity::high);
}

TEST(UwvInternSubsidy, RepaymentCountsTheDaysOfAPartMonth)
{
    // 3 months and 15 of April's 30 days: 450000 × 105 / 360 = 131250 earned.
    const auto mid = intern("2026-04-15").of("2026-05-01", "uwv-intern.subsidy", "subsidy.repayment_risk");
    ASSERT_EQ(mid.size(), 1u);
    EXPECT_EQ(mid[0].amount_cents, 450000 - 131250);
    // One day before the period's end: 11 months and 30 of December's 31 days: 450000 × 371 / 372 = 448790.
    const auto late = intern("2026-12-30").of("2027-01-01", "uwv-intern.subsidy", "subsidy.repayment_risk");
    ASSERT_EQ(late.size(), 1u);
    EXPECT_EQ(late[0].amount_cents, 450000 - 448790);
    // Ending on the period's last day: the whole subsidy is earned.
    EXPECT_TRUE(intern("2026-12-31").of("2027-01-01", "uwv-intern.subsidy", "subsidy.repayment_risk").empty());
}

// uwv-intern.continuation -----------------------------------------------------------------------------------------

TEST(UwvInternContinuation, DueTwentyEightDaysAfterThePeriodEnds)
{
    const auto s = intern();
    // Period 1 ends 2026-12-31: due 2027-01-28, shown from 14 days before (2027-01-14).
    EXPECT_TRUE(s.of("2027-01-13", "uwv-intern.continuation", "report.due").empty());
    ASSERT_EQ(s.of("2027-01-14", "uwv-intern.continuation", "report.due").size(), 1u);
    const auto on = s.of("2027-01-28", "uwv-intern.continuation", "report.due");
    ASSERT_EQ(on.size(), 1u);
    EXPECT_EQ(on[0].due, d("2027-01-28"));
    EXPECT_EQ(on[0].subject, "continuation#1");
    EXPECT_TRUE(s.of("2027-01-28", "uwv-intern.continuation", "report.overdue").empty());
    EXPECT_EQ(s.of("2027-01-29", "uwv-intern.continuation", "report.overdue").size(), 1u);
    auto filed = intern();
    filed.report("2027-01-20", "continuation");
    EXPECT_TRUE(filed.of("2027-01-29", "uwv-intern.continuation", "report.overdue").empty());
}

TEST(UwvInternContinuation, NoneAfterTheLastAllowedPeriod)
{
    std::vector<std::string> subjects;
    for (const auto &f : intern().of("2029-03-01", "uwv-intern.continuation", "report.overdue"))
        subjects.push_back(f.subject);
    EXPECT_EQ(subjects, (std::vector<std::string>{"continuation#1", "continuation#2"}));
    // 24 prior months leave one period: no continuation at all.
    EXPECT_TRUE(intern(nullptr, 24, 24).of("2027-03-01", "uwv-intern.continuation", "report.overdue").empty());
}

// uwv-intern.contract-end ---------------------------------------------------------------------------------------

TEST(UwvInternContractEnd, NoticeWithinOneWeekAndNoCoachingAfterTheEnd)
{
    auto s = intern("2026-03-31");
    EXPECT_EQ(s.of("2026-04-07", "uwv-intern.contract-end", "report.due").size(), 1u);
    const auto overdue = s.of("2026-04-08", "uwv-intern.contract-end", "report.overdue");
    ASSERT_EQ(overdue.size(), 1u);
    EXPECT_EQ(overdue[0].due, d("2026-04-07"));
    s.log("2026-04-02", 30, "uwv-intern");
    EXPECT_EQ(s.of("2026-04-08", "uwv-intern.contract-end", "coaching.outside_contract").size(), 1u);
}

TEST(UwvInternExplain, RepaymentExplainsItsComputation)
{
    const auto f = intern("2026-03-31").of("2026-04-01", "uwv-intern.subsidy", "subsidy.repayment_risk");
    ASSERT_EQ(f.size(), 1u);
    const std::string all = f[0].explanation + "\n";
    EXPECT_NE(all.find("normbedrag: EUR 4,500.00 for level midden, year 1 (rule pack uwv-intern, subsidy_euro, "
                       "valid from 2015-01-01"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find("earned: 112500 cents"), std::string::npos) << all;
}
