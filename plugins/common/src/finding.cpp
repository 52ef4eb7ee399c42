// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/rules/finding.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace jobcoach::rules {

void Finding::reset()
{
    // Every member, in the order of their declaration (test FindingIdentity.AResetFindingIsAsMadeAnew holds it).
    employee.clear();
    scheme.clear();
    rule.clear();
    kind.clear();
    severity = Severity::info;
    due.reset();
    subject.clear();
    observed_minutes.reset();
    limit_minutes.reset();
    amount_cents.reset();
    message_nl.clear();
    message_en.clear();
    source.clear();
    employer.clear();
    employees.clear();
    trajectory = 0;
    id.clear();
    title_nl.clear();
    title_en.clear();
    action_nl.clear();
    action_en.clear();
    explanation.clear();
    explaining = true;
    wording = true;
}

namespace {
jc_str view(std::string_view s) { return jc_str{s.empty() ? nullptr : s.data(), s.size()}; }

std::string grouped(int64_t whole, char separator)
{
    std::string digits = std::to_string(whole < 0 ? -whole : whole), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += separator;
        out += digits[i];
    }
    return (whole < 0 ? "-" : "") + out;
}
} // namespace

namespace {

struct Fnv1a64 {
    uint64_t h = 0xcbf29ce484222325ull;
    void bytes(std::string_view s)
    {
        for (const unsigned char c : s) {
            h ^= c;
            h *= 0x100000001b3ull;
        }
    }
    // A member, its length in decimal and ':' first: ("ab", "c") and ("a", "bc") hash apart.
    void member(std::string_view s) { number_member(s.size(), s); }
    // A number as a member: its decimal digits.
    void number(uint64_t n)
    {
        char digits[20];
        const std::string_view text(digits, static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, n).ptr - digits));
        member(text);
    }

private:
    void number_member(size_t size, std::string_view s)
    {
        char prefix[24];
        char *end = std::to_chars(prefix, prefix + 20, size).ptr;
        *end++ = ':';
        bytes(std::string_view(prefix, static_cast<size_t>(end - prefix)));
        bytes(s);
    }
};

} // namespace

namespace {

// The members after the employee's part, in steps (finish_id's, for EmployeeFindingIds to keep the hash after
// each): the scheme and trajectory; then the rule; then the subject and the id written out.
void hash_trajectory(Fnv1a64 &hash, std::string_view scheme, int32_t trajectory)
{
    hash.member(scheme);
    if (trajectory >= 0)
        hash.number(static_cast<uint64_t>(trajectory));
    else
        hash.member(std::to_string(trajectory));
}

// The subject hashed, and the id's hash complete, written as 16 lowercase hex digits ("{:016x}", by hand: every
// finding has one) into `to`, which keeps its storage.
void finish_after_rule(Fnv1a64 &hash, std::string_view subject, std::string &to)
{
    hash.member(subject);
    char hex[16];
    uint64_t h = hash.h;
    for (size_t i = sizeof hex; i-- > 0; h >>= 4)
        hex[i] = "0123456789abcdef"[h & 0xf];
    to.assign(hex, sizeof hex);
}

void finish_id(Fnv1a64 &hash, std::string_view scheme, int32_t trajectory, std::string_view rule,
               std::string_view subject, std::string &to)
{
    hash_trajectory(hash, scheme, trajectory);
    hash.member(rule);
    finish_after_rule(hash, subject, to);
}

} // namespace

std::string finding_id(std::string_view employee, std::string_view scheme, int32_t trajectory, std::string_view rule,
                       std::string_view subject)
{
    Fnv1a64 hash;
    hash.member("employee");
    hash.member(employee);
    std::string id;
    finish_id(hash, scheme, trajectory, rule, subject, id);
    return id;
}

void finding_id(const Finding &f, std::string &to)
{
    Fnv1a64 hash;
    if (f.employer.empty() || f.employees.empty()) {
        hash.member("employee");
        hash.member(f.employee);
    } else { // employer-level: the employer and the group concerned are the instance
        hash.member("employer");
        hash.member(f.employer);
        for (const auto &e : f.employees)
            hash.member(e);
    }
    finish_id(hash, f.scheme, f.trajectory, f.rule, f.subject, to);
}

