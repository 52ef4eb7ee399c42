// SPDX-License-Identifier: Apache-2.0
// An instance's durable event store: SQLite, one database per instance, one row per employee holding that
// employee's events (schema 7, event_store.cpp), and beside it the first date of each kind of event.
#pragma once

#include "jobcoach/rules/event.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace SQLite {
class Database;
class Statement;
}

namespace jobcoach::rules {

class EventStore {
public:
    // Opens (or creates, owner-only 0600) the database at `path` as the state of plugin `owner` (its id); an
    // empty path keeps it in memory. Throws std::runtime_error naming the path and what is wrong when
    //  - the path, or its -wal or -shm file, is a symbolic link, not a regular file, or another user's;
    //  - the file is not this plugin's state: another plugin's, another application's SQLite database, or an
    //    empty file without a write-ahead log (nothing of it is changed then).
    // A state file readable or writable by group or others is made owner-only (0600); notes() says so. Opening
    // reads no event: the cost does not grow with the state. Several stores (processes, instances) may have one
    // state open; each reads what the others committed.
    EventStore(const std::string &path, std::string_view owner);
    ~EventStore();
    EventStore(const EventStore &) = delete;
    EventStore &operator=(const EventStore &) = delete;

    // Every stored event, in arrival order, with its seq (for tests and tools; a plugin reads by employee).
    std::vector<Event> load() const;
    // One employee's events, in arrival order (the index by employee).
    std::vector<Event> events_of(std::string_view employee) const;
    // Calls fn once per employee with that employee's events in arrival order, by employee key (bytewise):
    // one pass over the table, holding one employee's events at a time. With `schemes`, only the employees with
    // an event naming one of them (the index by scheme).
    void for_each_employee(const std::function<void(std::string_view, std::span<const Event>)> &fn,
                           const std::vector<std::string> &schemes = {}) const;
    // The same pass, undecoded: fn gets each employee's key and stored row (both valid for the call), for a
    // caller that decodes them elsewhere (decode_employee_row, on other threads).
    void for_each_row(const std::function<void(std::string_view, std::string_view)> &fn,
                      const std::vector<std::string> &schemes = {}) const;
    // The same pass, each row with what is kept beside it of its firsts (Firsts): fn gets the key, the row and
    // those bytes (empty when none are kept), all valid for the call.
    void for_each_row_with_firsts(
        const std::function<void(std::string_view, std::string_view, std::string_view)> &fn,
        const std::vector<std::string> &schemes = {}) const;
    // Decodes a row from for_each_row into the first events of `out`, over what they held (out grows when the
    // row has more); the number of events. The events' `employee` is left empty: the row's key is the caller's
    // (`employee`, which names it in errors). An id of the form "<key>-<number>" refers to `employee`, whose
    // bytes must stay valid while the events' ids are read (EventId: its text is made when first read). Pure:
    // safe on any thread. Throws std::runtime_error naming the employee (and the event, where its id can be
    // read) for a damaged row.
    // With `over`, kept beside `out` from row to row: what the decoder left in each event of `out`, so that a
    // timesheet entry decoded over one like it writes only what differs (seq, id, date, minutes, activity: most
    // of an employee's events are such entries). Then nothing but this function may write the events of `out`.
    struct DecodedOver {
        std::vector<uint8_t> plain; // per event of `out`: 1 when it holds a plain entry as the decoder left it
    };
    static size_t decode_employee_row(std::string_view row, std::string_view employee, std::vector<Event> &out,
                                      DecodedOver *over = nullptr);
    // What a glance tells of one stored event.
    struct Glimpse {
        EventType type{};
        Date date;
        std::string_view scheme; // empty: none; views the row
    };
    // Where a reader is within a run of plain timesheet entries (a record holding several, from schema 7;
    // event_store.cpp): the run's bytes not read yet, its entries left, its date step, and the numbers of the
    // entry read last.
    struct RunPlace {
        const unsigned char *p = nullptr, *end = nullptr;
        uint64_t left = 0;
        int32_t step = 0; // in days
        uint32_t seq = 0, number = 0;
        int32_t date = 0; // in days from 2020-01-01
    };
    // A glance at the events of a row from for_each_row, without decoding them: each one's type, date and
    // scheme, in arrival order (each entry of a run its own). Throws std::runtime_error naming the employee for
    // a damaged row. Pure: safe on any thread.
    class Glance {
    public:
        Glance(std::string_view row, std::string_view employee) : rest_(row), employee_(employee) {}
        // The next events', into `out`, up to its size: how many; 0 at the end. (Some at a time, not one: a call
        // per event was a third of a glance.)
        size_t next(std::span<Glimpse> out);

