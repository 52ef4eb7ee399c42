// SPDX-License-Identifier: Apache-2.0
// Role duty, C-7 (docs/rules.md): reports due every N months from S, or once N days after S; the numbers are the
// pack's `duties` table, the row the rule's report_kind. The shipped packs' rules of this role: vpw.plan (once,
// S + 14 days), vpw.evaluation (every 3 months), vpw.plan-revision and vpw.necessity-review (every 6 months),
// wsp-rijnmond.quarterly-check (every 3 months).
#include "../roles.hpp"
#include "../texts.hpp"

namespace jobcoach::gemeente {

using namespace jobcoach::rules;

void Duty::evaluate(const TrajectoryContext &ctx, const Emitter &emit) const
{
    const Trajectory &t = ctx.t;
    const std::vector<double> &row = ctx.params.row("duties", report_kind_, t.start);
    const auto every = static_cast<int32_t>(row.empty() ? 0 : row[0]);
    const auto once = static_cast<int32_t>(row.size() > 1 ? row[1] : 0);
    DueInstances instances;
    if (every > 0) {
        for (int n = 1;; ++n) {
            const Date due = add_months(t.start, every * n);
            if (due > t.close)
                break; // C-7: only instances due on or before the close
            instances.push_back({n, due});
            if (due > ctx.as_of)
                break; // the next instance is the last that matters as of this date
        }
    } else {
        const Date due = add_days(t.start, once);
        if (due <= t.close)
            instances.push_back({1, due});
    }
    const auto reports = ctx.facts.reports(t, report_kind_, ctx.next);
    for (const DueOutcome &o :
         evaluate_duty(emit, rule(), report_kind_, as_span(instances), as_span(reports), ctx.as_of))
        emit_due(emit, rule(), report_kind_, o, ctx.as_of,
                 texts::duty_basis(t, report_kind_, every, once, o.number, ctx.params));
}

} // namespace jobcoach::gemeente
