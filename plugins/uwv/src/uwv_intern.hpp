// SPDX-License-Identifier: Apache-2.0
// uwv-intern: UWV subsidy for the employer's own jobcoach (docs/rules.md §3).
#pragma once

#include <jobcoach/rules/engine.hpp>

namespace jobcoach::uwv {

struct InternPeriod {
    int number;             // 1-based, within this trajectory
    int index;              // the year of coaching in the same job in which the period starts, prior months counted
    rules::Span planned;    // 12 months from its start
    rules::Span span;       // planned, cut at the trajectory's close
};

class UwvIntern : public rules::SchemeRules {
public:
    std::string scheme() const override { return "uwv-intern"; }
    void check(const rules::Params &params) const override;
    // uwv-intern.period: 36 months minus the grant's prior_months (PIJ15 2.6.4).
    int32_t max_months(const rules::Event &opening_grant, const rules::Params &params) const override;
    void evaluate(const rules::TrajectoryContext &ctx) const override;
    bool judges_outside_contract() const override { return true; } // uwv-*.contract-end

    // uwv-intern.period: the periods that start on or before `until` (the close, or the maximum end).
    static std::vector<InternPeriod> periods(const rules::Trajectory &t, rules::Date until, const rules::Params &params);
    // uwv-intern.subsidy: the normbedrag × the part-time factor over the planned period, in cents, rounded down.
    struct Subsidy {
        int64_t norm_cents;
        int64_t factor_num;
        int64_t factor_den;
        int64_t cents;
    };
    static Subsidy subsidy(const InternPeriod &p, const std::string &level, const rules::ContractTimeline &contracts,
                           const rules::Params &params);
};

} // namespace jobcoach::uwv
