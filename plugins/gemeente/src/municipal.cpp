// SPDX-License-Identifier: Apache-2.0
#include "municipal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace jobcoach::gemeente {

using namespace jobcoach::rules;

namespace {

// The start of the package in force on `day`: the date of the grant that changed the package to it (S for the
// opening package). Visit windows run from there.
Date package_anchor(const Trajectory &t, Date day)
{
    Date anchor = t.start;
    std::string previous;
    for (const Event *g : t.grants) {
        if (g->date > day)
            break;
        if (!g->level.empty() && g->level != previous) {
            if (!previous.empty())
                anchor = g->date;
            previous = g->level;
        }
    }
    return anchor;
}

struct Interval {
    int32_t months = 0;
    int32_t days = 0;
    // The i-th step from `anchor`: add_months for months, days for days (C-1).
    Date step(Date anchor, int32_t i) const { return add_days(add_months(anchor, months * i), days * i); }
    std::string text() const
    {
        return months > 0 ? fmt::format("{} month(s)", months) : fmt::format("{} day(s)", days);
    }
};

bool is_visit(const Event &e) { return e.activity == Activity::visit; }
bool is_contact(const Event &e) { return e.activity == Activity::visit || e.activity == Activity::contact; }

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

// vpw.hour-cap: the cap of `level` for trajectory year k, × the part-time factor (C-4) over `span`, the year cut
// at the trajectory's close.
struct YearCap {
    double hours;         // the base cap of the pack
    int64_t cap_minutes;  // the base cap in minutes
    int64_t factor_num;   // the part-time factor is factor_num / factor_den
    int64_t factor_den;
    int64_t minutes;      // cap_minutes × factor, rounded down
};

YearCap year_cap(const Params &params, const ContractTimeline &contracts, const std::string &level, int k, Span span)
{
    const std::vector<double> &row = params.row("hour_cap_hours", level, span.first);
    const double hours = row[static_cast<size_t>(std::min<int>(k, static_cast<int>(row.size()))) - 1];
    const int64_t full_week = static_cast<int64_t>(params.integer("part_time_full_hours", span.first)) * 60;
    const auto [num, den] = contracts.part_time_factor(span, full_week);
    const auto cap_minutes = static_cast<int64_t>(hours * 60 + 0.5);
    return {hours, cap_minutes, num, den, cap_minutes * num / den};
}

struct VisitPlan {
    std::string employer;
    std::string employee;
    Date due;
};

struct ClusterRun : RunState {
    std::vector<VisitPlan> plans;
};

const std::map<std::string, std::vector<std::string>> &role_parameters()
{
    static const std::map<std::string, std::vector<std::string>> p = {
        {"duty", {"duties"}},
        {"max-duration", {"max_duration_months", "expiring_note_nl", "expiring_note_en"}},
        {"hour-cap", {"hour_cap_hours", "part_time_full_hours", "default_level"}},
        {"hour-transfer", {"transfer_absence_days", "transfer_window_days"}},
        {"quarterly-hours", {}},
        {"start-visit", {"start_visit"}},
        {"visit-frequency", {"visit_frequency", "contact_frequency", "visit_frequency_windows"}},
        {"next-visit", {"next_visit_interval", "visit_due_lead_days"}},
        {"cluster", {"cluster_window_days"}},
        {"cost", {"hourly_rate_cents", "default_coach_form"}},
    };
    return p;
}

} // namespace

const std::vector<std::string> &Municipal::roles()
{
    static const std::vector<std::string> r = [] {
        std::vector<std::string> out;
        for (const auto &[role, params] : role_parameters())
            out.push_back(role);
        return out;
    }();
    return r;
}

Municipal::Municipal(const RulePack &pack) : scheme_(pack.scheme())
{
    for (const auto &role : roles()) {
        const auto ids = pack.rules_with("role", role);
        if (role == "duty") {
            for (const auto &id : ids)
                duties_.emplace_back(id, pack.rule_attribute(id, "report_kind"));
        } else if (!ids.empty()) {
            rule_of_role_[role] = ids.front();
        }
    }
}