    private:
        std::string_view rest_, employee_;
        RunPlace run_; // within a run: the entries after those glanced at
    };
    // The first date of each type of event a row holds, per scheme named: what a glance at every one of its
    // events tells of where each kind begins, kept beside the row (column `firsts`) whenever the row is written,
    // so that a reader can pass over an employee without reading its events (the uwv plugin's test of unclaimed
    // hours, R-7: it meets every employee of the municipal schemes). Kept with a hash of the row's bytes: a row
    // written since by a plugin that did not keep them (an older version, on the same state) no longer matches,
    // and its firsts are not known. Pure: safe on any thread.
    struct First {
        EventType type{};
        std::string_view scheme; // empty: none named; views the kept bytes
        Date date;               // the earliest of the events of this type and scheme
    };
    class Firsts {
    public:
        // `kept` as for_each_row_with_firsts gives it (views it).
        explicit Firsts(std::string_view kept);
        // Whether any are kept. Whether they are of the row beside them is told by of(), which hashes the row: a
        // reader asks it only where it would act on them (passing over an employee), not where they send it to
        // the row anyway.
        bool known() const { return known_; }
        bool of(std::string_view row) const;
        // The next (by type, then scheme), into `out`: false at the end, and when none are known. Throws
        // std::runtime_error when the kept bytes are damaged (a reader then reads the row instead).
        bool next(First &out);

    private:
        std::string_view rest_;
        uint64_t hash_ = 0;
        bool known_ = false;
    };
    // The firsts of a row, as they are kept beside it. Throws std::runtime_error naming the employee for a
    // damaged row.
    static std::string firsts_of(std::string_view row, std::string_view employee);
    // A row as it is stored from schema 7: each run of two or more plain timesheet entries one after another
    // (a numbered id, no employer or scheme, minutes and an activity; most stored events), their seqs not falling,
    // written as one record (event_store.cpp: about 3 bytes a weekly entry, not 11). The same events, in the same
    // order; expand_row gives the row back byte for byte. Pure: safe on any thread.
    static std::string compact_row(std::string_view row);
    // The row with each entry of its runs written as its own record, as before compact_row. Throws
    // std::runtime_error naming the employee for a damaged row. Pure: safe on any thread.
    static std::string expand_row(std::string_view row, std::string_view employee);
    // The employees with a contract at one of `employers` and a coaching.granted of one of `schemes`, sorted,
    // once each.
    std::vector<std::string> employees_at(const std::vector<std::string> &employers,
                                          const std::vector<std::string> &schemes) const;
    // Whether any event of the employee is stored.
    bool knows(std::string_view employee) const;
    // The stored event with this id.
    std::optional<Event> find(std::string_view id) const;
    // Changes when another connection (process, instance) commits to the state (PRAGMA data_version).
    int64_t data_version() const;

    // What the plugin last reported (the lifecycle): the encoded findings of one employee (not employer-level),
    // and every employer-level one.
    std::vector<std::string> reported_of(std::string_view employee) const;
    std::vector<std::string> reported_employer_level() const;
    // The same record of every employee (not employer-level), read in key order by one statement stepped
    // through, for a caller that visits the employees in that order (the change feed of everyone, beside
    // for_each_row): a query of reported_of for each employee was a sixth of that feed's instructions. Valid while
    // the store lives; on the thread of the store's other calls.
    class ReportedInOrder {
    public:
        explicit ReportedInOrder(const EventStore &store);
        ~ReportedInOrder();
        ReportedInOrder(const ReportedInOrder &) = delete;
        ReportedInOrder &operator=(const ReportedInOrder &) = delete;
        // reported_of(employee): the records of keys before it are passed over. Keys must come in ascending
        // (byte) order, each at most once.
        std::vector<std::string> of(std::string_view employee);
        // Whether no record is left to read: at first, whether the state records none (not employer-level).
        bool done() const { return !row_; }

    private:
        std::unique_ptr<SQLite::Statement> q_;
        bool row_ = false; // q_ stands on a row not yet taken
    };
    // One change of that record: `finding` (encoded) replaces the row of (employee, id), or removes it when
    // empty.
    struct Reported {
        std::string employee, id;
        bool employer_level = false;
        std::string finding;
    };
    // Writes the changes in one transaction: all or none.
    void record_reported(std::span<const Reported> changes);

    // Erases an employee (jc.erase/1): every event of the key and every recorded finding whose bytes hold it,
    // in one transaction (deleted content overwritten: secure_delete), then checkpoints and truncates the
    // write-ahead log. log_truncated is false when another connection kept the log from being emptied.
    struct Erased {
        uint64_t events = 0, findings = 0;
        bool log_truncated = false;
    };
    Erased erase(std::string_view employee);

    // Stores the events in one transaction: all or none; assigns each stored event its seq. An event whose id
    // is stored already (before, or earlier in the batch) with the same content is not stored again
    // (stored[k] false: a duplicate). When any has its id stored with other content, `conflicts` lists them
    // all and nothing of the batch is stored.
    struct Appended {
        std::vector<bool> stored;
        std::vector<size_t> conflicts;
    };
    Appended append(std::span<Event *const> events);

    // The connection's page cache. Small while a host saves: a save reads a few scattered pages (the indexes'
    // inner pages stay), and a large cache filling page by page after a restart was most of a save's time (each
    // new page fresh memory). Large while a batch stores many events, whose rows and index of ids are reread
    // otherwise.
    static constexpr int save_cache_kib = 1024, import_cache_kib = 32768;
    // A batch takes the large cache at its import_after-th event, and gives it back when it ends.
    static constexpr size_t import_after = 256;

