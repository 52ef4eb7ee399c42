// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/rules/event_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <simdjson.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <utility>

// The decoders that evaluating everyone runs for every stored event are flattened (every call inlined into them;
// see decode_body). Not in the sanitizer and fuzzing builds (JOBCOACH_SANITIZED), which are for finding faults: in
// the sanitizer builds, at -O1, GCC took 8 minutes to compile this file with them flattened, 15 seconds without.
#ifdef JOBCOACH_SANITIZED
#define JC_FLATTEN
#else
#define JC_FLATTEN [[gnu::flatten]]
#endif

namespace jobcoach::rules {

namespace {

// 1: the events table, a column per member; 2: its indexes by employee and by employer (a plugin reads an
// employee's events when it needs them, and opening a state reads nothing); 3: the compact row, clustered by
// employee; 4: one row per employee, its events one after another in arrival order (encode_record), so that
// reading an employee, or everyone, is a step per employee rather than per event. Beside it the index of event
// ids (a hash of each id, and the employee whose row holds it) and the tags the queries select employees by
// (employer, scheme). 5: the index of ids in buckets, a row of up to 128 slots each (a row per id took half of
// an import's time). 6: the records of format 2 (encode_record): an id as the row's key and what follows it, a
// date from 2020, the members most events have in the mask's first bits; a timesheet entry takes 12 bytes, not
// 28. 7: runs, a record holding plain timesheet entries one after another (compact_row), about 3 bytes an
// entry, not 11. A state of schema 1 to 3 is rewritten as schema 7 when opened; of schema 4 to 6, its rows (and
// of 4, its index).
constexpr int schema_version = 7;

// A key or id read from a row, fit for a message: as it is when it is printable UTF-8 of a key's length at most;
// else each byte that is not printable ASCII shown as '?', and cut there. A damaged row's id may hold any bytes,
// and a NUL would end the message a host reads through last_error before it says what is wrong.
std::string shown(std::string_view text)
{
    const bool control = std::any_of(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (!control && text.size() <= sdk::max_key_bytes && simdjson::validate_utf8(text.data(), text.size()))
        return std::string(text);
    std::string out(text.substr(0, sdk::max_key_bytes));
    for (char &c : out)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            c = '?';
    return out;
}

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

// A signed number zigzag-coded: 0, -1, 1, -2, … as 0, 1, 2, 3, …
constexpr uint64_t zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }

void put_signed(std::string &out, int64_t v) { put_varint(out, zigzag(v)); }

// A varint of one to four bytes (nearly every number of a row: a date, a mask; a seq, four bytes from about a
// million events on) into v, read without a loop, moving p past it; false when it is longer or cut short.
[[gnu::always_inline]] inline bool short_varint(const unsigned char *&p, const unsigned char *end, uint64_t &v)
{
    const size_t size = static_cast<size_t>(end - p);
    if (size >= 1 && p[0] < 0x80) {
        v = p[0];
        p += 1;
    } else if (size >= 2 && p[1] < 0x80) {
        v = (p[0] & 0x7fu) | (static_cast<uint64_t>(p[1]) << 7);
        p += 2;
    } else if (size >= 3 && p[2] < 0x80) {
        v = (p[0] & 0x7fu) | (static_cast<uint64_t>(p[1] & 0x7fu) << 7) | (static_cast<uint64_t>(p[2]) << 14);
        p += 3;
    } else if (size >= 4 && p[3] < 0x80) {
        v = (p[0] & 0x7fu) | (static_cast<uint64_t>(p[1] & 0x7fu) << 7) | (static_cast<uint64_t>(p[2] & 0x7fu) << 14) |
            (static_cast<uint64_t>(p[3]) << 21);
        p += 4;
    } else {
        return false;
    }
    return true;
}

// The same from a place with four bytes or more readable from it: no test of an end per byte (the caller checked
// that the row holds them: Records::next_plain).
[[gnu::always_inline]] inline bool short_varint_in(const unsigned char *&p, uint32_t &v)
{
    const uint32_t b0 = p[0];
    if (b0 < 0x80) {
        v = b0;
        p += 1;
        return true;
    }
    const uint32_t b1 = p[1];
    if (b1 < 0x80) {
        v = (b0 & 0x7fu) | b1 << 7;
        p += 2;
        return true;
    }
    const uint32_t b2 = p[2];
    if (b2 < 0x80) {
        v = (b0 & 0x7fu) | (b1 & 0x7fu) << 7 | b2 << 14;
        p += 3;
        return true;
    }
    const uint32_t b3 = p[3];
    if (b3 < 0x80) {
        v = (b0 & 0x7fu) | (b1 & 0x7fu) << 7 | (b2 & 0x7fu) << 14 | b3 << 21;
        p += 4;
        return true;
    }
    return false;
}

// A zigzag-coded number (put_signed) back.
constexpr int64_t unzigzag(uint64_t z) { return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1)); }

// Reads varints and texts from a body; throws naming what is wrong when the bytes are not one (a damaged file).
// Over two pointers, not a string_view: each number read moves one pointer (a view's pointer and length were
// both stored back per number, a tenth of decoding).
class BodyReader {
public:
    explicit BodyReader(std::string_view in)
        : p_(reinterpret_cast<const unsigned char *>(in.data())), end_(p_ + in.size())
    {
    }
    uint64_t varint()
    {
        if (uint64_t v = 0; short_varint(p_, end_, v))
            return v;
        const Long l = long_varint(p_, end_);
        p_ = l.next;
        return l.value;
    }
    int64_t signed_int() { return unzigzag(varint()); }
    // A number that must lie in lo..hi (an int32_t member, an enumeration).
    int64_t in_range(int64_t lo, int64_t hi)
    {
        const int64_t v = signed_int();
        if (v < lo || v > hi)
            damaged("a number out of range");
        return v;
    }
    std::string_view text_view()
    {
        const uint64_t n = varint();
        if (n > left())
            damaged("a text cut short");
        const std::string_view s(reinterpret_cast<const char *>(p_), n);
        p_ += n;
        return s;
    }
    // The next `n` bytes, skipped over (n <= left()).
    std::string_view skip(size_t n)
    {
        const std::string_view s(reinterpret_cast<const char *>(p_), n);
        p_ += n;
        return s;
    }
    // A byte as it is (a record's first, format 2).
    uint8_t byte()
    {
        if (p_ == end_)
            damaged("cut short");
        return *p_++;
    }
    // The bytes not read yet.
    std::string_view rest() const { return std::string_view(reinterpret_cast<const char *>(p_), left()); }
    size_t left() const { return static_cast<size_t>(end_ - p_); }
    bool done() const { return p_ == end_; }
    // Where the reader is, and a move on to `p` (p_ <= p <= end_): Records::next_plain reads a record itself.
    const unsigned char *at() const { return p_; }
    void move_to(const unsigned char *p) { p_ = p; }
    [[noreturn]] static void damaged(const char *what)
    {
        throw std::runtime_error(std::string("an event's stored row is damaged (") + what + ")");
    }

private:
    // The rare long number, out of line. The pointers go by value and come back: a call given the reader itself
    // would make it live in memory, and each number read store its pointer back.
    struct Long {
        uint64_t value;
        const unsigned char *next;
    };
    [[gnu::noinline]] static Long long_varint(const unsigned char *p, const unsigned char *end)
    {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p == end)
                damaged("cut short");
            const unsigned char byte = *p++;
            v |= static_cast<uint64_t>(byte & 0x7f) << shift;
            if ((byte & 0x80) == 0)
                return {v, p};
        }
        damaged("a number longer than 64 bits");
    }
    const unsigned char *p_, *end_;
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

// Reads the members the mask says are there, and gives the others their defaults: every member is written, so
// that an event can be decoded over another (for_each_employee reuses its events, employee after employee).
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
    template <class Int> void number(Int &v, int64_t absent)
    {
        v = next() ? static_cast<Int>(in.in_range(std::numeric_limits<Int>::min(), std::numeric_limits<Int>::max()))
                   : static_cast<Int>(absent);
    }
    template <class Enum> void enumeration(Enum &v, Enum absent, Enum last)
    {
        v = next() ? static_cast<Enum>(in.in_range(0, static_cast<int64_t>(last))) : absent;
    }
    void date(std::optional<Date> &d)
    {
        if (next())
            d = Date{static_cast<int32_t>(in.in_range(INT32_MIN, INT32_MAX))};
        else
            d.reset();
    }
    void flag(bool &v, bool absent) { v = next() ? !absent : absent; }
    void given(std::string &t)
    {
        if (next())
            t = justification_given;
        else
            t.clear();
    }
    void text(std::string &t)
    {
        t.clear(); // then appended to: cheaper than assign, whose path is general
        if (next())
            t.append(in.text_view());
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

// How a body (and a row's record) is written: `v1` in schema 3 to 5 (read only to upgrade such a state), `v2`
// from schema 6 on, where the date counts from 2020-01-01 (two bytes for 1998 to 2042, not three) and the mask is
// turned so that minutes, activity and coach, what a timesheet entry has, take its first bits (one byte, not two).
enum class Format { v1, v2 };
constexpr int32_t v2_date_base = 18262; // 2020-01-01, in days since 1970-01-01
constexpr unsigned v2_mask_turn = 11;   // the bit of `minutes` in body_members, bit 0 of a v2 mask
constexpr uint64_t turn_mask(uint64_t mask)
{
    return ((mask >> v2_mask_turn) | (mask << (16 - v2_mask_turn))) & body_members_mask;
}
constexpr uint64_t unturn_mask(uint64_t stored)
{
    return ((stored << v2_mask_turn) | (stored >> (16 - v2_mask_turn))) & body_members_mask;
}
static_assert(body_members_mask == 0xffff && unturn_mask(turn_mask(0x1803)) == 0x1803 && turn_mask(1u << 11) == 1);

// A body's date in format 2 (days from v2_date_base).
Date v2_date(BodyReader &r)
{
    constexpr int64_t lo = int64_t{INT32_MIN} - v2_date_base, hi = int64_t{INT32_MAX} - v2_date_base;
    return Date{static_cast<int32_t>(r.in_range(lo, hi) + v2_date_base)};
}

// Appends the body of `e` to `out`.
void encode_body(const Event &e, std::string &out, Format format)
{
    BodyWriter w;
    body_members(e, w);
    if (format == Format::v1) {
        put_signed(out, e.date.days);
        put_varint(out, w.mask);
    } else {
        put_signed(out, int64_t{e.date.days} - v2_date_base);
        put_varint(out, turn_mask(w.mask));
    }
    out += w.values;
}

// Flattened (every call inlined), as are Records::decode and decode_row_over: evaluating everyone decodes every
// stored event, and the reader's small steps cost more in calls than in work (-7 % of an evaluation's instructions).
JC_FLATTEN void decode_body(std::string_view bytes, Event &e, Format format = Format::v1)
{
    BodyReader r(bytes);
    uint64_t mask = 0;
    if (format == Format::v1) {
        e.date = Date{static_cast<int32_t>(r.in_range(INT32_MIN, INT32_MAX))};
        mask = r.varint();
    } else {
        e.date = v2_date(r);
        mask = r.varint();
        if ((mask & ~body_members_mask) == 0)
            mask = unturn_mask(mask);
    }
    if ((mask & ~body_members_mask) != 0)
        BodyReader::damaged("unknown members");
    // A timesheet entry with its minutes alone, nine in ten stored events, read with its mask a constant: the
    // compiler then drops the test of each member's bit (a fifth of decoding such an entry).
    constexpr uint64_t minutes_only = uint64_t{1} << v2_mask_turn;
    if (mask == minutes_only) {
        BodyRead read{r, minutes_only};
        body_members(e, read);
    } else {
        BodyRead read{r, mask};
        body_members(e, read);
    }
    if (!r.done())
        BodyReader::damaged("bytes after its end");
}

// The columns of schema 3, in the order read_event reads them (read only to upgrade such a state).
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
        throw std::runtime_error("event " + shown(e.id) + " of employee " + shown(e.employee) + ": " + error.what());
    }
}


