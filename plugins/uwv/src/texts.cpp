// SPDX-License-Identifier: Apache-2.0
// The words of the uwv plugin's rules (texts.hpp).
#include "texts.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <cmath>

namespace jobcoach::uwv::texts {

using namespace jobcoach::rules;

namespace {

// "7.5 %". A whole percentage below a million is written as the integer {:g} writes for it, and a positive one
// below 10,000 with one decimal (7.5) as its tenths, without the general float formatting: {:g} gives six
// significant digits, which hold every such tenth.
std::string pct_text(double pct)
{
    if (pct > -1e6 && pct < 1e6 && pct == std::trunc(pct) && !(pct == 0 && std::signbit(pct)))
        return format_text(JC_FORMAT("{} %"), static_cast<int64_t>(pct));
    if (const double tenths = pct * 10; pct > 0 && pct < 1e4 && tenths == std::trunc(tenths)) {
        const auto t = static_cast<int64_t>(tenths);
        return format_text(JC_FORMAT("{}.{} %"), t / 10, t % 10);
    }
    return format_text(FMT_COMPILE("{:g} %"), pct);
}

// "periode 2 (2021-06-17 t/m 2021-12-16)" and "period 2 (2021-06-17 to 2021-12-16)", into `nl` and `en` (their
// storage kept): each date written once.
void period_label_into(std::string &nl, std::string &en, int number, Span span)
{
    char first[dates::iso_max_bytes], last[dates::iso_max_bytes];
    const std::string_view from(first, dates::iso_into(span.first.days, first));
    const std::string_view to(last, dates::iso_into(span.last.days, last));
    format_into(nl, JC_FORMAT("periode {} ({} t/m {})"), number, from, to);
    format_into(en, JC_FORMAT("period {} ({} to {})"), number, from, to);
}

Words period_label(int number, Span span)
{
    Words words;
    period_label_into(words.first, words.second, number, span);
    return words;
}

// The words of a period budget into `w` (Params::budget_words), whose limit is granted, or estimated in the bases
// the caller wrote into w. Each text is written in place, into storage kept from the budget finding before (a
// budget finding's words were a dozen allocations).
const BudgetWords &period_budget(BudgetWords &w, const PeriodBudget &b, int number, Span span,
                                 std::string_view period_explanation, const Params &params)
{
    period_label_into(w.label_nl, w.label_en, number, span);
    if (b.grant != nullptr) {
        format_into(w.basis_nl, JC_FORMAT("toegekend op {}: {}"), b.grant->date, hours_nl(b.grant->granted_minutes));
        format_into(w.basis_en, JC_FORMAT("granted on {}: {}"), b.grant->date, hours_en(b.grant->granted_minutes));
    }
    if (!params.explains())
        return w;
    w.line("percentages").append("level -> [year 1, 2, 3+] % of agreed hours");
    params.cite_into(w.explanation, "level_pct", span.first);
    w.line("period").append(period_explanation);
    return w;
}

} // namespace

void outside_contract(Finding &f, const Event &entry, const Trajectory &t)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    format_into(f.message_nl,
                JC_FORMAT("Op {} is {} jobcoaching geregistreerd (registratie {}) op een dag zonder "
                          "arbeidscontract. Jobcoaching stopt als de baan eindigt."),
                entry.date, hours_nl(entry.minutes), entry.id);
    format_into(f.message_en,
                JC_FORMAT("{} of coaching was logged on {} (entry {}), a day without an employment contract. "
                          "Coaching stops when the job ends."),
                hours_en(entry.minutes), entry.date, entry.id);
    f.explain("entry", JC_FORMAT("{} on {}: {} min"), entry.id, entry.date, entry.minutes);
    f.explain("contract on that day", "none (C-3: after the contract's end, or before its start)");
    rules::texts::explain_trajectory(f, t);
}

std::string_view contract_end_notice_basis(Date employment_end, const Params &params)
{
    if (!params.explains())
        return {}; // only the explanation reads it
    std::string &basis = params.scratch();
    append_format(basis, JC_FORMAT("the employment ends {}, + "), employment_end);
    params.cite_integer_into(basis, "contract_end_notice_days", employment_end);
    return basis;
}

std::string extern_period(const ExternPeriod &p)
{
    return format_text(JC_FORMAT("period#{} = {} .. {}"), p.number, p.span.first, p.span.last);
}

std::string extern_first_period(const ExternPeriod &first, Date start, const Params &params)
{
    return format_text(
        JC_FORMAT("period 1 runs {} .. {}: {} from S, or to the end of a contract shorter than {} (as known on S)"),
        first.span.first, first.span.last, params.cite_integer("period_months", start),
        params.cite_integer("short_contract_months", start));
}

