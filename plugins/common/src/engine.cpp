// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/rules/engine.hpp"

#include "jobcoach/rules/texts.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>
#include <unordered_set>

namespace jobcoach::rules {

namespace {

// The event ids an employee's corrections name. An employee has none, or a few: up to eight are compared one by
// one, in place; more go to a hash set. Either is asked only for an id whose last two bytes one of them
// shares. (Asking a hash set hashed every timesheet entry's id: 1.3 % of evaluating everyone on 3 years of weekly
// entries, with about one retraction an employee; the filter 0.5 % more.) An id of the employee's own numbered
// form ("E-0000001-17", as most hosts give them) is also kept as its number: an entry decoded with such an id
// (EventId) is then told by its number, without its text.
class IdSet {
public:
    explicit IdSet(std::string_view employee) : employee_(employee) {}
    void insert(std::string_view id)
    {
        filter_ |= uint64_t{1} << slot(id);
        if (numbers_count_ <= numbers_.size()) {
            if (uint64_t number = 0; numbered_id(id, employee_, number)) {
                if (numbers_count_ < numbers_.size())
                    numbers_[numbers_count_] = number;
                ++numbers_count_; // one past the array: too many, texts are compared instead
            }
        }
        if (hashed_.empty() && count_ < few_.size()) {
            few_[count_++] = id;
            return;
        }
        if (hashed_.empty())
            hashed_.insert(few_.begin(), few_.end());
        hashed_.insert(id);
    }
    bool empty() const { return count_ == 0; }
    // An id of the numbered form is told here, inlined in the caller's loop (it is asked for every event of an
    // employee with a correction); any other by its text, out of line.
    [[gnu::always_inline]] bool contains(const EventId &event_id) const
    {
        if (uint64_t number = 0; numbers_count_ <= numbers_.size() && event_id.numbered_of(employee_, number)) {
            for (size_t i = 0; i < numbers_count_; ++i)
                if (numbers_[i] == number)
                    return true;
            return false;
        }
        return contains_text(event_id);
    }

private:
    [[gnu::noinline]] bool contains_text(const EventId &event_id) const
    {
        // The filter asks an event's id its last two bytes, which it tells without making its text (EventId).
        if ((filter_ >> slot(event_id.last_two()) & 1) == 0) // no id ends so: most entries are told here
            return false;
        const std::string_view id = event_id;
        if (!hashed_.empty())
            return hashed_.count(id) > 0;
        for (size_t i = 0; i < count_; ++i)
            if (few_[i] == id)
                return true;
        return false;
    }

