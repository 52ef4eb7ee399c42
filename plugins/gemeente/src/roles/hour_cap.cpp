// SPDX-License-Identifier: Apache-2.0
// Role hour-cap, C-8 per trajectory year (docs/rules.md): the pack's cap for the level and year × the part-time
// factor (C-4) over the year; agreed hours of a grant inside the year replace it ("in overleg"). With role
// hour-transfer: unused minutes move to the next year by budget.transferred, never more than unused, and at the
// end of a year with a long absence the move is suggested. The shipped packs' rules of these roles: vpw.hour-cap
// and vpw.hour-transfer.
#include "../roles.hpp"
#include "../texts.hpp"

#include <algorithm>

namespace jobcoach::gemeente {

using namespace jobcoach::rules;

namespace {

// The longest run of absence days inside `span`, counting an absence still open on as_of up to as_of.
int32_t longest_absence(const std::vector<const Event *> &events, Span span, Date as_of)
{
    std::vector<Span> absences;
    std::optional<Date> open;
    for (const Event *e : events) {
        if (e->type == EventType::absence_started && !open)
            open = e->date;
        else if (e->type == EventType::absence_ended && open) {
            absences.push_back({*open, e->date});
            open.reset();
        }
    }
    if (open)
        absences.push_back({*open, as_of});
    int32_t longest = 0;
    for (const Span &a : absences) {
        const Date first = std::max(a.first, span.first), last = std::min({a.last, span.last, as_of});
        if (first <= last)
            longest = std::max(longest, days_between(first, last) + 1);
    }
    return longest;
}

} // namespace

int64_t HourCap::standard_minutes(const TrajectoryContext &ctx, const Event &grant)
{
    const Trajectory &t = ctx.t;
    const int k = t.year_of(grant.date);
    const Span year = t.year_span(k);
    return year_cap(ctx.params, ctx.facts.contracts, level_in_force(t, grant.date, ctx.params, "hour_cap_hours", t.start),
                    k, Span{year.first, std::min(year.last, t.close)})
        .minutes;
}

void HourCap::evaluate(const TrajectoryContext &ctx, const Emitter &emit) const
{
    const Trajectory &t = ctx.t;
    const Params &params = ctx.params;
    const auto entries = ctx.counted();
    const auto transfers = ctx.facts.of_type_in(t, EventType::budget_transferred);
    int64_t moved_in = 0;
    for (int k = 1;; ++k) {
        Span span = t.year_span(k);
        if (span.first > t.close || span.first > ctx.as_of)
            break;
        span.last = std::min(span.last, t.close);

        // The cap of the level for year k, × the part-time factor over the year; agreed hours of a grant inside
        // the year replace it.
        BudgetCheck check;
        check.rule = rule();
        check.subject = "year#" + std::to_string(k);
        check.span = span;
        const Event *grant = nullptr;
        for (const Event *g : t.grants)
            if (span.contains(g->date) && g->granted_minutes >= 0)
                grant = g;
        std::string level;
        YearCap cap{};
        int64_t base = 0;
        if (grant != nullptr) {
            base = grant->granted_minutes;
        } else {
            level = level_in_force(t, span.last, params, "hour_cap_hours", t.start);
            cap = year_cap(params, ctx.facts.contracts, level, k, span);
            base = cap.minutes;
        }
        check.used_minutes += minutes_in(entries, span);

        // Role hour-transfer: unused minutes move to the next year, never more than unused.
        const int64_t limit = base + moved_in;
        int64_t moved_out = 0;
        for (const Event *b : transfers) {
            if (!span.contains(b->date))
                continue;
            const int64_t unused = std::max<int64_t>(0, limit - moved_out - check.used_minutes);
            const int64_t moved = std::min<int64_t>(b->minutes, unused);
            if (b->minutes > unused) {
                Finding &f = emit.add(transfer_rule_.empty() ? rule() : transfer_rule_, "transfer.above_unused",
                                      Severity::warning);
                f.due = b->date;
                f.subject = b->id;
                f.observed_minutes = b->minutes;
                f.limit_minutes = unused;
                texts::transfer_above_unused(f, {*b, unused, limit, moved_out, check.used_minutes}, k, span);
            }
            moved_out += moved;
        }
        check.limit_minutes = limit - moved_out;
        check.current = span.contains(ctx.as_of);
        const BudgetOutcome outcome = evaluate_budget(params, check);
        if (needs_words(emit, outcome))
            report_budget(emit, check, outcome,
                          texts::year_budget({k, span, grant, base, level, cap, moved_in, moved_out}, params));
        else if (outcome.fires()) // a finding without words (Params::wording)
            report_budget(emit, check, outcome, params.budget_words());
        moved_in = moved_out;

        // Role hour-transfer, budget.transfer_possible: in the last days of a year with a long absence and hours
        // unused.
        if (!transfer_rule_.empty() && check.current) {
            const int32_t window = params.integer("transfer_window_days", span.first);
            const int32_t absence_days = params.integer("transfer_absence_days", span.first);
            const int64_t unused = check.limit_minutes - check.used_minutes;
            const int32_t absent = longest_absence(ctx.facts.others, span, ctx.as_of);
            if (ctx.as_of >= add_days(span.last, -(window - 1)) && unused > 0 && absent >= absence_days) {
                Finding &f = emit.add(transfer_rule_, "budget.transfer_possible", Severity::info);
                f.due = span.last;
                f.subject = check.subject;
                f.observed_minutes = check.used_minutes;
                f.limit_minutes = check.limit_minutes;
                texts::transfer_possible(f, {unused, check.limit_minutes, check.used_minutes, absent}, k, span, params);
            }
        }
    }
}

} // namespace jobcoach::gemeente
