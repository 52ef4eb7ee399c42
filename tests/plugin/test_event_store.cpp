// SPDX-License-Identifier: Apache-2.0
// The plugins' state (EventStore, schema 7: a row per employee in records of format 2, plain timesheet entries
// in runs, the index of ids in buckets): every member of every event survives its record, an id made from the
// row's key included; states of schema 1, 2 and 3 are rewritten as schema 7 when opened, their events and
// reported findings kept and arrival order continued, one of schema 6 gets its timesheet entries in runs, one of
// schema 5 its rows in format 2 too, and one of schema 4 that and its index of ids anew; a run gives back each
// entry as it was, and a damaged one is an error; the index's buckets stay sorted, bounded and whole as ids come and go; a damaged row is an error naming
// the employee, and the event when it can; each row keeps its firsts, and a state of before gains them row by row.
#include <jobcoach/rules/event_store.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <string>
#include <utility>
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

// The table of employees' rows: `employee_rows` from schema 6, `employees` in schema 4 and 5.
std::string rows_table(SQLite::Database &db)
{
    const bool renamed = db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'employee_rows'").getInt() > 0;
    return renamed ? "employee_rows" : "employees";
}

// An event as schema 4 and 5 wrote it in its employee's row (format 1, event_store.cpp): a varint length, then
// seq and type (zigzag), id, employer and scheme (each a length and the bytes), then the body: the date
// (zigzag), a mask of the members that differ from their defaults (bit 0 weekly_minutes ... bit 15 kind) and
// those members.
std::string format_1_record(const Event &e)
{
    uint64_t mask = 0;
    std::string values;
    auto member = [&](int bit, bool set, const std::string &bytes) {
        if (set) {
            mask |= uint64_t{1} << bit;
            values += bytes;
        }
    };
    member(0, e.weekly_minutes != -1, zigzag(e.weekly_minutes));
    member(1, e.end.has_value(), e.end ? zigzag(e.end->days) : "");
    member(2, e.end_change != EndChange::unchanged, zigzag(static_cast<int>(e.end_change)));
    member(3, !e.paid, "");
    member(4, !e.paid_prospect, "");
    member(5, !e.level.empty(), text(e.level));
    member(6, e.granted_minutes != -1, zigzag(e.granted_minutes));
    member(7, e.prior_months != -1, zigzag(e.prior_months));
    member(8, !e.coach_form.empty(), text(e.coach_form));
    member(9, !e.justification.empty(), "");
    member(10, e.months != 0, zigzag(e.months));
    member(11, e.minutes != 0, zigzag(e.minutes));
    member(12, e.activity != Activity::coaching, zigzag(static_cast<int>(e.activity)));
    member(13, !e.coach.empty(), text(e.coach));
    member(14, !e.retracts.empty(), text(e.retracts));
    member(15, !e.kind.empty(), text(e.kind));
    const std::string rest = zigzag(e.seq) + zigzag(static_cast<int>(e.type)) + text(e.id) + text(e.employer) +
                             text(e.scheme) + zigzag(e.date.days) + varint(mask) + values;
    return varint(rest.size()) + rest;
}

// Writes the rows of a state holding `sent` (stored, each with its seq) as schema 4 and 5 wrote them, in
// format 1, and marks the state as of `schema`.
void rewrite_in_format_1(const std::string &path, const std::vector<Event> &sent, int schema)
{
    std::map<std::string, std::string> rows;
    for (const Event &e : sent)
        rows[e.employee] += format_1_record(e);
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("ALTER TABLE employee_rows RENAME TO employees"); // the name of schema 4 and 5
    for (const auto &[key, row] : rows) {
        SQLite::Statement put(db, "UPDATE employees SET events = ? WHERE key = ?");
        put.bind(1, row.data(), static_cast<int>(row.size()));
        put.bind(2, key);
        ASSERT_EQ(put.exec(), 1) << key;
    }
    db.exec("UPDATE meta SET value = '" + std::to_string(schema) + "' WHERE key = 'schema_version'");
}

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

// The FNV-1a hash of an id, which the index of ids keys (event_store.cpp).
int64_t id_hash(const std::string &id)
{
    uint64_t h = 1469598103934665603ull;
    for (const char c : id) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return static_cast<int64_t>(h);
}

// A bucket's slots as stored, as SQL: each the hash and the row's number, 8 and 4 bytes little-endian.
std::string slots_sql(const std::vector<std::pair<int64_t, int64_t>> &slots)
{
    std::string hex = "x'";
    char byte[3];
    auto put = [&](uint64_t v, int bytes) {
        for (int b = 0; b < bytes; ++b) {
            std::snprintf(byte, sizeof byte, "%02x", static_cast<unsigned>((v >> (8 * b)) & 0xff));
            hex += byte;
        }
    };
    for (const auto &[hash, n] : slots) {
        put(static_cast<uint64_t>(hash), 8);
        put(static_cast<uint64_t>(n), 4);
    }
    return hex + "'";
}

int64_t row_number(const std::string &path, const char *employee)
{
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT n FROM " + rows_table(db) + " WHERE key = ?");
    q.bind(1, employee);
    return q.executeStep() ? q.getColumn(0).getInt64() : int64_t{-1};
}

// The index of ids as stored: each bucket's key and its slots (hash, row), in the order of the keys.
struct Bucket {
    int64_t key;
    std::vector<std::pair<int64_t, int64_t>> slots;
};
std::vector<Bucket> buckets(const std::string &path)
{
    std::vector<Bucket> out;
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT k, slots FROM ids ORDER BY k");
    while (q.executeStep()) {
        Bucket &b = out.emplace_back(Bucket{q.getColumn(0).getInt64(), {}});
        const auto *p = static_cast<const unsigned char *>(q.getColumn(1).getBlob());
        const int bytes = q.getColumn(1).getBytes();
        EXPECT_EQ(bytes % 12, 0) << "bucket " << b.key;
        for (int at = 0; at + 12 <= bytes; at += 12) {
            uint64_t h = 0;
            for (int k = 7; k >= 0; --k)
                h = h << 8 | p[at + k];
            int64_t n = 0;
            for (int k = 3; k >= 0; --k)
                n = n << 8 | p[at + 8 + k];
            b.slots.emplace_back(static_cast<int64_t>(h), n);
        }
    }
    return out;
}

// Adds a slot (hash, row) to the bucket that holds the hash, as the store would.
void add_slot(const std::string &path, int64_t hash, int64_t n)
{
    Bucket holder{std::numeric_limits<int64_t>::min(), {}};
    for (const Bucket &b : buckets(path))
        if (b.key <= hash)
            holder = b;
    holder.slots.emplace_back(hash, n);
    std::sort(holder.slots.begin(), holder.slots.end());
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("INSERT OR REPLACE INTO ids(k, slots) VALUES(" + std::to_string(holder.key) + ", " + slots_sql(holder.slots) + ")");
}

