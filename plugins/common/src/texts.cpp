// SPDX-License-Identifier: Apache-2.0
// The words of the shared rules (texts.hpp): every sentence a common rule's finding carries, from its values.
#include "jobcoach/rules/texts.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

namespace jobcoach::rules {

namespace {
// What cite() puts after the value for the version of `name` valid on `ref`: its pack, name, valid_from and source.
// Throws RulePackError (from the pack) when no version is valid on ref.
std::string citation_of(const RulePack &p, std::string_view name, Date ref)
{
    return format_text(JC_FORMAT(" (rule pack {}, {}, valid from {}; {})"), p.scheme(), name,
                       p.parameter_valid_from(name, ref), p.parameter_source(name, ref));
}
} // namespace

const std::string *Params::known_citation(std::string_view name, Date ref) const
{
    auto known = std::find_if(known_citations_.begin(), known_citations_.end(),
                              [&](const KnownCitation &c) { return c.name == name; });
    if (known == known_citations_.end()) {
        // Every version's words at once: the next finding citing the parameter needs no lookup in the pack.
        const RulePack &p = pick(name);
        KnownCitation c{std::string(name), {}};
        for (const Date from : p.valid_froms(name))
            c.versions.emplace_back(from, citation_of(p, name, from));
        known = known_citations_.insert(known_citations_.end(), std::move(c));
    }
    // The version valid on ref: the latest valid_from on or before it.
    const auto &versions = known->versions;
    const auto after = std::upper_bound(versions.begin(), versions.end(), ref,
                                        [](Date d, const std::pair<Date, std::string> &v) { return d < v.first; });
    return after == versions.begin() ? nullptr : &(after - 1)->second;
}

// How an explanation cites a rule-pack value (common_rules.hpp, Params): its value, pack, name, version and source.
std::string Params::cite(std::string_view name, Date ref, std::string_view value_text) const
{
    const std::string *citation = known_citation(name, ref);
    if (citation == nullptr) // none valid yet: the pack's own lookup says so, as it does for the number
        return std::string(value_text) + citation_of(pick(name), name, ref);
    std::string out;
    out.reserve(value_text.size() + citation->size()); // one allocation, not a second to grow
    out.append(value_text).append(*citation);
    return out;
}

void Params::cite_into(std::string &out, std::string_view name, Date ref) const
{
    if (const std::string *citation = known_citation(name, ref))
        out.append(*citation);
    else // none valid yet: the pack's own lookup says so, as it does for the number
        out.append(citation_of(pick(name), name, ref));
}

const Params::RuleWords &Params::words(std::string_view rule_id, std::string_view kind) const
{
    for (const KnownWords &w : known_words_)
        if (w.rule == rule_id && w.kind == kind)
            return w.words;
    auto action = [&](std::string_view lang) {
        const std::string key = "action_" + std::string(lang);
        const std::string &for_kind = rule_text(rule_id, key + ":" + std::string(kind));
        ActionWords a{for_kind.empty() ? &rule_text(rule_id, key) : &for_kind, {}, 0};
        const std::string_view text = *a.text;
        if (text.find("{due}") != std::string_view::npos) {
            size_t from = 0;
            for (size_t at = text.find("{due}"); at != std::string_view::npos; at = text.find("{due}", from)) {
                a.pieces.push_back(text.substr(from, at - from));
                from = at + 5;
            }
            a.pieces.push_back(text.substr(from));
            for (const std::string_view piece : a.pieces)
                a.pieces_size += piece.size();
        }
        return a;
    };
    known_words_.push_back(
        {std::string(rule_id), std::string(kind),
         RuleWords{&rule_text(rule_id, "title_nl"), &rule_text(rule_id, "title_en"), action("nl"), action("en")}});
    return known_words_.back().words;
}

std::string Params::cite_integer(std::string_view name, Date ref) const
{
    std::string out; // the digits fit its own buffer: the citation is its one allocation
    cite_integer_into(out, name, ref);
    return out;
}

void Params::cite_integer_into(std::string &out, std::string_view name, Date ref) const
{
    char digits[16]; // an int32_t
    const auto end = std::to_chars(digits, digits + sizeof digits, integer(name, ref)).ptr;
    out.append(digits, end);
    cite_into(out, name, ref); // (with none valid yet, integer() above has said so already)
}

} // namespace jobcoach::rules

