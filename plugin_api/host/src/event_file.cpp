// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/host/event_file.hpp"

#include <jobcoach/dates.hpp>
#include <jobcoach/event_check.hpp>

#include <fmt/format.h>
#include <simdjson.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <functional>
#include <iterator>
#include <memory>
#include <thread>
#include <tuple>
#include <vector>

namespace jobcoach::host {

using sdk::str;

namespace {

struct FieldError {
    std::string field;
    std::string message;
};

class Line {
public:
    explicit Line(simdjson::dom::object obj) : obj_(obj) {}

    bool has(std::string_view key) const
    {
        simdjson::dom::element e;
        return obj_[key].get(e) == simdjson::SUCCESS;
    }
    bool is_null(std::string_view key) const
    {
        simdjson::dom::element e;
        return obj_[key].get(e) == simdjson::SUCCESS && e.is_null();
    }
    std::string text(std::string_view key, bool required, size_t max_bytes = sdk::max_key_bytes) const
    {
        return std::string(view(key, required, max_bytes));
    }
    // The same as a view into the parser's document, valid until the next line is parsed.
    std::string_view view(std::string_view key, bool required, size_t max_bytes = sdk::max_key_bytes) const
    {
        simdjson::dom::element e;
        if (obj_[key].get(e) != simdjson::SUCCESS || e.is_null()) {
            if (required)
                throw FieldError{std::string(key), "missing"};
            return {};
        }
        std::string_view v;
        if (e.get(v) != simdjson::SUCCESS)
            throw FieldError{std::string(key), "must be a string"};
        if (required && v.empty())
            throw FieldError{std::string(key), "must not be empty"};
        if (v.size() > max_bytes)
            throw FieldError{std::string(key), "longer than " + std::to_string(max_bytes) + " bytes"};
        return v;
    }
    // JC_DATE_NONE when absent and not required.
    jc_date date(std::string_view key, bool required) const
    {
        const std::string_view s = view(key, required);
        if (s.empty())
            return JC_DATE_NONE;
        const auto d = dates::parse(s);
        if (!d)
            throw FieldError{std::string(key), "\"" + std::string(s) + "\" is not a date YYYY-MM-DD between 1900 and 2199"};
        return *d;
    }
    std::optional<double> number(std::string_view key) const
    {
        simdjson::dom::element e;
        if (obj_[key].get(e) != simdjson::SUCCESS || e.is_null())
            return std::nullopt;
        double v;
        if (!e.is_number() || e.get_double().get(v) != simdjson::SUCCESS || !std::isfinite(v))
            throw FieldError{std::string(key), "must be a number"};
        return v;
    }
    std::optional<int64_t> integer(std::string_view key) const
    {
        simdjson::dom::element e;
        if (obj_[key].get(e) != simdjson::SUCCESS || e.is_null())
            return std::nullopt;
        int64_t v;
        if (e.get_int64().get(v) != simdjson::SUCCESS)
            throw FieldError{std::string(key), "must be a whole number"};
        return v;
    }
    std::optional<bool> boolean(std::string_view key) const
    {
        simdjson::dom::element e;
        if (obj_[key].get(e) != simdjson::SUCCESS || e.is_null())
            return std::nullopt;
        bool v;
        if (e.get_bool().get(v) != simdjson::SUCCESS)
            throw FieldError{std::string(key), "must be true or false"};
        return v;
    }

