// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/rules/event.hpp"

#include <jobcoach/sdk.hpp>

#include <simdjson.h>

#include <charconv>
#include <iterator>
#include <stdexcept>
#include <system_error>
#include <tuple>

namespace jobcoach::rules {

namespace {

[[noreturn]] void bad(const std::string &field, const std::string &what)
{
    throw std::invalid_argument(field + ": " + what);
}

// Strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF), by simdjson's validator.
bool valid_utf8(std::string_view s)
{
    // Most texts are keys and codes in ASCII: told without a call into simdjson.
    unsigned char any = 0;
    for (const char c : s)
        any |= static_cast<unsigned char>(c);
    return any < 0x80 || simdjson::validate_utf8(s.data(), s.size());
}

std::string text(jc_str s, const char *field, size_t max_bytes)
{
    if (s.data == nullptr && s.size != 0)
        bad(field, "NULL data with size " + std::to_string(s.size));
    const std::string_view v = sdk::view(s);
    if (v.size() > max_bytes)
        bad(field, "longer than " + std::to_string(max_bytes) + " bytes");
    if (!valid_utf8(v))
        bad(field, "not valid UTF-8");
    return std::string(v);
}

// Validated like any text, then dropped: see justification_given.
std::string given_or_not(const std::string &justification) { return justification.empty() ? "" : justification_given; }

std::optional<Date> date_member(jc_date value, const char *field)
{
    if (value == JC_DATE_NONE)
        return std::nullopt;
    if (!Date::in_range(value))
        bad(field, "day number " + std::to_string(value) + " is outside 1900-01-01..2199-12-31");
    return Date{value};
}

} // namespace

bool numbered_id(std::string_view id, std::string_view key, uint64_t &number)
{
    constexpr size_t max_digits = 18;
    const size_t n = key.size();
    if (id.size() < n + 2 || id.size() > n + 1 + max_digits || id.compare(0, n, key) != 0 || id[n] != '-')
        return false;
    const std::string_view digits = id.substr(n + 1);
    if (digits.size() > 1 && digits[0] == '0')
        return false;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    return ec == std::errc() && end == digits.data() + digits.size();
}

void EventId::make() const
{
    char digits[20];
    const auto end = std::to_chars(digits, digits + sizeof digits, number_).ptr;
    text_.clear();
    text_.reserve(key_.size() + 1 + static_cast<size_t>(end - digits));
    text_.append(key_).append(1, '-').append(digits, end);
    pending_ = false;
}

const char *type_name(EventType type)
{
    const auto i = static_cast<size_t>(type);
    return i < std::size(sdk::event_type_names) ? sdk::event_type_names[i].data() : "unknown"; // NUL-terminated literals
}

std::optional<EventType> type_from_name(std::string_view name)
{
    if (const uint32_t type = sdk::event_type_of(name); type != 0)
        return static_cast<EventType>(type);
    return std::nullopt;
}

bool same_content(const Event &a, const Event &b)
{
    auto members = [](const Event &e) {
        return std::tie(e.type, e.id, e.employee, e.date.days, e.employer, e.weekly_minutes, e.end, e.end_change, e.paid,
                        e.paid_prospect, e.scheme, e.level, e.granted_minutes, e.prior_months, e.coach_form,
                        e.justification, e.months, e.minutes, e.activity, e.coach, e.retracts, e.kind);
    };
    return members(a) == members(b);
}

bool from_abi(const jc_event_header &h, Event &e)
{
    if (h.type < 1 || h.type >= std::size(sdk::event_type_names))
        return false;
    e.type = static_cast<EventType>(h.type);
    e.id = text(h.id, "id", max_key_bytes);
    e.employee = text(h.employee, "employee", max_key_bytes);
    if (!Date::in_range(h.date))
        bad("date", "day number " + std::to_string(h.date) + " is outside 1900-01-01..2199-12-31");
    e.date = Date{h.date};
    switch (e.type) {
    case EventType::contract_started: {
        const auto v = sdk::read_event<jc_event_contract_started>(h);
        e.employer = text(v.employer, "employer", max_key_bytes);
        e.weekly_minutes = v.weekly_minutes;
        e.end = date_member(v.end, "end");
        e.paid = v.paid != 0;
        e.paid_prospect = v.paid_prospect != 0;
        break;
    }
    case EventType::contract_changed: {
        const auto v = sdk::read_event<jc_event_contract_changed>(h);
        e.weekly_minutes = v.weekly_minutes;
        if (v.end_change < JC_END_UNCHANGED || v.end_change > JC_END_OPEN)
            bad("end_change", "must be JC_END_UNCHANGED, JC_END_SET or JC_END_OPEN");
        e.end_change = static_cast<EndChange>(v.end_change);
        if (e.end_change == EndChange::set)
            e.end = date_member(v.end, "end");
        break;
    }
    case EventType::coaching_granted: {
        const auto v = sdk::read_event<jc_event_coaching_granted>(h);
        e.scheme = text(v.scheme, "scheme", max_key_bytes);
        e.level = text(v.level, "level", max_key_bytes);
        e.granted_minutes = v.granted_minutes;
        e.prior_months = v.prior_months;
        e.coach_form = text(v.coach_form, "coach_form", max_key_bytes);
        e.justification = given_or_not(text(v.justification, "justification", max_text_bytes));
        break;
    }
    case EventType::coaching_extended: {
        const auto v = sdk::read_event<jc_event_coaching_extended>(h);
        e.scheme = text(v.scheme, "scheme", max_key_bytes);
        e.months = v.months;
        e.justification = given_or_not(text(v.justification, "justification", max_text_bytes));
        break;
    }
    case EventType::coaching_ended: {
        const auto v = sdk::read_event<jc_event_coaching_ended>(h);
        e.scheme = text(v.scheme, "scheme", max_key_bytes);
        break;
    }
    case EventType::timesheet_logged: {
        const auto v = sdk::read_event<jc_event_timesheet_logged>(h);
        e.minutes = v.minutes;
        if (v.activity < JC_ACTIVITY_COACHING || v.activity > JC_ACTIVITY_CONTACT)
            bad("activity", "must be JC_ACTIVITY_COACHING, _VISIT or _CONTACT");
        e.activity = static_cast<Activity>(v.activity);
        e.scheme = text(v.scheme, "scheme", max_key_bytes);
        e.coach = text(v.coach, "coach", max_key_bytes);
        break;
    }
    case EventType::timesheet_retracted: {
        const auto v = sdk::read_event<jc_event_timesheet_retracted>(h);
        e.retracts = text(v.retracts, "retracts", max_key_bytes);
        break;
    }
    case EventType::event_retracted: {
        const auto v = sdk::read_event<jc_event_event_retracted>(h);
        e.retracts = text(v.retracts, "retracts", max_key_bytes);
        break;
    }
    case EventType::report_submitted: {
        const auto v = sdk::read_event<jc_event_report_submitted>(h);
        e.kind = text(v.kind, "kind", max_key_bytes);
        e.scheme = text(v.scheme, "scheme", max_key_bytes);
        break;
    }
    case EventType::budget_transferred: {
        const auto v = sdk::read_event<jc_event_budget_transferred>(h);
        e.scheme = text(v.scheme, "scheme", max_key_bytes);
        e.minutes = v.minutes;
        e.justification = given_or_not(text(v.justification, "justification", max_text_bytes));
        break;
    }
    case EventType::contract_ended:
    case EventType::absence_started:
    case EventType::absence_ended:
        (void)sdk::read_event<jc_event_absence>(h); // checks the struct_size
        break;
    }
    // The checks of docs/formats.md, shared with hosts (jobcoach/event_check.hpp).
    if (const auto problem = sdk::check_event(h))
        bad(problem->field, problem->message);
    return true;
}

std::optional<Event> from_abi(const jc_event_header &h)
{
    Event e;
    if (!from_abi(h, e))
        return std::nullopt;
    return e;
}

} // namespace jobcoach::rules
