// SPDX-License-Identifier: Apache-2.0
// The rules shared by every scheme (docs/rules.md §6: the Leidraad, the definition of jobcoaching, no hour lost)
// and the convention that findings follow the dated facts, not their arrival (C-6), on their boundaries.
#include "engine/fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

using namespace jobcoach::test;

// Across schemes (§6) ------------------------------------------------------------------------------------------

TEST(PaidWork, UnpaidWorkWithoutProspectIsNotJobcoaching)
{
    Scenario s;
    s.contract("2026-01-05", 20).paid = false;
    s.events[0].paid_prospect = false;
    s.grant("2026-01-05");
    EXPECT_EQ(s.of("2026-01-05", "jobcoaching.paid-work", "eligibility.not_jobcoaching").size(), 1u);
    s.events[0].paid_prospect = true; // social activation with a prospect of paid work is allowed
    EXPECT_TRUE(s.of("2026-01-05", "jobcoaching.paid-work", "eligibility.not_jobcoaching").empty());
}

TEST(Unassigned, CoachingWithoutAnOpenTrajectory)
{
    Scenario s;
    s.contract("2026-01-05", 20);
    s.log("2026-01-04", 30);                 // before any trajectory
    s.grant("2026-01-05");
    s.log("2026-01-05", 30);                 // inside: counted
    s.log("2026-02-01", 30, "vpw");          // names a scheme with no trajectory at all
    const auto f = s.of("2026-03-01", "coaching.unassigned", "coaching.unassigned");
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].scheme, "any");
    EXPECT_EQ(f[0].due, d("2026-01-04"));
    EXPECT_EQ(f[1].scheme, "vpw");
    // Hours of another plugin's open trajectory are left to that plugin.
    Event &vpw = s.add(EventType::coaching_granted, "2026-01-20");
    vpw.scheme = "vpw";
    EXPECT_EQ(s.of("2026-03-01", "coaching.unassigned", "coaching.unassigned").size(), 1u);
}

TEST(Justification, DeviationsWithoutAJustification)
{
    Scenario s = standard();
    s.extend("2028-09-01", 6);
    const auto f = s.of("2028-09-02", "leidraad.justification", "deviation.unjustified");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].subject, s.events.back().id);
    s.events.back().justification = "Tijdelijke disbalans thuis; UWV besluit 2028-09-01";
    EXPECT_TRUE(s.of("2028-09-02", "leidraad.justification", "deviation.unjustified").empty());

    Scenario intensief;
    intensief.contract("2026-01-05", 20);
    intensief.grant("2026-01-05", "intensief");
    EXPECT_EQ(intensief.of("2026-01-06", "leidraad.justification", "deviation.unjustified").size(), 1u);

    // Granted hours above the standard (midden, 3102 minutes in period 1) need a justification too.
    Scenario above = standard();
    above.events[1].granted_minutes = 3103;
    EXPECT_EQ(above.of("2026-01-06", "leidraad.justification", "deviation.unjustified").size(), 1u);
    above.events[1].granted_minutes = 3102;
    EXPECT_TRUE(above.of("2026-01-06", "leidraad.justification", "deviation.unjustified").empty());
}

// C-6 ----------------------------------------------------------------------------------------------------------

TEST(AsOf, FindingsDoNotDependOnArrivalOrderAndIgnoreLaterEvents)
{
    Scenario s = standard();
    s.log("2026-02-02", 1440 * 3, "uwv-extern");
    s.report("2026-07-20", "period-report");
    s.log("2026-09-01", 60, "uwv-extern");
    auto key = [](const std::vector<Finding> &fs) {
        std::vector<std::string> out;
        for (const auto &f : fs)
            out.push_back(f.rule + "|" + f.kind + "|" + f.subject + "|" + (f.due ? f.due->iso() : "") + "|" + f.message_en);
        return out;
    };
    const auto forward = key(s.findings("2026-08-15"));
    Scenario reversed = s;
    std::reverse(reversed.events.begin(), reversed.events.end());
    for (size_t i = 0; i < reversed.events.size(); ++i)
        reversed.events[i].seq = static_cast<int64_t>(i + 1);
    EXPECT_EQ(key(reversed.findings("2026-08-15")), forward);
    EXPECT_FALSE(forward.empty());
}
