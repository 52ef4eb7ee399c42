// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/rules/event_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace jobcoach::rules {

namespace {

constexpr int schema_version = 1;

// Creates the file owner-only before SQLite opens it, so personal data is never readable by others.
void create_private_file(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0)
        throw std::runtime_error("cannot create state file " + path);
    ::close(fd);
}

// Binds without a copy: the event outlives the statement's exec. An empty text is NULL.
void bind_text(SQLite::Statement &s, int index, const std::string &value)
{
    if (value.empty())
        s.bind(index);
    else
        s.bindNoCopy(index, value);
}

} // namespace

EventStore::EventStore(const std::string &path)
{
    try {
        if (!path.empty())
            create_private_file(path);
        db_ = std::make_unique<SQLite::Database>(path.empty() ? ":memory:" : path,
                                                 SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db_->exec("PRAGMA journal_mode=WAL");
        db_->exec("PRAGMA synchronous=NORMAL"); // durable across a killed process; WAL keeps commits atomic
        db_->exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        db_->exec("CREATE TABLE IF NOT EXISTS events("
                  " seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type INTEGER NOT NULL,"
                  " employee TEXT NOT NULL, date INTEGER NOT NULL,"
                  " employer TEXT, weekly_minutes INTEGER, end_date INTEGER, end_change INTEGER,"
                  " paid INTEGER, paid_prospect INTEGER, scheme TEXT, level TEXT, granted_minutes INTEGER,"
                  " prior_months INTEGER, coach_form TEXT, justification TEXT, months INTEGER, minutes INTEGER,"
                  " activity INTEGER, coach TEXT, retracts TEXT, kind TEXT)");
        SQLite::Statement version(*db_, "SELECT value FROM meta WHERE key = 'schema_version'");
        if (version.executeStep()) {
            const int found = std::stoi(version.getColumn(0).getString());
            if (found != schema_version)
                throw std::runtime_error("schema version " + std::to_string(found) + ", expected " +
                                         std::to_string(schema_version));
        } else {
            db_->exec("INSERT INTO meta(key, value) VALUES('schema_version', '" + std::to_string(schema_version) + "')");
        }
    } catch (const std::exception &e) {
        throw std::runtime_error("state database " + (path.empty() ? std::string(":memory:") : path) + ": " + e.what());
    }
}

EventStore::~EventStore() = default;

std::vector<Event> EventStore::load() const
{
    std::vector<Event> out;
    SQLite::Statement q(*db_, "SELECT seq, id, type, employee, date, employer, weekly_minutes, end_date, end_change,"
                              " paid, paid_prospect, scheme, level, granted_minutes, prior_months, coach_form,"
                              " justification, months, minutes, activity, coach, retracts, kind"
                              " FROM events ORDER BY seq");
    auto text = [&](int i) { return q.getColumn(i).isNull() ? std::string() : q.getColumn(i).getString(); };
    while (q.executeStep()) {
        Event e;
        e.seq = q.getColumn(0).getInt64();
        e.id = text(1);
        e.type = static_cast<EventType>(q.getColumn(2).getInt());
        e.employee = text(3);
        e.date = Date{q.getColumn(4).getInt()};
        e.employer = text(5);
        e.weekly_minutes = q.getColumn(6).getInt();
        if (!q.getColumn(7).isNull())
            e.end = Date{q.getColumn(7).getInt()};
        e.end_change = static_cast<EndChange>(q.getColumn(8).getInt());
        e.paid = q.getColumn(9).getInt() != 0;
        e.paid_prospect = q.getColumn(10).getInt() != 0;
        e.scheme = text(11);
        e.level = text(12);
        e.granted_minutes = q.getColumn(13).getInt64();
        e.prior_months = q.getColumn(14).getInt();
        e.coach_form = text(15);
        e.justification = text(16).empty() ? "" : justification_given; // a state written before this kept the text
        e.months = q.getColumn(17).getInt();
        e.minutes = q.getColumn(18).getInt();
        e.activity = static_cast<Activity>(q.getColumn(19).getInt());
        e.coach = text(20);
        e.retracts = text(21);
        e.kind = text(22);
        out.push_back(std::move(e));
    }
    return out;
}

void EventStore::append(std::span<Event *const> events)
{
    if (events.empty())
        return;
    SQLite::Transaction tx(*db_);
    SQLite::Statement ins(*db_, "INSERT INTO events(id, type, employee, date, employer, weekly_minutes, end_date,"
                                " end_change, paid, paid_prospect, scheme, level, granted_minutes, prior_months,"
                                " coach_form, justification, months, minutes, activity, coach, retracts, kind)"
                                " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    for (Event *event : events) {
        Event &e = *event;
        ins.reset(); // every column is bound below, a value or NULL, so no clearBindings
        ins.bindNoCopy(1, e.id);
        ins.bind(2, static_cast<int>(e.type));
        ins.bindNoCopy(3, e.employee);
        ins.bind(4, e.date.days);
        bind_text(ins, 5, e.employer);
        ins.bind(6, e.weekly_minutes);
        if (e.end)
            ins.bind(7, e.end->days);
        else
            ins.bind(7);
        ins.bind(8, static_cast<int>(e.end_change));
        ins.bind(9, e.paid ? 1 : 0);
        ins.bind(10, e.paid_prospect ? 1 : 0);
        bind_text(ins, 11, e.scheme);
        bind_text(ins, 12, e.level);
        ins.bind(13, static_cast<int64_t>(e.granted_minutes));
        ins.bind(14, e.prior_months);
        bind_text(ins, 15, e.coach_form);
        bind_text(ins, 16, e.justification);
        ins.bind(17, e.months);
        ins.bind(18, e.minutes);
        ins.bind(19, static_cast<int>(e.activity));
        bind_text(ins, 20, e.coach);
        bind_text(ins, 21, e.retracts);
        bind_text(ins, 22, e.kind);
        ins.exec();
        e.seq = db_->getLastInsertRowid();
    }
    tx.commit();
}

} // namespace jobcoach::rules
