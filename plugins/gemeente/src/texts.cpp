// SPDX-License-Identifier: Apache-2.0
// The words of the gemeente plugin's roles (texts.hpp).
#include "texts.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

namespace jobcoach::gemeente::texts {

using namespace jobcoach::rules;
using rules::texts::explain_trajectory;

namespace {

// An interval counted, in English and in Dutch: "1 month", "3 months", "7 days"; "1 maand", "3 maanden",
// "7 dagen". With `per`, a count of one is left out, as after "per": "per month", "per 7 days"; "per maand".
std::string interval_en(const Interval &i, bool per = false)
{
    const int32_t n = i.months > 0 ? i.months : i.days;
    const char *unit = i.months > 0 ? (n == 1 ? "month" : "months") : (n == 1 ? "day" : "days");
    return per && n == 1 ? std::string(unit) : format_text(JC_FORMAT("{} {}"), n, unit);
}

std::string interval_nl(const Interval &i, bool per = false)
{
    const int32_t n = i.months > 0 ? i.months : i.days;
    const char *unit = i.months > 0 ? (n == 1 ? "maand" : "maanden") : (n == 1 ? "dag" : "dagen");
    return per && n == 1 ? std::string(unit) : format_text(JC_FORMAT("{} {}"), n, unit);
}

// "trajectjaar 2 (… t/m …)" and "trajectory year 2 (… to …)", into `nl` and `en` (their storage kept).
void year_label_into(std::string &nl, std::string &en, int k, Span span)
{
    format_into(nl, JC_FORMAT("trajectjaar {} ({} t/m {})"), k, span.first, span.last);
    format_into(en, JC_FORMAT("trajectory year {} ({} to {})"), k, span.first, span.last);
}

// A label that opens a sentence: its first letter (ASCII) capitalized.
std::string capitalized(std::string label)
{
    if (!label.empty() && label[0] >= 'a' && label[0] <= 'z')
        label[0] = static_cast<char>(label[0] - 'a' + 'A');
    return label;
}

Words year_label(int k, Span span)
{
    Words words;
    year_label_into(words.first, words.second, k, span);
    return words;
}
} // namespace

std::string_view duty_basis(const Trajectory &t, std::string_view report_kind, int32_t every, int32_t once,
                            int number, const Params &params)
{
    if (!params.explains())
        return {}; // only the explanation reads it
    std::string &basis = params.scratch();
    if (every > 0)
        append_format(basis, JC_FORMAT("add_months(S = {}, {} × {}); "), t.start, every, number);
    else
        append_format(basis, JC_FORMAT("S = {} + {} days; "), t.start, once);
    append_format(basis, JC_FORMAT("{} [every_months {}, once_after_days {}]"), report_kind, every, once);
    params.cite_into(basis, "duties", t.start);
    return basis;
}

Words expiring_note(const Trajectory &t, const Params &params)
{
    return {params.text("expiring_note_nl", t.start), params.text("expiring_note_en", t.start)};
}

void extension_above_max(Finding &f, const Event &extension, int32_t excess, const Trajectory &t, const Params &params)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    const int32_t cap = t.extension_cap;
    format_into(f.message_nl,
                JC_FORMAT("Op {} is {} verlenging toegekend; {} daarvan {} boven het maximum van {} "
                          "verlenging in totaal en {} de maximale einddatum ({}) niet."),
                extension.date, months_nl(extension.months), months_nl(excess), excess == 1 ? "valt" : "vallen",
                months_nl(cap), excess == 1 ? "verschuift" : "verschuiven", t.max_end);
    format_into(f.message_en,
                JC_FORMAT("An extension of {} was granted on {}; {} of it {} beyond the maximum of {} of "
                          "extensions in all and {} not move the maximum end ({})."),
                months_en(extension.months), extension.date, months_en(excess), excess == 1 ? "lies" : "lie",
                months_en(cap), excess == 1 ? "does" : "do", t.max_end);
    f.explain("extension", JC_FORMAT("{} on {}: {} months"), extension.id, extension.date, extension.months);
    if (f.explaining)
        params.cite_integer_into(f.explain_line("maximum of extensions"), "max_extension_months", t.start);
    f.explain("counted", JC_FORMAT("{} of all extensions; {} months beyond"), t.extension_months, excess);
    explain_trajectory(f, t);
}