    // The first key that appears twice, if any: JSON leaves duplicates open, and parsers differ on which value
    // wins, so an event with one is refused rather than read one way here and another way elsewhere.
    std::optional<std::string_view> duplicate_key() const
    {
        std::string_view keys[32];
        size_t count = 0;
        for (const auto field : obj_) {
            for (size_t i = 0; i < count; ++i)
                if (keys[i] == field.key)
                    return field.key;
            if (count < std::size(keys))
                keys[count++] = field.key;
        }
        return std::nullopt;
    }

private:
    simdjson::dom::object obj_;
};

int32_t to_minutes(double hours, const char *field, double max_hours)
{
    if (!(hours > 0) || hours > max_hours)
        throw FieldError{field, "must be more than 0 and at most " + std::to_string(static_cast<int>(max_hours))};
    const auto minutes = static_cast<int32_t>(std::llround(hours * 60));
    if (minutes < 1)
        throw FieldError{field, fmt::format("{} rounds to 0 minutes (at least 1 minute, {:.4f} hours, is needed)", hours, 1.0 / 60)};
    return minutes;
}

int32_t bounded(int64_t v, const char *field, int64_t min, int64_t max)
{
    if (v < min || v > max)
        throw FieldError{field, "must be " + std::to_string(min) + ".." + std::to_string(max)};
    return static_cast<int32_t>(v);
}

// Fills `e`, a new event, from one line.
void parse_line(const Line &l, Event &e)
{
    const std::string_view type = l.view("type", true);
    e.type = sdk::event_type_of(type);
    if (e.type == 0)
        throw FieldError{"type", "unknown event type \"" + std::string(type) + "\""};
    e.id = l.text("id", true);
    e.employee = l.text("employee", true);
    e.date = l.date("date", true);
    switch (e.type) {
    case JC_EVENT_CONTRACT_STARTED: {
        e.employer = l.text("employer", true);
        const auto hours = l.number("weekly_hours");
        if (!hours)
            throw FieldError{"weekly_hours", "missing"};
        e.weekly_minutes = to_minutes(*hours, "weekly_hours", 60);
        e.end = l.date("end", false);
        e.paid = l.boolean("paid").value_or(true) ? 1 : 0;
        e.paid_prospect = l.boolean("paid_prospect").value_or(true) ? 1 : 0;
        break;
    }
    case JC_EVENT_CONTRACT_CHANGED:
        if (const auto hours = l.number("weekly_hours"))
            e.weekly_minutes = to_minutes(*hours, "weekly_hours", 60);
        if (l.is_null("end")) {
            e.end_change = JC_END_OPEN;
        } else if (l.has("end")) {
            e.end = l.date("end", true);
            e.end_change = JC_END_SET;
        }
        if (e.weekly_minutes == -1 && e.end_change == JC_END_UNCHANGED)
            throw FieldError{"weekly_hours", "a contract.changed needs weekly_hours or end"};
        break;
    case JC_EVENT_COACHING_GRANTED:
        e.scheme = l.text("scheme", true);
        e.level = l.text("level", false);
        if (const auto hours = l.number("granted_hours")) {
            if (*hours < 0 || *hours > 366 * 24)
                throw FieldError{"granted_hours", "must be 0 or more and at most a year of hours"};
            e.granted_minutes = std::llround(*hours * 60);
        }
        if (const auto months = l.integer("prior_months"))
            e.prior_months = bounded(*months, "prior_months", 0, sdk::max_prior_months);
        e.coach_form = l.text("coach_form", false);
        e.justification = l.text("justification", false, sdk::max_text_bytes);
        break;
    case JC_EVENT_COACHING_EXTENDED: {
        e.scheme = l.text("scheme", true);
        const auto months = l.integer("months");
        if (!months)
            throw FieldError{"months", "missing"};
        e.months = bounded(*months, "months", 1, sdk::max_extension_months);
        e.justification = l.text("justification", false, sdk::max_text_bytes);
        break;
    }
    case JC_EVENT_COACHING_ENDED:
        e.scheme = l.text("scheme", true);
        break;
    case JC_EVENT_TIMESHEET_LOGGED: {
        if (l.has("minutes") && l.has("hours"))
            throw FieldError{"hours", "give minutes or hours, not both"};
        const auto minutes = l.integer("minutes");
        const auto hours = minutes ? std::nullopt : l.number("hours");
        if (minutes)
            e.minutes = bounded(*minutes, "minutes", 1, sdk::max_entry_minutes);
        else if (hours)
            e.minutes = to_minutes(*hours, "hours", 24);
        else
            throw FieldError{"minutes", "missing (give minutes or hours)"};
        const std::string_view activity = l.view("activity", false);
        if (activity.empty() || activity == "coaching")
            e.activity = JC_ACTIVITY_COACHING;
        else if (activity == "visit")
            e.activity = JC_ACTIVITY_VISIT;
        else if (activity == "contact")
            e.activity = JC_ACTIVITY_CONTACT;
        else
            throw FieldError{"activity", "must be coaching, visit or contact"};
        e.scheme = l.text("scheme", false);
        e.coach = l.text("coach", false);
        break;
    }
    case JC_EVENT_TIMESHEET_RETRACTED:
    case JC_EVENT_EVENT_RETRACTED:
        e.retracts = l.text("retracts", true);
        break;
    case JC_EVENT_REPORT_SUBMITTED:
        e.kind = l.text("kind", true);
        e.scheme = l.text("scheme", false);
        break;
    case JC_EVENT_BUDGET_TRANSFERRED: {
        e.scheme = l.text("scheme", true);
        const auto minutes = l.integer("minutes");
        if (!minutes)
            throw FieldError{"minutes", "missing"};
        e.minutes = bounded(*minutes, "minutes", 1, sdk::max_transfer_minutes);
        e.justification = l.text("justification", false, sdk::max_text_bytes);
        break;
    }
    default: // contract.ended, absence.started, absence.ended: the header is all there is
        break;
    }
    // The checks plugins make, on the struct they will get.
    AbiEvents::Storage storage;
    if (const auto problem = sdk::check_event(AbiEvents::fill(e, storage)))
        throw FieldError{problem->field, problem->message};
}

// The file's ids seen so far, for the check that an id is not reused with other content: open addressing over
// (a 32-bit hash, the event's index + 1) pairs, sized for the file's lines at half load (a file holds fewer than
// 4 billion events: its parsed events alone would fill a terabyte). A node per id (an
// unordered_map) cost a fifteenth of reading a large file, most of it in cache misses.
class IdIndex {
public:
    explicit IdIndex(size_t ids)
    {
        size_t capacity = 16;
        while (capacity < 2 * ids)
            capacity *= 2;
        slots_.assign(capacity, Slot{});
    }
    // The index of the first event with `id` (its hash `h`), or npos; `events` holds the events the indexes name.
    size_t find(size_t h, std::string_view id, const std::vector<Event> &events) const
    {
        for (size_t at = h & mask();; at = (at + 1) & mask()) {
            const Slot &s = slots_[at];
            if (s.index == 0)
                return npos;
            if (s.hash == static_cast<uint32_t>(h >> 32) && events[s.index - 1].id == id)
                return s.index - 1;
        }
    }
    // Records `index` for an id (its hash `h`) that find() did not know.
    void add(size_t h, size_t index)
    {
        size_t at = h & mask();
        while (slots_[at].index != 0)
            at = (at + 1) & mask();
        slots_[at] = Slot{static_cast<uint32_t>(h >> 32), static_cast<uint32_t>(index + 1)};
    }
    static constexpr size_t npos = SIZE_MAX;

private:
    struct Slot {
        uint32_t hash = 0;
        uint32_t index = 0; // 0: free
    };
    size_t mask() const { return slots_.size() - 1; }
    std::vector<Slot> slots_;
};

// The threads a large file is read and parsed with: the machine's cores, up to 4.
size_t reading_threads() { return std::min<size_t>(4, std::max(1u, std::thread::hardware_concurrency())); }

// Runs job(0) .. job(count - 1) at once, job(0) on this thread and each other on a thread of its own; what one
// throws (out of memory) is thrown once all are done.
void at_once(size_t count, const std::function<void(size_t)> &job)
{
    std::vector<std::exception_ptr> failed(count);
    auto run = [&](size_t k) {
        try {
            job(k);
        } catch (...) {
            failed[k] = std::current_exception();
        }
    };
    std::vector<std::thread> threads;
    for (size_t k = 1; k < count; ++k)
        threads.emplace_back(run, k);
    run(0);
    for (auto &t : threads)
        t.join();
    for (const auto &f : failed)
        if (f)
            std::rethrow_exception(f);
}

// Has the kernel map the pages of a large allocation about to be written, in `threads` parts at once
// (MADV_POPULATE_WRITE, Linux 5.14): made by one thread, a million events took a page fault on each first touch
// of a 4 KiB page, a third of the time of reading the file. Advice only: on an older kernel nothing changes.
void prefault(const void *data, size_t bytes, size_t threads)
{
#ifdef MADV_POPULATE_WRITE
    const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    const uintptr_t from = (reinterpret_cast<uintptr_t>(data) + page - 1) & ~(page - 1);
    const uintptr_t to = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(page - 1);
    if (threads < 2 || to <= from || to - from < (uintptr_t{16} << 20))
        return;
    const uintptr_t pages = (to - from) / page;
    at_once(threads, [&](size_t k) {
        const uintptr_t a = from + pages * k / threads * page, b = from + pages * (k + 1) / threads * page;
        if (b > a)
            ::madvise(reinterpret_cast<void *>(a), b - a, MADV_POPULATE_WRITE);
    });
#else
    (void)data, (void)bytes, (void)threads;
#endif
}

// One part of the text (whole lines), parsed into events[0, ...) of room enough for its lines: the events made
// (in line order, from events[0]) and the errors (at most max_errors). `first_line` is the number of its first
// line. The ids are checked against each other later, over the whole file.
struct Part {
    std::string_view text;
    size_t first_line = 1;
    Event *events = nullptr;
    size_t made = 0;
    std::vector<FileError> errors;
};

void parse_part(Part &part, std::string_view whole, size_t max_errors, const ParseProgress &progress)
{
    simdjson::dom::parser parser;
    const std::string_view text = part.text;
    size_t line_no = part.first_line - 1, pos = 0;
    while (pos < text.size() && part.errors.size() < max_errors) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (progress && line_no % 16384 == 0)
            progress(pos, text.size());
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        const size_t first = line.find_first_not_of(" \t");
        if (first == std::string_view::npos || line[first] == '#')
            continue;
        if (line.size() > max_line_bytes) {
            part.errors.push_back({line_no, "", fmt::format("{} bytes long, more than the {} an event line may have",
                                                            line.size(), max_line_bytes)});
            continue;
        }
        simdjson::dom::element doc;
        // The file's own bytes serve as simdjson's padding where enough of them follow the line (they are read,
        // never written); only the last lines are copied into a padded buffer.
        const bool padded = static_cast<size_t>(whole.data() + whole.size() - (line.data() + line.size())) >= simdjson::SIMDJSON_PADDING;
        if (auto error = parser.parse(line.data(), line.size(), !padded).get(doc); error != simdjson::SUCCESS) {
            part.errors.push_back({line_no, "", std::string("not valid JSON: ") + simdjson::error_message(error)});
            continue;
        }
        simdjson::dom::object obj;
        if (doc.get(obj) != simdjson::SUCCESS) {
            part.errors.push_back({line_no, "", "not a JSON object"});
            continue;
        }
        // Parsed in place, into the next free slot, which a refused line leaves free.
        Event &e = part.events[part.made];
        try {
            const Line fields(obj);
            if (const auto key = fields.duplicate_key())
                throw FieldError{std::string(*key), "appears twice in the object"};
            parse_line(fields, e);
            e.line = static_cast<int64_t>(line_no);
            ++part.made;
        } catch (const FieldError &f) {
            e = Event();
            part.errors.push_back({line_no, f.field, f.message});
        }
    }
}

} // namespace

