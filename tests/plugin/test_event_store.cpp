// SPDX-License-Identifier: Apache-2.0
// The plugins' state (EventStore, schema 4: a row per employee): every member of every event survives its
// record; states of schema 1, 2 and 3 are rewritten as schema 4 when opened, their events and reported findings
// kept and arrival order continued; a damaged row is an error naming the employee, and the event when it can.
#include <jobcoach/rules/event_store.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using jobcoach::rules::Activity;
using jobcoach::rules::Date;
using jobcoach::rules::EndChange;
using jobcoach::rules::Event;
using jobcoach::rules::EventStore;
using jobcoach::rules::EventType;
using testing::HasSubstr;

namespace {

const char *const owner = "nl.jobcoach.uwv";

struct TempDir {
    fs::path dir = fs::temp_directory_path() / ("jc-store-" + std::to_string(::getpid()) + "-" +
                                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    TempDir() { fs::create_directories(dir); }
    ~TempDir() { fs::remove_all(dir); }
    std::string file(const char *name) const { return (dir / name).string(); }
};

Event event(const char *id, const char *employee, EventType type, const char *date)
{
    Event e;
    e.id = id;
    e.employee = employee;
    e.type = type;
    e.date = Date::parse(date).value();
    return e;
}

// Events whose members differ from their defaults in every way the store must keep, and ones left at them.
std::vector<Event> varied_events()
{
    std::vector<Event> out;
    Event c = event("c-1", "E-1", EventType::contract_started, "2024-02-29");
    c.employer = "Café Één";
    c.weekly_minutes = 0; // zero is not "unchanged" (-1)
    c.end = Date::parse("2026-12-31");
    c.paid = false;
    c.paid_prospect = false;
    out.push_back(c);
    Event changed = event("c-2", "E-1", EventType::contract_changed, "2025-01-31");
    changed.end_change = EndChange::open;
    out.push_back(changed);
    Event set_end = event("c-3", "E-1", EventType::contract_changed, "1900-03-01");
    set_end.end_change = EndChange::set;
    set_end.end = Date::parse("2199-12-31");
    set_end.weekly_minutes = 3600;
    out.push_back(set_end);
    Event g = event("g-1", "E-1", EventType::coaching_granted, "2024-03-01");
    g.scheme = "uwv-extern";
    g.level = "hoog";
    g.granted_minutes = int64_t{1} << 40;
    g.prior_months = 0;
    g.coach_form = "intern";
    g.justification = jobcoach::rules::justification_given;
    out.push_back(g);
    Event x = event("x-1", "E-1", EventType::coaching_extended, "2026-02-28");
    x.scheme = "uwv-extern";
    x.months = 120;
    out.push_back(x);
    Event t = event("t-1", "E-1", EventType::timesheet_logged, "2024-03-04");
    t.minutes = 1440;
    t.activity = Activity::contact;
    t.coach = "C-7";
    out.push_back(t);
    Event plain = event("t-2", "E-2", EventType::timesheet_logged, "2024-03-05");
    out.push_back(plain); // every member at its default
    Event r = event("r-1", "E-1", EventType::timesheet_retracted, "2024-03-06");
    r.retracts = "t-1";
    out.push_back(r);
    Event rep = event("rep-1", "E-1", EventType::report_submitted, "2024-06-01");
    rep.kind = "period-report";
    rep.scheme = "uwv-extern";
    out.push_back(rep);
    Event b = event("b-1", "E-1", EventType::budget_transferred, "2024-07-01");
    b.minutes = -600;
    out.push_back(b);
    return out;
}

// Stores `events` in a new state at `path` (each gets its seq) and closes it; whether each was stored.
std::vector<bool> store_new(const std::string &path, std::vector<Event> &events)
{
    EventStore store(path, owner);
    std::vector<Event *> pointers;
    for (Event &e : events)
        pointers.push_back(&e);
    return store.append(pointers).stored;
}

// The schema-2 layout (and, with `schema` 1, schema 1's: no indexes, no reported table, no plugin id), written
// with plain SQL as the plugins of ABI 1.0 to 1.2 wrote it, holding two events of E-1 and one of E-2.
void write_old_state(const std::string &path, int schema)
{
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    db.exec("CREATE TABLE events(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type INTEGER NOT NULL,"
            " employee TEXT NOT NULL, date INTEGER NOT NULL, employer TEXT, weekly_minutes INTEGER, end_date INTEGER,"
            " end_change INTEGER, paid INTEGER, paid_prospect INTEGER, scheme TEXT, level TEXT,"
            " granted_minutes INTEGER, prior_months INTEGER, coach_form TEXT, justification TEXT, months INTEGER,"
            " minutes INTEGER, activity INTEGER, coach TEXT, retracts TEXT, kind TEXT)");
    db.exec("INSERT INTO meta VALUES('schema_version', '" + std::to_string(schema) + "')");
    if (schema >= 2) {
        db.exec(std::string("INSERT INTO meta VALUES('plugin_id', '") + owner + "')");
        db.exec("CREATE INDEX events_by_employee ON events(employee, seq)");
        db.exec("CREATE INDEX events_by_employer ON events(employer) WHERE employer IS NOT NULL");
        db.exec("CREATE TABLE reported(employee TEXT NOT NULL, id TEXT NOT NULL, employer_level INTEGER NOT NULL,"
                " finding BLOB NOT NULL, PRIMARY KEY(employee, id)) WITHOUT ROWID");
        db.exec("INSERT INTO reported VALUES('E-1', '00000000000000ab', 0, x'0102')");
    }
    const int started = Date::parse("2024-01-01")->days;
    db.exec("INSERT INTO events VALUES(5, 'c-1', 1, 'E-1', " + std::to_string(started) +
            ", 'W-1', 2400, NULL, 0, 1, 0, NULL, NULL, -1, -1, NULL, NULL, 0, 0, 0, NULL, NULL, NULL)");
    db.exec("INSERT INTO events VALUES(9, 'g-1', 4, 'E-1', " + std::to_string(started + 31) +
            ", NULL, -1, NULL, 0, 1, 1, 'uwv-extern', 'midden', 6000, 3, 'extern', 'a free text', 0, 0, 0, NULL, NULL,"
            " NULL)");
    db.exec("INSERT INTO events VALUES(12, 't-9', 7, 'E-2', " + std::to_string(started + 40) +
            ", NULL, -1, NULL, 0, 1, 1, NULL, NULL, -1, -1, NULL, NULL, 0, 45, 1, 'C-1', NULL, NULL)");
}

// A varint, and a zigzag-coded one, as the store writes them (event_store.cpp: the compact body).
std::string varint(uint64_t v)
{
    std::string out;
    for (; v >= 0x80; v >>= 7)
        out += static_cast<char>((v & 0x7f) | 0x80);
    return out + static_cast<char>(v);
}
std::string zigzag(int64_t v) { return varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
std::string text(const std::string &t) { return varint(t.size()) + t; }

// The schema-3 layout, written with plain SQL as the plugins of ABI 1.2 to 1.4 wrote it (the compact row
// clustered by employee: a body of the date, a mask of the members that differ from their defaults, and those
// members), holding the same events as write_old_state.
void write_schema_3_state(const std::string &path)
{
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    db.exec("CREATE TABLE events(employee TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL UNIQUE,"
            " type INTEGER NOT NULL, employer TEXT, scheme TEXT, body BLOB NOT NULL,"
            " PRIMARY KEY(employee, seq)) WITHOUT ROWID");
    db.exec("CREATE INDEX events_by_employer ON events(employer) WHERE employer IS NOT NULL");
    db.exec("CREATE INDEX events_by_scheme ON events(scheme, employee) WHERE scheme IS NOT NULL");
    db.exec("CREATE TABLE reported(employee TEXT NOT NULL, id TEXT NOT NULL, employer_level INTEGER NOT NULL,"
            " finding BLOB NOT NULL, PRIMARY KEY(employee, id)) WITHOUT ROWID");
    db.exec(std::string("INSERT INTO meta VALUES('schema_version', '3'), ('plugin_id', '") + owner +
            "'), ('next_seq', '13')");
    db.exec("INSERT INTO reported VALUES('E-1', '00000000000000ab', 0, x'0102')");
    const int started = Date::parse("2024-01-01")->days;
    SQLite::Statement put(db, "INSERT INTO events VALUES(?, ?, ?, ?, ?, ?, ?)");
    auto row = [&](const char *employee, int seq, const char *id, EventType type, const char *employer,
                   const char *scheme, const std::string &body) {
        put.reset();
        put.bind(1, employee);
        put.bind(2, seq);
        put.bind(3, id);
        put.bind(4, static_cast<int>(type));
        employer != nullptr ? put.bind(5, employer) : put.bind(5);
        scheme != nullptr ? put.bind(6, scheme) : put.bind(6);
        put.bind(7, body.data(), static_cast<int>(body.size()));
        put.exec();
    };
    // weekly_minutes (bit 0) 2400, paid_prospect (bit 4) false.
    row("E-1", 5, "c-1", EventType::contract_started, "W-1", nullptr,
        zigzag(started) + varint(1 | 16) + zigzag(2400));
    // level (bit 5), granted_minutes (6), prior_months (7), coach_form (8), justification (9: no bytes).
    row("E-1", 9, "g-1", EventType::coaching_granted, nullptr, "uwv-extern",
        zigzag(started + 31) + varint(0x3e0) + text("midden") + zigzag(6000) + zigzag(3) + text("extern"));
    // minutes (bit 11) 45, activity (12) visit, coach (13).
    row("E-2", 12, "t-9", EventType::timesheet_logged, nullptr, nullptr,
        zigzag(started + 40) + varint(0x3800) + zigzag(45) + zigzag(1) + text("C-1"));
}

std::string meta(const std::string &path, const char *key)
{
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    return q.executeStep() ? q.getColumn(0).getString() : std::string("(none)");
}

void expect_old_state_kept(const std::string &path, EventStore &store)
{
    const auto e1 = store.events_of("E-1");
    ASSERT_EQ(e1.size(), 2u);
    EXPECT_EQ(e1[0].id, "c-1");
    EXPECT_EQ(e1[0].seq, 5);
    EXPECT_EQ(e1[0].employer, "W-1");
    EXPECT_EQ(e1[0].weekly_minutes, 2400);
    EXPECT_TRUE(e1[0].paid);
    EXPECT_FALSE(e1[0].paid_prospect);
    EXPECT_EQ(e1[1].id, "g-1");
    EXPECT_EQ(e1[1].seq, 9);
    EXPECT_EQ(e1[1].level, "midden");
    EXPECT_EQ(e1[1].granted_minutes, 6000);
    EXPECT_EQ(e1[1].prior_months, 3);
    EXPECT_EQ(e1[1].justification, jobcoach::rules::justification_given) << "the old free text is not kept";
    const auto e2 = store.events_of("E-2");
    ASSERT_EQ(e2.size(), 1u);
    EXPECT_EQ(e2[0].minutes, 45);
    EXPECT_EQ(e2[0].activity, Activity::visit);
    EXPECT_EQ(e2[0].coach, "C-1");
    EXPECT_EQ(meta(path, "schema_version"), "4");

    // Arrival order continues after the highest old seq.
    Event later = event("t-10", "E-1", EventType::timesheet_logged, "2023-12-31");
    Event *one[] = {&later};
    ASSERT_TRUE(store.append(one).stored[0]);
    EXPECT_EQ(later.seq, 13);
    const auto again = store.events_of("E-1");
    ASSERT_EQ(again.size(), 3u);
    EXPECT_EQ(again.back().id, "t-10") << "events of an employee come in arrival order, not by date";
}

} // namespace

TEST(EventStore, EveryMemberOfEveryEventSurvivesTheCompactRow)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    std::vector<Event> sent = varied_events();
    for (bool stored : store_new(path, sent))
        EXPECT_TRUE(stored);
    EventStore reopened(path, owner); // from the file, not from anything held in memory
    std::vector<Event> back = reopened.events_of("E-1");
    for (const Event &e : reopened.events_of("E-2"))
        back.push_back(e);
    ASSERT_EQ(back.size(), sent.size());
    for (const Event &s : sent) {
        const auto found = reopened.find(s.id);
        ASSERT_TRUE(found) << s.id;
        EXPECT_TRUE(jobcoach::rules::same_content(*found, s)) << s.id;
        EXPECT_EQ(found->seq, s.seq) << s.id;
    }
    // And the whole-store pass gives the same, employee by employee in key order, though it decodes each
    // employee's events over the previous one's (every member written, none left from another event).
    std::vector<std::string> order;
    size_t seen = 0;
    reopened.for_each_employee([&](std::string_view employee, std::span<const Event> events) {
        order.emplace_back(employee);
        for (const Event &e : events) {
            EXPECT_EQ(e.employee, employee);
            const auto fresh = reopened.find(e.id);
            ASSERT_TRUE(fresh) << e.id;
            EXPECT_TRUE(jobcoach::rules::same_content(*fresh, e)) << e.id;
            EXPECT_EQ(fresh->seq, e.seq) << e.id;
            ++seen;
        }
    });
    EXPECT_EQ(order, (std::vector<std::string>{"E-1", "E-2"}));
    EXPECT_EQ(seen, sent.size());
}

TEST(EventStore, AStateOfSchema3IsRewrittenAsSchema4WithItsEventsAndReportedFindings)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    write_schema_3_state(path);
    EventStore store(path, owner);
    EXPECT_THAT(testing::PrintToString(store.notes()), HasSubstr("a state of schema 3, upgraded to schema 4"));
    {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        EXPECT_EQ(db.execAndGet("PRAGMA freelist_count").getInt(), 0) << "the old table's pages were given back";
    }
    expect_old_state_kept(path, store);
    ASSERT_EQ(store.reported_of("E-1").size(), 1u);
    // The ids, employers and schemes of the old rows are found as those of new ones.
    ASSERT_TRUE(store.find("g-1"));
    EXPECT_EQ(store.find("g-1")->employee, "E-1");
    EXPECT_EQ(store.employees_at({"W-1"}, {"uwv-extern"}), std::vector<std::string>{"E-1"});
    Event again = event("t-9", "E-2", EventType::timesheet_logged, "2024-02-10");
    again.minutes = 45;
    again.activity = Activity::visit;
    again.coach = "C-1";
    Event *one[] = {&again};
    const auto replayed = store.append(one);
    EXPECT_FALSE(replayed.stored[0]) << "an old id sent again counts once";
    EXPECT_TRUE(replayed.conflicts.empty());
}