const BudgetWords &year_budget(const YearBudget &y, const Params &params)
{
    // Each text written in place, into storage kept from the budget finding before (Params::budget_words).
    BudgetWords &w = params.budget_words();
    year_label_into(w.label_nl, w.label_en, y.k, y.span);
    if (y.grant != nullptr) {
        format_into(w.basis_nl, JC_FORMAT("in overleg toegekend op {}: {}"), y.grant->date, hours_nl(y.base));
        format_into(w.basis_en, JC_FORMAT("agreed in the grant of {}: {}"), y.grant->date, hours_en(y.base));
    } else {
        const double factor = static_cast<double>(y.cap.factor_num) / static_cast<double>(y.cap.factor_den);
        format_into(w.basis_nl, JC_FORMAT("niveau {}, jaar {}: maximaal {} × deeltijdfactor {} over het jaar"),
                    y.level, y.k, hours_nl(y.cap.cap_minutes), factor_nl(factor));
        format_into(w.basis_en, JC_FORMAT("level {}, year {}: at most {} × part-time factor {} over the year"),
                    y.level, y.k, hours_en(y.cap.cap_minutes), factor_en(factor));
        if (params.explains()) {
            append_format(w.line("base cap"), JC_FORMAT("{} h for level {} in year {}"), y.cap.hours, y.level, y.k);
            params.cite_into(w.explanation, "hour_cap_hours", y.span.first);
            append_format(w.line("part-time factor"), JC_FORMAT("{} / {} (C-4: average of min(1, weekly hours / "),
                          y.cap.factor_num, y.cap.factor_den);
            params.cite_integer_into(w.explanation, "part_time_full_hours", y.span.first);
            w.explanation.append(") over the year's contract days)");
            append_format(w.line("cap"), JC_FORMAT("{} min = base cap × factor, rounded down"), y.base);
        }
    }
    if (y.moved_in > 0 && params.explains())
        append_format(w.line("moved in"), JC_FORMAT("{} min from year {}"), y.moved_in, y.k - 1);
    if (y.moved_out > 0 && params.explains())
        append_format(w.line("moved out"), JC_FORMAT("{} min to year {}"), y.moved_out, y.k + 1);
    if (y.moved_in > 0 || y.moved_out > 0) {
        append_format(w.basis_nl, JC_FORMAT(", {} overgeheveld"), hours_nl(y.moved_in - y.moved_out));
        append_format(w.basis_en, JC_FORMAT(", {} moved"), hours_en(y.moved_in - y.moved_out));
    }
    return w;
}

void transfer_above_unused(Finding &f, const TransferAboveUnused &o, int k, Span year)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    const auto [year_nl, year_en] = year_label(k, year);
    const Event &b = o.transfer;
    format_into(f.message_nl,
                JC_FORMAT("Op {} is {} overgeheveld uit {}, maar er was maar {} ongebruikt. Alleen dat "
                          "deel telt."),
                b.date, hours_nl(b.minutes), year_nl, hours_nl(o.unused));
    format_into(f.message_en,
                JC_FORMAT("On {}, {} were moved out of {}, but only {} were unused. Only that part counts."),
                b.date, hours_en(b.minutes), year_en, hours_en(o.unused));
    f.explain("transfer", JC_FORMAT("{} on {}: {} min"), b.id, b.date, b.minutes);
    f.explain("unused", JC_FORMAT("{} min = limit {} - moved out before {} - used {}"), o.unused, o.limit,
              o.moved_out, o.used);
}

void transfer_possible(Finding &f, const TransferPossible &o, int k, Span year, const Params &params)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    const auto [year_nl, year_en] = year_label(k, year);
    // The sentence opens with the year's label: "Trajectjaar 2 (…) eindigt …".
    format_into(f.message_nl,
                JC_FORMAT("{} eindigt op {} met {} ongebruikt, na een afwezigheid van {} dagen. Deze uren "
                          "kunnen, gemotiveerd, naar het volgende jaar worden overgeheveld."),
                capitalized(year_nl), year.last, hours_nl(o.unused), o.absent_days);
    format_into(f.message_en,
                JC_FORMAT("{} ends on {} with {} unused, after an absence of {} days. These hours may be "
                          "moved to the next year, with a justification."),
                capitalized(year_en), year.last, hours_en(o.unused), o.absent_days);
    f.explain("unused", JC_FORMAT("{} min = limit {} - used {}"), o.unused, o.limit, o.used);
    f.explain("longest absence in the year", JC_FORMAT("{} days; needed: {}"), o.absent_days,
              params.cite_integer("transfer_absence_days", year.first));
    if (f.explaining)
        params.cite_integer_into(f.explain_line("window (days at the end of the year)"), "transfer_window_days",
                                 year.first);
}

