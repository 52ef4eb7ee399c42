// SPDX-License-Identifier: Apache-2.0
// jobcoach/event_check.hpp: the checks docs/formats.md names for one event, on its ABI struct, header-only C++20.
//
// One home for "what makes an event valid", used on both sides of the ABI: a host checks what it is about to
// send (the host runtime's event-file reader does, so a bad line is named by line and field before anything is
// applied), and a plugin checks what it received (the rule plugins do, in handle_events), with the same words.
// What it does not check: UTF-8 (a JSON parser has already; a plugin checks its copies), and whether an id was
// seen before (that needs the store). Like sdk.hpp, this is source compiled into your binary, not the ABI.
#ifndef JOBCOACH_EVENT_CHECK_HPP
#define JOBCOACH_EVENT_CHECK_HPP

#include <jobcoach/dates.hpp>
#include <jobcoach/sdk.hpp>

#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace jobcoach::sdk {

// What is wrong with an event: the docs/formats.md field it concerns and why ("weekly_hours", "must be more than
// 0 and at most 60").
struct EventProblem {
    std::string field;
    std::string message;
};

// The limits of docs/formats.md.
inline constexpr size_t max_key_bytes = 128;        // id, employee, employer and other keys
inline constexpr size_t max_text_bytes = 4096;      // justification
inline constexpr int32_t max_weekly_minutes = 3600; // 60 hours
inline constexpr int32_t max_entry_minutes = 1440;  // 24 hours in one entry
inline constexpr int32_t max_extension_months = 120;
inline constexpr int32_t max_prior_months = 120;
inline constexpr int64_t max_granted_minutes = 366LL * 24 * 60; // a year of hours
inline constexpr int32_t max_transfer_minutes = 525600;

// The docs/formats.md name of each JC_EVENT_* type ("contract.started"), indexed by the type; "" at 0. Each views
// a string literal, so .data() is NUL-terminated.
inline constexpr std::string_view event_type_names[] = {
    "",
    "contract.started",
    "contract.changed",
    "contract.ended",
    "coaching.granted",
    "coaching.extended",
    "coaching.ended",
    "timesheet.logged",
    "timesheet.retracted",
    "absence.started",
    "absence.ended",
    "report.submitted",
    "budget.transferred",
    "event.retracted",
};
static_assert(sizeof event_type_names / sizeof *event_type_names == JC_EVENT_EVENT_RETRACTED + 1,
              "a name for every JC_EVENT_* type");

// The JC_EVENT_* type of a docs/formats.md name, or 0 for a name no type has.
inline uint32_t event_type_of(std::string_view name) noexcept
{
    for (uint32_t i = 1; i < std::size(event_type_names); ++i)
        if (name == event_type_names[i])
            return i;
    return 0;
}

namespace detail {

// Ids and keys reach terminals, calendars and spreadsheets: no C0 control character or DEL in them.
inline std::optional<EventProblem> printable(jc_str value, const char *field)
{
    for (const char c : view(value))
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            return EventProblem{field, "holds a control character (byte " + std::to_string(static_cast<unsigned char>(c)) + ")"};
    return std::nullopt;
}

inline std::optional<EventProblem> missing(jc_str value, const char *field)
{
    if (value.size == 0)
        return EventProblem{field, "missing"};
    return std::nullopt;
}

inline std::optional<EventProblem> date_member(jc_date value, const char *field)
{
    if (value != JC_DATE_NONE && !dates::in_range(value))
        return EventProblem{field, "day number " + std::to_string(value) + " is outside 1900-01-01..2199-12-31"};
    return std::nullopt;
}

} // namespace detail