namespace jobcoach::rules::texts {

namespace {

// The words for a report kind at the start of a sentence: {Dutch, English}. Views of constants (or of `kind`
// itself, for a kind without words of its own): no string is made per finding.
std::pair<std::string_view, std::string_view> report_label(std::string_view kind)
{
    static const std::map<std::string_view, std::pair<std::string_view, std::string_view>> labels = {
        {"plan", {"Begeleidingsplan", "Support plan (begeleidingsplan)"}},
        {"evaluation", {"Evaluatieverslag", "Evaluation report"}},
        {"plan-revision", {"Bijgesteld begeleidingsplan", "Plan revision"}},
        {"necessity-review", {"Evaluatie noodzaak jobcoaching", "Necessity review"}},
        {"period-report", {"Verantwoordingsrapportage", "Period report (verantwoordingsrapportage)"}},
        {"continuation", {"Aanvraag voortzetting", "Continuation request"}},
        {"contract-end-notice", {"Melding einde dienstverband aan UWV", "Notice of contract end to UWV"}},
        {"lks-check", {"Controle loonkostensubsidie", "Wage-cost subsidy check (LKS)"}},
    };
    const auto it = labels.find(kind);
    if (it == labels.end())
        return {kind, kind};
    return it->second;
}

} // namespace

void describe(Finding &f, const Params &params)
{
    const Params::RuleWords &words = params.words(f.rule, f.kind);
    const bool borrow = params.borrows_pack_texts();
    f.title_nl.take(*words.title_nl, borrow);
    f.title_en.take(*words.title_en, borrow);
    if (!f.wording) // the titles stay: they name the rule for people; the actions are words (Params::wording)
        return;
    // The pack's text with each "{due}" replaced by the due date (or nothing), the date written once on the
    // stack for both languages (a string made for each was a quarter of making the actions), between the pieces
    // the pack's text was split into once (Params::ActionWords).
    char due_buffer[dates::iso_max_bytes];
    const std::string_view due = f.due ? std::string_view(due_buffer, dates::iso_into(f.due->days, due_buffer))
                                       : std::string_view();
    auto action = [&](const Params::ActionWords &a, PackText &to) {
        if (a.pieces.empty()) {
            to.take(*a.text, borrow);
            return;
        }
        std::string &text = to.own();
        text.reserve(a.pieces_size + (a.pieces.size() - 1) * due.size());
        text.append(a.pieces.front());
        for (size_t i = 1; i < a.pieces.size(); ++i)
            text.append(due).append(a.pieces[i]);
    };
    action(words.action_nl, f.action_nl);
    action(words.action_en, f.action_en);
}

void explain_trajectory(Finding &f, const Trajectory &t)
{
    f.explain("trajectory", JC_FORMAT("#{} of {}, started {} (the opening coaching.granted)"), t.number, t.scheme,
              t.start);
    f.explain("maximum end", JC_FORMAT("{} = add_months({}, {} + {} extension months) - 1 day"), t.max_end,
              t.start, t.base_months, t.extension_months);
    f.explain("closes", JC_FORMAT("{} ({})"), t.close, close_reason_name(t.reason));
}

void due(Finding &f, std::string_view report_kind, const DueOutcome &o, Date as_of, std::string_view basis,
         const Params &params)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    const auto [label_nl, label_en] = report_label(report_kind);
    if (o.overdue) {
        format_into(f.message_nl,
                    JC_FORMAT("{} nr. {} had uiterlijk {} ingediend moeten zijn: {} dag(en) te laat. "
                              "Ingediend tot nu toe: {} van {}."),
                    label_nl, o.number, o.due, -o.days_left, o.filed, o.due_so_far);
        format_into(f.message_en, JC_FORMAT("{} #{} was due on {}: {} day(s) overdue. Filed so far: {} of {}."),
                    label_en, o.number, o.due, -o.days_left, o.filed, o.due_so_far);
    } else {
        format_into(f.message_nl,
                    JC_FORMAT("{} nr. {} moet uiterlijk {} ingediend zijn: nog {} dag(en) "
                              "(melding vanaf {} dagen vooraf)."),
                    label_nl, o.number, o.due, o.days_left, o.lead);
        format_into(f.message_en, JC_FORMAT("{} #{} is due on {}: {} day(s) left (shown from {} days before)."),
                    label_en, o.number, o.due, o.days_left, o.lead);
    }
    if (!f.explaining)
        return;
    f.explain("instance", JC_FORMAT("{} #{}; {} instance(s) due on or before {}"), report_kind, o.number,
              o.due_so_far, as_of);
    f.explain("due", JC_FORMAT("{} = {}"), o.due, basis);
    f.explain("reports of this kind filed", JC_FORMAT("{} (the n-th report satisfies the n-th instance, C-7)"),
              o.filed);
    f.explain("as of", JC_FORMAT("{}: {} day(s) {} the due date"), as_of,
              o.days_left < 0 ? -o.days_left : o.days_left, o.days_left < 0 ? "after" : "before");
    params.cite_integer_into(f.explain_line("lead"), "report_lead_days", o.due);
}