const BudgetWords &extern_budget(const PeriodBudget &b, const ExternPeriod &p, std::string_view period_explanation,
                                 const Params &params)
{
    BudgetWords &w = params.budget_words();
    if (b.grant == nullptr && b.estimate) {
        const Estimate &e = *b.estimate;
        const std::string pct = pct_text(e.pct);
        format_into(w.basis_nl, JC_FORMAT("schatting: niveau {}, trajectjaar {}: {} van {} overeengekomen uren"),
                    e.level, e.year, decimal_comma(pct), hours_nl(e.agreed_minutes));
        format_into(w.basis_en, JC_FORMAT("estimate: level {}, trajectory year {}: {} of {} agreed hours"), e.level,
                    e.year, pct, hours_en(e.agreed_minutes));
    }
    return period_budget(w, b, p.number, p.span, period_explanation, params);
}

std::string_view period_report_basis(const ExternPeriod &p, const Params &params)
{
    if (!params.explains())
        return {}; // only the explanation reads it
    std::string &basis = params.scratch();
    append_format(basis, JC_FORMAT("period#{} ends {}, + "), p.number, p.span.last);
    params.cite_integer_into(basis, "period_report_days", p.span.first);
    return basis;
}

void above_legal_max(Finding &f, const AboveLegalMax &o, const ExternPeriod &p, const Params &params)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    const auto [period_nl, period_en] = period_label(p.number, p.span);
    format_into(f.message_nl,
                JC_FORMAT("De toekenning van {} geeft {} voor {}, meer dan het wettelijk maximum van {} "
                          "({} van {} overeengekomen uren in trajectjaar {})."),
                o.grant.date, hours_nl(o.grant.granted_minutes), period_nl, hours_nl(o.legal_max),
                decimal_comma(pct_text(o.pct)), hours_nl(o.agreed), o.year);
    format_into(f.message_en,
                JC_FORMAT("The grant of {} gives {} for {}, above the statutory maximum of {} ({} of {} "
                          "agreed hours in trajectory year {})."),
                o.grant.date, hours_en(o.grant.granted_minutes), period_en, hours_en(o.legal_max),
                pct_text(o.pct), hours_en(o.agreed), o.year);
    if (!f.explaining)
        return;
    f.explain("grant", JC_FORMAT("{} on {}: {} min"), o.grant.id, o.grant.date, o.grant.granted_minutes);
    f.explain("period", extern_period(p));
    f.explain("agreed minutes", JC_FORMAT("{} (Σ weekly minutes / 7 over the period's days, C-3)"), o.agreed);
    f.explain("statutory maximum",
              params.cite("legal_max_pct", p.span.first,
                          format_text(JC_FORMAT("{} in trajectory year {}"), pct_text(o.pct), o.year)));
    f.explain("maximum", JC_FORMAT("{} min = {} × agreed minutes, rounded down"), o.legal_max, pct_text(o.pct));
}

Words beyond_max_duration(int32_t max_months)
{
    return {
        format_text(JC_FORMAT("Langer dan {} kan alleen als UWV dat per situatie toekent."), months_nl(max_months)),
        format_text(JC_FORMAT("Beyond {} only UWV can extend, per situation."), months_en(max_months))};
}

void extension_window(Finding &f, const ExtensionWindow &o, const ExternPeriod &p, const Trajectory &t, const Params &params)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    format_into(f.message_nl,
                JC_FORMAT("Het traject bereikt op {} de maximale duur van {}. Is daarna nog begeleiding "
                          "nodig, onderbouw dat dan in de aanvraag voortzetting aan het eind van periode "
                          "{} (uiterlijk {})."),
                t.max_end, months_nl(o.max_months), p.number, o.closes);
    format_into(f.message_en,
                JC_FORMAT("The trajectory reaches its {} maximum on {}. If coaching is needed beyond "
                          "it, argue it in the continuation request at the end of period {} (by {})."),
                o.max_months % 12 == 0 ? format_text(JC_FORMAT("{}-year"), o.max_months / 12)
                                       : format_text(JC_FORMAT("{}-month"), o.max_months),
                t.max_end, p.number, o.closes);
    if (!f.explaining)
        return;
    f.explain("period", extern_period(p) + ": " + params.cite_integer("extension_window_period", t.start));
    f.explain("window", JC_FORMAT("{} .. {} = period end - {} .. period end + {}"), o.opens, o.closes,
              params.cite_integer("extension_window_days", p.span.first),
              params.cite_integer("period_report_days", p.span.first));
    f.explain("extensions", "none granted");
    rules::texts::explain_trajectory(f, t);
}

std::string intern_period(const InternPeriod &p)
{
    return format_text(JC_FORMAT("period#{} = {} .. {} (planned {} .. {}), year {} of coaching in this job"),
                       p.number, p.span.first, p.span.last, p.planned.first, p.planned.last,
                       p.index);
}

const BudgetWords &intern_budget(const PeriodBudget &b, const InternPeriod &p, const Params &params)
{
    BudgetWords &w = params.budget_words();
    if (b.grant == nullptr && b.estimate) {
        const Estimate &e = *b.estimate;
        const std::string pct = pct_text(e.pct);
        format_into(w.basis_nl, JC_FORMAT("niveau {}, jaar {}: {} van {} overeengekomen uren"), e.level, p.index,
                    decimal_comma(pct), hours_nl(e.agreed_minutes));
        format_into(w.basis_en, JC_FORMAT("level {}, year {}: {} of {} agreed hours"), e.level, p.index, pct,
                    hours_en(e.agreed_minutes));
    }
    return period_budget(w, b, p.number, p.span, params.explains() ? intern_period(p) : std::string(), params);
}

