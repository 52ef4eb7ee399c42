// SPDX-License-Identifier: Apache-2.0
// Role next-visit: the next visit is due the package's next_visit_interval after the last one (or after the
// package's start), shown visit_due_lead_days before; where the package counts contacts (contact_frequency), a
// contact counts too. Its plan goes to role cluster. The shipped packs' rule of this role:
// wsp-rijnmond.next-visit.
#include "../roles.hpp"
#include "../texts.hpp"

#include <algorithm>

namespace jobcoach::gemeente {

using namespace jobcoach::rules;

void NextVisit::evaluate(const TrajectoryContext &ctx, const Emitter &emit) const
{
    const Trajectory &t = ctx.t;
    const Params &params = ctx.params;
    const Date as_of = ctx.as_of;
    const std::string package = level_in_force(t, std::min(as_of, t.close), params, "", t.start);
    const Date anchor = package_anchor(t, std::min(as_of, t.close));
    if (!t.contains(as_of) || !params.has_row("next_visit_interval", package, anchor))
        return;
    const auto &row = params.row("next_visit_interval", package, anchor);
    const Interval interval{static_cast<int32_t>(row.at(0)), static_cast<int32_t>(row.at(1))};
    const bool contacts_count = params.has("contact_frequency") && params.has_row("contact_frequency", package, anchor);
    const Event *last = nullptr;
    int visits = 0;
    for (const Event *e : ctx.counted())
        if (e->date >= anchor && (contacts_count ? is_contact(*e) : is_visit(*e))) {
            ++visits;
            if (last == nullptr || e->date >= last->date)
                last = e;
        }
    const Date base = last != nullptr ? last->date : anchor;
    const Date due = interval.step(base, 1);
    if (due > t.close)
        return;
    const int32_t lead = params.integer("visit_due_lead_days", anchor);
    const std::string subject = "visit#" + std::to_string(visits + 1);
    if (ctx.status != nullptr)
        ctx.status->dues.push_back({rule(), contacts_count ? "contact" : "visit", visits + 1, due, false,
                                    finding_id(emit.employee, emit.scheme, emit.trajectory, rule(), subject), lead,
                                    params.rule_text(rule(), "title_nl"), params.rule_text(rule(), "title_en")});
    const int32_t days_left = days_between(as_of, due);
    if (!ctx.gather_only && (days_left < 0 || days_left <= lead)) {
        Finding &f = days_left < 0 ? emit.add(rule(), "visit.overdue", Severity::warning)
                                   : emit.add(rule(), "visit.due", Severity::info);
        f.due = due;
        f.subject = subject;
        texts::next_visit(f, {package, anchor, contacts_count, last, base, interval, due, days_left}, params);
    }
    if (auto *run = dynamic_cast<ClusterRun *>(ctx.run); run != nullptr) {
        const ContractSegment *c = ctx.facts.contracts.in_force(as_of);
        if (c == nullptr)
            c = ctx.facts.contracts.in_force(t.start);
        if (c != nullptr && !c->employer.empty())
            run->plans.push_back({c->employer, ctx.facts.employee, std::max(due, as_of)});
    }
}

} // namespace jobcoach::gemeente
