// SPDX-License-Identifier: Apache-2.0
// The domain form of a host event (docs/formats.md): one flat value type, copied out of the ABI structs.
#pragma once

#include "jobcoach/rules/date.hpp"

#include <jobcoach/event_check.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

struct jc_event_header;

namespace jobcoach::rules {

enum class EventType : uint8_t {
    contract_started = 1,
    contract_changed = 2,
    contract_ended = 3,
    coaching_granted = 4,
    coaching_extended = 5,
    coaching_ended = 6,
    timesheet_logged = 7,
    timesheet_retracted = 8,
    absence_started = 9,
    absence_ended = 10,
    report_submitted = 11,
    budget_transferred = 12,
    event_retracted = 13,
};

enum class Activity : uint8_t { coaching = 0, visit = 1, contact = 2 };

// Whether `id` is `key`-<number> with the number as a state writes it (1 to 18 decimal digits, no leading zero
// but in "0"; below 10^18, it fits a varint of 63 bits), and that number: how a state stores most ids, and how
// IdSet compares them.
bool numbered_id(std::string_view id, std::string_view key, uint64_t &number);

// An event's id (docs/formats.md `id`). Read as a string (it converts to one); an event decoded from its
// employee's stored row for evaluating everyone holds the row's key and the id's number instead ("E-0000001"
// and 17 for "E-0000001-17", the form most hosts give) and makes the text only when it is first read: most ids
// are never read, and making each was a fifth of decoding a row. The key is a view, valid while the row's key
// is (EventStore::decode_employee_row): a copy of the id is made with its text, so no copy refers to the key.
// Reading makes the text in place: an event whose id is not made yet is read by one thread at a time (evaluating
// everyone decodes each employee on the thread that evaluates it).
class EventId {
public:
    EventId() = default;
    EventId(const EventId &other) : text_(other.str()) {}
    EventId &operator=(const EventId &other)
    {
        if (this != &other)
            assign(other.str());
        return *this;
    }
    EventId(EventId &&other) noexcept = default;
    EventId &operator=(EventId &&other) noexcept = default;
    EventId(std::string text) : text_(std::move(text)) {}
    EventId &operator=(std::string_view text)
    {
        assign(text);
        return *this;
    }
    EventId &operator=(const std::string &text) { return *this = std::string_view(text); }
    EventId &operator=(const char *text) { return *this = std::string_view(text); }

    // The id `key`-`number` ("E-0000001-17"), its text made when first read; `key` must outlive every read.
    void set_numbered(std::string_view key, uint64_t number)
    {
        key_ = key;
        number_ = number;
        pending_ = true;
    }
    // The text, to be written over in place (decoding: its storage kept from the event decoded there before).
    std::string &text_to_write()
    {
        pending_ = false;
        return text_;
    }
    // The id's text, made now if it was not yet.
    const std::string &str() const
    {
        if (pending_)
            make();
        return text_;
    }
    operator const std::string &() const { return str(); }
    operator std::string_view() const { return str(); }
    // Whether this is the id `key`-<number> with its text not made yet (and a number below 10^18, as a state
    // writes them), and that number: IdSet compares numbers, not texts.
    [[gnu::always_inline]] bool numbered_of(std::string_view key, uint64_t &number) const
    {
        if (!pending_ || number_ >= 1000000000000000000u ||
            (key_.data() != key.data() && key_ != key) || key_.size() != key.size())
            return false;
        number = number_;
        return true;
    }
    // Its length, told without making the text.
    size_t size() const { return pending_ ? key_.size() + 1 + digits(number_) : text_.size(); }
    bool empty() const { return !pending_ && text_.empty(); }
    // Its last two bytes (the last in the low byte; 0 for each the id is too short to have), told without making
    // the text: IdSet's filter asks them of every entry.
    uint16_t last_two() const
    {
        if (!pending_)
            return last_two(text_);
        const auto last = static_cast<uint16_t>('0' + number_ % 10);
        return static_cast<uint16_t>((number_ >= 10 ? '0' + number_ / 10 % 10 : '-') << 8 | last);
    }
    static uint16_t last_two(std::string_view text)
    {
        const size_t n = text.size();
        return static_cast<uint16_t>((n >= 2 ? static_cast<unsigned char>(text[n - 2]) << 8 : 0) |
                                     (n >= 1 ? static_cast<unsigned char>(text[n - 1]) : 0));
    }