    // One of 64 bits for an id, from its last two bytes (ids of one employee differ most in their ends).
    static unsigned slot(uint16_t last_two) { return (static_cast<unsigned>(last_two >> 8) * 31 + (last_two & 0xffu)) & 63u; }
    static unsigned slot(std::string_view id) { return slot(EventId::last_two(id)); }
    std::string_view employee_;
    uint64_t filter_ = 0; // the slots of the ids inserted
    std::array<std::string_view, 8> few_;
    size_t count_ = 0; // of few_ (still counted once they are hashed: empty() stays false)
    std::unordered_set<std::string_view> hashed_;
    std::array<uint64_t, 8> numbers_{};
    size_t numbers_count_ = 0; // of numbers_; numbers_.size() + 1: more than it holds
};

} // namespace

Trajectory::Events EmployeeFacts::reports(const Trajectory &t, std::string_view kind, const Trajectory *next) const
{
    Trajectory::Events out;
    for (const Event *e : others)
        if (e->type == EventType::report_submitted && e->kind == kind && (e->scheme.empty() || e->scheme == t.scheme) &&
            e->date >= t.start && (next == nullptr || e->date < next->start))
            out.push_back(e);
    return out;
}

Trajectory::Events EmployeeFacts::of_type_in(const Trajectory &t, EventType type) const
{
    Trajectory::Events out;
    for (const Event *e : type == EventType::timesheet_logged ? events : others)
        if (e->type == type && e->scheme == t.scheme && t.contains(e->date))
            out.push_back(e);
    return out;
}

namespace {

// Writes into order[0, n) the indexes of `findings` in sort_findings' order (stable): an employee has a few
// findings, whose indexes are sorted by insertion, without std::stable_sort's buffer (an allocation each time).
void order_findings(std::span<const Finding> findings, uint32_t *order)
{
    const auto n = static_cast<uint32_t>(findings.size());
    for (uint32_t i = 0; i < n; ++i)
        order[i] = i;
    if (n < 2)
        return;
    // The findings of one employee (as evaluating everyone sorts them, an employee at a time) are told apart from
    // the due date on: their employees, equal, are compared once here rather than in each comparison.
    const bool one_employee = std::all_of(findings.begin() + 1, findings.end(),
                                          [&](const Finding &f) { return f.employee == findings[0].employee; });
    const auto before = [&](uint32_t i, uint32_t j) {
        const Finding &a = findings[i], &b = findings[j];
        if (!one_employee) {
            const int order = a.employee.compare(b.employee);
            if (order != 0)
                return order < 0;
        }
        const int32_t da = a.due ? a.due->days : INT32_MIN, db = b.due ? b.due->days : INT32_MIN;
        return std::tie(da, a.rule, a.subject, a.kind) < std::tie(db, b.rule, b.subject, b.kind);
    };
    if (n > 32) {
        std::stable_sort(order, order + n, before);
        return;
    }
    for (uint32_t i = 1; i < n; ++i) {
        const uint32_t held = order[i];
        uint32_t j = i;
        for (; j > 0 && before(held, order[j - 1]); --j)
            order[j] = order[j - 1];
        order[j] = held;
    }
}

} // namespace

void sorted_order(std::span<const Finding> findings, std::vector<uint32_t> &order)
{
    order.resize(findings.size());
    order_findings(findings, order.data());
}

void sort_findings(std::span<Finding> findings)
{
    // Sorts indexes, then moves each finding about once, in place: a Finding is large, and a stable sort of the
    // values moved each of them many times. The indexes of a few findings are sorted on the stack.
    const auto n = static_cast<uint32_t>(findings.size());
    if (n < 2)
        return;
    constexpr uint32_t on_stack = 32;
    uint32_t few[on_stack];
    std::vector<uint32_t> many;
    uint32_t *order = few;
    if (n > on_stack) {
        many.resize(n);
        order = many.data();
    }
    order_findings(findings, order);
    // Position k takes findings[order[k]]: follow each cycle of the permutation, one finding in hand.
    for (uint32_t k = 0; k < n; ++k) {
        if (order[k] == k)
            continue;
        Finding held = std::move(findings[k]);
        uint32_t j = k;
        while (order[j] != k) {
            const uint32_t next = order[j];
            findings[j] = std::move(findings[next]);
            order[j] = j;
            j = next;
        }
        findings[j] = std::move(held);
        order[j] = j;
    }
}

std::span<const Event *const> TrajectoryContext::counted() const
{
    return assignment.counted.of(&t);
}

std::span<const Event *const> TrajectoryContext::after_max_end() const
{
    return assignment.after_max_end.of(&t);
}

Evaluation::Evaluation(Date as_of, const std::vector<std::unique_ptr<SchemeRules>> &schemes, const RulePackSet &packs)
    : as_of_(as_of), schemes_(schemes)
{
    const RulePack &common = packs.get("common");
    // The schemes some plugin serves: those of the shipped plugins (the common pack's served_schemes, space
    // separated), and every scheme a loaded rule pack defines.
    std::istringstream listed(common.text("served_schemes", as_of));
    for (std::string scheme; listed >> scheme;)
        scope_.served.insert(scheme);
    for (const auto &[scheme, pack] : packs.all())
        if (scheme != "common")
            scope_.served.insert(scheme);
    for (const auto &s : schemes) {
        own_names_.push_back(s->scheme());
        scope_.own_schemes.insert(s->scheme());
        if (s->judges_outside_contract())
            scope_.judge_outside_contract.insert(s->scheme());
        params_.emplace_back(packs.get(s->scheme()), common);
        runs_.push_back(s->start_run());
    }
}

Evaluation::~Evaluation() = default;

void Evaluation::word(Wording wording)
{
    for (Params &p : params_)
        p.word(wording);
}

void Evaluation::borrow_pack_texts(bool on)
{
    for (Params &p : params_)
        p.borrow_pack_texts(on);
}

std::vector<std::string> Evaluation::employer_level_schemes() const
{
    std::vector<std::string> out;
    for (size_t i = 0; i < runs_.size(); ++i)
        if (runs_[i])
            out.push_back(own_names_[i]);
    return out;
}

std::vector<std::string> Evaluation::concerning_schemes() const
{
    return scope_.reports_unclaimed() ? std::vector<std::string>() : own_names_;
}

void Evaluation::employee(std::string_view key, std::span<const Event *const> events, FindingList &out,
                          std::vector<TrajectoryStatus> *statuses, bool gather_only)
{
    // Without an event of its schemes an employee has no trajectory of these rules, and no hour of theirs to
    // judge: a plugin that does not report unclaimed hours has nothing to say about them.
    const bool own_events = std::any_of(events.begin(), events.end(), [&](const Event *e) {
        return !e->scheme.empty() && scope_.own_schemes.count(e->scheme) > 0;
    });
    if (!own_events && !scope_.reports_unclaimed())
        return;
    const size_t first = out.size();
    const auto &schemes = schemes_;
    const auto &params = params_;
    const auto &own_names = own_names_;
    const auto &scope = scope_;
    const auto &served = scope_.served;
    const auto &runs = runs_;
    const Date as_of = as_of_;
    try {
        // Corrections. timesheet.retracted removes a timesheet entry from its date on. event.retracted (the
        // host's correction of a mistaken record) makes the event it names count as never sent, whatever the
        // dates: a replay with the correction gives the findings of a replay without the record.
        // One pass over the events finds them, and the events other than timesheet entries (a few), and tells
        // whether every event is in force by as_of and whether they come in date order, arrival breaking ties
        // (C-6): a row holds its events in arrival order, which is date order for most employees. (An employee's
        // events are passed over once here and once below, where there were four passes, each touching every
        // event again.)
        const auto by_date = [](const Event *a, const Event *b) {
            return std::tie(a->date.days, a->seq) < std::tie(b->date.days, b->seq);
        };
        EmployeeFacts facts;
        facts.employee = std::string(key);
        facts.events.swap(kept_events_); // the storage of the employee before; given back below
        facts.events.clear();
        facts.others.swap(kept_others_);
        facts.others.clear();
        IdSet retracted_entries(key), never_sent(key);
        bool in_order = true, all_in_force = true;
        const Event *before = nullptr;
        for (const Event *e : events) {
            if (before != nullptr && by_date(e, before))
                in_order = false;
            before = e;
            const bool in_force = e->date <= as_of;
            all_in_force = all_in_force && in_force;
            if (e->type == EventType::timesheet_logged)
                continue;
            if (e->type == EventType::event_retracted) {
                never_sent.insert(e->retracts);
            } else if (in_force) {
                if (e->type == EventType::timesheet_retracted)
                    retracted_entries.insert(e->retracts);
                facts.others.push_back(e);
            }
        }
        if (never_sent.empty() && retracted_entries.empty() && all_in_force) {
            facts.events.assign(events.begin(), events.end()); // (no event.retracted among them either)
        } else if (never_sent.empty() && all_in_force) {
            // Only entries taken back (timesheet.retracted), as most employees' corrections are: every event is
            // kept but those entries, in a loop of its own (in the loop below, that weighs every correction, an
            // event took some 35 instructions).
            facts.events.resize(events.size());
            const Event **kept = facts.events.data();
            for (const Event *e : events) {
                *kept = e;
                kept += !(e->type == EventType::timesheet_logged && retracted_entries.contains(e->id));
            }
            facts.events.resize(static_cast<size_t>(kept - facts.events.data()));
        } else {
            // Written through a pointer, and cut to size after: push_back's test of the capacity for each event
            // was no longer inlined here, a call per event.
            facts.events.resize(events.size());
            const Event **kept = facts.events.data();
            for (const Event *e : events) {
                // (An empty set is not asked: most employees have no correction.)
                if (e->date > as_of || e->type == EventType::event_retracted ||
                    (!never_sent.empty() && never_sent.contains(e->id)))
                    continue;
                if (e->type == EventType::timesheet_logged && !retracted_entries.empty() &&
                    retracted_entries.contains(e->id))
                    continue;
                *kept++ = e;
            }
            facts.events.resize(static_cast<size_t>(kept - facts.events.data()));
            if (!never_sent.empty())
                std::erase_if(facts.others, [&](const Event *e) { return never_sent.contains(e->id); });
        }
        if (!in_order) {
            std::sort(facts.events.begin(), facts.events.end(), by_date);
            facts.others.clear();
            for (const Event *e : facts.events)
                if (e->type != EventType::timesheet_logged)
                    facts.others.push_back(e);
        }
        if (!own_events && nothing_unclaimed(facts.events, scope)) {
            kept_events_.swap(facts.events);
            kept_others_.swap(facts.others);
            return;
        }
        facts.contracts = ContractTimeline::build(facts.others, as_of);

        std::vector<std::vector<Trajectory>> &own = own_;
        own.resize(schemes.size());
        std::vector<const Trajectory *> &own_ptrs = own_ptrs_;
        own_ptrs.clear();
        for (size_t i = 0; i < schemes.size(); ++i) {
            // Two pointers each: a capture that fits std::function's own buffer (16 bytes) needs no allocation.
            const SchemeRules *rules = schemes[i].get();
            const Params *p = &params[i];
            own[i] = build_trajectories(facts.others, own_names[i], facts.contracts,
                                        [rules, p](const Event &g) { return rules->max_months(g, *p); },
                                        [rules, p](const Event &g) { return rules->max_extension_months(g, *p); });
            for (const auto &t : own[i])
                own_ptrs.push_back(&t);
        }
        const auto foreign = build_foreign_trajectories(facts.others, own_names, served, facts.contracts);
        std::vector<const Trajectory *> &foreign_ptrs = foreign_ptrs_;
        foreign_ptrs.clear();
        for (const auto &t : foreign)
            foreign_ptrs.push_back(&t);

        Assignment &assignment = assignment_;
        assign_timesheets(facts.events, own_ptrs, foreign_ptrs, facts.contracts, scope, assignment);
        for (size_t i = 0; i < schemes.size(); ++i)
            for (size_t k = 0; k < own[i].size(); ++k) {
                const Trajectory &t = own[i][k];
                TrajectoryStatus status;
                if (statuses != nullptr) {
                    status.employee = facts.employee;
                    status.scheme = t.scheme;
                    status.number = t.number;
                    status.start = t.start;
                    status.max_end = t.max_end;
                    status.close = t.close;
                    status.close_reason = t.open_ended() && t.reason == CloseReason::max_duration
                                              ? "open-ended"
                                              : close_reason_name(t.reason);
                }
                const TrajectoryContext ctx{facts, t, k + 1 < own[i].size() ? &own[i][k + 1] : nullptr, assignment,
                                            params[i], as_of, out, statuses != nullptr ? &status : nullptr,
                                            runs[i].get(), gather_only};
                schemes[i]->evaluate(ctx);
                if (statuses != nullptr)
                    statuses->push_back(std::move(status));
            }
        if (!params.empty() && !gather_only) {
            evaluate_unknown_schemes(facts.employee, params.front(), facts.others, scope, out);
            evaluate_unassigned(facts.employee, params.front(), assignment.unassigned, out);
        }
        kept_events_.swap(facts.events); // (an employee that throws takes them along: the next one makes anew)
        kept_others_.swap(facts.others);
    } catch (const RulePackError &e) {
        // A pack without a number for a date this employee needs: say whose events need it.
        throw RulePackError("employee " + std::string(key) + ": " + e.what());
    }
    if (!gather_only)
        complete(out, first);
}

void Evaluation::complete(FindingList &out, size_t first)
{
    if (first == out.size())
        return;
    ids_.start(out[first].employee);
    for (size_t k = first; k < out.size(); ++k) {
        Finding &f = out[k];
        ids_.id(f, f.id);
        // The words of the finding's scheme's pack, or the common pack's (every Params falls back to it).
        const auto own = std::find(own_names_.begin(), own_names_.end(), f.scheme);
        if (own != own_names_.end())
            texts::describe(f, params_[static_cast<size_t>(own - own_names_.begin())]);
        else if (!params_.empty())
            texts::describe(f, params_.front());
    }
}

void Evaluation::absorb(Evaluation &other)
{
    for (size_t i = 0; i < schemes_.size() && i < other.runs_.size(); ++i)
        if (runs_[i] && other.runs_[i])
            schemes_[i]->merge(*runs_[i], *other.runs_[i]);
}

void Evaluation::finish(FindingList &out)
{
    const size_t first = out.size();
    for (size_t i = 0; i < schemes_.size(); ++i)
        if (runs_[i])
            schemes_[i]->finish(*runs_[i], params_[i], as_of_, out);
    complete(out, first);
}

namespace {

// The pipeline behind evaluate_all and status_of. `only`: one employee, or all when empty. `statuses`: when
// set, each trajectory's status is recorded.
std::vector<Finding> run(std::span<const Event *const> events, Date as_of, std::string_view only,
                         const std::vector<std::unique_ptr<SchemeRules>> &schemes, const RulePackSet &packs,
                         std::vector<TrajectoryStatus> *statuses)
{
    // Hosts send an employee's events together, so the last employee's list is tried before the map: one map
    // lookup per run of events instead of one per event (which dominated at 100,000 employees).
    std::map<std::string_view, std::vector<const Event *>> by_employee;
    std::vector<const Event *> *last = nullptr;
    std::string_view last_employee;
    for (const Event *e : events)
        if (e->date <= as_of && (only.empty() || e->employee == only)) {
            if (last == nullptr || e->employee != last_employee) {
                last = &by_employee[e->employee];
                last_employee = e->employee;
            }
            last->push_back(e);
        }
    Evaluation evaluation(as_of, schemes, packs);
    FindingList made;
    for (auto &[employee, list] : by_employee)
        evaluation.employee(employee, list, made, statuses);
    evaluation.finish(made);
    sort_findings(made);
    std::vector<Finding> out;
    out.reserve(made.size());
    made.move_to(out);
    return out;
}

std::vector<const Event *> pointers_to(std::span<const Event> events)
{
    std::vector<const Event *> out;
    out.reserve(events.size());
    for (const Event &e : events)
        out.push_back(&e);
    return out;
}

} // namespace

std::vector<Finding> evaluate_all(std::span<const Event *const> events, Date as_of,
                                  const std::vector<std::unique_ptr<SchemeRules>> &schemes, const RulePackSet &packs)
{
    return run(events, as_of, {}, schemes, packs, nullptr);
}

std::vector<Finding> evaluate_all(std::span<const Event> events, Date as_of,
                                  const std::vector<std::unique_ptr<SchemeRules>> &schemes, const RulePackSet &packs)
{
    return evaluate_all(pointers_to(events), as_of, schemes, packs);
}

std::vector<TrajectoryStatus> status_of(std::span<const Event *const> events, std::string_view employee, Date as_of,
                                        const std::vector<std::unique_ptr<SchemeRules>> &schemes,
                                        const RulePackSet &packs)
{
    std::vector<TrajectoryStatus> statuses;
    if (!employee.empty())
        run(events, as_of, employee, schemes, packs, &statuses);
    return statuses;
}

std::vector<TrajectoryStatus> status_of(std::span<const Event> events, std::string_view employee, Date as_of,
                                        const std::vector<std::unique_ptr<SchemeRules>> &schemes,
                                        const RulePackSet &packs)
{
    return status_of(pointers_to(events), employee, as_of, schemes, packs);
}

} // namespace jobcoach::rules
