// SPDX-License-Identifier: Apache-2.0
// The evaluation pipeline shared by every rule plugin: stored events + rule packs + as-of date -> findings.
#pragma once

#include "jobcoach/rules/common_rules.hpp"
#include "jobcoach/rules/contracts.hpp"
#include "jobcoach/rules/event.hpp"
#include "jobcoach/rules/finding.hpp"
#include "jobcoach/rules/rule_pack.hpp"
#include "jobcoach/rules/trajectory.hpp"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace jobcoach::rules {

// What a scheme's rules see of one employee, as of a date.
struct EmployeeFacts {
    std::string employee;
    std::vector<const Event *> events; // dated <= as_of, by date then arrival, retracted entries removed
    // The same without the timesheet entries (timesheet.logged), in the same order: what the contracts, the
    // trajectories, the reports, the transfers and the absences are read from. Entries are most of an
    // employee's events (nine in ten over years of weekly entries), and each of those passes read every one.
    std::vector<const Event *> others;
    ContractTimeline contracts;        // from `others`

    // The contracts as they were known on `day` (events dated <= day).
    ContractTimeline contracts_known_on(Date day) const { return ContractTimeline::build(others, day); }
    // The report.submitted events of `kind` that belong to trajectory t (dated from its start until the
    // start of the next trajectory of the scheme), naming t's scheme or none.
    Trajectory::Events reports(const Trajectory &t, std::string_view kind, const Trajectory *next) const;
    // The events of `type` naming t's scheme dated inside t.
    Trajectory::Events of_type_in(const Trajectory &t, EventType type) const;
};

// What one scheme's rules need across employees (e.g. clustering visits per employer): made per evaluation
// by SchemeRules::start_run, filled by evaluate, turned into findings by finish.
class RunState {
public:
    virtual ~RunState() = default;
};

// Everything one scheme's rules see of one trajectory.
struct TrajectoryContext {
    const EmployeeFacts &facts;
    const Trajectory &t;
    const Trajectory *next; // the next trajectory of the same scheme, or nullptr
    const Assignment &assignment;
    const Params &params;
    Date as_of;
    FindingList &out;
    TrajectoryStatus *status; // non-null when a status is asked for: the rules record what they computed
    RunState *run;            // from start_run, or nullptr
    // Only what the employer-level rules gather into `run` (a co-worker evaluated for a cluster): no finding. A
    // rule that ignores it only does work for nothing: the caller drops what it emits.
    bool gather_only = false;

    // The coaching entries counted in t, and those dated after its maximum end.
    std::span<const Event *const> counted() const;
    std::span<const Event *const> after_max_end() const;
    Emitter emitter(const std::string &scheme) const
    {
        return Emitter{facts.employee, scheme, params, out, status, t.number};
    }
};

// One scheme's rules.
class SchemeRules {
public:
    virtual ~SchemeRules() = default;
    virtual std::string scheme() const = 0;
    // Throws RulePackError when the pack lacks what the rules need.
    virtual void check(const Params &params) const = 0;
    // The maximum duration from the opening grant, before extensions.
    virtual int32_t max_months(const Event &opening_grant, const Params &params) const = 0;
    // The most months all extensions together may add to it, or -1 for no limit.
    virtual int32_t max_extension_months(const Event & /*opening_grant*/, const Params & /*params*/) const { return -1; }
    // The findings of one trajectory; records its status when ctx.status is set.
    virtual void evaluate(const TrajectoryContext &ctx) const = 0;
    virtual std::unique_ptr<RunState> start_run() const { return nullptr; }
    // Whether the scheme's rules report coaching minutes on a day without a contract as
    // coaching.outside_contract (the UWV schemes, R-7); elsewhere they are coaching.unassigned.
    virtual bool judges_outside_contract() const { return false; }
    virtual void finish(RunState & /*run*/, const Params & /*params*/, Date /*as_of*/, FindingList & /*out*/) const {}
    // Adds what `from` gathered to `into` (both from start_run), for an evaluation split over threads: finish
    // of the merged state gives what finish of one state fed every employee gives, whatever the order.
    virtual void merge(RunState & /*into*/, RunState & /*from*/) const {}
};

// One evaluation as of a date, fed employee by employee: what evaluate_all does, for a caller that reads each
// employee's events when it needs them (a plugin's state on disk) and holds one employee at a time. One
// evaluation is fed from one thread; evaluate_everyone gives each thread its own and merges them (absorb).
class Evaluation {
public:
    Evaluation(Date as_of, const std::vector<std::unique_ptr<SchemeRules>> &schemes, const RulePackSet &packs);
    ~Evaluation();
    Evaluation(const Evaluation &) = delete;
    Evaluation &operator=(const Evaluation &) = delete;

