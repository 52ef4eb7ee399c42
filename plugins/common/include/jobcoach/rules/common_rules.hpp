// SPDX-License-Identifier: Apache-2.0
// The rules every scheme shares: due instances (C-7), budgets (C-8), expiry (C-9) in common_rules.cpp, and the
// cross-scheme rules of docs/rules.md §6 (leidraad.justification, jobcoaching.paid-work, coaching.unassigned) in
// cross_scheme.cpp. They compute values (outcomes); texts.hpp words them.
#pragma once

#include "jobcoach/rules/contracts.hpp"
#include "jobcoach/rules/finding.hpp"
#include "jobcoach/rules/rule_pack.hpp"
#include "jobcoach/rules/trajectory.hpp"

#include <boost/container/small_vector.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <utility>
#include <optional>
#include <string_view>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace jobcoach::rules {

// The words of a budget span, made by the scheme's texts only when a finding fires or a status is asked for:
// most checks fire nothing, and formatting their words was most of an evaluation's time. Made in the one a Params
// keeps (Params::budget_words), its strings' storage kept from one budget finding to the next.
struct BudgetWords {
    std::string label_nl; // "periode 2 (2026-07-05 t/m 2027-01-04)"
    std::string label_en; // "period 2 (2026-07-05 to 2027-01-04)"
    std::string basis_nl; // how the limit was found, with its numbers
    std::string basis_en;
    // Further lines of a finding's explanation, "name: value" each, joined by '\n' as the finding's own
    // (Finding::explain_lines): one string, not two a line.
    std::string explanation;
    // Starts a line "name: " of `explanation`, for a value appended to it in place.
    std::string &line(std::string_view name)
    {
        if (explanation.empty())
            explanation.reserve(512); // a few lines with their citations: grown once, not at each
        else
            explanation += '\n';
        return explanation.append(name).append(": ");
    }
    // Every text empty, its storage kept.
    void clear()
    {
        label_nl.clear();
        label_en.clear();
        basis_nl.clear();
        basis_en.clear();
        explanation.clear();
    }
};

// Which words the findings of an evaluation carry for people, as the host asked (jc.messages/1,
// jc.explanations/1). Their ids, numbers, dates, titles and sources are the same either way.
struct Wording {
    bool words = true;        // their messages, actions and explanation (Params::wording)
    bool explanations = true; // their explanation (Params::explains), made only with the words
};