void start_visit_missing(Finding &f, const std::string &package, const Trajectory &t, const Params &params)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    format_into(f.message_nl,
                JC_FORMAT("Bij pakket {} is de jobcoach altijd aanwezig bij de start, maar er is geen bezoek "
                          "geregistreerd op de startdatum {}."),
                package, t.start);
    format_into(f.message_en,
                JC_FORMAT("With package {} the jobcoach is always present at the start, but no visit was "
                          "logged on the start date {}."),
                package, t.start);
    if (!f.explaining)
        return;
    f.explain("package at the start", params.cite("start_visit", t.start, package + " needs a start visit"));
    f.explain("visits on the start date", "none");
    explain_trajectory(f, t);
}

void visits_below_package(Finding &f, const VisitsBelowPackage &o, const Params &params)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    const Span &first = o.windows.front(), &last = o.windows.back();
    const double average = static_cast<double>(o.total) / static_cast<double>(o.windows.size());
    format_into(f.message_nl,
                FMT_COMPILE("Pakket {} vraagt gemiddeld {} bezoek(en) per {}; in de laatste {} afgesloten "
                            "periode(s) ({} t/m {}) waren het er {} (gemiddeld {})."),
                o.package, o.required, interval_nl(o.window, true), o.windows.size(), first.first, last.last,
                o.total, decimal_comma(format_text(FMT_COMPILE("{:.2f}"), average)));
    format_into(f.message_en,
                FMT_COMPILE("Package {} needs {} visit(s) per {} on average; the last {} completed "
                            "window(s) ({} to {}) had {} (average {:.2f})."),
                o.package, o.required, interval_en(o.window, true), o.windows.size(), first.first, last.last,
                o.total, average);
    if (!f.explaining)
        return;
    f.explain("package", JC_FORMAT("{} since {}"), o.package, o.anchor);
    f.explain("requirement",
              params.cite("visit_frequency", o.anchor,
                          format_text(JC_FORMAT("{} visit(s) per {}"), o.required, interval_en(o.window, true))));
    for (size_t i = 0; i < o.windows.size(); ++i)
        f.explain("window", JC_FORMAT("{} .. {}: {} visit(s)"), o.windows[i].first, o.windows[i].last,
                  o.visits[i]);
    f.explain("windows counted", params.cite_integer("visit_frequency_windows", o.anchor) + " (the last completed)");
}

void contact_missed(Finding &f, const ContactMissed &o, const Params &params)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    format_into(f.message_nl,
                JC_FORMAT("Pakket {} vraagt contact of een bezoek in elke periode van {}; in {} t/m {} "
                          "was er geen."),
                o.package, interval_nl(o.window_length), o.window.first, o.window.last);
    format_into(f.message_en,
                JC_FORMAT("Package {} needs a contact or a visit in every window of {}; {} to {} had none."),
                o.package, interval_en(o.window_length), o.window.first, o.window.last);
    if (!f.explaining)
        return;
    f.explain("requirement",
              params.cite("contact_frequency", o.anchor,
                          format_text(JC_FORMAT("{} contact(s) per {}"), o.required,
                                      interval_en(o.window_length, true))));
    f.explain("window", JC_FORMAT("#{} = {} .. {} (windows run from {})"), o.number, o.window.first,
              o.window.last, o.anchor);
    f.explain("contacts and visits in it", std::to_string(o.seen));
}

