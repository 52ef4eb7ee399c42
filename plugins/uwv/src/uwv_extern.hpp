// SPDX-License-Identifier: Apache-2.0
// uwv-extern: UWV jobcoach through a jobcoach organisation (docs/rules.md §2).
#pragma once

#include <jobcoach/rules/engine.hpp>

namespace jobcoach::uwv {

struct ExternPeriod {
    int number;        // 1-based
    rules::Span span;  // as planned, cut at the trajectory's close
};

class UwvExtern : public rules::SchemeRules {
public:
    std::string scheme() const override { return "uwv-extern"; }
    void check(const rules::Params &params) const override;
    int32_t max_months(const rules::Event &opening_grant, const rules::Params &params) const override;
    void evaluate(const rules::TrajectoryContext &ctx) const override;
    bool judges_outside_contract() const override { return true; } // uwv-*.contract-end

    // uwv-extern.period: every period that starts on or before the trajectory's close.
    static std::vector<ExternPeriod> periods(const rules::Trajectory &t, const rules::ContractTimeline &known_at_start,
                                             const rules::Params &params);
};

} // namespace jobcoach::uwv
