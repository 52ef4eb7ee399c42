// SPDX-License-Identifier: Apache-2.0
// Contract hours over time (docs/rules.md C-3, C-4).
#pragma once

#include "jobcoach/rules/date.hpp"
#include "jobcoach/rules/event.hpp"

#include <boost/container/small_vector.hpp>

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace jobcoach::rules {

struct ContractSegment {
    Date start;
    std::optional<Date> end; // last day; nullopt: open-ended
    std::string employer;
    bool paid = true;
    bool paid_prospect = true;
    // Change points, the first at `start`. An employee's timeline is built for every evaluation: a few are held
    // in place, without an allocation.
    boost::container::small_vector<std::pair<Date, int32_t>, 4> weekly_minutes;

    bool covers(Date d) const { return start <= d && (!end || d <= *end); }
};

class ContractTimeline {
public:
    // A few held in place: a timeline and its change days are made for every employee and span evaluated, and
    // most hold one to four (allocating them was about 8 % of an evaluation's allocations, heaptrack).
    using Segments = boost::container::small_vector<ContractSegment, 2>;
    using Days = boost::container::small_vector<Date, 16>;

    // From the contract events among `events` (sorted by date, then arrival) dated on or before `upto`.
    static ContractTimeline build(std::span<const Event *const> events, Date upto);

    // The contract in force on d: the latest-started one that covers d; nullptr when none does.
    const ContractSegment *in_force(Date d) const;
    bool has_contract(Date d) const { return in_force(d) != nullptr; }
    // C-3: the weekly minutes on d, 0 without a contract.
    int32_t weekly_minutes(Date d) const;
    // Σ over the span's days of weekly_minutes(d): agreed minutes × 7, exact.
    int64_t weekly_minutes_sum(Span span) const;
    // C-3: agreed minutes over a span, rounded down only at the end.
    int64_t agreed_minutes(Span span) const { return weekly_minutes_sum(span) / 7; }
    // C-4: Σ over contract days of min(weekly, full_week) and full_week × the number of contract days; {1, 1}
    // when no day of the span has a contract. The factor is first / second. `full_week`: the weekly minutes a
    // cap or subsidy is set for (24 h, from the rule pack's part_time_full_hours).
    std::pair<int64_t, int64_t> part_time_factor(Span span, int64_t full_week) const;
    // The first day of the span and each later day of it on which the contract in force or its weekly minutes may
    // change, in order: the days between two of them are alike.
    Days change_days(Span span) const;
    // The end of the employment that is in force on d (or, when none is, the first that starts after d):
    // contracts that follow each other without a gap count as one employment. nullopt: open-ended or none.
    std::optional<Date> employment_end(Date d) const;

    const Segments &segments() const { return segments_; }

private:
    Segments segments_; // by start
};

} // namespace jobcoach::rules
