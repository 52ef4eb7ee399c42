// SPDX-License-Identifier: Apache-2.0
// What several roles share: visits and contacts, a package's anchor, a year's hour cap (roles.hpp).
#include "../roles.hpp"

#include <algorithm>

namespace jobcoach::gemeente {

using namespace jobcoach::rules;

bool is_visit(const Event &e) { return e.activity == Activity::visit; }
bool is_contact(const Event &e) { return e.activity == Activity::visit || e.activity == Activity::contact; }

Date package_anchor(const Trajectory &t, Date day)
{
    Date anchor = t.start;
    std::string previous;
    for (const Event *g : t.grants) {
        if (g->date > day)
            break;
        if (!g->level.empty() && g->level != previous) {
            if (!previous.empty())
                anchor = g->date;
            previous = g->level;
        }
    }
    return anchor;
}

YearCap year_cap(const Params &params, const ContractTimeline &contracts, const std::string &level, int k, Span span)
{
    const std::vector<double> &row = params.row("hour_cap_hours", level, span.first);
    const double hours = row[static_cast<size_t>(std::min<int>(k, static_cast<int>(row.size()))) - 1];
    const int64_t full_week = static_cast<int64_t>(params.integer("part_time_full_hours", span.first)) * 60;
    const auto [num, den] = contracts.part_time_factor(span, full_week);
    const auto cap_minutes = static_cast<int64_t>(hours * 60 + 0.5);
    return {hours, cap_minutes, num, den, cap_minutes * num / den};
}

} // namespace jobcoach::gemeente
