// SPDX-License-Identifier: Apache-2.0
#include "abi_input.hpp"

#include <algorithm>
#include <cstring>
#include <array>

namespace jobcoach::fuzz {

namespace {

constexpr size_t max_arena = 64 * 1024;

struct Layout {
    size_t size;
    std::array<size_t, 6> strings; // offsets of the jc_str members; 0 ends the list (offset 0 is struct_size)
};

#define JC_HEADER_STRINGS offsetof(jc_event_header, id), offsetof(jc_event_header, employee)

Layout layout_of(uint32_t type)
{
    switch (type) {
    case JC_EVENT_CONTRACT_STARTED:
        return {sizeof(jc_event_contract_started), {JC_HEADER_STRINGS, offsetof(jc_event_contract_started, employer)}};
    case JC_EVENT_CONTRACT_CHANGED:
        return {sizeof(jc_event_contract_changed), {JC_HEADER_STRINGS}};
    case JC_EVENT_CONTRACT_ENDED:
        return {sizeof(jc_event_contract_ended), {JC_HEADER_STRINGS}};
    case JC_EVENT_COACHING_GRANTED:
        return {sizeof(jc_event_coaching_granted),
                {JC_HEADER_STRINGS, offsetof(jc_event_coaching_granted, scheme), offsetof(jc_event_coaching_granted, level),
                 offsetof(jc_event_coaching_granted, coach_form), offsetof(jc_event_coaching_granted, justification)}};
    case JC_EVENT_COACHING_EXTENDED:
        return {sizeof(jc_event_coaching_extended),
                {JC_HEADER_STRINGS, offsetof(jc_event_coaching_extended, scheme), offsetof(jc_event_coaching_extended, justification)}};
    case JC_EVENT_COACHING_ENDED:
        return {sizeof(jc_event_coaching_ended), {JC_HEADER_STRINGS, offsetof(jc_event_coaching_ended, scheme)}};
    case JC_EVENT_TIMESHEET_LOGGED:
        return {sizeof(jc_event_timesheet_logged),
                {JC_HEADER_STRINGS, offsetof(jc_event_timesheet_logged, scheme), offsetof(jc_event_timesheet_logged, coach)}};
    case JC_EVENT_TIMESHEET_RETRACTED:
        return {sizeof(jc_event_timesheet_retracted), {JC_HEADER_STRINGS, offsetof(jc_event_timesheet_retracted, retracts)}};
    case JC_EVENT_ABSENCE_STARTED:
    case JC_EVENT_ABSENCE_ENDED:
        return {sizeof(jc_event_absence), {JC_HEADER_STRINGS}};
    case JC_EVENT_REPORT_SUBMITTED:
        return {sizeof(jc_event_report_submitted),
                {JC_HEADER_STRINGS, offsetof(jc_event_report_submitted, kind), offsetof(jc_event_report_submitted, scheme)}};
    case JC_EVENT_BUDGET_TRANSFERRED:
        return {sizeof(jc_event_budget_transferred),
                {JC_HEADER_STRINGS, offsetof(jc_event_budget_transferred, scheme),
                 offsetof(jc_event_budget_transferred, justification)}};
    default:
        return {sizeof(jc_event_header), {JC_HEADER_STRINGS}};
    }
}

bool is_string(const Layout &l, size_t offset)
{
    return offset != 0 && std::find(l.strings.begin(), l.strings.end(), offset) != l.strings.end();
}

class Reader {
public:
    explicit Reader(std::span<const uint8_t> in) : in_(in) {}
    bool done() const { return pos_ >= in_.size(); }
    uint8_t u8() { return pos_ < in_.size() ? in_[pos_++] : 0; }
    void bytes(unsigned char *out, size_t n)
    {
        for (size_t i = 0; i < n; ++i)
            out[i] = u8();
    }
    uint16_t u16() { return static_cast<uint16_t>(u8() | (u8() << 8)); }
    uint32_t u32() { return u16() | (static_cast<uint32_t>(u16()) << 16); }

private:
    std::span<const uint8_t> in_;
    size_t pos_ = 0;
};

void put_u32(std::string &out, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

jc_str read_string(Reader &r, BuiltEvent &e)
{
    const uint8_t n = r.u8();
    if (n == 0xFF)
        return {nullptr, 0};
    if (n == 0xFE)
        return {nullptr, r.u8()};
    const size_t len = n == 0xFD ? r.u16() : n;
    auto text = std::make_unique<char[]>(len);
    r.bytes(reinterpret_cast<unsigned char *>(text.get()), len);
    const jc_str s{text.get(), len};
    e.strings.push_back(std::move(text));
    return s;
}

void write_string(std::string &out, jc_str s)
{
    if (s.data == nullptr) {
        out.push_back(static_cast<char>(0xFF));
        return;
    }
    if (s.size < 0xFD) {
        out.push_back(static_cast<char>(s.size));
    } else {
        out.push_back(static_cast<char>(0xFD));
        out.push_back(static_cast<char>(s.size & 0xFF));
        out.push_back(static_cast<char>((s.size >> 8) & 0xFF));
    }
    out.append(s.data, s.size);
}

BuiltEvent read_event(Reader &r)
{
    const uint32_t type = r.u8();
    const Layout layout = layout_of(type);
    uint32_t claimed = static_cast<uint32_t>(layout.size);
    switch (r.u8() % 5) {
    case 1: claimed = sizeof(jc_event_header); break;
    case 2: claimed = static_cast<uint32_t>(layout.size - 4); break;
    case 3: claimed = static_cast<uint32_t>(layout.size + r.u8()); break;
    case 4: claimed = r.u32(); break;
    default: break;
    }
    BuiltEvent e;
    // Exactly the claimed bytes, so that a read past them is caught; at least the two leading members, which
    // every reader looks at first; the largest struct when the claim is beyond any real struct.
    e.arena_size = claimed > max_arena ? sizeof(jc_event_coaching_granted) : std::max<size_t>(claimed, 8);
    e.arena = std::make_unique<unsigned char[]>(e.arena_size);
    std::memset(e.arena.get(), 0, e.arena_size);
    std::memcpy(e.arena.get(), &claimed, 4);
    std::memcpy(e.arena.get() + 4, &type, 4);
    for (size_t offset = 8; offset < layout.size;) {
        if (is_string(layout, offset)) {
            const jc_str s = read_string(r, e);
            if (offset + sizeof s <= e.arena_size)
                std::memcpy(e.arena.get() + offset, &s, sizeof s);
            offset += sizeof(jc_str);
        } else {
            unsigned char word[4];
            r.bytes(word, 4);
            if (offset + 4 <= e.arena_size)
                std::memcpy(e.arena.get() + offset, word, 4);
            offset += 4;
        }
    }
    return e;
}

} // namespace

std::vector<size_t> string_offsets(uint32_t type)
{
    std::vector<size_t> out;
    for (const size_t offset : layout_of(type).strings)
        if (offset != 0)
            out.push_back(offset);
    return out;
}

std::vector<Batch> decode(std::span<const uint8_t> input, size_t max_batches)
{
    Reader r(input);
    std::vector<Batch> batches;
    while (!r.done() && batches.size() < max_batches) {
        Batch b;
        const uint8_t flags = r.u8();
        const size_t count = flags & 0x0F;
        const size_t null_at = (flags & 0x40) != 0 ? r.u8() % (count + 1) : SIZE_MAX;
        if ((flags & 0x10) != 0) {
            b.evaluate = true;
            b.as_of = static_cast<jc_date>(r.u32());
        }
        b.null_result = (flags & 0x20) != 0;
        b.null_events = (flags & 0x80) != 0;
        for (size_t i = 0; i < count; ++i)
            b.events.push_back(read_event(r));
        for (size_t i = 0; i < count; ++i)
            b.pointers.push_back(i == null_at ? nullptr : b.events[i].header());
        batches.push_back(std::move(b));
    }
    return batches;
}

std::string encode_batch(std::span<const jc_event_header *const> events, int64_t as_of)
{
    std::string out;
    for (size_t start = 0; start < events.size() || (start == 0 && events.empty()); start += 15) {
        const size_t n = std::min<size_t>(15, events.size() - start);
        const bool last = start + n >= events.size();
        const bool evaluate = last && as_of >= 0;
        out.push_back(static_cast<char>(n | (evaluate ? 0x10 : 0)));
        if (evaluate)
            put_u32(out, static_cast<uint32_t>(as_of));
        for (size_t i = start; i < start + n; ++i) {
            const jc_event_header *h = events[i];
            const Layout layout = layout_of(h->type);
            out.push_back(static_cast<char>(h->type));
            out.push_back(0); // the exact struct size
            const auto *bytes = reinterpret_cast<const unsigned char *>(h);
            for (size_t offset = 8; offset < layout.size;) {
                if (is_string(layout, offset)) {
                    jc_str s;
                    std::memcpy(&s, bytes + offset, sizeof s);
                    write_string(out, s);
                    offset += sizeof(jc_str);
                } else {
                    out.append(reinterpret_cast<const char *>(bytes + offset), 4);
                    offset += 4;
                }
            }
        }
        if (events.empty())
            break;
    }
    return out;
}

} // namespace jobcoach::fuzz