const std::string &Municipal::rule(const std::string &role) const
{
    static const std::string none;
    const auto it = rule_of_role_.find(role);
    return it == rule_of_role_.end() ? none : it->second;
}

void Municipal::check(const Params &params) const
{
    const RulePack &pack = params.scheme_pack();
    std::string problems;
    // Every rule names a role this engine knows, used once (duties: once per report kind).
    std::map<std::string, int> uses;
    std::set<std::string> needed;
    for (const auto &id : pack.rule_ids()) {
        const std::string &role = pack.rule_attribute(id, "role");
        if (std::find(roles().begin(), roles().end(), role) == roles().end())
            problems += fmt::format(" rule {}: role '{}' is not one of the gemeente engine's roles;", id, role);
    }
    for (const auto &role : roles())
        for (const auto &id : pack.rules_with("role", role)) {
            ++uses[role];
            for (const auto &p : role_parameters().at(role))
                needed.insert(p);
            if (role == "duty") {
                const std::string &kind = pack.rule_attribute(id, "report_kind");
                if (kind.empty())
                    problems += fmt::format(" rule {}: role duty needs a report_kind;", id);
                else if (pack.has("duties"))
                    for (const Date from : pack.valid_froms("duties"))
                        if (!pack.has_row("duties", kind, from))
                            problems += fmt::format(" rule {}: parameter duties (valid from {}) has no row {};", id,
                                                    from.iso(), kind);
            }
        }
    for (const auto &[role, n] : uses)
        if (role != "duty" && n > 1)
            problems += fmt::format(" role {} is used by {} rules, at most one is allowed;", role, n);
    if (uses.count("hour-transfer") > 0 && uses.count("hour-cap") == 0)
        problems += " role hour-transfer needs a rule with role hour-cap;";
    for (const auto &p : needed)
        if (!params.has(p))
            problems += fmt::format(" parameter {} is missing;", p);
    if (!problems.empty())
        throw RulePackError(pack.origin() + ":" + problems);
}

int32_t Municipal::max_months(const Event &opening_grant, const Params &params) const
{
    if (rule("max-duration").empty())
        return open_ended_months; // no maximum: until coaching.ended or the end of the employment
    return params.integer("max_duration_months", opening_grant.date);
}

// Role max-duration: extensions add at most max_extension_months in all (vpw: the uitloop of one year), when
// the pack sets it.
int32_t Municipal::max_extension_months(const Event &opening_grant, const Params &params) const
{
    if (rule("max-duration").empty() || !params.has("max_extension_months"))
        return -1;
    return params.integer("max_extension_months", opening_grant.date);
}

std::unique_ptr<RunState> Municipal::start_run() const
{
    if (rule("cluster").empty())
        return nullptr;
    return std::make_unique<ClusterRun>();
}

// Role duty, C-7: vpw.plan (once, S + 14 days), vpw.evaluation (every 3 months), vpw.plan-revision and
// vpw.necessity-review (every 6 months), wsp-rijnmond.quarterly-check (every 3 months); the numbers are the
// pack's `duties` table.
void Municipal::duties(const TrajectoryContext &ctx, const Emitter &emit) const
{
    const Trajectory &t = ctx.t;
    for (const auto &[id, kind] : duties_) {
        const std::vector<double> &row = ctx.params.row("duties", kind, t.start);
        const auto every = static_cast<int32_t>(row.empty() ? 0 : row[0]);
        const auto once = static_cast<int32_t>(row.size() > 1 ? row[1] : 0);
        const auto cited = [&ctx, &t, &kind = kind, every, once] {
            return ctx.params.cite("duties", t.start, fmt::format("{} [every_months {}, once_after_days {}]", kind, every, once));
        };
        std::vector<DueInstance> instances;
        if (every > 0) {
            for (int n = 1;; ++n) {
                const Date due = add_months(t.start, every * n);
                if (due > t.close)
                    break; // C-7: only instances due on or before the close
                instances.push_back({n, due, [&t, every, n, cited] {
                                         return fmt::format("add_months(S = {}, {} × {}); {}", t.start.iso(), every, n, cited());
                                     }});
                if (due > ctx.as_of)
                    break; // the next instance is the last that matters as of this date

            }
        } else {
            const Date due = add_days(t.start, once);
            if (due <= t.close)
                instances.push_back({1, due, [&t, once, cited] {
                                         return fmt::format("S = {} + {} days; {}", t.start.iso(), once, cited());
                                     }});
        }
        evaluate_duty(emit, id, kind, instances, ctx.facts.reports(t, kind, ctx.next), ctx.as_of);
    }
}

