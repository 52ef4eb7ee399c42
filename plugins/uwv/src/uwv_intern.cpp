// SPDX-License-Identifier: Apache-2.0
#include "uwv_intern.hpp"
#include "uwv_common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace jobcoach::uwv {

using namespace jobcoach::rules;

namespace {

int32_t prior_months_of(const Trajectory &t) { return std::max(0, t.grants.front()->prior_months); }

std::string period_text(const InternPeriod &p)
{
    return fmt::format("period#{} = {} .. {} (planned {} .. {}), year {} of coaching in this job", p.number,
                       p.span.first.iso(), p.span.last.iso(), p.planned.first.iso(), p.planned.last.iso(), p.index);
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

    auto estimate = [&](const InternPeriod &p, const std::string &level) {
        const double pct = year_pct(params.row("level_pct", level, p.span.first), p.index);
        const int64_t sum = facts.contracts.weekly_minutes_sum(p.span);
        return std::tuple{percent_of_agreed(sum, pct), pct, sum / 7};
    };

    for (const InternPeriod &p : all_periods) {
        if (p.span.first > as_of)
            break;
        const std::string level = level_in_force(t, p.span.last, params, "level_pct", p.span.first);

        // uwv-intern.budget (PIJ15 2.4): pct × agreed hours, unless granted_hours is given.
        evaluate_period_budget(
            ctx, emit, "uwv-intern.budget", p.number, p.span,
            [&] {
                const auto [minutes, pct, agreed] = estimate(p, level);
                return BudgetEstimate{minutes, [&level, &p, pct = pct, agreed = agreed] {
                                          return std::pair{fmt::format("niveau {}, jaar {}: {} van {} overeengekomen uren",
                                                                       level, p.index, pct_text(pct), hours_nl(agreed)),
                                                           fmt::format("level {}, year {}: {} of {} agreed hours", level,
                                                                       p.index, pct_text(pct), hours_en(agreed))};
                                      }};
            },
            [&p] { return period_text(p); });
        const std::string subject = "period#" + std::to_string(p.number);

        // uwv-intern.subsidy (PIJ15 4.1): paid in advance for the period; when the employment ends inside it,
        // only the days employed are earned.
        const Subsidy sub = subsidy(p, level, facts.contracts, params);
        if (ctx.status != nullptr)
            ctx.status->figures.emplace_back(fmt::format("subsidy {}", subject),
                                             fmt::format("{} (level {}, year {}, part-time factor {}/{})",
                                                         euro_en(sub.cents), level, p.index, sub.factor_num, sub.factor_den));
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
            const std::string share = fmt::format("{} month(s) and {} of {} day(s) of {} months", whole, rest_days,
                                                  month.days(), months);
            const std::string period_nl = fmt::format("periode {} ({} t/m {})", p.number, p.span.first.iso(), p.span.last.iso());
            const std::string period_en = fmt::format("period {} ({} to {})", p.number, p.span.first.iso(), p.span.last.iso());
            Finding &f = emit.add("uwv-intern.subsidy", "subsidy.repayment_risk", Severity::high);
            f.due = t.close;
            f.subject = subject;
            f.amount_cents = repay;
            f.message_nl = fmt::format("Het dienstverband eindigt op {}, binnen {}. De subsidie van {} is vooraf betaald "
                                       "maar alleen verdiend voor {} maand(en) en {} dag(en) van de {} maanden: {} moet terugbetaald worden.",
                                       t.close.iso(), period_nl, euro_nl(sub.cents), whole, rest_days, months, euro_nl(repay));
            f.message_en = fmt::format("The employment ends on {}, inside {}. The subsidy of {} was paid in advance but "
                                       "is earned only for {}: {} is to be repaid.",
                                       t.close.iso(), period_en, euro_en(sub.cents), share, euro_en(repay));
            f.explain("period", period_text(p));
            f.explain("normbedrag", params.cite("subsidy_euro", p.planned.first,
                                                fmt::format("{} for level {}, year {}", euro_en(sub.norm_cents), level, p.index)));
            f.explain("part-time factor", fmt::format("{} / {} (C-4: average of min(1, weekly hours / {}) over the contract days "
                                                      "of the planned period)",
                                                      sub.factor_num, sub.factor_den,
                                                      params.cite_integer("part_time_full_hours", p.planned.first)));
            f.explain("subsidy", fmt::format("{} cents = normbedrag × factor, rounded down", sub.cents));
            f.explain("earned", fmt::format("{} cents = subsidy × ({}), rounded down", earned, share));
            f.explain("to repay", fmt::format("{} cents", repay));
        }
    }

    // uwv-intern.continuation (PIJ15 3.2): within 4 weeks after each period, except the last allowed one.
    const auto allowed = periods(t, t.max_end, params);
    std::vector<DueInstance> requests;
    for (const InternPeriod &p : allowed) {
        if (p.number == static_cast<int>(allowed.size()))
            break;
        const Date due = add_days(p.planned.last, params.integer("continuation_days", p.planned.first));
        if (due > t.close)
            break; // C-7: only instances due on or before the close
        requests.push_back({p.number, due, [&params, p, n = allowed.size()] {
                                return fmt::format("period#{} ends {}, + {} (not after the last allowed period #{})", p.number,
                                                   p.planned.last.iso(), params.cite_integer("continuation_days", p.planned.first), n);
                            }});
    }
    evaluate_duty(emit, "uwv-intern.continuation", "continuation", requests,
                  facts.reports(t, "continuation", ctx.next), as_of);

    // uwv-intern.period with C-9: the maximum end is 36 months minus the prior months.
    const size_t before = ctx.out.size();
    const int32_t max_months_of_t = params.integer("max_duration_months", t.start);
    const int32_t period_months_of_t = params.integer("period_months", t.start);
    const std::string most_nl = max_months_of_t % period_months_of_t == 0
                                    ? fmt::format("Maximaal {} perioden van {} maanden", max_months_of_t / period_months_of_t,
                                                  period_months_of_t)
                                    : fmt::format("Maximaal {}", months_nl(max_months_of_t));
    const std::string most_en = max_months_of_t % period_months_of_t == 0
                                    ? fmt::format("At most {} periods of {} months", max_months_of_t / period_months_of_t,
                                                  period_months_of_t)
                                    : fmt::format("At most {}", months_en(max_months_of_t));
    evaluate_expiry(emit, "uwv-intern.period", t, as_of, ctx.after_max_end(),
                    fmt::format("{}{}.", most_nl,
                                prior > 0 ? fmt::format(", min {} maanden eerdere externe jobcoaching", prior) : ""),
                    fmt::format("{}{}.", most_en,
                                prior > 0 ? fmt::format(", less {} months of earlier external coaching", prior) : ""));
    for (size_t i = before; i < ctx.out.size(); ++i)
        ctx.out[i].explain("prior months", fmt::format("{} (deducted from {})", prior,
                                                       params.cite_integer("max_duration_months", t.start)));

    // uwv-intern.contract-end (PIJ15 5.2).
    evaluate_contract_end(ctx, emit, "uwv-intern.contract-end");

    // Across schemes (docs/rules.md §6).
    evaluate_paid_work(emit, t, facts.contracts);
    evaluate_justification(emit, t, facts.of_type_in(t, EventType::budget_transferred),
                           [&](const Event &g) -> std::optional<int64_t> {
                               for (const InternPeriod &p : all_periods)
                                   if (p.span.contains(g.date))
                                       return std::get<0>(estimate(p, params.text("default_level", p.span.first)));
                               return std::nullopt;
                           });
}

} // namespace jobcoach::uwv
