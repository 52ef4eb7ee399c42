// SPDX-License-Identifier: Apache-2.0
// docs/rules.md C-3 and C-4: contract hours, agreed minutes, the part-time factor, the end of employment.
#include "engine/fixtures.hpp"

#include <jobcoach/rules/contracts.hpp>

#include <gtest/gtest.h>

using namespace jobcoach::test;
using jobcoach::rules::ContractTimeline;
using jobcoach::rules::Span;

namespace {
ContractTimeline timeline(const Scenario &s)
{
    std::vector<const Event *> list;
    for (const auto &e : s.events)
        list.push_back(&e);
    return ContractTimeline::build(list, d("2199-01-01"));
}
} // namespace

TEST(Contracts, WeeklyMinutesFollowChangesAndEnd)
{
    Scenario s;
    s.contract("2026-01-05", 20, "2026-06-30");
    auto &change = s.add(EventType::contract_changed, "2026-03-01");
    change.weekly_minutes = 32 * 60;
    const auto t = timeline(s);
    EXPECT_EQ(t.weekly_minutes(d("2026-01-04")), 0);
    EXPECT_EQ(t.weekly_minutes(d("2026-01-05")), 1200);
    EXPECT_EQ(t.weekly_minutes(d("2026-02-28")), 1200);
    EXPECT_EQ(t.weekly_minutes(d("2026-03-01")), 1920);
    EXPECT_EQ(t.weekly_minutes(d("2026-06-30")), 1920);
    EXPECT_EQ(t.weekly_minutes(d("2026-07-01")), 0);
}

TEST(Contracts, AgreedMinutesAreExactUntilTheEnd)
{
    Scenario s;
    s.contract("2026-01-05", 20);
    const auto t = timeline(s);
    // 7 days of 20 h a week: exactly 1200 minutes.
    EXPECT_EQ(t.agreed_minutes(Span{d("2026-01-05"), d("2026-01-11")}), 1200);
    // 3 days: 3 × 1200 / 7 = 514.28…, rounded down once.
    EXPECT_EQ(t.agreed_minutes(Span{d("2026-01-05"), d("2026-01-07")}), 514);
    // Days before the contract count as 0.
    EXPECT_EQ(t.agreed_minutes(Span{d("2026-01-01"), d("2026-01-07")}), 514);
}

TEST(Contracts, ContractEndedOverridesAPlannedEnd)
{
    Scenario s;
    s.contract("2026-01-05", 20, "2026-12-31");
    s.add(EventType::contract_ended, "2026-05-31");
    const auto t = timeline(s);
    EXPECT_TRUE(t.has_contract(d("2026-05-31")));
    EXPECT_FALSE(t.has_contract(d("2026-06-01")));
    EXPECT_EQ(t.employment_end(d("2026-02-01")), d("2026-05-31"));
}

TEST(Contracts, AdjoiningContractsAreOneEmployment)
{
    Scenario s;
    s.contract("2026-01-05", 20, "2026-06-30");
    s.contract("2026-07-01", 24, "2027-06-30");
    EXPECT_EQ(timeline(s).employment_end(d("2026-02-01")), d("2027-06-30"));
    Scenario gap;
    gap.contract("2026-01-05", 20, "2026-06-30");
    gap.contract("2026-07-02", 24, "2027-06-30"); // one day without a contract
    EXPECT_EQ(timeline(gap).employment_end(d("2026-02-01")), d("2026-06-30"));
    Scenario open;
    open.contract("2026-01-05", 20, "2026-06-30");
    open.contract("2026-06-15", 24);
    EXPECT_FALSE(timeline(open).employment_end(d("2026-02-01")));
}

TEST(Contracts, PartTimeFactorAveragesOverContractDays)
{
    Scenario s;
    s.contract("2026-01-01", 12, "2026-01-10"); // 10 days at 12 h: factor 0.5
    s.contract("2026-01-11", 36);               // at or above 24 h: factor 1
    const auto t = timeline(s);
    const auto [num, den] = t.part_time_factor(Span{d("2026-01-01"), d("2026-01-20")}, 24 * 60);
    EXPECT_EQ(num * 4, den * 3); // (10 × 0.5 + 10 × 1) / 20 = 0.75
    const auto [n0, d0] = t.part_time_factor(Span{d("2025-01-01"), d("2025-01-31")}, 24 * 60);
    EXPECT_EQ(n0, d0); // no contract day: 1
}