void Municipal::hour_caps(const TrajectoryContext &ctx, const Emitter &emit) const
{
    const std::string &cap_rule = rule("hour-cap");
    const std::string &transfer_rule = rule("hour-transfer");
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
        const auto year_nl = [k, span] { return fmt::format("trajectjaar {} ({} t/m {})", k, span.first.iso(), span.last.iso()); };
        const auto year_en = [k, span] { return fmt::format("trajectory year {} ({} to {})", k, span.first.iso(), span.last.iso()); };

        // vpw.hour-cap: the cap of the level for year k, × the part-time factor over the year; agreed hours of a
        // grant inside the year replace it ("in overleg").
        BudgetCheck check;
        check.rule = cap_rule;
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
        for (const Event *e : entries)
            if (span.contains(e->date))
                check.used_minutes += e->minutes;

        // vpw.hour-transfer: unused minutes move to the next year, never more than unused.
        int64_t limit = base + moved_in;
        int64_t moved_out = 0;
        for (const Event *b : transfers) {
            if (!span.contains(b->date))
                continue;
            const int64_t unused = std::max<int64_t>(0, limit - moved_out - check.used_minutes);
            const int64_t moved = std::min<int64_t>(b->minutes, unused);
            if (b->minutes > unused) {
                Finding &f = emit.add(transfer_rule.empty() ? cap_rule : transfer_rule, "transfer.above_unused", Severity::warning);
                f.due = b->date;
                f.subject = b->id;
                f.observed_minutes = b->minutes;
                f.limit_minutes = unused;
                f.message_nl = fmt::format("Op {} is {} overgeheveld uit {}, maar er was maar {} ongebruikt. Alleen dat "
                                           "deel telt.",
                                           b->date.iso(), hours_nl(b->minutes), year_nl(), hours_nl(unused));
                f.message_en = fmt::format("On {}, {} were moved out of {}, but only {} were unused. Only that part counts.",
                                           b->date.iso(), hours_en(b->minutes), year_en(), hours_en(unused));
                f.explain("transfer", fmt::format("{} on {}: {} min", b->id, b->date.iso(), b->minutes));
                f.explain("unused", fmt::format("{} min = limit {} - moved out before {} - used {}", unused, limit,
                                                moved_out, check.used_minutes));
            }
            moved_out += moved;
        }
        check.limit_minutes = limit - moved_out;
        check.texts = [&, k, span, base, moved_in, moved_out] {
            BudgetTexts w;
            w.label_nl = year_nl();
            w.label_en = year_en();
            if (grant != nullptr) {
                w.basis_nl = fmt::format("in overleg toegekend op {}: {}", grant->date.iso(), hours_nl(base));
                w.basis_en = fmt::format("agreed in the grant of {}: {}", grant->date.iso(), hours_en(base));
            } else {
                const double factor = static_cast<double>(cap.factor_num) / static_cast<double>(cap.factor_den);
                w.basis_nl = fmt::format("niveau {}, jaar {}: maximaal {} × deeltijdfactor {:.4f} over het jaar", level, k,
                                         hours_nl(cap.cap_minutes), factor);
                w.basis_en = fmt::format("level {}, year {}: at most {} × part-time factor {:.4f} over the year", level, k,
                                         hours_en(cap.cap_minutes), factor);
                w.explanation.emplace_back("base cap", params.cite("hour_cap_hours", span.first,
                                                                   fmt::format("{} h for level {} in year {}", cap.hours, level, k)));
                w.explanation.emplace_back(
                    "part-time factor",
                    fmt::format("{} / {} (C-4: average of min(1, weekly hours / {}) over the year's contract days)", cap.factor_num,
                                cap.factor_den, params.cite_integer("part_time_full_hours", span.first)));
                w.explanation.emplace_back("cap", fmt::format("{} min = base cap × factor, rounded down", base));
            }
            if (moved_in > 0)
                w.explanation.emplace_back("moved in", fmt::format("{} min from year {}", moved_in, k - 1));
            if (moved_out > 0)
                w.explanation.emplace_back("moved out", fmt::format("{} min to year {}", moved_out, k + 1));
            if (moved_in > 0 || moved_out > 0) {
                w.basis_nl += fmt::format(", {} overgeheveld", hours_nl(moved_in - moved_out));
                w.basis_en += fmt::format(", {} moved", hours_en(moved_in - moved_out));
            }
            return w;
        };
        moved_in = moved_out;
        check.current = span.contains(ctx.as_of);
        evaluate_budget(emit, check);

        // budget.transfer_possible: in the last days of a year with a long absence and hours unused.
        if (!transfer_rule.empty() && check.current) {
            const int32_t window = params.integer("transfer_window_days", span.first);
            const int32_t absence_days = params.integer("transfer_absence_days", span.first);
            const int64_t unused = check.limit_minutes - check.used_minutes;
            const int32_t absent = longest_absence(ctx.facts.events, span, ctx.as_of);
            if (ctx.as_of >= add_days(span.last, -(window - 1)) && unused > 0 && absent >= absence_days) {
                Finding &f = emit.add(transfer_rule, "budget.transfer_possible", Severity::info);
                f.due = span.last;
                f.subject = check.subject;
                f.observed_minutes = check.used_minutes;
                f.limit_minutes = check.limit_minutes;
                f.message_nl = fmt::format("{} eindigt op {} met {} ongebruikt, na een afwezigheid van {} dagen. Deze uren "
                                           "kunnen, gemotiveerd, naar het volgende jaar worden overgeheveld.",
                                           year_nl(), span.last.iso(), hours_nl(unused), absent);
                f.message_en = fmt::format("{} ends on {} with {} unused, after an absence of {} days. These hours may be "
                                           "moved to the next year, with a justification.",
                                           year_en(), span.last.iso(), hours_en(unused), absent);
                f.explain("unused", fmt::format("{} min = limit {} - used {}", unused, check.limit_minutes, check.used_minutes));
                f.explain("longest absence in the year", fmt::format("{} days; needed: {}", absent,
                                                                     params.cite_integer("transfer_absence_days", span.first)));
                f.explain("window (days at the end of the year)", params.cite_integer("transfer_window_days", span.first));
            }
        }
    }
}