// Every bucket holds 1 to 128 slots, sorted, each at or past its key and before the next bucket's; the slots,
// as a whole, are `expected` (hash, row) in some order.
void expect_index_holds(const std::string &path, std::vector<std::pair<int64_t, int64_t>> expected)
{
    const auto index = buckets(path);
    std::vector<std::pair<int64_t, int64_t>> all;
    for (size_t b = 0; b < index.size(); ++b) {
        const Bucket &bucket = index[b];
        EXPECT_GE(bucket.slots.size(), 1u) << "an empty bucket " << bucket.key << " is left";
        EXPECT_LE(bucket.slots.size(), 128u) << "bucket " << bucket.key;
        EXPECT_TRUE(std::is_sorted(bucket.slots.begin(), bucket.slots.end())) << "bucket " << bucket.key;
        for (const auto &slot : bucket.slots) {
            EXPECT_GE(slot.first, bucket.key) << "a slot before its bucket's key";
            if (b + 1 < index.size()) {
                EXPECT_LT(slot.first, index[b + 1].key) << "a slot at or past the next bucket's key";
            }
            all.push_back(slot);
        }
    }
    std::sort(all.begin(), all.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(all, expected);
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
    EXPECT_EQ(meta(path, "schema_version"), "7");

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

// Decoding employee after employee over the same events: an id of the previous employee's event of the same
// length is written over in place (8 to 16 bytes), and one of another length replaced. Each id comes back whole.
// A glance at a row tells each event's type, date and scheme as decoding it does. A timesheet entry with a
// numbered id and no scheme is glanced at past its seq and id numbers in one step: for numbers of one to nine
// bytes (an id of 999999999999999990 takes more than the step reads), seqs of one to three bytes, dates of two
// and three bytes (before 1998 and after 2042), records of fewer than nine bytes and longer ones (an activity
// and a coach), and beside entries that name a scheme and events of other types.
TEST(EventStore, AGlanceTellsEachEntrysDateAsDecodingDoes)
{
    std::vector<Event> sent;
    // Another employee's events first: the entries below get seqs of three bytes (from 16,384 on).
    for (int i = 1; i <= 16400; ++i)
        sent.push_back(event(("F-1-" + std::to_string(i)).c_str(), "F-1", EventType::timesheet_logged, "2024-03-01"));
    // Id numbers from each of these on, one per date: across the ends of one, two, three and four bytes.
    const uint64_t numbers[] = {1, 125, 16380, 2097148, 268435450, 999999999999999990u};
    const char *const dates[] = {"1970-01-01", "1997-12-31", "2019-12-31", "2020-01-01", "2024-02-29", "2042-12-31",
                                 "2099-12-31"};
    int k = 0;
    for (const uint64_t number : numbers)
        for (size_t d = 0; d < std::size(dates); ++d) {
            Event &e = sent.emplace_back(event(("E-1-" + std::to_string(number + d)).c_str(), "E-1",
                                               EventType::timesheet_logged, dates[d]));
            e.minutes = k % 2 == 0 ? 15 : 100000; // a varint of one byte and of three
            if (k % 5 == 0) {
                e.activity = Activity::contact;
                e.coach = "C-7";
            }
            if (k % 7 == 0)
                e.scheme = "vpw";
            ++k;
        }
    sent.push_back(event("E-1-c", "E-1", EventType::contract_started, "2024-01-01"));
    sent.back().employer = "W-1";
    sent.back().weekly_minutes = 1200;
    std::vector<Event *> pointers;
    for (Event &e : sent)
        pointers.push_back(&e);
    EventStore store("", owner);
    ASSERT_EQ(store.append(pointers).conflicts.size(), 0u);
    size_t rows = 0, glanced = 0;
    store.for_each_row([&](std::string_view key, std::string_view row) {
        ++rows;
        std::vector<Event> decoded;
        const size_t n = EventStore::decode_employee_row(row, key, decoded);
        for (const size_t some : {size_t{1}, size_t{3}, size_t{32}}) {
            std::vector<EventStore::Glimpse> part(some);
            EventStore::Glance glance(row, key);
            size_t i = 0;
            for (size_t got; (got = glance.next(part)) != 0;)
                for (size_t j = 0; j < got; ++j, ++i) {
                    ASSERT_LT(i, n) << key;
                    EXPECT_EQ(part[j].type, decoded[i].type) << decoded[i].id;
                    EXPECT_EQ(part[j].date, decoded[i].date) << decoded[i].id;
                    EXPECT_EQ(part[j].scheme, decoded[i].scheme) << decoded[i].id;
                }
            EXPECT_EQ(i, n) << key;
            glanced += i;
        }
    });
    EXPECT_EQ(rows, 2u);
    EXPECT_EQ(glanced, 3 * sent.size());
}

namespace {

// The firsts a row's events give, made from its decoded events: the earliest date per type and scheme.
std::map<std::pair<EventType, std::string>, Date> firsts_from_events(std::string_view row, std::string_view key)
{
    std::vector<Event> decoded;
    const size_t n = EventStore::decode_employee_row(row, key, decoded);
    std::map<std::pair<EventType, std::string>, Date> out;
    for (size_t i = 0; i < n; ++i) {
        const auto [it, made] = out.try_emplace({decoded[i].type, decoded[i].scheme}, decoded[i].date);
        if (!made && decoded[i].date < it->second)
            it->second = decoded[i].date;
    }
    return out;
}

// The firsts kept beside a row, as read back; empty when none are known or they are not of the row.
std::map<std::pair<EventType, std::string>, Date> kept_firsts(std::string_view kept, std::string_view row)
{
    std::map<std::pair<EventType, std::string>, Date> out;
    EventStore::Firsts firsts(kept);
    if (!firsts.known() || !firsts.of(row))
        return out;
    std::pair<EventType, std::string> last{};
    for (EventStore::First f; firsts.next(f);) {
        const std::pair<EventType, std::string> which{f.type, std::string(f.scheme)};
        EXPECT_TRUE(out.empty() || last < which) << "in order, once each";
        EXPECT_TRUE(out.emplace(which, f.date).second);
        last = which;
    }
    return out;
}

// Stores `events` in one batch, none of them a conflict.
void append_all(EventStore &store, std::vector<Event> events)
{
    std::vector<Event *> pointers;
    for (Event &e : events)
        pointers.push_back(&e);
    ASSERT_EQ(store.append(pointers).conflicts.size(), 0u);
}

// Each row's kept firsts, by key.
std::map<std::string, std::pair<std::string, std::string>> rows_and_firsts(const EventStore &store)
{
    std::map<std::string, std::pair<std::string, std::string>> out;
    store.for_each_row_with_firsts([&](std::string_view key, std::string_view row, std::string_view firsts) {
        out[std::string(key)] = {std::string(row), std::string(firsts)};
    });
    return out;
}

} // namespace

// Each row is written with its firsts (the earliest date of each type of event per scheme named): as its events
// give them, after the first batch and after one that adds earlier events, a later one, a scheme and types; and
// only for the rows a batch wrote. Firsts kept for other bytes (a row written since by a plugin that did not
// keep them) are told by their hash, and damaged ones are an error, not a wrong answer.
TEST(EventStore, EachRowKeepsTheFirstDateOfEachTypeAndSchemeOfItsEvents)
{
    EventStore store("", owner);
    auto append = [&](std::vector<Event> events) { append_all(store, std::move(events)); };
    auto all_as_their_events_give = [&] {
        for (const auto &[key, kept] : rows_and_firsts(store)) {
            const auto expected = firsts_from_events(kept.first, key);
            EXPECT_FALSE(expected.empty());
            EXPECT_EQ(kept_firsts(kept.second, kept.first), expected) << key;
        }
    };
    std::vector<Event> first;
    first.push_back(event("E-1-1", "E-1", EventType::contract_started, "2024-01-01"));
    first.push_back(event("E-1-2", "E-1", EventType::timesheet_logged, "2024-03-04"));
    first.push_back(event("E-1-3", "E-1", EventType::timesheet_logged, "2024-02-26"));
    first.push_back(event("E-2-1", "E-2", EventType::coaching_granted, "2024-02-01"));
    first.back().scheme = "vpw";
    append(first);
    all_as_their_events_give();
    const auto before = rows_and_firsts(store);

    std::vector<Event> second;
    second.push_back(event("E-1-4", "E-1", EventType::timesheet_logged, "2024-02-25")); // a day earlier
    second.push_back(event("E-1-5", "E-1", EventType::timesheet_logged, "2024-12-31")); // later: no change
    second.push_back(event("E-1-6", "E-1", EventType::coaching_granted, "2024-02-29"));
    second.back().scheme = "uwv-extern";
    second.push_back(event("E-1-7", "E-1", EventType::timesheet_logged, "2024-03-01"));
    second.back().scheme = "uwv-extern";
    second.push_back(event("E-1-8", "E-1", EventType::event_retracted, "2024-03-02"));
    second.back().retracts = "E-1-2";
    append(second);
    all_as_their_events_give();
    const auto after = rows_and_firsts(store);
    const auto e1 = kept_firsts(after.at("E-1").second, after.at("E-1").first);
    EXPECT_EQ(e1.at({EventType::timesheet_logged, ""}), Date::parse("2024-02-25").value());
    EXPECT_EQ(e1.at({EventType::timesheet_logged, "uwv-extern"}), Date::parse("2024-03-01").value());
    EXPECT_EQ(e1.at({EventType::event_retracted, ""}), Date::parse("2024-03-02").value());
    EXPECT_EQ(e1.size(), 5u);
    EXPECT_EQ(after.at("E-2"), before.at("E-2")) << "a row the batch did not write keeps what it had";

    // The firsts of before beside the row of now: not of it (the hash), so nothing is read from them.
    const std::string &old_firsts = before.at("E-1").second, &row = after.at("E-1").first;
    EXPECT_TRUE(EventStore::Firsts(old_firsts).known());
    EXPECT_FALSE(EventStore::Firsts(old_firsts).of(row));
    EXPECT_TRUE(EventStore::Firsts(after.at("E-1").second).of(row));
    EXPECT_FALSE(EventStore::Firsts("").known());
    EXPECT_FALSE(EventStore::Firsts("").of(row));

    // Damaged: cut short inside a scheme, or a type out of range.
    std::string cut = after.at("E-1").second;
    cut.resize(cut.size() - 3);
    EventStore::Firsts damaged(cut);
    EventStore::First f;
    EXPECT_THROW(
        {
            while (damaged.next(f)) {
            }
        },
        std::runtime_error);
    for (const char type : {'\x00', '\x0e', '\x7f'}) { // (types are 1 to 13)
        const std::string kept = std::string(1, '\x01') + type; // (Firsts views what it is given)
        EventStore::Firsts odd(kept);
        EXPECT_THROW(odd.next(f), std::runtime_error) << int(type);
    }
}

// The rows of the employees whose events name one of some schemes (those a plugin's rules read, when it reports
// no unclaimed hours: Evaluation::concerning_schemes), each once and in key order, whatever order the rows were
// made in: with their rows' numbers close together (RowNumbers keeps a bit each), and with three of them
// numbered up to 300 (more than 64 numbers a row apart: kept sorted instead); an employee erased is not among
// them, and every row comes when no scheme is asked for.
TEST(EventStore, TheRowsOfSomeSchemesComeInKeyOrderWhateverOrderTheyWereMadeIn)
{
    EventStore store("", owner);
    auto append = [&](std::vector<Event> events) { append_all(store, std::move(events)); };
    auto keys_of = [&](const std::vector<std::string> &schemes) {
        std::vector<std::string> keys;
        store.for_each_row_with_firsts(
            [&](std::string_view key, std::string_view row, std::string_view firsts) {
                EXPECT_FALSE(row.empty()) << key;
                EXPECT_TRUE(EventStore::Firsts(firsts).of(row)) << key;
                keys.emplace_back(key);
            },
            schemes);
        return keys;
    };
    auto granted = [](const char *id, const char *employee, const char *scheme) {
        Event g = event(id, employee, EventType::coaching_granted, "2024-02-01");
        g.scheme = scheme;
        return g;
    };
    // Made in an order other than their keys': Z first, A last.
    std::vector<Event> batch;
    batch.push_back(granted("Z-g", "E-Z", "vpw"));
    batch.push_back(event("Y-t", "E-Y", EventType::timesheet_logged, "2024-03-04")); // no scheme named
    batch.push_back(granted("X-g", "E-X", "uwv-extern"));
    batch.push_back(granted("M-g", "E-M", "wsp-rijnmond"));
    batch.push_back(event("M-t", "E-M", EventType::timesheet_logged, "2024-03-04"));
    batch.push_back(granted("B-g", "E-B", "uwv-extern"));
    batch.push_back(granted("B-g2", "E-B", "vpw")); // two schemes: once
    append(batch);
    append({event("A-t", "E-A", EventType::timesheet_logged, "2024-03-05")});
    Event named = event("A-t2", "E-A", EventType::timesheet_logged, "2024-03-06");
    named.scheme = "wsp-rijnmond"; // an entry naming the scheme tags the employee too
    append({named});
    const std::vector<std::string> municipal{"vpw", "wsp-rijnmond"};
    EXPECT_EQ(keys_of(municipal), (std::vector<std::string>{"E-A", "E-B", "E-M", "E-Z"}));
    EXPECT_EQ(keys_of({"uwv-extern"}), (std::vector<std::string>{"E-B", "E-X"}));
    EXPECT_EQ(keys_of({"uwv-intern"}), std::vector<std::string>{});
    EXPECT_EQ(keys_of({}), (std::vector<std::string>{"E-A", "E-B", "E-M", "E-X", "E-Y", "E-Z"}));

    store.erase("E-M");
    EXPECT_EQ(keys_of(municipal), (std::vector<std::string>{"E-A", "E-B", "E-Z"}));

    // Three hundred rows more, of no scheme, then one of vpw: vpw's three rows lie more than 64 numbers apart.
    std::vector<Event> many;
    for (int i = 0; i < 300; ++i) {
        const std::string employee = "F-" + std::to_string(1000 + i);
        many.push_back(event((employee + "-t").c_str(), employee.c_str(), EventType::timesheet_logged, "2024-03-04"));
    }
    append(many);
    append({granted("C-g", "E-C", "vpw")});
    EXPECT_EQ(keys_of(municipal), (std::vector<std::string>{"E-A", "E-B", "E-C", "E-Z"}));
    EXPECT_EQ(keys_of({}).size(), 5u + 300u + 1u);
    EXPECT_EQ(keys_of({"vpw"}), (std::vector<std::string>{"E-B", "E-C", "E-Z"}));
}

// A state written before rows kept their firsts (schema 6 without the column) gains the column when opened, its
// rows without firsts (not known: a reader reads the rows) until they are next written; a plugin of before that
// writes a row on the state after that leaves its firsts stale, which their hash tells.
TEST(EventStore, AStateWithoutFirstsGainsThemRowByRowAsRowsAreWritten)
{
    TempDir tmp;
    const std::string path = tmp.file("state.db");
    auto append = [](EventStore &store, std::vector<Event> events) {
        std::vector<Event *> pointers;
        for (Event &e : events)
            pointers.push_back(&e);
        ASSERT_EQ(store.append(pointers).conflicts.size(), 0u);
    };
    {
        EventStore store(path, owner);
        append(store, {event("E-1-1", "E-1", EventType::timesheet_logged, "2024-03-04"),
                       event("E-2-1", "E-2", EventType::timesheet_logged, "2024-03-05")});
    }
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("ALTER TABLE employee_rows DROP COLUMN firsts"); // as a state of before was
    }
    std::string e1_firsts;
    {
        EventStore store(path, owner);
        auto rows = rows_and_firsts(store);
        ASSERT_EQ(rows.size(), 2u);
        for (const auto &[key, kept] : rows)
            EXPECT_FALSE(EventStore::Firsts(kept.second).known()) << key;
        append(store, {event("E-1-2", "E-1", EventType::timesheet_logged, "2024-03-01")});
        rows = rows_and_firsts(store);
        EXPECT_EQ(kept_firsts(rows.at("E-1").second, rows.at("E-1").first),
                  firsts_from_events(rows.at("E-1").first, "E-1"));
        EXPECT_FALSE(EventStore::Firsts(rows.at("E-2").second).known()) << "a row not written since keeps none";
        e1_firsts = rows.at("E-1").second;
    }
    {
        // A plugin of before writes E-1's row (here: E-2's records as E-1's), leaving its firsts as they were.
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("UPDATE employee_rows SET events = events || (SELECT events FROM employee_rows WHERE key = 'E-2')"
                " WHERE key = 'E-1'");
        EXPECT_EQ(
            db.execAndGet("SELECT count(*) FROM pragma_table_info('employee_rows') WHERE name = 'firsts'").getInt(), 1);
    }
    EventStore store(path, owner);
    const auto rows = rows_and_firsts(store);
    EXPECT_EQ(rows.at("E-1").second, e1_firsts);
    EXPECT_TRUE(EventStore::Firsts(rows.at("E-1").second).known());
    EXPECT_FALSE(EventStore::Firsts(rows.at("E-1").second).of(rows.at("E-1").first)) << "stale: told by the hash";
}

TEST(EventStore, AnIdDecodedOverAnotherOfItsLengthComesBackWhole)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    std::vector<Event> sent;
    const char *ids[][2] = {
        {"A-1", "B-2"},                             // 3 bytes each: replaced
        {"A-000001", "B-000002"},                   // 8: written over
        {"A-0000000011", "B-0000000022"},           // 12
        {"A-00000000000003", "B-00000000000004"},   // 16
        {"A-000000000000005", "B-000000000000006"}, // 17: replaced
        {"A-short", "B-a-longer-id"},               // of other lengths
    };
    for (int who = 0; who < 2; ++who)
        for (const auto &pair : ids)
            sent.push_back(event(pair[who], who == 0 ? "E-1" : "E-2", EventType::timesheet_logged, "2024-03-01"));
    for (bool stored : store_new(path, sent))
        ASSERT_TRUE(stored);
    EventStore store(path, owner);
    std::vector<std::vector<std::string>> seen;
    store.for_each_employee([&](std::string_view, std::span<const Event> events) {
        auto &got = seen.emplace_back();
        for (const Event &e : events)
            got.push_back(e.id);
    });
    ASSERT_EQ(seen.size(), 2u);
    for (size_t k = 0; k < std::size(ids); ++k) {
        EXPECT_EQ(seen[0].at(k), ids[k][0]);
        EXPECT_EQ(seen[1].at(k), ids[k][1]);
    }
}

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

