// SPDX-License-Identifier: Apache-2.0
// Municipal jobcoaching, driven by rule packs (docs/rules.md §4 vpw, §5 wsp-rijnmond): another municipality is a new
// rule pack, not new code.
//
// A pack with "engine": "gemeente" defines one scheme. Each rule entry names the building block it uses with
// "role"; the numbers are dated parameters of the pack:
//
//   role              parameters                                           findings
//   duty              duties {report_kind: [every_months, once_after_days]}  report.due / report.overdue (C-7)
//                     (the entry's "report_kind" picks the row)
//   max-duration      max_duration_months; text expiring_note_nl/_en        trajectory.expiring / .expired (C-9)
//   hour-cap          hour_cap_hours {level: [y1, y2, y3+]},                 budget.warning / .exceeded per
//                     part_time_full_hours, default_level                    trajectory year (C-8)
//   hour-transfer     transfer_absence_days, transfer_window_days           budget.transfer_possible,
//                                                                           transfer.above_unused
//   quarterly-hours   (none)                                                minutes per calendar quarter in the
//                                                                           status; no finding
//   start-visit       start_visit {package: [1]}                            visit.missing
//   visit-frequency   visit_frequency {package: [visits, months, days]},    visits.below_package, contact.missed
//                     contact_frequency {package: [contacts, months, days]},
//                     visit_frequency_windows
//   next-visit        next_visit_interval {package: [months, days]},        visit.due / visit.overdue
//                     visit_due_lead_days
//   cluster           cluster_window_days                                   visits.cluster (per employer)
//   cost              hourly_rate_cents {coach_form: [cents]},              cost per coach form in the status;
//                     default_coach_form                                    no finding
//
// Without a max-duration rule a trajectory runs until coaching.ended or the end of the employment.
#pragma once

#include <jobcoach/rules/engine.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace jobcoach::gemeente {

class Role;

// One municipal scheme: its pack's rules, each an object of its role's class (roles.hpp, roles/*.cpp).
class Municipal : public rules::SchemeRules {
public:
    // `pack`: the scheme's pack; its rule ids and roles are read once here.
    explicit Municipal(const rules::RulePack &pack);
    ~Municipal() override;

    std::string scheme() const override { return scheme_; }
    void check(const rules::Params &params) const override;
    int32_t max_months(const rules::Event &opening_grant, const rules::Params &params) const override;
    int32_t max_extension_months(const rules::Event &opening_grant, const rules::Params &params) const override;
    void evaluate(const rules::TrajectoryContext &ctx) const override;
    std::unique_ptr<rules::RunState> start_run() const override;
    void finish(rules::RunState &run, const rules::Params &params, rules::Date as_of,
                rules::FindingList &out) const override;
    void merge(rules::RunState &into, rules::RunState &from) const override;

    // The roles this engine knows.
    static const std::vector<std::string> &roles();

private:
    // The rule id of a role, or "" when the pack does not use it.
    const std::string &rule(const std::string &role) const;

    std::string scheme_;
    std::map<std::string, std::string> rule_of_role_; // every role but duty
    std::vector<std::unique_ptr<Role>> roles_;         // one object per rule, in evaluation order (roles.hpp)
};

// A Municipal for every pack in `packs` whose engine is "gemeente".
std::vector<std::unique_ptr<rules::SchemeRules>> municipal_schemes(const rules::RulePackSet &packs);

} // namespace jobcoach::gemeente
