// SPDX-License-Identifier: Apache-2.0
// The building blocks of a municipal scheme (municipal.hpp lists them with their parameters): one class per role,
// each in its own file under roles/, named by the role. A pack's rule entry names its role, so the rule ids of the
// shipped packs sit in the comment of their role's file (vpw.hour-cap: roles/hour_cap.cpp).
#pragma once

#include <jobcoach/rules/engine.hpp>

#include <optional>
#include <string>
#include <vector>

namespace jobcoach::gemeente {

// One role of a scheme, bound to the rule id that uses it.
class Role {
public:
    explicit Role(std::string rule) : rule_(std::move(rule)) {}
    virtual ~Role() = default;
    const std::string &rule() const { return rule_; }
    // Whether the role gathers what an employer-level rule reads (TrajectoryContext::gather_only).
    virtual bool gathers() const { return false; }
    // The findings of one trajectory; records what the status shows when ctx.status is set.
    virtual void evaluate(const rules::TrajectoryContext &ctx, const rules::Emitter &emit) const = 0;

private:
    std::string rule_;
};

// --- values the roles share ---

// A step of a visit window or interval: months (add_months) or days (C-1).
struct Interval {
    int32_t months = 0;
    int32_t days = 0;
    // The i-th step from `anchor`.
    rules::Date step(rules::Date anchor, int32_t i) const
    {
        return rules::add_days(rules::add_months(anchor, months * i), days * i);
    }
};

bool is_visit(const rules::Event &e);
bool is_contact(const rules::Event &e); // a contact or a visit

// The start of the package in force on `day`: the date of the grant that changed the package to it (S for the
// opening package). Visit windows run from there.
rules::Date package_anchor(const rules::Trajectory &t, rules::Date day);

// The hour cap of trajectory year k (roles/hour_cap.cpp): the pack's cap for the level × the part-time factor
// (C-4) over `span`, the year cut at the trajectory's close.
struct YearCap {
    double hours;        // the base cap of the pack
    int64_t cap_minutes; // the base cap in minutes
    int64_t factor_num;  // the part-time factor is factor_num / factor_den
    int64_t factor_den;
    int64_t minutes;     // cap_minutes × factor, rounded down
};
YearCap year_cap(const rules::Params &params, const rules::ContractTimeline &contracts, const std::string &level, int k,
                 rules::Span span);

// --- the roles, in the order a scheme evaluates them ---

// Role duty (C-7): one report kind, recurring every N months from S or once N days after S (the pack's `duties`).
class Duty : public Role {
public:
    Duty(std::string rule, std::string report_kind) : Role(std::move(rule)), report_kind_(std::move(report_kind)) {}
    void evaluate(const rules::TrajectoryContext &ctx, const rules::Emitter &emit) const override;

private:
    std::string report_kind_;
};

// Role max-duration (C-9): the trajectory's maximum, and extensions beyond max_extension_months.
class MaxDuration : public Role {
public:
    using Role::Role;
    void evaluate(const rules::TrajectoryContext &ctx, const rules::Emitter &emit) const override;
};

// Role hour-cap (C-8 per trajectory year), with role hour-transfer when the pack has it (`transfer_rule`).
class HourCap : public Role {
public:
    HourCap(std::string rule, std::string transfer_rule) : Role(std::move(rule)), transfer_rule_(std::move(transfer_rule)) {}
    void evaluate(const rules::TrajectoryContext &ctx, const rules::Emitter &emit) const override;
    // The standard a grant's granted hours are compared with (leidraad.justification): its year's cap.
    static int64_t standard_minutes(const rules::TrajectoryContext &ctx, const rules::Event &grant);

private:
    std::string transfer_rule_;
};

// Role start-visit: the jobcoach is present on the first day of a package that asks for it.
class StartVisit : public Role {
public:
    using Role::Role;
    void evaluate(const rules::TrajectoryContext &ctx, const rules::Emitter &emit) const override;
};

// Role visit-frequency: visits on average over the last completed windows; contacts in every window.
class VisitFrequency : public Role {
public:
    using Role::Role;
    void evaluate(const rules::TrajectoryContext &ctx, const rules::Emitter &emit) const override;
};

// What role cluster gathers across employees: each next visit due, at its employer.
struct VisitPlan {
    std::string employer;
    std::string employee;
    rules::Date due;
};
struct ClusterRun : rules::RunState {
    std::vector<VisitPlan> plans;
};

// Role next-visit: the next visit (or contact) due the package's interval after the last one; its plan goes to
// the ClusterRun, when the scheme clusters.
class NextVisit : public Role {
public:
    using Role::Role;
    bool gathers() const override { return true; } // the plans of role cluster
    void evaluate(const rules::TrajectoryContext &ctx, const rules::Emitter &emit) const override;
};

// Role quarterly-hours: minutes per calendar quarter in the status; no finding.
class QuarterlyHours : public Role {
public:
    using Role::Role;
    void evaluate(const rules::TrajectoryContext &ctx, const rules::Emitter &emit) const override;
};

// Role cost: cost per coach form at the pack's hourly rate, in the status; no finding.
class Cost : public Role {
public:
    using Role::Role;
    void evaluate(const rules::TrajectoryContext &ctx, const rules::Emitter &emit) const override;
};

// Role cluster (per employer, once all employees are evaluated): next visits within one window. Sorts run.plans in
// place.
void evaluate_cluster(const std::string &rule, const std::string &scheme, ClusterRun &run, const rules::Params &params,
                      rules::Date as_of, rules::FindingList &out);

} // namespace jobcoach::gemeente
