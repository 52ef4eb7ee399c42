// SPDX-License-Identifier: Apache-2.0
// Role cluster: at one employer, the next visits of several employees due within cluster_window_days of the first
// are to be planned on one day where possible (an employer-level finding naming the employees). The shipped
// packs' rule of this role: wsp-rijnmond.cluster.
#include "../roles.hpp"
#include "../texts.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace jobcoach::gemeente {

using namespace jobcoach::rules;

void evaluate_cluster(const std::string &rule, const std::string &scheme, ClusterRun &run, const Params &params, Date as_of,
                      FindingList &out)
{
    if (run.plans.size() < 2)
        return; // nothing to cluster, and no number needed (a pack may start after as_of)
    const int32_t window = params.integer("cluster_window_days", as_of);
    std::map<std::string, std::vector<VisitPlan>> by_employer;
    for (auto &p : run.plans)
        by_employer[p.employer].push_back(p);
    for (auto &[employer, plans] : by_employer) {
        std::sort(plans.begin(), plans.end(),
                  [](const VisitPlan &a, const VisitPlan &b) { return std::tie(a.due, a.employee) < std::tie(b.due, b.employee); });
        for (size_t i = 0; i < plans.size();) {
            size_t j = i;
            while (j + 1 < plans.size() && plans[j + 1].due <= add_days(plans[i].due, window - 1))
                ++j;
            std::set<std::string> employees;
            for (size_t k = i; k <= j; ++k)
                employees.insert(plans[k].employee);
            if (employees.size() >= 2) {
                const Emitter emit{*employees.begin(), scheme, params, out};
                Finding &f = emit.add(rule, "visits.cluster", Severity::info);
                f.due = plans[i].due;
                f.subject = "employer " + employer;
                f.employer = employer;
                f.employees.assign(employees.begin(), employees.end());
                texts::cluster(f, employer, std::span(plans).subspan(i, j - i + 1), employees, as_of, params);
            }
            i = j + 1;
        }
    }
}

} // namespace jobcoach::gemeente