// --- one row per employee (schema 4 to 7) ---------------------------------------------------------------

// One stored event in an employee's row, format 2 (schema 6 and 7; runs, below, from 7): a varint length, then
//  - a byte: the type (bits 0-3), whether an employer (bit 4) and a scheme (bit 5) follow, and how the id is
//    written (bits 6-7, IdForm);
//  - seq (unsigned), the id (IdForm), the employer and the scheme when there (a varint length and the bytes);
//  - the body (encode_body, Format::v2).
// Format 1 (schema 4 and 5, read only to upgrade such a state): a varint length, then seq (signed), type, id,
// employer and scheme (a varint length and the bytes each, every one), then the body (Format::v1).
// The employee is the row's key.
enum IdForm : uint8_t {
    id_in_full = 0,   // a varint length and the bytes
    id_after_key = 1, // the row's key, then what follows it (a varint length and the bytes)
    id_numbered = 2,  // the row's key, '-' and a number without leading zeros (a varint): "E-0000001-17"
    // 3 (run_form, below): not a record of one event but a run of timesheet entries (schema 7)
};
constexpr uint8_t head_type_bits = 0x0f, head_employer = 0x10, head_scheme = 0x20;
constexpr unsigned head_id_shift = 6;
static_assert(static_cast<unsigned>(EventType::event_retracted) <= head_type_bits, "a type takes four bits");

// A format-2 record's first byte, checked.
uint8_t record_head(BodyReader &r)
{
    const uint8_t head = r.byte();
    const unsigned type = head & head_type_bits;
    if (type < 1 || type > static_cast<unsigned>(EventType::event_retracted) || (head >> head_id_shift) > id_numbered)
        BodyReader::damaged("a number out of range");
    return head;
}

// How `id` is written in the row of `key`; for id_numbered, its number.
IdForm id_form(std::string_view id, std::string_view key, uint64_t &number)
{
    if (key.empty() || id.size() <= key.size() || id.compare(0, key.size(), key) != 0)
        return id_in_full;
    return numbered_id(id, key, number) ? id_numbered : id_after_key;
}

void encode_record(const Event &e, std::string_view key, std::string &scratch, std::string &out)
{
    scratch.clear();
    uint64_t number = 0;
    const IdForm form = id_form(e.id, key, number);
    scratch += static_cast<char>(static_cast<uint8_t>(e.type) | (e.employer.empty() ? 0 : head_employer) |
                                 (e.scheme.empty() ? 0 : head_scheme) | (form << head_id_shift));
    put_varint(scratch, static_cast<uint64_t>(e.seq)); // from 1 (next_seq)
    auto text = [&](std::string_view t) {
        put_varint(scratch, t.size());
        scratch += t;
    };
    if (form == id_in_full)
        text(e.id);
    else if (form == id_after_key)
        text(std::string_view(e.id).substr(key.size()));
    else
        put_varint(scratch, number);
    if (!e.employer.empty())
        text(e.employer);
    if (!e.scheme.empty())
        text(e.scheme);
    encode_body(e, scratch, Format::v2);
    put_varint(out, scratch.size());
    out += scratch;
}

// Sets `to` to `text`. Decoding over the previous employee's events, an id mostly replaces one of the same
// length ("E-0000001-17" after "E-0000002-35"): its bytes are then written over in place, without a call.
inline void assign_text(std::string &to, std::string_view text)
{
    const size_t n = text.size();
    if (n == to.size() && n >= 8 && n <= 16) {
        char *d = to.data();
        std::memcpy(d, text.data(), 8); // two overlapping words cover 8 to 16 bytes
        std::memcpy(d + n - 8, text.data() + n - 8, 8);
        return;
    }
    to.clear(); // then appended to: cheaper than assign, whose path is general
    to.append(text);
}

// A plain entry's numbers as stored (the date and the minutes zigzag-coded, the activity as its byte).
struct PlainNumbers {
    uint32_t seq = 0, number = 0, date = 0, minutes = 0;
    unsigned activity = 0;
};
// A record needs this many bytes of the row from its length on to be read by read_plain: such a record takes
// at most 21 (a length byte, the head, three numbers of up to four bytes, the mask, minutes of up to four
// bytes, the activity).
constexpr size_t plain_room = 24;
// Such a record's first byte: a timesheet.logged with a numbered id, no employer, no scheme.
constexpr uint8_t plain_head =
    static_cast<uint8_t>(EventType::timesheet_logged) | (id_numbered << head_id_shift);
// Reads the record at `p` (its length first; `left` bytes of the row from there) when it is a plain timesheet
// entry and left >= plain_room, without a test of the row's end per byte; the record's end, or nullptr (and
// nothing meant by `v`) for any other record, for one near the row's end, and for one whose bytes are not as
// such an entry's are.
[[gnu::always_inline]] inline const unsigned char *read_plain(const unsigned char *p, size_t left,
                                                               PlainNumbers &v)
{
    if (left < plain_room)
        return nullptr;
    const size_t size = p[0]; // the record's length, one byte (a longer length has its high bit set)
    if (size >= 0x80 || size >= left || p[1] != plain_head)
        return nullptr;
    const unsigned char *const end = p + 1 + size;
    p += 2;
    // The last byte read lies at most 20 bytes past the length, within plain_room.
    if (!short_varint_in(p, v.seq) || !short_varint_in(p, v.number) || !short_varint_in(p, v.date))
        return nullptr;
    // The mask of the minutes alone (1), or of the minutes and the activity (3), as stored: one byte each.
    static_assert(turn_mask(uint64_t{1} << v2_mask_turn) == 1 && turn_mask(uint64_t{3} << v2_mask_turn) == 3);
    const unsigned mask = *p++; // (a longer varint has its high bit set: not one of the two)
    if ((mask | 2u) != 3u || !short_varint_in(p, v.minutes))
        return nullptr;
    v.activity = 0;
    if (mask == 3u) {
        if (*p != 2 && *p != 4) // an activity other than coaching, zigzag-coded: visit or contact
            return nullptr;
        v.activity = *p++;
    }
    return p == end ? end : nullptr;
}

// Reads a record (without its length) as read_plain reads one in the row, from a copy with its length before it
// and zeros after it (a number that would run past the record's end then ends past it, and the record is
// refused): what it takes is the same wherever the record lies. Its numbers into `v`; false for any other record.
inline bool read_plain_record(std::string_view record, PlainNumbers &v)
{
    if (record.empty() || record.size() >= plain_room || static_cast<uint8_t>(record[0]) != plain_head)
        return false;
    unsigned char copy[plain_room] = {};
    copy[0] = static_cast<unsigned char>(record.size());
    std::memcpy(copy + 1, record.data(), record.size());
    return read_plain(copy, plain_room, v) != nullptr;
}

// Appends a plain entry's record as read_plain reads it, without its length, to `out`. It is the record
// encode_record writes for such an entry's event (compact_row puts an entry in a run only when this gives its
// record back byte for byte).
inline void write_plain(std::string &out, const PlainNumbers &v)
{
    out += static_cast<char>(plain_head);
    put_varint(out, v.seq);
    put_varint(out, v.number);
    put_varint(out, v.date);
    out += static_cast<char>(v.activity != 0 ? 3 : 1); // the mask: the minutes, and the activity when not coaching
    put_varint(out, v.minutes);
    if (v.activity != 0)
        out += static_cast<char>(v.activity);
}

// A run (schema 7): plain timesheet entries one after another (compact_row), as one record of format 2: its
// length, then
//  - a byte: the type timesheet.logged and the id form run_form (bits 6-7), which no record of one event has;
//  - the number of entries (a varint; two or more as written);
//  - the run's date step (a zigzag varint): the change of date most of its entries have from the one before,
//    whose id number they follow by one (7 for weekly entries);
//  - each entry, from the numbers of the one before (the first's from seq 0, id number 0 and 2020-01-01): the
//    seq's rise shifted up by a bit that says whether the entry steps (its id number one more, its date the step
//    later), a varint; when it does not step, the id number's change and the date's change (zigzag varints);
//    then the minutes (zigzag-coded) shifted up by two bits over the activity (0 coaching, 1 visit, 2 contact), a
//    varint. Each number takes one to four bytes.
// A weekly entry takes 3 bytes so, not 11: the rows, and what a pass over everyone reads and decodes, shrink by
// more than half. A reader sees each entry as the record write_plain makes of it (Records::next, expand_row), or
// decodes the run straight into events (Records::decode_run).
constexpr uint8_t run_form = 3;
constexpr uint8_t run_head = static_cast<uint8_t>(EventType::timesheet_logged) | (run_form << head_id_shift);
constexpr uint64_t plain_bound = uint64_t{1} << 28; // the numbers a varint of four bytes holds

// The most a run's date step may be, either way (a date's change fits a four-byte zigzag varint).
constexpr int64_t max_date_step = int64_t{1} << 26;

// Opens the run whose bytes after its head are `body`, at `place`; throws for a damaged one.
inline void open_run(std::string_view body, EventStore::RunPlace &place)
{
    BodyReader r(body);
    const uint64_t count = r.varint();
    const int64_t step = r.signed_int();
    if (count == 0 || count > r.left() / 2) // an entry takes two bytes at least
        BodyReader::damaged("a run of timesheet entries of a wrong count");
    if (step < -max_date_step || step > max_date_step)
        BodyReader::damaged("a run's date step out of range");
    place.p = r.at();
    place.end = place.p + r.left();
    place.left = count;
    place.step = static_cast<int32_t>(step);
    place.seq = 0;
    place.number = 0;
    place.date = 0;
}

// Checks the numbers of a run's entry as a plain entry's record holds them (each in four varint bytes: below
// 2^28, the id number not below 0, the date zigzag-coded; the activity one of three); throws for a damaged one.
[[gnu::always_inline]] inline void check_run_numbers(uint64_t seq, int64_t id_number, int64_t days, uint64_t tail)
{
    if (seq >= plain_bound || static_cast<uint64_t>(id_number) >= plain_bound ||
        static_cast<uint64_t>(days + static_cast<int64_t>(plain_bound / 2)) >= plain_bound || (tail & 3) == 3)
        BodyReader::damaged("a number of a run's entry out of range");
}

// Checks the numbers of a run's entry (check_run_numbers) and moves `place` on to it.
[[gnu::always_inline]] inline void run_numbers(EventStore::RunPlace &place, uint64_t seq, int64_t id_number,
                                               int64_t days, uint64_t tail)
{
    check_run_numbers(seq, id_number, days, tail);
    place.seq = static_cast<uint32_t>(seq);
    place.number = static_cast<uint32_t>(id_number);
    place.date = static_cast<int32_t>(days);
}

// The next entry of the run at `place` (place.left > 0), into `v` as read_plain reads such an entry's record;
// throws for a damaged one.
[[gnu::always_inline]] inline void run_entry(EventStore::RunPlace &place, PlainNumbers &v)
{
    const unsigned char *p = place.p;
    uint64_t lead = 0, number = 2, date = zigzag(place.step), tail = 0; // (a stepping entry's changes)
    if (!short_varint(p, place.end, lead) ||
        ((lead & 1) == 0 && (!short_varint(p, place.end, number) || !short_varint(p, place.end, date))) ||
        !short_varint(p, place.end, tail))
        BodyReader::damaged("a run's entry cut short, or a number of it out of range");
    run_numbers(place, place.seq + (lead >> 1), int64_t{place.number} + unzigzag(number),
                int64_t{place.date} + unzigzag(date), tail);
    if (--place.left == 0 && p != place.end)
        BodyReader::damaged("bytes after a run's last entry");
    place.p = p;
    v.seq = place.seq;
    v.number = place.number;
    v.date = static_cast<uint32_t>(zigzag(place.date));
    v.minutes = static_cast<uint32_t>(tail >> 2);
    v.activity = static_cast<unsigned>(tail & 3) << 1;
}

