// SPDX-License-Identifier: Apache-2.0
// The rules every scheme shares (docs/rules.md §6): leidraad.justification, jobcoaching.paid-work and
// coaching.unassigned (with the assignment of each coaching entry to a trajectory, C-5, R-7). Their words are in
// texts.cpp.
#include "jobcoach/rules/common_rules.hpp"

#include "jobcoach/rules/texts.hpp"

#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace jobcoach::rules {

// leidraad.justification (docs/rules.md §6, S001): every deviation from the guideline needs a justification.
void evaluate_justification(const Emitter &emit, const Trajectory &t, std::span<const Event *const> transfers,
                            const std::function<std::optional<int64_t>(const Event &)> &standard_minutes)
{
    // One finding per event, naming every deviation it makes.
    auto add = [&](const Event &e, std::span<const Deviation> deviations) {
        if (deviations.empty())
            return;
        Finding &f = emit.add("leidraad.justification", "deviation.unjustified", Severity::warning);
        f.due = e.date;
        f.subject = e.id;
        texts::unjustified(f, e, deviations, t);
    };
    for (const Event *g : t.grants) {
        if (!g->justification.empty())
            continue;
        std::vector<Deviation> deviations;
        if (g->level == "intensief")
            deviations.push_back({Deviation::Kind::intensive_level, g->date});
        if (g->granted_minutes >= 0) {
            if (const auto standard = standard_minutes(*g); standard && g->granted_minutes > *standard)
                deviations.push_back({Deviation::Kind::above_standard, g->date, g->granted_minutes, *standard});
        }
        add(*g, deviations);
    }
    for (const Event *x : t.extensions)
        if (x->justification.empty()) {
            const Deviation d{Deviation::Kind::extension, x->date, 0, 0, x->months};
            add(*x, std::span(&d, 1));
        }
    for (const Event *b : transfers)
        if (b->justification.empty()) {
            const Deviation d{Deviation::Kind::transfer, b->date, b->minutes};
            add(*b, std::span(&d, 1));
        }
}

// jobcoaching.paid-work (docs/rules.md §6, S000): unpaid work without a prospect of paid work is not jobcoaching.
void evaluate_paid_work(const Emitter &emit, const Trajectory &t, const ContractTimeline &contracts)
{
    const ContractSegment *c = contracts.in_force(t.start);
    if (c == nullptr || c->paid || c->paid_prospect)
        return;
    Finding &f = emit.add("jobcoaching.paid-work", "eligibility.not_jobcoaching", Severity::high);
    f.due = t.start;
    f.subject = "trajectory#" + std::to_string(t.number);
    f.employer = c->employer;
    texts::not_jobcoaching(f, t, *c);
}

std::vector<const Event *> &EntriesByTrajectory::operator[](const Trajectory *t)
{
    for (size_t i = 0; i < used_; ++i)
        if (lists_[i].first == t)
            return lists_[i].second;
    if (used_ == lists_.size())
        lists_.emplace_back();
    List &list = lists_[used_++];
    list.first = t;
    return list.second; // (emptied by clear())
}

std::span<const Event *const> EntriesByTrajectory::of(const Trajectory *t) const
{
    for (size_t i = 0; i < used_; ++i)
        if (lists_[i].first == t)
            return lists_[i].second;
    return {};
}

void EntriesByTrajectory::clear()
{
    for (size_t i = 0; i < used_; ++i)
        lists_[i].second.clear();
    used_ = 0;
}

bool operator==(const EntriesByTrajectory &a, const EntriesByTrajectory &b)
{
    if (a.used_ != b.used_)
        return false;
    for (const auto &[t, list] : a) {
        const auto other = b.of(t);
        if (!std::equal(list.begin(), list.end(), other.begin(), other.end()))
            return false;
    }
    return true;
}

void Assignment::clear()
{
    counted.clear();
    after_max_end.clear();
    outside_contract.clear();
    unassigned.clear();
}

Assignment assign_timesheets(std::span<const Event *const> events, const std::vector<const Trajectory *> &own,
                             const std::vector<const Trajectory *> &foreign, const ContractTimeline &contracts,
                             const AssignmentScope &scope)
{
    Assignment a;
    assign_timesheets(events, own, foreign, contracts, scope, a);
    return a;
}