TEST(EventStore, AStateOfSchema2IsRewrittenAsSchema4WithItsEventsAndReportedFindings)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    write_old_state(path, 2);
    EventStore store(path, owner);
    EXPECT_THAT(testing::PrintToString(store.notes()), HasSubstr("a state of schema 2, upgraded to schema 4"));
    expect_old_state_kept(path, store);
    const auto reported = store.reported_of("E-1");
    ASSERT_EQ(reported.size(), 1u);
    EXPECT_EQ(reported[0], std::string("\x01\x02"));
}

TEST(EventStore, AStateOfSchema1IsRewrittenAsSchema4AndAdopted)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    write_old_state(path, 1);
    EventStore store(path, owner);
    EXPECT_THAT(testing::PrintToString(store.notes()), HasSubstr("a state of schema 1, upgraded to schema 4"));
    EXPECT_THAT(testing::PrintToString(store.notes()), HasSubstr("without a plugin id, adopted"));
    expect_old_state_kept(path, store);
    EXPECT_TRUE(store.reported_of("E-1").empty());
    EXPECT_EQ(meta(path, "plugin_id"), owner);
}

TEST(EventStore, AnIdSentAgainCountsOnceAndWithOtherContentIsAConflictAcrossEmployees)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    std::vector<Event> sent = varied_events();
    store_new(path, sent);
    EventStore store(path, owner);
    Event same = sent[5];  // t-1 of E-1, as it was
    Event other = sent[6]; // t-2 of E-2 ...
    other.employee = "E-3"; // ... said of another employee: other content under the same id
    Event fresh = event("t-3", "E-3", EventType::timesheet_logged, "2024-03-07");
    Event *batch[] = {&fresh, &same};
    const auto replay = store.append(batch);
    EXPECT_TRUE(replay.stored[0]);
    EXPECT_FALSE(replay.stored[1]);
    EXPECT_TRUE(replay.conflicts.empty());
    Event *bad[] = {&other};
    EXPECT_EQ(store.append(bad).conflicts, std::vector<size_t>{0});
    EXPECT_EQ(store.events_of("E-3").size(), 1u);
    EXPECT_EQ(store.find("t-2")->employee, "E-2");
}