// Evaluating everyone decodes each employee's row over the events of the one before, and a plain timesheet
// entry (a numbered id, its minutes, its activity) decoded over one such entry writes only what differs
// (EventStore::DecodedOver). Rows that put every kind of event over every other, and more events than the row
// before and fewer, decode as each does alone: nothing of an event before is left in any member.
TEST(EventStore, AnEntryDecodedOverAnotherKeepsNothingOfItAndEveryOtherEventIsWrittenWhole)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    std::vector<Event> sent;
    int number = 0;
    auto add = [&](const char *employee, EventType type, const char *date) -> Event & {
        const std::string id = std::string(employee) + "-" + std::to_string(++number); // numbered, as hosts send
        return sent.emplace_back(event(id.c_str(), employee, type, date));
    };
    auto entry = [&](const char *employee, const char *date, int32_t minutes, Activity activity) -> Event & {
        Event &e = add(employee, EventType::timesheet_logged, date);
        e.minutes = minutes;
        e.activity = activity;
        return e;
    };
    // E-1: plain entries of each activity, and entries that are not plain (a coach, a scheme, an id of its own).
    entry("E-1", "2024-01-01", 60, Activity::coaching);
    entry("E-1", "2024-01-02", 90, Activity::visit);
    entry("E-1", "2024-01-03", 30, Activity::contact);
    entry("E-1", "2024-01-04", 45, Activity::coaching).coach = "C-7";
    entry("E-1", "2024-01-05", 15, Activity::visit).scheme = "vpw";
    sent.push_back(event("E-1-own-id", "E-1", EventType::timesheet_logged, "2024-01-06"));
    sent.back().minutes = 5;
    entry("E-1", "2019-12-31", -20, Activity::coaching); // a date before the stored base, negative minutes
    // E-2: other events where E-1 had plain entries, plain entries where it had others, and more of them.
    Event &contract = add("E-2", EventType::contract_started, "2024-02-01");
    contract.employer = "W-1";
    contract.weekly_minutes = 1800;
    contract.end = Date::parse("2025-01-31");
    Event &grant = add("E-2", EventType::coaching_granted, "2024-02-02");
    grant.scheme = "uwv-extern";
    grant.granted_minutes = 6000;
    grant.level = "intensief";
    entry("E-2", "2024-02-03", 240, Activity::contact);
    entry("E-2", "2024-02-04", 120, Activity::coaching);
    entry("E-2", "2024-02-05", 60, Activity::coaching);
    entry("E-2", "2024-02-06", 75, Activity::visit);
    entry("E-2", "2024-02-07", 1000000, Activity::coaching); // minutes of three varint bytes
    entry("E-2", "2024-02-08", 10, Activity::coaching);
    // E-3: plain entries only, fewer than E-2.
    for (const char *date : {"2024-03-01", "2024-03-02", "2024-03-03"})
        entry("E-3", date, 50, Activity::coaching);
    // E-4: others over plain entries again.
    Event &report = add("E-4", EventType::report_submitted, "2024-04-01");
    report.kind = "plan";
    Event &retracted = add("E-4", EventType::timesheet_retracted, "2024-04-02");
    retracted.retracts = "E-4-1";
    add("E-4", EventType::absence_started, "2024-04-03");
    for (bool stored : store_new(path, sent))
        ASSERT_TRUE(stored);
    EventStore store(path, owner);
    std::map<std::string, std::string, std::less<>> rows;
    store.for_each_row([&](std::string_view key, std::string_view row) { rows.emplace(key, row); });
    ASSERT_EQ(rows.size(), 4u);
    std::vector<Event> over;
    EventStore::DecodedOver known;
    size_t checked = 0;
    for (const char *key : {"E-1", "E-2", "E-3", "E-4", "E-2", "E-1", "E-3", "E-2", "E-2"}) {
        const std::string &row = rows.at(key);
        std::vector<Event> fresh;
        const size_t n = EventStore::decode_employee_row(row, key, fresh);
        ASSERT_EQ(EventStore::decode_employee_row(row, key, over, &known), n) << key;
        for (size_t i = 0; i < n; ++i, ++checked) {
            EXPECT_TRUE(jobcoach::rules::same_content(over[i], fresh[i])) << key << " " << fresh[i].id;
            EXPECT_EQ(over[i].seq, fresh[i].seq) << fresh[i].id;
            EXPECT_EQ(over[i].id.str(), fresh[i].id.str());
        }
    }
    EXPECT_EQ(checked, 7u + 8u + 3u + 3u + 8u + 7u + 3u + 8u + 8u);
    // And what was sent comes back: E-2's entries of every activity, its long minutes, E-1's early date.
    std::vector<Event> e1;
    ASSERT_EQ(EventStore::decode_employee_row(rows.at("E-1"), "E-1", e1), 7u);
    for (size_t i = 0; i < 7; ++i) {
        Event expected = sent[i];
        expected.employee.clear(); // the row's key is the caller's
        EXPECT_TRUE(jobcoach::rules::same_content(e1[i], expected)) << sent[i].id;
    }
}