void next_visit(Finding &f, const NextVisitDue &o, const Params &params)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    const std::string what_nl = o.contacts_count ? "contact of bezoek" : "bezoek";
    const std::string what_en = o.contacts_count ? "contact or visit" : "visit";
    if (o.days_left < 0) {
        format_into(f.message_nl,
                    JC_FORMAT("Het volgende {} (pakket {}) was uiterlijk {} nodig: {} dag(en) te laat."), what_nl,
                    o.package, o.due, -o.days_left);
        format_into(f.message_en, JC_FORMAT("The next {} (package {}) was due on {}: {} day(s) overdue."), what_en,
                    o.package, o.due, -o.days_left);
    } else {
        format_into(f.message_nl, JC_FORMAT("Het volgende {} (pakket {}) is uiterlijk {} nodig: nog {} dag(en)."),
                    what_nl, o.package, o.due, o.days_left);
        format_into(f.message_en, JC_FORMAT("The next {} (package {}) is due on {}: {} day(s) left."), what_en,
                    o.package, o.due, o.days_left);
    }
    if (!f.explaining)
        return;
    f.explain("package", JC_FORMAT("{} since {}"), o.package, o.anchor);
    f.explain("last", o.last != nullptr ? format_text(JC_FORMAT("{} on {}"), o.last->id, o.last->date)
                                        : format_text(JC_FORMAT("none yet: counted from {}"), o.anchor));
    f.explain("interval", params.cite("next_visit_interval", o.anchor, interval_en(o.interval)));
    f.explain("due", JC_FORMAT("{} = {} + {}"), o.due, o.base, interval_en(o.interval));
    params.cite_integer_into(f.explain_line("lead"), "visit_due_lead_days", o.anchor);
}

StatusFigure quarter_figure(int year, unsigned quarter, int64_t minutes)
{
    return {format_text(JC_FORMAT("hours {}-Q{}"), year, quarter),
            format_text(JC_FORMAT("{} ({} min)"), hours_en(minutes), minutes),
            format_text(JC_FORMAT("uren {}-K{}"), year, quarter),
            format_text(JC_FORMAT("{} ({} min)"), hours_nl(minutes), minutes)};
}

StatusFigure cost_figure(const std::string &form, int64_t minutes, int64_t cents, bool rated)
{
    if (rated)
        return {"cost " + form, format_text(JC_FORMAT("{} for {}"), euro_en(cents), hours_en(minutes)),
                "kosten " + form, format_text(JC_FORMAT("{} voor {}"), euro_nl(cents), hours_nl(minutes))};
    return {"cost " + form,
            format_text(JC_FORMAT("{}: no hourly rate in the rule pack (set hourly_rate_cents.{})"),
                        hours_en(minutes), form),
            "kosten " + form,
            format_text(JC_FORMAT("{}: geen uurtarief in het regelpakket (zet hourly_rate_cents.{})"),
                        hours_nl(minutes), form)};
}

void cluster(Finding &f, const std::string &employer, std::span<const VisitPlan> plans,
             std::span<const std::string_view> employees, Date as_of, const Params &params)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    std::string keys;
    for (const std::string_view e : employees)
        keys.append(keys.empty() ? "" : ", ").append(e);
    const Date first = plans.front().due, last = plans.back().due;
    if (first == last) {
        format_into(f.message_nl,
                    JC_FORMAT("Bij werkgever {} zijn {} bezoeken nodig op {} ({}). Plan ze waar mogelijk op "
                              "één dag."),
                    employer, employees.size(), first, keys);
        format_into(f.message_en,
                    JC_FORMAT("At employer {}, {} visits are due on {} ({}). Cluster them on one day where "
                              "possible."),
                    employer, employees.size(), first, keys);
    } else {
        format_into(f.message_nl,
                    JC_FORMAT("Bij werkgever {} zijn {} bezoeken nodig tussen {} en {} ({}). Plan ze waar "
                              "mogelijk op één dag."),
                    employer, employees.size(), first, last, keys);
        format_into(f.message_en,
                    JC_FORMAT("At employer {}, {} visits are due between {} and {} ({}). Cluster them on one "
                              "day where possible."),
                    employer, employees.size(), first, last, keys);
    }
    for (const VisitPlan &p : plans)
        f.explain("next visit", JC_FORMAT("{} due {}"), p.employee, p.due);
    f.explain("window", params.cite_integer("cluster_window_days", as_of) + " days from the first due date");
}

} // namespace jobcoach::gemeente::texts
