// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/rules/common_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace jobcoach::rules {

std::string Params::cite(std::string_view name, Date ref, std::string_view value_text) const
{
    const RulePack &p = pick(name);
    return fmt::format("{} (rule pack {}, {}, valid from {}; {})", value_text, p.scheme(), name,
                       p.parameter_valid_from(name, ref).iso(), p.parameter_source(name, ref));
}

std::string Params::cite_integer(std::string_view name, Date ref) const
{
    return cite(name, ref, std::to_string(integer(name, ref)));
}

std::string level_in_force(const Trajectory &t, Date day, const Params &params, std::string_view table, Date table_ref)
{
    std::string level;
    for (const Event *g : t.grants)
        if (g->date <= day && !g->level.empty())
            level = g->level;
    if (!table.empty() && (level.empty() || !params.has_row(table, level, table_ref)) && params.has("default_level"))
        level = params.text("default_level", table_ref);
    return level;
}

const char *close_reason_name(CloseReason r)
{
    switch (r) {
    case CloseReason::max_duration: return "max-duration";
    case CloseReason::coaching_ended: return "coaching-ended";
    case CloseReason::contract_end: return "contract-end";
    }
    return "?";
}

void explain_trajectory(Finding &f, const Trajectory &t)
{
    f.explain("trajectory", fmt::format("#{} of {}, started {} (the opening coaching.granted)", t.number, t.scheme, t.start.iso()));
    f.explain("maximum end", fmt::format("{} = add_months({}, {} + {} extension months) - 1 day", t.max_end.iso(),
                                         t.start.iso(), t.base_months, t.extension_months));
    f.explain("closes", fmt::format("{} ({})", t.close.iso(), close_reason_name(t.reason)));
}

Finding &Emitter::add(std::string_view rule, std::string_view kind, Severity severity) const
{
    Finding f;
    f.employee = employee;
    f.scheme = scheme;
    f.rule = std::string(rule);
    f.kind = std::string(kind);
    f.severity = severity;
    f.trajectory = trajectory;
    f.source = params.source(rule);
    out.push_back(std::move(f));
    return out.back();
}