// A batch keeps its rows and checks its ids against the stored ones when it writes the rows back: at its end, or
// each time what it keeps passes its bound. Either way, an id stored before, or earlier in the batch, is a
// duplicate with the same content and a conflict with other content (also for a later copy of an event that
// turns out stored before), and the rows hold each stored event once, in arrival order.
TEST(EventStore, ABatchWrittenBackInStepsTellsDuplicatesAndConflictsAsAWholeOne)
{
    for (const size_t bound : {size_t{1}, size_t{300}, EventStore::Batch::default_kept_bound}) {
        SCOPED_TRACE("kept bound " + std::to_string(bound));
        TempDir tmp;
        const std::string path = tmp.file("state");
        std::vector<Event> sent = varied_events();
        store_new(path, sent);
        EventStore store(path, owner);
        auto timesheet = [](const char *id, const char *employee, int64_t minutes) {
            Event e = event(id, employee, EventType::timesheet_logged, "2024-04-01");
            e.minutes = minutes;
            return e;
        };
        {
            std::vector<Event> batch{timesheet("n-1", "E-1", 30), sent[5] /* t-1 as stored */, timesheet("n-2", "E-5", 45),
                                     timesheet("n-1", "E-1", 30), sent[5], timesheet("n-3", "E-1", 60)};
            EventStore::Batch b(store, bound);
            for (size_t k = 0; k < batch.size(); ++k)
                b.add(batch[k], k);
            const auto outcome = b.resolve();
            EXPECT_EQ(outcome.duplicates, (std::vector<size_t>{1, 3, 4}));
            EXPECT_TRUE(outcome.conflicts.empty());
            ASSERT_TRUE(b.find("n-2"));
            EXPECT_EQ(b.find("n-2")->employee, "E-5") << "the batch's own events are found before the commit";
            b.commit();
        }
        const auto e1 = store.events_of("E-1");
        ASSERT_EQ(e1.size(), 11u) << "nine stored before, and n-1 and n-3 once each";
        EXPECT_EQ(e1[9].id, "n-1");
        EXPECT_EQ(e1[10].id, "n-3");
        EXPECT_LT(e1[8].seq, e1[9].seq);
        EXPECT_LT(e1[9].seq, e1[10].seq);
        EXPECT_EQ(e1[10].minutes, 60);
        ASSERT_EQ(store.events_of("E-5").size(), 1u);
        EXPECT_EQ(store.find("n-3")->employee, "E-1");
        {
            // t-2 of E-2 with other minutes (twice), n-1 changed, q-1 sent twice with other content.
            std::vector<Event> batch{timesheet("c-9", "E-6", 15), timesheet("t-2", "E-2", 99), timesheet("t-2", "E-2", 99),
                                     timesheet("n-1", "E-1", 31), timesheet("q-1", "E-7", 10), timesheet("q-1", "E-7", 11)};
            EventStore::Batch b(store, bound);
            for (size_t k = 0; k < batch.size(); ++k)
                b.add(batch[k], k);
            const auto outcome = b.resolve();
            EXPECT_EQ(outcome.conflicts, (std::vector<size_t>{1, 2, 3, 5}));
            EXPECT_TRUE(outcome.duplicates.empty());
        } // not committed: rolled back
        EXPECT_FALSE(store.knows("E-6"));
        EXPECT_FALSE(store.find("q-1"));
        EXPECT_EQ(store.find("n-1")->minutes, 30);
        EXPECT_EQ(store.events_of("E-2").size(), 1u);
    }
}

