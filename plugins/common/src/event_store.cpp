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
#include <limits>
#include <optional>
#include <stdexcept>

namespace jobcoach::rules {

namespace {

// 1: the events table, a column per member; 2: its indexes by employee and by employer (a plugin reads an
// employee's events when it needs them, and opening a state reads nothing); 3: the compact row, clustered by
// employee (WITHOUT ROWID, key (employee, seq)): the columns the queries name (id, type, employer, scheme) and the
// rest of the event in one `body` (encode_body). A state of schema 1 or 2 is rewritten as schema 3 when opened.
constexpr int schema_version = 3;

// The columns of schema 1 and 2, read only to upgrade such a state.
const char *const old_event_columns = "seq, id, type, employee, date, employer, weekly_minutes, end_date, end_change,"
                                      " paid, paid_prospect, scheme, level, granted_minutes, prior_months, coach_form,"
                                      " justification, months, minutes, activity, coach, retracts, kind";

// Reads a row of `old_event_columns` into an event.
Event read_old_event(SQLite::Statement &q)
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

// The compact row's `body`: the event's date, then a mask of the members that differ from their defaults, then
// those members in the order of the mask's bits. Numbers are LEB128 varints, zigzag-coded; texts a varint
// length and the bytes. A timesheet entry takes 4 to 6 bytes.
void put_varint(std::string &out, uint64_t v)
{
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7f) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

void put_signed(std::string &out, int64_t v)
{
    put_varint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

// Reads varints and texts from a body; throws naming what is wrong when the bytes are not one (a damaged file).
class BodyReader {
public:
    explicit BodyReader(std::string_view in) : in_(in) {}
    uint64_t varint()
    {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (in_.empty())
                damaged("cut short");
            const auto byte = static_cast<unsigned char>(in_.front());
            in_.remove_prefix(1);
            v |= static_cast<uint64_t>(byte & 0x7f) << shift;
            if ((byte & 0x80) == 0)
                return v;
        }
        damaged("a number longer than 64 bits");
    }
    int64_t signed_int()
    {
        const uint64_t z = varint();
        return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
    }
    // A number that must lie in lo..hi (an int32_t member, an enumeration).
    int64_t in_range(int64_t lo, int64_t hi)
    {
        const int64_t v = signed_int();
        if (v < lo || v > hi)
            damaged("a number out of range");
        return v;
    }
    std::string text()
    {
        const uint64_t n = varint();
        if (n > in_.size())
            damaged("a text cut short");
        std::string s(in_.substr(0, n));
        in_.remove_prefix(n);
        return s;
    }
    bool done() const { return in_.empty(); }
    [[noreturn]] static void damaged(const char *what)
    {
        throw std::runtime_error(std::string("an event's stored row is damaged (") + what + ")");
    }

private:
    std::string_view in_;
};

// Writes the members that differ from their defaults, noting each in the mask.
struct BodyWriter {
    uint32_t mask = 0, bit = 1;
    std::string values;
    bool next(bool set) // the next member's bit, set when `set`
    {
        mask |= set ? bit : 0u;
        bit <<= 1;
        return set;
    }
    void number(int64_t v, int64_t absent)
    {
        if (next(v != absent))
            put_signed(values, v);
    }
    template <class Enum> void enumeration(Enum v, Enum absent, Enum /*last*/)
    {
        number(static_cast<int64_t>(v), static_cast<int64_t>(absent));
    }
    void date(const std::optional<Date> &d)
    {
        if (next(d.has_value()))
            put_signed(values, d->days);
    }
    void flag(bool v, bool absent) { next(v != absent); }
    void given(const std::string &t) { next(!t.empty()); }
    void text(const std::string &t)
    {
        if (next(!t.empty())) {
            put_varint(values, t.size());
            values += t;
        }
    }
};

// Reads the members the mask says are there; the others keep their defaults.
struct BodyRead {
    BodyReader &in;
    uint64_t mask;
    uint64_t bit = 1;
    bool next()
    {
        const bool set = (mask & bit) != 0;
        bit <<= 1;
        return set;
    }
    template <class Int> void number(Int &v, int64_t)
    {
        if (next())
            v = static_cast<Int>(in.in_range(std::numeric_limits<Int>::min(), std::numeric_limits<Int>::max()));
    }
    template <class Enum> void enumeration(Enum &v, Enum, Enum last)
    {
        if (next())
            v = static_cast<Enum>(in.in_range(0, static_cast<int64_t>(last)));
    }
    void date(std::optional<Date> &d)
    {
        if (next())
            d = Date{static_cast<int32_t>(in.in_range(INT32_MIN, INT32_MAX))};
    }
    void flag(bool &v, bool absent) { v = next() ? !absent : absent; }
    void given(std::string &t) { t = next() ? justification_given : ""; }
    void text(std::string &t)
    {
        if (next())
            t = in.text();
    }
};

// The body's members, in the order of their bits: one list for writing (E = const Event, Io = BodyWriter) and
// reading (E = Event, Io = BodyRead). A new member goes at the end.
template <class E, class Io> void body_members(E &e, Io &io)
{
    io.number(e.weekly_minutes, -1);
    io.date(e.end);
    io.enumeration(e.end_change, EndChange::unchanged, EndChange::open);
    io.flag(e.paid, true);
    io.flag(e.paid_prospect, true);
    io.text(e.level);
    io.number(e.granted_minutes, -1);
    io.number(e.prior_months, -1);
    io.text(e.coach_form);
    io.given(e.justification); // a bit and no bytes: a justification was given (its text is never kept)
    io.number(e.months, 0);
    io.number(e.minutes, 0);
    io.enumeration(e.activity, Activity::coaching, Activity::contact);
    io.text(e.coach);
    io.text(e.retracts);
    io.text(e.kind);
}
constexpr uint64_t body_members_mask = (1u << 16) - 1; // one bit per member of body_members

void encode_body(const Event &e, std::string &out)
{
    BodyWriter w;
    body_members(e, w);
    out.clear();
    put_signed(out, e.date.days);
    put_varint(out, w.mask);
    out += w.values;
}

void decode_body(std::string_view bytes, Event &e)
{
    BodyReader r(bytes);
    e.date = Date{static_cast<int32_t>(r.in_range(INT32_MIN, INT32_MAX))};
    const uint64_t mask = r.varint();
    if ((mask & ~body_members_mask) != 0)
        BodyReader::damaged("unknown members");
    BodyRead read{r, mask};
    body_members(e, read);
    if (!r.done())
        BodyReader::damaged("bytes after its end");
}

// The columns of schema 3, in the order read_event reads them.
const char *const event_columns = "employee, seq, id, type, employer, scheme, body";

// Reads the current row of a statement selecting `event_columns` into an event, through SQLite's C interface:
// one call per column, no wrapper object per column.
// `e` is default-constructed.
void read_event(sqlite3_stmt *s, Event &e)
{
    auto text = [&](int i) {
        const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(s, i));
        return p == nullptr ? std::string() : std::string(p, static_cast<size_t>(sqlite3_column_bytes(s, i)));
    };
    e.employee = text(0);
    e.seq = sqlite3_column_int64(s, 1);
    e.id = text(2);
    e.type = static_cast<EventType>(sqlite3_column_int(s, 3));
    e.employer = text(4);
    e.scheme = text(5);
    const auto *body = static_cast<const char *>(sqlite3_column_blob(s, 6));
    const auto size = static_cast<size_t>(sqlite3_column_bytes(s, 6));
    try {
        decode_body(body == nullptr ? std::string_view() : std::string_view(body, size), e);
    } catch (const std::runtime_error &error) {
        throw std::runtime_error("event " + e.id + " of employee " + e.employee + ": " + error.what());
    }
}

// Schema 3's events: clustered by employee, so that an employee's events are one range of the table. seq is the
// store's arrival order (meta 'next_seq' holds the next one).
void create_events_table(SQLite::Database &db)
{
    db.exec("CREATE TABLE events(employee TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL UNIQUE,"
            " type INTEGER NOT NULL, employer TEXT, scheme TEXT, body BLOB NOT NULL,"
            " PRIMARY KEY(employee, seq)) WITHOUT ROWID");
}

// The indexes by employer and by scheme, and what the plugin last reported per employee (the lifecycle, docs/formats.md `change`):
// one row per finding id, the finding encoded (rules::encode).
void create_indexes(SQLite::Database &db)
{
    db.exec("CREATE INDEX IF NOT EXISTS events_by_employer ON events(employer) WHERE employer IS NOT NULL");
    db.exec("CREATE INDEX IF NOT EXISTS events_by_scheme ON events(scheme, employee) WHERE scheme IS NOT NULL");
    db.exec("CREATE TABLE IF NOT EXISTS reported(employee TEXT NOT NULL, id TEXT NOT NULL,"
            " employer_level INTEGER NOT NULL, finding BLOB NOT NULL, PRIMARY KEY(employee, id)) WITHOUT ROWID");
    db.exec("CREATE INDEX IF NOT EXISTS reported_employer_level ON reported(employer_level) WHERE employer_level = 1");
}

// Rewrites a state of schema 1 or 2 as schema 3, in one transaction: every event in its compact row, under its
// seq; the reported findings (schema 2) stay as they are.
void upgrade_to_compact_rows(SQLite::Database &db)
{
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec("DROP INDEX IF EXISTS events_by_employee");
    db.exec("DROP INDEX IF EXISTS events_by_employer");
    db.exec("ALTER TABLE events RENAME TO events_before_schema_3");
    create_events_table(db);
    create_indexes(db);
    SQLite::Statement old(db, std::string("SELECT ") + old_event_columns + " FROM events_before_schema_3");
    SQLite::Statement put(db, "INSERT INTO events(employee, seq, id, type, employer, scheme, body) VALUES(?,?,?,?,?,?,?)");
    std::string body;
    int64_t last = 0;
    while (old.executeStep()) {
        const Event e = read_old_event(old);
        encode_body(e, body);
        put.reset();
        put.bind(1, e.employee);
        put.bind(2, e.seq);
        put.bind(3, e.id);
        put.bind(4, static_cast<int>(e.type));
        if (e.employer.empty())
            put.bind(5);
        else
            put.bind(5, e.employer);
        if (e.scheme.empty())
            put.bind(6);
        else
            put.bind(6, e.scheme);
        put.bind(7, body.data(), static_cast<int>(body.size()));
        put.exec();
        last = std::max(last, e.seq);
    }
    old.reset();
    db.exec("DROP TABLE events_before_schema_3");
    SQLite::Statement meta(db, "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?), ('next_seq', ?)");
    meta.bind(1, std::to_string(schema_version));
    meta.bind(2, std::to_string(last + 1));
    meta.exec();
    tx.commit();
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
    create_events_table(db);
    create_indexes(db);
    SQLite::Statement meta(db, "INSERT INTO meta(key, value) VALUES('schema_version', ?), ('plugin_id', ?),"
                               " ('next_seq', '1')");
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
        // NOMUTEX: an instance is used by one thread at a time (plugin.h: [instance-serialized]), so SQLite's
        // per-call locking of the connection is not needed.
        db_ = std::make_unique<SQLite::Database>(name, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE |
                                                           SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX);
        db_->setBusyTimeout(5000);
        db_->exec("PRAGMA secure_delete=ON"); // deleted content is overwritten: an erased employee is gone
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
            if (found_version < schema_version) {
                upgrade_to_compact_rows(*db_);
                notes_.push_back(name + ": a state of schema " + *version + ", upgraded to schema " +
                                 std::to_string(schema_version) + " (compact rows by employee)");
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
        db_->exec("PRAGMA cache_size=-32768"); // 32 MiB of pages: a large import does not reread the index by id
        if (found.empty()) // in memory
            create_schema(*db_, owner);
    } catch (const std::exception &e) {
        db_.reset();
        if (lock_fd_ >= 0)
            ::close(lock_fd_);
        lock_fd_ = -1;
        throw std::runtime_error("state database " + name + ": " + e.what());
    }
}

// A statement of SQLite's C interface for the reads of events, the paths that read every event: no wrapper
// object per column. Reset when a use ends, so that no read transaction stays open.
class EventStore::Query {
public:
    Query(sqlite3 *db, const std::string &sql) : db_(db)
    {
        if (const int rc = sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
            rc != SQLITE_OK)
            throw SQLite::Exception(db, rc);
    }
    ~Query() { sqlite3_finalize(stmt_); }
    Query(const Query &) = delete;
    Query &operator=(const Query &) = delete;

