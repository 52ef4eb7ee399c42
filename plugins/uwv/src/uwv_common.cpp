#include "uwv_common.hpp"

#include <fmt/format.h>

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

std::string pct_text(double pct) { return fmt::format("{:g} %", pct); }

const Event *latest_grant_in(const Trajectory &t, Span span)
{
    const Event *found = nullptr;
    for (const Event *g : t.grants)
        if (span.contains(g->date))
            found = g;
    return found;
}

std::string level_for(const Trajectory &t, Span span, const Params &params, std::string_view table)
{
    std::string level;
    for (const Event *g : t.grants)
        if (g->date <= span.last && !g->level.empty())
            level = g->level;
    if (level.empty() || !params.has_row(table, level, span.first))
        level = params.text("default_level", span.first);
    return level;
}

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
        f.message_nl = fmt::format("Op {} is {} jobcoaching geregistreerd (registratie {}) op een dag zonder "
                                   "arbeidscontract. Jobcoaching stopt als de baan eindigt.",
                                   entry->date.iso(), hours_nl(entry->minutes), entry->id);
        f.message_en = fmt::format("{} of coaching was logged on {} (entry {}), a day without an employment contract. "
                                   "Coaching stops when the job ends.",
                                   hours_en(entry->minutes), entry->date.iso(), entry->id);
        f.explain("entry", fmt::format("{} on {}: {} min", entry->id, entry->date.iso(), entry->minutes));
        f.explain("contract on that day", "none (C-3: after the contract's end, or before its start)");
        explain_trajectory(f, t);
    }
    if (t.contract_end && *t.contract_end == t.close) {
        const int32_t days = ctx.params.integer("contract_end_notice_days", *t.contract_end);
        const DueInstance notice{1, add_days(*t.contract_end, days),
                                 fmt::format("the employment ends {}, + {}", t.contract_end->iso(),
                                             ctx.params.cite_integer("contract_end_notice_days", *t.contract_end))};
        evaluate_duty(emit, rule, "contract-end-notice", std::span(&notice, 1),
                      ctx.facts.reports(t, "contract-end-notice", ctx.next), ctx.as_of);
    }
}

} // namespace jobcoach::uwv