// Many ids go into the index in groups (one statement each); a group holding an id stored before is rolled back
// and goes one id at a time, so that each id's outcome is its own.
TEST(EventStore, ManyIdsGoInGroupsAndAGroupWithAStoredIdOneAtATime)
{
    TempDir tmp;
    EventStore store(tmp.file("state"), owner);
    auto timesheet = [](const std::string &id, int employee, int64_t minutes) {
        Event e = event(id.c_str(), ("E-" + std::to_string(employee)).c_str(), EventType::timesheet_logged, "2024-04-01");
        e.minutes = minutes;
        return e;
    };
    auto append = [&](std::vector<Event> &events) {
        std::vector<Event *> pointers;
        for (Event &e : events)
            pointers.push_back(&e);
        return store.append(pointers);
    };
    std::vector<Event> first;
    for (int k = 0; k < 500; ++k)
        first.push_back(timesheet("a-" + std::to_string(k), k % 7, 30));
    const auto stored = append(first);
    EXPECT_EQ(std::count(stored.stored.begin(), stored.stored.end(), true), 500);
    for (int k = 0; k < 500; k += 37)
        ASSERT_TRUE(store.find("a-" + std::to_string(k))) << k;
    // 400 new ids, among them five sent before and one sent before with other minutes.
    std::vector<Event> second;
    std::vector<size_t> resent, changed;
    for (int k = 0; k < 400; ++k) {
        if (k % 80 == 40) {
            resent.push_back(second.size());
            second.push_back(timesheet("a-" + std::to_string(k), k % 7, 30));
        }
        second.push_back(timesheet("b-" + std::to_string(k), k % 5, 45));
    }
    changed.push_back(second.size());
    second.push_back(timesheet("a-3", 3, 31));
    const auto refused = append(second);
    EXPECT_EQ(refused.conflicts, changed);
    EXPECT_FALSE(store.find("b-0")) << "a batch with a conflict stores nothing";
    second.pop_back();
    const auto replay = append(second);
    EXPECT_TRUE(replay.conflicts.empty());
    for (size_t k = 0; k < second.size(); ++k)
        EXPECT_EQ(replay.stored[k], std::find(resent.begin(), resent.end(), k) == resent.end()) << k;
    size_t events = 0;
    for (int employee = 0; employee < 7; ++employee)
        events += store.events_of("E-" + std::to_string(employee)).size();
    EXPECT_EQ(events, 900u) << "each id once";
    EXPECT_EQ(store.find("b-399")->minutes, 45);
}