    // A batch stored event by event, in one transaction (IMMEDIATE: the write lock from the start), so that a
    // large import is never held as events: each employee's row is kept as its stored bytes (a few dozen an
    // event) and written back when what is kept passes `kept_bound` bytes, or by resolve(), find() or commit().
    // Destroyed without commit(), nothing of the batch is stored. Used by one thread, as its store.
    class Batch {
    public:
        static constexpr size_t default_kept_bound = size_t{16} << 20;
        explicit Batch(EventStore &store, size_t kept_bound = default_kept_bound);
        ~Batch();
        Batch(const Batch &) = delete;
        Batch &operator=(const Batch &) = delete;

        // Stores e, its batch index `index`, under the next seq (set in e), unless its id is stored already,
        // before or earlier in the batch: then it is a duplicate when with the same content, a conflict when
        // with other content, as resolve() tells.
        void add(Event &e, size_t index);
        // The events added that were not stored (batch indexes, sorted). A batch with a conflict must not be
        // committed: the caller lets it roll back.
        struct Outcome {
            std::vector<size_t> duplicates, conflicts;
        };
        Outcome resolve();
        // The stored event with this id, the batch's own included.
        std::optional<Event> find(std::string_view id);
        // Writes what is kept and commits.
        void commit();

    private:
        struct Impl;
        std::unique_ptr<Impl> impl_;
    };

    // What the store did that its user should log (a mode made owner-only, an older state adopted).
    const std::vector<std::string> &notes() const { return notes_; }

private:
    class Query;  // a statement of SQLite's C interface (event_store.cpp)
    class Writer; // stores events into their employees' rows inside a transaction (event_store.cpp)
    // Sets the page cache's size (save_cache_kib, import_cache_kib); a smaller one frees the pages over it.
    void page_cache(int kib);
    // A prepared statement kept for the store's lifetime (prepared on first use), reset for this use.
    SQLite::Statement &statement(std::unique_ptr<SQLite::Statement> &slot, const std::string &sql) const;
    Query &query(std::unique_ptr<Query> &slot, const char *sql) const;
    // The row of an employee: its number and its events' bytes, a record each (expand_row: a run's entries as
    // records of their own, so that one can be taken out); false when none is stored.
    bool row_of(std::string_view employee, int64_t &n, std::string &events) const;
    // The event with this id in row n.
    std::optional<Event> find_in(int64_t n, std::string_view id) const;
    // The index of event ids (event_store.cpp): buckets of (hash, row) slots, each bucket a row keyed by the
    // least hash it may hold. The bucket that may hold `hash`: its key (the least one when there is none yet)
    // and slots, sorted.
    struct IdSlot;
    int64_t bucket_of(int64_t hash, std::vector<IdSlot> &slots) const;
    // The key of the bucket after the one keyed `key`, if any.
    std::optional<int64_t> bucket_after(int64_t key) const;
    // Writes a bucket's slots (sorted) back: as one row, as several when they have grown past a bound, none
    // when empty.
    void put_bucket(int64_t key, std::span<const IdSlot> slots);
    // Walks the buckets that `count` hashes, in ascending order, fall in: fn(key, slots, from, to) for each, where
    // hash_at(from) .. hash_at(to - 1) are the hashes of the bucket keyed `key` and `slots` its slots as read.
    template <class HashAt, class Fn> void each_bucket(size_t count, HashAt hash_at, Fn fn) const;
    // Rebuilds the index of ids from the rows (an upgrade from schema 4).
    void rebuild_id_index();
    // Rewrites every row in place, some at a time by number: write(set, n, key, bytes) binds to `set` (a statement
    // of set_sql) what row n becomes; it is then run.
    void rewrite_each_row(const char *set_sql,
                          const std::function<void(Query &, int64_t, const std::string &, const std::string &)> &write);
    // Rewrites the rows of schema 4 and 5 (format 1) in format 2, in place.
    void rewrite_rows_of_format_1();
    // Rewrites every row with its plain timesheet entries in runs (compact_row), and its firsts (an upgrade
    // from schema 4, 5 or 6).
    void compact_stored_rows();
    // Rewrites a state of an older schema as the current one (event_store.cpp).
    void upgrade_from(int version);

    std::unique_ptr<SQLite::Database> db_;
    // Declared after db_, so destroyed before it: the statements a host's every call uses, prepared once.
    mutable std::unique_ptr<SQLite::Statement> data_version_, reported_of_, next_seq_, set_next_seq_;
    mutable std::unique_ptr<Query> row_by_key_, row_by_n_, new_row_, set_row_, drop_row_, bucket_of_, bucket_after_,
        put_bucket_, drop_bucket_, put_tag_, every_row_;
    int lock_fd_ = -1; // the state file, held open (checked by owner and mode) for the store's lifetime
    std::vector<std::string> notes_;
};

} // namespace jobcoach::rules