void assign_timesheets(std::span<const Event *const> events, const std::vector<const Trajectory *> &own,
                       const std::vector<const Trajectory *> &foreign, const ContractTimeline &contracts,
                       const AssignmentScope &scope, Assignment &a)
{
    a.clear();
    auto is_own_scheme = [&](const std::string &scheme) {
        return std::any_of(own.begin(), own.end(), [&](const Trajectory *t) { return t->scheme == scheme; });
    };
    // Per own trajectory, looked up once rather than per entry: whether its scheme judges hours on a day without
    // a contract. The other plugin's trajectories never count here (their entries are left before).
    boost::container::small_vector<bool, 8> judging(own.size()); // (no allocation for an employee's few)
    for (size_t i = 0; i < own.size(); ++i)
        judging[i] = scope.judge_outside_contract.count(own[i]->scheme) > 0;
    auto judges = [&](const Trajectory *t) {
        const auto at = std::find(own.begin(), own.end(), t);
        return at != own.end() && judging[static_cast<size_t>(at - own.begin())];
    };

    // Where an entry goes, from its date and the scheme it names (C-5, R-7).
    enum class To { nowhere, counted, counted_outside_contract, after_max_end, outside_contract, unassigned };
    struct Decision {
        To to = To::nowhere;
        const Trajectory *t = nullptr;
    };
    auto decide = [&](const Event &e) -> Decision {
        const bool named = !e.scheme.empty();
        if (named && !is_own_scheme(e.scheme) &&
            std::any_of(foreign.begin(), foreign.end(), [&](const Trajectory *t) { return t->scheme == e.scheme; }))
            return {}; // another plugin's scheme
        // Candidates: the named scheme's trajectories, or every trajectory when no scheme is named.
        const Trajectory *open = nullptr;   // latest-started trajectory open on the entry's date
        const Trajectory *latest = nullptr; // latest-started trajectory that started on or before the date
        bool open_is_own = false, latest_is_own = false;
        auto consider = [&](const Trajectory *t, bool is_own) {
            if (named && t->scheme != e.scheme)
                return;
            if (t->start > e.date)
                return;
            if (latest == nullptr || t->start > latest->start) {
                latest = t;
                latest_is_own = is_own;
            }
            if (t->contains(e.date) && (open == nullptr || t->start > open->start)) {
                open = t;
                open_is_own = is_own;
            }
        };
        for (const Trajectory *t : own)
            consider(t, true);
        for (const Trajectory *t : foreign)
            consider(t, false);
        const auto judges_outside_contract = [&](const Trajectory *t) {
            return judges(t) && !contracts.has_contract(e.date);
        };
        if (open != nullptr) {
            if (!open_is_own)
                return {};
            return {judges_outside_contract(open) ? To::counted_outside_contract : To::counted, open};
        }
        if (latest != nullptr) {
            if (!latest_is_own)
                return {}; // the other plugin judges hours after its own trajectory
            if (latest->reason == CloseReason::max_duration && e.date > latest->max_end)
                return {To::after_max_end, latest};
            if (judges_outside_contract(latest))
                return {To::outside_contract, latest};
            return {To::unassigned, nullptr}; // after a close at coaching.ended or the contract's end (R-7)
        }
        if (named && scope.served.count(e.scheme) > 0 ? scope.own_schemes.count(e.scheme) > 0
                                                      : scope.reports_unclaimed())
            return {To::unassigned, nullptr}; // no trajectory yet: the plugin of the named scheme, or the one for all
        return {};
    };

    // For an entry that names no scheme the decision depends on its date alone, and changes only on a day a
    // trajectory starts, closes or passes its maximum end, or a contract starts or ends: it is kept for the
    // entries up to the next such day (most of an employee's entries), instead of weighing every trajectory
    // and contract again for each.
    boost::container::small_vector<int64_t, 16> changes;
    for (const auto *list : {&own, &foreign})
        for (const Trajectory *t : *list) {
            changes.push_back(t->start.days);
            changes.push_back(int64_t{t->close.days} + 1);
            changes.push_back(int64_t{t->max_end.days} + 1);
        }
    for (const ContractSegment &c : contracts.segments()) {
        changes.push_back(c.start.days);
        if (c.end)
            changes.push_back(int64_t{c.end->days} + 1);
    }
    Decision kept;
    int64_t kept_from = 1, kept_to = 0; // the days the kept decision holds for (none yet)

    // Entries come in date order, mostly into one trajectory after another: the last one's list is kept.
    const Trajectory *counted_in = nullptr;
    std::vector<const Event *> *counted = nullptr;
    const size_t n = events.size();
    for (size_t i = 0; i < n; ++i) {
        const Event *e = events[i];
        if (e->type != EventType::timesheet_logged)
            continue;
        Decision d;
        if (!e->scheme.empty()) {
            d = decide(*e);
        } else if (e->date.days >= kept_from && e->date.days <= kept_to) {
            if (kept.to == To::counted && kept.t == counted_in) {
                // A run of entries naming no scheme within the kept days, counted in the list of the entry
                // before (most of an employee's entries): written through a pointer into room made at once, the
                // list cut to what was written after. (Decided and appended one by one, an entry took some 40
                // instructions here.)
                const size_t had = counted->size();
                counted->resize(had + (n - i));
                const Event **to = counted->data() + had;
                for (; i < n; ++i) {
                    e = events[i];
                    if (e->type != EventType::timesheet_logged)
                        continue;
                    if (!e->scheme.empty() || e->date.days < kept_from || e->date.days > kept_to)
                        break;
                    *to++ = e;
                }
                counted->resize(static_cast<size_t>(to - counted->data()));
                if (i == n)
                    break;
                --i; // the entry that ended the run is weighed again, as any other
                continue;
            }
            d = kept;
        } else {
            d = kept = decide(*e);
            kept_from = INT64_MIN;
            kept_to = INT64_MAX;
            for (const int64_t day : changes) {
                if (day <= e->date.days)
                    kept_from = std::max(kept_from, day);
                else
                    kept_to = std::min(kept_to, day - 1);
            }
        }
        switch (d.to) {
        case To::nowhere:
            break;
        case To::counted:
        case To::counted_outside_contract:
            if (d.t != counted_in) {
                counted_in = d.t;
                counted = &a.counted[d.t];
                if (counted->empty())
                    counted->reserve(events.size()); // grown once: an employee's entries are most of its events
            }
            counted->push_back(e);
            if (d.to == To::counted_outside_contract)
                a.outside_contract.emplace_back(d.t, e);
            break;
        case To::after_max_end:
            a.after_max_end[d.t].push_back(e);
            break;
        case To::outside_contract:
            a.outside_contract.emplace_back(d.t, e);
            break;
        case To::unassigned:
            a.unassigned.push_back(e);
            break;
        }
    }
}