// The records of an employee's row, one after another.
class Records {
public:
    Records(std::string_view row, std::string_view employee, Format format = Format::v2)
        : in_(row), employee_(employee), format_(format)
    {
    }
    bool done() const { return in_.done() && run_.left == 0; }
    // The next record's bytes (without its length): false at the end. Each entry of a run comes as the record
    // of its own it had before (write_plain), viewed until the next call.
    bool next(std::string_view &record)
    {
        try {
            if (run_.left == 0) {
                if (in_.done())
                    return false;
                const uint64_t n = in_.varint();
                if (n > in_.left())
                    BodyReader::damaged("a record cut short");
                record = in_.skip(n);
                if (format_ != Format::v2 || record.empty() || static_cast<uint8_t>(record[0]) != run_head)
                    return true;
                open_run(record.substr(1), run_);
            }
            PlainNumbers v;
            run_entry(run_, v);
            entry_.clear();
            write_plain(entry_, v);
            record = entry_;
        } catch (const std::runtime_error &error) {
            throw std::runtime_error("employee " + shown(employee_) + ": " + error.what());
        }
        return true;
    }
    // When the next record is a run (and next() is not within one): opens it at `place`, moves past it, and
    // true; decode_run then reads its entries. False, nothing moved, for any other record.
    bool start_run(EventStore::RunPlace &place)
    {
        if (format_ != Format::v2 || run_.left != 0 || in_.done())
            return false;
        try {
            BodyReader r = in_;
            const uint64_t n = r.varint();
            if (n == 0 || n > r.left() || *r.at() != run_head)
                return false; // (next() says what is wrong with a record cut short)
            const std::string_view record = r.skip(n);
            open_run(record.substr(1), place);
            in_.move_to(r.at());
        } catch (const std::runtime_error &error) {
            throw std::runtime_error("employee " + shown(employee_) + ": " + error.what());
        }
        return true;
    }
    // The entries of the run start_run opened, into events[0], events[1], … (place.left of them), as
    // plain_run writes plain entries: plain[i] (when given) tells whether events[i] holds a plain entry as the
    // decoder left it (only what differs is then written), and is set. An entry written is whole, with its flag
    // set, even when a later one is damaged (which throws).
    void decode_run(EventStore::RunPlace &place, Event *events, uint8_t *plain) const
    {
        // As run_entry reads each entry, with the run's place in registers, each number read without a test of
        // the run's end while 16 bytes or more are left (four numbers of four bytes at most), and each entry
        // written straight from its numbers.
        const unsigned char *p = place.p;
        const unsigned char *const end = place.end;
        const int64_t step = place.step;
        uint32_t seq = place.seq;
        int64_t number = place.number, days = place.date;
        try {
            for (size_t i = 0, count = place.left; i < count; ++i) {
                uint32_t lead = 0, id_change = 2, date_change = 0, tail = 0; // (id_change: +1, zigzag-coded)
                bool read = false;
                if (end - p >= 16) {
                    read = short_varint_in(p, lead) &&
                           ((lead & 1) != 0 || (short_varint_in(p, id_change) && short_varint_in(p, date_change))) &&
                           short_varint_in(p, tail);
                } else {
                    uint64_t v[4] = {0, 2, 0, 0};
                    read = short_varint(p, end, v[0]) &&
                           ((v[0] & 1) != 0 || (short_varint(p, end, v[1]) && short_varint(p, end, v[2]))) &&
                           short_varint(p, end, v[3]);
                    lead = static_cast<uint32_t>(v[0]);
                    id_change = static_cast<uint32_t>(v[1]);
                    date_change = static_cast<uint32_t>(v[2]);
                    tail = static_cast<uint32_t>(v[3]);
                }
                if (!read)
                    BodyReader::damaged("a run's entry cut short, or a number of it out of range");
                const uint64_t next_seq = uint64_t{seq} + (lead >> 1);
                number += unzigzag(id_change);
                days += (lead & 1) != 0 ? step : unzigzag(date_change);
                check_run_numbers(next_seq, number, days, tail);
                seq = static_cast<uint32_t>(next_seq);
                Event &e = events[i];
                const bool over = plain != nullptr && plain[i] != 0;
                if (!over)
                    plain_defaults(e);
                e.seq = seq;
                e.id.set_numbered(employee_, static_cast<uint64_t>(number));
                e.date = Date{static_cast<int32_t>(days + v2_date_base)};
                e.minutes = static_cast<int32_t>(unzigzag(tail >> 2));
                e.activity = static_cast<Activity>(tail & 3);
                if (plain != nullptr)
                    plain[i] = 1;
            }
            if (p != end)
                BodyReader::damaged("bytes after a run's last entry");
        } catch (const std::runtime_error &error) {
            throw std::runtime_error("employee " + shown(employee_) + ": " + error.what());
        }
        place.p = p;
        place.left = 0;
    }
    // A record's id, read without the rest: a view of the record (format 1) or of `scratch`, where it is made
    // (format 2).
    std::string_view id_of(std::string_view record, std::string &scratch) const
    {
        try {
            BodyReader r(record);
            if (format_ == Format::v1) {
                r.signed_int();
                r.signed_int();
                return r.text_view();
            }
            const uint8_t head = record_head(r);
            r.varint();
            read_id(r, head, scratch);
            return scratch;
        } catch (const std::runtime_error &error) {
            throw std::runtime_error("employee " + shown(employee_) + ": " + error.what());
        }
    }
    // Decodes a record into `e`, writing every member (e may hold another event: it is decoded over). Without
    // `named`, e.employee is left empty: the caller holds the row's key (a copy per event was a tenth of
    // decoding).
    JC_FLATTEN void decode(std::string_view record, Event &e, bool named = true) const
    {
        BodyReader r(record);
        uint8_t head = head_employer | head_scheme; // format 1 writes both, empty or not
        try {
            if (format_ == Format::v1) {
                e.seq = r.signed_int();
                e.type = static_cast<EventType>(r.in_range(1, static_cast<int64_t>(EventType::event_retracted)));
                assign_text(e.id.text_to_write(), r.text_view());
            } else {
                head = record_head(r);
                e.type = static_cast<EventType>(head & head_type_bits);
                const uint64_t seq = r.varint();
                if (seq > static_cast<uint64_t>(INT64_MAX))
                    BodyReader::damaged("a number out of range");
                e.seq = static_cast<int64_t>(seq);
                if (!named && static_cast<IdForm>(head >> head_id_shift) == id_numbered)
                    e.id.set_numbered(employee_, r.varint()); // made when read (EventId)
                else
                    read_id(r, head, e.id.text_to_write());
            }
        } catch (const std::runtime_error &error) {
            throw std::runtime_error("employee " + shown(employee_) + ": " + error.what());
        }
        try {
            e.employee.clear();
            if (named)
                e.employee.append(employee_);
            // Most events name no employer and no scheme.
            e.employer.clear();
            if ((head & head_employer) != 0)
                if (const auto employer = r.text_view(); !employer.empty())
                    e.employer.append(employer);
            e.scheme.clear();
            if ((head & head_scheme) != 0)
                if (const auto scheme = r.text_view(); !scheme.empty())
                    e.scheme.append(scheme);
            decode_body(r.rest(), e, format_);
        } catch (const std::runtime_error &error) {
            throw std::runtime_error("event " + shown(e.id) + " of employee " + shown(employee_) + ": " +
                                     error.what());
        }
    }

    // A plain timesheet entry, most of the stored events: a numbered id, no employer or scheme, and in the body
    // its minutes, and its activity when not coaching. Decoded into `e` (every member written, as decode() with
    // `named` false writes them) in one step, without the general path's tests of what the record holds (a third
    // of decoding such an entry). With `over_plain`, e holds a plain entry as this left it: only what differs
    // from one such entry to the next (seq, id, date, minutes, activity) is written. False, and nothing written,
    // for any other record, and for one whose bytes are not as such an entry's are or whose numbers are long (a
    // seq past 2^28): decode() then reads it, and names what is wrong.
    template <bool over_plain> [[gnu::always_inline]] bool plain_entry(std::string_view record, Event &e) const
    {
        // Most entries are read in the row itself (next_plain, plain_run); this reads those near its end, and turns
        // the others down at their first byte.
        PlainNumbers v;
        if (format_ != Format::v2 || !read_plain_record(record, v))
            return false;
        store_plain<over_plain>(e, v);
        return true;
    }

    // The next record, when it is a plain timesheet entry (as plain_entry reads one) and the row holds
    // plain_room bytes or more from its length on: read straight from the row (read_plain) into `e` as
    // plain_entry writes it; the reader moved past it. False, nothing read or moved, for any other record, for
    // one near the row's end, and for one whose bytes are not as such an entry's are: next() and the general path
    // then read it.
    template <bool over_plain> [[gnu::always_inline]] bool next_plain(Event &e)
    {
        if (format_ != Format::v2 || run_.left != 0)
            return false;
        PlainNumbers v;
        const unsigned char *const end = read_plain(in_.at(), in_.left(), v);
        if (end == nullptr)
            return false;
        store_plain<over_plain>(e, v);
        in_.move_to(end);
        return true;
    }

    // Plain entries one after another from here (next_plain, each), into events[n], events[n + 1], … while
    // n < made; plain[i] tells whether events[i] holds such an entry as this left it (only what differs is then
    // written), and is set. The reader's place stays in a register from one record to the next. The number of
    // events decoded then: n at the first record that is not such an entry, or near the row's end.
    size_t plain_run(Event *events, uint8_t *plain, size_t n, size_t made)
    {
        if (format_ != Format::v2 || run_.left != 0)
            return n;
        const unsigned char *p = in_.at();
        const unsigned char *const row_end = p + in_.left();
        for (; n < made; ++n) {
            PlainNumbers v;
            const unsigned char *const end = read_plain(p, static_cast<size_t>(row_end - p), v);
            if (end == nullptr)
                break;
            if (plain[n] != 0) {
                store_plain<true>(events[n], v);
            } else {
                store_plain<false>(events[n], v);
                plain[n] = 1;
            }
            p = end;
        }
        in_.move_to(p);
        return n;
    }

private:
    // What a plain timesheet entry holds besides its seq, id, date, minutes and activity: its type, and every
    // other member at its default.
    [[gnu::always_inline]] static void plain_defaults(Event &e)
    {
        e.type = EventType::timesheet_logged;
        e.employee.clear();
        e.employer.clear();
        e.scheme.clear();
        // Every member of the body at its default, from body_members' one list (a mask of none reads no byte); the
        // minutes and the activity are written by the caller.
        BodyReader none{std::string_view()};
        BodyRead defaults{none, 0};
        body_members(e, defaults);
    }
    // Writes a plain timesheet entry's numbers as read_plain read them into `e`; without `over_plain` every other
    // member at its default.
    template <bool over_plain> [[gnu::always_inline]] void store_plain(Event &e, const PlainNumbers &v) const
    {
        if constexpr (!over_plain)
            plain_defaults(e);
        // Each number took at most four bytes (below 2^28): a seq in range, a date and minutes in int32_t's.
        e.seq = static_cast<int64_t>(v.seq);
        e.id.set_numbered(employee_, v.number);
        e.date = Date{static_cast<int32_t>(unzigzag(v.date) + v2_date_base)};
        e.minutes = static_cast<int32_t>(unzigzag(v.minutes));
        e.activity = static_cast<Activity>(v.activity >> 1);
    }

