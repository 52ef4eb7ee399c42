// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/rules/event_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace jobcoach::rules {

namespace {

// 1: the events table; 2: its indexes by employee and by employer (a plugin reads an employee's events when it
// needs them, and opening a state reads nothing). A state of schema 1 is upgraded when opened.
constexpr int schema_version = 2;

const char *const event_columns = "seq, id, type, employee, date, employer, weekly_minutes, end_date, end_change,"
                                  " paid, paid_prospect, scheme, level, granted_minutes, prior_months, coach_form,"
                                  " justification, months, minutes, activity, coach, retracts, kind";

// Reads a row of `event_columns` into an event.
Event read_event(SQLite::Statement &q)
{
    auto text = [&](int i) { return q.getColumn(i).isNull() ? std::string() : q.getColumn(i).getString(); };
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
    return e;
}

// What schema 2 adds to schema 1: the indexes, and what the plugin last reported per employee (the lifecycle,
// FORMATS.md `change`): one row per finding id, the finding encoded (rules::encode).
void create_indexes(SQLite::Database &db)
{
    db.exec("CREATE INDEX IF NOT EXISTS events_by_employee ON events(employee, seq)");
    db.exec("CREATE INDEX IF NOT EXISTS events_by_employer ON events(employer) WHERE employer IS NOT NULL");
    db.exec("CREATE TABLE IF NOT EXISTS reported(employee TEXT NOT NULL, id TEXT NOT NULL,"
            " employer_level INTEGER NOT NULL, finding BLOB NOT NULL, PRIMARY KEY(employee, id)) WITHOUT ROWID");
    db.exec("CREATE INDEX IF NOT EXISTS reported_employer_level ON reported(employer_level) WHERE employer_level = 1");
}

// Opens `path` without following a link; -1 when it does not exist. Refuses what is not a regular file of this user's; makes a file that group or others may
// read or write owner-only, noting it.
int open_private(const std::string &path, std::vector<std::string> &notes)
{
    const int fd = ::open(path.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return -1;
        if (errno == ELOOP)
            throw std::runtime_error(path + " is a symbolic link; a state file must be a file of its own");
        throw std::runtime_error("cannot open " + path + " (" + std::strerror(errno) + ")");
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw std::runtime_error(path + " is not a regular file");
    }
    if (st.st_uid != ::geteuid()) {
        ::close(fd);
        throw std::runtime_error(path + " belongs to uid " + std::to_string(st.st_uid) + ", not to this user");
    }
    if ((st.st_mode & 077) != 0) {
        if (::fchmod(fd, 0600) != 0) {
            ::close(fd);
            throw std::runtime_error("cannot make " + path + " owner-only (" + std::strerror(errno) + ")");
        }
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        notes.push_back(path + " had mode " + mode + "; made owner-only (0600), as it holds personal data");
    }
    return fd;
}

// The table names of an open database.
std::vector<std::string> tables(SQLite::Database &db)
{
    std::vector<std::string> out;
    SQLite::Statement q(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    while (q.executeStep())
        out.push_back(q.getColumn(0).getString());
    return out;
}

std::optional<std::string> meta_value(SQLite::Database &db, const char *key)
{
    SQLite::Statement q(db, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    if (!q.executeStep())
        return std::nullopt;
    return q.getColumn(0).getString();
}

// The tables of a new state, and the meta rows that say whose it is.
void create_schema(SQLite::Database &db, std::string_view owner)
{
    SQLite::Transaction tx(db);
    db.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    db.exec("CREATE TABLE events("
            " seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type INTEGER NOT NULL,"
            " employee TEXT NOT NULL, date INTEGER NOT NULL,"
            " employer TEXT, weekly_minutes INTEGER, end_date INTEGER, end_change INTEGER,"
            " paid INTEGER, paid_prospect INTEGER, scheme TEXT, level TEXT, granted_minutes INTEGER,"
            " prior_months INTEGER, coach_form TEXT, justification TEXT, months INTEGER, minutes INTEGER,"
            " activity INTEGER, coach TEXT, retracts TEXT, kind TEXT)");
    create_indexes(db);
    SQLite::Statement meta(db, "INSERT INTO meta(key, value) VALUES('schema_version', ?), ('plugin_id', ?)");
    meta.bind(1, std::to_string(schema_version));
    meta.bind(2, std::string(owner));
    meta.exec();
    tx.commit();
}

// Creates a new state at `path` whole or not at all: made in a temporary file beside it (owner-only), which is
// then linked to `path`. A process killed meanwhile leaves no half-made state at `path`, so an empty file there
// is never one of ours. When another process created `path` first, its state is used.
void create_state_file(const std::string &path, std::string_view owner)
{
    std::string temporary = path + ".creating-XXXXXX";
    const int fd = ::mkstemp(temporary.data());
    if (fd < 0)
        throw std::runtime_error("cannot create a file beside " + path + " (" + std::strerror(errno) + ")");
    ::fchmod(fd, 0600);
    ::close(fd);
    struct Remove {
        const std::string &file;
        ~Remove() { ::unlink(file.c_str()); }
    } remove{temporary};
    {
        SQLite::Database db(temporary, SQLite::OPEN_READWRITE);
        db.exec("PRAGMA journal_mode=WAL");
        create_schema(db, owner);
    } // closed: checkpointed, its -wal and -shm gone
    if (::link(temporary.c_str(), path.c_str()) != 0 && errno != EEXIST)
        throw std::runtime_error("cannot create " + path + " (" + std::strerror(errno) + ")");
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

EventStore::EventStore(const std::string &path, std::string_view owner)
{
    const std::string name = path.empty() ? std::string(":memory:") : path;
    try {
        if (!path.empty()) {
            struct stat existing {};
            if (::lstat(path.c_str(), &existing) != 0 && errno == ENOENT)
                create_state_file(path, owner);
            lock_fd_ = open_private(path, notes_);
            if (lock_fd_ < 0)
                throw std::runtime_error("vanished while it was opened");
            // Several processes and instances may share the state: every read goes to the database, so each
            // sees the others' committed batches (SQLite's locking; busy_timeout below). The descriptor stays
            // open while SQLite has the file open, as closing any descriptor of it would drop SQLite's locks.
            bool has_log = false;
            for (const char *suffix : {"-wal", "-shm"})
                if (const int fd = open_private(path + suffix, notes_); fd >= 0) {
                    struct stat st {};
                    has_log = has_log || (suffix[1] == 'w' && ::fstat(fd, &st) == 0 && st.st_size > 0);
                    ::close(fd);
                }
            // A state this plugin wrote is never an empty file on its own (after a kill, its data may all be
            // in the write-ahead log): an empty file is something else's, and is not silently taken over.
            struct stat st {};
            if (::fstat(lock_fd_, &st) == 0 && st.st_size == 0 && !has_log)
                throw std::runtime_error("an empty file, not a state this plugin wrote; remove it to start a new "
                                         "state there");
        }
        db_ = std::make_unique<SQLite::Database>(name, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLITE_OPEN_NOFOLLOW);
        db_->setBusyTimeout(5000);
        // Whose state is it? Read before anything is written, so that a foreign file is left as it was.
        const auto found = tables(*db_);
        if (found.empty() && !path.empty()) // create_state_file made the tables of every state file
            throw std::runtime_error("an SQLite database without tables, not a state this plugin wrote; nothing was "
                                     "changed");
        if (!found.empty()) {
            const bool ours = found == std::vector<std::string>{"events", "meta"} ||
                              found == std::vector<std::string>{"events", "meta", "reported"};
            const auto version = ours ? meta_value(*db_, "schema_version") : std::nullopt;
            const auto plugin = ours ? meta_value(*db_, "plugin_id") : std::nullopt;
            if (!ours || !version)
                throw std::runtime_error("not a jobcoach plugin's state (another application's SQLite database?); "
                                         "nothing was changed");
            if (plugin && *plugin != owner)
                throw std::runtime_error("the state of plugin " + *plugin + ", not of " + std::string(owner) +
                                         "; nothing was changed");
            const int found_version = std::stoi(*version);
            if (found_version > schema_version || found_version < 1)
                throw std::runtime_error("schema version " + *version + ", this plugin reads 1 to " +
                                         std::to_string(schema_version) + "; nothing was changed");
            if (found_version < schema_version) { // 1 -> 2: the indexes; the rows stay as they are
                SQLite::Transaction tx(*db_);
                create_indexes(*db_);
                db_->exec("UPDATE meta SET value = '" + std::to_string(schema_version) + "' WHERE key = 'schema_version'");
                tx.commit();
                notes_.push_back(name + ": a state of schema " + *version + ", upgraded to schema " +
                                 std::to_string(schema_version) + " (indexes by employee and employer)");
            }
            if (!plugin) { // written before states named their plugin
                SQLite::Statement adopt(*db_, "INSERT INTO meta(key, value) VALUES('plugin_id', ?)");
                adopt.bind(1, std::string(owner));
                adopt.exec();
                notes_.push_back(name + ": a state of schema " + *version + " without a plugin id, adopted as " +
                                 std::string(owner) + "'s");
            }
        }
        db_->exec("PRAGMA journal_mode=WAL");
        db_->exec("PRAGMA synchronous=NORMAL"); // durable across a killed process; WAL keeps commits atomic
        db_->exec("PRAGMA secure_delete=ON");   // deleted content is overwritten: an erased employee is gone
        if (found.empty()) // in memory
            create_schema(*db_, owner);
        else if (std::find(found.begin(), found.end(), "reported") == found.end())
            create_indexes(*db_); // a schema-2 state made before the lifecycle table
    } catch (const std::exception &e) {
        db_.reset();
        if (lock_fd_ >= 0)
            ::close(lock_fd_);
        lock_fd_ = -1;
        throw std::runtime_error("state database " + name + ": " + e.what());
    }
}

EventStore::~EventStore()
{
    for (auto *slot : {&insert_, &by_employee_, &by_id_, &knows_, &data_version_, &reported_of_})
        slot->reset(); // finalized before the database is closed
    db_.reset();       // SQLite closes its descriptors first; then the lock goes
    if (lock_fd_ >= 0)
        ::close(lock_fd_);
}

std::vector<Event> EventStore::load() const
{
    std::vector<Event> out;
    SQLite::Statement q(*db_, std::string("SELECT ") + event_columns + " FROM events ORDER BY seq");
    while (q.executeStep())
        out.push_back(read_event(q));
    return out;
}

SQLite::Statement &EventStore::statement(std::unique_ptr<SQLite::Statement> &slot, const std::string &sql) const
{
    if (!slot)
        slot = std::make_unique<SQLite::Statement>(*db_, sql);
    else
        slot->reset();
    return *slot;
}

std::vector<Event> EventStore::events_of(std::string_view employee) const
{
    std::vector<Event> out;
    SQLite::Statement &q = statement(by_employee_, std::string("SELECT ") + event_columns +
                                                        " FROM events WHERE employee = ? ORDER BY seq");
    q.bind(1, std::string(employee)); // as TEXT (bindNoCopy of a pointer and a size binds a BLOB)
    while (q.executeStep())
        out.push_back(read_event(q));
    q.reset();
    return out;
}

void EventStore::for_each_employee(const std::function<void(std::string_view, std::vector<Event> &)> &fn) const
{
    // One pass in employee order (the index): memory holds one employee's events at a time.
    SQLite::Statement q(*db_, std::string("SELECT ") + event_columns +
                                  " FROM events INDEXED BY events_by_employee ORDER BY employee, seq");
    std::vector<Event> batch;
    while (q.executeStep()) {
        Event e = read_event(q);
        if (!batch.empty() && batch.front().employee != e.employee) {
            fn(batch.front().employee, batch);
            batch.clear();
        }
        batch.push_back(std::move(e));
    }
    if (!batch.empty())
        fn(batch.front().employee, batch);
}

std::vector<std::string> EventStore::employees_at(const std::vector<std::string> &employers,
                                                  const std::vector<std::string> &schemes) const
{
    std::vector<std::string> out;
    SQLite::Statement q(*db_, "SELECT DISTINCT c.employee FROM events c WHERE c.employer = ? AND EXISTS"
                              " (SELECT 1 FROM events g WHERE g.employee = c.employee AND g.type = ? AND g.scheme = ?)");
    for (const auto &employer : employers)
        for (const auto &scheme : schemes) {
            q.reset();
            q.bind(1, employer);
            q.bind(2, static_cast<int>(EventType::coaching_granted));
            q.bind(3, scheme);
            while (q.executeStep())
                out.push_back(q.getColumn(0).getString());
        }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool EventStore::knows(std::string_view employee) const
{
    SQLite::Statement &q = statement(knows_, "SELECT 1 FROM events WHERE employee = ? LIMIT 1");
    q.bind(1, std::string(employee)); // as TEXT (bindNoCopy of a pointer and a size binds a BLOB)
    const bool found = q.executeStep();
    q.reset(); // a statement left stepping holds a read transaction open
    return found;
}

std::optional<Event> EventStore::find(std::string_view id) const
{
    SQLite::Statement &q = statement(by_id_, std::string("SELECT ") + event_columns + " FROM events WHERE id = ?");
    q.bind(1, std::string(id)); // as TEXT (bindNoCopy of a pointer and a size binds a BLOB)
    if (!q.executeStep())
        return std::nullopt;
    Event e = read_event(q);
    q.reset();
    return e;
}

int64_t EventStore::data_version() const
{
    SQLite::Statement &q = statement(data_version_, "PRAGMA data_version");
    q.executeStep();
    const int64_t version = q.getColumn(0).getInt64();
    q.reset();
    return version;
}

std::vector<std::string> EventStore::reported_of(std::string_view employee) const
{
    std::vector<std::string> out;
    SQLite::Statement &q = statement(reported_of_, "SELECT finding FROM reported WHERE employee = ? AND employer_level = 0");
    q.bind(1, std::string(employee));
    while (q.executeStep())
        out.emplace_back(static_cast<const char *>(q.getColumn(0).getBlob()),
                         static_cast<size_t>(q.getColumn(0).getBytes()));
    q.reset();
    return out;
}

std::vector<std::string> EventStore::reported_employer_level() const
{
    std::vector<std::string> out;
    SQLite::Statement q(*db_, "SELECT finding FROM reported WHERE employer_level = 1");
    while (q.executeStep())
        out.emplace_back(static_cast<const char *>(q.getColumn(0).getBlob()),
                         static_cast<size_t>(q.getColumn(0).getBytes()));
    return out;
}

void EventStore::record_reported(std::span<const Reported> changes)
{
    if (changes.empty())
        return;
    SQLite::Transaction tx(*db_);
    SQLite::Statement put(*db_, "INSERT OR REPLACE INTO reported(employee, id, employer_level, finding) VALUES(?,?,?,?)");
    SQLite::Statement remove(*db_, "DELETE FROM reported WHERE employee = ? AND id = ?");
    for (const Reported &r : changes) {
        SQLite::Statement &q = r.finding.empty() ? remove : put;
        q.reset();
        q.bind(1, r.employee);
        q.bind(2, r.id);
        if (!r.finding.empty()) {
            q.bind(3, r.employer_level ? 1 : 0);
            q.bind(4, r.finding.data(), static_cast<int>(r.finding.size()));
        }
        q.exec();
    }
    tx.commit();
}

EventStore::Erased EventStore::erase(std::string_view employee)
{
    Erased out;
    const std::string key(employee);
    {
        SQLite::Transaction tx(*db_);
        SQLite::Statement events(*db_, "DELETE FROM events WHERE employee = ?");
        events.bind(1, key);
        out.events = static_cast<uint64_t>(events.exec());
        // Every recorded finding whose bytes hold the key: the employee's own, and employer-level ones (or any
        // other) that name the employee.
        SQLite::Statement reported(*db_, "DELETE FROM reported WHERE employee = ? OR instr(finding, CAST(? AS BLOB)) > 0");
        reported.bind(1, key);
        reported.bind(2, key);
        out.findings = static_cast<uint64_t>(reported.exec());
        tx.commit();
    }
    // The log still holds the pages as they were before: copy the erased pages into the database and empty it.
    SQLite::Statement checkpoint(*db_, "PRAGMA wal_checkpoint(TRUNCATE)");
    out.log_truncated = checkpoint.executeStep() && checkpoint.getColumn(0).getInt() == 0;
    return out;
}

EventStore::Appended EventStore::append(std::span<Event *const> events)
{
    Appended out;
    out.stored.assign(events.size(), false);
    if (events.empty())
        return out;
    SQLite::Transaction tx(*db_);
    // INSERT OR IGNORE: an id stored before (by this or another process, or earlier in the batch) is not
    // stored again; it is then compared with what is stored, in this same transaction.
    SQLite::Statement &ins = statement(insert_, "INSERT OR IGNORE INTO events(id, type, employee, date, employer,"
                                                " weekly_minutes, end_date, end_change, paid, paid_prospect, scheme,"
                                                " level, granted_minutes, prior_months, coach_form, justification,"
                                                " months, minutes, activity, coach, retracts, kind)"
                                                " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    for (size_t k = 0; k < events.size(); ++k) {
        Event &e = *events[k];
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
        if (ins.exec() == 1) {
            e.seq = db_->getLastInsertRowid();
            out.stored[k] = true;
            continue;
        }
        const std::optional<Event> seen = find(e.id);
        if (!seen || !same_content(*seen, e))
            out.conflicts.push_back(k);
    }
    if (out.conflicts.empty())
        tx.commit(); // else the transaction rolls back: nothing of the batch is stored
    else
        std::fill(out.stored.begin(), out.stored.end(), false);
    return out;
}

} // namespace jobcoach::rules