// A plain entry is read in one step (Records::plain_entry: its minutes a varint of up to four bytes, then the
// activity, if any); one that is not as such an entry's bytes are, by the general path. Minutes on either side of
// each varint length (zigzag-coded: 63 and 64, 8,191 and 8,192, -64 and -65, -8,192 and -8,193), of each activity,
// come back as they were sent, decoded alone and over one another.
TEST(EventStore, PlainEntriesMinutesOnEitherSideOfEachVarintLengthComeBackAsSent)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    std::vector<Event> sent;
    int number = 0;
    for (const int32_t minutes : {0, 1, 63, 64, 8191, 8192, 1000000, -1, -64, -65, -8192, -8193})
        for (const Activity activity : {Activity::coaching, Activity::visit, Activity::contact}) {
            const std::string id = "E-1-" + std::to_string(++number); // numbered: a plain entry
            Event &e = sent.emplace_back(event(id.c_str(), "E-1", EventType::timesheet_logged, "2024-05-01"));
            e.date = Date{e.date.days + number};
            e.minutes = minutes;
            e.activity = activity;
        }
    for (bool stored : store_new(path, sent))
        ASSERT_TRUE(stored);
    EventStore store(path, owner);
    std::string row;
    store.for_each_row([&](std::string_view, std::string_view r) { row = r; });
    std::vector<Event> over;
    EventStore::DecodedOver known;
    for (int pass = 0; pass < 3; ++pass) { // fresh, then over what the passes before decoded (DecodedOver)
        std::vector<Event> fresh;
        std::vector<Event> &decoded = pass == 0 ? fresh : over;
        ASSERT_EQ(EventStore::decode_employee_row(row, "E-1", decoded, pass == 0 ? nullptr : &known), sent.size());
        for (size_t i = 0; i < sent.size(); ++i) {
            Event expected = sent[i];
            expected.employee.clear(); // the row's key is the caller's
            EXPECT_TRUE(jobcoach::rules::same_content(decoded[i], expected)) << sent[i].id << " pass " << pass;
            EXPECT_EQ(decoded[i].minutes, sent[i].minutes) << sent[i].id << " pass " << pass;
            EXPECT_EQ(decoded[i].activity, sent[i].activity) << sent[i].id << " pass " << pass;
        }
    }
}

// A stored number is a varint of 1 to 10 bytes, the short ones read without a loop (BodyReader::varint): each
// length's first and last numbers come back as they were sent, decoded alone and over one another.
TEST(EventStore, NumbersOnEitherSideOfEachVarintLengthSurviveTheCompactRow)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    std::vector<int64_t> numbers{INT64_MIN, INT64_MAX};
    for (int bits = 7; bits < 64; bits += 7) { // zigzag-coded 2^bits - 2, 2^bits - 1, 2^bits and 2^bits + 1
        const int64_t half = int64_t{1} << (bits - 1);
        for (int64_t v : {half - 1, -half, half, -half - 1})
            numbers.push_back(v);
    }
    std::vector<Event> sent;
    for (size_t i = 0; i < numbers.size(); ++i) {
        Event g;
        g.type = EventType::coaching_granted;
        g.id = "n-" + std::to_string(i);
        g.employee = i % 2 == 0 ? "E-1" : "E-2";
        g.date = Date{static_cast<int32_t>(numbers[i] % 40000)};
        g.scheme = "uwv-extern";
        g.granted_minutes = numbers[i];
        g.prior_months = static_cast<int32_t>(numbers[i] >> 32);
        sent.push_back(g);
    }
    for (bool stored : store_new(path, sent))
        EXPECT_TRUE(stored);
    EventStore reopened(path, owner);
    for (const Event &s : sent) {
        const auto found = reopened.find(s.id);
        ASSERT_TRUE(found) << s.id;
        EXPECT_EQ(found->granted_minutes, s.granted_minutes) << s.id;
        EXPECT_EQ(found->prior_months, s.prior_months) << s.id;
        EXPECT_EQ(found->date, s.date) << s.id;
    }
    size_t seen = 0;
    reopened.for_each_employee([&](std::string_view, std::span<const Event> events) {
        for (const Event &e : events) {
            const size_t i = std::stoul(e.id.str().substr(2));
            EXPECT_EQ(e.granted_minutes, numbers[i]) << e.id;
            EXPECT_TRUE(jobcoach::rules::same_content(e, sent[i])) << e.id;
            ++seen;
        }
    });
    EXPECT_EQ(seen, sent.size());
}

TEST(EventStore, AStateOfSchema3IsRewrittenAsSchema7WithItsEventsAndReportedFindings)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    write_schema_3_state(path);
    EventStore store(path, owner);
    EXPECT_THAT(testing::PrintToString(store.notes()),
                HasSubstr("a state of schema 3, upgraded to schema 7 (a row per employee)"));
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

TEST(EventStore, AStateOfSchema2IsRewrittenAsSchema7WithItsEventsAndReportedFindings)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    write_old_state(path, 2);
    EventStore store(path, owner);
    EXPECT_THAT(testing::PrintToString(store.notes()),
                HasSubstr("a state of schema 2, upgraded to schema 7 (a row per employee)"));
    expect_old_state_kept(path, store);
    const auto reported = store.reported_of("E-1");
    ASSERT_EQ(reported.size(), 1u);
    EXPECT_EQ(reported[0], std::string("\x01\x02"));
}

TEST(EventStore, AStateOfSchema1IsRewrittenAsSchema7AndAdopted)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    write_old_state(path, 1);
    EventStore store(path, owner);
    EXPECT_THAT(testing::PrintToString(store.notes()), HasSubstr("a state of schema 1, upgraded to schema 7"));
    EXPECT_THAT(testing::PrintToString(store.notes()), HasSubstr("without a plugin id, adopted"));
    expect_old_state_kept(path, store);
    EXPECT_TRUE(store.reported_of("E-1").empty());
    EXPECT_EQ(meta(path, "plugin_id"), owner);
}

