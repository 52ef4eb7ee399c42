// SPDX-License-Identifier: Apache-2.0
// An instance's durable event store: SQLite through SQLiteCpp, one database per instance.
#pragma once

#include "jobcoach/rules/event.hpp"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace jobcoach::rules {

class EventStore {
public:
    // Opens (or creates, owner-only 0600) the database at `path`; an empty path keeps it in memory.
    // Throws std::runtime_error naming the path when it cannot.
    explicit EventStore(const std::string &path);
    ~EventStore();
    EventStore(const EventStore &) = delete;
    EventStore &operator=(const EventStore &) = delete;

    // Every stored event, in arrival order, with its seq.
    std::vector<Event> load() const;

    // Stores the events in one transaction: all or none. Each must have a new id (the caller removes
    // duplicates first); assigns each event its seq.
    void append(std::span<Event *const> events);

private:
    std::unique_ptr<SQLite::Database> db_;
};

} // namespace jobcoach::rules