    friend bool operator==(const EventId &a, const EventId &b) { return a.str() == b.str(); }
    friend bool operator==(const EventId &a, std::string_view b) { return a.str() == b; }
    // Printed as its text (a test's message).
    template <class Stream>
        requires requires(Stream &out, const std::string &text) { out << text; }
    friend Stream &operator<<(Stream &out, const EventId &id)
    {
        out << id.str();
        return out;
    }

private:
    void assign(std::string_view text)
    {
        pending_ = false;
        text_.assign(text.data(), text.size());
    }
    static size_t digits(uint64_t n)
    {
        size_t count = 1;
        for (n /= 10; n != 0; n /= 10)
            ++count;
        return count;
    }
    void make() const;

    // What set_numbered writes first, in the event's first two cache lines (Event, below).
    std::string_view key_;
    uint64_t number_ = 0;
    mutable bool pending_ = false; // text_ is still to be made from key_ and number_
    mutable std::string text_;
};
enum class EndChange : uint8_t { unchanged = 0, set = 1, open = 2 };

struct alignas(64) Event {
    // Provided, so that a new event in a vector (emplace_back()) is made by the member initializers alone:
    // value-initializing an event whose constructor is implicit zeroes all its bytes first, which was a sixth of
    // decoding a stored row.
    Event() noexcept {}

    // The members a plain timesheet entry is decoded into and its rules read (nine in ten stored events), first:
    // they then lie in the event's first two cache lines of seven, and decoding an employee's events and passing
    // over them touch those alone.
    EventType type{};
    Activity activity = Activity::coaching; // timesheet.logged
    Date date;
    int32_t minutes = 0;             // timesheet.logged, budget.transferred
    int64_t seq = 0;                 // arrival order within the store: the tie-breaker after the date (C-6)
    std::string scheme;              // coaching.*, timesheet.logged (optional), report.submitted (optional)
    EventId id;
    std::string employee;

    // Only the members of the event's type are meaningful; the others keep their defaults.
    std::string employer;            // contract.started
    int32_t weekly_minutes = -1;     // contract.started (required), contract.changed (-1: unchanged)
    int32_t prior_months = -1;       // coaching.granted (-1: absent)
    int32_t months = 0;              // coaching.extended
    std::optional<Date> end;         // contract.started, contract.changed (with end_change == set)
    EndChange end_change = EndChange::unchanged;
    bool paid = true;                // contract.started
    bool paid_prospect = true;       // contract.started
    int64_t granted_minutes = -1;    // coaching.granted (-1: absent)
    std::string level;               // coaching.granted (optional)
    std::string coach_form;          // coaching.granted (optional)
    std::string justification;       // coaching.granted, coaching.extended, budget.transferred (optional)
    std::string coach;               // timesheet.logged (optional)
    std::string retracts;            // timesheet.retracted, event.retracted
    std::string kind;                // report.submitted
};

// What a plugin keeps of a justification: only that one was given, never its text. The rules need no more
// (leidraad.justification), and a free text could hold a diagnosis (docs/design.md, privacy: no medical data).
inline constexpr const char *justification_given = "given";

// The docs/formats.md name of a type ("contract.started").
const char *type_name(EventType type);
std::optional<EventType> type_from_name(std::string_view name);

// Limits of docs/formats.md, with their one home in jobcoach/event_check.hpp (hosts check with the same).
inline constexpr size_t max_key_bytes = sdk::max_key_bytes;   // id, employee, employer and other keys
inline constexpr size_t max_text_bytes = sdk::max_text_bytes; // justification

// Converts and validates one ABI event (its strings: length, UTF-8; then sdk::check_event). Returns nullopt for
// an unknown type (to be skipped). Throws std::invalid_argument "field: what is wrong" for a malformed event.
std::optional<Event> from_abi(const jc_event_header &header);
// The same, into `out`, which must be default-constructed (a new slot of the caller's store): false for an
// unknown type.
bool from_abi(const jc_event_header &header, Event &out);

// True when two events say the same thing: every member but `seq` (the arrival order) is equal.
bool same_content(const Event &a, const Event &b);

} // namespace jobcoach::rules
