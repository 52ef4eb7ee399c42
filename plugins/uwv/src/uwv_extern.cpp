// SPDX-License-Identifier: Apache-2.0
#include "uwv_extern.hpp"
#include "uwv_common.hpp"
#include "texts.hpp"

#include <algorithm>
#include <cmath>

namespace jobcoach::uwv {

using namespace jobcoach::rules;

namespace {

// uwv-extern.budget: pct(level, year) × agreed minutes over the period.
Estimate estimate(const Trajectory &t, Span span, const std::string &level, const ContractTimeline &contracts,
                  const Params &params)
{
    const int year = t.year_of(span.first);
    const double pct = year_pct(params.row("level_pct", level, span.first), year);
    const int64_t sum = contracts.weekly_minutes_sum(span);
    return {percent_of_agreed(sum, pct), level, year, pct, sum / 7};
}

// uwv-extern.budget (P14 A.3, B.3.1): the hours of a period are the granted_hours of the latest grant dated in
// it, or else the estimate, pct(level, trajectory year) × the agreed hours over the period (C-3); C-8 over the
// coaching minutes dated in the period.
PeriodBudget period_budget(const TrajectoryContext &ctx, const ExternPeriod &p, const std::string &level)
{
    PeriodBudget b;
    b.check.rule = "uwv-extern.budget";
    b.check.subject = "period#" + std::to_string(p.number);
    b.check.span = p.span;
    b.grant = granted_hours_in(ctx.t, p.span);
    if (b.grant == nullptr)
        b.estimate = estimate(ctx.t, p.span, level, ctx.facts.contracts, ctx.params);
    b.check.limit_minutes = b.grant != nullptr ? b.grant->granted_minutes : b.estimate->minutes;
    b.check.used_minutes = minutes_in(ctx.counted(), p.span);
    b.check.current = p.span.contains(ctx.as_of);
    b.outcome = evaluate_budget(ctx.params, b.check);
    return b;
}

} // namespace

void UwvExtern::check(const Params &params) const
{
    params.scheme_pack().require(
        {"period_months", "short_contract_months", "level_pct", "default_level", "legal_max_pct",
         "period_report_days", "max_duration_months", "extension_window_period", "extension_window_days",
         "contract_end_notice_days"},
        {"uwv-extern.period", "uwv-extern.budget", "uwv-extern.legal-max", "uwv-extern.period-report",
         "uwv-extern.max-duration", "uwv-extern.extension-window", "uwv-extern.contract-end"});
}

// uwv-extern.max-duration: at most 3 years; only UWV extends (coaching.extended).
int32_t UwvExtern::max_months(const Event &opening_grant, const Params &params) const
{
    return params.integer("max_duration_months", opening_grant.date);
}

// uwv-extern.period: the first period lasts 6 months, or until the contract's end when the contract in force at
// S ends within 12 months of its own start (S000: an 8-month contract gives an 8-month period); later periods
// last 6 months. The contract is taken as it was known on S.
std::vector<ExternPeriod> UwvExtern::periods(const Trajectory &t, const ContractTimeline &known_at_start,
                                             const Params &params)
{
    const Date s = t.start;
    const int32_t months = params.integer("period_months", s);
    const int32_t short_contract = params.integer("short_contract_months", s);
    // Later periods are anchored on one date, not chained, so that a clamped month end does not drift
    // (S = 2026-08-31: periods start 2027-02-28, 2027-08-31, …).
    Date anchor = s;
    int first_offset = 0;
    if (const ContractSegment *c = known_at_start.in_force(s);
        c != nullptr && c->end && *c->end < months_from(c->start, short_contract).last) {
        anchor = add_days(*c->end, 1); // the short first period runs to the contract's end
        first_offset = -1;
    }
    std::vector<ExternPeriod> out;
    out.reserve(8); // one allocation for the usual few periods
    for (int k = 1;; ++k) {
        Span span = first_offset == 0 || k > 1
                        ? Span{add_months(anchor, months * (k - 1 + first_offset)),
                               add_days(add_months(anchor, months * (k + first_offset)), -1)}
                        : Span{s, add_days(anchor, -1)};
        if (span.first > t.close)
            break;
        span.last = std::min(span.last, t.close);
        out.push_back({k, span});
    }
    return out;
}

void UwvExtern::evaluate(const TrajectoryContext &ctx) const
{
    const Trajectory &t = ctx.t;
    const Params &params = ctx.params;
    const EmployeeFacts &facts = ctx.facts;
    const Date as_of = ctx.as_of;
    const Emitter emit = ctx.emitter(scheme());
    const auto all_periods = periods(t, facts.contracts_known_on(t.start), params);
    if (ctx.status != nullptr)
        ctx.status->level = level_in_force(t, std::min(as_of, t.close), params, "level_pct", t.start);

    DueInstances period_reports;
    for (const ExternPeriod &p : all_periods) {
        if (p.span.first > as_of)
            break; // only periods that have started
        // uwv-extern.budget (P14 A.3, B.3.1)
        const PeriodBudget budget =
            period_budget(ctx, p, level_in_force(t, p.span.last, params, "level_pct", p.span.first));
        if (needs_words(emit, budget.outcome))
            report_budget(emit, budget.check, budget.outcome,
                          texts::extern_budget(budget, p,
                                               !params.explains() ? std::string()
                                               : p.number == 1    ? texts::extern_first_period(all_periods.front(),
                                                                                               t.start, params)
                                                                  : texts::extern_period(p),
                                               params));
        else if (budget.outcome.fires()) // a finding without words (Params::wording)
            report_budget(emit, budget.check, budget.outcome, params.budget_words());

        // uwv-extern.legal-max (RIB art. 18): granted hours above 15 / 7.5 / 6 % of the agreed hours.
        if (const Event *grant = budget.grant) {
            const int year = t.year_of(p.span.first);
            const double pct = year_pct(params.row("legal_max_pct", "percent", p.span.first), year);
            const int64_t sum = facts.contracts.weekly_minutes_sum(p.span);
            const int64_t legal_max = percent_of_agreed(sum, pct);
            if (grant->granted_minutes > legal_max) {
                Finding &f = emit.add("uwv-extern.legal-max", "grant.above_legal_max", Severity::high);
                f.due = p.span.first;
                f.subject = "period#" + std::to_string(p.number);
                f.observed_minutes = grant->granted_minutes;
                f.limit_minutes = legal_max;
                texts::above_legal_max(f, {*grant, year, pct, sum / 7, legal_max}, p, params);
            }
        }
        // uwv-extern.period-report (P14 A.5, B.4): one report per started period, due 28 days after its end.
        period_reports.push_back({p.number, add_days(p.span.last, params.integer("period_report_days", p.span.first))});
    }
    for (const DueOutcome &o : evaluate_duty(emit, "uwv-extern.period-report", "period-report", as_span(period_reports),
                                             as_span(facts.reports(t, "period-report", ctx.next)), as_of))
        emit_due(emit, "uwv-extern.period-report", "period-report", o, as_of,
                 texts::period_report_basis(all_periods[static_cast<size_t>(o.number) - 1], params));

    // uwv-extern.max-duration with C-9.
    const int32_t max_months_of_t = params.integer("max_duration_months", t.start);
    evaluate_expiry(emit, "uwv-extern.max-duration", t, as_of, ctx.after_max_end(),
                    [&] { return texts::beyond_max_duration(max_months_of_t); });

    // uwv-extern.extension-window (P14 A.4.2): argue coaching beyond 3 years in the continuation request at
    // the end of the 5th period.
    const int32_t window_period = params.integer("extension_window_period", t.start);
    if (t.extension_months == 0 && t.reason == CloseReason::max_duration &&
        static_cast<int32_t>(all_periods.size()) >= window_period) {
        const ExternPeriod &p = all_periods[static_cast<size_t>(window_period) - 1];
        const Date opens = add_days(p.span.last, -params.integer("extension_window_days", p.span.first));
        const Date closes = add_days(p.span.last, params.integer("period_report_days", p.span.first));
        if (opens <= as_of && as_of <= closes) {
            Finding &f = emit.add("uwv-extern.extension-window", "extension.window", Severity::info);
            f.due = closes;
            f.subject = "period#" + std::to_string(p.number);
            texts::extension_window(f, {opens, closes, max_months_of_t}, p, t, params);
        }
    }

    // uwv-extern.contract-end (P14 A.8).
    evaluate_contract_end(ctx, emit, "uwv-extern.contract-end");

    // Across schemes (docs/rules.md §6).
    evaluate_paid_work(emit, t, facts.contracts);
    evaluate_justification(emit, t, as_span(facts.of_type_in(t, EventType::budget_transferred)),
                           [&](const Event &g) -> std::optional<int64_t> {
                               for (const ExternPeriod &p : all_periods)
                                   if (p.span.contains(g.date))
                                       return estimate(t, p.span, params.text("default_level", p.span.first),
                                                       facts.contracts, params)
                                           .minutes;
                               return std::nullopt;
                           });
}

} // namespace jobcoach::uwv
