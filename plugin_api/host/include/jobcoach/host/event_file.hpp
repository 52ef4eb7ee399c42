// SPDX-License-Identifier: Apache-2.0
// jobcoach/host/event_file.hpp: reading event files (docs/formats.md "Events: JSON Lines") into the events a host
// hands to plugins, and those events as the ABI's jc_event_* structs.
//
// What every C++ host that takes events from a file or a queue needs, so that none writes it again:
//
//   jobcoach::host::EventFile file = jobcoach::host::read_events("events.jsonl");
//   if (!file.errors.empty()) { ... one line per problem: "FILE:LINE: field 'NAME': what is wrong" ... }
//   std::vector<const jobcoach::host::Event *> batch;            // any subset, in any order
//   for (const auto &e : file.events) batch.push_back(&e);
//   const jobcoach::host::AbiEvents abi(batch);
//   instance->handle_events(abi.headers());
//
// All or nothing: a file with any bad line gives its errors, and a host applies none of its events. Each event
// passes the checks plugins make (jobcoach/event_check.hpp), so a bad line is named by line and field here rather
// than refused as a whole batch by a plugin later. Not thread-safe across calls on one object; different objects
// may be used from different threads.
#pragma once

#include <jobcoach/jobcoach.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace jobcoach::host {

// One event as read, owning its strings. The members are those of the jc_event_* struct of its type (events.h),
// with the same units and absent values; the members of other types keep their defaults.
struct Event {
    // Provided, so that a new event in a vector (emplace_back()) is made by the member initializers alone, not
    // zeroed whole first (value-initialization of a class with an implicit constructor).
    Event() noexcept {}

    uint32_t type = 0;       // JC_EVENT_*
    std::string id;          // the idempotency key
    std::string employee;    // the pseudonymous employee key
    jc_date date = JC_DATE_NONE;
    int64_t line = 0;        // the line of the file it was read from (1-based), for messages

    std::string employer;            // contract.started
    int32_t weekly_minutes = -1;     // contract.started; contract.changed (-1: unchanged)
    jc_date end = JC_DATE_NONE;      // contract.started; contract.changed with end_change JC_END_SET
    int32_t end_change = JC_END_UNCHANGED; // contract.changed
    int32_t paid = 1;                // contract.started
    int32_t paid_prospect = 1;       // contract.started
    std::string scheme;              // coaching.*, budget.transferred; timesheet.logged, report.submitted (optional)
    std::string level;               // coaching.granted (optional)
    int64_t granted_minutes = -1;    // coaching.granted (-1: absent)
    int32_t prior_months = -1;       // coaching.granted (-1: absent)
    std::string coach_form;          // coaching.granted (optional)
    std::string justification;       // coaching.granted, coaching.extended, budget.transferred (optional)
    int32_t months = 0;              // coaching.extended
    int32_t minutes = 0;             // timesheet.logged, budget.transferred
    int32_t activity = JC_ACTIVITY_COACHING; // timesheet.logged
    std::string coach;               // timesheet.logged (optional)
    std::string retracts;            // timesheet.retracted, event.retracted
    std::string kind;                // report.submitted
};

// True when two events say the same thing: every member but `line`. An id seen again with other content is an
// error (the id is the idempotency key); seen again with the same, it is harmless.
bool same_content(const Event &a, const Event &b);

// The docs/formats.md name of a JC_EVENT_* type ("contract.started"); "" for an unknown one.
std::string_view event_type_name(uint32_t type);

// One problem of an event file.
struct FileError {
    size_t line;       // 1-based; 0 for the file as a whole
    std::string field; // the docs/formats.md field; empty when the line as a whole is wrong
    std::string message;
};

struct EventFile {
    std::vector<Event> events;     // in file order
    std::vector<FileError> errors; // when not empty, apply nothing
};

// The longest event line: a justification of 4096 bytes with every character escaped, and the other members.
inline constexpr size_t max_line_bytes = 64 * 1024;

// Told now and then how far parsing is: bytes done of the total.
using ParseProgress = std::function<void(size_t done, size_t total)>;

// Parses JSON Lines text: one event object per line. Blank lines and lines starting with '#' are skipped, a UTF-8
// byte-order mark and CRLF line ends are accepted, unknown fields are ignored, a key given twice is refused.
// Stops after `max_errors` errors.
EventFile parse_events(std::string_view text, size_t max_errors = 100, const ParseProgress &progress = {});
// Reads and parses a file (or a pipe); a file that cannot be read gives one error with line 0.
EventFile read_events(const std::string &path, size_t max_errors = 100, const ParseProgress &progress = {});

// The ABI form of a list of events, for handle_events. The structs borrow the strings of the events, which must
// outlive this object and stay unchanged.
class AbiEvents {
public:
    explicit AbiEvents(std::span<const Event *const> events);
    std::span<const jc_event_header *const> headers() const { return headers_; }

    // Room for any event struct.
    union Storage {
        jc_event_header header;
        jc_event_contract_started contract_started;
        jc_event_contract_changed contract_changed;
        jc_event_coaching_granted coaching_granted;
        jc_event_coaching_extended coaching_extended;
        jc_event_coaching_ended coaching_ended;
        jc_event_timesheet_logged timesheet_logged;
        jc_event_timesheet_retracted timesheet_retracted;
        jc_event_event_retracted event_retracted;
        jc_event_absence absence;
        jc_event_report_submitted report_submitted;
        jc_event_budget_transferred budget_transferred;
    };
    // Writes the struct of `event` into `storage` (its strings borrowed from `event`) and returns its header.
    static const jc_event_header &fill(const Event &event, Storage &storage);

private:
    std::unique_ptr<Storage[]> storage_; // made without zeroing, each zeroed and filled once
    std::vector<const jc_event_header *> headers_;
};

} // namespace jobcoach::host
