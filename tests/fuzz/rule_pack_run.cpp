// SPDX-License-Identifier: Apache-2.0
#include "rule_pack_run.hpp"

#include "municipal.hpp"
#include "uwv_extern.hpp"
#include "uwv_intern.hpp"

#include <jobcoach/rules/engine.hpp>
#include <jobcoach/rules/rule_pack.hpp>

#include <string>
#include <vector>

using namespace jobcoach;
using rules::Date;
using rules::Event;
using rules::EventType;

namespace {

const rules::RulePackSet *shipped = nullptr;

Event event(EventType type, const char *id, const char *date)
{
    Event e;
    e.type = type;
    e.id = id;
    e.employee = "e1";
    e.date = *Date::parse(date);
    return e;
}

// One employee with a contract, a grant of `scheme`, weekly hours, a plan, an absence and an extension.
std::vector<Event> trajectory(const std::string &scheme)
{
    std::vector<Event> out;
    Event c = event(EventType::contract_started, "c", "2024-01-08");
    c.employer = "w1";
    c.weekly_minutes = 2160;
    out.push_back(c);
    Event g = event(EventType::coaching_granted, "g", "2024-01-08");
    g.scheme = scheme;
    out.push_back(g);
    const Date start = *Date::parse("2024-01-10");
    for (int week = 0; week < 60; ++week) {
        Event t = event(EventType::timesheet_logged, "", "2024-01-10");
        t.id = "t" + std::to_string(week);
        t.date = Date{start.days + 7 * week};
        t.minutes = 240;
        t.activity = week % 3 == 0 ? rules::Activity::visit : rules::Activity::coaching;
        out.push_back(t);
    }
    Event r = event(EventType::report_submitted, "r", "2024-02-01");
    r.kind = "plan";
    out.push_back(r);
    out.push_back(event(EventType::absence_started, "a1", "2024-06-03"));
    out.push_back(event(EventType::absence_ended, "a2", "2024-09-02"));
    Event x = event(EventType::coaching_extended, "x", "2025-12-01");
    x.scheme = scheme;
    x.months = 12;
    out.push_back(x);
    for (size_t i = 0; i < out.size(); ++i)
        out[i].seq = static_cast<int64_t>(i + 1);
    return out;
}

} // namespace

namespace jobcoach::fuzz {

void load_shipped_packs()
{
    static const rules::RulePackSet set = rules::RulePackSet::load(
        {JOBCOACH_SOURCE_DIR "/plugins/common/rulepacks", JOBCOACH_SOURCE_DIR "/plugins/uwv/rulepacks",
         JOBCOACH_SOURCE_DIR "/plugins/gemeente/rulepacks"});
    shipped = &set;
}

bool run_rule_pack(std::string_view json)
{
    try {
        rules::RulePack pack = rules::RulePack::parse(json, "fuzz.json");
        for (const std::string &id : pack.rule_ids()) {
            (void)pack.rule_source(id);
            (void)pack.rule_attribute(id, "role");
        }
        const std::string scheme = pack.scheme();
        rules::RulePackSet set = *shipped;
        set.add(std::move(pack));

        std::vector<std::unique_ptr<rules::SchemeRules>> schemes;
        schemes.push_back(std::make_unique<uwv::UwvExtern>());
        schemes.push_back(std::make_unique<uwv::UwvIntern>());
        for (auto &m : gemeente::municipal_schemes(set))
            schemes.push_back(std::move(m));
        const rules::RulePack &common = set.get("common");
        for (const auto &s : schemes)
            s->check(rules::Params(set.get(s->scheme()), common));

        const std::vector<Event> events = trajectory(scheme);
        for (const char *as_of : {"2024-03-01", "2025-01-31", "2026-12-31"}) {
            (void)rules::evaluate_all(events, *Date::parse(as_of), schemes, set);
            (void)rules::status_of(events, "e1", *Date::parse(as_of), schemes, set);
        }
        return true;
    } catch (const rules::RulePackError &) {
        return false; // refused, with the file and the member named: what a bad pack must get
    }
}

} // namespace jobcoach::fuzz
