// SPDX-License-Identifier: Apache-2.0
// The ceiling of a whole-process import (tests/bench/run.sh): `jobcoach_raw_import FILE DB` reads an event file
// (JSON Lines, docs/formats.md), parses each line with simdjson and inserts its members as they are, a column per
// member (texts as their bytes), into one plain SQLite table (the same pragmas as the plugins' states: WAL, synchronous=NORMAL), with a
// prepared insert in one transaction. No checks, no conversion, no plugin, one database: what a raw import of
// the same rows costs on this machine.
#include <SQLiteCpp/SQLiteCpp.h>
#include <simdjson.h>
#include <sqlite3.h>

#include <array>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

namespace {

// The members of docs/formats.md's events, in column order.
constexpr std::array<std::string_view, 17> members = {
    "id",       "employee",      "date",  "type",  "employer",   "weekly_hours", "end",     "scheme", "level",
    "granted_hours", "coach_form", "justification", "months", "minutes", "activity", "retracts", "kind"};

int column_of(std::string_view key)
{
    for (size_t i = 0; i < members.size(); ++i)
        if (members[i] == key)
            return static_cast<int>(i) + 1;
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: jobcoach_raw_import EVENTS.jsonl DATABASE\n");
        return 2;
    }
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); // as jobcoach-demo
    try {
        simdjson::dom::parser parser;
        simdjson::padded_string text = simdjson::padded_string::load(argv[1]);
        SQLite::Database db(argv[2], SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("PRAGMA journal_mode=WAL");
        db.exec("PRAGMA synchronous=NORMAL");
        std::string create = "CREATE TABLE events(";
        std::string insert = "INSERT INTO events VALUES(";
        for (size_t i = 0; i < members.size(); ++i) {
            create += std::string(i == 0 ? "" : ", ") + std::string(members[i]);
            insert += i == 0 ? "?" : ", ?";
        }
        db.exec(create + ")");
        SQLite::Transaction tx(db);
        SQLite::Statement ins(db, insert + ")");
        size_t rows = 0;
        std::string_view all(text.data(), text.size());
        while (!all.empty()) {
            const size_t end = all.find('\n');
            const std::string_view line = all.substr(0, end);
            all.remove_prefix(end == std::string_view::npos ? all.size() : end + 1);
            if (line.empty() || line.front() == '#')
                continue;
            simdjson::dom::object object;
            if (parser.parse(line.data(), line.size()).get(object) != simdjson::SUCCESS)
                throw std::runtime_error("line " + std::to_string(rows + 1) + " is not JSON");
            ins.reset();
            ins.clearBindings();
            for (auto field : object) {
                const int column = column_of(field.key);
                if (column == 0)
                    continue;
                std::string_view s;
                int64_t n = 0;
                if (field.value.get(s) == simdjson::SUCCESS)
                    ins.bindNoCopy(column, s.data(), static_cast<int>(s.size())); // as it is in the file
                else if (field.value.get(n) == simdjson::SUCCESS)
                    ins.bind(column, n);
            }
            ins.exec();
            ++rows;
        }
        tx.commit();
        std::printf("%zu rows\n", rows);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "jobcoach_raw_import: %s\n", e.what());
        return 1;
    }
    return 0;
}