EventFile parse_events(std::string_view text, size_t max_errors, const ParseProgress &progress)
{
    EventFile out;
    if (text.starts_with("\xEF\xBB\xBF")) // a UTF-8 byte-order mark, as Windows exports of HR suites write
        text.remove_prefix(3);
    // A large text is cut into parts of whole lines, parsed at once, a thread each (as many as the machine has
    // cores, up to 4), each into its own room of the events; the events are then closed up in line order.
    const size_t wanted = std::min<size_t>(reading_threads(), text.size() / (4u << 20) + 1);
    std::vector<Part> parts;
    size_t lines = 0; // the lines of the parts so far: the most events they can make
    for (size_t from = 0; parts.empty() || from < text.size();) {
        size_t to = parts.size() + 1 >= wanted ? text.size() : std::max(from, text.size() / wanted * (parts.size() + 1));
        if (to < text.size()) {
            const size_t newline = text.find('\n', to);
            to = newline == std::string_view::npos ? text.size() : newline + 1;
        }
        Part &part = parts.emplace_back();
        part.text = text.substr(from, to - from);
        part.first_line = lines + 1;
        size_t in_part = part.text.empty() || part.text.back() == '\n' ? 0 : 1; // a last line without its end
        for (const char *p = part.text.data(), *end = p + part.text.size();
             (p = static_cast<const char *>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr; ++p)
            ++in_part; // memchr: a byte-wise std::count took a sixth of the parse
        lines += in_part;
        from = to;
    }
    // Room for every line's event, each part's from the index of its first line: no event moves while the parts
    // are parsed.
    out.events.reserve(lines);
    prefault(out.events.data(), lines * sizeof(Event), parts.size());
    out.events.resize(lines);
    for (Part &part : parts)
        part.events = out.events.data() + (part.first_line - 1);
    // The first part's progress stands for all: the parts are about as long, and parsed at once.
    const ParseProgress first_progress = progress ? ParseProgress([&](size_t done, size_t) {
        progress(std::min(text.size(), done * parts.size()), text.size());
    }) : ParseProgress();
    at_once(parts.size(), [&](size_t k) { parse_part(parts[k], text, max_errors, k == 0 ? first_progress : ParseProgress()); });
    // Closed up: each part's events after the previous part's.
    size_t made = 0;
    for (Part &part : parts) {
        Event *const first = part.events;
        Event *const target = out.events.data() + made;
        if (target != first)
            std::move(first, first + part.made, target);
        made += part.made;
        for (FileError &e : part.errors)
            out.errors.push_back(std::move(e));
    }
    out.events.erase(out.events.begin() + static_cast<std::ptrdiff_t>(made), out.events.end());
    // The id is the idempotency key: the same event twice is harmless, another event under it is not. Checked
    // in line order over the whole file, at once by as many threads as there were parts, each for the ids of its
    // share of the hashes (an id's events all fall to one thread); an event refused here is taken out.
    const size_t n = out.events.size();
    std::vector<size_t> hashes(n);
    std::vector<std::vector<std::pair<size_t, size_t>>> reused(parts.size()); // (event, first of its id) a thread
    const auto share = [&](size_t h) { return (h >> 56) % parts.size(); };
    at_once(parts.size(), [&](size_t t) {
        for (size_t k = n * t / parts.size(), end = n * (t + 1) / parts.size(); k < end; ++k)
            hashes[k] = std::hash<std::string_view>{}(out.events[k].id);
    });
    at_once(parts.size(), [&](size_t t) {
        size_t mine = 0;
        for (const size_t h : hashes)
            mine += share(h) == t ? 1 : 0;
        IdIndex first_of_ids(mine); // id -> index in out.events
        for (size_t k = 0; k < n; ++k) {
            if (share(hashes[k]) != t)
                continue;
            const size_t seen = first_of_ids.find(hashes[k], out.events[k].id, out.events);
            if (seen == IdIndex::npos)
                first_of_ids.add(hashes[k], k);
            else if (!same_content(out.events[seen], out.events[k]))
                reused[t].emplace_back(k, seen);
        }
    });
    std::vector<size_t> refused;
    for (const auto &some : reused)
        for (const auto &[k, seen] : some) {
            out.errors.push_back({static_cast<size_t>(out.events[k].line), "id",
                                  fmt::format("reused from line {} with other content (an id is the event's idempotency "
                                              "key)", out.events[seen].line)});
            refused.push_back(k);
        }
    std::sort(refused.begin(), refused.end());
    if (!refused.empty()) {
        size_t kept = 0, next = 0;
        for (size_t k = 0; k < out.events.size(); ++k) {
            if (next < refused.size() && refused[next] == k) {
                ++next;
                continue;
            }
            if (kept != k)
                out.events[kept] = std::move(out.events[k]);
            ++kept;
        }
        out.events.erase(out.events.begin() + static_cast<std::ptrdiff_t>(kept), out.events.end());
    }
    // The first max_errors problems by line, as a reading that stops at the last of them reports.
    std::stable_sort(out.errors.begin(), out.errors.end(), [](const FileError &a, const FileError &b) { return a.line < b.line; });
    if (out.errors.size() > max_errors)
        out.errors.resize(max_errors);
    return out;
}

EventFile read_events(const std::string &path, size_t max_errors, const ParseProgress &progress)
{
    auto failed = [](size_t line, std::string message) {
        EventFile out;
        out.errors.push_back({line, "", std::move(message)});
        return out;
    };
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return failed(0, std::string("cannot open the file (") + std::strerror(errno) + ")");
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return failed(0, std::string("cannot read the file (") + std::strerror(errno) + ")");
    if (S_ISDIR(st.st_mode))
        return failed(0, "is a directory, not an event file");
    std::string text;
    auto read_failed = [&] { return failed(0, std::string("read error (") + std::strerror(errno) + ")"); };
    if (S_ISREG(st.st_mode)) {
        // Straight into one buffer of the file's size (a stringstream held the text twice), not zeroed first, its
        // pages mapped at once by the kernel (prefault).
        const auto size = static_cast<size_t>(st.st_size);
        const std::unique_ptr<char[]> buffer(new char[size]);
        prefault(buffer.get(), size, reading_threads());
        size_t done = 0;
        while (done < size) {
            const ssize_t n = ::read(fd, buffer.get() + done, size - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return read_failed();
            if (n == 0)
                break;
            done += static_cast<size_t>(n);
        }
        return parse_events(std::string_view(buffer.get(), done), max_errors, progress);
    } else {
        // A pipe or a device: read what comes, but stop as soon as a line is longer than any event line may be
        // (/dev/zero would otherwise fill the memory before the line check could run).
        size_t line_start = 0, lines = 1;
        char buffer[1 << 16];
        for (;;) {
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return read_failed();
            if (n == 0)
                break;
            const size_t old_size = text.size();
            text.append(buffer, static_cast<size_t>(n));
            for (const char *p = text.data() + old_size, *end = text.data() + text.size();
                 (p = static_cast<const char *>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr; ++p) {
                ++lines;
                line_start = static_cast<size_t>(p - text.data()) + 1;
            }
            if (text.size() - line_start > max_line_bytes)
                return failed(lines, fmt::format("more than {} bytes without an end of line, more than an event line "
                                                 "may have; reading stopped", max_line_bytes));
        }
    }
    return parse_events(text, max_errors, progress);
}

bool same_content(const Event &a, const Event &b)
{
    auto members = [](const Event &e) {
        return std::tie(e.type, e.id, e.employee, e.date, e.employer, e.weekly_minutes, e.end, e.end_change, e.paid,
                        e.paid_prospect, e.scheme, e.level, e.granted_minutes, e.prior_months, e.coach_form,
                        e.justification, e.months, e.minutes, e.activity, e.coach, e.retracts, e.kind);
    };
    return members(a) == members(b);
}

std::string_view event_type_name(uint32_t type)
{
    return type < std::size(sdk::event_type_names) ? sdk::event_type_names[type] : "";
}

const jc_event_header &AbiEvents::fill(const Event &e, Storage &a)
{
    // Every member of the event's struct is written (reserved members 0); a plugin reads no further than
    // struct_size, so the rest of the union may hold anything.
    jc_event_header h{};
    h.type = e.type;
    h.id = str(e.id);
    h.employee = str(e.employee);
    h.date = e.date;
    switch (e.type) {
    case JC_EVENT_CONTRACT_STARTED:
        h.struct_size = sizeof(a.contract_started);
        a.contract_started = {h, str(e.employer), e.weekly_minutes, e.end, e.paid, e.paid_prospect};
        break;
    case JC_EVENT_CONTRACT_CHANGED:
        h.struct_size = sizeof(a.contract_changed);
        a.contract_changed = {h, e.weekly_minutes, e.end_change, e.end_change == JC_END_SET ? e.end : JC_DATE_NONE, 0};
        break;
    case JC_EVENT_COACHING_GRANTED:
        h.struct_size = sizeof(a.coaching_granted);
        a.coaching_granted = {h, str(e.scheme), str(e.level), e.granted_minutes, e.prior_months, 0, str(e.coach_form),
                              str(e.justification)};
        break;
    case JC_EVENT_COACHING_EXTENDED:
        h.struct_size = sizeof(a.coaching_extended);
        a.coaching_extended = {h, str(e.scheme), e.months, 0, str(e.justification)};
        break;
    case JC_EVENT_COACHING_ENDED:
        h.struct_size = sizeof(a.coaching_ended);
        a.coaching_ended = {h, str(e.scheme)};
        break;
    case JC_EVENT_TIMESHEET_LOGGED:
        h.struct_size = sizeof(a.timesheet_logged);
        a.timesheet_logged = {h, e.minutes, e.activity, str(e.scheme), str(e.coach)};
        break;
    case JC_EVENT_TIMESHEET_RETRACTED:
        h.struct_size = sizeof(a.timesheet_retracted);
        a.timesheet_retracted = {h, str(e.retracts)};
        break;
    case JC_EVENT_EVENT_RETRACTED:
        h.struct_size = sizeof(a.event_retracted);
        a.event_retracted = {h, str(e.retracts)};
        break;
    case JC_EVENT_REPORT_SUBMITTED:
        h.struct_size = sizeof(a.report_submitted);
        a.report_submitted = {h, str(e.kind), str(e.scheme)};
        break;
    case JC_EVENT_BUDGET_TRANSFERRED:
        h.struct_size = sizeof(a.budget_transferred);
        a.budget_transferred = {h, str(e.scheme), e.minutes, 0, str(e.justification)};
        break;
    default: // contract.ended, absence.started, absence.ended (and an unknown type: the header alone)
        h.struct_size = sizeof(a.absence);
        a.absence = {h};
        break;
    }
    return a.header;
}

AbiEvents::AbiEvents(std::span<const Event *const> events)
{
    const size_t n = events.size();
    storage_.reset(new Storage[n]); // (not zeroed: each is, below)
    headers_.resize(n);
    auto fill_some = [&](size_t k) {
        // A large batch is made by two threads, each touching its half of the structs first.
        for (size_t i = n * k / 2, end = n * (k + 1) / 2; i < end; ++i) {
            std::memset(&storage_[i], 0, sizeof storage_[i]); // no stale byte beyond a struct reaches a plugin either
            headers_[i] = &fill(*events[i], storage_[i]);
        }
    };
    if (n >= (size_t{1} << 16)) {
        at_once(2, fill_some);
    } else {
        fill_some(0);
        fill_some(1);
    }
}

} // namespace jobcoach::host