// A scheme's pack, falling back to the common pack (engine defaults and the cross-scheme rules).
class Params {
public:
    Params(const RulePack &scheme, const RulePack &common) : scheme_(scheme), common_(common) {}
    double number(std::string_view name, Date ref) const
    {
        const Known &k = known(name);
        return k.pack->number(k.versions, name, ref);
    }
    int32_t integer(std::string_view name, Date ref) const
    {
        const Known &k = known(name);
        return k.pack->integer(k.versions, name, ref);
    }
    // The same, or nullopt when no version of the parameter is valid on `ref` (for what only status shows).
    std::optional<int32_t> integer_if_valid(std::string_view name, Date ref) const
    {
        const auto froms = pick(name).valid_froms(name);
        if (froms.empty() || ref < froms.front())
            return std::nullopt;
        return integer(name, ref);
    }
    const std::string &text(std::string_view name, Date ref) const
    {
        const Known &k = known(name);
        return k.pack->text(k.versions, name, ref);
    }
    const std::vector<double> &row(std::string_view name, std::string_view key, Date ref) const
    {
        const Known &k = known(name);
        return k.pack->row(k.versions, name, key, ref);
    }
    bool has_row(std::string_view name, std::string_view key, Date ref) const
    {
        const Known &k = known(name);
        return k.pack->has_row(k.versions, name, key, ref);
    }
    const std::string &source(std::string_view rule_id) const
    {
        return scheme_.has_rule(rule_id) ? scheme_.rule_source(rule_id) : common_.rule_source(rule_id);
    }
    // The source as people read it (titles, articles, addresses: RulePack::rule_citation). Every finding names
    // its rule's, by a literal id: kept by where the id's characters lie, as known() keeps parameters (two
    // lookups in the packs' maps for each finding before).
    const std::string &citation(std::string_view rule_id) const
    {
        KnownCitationOf &k =
            known_rule_citations_[(reinterpret_cast<uintptr_t>(rule_id.data()) >> 3) % known_rule_citations_.size()];
        if (k.at != rule_id.data() || k.rule != rule_id) {
            const std::string &found =
                scheme_.has_rule(rule_id) ? scheme_.rule_citation(rule_id) : common_.rule_citation(rule_id);
            k.at = rule_id.data(); // (after the lookup, which throws for a rule the packs do not cite)
            k.rule.assign(rule_id);
            k.citation = &found;
        }
        return *k.citation;
    }
    // A string of the rule's pack entry ("title_en", "action_nl:report.overdue", …); "" when absent.
    const std::string &rule_text(std::string_view rule_id, std::string_view key) const
    {
        return scheme_.has_rule(rule_id) ? scheme_.rule_attribute(rule_id, key) : common_.rule_attribute(rule_id, key);
    }
    // The words of a finding of a rule and kind (texts::describe): the rule's titles, and what to do next, for
    // the kind ("action_nl:budget.exceeded") or else for the rule ("action_nl"); "" where the pack has none.
    // Looked up in the packs once per rule and kind of this Params; the strings are the packs'. The reference is
    // valid until the next call.
    struct ActionWords {
        const std::string *text;
        // The text split at each "{due}" (a view of it each), for the finding's due date between them: empty when
        // the text holds none. Split once, not searched for each finding.
        std::vector<std::string_view> pieces;
        size_t pieces_size = 0; // their bytes in all
    };
    struct RuleWords {
        const std::string *title_nl, *title_en;
        ActionWords action_nl, action_en;
    };
    const RuleWords &words(std::string_view rule_id, std::string_view kind) const;
    // "<value text> (valid from YYYY-MM-DD; <source>)": a parameter as an explanation cites it.
    std::string cite(std::string_view name, Date ref, std::string_view value_text) const;
    // An integer parameter as an explanation line value: "14 (valid from …; …)".
    std::string cite_integer(std::string_view name, Date ref) const;
    // The same, appended to `out` (a finding's line: Finding::explain_line), without a string of its own.
    void cite_integer_into(std::string &out, std::string_view name, Date ref) const;
    // What cite() puts after the value, appended to `out` after a value the caller wrote there.
    void cite_into(std::string &out, std::string_view name, Date ref) const;
    // A buffer for a text made only for one finding's explanation (the basis of a due date: emit_due), emptied
    // by each call and kept for the next (a Params serves one evaluation on one thread): valid until the next
    // call. Such a text cost a string or three of its own per finding.
    std::string &scratch() const
    {
        scratch_.clear();
        return scratch_;
    }
    // The words of one budget finding, made by a scheme's texts and read at once by report_budget: emptied by
    // each call and kept for the next, as scratch() (a budget finding's labels, bases and lines were some eight
    // strings of their own).
    BudgetWords &budget_words() const
    {
        budget_words_.clear();
        return budget_words_;
    }
    const RulePack &scheme_pack() const { return scheme_; }
    bool has(std::string_view name) const { return scheme_.has(name) || common_.has(name); }
    // Whether the findings made with these Params carry their explanation (Finding::explaining): false when the
    // host asked for findings without it (jc.explanations/1), so that the lines, and the words made only for
    // them, are not made at all.
    bool explains() const { return explains_ && words_; }
    // Whether the findings made with these Params carry their words for people (Finding::wording): their
    // messages, actions and explanation. False when the host asked for findings without them (jc.messages/1):
    // a host that keeps a task list by id, severity and due date, and asks for one employee's findings with
    // their words when someone opens that employee. Neither the words nor the texts made only for them are
    // made then; the ids, numbers, dates, titles and sources are the same.
    bool wording() const { return words_; }
    void word(Wording w)
    {
        words_ = w.words;
        explains_ = w.explanations;
    }
    // Whether the findings made with these Params borrow their pack texts (PackText::borrow: the source, the
    // titles, an action without a date) instead of copying them: only where every finding leaves the evaluation
    // while the packs live (evaluate_everyone turns it on). Off by default.
    bool borrows_pack_texts() const { return borrows_; }
    void borrow_pack_texts(bool on) { borrows_ = on; }

private:
    const RulePack &pick(std::string_view name) const { return scheme_.has(name) ? scheme_ : common_; }
    // What cite() puts after the value for the version of `name` valid on ref; nullptr when none is valid yet.
    const std::string *known_citation(std::string_view name, Date ref) const;
    const RulePack &scheme_;
    const RulePack &common_;
    bool explains_ = true;
    bool words_ = true;
    bool borrows_ = false;
    // What words() and cite() found, kept for the next finding: a Params serves one evaluation on one thread
    // (a few dozen rules, kinds and parameters; searched in order).
    struct KnownWords {
        std::string rule, kind;
        RuleWords words;
    };
    struct KnownCitation {
        std::string name;
        std::vector<std::pair<Date, std::string>> versions; // valid_from, and the text cite() puts after the value
    };
    mutable std::vector<KnownWords> known_words_;
    mutable std::vector<KnownCitation> known_citations_;
    mutable std::string scratch_;
    mutable BudgetWords budget_words_;
    // The pack and versions of each parameter read, by the name's characters: the rules read a few dozen
    // parameters, by literal names, for every trajectory. A slot is found by where the name's characters lie
    // and checked by their content (a name made at run time takes a slot as any other), so two lookups by hash
    // per read become a comparison.
    struct Known {
        const char *at = nullptr;
        std::string name;
        const RulePack *pack = nullptr;
        const RulePack::Versions *versions = nullptr; // nullptr: the pack lacks it (its reads say so)
    };
    mutable std::array<Known, 64> known_parameters_{};
    struct KnownCitationOf {
        const char *at = nullptr;
        std::string rule;
        const std::string *citation = nullptr; // the pack's
    };
    mutable std::array<KnownCitationOf, 32> known_rule_citations_{};
    const Known &known(std::string_view name) const
    {
        Known &k = known_parameters_[(reinterpret_cast<uintptr_t>(name.data()) >> 3) % known_parameters_.size()];
        if (k.at != name.data() || k.name != name) {
            k.at = name.data();
            k.name.assign(name);
            k.pack = &pick(name);
            k.versions = k.pack->versions(name);
        }
        return k;
    }
};

