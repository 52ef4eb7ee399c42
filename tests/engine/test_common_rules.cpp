// SPDX-License-Identifier: Apache-2.0
// The rules shared by every scheme (docs/rules.md §6: the Leidraad, the definition of jobcoaching, no hour lost)
// and the convention that findings follow the dated facts, not their arrival (C-6), on their boundaries.
#include "engine/fixtures.hpp"

#include <jobcoach/rules/evaluate_everyone.hpp>
#include <jobcoach/rules/event_store.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>
#include <span>

using namespace jobcoach::test;
namespace rules = jobcoach::rules;

// Across schemes (§6) ------------------------------------------------------------------------------------------

TEST(PaidWork, UnpaidWorkWithoutProspectIsNotJobcoaching)
{
    Scenario s;
    s.contract("2026-01-05", 20).paid = false;
    s.events[0].paid_prospect = false;
    s.grant("2026-01-05");
    EXPECT_EQ(s.of("2026-01-05", "jobcoaching.paid-work", "eligibility.not_jobcoaching").size(), 1u);
    s.events[0].paid_prospect = true; // social activation with a prospect of paid work is allowed
    EXPECT_TRUE(s.of("2026-01-05", "jobcoaching.paid-work", "eligibility.not_jobcoaching").empty());
}

TEST(Unassigned, CoachingWithoutAnOpenTrajectory)
{
    Scenario s;
    s.contract("2026-01-05", 20);
    s.log("2026-01-04", 30);                 // before any trajectory
    s.grant("2026-01-05");
    s.log("2026-01-05", 30);                 // inside: counted
    s.log("2026-02-01", 30, "vpw");          // names a scheme with no trajectory at all
    const auto f = s.of("2026-03-01", "coaching.unassigned", "coaching.unassigned");
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].scheme, "any");
    EXPECT_EQ(f[0].due, d("2026-01-04"));
    EXPECT_EQ(f[1].scheme, "vpw");
    // Hours of another plugin's open trajectory are left to that plugin.
    Event &vpw = s.add(EventType::coaching_granted, "2026-01-20");
    vpw.scheme = "vpw";
    EXPECT_EQ(s.of("2026-03-01", "coaching.unassigned", "coaching.unassigned").size(), 1u);
}

TEST(Justification, DeviationsWithoutAJustification)
{
    Scenario s = standard();
    s.extend("2028-09-01", 6);
    const auto f = s.of("2028-09-02", "leidraad.justification", "deviation.unjustified");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].subject, s.events.back().id);
    s.events.back().justification = "Tijdelijke disbalans thuis; UWV besluit 2028-09-01";
    EXPECT_TRUE(s.of("2028-09-02", "leidraad.justification", "deviation.unjustified").empty());

    Scenario intensief;
    intensief.contract("2026-01-05", 20);
    intensief.grant("2026-01-05", "intensief");
    EXPECT_EQ(intensief.of("2026-01-06", "leidraad.justification", "deviation.unjustified").size(), 1u);

    // Granted hours above the standard (midden, 3102 minutes in period 1) need a justification too.
    Scenario above = standard();
    above.events[1].granted_minutes = 3103;
    EXPECT_EQ(above.of("2026-01-06", "leidraad.justification", "deviation.unjustified").size(), 1u);
    above.events[1].granted_minutes = 3102;
    EXPECT_TRUE(above.of("2026-01-06", "leidraad.justification", "deviation.unjustified").empty());
}

// C-6 ----------------------------------------------------------------------------------------------------------

TEST(AsOf, FindingsDoNotDependOnArrivalOrderAndIgnoreLaterEvents)
{
    Scenario s = standard();
    s.log("2026-02-02", 1440 * 3, "uwv-extern");
    s.report("2026-07-20", "period-report");
    s.log("2026-09-01", 60, "uwv-extern");
    auto key = [](const std::vector<Finding> &fs) {
        std::vector<std::string> out;
        for (const auto &f : fs)
            out.push_back(f.rule + "|" + f.kind + "|" + f.subject + "|" + (f.due ? f.due->iso() : "") + "|" + f.message_en);
        return out;
    };
    const auto forward = key(s.findings("2026-08-15"));
    Scenario reversed = s;
    std::reverse(reversed.events.begin(), reversed.events.end());
    for (size_t i = 0; i < reversed.events.size(); ++i)
        reversed.events[i].seq = static_cast<int64_t>(i + 1);
    EXPECT_EQ(key(reversed.findings("2026-08-15")), forward);
    EXPECT_FALSE(forward.empty());
}