std::string_view continuation_basis(const InternPeriod &p, size_t allowed, const Params &params)
{
    if (!params.explains())
        return {}; // only the explanation reads it
    std::string &basis = params.scratch();
    append_format(basis, JC_FORMAT("period#{} ends {}, + "), p.number, p.planned.last);
    params.cite_integer_into(basis, "continuation_days", p.planned.first);
    append_format(basis, JC_FORMAT(" (not after the last allowed period #{})"), allowed);
    return basis;
}

StatusFigure subsidy_figure(const std::string &subject, const UwvIntern::Subsidy &sub, const std::string &level, int index)
{
    // The part-time factor as a share with four decimals (its exact fraction is in the finding's explanation).
    const double factor = sub.factor_den > 0 ? static_cast<double>(sub.factor_num) / static_cast<double>(sub.factor_den) : 0.0;
    return {format_text(JC_FORMAT("subsidy {}"), subject),
            format_text(JC_FORMAT("{} (level {}, year {}, part-time factor {})"), euro_en(sub.cents), level, index,
                        factor_en(factor)),
            format_text(JC_FORMAT("subsidie {}"), subject),
            format_text(JC_FORMAT("{} (niveau {}, jaar {}, deeltijdfactor {})"), euro_nl(sub.cents), level, index,
                        factor_nl(factor))};
}

void subsidy_repayment(Finding &f, const Repayment &o, const InternPeriod &p, const Params &params)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    const std::string share = format_text(JC_FORMAT("{} month(s) and {} of {} day(s) of {} months"), o.whole_months,
                                          o.rest_days, o.month_days, o.months);
    const auto [period_nl, period_en] = period_label(p.number, p.span);
    format_into(
        f.message_nl,
        JC_FORMAT(
            "Het dienstverband eindigt op {}, binnen {}. De subsidie van {} is vooraf betaald "
            "maar alleen verdiend voor {} maand(en) en {} van {} dag(en) van de {} maanden: {} moet terugbetaald "
            "worden."),
        o.close, period_nl, euro_nl(o.subsidy.cents), o.whole_months, o.rest_days, o.month_days, o.months,
        euro_nl(o.repay));
    format_into(f.message_en,
                JC_FORMAT("The employment ends on {}, inside {}. The subsidy of {} was paid in advance but "
                          "is earned only for {}: {} is to be repaid."),
                o.close, period_en, euro_en(o.subsidy.cents), share, euro_en(o.repay));
    if (!f.explaining)
        return;
    f.explain("period", intern_period(p));
    f.explain("normbedrag", params.cite("subsidy_euro", p.planned.first,
                                        format_text(JC_FORMAT("{} for level {}, year {}"),
                                                    euro_en(o.subsidy.norm_cents), o.level, p.index)));
    f.explain("part-time factor",
              JC_FORMAT("{} / {} (C-4: average of min(1, weekly hours / {}) over the contract days "
                        "of the planned period)"),
              o.subsidy.factor_num, o.subsidy.factor_den, params.cite_integer("part_time_full_hours", p.planned.first));
    f.explain("subsidy", JC_FORMAT("{} cents = normbedrag × factor, rounded down"), o.subsidy.cents);
    f.explain("earned", JC_FORMAT("{} cents = subsidy × ({}), rounded down"), o.earned, share);
    f.explain("to repay", JC_FORMAT("{} cents"), o.repay);
}

Words intern_max_duration(int32_t max_months, int32_t period_months, int32_t prior)
{
    const std::string most_nl =
        max_months % period_months == 0
            ? format_text(JC_FORMAT("Maximaal {} perioden van {} maanden"), max_months / period_months, period_months)
            : format_text(JC_FORMAT("Maximaal {}"), months_nl(max_months));
    const std::string most_en =
        max_months % period_months == 0
            ? format_text(JC_FORMAT("At most {} periods of {} months"), max_months / period_months, period_months)
            : format_text(JC_FORMAT("At most {}"), months_en(max_months));
    return {
        format_text(JC_FORMAT("{}{}."), most_nl,
                    prior > 0 ? format_text(JC_FORMAT(", min {} maanden eerdere externe jobcoaching"), prior) : ""),
        format_text(JC_FORMAT("{}{}."), most_en,
                    prior > 0 ? format_text(JC_FORMAT(", less {} months of earlier external coaching"), prior) : "")};
}

void explain_prior_months(Finding &f, int32_t prior, Date start, const Params &params)
{
    f.explain("prior months", JC_FORMAT("{} (deducted from {})"), prior,
              params.cite_integer("max_duration_months", start));
}

} // namespace jobcoach::uwv::texts