// The numbers behind one trajectory's findings as of a date: what `jobcoach-demo status` and the jc.status/1
// extension show.
struct BudgetStatus {
    std::string rule;
    std::string subject; // "period#2", "year#1"
    Span span;
    int64_t limit_minutes = 0;
    int64_t used_minutes = 0;
    std::string basis; // how the limit was found
    bool current = false;
    int32_t warning_pct = 0; // C-8: budget_warning_pct valid on the span's first day; 0 when no value is valid then
    std::string basis_nl;    // the same in Dutch
};
// A further number of a status, as a name and a text, in English and in Dutch.
struct StatusFigure {
    std::string name, value;
    std::string name_nl, value_nl;
};
struct DueStatus {
    std::string rule;
    std::string kind; // a report kind, or "visit"
    int number = 0;
    Date due;
    bool satisfied = false;
    std::string finding_id; // the id of the finding the instance gives when due or overdue
    int32_t lead_days = -1; // days before `due` that its ".due" finding shows (the rule's lead); -1 when satisfied
    std::string title_nl, title_en; // the rule's title (its pack entry's title_nl, title_en); "" when it has none
};
struct TrajectoryStatus {
    std::string employee;
    std::string scheme;
    int number = 0;
    std::string level;
    Date start;
    Date max_end;
    Date close;
    std::string close_reason; // "max-duration", "coaching-ended", "contract-end"
    std::vector<BudgetStatus> budgets;
    std::vector<DueStatus> dues;
    std::vector<StatusFigure> figures; // further numbers: quarters, subsidy, cost
    std::string max_end_finding_id; // the id of the maximum end's trajectory.expiring/expired finding
    int32_t max_end_lead_days = -1; // C-9: days before max_end that trajectory.expiring shows; -1 when it cannot
};