    // A format-2 record's id, into `to` (decoded over: its storage kept).
    void read_id(BodyReader &r, uint8_t head, std::string &to) const
    {
        const auto form = static_cast<IdForm>(head >> head_id_shift);
        if (form == id_in_full) {
            assign_text(to, r.text_view());
            return;
        }
        const std::string_view key = employee_;
        if (form == id_after_key) {
            const std::string_view rest = r.text_view();
            to.resize(key.size() + rest.size());
            copy_short(to.data(), key);
            std::memcpy(to.data() + key.size(), rest.data(), rest.size());
            return;
        }
        // The number's digits, written from the last straight into the id.
        uint64_t number = r.varint();
        size_t count = 1;
        for (uint64_t rest = number / 10; rest != 0; rest /= 10)
            ++count;
        to.resize(key.size() + 1 + count); // mostly the size it had: an employee's ids are alike
        char *d = to.data();
        copy_short(d, key);
        d[key.size()] = '-';
        for (char *digit = d + key.size() + count; digit > d + key.size(); --digit) {
            *digit = static_cast<char>('0' + number % 10);
            number /= 10;
        }
    }
    // Copies the bytes of `from` to `to`: those of a key or a number (8 to 16 bytes, most) without a call.
    static void copy_short(char *to, std::string_view from)
    {
        const size_t n = from.size();
        if (n >= 8 && n <= 16) {
            std::memcpy(to, from.data(), 8); // two overlapping words cover 8 to 16 bytes
            std::memcpy(to + n - 8, from.data() + n - 8, 8);
        } else if (n >= 4 && n < 8) {
            std::memcpy(to, from.data(), 4);
            std::memcpy(to + n - 4, from.data() + n - 4, 4);
        } else if (n > 16) {
            std::memcpy(to, from.data(), n);
        } else {
            for (size_t i = 0; i < n; ++i)
                to[i] = from[i];
        }
    }

    BodyReader in_;
    std::string_view employee_;
    Format format_;
    EventStore::RunPlace run_; // within a run (next()): the entries after the one given
    std::string entry_;        // the record next() made of a run's entry
};

// Appends every event of an employee's row to `out`, in arrival order.
void decode_row(std::string_view row, std::string_view employee, std::vector<Event> &out, Format format = Format::v2)
{
    Records records(row, employee, format);
    for (std::string_view record; records.next(record);)
        records.decode(record, out.emplace_back());
}

// The same into the first events of `out`, decoded over what they held (out grows when the row has more);
// the number of events. Evaluating everyone decodes every employee into one vector: no event is made and
// destroyed per stored event. `named`: as Records::decode. `plain` (when given, and `named` false): which events
// of `out` hold a plain timesheet entry as Records::plain_entry left it, kept beside `out` from row to row.
JC_FLATTEN size_t decode_row_over(std::string_view row, std::string_view employee, std::vector<Event> &out,
                                  bool named = true, std::vector<uint8_t> *plain = nullptr)
{
    Records records(row, employee);
    size_t n = 0;
    // The events there are, counted here: out.size() divides by sizeof(Event), and decoding writes bytes, which
    // the compiler must take to change the vector, so it measured the vector again for each event.
    size_t made = out.size();
    Event *events = out.data();
    if (plain != nullptr)
        plain->resize(made);
    uint8_t *plain_at = plain != nullptr ? plain->data() : nullptr;
    for (std::string_view record; !records.done(); ++n) {
        if (n == made) {
            out.emplace_back();
            events = out.data();
            made = out.size();
            if (plain != nullptr) {
                plain->push_back(0);
                plain_at = plain->data();
            }
        }
        if (!named) {
            // Most records: runs of plain entries (schema 7), decoded straight into as many events.
            if (EventStore::RunPlace run; records.start_run(run)) {
                const size_t end = n + run.left; // (at most a quarter of the row's bytes)
                while (made < end) {
                    out.emplace_back();
                    made = out.size();
                    if (plain != nullptr)
                        plain->push_back(0);
                }
                events = out.data();
                plain_at = plain != nullptr ? plain->data() : nullptr;
                records.decode_run(run, events + n, plain_at != nullptr ? plain_at + n : nullptr);
                n = end - 1; // (the loop's step)
                continue;
            }
            // Plain entries, read straight from the row, in runs over the events there are.
            if (plain_at != nullptr) {
                if (const size_t after = records.plain_run(events, plain_at, n, made); after != n) {
                    n = after - 1; // (the loop's step)
                    continue;
                }
            } else if (records.next_plain<false>(events[n])) {
                continue;
            }
        }
        records.next(record); // (true: not done)
        if (!named) {
            if (plain_at != nullptr) {
                if (plain_at[n] != 0 && records.plain_entry<true>(record, events[n]))
                    continue;
                plain_at[n] = 0; // (set again below; a record decode() throws for leaves it unknown)
                if (records.plain_entry<false>(record, events[n])) {
                    plain_at[n] = 1;
                    continue;
                }
            } else if (records.plain_entry<false>(record, events[n])) {
                continue;
            }
        }
        records.decode(record, events[n], named);
    }
    return n;
}

// The event of this id in an employee's row.
std::optional<Event> find_in_row(std::string_view row, std::string_view employee, std::string_view id)
{
    Records records(row, employee);
    std::string scratch;
    for (std::string_view record; records.next(record);)
        if (records.id_of(record, scratch) == id) {
            std::optional<Event> e(std::in_place);
            records.decode(record, *e);
            return e;
        }
    return std::nullopt;
}

// The index of event ids (table `ids`): each id's 64-bit FNV-1a hash and the number of the employee's row whose
// events hold it (a slot: 12 bytes, not the id), in buckets. A bucket is a row keyed by the least hash it may
// hold, up to the next bucket's key, its slots sorted by hash (signed, SQLite's order); two ids with one hash
// have a slot each, told apart by the rows that hold them. Storing a batch reads and writes each bucket its ids
// fall in once (a row per id took half of an import's time); a bucket grown past max_slots is split in parts
// of about split_slots, each keyed by its least hash. An erased id's slot is taken out of its bucket; a bucket
// left empty goes, and the one before it then reaches over its hashes.
constexpr size_t max_slots = 128;
constexpr size_t split_slots = 64;
constexpr size_t slot_bytes = 12; // the hash (8 bytes) and the row's number (4), little-endian

int64_t id_hash(std::string_view id)
{
    uint64_t h = 1469598103934665603ull;
    for (const char c : id) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return static_cast<int64_t>(h);
}

// What the queries select employees by: the employers of their contracts, the schemes their events name, and
// the schemes of their grants.
enum class Tag : int { employer = 1, scheme = 2, granted = 3 };

// The tags an event gives its employee.
template <class Fn> void tags_of(const Event &e, Fn &&fn)
{
    if (!e.employer.empty())
        fn(Tag::employer, std::string_view(e.employer));
    if (!e.scheme.empty()) {
        fn(Tag::scheme, std::string_view(e.scheme));
        if (e.type == EventType::coaching_granted)
            fn(Tag::granted, std::string_view(e.scheme));
    }
}

// The tables of schema 6 and 7: `employee_rows` (a row per employee: its events, encode_record after encode_record
// with runs of timesheet entries from schema 7 (compact_row), and their firsts (EventStore::Firsts; a column a
// state of schema 6 gains when opened, NULL until its row is next written); named `employees` in schema 4 and
// 5), `ids` (buckets of each event id's hash and the row that holds it) and `tags`; and what the plugin last
// reported per employee (the lifecycle, docs/formats.md `change`): one row per finding id, the finding encoded
// (rules::encode).
void create_tables(SQLite::Database &db)
{
    db.exec("CREATE TABLE IF NOT EXISTS employee_rows(n INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
            " events BLOB NOT NULL, firsts BLOB)");
    db.exec("CREATE TABLE IF NOT EXISTS ids(k INTEGER PRIMARY KEY, slots BLOB NOT NULL)");
    db.exec("CREATE TABLE IF NOT EXISTS tags(kind INTEGER NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL,"
            " PRIMARY KEY(kind, value, n)) WITHOUT ROWID");
    db.exec("CREATE TABLE IF NOT EXISTS reported(employee TEXT NOT NULL, id TEXT NOT NULL,"
            " employer_level INTEGER NOT NULL, finding BLOB NOT NULL, PRIMARY KEY(employee, id)) WITHOUT ROWID");
    db.exec("CREATE INDEX IF NOT EXISTS reported_employer_level ON reported(employer_level) WHERE employer_level = 1");
}

// Gives a state's table of rows the column of their firsts (EventStore::Firsts) when it lacks it: a state written
// before they were kept. Adding a column of NULLs changes the schema alone, not a row (no work that grows with
// the state); it is done under the write lock, checked again there, as another process may be doing the same.
// A plugin of before reads and writes the table as it did, leaving the firsts of the rows it writes stale, which
// their hash tells.
void keep_firsts(SQLite::Database &db)
{
    auto has_column = [&] {
        SQLite::Statement q(db, "SELECT 1 FROM pragma_table_info('employee_rows') WHERE name = 'firsts'");
        return q.executeStep();
    };
    if (has_column())
        return;
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    if (!has_column())
        db.exec("ALTER TABLE employee_rows ADD COLUMN firsts BLOB");
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
    create_tables(db);
    SQLite::Statement meta(db, "INSERT INTO meta(key, value) VALUES('schema_version', ?), ('plugin_id', ?),"
                               " ('next_seq', '1')");
    meta.bind(1, std::to_string(schema_version));
    meta.bind(2, std::string(owner));
    meta.exec();
    tx.commit();
}

// The page size of a new state file: 16 KiB. An employee's row (about 2.7 KB over 3 years of weekly entries,
// 9 KB over 10) shares a page with others, where a page of 4 KiB held one row and left a third of it empty, and
// rows of 10 years ran over into overflow pages. Evaluating everyone reads every row: a quarter as many reads of
// the file, SQLite's scan of the rows twice as fast and the pass about 10 % faster; a save (one row rewritten)
// takes as long. A state made with other pages keeps them.
constexpr int state_page_bytes = 16384;

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
        db.exec("PRAGMA page_size=" + std::to_string(state_page_bytes)); // before the first page is written
        db.exec("PRAGMA journal_mode=WAL");
        create_schema(db, owner);
    } // closed: checkpointed, its -wal and -shm gone
    if (::link(temporary.c_str(), path.c_str()) != 0 && errno != EEXIST)
        throw std::runtime_error("cannot create " + path + " (" + std::strerror(errno) + ")");
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
                              found == std::vector<std::string>{"events", "meta", "reported"} ||
                              found == std::vector<std::string>{"employees", "ids", "meta", "reported", "tags"} ||
                              found == std::vector<std::string>{"employee_rows", "ids", "meta", "reported", "tags"};
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
            if ((found_version >= 6) != (found.front() == "employee_rows"))
                throw std::runtime_error("schema version " + *version + " with the tables of another; nothing was "
                                         "changed");
            if (found_version < schema_version) {
                upgrade_from(found_version);
                // The old table's pages are free now (and zeroed: secure_delete): give them back, as a state
                // rewritten from an old one would otherwise keep its old size.
                db_->exec("VACUUM");
                notes_.push_back(name + ": a state of schema " + *version + ", upgraded to schema " +
                                 std::to_string(schema_version) +
                                 (found_version == 6   ? " (its timesheet entries in runs)"
                                  : found_version == 5 ? " (its rows in the records of format 2)"
                                  : found_version == 4
                                      ? " (the index of ids in buckets, its rows in the records of format 2)"
                                      : " (a row per employee)"));
            }
            keep_firsts(*db_);
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
        page_cache(save_cache_kib);
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

void EventStore::page_cache(int kib)
{
    db_->exec("PRAGMA cache_size=-" + std::to_string(kib));
}

