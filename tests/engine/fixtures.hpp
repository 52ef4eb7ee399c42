// SPDX-License-Identifier: Apache-2.0
// Builds events and evaluates them with the real rule packs.
#pragma once

#include "uwv_extern.hpp"
#include "uwv_intern.hpp"
#include "municipal.hpp"

#include <jobcoach/rules/engine.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace jobcoach::test {

using rules::Date;
using rules::Event;
using rules::EventType;
using rules::Finding;

inline Date d(const char *iso) { return *Date::parse(iso); }

inline const rules::RulePackSet &packs()
{
    static const rules::RulePackSet set = rules::RulePackSet::load(
        {std::string(JC_TEST_SOURCE_DIR) + "/plugins/common/rulepacks", std::string(JC_TEST_SOURCE_DIR) + "/plugins/uwv/rulepacks",
         std::string(JC_TEST_SOURCE_DIR) + "/plugins/gemeente/rulepacks"});
    return set;
}

// Every scheme of the uwv and gemeente plugins, with the packs of `set`.
inline std::vector<std::unique_ptr<rules::SchemeRules>> all_schemes(const rules::RulePackSet &set = packs())
{
    std::vector<std::unique_ptr<rules::SchemeRules>> schemes;
    schemes.push_back(std::make_unique<uwv::UwvExtern>());
    schemes.push_back(std::make_unique<uwv::UwvIntern>());
    for (auto &m : gemeente::municipal_schemes(set))
        schemes.push_back(std::move(m));
    return schemes;
}

class Scenario {
public:
    std::string employee = "E-1";
    std::string scheme = "uwv-extern"; // of grants and extensions
    const rules::RulePackSet *pack_set = &packs();

    Event &add(EventType type, const char *date)
    {
        Event e;
        e.type = type;
        e.id = "ev-" + std::to_string(events.size() + 1);
        e.employee = employee;
        e.date = d(date);
        e.seq = static_cast<int64_t>(events.size() + 1);
        events.push_back(e);
        return events.back();
    }
    Event &contract(const char *start, double weekly_hours, const char *end = nullptr)
    {
        Event &e = add(EventType::contract_started, start);
        e.employer = "ACME";
        e.weekly_minutes = static_cast<int32_t>(weekly_hours * 60);
        if (end != nullptr)
            e.end = d(end);
        return e;
    }
    Event &grant(const char *date, const char *level = "midden", int64_t granted_minutes = -1)
    {
        Event &e = add(EventType::coaching_granted, date);
        e.scheme = scheme;
        e.level = level;
        e.granted_minutes = granted_minutes;
        return e;
    }
    Event &log(const char *date, int32_t minutes, const char *scheme = "")
    {
        Event &e = add(EventType::timesheet_logged, date);
        e.minutes = minutes;
        e.scheme = scheme;
        return e;
    }
    Event &visit(const char *date, rules::Activity activity = rules::Activity::visit)
    {
        Event &e = add(EventType::timesheet_logged, date);
        e.minutes = 60;
        e.scheme = scheme;
        e.activity = activity;
        return e;
    }
    Event &report(const char *date, const char *kind)
    {
        Event &e = add(EventType::report_submitted, date);
        e.kind = kind;
        return e;
    }
    Event &extend(const char *date, int32_t months, const char *justification = "")
    {
        Event &e = add(EventType::coaching_extended, date);
        e.scheme = scheme;
        e.months = months;
        e.justification = justification;
        return e;
    }

    std::vector<Finding> findings(const char *as_of) const
    {
        return rules::evaluate_all(events, d(as_of), all_schemes(*pack_set), *pack_set);
    }
    // The findings of one rule and kind.
    std::vector<Finding> of(const char *as_of, const std::string &rule, const std::string &kind) const
    {
        std::vector<Finding> out;
        for (auto &f : findings(as_of))
            if (f.rule == rule && f.kind == kind)
                out.push_back(f);
        return out;
    }

    std::vector<rules::TrajectoryStatus> status(const char *as_of) const
    {
        return rules::status_of(events, employee, d(as_of), all_schemes(*pack_set), *pack_set);
    }

    std::vector<Event> events;
};

// An open-ended 20 h/week contract and a uwv-extern midden grant, both from 2026-01-05.
inline Scenario standard()
{
    Scenario s;
    s.contract("2026-01-05", 20);
    s.grant("2026-01-05");
    return s;
}

} // namespace jobcoach::test