// Makes findings for one employee and scheme; records status when `status` is set.
struct Emitter {
    std::string employee;
    std::string scheme;
    const Params &params;
    FindingList &out; // add() makes each finding in one it kept, where it can (FindingList)
    TrajectoryStatus *status = nullptr;
    int32_t trajectory = 0; // the trajectory the findings concern (its number), 0 for none

    Finding &add(std::string_view rule, std::string_view kind, Severity severity) const;
};

// C-7. `instances` are numbered from 1 in due order; `reports` are the report.submitted events of that kind
// that belong to the trajectory, dated on or before as_of, sorted by date. How each due date was found is the
// scheme's to say (its texts), from its own values, when an instance fires.
struct DueInstance {
    int number;
    Date due;
};
// A rule's instances of a duty, held in place for the usual few (a duty every 3 months over a trajectory of 30
// months has 10).
using DueInstances = boost::container::small_vector<DueInstance, 16>;
// What C-7 found of one instance as of a date: due within the lead, or overdue.
struct DueOutcome {
    int number;
    Date due;
    bool overdue = false;
    int32_t days_left = 0; // negative when overdue
    int32_t lead = 0;      // report_lead_days valid on the due date
    size_t filed = 0;      // reports of the kind filed
    size_t due_so_far = 0; // instances due on or before as_of
};
// The instances that fire (due or overdue), in order, held in place for the usual few; records every instance
// in the status.
using DueOutcomes = boost::container::small_vector<DueOutcome, 4>;
DueOutcomes evaluate_duty(const Emitter &emit, std::string_view rule, std::string_view report_kind,
                          std::span<const DueInstance> instances, std::span<const Event *const> reports, Date as_of);
// The finding of one fired instance; `basis`: how its due date was found.
void emit_due(const Emitter &emit, std::string_view rule, std::string_view report_kind, const DueOutcome &o, Date as_of,
              std::string_view basis);


// C-8 for one period or trajectory year. `current`: the span contains as_of (only then a warning).
struct BudgetCheck {
    std::string_view rule; // a rule id that outlives the check (a constant, or a role's own)
    std::string subject; // "period#2", "year#1"
    Span span;
    int64_t used_minutes = 0;
    int64_t limit_minutes = 0;
    bool current = false;
};
// What C-8 found: nothing, a warning (from budget_warning_pct up to and including 100 %), or exceeded.
struct BudgetOutcome {
    enum class Kind : uint8_t { none, warning, exceeded };
    Kind kind = Kind::none;
    int32_t warning_pct = 0; // valid on the span's first day; read only when the span is current or exceeded
    bool fires() const { return kind != Kind::none; }
};
BudgetOutcome evaluate_budget(const Params &params, const BudgetCheck &check);
// Whether a span's words are needed: for the status, or for its finding. The caller makes them only then.
inline bool needs_words(const Emitter &emit, const BudgetOutcome &o)
{
    return emit.status != nullptr || (o.fires() && emit.params.wording());
}
// Records the span in the status (with the warning threshold valid on its first day) and emits its finding when
// the check fired, in `words`.
void report_budget(const Emitter &emit, const BudgetCheck &check, const BudgetOutcome &o, const BudgetWords &words);

// C-9. `after_max_end`: coaching entries dated after the maximum end. `rule` also names the duration rule in
// the explanation. `note`: makes the scheme's sentence after trajectory.expiring's message {Dutch, English}, or
// empty; called only for that finding (most trajectories are not expiring).
void evaluate_expiry(const Emitter &emit, std::string_view rule, const Trajectory &t, Date as_of,
                     std::span<const Event *const> after_max_end,
                     const std::function<std::pair<std::string, std::string>()> &note);

// One deviation from the guideline (leidraad.justification), as values.
struct Deviation {
    enum class Kind : uint8_t { intensive_level, above_standard, extension, transfer };
    Kind kind;
    Date date;
    int64_t minutes = 0;          // above_standard: the granted minutes; transfer: the minutes moved
    int64_t standard_minutes = 0; // above_standard
    int32_t months = 0;           // extension
};

// leidraad.justification. `standard_minutes` gives the standard budget or cap a grant's granted_hours are
// compared with (nullopt: none to compare). `transfers`: budget.transferred events of the trajectory.
void evaluate_justification(const Emitter &emit, const Trajectory &t, std::span<const Event *const> transfers,
                            const std::function<std::optional<int64_t>(const Event &grant)> &standard_minutes);