void Municipal::visits(const TrajectoryContext &ctx, const Emitter &emit) const
{
    const Trajectory &t = ctx.t;
    const Params &params = ctx.params;
    const Date as_of = ctx.as_of;
    const auto entries = ctx.counted();
    const std::string package = level_in_force(t, std::min(as_of, t.close), params, "", t.start);
    const Date anchor = package_anchor(t, std::min(as_of, t.close));

    // wsp-rijnmond.start-visit: the jobcoach is present on the first day.
    if (const std::string &id = rule("start-visit"); !id.empty()) {
        const std::string &opening = t.grants.front()->level;
        if (params.has_row("start_visit", opening, t.start) && params.row("start_visit", opening, t.start).at(0) > 0 &&
            as_of > t.start &&
            std::none_of(entries.begin(), entries.end(), [&](const Event *e) { return is_visit(*e) && e->date == t.start; })) {
            Finding &f = emit.add(id, "visit.missing", Severity::warning);
            f.due = t.start;
            f.subject = "start-visit";
            f.message_nl = fmt::format("Bij pakket {} is de jobcoach altijd aanwezig bij de start, maar er is geen bezoek "
                                       "geregistreerd op de startdatum {}.",
                                       opening, t.start.iso());
            f.message_en = fmt::format("With package {} the jobcoach is always present at the start, but no visit was "
                                       "logged on the start date {}.",
                                       opening, t.start.iso());
            f.explain("package at the start", params.cite("start_visit", t.start, opening + " needs a start visit"));
            f.explain("visits on the start date", "none");
            explain_trajectory(f, t);
        }
    }

    // wsp-rijnmond.visit-frequency: average visits over the last completed windows; pakket-0 needs a contact in
    // every window.
    if (const std::string &id = rule("visit-frequency"); !id.empty()) {
        auto completed = [&](const std::vector<double> &row) {
            const Interval step{static_cast<int32_t>(row.at(1)), static_cast<int32_t>(row.at(2))};
            std::vector<Span> windows;
            for (int32_t i = 0;; ++i) {
                const Span w{step.step(anchor, i), add_days(step.step(anchor, i + 1), -1)};
                if (w.last >= as_of || w.last > t.close)
                    break;
                windows.push_back(w);
            }
            return std::pair{windows, step};
        };
        auto count = [&](Span w, bool (*pred)(const Event &)) {
            return std::count_if(entries.begin(), entries.end(), [&](const Event *e) { return pred(*e) && w.contains(e->date); });
        };
        if (params.has_row("visit_frequency", package, anchor)) {
            const auto &row = params.row("visit_frequency", package, anchor);
            auto [windows, step] = completed(row);
            const auto n = static_cast<size_t>(params.integer("visit_frequency_windows", anchor));
            if (windows.size() > n)
                windows.erase(windows.begin(), windows.end() - static_cast<std::ptrdiff_t>(n));
            if (!windows.empty()) {
                int64_t total = 0;
                for (const Span &w : windows)
                    total += count(w, &is_visit);
                const auto required = static_cast<int64_t>(row.at(0));
                if (total < required * static_cast<int64_t>(windows.size())) {
                    Finding &f = emit.add(id, "visits.below_package", Severity::warning);
                    f.due = windows.back().last;
                    f.subject = fmt::format("visits {}..{}", windows.front().first.iso(), windows.back().last.iso());
                    const double average = static_cast<double>(total) / static_cast<double>(windows.size());
                    f.message_nl = fmt::format("Pakket {} vraagt gemiddeld {} bezoek(en) per {}; in de laatste {} afgesloten "
                                               "periode(s) ({} t/m {}) waren het er {} (gemiddeld {:.2f}).",
                                               package, required, step.text(), windows.size(), windows.front().first.iso(),
                                               windows.back().last.iso(), total, average);
                    f.message_en = fmt::format("Package {} needs {} visit(s) per {} on average; the last {} completed "
                                               "window(s) ({} to {}) had {} (average {:.2f}).",
                                               package, required, step.text(), windows.size(),
                                               windows.front().first.iso(), windows.back().last.iso(), total, average);
                    f.explain("package", fmt::format("{} since {}", package, anchor.iso()));
                    f.explain("requirement", params.cite("visit_frequency", anchor,
                                                         fmt::format("{} visit(s) per {}", required, step.text())));
                    for (const Span &w : windows)
                        f.explain("window", fmt::format("{} .. {}: {} visit(s)", w.first.iso(), w.last.iso(), count(w, &is_visit)));
                    f.explain("windows counted", params.cite_integer("visit_frequency_windows", anchor) + " (the last completed)");
                }
            }
        }
        if (params.has_row("contact_frequency", package, anchor)) {
            const auto &row = params.row("contact_frequency", package, anchor);
            const auto [windows, step] = completed(row);
            const auto required = static_cast<int64_t>(row.at(0));
            for (size_t i = 0; i < windows.size(); ++i) {
                const auto seen = count(windows[i], &is_contact);
                if (seen >= required)
                    continue;
                Finding &f = emit.add(id, "contact.missed", Severity::warning);
                f.due = windows[i].last;
                f.subject = fmt::format("contact-window#{}", i + 1);
                f.message_nl = fmt::format("Pakket {} vraagt contact of een bezoek in elke periode van {}; in {} t/m {} "
                                           "was er geen.",
                                           package, step.text(), windows[i].first.iso(), windows[i].last.iso());
                f.message_en = fmt::format("Package {} needs a contact or a visit in every window of {}; {} to {} had none.",
                                           package, step.text(), windows[i].first.iso(), windows[i].last.iso());
                f.explain("requirement", params.cite("contact_frequency", anchor,
                                                     fmt::format("{} contact(s) per {}", required, step.text())));
                f.explain("window", fmt::format("#{} = {} .. {} (windows run from {})", i + 1, windows[i].first.iso(),
                                                windows[i].last.iso(), anchor.iso()));
                f.explain("contacts and visits in it", std::to_string(seen));
            }
        }
    }

    // wsp-rijnmond.next-visit: due the interval after the last visit (or after the package's start).
    const std::string &next_id = rule("next-visit");
    if (next_id.empty() || !t.contains(as_of) || !params.has_row("next_visit_interval", package, anchor))
        return;
    const auto &row = params.row("next_visit_interval", package, anchor);
    const Interval interval{static_cast<int32_t>(row.at(0)), static_cast<int32_t>(row.at(1))};
    const bool contacts_count = params.has("contact_frequency") && params.has_row("contact_frequency", package, anchor);
    const Event *last = nullptr;
    int visits = 0;
    for (const Event *e : entries)
        if (e->date >= anchor && (contacts_count ? is_contact(*e) : is_visit(*e))) {
            ++visits;
            if (last == nullptr || e->date >= last->date)
                last = e;
        }
    const Date base = last != nullptr ? last->date : anchor;
    const Date due = interval.step(base, 1);
    if (due > t.close)
        return;
    const int32_t lead = params.integer("visit_due_lead_days", anchor);
    if (ctx.status != nullptr)
        ctx.status->dues.push_back({next_id, contacts_count ? "contact" : "visit", visits + 1, due, false,
                                    finding_id(emit.employee, emit.scheme, emit.trajectory, next_id,
                                               fmt::format("visit#{}", visits + 1)),
                                    lead});
    const int32_t days_left = days_between(as_of, due);
    auto explain = [&](Finding &f) {
        f.explain("package", fmt::format("{} since {}", package, anchor.iso()));
        f.explain("last", last != nullptr ? fmt::format("{} on {}", last->id, last->date.iso())
                                          : fmt::format("none yet: counted from {}", anchor.iso()));
        f.explain("interval", params.cite("next_visit_interval", anchor, interval.text()));
        f.explain("due", fmt::format("{} = {} + {}", due.iso(), base.iso(), interval.text()));
        f.explain("lead", params.cite_integer("visit_due_lead_days", anchor));
    };
    const std::string what_nl = contacts_count ? "contact of bezoek" : "bezoek";
    const std::string what_en = contacts_count ? "contact or visit" : "visit";
    if (days_left < 0) {
        Finding &f = emit.add(next_id, "visit.overdue", Severity::warning);
        f.due = due;
        f.subject = fmt::format("visit#{}", visits + 1);
        f.message_nl = fmt::format("Het volgende {} (pakket {}) was uiterlijk {} nodig: {} dag(en) te laat.", what_nl,
                                   package, due.iso(), -days_left);
        f.message_en = fmt::format("The next {} (package {}) was due on {}: {} day(s) overdue.", what_en, package,
                                   due.iso(), -days_left);
        explain(f);
    } else if (days_left <= lead) {
        Finding &f = emit.add(next_id, "visit.due", Severity::info);
        f.due = due;
        f.subject = fmt::format("visit#{}", visits + 1);
        f.message_nl = fmt::format("Het volgende {} (pakket {}) is uiterlijk {} nodig: nog {} dag(en).", what_nl, package,
                                   due.iso(), days_left);
        f.message_en = fmt::format("The next {} (package {}) is due on {}: {} day(s) left.", what_en, package, due.iso(),
                                   days_left);
        explain(f);
    }
    if (auto *run = dynamic_cast<ClusterRun *>(ctx.run); run != nullptr) {
        const ContractSegment *c = ctx.facts.contracts.in_force(as_of);
        if (c == nullptr)
            c = ctx.facts.contracts.in_force(t.start);
        if (c != nullptr && !c->employer.empty())
            run->plans.push_back({c->employer, ctx.facts.employee, std::max(due, as_of)});
    }
}

