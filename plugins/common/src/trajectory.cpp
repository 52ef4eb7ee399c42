// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/rules/trajectory.hpp"

#include <algorithm>
#include <set>

namespace jobcoach::rules {

int Trajectory::year_of(Date d) const
{
    int k = 1;
    while (add_months(start, 12 * k) <= d)
        ++k;
    return k;
}

Span Trajectory::year_span(int k) const
{
    return Span{add_months(start, 12 * (k - 1)), add_days(add_months(start, 12 * k), -1)};
}

namespace {

void settle(Trajectory &t)
{
    t.max_end = add_days(add_months(t.start, t.base_months + t.extension_months), -1);
    t.close = t.max_end;
    t.reason = CloseReason::max_duration;
    if (t.contract_end && *t.contract_end < t.close) {
        t.close = *t.contract_end;
        t.reason = CloseReason::contract_end;
    }
    if (t.ended && *t.ended <= t.close) {
        t.close = *t.ended;
        t.reason = CloseReason::coaching_ended;
    }
}

} // namespace

std::vector<Trajectory> build_trajectories(std::span<const Event *const> events, std::string_view scheme,
                                           const ContractTimeline &contracts,
                                           const std::function<int32_t(const Event &)> &max_months,
                                           const std::function<int32_t(const Event &)> &extension_cap)
{
    std::vector<Trajectory> out;
    for (const Event *e : events) {
        if (e->scheme != scheme)
            continue;
        Trajectory *cur = out.empty() ? nullptr : &out.back();
        switch (e->type) {
        case EventType::coaching_granted:
            if (cur != nullptr && e->date <= cur->close) {
                cur->grants.push_back(e); // a new decision inside the open trajectory
            } else {
                Trajectory t;
                t.scheme = std::string(scheme);
                t.number = static_cast<int>(out.size()) + 1;
                t.start = e->date;
                t.grants.push_back(e);
                t.base_months = max_months(*e);
                t.extension_cap = extension_cap ? extension_cap(*e) : -1;
                t.contract_end = contracts.employment_end(e->date);
                settle(t);
                out.push_back(std::move(t));
            }
            break;
        case EventType::coaching_extended:
            // An extension moves the maximum end, also when it is granted a little after it.
            if (cur != nullptr && e->date >= cur->start &&
                (e->date <= cur->close || cur->reason == CloseReason::max_duration)) {
                cur->extensions.push_back(e);
                int32_t counts = e->months;
                if (cur->extension_cap >= 0)
                    counts = std::clamp(cur->extension_cap - cur->extension_months, 0, e->months);
                if (counts < e->months)
                    cur->extension_excess.emplace_back(e, e->months - counts);
                cur->extension_months += counts;
                settle(*cur);
            }
            break;
        case EventType::coaching_ended:
            if (cur != nullptr && cur->contains(e->date)) {
                cur->ended = e->date;
                settle(*cur);
            }
            break;
        default:
            break;
        }
    }
    return out;
}

std::vector<Trajectory> build_foreign_trajectories(std::span<const Event *const> events,
                                                   const std::vector<std::string> &own,
                                                   const std::set<std::string, std::less<>> &served,
                                                   const ContractTimeline &contracts)
{
    std::set<std::string> foreign;
    for (const Event *e : events)
        if (e->type == EventType::coaching_granted && std::find(own.begin(), own.end(), e->scheme) == own.end() &&
            served.count(e->scheme) > 0)
            foreign.insert(e->scheme);
    std::vector<Trajectory> out;
    for (const auto &scheme : foreign) {
        auto ts = build_trajectories(events, scheme, contracts, [](const Event &) { return open_ended_months; });
        std::move(ts.begin(), ts.end(), std::back_inserter(out));
    }
    return out;
}

} // namespace jobcoach::rules
