// SPDX-License-Identifier: Apache-2.0
// docs/rules.md C-3 and C-4: contract hours, agreed minutes, the part-time factor, the end of employment.
#include "engine/fixtures.hpp"

#include <jobcoach/rules/contracts.hpp>

#include <gtest/gtest.h>

using namespace jobcoach::test;
using jobcoach::rules::ContractTimeline;
using jobcoach::rules::EndChange;
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

// weekly_minutes_sum and part_time_factor sum a run of alike days at a time (change_days): the same as summing
// day by day, for timelines of overlapping, ending, changing and ended contracts and spans over their edges
// (leap days included).
TEST(Contracts, SumsOverRunsOfAlikeDaysEqualTheSumsDayByDay)
{
    uint64_t seed = 12345;
    auto next = [&](int n) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<int>((seed >> 33) % static_cast<uint64_t>(n));
    };
    const int base = d("2023-11-01").days;
    auto day = [&](int offset) { return jobcoach::rules::Date{base + offset}; };
    for (int round = 0; round < 200; ++round) {
        Scenario s;
        const int contracts = 1 + next(3);
        for (int c = 0; c < contracts; ++c) {
            Event &e = s.add(EventType::contract_started, "2024-01-01");
            e.date = day(next(700));
            e.employer = "ACME";
            e.weekly_minutes = 60 * (4 + next(40));
            if (next(2) == 0)
                e.end = day(e.date.days - base + next(500));
            for (int k = next(4); k > 0; --k) {
                Event &change = s.add(EventType::contract_changed, "2024-01-01");
                change.date = day(next(800));
                change.weekly_minutes = next(3) == 0 ? -1 : 60 * (1 + next(40));
                const int what = next(4);
                change.end_change = what == 0 ? EndChange::set : what == 1 ? EndChange::open : EndChange::unchanged;
                if (change.end_change == EndChange::set)
                    change.end = day(change.date.days - base + next(300));
            }
            if (next(4) == 0)
                s.add(EventType::contract_ended, "2024-01-01").date = day(next(800));
        }
        std::stable_sort(s.events.begin(), s.events.end(), [](const Event &a, const Event &b) { return a.date < b.date; });
        const auto t = timeline(s);
        for (int k = 0; k < 20; ++k) {
            const auto from = day(next(900) - 50);
            const Span whole{from, day(from.days - base + next(400))};
            int64_t sum = 0, numerator = 0, days = 0;
            const int64_t full_week = 24 * 60;
            for (auto x = whole.first; x <= whole.last; x = jobcoach::rules::add_days(x, 1)) {
                sum += t.weekly_minutes(x);
                if (t.has_contract(x)) {
                    numerator += std::min<int64_t>(t.weekly_minutes(x), full_week);
                    ++days;
                }
            }
            const auto expected_factor = days == 0 ? std::pair<int64_t, int64_t>{1, 1}
                                                   : std::pair<int64_t, int64_t>{numerator, days * full_week};
            ASSERT_EQ(t.weekly_minutes_sum(whole), sum) << "round " << round << " from " << whole.first.iso();
            ASSERT_EQ(t.part_time_factor(whole, full_week), expected_factor) << "round " << round;
        }
    }
}