void Municipal::figures(const TrajectoryContext &ctx) const
{
    const Trajectory &t = ctx.t;
    const auto entries = ctx.counted();
    // vpw.quarterly-hours: minutes per calendar quarter, as accounted to the municipality.
    if (!rule("quarterly-hours").empty()) {
        std::map<std::string, int64_t> quarters;
        for (const Event *e : entries)
            quarters[fmt::format("{}-Q{}", e->date.year(), (e->date.month() - 1) / 3 + 1)] += e->minutes;
        for (const auto &[quarter, minutes] : quarters)
            ctx.status->figures.emplace_back("hours " + quarter, fmt::format("{} ({} min)", hours_en(minutes), minutes));
    }
    // wsp-rijnmond.cost: cost per coach form at the pack's hourly rate.
    if (!rule("cost").empty()) {
        struct Cost {
            int64_t minutes = 0;
            int64_t cents = 0;
            bool rated = true;
        };
        std::map<std::string, Cost> forms;
        for (const Event *e : entries) {
            std::string form;
            for (const Event *g : t.grants)
                if (g->date <= e->date && !g->coach_form.empty())
                    form = g->coach_form;
            if (form.empty())
                form = ctx.params.text("default_coach_form", e->date);
            Cost &c = forms[form];
            c.minutes += e->minutes;
            if (ctx.params.has_row("hourly_rate_cents", form, e->date))
                c.cents += static_cast<int64_t>(ctx.params.row("hourly_rate_cents", form, e->date).at(0)) * e->minutes / 60;
            else
                c.rated = false;
        }
        for (const auto &[form, c] : forms)
            ctx.status->figures.emplace_back(
                "cost " + form, c.rated ? fmt::format("{} for {}", euro_en(c.cents), hours_en(c.minutes))
                                        : fmt::format("{}: no hourly rate in the rule pack (set hourly_rate_cents.{})",
                                                      hours_en(c.minutes), form));
    }
}

