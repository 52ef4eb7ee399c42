// SPDX-License-Identifier: Apache-2.0
#include "uwv_common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>

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

const Event *evaluate_period_budget(const TrajectoryContext &ctx, const Emitter &emit, const std::string &rule,
                                   int number, Span span, const std::function<BudgetEstimate()> &estimate,
                                   const std::function<std::string()> &period_explanation)
{
    BudgetCheck check;
    check.rule = rule;
    check.subject = "period#" + std::to_string(number);
    check.span = span;
    const Event *grant = latest_grant_in(ctx.t, span);
    std::optional<BudgetEstimate> estimated;
    if (grant != nullptr && grant->granted_minutes >= 0) {
        check.limit_minutes = grant->granted_minutes;
    } else {
        grant = nullptr;
        estimated = estimate();
        check.limit_minutes = estimated->minutes;
    }
    for (const Event *entry : ctx.counted())
        if (span.contains(entry->date))
            check.used_minutes += entry->minutes;
    check.current = span.contains(ctx.as_of);
    check.texts = [&] {
        BudgetTexts w;
        w.label_nl = fmt::format("periode {} ({} t/m {})", number, span.first.iso(), span.last.iso());
        w.label_en = fmt::format("period {} ({} to {})", number, span.first.iso(), span.last.iso());
        if (grant != nullptr) {
            w.basis_nl = fmt::format("toegekend op {}: {}", grant->date.iso(), hours_nl(grant->granted_minutes));
            w.basis_en = fmt::format("granted on {}: {}", grant->date.iso(), hours_en(grant->granted_minutes));
        } else {
            std::tie(w.basis_nl, w.basis_en) = estimated->basis();
        }
        w.explanation = {{"percentages", ctx.params.cite("level_pct", span.first, "level -> [year 1, 2, 3+] % of agreed hours")},
                         {"period", period_explanation()}};
        return w;
    };
    evaluate_budget(emit, check);
    return grant;
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
                                 [&ctx, end = *t.contract_end] {
                                     return fmt::format("the employment ends {}, + {}", end.iso(),
                                                        ctx.params.cite_integer("contract_end_notice_days", end));
                                 }};
        evaluate_duty(emit, rule, "contract-end-notice", std::span(&notice, 1),
                      ctx.facts.reports(t, "contract-end-notice", ctx.next), ctx.as_of);
    }
}

} // namespace jobcoach::uwv
