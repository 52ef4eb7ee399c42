// SPDX-License-Identifier: Apache-2.0
#include "uwv_extern.hpp"
#include "uwv_common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace jobcoach::uwv {

using namespace jobcoach::rules;

namespace {

struct Estimate {
    int64_t minutes;
    double pct;
    int year;
    int64_t agreed_minutes;
};

// uwv-extern.budget: pct(level, year) × agreed minutes over the period.
Estimate estimate(const Trajectory &t, Span span, const std::string &level, const ContractTimeline &contracts,
                  const Params &params)
{
    const int year = t.year_of(span.first);
    const double pct = year_pct(params.row("level_pct", level, span.first), year);
    const int64_t sum = contracts.weekly_minutes_sum(span);
    return {percent_of_agreed(sum, pct), pct, year, sum / 7};
}

std::string period_text(const ExternPeriod &p)
{
    return fmt::format("period#{} = {} .. {}", p.number, p.span.first.iso(), p.span.last.iso());
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
    const auto first_period_basis = [&] {
        return fmt::format("period 1 runs {} .. {}: {} from S, or to the end of a contract shorter than {} (as known on S)",
                           all_periods.front().span.first.iso(), all_periods.front().span.last.iso(),
                           params.cite_integer("period_months", t.start), params.cite_integer("short_contract_months", t.start));
    };
    if (ctx.status != nullptr)
        ctx.status->level = level_in_force(t, std::min(as_of, t.close), params, "level_pct", t.start);

    std::vector<DueInstance> period_reports;
    for (const ExternPeriod &p : all_periods) {
        if (p.span.first > as_of)
            break; // only periods that have started
        // uwv-extern.budget (P14 A.3, B.3.1)
        const std::string level = level_in_force(t, p.span.last, params, "level_pct", p.span.first);
        const Event *grant = evaluate_period_budget(
            ctx, emit, "uwv-extern.budget", p.number, p.span,
            [&] {
                const Estimate e = estimate(t, p.span, level, facts.contracts, params);
                return BudgetEstimate{e.minutes, [&level, e] {
                                          return std::pair{
                                              fmt::format("schatting: niveau {}, trajectjaar {}: {} van {} overeengekomen uren",
                                                          level, e.year, pct_text(e.pct), hours_nl(e.agreed_minutes)),
                                              fmt::format("estimate: level {}, trajectory year {}: {} of {} agreed hours",
                                                          level, e.year, pct_text(e.pct), hours_en(e.agreed_minutes))};
                                      }};
            },
            [&] { return p.number == 1 ? first_period_basis() : period_text(p); });

        // uwv-extern.legal-max (RIB art. 18): granted hours above 15 / 7.5 / 6 % of the agreed hours.
        if (grant != nullptr) {
            const int year = t.year_of(p.span.first);
            const double pct = year_pct(params.row("legal_max_pct", "percent", p.span.first), year);
            const int64_t sum = facts.contracts.weekly_minutes_sum(p.span);
            const int64_t legal_max = percent_of_agreed(sum, pct);
            if (grant->granted_minutes > legal_max) {
                const std::string period_nl = fmt::format("periode {} ({} t/m {})", p.number, p.span.first.iso(), p.span.last.iso());
                const std::string period_en = fmt::format("period {} ({} to {})", p.number, p.span.first.iso(), p.span.last.iso());
                Finding &f = emit.add("uwv-extern.legal-max", "grant.above_legal_max", Severity::high);
                f.due = p.span.first;
                f.subject = fmt::format("period#{}", p.number);
                f.observed_minutes = grant->granted_minutes;
                f.limit_minutes = legal_max;
                f.message_nl = fmt::format("De toekenning van {} geeft {} voor {}, meer dan het wettelijk maximum van {} "
                                           "({} van {} overeengekomen uren in trajectjaar {}).",
                                           grant->date.iso(), hours_nl(grant->granted_minutes), period_nl,
                                           hours_nl(legal_max), pct_text(pct), hours_nl(sum / 7), year);
                f.message_en = fmt::format("The grant of {} gives {} for {}, above the statutory maximum of {} ({} of {} "
                                           "agreed hours in trajectory year {}).",
                                           grant->date.iso(), hours_en(grant->granted_minutes), period_en,
                                           hours_en(legal_max), pct_text(pct), hours_en(sum / 7), year);
                f.explain("grant", fmt::format("{} on {}: {} min", grant->id, grant->date.iso(), grant->granted_minutes));
                f.explain("period", period_text(p));
                f.explain("agreed minutes", fmt::format("{} (Σ weekly minutes / 7 over the period's days, C-3)", sum / 7));
                f.explain("statutory maximum", params.cite("legal_max_pct", p.span.first,
                                                           fmt::format("{} in trajectory year {}", pct_text(pct), year)));
                f.explain("maximum", fmt::format("{} min = {} × agreed minutes, rounded down", legal_max, pct_text(pct)));
            }
        }
        // uwv-extern.period-report (P14 A.5, B.4): one report per started period, due 28 days after its end.
        period_reports.push_back({p.number, add_days(p.span.last, params.integer("period_report_days", p.span.first)),
                                  [&params, number = p.number, span = p.span] {
                                      return fmt::format("period#{} ends {}, + {}", number, span.last.iso(),
                                                         params.cite_integer("period_report_days", span.first));
                                  }});
    }
    evaluate_duty(emit, "uwv-extern.period-report", "period-report", period_reports,
                  facts.reports(t, "period-report", ctx.next), as_of);

    // uwv-extern.max-duration with C-9.
    const int32_t max_months_of_t = params.integer("max_duration_months", t.start);
    evaluate_expiry(emit, "uwv-extern.max-duration", t, as_of, ctx.after_max_end(),
                    fmt::format("Langer dan {} kan alleen als UWV dat per situatie toekent.", months_nl(max_months_of_t)),
                    fmt::format("Beyond {} only UWV can extend, per situation.", months_en(max_months_of_t)));

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
            f.subject = fmt::format("period#{}", p.number);
            f.message_nl = fmt::format("Het traject bereikt op {} de maximale duur van {}. Is daarna nog begeleiding "
                                       "nodig, onderbouw dat dan in de aanvraag voortzetting aan het eind van periode "
                                       "{} (uiterlijk {}).",
                                       t.max_end.iso(), months_nl(max_months_of_t), p.number, closes.iso());
            f.message_en = fmt::format("The trajectory reaches its {} maximum on {}. If coaching is needed beyond "
                                       "it, argue it in the continuation request at the end of period {} (by {}).",
                                       max_months_of_t % 12 == 0 ? fmt::format("{}-year", max_months_of_t / 12)
                                                                 : fmt::format("{}-month", max_months_of_t),
                                       t.max_end.iso(), p.number, closes.iso());
            f.explain("period", period_text(p) + ": " + params.cite_integer("extension_window_period", t.start));
            f.explain("window", fmt::format("{} .. {} = period end - {} .. period end + {}", opens.iso(), closes.iso(),
                                            params.cite_integer("extension_window_days", p.span.first),
                                            params.cite_integer("period_report_days", p.span.first)));
            f.explain("extensions", "none granted");
            explain_trajectory(f, t);
        }
    }

    // uwv-extern.contract-end (P14 A.8).
    evaluate_contract_end(ctx, emit, "uwv-extern.contract-end");

    // Across schemes (docs/rules.md §6).
    evaluate_paid_work(emit, t, facts.contracts);
    evaluate_justification(emit, t, facts.of_type_in(t, EventType::budget_transferred),
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