// C-5, R-7: assign_timesheets keeps one decision for the unnamed entries up to the next day a trajectory or
// contract changes. Against every entry weighed on its own (the rule written out plainly), on random employees:
// trajectories of ours and another plugin's that start, close and pass their maximum end around the entries,
// contracts with gaps, entries naming no scheme, ours, the other's or one nobody runs.
namespace {

rules::Assignment assign_one_by_one(std::span<const Event *const> events, const std::vector<const rules::Trajectory *> &own,
                                    const std::vector<const rules::Trajectory *> &foreign,
                                    const rules::ContractTimeline &contracts, const rules::AssignmentScope &scope)
{
    rules::Assignment a;
    auto judges = [&](const rules::Trajectory *t) {
        return std::find(own.begin(), own.end(), t) != own.end() && scope.judge_outside_contract.count(t->scheme) > 0;
    };
    for (const Event *e : events) {
        if (e->type != EventType::timesheet_logged)
            continue;
        const bool named = !e->scheme.empty();
        auto is = [&](const std::vector<const rules::Trajectory *> &list) {
            return std::any_of(list.begin(), list.end(), [&](const rules::Trajectory *t) { return t->scheme == e->scheme; });
        };
        if (named && !is(own) && is(foreign))
            continue;
        const rules::Trajectory *open = nullptr, *latest = nullptr;
        bool open_is_own = false, latest_is_own = false;
        for (const auto *list : {&own, &foreign})
            for (const rules::Trajectory *t : *list) {
                if ((named && t->scheme != e->scheme) || t->start > e->date)
                    continue;
                if (latest == nullptr || t->start > latest->start)
                    latest = t, latest_is_own = list == &own;
                if (t->contains(e->date) && (open == nullptr || t->start > open->start))
                    open = t, open_is_own = list == &own;
            }
        const auto outside = [&](const rules::Trajectory *t) { return judges(t) && !contracts.has_contract(e->date); };
        if (open != nullptr) {
            if (!open_is_own)
                continue;
            a.counted[open].push_back(e);
            if (outside(open))
                a.outside_contract.emplace_back(open, e);
        } else if (latest != nullptr) {
            if (!latest_is_own)
                continue;
            if (latest->reason == rules::CloseReason::max_duration && e->date > latest->max_end)
                a.after_max_end[latest].push_back(e);
            else if (outside(latest))
                a.outside_contract.emplace_back(latest, e);
            else
                a.unassigned.push_back(e);
        } else if (named && scope.served.count(e->scheme) > 0 ? scope.own_schemes.count(e->scheme) > 0
                                                              : scope.reports_unclaimed()) {
            a.unassigned.push_back(e);
        }
    }
    return a;
}

} // namespace

