// SPDX-License-Identifier: Apache-2.0
// docs/rules.md §8, "Settled readings": one test per reading, named after it, on the boundaries the reading decides.
// (R-7 is pinned across both plugins in tests/e2e/test_scenarios.cpp, SettledReadings.R7_….)
#include "engine/fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace jobcoach::test;
using jobcoach::rules::BudgetStatus;
using jobcoach::rules::DueStatus;

namespace {

BudgetStatus budget(const Scenario &s, const char *as_of, const std::string &subject)
{
    for (const auto &t : s.status(as_of))
        for (const auto &b : t.budgets)
            if (b.subject == subject)
                return b;
    throw std::runtime_error("no budget " + subject);
}

DueStatus due(const Scenario &s, const char *as_of, const std::string &kind, int number)
{
    for (const auto &t : s.status(as_of))
        for (const auto &d : t.dues)
            if (d.kind == kind && d.number == number)
                return d;
    throw std::runtime_error("no due " + kind);
}

} // namespace

// periods after the first are anchored on S (add_months(S, 6k)), not chained, so a clamped month end does not
// drift: S = 2026-08-31 gives period 2 ending 2027-08-30 (chained it would end 2027-08-27).
TEST(SettledReadings, R1_PeriodsAreAnchoredOnTheStartNotChained)
{
    Scenario s;
    s.contract("2026-08-31", 36);
    s.grant("2026-08-31");
    const BudgetStatus p1 = budget(s, "2027-09-30", "period#1");
    EXPECT_EQ(p1.span.first, d("2026-08-31"));
    EXPECT_EQ(p1.span.last, d("2027-02-27"));
    const BudgetStatus p2 = budget(s, "2027-09-30", "period#2");
    EXPECT_EQ(p2.span.first, d("2027-02-28"));
    EXPECT_EQ(p2.span.last, d("2027-08-30"));
}

// a period that contains the trajectory's close ends at the close: its report is due 28 days after the close,
// not after the planned period end.
TEST(SettledReadings, R2_APeriodThatHoldsTheCloseEndsThere)
{
    Scenario s;
    s.contract("2026-01-05", 36);
    s.grant("2026-01-05");
    s.add(jobcoach::rules::EventType::coaching_ended, "2026-09-30").scheme = "uwv-extern";
    const BudgetStatus p2 = budget(s, "2026-12-31", "period#2");
    EXPECT_EQ(p2.span.first, d("2026-07-05"));
    EXPECT_EQ(p2.span.last, d("2026-09-30")); // planned 2027-01-04
    EXPECT_EQ(due(s, "2026-12-31", "period-report", 2).due, d("2026-10-28"));
}

// the short first period uses the contract's end as known on S; a later change of that contract does not
// reshape it (an 8-month contract, extended after S, still gives an 8-month first period).
TEST(SettledReadings, R3_TheFirstPeriodUsesTheContractAsKnownOnTheStart)
{
    Scenario s;
    s.contract("2026-01-05", 20, "2026-09-04");
    s.grant("2026-01-05");
    auto &change = s.add(jobcoach::rules::EventType::contract_changed, "2026-03-02");
    change.end_change = jobcoach::rules::EndChange::open;
    const BudgetStatus p1 = budget(s, "2026-12-31", "period#1");
    EXPECT_EQ(p1.span.last, d("2026-09-04")); // the contract's end as known on S, not 6 months
    const BudgetStatus p2 = budget(s, "2026-12-31", "period#2");
    EXPECT_EQ(p2.span.first, d("2026-09-05"));
}