// Schema 4 kept a row per id in its index of ids: (a slot: the hash, or a number past it) → the employee's row.
// Opened, the rows are rewritten in format 2 and the index is made anew in buckets, from the rows' own ids.
TEST(EventStore, AStateOfSchema4GetsItsIndexOfIdsInBucketsAndKeepsItsRows)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    std::vector<Event> sent = varied_events();
    for (int k = 0; k < 300; ++k) { // enough ids for more than one bucket
        Event t = event(("m-" + std::to_string(k)).c_str(), k % 2 == 0 ? "E-3" : "E-4", EventType::timesheet_logged,
                        "2024-05-01");
        t.minutes = k;
        sent.push_back(t);
    }
    store_new(path, sent);
    rewrite_in_format_1(path, sent, 4);
    std::vector<std::pair<int64_t, int64_t>> slots;
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("DROP TABLE ids");
        db.exec("CREATE TABLE ids(h INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
        for (const Event &e : sent) {
            const int64_t n = row_number(path, e.employee.c_str());
            db.exec("INSERT INTO ids(h, n) VALUES(" + std::to_string(id_hash(e.id)) + ", " + std::to_string(n) + ")");
            slots.emplace_back(id_hash(e.id), n);
        }
        db.exec("UPDATE meta SET value = '4' WHERE key = 'schema_version'");
    }
    {
        EventStore store(path, owner);
        EXPECT_THAT(testing::PrintToString(store.notes()),
                    HasSubstr("a state of schema 4, upgraded to schema 7 (the index of ids in buckets, its rows in "
                              "the records of format 2)"));
    }
    EXPECT_EQ(meta(path, "schema_version"), "7");
    expect_index_holds(path, slots);
    EXPECT_GT(buckets(path).size(), 2u);
    EventStore store(path, owner);
    for (const Event &e : sent) {
        const auto found = store.find(e.id);
        ASSERT_TRUE(found) << e.id;
        EXPECT_TRUE(jobcoach::rules::same_content(*found, e)) << e.id;
    }
    EXPECT_EQ(store.events_of("E-1").size(), 9u);
    EXPECT_EQ(store.events_of("E-3").size(), 150u);
    Event again = sent[200];
    Event *one[] = {&again};
    EXPECT_FALSE(store.append(one).stored[0]) << "an id of the old state sent again counts once";
}

// Schema 5 wrote its rows in format 1 (every id in full, a seq zigzag-coded, the date from 1970). Opened, each row
// is rewritten in format 2 in place: every event comes back as it was, with its seq, found by its id (the index
// of ids, which names rows, stays), and arrival order continues.
TEST(EventStore, AStateOfSchema5HasItsRowsRewrittenInFormat2)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    std::vector<Event> sent = varied_events();
    for (int k = 0; k < 1500; ++k) { // more rows than are rewritten at a time
        Event t = event(("E-" + std::to_string(10 + k) + "-" + std::to_string(k)).c_str(),
                        ("E-" + std::to_string(10 + k)).c_str(), EventType::timesheet_logged, "2024-05-01");
        t.minutes = k;
        sent.push_back(t);
    }
    store_new(path, sent);
    rewrite_in_format_1(path, sent, 5);
    auto row_bytes = [&] {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        return db.execAndGet("SELECT sum(length(events)) FROM " + rows_table(db)).getInt64();
    };
    const int64_t format_1_bytes = row_bytes();
    // A process still running a plugin of schema 5 on the state, its statement prepared before the upgrade.
    SQLite::Database old_process(path, SQLite::OPEN_READWRITE);
    SQLite::Statement old_append(old_process, "UPDATE employees SET events = events || x'0500' WHERE key = 'E-1'");
    int64_t next_seq = 0;
    {
        EventStore store(path, owner);
        // Its next write fails ("no such table") instead of putting a record of format 1 into a row of format 2.
        EXPECT_THROW(old_append.exec(), SQLite::Exception);
        EXPECT_EQ(store.events_of("E-1").size(), 9u) << "the row as it was";
        EXPECT_THAT(testing::PrintToString(store.notes()),
                    HasSubstr("a state of schema 5, upgraded to schema 7 (its rows in the records of format 2)"));
        for (const Event &e : sent) {
            const auto found = store.find(e.id);
            ASSERT_TRUE(found) << e.id;
            EXPECT_TRUE(jobcoach::rules::same_content(*found, e)) << e.id;
            EXPECT_EQ(found->seq, e.seq) << e.id;
            next_seq = std::max(next_seq, e.seq + 1);
        }
        size_t seen = 0;
        store.for_each_employee([&](std::string_view, std::span<const Event> events) { seen += events.size(); });
        EXPECT_EQ(seen, sent.size());
        Event later = event("t-later", "E-1", EventType::timesheet_logged, "2024-06-01");
        Event *one[] = {&later};
        ASSERT_TRUE(store.append(one).stored[0]);
        EXPECT_EQ(later.seq, next_seq);
        Event again = sent.back();
        Event *replay[] = {&again};
        EXPECT_FALSE(store.append(replay).stored[0]) << "an id of the old state sent again counts once";
    }
    EXPECT_EQ(meta(path, "schema_version"), "7");
    EXPECT_LT(row_bytes(), format_1_bytes * 3 / 4) << "the rows were rewritten, and are smaller";
}

// Schema 6 wrote each timesheet entry as a record of its own. Opened, each row gets its plain entries in runs
// (and its firsts made for the row as it is now): every event comes back as it was, with its seq, found by its
// id, in the same order, and the rows are smaller.
TEST(EventStore, AStateOfSchema6GetsItsTimesheetEntriesInRuns)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    std::vector<Event> sent = varied_events();
    for (int k = 0; k < 4400; ++k) { // more rows than are rewritten at a time, four entries each
        const std::string employee = "E-" + std::to_string(100 + k / 4);
        Event t = event((employee + "-" + std::to_string(1 + k % 4)).c_str(), employee.c_str(),
                        EventType::timesheet_logged, "2024-05-01");
        t.date.days += 7 * (k % 4);
        t.minutes = 15 * (1 + k % 40);
        sent.push_back(t);
    }
    store_new(path, sent);
    auto row_bytes = [&] {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        return db.execAndGet("SELECT sum(length(events)) FROM employee_rows").getInt64();
    };
    const int64_t in_runs = row_bytes();
    {
        // As schema 6 wrote them: each entry a record of its own, the firsts made for those bytes.
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        std::vector<std::pair<std::string, std::string>> rows;
        {
            SQLite::Statement q(db, "SELECT key, events FROM employee_rows");
            while (q.executeStep())
                rows.emplace_back(q.getColumn(0).getString(),
                                  std::string(static_cast<const char *>(q.getColumn(1).getBlob()),
                                              static_cast<size_t>(q.getColumn(1).getBytes())));
        }
        for (const auto &[key, row] : rows) {
            const std::string each = EventStore::expand_row(row, key), firsts = EventStore::firsts_of(each, key);
            SQLite::Statement put(db, "UPDATE employee_rows SET events = ?, firsts = ? WHERE key = ?");
            put.bind(1, each.data(), static_cast<int>(each.size()));
            put.bind(2, firsts.data(), static_cast<int>(firsts.size()));
            put.bind(3, key);
            ASSERT_EQ(put.exec(), 1);
        }
        db.exec("UPDATE meta SET value = '6' WHERE key = 'schema_version'");
    }
    const int64_t each_its_own = row_bytes();
    EXPECT_LT(in_runs, each_its_own * 3 / 4);
    {
        EventStore store(path, owner);
        EXPECT_THAT(testing::PrintToString(store.notes()),
                    HasSubstr("a state of schema 6, upgraded to schema 7 (its timesheet entries in runs)"));
        for (const Event &e : sent) {
            const auto found = store.find(e.id);
            ASSERT_TRUE(found) << e.id;
            EXPECT_TRUE(jobcoach::rules::same_content(*found, e)) << e.id;
            EXPECT_EQ(found->seq, e.seq) << e.id;
        }
        const auto entries = store.events_of("E-1099");
        ASSERT_EQ(entries.size(), 4u);
        for (size_t i = 1; i < entries.size(); ++i)
            EXPECT_LT(entries[i - 1].seq, entries[i].seq) << "in arrival order";
        for (const auto &[key, kept] : rows_and_firsts(store))
            EXPECT_EQ(kept_firsts(kept.second, kept.first), firsts_from_events(kept.first, key)) << key;
    }
    EXPECT_EQ(meta(path, "schema_version"), "7");
    EXPECT_EQ(row_bytes(), in_runs) << "the rows as a state of schema 7 writes them";
}