TEST(Unassigned, EachEntryGoesWhereWeighingItOnItsOwnSendsIt)
{
    std::mt19937 rng(20261203);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
    const Date base = d("2024-01-01");
    size_t entries_seen = 0, unassigned_seen = 0, outside_seen = 0, after_max_seen = 0;
    rules::Assignment reused; // assigned into round after round, as an evaluation does employee after employee
    for (int round = 0; round < 400; ++round) {
        std::vector<Event> storage;
        storage.reserve(200);
        // Contracts: up to three, with gaps, some ended.
        int day = pick(40);
        for (int c = pick(4); c > 0; --c) {
            Event &e = storage.emplace_back();
            e.type = EventType::contract_started;
            e.date = rules::add_days(base, day);
            e.weekly_minutes = 1200;
            e.employer = "W-1";
            if (pick(3) > 0)
                e.end = rules::add_days(e.date, 30 + pick(200));
            day += 40 + pick(250);
        }
        // Entries every few days, some naming a scheme.
        const char *schemes[] = {"", "", "", "uwv-extern", "vpw", "uwv-intern", "nobody-runs-this"};
        for (int k = 0, at = 0; k < 120; ++k, at += 1 + pick(6)) {
            Event &e = storage.emplace_back();
            e.type = EventType::timesheet_logged;
            e.id = "t-" + std::to_string(k);
            e.date = rules::add_days(base, at);
            e.minutes = 30;
            e.scheme = schemes[pick(7)];
        }
        std::stable_sort(storage.begin(), storage.end(), [](const Event &a, const Event &b) { return a.date < b.date; });
        std::vector<const Event *> events;
        for (const Event &e : storage)
            events.push_back(&e);
        const auto contracts = rules::ContractTimeline::build(events, d("2099-12-31"));
        // Trajectories of ours (uwv-extern) and of another plugin (vpw), closing at their maximum end or earlier.
        std::vector<rules::Trajectory> made(static_cast<size_t>(1 + pick(3)));
        std::vector<const rules::Trajectory *> own, foreign;
        for (auto &t : made) {
            t.scheme = pick(3) > 0 ? "uwv-extern" : "vpw";
            t.start = rules::add_days(base, pick(500));
            t.max_end = rules::add_days(t.start, 20 + pick(200));
            t.reason = pick(2) == 0 ? rules::CloseReason::max_duration : rules::CloseReason::coaching_ended;
            t.close = t.reason == rules::CloseReason::max_duration ? t.max_end : rules::add_days(t.start, pick(220));
            (t.scheme == "uwv-extern" ? own : foreign).push_back(&t);
        }
        rules::AssignmentScope scope;
        scope.served = {"uwv-extern", "uwv-intern", "vpw"};
        scope.own_schemes = {"uwv-extern"}; // the plugin that reports the unclaimed entries (R-7)
        scope.judge_outside_contract = {"uwv-extern"};
        if (round % 2 == 1) { // the other plugin's view: vpw is ours, and the unclaimed entries are not
            std::swap(own, foreign);
            scope.own_schemes = {"vpw"};
            scope.judge_outside_contract.clear();
        }
        const auto got = rules::assign_timesheets(events, own, foreign, contracts, scope);
        const auto expected = assign_one_by_one(events, own, foreign, contracts, scope);
        ASSERT_EQ(got.counted, expected.counted) << "round " << round;
        ASSERT_EQ(got.after_max_end, expected.after_max_end) << "round " << round;
        ASSERT_EQ(got.outside_contract, expected.outside_contract) << "round " << round;
        ASSERT_EQ(got.unassigned, expected.unassigned) << "round " << round;
        // Into the lists of the rounds before: nothing of them is left, nothing counted twice.
        rules::assign_timesheets(events, own, foreign, contracts, scope, reused);
        ASSERT_EQ(reused.counted, expected.counted) << "round " << round;
        ASSERT_EQ(reused.after_max_end, expected.after_max_end) << "round " << round;
        ASSERT_EQ(reused.outside_contract, expected.outside_contract) << "round " << round;
        ASSERT_EQ(reused.unassigned, expected.unassigned) << "round " << round;
        entries_seen += 120;
        unassigned_seen += got.unassigned.size();
        outside_seen += got.outside_contract.size();
        for (const auto &[t, list] : got.after_max_end)
            after_max_seen += list.size();
    }
    // The rounds reach every outcome, not only the common one.
    EXPECT_GT(unassigned_seen, entries_seen / 50);
    EXPECT_GT(outside_seen, entries_seen / 100);
    EXPECT_GT(after_max_seen, entries_seen / 100);
}

