// SPDX-License-Identifier: Apache-2.0
// The words of the gemeente plugin's roles: every Dutch and English message and English explanation line of a
// municipal finding, and the words of the status, rendered from the values the roles compute and from the pack.
// The roles (roles/*.cpp) hold no sentence.
#pragma once

#include "roles.hpp"

#include <jobcoach/rules/texts.hpp>

#include <span>
#include <string_view>

namespace jobcoach::gemeente::texts {

using rules::StatusFigure;
using rules::texts::Words;

// Role duty: how an instance's due date was found; `every` months or, when 0, `once` days after S. Made in
// params.scratch(): valid until its next use (emit_due reads it at once); empty when params explain nothing.
std::string_view duty_basis(const rules::Trajectory &t, std::string_view report_kind, int32_t every, int32_t once,
                            int number, const rules::Params &params);

// Role max-duration: the pack's sentence after trajectory.expiring (expiring_note_nl / _en).
Words expiring_note(const rules::Trajectory &t, const rules::Params &params);
// Role max-duration: months of an extension beyond the maximum of all extensions.
void extension_above_max(rules::Finding &f, const rules::Event &extension, int32_t excess, const rules::Trajectory &t,
                         const rules::Params &params);

// Role hour-cap: what trajectory year k's budget is made of.
struct YearBudget {
    int k;
    rules::Span span;
    const rules::Event *grant; // whose agreed hours replace the cap, or nullptr
    int64_t base;              // the grant's minutes, or the cap's
    const std::string &level;  // without a grant
    const YearCap &cap;        // without a grant
    int64_t moved_in;          // from the year before (role hour-transfer)
    int64_t moved_out;         // to the year after
};
// Its words, in params.budget_words() (valid until its next use: report_budget reads them at once).
const rules::BudgetWords &year_budget(const YearBudget &y, const rules::Params &params);

// Role hour-transfer: a transfer of more than the year left unused.
struct TransferAboveUnused {
    const rules::Event &transfer;
    int64_t unused;     // limit - moved out before - used
    int64_t limit;
    int64_t moved_out;  // before this transfer
    int64_t used;
};
void transfer_above_unused(rules::Finding &f, const TransferAboveUnused &o, int k, rules::Span year);
// Role hour-transfer: hours left at the end of a year with a long absence may move on.
struct TransferPossible {
    int64_t unused;
    int64_t limit;
    int64_t used;
    int32_t absent_days;
};
void transfer_possible(rules::Finding &f, const TransferPossible &o, int k, rules::Span year, const rules::Params &params);

// Role start-visit: no visit on the first day of a package that asks for one.
void start_visit_missing(rules::Finding &f, const std::string &package, const rules::Trajectory &t,
                         const rules::Params &params);

// Role visit-frequency: fewer visits than the package asks over the last completed windows.
struct VisitsBelowPackage {
    const std::string &package;
    rules::Date anchor;
    int64_t required; // visits per window
    const Interval &window;
    std::span<const rules::Span> windows;
    std::span<const int64_t> visits; // per window
    int64_t total;
};
void visits_below_package(rules::Finding &f, const VisitsBelowPackage &o, const rules::Params &params);
// Role visit-frequency: a window without a contact or visit.
struct ContactMissed {
    const std::string &package;
    rules::Date anchor;
    int64_t required;
    const Interval &window_length;
    size_t number; // 1-based
    rules::Span window;
    int64_t seen;
};
void contact_missed(rules::Finding &f, const ContactMissed &o, const rules::Params &params);

// Role next-visit: the next visit (or contact) due or overdue.
struct NextVisitDue {
    const std::string &package;
    rules::Date anchor;
    bool contacts_count; // a contact counts as well as a visit
    const rules::Event *last;
    rules::Date base;    // the last one's date, or the anchor
    const Interval &interval;
    rules::Date due;
    int32_t days_left;   // negative when overdue
};
void next_visit(rules::Finding &f, const NextVisitDue &o, const rules::Params &params);

// Role quarterly-hours: the status figure of one calendar quarter ("hours 2026-Q1").
StatusFigure quarter_figure(int year, unsigned quarter, int64_t minutes);
// Role cost: the status figure of one coach form; `rated`: the pack has its hourly rate.
StatusFigure cost_figure(const std::string &form, int64_t minutes, int64_t cents, bool rated);

// Role cluster: the next visits at one employer within one window.
void cluster(rules::Finding &f, const std::string &employer, std::span<const VisitPlan> plans,
             std::span<const std::string_view> employees, rules::Date as_of, const rules::Params &params);

} // namespace jobcoach::gemeente::texts