// The level (or package) of t in force on `day`: that of the latest grant dated on or before it that names one.
// When `table` is given and has no row for it on `table_ref`, or no grant names one, the pack's default_level
// (if the pack has one).
std::string level_in_force(const Trajectory &t, Date day, const Params &params, std::string_view table, Date table_ref);

// "max-duration", "coaching-ended", "contract-end".
const char *close_reason_name(CloseReason r);

// jobcoaching.paid-work.
void evaluate_paid_work(const Emitter &emit, const Trajectory &t, const ContractTimeline &contracts);

// An employee's entries by trajectory: a few trajectories, searched in order of their first entry. clear() empties
// every list and keeps its storage, so that the next employee's lists are made without an allocation.
class EntriesByTrajectory {
public:
    using List = std::pair<const Trajectory *, std::vector<const Event *>>;
    // The list of t, made empty when t has none yet.
    std::vector<const Event *> &operator[](const Trajectory *t);
    // The list of t; empty when t has none.
    std::span<const Event *const> of(const Trajectory *t) const;
    void clear();
    // The lists made, in the order each was made.
    const List *begin() const { return lists_.data(); }
    const List *end() const { return lists_.data() + used_; }
    // The same lists, whatever their order.
    friend bool operator==(const EntriesByTrajectory &a, const EntriesByTrajectory &b);

private:
    std::vector<List> lists_; // the first used_ are this employee's; the rest kept for their storage
    size_t used_ = 0;
};

// Where each coaching entry of an employee belongs (C-5 with C-2, coaching.unassigned).
// Each list keeps the order of the events given: date order, arrival breaking ties (C-6), as the engine gives them.
struct Assignment {
    EntriesByTrajectory counted;       // inside a trajectory of ours
    EntriesByTrajectory after_max_end; // after our trajectory's maximum end
    std::vector<std::pair<const Trajectory *, const Event *>> outside_contract; // on a day without a contract
    std::vector<const Event *> unassigned;                                  // no open trajectory at all
    // Every list emptied, their storage kept (an evaluation assigns employee after employee into one).
    void clear();
};
// The events of `dated` (in date order, as an Assignment's lists and TrajectoryContext::counted give them) dated
// inside `span`: the first found by halving, so that a trajectory's periods, years or windows each read their own
// entries rather than all of them.
std::span<const Event *const> dated_in(std::span<const Event *const> dated, Span span);
// The coaching minutes of the entries of `dated` (in date order) dated inside `span` (C-8's used minutes).
int64_t minutes_in(std::span<const Event *const> dated, Span span);

// Which entries outside any open trajectory this plugin reports (R-7: every such minute exactly once, by one
// plugin, though every plugin sees every entry).
struct AssignmentScope {
    std::set<std::string, std::less<>> own_schemes; // the schemes this plugin runs
    std::set<std::string, std::less<>> served;      // every scheme some plugin runs (docs/formats.md's, every pack's)
    std::set<std::string, std::less<>> judge_outside_contract; // own schemes that report coaching.outside_contract
    // Whether this plugin reports the entries no scheme claims: those naming no scheme, or one nobody runs, of
    // an employee with no trajectory started by then. The plugin that runs the first served scheme in name
    // order does (the uwv plugin for docs/formats.md's schemes), so that exactly one plugin does.
    bool reports_unclaimed() const { return !served.empty() && own_schemes.count(*served.begin()) > 0; }
};
// `own`: the trajectories of this plugin's schemes; `foreign`: those of other schemes (their hours are left
// to their plugin). An entry that names a scheme belongs to that scheme's trajectories; one that names none
// goes to the latest-started trajectory open on its date. After a closed trajectory, an entry on a day without
// a contract is coaching.outside_contract where the scheme judges that (the UWV schemes, R-7), and
// coaching.unassigned elsewhere.
Assignment assign_timesheets(std::span<const Event *const> events, const std::vector<const Trajectory *> &own,
                             const std::vector<const Trajectory *> &foreign, const ContractTimeline &contracts,
                             const AssignmentScope &scope);
