// SPDX-License-Identifier: Apache-2.0
// An instance's durable event store: SQLite through SQLiteCpp, one database per instance.
#pragma once

#include "jobcoach/rules/event.hpp"

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace SQLite {
class Database;
}

namespace jobcoach::rules {

class EventStore {
public:
    // Opens (or creates, owner-only 0600) the database at `path` as the state of plugin `owner` (its id); an
    // empty path keeps it in memory. Throws std::runtime_error naming the path and what is wrong when
    //  - the path, or its -wal or -shm file, is a symbolic link, not a regular file, or another user's;
    //  - the file is not this plugin's state: another plugin's, another application's SQLite database, or an
    //    empty file without a write-ahead log (nothing of it is changed then);
    //  - another process (or another instance in this one) has the state open: "state in use".
    // A state file readable or writable by group or others is made owner-only (0600); notes() says so.
    EventStore(const std::string &path, std::string_view owner);
    ~EventStore();
    EventStore(const EventStore &) = delete;
    EventStore &operator=(const EventStore &) = delete;

    // Every stored event, in arrival order, with its seq.
    std::vector<Event> load() const;

    // Stores the events in one transaction: all or none. Each must have a new id (the caller removes
    // duplicates first); assigns each event its seq.
    void append(std::span<Event *const> events);

    // What the store did that its user should log (a mode made owner-only, an older state adopted).
    const std::vector<std::string> &notes() const { return notes_; }

private:
    std::unique_ptr<SQLite::Database> db_;
    int lock_fd_ = -1; // the state file, held open with an exclusive flock for the store's lifetime
    std::vector<std::string> notes_;
};

} // namespace jobcoach::rules