// R-7 for an employee none of whose events names one of the plugin's schemes (the uwv plugin meets every employee
// of the municipal schemes): the plugin passes such an employee over, from a glance at its stored row before it is
// decoded (UnclaimedGlance over EventStore::Glance) or from its decoded events (nothing_unclaimed), only when the
// full evaluation would find no grant of a scheme nobody runs and no entry that no trajectory claims. On random
// employees with grants, extensions and ends of another plugin's scheme (some of a scheme nobody runs), contracts,
// entries naming no scheme, that one, or one nobody runs, and retractions of entries (and, rarely, of any event);
// and on the boundary: an entry the day before the first grant, on its day and after it.
TEST(Unassigned, AnEmployeeOfOtherSchemesIsPassedOverOnlyWhenNothingOfItGoesUnclaimed)
{
    rules::AssignmentScope scope;
    scope.served = {"uwv-extern", "uwv-intern", "vpw"};
    scope.own_schemes = {"uwv-extern", "uwv-intern"}; // the plugin that reports the unclaimed entries
    scope.judge_outside_contract = {"uwv-extern", "uwv-intern"};
    const std::vector<std::string> own_names = {"uwv-extern", "uwv-intern"};
    const Date as_of = d("2025-06-30");
    // The events the evaluation keeps (Evaluation::employee): dated on or before as_of, not taken back by an
    // event.retracted, and for an entry not by a timesheet.retracted dated on or before as_of; in date order.
    auto in_force = [&](const std::vector<Event> &storage) {
        std::set<std::string> never_sent, retracted;
        for (const Event &e : storage) {
            if (e.type == EventType::event_retracted)
                never_sent.insert(e.retracts);
            if (e.type == EventType::timesheet_retracted && e.date <= as_of)
                retracted.insert(e.retracts);
        }
        std::vector<const Event *> out;
        for (const Event &e : storage)
            if (e.date <= as_of && e.type != EventType::event_retracted && never_sent.count(e.id) == 0 &&
                !(e.type == EventType::timesheet_logged && retracted.count(e.id) > 0))
                out.push_back(&e);
        std::stable_sort(out.begin(), out.end(), [](const Event *a, const Event *b) { return a->date < b->date; });
        return out;
    };
    // Whether the full evaluation finds anything: a grant of a scheme nobody runs, or an entry left unassigned.
    auto finds_something = [&](const std::vector<const Event *> &events) {
        const auto contracts = rules::ContractTimeline::build(events, as_of);
        const auto foreign = rules::build_foreign_trajectories(events, own_names, scope.served, contracts);
        std::vector<const rules::Trajectory *> foreign_ptrs;
        for (const auto &t : foreign)
            foreign_ptrs.push_back(&t);
        const bool unknown = std::any_of(events.begin(), events.end(), [&](const Event *e) {
            return e->type == EventType::coaching_granted && scope.served.count(e->scheme) == 0;
        });
        return unknown || !rules::assign_timesheets(events, {}, foreign_ptrs, contracts, scope).unassigned.empty();
    };
    // The glance at the employee's row as the plugin stores it.
    auto glance_passes = [&](std::vector<Event> storage) {
        rules::EventStore store("", "nl.jobcoach.uwv");
        std::vector<Event *> pointers;
        for (Event &e : storage)
            pointers.push_back(&e);
        EXPECT_EQ(store.append(pointers).conflicts.size(), 0u);
        bool passed = false;
        store.for_each_row_with_firsts([&](std::string_view key, std::string_view row, std::string_view firsts) {
            passed = rules::nothing_unclaimed_in_row(row, key, scope, as_of);
            // The row's kept firsts tell the same on their own (UnclaimedGlance over each first), and so does
            // the plugin's test from them; without them it glances at the row.
            const rules::EventStore::Firsts kept(firsts);
            ASSERT_TRUE(kept.known() && kept.of(row));
            rules::UnclaimedGlance from_firsts(scope, as_of);
            bool all = true;
            rules::EventStore::Firsts each(firsts);
            for (rules::EventStore::First f; all && each.next(f);)
                all = from_firsts.add(f.type, f.date, f.scheme);
            EXPECT_EQ(all && from_firsts.nothing_unclaimed(), passed);
            EXPECT_EQ(rules::nothing_unclaimed_in_firsts(kept, row, key, scope, as_of), passed);
            EXPECT_EQ(rules::nothing_unclaimed_in_firsts(rules::EventStore::Firsts({}), row, key, scope, as_of),
                      passed);
        });
        return passed;
    };
    // The plugin's test from the firsts kept for `kept_for` beside the row of `now` (a row written since by a
    // plugin that did not keep them): the row decides.
    auto stale_firsts_pass = [&](std::vector<Event> kept_for, std::vector<Event> now) {
        auto row_and_firsts = [](std::vector<Event> &storage) {
            rules::EventStore store("", "nl.jobcoach.uwv");
            std::vector<Event *> pointers;
            for (Event &e : storage)
                pointers.push_back(&e);
            EXPECT_EQ(store.append(pointers).conflicts.size(), 0u);
            std::pair<std::string, std::string> out;
            store.for_each_row_with_firsts([&](std::string_view, std::string_view row, std::string_view firsts) {
                out = {std::string(row), std::string(firsts)};
            });
            return out;
        };
        const auto before = row_and_firsts(kept_for);
        const auto after = row_and_firsts(now);
        return rules::nothing_unclaimed_in_firsts(rules::EventStore::Firsts(before.second), after.first, "E-1", scope,
                                                  as_of);
    };

    // The boundary: one vpw grant on 2025-03-02 and one entry naming no scheme.
    for (const auto &[entry, unclaimed] :
         {std::pair{"2025-03-01", true}, std::pair{"2025-03-02", false}, std::pair{"2025-03-03", false}}) {
        Scenario s;
        s.scheme = "vpw";
        s.contract("2025-01-06", 20);
        s.grant("2025-03-02");
        s.log(entry, 30);
        const auto events = in_force(s.events);
        EXPECT_EQ(finds_something(events), unclaimed) << entry;
        EXPECT_EQ(rules::nothing_unclaimed(events, scope), !unclaimed) << entry;
        EXPECT_EQ(glance_passes(s.events), !unclaimed) << entry;
    }
    {
        // The firsts of a row with nothing unclaimed, beside the row after an entry the day before the grant.
        Scenario s;
        s.scheme = "vpw";
        s.contract("2025-01-06", 20);
        s.grant("2025-03-02");
        s.log("2025-03-03", 30);
        const std::vector<Event> kept_for = s.events;
        s.log("2025-03-01", 30);
        EXPECT_TRUE(glance_passes(kept_for));
        EXPECT_FALSE(glance_passes(s.events));
        EXPECT_FALSE(stale_firsts_pass(kept_for, s.events));
        EXPECT_TRUE(stale_firsts_pass(kept_for, kept_for));
    }

    // A grant taken back (event.retracted) leaves the entry after it unclaimed; an entry taken back
    // (timesheet.retracted) leaves nothing more unclaimed.
    for (const EventType taking : {EventType::event_retracted, EventType::timesheet_retracted}) {
        Scenario s;
        s.scheme = "vpw";
        s.contract("2025-01-06", 20);
        const std::string grant = s.grant("2025-03-02").id;
        const std::string entry = s.log("2025-03-03", 30).id;
        s.add(taking, "2025-03-04").retracts = taking == EventType::event_retracted ? grant : entry;
        const bool unclaimed = taking == EventType::event_retracted;
        EXPECT_EQ(finds_something(in_force(s.events)), unclaimed);
        EXPECT_EQ(glance_passes(s.events), !unclaimed);
    }

    std::mt19937 rng(20261204);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
    const Date base = d("2024-01-01");
    int passed_over = 0, glanced_over = 0, found = 0;
    const int rounds = 600;
    for (int round = 0; round < rounds; ++round) {
        std::vector<Event> storage;
        auto add = [&](EventType type, int day) -> Event & {
            Event &e = storage.emplace_back();
            e.type = type;
            e.id = "e-" + std::to_string(storage.size());
            e.employee = "E-1";
            e.date = rules::add_days(base, day);
            return e;
        };
        for (int c = pick(3); c > 0; --c)
            add(EventType::contract_started, pick(300)).weekly_minutes = 1200;
        for (int g = pick(3); g > 0; --g) {
            // (add() may move the events: what a later one needs of the grant is copied first.)
            const int day = pick(400);
            const std::string scheme = pick(12) == 0 ? "nobody-runs-this" : "vpw";
            Event &grant = add(EventType::coaching_granted, day);
            grant.scheme = scheme;
            grant.level = "midden";
            if (pick(3) == 0)
                add(EventType::coaching_ended, day + pick(200)).scheme = scheme;
            if (pick(4) == 0)
                add(EventType::coaching_extended, day + pick(300)).scheme = scheme;
        }
        const char *named[] = {"", "", "", "", "", "", "vpw", "vpw", "nobody-runs-this"};
        const int first = pick(200);
        for (int k = 0, at = first; k < 30; ++k, at += 1 + pick(14))
            add(EventType::timesheet_logged, at).scheme = named[pick(pick(20) == 0 ? 9 : 8)];
        // Retractions: of entries (some dated after as_of, so not yet in force), and rarely of any event.
        for (int r = pick(4); r > 0; --r) {
            const Event &target = storage[static_cast<size_t>(pick(static_cast<int>(storage.size())))];
            const bool any = pick(10) == 0;
            if (!any && target.type != EventType::timesheet_logged)
                continue; // a timesheet.retracted names an entry only (the plugin refuses others)
            const std::string id = target.id; // (add() may move the events)
            add(any ? EventType::event_retracted : EventType::timesheet_retracted, pick(700)).retracts = id;
        }
        for (size_t i = 0; i < storage.size(); ++i)
            storage[i].seq = static_cast<int64_t>(i + 1);
        const auto events = in_force(storage);
        const bool something = finds_something(events);
        if (rules::nothing_unclaimed(events, scope)) {
            ++passed_over;
            ASSERT_FALSE(something) << "round " << round << ": passed over, but the full evaluation finds something";
        }
        if (glance_passes(storage)) {
            ++glanced_over;
            ASSERT_FALSE(something) << "round " << round << ": glanced over, but the full evaluation finds something";
        }
        found += something ? 1 : 0;
    }
    // Both kinds of employee are met, and most of those with nothing unclaimed are passed over, by a glance too.
    EXPECT_GT(found, rounds / 10);
    EXPECT_GT(passed_over, (rounds - found) / 2);
    EXPECT_GT(glanced_over, (rounds - found) / 2);
}