// the 80 % and 100 % tests compare used minutes with limit_minutes, the budget rounded down to whole minutes.
// A budget of 20 h/week × 10 % over the first period: exactly at the limit is a warning, one minute more exceeds.
TEST(SettledReadings, R8_BudgetTestsCompareWithTheBudgetRoundedDown)
{
    Scenario s;
    s.contract("2026-01-05", 20);
    s.grant("2026-01-05");
    const int64_t limit = budget(s, "2026-02-01", "period#1").limit_minutes;
    ASSERT_GT(limit, 0);
    int64_t left = limit;
    for (int day = 0; left > 0; ++day) {
        const auto minutes = static_cast<int32_t>(std::min<int64_t>(left, 1440));
        Date on = jobcoach::rules::add_days(d("2026-01-06"), day);
        s.add(jobcoach::rules::EventType::timesheet_logged, on.iso().c_str()).minutes = minutes;
        left -= minutes;
    }
    auto kinds = [&] {
        std::vector<std::string> out;
        for (const auto &f : s.findings("2026-06-01"))
            if (f.rule == "uwv-extern.budget")
                out.push_back(f.kind + " " + std::to_string(f.observed_minutes.value_or(-1)) + "/" +
                              std::to_string(f.limit_minutes.value_or(-1)));
        return out;
    };
    EXPECT_EQ(kinds(), std::vector<std::string>{"budget.warning " + std::to_string(limit) + "/" + std::to_string(limit)});
    s.add(jobcoach::rules::EventType::timesheet_logged, "2026-06-01").minutes = 1;
    EXPECT_EQ(kinds(), std::vector<std::string>{"budget.exceeded " + std::to_string(limit + 1) + "/" + std::to_string(limit)});
}

// the level and granted hours of a span come from the latest coaching.granted dated inside it; a grant without
// granted_hours means the estimate for its level.
TEST(SettledReadings, R9_TheLatestGrantInsideTheSpanSetsItsBudget)
{
    Scenario s;
    s.contract("2026-01-05", 36);
    s.grant("2026-01-05", "midden", 60 * 60);  // 60 h granted for period 1
    s.grant("2026-03-02", "midden", 40 * 60);  // a later decision inside period 1: 40 h
    s.grant("2026-08-03", "intensief");        // period 2: no hours, so the estimate for intensief
    EXPECT_EQ(budget(s, "2026-12-31", "period#1").limit_minutes, 40 * 60);
    Scenario estimate = s;
    estimate.events.back().level = "midden";
    EXPECT_GT(budget(s, "2026-12-31", "period#2").limit_minutes,
              budget(estimate, "2026-12-31", "period#2").limit_minutes); // intensief estimates more than midden
}

// an event dated after a trajectory closed still applies by its date: an extension granted a little after
// the maximum end moves it.
TEST(SettledReadings, R12_ALateExtensionStillAppliesByItsDate)
{
    Scenario s;
    s.contract("2026-01-05", 36);
    s.grant("2026-01-05");
    const Date max_end = s.status("2029-02-01").at(0).max_end;
    EXPECT_EQ(max_end, d("2029-01-04"));
    s.extend("2029-01-20", 6, "onderbouwd"); // after the maximum end
    EXPECT_EQ(s.status("2029-02-01").at(0).max_end, d("2029-07-04"));
}

namespace {

// A 24 h/week contract and a midden uwv-intern grant from 2026-01-01 (24 h: part-time factor 1).
Scenario intern(const char *end, int32_t prior_months = -1)
{
    Scenario s;
    s.scheme = "uwv-intern";
    s.contract("2026-01-01", 24, end);
    s.grant("2026-01-01").prior_months = prior_months;
    return s;
}

std::string figure(const jobcoach::rules::TrajectoryStatus &t, const std::string &name)
{
    for (const auto &f : t.figures)
        if (f.name == name)
            return f.value;
    return "(no figure " + name + ")";
}

} // namespace

// prior_months shorten the maximum end and advance the period index by whole periods (prior / 12): 11 months
// keep period 1 at year-1 numbers (EUR 4,500), 12 move it to year 2 (EUR 2,700).
TEST(SettledReadings, R5_PriorMonthsShortenTheTrajectoryAndAdvanceWholePeriods)
{
    const auto eleven = intern(nullptr, 11).status("2026-02-01").at(0);
    EXPECT_EQ(eleven.max_end, d("2028-01-31")); // S + 25 months - 1
    EXPECT_EQ(figure(eleven, "subsidy period#1").substr(0, 12), "EUR 4,500.00");
    const auto twelve = intern(nullptr, 12).status("2026-02-01").at(0);
    EXPECT_EQ(twelve.max_end, d("2027-12-31")); // S + 24 months - 1
    EXPECT_EQ(figure(twelve, "subsidy period#1").substr(0, 12), "EUR 2,700.00");
}

