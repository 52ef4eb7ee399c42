// SPDX-License-Identifier: Apache-2.0
#include "finding_merge.hpp"

#include "output.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace jobcoach::demo {

namespace {

// A finding in the temporary file: its members in a fixed order, each number as 8 bytes, each text as its
// length (8 bytes) and its bytes. The file lives as long as the merge and is read by this process only.
class Spill {
public:
    Spill() : file_(std::tmpfile())
    {
        if (file_ == nullptr)
            throw std::runtime_error(std::string("cannot make a temporary file for the findings: ") + std::strerror(errno));
    }
    ~Spill() { std::fclose(file_); }
    Spill(const Spill &) = delete;
    Spill &operator=(const Spill &) = delete;

    // Writes a finding: its bytes gathered first, then written at once (a call into stdio per member, each
    // taking the stream's lock, was most of it).
    void put(const host::Finding &f)
    {
        record_.clear();
        for (const std::string *s : {&f.plugin_id, &f.employee, &f.scheme, &f.rule, &f.kind, &f.subject, &f.message_nl,
                                     &f.message_en, &f.source, &f.employer, &f.explanation, &f.id, &f.title_nl,
                                     &f.title_en, &f.action_nl, &f.action_en})
            text(*s);
        number(f.severity);
        number(f.due);
        for (const auto *v : {&f.observed_minutes, &f.limit_minutes, &f.amount_cents}) {
            number(v->has_value() ? 1 : 0);
            number(v->value_or(0));
        }
        number(static_cast<int64_t>(f.employees.size()));
        for (const auto &e : f.employees)
            text(e);
        number(f.trajectory);
        number(f.change);
        std::fwrite(record_.data(), 1, record_.size(), file_);
        if (std::ferror(file_) != 0)
            throw std::runtime_error("cannot write the findings' temporary file (disk full?)");
    }
    void rewind() { std::rewind(file_); }
    // Reads the next finding over `f` (every member written; its strings' room reused).
    bool get(host::Finding &f)
    {
        int64_t first = 0;
        if (fread_unlocked(&first, sizeof first, 1, file_) != 1)
            return false; // the end
        read_text(first, f.plugin_id);
        for (std::string *s : {&f.employee, &f.scheme, &f.rule, &f.kind, &f.subject, &f.message_nl, &f.message_en,
                               &f.source, &f.employer, &f.explanation, &f.id, &f.title_nl, &f.title_en, &f.action_nl,
                               &f.action_en})
            read_text(read_number(), *s);
        f.severity = static_cast<int32_t>(read_number());
        f.due = static_cast<jc_date>(read_number());
        for (auto *v : {&f.observed_minutes, &f.limit_minutes, &f.amount_cents}) {
            const bool set = read_number() != 0;
            const int64_t n = read_number();
            *v = set ? std::optional<int64_t>(n) : std::nullopt;
        }
        f.employees.resize(static_cast<size_t>(read_number()));
        for (auto &e : f.employees)
            read_text(read_number(), e);
        f.trajectory = static_cast<uint32_t>(read_number());
        f.change = static_cast<uint32_t>(read_number());
        return true;
    }

private:
    void number(int64_t v) { record_.append(reinterpret_cast<const char *>(&v), sizeof v); }
    void text(const std::string &s)
    {
        number(static_cast<int64_t>(s.size()));
        record_ += s;
    }
    // The stream is read by one thread (drain()): its lock is not taken per member.
    int64_t read_number()
    {
        int64_t v = 0;
        if (fread_unlocked(&v, sizeof v, 1, file_) != 1)
            throw std::runtime_error("the findings' temporary file is cut short");
        return v;
    }
    void read_text(int64_t size, std::string &s)
    {
        s.resize(static_cast<size_t>(size));
        if (size > 0 && fread_unlocked(s.data(), 1, s.size(), file_) != s.size())
            throw std::runtime_error("the findings' temporary file is cut short");
    }
    std::FILE *file_;
    std::string record_; // put()'s bytes of one finding
};

} // namespace

struct FindingMerge::Stream {
    Spill spill;
    std::vector<host::Finding> out_of_order; // held: came after a finding they sort before
    host::Finding last;                      // the last one spilled
    bool any = false;
    // While draining: the next of the file and of the held ones.
    host::Finding file_next;
    bool file_has = false;
    size_t held_next = 0;
};

FindingMerge::FindingMerge() = default;
FindingMerge::~FindingMerge() = default;

void FindingMerge::next_stream() { streams_.push_back(std::make_unique<Stream>()); }

void FindingMerge::discard_stream()
{
    if (!streams_.empty())
        discard(streams_.size() - 1);
}

void FindingMerge::open_streams(size_t n)
{
    for (size_t k = 0; k < n; ++k)
        next_stream();
}

void FindingMerge::discard(size_t k) { streams_[k] = std::make_unique<Stream>(); }

void FindingMerge::add(const host::Finding &f)
{
    if (streams_.empty())
        next_stream();
    add(streams_.size() - 1, f);
}

void FindingMerge::add(size_t k, const host::Finding &f)
{
    Stream &s = *streams_[k];
    if (s.any && settles_before(f, s.last)) {
        s.out_of_order.push_back(f);
        return;
    }
    s.spill.put(f);
    s.last = f;
    s.any = true;
}

size_t FindingMerge::held() const
{
    size_t n = 0;
    for (const auto &s : streams_)
        n += s->out_of_order.size();
    return n;
}

void FindingMerge::drain(const std::function<void(const host::Finding &)> &fn)
{
    for (auto &s : streams_) {
        std::stable_sort(s->out_of_order.begin(), s->out_of_order.end(), settles_before);
        s->spill.rewind();
        s->file_has = s->spill.get(s->file_next);
    }
    host::Finding previous;
    bool printed = false;
    while (true) {
        // The least next finding over the streams; among equals the earliest stream's (settle's stable sort of the
        // streams one after another), and within a stream the spilled one first.
        const host::Finding *best = nullptr;
        Stream *from = nullptr;
        bool from_file = false;
        for (auto &s : streams_) {
            if (s->file_has && (best == nullptr || settles_before(s->file_next, *best))) {
                best = &s->file_next;
                from = s.get();
                from_file = true;
            }
            if (s->held_next < s->out_of_order.size() &&
                (best == nullptr || settles_before(s->out_of_order[s->held_next], *best))) {
                best = &s->out_of_order[s->held_next];
                from = s.get();
                from_file = false;
            }
        }
        if (best == nullptr)
            break;
        if (!printed || !alike(previous, *best)) {
            fn(*best);
            printed = true;
            if (from_file)
                std::swap(previous, from->file_next); // the next is read over the one before (no copy)
            else
                previous = *best;
        }
        if (from_file)
            from->file_has = from->spill.get(from->file_next);
        else
            ++from->held_next;
    }
    streams_.clear();
}

} // namespace jobcoach::demo