    // Appends the findings of one employee (ids set), from that employee's events in any order (those dated
    // after as_of are ignored); records each trajectory's status when `statuses` is set. With `gather_only`, a
    // co-worker read for the employer-level rules: only what those rules gather for finish() is made, no
    // finding (TrajectoryContext::gather_only). Throws RulePackError naming the employee when a pack has no
    // number for a date the events need.
    void employee(std::string_view key, std::span<const Event *const> events, FindingList &out,
                  std::vector<TrajectoryStatus> *statuses = nullptr, bool gather_only = false);
    // Appends the employer-level findings (clusters of visits) of the employees evaluated so far.
    void finish(FindingList &out);
    // Takes in what `other` (an evaluation as of the same date with the same schemes) gathered across the
    // employees it evaluated, so that finish covers those too: evaluating everyone split over threads.
    void absorb(Evaluation &other);
    // The schemes with employer-level rules (clusters of visits): an employee with a grant of one of them has
    // findings that depend on the co-workers with such a grant.
    std::vector<std::string> employer_level_schemes() const;
    // The schemes whose events make an employee's findings: an employee none of whose events names one of them
    // has no finding of these rules (employee() returns at once). Empty when every employee may have findings:
    // the plugin that reports what no trajectory claims (R-7, coaching.unassigned) reads everyone.
    std::vector<std::string> concerning_schemes() const;
    // For the plugin that reads everyone (concerning_schemes() empty): the scope of the entries it reports, which
    // tells an employee with nothing to say before its events are decoded (UnclaimedGlance). Null otherwise.
    const AssignmentScope *unclaimed_scope() const { return scope_.reports_unclaimed() ? &scope_ : nullptr; }
    Date as_of() const { return as_of_; }
    // Which words the findings made from now on carry (Params::wording, Params::explains): all of them unless
    // turned off (jc.messages/1, jc.explanations/1). Every other member of a finding is the same either way.
    void word(Wording wording);
    // Whether the findings made from now on borrow their pack texts (Params::borrows_pack_texts): then they are
    // valid only while the packs given to the constructor live. Off unless turned on.
    void borrow_pack_texts(bool on);

private:
    // Sets the id, rule title and action of the findings from `first` on (texts::describe).
    void complete(FindingList &out, size_t first);

    Date as_of_;
    const std::vector<std::unique_ptr<SchemeRules>> &schemes_;
    std::vector<std::string> own_names_;
    std::vector<Params> params_;
    std::vector<std::unique_ptr<RunState>> runs_;
    AssignmentScope scope_;
    // Storage kept from one employee to the next (four allocations per employee fewer): the employee's events
    // in force, its trajectories of these rules (a list per scheme, each list made anew), the pointers to them
    // and to its trajectories of other schemes, and where its entries go (two allocations fewer).
    std::vector<const Event *> kept_events_, kept_others_;
    std::vector<std::vector<Trajectory>> own_;
    std::vector<const Trajectory *> own_ptrs_, foreign_ptrs_;
    Assignment assignment_;
    EmployeeFindingIds ids_; // complete()'s, employee after employee
};

// Every finding as of `as_of`, sorted by employee, due date, rule id, subject (docs/formats.md). Pure.
std::vector<Finding> evaluate_all(std::span<const Event *const> events, Date as_of,
                                  const std::vector<std::unique_ptr<SchemeRules>> &schemes, const RulePackSet &packs);
std::vector<Finding> evaluate_all(std::span<const Event> events, Date as_of,
                                  const std::vector<std::unique_ptr<SchemeRules>> &schemes, const RulePackSet &packs);

// The status of each trajectory of one employee as of `as_of` (docs/rules.md §7: the numbers behind the findings),
// by scheme and number. Pure.
std::vector<TrajectoryStatus> status_of(std::span<const Event *const> events, std::string_view employee, Date as_of,
                                        const std::vector<std::unique_ptr<SchemeRules>> &schemes,
                                        const RulePackSet &packs);
std::vector<TrajectoryStatus> status_of(std::span<const Event> events, std::string_view employee, Date as_of,
                                        const std::vector<std::unique_ptr<SchemeRules>> &schemes,
                                        const RulePackSet &packs);

// Sorts findings by employee, then due date (none first), then rule id, then subject, then kind.
void sort_findings(std::span<Finding> findings);
inline void sort_findings(std::vector<Finding> &findings) { sort_findings(std::span<Finding>(findings)); }
inline void sort_findings(FindingList &findings) { sort_findings(findings.live()); }
// The order sort_findings puts `findings` in, without moving them: order[k] is the index of the finding that comes
// k-th. `order` is resized to their count (its storage kept from call to call). Evaluating everyone packs a
// helper's findings in this order (pack_findings): moving them into it was some 2 % of a pass.
void sorted_order(std::span<const Finding> findings, std::vector<uint32_t> &order);

} // namespace jobcoach::rules