namespace {
// A set of rows' numbers (rowids, from 1 up): a bit each up to the largest, when that is at most 64 times their
// count (as a state's numbers are, given out one after another), else sorted and searched by halving. (Sorted
// always, the numbers of the gemeente plugin's 40,136 employees took 2-3 ms, on the calling thread alone.)
class RowNumbers {
public:
    void add(int64_t n)
    {
        numbers_.push_back(n);
        least_ = std::min(least_, n);
        most_ = std::max(most_, n);
    }
    // After the last add().
    void done()
    {
        if (numbers_.empty() || least_ < 0 || static_cast<uint64_t>(most_) / 64 > numbers_.size()) {
            std::sort(numbers_.begin(), numbers_.end());
            return;
        }
        bits_.assign(static_cast<size_t>(most_) / 64 + 1, 0);
        for (const int64_t n : numbers_)
            bits_[static_cast<size_t>(n) / 64] |= uint64_t{1} << (n % 64);
        numbers_.clear();
    }
    bool contains(int64_t n) const
    {
        if (!bits_.empty()) {
            const auto at = static_cast<uint64_t>(n) / 64;
            return n >= 0 && at < bits_.size() && (bits_[at] >> (n % 64) & 1) != 0;
        }
        return std::binary_search(numbers_.begin(), numbers_.end(), n);
    }

private:
    std::vector<int64_t> numbers_; // sorted by done() when they are kept so
    std::vector<uint64_t> bits_;
    int64_t least_ = INT64_MAX, most_ = INT64_MIN;
};
} // namespace

// A statement of SQLite's C interface, for the paths a host's every call takes: no wrapper object per column.
// Reset when a use ends, so that no read transaction stays open.
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
        check(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
    }
    // Binds bytes that stay as they are until the statement's use ends.
    void bind_blob(int index, std::string_view bytes)
    {
        check(sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC));
    }
    void bind(int index, int64_t value) { check(sqlite3_bind_int64(stmt_, index, value)); }
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
    // Runs a statement that returns no row; the rows it changed.
    int exec()
    {
        while (step()) {
        }
        return sqlite3_changes(db_);
    }
    std::string_view text(int column) const
    {
        const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(stmt_, column));
        return p == nullptr ? std::string_view() : std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
    }
    std::string_view blob(int column) const
    {
        const auto *p = static_cast<const char *>(sqlite3_column_blob(stmt_, column));
        return p == nullptr ? std::string_view() : std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
    }
    int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
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
    void check(int rc) const
    {
        if (rc != SQLITE_OK)
            throw SQLite::Exception(db_, rc);
    }
    sqlite3 *db_;
    sqlite3_stmt *stmt_ = nullptr;
};

EventStore::~EventStore()
{
    for (auto *slot : {&data_version_, &reported_of_, &next_seq_, &set_next_seq_})
        slot->reset(); // finalized before the database is closed
    for (auto *slot : {&row_by_key_, &row_by_n_, &new_row_, &set_row_, &drop_row_, &bucket_of_, &bucket_after_,
                       &put_bucket_, &drop_bucket_, &put_tag_, &every_row_})
        slot->reset();
    db_.reset(); // SQLite closes its descriptors first; then the lock goes
    if (lock_fd_ >= 0)
        ::close(lock_fd_);
}

namespace {
// The statements prepared into a slot from more than one place: one text each, so every use prepares the same.
const char *const select_row_by_key = "SELECT n, events FROM employee_rows WHERE key = ?";
const char *const delete_row = "DELETE FROM employee_rows WHERE n = ?";
} // namespace

EventStore::Query &EventStore::query(std::unique_ptr<Query> &slot, const char *sql) const
{
    if (!slot)
        slot = std::make_unique<Query>(db_->getHandle(), sql);
    return *slot;
}

SQLite::Statement &EventStore::statement(std::unique_ptr<SQLite::Statement> &slot, const std::string &sql) const
{
    if (!slot)
        slot = std::make_unique<SQLite::Statement>(*db_, sql);
    else
        slot->reset();
    return *slot;
}

bool EventStore::row_of(std::string_view employee, int64_t &n, std::string &events) const
{
    Query &q = query(row_by_key_, select_row_by_key);
    Query::Use use{q};
    q.bind(1, employee);
    if (!q.step())
        return false;
    n = q.integer(0);
    events = expand_row(q.blob(1), employee);
    return true;
}

std::optional<Event> EventStore::find_in(int64_t n, std::string_view id) const
{
    Query &q = query(row_by_n_, "SELECT key, events FROM employee_rows WHERE n = ?");
    Query::Use use{q};
    q.bind(1, n);
    if (!q.step())
        return std::nullopt;
    return find_in_row(q.blob(1), q.text(0), id);
}

struct EventStore::IdSlot {
    int64_t hash;
    uint32_t n; // the employee's row
    friend bool operator<(const IdSlot &a, const IdSlot &b) { return a.hash < b.hash || (a.hash == b.hash && a.n < b.n); }
};

int64_t EventStore::bucket_of(int64_t hash, std::vector<IdSlot> &slots) const
{
    slots.clear();
    Query &q = query(bucket_of_, "SELECT k, slots FROM ids WHERE k <= ? ORDER BY k DESC LIMIT 1");
    Query::Use use{q};
    q.bind(1, hash);
    if (!q.step())
        return std::numeric_limits<int64_t>::min();
    const int64_t key = q.integer(0);
    const std::string_view bytes = q.blob(1);
    if (bytes.size() % slot_bytes != 0)
        throw std::runtime_error("the index of ids is damaged (bucket " + std::to_string(key) + ")");
    slots.resize(bytes.size() / slot_bytes);
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    for (IdSlot &slot : slots) {
        uint64_t h = 0;
        for (int b = 7; b >= 0; --b)
            h = h << 8 | p[b];
        slot.hash = static_cast<int64_t>(h);
        slot.n = static_cast<uint32_t>(p[8]) | static_cast<uint32_t>(p[9]) << 8 | static_cast<uint32_t>(p[10]) << 16 |
                 static_cast<uint32_t>(p[11]) << 24;
        p += slot_bytes;
    }
    return key;
}

std::optional<int64_t> EventStore::bucket_after(int64_t key) const
{
    Query &q = query(bucket_after_, "SELECT k FROM ids WHERE k > ? ORDER BY k LIMIT 1");
    Query::Use use{q};
    q.bind(1, key);
    if (!q.step())
        return std::nullopt;
    return q.integer(0);
}

void EventStore::put_bucket(int64_t key, std::span<const IdSlot> slots)
{
    if (slots.empty()) {
        Query &drop = query(drop_bucket_, "DELETE FROM ids WHERE k = ?");
        Query::Use use{drop};
        drop.bind(1, key);
        drop.exec();
        return;
    }
    Query &put = query(put_bucket_, "INSERT OR REPLACE INTO ids(k, slots) VALUES(?, ?)");
    std::string bytes;
    auto write = [&](int64_t k, std::span<const IdSlot> part) {
        bytes.resize(part.size() * slot_bytes);
        auto *p = reinterpret_cast<unsigned char *>(bytes.data());
        for (const IdSlot &slot : part) {
            for (int b = 0; b < 8; ++b)
                p[b] = static_cast<unsigned char>(static_cast<uint64_t>(slot.hash) >> (8 * b));
            for (int b = 0; b < 4; ++b)
                p[8 + b] = static_cast<unsigned char>(slot.n >> (8 * b));
            p += slot_bytes;
        }
        Query::Use use{put};
        put.bind(1, k);
        put.bind_blob(2, bytes);
        put.exec();
    };
    if (slots.size() <= max_slots) {
        write(key, slots);
        return;
    }
    // In parts of about split_slots each, never between two slots of one hash: each part is keyed by its least
    // hash (the first by the bucket's key, which may be less).
    const size_t parts = (slots.size() + split_slots - 1) / split_slots;
    size_t from = 0;
    for (size_t part = 1; from < slots.size(); ++part) {
        size_t to = part == parts ? slots.size() : std::max(from + 1, slots.size() * part / parts);
        while (to < slots.size() && slots[to].hash == slots[to - 1].hash)
            ++to;
        write(from == 0 ? key : slots[from].hash, slots.subspan(from, to - from));
        from = to;
    }
}

template <class HashAt, class Fn> void EventStore::each_bucket(size_t count, HashAt hash_at, Fn fn) const
{
    std::vector<IdSlot> slots;
    for (size_t from = 0; from < count;) {
        const int64_t key = bucket_of(hash_at(from), slots);
        size_t to = from + 1;
        if (to < count) { // the hashes that fall in this bucket too: up to the next one's key (a save has one)
            const auto next = bucket_after(key);
            while (to < count && (!next || hash_at(to) < *next))
                ++to;
        }
        fn(key, slots, from, to);
        from = to;
    }
}

void EventStore::rebuild_id_index()
{
    db_->exec("DROP TABLE IF EXISTS ids");
    create_tables(*db_);
    std::vector<IdSlot> slots;
    std::string scratch;
    Query q(db_->getHandle(), "SELECT n, key, events FROM employee_rows");
    Query::Use use{q};
    while (q.step()) {
        const int64_t n = q.integer(0);
        if (n < 1 || n > std::numeric_limits<uint32_t>::max())
            throw std::runtime_error("an employee row numbered " + std::to_string(n) + ", past what the index of ids holds");
        Records records(q.blob(2), q.text(1));
        for (std::string_view record; records.next(record);)
            slots.push_back({id_hash(records.id_of(record, scratch)), static_cast<uint32_t>(n)});
    }
    std::sort(slots.begin(), slots.end());
    put_bucket(std::numeric_limits<int64_t>::min(), slots);
}

std::vector<Event> EventStore::load() const
{
    std::vector<Event> out;
    {
        Query q(db_->getHandle(), "SELECT key, events FROM employee_rows");
        Query::Use use{q};
        while (q.step())
            decode_row(q.blob(1), q.text(0), out);
    }
    std::sort(out.begin(), out.end(), [](const Event &a, const Event &b) { return a.seq < b.seq; });
    return out;
}

std::vector<Event> EventStore::events_of(std::string_view employee) const
{
    std::vector<Event> out;
    Query &q = query(row_by_key_, select_row_by_key);
    Query::Use use{q};
    q.bind(1, employee);
    if (q.step())
        decode_row(q.blob(1), employee, out);
    return out;
}

void EventStore::for_each_employee(const std::function<void(std::string_view, std::span<const Event>)> &fn,
                                   const std::vector<std::string> &schemes) const
{
    std::vector<Event> batch;
    for_each_row([&](std::string_view key, std::string_view row) {
        const size_t n = decode_row_over(row, key, batch);
        fn(key, std::span<const Event>(batch.data(), n));
    }, schemes);
}

size_t EventStore::decode_employee_row(std::string_view row, std::string_view employee, std::vector<Event> &out,
                                       DecodedOver *over)
{
    return decode_row_over(row, employee, out, false, over != nullptr ? &over->plain : nullptr);
}

void EventStore::for_each_row(const std::function<void(std::string_view, std::string_view)> &fn,
                              const std::vector<std::string> &schemes) const
{
    for_each_row_with_firsts([&](std::string_view key, std::string_view row, std::string_view) { fn(key, row); },
                             schemes);
}

