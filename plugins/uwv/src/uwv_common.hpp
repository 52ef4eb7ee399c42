// SPDX-License-Identifier: Apache-2.0
// What UWV's two schemes share: percentages of agreed hours, the level in force, and the contract-end rules
// (P14 A.8, PIJ15 5.2).
#pragma once

#include <jobcoach/rules/engine.hpp>

#include <functional>
#include <string>
#include <vector>

namespace jobcoach::uwv {

// pct is a percentage with at most two decimals (7.5 %): minutes = Σ weekly minutes / 7 × pct / 100, exact
// until the final rounding down (C-3).
int64_t percent_of_agreed(int64_t weekly_minutes_sum, double pct);

// The entry for trajectory year `year` of a row [year 1, year 2, year 3+].
double year_pct(const std::vector<double> &row, int year);

// "7.5 %".
std::string pct_text(double pct);

// The latest coaching.granted of t dated inside `span`, or nullptr.
const rules::Event *latest_grant_in(const rules::Trajectory &t, rules::Span span);

// A period's estimated budget, and how it was found (the words differ per scheme): {Dutch, English}, built
// only for a finding or a status.
struct BudgetEstimate {
    int64_t minutes;
    std::function<std::pair<std::string, std::string>()> basis;
};

// `rule` (uwv-extern.budget, uwv-intern.budget), C-8 for period `number` over `span`: the granted_hours of the
// latest grant dated in the period, else `estimate()` (pct × agreed minutes); the minutes counted in t that
// fall in the span are used. The findings explain the percentages and `period_explanation()` (called only for
// a finding). Returns the grant whose hours were used, or nullptr.
const rules::Event *evaluate_period_budget(const rules::TrajectoryContext &ctx, const rules::Emitter &emit,
                                           const std::string &rule, int number, rules::Span span,
                                           const std::function<BudgetEstimate()> &estimate,
                                           const std::function<std::string()> &period_explanation);

// `rule`.contract-end: coaching minutes on a day without a contract (coaching.outside_contract), and the
// written notice within `contract_end_notice_days` when the employment ends while the trajectory is open.
void evaluate_contract_end(const rules::TrajectoryContext &ctx, const rules::Emitter &emit, const std::string &rule);

} // namespace jobcoach::uwv
