// SPDX-License-Identifier: Apache-2.0
// The common rules' values (docs/rules.md C-7 dues, C-8 budgets, C-9 expiry): what each found, without words
// (texts.cpp words them); the cross-scheme rules of §6 are in cross_scheme.cpp.
#include "jobcoach/rules/common_rules.hpp"

#include "jobcoach/rules/texts.hpp"

#include <fmt/compile.h>

#include <algorithm>
#include <optional>

namespace jobcoach::rules {

std::span<const Event *const> dated_in(std::span<const Event *const> dated, Span span)
{
    const auto first =
        std::partition_point(dated.begin(), dated.end(), [&](const Event *e) { return e->date < span.first; });
    const auto end = std::partition_point(first, dated.end(), [&](const Event *e) { return e->date <= span.last; });
    return {first, end};
}

int64_t minutes_in(std::span<const Event *const> dated, Span span)
{
    int64_t minutes = 0;
    for (const Event *e : dated_in(dated, span))
        minutes += e->minutes;
    return minutes;
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

Finding &Emitter::add(std::string_view rule, std::string_view kind, Severity severity) const
{
    // Made in place, in a finding the list kept (FindingList::add): a Finding is some twenty strings, whose
    // storage is then mostly written over without an allocation.
    Finding &f = out.add();
    f.employee = employee;
    f.scheme = scheme;
    f.rule = rule;
    f.kind = kind;
    f.severity = severity;
    f.trajectory = trajectory;
    f.source.take(params.citation(rule), params.borrows_pack_texts());
    f.explaining = params.explains();
    f.wording = params.wording();
    return f;
}

// C-7 (docs/rules.md): the n-th report of a kind satisfies the n-th instance.
DueOutcomes evaluate_duty(const Emitter &emit, std::string_view rule, std::string_view report_kind,
                          std::span<const DueInstance> instances, std::span<const Event *const> reports, Date as_of)
{
    DueOutcomes fired;
    const auto due_so_far = static_cast<size_t>(
        std::count_if(instances.begin(), instances.end(), [&](const DueInstance &i) { return i.due <= as_of; }));
    for (const DueInstance &instance : instances) {
        const bool satisfied = static_cast<size_t>(instance.number) <= reports.size();
        // The lead is looked up only for an open instance: a satisfied one needs none, and an old one may lie
        // before the pack's first version.
        const int32_t lead = satisfied ? -1 : emit.params.integer("report_lead_days", instance.due);
        if (emit.status != nullptr)
            emit.status->dues.push_back({std::string(rule), std::string(report_kind), instance.number, instance.due,
                                         satisfied,
                                         finding_id(emit.employee, emit.scheme, emit.trajectory, rule,
                                                    std::string(report_kind) + "#" + std::to_string(instance.number)),
                                         lead, emit.params.rule_text(rule, "title_nl"), emit.params.rule_text(rule, "title_en")});
        if (satisfied)
            continue;
        const int32_t days_left = days_between(as_of, instance.due);
        if (days_left < 0 || days_left <= lead)
            fired.push_back({instance.number, instance.due, days_left < 0, days_left, lead, reports.size(), due_so_far});
    }
    return fired;
}

void emit_due(const Emitter &emit, std::string_view rule, std::string_view report_kind, const DueOutcome &o, Date as_of,
              std::string_view basis)
{
    Finding &f = o.overdue ? emit.add(rule, "report.overdue", Severity::high) : emit.add(rule, "report.due", Severity::warning);
    f.due = o.due;
    format_into(f.subject, JC_FORMAT("{}#{}"), report_kind, o.number);
    texts::due(f, report_kind, o, as_of, basis, emit.params);
}

// C-8 (docs/rules.md): a warning at 80 % up to and including 100 %, exceeded above 100 %.
BudgetOutcome evaluate_budget(const Params &params, const BudgetCheck &c)
{
    BudgetOutcome o;
    if (c.used_minutes <= c.limit_minutes && !c.current)
        return o;
    o.warning_pct = params.integer("budget_warning_pct", c.span.first);
    if (c.used_minutes > c.limit_minutes)
        o.kind = BudgetOutcome::Kind::exceeded;
    else if (c.current && c.used_minutes * 100 >= static_cast<int64_t>(o.warning_pct) * c.limit_minutes && c.limit_minutes > 0)
        o.kind = BudgetOutcome::Kind::warning;
    return o;
}

void report_budget(const Emitter &emit, const BudgetCheck &c, const BudgetOutcome &o, const BudgetWords &w)
{
    if (emit.status != nullptr)
        emit.status->budgets.push_back({std::string(c.rule), c.subject, c.span, c.limit_minutes, c.used_minutes,
                                        w.basis_en, c.current,
                                        emit.params.integer_if_valid("budget_warning_pct", c.span.first).value_or(0),
                                        w.basis_nl});
    if (!o.fires())
        return;
    const bool exceeded = o.kind == BudgetOutcome::Kind::exceeded;
    Finding &f = exceeded ? emit.add(c.rule, "budget.exceeded", Severity::high)
                          : emit.add(c.rule, "budget.warning", Severity::warning);
    f.due = c.span.last;
    f.subject = c.subject;
    f.observed_minutes = c.used_minutes;
    f.limit_minutes = c.limit_minutes;
    texts::budget(f, c, o, w, emit.params);
}

// C-9 (docs/rules.md).
void evaluate_expiry(const Emitter &emit, std::string_view rule, const Trajectory &t, Date as_of,
                     std::span<const Event *const> after_max_end,
                     const std::function<std::pair<std::string, std::string>()> &note)
{
    const std::string subject = "trajectory#" + std::to_string(t.number);
    if (emit.status != nullptr && !t.open_ended())
        emit.status->max_end_finding_id = finding_id(emit.employee, emit.scheme, emit.trajectory, rule, subject);
    if (t.reason == CloseReason::max_duration) {
        const int32_t lead = emit.params.integer("expiring_lead_days", t.start);
        if (emit.status != nullptr)
            emit.status->max_end_lead_days = lead;
        const int32_t days_left = days_between(as_of, t.max_end);
        if (days_left >= 0 && days_left <= lead) {
            Finding &f = emit.add(rule, "trajectory.expiring", Severity::warning);
            f.due = t.max_end;
            f.subject = subject;
            texts::expiring(f, t, as_of, days_left, f.wording ? note() : texts::Words(), emit.params);
        }
    }
    if (!after_max_end.empty()) {
        int64_t minutes = 0;
        for (const Event *e : after_max_end)
            minutes += e->minutes;
        Finding &f = emit.add(rule, "trajectory.expired", Severity::critical);
        f.due = t.max_end;
        f.subject = subject;
        f.observed_minutes = minutes;
        texts::expired(f, t, after_max_end, minutes);
    }
}

} // namespace jobcoach::rules
