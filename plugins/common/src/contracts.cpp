// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/rules/contracts.hpp"

#include <algorithm>

namespace jobcoach::rules {

ContractTimeline ContractTimeline::build(std::span<const Event *const> events, Date upto)
{
    ContractTimeline t;
    auto current = [&](Date d) -> ContractSegment * {
        for (auto it = t.segments_.rbegin(); it != t.segments_.rend(); ++it)
            if (it->start <= d)
                return &*it;
        return nullptr;
    };
    for (const Event *e : events) {
        if (e->date > upto)
            break;
        switch (e->type) {
        case EventType::contract_started: {
            ContractSegment &s = t.segments_.emplace_back(); // made in place
            s.start = e->date;
            s.end = e->end;
            s.employer = e->employer;
            s.paid = e->paid;
            s.paid_prospect = e->paid_prospect;
            s.weekly_minutes.emplace_back(e->date, e->weekly_minutes);
            break;
        }
        case EventType::contract_changed:
            if (ContractSegment *s = current(e->date)) {
                if (e->weekly_minutes > 0) {
                    if (s->weekly_minutes.back().first == e->date)
                        s->weekly_minutes.back().second = e->weekly_minutes;
                    else
                        s->weekly_minutes.emplace_back(e->date, e->weekly_minutes);
                }
                if (e->end_change == EndChange::set)
                    s->end = e->end;
                else if (e->end_change == EndChange::open)
                    s->end.reset();
            }
            break;
        case EventType::contract_ended:
            if (ContractSegment *s = current(e->date))
                s->end = e->date;
            break;
        default:
            break;
        }
    }
    return t;
}

const ContractSegment *ContractTimeline::in_force(Date d) const
{
    for (auto it = segments_.rbegin(); it != segments_.rend(); ++it)
        if (it->covers(d))
            return &*it;
    return nullptr;
}

int32_t ContractTimeline::weekly_minutes(Date d) const
{
    const ContractSegment *s = in_force(d);
    if (s == nullptr)
        return 0;
    int32_t minutes = 0;
    for (const auto &[from, value] : s->weekly_minutes) {
        if (from > d)
            break;
        minutes = value;
    }
    return minutes;
}

ContractTimeline::Days ContractTimeline::change_days(Span span) const
{
    // The days on which the contract in force or its weekly minutes may change: a segment's start, the day after
    // its end, and its change points. Between two of them every day is alike.
    Days out{span.first};
    auto add = [&](Date d) {
        if (span.first < d && d <= span.last)
            out.push_back(d);
    };
    for (const auto &seg : segments_) {
        add(seg.start);
        if (seg.end && *seg.end < span.last) // (the day after the span's last would be left out anyway)
            add(add_days(*seg.end, 1));
        for (const auto &[from, minutes] : seg.weekly_minutes)
            add(from);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

namespace {

// Calls fn(first day, number of days) for each run of alike days of the span (change_days), in order.
template <class Fn> void each_run(const ContractTimeline &t, Span span, Fn &&fn)
{
    if (span.last < span.first)
        return;
    const auto changes = t.change_days(span);
    for (size_t k = 0; k < changes.size(); ++k) {
        const int32_t end = k + 1 < changes.size() ? changes[k + 1].days : span.last.days + 1;
        fn(changes[k], static_cast<int64_t>(end - changes[k].days));
    }
}

} // namespace

int64_t ContractTimeline::weekly_minutes_sum(Span span) const
{
    int64_t sum = 0;
    each_run(*this, span, [&](Date first, int64_t days) { sum += weekly_minutes(first) * days; });
    return sum;
}

std::pair<int64_t, int64_t> ContractTimeline::part_time_factor(Span span, int64_t full_week) const
{
    int64_t numerator = 0, days = 0;
    each_run(*this, span, [&](Date first, int64_t run) {
        if (!has_contract(first))
            return;
        numerator += std::min<int64_t>(weekly_minutes(first), full_week) * run;
        days += run;
    });
    if (days == 0)
        return {1, 1};
    return {numerator, days * full_week};
}

std::optional<Date> ContractTimeline::employment_end(Date d) const
{
    const ContractSegment *s = in_force(d);
    if (s == nullptr) {
        for (const auto &seg : segments_)
            if (seg.start > d) {
                s = &seg;
                break;
            }
    }
    if (s == nullptr || !s->end)
        return std::nullopt;
    Date end = *s->end;
    // Follow contracts that start on or before the day after the current end (renewals, overlaps).
    for (bool extended = true; extended;) {
        extended = false;
        for (const auto &seg : segments_) {
            const bool follows = seg.start > d && seg.start <= add_days(end, 1);
            if (!follows || (seg.end && *seg.end <= end))
                continue;
            if (!seg.end)
                return std::nullopt;
            end = *seg.end;
            extended = true;
        }
    }
    return end;
}

} // namespace jobcoach::rules