std::pair<std::string, std::string> report_label(std::string_view kind)
{
    static const std::map<std::string_view, std::pair<const char *, const char *>> labels = {
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
        return {std::string(kind), std::string(kind)};
    return {it->second.first, it->second.second};
}

// C-7 (docs/rules.md): the n-th report of a kind satisfies the n-th instance.
void evaluate_duty(const Emitter &emit, std::string_view rule, std::string_view report_kind,
                   std::span<const DueInstance> instances, std::span<const Event *const> reports, Date as_of)
{
    const auto [label_nl, label_en] = report_label(report_kind);
    const auto due_so_far = std::count_if(instances.begin(), instances.end(), [&](const DueInstance &i) { return i.due <= as_of; });
    for (const DueInstance &instance : instances) {
        const bool satisfied = static_cast<size_t>(instance.number) <= reports.size();
        const auto subject = [&] { return std::string(report_kind) + "#" + std::to_string(instance.number); };
        // The lead is looked up only for an open instance: a satisfied one needs none, and an old one may lie
        // before the pack's first version.
        const int32_t lead = satisfied ? -1 : emit.params.integer("report_lead_days", instance.due);
        if (emit.status != nullptr)
            emit.status->dues.push_back({std::string(rule), std::string(report_kind), instance.number, instance.due,
                                         satisfied, finding_id(emit.employee, emit.scheme, emit.trajectory, rule,
                                                               subject()),
                                         lead});
        if (satisfied)
            continue;
        const int32_t days_left = days_between(as_of, instance.due);
        auto explain = [&](Finding &f) {
            f.explain("instance", fmt::format("{} #{}; {} instance(s) due on or before {}", report_kind, instance.number,
                                              due_so_far, as_of.iso()));
            f.explain("due", fmt::format("{} = {}", instance.due.iso(), instance.basis()));
            f.explain("reports of this kind filed", fmt::format("{} (the n-th report satisfies the n-th instance, C-7)", reports.size()));
            f.explain("as of", fmt::format("{}: {} day(s) {} the due date", as_of.iso(), days_left < 0 ? -days_left : days_left,
                                           days_left < 0 ? "after" : "before"));
            f.explain("lead", emit.params.cite_integer("report_lead_days", instance.due));
        };
        if (days_left < 0) {
            Finding &f = emit.add(rule, "report.overdue", Severity::high);
            f.due = instance.due;
            f.subject = subject();
            f.message_nl = fmt::format("{} nr. {} had uiterlijk {} ingediend moeten zijn: {} dag(en) te laat. "
                                       "Ingediend tot nu toe: {} van {}.",
                                       label_nl, instance.number, instance.due.iso(), -days_left, reports.size(),
                                       due_so_far);
            f.message_en = fmt::format("{} #{} was due on {}: {} day(s) overdue. Filed so far: {} of {}.", label_en,
                                       instance.number, instance.due.iso(), -days_left, reports.size(), due_so_far);
            explain(f);
        } else if (days_left <= lead) {
            Finding &f = emit.add(rule, "report.due", Severity::warning);
            f.due = instance.due;
            f.subject = subject();
            f.message_nl = fmt::format("{} nr. {} moet uiterlijk {} ingediend zijn: nog {} dag(en) "
                                       "(melding vanaf {} dagen vooraf).",
                                       label_nl, instance.number, instance.due.iso(), days_left, lead);
            f.message_en = fmt::format("{} #{} is due on {}: {} day(s) left (shown from {} days before).", label_en,
                                       instance.number, instance.due.iso(), days_left, lead);
            explain(f);
        }
    }
}

// C-8 (docs/rules.md): a warning at 80 % up to and including 100 %, exceeded above 100 %.
void evaluate_budget(const Emitter &emit, const BudgetCheck &c)
{
    std::optional<BudgetTexts> texts;
    const auto words = [&]() -> const BudgetTexts & {
        if (!texts)
            texts = c.texts();
        return *texts;
    };
    if (emit.status != nullptr)
        emit.status->budgets.push_back({c.rule, c.subject, c.span, c.limit_minutes, c.used_minutes, words().basis_en,
                                        c.current, emit.params.integer_if_valid("budget_warning_pct", c.span.first).value_or(0)});
    if (c.used_minutes <= c.limit_minutes && !c.current)
        return;
    const int32_t warning_pct = emit.params.integer("budget_warning_pct", c.span.first);
    const auto pct_of = [&](int64_t used) { return c.limit_minutes > 0 ? used * 100 / c.limit_minutes : 0; };
    auto explain = [&](Finding &f) {
        const BudgetTexts &w = words();
        f.explain("span", fmt::format("{} = {} .. {} ({} days)", c.subject, c.span.first.iso(), c.span.last.iso(), c.span.days()));
        f.explain("limit", fmt::format("{} min = {}", c.limit_minutes, w.basis_en));
        f.explain("used", fmt::format("{} min: the coaching entries dated in the span, retracted entries removed (C-5)", c.used_minutes));
        f.explain("used / limit", fmt::format("{} %", pct_of(c.used_minutes)));
        f.explain("warning from (%, while the span is current)", emit.params.cite_integer("budget_warning_pct", c.span.first));
        f.explain("exceeded", "above 100 %, for every span of the trajectory (C-8)");
        for (const auto &[name, value] : w.explanation)
            f.explain(name, value);
    };
    if (c.used_minutes > c.limit_minutes) {
        Finding &f = emit.add(c.rule, "budget.exceeded", Severity::high);
        f.due = c.span.last;
        f.subject = c.subject;
        f.observed_minutes = c.used_minutes;
        f.limit_minutes = c.limit_minutes;
        const int64_t over = c.used_minutes - c.limit_minutes;
        const BudgetTexts &w = words();
        f.message_nl = fmt::format("Budget {} overschreden: {} gebruikt van {} ({} %), {} te veel. Uren boven het "
                                   "budget worden niet vergoed. Budget: {}.",
                                   w.label_nl, hours_nl(c.used_minutes), hours_nl(c.limit_minutes),
                                   pct_of(c.used_minutes), hours_nl(over), w.basis_nl);
        f.message_en = fmt::format("Budget of {} exceeded: {} used of {} ({} %), {} over. Hours above the budget "
                                   "are not reimbursed. Budget: {}.",
                                   w.label_en, hours_en(c.used_minutes), hours_en(c.limit_minutes),
                                   pct_of(c.used_minutes), hours_en(over), w.basis_en);
        explain(f);
    } else if (c.current && c.used_minutes * 100 >= static_cast<int64_t>(warning_pct) * c.limit_minutes &&
               c.limit_minutes > 0) {
        Finding &f = emit.add(c.rule, "budget.warning", Severity::warning);
        f.due = c.span.last;
        f.subject = c.subject;
        f.observed_minutes = c.used_minutes;
        f.limit_minutes = c.limit_minutes;
        const BudgetTexts &w = words();
        f.message_nl = fmt::format("Budget {}: {} gebruikt van {} ({} %, signaal vanaf {} %); nog {} over. "
                                   "Budget: {}.",
                                   w.label_nl, hours_nl(c.used_minutes), hours_nl(c.limit_minutes),
                                   pct_of(c.used_minutes), warning_pct, hours_nl(c.limit_minutes - c.used_minutes),
                                   w.basis_nl);
        f.message_en = fmt::format("Budget of {}: {} used of {} ({} %, warning from {} %); {} left. Budget: {}.",
                                   w.label_en, hours_en(c.used_minutes), hours_en(c.limit_minutes),
                                   pct_of(c.used_minutes), warning_pct, hours_en(c.limit_minutes - c.used_minutes),
                                   w.basis_en);
        explain(f);
    }
}

// C-9 (docs/rules.md).
void evaluate_expiry(const Emitter &emit, std::string_view rule, const Trajectory &t, Date as_of,
                     std::span<const Event *const> after_max_end, const std::string &extra_nl,
                     const std::string &extra_en)
{
    if (emit.status != nullptr && !t.open_ended())
        emit.status->max_end_finding_id =
            finding_id(emit.employee, emit.scheme, emit.trajectory, rule, fmt::format("trajectory#{}", t.number));
    if (t.reason == CloseReason::max_duration) {
        const int32_t lead = emit.params.integer("expiring_lead_days", t.start);
        if (emit.status != nullptr)
            emit.status->max_end_lead_days = lead;
        const int32_t days_left = days_between(as_of, t.max_end);
        if (days_left >= 0 && days_left <= lead) {
            Finding &f = emit.add(rule, "trajectory.expiring", Severity::warning);
            f.due = t.max_end;
            f.subject = fmt::format("trajectory#{}", t.number);
            f.message_nl = fmt::format("Het traject dat begon op {} eindigt op {} (maximale duur {} maanden{}): nog "
                                       "{} dag(en).{}",
                                       t.start.iso(), t.max_end.iso(), t.base_months + t.extension_months,
                                       t.extension_months > 0 ? fmt::format(", waarvan {} verlenging", t.extension_months) : "",
                                       days_left, extra_nl.empty() ? "" : " " + extra_nl);
            f.message_en = fmt::format("The trajectory that started on {} ends on {} (maximum {} months{}): {} "
                                       "day(s) left.{}",
                                       t.start.iso(), t.max_end.iso(), t.base_months + t.extension_months,
                                       t.extension_months > 0 ? fmt::format(", {} of them extension", t.extension_months) : "",
                                       days_left, extra_en.empty() ? "" : " " + extra_en);
            explain_trajectory(f, t);
            f.explain("as of", fmt::format("{}: {} day(s) before the maximum end", as_of.iso(), days_left));
            f.explain("lead", emit.params.cite_integer("expiring_lead_days", t.start));
            f.explain("extensions", t.extensions.empty() ? "none granted" : fmt::format("{} granted, {} months", t.extensions.size(), t.extension_months));
        }
    }
    if (!after_max_end.empty()) {
        int64_t minutes = 0;
        for (const Event *e : after_max_end)
            minutes += e->minutes;
        Finding &f = emit.add(rule, "trajectory.expired", Severity::critical);
        f.due = t.max_end;
        f.subject = fmt::format("trajectory#{}", t.number);
        f.observed_minutes = minutes;
        f.message_nl = fmt::format("Na het einde van het traject op {} is nog {} jobcoaching geregistreerd ({} "
                                   "registratie(s), de eerste op {}). Daar is geen toekenning voor.",
                                   t.max_end.iso(), hours_nl(minutes), after_max_end.size(),
                                   after_max_end.front()->date.iso());
        f.message_en = fmt::format("{} of coaching was logged after the trajectory ended on {} ({} entr{}, the first "
                                   "on {}). No grant covers it.",
                                   hours_en(minutes), t.max_end.iso(), after_max_end.size(),
                                   after_max_end.size() == 1 ? "y" : "ies", after_max_end.front()->date.iso());
        explain_trajectory(f, t);
        for (const Event *e : after_max_end)
            f.explain("entry after the maximum end", fmt::format("{} on {}: {} min", e->id, e->date.iso(), e->minutes));
        f.explain("total", fmt::format("{} min", minutes));
    }
}

// leidraad.justification (docs/rules.md §6, S001): every deviation from the guideline needs a justification.
void evaluate_justification(const Emitter &emit, const Trajectory &t, std::span<const Event *const> transfers,
                            const std::function<std::optional<int64_t>(const Event &)> &standard_minutes)
{
    // One finding per event, naming every deviation it makes.
    auto add = [&](const Event &e, const std::vector<std::pair<std::string, std::string>> &deviations) {
        if (deviations.empty())
            return;
        std::string nl, en;
        for (const auto &[d_nl, d_en] : deviations) {
            nl += d_nl + " ";
            en += d_en + " ";
        }
        Finding &f = emit.add("leidraad.justification", "deviation.unjustified", Severity::warning);
        f.due = e.date;
        f.subject = e.id;
        f.message_nl = nl + "Wie afwijkt van de leidraad, moet dat motiveren: er is geen motivering gegeven.";
        f.message_en = en + "Whoever deviates from the guideline must justify it: no justification was given.";
        f.explain("event", fmt::format("{} ({}, {})", e.id, type_name(e.type), e.date.iso()));
        for (const auto &d : deviations)
            f.explain("deviation", d.second);
        f.explain("justification", "empty (a deviation needs one: Leidraad Jobcoach)");
        explain_trajectory(f, t);
    };
    for (const Event *g : t.grants) {
        if (!g->justification.empty())
            continue;
        std::vector<std::pair<std::string, std::string>> deviations;
        if (g->level == "intensief")
            deviations.emplace_back(fmt::format("De toekenning van {} kent het niveau intensief toe.", g->date.iso()),
                                    fmt::format("The grant of {} sets the level intensief.", g->date.iso()));
        if (g->granted_minutes >= 0) {
            if (const auto standard = standard_minutes(*g); standard && g->granted_minutes > *standard)
                deviations.emplace_back(fmt::format("De toekenning van {} geeft {}, meer dan de standaard van {}.",
                                                    g->date.iso(), hours_nl(g->granted_minutes), hours_nl(*standard)),
                                        fmt::format("The grant of {} gives {}, more than the standard of {}.",
                                                    g->date.iso(), hours_en(g->granted_minutes), hours_en(*standard)));
        }
        add(*g, deviations);
    }
    for (const Event *x : t.extensions)
        if (x->justification.empty())
            add(*x, {{fmt::format("Het traject is op {} met {} maanden verlengd.", x->date.iso(), x->months),
                      fmt::format("The trajectory was extended by {} months on {}.", x->months, x->date.iso())}});
    for (const Event *b : transfers)
        if (b->justification.empty())
            add(*b, {{fmt::format("Op {} is {} naar de volgende periode overgeheveld.", b->date.iso(), hours_nl(b->minutes)),
                      fmt::format("On {}, {} were moved to the next period.", b->date.iso(), hours_en(b->minutes))}});
}

// jobcoaching.paid-work (docs/rules.md §6, S000): unpaid work without a prospect of paid work is not jobcoaching.
void evaluate_paid_work(const Emitter &emit, const Trajectory &t, const ContractTimeline &contracts)
{
    const ContractSegment *c = contracts.in_force(t.start);
    if (c == nullptr || c->paid || c->paid_prospect)
        return;
    Finding &f = emit.add("jobcoaching.paid-work", "eligibility.not_jobcoaching", Severity::high);
    f.due = t.start;
    f.subject = fmt::format("trajectory#{}", t.number);
    f.employer = c->employer;
    f.message_nl = fmt::format("Het traject van {} loopt op onbetaald werk (contract vanaf {}) zonder perspectief op "
                               "betaald werk. Dat is geen jobcoaching.",
                               t.start.iso(), c->start.iso());
    f.message_en = fmt::format("The trajectory of {} is on unpaid work (contract from {}) with no prospect of paid "
                               "work. That is not jobcoaching.",
                               t.start.iso(), c->start.iso());
    f.explain("contract in force at the start", fmt::format("from {} at {}: paid = false, paid_prospect = false", c->start.iso(), c->employer));
    f.explain("rule", "jobcoaching aims at paid work; unpaid work needs a prospect of paid work");
    explain_trajectory(f, t);
}

Assignment assign_timesheets(std::span<const Event *const> events, const std::vector<const Trajectory *> &own,
                             const std::vector<const Trajectory *> &foreign, const ContractTimeline &contracts,
                             const AssignmentScope &scope)
{
    Assignment a;
    auto is_own_scheme = [&](const std::string &scheme) {
        return std::any_of(own.begin(), own.end(), [&](const Trajectory *t) { return t->scheme == scheme; });
    };
    for (const Event *e : events) {
        if (e->type != EventType::timesheet_logged)
            continue;
        const bool named = !e->scheme.empty();
        if (named && !is_own_scheme(e->scheme) &&
            std::any_of(foreign.begin(), foreign.end(), [&](const Trajectory *t) { return t->scheme == e->scheme; }))
            continue; // another plugin's scheme
        // Candidates: the named scheme's trajectories, or every trajectory when no scheme is named.
        const Trajectory *open = nullptr;   // latest-started trajectory open on the entry's date
        const Trajectory *latest = nullptr; // latest-started trajectory that started on or before the date
        bool open_is_own = false, latest_is_own = false;
        auto consider = [&](const Trajectory *t, bool is_own) {
            if (named && t->scheme != e->scheme)
                return;
            if (t->start > e->date)
                return;
            if (latest == nullptr || t->start > latest->start) {
                latest = t;
                latest_is_own = is_own;
            }
            if (t->contains(e->date) && (open == nullptr || t->start > open->start)) {
                open = t;
                open_is_own = is_own;
            }
        };
        for (const Trajectory *t : own)
            consider(t, true);
        for (const Trajectory *t : foreign)
            consider(t, false);
        const auto judges_outside_contract = [&](const Trajectory *t) {
            return scope.judge_outside_contract.count(t->scheme) > 0 && !contracts.has_contract(e->date);
        };
        if (open != nullptr) {
            if (!open_is_own)
                continue;
            a.counted[open].push_back(e);
            if (judges_outside_contract(open))
                a.outside_contract.emplace_back(open, e);
        } else if (latest != nullptr) {
            if (!latest_is_own)
                continue; // the other plugin judges hours after its own trajectory
            if (latest->reason == CloseReason::max_duration && e->date > latest->max_end)
                a.after_max_end[latest].push_back(e);
            else if (judges_outside_contract(latest))
                a.outside_contract.emplace_back(latest, e);
            else
                a.unassigned.push_back(e); // after a close at coaching.ended or the contract's end (R-7)
        } else if (named && scope.served.count(e->scheme) > 0 ? scope.own_schemes.count(e->scheme) > 0
                                                              : scope.reports_unclaimed()) {
            a.unassigned.push_back(e); // no trajectory yet: the plugin of the named scheme, or the one for all
        }
    }
    return a;
}

void evaluate_unknown_schemes(const std::string &employee, const Params &params, std::span<const Event *const> events,
                              const AssignmentScope &scope, std::vector<Finding> &out)
{
    if (!scope.reports_unclaimed())
        return;
    for (const Event *e : events) {
        if (e->type != EventType::coaching_granted || scope.served.count(e->scheme) > 0)
            continue;
        Emitter emit{employee, e->scheme, params, out};
        Finding &f = emit.add("coaching.unassigned", "grant.unknown_scheme", Severity::warning);
        f.due = e->date;
        f.subject = e->id;
        f.message_nl = fmt::format("Op {} is jobcoaching toegekend in regeling '{}' (toekenning {}), die geen plugin "
                                   "kent: een tikfout? Zo opent ze geen traject, en uren van die regeling tellen nergens mee.",
                                   e->date.iso(), e->scheme, e->id);
        f.message_en = fmt::format("Coaching was granted on {} in scheme '{}' (grant {}), which no plugin knows: a typo? "
                                   "It opens no trajectory, and hours of that scheme count toward no budget.",
                                   e->date.iso(), e->scheme, e->id);
        std::string known;
        for (const auto &s : scope.served)
            known += (known.empty() ? "" : ", ") + s;
        f.explain("grant", fmt::format("{} on {}: scheme {}", e->id, e->date.iso(), e->scheme));
        f.explain("schemes the plugins run", known);
    }
}

// coaching.unassigned (docs/rules.md §6): no hour may silently disappear.
void evaluate_unassigned(const std::string &employee, const Params &params, std::span<const Event *const> entries,
                         std::vector<Finding> &out)
{
    for (const Event *e : entries) {
        const std::string scheme = e->scheme.empty() ? "any" : e->scheme;
        Emitter emit{employee, scheme, params, out};
        Finding &f = emit.add("coaching.unassigned", "coaching.unassigned", Severity::warning);
        f.due = e->date;
        f.subject = e->id;
        f.observed_minutes = e->minutes;
        const std::string which_nl = e->scheme.empty() ? "" : fmt::format(" van regeling {}", e->scheme);
        const std::string which_en = e->scheme.empty() ? "" : fmt::format(" of scheme {}", e->scheme);
        f.message_nl = fmt::format("Op {} is {} jobcoaching geregistreerd (registratie {}), maar er loopt dan geen "
                                   "traject{}. Deze uren tellen nergens mee.",
                                   e->date.iso(), hours_nl(e->minutes), e->id, which_nl);
        f.message_en = fmt::format("{} of coaching was logged on {} (entry {}) while no trajectory{} was open. "
                                   "These hours count toward no budget.",
                                   hours_en(e->minutes), e->date.iso(), e->id, which_en);
        f.explain("entry", fmt::format("{} on {}: {} min, scheme {}", e->id, e->date.iso(), e->minutes, e->scheme.empty() ? "not named" : e->scheme));
        f.explain("open trajectories on that day", e->scheme.empty() ? "none of any scheme" : "none of the named scheme");
        if (!e->scheme.empty() && params.scheme_pack().scheme() != e->scheme)
            f.explain("scheme " + e->scheme, "no plugin serves it unless a rule pack defines it (docs/formats.md schemes, "
                                            "or a pack in the host's rule-pack directory)");
    }
}

} // namespace jobcoach::rules