void EmployeeFindingIds::start(std::string_view employee)
{
    employee_ = employee;
    Fnv1a64 hash;
    hash.member("employee");
    hash.member(employee);
    after_employee_ = hash.h;
    known_ = false;
}

void EmployeeFindingIds::id(const Finding &f, std::string &to)
{
    if (f.employee != employee_ || employer_level(f)) {
        finding_id(f, to);
        return;
    }
    const bool same_trajectory = known_ && f.trajectory == trajectory_ && f.scheme == scheme_;
    if (!same_trajectory) {
        Fnv1a64 hash{after_employee_};
        hash_trajectory(hash, f.scheme, f.trajectory);
        after_trajectory_ = hash.h;
        scheme_.assign(f.scheme);
        trajectory_ = f.trajectory;
        known_ = true;
    }
    if (!same_trajectory || f.rule != rule_) {
        Fnv1a64 hash{after_trajectory_};
        hash.member(f.rule);
        after_rule_ = hash.h;
        rule_.assign(f.rule);
    }
    Fnv1a64 hash{after_rule_};
    finish_after_rule(hash, f.subject, to);
}

std::string finding_id(const Finding &f)
{
    std::string id;
    finding_id(f, id);
    return id;
}

namespace {

void put_u64(std::string &out, uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        out += static_cast<char>((v >> (8 * i)) & 0xff);
}
void put_text(std::string &out, std::string_view s)
{
    put_u64(out, s.size());
    out += s;
}
void put_optional(std::string &out, const std::optional<int64_t> &v)
{
    out += v ? '\1' : '\0';
    put_u64(out, static_cast<uint64_t>(v.value_or(0)));
}

struct Reader {
    std::string_view in;
    uint64_t u64()
    {
        if (in.size() < 8)
            throw std::runtime_error("a reported finding is cut short");
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v |= static_cast<uint64_t>(static_cast<unsigned char>(in[static_cast<size_t>(i)])) << (8 * i);
        in.remove_prefix(8);
        return v;
    }
    std::string text() { return std::string(view()); }
    // A text read in place: a view of the bytes.
    std::string_view view()
    {
        const uint64_t n = u64();
        if (n > in.size())
            throw std::runtime_error("a reported finding is cut short");
        const std::string_view s = in.substr(0, n);
        in.remove_prefix(n);
        return s;
    }
    std::optional<int64_t> optional()
    {
        if (in.empty())
            throw std::runtime_error("a reported finding is cut short");
        const bool set = in[0] != '\0';
        in.remove_prefix(1);
        const auto v = static_cast<int64_t>(u64());
        return set ? std::optional<int64_t>(v) : std::nullopt;
    }
};

// 2 appended the rule's title and the action in both languages; a record of version 1 reads without them.
constexpr uint64_t encoding_version = 2;

bool same_state(const Finding &a, const Finding &b)
{
    return a.kind == b.kind && a.severity == b.severity && a.due == b.due && a.observed_minutes == b.observed_minutes &&
           a.limit_minutes == b.limit_minutes && a.amount_cents == b.amount_cents;
}

// What same_state compares of a recorded finding, and its id, read in place from encode's bytes (views of them).
struct RecordedState {
    std::string_view id, kind;
    Severity severity = Severity::info;
    std::optional<int64_t> due, observed_minutes, limit_minutes, amount_cents;
    const std::string *bytes = nullptr;
};

RecordedState peek(const std::string &bytes)
{
    Reader r{bytes};
    const uint64_t version = r.u64();
    if (version < 1 || version > encoding_version)
        throw std::runtime_error("a reported finding of an unknown encoding");
    RecordedState s;
    s.bytes = &bytes;
    s.id = r.view();
    for (int skipped = 0; skipped < 3; ++skipped) // employee, scheme, rule
        r.view();
    s.kind = r.view();
    for (int skipped = 0; skipped < 5; ++skipped) // subject, message_nl, message_en, source, employer
        r.view();
    s.severity = static_cast<Severity>(static_cast<int32_t>(r.u64()));
    r.u64(); // trajectory
    s.due = r.optional();
    s.observed_minutes = r.optional();
    s.limit_minutes = r.optional();
    s.amount_cents = r.optional();
    return s;
}

bool same_state(const RecordedState &a, const Finding &b)
{
    return a.kind == b.kind && a.severity == b.severity &&
           a.due == (b.due ? std::optional<int64_t>(b.due->days) : std::nullopt) &&
           a.observed_minutes == b.observed_minutes && a.limit_minutes == b.limit_minutes &&
           a.amount_cents == b.amount_cents;
}

} // namespace