// the subsidy earned is (whole months employed + the days of the partial month as a share of that month) / 12
// of the period's amount; the rest is to repay. Through all of February (a month end): 2 whole months; half of
// February (14 of its 28 days): 1.5 months.
TEST(SettledReadings, R6_RepaymentCountsWholeMonthsAndThePartMonthsDays)
{
    const auto feb_end = intern("2026-02-28").of("2026-03-01", "uwv-intern.subsidy", "subsidy.repayment_risk");
    ASSERT_EQ(feb_end.size(), 1u);
    EXPECT_EQ(feb_end[0].amount_cents, 450000 - 450000 * 2 / 12);
    const auto mid_feb = intern("2026-02-14").of("2026-03-01", "uwv-intern.subsidy", "subsidy.repayment_risk");
    ASSERT_EQ(mid_feb.size(), 1u);
    EXPECT_EQ(mid_feb[0].amount_cents, 450000 - 450000 * 3 / 24);
}

// extension.window shows only while the trajectory is open on D. A uwv-extern trajectory ended by
// coaching.ended before the window shows none in it.
TEST(SettledReadings, R10_TheExtensionWindowOnlyWhileTheTrajectoryIsOpen)
{
    Scenario open;
    open.contract("2026-01-05", 36);
    open.grant("2026-01-05");
    // The 5th period ends 2028-07-04; the window runs from 28 days before it to its report's due date.
    EXPECT_EQ(open.of("2028-06-20", "uwv-extern.extension-window", "extension.window").size(), 1u);
    Scenario ended = open;
    ended.add(jobcoach::rules::EventType::coaching_ended, "2028-06-01").scheme = "uwv-extern";
    EXPECT_TRUE(ended.of("2028-06-20", "uwv-extern.extension-window", "extension.window").empty());
}

// next visits are clustered when their due dates lie at most 14 days apart, an overdue visit counting as due
// on D: an overdue visit (due 2026-04-02) and one due 2026-05-01 cluster as of 2026-04-20 (11 days), and would not
// if the overdue one counted at its own date (29 days).
TEST(SettledReadings, R11_AnOverdueVisitCountsAsDueOnTheDate)
{
    Scenario s;
    s.scheme = "wsp-rijnmond";
    s.employee = "E-A";
    s.contract("2026-03-02", 32);
    s.grant("2026-03-02", "pakket-1"); // next visit due 2026-04-02, overdue by 2026-04-20
    s.employee = "E-B";
    s.contract("2026-04-01", 32);
    s.grant("2026-04-01", "pakket-1"); // next visit due 2026-05-01
    const auto cluster = s.of("2026-04-20", "wsp-rijnmond.cluster", "visits.cluster");
    ASSERT_EQ(cluster.size(), 1u);
    EXPECT_EQ(cluster[0].employees, (std::vector<std::string>{"E-A", "E-B"}));
    EXPECT_TRUE(s.of("2026-04-16", "wsp-rijnmond.cluster", "visits.cluster").empty()); // as of 04-16: 15 days apart
}

// for leidraad.justification the "computed standard budget" is the estimate for the standard level midden,
// whatever the grant's level: licht with exactly midden's estimate needs no justification, one minute more does.
TEST(SettledReadings, R4_TheStandardBudgetIsTheMiddenEstimate)
{
    Scenario estimate;
    estimate.contract("2026-01-05", 36);
    estimate.grant("2026-01-05", "midden");
    const int64_t midden = budget(estimate, "2026-02-01", "period#1").limit_minutes;
    ASSERT_GT(midden, 0);
    auto deviations = [](int64_t granted) {
        Scenario s;
        s.contract("2026-01-05", 36);
        s.grant("2026-01-05", "licht", granted);
        return s.of("2026-02-01", "leidraad.justification", "deviation.unjustified").size();
    };
    EXPECT_EQ(deviations(midden), 0u);     // above licht's own estimate (6 %), but not above the standard
    EXPECT_EQ(deviations(midden + 1), 1u);
}