void budget(Finding &f, const BudgetCheck &c, const BudgetOutcome &o, const BudgetWords &w, const Params &params)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    const int64_t pct = c.limit_minutes > 0 ? c.used_minutes * 100 / c.limit_minutes : 0;
    if (o.kind == BudgetOutcome::Kind::exceeded) {
        const int64_t over = c.used_minutes - c.limit_minutes;
        format_into(f.message_nl,
                    JC_FORMAT("Budget {} overschreden: {} gebruikt van {} ({} %), {} te veel. Uren boven het "
                              "budget worden niet vergoed. Budget: {}."),
                    w.label_nl, hours_nl(c.used_minutes), hours_nl(c.limit_minutes), pct, hours_nl(over), w.basis_nl);
        format_into(f.message_en,
                    JC_FORMAT("Budget of {} exceeded: {} used of {} ({} %), {} over. Hours above the budget "
                              "are not reimbursed. Budget: {}."),
                    w.label_en, hours_en(c.used_minutes), hours_en(c.limit_minutes), pct, hours_en(over), w.basis_en);
    } else {
        format_into(f.message_nl,
                    JC_FORMAT("Budget {}: {} gebruikt van {} ({} %, signaal vanaf {} %); nog {} over. "
                              "Budget: {}."),
                    w.label_nl, hours_nl(c.used_minutes), hours_nl(c.limit_minutes), pct, o.warning_pct,
                    hours_nl(c.limit_minutes - c.used_minutes), w.basis_nl);
        format_into(f.message_en,
                    JC_FORMAT("Budget of {}: {} used of {} ({} %, warning from {} %); {} left. Budget: {}."),
                    w.label_en, hours_en(c.used_minutes), hours_en(c.limit_minutes), pct, o.warning_pct,
                    hours_en(c.limit_minutes - c.used_minutes), w.basis_en);
    }
    if (!f.explaining)
        return;
    f.explain("span", JC_FORMAT("{} = {} .. {} ({} days)"), c.subject, c.span.first, c.span.last,
              c.span.days());
    f.explain("limit", JC_FORMAT("{} min = {}"), c.limit_minutes, w.basis_en);
    f.explain("used", JC_FORMAT("{} min: the coaching entries dated in the span, retracted entries removed (C-5)"),
              c.used_minutes);
    f.explain("used / limit", JC_FORMAT("{} %"), pct);
    params.cite_integer_into(f.explain_line("warning from (%, while the span is current)"), "budget_warning_pct",
                             c.span.first);
    f.explain("exceeded", "above 100 %, for every span of the trajectory (C-8)");
    f.explain_lines(w.explanation);
}

