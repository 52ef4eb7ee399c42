// SPDX-License-Identifier: Apache-2.0
#include "municipal.hpp"
#include "roles.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace jobcoach::gemeente {

using namespace jobcoach::rules;

namespace {

const std::map<std::string, std::vector<std::string>> &role_parameters()
{
    static const std::map<std::string, std::vector<std::string>> p = {
        {"duty", {"duties"}},
        {"max-duration", {"max_duration_months", "expiring_note_nl", "expiring_note_en"}},
        {"hour-cap", {"hour_cap_hours", "part_time_full_hours", "default_level"}},
        {"hour-transfer", {"transfer_absence_days", "transfer_window_days"}},
        {"quarterly-hours", {}},
        {"start-visit", {"start_visit"}},
        {"visit-frequency", {"visit_frequency", "contact_frequency", "visit_frequency_windows"}},
        {"next-visit", {"next_visit_interval", "visit_due_lead_days"}},
        {"cluster", {"cluster_window_days"}},
        {"cost", {"hourly_rate_cents", "default_coach_form"}},
    };
    return p;
}

} // namespace

const std::vector<std::string> &Municipal::roles()
{
    static const std::vector<std::string> r = [] {
        std::vector<std::string> out;
        for (const auto &[role, params] : role_parameters())
            out.push_back(role);
        return out;
    }();
    return r;
}

Municipal::Municipal(const RulePack &pack) : scheme_(pack.scheme())
{
    for (const auto &role : roles()) {
        const auto ids = pack.rules_with("role", role);
        if (role != "duty" && !ids.empty())
            rule_of_role_[role] = ids.front();
    }
    // The roles in the order a trajectory is evaluated: its duties, its duration, its hours, its visits, the
    // status's figures.
    for (const auto &id : pack.rules_with("role", "duty"))
        roles_.push_back(std::make_unique<Duty>(id, pack.rule_attribute(id, "report_kind")));
    if (const std::string &id = rule("max-duration"); !id.empty())
        roles_.push_back(std::make_unique<MaxDuration>(id));
    if (const std::string &id = rule("hour-cap"); !id.empty())
        roles_.push_back(std::make_unique<HourCap>(id, rule("hour-transfer")));
    if (const std::string &id = rule("start-visit"); !id.empty())
        roles_.push_back(std::make_unique<StartVisit>(id));
    if (const std::string &id = rule("visit-frequency"); !id.empty())
        roles_.push_back(std::make_unique<VisitFrequency>(id));
    if (const std::string &id = rule("next-visit"); !id.empty())
        roles_.push_back(std::make_unique<NextVisit>(id));
    if (const std::string &id = rule("quarterly-hours"); !id.empty())
        roles_.push_back(std::make_unique<QuarterlyHours>(id));
    if (const std::string &id = rule("cost"); !id.empty())
        roles_.push_back(std::make_unique<Cost>(id));
}

Municipal::~Municipal() = default;

const std::string &Municipal::rule(const std::string &role) const
{
    static const std::string none;
    const auto it = rule_of_role_.find(role);
    return it == rule_of_role_.end() ? none : it->second;
}

void Municipal::check(const Params &params) const
{
    const RulePack &pack = params.scheme_pack();
    std::string problems;
    // Every rule names a role this engine knows, used once (duties: once per report kind).
    std::map<std::string, int> uses;
    std::set<std::string> needed;
    for (const auto &id : pack.rule_ids()) {
        const std::string &role = pack.rule_attribute(id, "role");
        if (std::find(roles().begin(), roles().end(), role) == roles().end())
            problems += fmt::format(" rule {}: role '{}' is not one of the gemeente engine's roles;", id, role);
    }
    for (const auto &role : roles())
        for (const auto &id : pack.rules_with("role", role)) {
            ++uses[role];
            for (const auto &p : role_parameters().at(role))
                needed.insert(p);
            if (role == "duty") {
                const std::string &kind = pack.rule_attribute(id, "report_kind");
                if (kind.empty())
                    problems += fmt::format(" rule {}: role duty needs a report_kind;", id);
                else if (pack.has("duties"))
                    for (const Date from : pack.valid_froms("duties"))
                        if (!pack.has_row("duties", kind, from))
                            problems += fmt::format(" rule {}: parameter duties (valid from {}) has no row {};", id,
                                                    from.iso(), kind);
            }
        }
    for (const auto &[role, n] : uses)
        if (role != "duty" && n > 1)
            problems += fmt::format(" role {} is used by {} rules, at most one is allowed;", role, n);
    if (uses.count("hour-transfer") > 0 && uses.count("hour-cap") == 0)
        problems += " role hour-transfer needs a rule with role hour-cap;";
    for (const auto &p : needed)
        if (!params.has(p))
            problems += fmt::format(" parameter {} is missing;", p);
    if (!problems.empty())
        throw RulePackError(pack.origin() + ":" + problems);
}

int32_t Municipal::max_months(const Event &opening_grant, const Params &params) const
{
    if (rule("max-duration").empty())
        return open_ended_months; // no maximum: until coaching.ended or the end of the employment
    return params.integer("max_duration_months", opening_grant.date);
}

// Role max-duration: extensions add at most max_extension_months in all (vpw: the uitloop of one year), when
// the pack sets it.
int32_t Municipal::max_extension_months(const Event &opening_grant, const Params &params) const
{
    if (rule("max-duration").empty() || !params.has("max_extension_months"))
        return -1;
    return params.integer("max_extension_months", opening_grant.date);
}

std::unique_ptr<RunState> Municipal::start_run() const
{
    if (rule("cluster").empty())
        return nullptr;
    return std::make_unique<ClusterRun>();
}

void Municipal::evaluate(const TrajectoryContext &ctx) const
{
    const Trajectory &t = ctx.t;
    const Params &params = ctx.params;
    const Emitter emit = ctx.emitter(scheme_);
    if (ctx.status != nullptr)
        ctx.status->level = level_in_force(t, std::min(ctx.as_of, t.close), params, "", t.start);
    for (const auto &role : roles_)
        if (!ctx.gather_only || role->gathers())
            role->evaluate(ctx, emit);
    if (ctx.gather_only)
        return;

    // Across schemes (docs/rules.md §6). The standard a grant's hours are compared with is the year's cap.
    evaluate_paid_work(emit, t, ctx.facts.contracts);
    evaluate_justification(emit, t, as_span(ctx.facts.of_type_in(t, EventType::budget_transferred)),
                           [&](const Event &g) -> std::optional<int64_t> {
                               if (rule("hour-cap").empty())
                                   return std::nullopt;
                               return HourCap::standard_minutes(ctx, g);
                           });
}

void Municipal::finish(RunState &state, const Params &params, Date as_of, FindingList &out) const
{
    evaluate_cluster(rule("cluster"), scheme_, static_cast<ClusterRun &>(state), params, as_of, out);
}

void Municipal::merge(RunState &into, RunState &from) const
{
    // evaluate_cluster groups the plans by employer and sorts them by due date and employee: their order here
    // does not matter.
    auto &plans = static_cast<ClusterRun &>(into).plans;
    auto &more = static_cast<ClusterRun &>(from).plans;
    plans.insert(plans.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    more.clear();
}

std::vector<std::unique_ptr<SchemeRules>> municipal_schemes(const RulePackSet &packs)
{
    std::vector<std::unique_ptr<SchemeRules>> out;
    for (const auto &[scheme, pack] : packs.all()) {
        if (pack.engine() != "gemeente")
            continue;
        out.push_back(std::make_unique<Municipal>(pack));
    }
    return out;
}

} // namespace jobcoach::gemeente
