// SPDX-License-Identifier: Apache-2.0
// FindingMerge (the demo's evaluate without holding the tenant's findings) gives what settle() gives for the
// streams one after another: the same findings, in the same order, those alike once, whatever comes out of order.
#include "finding_merge.hpp"
#include "output.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

using jobcoach::demo::FindingMerge;
using jobcoach::host::Finding;

namespace {

Finding finding(std::mt19937 &rng, int stream)
{
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    Finding f;
    f.plugin_id = "plugin-" + std::to_string(stream);
    f.employee = "E-" + std::to_string(pick(6));
    f.scheme = pick(2) == 0 ? "vpw" : "uwv-extern";
    f.rule = "rule-" + std::to_string(pick(3));
    f.kind = "kind-" + std::to_string(pick(2));
    f.subject = pick(3) == 0 ? std::string() : "s-" + std::to_string(pick(2));
    f.due = pick(4) == 0 ? JC_DATE_NONE : 20000 + pick(5);
    f.severity = pick(3);
    if (pick(2) == 0)
        f.observed_minutes = pick(1000);
    if (pick(3) == 0)
        f.amount_cents = -pick(100);
    f.message_en = "message " + std::to_string(rng()); // differs between findings alike: shows which is kept
    f.message_nl = "bericht ë";
    f.explanation = pick(2) == 0 ? std::string() : "line 1\nline 2";
    if (pick(4) == 0)
        f.employees = {"E-1", "E-22"};
    f.id = std::to_string(rng());
    f.trajectory = static_cast<uint32_t>(pick(3));
    return f;
}

// A plugin's stream: sorted, then a few findings that sort anywhere appended at its end (employer-level ones).
std::vector<Finding> stream(std::mt19937 &rng, int index, int sorted, int late)
{
    std::vector<Finding> out;
    for (int i = 0; i < sorted; ++i)
        out.push_back(finding(rng, index));
    std::stable_sort(out.begin(), out.end(), jobcoach::demo::settles_before);
    for (int i = 0; i < late; ++i)
        out.push_back(finding(rng, index));
    return out;
}

bool same(const Finding &a, const Finding &b)
{
    return a.plugin_id == b.plugin_id && a.employee == b.employee && a.scheme == b.scheme && a.rule == b.rule &&
           a.kind == b.kind && a.subject == b.subject && a.due == b.due && a.severity == b.severity &&
           a.observed_minutes == b.observed_minutes && a.limit_minutes == b.limit_minutes &&
           a.amount_cents == b.amount_cents && a.message_en == b.message_en && a.message_nl == b.message_nl &&
           a.source == b.source && a.employer == b.employer && a.employees == b.employees &&
           a.explanation == b.explanation && a.id == b.id && a.trajectory == b.trajectory && a.change == b.change;
}

} // namespace

TEST(FindingMerge, GivesWhatSettleGivesForTheStreamsOneAfterAnother)
{
    for (unsigned seed = 1; seed <= 200; ++seed) {
        std::mt19937 rng(seed);
        const int streams = 1 + static_cast<int>(seed % 3);
        FindingMerge merge;
        std::vector<Finding> all;
        size_t late_total = 0;
        for (int i = 0; i < streams; ++i) {
            const int late = static_cast<int>(rng() % 4);
            const auto s = stream(rng, i, static_cast<int>(rng() % 40), late);
            merge.next_stream();
            for (const auto &f : s)
                merge.add(f);
            all.insert(all.end(), s.begin(), s.end());
            late_total += static_cast<size_t>(late);
        }
        EXPECT_LE(merge.held(), late_total) << "only what came out of order is held; seed " << seed;
        jobcoach::demo::settle(all);
        std::vector<Finding> merged;
        merge.drain([&](const Finding &f) { merged.push_back(f); });
        ASSERT_EQ(merged.size(), all.size()) << "seed " << seed;
        for (size_t k = 0; k < all.size(); ++k)
            ASSERT_TRUE(same(merged[k], all[k])) << "seed " << seed << ", finding " << k << ": " << merged[k].employee
                                                 << " " << merged[k].rule << " vs " << all[k].employee << " " << all[k].rule;
    }
}

TEST(FindingMerge, ADiscardedStreamShowsNothing)
{
    std::mt19937 rng(7);
    FindingMerge merge;
    merge.next_stream();
    const Finding kept = finding(rng, 0);
    merge.add(kept);
    merge.next_stream();
    for (int i = 0; i < 5; ++i)
        merge.add(finding(rng, 1));
    merge.discard_stream();
    std::vector<Finding> merged;
    merge.drain([&](const Finding &f) { merged.push_back(f); });
    ASSERT_EQ(merged.size(), 1u);
    EXPECT_TRUE(same(merged[0], kept));
}