namespace {
// A plain timesheet entry's record as the store writes it (format 2, event_store.cpp): its length, the head
// (timesheet.logged, a numbered id), seq, the id's number, the date (zigzag, from 2020-01-01), the mask (1: the
// minutes; 3: and the activity), the minutes (zigzag) and the activity (zigzag) when not coaching.
std::string plain_record(uint64_t seq, uint64_t number, int64_t date, int64_t minutes, int activity = 0)
{
    std::string rest = "\x87" + varint(seq) + varint(number) + zigzag(date) + (activity != 0 ? "\x03" : "\x01") +
                       zigzag(minutes) + (activity != 0 ? zigzag(activity) : "");
    return varint(rest.size()) + rest;
}
// A run's record (event_store.cpp): its length, the head 0xc7, the number of entries, the date step (zigzag),
// then the entries, as given.
std::string run_record(uint64_t count, const std::string &entries, int64_t step = 7)
{
    const std::string rest = "\xc7" + varint(count) + zigzag(step) + entries;
    return varint(rest.size()) + rest;
}
// The minutes (zigzag) over the activity, as a run's entry ends.
std::string minutes_and_activity(int64_t minutes, int activity)
{
    return varint(((static_cast<uint64_t>(minutes) << 1) ^ static_cast<uint64_t>(minutes >> 63)) << 2 |
                  static_cast<uint64_t>(activity));
}
// An entry of a run that does not step: the seq's rise (over a bit 0), the id number's and the date's change
// (zigzag), the minutes and the activity.
std::string run_entry(uint64_t rise, int64_t number, int64_t date, int64_t minutes, int activity = 0)
{
    return varint(rise << 1) + zigzag(number) + zigzag(date) + minutes_and_activity(minutes, activity);
}
// An entry of a run that steps (its id number one more, its date the run's step later): the seq's rise (over a
// bit 1), the minutes and the activity.
std::string stepping_entry(uint64_t rise, int64_t minutes, int activity = 0)
{
    return varint(rise << 1 | 1) + minutes_and_activity(minutes, activity);
}
// The events of a row: decoded straight (decode_employee_row), decoded record by record (each entry of a run as
// its record: expand_row's row, straight), and glanced at, which must agree.
std::vector<Event> decoded_every_way(const std::string &row, const std::string &key)
{
    std::vector<Event> straight, over;
    straight.resize(EventStore::decode_employee_row(row, key, straight));
    EventStore::DecodedOver known;
    for (int pass = 0; pass < 2; ++pass)
        over.resize(EventStore::decode_employee_row(row, key, over, &known));
    const std::string each = EventStore::expand_row(row, key);
    std::vector<Event> record_by_record;
    record_by_record.resize(EventStore::decode_employee_row(each, key, record_by_record));
    EXPECT_EQ(straight.size(), record_by_record.size());
    EXPECT_EQ(straight.size(), over.size());
    std::vector<EventStore::Glimpse> glimpses(3), all;
    EventStore::Glance glance(row, key);
    for (size_t n; (n = glance.next(glimpses)) != 0;)
        all.insert(all.end(), glimpses.begin(), glimpses.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(all.size(), straight.size());
    for (size_t i = 0; i < straight.size() && i < record_by_record.size() && i < over.size() && i < all.size(); ++i) {
        EXPECT_TRUE(jobcoach::rules::same_content(straight[i], record_by_record[i])) << i;
        EXPECT_TRUE(jobcoach::rules::same_content(straight[i], over[i])) << i;
        EXPECT_EQ(straight[i].seq, record_by_record[i].seq) << i;
        EXPECT_EQ(straight[i].seq, over[i].seq) << i;
        EXPECT_EQ(all[i].type, straight[i].type) << i;
        EXPECT_EQ(all[i].date, straight[i].date) << i;
        EXPECT_EQ(all[i].scheme, straight[i].scheme) << i;
    }
    return straight;
}
} // namespace

// A run holds plain entries one after another whose seqs do not fall and whose numbers fit its four bytes each;
// an entry is put in one only when its record comes back byte for byte. Entries that step (weekly, daily) and
// those between that do not share one run. A lone entry, an entry past a falling seq, one with a coach or a
// scheme, one written with a longer varint than needed, and one whose minutes, seq's rise or id number's change
// do not fit stay records of their own. Each way of reading the row gives the same events; expand_row gives the
// row back.
TEST(EventStore, PlainEntriesOneAfterAnotherGoInRunsAndComeBackAsTheyWere)
{
    const std::string key = "E-1";
    const int64_t day = Date::parse("2024-02-26")->days - Date::parse("2020-01-01")->days;
    Event coached = event("E-1-90", "E-1", EventType::timesheet_logged, "2024-03-01");
    coached.minutes = 60;
    coached.coach = "C-7";
    std::string coached_record;
    {
        EventStore store("", owner);
        append_all(store, {coached});
        store.for_each_row([&](std::string_view, std::string_view row) { coached_record = std::string(row); });
    }
    struct Case {
        const char *what;
        std::string row;
        size_t records; // after compact_row
    };
    const std::string long_seq_rest = std::string("\x87\x85\x80\x00\x01", 5) + zigzag(day) + "\x01" + zigzag(60);
    const std::string long_seq = varint(long_seq_rest.size()) + long_seq_rest; // seq 5 in three bytes
    const std::vector<Case> cases = {
        {"one entry", plain_record(1, 1, day, 60), 1},
        {"two entries", plain_record(1, 1, day, 60) + plain_record(2, 2, day + 7, 90, 1), 1},
        {"a week of each activity and some minutes below zero",
         plain_record(10, 3, day, 60) + plain_record(11, 4, day + 7, 90, 1) + plain_record(15, 5, day + 14, -30, 2) +
             plain_record(300000, 1, day - 400, 100000),
         1},
        {"weeks, and entries between that do not step",
         plain_record(1, 1, day, 60) + plain_record(2, 2, day + 7, 60) + plain_record(3, 3, day + 8, 60) +
             plain_record(4, 5, day + 15, 60) + plain_record(5, 6, day + 22, 60) + plain_record(6, 7, day + 29, 60),
         1},
        {"days, stepping by one", plain_record(1, 1, day, 60) + plain_record(2, 2, day + 1, 60) +
                                      plain_record(3, 3, day + 2, 60) + plain_record(4, 4, day + 3, 60), 1},
        {"a falling seq", plain_record(5, 1, day, 60) + plain_record(3, 2, day + 7, 60), 2},
        {"an equal seq", plain_record(5, 1, day, 60) + plain_record(5, 2, day + 7, 60), 1},
        {"another record between",
         plain_record(1, 1, day, 60) + plain_record(2, 2, day + 7, 60) + coached_record + plain_record(4, 3, day, 60) +
             plain_record(5, 4, day + 1, 60),
         3},
        {"a seq written in more bytes than it needs",
         plain_record(1, 1, day, 60) + long_seq + plain_record(6, 2, day, 60), 3},
        {"minutes a run's entry cannot hold",
         plain_record(1, 1, day, 60) + plain_record(2, 2, day, (int64_t{1} << 25) + 1) + plain_record(3, 3, day, 60),
         3},
        {"a seq's rise at the top of what an entry's first number holds (four bytes, over the step's bit)",
         plain_record(1, 1, day, 60) + plain_record(1u << 27, 2, day + 7, 60), 1},
        {"a seq's rise one past it", plain_record(1, 1, day, 60) + plain_record((1u << 27) + 1, 2, day + 7, 60), 2},
        {"an id number's change a run's entry cannot hold",
         plain_record(1, 1, day, 60) + plain_record(2, (1u << 28) - 1, day, 60), 2},
    };
    for (const Case &c : cases) {
        SCOPED_TRACE(c.what);
        const std::string compact = EventStore::compact_row(c.row);
        EXPECT_EQ(EventStore::expand_row(compact, key), c.row);
        EXPECT_EQ(EventStore::compact_row(compact), compact) << "compacted again, the same";
        const auto before = decoded_every_way(c.row, key), after = decoded_every_way(compact, key);
        ASSERT_EQ(before.size(), after.size());
        for (size_t i = 0; i < before.size(); ++i) {
            EXPECT_TRUE(jobcoach::rules::same_content(before[i], after[i])) << i;
            EXPECT_EQ(before[i].seq, after[i].seq) << i;
        }
        size_t records = 0;
        for (size_t at = 0; at < compact.size(); ++records) {
            uint64_t size = 0;
            for (int shift = 0;; shift += 7) {
                const auto b = static_cast<unsigned char>(compact[at++]);
                size |= static_cast<uint64_t>(b & 0x7f) << shift;
                if (b < 0x80)
                    break;
            }
            at += size;
        }
        EXPECT_EQ(records, c.records);
    }
    // A year of weekly entries: three bytes each in a run (they step), against eleven each as records of their own.
    std::string year;
    for (int week = 0; week < 52; ++week)
        year += plain_record(5000000 + week, 1 + week, day + 7 * week, 30 * (1 + week % 16), week % 3);
    const std::string compact = EventStore::compact_row(year);
    EXPECT_LE(compact.size(), 52u * 3 + 14);
    EXPECT_GE(year.size(), 52u * 10);
    EXPECT_EQ(decoded_every_way(compact, key).size(), 52u);
}

// The store writes rows with their plain entries in runs: what it gives back, by employee, by id and to every
// reader, is what was sent, and an entry can still be taken out of its run (a duplicate sent in the same batch
// as new ones is told, and the rest stored).
TEST(EventStore, TheStoreKeepsPlainEntriesInRunsAndGivesEachBackAsSent)
{
    std::vector<Event> sent = varied_events();
    for (int week = 0; week < 104; ++week) {
        Event t = event(("E-1-" + std::to_string(1 + week)).c_str(), "E-1", EventType::timesheet_logged, "2024-01-01");
        t.date.days += 7 * week;
        t.minutes = 30 + week;
        t.activity = static_cast<Activity>(week % 3);
        sent.push_back(t);
    }
    EventStore store("", owner);
    std::vector<Event *> pointers;
    for (Event &e : sent)
        pointers.push_back(&e);
    ASSERT_EQ(store.append(pointers).conflicts.size(), 0u); // (each gets its seq)
    std::string row;
    store.for_each_row([&](std::string_view key, std::string_view r) {
        if (key == "E-1")
            row = std::string(r);
    });
    EXPECT_LT(row.size(), EventStore::expand_row(row, "E-1").size() * 2 / 3) << "the entries in runs";
    const auto events = store.events_of("E-1");
    std::vector<const Event *> expected;
    for (const Event &e : sent)
        if (e.employee == "E-1")
            expected.push_back(&e);
    ASSERT_EQ(events.size(), expected.size());
    for (size_t i = 0; i < events.size(); ++i) {
        EXPECT_TRUE(jobcoach::rules::same_content(events[i], *expected[i])) << expected[i]->id;
        EXPECT_EQ(events[i].seq, expected[i]->seq) << expected[i]->id;
    }
    decoded_every_way(row, "E-1");
    // Later entries, one of them sent before: the new ones join the run, the one sent before counts once.
    Event again = sent.back();
    Event later = event("E-1-500", "E-1", EventType::timesheet_logged, "2026-01-05");
    later.minutes = 45;
    Event *batch[] = {&later, &again};
    const auto outcome = store.append(batch);
    EXPECT_TRUE(outcome.stored[0]);
    EXPECT_FALSE(outcome.stored[1]);
    EXPECT_EQ(store.events_of("E-1").size(), expected.size() + 1);
    const auto found = store.find("E-1-50");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->minutes, 30 + 49);
}

