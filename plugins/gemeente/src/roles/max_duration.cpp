// SPDX-License-Identifier: Apache-2.0
// Role max-duration, C-9 (docs/rules.md): the trajectory's maximum end (max_duration_months, extended by
// coaching.extended up to max_extension_months in all), expiring and expired. The shipped packs' rule of this
// role: vpw.max-duration (2 years plus a 1-year uitloop).
#include "../roles.hpp"
#include "../texts.hpp"

namespace jobcoach::gemeente {

using namespace jobcoach::rules;

void MaxDuration::evaluate(const TrajectoryContext &ctx, const Emitter &emit) const
{
    const Trajectory &t = ctx.t;
    evaluate_expiry(emit, rule(), t, ctx.as_of, ctx.after_max_end(), [&] { return texts::expiring_note(t, ctx.params); });
    // Months granted beyond the cap do not move the maximum end (docs/rules.md vpw.max-duration).
    for (const auto &[extension, excess] : t.extension_excess) {
        Finding &f = emit.add(rule(), "extension.above_max", Severity::warning);
        f.due = extension->date;
        f.subject = extension->id;
        texts::extension_above_max(f, *extension, excess, t, ctx.params);
    }
}

} // namespace jobcoach::gemeente