// Checks one event against docs/formats.md: the keys it needs, their lengths and bytes, the date range, and the
// ranges of its numbers. Returns the first problem, or nullopt for a valid event and for a type this header does
// not know (a plugin skips those). Reads the struct within header.struct_size (read_event); throws
// Error(JC_E_INVALID_EVENT) when that is smaller than the type's v1.0 struct. Every jc_str must have non-NULL
// data when its size is not 0.
inline std::optional<EventProblem> check_event(const jc_event_header &h)
{
    using detail::missing;
    using detail::printable;
    if (event_min_size(h.type) == 0)
        return std::nullopt;
    if (auto p = missing(h.id, "id"))
        return p;
    if (auto p = missing(h.employee, "employee"))
        return p;
    if (h.id.size > max_key_bytes)
        return EventProblem{"id", "longer than 128 bytes"};
    if (h.employee.size > max_key_bytes)
        return EventProblem{"employee", "longer than 128 bytes"};
    if (!dates::in_range(h.date))
        return EventProblem{"date", "outside 1900-01-01..2199-12-31"};
    if (auto p = printable(h.id, "id"))
        return p;
    if (auto p = printable(h.employee, "employee"))
        return p;
    switch (h.type) {
    case JC_EVENT_CONTRACT_STARTED: {
        const auto v = read_event<jc_event_contract_started>(h);
        if (auto p = printable(v.employer, "employer"))
            return p;
        if (auto p = missing(v.employer, "employer"))
            return p;
        if (v.weekly_minutes <= 0 || v.weekly_minutes > max_weekly_minutes)
            return EventProblem{"weekly_hours", "must be more than 0 and at most 60"};
        if (auto p = detail::date_member(v.end, "end"))
            return p;
        if (v.end != JC_DATE_NONE && v.end < h.date)
            return EventProblem{"end", "before the contract's start " + dates::iso(h.date)};
        return std::nullopt;
    }
    case JC_EVENT_CONTRACT_CHANGED: {
        const auto v = read_event<jc_event_contract_changed>(h);
        if (v.weekly_minutes != -1 && (v.weekly_minutes <= 0 || v.weekly_minutes > max_weekly_minutes))
            return EventProblem{"weekly_hours", "must be more than 0 and at most 60"};
        if (v.end_change < JC_END_UNCHANGED || v.end_change > JC_END_OPEN)
            return EventProblem{"end_change", "must be JC_END_UNCHANGED, JC_END_SET or JC_END_OPEN"};
        if (v.end_change != JC_END_SET)
            return std::nullopt; // `end` means nothing then
        if (v.end == JC_DATE_NONE)
            return EventProblem{"end", "missing"};
        if (auto p = detail::date_member(v.end, "end"))
            return p;
        if (v.end < h.date)
            return EventProblem{"end", "before the change's date " + dates::iso(h.date)};
        return std::nullopt;
    }
    case JC_EVENT_COACHING_GRANTED: {
        const auto v = read_event<jc_event_coaching_granted>(h);
        if (auto p = printable(v.scheme, "scheme"))
            return p;
        if (auto p = printable(v.level, "level"))
            return p;
        if (auto p = missing(v.scheme, "scheme"))
            return p;
        if (v.granted_minutes < -1 || v.granted_minutes > max_granted_minutes)
            return EventProblem{"granted_hours", "must be 0 or more and at most a year of hours"};
        if (v.prior_months < -1 || v.prior_months > max_prior_months)
            return EventProblem{"prior_months", "must be 0..120"};
        const std::string_view form = view(v.coach_form);
        if (!form.empty() && form != "gemeente" && form != "intern" && form != "extern")
            return EventProblem{"coach_form", "must be gemeente, intern or extern"};
        return std::nullopt;
    }
    case JC_EVENT_COACHING_EXTENDED: {
        const auto v = read_event<jc_event_coaching_extended>(h);
        if (auto p = printable(v.scheme, "scheme"))
            return p;
        if (auto p = missing(v.scheme, "scheme"))
            return p;
        if (v.months <= 0 || v.months > max_extension_months)
            return EventProblem{"months", "must be 1..120"};
        return std::nullopt;
    }
    case JC_EVENT_COACHING_ENDED: {
        const auto v = read_event<jc_event_coaching_ended>(h);
        if (auto p = printable(v.scheme, "scheme"))
            return p;
        return missing(v.scheme, "scheme");
    }
    case JC_EVENT_TIMESHEET_LOGGED: {
        const auto v = read_event<jc_event_timesheet_logged>(h);
        if (auto p = printable(v.scheme, "scheme"))
            return p;
        if (auto p = printable(v.coach, "coach"))
            return p;
        if (v.minutes <= 0 || v.minutes > max_entry_minutes)
            return EventProblem{"minutes", "must be more than 0 and at most 24 hours (1440 minutes)"};
        if (v.activity < JC_ACTIVITY_COACHING || v.activity > JC_ACTIVITY_CONTACT)
            return EventProblem{"activity", "must be JC_ACTIVITY_COACHING, _VISIT or _CONTACT"};
        return std::nullopt;
    }
    case JC_EVENT_TIMESHEET_RETRACTED:
    case JC_EVENT_EVENT_RETRACTED: {
        // Both structs are a header and `retracts`, laid out alike.
        const auto v = read_event<jc_event_timesheet_retracted>(h);
        if (auto p = printable(v.retracts, "retracts"))
            return p;
        return missing(v.retracts, "retracts");
    }
    case JC_EVENT_REPORT_SUBMITTED: {
        const auto v = read_event<jc_event_report_submitted>(h);
        if (auto p = printable(v.scheme, "scheme"))
            return p;
        if (auto p = printable(v.kind, "kind"))
            return p;
        return missing(v.kind, "kind");
    }
    case JC_EVENT_BUDGET_TRANSFERRED: {
        const auto v = read_event<jc_event_budget_transferred>(h);
        if (auto p = printable(v.scheme, "scheme"))
            return p;
        if (auto p = missing(v.scheme, "scheme"))
            return p;
        if (v.minutes <= 0 || v.minutes > max_transfer_minutes)
            return EventProblem{"minutes", "must be 1..525600"};
        return std::nullopt;
    }
    default: // contract.ended, absence.started, absence.ended: the header is all there is
        return std::nullopt;
    }
}

} // namespace jobcoach::sdk

#endif // JOBCOACH_EVENT_CHECK_HPP
