// SPDX-License-Identifier: Apache-2.0
// What UWV's two schemes share: percentages of agreed hours (C-3), a period budget's values, and the contract-end
// rules uwv-extern.contract-end and uwv-intern.contract-end (P14 A.8, PIJ15 5.2), which say the same.
#pragma once

#include <jobcoach/rules/engine.hpp>

#include <span>
#include <optional>
#include <string>
#include <vector>

namespace jobcoach::uwv {

// pct is a percentage with at most two decimals (7.5 %): minutes = Σ weekly minutes / 7 × pct / 100, exact
// until the final rounding down (C-3).
int64_t percent_of_agreed(int64_t weekly_minutes_sum, double pct);

// The entry for trajectory year `year` of a row [year 1, year 2, year 3+].
double year_pct(const std::vector<double> &row, int year);

// The latest coaching.granted of t dated inside `span` when it gives granted_hours, else nullptr: a later grant
// without hours returns the period to the estimate.
const rules::Event *granted_hours_in(const rules::Trajectory &t, rules::Span span);

// A period's estimated budget (C-3): pct of the level and trajectory year × the agreed minutes over the period.
struct Estimate {
    int64_t minutes;
    std::string level;
    int year;               // the trajectory year (uwv-extern) or year of coaching in the job (uwv-intern)
    double pct;
    int64_t agreed_minutes; // Σ weekly minutes / 7 over the period's days
};

// What a period's budget rule (uwv-extern.budget, uwv-intern.budget, each in its scheme's file) found: C-8 over
// the period, with the limit from a grant's hours or the estimate.
struct PeriodBudget {
    rules::BudgetCheck check;
    rules::BudgetOutcome outcome;
    const rules::Event *grant = nullptr; // whose granted_hours are the limit, or nullptr
    std::optional<Estimate> estimate;    // when no grant gives the hours
};

// `rule`.contract-end: coaching minutes on a day without a contract (coaching.outside_contract), and the
// written notice within `contract_end_notice_days` when the employment ends while the trajectory is open.
void evaluate_contract_end(const rules::TrajectoryContext &ctx, const rules::Emitter &emit, const std::string &rule);

} // namespace jobcoach::uwv
