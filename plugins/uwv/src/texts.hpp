// SPDX-License-Identifier: Apache-2.0
// The words of the uwv plugin's rules: every Dutch and English message and English explanation line of a finding
// of uwv-extern.* and uwv-intern.*, and the words of their status, rendered from the values the rules compute and
// from the rule pack. The rules (uwv_extern.cpp, uwv_intern.cpp, uwv_common.cpp) hold no sentence.
#pragma once

#include "uwv_common.hpp"
#include "uwv_extern.hpp"
#include "uwv_intern.hpp"

#include <jobcoach/rules/texts.hpp>

namespace jobcoach::uwv::texts {

using rules::StatusFigure;
using rules::texts::Words;

// --- shared by both schemes ---

// uwv-*.contract-end: coaching.outside_contract for one entry.
void outside_contract(rules::Finding &f, const rules::Event &entry, const rules::Trajectory &t);
// uwv-*.contract-end: how the notice's due date was found. The bases of due dates below are made in
// params.scratch(): each valid until its next use (emit_due reads it at once); empty when params explain nothing.
std::string_view contract_end_notice_basis(rules::Date employment_end, const rules::Params &params);

// --- uwv-extern ---

// "period#2 = 2026-07-05 .. 2027-01-04"
std::string extern_period(const ExternPeriod &p);
// Why period 1 runs as it does (uwv-extern.period: 6 months, or to the end of a short contract).
std::string extern_first_period(const ExternPeriod &first, rules::Date start, const rules::Params &params);
// uwv-extern.budget: the words of period p's budget, in params.budget_words() (valid until its next use;
// report_budget reads them at once); `period_explanation` is extern_period or extern_first_period.
const rules::BudgetWords &extern_budget(const PeriodBudget &b, const ExternPeriod &p,
                                        std::string_view period_explanation, const rules::Params &params);
// uwv-extern.period-report: how the report's due date was found.
std::string_view period_report_basis(const ExternPeriod &p, const rules::Params &params);

// uwv-extern.legal-max: a grant above the statutory maximum of its period.
struct AboveLegalMax {
    const rules::Event &grant;
    int year;          // the trajectory year of the period's start
    double pct;        // legal_max_pct of that year
    int64_t agreed;    // agreed minutes over the period (Σ weekly minutes / 7)
    int64_t legal_max; // pct × agreed, rounded down
};
void above_legal_max(rules::Finding &f, const AboveLegalMax &o, const ExternPeriod &p, const rules::Params &params);

// uwv-extern.max-duration: the sentence after trajectory.expiring ("Beyond 3 years only UWV can extend, …").
Words beyond_max_duration(int32_t max_months);

// uwv-extern.extension-window: argue coaching beyond the maximum in the continuation request.
struct ExtensionWindow {
    rules::Date opens;
    rules::Date closes;
    int32_t max_months;
};
void extension_window(rules::Finding &f, const ExtensionWindow &o, const ExternPeriod &p, const rules::Trajectory &t,
                      const rules::Params &params);

// --- uwv-intern ---

// "period#1 = … (planned …), year 2 of coaching in this job"
std::string intern_period(const InternPeriod &p);
// uwv-intern.budget: the words of period p's budget, in params.budget_words() as extern_budget's.
const rules::BudgetWords &intern_budget(const PeriodBudget &b, const InternPeriod &p, const rules::Params &params);
// uwv-intern.continuation: how the request's due date was found; `allowed`: the periods the trajectory may have.
std::string_view continuation_basis(const InternPeriod &p, size_t allowed, const rules::Params &params);

// uwv-intern.subsidy: the status figure of a period's subsidy (name, value).
StatusFigure subsidy_figure(const std::string &subject, const UwvIntern::Subsidy &sub,
                                                   const std::string &level, int index);
// uwv-intern.subsidy: the employment ends inside a period paid in advance.
struct Repayment {
    const UwvIntern::Subsidy &subsidy;
    const std::string &level;
    rules::Date close;    // the employment's last day
    int32_t months;       // the period's months
    int32_t whole_months; // whole months employed
    int64_t rest_days;    // days employed of the month it ends in
    int64_t month_days;   // that month's days
    int64_t earned;       // cents
    int64_t repay;        // cents
};
void subsidy_repayment(rules::Finding &f, const Repayment &o, const InternPeriod &p, const rules::Params &params);

// uwv-intern.period: the sentence after trajectory.expiring ("At most 3 periods of 12 months, less …").
Words intern_max_duration(int32_t max_months, int32_t period_months, int32_t prior_months);
// uwv-intern.period: the explanation line of the prior months, on each expiry finding.
void explain_prior_months(rules::Finding &f, int32_t prior_months, rules::Date start, const rules::Params &params);

} // namespace jobcoach::uwv::texts
