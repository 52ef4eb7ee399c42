// SPDX-License-Identifier: Apache-2.0
// Fuzz target: an employee's row of a plugin's state, as a damaged or foreign file may hold it (the records of
// format 2, EventStore::decode_employee_row). Any bytes must give events or a std::runtime_error, never a crash;
// a row decoded over the events of another decodes to the same events (every member written, none left over), and
// so does one decoded with what the decoder knows of the events it wrote before (EventStore::DecodedOver), and
// one with its plain timesheet entries put in runs (EventStore::compact_row), which expand_row gives back;
// a glance at the row (EventStore::Glance, some events at a time) gives each decoded event's type, date and scheme,
// and on any bytes events or a std::runtime_error; the row's firsts (EventStore::firsts_of) are the earliest date
// of each type and scheme its events have, and any bytes read as kept firsts give firsts or a std::runtime_error.
// Input: the row's key (up to the first '\n', at most 128 bytes), then the row's bytes.
#include <jobcoach/rules/event_store.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

// The glance at a row, `some` events at a time.
std::vector<jobcoach::rules::EventStore::Glimpse> glance(std::string_view row, std::string_view key, size_t some)
{
    std::vector<jobcoach::rules::EventStore::Glimpse> all, part(some);
    jobcoach::rules::EventStore::Glance g(row, key);
    for (size_t n; (n = g.next(part)) != 0;) {
        if (n > part.size())
            std::abort();
        all.insert(all.end(), part.begin(), part.begin() + static_cast<std::ptrdiff_t>(n));
    }
    return all;
}

void damaged_only(const std::runtime_error &e)
{
    // The whole message, as a host reads it through last_error (up to a NUL), says what is wrong.
    if (std::string_view(e.what()).find("stored row is damaged") == std::string_view::npos) {
        std::fprintf(stderr, "an error that does not say the row is damaged: %s\n", e.what());
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using jobcoach::rules::EventStore;
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const size_t newline = input.find('\n');
    if (newline == std::string_view::npos || newline == 0 || newline > 128)
        return 0;
    const std::string_view key = input.substr(0, newline), row = input.substr(newline + 1);
    // The row's bytes as kept firsts (a damaged column): firsts or a std::runtime_error, never a crash.
    try {
        EventStore::Firsts odd(row);
        for (EventStore::First f; odd.next(f);) {
        }
    } catch (const std::runtime_error &e) {
        damaged_only(e);
    }
    std::vector<jobcoach::rules::Event> fresh, over;
    size_t n = 0;
    try {
        n = EventStore::decode_employee_row(row, key, fresh);
    } catch (const std::runtime_error &e) {
        damaged_only(e);
        try { // a glance reads less of each record: it may see no damage, but must not crash
            glance(row, key, 3);
        } catch (const std::runtime_error &g) {
            damaged_only(g);
        }
        return 0;
    }
    for (const size_t some : {size_t{1}, size_t{3}, size_t{32}}) {
        const auto seen = glance(row, key, some);
        if (seen.size() != n)
            std::abort();
        for (size_t i = 0; i < n; ++i)
            if (seen[i].type != fresh[i].type || seen[i].date != fresh[i].date || seen[i].scheme != fresh[i].scheme) {
                std::fprintf(stderr, "the glance at event %zu (%s) differs from its decoding\n", i, fresh[i].id.str().c_str());
                std::abort();
            }
    }
    if (n > row.size() || n > fresh.size())
        std::abort(); // every record takes a byte at least
    // Decoded over events of every kind (the same row reversed, where it decodes), the events are the same.
    over.resize(n);
    for (size_t i = 0; i < n; ++i)
        over[i] = fresh[n - 1 - i];
    if (EventStore::decode_employee_row(row, key, over) != n)
        std::abort();
    for (size_t i = 0; i < n; ++i)
        if (!jobcoach::rules::same_content(fresh[i], over[i]) || fresh[i].seq != over[i].seq) {
            std::fprintf(stderr, "event %zu (%s) decoded over another differs\n", i, fresh[i].id.str().c_str());
            std::abort();
        }
    // Decoded with what the decoder knows of the events it wrote before (EventStore::DecodedOver): over the row
    // reversed, then over itself, the events are the same again.
    std::vector<jobcoach::rules::Event> known_over(fresh.rbegin(), fresh.rbegin() + static_cast<std::ptrdiff_t>(n));
    EventStore::DecodedOver known;
    for (int pass = 0; pass < 3; ++pass) {
        const std::string reversed(row.rbegin(), row.rend());
        if (pass == 1) { // a damaged row between: what it leaves must not count as known
            try {
                EventStore::decode_employee_row(reversed, key, known_over, &known);
            } catch (const std::runtime_error &e) {
                damaged_only(e);
            }
        }
        if (EventStore::decode_employee_row(row, key, known_over, &known) != n)
            std::abort();
        for (size_t i = 0; i < n; ++i)
            if (!jobcoach::rules::same_content(fresh[i], known_over[i]) || fresh[i].seq != known_over[i].seq) {
                std::fprintf(stderr, "event %zu (%s) decoded over a known one differs\n", i,
                             fresh[i].id.str().c_str());
                std::abort();
            }
    }
    // The row's firsts: of it, and each the earliest date of its type and scheme, once each, every one there.
    const std::string kept = EventStore::firsts_of(row, key);
    EventStore::Firsts firsts(kept);
    if (!firsts.known() || !firsts.of(row))
        std::abort();
    size_t told = 0;
    for (EventStore::First f; firsts.next(f); ++told) {
        bool earliest = false;
        for (size_t i = 0; i < n; ++i) {
            if (fresh[i].type != f.type || fresh[i].scheme != f.scheme)
                continue;
            if (fresh[i].date < f.date)
                std::abort();
            earliest = earliest || fresh[i].date == f.date;
        }
        if (!earliest)
            std::abort();
    }
    // The row with its plain timesheet entries in runs (EventStore::compact_row, as the store writes it) gives
    // the same events, each way it is read, and back each entry as its record.
    const std::string each = EventStore::expand_row(row, key);
    const std::string compact = EventStore::compact_row(each);
    if (EventStore::expand_row(compact, key) != each || EventStore::compact_row(compact) != compact) {
        std::fprintf(stderr, "the row in runs does not give its records back\n");
        std::abort();
    }
    std::vector<jobcoach::rules::Event> from_runs;
    if (EventStore::decode_employee_row(compact, key, from_runs) != n || glance(compact, key, 3).size() != n)
        std::abort();
    for (size_t i = 0; i < n; ++i)
        if (!jobcoach::rules::same_content(fresh[i], from_runs[i]) || fresh[i].seq != from_runs[i].seq) {
            std::fprintf(stderr, "event %zu (%s) differs in runs\n", i, fresh[i].id.str().c_str());
            std::abort();
        }
    std::vector<std::pair<jobcoach::rules::EventType, std::string>> kinds;
    for (size_t i = 0; i < n; ++i)
        kinds.emplace_back(fresh[i].type, fresh[i].scheme);
    std::sort(kinds.begin(), kinds.end());
    if (told != static_cast<size_t>(std::unique(kinds.begin(), kinds.end()) - kinds.begin()))
        std::abort();
    return 0;
}
