// SPDX-License-Identifier: Apache-2.0
// Role start-visit: with a package whose start_visit row asks for it, the jobcoach is present on the first day.
// The shipped packs' rule of this role: wsp-rijnmond.start-visit.
#include "../roles.hpp"
#include "../texts.hpp"

#include <algorithm>

namespace jobcoach::gemeente {

using namespace jobcoach::rules;

void StartVisit::evaluate(const TrajectoryContext &ctx, const Emitter &emit) const
{
    const Trajectory &t = ctx.t;
    const Params &params = ctx.params;
    const auto entries = ctx.counted();
    const std::string &opening = t.grants.front()->level;
    if (params.has_row("start_visit", opening, t.start) && params.row("start_visit", opening, t.start).at(0) > 0 &&
        ctx.as_of > t.start &&
        std::none_of(entries.begin(), entries.end(), [&](const Event *e) { return is_visit(*e) && e->date == t.start; })) {
        Finding &f = emit.add(rule(), "visit.missing", Severity::warning);
        f.due = t.start;
        f.subject = "start-visit";
        texts::start_visit_missing(f, opening, t, params);
    }
}

} // namespace jobcoach::gemeente