// Evaluation::employee keeps the events in force in one pass (and a second one where a correction or a later
// date takes some out): what it keeps must not depend on the order the events arrived in, and a retracted record
// of any type must count as never sent. An employee's history as it arrived (out of date order, with
// corrections, and with events dated after as_of) gives exactly the findings of the same history without what
// the corrections take out, in date order; so does the history in date order with its corrections.
TEST(EventsInForce, ArrivalOrderAndCorrectionsGiveTheFindingsOfTheCleanHistory)
{
    const char *as_of = "2027-02-10";
    // Each event: whether the clean history has it, and how to add it (arrival = position in the list).
    struct Step {
        bool clean;
        std::function<void(Scenario &)> add;
    };
    const auto taking_back = [](EventType type, const char *date, const char *id, const char *retracts) {
        return [=](Scenario &s) {
            Event &e = s.add(type, date);
            e.id = id;
            e.retracts = retracts;
        };
    };
    const std::vector<Step> arrived = {
        // An extension first, before the grant it extends (the events other than entries out of order too).
        {true, [](Scenario &s) { s.extend("2026-12-20", 6, "Langdurig ziek.").id = "x-0"; }},
        {true, [](Scenario &s) { s.log("2026-03-02", 240).id = "late-1"; }},
        {true, [](Scenario &s) { s.contract("2026-01-05", 20).id = "c-1"; }},
        {true, [](Scenario &s) { s.grant("2026-01-05").id = "g-1"; }},
        {true, [](Scenario &s) { s.log("2026-02-02", 300).id = "t-1"; }},
        {false, [](Scenario &s) { s.log("2026-02-09", 600).id = "t-2"; }},   // taken back below, before as_of
        {false, [](Scenario &s) { s.report("2026-07-20", "period-report").id = "r-1"; }}, // never sent
        {false, [](Scenario &s) { s.extend("2026-12-01", 6).id = "x-1"; }},  // never sent
        {true, [](Scenario &s) { s.log("2026-04-06", 120).id = "t-3"; }},
        {false, [](Scenario &s) { s.log("2027-03-01", 90, "nobody-runs-this").id = "after"; }}, // after as_of
        {false, taking_back(EventType::timesheet_retracted, "2026-02-12", "u-1", "t-2")},
        {false, taking_back(EventType::event_retracted, "2026-08-01", "u-2", "r-1")},
        {false, taking_back(EventType::event_retracted, "2026-12-02", "u-3", "x-1")},
        // A timesheet.retracted dated after as_of is not in force yet: t-3 still counts.
        {false, taking_back(EventType::timesheet_retracted, "2027-03-02", "u-4", "t-3")},
        {true, [](Scenario &s) { s.log("2026-01-12", 60).id = "early"; }},
    };
    const auto shown = [&](const Scenario &s) {
        std::vector<std::string> out;
        for (const Finding &f : s.findings(as_of))
            out.push_back(f.id + " " + f.rule + " " + f.kind + " " + f.subject + " " +
                          (f.due ? f.due->iso() : "-") + " " + std::to_string(f.observed_minutes.value_or(-1)) + " " +
                          std::to_string(f.limit_minutes.value_or(-1)) + " " + f.message_en);
        // The trajectories too: the extension moves the maximum end, which no finding shows before it nears.
        for (const auto &t : s.status(as_of))
            out.push_back(t.scheme + " #" + std::to_string(t.number) + " " + t.start.iso() + ".." +
                          t.max_end.iso() + " closes " + t.close.iso());
        return out;
    };
    Scenario as_arrived, corrected_in_order, clean;
    for (const Step &step : arrived) {
        step.add(as_arrived);
        if (step.clean)
            step.add(clean);
    }
    // The same events in date order (arrival breaking ties), numbered in that order.
    corrected_in_order.events = as_arrived.events;
    std::stable_sort(corrected_in_order.events.begin(), corrected_in_order.events.end(),
                     [](const Event &a, const Event &b) { return a.date < b.date; });
    for (size_t i = 0; i < corrected_in_order.events.size(); ++i)
        corrected_in_order.events[i].seq = static_cast<int64_t>(i + 1);
    std::stable_sort(clean.events.begin(), clean.events.end(),
                     [](const Event &a, const Event &b) { return a.date < b.date; });
    for (size_t i = 0; i < clean.events.size(); ++i)
        clean.events[i].seq = static_cast<int64_t>(i + 1);

    const auto expected = shown(clean);
    ASSERT_FALSE(expected.empty());
    // (The grant's trajectory ends later than it would without the extension that arrived first.)
    Scenario no_extension = clean;
    std::erase_if(no_extension.events, [](const Event &e) { return e.id == "x-0"; });
    ASSERT_EQ(clean.status(as_of).size(), 1u);
    ASSERT_EQ(no_extension.status(as_of).size(), 1u);
    EXPECT_GT(clean.status(as_of)[0].max_end, no_extension.status(as_of)[0].max_end);
    // The clean history's findings show what the corrections take out: period report 1 is missing (r-1 is never
    // sent), and the budget counts 60 + 300 + 240 + 120 minutes (t-2 taken back, t-3 still in, `after` later).
    const auto reports = clean.of(as_of, "uwv-extern.period-report", "report.overdue");
    ASSERT_FALSE(reports.empty());
    EXPECT_EQ(reports.front().subject, "period-report#1");
    EXPECT_EQ(shown(as_arrived), expected);
    EXPECT_EQ(shown(corrected_in_order), expected);

    // Without any correction (the one-pass case, when every event is in force), the order of arrival changes
    // nothing either.
    Scenario plain_arrived, plain_in_order;
    for (const Step &step : arrived)
        if (step.clean)
            step.add(plain_arrived);
    // (With one entry dated after as_of, which never counts: in force it would go unassigned, naming a scheme no
    // plugin runs.)
    plain_arrived.log("2027-03-01", 90, "nobody-runs-this").id = "after";
    plain_in_order.events = clean.events;
    EXPECT_EQ(shown(plain_arrived), shown(plain_in_order));
    EXPECT_EQ(shown(plain_in_order), expected);
    // evaluate_all leaves out the events after as_of before the evaluation sees them; evaluating everyone from a
    // store hands the evaluation every stored event. Both histories as stored give the findings of the clean one.
    const auto from_store = [&](std::vector<Event> storage) {
        rules::EventStore store("", "nl.jobcoach.uwv");
        std::vector<Event *> pointers;
        for (Event &e : storage)
            pointers.push_back(&e);
        EXPECT_EQ(store.append(pointers).conflicts.size(), 0u);
        std::vector<std::string> out;
        rules::evaluate_everyone(store, d(as_of), all_schemes(), packs(), 1,
                                 [&](std::string_view, rules::FindingList &findings) {
                                     for (const Finding &f : findings) {
                                         out.push_back(f.id + " " + f.kind + " " + f.message_en);
                                         // Their pack texts are views of the packs' strings (PackText), not
                                         // copies: the packs outlive the call.
                                         EXPECT_TRUE(f.source.borrowed() && f.title_en.borrowed()) << f.rule;
                                         const rules::RulePack &common = packs().get("common");
                                         const rules::RulePack &pack =
                                             common.has_rule(f.rule) ? common : packs().get(f.scheme);
                                         EXPECT_EQ(f.source.data(), pack.rule_citation(f.rule).data()) << f.rule;
                                     }
                                 });
        return out;
    };
    const auto clean_from_store = from_store(clean.events);
    ASSERT_FALSE(clean_from_store.empty());
    EXPECT_EQ(from_store(plain_arrived.events), clean_from_store);
    EXPECT_EQ(from_store(as_arrived.events), clean_from_store);
}