// A damaged run is an error naming the employee and what is wrong, whichever way the row is read: a count of
// none or of more entries than its bytes hold, a date step out of range, an entry cut short (one that steps and
// one that does not), a number out of range (an id number below zero, an activity of 3), bytes after its last
// entry.
TEST(EventStore, ADamagedRunIsAnErrorNamingTheEmployee)
{
    const std::string entry = run_entry(1, 1, 100, 60); // 6 bytes
    const struct {
        std::string row, what;
    } damages[] = {
        {run_record(0, entry), "a run of timesheet entries of a wrong count"},
        {run_record(7, entry + entry), "a run of timesheet entries of a wrong count"},
        {run_record(2, entry + entry, int64_t{1} << 27), "a run's date step out of range"},
        {run_record(2, entry + entry.substr(0, 3) + "\x80"), "a run's entry cut short, or a number of it out of range"},
        {run_record(2, entry + stepping_entry(1, 60).substr(0, 1) + "\x80"),
         "a run's entry cut short, or a number of it out of range"},
        {run_record(2, entry + run_entry(1, -2, 7, 60)), "a number of a run's entry out of range"},
        {run_record(2, entry + run_entry(1, 1, 7, 60, 3)), "a number of a run's entry out of range"},
        {run_record(2, entry + stepping_entry(1, 60, 3)), "a number of a run's entry out of range"},
        {run_record(1, entry + "\x01\x01\x01\x01"), "bytes after a run's last entry"},
    };
    for (const auto &d : damages) {
        SCOPED_TRACE(d.what);
        const std::string row = plain_record(1, 1, 0, 60) + d.row;
        const std::string what = "employee E-1: an event's stored row is damaged (" + d.what + ")";
        std::vector<Event> out;
        EXPECT_THAT([&] { EventStore::decode_employee_row(row, "E-1", out); },
                    testing::ThrowsMessage<std::runtime_error>(HasSubstr(what)));
        EventStore::DecodedOver known;
        EXPECT_THAT([&] { EventStore::decode_employee_row(row, "E-1", out, &known); },
                    testing::ThrowsMessage<std::runtime_error>(HasSubstr(what)));
        EXPECT_THAT([&] { EventStore::expand_row(row, "E-1"); },
                    testing::ThrowsMessage<std::runtime_error>(HasSubstr(what)));
        EXPECT_THAT(
            [&] {
                std::vector<EventStore::Glimpse> some(32);
                EventStore::Glance glance(row, "E-1");
                while (glance.next(some) != 0) {
                }
            },
            testing::ThrowsMessage<std::runtime_error>(HasSubstr(what)));
    }
}

// Format 2 writes an id that is the row's key followed by '-' and a number without leading zeros as that number
// alone, one that starts with the key otherwise as what follows it, and any other in full. Each comes back whole,
// alone and decoded over another employee's ids, for keys of every length the copy treats apart (1, 4 to 7, 8
// to 16 and more bytes).
TEST(EventStore, AnIdStoredAsTheRowsKeyAndWhatFollowsItComesBackWhole)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    const std::vector<std::string> keys = {"E", "E-12", "E-0000001", "E-00000000000002", "EMPLOYEE-0000000000003"};
    const std::vector<std::string> suffixes = {
        "-7", "-0", "-07", "-", "-999999999999999999", "-1000000000000000000", "-18446744073709551616", "x", "-12a",
        "--5", "-+5", "-00", "-123456789012345678",
    };
    std::vector<Event> sent;
    for (const auto &key : keys) {
        for (const auto &suffix : suffixes)
            sent.push_back(event((key + suffix).c_str(), key.c_str(), EventType::timesheet_logged, "2024-03-01"));
        sent.push_back(event(("X" + key).c_str(), key.c_str(), EventType::timesheet_logged, "2024-03-02"));
    }
    sent.push_back(event("E-0000001", "E-0000001", EventType::timesheet_logged, "2024-03-03")); // the key itself
    sent.push_back(event("E-00000", "E-0000001", EventType::timesheet_logged, "2024-03-04"));   // a part of it
    for (bool stored : store_new(path, sent))
        ASSERT_TRUE(stored);
    EventStore store(path, owner);
    for (const Event &e : sent) {
        const auto found = store.find(e.id);
        ASSERT_TRUE(found) << e.id;
        EXPECT_EQ(found->id, e.id);
        EXPECT_EQ(found->employee, e.employee) << e.id;
    }
    std::map<std::string, std::vector<std::string>> seen;
    store.for_each_employee([&](std::string_view key, std::span<const Event> events) {
        for (const Event &e : events)
            seen[std::string(key)].push_back(e.id);
    });
    std::map<std::string, std::vector<std::string>> expected;
    for (const Event &e : sent)
        expected[e.employee].push_back(e.id);
    EXPECT_EQ(seen, expected);
    // A numbered id is not in the row as text: only its number is.
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT instr(events, CAST(? AS BLOB)), instr(events, CAST(? AS BLOB)) FROM employee_rows "
                            "WHERE key = 'E-0000001'");
    q.bind(1, "E-0000001-7");
    q.bind(2, "XE-0000001");
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt(), 0) << "a numbered id is stored as its number";
    EXPECT_GT(q.getColumn(1).getInt(), 0) << "an id that does not start with the key is stored in full";
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

// Many ids go into the index bucket by bucket (each bucket read and written once a batch); ids stored before
// among them are told one by one, each id's outcome its own, and the buckets hold each stored id once.
TEST(EventStore, ManyIdsGoInBucketByBucketAndEachIdStoredBeforeIsToldOnItsOwn)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    EventStore store(path, owner);
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
    std::vector<std::pair<int64_t, int64_t>> slots;
    for (int k = 0; k < 500; ++k)
        slots.emplace_back(id_hash("a-" + std::to_string(k)), row_number(path, ("E-" + std::to_string(k % 7)).c_str()));
    for (int k = 0; k < 400; ++k)
        slots.emplace_back(id_hash("b-" + std::to_string(k)), row_number(path, ("E-" + std::to_string(k % 5)).c_str()));
    expect_index_holds(path, slots);
}