void Municipal::evaluate(const TrajectoryContext &ctx) const
{
    const Trajectory &t = ctx.t;
    const Params &params = ctx.params;
    const Emitter emit = ctx.emitter(scheme_);
    if (ctx.status != nullptr)
        ctx.status->level = level_in_force(t, std::min(ctx.as_of, t.close), params, "", t.start);

    duties(ctx, emit);
    // Role max-duration, C-9: vpw.max-duration (2 years plus a 1-year uitloop by coaching.extended).
    if (const std::string &id = rule("max-duration"); !id.empty()) {
        evaluate_expiry(emit, id, t, ctx.as_of, ctx.after_max_end(), params.text("expiring_note_nl", t.start),
                        params.text("expiring_note_en", t.start));
        // Months granted beyond the cap do not move the maximum end (docs/rules.md vpw.max-duration).
        for (const auto &[extension, excess] : t.extension_excess) {
            Finding &f = emit.add(id, "extension.above_max", Severity::warning);
            f.due = extension->date;
            f.subject = extension->id;
            const int32_t cap = t.extension_cap;
            f.message_nl = fmt::format("Op {} is {} verlenging toegekend; {} daarvan {} boven het maximum van {} "
                                       "verlenging in totaal en {} de maximale einddatum ({}) niet.",
                                       extension->date.iso(), months_nl(extension->months), months_nl(excess),
                                       excess == 1 ? "valt" : "vallen", months_nl(cap), excess == 1 ? "verschuift" : "verschuiven",
                                       t.max_end.iso());
            f.message_en = fmt::format("An extension of {} was granted on {}; {} of it {} beyond the maximum of {} of "
                                       "extensions in all and {} not move the maximum end ({}).",
                                       months_en(extension->months), extension->date.iso(), months_en(excess),
                                       excess == 1 ? "lies" : "lie", months_en(cap), excess == 1 ? "does" : "do",
                                       t.max_end.iso());
            f.explain("extension", fmt::format("{} on {}: {} months", extension->id, extension->date.iso(), extension->months));
            f.explain("maximum of extensions", params.cite_integer("max_extension_months", t.start));
            f.explain("counted", fmt::format("{} of all extensions; {} months beyond", t.extension_months, excess));
            explain_trajectory(f, t);
        }
    }
    if (!rule("hour-cap").empty())
        hour_caps(ctx, emit);
    visits(ctx, emit);
    if (ctx.status != nullptr)
        figures(ctx);

    // Across schemes (docs/rules.md §6). The standard a grant's hours are compared with is the year's cap.
    evaluate_paid_work(emit, t, ctx.facts.contracts);
    evaluate_justification(emit, t, ctx.facts.of_type_in(t, EventType::budget_transferred),
                           [&](const Event &g) -> std::optional<int64_t> {
                               if (rule("hour-cap").empty())
                                   return std::nullopt;
                               const int k = t.year_of(g.date);
                               const Span year = t.year_span(k);
                               return year_cap(params, ctx.facts.contracts,
                                               level_in_force(t, g.date, params, "hour_cap_hours", t.start), k,
                                               Span{year.first, std::min(year.last, t.close)})
                                   .minutes;
                           });
}

