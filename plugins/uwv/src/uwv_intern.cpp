// SPDX-License-Identifier: Apache-2.0
#include "uwv_intern.hpp"
#include "uwv_common.hpp"
#include "texts.hpp"

#include <algorithm>
#include <cmath>

namespace jobcoach::uwv {

using namespace jobcoach::rules;

namespace {

int32_t prior_months_of(const Trajectory &t) { return std::max(0, t.grants.front()->prior_months); }

// uwv-intern.budget: pct(level, year of coaching in the job) × the agreed hours over the period (C-3).
Estimate estimate(const InternPeriod &p, const std::string &level, const ContractTimeline &contracts, const Params &params)
{
    const double pct = year_pct(params.row("level_pct", level, p.span.first), p.index);
    const int64_t sum = contracts.weekly_minutes_sum(p.span);
    return {percent_of_agreed(sum, pct), level, p.index, pct, sum / 7};
}

// uwv-intern.budget (PIJ15 2.4): the hours of a period are the granted_hours of the latest grant dated in it, or
// else the estimate; C-8 over the coaching minutes dated in the period.
PeriodBudget period_budget(const TrajectoryContext &ctx, const InternPeriod &p, const std::string &level)
{
    PeriodBudget b;
    b.check.rule = "uwv-intern.budget";
    b.check.subject = "period#" + std::to_string(p.number);
    b.check.span = p.span;
    b.grant = granted_hours_in(ctx.t, p.span);
    if (b.grant == nullptr)
        b.estimate = estimate(p, level, ctx.facts.contracts, ctx.params);
    b.check.limit_minutes = b.grant != nullptr ? b.grant->granted_minutes : b.estimate->minutes;
    b.check.used_minutes = minutes_in(ctx.counted(), p.span);
    b.check.current = p.span.contains(ctx.as_of);
    b.outcome = evaluate_budget(ctx.params, b.check);
    return b;
}

} // namespace

void UwvIntern::check(const Params &params) const
{
    params.scheme_pack().require(
        {"period_months", "max_duration_months", "level_pct", "default_level", "subsidy_euro", "part_time_full_hours",
         "continuation_days", "contract_end_notice_days"},
        {"uwv-intern.period", "uwv-intern.budget", "uwv-intern.subsidy", "uwv-intern.continuation",
         "uwv-intern.contract-end"});
}

// uwv-intern.period (PIJ15 2.6.4): coaching in the same job by an external jobcoach counts toward the 3 years.
int32_t UwvIntern::max_months(const Event &opening_grant, const Params &params) const
{
    return std::max(0, params.integer("max_duration_months", opening_grant.date) - std::max(0, opening_grant.prior_months));
}

// uwv-intern.period: periods of 12 months from S. A period's index (which year's percentages and normbedrag
// apply) counts the prior external months too: after 2.5 years external, the one internal period is year 3
// (PIJ15 2.6.4: 2.5 years external leaves 0.5 year internal). This is our reading; the source gives no table
// for it.
std::vector<InternPeriod> UwvIntern::periods(const Trajectory &t, Date until, const Params &params)
{
    const int32_t months = params.integer("period_months", t.start);
    const int32_t prior = prior_months_of(t);
    std::vector<InternPeriod> out;
    out.reserve(8); // one allocation for the usual few periods
    for (int k = 1;; ++k) {
        const Span planned{add_months(t.start, months * (k - 1)), add_days(add_months(t.start, months * k), -1)};
        if (planned.first > until || planned.first > t.max_end)
            break;
        const int index = (prior + months * (k - 1)) / 12 + 1;
        out.push_back({k, index, planned, Span{planned.first, std::min(planned.last, t.close)}});
    }
    return out;
}

UwvIntern::Subsidy UwvIntern::subsidy(const InternPeriod &p, const std::string &level, const ContractTimeline &contracts,
                                      const Params &params)
{
    const double euro = year_pct(params.row("subsidy_euro", level, p.planned.first), p.index);
    const int64_t norm_cents = std::llround(euro * 100);
    const int64_t full_week = static_cast<int64_t>(params.integer("part_time_full_hours", p.planned.first)) * 60;
    const auto [num, den] = contracts.part_time_factor(p.planned, full_week);
    return {norm_cents, num, den, norm_cents * num / den};
}

void UwvIntern::evaluate(const TrajectoryContext &ctx) const
{
    const Trajectory &t = ctx.t;
    const Params &params = ctx.params;
    const EmployeeFacts &facts = ctx.facts;
    const Date as_of = ctx.as_of;
    const Emitter emit = ctx.emitter(scheme());
    const auto all_periods = periods(t, t.close, params);
    const int32_t prior = prior_months_of(t);
    if (ctx.status != nullptr)
        ctx.status->level = level_in_force(t, std::min(as_of, t.close), params, "level_pct", t.start);

    for (const InternPeriod &p : all_periods) {
        if (p.span.first > as_of)
            break;
        const std::string level = level_in_force(t, p.span.last, params, "level_pct", p.span.first);

        // uwv-intern.budget (PIJ15 2.4): pct × agreed hours, unless granted_hours is given.
        const PeriodBudget budget = period_budget(ctx, p, level);
        if (needs_words(emit, budget.outcome))
            report_budget(emit, budget.check, budget.outcome, texts::intern_budget(budget, p, params));
        else if (budget.outcome.fires()) // a finding without words (Params::wording)
            report_budget(emit, budget.check, budget.outcome, params.budget_words());
        const std::string subject = "period#" + std::to_string(p.number);

        // uwv-intern.subsidy (PIJ15 4.1): paid in advance for the period; when the employment ends inside it,
        // only the days employed are earned.
        const Subsidy sub = subsidy(p, level, facts.contracts, params);
        if (ctx.status != nullptr)
            ctx.status->figures.push_back(texts::subsidy_figure(subject, sub, level, p.index));
        if (t.reason == CloseReason::contract_end && p.planned.contains(t.close) && t.close < p.planned.last) {
            // Earned share: whole months employed plus the days of the month it ends in, as a fraction of the
            // period's months (PIJ15 4.1 Ex. 6: leaving after 3 of 12 months keeps exactly 3/12).
            const int32_t months = params.integer("period_months", p.planned.first);
            int32_t whole = 0;
            while (whole < months && add_days(add_months(p.planned.first, whole + 1), -1) <= t.close)
                ++whole;
            const Span month{add_months(p.planned.first, whole), add_days(add_months(p.planned.first, whole + 1), -1)};
            const int64_t rest_days = t.close >= month.first ? days_between(month.first, t.close) + 1 : 0;
            const int64_t earned = sub.cents * (whole * month.days() + rest_days) / (int64_t{months} * month.days());
            const int64_t repay = sub.cents - earned;
            Finding &f = emit.add("uwv-intern.subsidy", "subsidy.repayment_risk", Severity::high);
            f.due = t.close;
            f.subject = subject;
            f.amount_cents = repay;
            texts::subsidy_repayment(f, {sub, level, t.close, months, whole, rest_days, month.days(), earned, repay}, p,
                                     params);
        }
    }

    // uwv-intern.continuation (PIJ15 3.2): within 4 weeks after each period, except the last allowed one.
    const auto allowed = periods(t, t.max_end, params);
    DueInstances requests;
    for (const InternPeriod &p : allowed) {
        if (p.number == static_cast<int>(allowed.size()))
            break;
        const Date due = add_days(p.planned.last, params.integer("continuation_days", p.planned.first));
        if (due > t.close)
            break; // C-7: only instances due on or before the close
        requests.push_back({p.number, due});
    }
    for (const DueOutcome &o : evaluate_duty(emit, "uwv-intern.continuation", "continuation", as_span(requests),
                                             as_span(facts.reports(t, "continuation", ctx.next)), as_of))
        emit_due(emit, "uwv-intern.continuation", "continuation", o, as_of,
                 texts::continuation_basis(allowed[static_cast<size_t>(o.number) - 1], allowed.size(), params));

    // uwv-intern.period with C-9: the maximum end is 36 months minus the prior months.
    const size_t before = ctx.out.size();
    const int32_t max_months_of_t = params.integer("max_duration_months", t.start);
    const int32_t period_months_of_t = params.integer("period_months", t.start);
    evaluate_expiry(emit, "uwv-intern.period", t, as_of, ctx.after_max_end(), [&] {
        return texts::intern_max_duration(max_months_of_t, period_months_of_t, prior);
    });
    for (size_t i = before; i < ctx.out.size(); ++i)
        texts::explain_prior_months(ctx.out[i], prior, t.start, params);

    // uwv-intern.contract-end (PIJ15 5.2).
    evaluate_contract_end(ctx, emit, "uwv-intern.contract-end");

    // Across schemes (docs/rules.md §6).
    evaluate_paid_work(emit, t, facts.contracts);
    evaluate_justification(emit, t, as_span(facts.of_type_in(t, EventType::budget_transferred)),
                           [&](const Event &g) -> std::optional<int64_t> {
                               for (const InternPeriod &p : all_periods)
                                   if (p.span.contains(g.date))
                                       return estimate(p, params.text("default_level", p.span.first), facts.contracts, params)
                                           .minutes;
                               return std::nullopt;
                           });
}

} // namespace jobcoach::uwv
