// SPDX-License-Identifier: Apache-2.0
// Role cluster: at one employer, the next visits of several employees due within cluster_window_days of the first
// are to be planned on one day where possible (an employer-level finding naming the employees). The shipped
// packs' rule of this role: wsp-rijnmond.cluster.
#include "../roles.hpp"
#include "../texts.hpp"

#include <algorithm>
#include <string_view>
#include <tuple>
#include <vector>

namespace jobcoach::gemeente {

using namespace jobcoach::rules;

void evaluate_cluster(const std::string &rule, const std::string &scheme, ClusterRun &run, const Params &params, Date as_of,
                      FindingList &out)
{
    if (run.plans.size() < 2)
        return; // nothing to cluster, and no number needed (a pack may start after as_of)
    const int32_t window = params.integer("cluster_window_days", as_of);
    // The plans sorted in place by employer, then due date and employee (every member of a plan: plans that
    // compare equal are alike), and each employer's run of them taken in turn. (Grouped into a map of
    // employers first, each plan copied into it, the employer-level findings of 100,000 employees took 2 % of
    // evaluating them, on the calling thread alone once the helpers had ended.)
    auto &plans = run.plans;
    std::sort(plans.begin(), plans.end(), [](const VisitPlan &a, const VisitPlan &b) {
        return std::tie(a.employer, a.due, a.employee) < std::tie(b.employer, b.due, b.employee);
    });
    // At most a finding per two plans (a cluster names two employees or more).
    out.reserve(out.size() + plans.size() / 2);
    std::vector<std::string_view> employees; // of a window: sorted, each once
    for (size_t from = 0; from < plans.size();) {
        const std::string &employer = plans[from].employer;
        size_t to = from + 1;
        while (to < plans.size() && plans[to].employer == employer)
            ++to;
        for (size_t i = from; i < to;) {
            size_t j = i;
            while (j + 1 < to && plans[j + 1].due <= add_days(plans[i].due, window - 1))
                ++j;
            employees.clear();
            for (size_t k = i; k <= j; ++k)
                employees.push_back(plans[k].employee);
            std::sort(employees.begin(), employees.end());
            employees.erase(std::unique(employees.begin(), employees.end()), employees.end());
            if (employees.size() >= 2) {
                const Emitter emit{std::string(employees.front()), scheme, params, out};
                Finding &f = emit.add(rule, "visits.cluster", Severity::info);
                f.due = plans[i].due;
                f.subject = "employer " + employer;
                f.employer = employer;
                f.employees.assign(employees.begin(), employees.end());
                texts::cluster(f, employer, std::span(plans).subspan(i, j - i + 1), employees, as_of, params);
            }
            i = j + 1;
        }
        from = to;
    }
}

} // namespace jobcoach::gemeente