void EventStore::for_each_row_with_firsts(
    const std::function<void(std::string_view, std::string_view, std::string_view)> &fn,
    const std::vector<std::string> &schemes) const
{
    // One pass in key order (the index of keys): memory holds one employee's row at a time. With `schemes`, only
    // the employees tagged with one of them: every row is stepped over in key order, and those of the others
    // passed over by their number. (SQLite's own test, `+n IN (SELECT n FROM tags ...)`, built a temporary index
    // of the tagged numbers before the first row came, on the calling thread alone while the helpers waited, and
    // tested each row against it: 82-111 ms for the gemeente plugin's 40,136 of 100,000 employees, 13-14 ms of
    // them before the first row, against 68-72 ms, 5-7 ms before, this way.)
    Query &q = query(every_row_, "SELECT n, key, events, firsts FROM employee_rows ORDER BY key");
    Query::Use use{q};
    if (!q.step())
        return;
    RowNumbers wanted;
    if (!schemes.empty()) {
        // Read while the scan holds its first row, and with it the read transaction: the same state as the rows'.
        std::string sql = "SELECT n FROM tags WHERE kind = " + std::to_string(static_cast<int>(Tag::scheme)) +
                          " AND value IN (";
        for (size_t i = 0; i < schemes.size(); ++i)
            sql += i == 0 ? "?" : ", ?";
        sql += ")";
        Query tagged(db_->getHandle(), sql);
        for (size_t i = 0; i < schemes.size(); ++i)
            tagged.bind(static_cast<int>(i) + 1, std::string_view(schemes[i]));
        Query::Use use_tagged{tagged};
        while (tagged.step())
            wanted.add(tagged.integer(0));
        wanted.done();
    }
    std::string key;
    do {
        if (!schemes.empty() && !wanted.contains(q.integer(0)))
            continue;
        key.assign(q.text(1));
        fn(key, q.blob(2), q.blob(3));
    } while (q.step());
}

namespace {
// The hash kept with a row's firsts, and checked against the row beside them (Firsts::of).
uint64_t row_hash(std::string_view row)
{
    return std::hash<std::string_view>{}(row);
}
} // namespace

std::string EventStore::firsts_of(std::string_view row, std::string_view employee)
{
    // An employee's events are of a few types and schemes: a handful of firsts, searched in order.
    struct Kept {
        EventType type;
        std::string_view scheme;
        Date date;
    };
    std::vector<Kept> firsts;
    Glance glance(row, employee);
    std::array<Glimpse, 32> some;
    for (size_t n; (n = glance.next(some)) != 0;)
        for (size_t i = 0; i < n; ++i) {
            const Glimpse &g = some[i];
            const auto it = std::find_if(firsts.begin(), firsts.end(),
                                         [&](const Kept &k) { return k.type == g.type && k.scheme == g.scheme; });
            if (it == firsts.end())
                firsts.push_back({g.type, g.scheme, g.date});
            else if (g.date < it->date)
                it->date = g.date;
        }
    std::sort(firsts.begin(), firsts.end(),
              [](const Kept &a, const Kept &b) { return std::tie(a.type, a.scheme) < std::tie(b.type, b.scheme); });
    // The row's hash, then each first: its type (a byte), its scheme (a varint length and the bytes) and its
    // date (as a record's, format 2).
    std::string out;
    put_varint(out, row_hash(row));
    for (const Kept &k : firsts) {
        out += static_cast<char>(k.type);
        put_varint(out, k.scheme.size());
        out += k.scheme;
        put_signed(out, int64_t{k.date.days} - v2_date_base);
    }
    return out;
}

namespace {
// Whether `record` (without its length) is a plain timesheet entry's, as read_plain_record reads one and
// write_plain writes it back byte for byte; its numbers into `v`.
bool plain_record(std::string_view record, PlainNumbers &v)
{
    if (!read_plain_record(record, v))
        return false;
    std::string again;
    write_plain(again, v);
    return again == record;
}

// Whether the entry `v` can follow `before` in a run (nullptr: be its first): its seq not below the one before,
// and each of its numbers in four bytes or less, whether it steps or not.
bool fits_run(const PlainNumbers *before, const PlainNumbers &v)
{
    const PlainNumbers from{}; // (the first's numbers count from zero)
    const PlainNumbers &b = before != nullptr ? *before : from;
    return v.seq >= b.seq && v.seq - b.seq < plain_bound / 2 &&
           zigzag(int64_t{v.number} - int64_t{b.number}) < plain_bound &&
           zigzag(unzigzag(v.date) - unzigzag(b.date)) < plain_bound &&
           (uint64_t{v.minutes} << 2 | v.activity >> 1) < plain_bound;
}
} // namespace

std::string EventStore::compact_row(std::string_view row)
{
    std::string out, body;
    out.reserve(row.size());
    std::vector<PlainNumbers> run; // the plain entries gathered since the last other record
    std::vector<std::pair<int64_t, size_t>> steps; // the date changes of the entries that follow by one, counted
    auto put_run = [&] {
        if (run.size() == 1) {
            body.clear();
            write_plain(body, run.front());
            put_varint(out, body.size());
            out += body;
        } else if (run.size() > 1) {
            // The step: the date change most of the entries that follow by one have.
            steps.clear();
            for (size_t i = 1; i < run.size(); ++i) {
                const int64_t change = unzigzag(run[i].date) - unzigzag(run[i - 1].date);
                if (run[i].number != run[i - 1].number + 1 || change < -max_date_step || change > max_date_step)
                    continue;
                const auto it =
                    std::find_if(steps.begin(), steps.end(), [&](const auto &c) { return c.first == change; });
                if (it != steps.end())
                    ++it->second;
                else
                    steps.emplace_back(change, 1);
            }
            const auto most = std::max_element(steps.begin(), steps.end(),
                                               [](const auto &a, const auto &b) { return a.second < b.second; });
            const int64_t step = most != steps.end() ? most->first : 0;
            body.clear();
            body += static_cast<char>(run_head);
            put_varint(body, run.size());
            put_signed(body, step);
            const PlainNumbers first{};
            const PlainNumbers *before = nullptr;
            for (const PlainNumbers &v : run) {
                const PlainNumbers &b = before != nullptr ? *before : first;
                const int64_t change = unzigzag(v.date) - unzigzag(b.date);
                const bool steps_on = before != nullptr && v.number == b.number + 1 && change == step;
                put_varint(body, uint64_t{v.seq - b.seq} << 1 | (steps_on ? 1 : 0));
                if (!steps_on) {
                    put_varint(body, zigzag(int64_t{v.number} - int64_t{b.number}));
                    put_varint(body, zigzag(change));
                }
                put_varint(body, uint64_t{v.minutes} << 2 | v.activity >> 1);
                before = &v;
            }
            put_varint(out, body.size());
            out += body;
        }
        run.clear();
    };
    BodyReader r(row);
    while (!r.done()) {
        const uint64_t size = r.varint();
        if (size > r.left())
            BodyReader::damaged("a record cut short");
        const std::string_view record = r.skip(size);
        PlainNumbers v;
        if (plain_record(record, v)) {
            if (!fits_run(run.empty() ? nullptr : &run.back(), v))
                put_run();
            if (fits_run(run.empty() ? nullptr : &run.back(), v)) {
                run.push_back(v);
                continue;
            }
        }
        put_run();
        put_varint(out, size);
        out += record;
    }
    put_run();
    return out;
}

std::string EventStore::expand_row(std::string_view row, std::string_view employee)
{
    std::string out;
    out.reserve(row.size() * 2);
    Records records(row, employee);
    for (std::string_view record; records.next(record);) {
        put_varint(out, record.size());
        out += record;
    }
    return out;
}

EventStore::Firsts::Firsts(std::string_view kept)
{
    if (kept.empty())
        return;
    try {
        BodyReader r(kept);
        hash_ = r.varint();
        rest_ = r.rest();
        known_ = true;
    } catch (const std::runtime_error &) {
        // damaged: not known, the row is read instead
    }
}

bool EventStore::Firsts::of(std::string_view row) const
{
    return known_ && hash_ == row_hash(row);
}

bool EventStore::Firsts::next(First &out)
{
    if (!known_ || rest_.empty())
        return false;
    BodyReader r(rest_);
    const uint8_t type = r.byte();
    if (type < 1 || type > static_cast<uint8_t>(EventType::event_retracted))
        BodyReader::damaged("a number out of range");
    out.type = static_cast<EventType>(type);
    out.scheme = r.text_view();
    out.date = v2_date(r);
    rest_ = r.rest();
    return true;
}

namespace {
// What a glance tells of a record of one event.
[[gnu::always_inline]] inline void glimpse(std::string_view record, EventStore::Glimpse &g)
{
    // A timesheet entry with a numbered id, no employer and no scheme, of nine bytes or more (most records of one
    // event once seqs take three bytes, from 16,384 events on): its seq and id numbers are skipped by finding
    // their last bytes in one word (a varint's last byte has bit 7 clear), not read byte by byte. Its date
    // follows them. A shorter record takes the path below.
    if (std::endian::native == std::endian::little && record.size() >= 9 &&
        static_cast<uint8_t>(record[0]) == plain_head) {
        uint64_t word;
        std::memcpy(&word, record.data() + 1, 8);
        uint64_t last_bytes = ~word & 0x8080808080808080u; // little-endian: byte i at bits 8i..8i+7
        last_bytes &= last_bytes - 1;                        // past the seq's last byte: the id's
        const size_t date_at = 1 + static_cast<size_t>(std::countr_zero(last_bytes) / 8) + 1;
        if (last_bytes != 0 && date_at < record.size()) {
            BodyReader r(record.substr(date_at));
            g.type = EventType::timesheet_logged;
            g.scheme = std::string_view();
            g.date = v2_date(r);
            return;
        }
    }
    // As Records::decode reads format 2, up to the body's date.
    BodyReader r(record);
    const uint8_t head = record_head(r);
    g.type = static_cast<EventType>(head & head_type_bits);
    r.varint(); // seq
    if ((head >> head_id_shift) == id_numbered)
        r.varint();
    else
        r.text_view();
    if ((head & head_employer) != 0)
        r.text_view();
    g.scheme = (head & head_scheme) != 0 ? r.text_view() : std::string_view();
    g.date = v2_date(r);
}
} // namespace

// Flattened as decoding is: a call per varint was half of a glance's instructions.
JC_FLATTEN size_t EventStore::Glance::next(std::span<Glimpse> out)
{
    size_t n = 0;
    try {
        BodyReader row(rest_);
        for (; n < out.size(); ++n) {
            Glimpse &g = out[n];
            if (run_.left == 0) {
                if (row.done())
                    break;
                const uint64_t size = row.varint();
                if (size > row.left())
                    BodyReader::damaged("a record cut short");
                const std::string_view record = row.skip(size);
                if (record.empty() || static_cast<uint8_t>(record[0]) != run_head) {
                    glimpse(record, g);
                    continue;
                }
                open_run(record.substr(1), run_);
            }
            // An entry of a run.
            PlainNumbers v;
            run_entry(run_, v);
            g.type = EventType::timesheet_logged;
            g.scheme = std::string_view();
            g.date = Date{static_cast<int32_t>(unzigzag(v.date) + v2_date_base)};
        }
        rest_ = row.rest();
    } catch (const std::runtime_error &error) {
        throw std::runtime_error("employee " + shown(employee_) + ": " + error.what());
    }
    return n;
}