// wsp-rijnmond.cluster: employees of one employer whose next visits fall within the same window.
void Municipal::finish(RunState &state, const Params &params, Date as_of, std::vector<Finding> &out) const
{
    auto &run = static_cast<ClusterRun &>(state);
    const std::string &id = rule("cluster");
    if (run.plans.size() < 2)
        return; // nothing to cluster, and no number needed (a pack may start after as_of)
    const int32_t window = params.integer("cluster_window_days", as_of);
    std::map<std::string, std::vector<VisitPlan>> by_employer;
    for (auto &p : run.plans)
        by_employer[p.employer].push_back(p);
    for (auto &[employer, plans] : by_employer) {
        std::sort(plans.begin(), plans.end(),
                  [](const VisitPlan &a, const VisitPlan &b) { return std::tie(a.due, a.employee) < std::tie(b.due, b.employee); });
        for (size_t i = 0; i < plans.size();) {
            size_t j = i;
            while (j + 1 < plans.size() && plans[j + 1].due <= add_days(plans[i].due, window - 1))
                ++j;
            std::set<std::string> employees;
            for (size_t k = i; k <= j; ++k)
                employees.insert(plans[k].employee);
            if (employees.size() >= 2) {
                const Emitter emit{*employees.begin(), scheme_, params, out};
                Finding &f = emit.add(id, "visits.cluster", Severity::info);
                f.due = plans[i].due;
                f.subject = "employer " + employer;
                f.employer = employer;
                f.employees.assign(employees.begin(), employees.end());
                std::string keys;
                for (const auto &e : employees)
                    keys += (keys.empty() ? "" : ", ") + e;
                const Date last = plans[j].due;
                f.message_nl = fmt::format("Bij werkgever {} zijn {} bezoeken nodig tussen {} en {} ({}). Plan ze waar "
                                           "mogelijk op één dag.",
                                           employer, employees.size(), plans[i].due.iso(), last.iso(), keys);
                f.message_en = fmt::format("At employer {}, {} visits are due between {} and {} ({}). Cluster them on one "
                                           "day where possible.",
                                           employer, employees.size(), plans[i].due.iso(), last.iso(), keys);
                for (size_t k = i; k <= j; ++k)
                    f.explain("next visit", fmt::format("{} due {}", plans[k].employee, plans[k].due.iso()));
                f.explain("window", params.cite_integer("cluster_window_days", as_of) + " days from the first due date");
            }
            i = j + 1;
        }
    }
}

std::vector<std::unique_ptr<SchemeRules>> municipal_schemes(const RulePackSet &packs)
{
    std::vector<std::unique_ptr<SchemeRules>> out;
    for (const auto &[scheme, pack] : packs.all()) {
        if (pack.engine() != "gemeente")
            continue;
        out.push_back(std::make_unique<Municipal>(pack));
    }
    return out;
}

} // namespace jobcoach::gemeente