void expiring(Finding &f, const Trajectory &t, Date as_of, int32_t days_left, const Words &note, const Params &params)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    const auto &[note_nl, note_en] = note;
    format_into(f.message_nl,
                JC_FORMAT("Het traject dat begon op {} eindigt op {} (maximale duur {} maanden{}): nog "
                          "{} dag(en).{}"),
                t.start, t.max_end, t.base_months + t.extension_months,
                t.extension_months > 0 ? format_text(JC_FORMAT(", waarvan {} verlenging"), t.extension_months) : "",
                days_left, note_nl.empty() ? "" : " " + note_nl);
    format_into(f.message_en,
                JC_FORMAT("The trajectory that started on {} ends on {} (maximum {} months{}): {} "
                          "day(s) left.{}"),
                t.start, t.max_end, t.base_months + t.extension_months,
                t.extension_months > 0 ? format_text(JC_FORMAT(", {} of them extension"), t.extension_months) : "",
                days_left, note_en.empty() ? "" : " " + note_en);
    if (!f.explaining)
        return;
    explain_trajectory(f, t);
    f.explain("as of", JC_FORMAT("{}: {} day(s) before the maximum end"), as_of, days_left);
    params.cite_integer_into(f.explain_line("lead"), "expiring_lead_days", t.start);
    f.explain("extensions", t.extensions.empty() ? "none granted"
                                                 : format_text(JC_FORMAT("{} granted, {} months"),
                                                               t.extensions.size(), t.extension_months));
}

void expired(Finding &f, const Trajectory &t, std::span<const Event *const> after_max_end, int64_t minutes)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    format_into(f.message_nl,
                JC_FORMAT("Na het einde van het traject op {} is nog {} jobcoaching geregistreerd ({} "
                          "registratie(s), de eerste op {}). Daar is geen toekenning voor."),
                t.max_end, hours_nl(minutes), after_max_end.size(), after_max_end.front()->date);
    format_into(f.message_en,
                JC_FORMAT("{} of coaching was logged after the trajectory ended on {} ({} entr{}, the first "
                          "on {}). No grant covers it."),
                hours_en(minutes), t.max_end, after_max_end.size(), after_max_end.size() == 1 ? "y" : "ies",
                after_max_end.front()->date);
    explain_trajectory(f, t);
    for (const Event *e : after_max_end)
        f.explain("entry after the maximum end", JC_FORMAT("{} on {}: {} min"), e->id, e->date, e->minutes);
    f.explain("total", JC_FORMAT("{} min"), minutes);
}

namespace {
Words deviation_words(const Deviation &d)
{
    switch (d.kind) {
    case Deviation::Kind::intensive_level:
        return {format_text(JC_FORMAT("De toekenning van {} kent het niveau intensief toe."), d.date),
                format_text(JC_FORMAT("The grant of {} sets the level intensief."), d.date)};
    case Deviation::Kind::above_standard:
        return {format_text(JC_FORMAT("De toekenning van {} geeft {}, meer dan de standaard van {}."), d.date,
                            hours_nl(d.minutes), hours_nl(d.standard_minutes)),
                format_text(JC_FORMAT("The grant of {} gives {}, more than the standard of {}."), d.date,
                            hours_en(d.minutes), hours_en(d.standard_minutes))};
    case Deviation::Kind::extension:
        return {format_text(JC_FORMAT("Het traject is op {} met {} maanden verlengd."), d.date, d.months),
                format_text(JC_FORMAT("The trajectory was extended by {} months on {}."), d.months, d.date)};
    case Deviation::Kind::transfer:
        return {
            format_text(JC_FORMAT("Op {} is {} naar de volgende periode overgeheveld."), d.date,
                        hours_nl(d.minutes)),
            format_text(JC_FORMAT("On {}, {} were moved to the next period."), d.date, hours_en(d.minutes))};
    }
    return {};
}
} // namespace