std::vector<std::string> EventStore::employees_at(const std::vector<std::string> &employers,
                                                  const std::vector<std::string> &schemes) const
{
    std::vector<std::string> out;
    Query q(db_->getHandle(),
            "SELECT e.key FROM tags a JOIN tags g ON g.kind = " + std::to_string(static_cast<int>(Tag::granted)) +
                " AND g.value = ?2 AND g.n = a.n JOIN employee_rows e ON e.n = a.n WHERE a.kind = " +
                std::to_string(static_cast<int>(Tag::employer)) + " AND a.value = ?1");
    for (const auto &employer : employers)
        for (const auto &scheme : schemes) {
            Query::Use use{q};
            q.bind(1, std::string_view(employer));
            q.bind(2, std::string_view(scheme));
            while (q.step())
                out.emplace_back(q.text(0));
        }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool EventStore::knows(std::string_view employee) const
{
    Query &q = query(row_by_key_, select_row_by_key);
    Query::Use use{q};
    q.bind(1, employee);
    return q.step();
}

std::optional<Event> EventStore::find(std::string_view id) const
{
    // The slots of the id's hash, in the bucket that holds it.
    const int64_t hash = id_hash(id);
    std::vector<IdSlot> slots;
    bucket_of(hash, slots);
    for (auto it = std::lower_bound(slots.begin(), slots.end(), IdSlot{hash, 0}); it != slots.end() && it->hash == hash; ++it)
        if (auto e = find_in(it->n, id))
            return e;
    return std::nullopt;
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

EventStore::ReportedInOrder::ReportedInOrder(const EventStore &store)
    : q_(std::make_unique<SQLite::Statement>(
          *store.db_, "SELECT employee, finding FROM reported WHERE employer_level = 0 ORDER BY employee"))
{
    row_ = q_->executeStep();
}

EventStore::ReportedInOrder::~ReportedInOrder() = default;

std::vector<std::string> EventStore::ReportedInOrder::of(std::string_view employee)
{
    std::vector<std::string> out;
    for (; row_; row_ = q_->executeStep()) {
        const SQLite::Column key = q_->getColumn(0);
        const std::string_view at(static_cast<const char *>(key.getText()), static_cast<size_t>(key.getBytes()));
        if (at > employee)
            break;
        if (at == employee)
            out.emplace_back(static_cast<const char *>(q_->getColumn(1).getBlob()),
                             static_cast<size_t>(q_->getColumn(1).getBytes()));
    }
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
        int64_t n = 0;
        std::string row;
        if (row_of(employee, n, row)) {
            // The row's ids and tags go with it (read from its records: no scan of the other employees').
            Query drop_tag(db_->getHandle(), "DELETE FROM tags WHERE kind = ? AND value = ? AND n = ?");
            std::vector<Event> events;
            decode_row(row, employee, events);
            // A slot of the row per event (another id of the row with the same hash has one too), bucket by
            // bucket in the order of the hashes.
            std::vector<std::pair<int64_t, size_t>> hashes;
            for (size_t k = 0; k < events.size(); ++k)
                hashes.emplace_back(id_hash(events[k].id), k);
            std::sort(hashes.begin(), hashes.end());
            each_bucket(
                hashes.size(), [&](size_t i) { return hashes[i].first; },
                [&](int64_t key, std::vector<IdSlot> &slots, size_t from, size_t to) {
                    for (size_t i = from; i < to; ++i) {
                        const auto it = std::find_if(slots.begin(), slots.end(), [&](const IdSlot &slot) {
                            return slot.hash == hashes[i].first && slot.n == n;
                        });
                        if (it == slots.end())
                            throw std::runtime_error("event " + events[hashes[i].second].id.str() +
                                                     " is missing from the index of ids; nothing was erased");
                        slots.erase(it);
                    }
                    put_bucket(key, slots);
                });
            for (const Event &e : events)
                tags_of(e, [&](Tag kind, std::string_view value) {
                    Query::Use use_tag{drop_tag};
                    drop_tag.bind(1, static_cast<int64_t>(kind));
                    drop_tag.bind(2, value);
                    drop_tag.bind(3, n);
                    drop_tag.exec();
                });
            Query &drop = query(drop_row_, delete_row);
            Query::Use use{drop};
            drop.bind(1, n);
            drop.exec();
            out.events = events.size();
        }
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

// Stores events into their employees' rows inside the caller's transaction. Each employee's row is read once
// and kept (its bytes) with the records appended to it, and written back by flush(), which add() calls when
// what is kept passes a bound: memory does not grow with the batch, and an employee is read and written once
// per flush (an import by employee, as most are, writes each row once).
//
// An event's id is checked against the ids stored before when its record is written back, not when it is
// added: flush() puts the kept ids into the index in the order of their hashes, bucket by bucket, so that each
// bucket they fall in is read and written once per flush. Ids repeated among the events kept are told at once,
// from a table of the kept ids.
class EventStore::Writer {
public:
    // Assigns each event a seq from *seq, or keeps its seq when seq is null (an upgrade). Writes back when what
    // is kept passes kept_bound bytes.
    Writer(EventStore &store, int64_t *seq, size_t kept_bound = Batch::default_kept_bound)
        : store_(store), seq_(seq), kept_bound_(kept_bound)
    {
    }

    void add(Event &e, size_t index)
    {
        Row &row = row_of(e.employee);
        const int64_t hash = id_hash(e.id);
        // The same id earlier among the events kept: the same event again, or a conflict at once. A later
        // copy of an event whose id turns out stored before shares that event's outcome.
        if (const size_t earlier = kept_id(hash, e.id); earlier != npos) {
            if (same_content(decode(pending_[earlier]), e))
                followers_.emplace_back(earlier, index);
            else
                outcome_.conflicts.push_back(index);
            return;
        }
        if (seq_ != nullptr)
            e.seq = (*seq_)++;
        const size_t offset = row.events.size();
        encode_record(e, e.employee, scratch_, row.events);
        const size_t length = row.events.size() - offset;
        tags_of(e, [&](Tag kind, std::string_view value) {
            for (const auto &[k, v] : row.tags)
                if (k == kind && v == value)
                    return;
            row.tags.emplace_back(kind, std::string(value));
        });
        pending_.push_back({hash, &row, offset, length, index, e.id});
        remember(pending_.size() - 1);
        kept_ += length + sizeof(Pending);
        if (kept_ > kept_bound_)
            flush();
    }

    // Checks the kept ids against the stored ones, takes out the records of the events stored before (a
    // duplicate, or a conflict when with other content), and writes the rows kept back (a new employee's that
    // holds nothing is removed), with their tags.
    void flush()
    {
        resolve_ids();
        if (rows_.empty())
            return; // (a retraction's find() calls it once per retraction)
        Query &set_row = store_.query(store_.set_row_, "UPDATE employee_rows SET events = ?, firsts = ? WHERE n = ?");
        Query &put_tag = store_.query(store_.put_tag_, "INSERT OR IGNORE INTO tags(kind, value, n) VALUES(?, ?, ?)");
        // In row order: the table's pages one after another.
        std::vector<std::pair<const std::string *, Row *>> order;
        order.reserve(rows_.size());
        for (auto &[key, row] : rows_)
            order.emplace_back(&key, &row);
        std::sort(order.begin(), order.end(), [](const auto &a, const auto &b) { return a.second->n < b.second->n; });
        for (const auto &[key, kept] : order) {
            Row &row = *kept;
            if (row.events.size() != row.read) {
                const std::string stored = compact_row(row.events);
                const std::string firsts = firsts_of(stored, *key);
                Query::Use use{set_row};
                set_row.bind_blob(1, stored);
                set_row.bind_blob(2, firsts);
                set_row.bind(3, row.n);
                set_row.exec();
            } else if (row.read == 0) { // nothing of the new employee's was stored
                Query &drop = store_.query(store_.drop_row_, delete_row);
                Query::Use use{drop};
                drop.bind(1, row.n);
                drop.exec();
            }
            for (const auto &[kind, value] : row.tags) {
                Query::Use use{put_tag};
                put_tag.bind(1, static_cast<int64_t>(kind));
                put_tag.bind(2, std::string_view(value));
                put_tag.bind(3, row.n);
                put_tag.exec();
            }
        }
        rows_.clear();
        by_n_.clear();
        kept_ = 0;
    }

    // The stored event with this id, the batch's own included (what is kept is written first).
    std::optional<Event> find(std::string_view id)
    {
        flush();
        return store_.find(id);
    }

    // The events added so far that were not stored (batch indexes, sorted): duplicates and conflicts. Complete
    // after flush().
    Batch::Outcome outcome() const
    {
        Batch::Outcome out = outcome_;
        std::sort(out.duplicates.begin(), out.duplicates.end());
        std::sort(out.conflicts.begin(), out.conflicts.end());
        return out;
    }

private:
    static constexpr size_t npos = SIZE_MAX;
    struct Row {
        int64_t n = 0;
        std::string events;                            // the stored records, then the batch's
        size_t read = 0;                               // the size as read
        std::vector<std::pair<Tag, std::string>> tags; // of the batch's records, once each
    };
    // An event kept whose id is not checked against the stored ones yet.
    struct Pending {
        int64_t hash;
        Row *row;
        size_t offset, length; // its record in row->events
        size_t index;          // in the batch
        std::string id;
    };
    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
    };

    // The row kept of an employee: read on first use, made (empty) when the employee has none.
    Row &row_of(const std::string &employee)
    {
        if (const auto it = rows_.find(std::string_view(employee)); it != rows_.end())
            return it->second;
        Row &row = rows_[employee];
        if (!store_.row_of(employee, row.n, row.events)) {
            Query &new_row = store_.query(store_.new_row_, "INSERT INTO employee_rows(key, events) VALUES(?, x'')");
            Query::Use use{new_row};
            new_row.bind(1, std::string_view(employee));
            new_row.exec();
            row.n = sqlite3_last_insert_rowid(store_.db_->getHandle());
            if (row.n > std::numeric_limits<uint32_t>::max())
                throw std::runtime_error("employee row " + std::to_string(row.n) + " is past what the index of ids holds");
        }
        row.read = row.events.size();
        by_n_.emplace(row.n, &*rows_.find(std::string_view(employee)));
        return row;
    }

    // The kept events by id: open addressing over their indexes in pending_ (+ 1; 0 is free), at most half full.
    size_t kept_id(int64_t hash, std::string_view id) const
    {
        if (table_.empty())
            return npos;
        const size_t mask = table_.size() - 1;
        for (size_t at = static_cast<size_t>(hash) & mask; table_[at] != 0; at = (at + 1) & mask)
            if (const Pending &p = pending_[table_[at] - 1]; p.hash == hash && p.id == id)
                return table_[at] - 1;
        return npos;
    }
    void remember(size_t k)
    {
        if (2 * pending_.size() > table_.size()) {
            size_t capacity = 1024;
            while (capacity < 4 * pending_.size())
                capacity *= 2;
            table_.assign(capacity, 0);
            for (size_t i = 0; i < pending_.size(); ++i)
                place(i);
        } else {
            place(k);
        }
    }
    void place(size_t k)
    {
        const size_t mask = table_.size() - 1;
        size_t at = static_cast<size_t>(pending_[k].hash) & mask;
        while (table_[at] != 0)
            at = (at + 1) & mask;
        table_[at] = static_cast<uint32_t>(k + 1);
    }

    Event decode(const Pending &p) const
    {
        Records records(std::string_view(p.row->events).substr(p.offset, p.length), key_of(*p.row));
        std::string_view record;
        Event e;
        records.next(record);
        records.decode(record, e);
        return e;
    }
    std::string_view key_of(const Row &row) const { return by_n_.at(row.n)->first; }

    // The stored event with this id in row n: of a row kept, among the records read (those added since are
    // the batch's, whose ids are all different).
    std::optional<Event> stored_in(int64_t n, std::string_view id) const
    {
        if (const auto it = by_n_.find(n); it != by_n_.end())
            return find_in_row(std::string_view(it->second->second.events).substr(0, it->second->second.read),
                               it->second->first, id);
        return store_.find_in(n, id);
    }

    // Each kept id into the index, in the order of the hashes, bucket by bucket: each bucket the ids fall in is
    // read and written once. A slot of the same hash in the bucket may be the same id stored before: then it is
    // compared with what is stored, and its record taken out of its row.
    void resolve_ids()
    {
        if (pending_.empty() && followers_.empty())
            return;
        std::vector<std::pair<int64_t, uint32_t>> order(pending_.size());
        for (size_t k = 0; k < order.size(); ++k)
            order[k] = {pending_[k].hash, static_cast<uint32_t>(k)};
        sort_by_hash(order);
        enum : uint8_t { stored, duplicate, conflict };
        std::vector<uint8_t> result(pending_.size(), stored);
        std::unordered_map<Row *, std::vector<const Pending *>> taken_out;
        std::vector<IdSlot> merged;
        store_.each_bucket(
            order.size(), [&](size_t i) { return order[i].first; },
            [&](int64_t key, const std::vector<IdSlot> &slots, size_t from, size_t to) {
                merged.clear();
                merged.reserve(slots.size() + (to - from));
                size_t s = 0;
                for (size_t i = from; i < to; ++i) {
                    const auto [hash, k] = order[i];
                    const Pending &p = pending_[k];
                    while (s < slots.size() && slots[s].hash < hash)
                        merged.push_back(slots[s++]);
                    bool before = false;
                    for (size_t same = s; !before && same < slots.size() && slots[same].hash == hash; ++same)
                        if (const auto seen = stored_in(slots[same].n, p.id)) {
                            result[k] = same_content(*seen, decode(p)) ? duplicate : conflict;
                            taken_out[p.row].push_back(&p);
                            before = true;
                        }
                    if (!before)
                        merged.push_back({hash, static_cast<uint32_t>(p.row->n)});
                }
                merged.insert(merged.end(), slots.begin() + static_cast<std::ptrdiff_t>(s), slots.end());
                // Sorted by hash; within a hash (two ids with one hash: all but never) by row, as a rebuild sorts.
                if (!std::is_sorted(merged.begin(), merged.end()))
                    std::sort(merged.begin(), merged.end());
                if (merged.size() != slots.size())
                    store_.put_bucket(key, merged);
            });
        for (size_t k = 0; k < pending_.size(); ++k)
            if (result[k] == duplicate)
                outcome_.duplicates.push_back(pending_[k].index);
            else if (result[k] == conflict)
                outcome_.conflicts.push_back(pending_[k].index);
        for (const auto &[earlier, index] : followers_)
            (result[earlier] == conflict ? outcome_.conflicts : outcome_.duplicates).push_back(index);
        // The records of the events stored before, out of their rows.
        for (auto &[row, records] : taken_out) {
            std::sort(records.begin(), records.end(), [](const Pending *a, const Pending *b) { return a->offset < b->offset; });
            std::string kept = row->events.substr(0, records.front()->offset);
            for (size_t i = 0; i < records.size(); ++i) {
                const size_t from = records[i]->offset + records[i]->length;
                const size_t to = i + 1 < records.size() ? records[i + 1]->offset : row->events.size();
                kept.append(row->events, from, to - from);
            }
            row->events = std::move(kept);
        }
        pending_.clear();
        followers_.clear();
        table_.clear();
    }

    // Sorts (hash, index) pairs by hash in SQLite's order of integers (signed), 16 bits a pass (a radix sort: a
    // comparison sort took a tenth of an import's instructions).
    static void sort_by_hash(std::vector<std::pair<int64_t, uint32_t>> &pairs)
    {
        if (pairs.size() < 4096) { // a host's save: not worth the counts' 512 KiB
            std::sort(pairs.begin(), pairs.end());
            return;
        }
        std::vector<std::pair<int64_t, uint32_t>> other(pairs.size());
        std::vector<size_t> count(size_t{1} << 16);
        for (int shift = 0; shift < 64; shift += 16) {
            auto digit = [shift](int64_t h) { return ((static_cast<uint64_t>(h) ^ (uint64_t{1} << 63)) >> shift) & 0xFFFF; };
            std::fill(count.begin(), count.end(), 0);
            for (const auto &p : pairs)
                ++count[digit(p.first)];
            size_t at = 0;
            for (size_t &c : count)
                at += std::exchange(c, at);
            for (const auto &p : pairs)
                other[count[digit(p.first)]++] = p;
            pairs.swap(other);
        }
    }

    EventStore &store_;
    int64_t *seq_;
    size_t kept_bound_;
    std::unordered_map<std::string, Row, Hash, std::equal_to<>> rows_;
    std::unordered_map<int64_t, std::pair<const std::string, Row> *> by_n_; // the rows kept, by number
    std::vector<Pending> pending_;
    std::vector<uint32_t> table_;                          // pending_ by id (kept_id)
    std::vector<std::pair<size_t, size_t>> followers_;     // (pending_ index, batch index): later copies
    size_t kept_ = 0;                                      // the bytes kept (records and pending_)
    Batch::Outcome outcome_;
    std::string scratch_;
};

struct EventStore::Batch::Impl {
    Impl(EventStore &s, size_t bound) : store(s), kept_bound(bound) {}
    ~Impl()
    {
        if (added >= import_after) {
            try {
                store.page_cache(save_cache_kib);
            } catch (const std::exception &) {
                // Only the cache stays large; nothing stored depends on it.
            }
        }
    }
    EventStore &store;
    size_t kept_bound;
    size_t added = 0;
    // IMMEDIATE: the write lock from the start, so that no other process takes the same seq between the read of
    // next_seq and the inserts.
    SQLite::Transaction tx{*store.db_, SQLite::TransactionBehavior::IMMEDIATE};
    int64_t seq = next_seq(store);
    Writer writer{store, &seq, kept_bound};

    static int64_t next_seq(EventStore &store)
    {
        SQLite::Statement &next = store.statement(store.next_seq_, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'next_seq'");
        if (!next.executeStep())
            throw std::runtime_error("the state has no next_seq; it is damaged");
        const int64_t seq = next.getColumn(0).getInt64();
        next.reset();
        return seq;
    }
};

EventStore::Batch::Batch(EventStore &store, size_t kept_bound) : impl_(std::make_unique<Impl>(store, kept_bound)) {}

EventStore::Batch::~Batch() = default;

void EventStore::Batch::add(Event &e, size_t index)
{
    if (++impl_->added == import_after)
        impl_->store.page_cache(import_cache_kib);
    impl_->writer.add(e, index);
}

std::optional<Event> EventStore::Batch::find(std::string_view id)
{
    return impl_->writer.find(id);
}

EventStore::Batch::Outcome EventStore::Batch::resolve()
{
    impl_->writer.flush();
    return impl_->writer.outcome();
}

void EventStore::Batch::commit()
{
    impl_->writer.flush();
    SQLite::Statement &set = impl_->store.statement(impl_->store.set_next_seq_, "UPDATE meta SET value = ? WHERE key = 'next_seq'");
    set.bind(1, std::to_string(impl_->seq));
    set.exec();
    impl_->tx.commit();
}

EventStore::Appended EventStore::append(std::span<Event *const> events)
{
    Appended out;
    out.stored.assign(events.size(), false);
    if (events.empty())
        return out;
    Batch batch(*this);
    for (size_t k = 0; k < events.size(); ++k)
        batch.add(*events[k], k);
    const Batch::Outcome outcome = batch.resolve();
    out.conflicts = outcome.conflicts;
    if (!out.conflicts.empty())
        return out; // the transaction rolls back: nothing of the batch is stored
    std::fill(out.stored.begin(), out.stored.end(), true);
    for (const size_t k : outcome.duplicates)
        out.stored[k] = false;
    batch.commit();
    return out;
}

void EventStore::rewrite_each_row(
    const char *set_sql, const std::function<void(Query &, int64_t, const std::string &, const std::string &)> &write)
{
    // Some rows at a time, by number: a statement does not read the table it writes, and memory holds a few
    // rows, not the state.
    constexpr int rows_at_a_time = 1024;
    Query some(db_->getHandle(), "SELECT n, key, events FROM employee_rows WHERE n > ? ORDER BY n LIMIT " +
                                     std::to_string(rows_at_a_time));
    Query set(db_->getHandle(), set_sql);
    std::vector<std::tuple<int64_t, std::string, std::string>> rows;
    for (int64_t after = std::numeric_limits<int64_t>::min();;) {
        rows.clear();
        {
            Query::Use use{some};
            some.bind(1, after);
            while (some.step())
                rows.emplace_back(some.integer(0), some.text(1), some.blob(2));
        }
        if (rows.empty())
            return;
        for (const auto &[n, key, bytes] : rows) {
            Query::Use use{set};
            write(set, n, key, bytes);
            set.step();
            after = n;
        }
    }
}

void EventStore::rewrite_rows_of_format_1()
{
    std::vector<Event> events;
    std::string scratch, row;
    rewrite_each_row("UPDATE employee_rows SET events = ? WHERE n = ?",
                     [&](Query &set, int64_t n, const std::string &key, const std::string &bytes) {
                         events.clear();
                         decode_row(bytes, key, events, Format::v1);
                         row.clear();
                         for (const Event &e : events)
                             encode_record(e, key, scratch, row);
                         set.bind_blob(1, row);
                         set.bind(2, n);
                     });
}

void EventStore::compact_stored_rows()
{
    keep_firsts(*db_); // (a state of schema 4 or 5 has no column for them yet)
    std::string row, firsts;
    rewrite_each_row("UPDATE employee_rows SET events = ?, firsts = ? WHERE n = ?",
                     [&](Query &set, int64_t n, const std::string &key, const std::string &bytes) {
                         row = compact_row(expand_row(bytes, key));
                         firsts = firsts_of(row, key);
                         set.bind_blob(1, row);
                         set.bind_blob(2, firsts);
                         set.bind(3, n);
                     });
}

void EventStore::upgrade_from(int version)
{
    // Schema 6: its rows rewritten with their plain timesheet entries in runs (compact_row). Schema 5: its rows
    // rewritten in format 2 (encode_record) and so. Schema 4: the same, and the index of ids made anew from them,
    // in buckets.
    // Schema 1 to 3: every event of the old table, employee by employee in arrival order, into its employee's
    // row under its seq; the reported findings (schema 2 and 3) stay as they are.
    // One transaction: all or nothing.
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    if (version >= 4) {
        if (version < 6) {
            // Renamed, so that a process still running a plugin of schema 4 or 5 on this state fails at its next
            // statement ("no such table") instead of writing records of format 1 into rows of format 2.
            db_->exec("ALTER TABLE employees RENAME TO employee_rows");
            rewrite_rows_of_format_1();
        }
        if (version == 4)
            rebuild_id_index();
        compact_stored_rows();
        SQLite::Statement meta(*db_, "UPDATE meta SET value = ? WHERE key = 'schema_version'");
        meta.bind(1, std::to_string(schema_version));
        meta.exec();
        tx.commit();
        return;
    }
    create_tables(*db_);
    Writer writer(*this, nullptr);
    int64_t last = 0;
    auto add = [&](Event &&e) {
        last = std::max(last, e.seq);
        writer.add(e, 0);
    };
    if (version < 3) {
        SQLite::Statement old(*db_, std::string("SELECT ") + old_event_columns + " FROM events ORDER BY employee, seq");
        while (old.executeStep())
            add(read_old_event(old));
    } else {
        Query old(db_->getHandle(), std::string("SELECT ") + event_columns + " FROM events ORDER BY employee, seq");
        Query::Use use{old};
        while (old.step()) {
            Event e;
            read_event(old.row(), e);
            add(std::move(e));
        }
    }
    writer.flush();
    for (const char *index : {"events_by_employee", "events_by_employer", "events_by_scheme"})
        db_->exec(std::string("DROP INDEX IF EXISTS ") + index);
    db_->exec("DROP TABLE events");
    const int64_t next = std::max<int64_t>(last + 1, std::stoll(meta_value(*db_, "next_seq").value_or("1")));
    SQLite::Statement meta(*db_, "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?), ('next_seq', ?)");
    meta.bind(1, std::to_string(schema_version));
    meta.bind(2, std::to_string(next));
    meta.exec();
    tx.commit();
}

} // namespace jobcoach::rules