TEST(EventStore, ADamagedRowIsAnErrorNamingTheEmployeeAndTheEventWhereItCan)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    std::vector<Event> sent = varied_events();
    store_new(path, sent);
    // A record: its length, then seq 99, type 4, id "g-9", no employer, no scheme, and a body.
    auto record = [](const std::string &type, const std::string &body) {
        const std::string rest = zigzag(99) + type + text("g-9") + text("") + text("") + body;
        return varint(rest.size()) + rest;
    };
    auto hex = [](const std::string &bytes) {
        std::string out = "x'";
        for (const unsigned char c : bytes) {
            const char digits[] = "0123456789abcdef";
            out += digits[c >> 4];
            out += digits[c & 15];
        }
        return out + "'";
    };
    struct Damage {
        std::string sql, what;
    };
    const std::vector<Damage> damages = {
        {"x'ff'", "employee E-1: an event's stored row is damaged (cut short)"},
        {"events || x'05'", "employee E-1: an event's stored row is damaged (a record cut short)"},
        {"events || " + hex(record(zigzag(14), "")), "employee E-1: an event's stored row is damaged (a number out of range)"},
        // An end_change (bit 2) of 5; bytes after the body's end; a weekly_minutes of 2^40; a mask cut short.
        {"events || " + hex(record(zigzag(4), zigzag(0) + varint(4) + zigzag(5))),
         "event g-9 of employee E-1: an event's stored row is damaged (a number out of range)"},
        {"events || " + hex(record(zigzag(4), zigzag(0) + varint(0) + "\x01")),
         "event g-9 of employee E-1: an event's stored row is damaged (bytes after its end)"},
        {"events || " + hex(record(zigzag(4), zigzag(0) + varint(1) + zigzag(int64_t{1} << 40))),
         "event g-9 of employee E-1: an event's stored row is damaged (a number out of range)"},
        {"events || " + hex(record(zigzag(4), zigzag(0) + "\x80")),
         "event g-9 of employee E-1: an event's stored row is damaged (cut short)"},
    };
    std::string intact;
    {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        SQLite::Statement q(db, "SELECT hex(events) FROM employees WHERE key = 'E-1'");
        ASSERT_TRUE(q.executeStep());
        intact = "x'" + q.getColumn(0).getString() + "'";
    }
    for (const Damage &d : damages) {
        {
            SQLite::Database db(path, SQLite::OPEN_READWRITE);
            db.exec("UPDATE employees SET events = " + d.sql + " WHERE key = 'E-1'");
        }
        {
            EventStore store(path, owner);
            try {
                store.events_of("E-1");
                ADD_FAILURE() << "a damaged row (" << d.sql << ") was read";
            } catch (const std::runtime_error &e) {
                EXPECT_THAT(e.what(), HasSubstr(d.what)) << d.sql;
            }
            EXPECT_EQ(store.events_of("E-2").size(), 1u) << "the other employees stay readable";
        }
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("UPDATE employees SET events = " + intact + " WHERE key = 'E-1'");
    }
}

