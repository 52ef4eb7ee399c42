// SPDX-License-Identifier: Apache-2.0
// sort_findings (docs/formats.md order: employee, due date with none first, rule id, subject, kind; stable).
#include <jobcoach/rules/engine.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>

using namespace jobcoach::rules;

namespace {

// The order written out plainly, as a reference for the in-place permutation of sort_findings.
std::vector<Finding> reference_sort(std::vector<Finding> v)
{
    std::stable_sort(v.begin(), v.end(), [](const Finding &a, const Finding &b) {
        const int32_t da = a.due ? a.due->days : INT32_MIN, db = b.due ? b.due->days : INT32_MIN;
        return std::tie(a.employee, da, a.rule, a.subject, a.kind) < std::tie(b.employee, db, b.rule, b.subject, b.kind);
    });
    return v;
}

// `employees`: how many employees the findings are of (1: one employee's findings, as evaluating everyone sorts
// them; sort_findings then compares from the due date on).
std::vector<Finding> random_findings(size_t n, uint32_t seed, int employees)
{
    std::mt19937 rng(seed);
    auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<uint32_t>(k)); };
    std::vector<Finding> out(n);
    for (size_t i = 0; i < n; ++i) {
        Finding &f = out[i];
        f.employee = "emp-" + std::to_string(pick(employees));
        if (pick(3) > 0)
            f.due = Date{20000 + pick(5)};
        f.rule = pick(2) == 0 ? "vpw.hour-cap" : "uwv-extern.budget";
        f.subject = "period#" + std::to_string(pick(3));
        f.kind = pick(2) == 0 ? "budget.warning" : "budget.exceeded";
        f.message_en = "finding " + std::to_string(i); // tells equal keys apart: the sort must be stable
        f.explanation = "line " + std::to_string(i);
    }
    return out;
}

} // namespace

TEST(SortFindings, MatchesAStableSortOfTheValues)
{
    for (const int employees : {1, 4})
        for (const size_t n : {0, 1, 2, 3, 7, 32, 33, 50, 400}) // both sides of the 32 sorted on the stack
            for (uint32_t seed = 1; seed <= 5; ++seed) {
                std::vector<Finding> v = random_findings(n, seed, employees);
                const std::vector<Finding> expected = reference_sort(v);
                sort_findings(v);
                ASSERT_EQ(v.size(), expected.size());
                for (size_t i = 0; i < v.size(); ++i) {
                    EXPECT_EQ(v[i].message_en, expected[i].message_en)
                        << "employees=" << employees << " n=" << n << " seed=" << seed << " at " << i;
                    EXPECT_EQ(v[i].explanation, expected[i].explanation);
                }
            }
}

// sorted_order gives the same order without moving a finding (a helper packs its findings in it), its vector's
// storage kept from one call to the next.
TEST(SortFindings, SortedOrderIsTheOrderSortFindingsGivesAndMovesNothing)
{
    std::vector<uint32_t> order = {7, 7, 7}; // (what an earlier call left)
    for (const int employees : {1, 4})
        for (const size_t n : {0, 1, 2, 3, 7, 32, 33, 50, 400})
            for (uint32_t seed = 1; seed <= 5; ++seed) {
                const std::vector<Finding> v = random_findings(n, seed, employees);
                const std::vector<Finding> expected = reference_sort(v);
                sorted_order(v, order);
                ASSERT_EQ(order.size(), v.size());
                for (size_t k = 0; k < v.size(); ++k)
                    EXPECT_EQ(v[order[k]].message_en, expected[k].message_en)
                        << "employees=" << employees << " n=" << n << " seed=" << seed << " at " << k;
            }
}

TEST(SortFindings, NoDueDateComesFirstWithinAnEmployee)
{
    std::vector<Finding> v(3);
    v[0].employee = "b";
    v[1].employee = "a";
    v[1].due = Date{100};
    v[2].employee = "a";
    sort_findings(v);
    EXPECT_EQ(v[0].employee, "a");
    EXPECT_FALSE(v[0].due.has_value());
    EXPECT_EQ(v[1].due, Date{100});
    EXPECT_EQ(v[2].employee, "b");
}