std::string encode(const Finding &f)
{
    std::string out;
    put_u64(out, encoding_version);
    for (const std::string_view s : {std::string_view(f.id), std::string_view(f.employee), std::string_view(f.scheme),
                                     std::string_view(f.rule), std::string_view(f.kind), std::string_view(f.subject),
                                     std::string_view(f.message_nl), std::string_view(f.message_en), f.source.view(),
                                     std::string_view(f.employer)})
        put_text(out, s);
    put_u64(out, static_cast<uint64_t>(static_cast<int64_t>(f.severity)));
    put_u64(out, static_cast<uint64_t>(f.trajectory));
    put_optional(out, f.due ? std::optional<int64_t>(f.due->days) : std::nullopt);
    put_optional(out, f.observed_minutes);
    put_optional(out, f.limit_minutes);
    put_optional(out, f.amount_cents);
    put_u64(out, f.employees.size());
    for (const auto &e : f.employees)
        put_text(out, e);
    // Its lines, each a text (the encoding of a list of lines, as before the explanation was one string).
    std::vector<std::string_view> lines;
    for (std::string_view rest = f.explanation; !rest.empty();) {
        const size_t end = rest.find('\n');
        lines.push_back(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    put_u64(out, lines.size());
    for (const auto l : lines)
        put_text(out, l);
    for (const PackText *s : {&f.title_nl, &f.title_en, &f.action_nl, &f.action_en})
        put_text(out, *s);
    return out;
}

Finding decode(std::string_view bytes)
{
    Reader r{bytes};
    const uint64_t version = r.u64();
    if (version < 1 || version > encoding_version)
        throw std::runtime_error("a reported finding of an unknown encoding");
    Finding f;
    for (std::string *s : {&f.id, &f.employee, &f.scheme, &f.rule, &f.kind, &f.subject, &f.message_nl, &f.message_en})
        *s = r.text();
    f.source = r.text();
    f.employer = r.text();
    f.severity = static_cast<Severity>(static_cast<int32_t>(r.u64()));
    f.trajectory = static_cast<int32_t>(r.u64());
    if (const auto due = r.optional())
        f.due = Date{static_cast<int32_t>(*due)};
    f.observed_minutes = r.optional();
    f.limit_minutes = r.optional();
    f.amount_cents = r.optional();
    for (uint64_t n = r.u64(); n > 0; --n)
        f.employees.push_back(r.text());
    for (uint64_t n = r.u64(); n > 0; --n) {
        if (!f.explanation.empty())
            f.explanation += '\n';
        f.explanation += r.text();
    }
    if (version >= 2)
        for (PackText *s : {&f.title_nl, &f.title_en, &f.action_nl, &f.action_en})
            *s = r.text();
    if (!r.in.empty())
        throw std::runtime_error("a reported finding has bytes after its end");
    return f;
}

std::vector<Change> changes_between(std::vector<Finding> before, std::vector<Finding> now)
{
    auto by_id = [](const Finding &a, const Finding &b) { return a.id < b.id; };
    std::sort(before.begin(), before.end(), by_id);
    std::sort(now.begin(), now.end(), by_id);
    std::vector<Change> out;
    size_t i = 0, j = 0;
    while (i < before.size() || j < now.size()) {
        if (j == now.size() || (i < before.size() && before[i].id < now[j].id)) {
            out.push_back({std::move(before[i++]), JC_CHANGE_RESOLVED});
        } else if (i == before.size() || now[j].id < before[i].id) {
            out.push_back({std::move(now[j++]), JC_CHANGE_NEW});
        } else {
            if (!same_state(before[i], now[j]))
                out.push_back({std::move(now[j]), JC_CHANGE_UPDATED});
            ++i;
            ++j;
        }
    }
    return out;
}

std::vector<Change> changes_from_record(std::span<const std::string> before, std::span<Finding> now)
{
    std::vector<RecordedState> recorded;
    recorded.reserve(before.size());
    for (const std::string &bytes : before)
        recorded.push_back(peek(bytes));
    std::sort(recorded.begin(), recorded.end(), [](const RecordedState &a, const RecordedState &b) { return a.id < b.id; });
    // The findings of now in id order by their indexes (a Finding is some twenty strings: not moved to be sorted).
    std::vector<uint32_t> order(now.size());
    for (uint32_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return now[a].id < now[b].id; });
    std::vector<Change> out;
    size_t i = 0, j = 0;
    while (i < recorded.size() || j < order.size()) {
        if (j == order.size() || (i < recorded.size() && recorded[i].id < std::string_view(now[order[j]].id))) {
            out.push_back({decode(*recorded[i++].bytes), JC_CHANGE_RESOLVED});
        } else if (i == recorded.size() || std::string_view(now[order[j]].id) < recorded[i].id) {
            out.push_back({std::move(now[order[j++]]), JC_CHANGE_NEW});
        } else {
            if (!same_state(recorded[i], now[order[j]]))
                out.push_back({std::move(now[order[j]]), JC_CHANGE_UPDATED});
            ++i;
            ++j;
        }
    }
    return out;
}

jc_finding to_abi(const Finding &f, std::vector<jc_str> &employees, uint32_t change)
{
    employees.clear();
    for (const auto &e : f.employees)
        employees.push_back(view(e));
    jc_finding out{};
    out.struct_size = sizeof(jc_finding);
    out.severity = static_cast<int32_t>(f.severity);
    out.employee = view(f.employee);
    out.scheme = view(f.scheme);
    out.rule = view(f.rule);
    out.kind = view(f.kind);
    out.subject = view(f.subject);
    out.due = f.due ? f.due->days : JC_DATE_NONE;
    out.observed_minutes = f.observed_minutes.value_or(JC_NO_VALUE);
    out.limit_minutes = f.limit_minutes.value_or(JC_NO_VALUE);
    out.amount_cents = f.amount_cents.value_or(JC_NO_VALUE);
    out.message_nl = view(f.message_nl);
    out.message_en = view(f.message_en);
    out.source = view(f.source);
    out.employer = view(f.employer);
    out.employees = employees.empty() ? nullptr : employees.data();
    out.employee_count = static_cast<uint32_t>(employees.size());
    out.explanation = view(f.explanation);
    out.id = view(f.id);
    out.trajectory = static_cast<uint32_t>(f.trajectory);
    out.change = change;
    out.title_nl = view(f.title_nl);
    out.title_en = view(f.title_en);
    out.action_nl = view(f.action_nl);
    out.action_en = view(f.action_en);
    return out;
}

namespace {

// The texts of a packed finding, in the order pack_findings writes them: each a member of the Finding it is read
// from and of the jc_finding for_each_packed gives (the member to_abi views it as); the strings first, then the
// pack texts (PackText), each of which is packed as a view when the finding borrows it.
struct PackedText {
    const std::string Finding::*finding;
    jc_str jc_finding::*abi;
};
constexpr PackedText packed_texts[] = {
    {&Finding::employee, &jc_finding::employee},     {&Finding::scheme, &jc_finding::scheme},
    {&Finding::rule, &jc_finding::rule},             {&Finding::kind, &jc_finding::kind},
    {&Finding::subject, &jc_finding::subject},       {&Finding::message_nl, &jc_finding::message_nl},
    {&Finding::message_en, &jc_finding::message_en}, {&Finding::employer, &jc_finding::employer},
    {&Finding::explanation, &jc_finding::explanation}, {&Finding::id, &jc_finding::id},
};
struct PackedPackText {
    const PackText Finding::*finding;
    jc_str jc_finding::*abi;
};
constexpr PackedPackText packed_pack_texts[] = {
    {&Finding::source, &jc_finding::source},     {&Finding::title_nl, &jc_finding::title_nl},
    {&Finding::title_en, &jc_finding::title_en}, {&Finding::action_nl, &jc_finding::action_nl},
    {&Finding::action_en, &jc_finding::action_en},
};
constexpr size_t packed_text_count = std::size(packed_texts), packed_pack_text_count = std::size(packed_pack_texts);
// A pack text's size with this bit set: the finding borrows it, and its bytes in the pack are a pointer to the
// pack's string (which outlives the packed bytes: evaluate_everyone's packs), not the text.
constexpr uint32_t packed_borrowed = uint32_t{1} << 31;

// What precedes a packed finding's texts; then come its texts (sizes[i] bytes each, in packed_texts' order, then
// those of packed_pack_texts, each its bytes or a pointer), then each of its employees as a uint32_t size and the
// bytes. Copied in and out with memcpy: the bytes are unaligned.
struct PackedHead {
    int64_t observed_minutes, limit_minutes, amount_cents;
    int32_t severity, due;
    uint32_t trajectory, change, employee_count;
    uint32_t sizes[packed_text_count + packed_pack_text_count];
};

void check_packed_size(size_t size)
{
    if (size >= packed_borrowed)
        throw std::length_error("a finding's text of 2 GB or more");
}

} // namespace

void pack_findings(std::span<const Finding> findings, std::string &out, std::span<const uint32_t> order)
{
    if (!order.empty() && order.size() != findings.size())
        throw std::invalid_argument("pack_findings: an order of " + std::to_string(order.size()) + " for " +
                                    std::to_string(findings.size()) + " findings");
    const auto nth = [&](size_t k) -> const Finding & { return findings[order.empty() ? k : order[k]]; };
    // The texts are read straight from the finding's members (to_abi, twice a finding, built a jc_finding of some
    // forty members for each).
    // The findings' bytes are counted first, and made room for at once: the room is written in one sweep (its
    // lines, last read by the thread that handed the batch before on, are fetched back together), and the
    // copies below write into lines already here. (Appended a text at a time, each line was fetched back as
    // its first byte came, one after the other, and packing took 2.5 times as long: tests/bench/JOURNAL.md,
    // "A helper's findings packed into room made at once".)
    size_t total = 0;
    for (const Finding &f : findings) {
        total += sizeof(PackedHead);
        for (const PackedText &t : packed_texts) {
            const size_t size = (f.*t.finding).size();
            check_packed_size(size);
            total += size;
        }
        for (const PackedPackText &t : packed_pack_texts) {
            const PackText &text = f.*t.finding;
            check_packed_size(text.size());
            total += text.borrowed() ? sizeof(const char *) : text.size();
        }
        for (const std::string &e : f.employees)
            total += sizeof(uint32_t) + e.size();
    }
    const size_t at = out.size();
    out.resize(at + total);
    char *p = out.data() + at;
    auto put = [&p](const void *bytes, size_t size) {
        if (size != 0) // (an empty text's data() is never read: nothing to copy)
            std::memcpy(p, bytes, size);
        p += size;
    };
    for (size_t k = 0; k < findings.size(); ++k) {
        const Finding &f = nth(k);
        PackedHead head{};
        head.observed_minutes = f.observed_minutes.value_or(JC_NO_VALUE);
        head.limit_minutes = f.limit_minutes.value_or(JC_NO_VALUE);
        head.amount_cents = f.amount_cents.value_or(JC_NO_VALUE);
        head.severity = static_cast<int32_t>(f.severity);
        head.due = f.due ? f.due->days : JC_DATE_NONE;
        head.trajectory = static_cast<uint32_t>(f.trajectory);
        head.change = JC_CHANGE_NONE; // (as to_abi gives it without a change)
        head.employee_count = static_cast<uint32_t>(f.employees.size());
        for (size_t i = 0; i < packed_text_count; ++i)
            head.sizes[i] = static_cast<uint32_t>((f.*packed_texts[i].finding).size());
        for (size_t i = 0; i < packed_pack_text_count; ++i) {
            const PackText &text = f.*packed_pack_texts[i].finding;
            head.sizes[packed_text_count + i] =
                static_cast<uint32_t>(text.size()) | (text.borrowed() ? packed_borrowed : 0);
        }
        put(&head, sizeof head);
        for (const PackedText &t : packed_texts)
            put((f.*t.finding).data(), (f.*t.finding).size());
        for (const PackedPackText &t : packed_pack_texts) {
            const PackText &text = f.*t.finding;
            if (text.borrowed()) {
                const char *data = text.data();
                put(&data, sizeof data);
            } else {
                put(text.data(), text.size());
            }
        }
        for (const std::string &e : f.employees) {
            const auto size = static_cast<uint32_t>(e.size());
            put(&size, sizeof size);
            put(e.data(), e.size());
        }
    }
}

void for_each_packed(std::string_view packed, const std::function<void(const jc_finding &)> &fn)
{
    std::vector<jc_str> employees;
    const char *p = packed.data();
    const char *const end = p + packed.size();
    auto text = [](const char *at, size_t size) { return jc_str{size == 0 ? nullptr : at, size}; };
    while (p != end) {
        PackedHead head;
        std::memcpy(&head, p, sizeof head);
        p += sizeof head;
        jc_finding f{};
        f.struct_size = sizeof(jc_finding);
        f.observed_minutes = head.observed_minutes;
        f.limit_minutes = head.limit_minutes;
        f.amount_cents = head.amount_cents;
        f.severity = head.severity;
        f.due = head.due;
        f.trajectory = head.trajectory;
        f.change = head.change;
        for (size_t i = 0; i < packed_text_count; ++i) {
            f.*packed_texts[i].abi = text(p, head.sizes[i]);
            p += head.sizes[i];
        }
        for (size_t i = 0; i < packed_pack_text_count; ++i) {
            const uint32_t size = head.sizes[packed_text_count + i];
            if ((size & packed_borrowed) != 0) {
                const char *data = nullptr;
                std::memcpy(&data, p, sizeof data);
                f.*packed_pack_texts[i].abi = text(data, size & ~packed_borrowed);
                p += sizeof data;
            } else {
                f.*packed_pack_texts[i].abi = text(p, size);
                p += size;
            }
        }
        employees.clear();
        for (uint32_t i = 0; i < head.employee_count; ++i) {
            uint32_t size = 0;
            std::memcpy(&size, p, sizeof size);
            employees.push_back(text(p + sizeof size, size));
            p += sizeof size + size;
        }
        f.employees = employees.empty() ? nullptr : employees.data();
        f.employee_count = head.employee_count;
        fn(f);
    }
}

namespace {
// "12.50 h" / "12,50 uur": whole hours, the separator, hundredths of an hour as fmt's "{:02}" writes them (two
// digits from 0 to 9; a negative remainder with its sign), then the unit. Written with to_chars: it is in many
// findings' messages, and fmt took ten times as long.
std::string hours(int64_t minutes, char separator, std::string_view unit)
{
    char buffer[64];
    char *p = std::to_chars(buffer, buffer + 24, minutes / 60).ptr;
    *p++ = separator;
    const int64_t hundredths = (minutes % 60) * 100 / 60;
    if (hundredths >= 0 && hundredths < 10)
        *p++ = '0';
    p = std::to_chars(p, p + 24, hundredths).ptr;
    if (unit.size() > 8) // (" h" and " uur" fit the buffer: the text is then made in one string)
        return std::string(buffer, p).append(unit);
    std::memcpy(p, unit.data(), unit.size());
    return std::string(buffer, p + unit.size());
}
} // namespace

std::string hours_en(int64_t minutes) { return hours(minutes, '.', " h"); }
std::string hours_nl(int64_t minutes) { return hours(minutes, ',', " uur"); }
std::string months_en(int32_t months)
{
    if (months % 12 == 0 && months != 0)
        return format_text(JC_FORMAT("{} year{}"), months / 12, months == 12 ? "" : "s");
    return format_text(JC_FORMAT("{} month{}"), months, months == 1 ? "" : "s");
}
std::string months_nl(int32_t months)
{
    if (months % 12 == 0 && months != 0)
        return format_text(JC_FORMAT("{} jaar"), months / 12);
    return format_text(JC_FORMAT("{} {}"), months, months == 1 ? "maand" : "maanden");
}
std::string euro_en(int64_t cents)
{
    return format_text(FMT_COMPILE("EUR {}.{:02}"), grouped(cents / 100, ','), (cents < 0 ? -cents : cents) % 100);
}
std::string factor_en(double factor)
{
    return format_text(FMT_COMPILE("{:.4f}"), factor);
}
std::string factor_nl(double factor) { return decimal_comma(factor_en(factor)); }
std::string decimal_comma(std::string english)
{
    std::replace(english.begin(), english.end(), '.', ',');
    return english;
}
std::string euro_nl(int64_t cents)
{
    return format_text(FMT_COMPILE("€ {},{:02}"), grouped(cents / 100, '.'), (cents < 0 ? -cents : cents) % 100);
}

} // namespace jobcoach::rules