    // Binds a text parameter (copied by SQLite).
    void bind(int index, std::string_view text)
    {
        if (const int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
            rc != SQLITE_OK)
            throw SQLite::Exception(db_, rc);
    }
    // The next row: true while there is one.
    bool step()
    {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        throw SQLite::Exception(db_, rc);
    }
    sqlite3_stmt *row() const { return stmt_; }

    // Ends a use (also when it throws): resets the statement and drops its bindings.
    struct Use {
        Query &q;
        ~Use()
        {
            sqlite3_reset(q.stmt_);
            sqlite3_clear_bindings(q.stmt_);
        }
    };

private:
    sqlite3 *db_;
    sqlite3_stmt *stmt_ = nullptr;
};

EventStore::~EventStore()
{
    for (auto *slot : {&insert_, &knows_, &data_version_, &reported_of_, &next_seq_, &set_next_seq_})
        slot->reset(); // finalized before the database is closed
    for (auto *slot : {&by_employee_, &every_event_, &by_id_})
        slot->reset();
    db_.reset(); // SQLite closes its descriptors first; then the lock goes
    if (lock_fd_ >= 0)
        ::close(lock_fd_);
}

EventStore::Query &EventStore::query(std::unique_ptr<Query> &slot, const std::string &sql) const
{
    if (!slot)
        slot = std::make_unique<Query>(db_->getHandle(), sql);
    return *slot;
}

std::vector<Event> EventStore::load() const
{
    std::vector<Event> out;
    Query q(db_->getHandle(), std::string("SELECT ") + event_columns + " FROM events ORDER BY seq");
    Query::Use use{q};
    while (q.step())
        read_event(q.row(), out.emplace_back());
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
    Query &q = query(by_employee_, std::string("SELECT ") + event_columns + " FROM events WHERE employee = ? ORDER BY seq");
    Query::Use use{q};
    q.bind(1, employee);
    while (q.step())
        read_event(q.row(), out.emplace_back());
    return out;
}

void EventStore::for_each_employee(const std::function<void(std::string_view, std::vector<Event> &)> &fn,
                                   const std::vector<std::string> &schemes) const
{
    // One pass in key order (the table is clustered by employee): memory holds one employee's events at a time.
    std::unique_ptr<Query> some;
    Query *q = nullptr;
    if (schemes.empty()) {
        q = &query(every_event_, std::string("SELECT ") + event_columns + " FROM events ORDER BY employee, seq");
    } else {
        std::string sql = std::string("SELECT ") + event_columns +
                          " FROM events WHERE employee IN (SELECT employee FROM events INDEXED BY events_by_scheme"
                          " WHERE scheme IN (";
        for (size_t i = 0; i < schemes.size(); ++i)
            sql += i == 0 ? "?" : ", ?";
        sql += ")) ORDER BY employee, seq";
        some = std::make_unique<Query>(db_->getHandle(), sql);
        q = some.get();
        for (size_t i = 0; i < schemes.size(); ++i)
            q->bind(static_cast<int>(i) + 1, schemes[i]);
    }
    Query::Use use{*q};
    std::vector<Event> batch;
    while (q->step()) {
        const auto *key = reinterpret_cast<const char *>(sqlite3_column_text(q->row(), 0));
        const auto key_size = static_cast<size_t>(sqlite3_column_bytes(q->row(), 0));
        if (!batch.empty() && batch.front().employee != std::string_view(key, key_size)) {
            fn(batch.front().employee, batch);
            batch.clear();
        }
        read_event(q->row(), batch.emplace_back());
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
    Query &q = query(by_id_, std::string("SELECT ") + event_columns + " FROM events WHERE id = ?");
    Query::Use use{q};
    q.bind(1, id);
    if (!q.step())
        return std::nullopt;
    std::optional<Event> e(std::in_place);
    read_event(q.row(), *e);
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
    // IMMEDIATE: the write lock from the start, so that no other process takes the same seq between the read of
    // next_seq and the inserts.
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement &next = statement(next_seq_, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'next_seq'");
    if (!next.executeStep())
        throw std::runtime_error("the state has no next_seq; it is damaged");
    int64_t seq = next.getColumn(0).getInt64();
    next.reset();
    // INSERT OR IGNORE: an id stored before (by this or another process, or earlier in the batch) is not
    // stored again; it is then compared with what is stored, in this same transaction.
    SQLite::Statement &ins = statement(insert_, "INSERT OR IGNORE INTO events(employee, seq, id, type, employer, scheme,"
                                                " body) VALUES(?,?,?,?,?,?,?)");
    // In employee order (each employee's events in batch order, so arrival order holds): the rows go into the
    // table clustered by employee one range after another, not scattered over it.
    std::vector<size_t> order(events.size());
    for (size_t k = 0; k < order.size(); ++k)
        order[k] = k;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return events[a]->employee < events[b]->employee; });
    std::string body;
    for (const size_t k : order) {
        Event &e = *events[k];
        encode_body(e, body);
        ins.reset(); // every column is bound below, a value or NULL, so no clearBindings
        ins.bindNoCopy(1, e.employee);
        ins.bind(2, seq);
        ins.bindNoCopy(3, e.id);
        ins.bind(4, static_cast<int>(e.type));
        bind_text(ins, 5, e.employer);
        bind_text(ins, 6, e.scheme);
        ins.bindNoCopy(7, body.data(), static_cast<int>(body.size()));
        if (ins.exec() == 1) {
            e.seq = seq++;
            out.stored[k] = true;
            continue;
        }
        const std::optional<Event> seen = find(e.id);
        if (!seen || !same_content(*seen, e))
            out.conflicts.push_back(k);
    }
    std::sort(out.conflicts.begin(), out.conflicts.end());
    SQLite::Statement &set = statement(set_next_seq_, "UPDATE meta SET value = ? WHERE key = 'next_seq'");
    set.bind(1, std::to_string(seq));
    set.exec();
    if (out.conflicts.empty())
        tx.commit(); // else the transaction rolls back: nothing of the batch is stored
    else
        std::fill(out.stored.begin(), out.stored.end(), false);
    return out;
}

} // namespace jobcoach::rules
