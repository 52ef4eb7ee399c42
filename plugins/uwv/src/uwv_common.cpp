// SPDX-License-Identifier: Apache-2.0
#include "uwv_common.hpp"
#include "texts.hpp"

#include <algorithm>
#include <cmath>

namespace jobcoach::uwv {

using namespace jobcoach::rules;

int64_t percent_of_agreed(int64_t weekly_minutes_sum, double pct)
{
    const auto hundredths = static_cast<int64_t>(std::llround(pct * 100));
    return weekly_minutes_sum * hundredths / (7 * 100 * 100);
}

double year_pct(const std::vector<double> &row, int year)
{
    return row[static_cast<size_t>(std::min<int>(year, static_cast<int>(row.size()))) - 1];
}

const Event *granted_hours_in(const Trajectory &t, Span span)
{
    const Event *found = nullptr;
    for (const Event *g : t.grants)
        if (span.contains(g->date))
            found = g;
    return found != nullptr && found->granted_minutes >= 0 ? found : nullptr;
}

// uwv-*.contract-end (P14 A.8, PIJ15 5.2): no coaching on a day without a contract; the written notice within
// contract_end_notice_days when the employment ends while the trajectory is open.
void evaluate_contract_end(const TrajectoryContext &ctx, const Emitter &emit, const std::string &rule)
{
    const Trajectory &t = ctx.t;
    for (const auto &[trajectory, entry] : ctx.assignment.outside_contract) {
        if (trajectory != &t)
            continue;
        Finding &f = emit.add(rule, "coaching.outside_contract", Severity::high);
        f.due = entry->date;
        f.subject = entry->id;
        f.observed_minutes = entry->minutes;
        texts::outside_contract(f, *entry, t);
    }
    if (t.contract_end && *t.contract_end == t.close) {
        const Date end = *t.contract_end;
        const DueInstance notice{1, add_days(end, ctx.params.integer("contract_end_notice_days", end))};
        for (const DueOutcome &o : evaluate_duty(emit, rule, "contract-end-notice", std::span(&notice, 1),
                                                 as_span(ctx.facts.reports(t, "contract-end-notice", ctx.next)), ctx.as_of))
            emit_due(emit, rule, "contract-end-notice", o, ctx.as_of, texts::contract_end_notice_basis(end, ctx.params));
    }
}

} // namespace jobcoach::uwv