bool nothing_unclaimed(std::span<const Event *const> events, const AssignmentScope &scope)
{
    UnclaimedGlance glance(scope, Date{INT32_MAX}); // the events in force: none after as_of, no retraction left
    for (const Event *e : events)
        if (!glance.add(e->type, e->date, e->scheme))
            return false;
    return glance.nothing_unclaimed();
}

void UnclaimedGlance::learn(std::string_view scheme)
{
    last_scheme_ = scheme;
    last_own_ = scope_.own_schemes.count(scheme) > 0;
    last_served_ = scope_.served.count(scheme) > 0;
}

void evaluate_unknown_schemes(const std::string &employee, const Params &params, std::span<const Event *const> events,
                              const AssignmentScope &scope, FindingList &out)
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
        texts::unknown_scheme(f, *e, scope.served);
    }
}

// coaching.unassigned (docs/rules.md §6): no hour may silently disappear.
void evaluate_unassigned(const std::string &employee, const Params &params, std::span<const Event *const> entries,
                         FindingList &out)
{
    for (const Event *e : entries) {
        const std::string scheme = e->scheme.empty() ? "any" : e->scheme;
        Emitter emit{employee, scheme, params, out};
        Finding &f = emit.add("coaching.unassigned", "coaching.unassigned", Severity::warning);
        f.due = e->date;
        f.subject = e->id;
        f.observed_minutes = e->minutes;
        texts::unassigned(f, *e, !e->scheme.empty() && params.scheme_pack().scheme() != e->scheme);
    }
}

} // namespace jobcoach::rules
