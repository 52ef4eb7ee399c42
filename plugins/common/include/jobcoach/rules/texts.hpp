// SPDX-License-Identifier: Apache-2.0
// The words of the shared rules: the Dutch and English messages and the English explanation of each finding the
// common rules make (C-7 dues, C-8 budgets, C-9 expiry, and the cross-scheme rules of docs/rules.md §6), rendered
// from the outcome values the rules compute and the rule pack. The rules themselves hold no sentence; every
// number here comes from an outcome or the pack. Each plugin has one such file for its own rules
// (plugins/uwv/src/texts.cpp, plugins/gemeente/src/texts.cpp).
#pragma once

#include "jobcoach/rules/common_rules.hpp"

#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace jobcoach::rules::texts {

// Dutch and English, in that order.
using Words = std::pair<std::string, std::string>;

// The finding's rule title and what to do next, in both languages, from the rule's pack entry: title_nl and
// title_en; action_nl and action_en, the entry's "action_<lang>:<kind>" for the finding's kind where it has one,
// its "action_<lang>" otherwise, with "{due}" replaced by the finding's date. "" where the pack has none.
void describe(Finding &f, const Params &params);

// Explanation lines shared by every trajectory finding: the trajectory's start, maximum end and close.
void explain_trajectory(Finding &f, const Trajectory &t);

// C-7: report.due or report.overdue. `basis` says how the due date was found (the scheme's words).
void due(Finding &f, std::string_view report_kind, const DueOutcome &o, Date as_of, std::string_view basis,
         const Params &params);

// C-8: budget.warning or budget.exceeded, in the words of the span (label, basis and further lines: the scheme's).
void budget(Finding &f, const BudgetCheck &c, const BudgetOutcome &o, const BudgetWords &w, const Params &params);

// C-9: trajectory.expiring, `days_left` before the maximum end, with the scheme's `note` after it (may be empty).
void expiring(Finding &f, const Trajectory &t, Date as_of, int32_t days_left, const Words &note, const Params &params);
// C-9: trajectory.expired, for the coaching entries logged after the maximum end.
void expired(Finding &f, const Trajectory &t, std::span<const Event *const> after_max_end, int64_t minutes);

// leidraad.justification: the event's deviations, none justified.
void unjustified(Finding &f, const Event &e, std::span<const Deviation> deviations, const Trajectory &t);

// jobcoaching.paid-work: the contract in force at the start is unpaid and without a prospect of paid work.
void not_jobcoaching(Finding &f, const Trajectory &t, const ContractSegment &c);

// coaching.unassigned, kind grant.unknown_scheme: a grant of a scheme none of `served` is.
void unknown_scheme(Finding &f, const Event &grant, const std::set<std::string, std::less<>> &served);

// coaching.unassigned: an entry no open trajectory takes. `unserved`: it names a scheme no plugin serves.
void unassigned(Finding &f, const Event &entry, bool unserved);

} // namespace jobcoach::rules::texts