TEST(EventStore, TwoIdsWithOneHashAreToldApartByTheRowsThatHoldThem)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    std::vector<Event> sent = varied_events();
    store_new(path, sent);
    // The index of ids keys a 64-bit FNV-1a hash of the id (event_store.cpp). Make y-1's hash point at E-2's row,
    // which does not hold y-1, as a second id with the same hash would.
    uint64_t h = 1469598103934665603ull;
    for (const char c : std::string("y-1")) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("INSERT INTO ids(h, n) SELECT " + std::to_string(static_cast<int64_t>(h)) +
                ", n FROM employees WHERE key = 'E-2'");
    }
    EventStore store(path, owner);
    EXPECT_FALSE(store.find("y-1")) << "a hash alone is not an id";
    Event x = event("y-1", "E-1", EventType::timesheet_logged, "2024-03-08");
    x.minutes = 30;
    Event *one[] = {&x};
    const auto first = store.append(one);
    EXPECT_TRUE(first.stored[0]) << "not taken for a duplicate of an event it is not";
    EXPECT_TRUE(first.conflicts.empty());
    ASSERT_TRUE(store.find("y-1"));
    EXPECT_EQ(store.find("y-1")->employee, "E-1");
    Event again = x;
    Event *replay[] = {&again};
    EXPECT_FALSE(store.append(replay).stored[0]) << "and, once stored, found again under the same hash";
    EXPECT_EQ(store.events_of("E-2").size(), 1u);
}