// The same, into `into` (cleared first), whose lists keep their storage from the employee before.
void assign_timesheets(std::span<const Event *const> events, const std::vector<const Trajectory *> &own,
                       const std::vector<const Trajectory *> &foreign, const ContractTimeline &contracts,
                       const AssignmentScope &scope, Assignment &into);

// Whether a plugin that reports unclaimed entries has nothing to say of an employee none of whose `events` (those
// in force, in any order; UnclaimedGlance over each) names one of its schemes: no grant of a scheme nobody runs, no
// entry naming one, and no entry naming none dated before the first grant of a scheme some plugin runs. Then
// assign_timesheets with no trajectory of the plugin's gives nothing unassigned and evaluate_unknown_schemes
// nothing, and the employee needs neither its contracts nor its trajectories: evaluating everyone, the uwv
// plugin meets every employee of the municipal schemes. False where in doubt: the full evaluation decides.
bool nothing_unclaimed(std::span<const Event *const> events, const AssignmentScope &scope);

// nothing_unclaimed from a glance at each event (type, date, scheme: EventStore::Glance), in arrival order, before
// an employee's events are decoded. add() each event; false: not passed over (stop). Also false for an event of
// the plugin's schemes and for an event.retracted (it may take back a grant: the full evaluation decides); a
// timesheet.retracted only takes back an entry, so that nothing more goes unclaimed. Events dated after as_of are
// left out, as the evaluation leaves them out.
class UnclaimedGlance {
public:
    UnclaimedGlance(const AssignmentScope &scope, Date as_of) : scope_(scope), as_of_(as_of) {}
    bool add(EventType type, Date date, std::string_view scheme); // inline: called per event of a glance
    // After the last event: whether nothing of the employee goes unclaimed.
    bool nothing_unclaimed() const { return !first_entry_ || (first_grant_ && *first_entry_ >= *first_grant_); }

private:
    const AssignmentScope &scope_;
    Date as_of_;
    std::optional<Date> first_grant_; // of a scheme some plugin runs
    std::optional<Date> first_entry_; // naming no scheme
    // The last scheme named and whether it is the plugin's own and whether some plugin runs it: an employee's
    // events mostly name one scheme, so the sets are searched once for it, not per event.
    std::string_view last_scheme_;
    bool last_own_ = false, last_served_ = false;
    void learn(std::string_view scheme); // makes `scheme` the last one named
};

inline bool UnclaimedGlance::add(EventType type, Date date, std::string_view scheme)
{
    // A timesheet.retracted takes back an entry only (the plugin refuses one naming anything else): with fewer
    // entries nothing more goes unclaimed. An event.retracted may take back a grant: the full evaluation decides.
    if (type == EventType::event_retracted)
        return false;
    if (type == EventType::timesheet_retracted)
        return true;
    if (!scheme.empty() && scheme != last_scheme_)
        learn(scheme);
    if (!scheme.empty() && last_own_)
        return false; // the plugin's own: evaluated in full
    if (date > as_of_)
        return true;
    if (type == EventType::coaching_granted) {
        if (scheme.empty() || !last_served_)
            return false; // grant.unknown_scheme
        if (!first_grant_ || date < *first_grant_)
            first_grant_ = date;
    } else if (type == EventType::timesheet_logged) {
        if (!scheme.empty())
            return last_served_; // naming a scheme nobody runs: coaching.unassigned
        if (!first_entry_ || date < *first_entry_)
            first_entry_ = date;
    }
    return true;
}

// coaching.unassigned, kind grant.unknown_scheme: a coaching.granted of a scheme no plugin runs (a typo such
// as "uwv-extren") opens no trajectory anywhere, so the host is told once, by the plugin of
// AssignmentScope::reports_unclaimed, instead of only seeing its hours reported one by one.
void evaluate_unknown_schemes(const std::string &employee, const Params &params, std::span<const Event *const> events,
                              const AssignmentScope &scope, FindingList &out);

// coaching.unassigned for the entries of an Assignment. `scheme_of` the finding: the named scheme, or "any".
void evaluate_unassigned(const std::string &employee, const Params &params, std::span<const Event *const> entries,
                         FindingList &out);

} // namespace jobcoach::rules
