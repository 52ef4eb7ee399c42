// SPDX-License-Identifier: Apache-2.0
// Role quarterly-hours: the coaching minutes per calendar quarter, as accounted to the municipality, in the status;
// no finding. The shipped packs' rule of this role: vpw.quarterly-hours.
#include "../roles.hpp"
#include "../texts.hpp"

#include <map>

namespace jobcoach::gemeente {

using namespace jobcoach::rules;

void QuarterlyHours::evaluate(const TrajectoryContext &ctx, const Emitter &) const
{
    if (ctx.status == nullptr)
        return;
    std::map<std::pair<int, unsigned>, int64_t> quarters; // (year, quarter) -> minutes
    for (const Event *e : ctx.counted())
        quarters[{e->date.year(), (e->date.month() - 1) / 3 + 1}] += e->minutes;
    for (const auto &[quarter, minutes] : quarters)
        ctx.status->figures.push_back(texts::quarter_figure(quarter.first, quarter.second, minutes));
}

} // namespace jobcoach::gemeente