void unjustified(Finding &f, const Event &e, std::span<const Deviation> deviations, const Trajectory &t)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    std::string nl, en;
    std::vector<std::string> explained;
    for (const Deviation &d : deviations) {
        auto [d_nl, d_en] = deviation_words(d);
        nl += d_nl + " ";
        en += d_en + " ";
        explained.push_back(std::move(d_en));
    }
    f.message_nl = nl + "Wie afwijkt van de leidraad, moet dat motiveren: er is geen motivering gegeven.";
    f.message_en = en + "Whoever deviates from the guideline must justify it: no justification was given.";
    f.explain("event", JC_FORMAT("{} ({}, {})"), e.id, type_name(e.type), e.date);
    for (const auto &d : explained)
        f.explain("deviation", d);
    f.explain("justification", "empty (a deviation needs one: Leidraad Jobcoach)");
    explain_trajectory(f, t);
}

void not_jobcoaching(Finding &f, const Trajectory &t, const ContractSegment &c)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    format_into(f.message_nl,
                JC_FORMAT("Het traject van {} loopt op onbetaald werk (contract vanaf {}) zonder perspectief op "
                          "betaald werk. Dat is geen jobcoaching."),
                t.start, c.start);
    format_into(f.message_en,
                JC_FORMAT("The trajectory of {} is on unpaid work (contract from {}) with no prospect of paid "
                          "work. That is not jobcoaching."),
                t.start, c.start);
    f.explain("contract in force at the start", JC_FORMAT("from {} at {}: paid = false, paid_prospect = false"),
              c.start, c.employer);
    f.explain("rule", "jobcoaching aims at paid work; unpaid work needs a prospect of paid work");
    explain_trajectory(f, t);
}

void unknown_scheme(Finding &f, const Event &e, const std::set<std::string, std::less<>> &served)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    format_into(
        f.message_nl,
        JC_FORMAT("Op {} is jobcoaching toegekend in regeling '{}' (toekenning {}), die geen plugin "
                  "kent: een tikfout? Zo opent ze geen traject, en uren van die regeling tellen nergens mee."),
        e.date, e.scheme, e.id);
    format_into(f.message_en,
                JC_FORMAT("Coaching was granted on {} in scheme '{}' (grant {}), which no plugin knows: a typo? "
                          "It opens no trajectory, and hours of that scheme count toward no budget."),
                e.date, e.scheme, e.id);
    std::string known;
    for (const auto &s : served)
        known += (known.empty() ? "" : ", ") + s;
    f.explain("grant", JC_FORMAT("{} on {}: scheme {}"), e.id, e.date, e.scheme);
    f.explain("schemes the plugins run", known);
}

void unassigned(Finding &f, const Event &e, bool unserved)
{
    if (!f.wording) // a finding without its words (Params::wording): none are made
        return;
    const std::string which_nl = e.scheme.empty() ? "" : format_text(JC_FORMAT(" van regeling {}"), e.scheme);
    const std::string which_en = e.scheme.empty() ? "" : format_text(JC_FORMAT(" of scheme {}"), e.scheme);
    format_into(f.message_nl,
                JC_FORMAT("Op {} is {} jobcoaching geregistreerd (registratie {}), maar er loopt dan geen "
                          "traject{}. Deze uren tellen nergens mee."),
                e.date, hours_nl(e.minutes), e.id, which_nl);
    format_into(f.message_en,
                JC_FORMAT("{} of coaching was logged on {} (entry {}) while no trajectory{} was open. "
                          "These hours count toward no budget."),
                hours_en(e.minutes), e.date, e.id, which_en);
    f.explain("entry", JC_FORMAT("{} on {}: {} min, scheme {}"), e.id, e.date, e.minutes,
              e.scheme.empty() ? "not named" : e.scheme);
    f.explain("open trajectories on that day", e.scheme.empty() ? "none of any scheme" : "none of the named scheme");
    if (unserved)
        f.explain("scheme " + e.scheme, "no plugin serves it unless a rule pack defines it (docs/formats.md schemes, "
                  "or a pack in the host's rule-pack directory)");
}

} // namespace jobcoach::rules::texts