TEST(EventStore, ADamagedRowIsAnErrorNamingTheEmployeeAndTheEventWhereItCan)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    std::vector<Event> sent = varied_events();
    store_new(path, sent);
    // A record of format 2: its length, then a byte (the type 4, no employer, no scheme, the id in full), seq 99,
    // id "g-9", and a body: the date (zigzag, from 2020-01-01), the mask turned so that bit 11 (minutes) is its
    // bit 0, and the members.
    auto record = [](const std::string &head, const std::string &body, const std::string &seq = varint(99),
                     const std::string &id = "g-9") {
        const std::string rest = head + seq + text(id) + body;
        return varint(rest.size()) + rest;
    };
    auto turned = [](uint64_t mask) { return varint(((mask >> 11) | (mask << 5)) & 0xffff); };
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
    const std::string granted = "\x04";
    const std::vector<Damage> damages = {
        {"x'ff'", "employee E-1: an event's stored row is damaged (cut short)"},
        {"events || x'05'", "employee E-1: an event's stored row is damaged (a record cut short)"},
        // A type of 14 and of 0; an id written in a fourth way; a seq past 2^63 - 1.
        {"events || " + hex(record("\x0e", "")),
         "employee E-1: an event's stored row is damaged (a number out of range)"},
        {"events || " + hex(record(std::string(1, '\0'), "")),
         "employee E-1: an event's stored row is damaged (a number out of range)"},
        {"events || " + hex(record("\xc4", "")),
         "employee E-1: an event's stored row is damaged (a number out of range)"},
        {"events || " + hex(record(granted, zigzag(0) + turned(0), varint(uint64_t{1} << 63))),
         "employee E-1: an event's stored row is damaged (a number out of range)"},
        // An end_change (bit 2) of 5; bytes after the body's end; a weekly_minutes of 2^40; a mask cut short; a
        // mask with a bit past the members.
        {"events || " + hex(record(granted, zigzag(0) + turned(4) + zigzag(5))),
         "event g-9 of employee E-1: an event's stored row is damaged (a number out of range)"},
        {"events || " + hex(record(granted, zigzag(0) + turned(0) + "\x01")),
         "event g-9 of employee E-1: an event's stored row is damaged (bytes after its end)"},
        {"events || " + hex(record(granted, zigzag(0) + turned(1) + zigzag(int64_t{1} << 40))),
         "event g-9 of employee E-1: an event's stored row is damaged (a number out of range)"},
        {"events || " + hex(record(granted, zigzag(0) + "\x80")),
         "event g-9 of employee E-1: an event's stored row is damaged (cut short)"},
        {"events || " + hex(record(granted, zigzag(0) + varint(1u << 16))),
         "event g-9 of employee E-1: an event's stored row is damaged (unknown members)"},
        // An id with a NUL and a byte that is not UTF-8: shown with '?' for each, so the message stays whole.
        {"events || " + hex(record(granted, zigzag(0) + "\x80", varint(99), std::string("g-\0\xff", 4))),
         "event g-?? of employee E-1: an event's stored row is damaged (cut short)"},
    };
    std::string intact;
    {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        SQLite::Statement q(db, "SELECT hex(events) FROM employee_rows WHERE key = 'E-1'");
        ASSERT_TRUE(q.executeStep());
        intact = "x'" + q.getColumn(0).getString() + "'";
    }
    for (const Damage &d : damages) {
        {
            SQLite::Database db(path, SQLite::OPEN_READWRITE);
            db.exec("UPDATE employee_rows SET events = " + d.sql + " WHERE key = 'E-1'");
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
        db.exec("UPDATE employee_rows SET events = " + intact + " WHERE key = 'E-1'");
    }
}

TEST(EventStore, TwoIdsWithOneHashAreToldApartByTheRowsThatHoldThem)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    std::vector<Event> sent = varied_events();
    store_new(path, sent);
    // The index of ids keys a 64-bit FNV-1a hash of the id (event_store.cpp). Give y-1's hash a slot of E-2's
    // row, which does not hold y-1, as a second id with the same hash would.
    const int64_t h = id_hash("y-1");
    const int64_t e2 = row_number(path, "E-2");
    add_slot(path, h, e2);
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
    const int64_t e1 = row_number(path, "E-1");
    std::vector<std::pair<int64_t, int64_t>> slots{{h, e2}, {h, e1}};
    for (const Event &e : sent)
        slots.emplace_back(id_hash(e.id), row_number(path, e.employee.c_str()));
    expect_index_holds(path, slots);
    // Erasing E-1 takes its slot of the hash out, and leaves E-2's.
    EXPECT_EQ(store.erase("E-1").events, 10u);
    EXPECT_FALSE(store.find("y-1"));
    EXPECT_EQ(store.find("t-2")->employee, "E-2");
    expect_index_holds(path, {{h, e2}, {id_hash("t-2"), e2}});
    // The other way round: the hash's other slot is of a lower row than the one the id goes into. A bucket's
    // slots stay in order (by hash, then row).
    const int64_t h3 = id_hash("y-3");
    add_slot(path, h3, e2);
    Event y3 = event("y-3", "E-9", EventType::timesheet_logged, "2024-03-09");
    Event *three[] = {&y3};
    EXPECT_TRUE(store.append(three).stored[0]);
    const int64_t e9 = row_number(path, "E-9");
    EXPECT_GT(e9, e2);
    expect_index_holds(path, {{h, e2}, {id_hash("t-2"), e2}, {h3, e2}, {h3, e9}});
    EXPECT_EQ(store.find("y-3")->employee, "E-9");
}

// Ids fill their buckets, which split past 128 slots; an erased employee's slots leave their buckets, the other
// employees' stay, and a bucket left empty goes. A replay without the erased employee gives the same index.
TEST(EventStore, ErasingAnEmployeeTakesItsSlotsOutOfTheBucketsAndAnEmptyBucketGoes)
{
    TempDir tmp;
    const std::string path = tmp.file("state");
    const std::string replay_path = tmp.file("replay");
    auto timesheets = [](const char *employee, const char *prefix, int count) {
        std::vector<Event> out;
        for (int k = 0; k < count; ++k) {
            Event t = event((std::string(prefix) + std::to_string(k)).c_str(), employee, EventType::timesheet_logged,
                            "2024-05-01");
            t.minutes = 15 + k;
            out.push_back(t);
        }
        return out;
    };
    std::vector<Event> first = timesheets("E-1", "a-", 700), second = timesheets("E-2", "b-", 500),
                       third = timesheets("E-1", "c-", 300);
    EventStore store(path, owner);
    std::vector<std::pair<int64_t, int64_t>> slots;
    for (auto *batch : {&first, &second, &third}) {
        std::vector<Event *> pointers;
        for (Event &e : *batch)
            pointers.push_back(&e);
        ASSERT_TRUE(store.append(pointers).conflicts.empty());
        for (const Event &e : *batch)
            slots.emplace_back(id_hash(e.id), row_number(path, e.employee.c_str()));
        expect_index_holds(path, slots);
    }
    EXPECT_GT(buckets(path).size(), 8u) << "1,500 slots split their buckets";
    const int64_t e1 = row_number(path, "E-1");
    EXPECT_EQ(store.erase("E-1").events, 1000u);
    std::erase_if(slots, [&](const auto &slot) { return slot.second == e1; });
    expect_index_holds(path, slots);
    for (const Event &e : second)
        ASSERT_TRUE(store.find(e.id)) << e.id;
    for (const Event &e : first)
        ASSERT_FALSE(store.find(e.id)) << e.id;
    {
        EventStore replay(replay_path, owner);
        std::vector<Event> again = timesheets("E-2", "b-", 500);
        std::vector<Event *> pointers;
        for (Event &e : again)
            pointers.push_back(&e);
        replay.append(pointers);
    }
    auto hashes = [](const std::string &file) {
        std::vector<int64_t> out;
        for (const Bucket &b : buckets(file))
            for (const auto &slot : b.slots)
                out.push_back(slot.first);
        return out;
    };
    EXPECT_EQ(hashes(path), hashes(replay_path)) << "the ids of a replay without E-1 (whose row has another number)";
    EXPECT_EQ(store.erase("E-2").events, 500u);
    EXPECT_TRUE(buckets(path).empty()) << "every bucket left empty went";
    Event y = event("a-1", "E-3", EventType::timesheet_logged, "2024-05-02");
    Event *one[] = {&y};
    ASSERT_TRUE(store.append(one).stored[0]) << "an erased id is stored anew";
    EXPECT_EQ(store.find("a-1")->employee, "E-3");
    expect_index_holds(path, {{id_hash("a-1"), row_number(path, "E-3")}});
}

// A new state file has pages of 16 KiB (rows of years of entries share a page: evaluating everyone reads the file
// a quarter as often); a state made with pages of 4 KiB keeps them, and its events, and takes new ones.
TEST(EventStore, ANewStateHasPagesOf16KiBAndAnOlderStateKeepsItsOwn)
{
    TempDir tmp;
    auto page_size = [](const std::string &path) {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        return db.execAndGet("PRAGMA page_size").getInt();
    };
    const std::string fresh = tmp.file("fresh");
    std::vector<Event> sent = varied_events();
    store_new(fresh, sent);
    EXPECT_EQ(page_size(fresh), 16384);

    const std::string older = tmp.file("older");
    std::vector<Event> kept = varied_events();
    store_new(older, kept);
    {
        SQLite::Database db(older, SQLite::OPEN_READWRITE);
        db.exec("PRAGMA journal_mode=DELETE"); // the page size changes only outside WAL, by VACUUM
        db.exec("PRAGMA page_size=4096");
        db.exec("VACUUM");
    }
    ASSERT_EQ(page_size(older), 4096);
    {
        EventStore store(older, owner);
        Event later = event("t-later", "E-1", EventType::timesheet_logged, "2024-06-03");
        later.minutes = 30;
        Event *one[] = {&later};
        EXPECT_TRUE(store.append(one).stored[0]);
        for (const Event &e : kept) {
            const auto found = store.find(e.id);
            ASSERT_TRUE(found) << e.id;
            EXPECT_TRUE(jobcoach::rules::same_content(*found, e)) << e.id;
        }
        EXPECT_EQ(store.find("t-later")->minutes, 30);
    }
    EXPECT_EQ(page_size(older), 4096);
}