TEST(EventStore, AnErasedIdLeavesATombstoneOnlyWhileAnotherIdsSlotsRunPastIt)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    std::vector<Event> sent = varied_events();
    store_new(path, sent);
    uint64_t h = 1469598103934665603ull; // the FNV-1a hash of "y-1": its first slot
    for (const char c : std::string("y-1")) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    auto slot = [&](uint64_t k) { return std::to_string(static_cast<int64_t>(h + k)); };
    auto holder = [&](uint64_t k) {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        SQLite::Statement q(db, "SELECT n FROM ids WHERE h = " + slot(k));
        return q.executeStep() ? q.getColumn(0).getInt64() : int64_t{-1};
    };
    // Slots 0 and 2 of y-1 taken by other ids (of E-2's row), as ids with nearby hashes would.
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        for (uint64_t k : {0u, 2u})
            db.exec("INSERT INTO ids(h, n) SELECT " + slot(k) + ", n FROM employees WHERE key = 'E-2'");
    }
    {
        EventStore store(path, owner);
        Event y = event("y-1", "E-1", EventType::timesheet_logged, "2024-03-08");
        Event *one[] = {&y};
        ASSERT_TRUE(store.append(one).stored[0]);
    }
    const int64_t e1 = holder(1);
    ASSERT_GT(e1, 0) << "y-1 took its first free slot";
    {
        EventStore store(path, owner);
        EXPECT_EQ(store.erase("E-1").events, 10u);
    }
    EXPECT_EQ(holder(1), 0) << "a tombstone, as slot 2 runs past it";
    EventStore store(path, owner);
    Event again = event("y-1", "E-3", EventType::timesheet_logged, "2024-03-09");
    Event *one[] = {&again};
    EXPECT_TRUE(store.append(one).stored[0]) << "the erased id is not found, and is stored anew";
    EXPECT_GT(holder(3), 0) << "in the first free slot past the tombstone and the taken slots";
    ASSERT_TRUE(store.find("y-1"));
    EXPECT_EQ(store.find("y-1")->employee, "E-3");
    // Erasing E-3: its slot 3 ends the run, so it goes, and the tombstone before it once slot 2 is no longer taken.
    store.erase("E-3");
    EXPECT_EQ(holder(3), -1);
    EXPECT_EQ(holder(1), 0) << "slot 2 still runs past it";
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("DELETE FROM ids WHERE h = " + slot(2));
    }
    Event z = event("y-1", "E-4", EventType::timesheet_logged, "2024-03-10");
    Event *last[] = {&z};
    EXPECT_TRUE(store.append(last).stored[0]);
    EXPECT_GT(holder(2), 0) << "stored past the tombstone, in the free slot 2";
    store.erase("E-4");
    EXPECT_EQ(holder(2), -1);
    EXPECT_EQ(holder(1), -1) << "the tombstone before the run's end went with it";
    EXPECT_GT(holder(0), 0) << "the slot before it is another id's";
}
