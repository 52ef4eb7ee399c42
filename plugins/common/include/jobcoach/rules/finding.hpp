// SPDX-License-Identifier: Apache-2.0
// A finding as a value (docs/rules.md §7), and its ABI form.
#pragma once

#include "jobcoach/rules/date.hpp"
#include "jobcoach/rules/text_format.hpp"

#include <jobcoach/dates.hpp>
#include <jobcoach/finding.h>

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iosfwd>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace jobcoach::rules {

// A format string compiled at build time (FMT_COMPILE, fmt/compile.h): formatted without parsing it per call.
// fmt 9 names this trait only in its detail namespace.
template <class S>
concept CompiledFormat = fmt::detail::is_compiled_string<S>::value;

enum class Severity : int32_t {
    info = JC_SEVERITY_INFO,
    warning = JC_SEVERITY_WARNING,
    high = JC_SEVERITY_HIGH,
    critical = JC_SEVERITY_CRITICAL,
};

// A finding's text that is, as a rule, a rule pack's own string (a rule's source, its titles, an action without a
// date in it): borrowed, a view of the pack's string, or else a string of its own. Evaluating everyone makes some
// 40,000 findings per 10,000 employees, and their pack texts, some 200 bytes a finding, were copied into each
// finding, then again where a helper thread packs its findings (pack_findings, which packs a borrowed text as a
// view: tests/bench/JOURNAL.md, "A rule pack's texts borrowed"). A borrowed text is valid while the pack lives: only
// an evaluation whose findings leave it before its packs end borrows (Params::borrows_pack_texts).
class PackText {
public:
    PackText &operator=(std::string_view text)
    {
        own_.assign(text.data(), text.size());
        borrowed_ = false;
        return *this;
    }
    PackText &operator=(const char *text) { return *this = std::string_view(text); }
    PackText &operator=(const std::string &text) { return *this = std::string_view(text); }
    // Views `pack_string`, which must outlive this text (a string of a rule pack). A temporary cannot be borrowed.
    void borrow(const std::string &pack_string) noexcept
    {
        view_ = pack_string;
        borrowed_ = true;
    }
    void borrow(std::string &&) = delete;
    // Borrows `pack_string` when `borrowing` (Params::borrows_pack_texts), else copies it.
    void take(const std::string &pack_string, bool borrowing)
    {
        if (borrowing)
            borrow(pack_string);
        else
            *this = pack_string;
    }
    void take(std::string &&, bool) = delete;
    // The text's own string, emptied, to be written into (its storage kept from the text before).
    std::string &own() noexcept
    {
        own_.clear();
        borrowed_ = false;
        return own_;
    }
    void clear() noexcept
    {
        own_.clear();
        borrowed_ = false;
    }
    bool borrowed() const noexcept { return borrowed_; }
    std::string_view view() const noexcept { return borrowed_ ? view_ : std::string_view(own_); }
    operator std::string_view() const noexcept { return view(); }
    const char *data() const noexcept { return view().data(); }
    size_t size() const noexcept { return view().size(); }
    bool empty() const noexcept { return size() == 0; }
    friend bool operator==(const PackText &a, const PackText &b) noexcept { return a.view() == b.view(); }
    friend bool operator==(const PackText &a, std::string_view b) noexcept { return a.view() == b; }
    friend bool operator==(const PackText &a, const char *b) noexcept { return a.view() == std::string_view(b); }
    friend std::ostream &operator<<(std::ostream &out, const PackText &t) { return out << t.view(); }

private:
    std::string own_;
    std::string_view view_; // while borrowed_
    bool borrowed_ = false;
};

struct Finding {
    std::string employee;
    std::string scheme;
    std::string rule;
    std::string kind;
    Severity severity = Severity::info;
    std::optional<Date> due;
    std::string subject;
    std::optional<int64_t> observed_minutes;
    std::optional<int64_t> limit_minutes;
    std::optional<int64_t> amount_cents;
    std::string message_nl;
    std::string message_en;
    PackText source; // the rule's, from its pack
    std::string employer;
    std::vector<std::string> employees;
    int32_t trajectory = 0; // the trajectory's number for employee and scheme, from 1; 0: none concerned
    std::string id;         // finding_id(*this), set once the finding is complete (docs/formats.md `id`)
    // The rule's title and what to do next, in both languages, from the rule's pack (describe(), texts.hpp);
    // "" where the pack has none.
    PackText title_nl, title_en, action_nl, action_en;
    // The computation behind the finding, in English: "name: value" lines (inputs, rule-pack values with
    // their valid_from, the result), joined by '\n' as the ABI's jc_finding.explanation holds them. Shown by
    // `jobcoach-demo evaluate --explain`.
    std::string explanation;
    // Whether explain() writes: false when the host asked for findings without their explanation
    // (jc.explanations/1, Params::explains), which then stays empty. A text made only for the explanation is made
    // by its caller only while this holds.
    bool explaining = true;
    // Whether the texts write this finding's words for people: its messages, its actions and its explanation.
    // False when the host asked for findings without them (jc.messages/1, Params::wording): the finding then
    // carries its identity, numbers, dates, titles and source alone, and `explaining` is false too.
    bool wording = true;
    // Makes this a finding as made anew (every member at its default), keeping what its strings hold in storage:
    // evaluating everyone makes the findings of one employee after another in the findings of the one before.
    void reset();
    // Adds one line "name: value" (appended in place: a finding's lines cost no string each).
    void explain(std::string_view name, std::string_view value)
    {
        if (explaining)
            line(name).append(value);
    }
    // Adds lines "name: value" already joined by '\n' (BudgetWords::explanation): appended at once.
    void explain_lines(std::string_view lines)
    {
        if (!explaining || lines.empty())
            return;
        if (explanation.empty())
            explanation.reserve(1024); // as line() does
        else
            explanation += '\n';
        explanation.append(lines);
    }
    // Starts a line "name: " and gives the explanation, for a value appended to it in place
    // (Params::cite_integer_into). Called only while `explaining` holds.
    std::string &explain_line(std::string_view name) { return line(name); }
    // The same with the value formatted in place, in a buffer on the stack (no string of its own).
    template <CompiledFormat S, class... Args> void explain(std::string_view name, const S &format, Args &&...args)
    {
        if (!explaining)
            return;
        fmt::memory_buffer value;
        fmt::format_to(fmt::appender(value), format, std::forward<Args>(args)...);
        line(name).append(value.data(), value.size());
    }
    // The same from a JC_FORMAT string (text_format.hpp): appended in place.
    template <FixedText S, class... Args> void explain(std::string_view name, TextFormat<S> format, const Args &...args)
    {
        if (explaining)
            append_format(line(name), format, args...);
    }

private:
    // Starts a line of the explanation with "name: ", appended at once from a buffer on the stack (three appends
    // were a tenth of a budget finding's words).
    std::string &line(std::string_view name)
    {
        char head[64];
        size_t n = 0;
        if (explanation.empty())
            explanation.reserve(1024); // a finding's lines take a few hundred bytes: grown once, not six times
        else
            head[n++] = '\n';
        if (name.size() > sizeof head - 3)
            return explanation.append(head, n).append(name).append(": ");
        if (!name.empty()) // (an empty view may hold a null pointer)
            std::memcpy(head + n, name.data(), name.size());
        n += name.size();
        head[n++] = ':';
        head[n++] = ' ';
        return explanation.append(head, n);
    }
};

// Findings made one employee after another in the same list: clear() keeps the findings it drops, and add()
// hands one of them back, reset (Finding::reset), before it makes a new one. Their strings keep their storage,
// and no finding is moved to be kept or taken back: evaluating everyone made each finding in one moved out of a
// pool and moved each back into it once handed on, a twentieth of an evaluation's instructions (a finding is
// some twenty strings). Otherwise what a vector of the live findings is: [0, size()) in order.
class FindingList {
public:
    using iterator = std::vector<Finding>::iterator;
    using const_iterator = std::vector<Finding>::const_iterator;

    // A finding at the end, every member at its default.
    Finding &add()
    {
        if (size_ < items_.size()) {
            Finding &f = items_[size_++];
            f.reset();
            return f;
        }
        ++size_;
        return items_.emplace_back();
    }
    void push_back(Finding &&f) { add() = std::move(f); }
    // Room for `n` findings in all, made at once: a list that grows by many findings (the employer-level ones of
    // a pass, made anew each time) then moves each of them once, not once per doubling.
    void reserve(size_t n) { items_.reserve(n); }
    // Drops the findings, keeping them for add().
    void clear() { size_ = 0; }
    // Drops the findings from `n` on (n <= size()), keeping them for add().
    void cut(size_t n) { size_ = std::min(n, size_); }

    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    Finding &operator[](size_t i) { return items_[i]; }
    const Finding &operator[](size_t i) const { return items_[i]; }
    Finding &back() { return items_[size_ - 1]; }
    const Finding &back() const { return items_[size_ - 1]; }
    iterator begin() { return items_.begin(); }
    iterator end() { return items_.begin() + static_cast<std::ptrdiff_t>(size_); }
    const_iterator begin() const { return items_.begin(); }
    const_iterator end() const { return items_.begin() + static_cast<std::ptrdiff_t>(size_); }
    std::span<Finding> live() { return {items_.data(), size_}; }
    std::span<const Finding> live() const { return {items_.data(), size_}; }
    // Moves the findings to the end of `to`, and clears.
    void move_to(std::vector<Finding> &to)
    {
        to.insert(to.end(), std::make_move_iterator(begin()), std::make_move_iterator(end()));
        clear();
    }

private:
    std::vector<Finding> items_; // [0, size_) live, the rest kept for add()
    size_t size_ = 0;
};

} // namespace jobcoach::rules

// A Date formats as its ISO form ("2026-11-23"), written straight into the text: no string of its own per date.
template <> struct fmt::formatter<jobcoach::rules::Date> {
    constexpr auto parse(fmt::format_parse_context &ctx) { return ctx.begin(); } // no format spec: "{}"
    template <class Context> auto format(jobcoach::rules::Date d, Context &ctx) const
    {
        char buf[jobcoach::dates::iso_max_bytes];
        const size_t n = jobcoach::dates::iso_into(d.days, buf);
        auto out = ctx.out();
        if constexpr (std::is_same_v<decltype(out), fmt::appender>) {
            // Into the buffer at once, through fmt 9's (Debian 12's) own accessor of an appender's buffer:
            // std::copy_n pushes a character at a time, and took as long as the date string it replaced.
            fmt::detail::get_container(out).append(buf, buf + n);
            return out;
        } else {
            return std::copy_n(buf, n, out);
        }
    }
};

namespace jobcoach::rules {

// A text from a compiled format string, made in a buffer on the stack and then copied once: fmt::format of a
// compiled string appends to its std::string a piece at a time, growing it.
template <CompiledFormat S, class... Args> std::string format_text(const S &format, Args &&...args)
{
    fmt::memory_buffer text;
    fmt::format_to(fmt::appender(text), format, std::forward<Args>(args)...);
    return std::string(text.data(), text.size());
}

// The same into `to`, which keeps its storage when it holds enough (the member of a finding made over, FindingList).
template <CompiledFormat S, class... Args> void format_into(std::string &to, const S &format, Args &&...args)
{
    fmt::memory_buffer text;
    fmt::format_to(fmt::appender(text), format, std::forward<Args>(args)...);
    to.assign(text.data(), text.size());
}

// Both from a JC_FORMAT string (text_format.hpp): the text made in place, without fmt's buffer.
template <FixedText S, class... Args> std::string format_text(TextFormat<S> format, const Args &...args)
{
    std::string text;
    append_format(text, format, args...);
    return text;
}
template <FixedText S, class... Args> void format_into(std::string &to, TextFormat<S> format, const Args &...args)
{
    to.clear();
    append_format(to, format, args...);
}

// The finding's stable identity (docs/formats.md `id`): 16 lowercase hex digits of the 64-bit FNV-1a hash of its
// identifying members, each preceded by its length: employee (the employer, and the employees concerned, for an
// employer-level finding), scheme, trajectory, rule and subject. Never a date, the kind or a number: a
// budget.warning that becomes budget.exceeded keeps its id; two trajectories never share one.
std::string finding_id(const Finding &f);
// The same into `to` (a finding's own id, which keeps its storage).
void finding_id(const Finding &f, std::string &to);
// The id of an employee's finding with these members (before it exists: a status's due instance).
std::string finding_id(std::string_view employee, std::string_view scheme, int32_t trajectory, std::string_view rule,
                       std::string_view subject);

// The ids of one employee's findings: finding_id, with the hash of the employee's part made once for them all.
class EmployeeFindingIds {
public:
    EmployeeFindingIds() = default;
    explicit EmployeeFindingIds(std::string_view employee) { start(employee); }
    // For the findings of `employee` (which must outlive the calls to id() that follow): what was kept of the
    // findings before is dropped, its storage kept (an evaluation keeps one for employee after employee).
    void start(std::string_view employee);
    // finding_id(f, to), for a finding of this employee or of any other.
    void id(const Finding &f, std::string &to);

private:
    std::string_view employee_;
    uint64_t after_employee_ = 0; // the hash state after the employee's members
    // The scheme, trajectory and rule of the last finding of this employee, and the hash states after its
    // trajectory and after its rule: a trajectory's findings come one after the other, many of one rule, and
    // FNV-1a takes a multiplication per byte, each waiting for the one before.
    bool known_ = false;
    std::string scheme_, rule_;
    int32_t trajectory_ = 0;
    uint64_t after_trajectory_ = 0, after_rule_ = 0;
};

// A view of `f` as the ABI struct; `employees` keeps what the struct points to. Valid while both live.
// `change`: JC_CHANGE_* in a change feed, else JC_CHANGE_NONE.
jc_finding to_abi(const Finding &f, std::vector<jc_str> &employees, uint32_t change = JC_CHANGE_NONE);

// Findings packed into one run of bytes, for handing them on later, or from the thread that made them to another
// (evaluate_everyone's batches): each finding's numbers, then its texts one after another. The thread that
// hands them on reads bytes laid in order, where each longer text of a finding (a message, the source, an action)
// is a block of its own on the heap of the thread that made them (tests/bench/JOURNAL.md, "A helper's findings
// handed on packed"), and the list they were made in is made over for the next employee's. Appends `findings`
// to `out`: each findings[order[k]] in turn when `order` is given (sorted_order, engine.hpp), else each in turn.
void pack_findings(std::span<const Finding> findings, std::string &out, std::span<const uint32_t> order = {});
// Calls fn with each finding `packed` holds (pack_findings), in order, as to_abi gives it: its texts are views
// into `packed`, valid for the call. Reads only what pack_findings wrote.
void for_each_packed(std::string_view packed, const std::function<void(const jc_finding &)> &fn);

// Whether a finding is an employer-level one (a cluster of visits at an employer, naming its employees).
inline bool employer_level(const Finding &f) { return !f.employer.empty() && !f.employees.empty(); }

// The lifecycle (docs/formats.md `change`): how the findings `now` differ from those `before`, by id. An id only
// in `now` is JC_CHANGE_NEW, one in both whose kind, severity, due date or a number differs is
// JC_CHANGE_UPDATED (with the finding of `now`), one only in `before` is JC_CHANGE_RESOLVED (with the finding
// of `before`). Ids in both and the same give nothing. Pure; in id order.
struct Change {
    Finding finding;
    uint32_t change = JC_CHANGE_NONE;
};
std::vector<Change> changes_between(std::vector<Finding> before, std::vector<Finding> now);
// The same, with `before` as the state keeps it (encode's bytes, each a finding last reported): each record is
// read in place for its id and what an update compares, and made a Finding (decode) only when it resolved. The
// change feed of everyone compares every employee's record each time, and decoding every record whole, its
// messages and explanation included, was a fifth of that feed's instructions. Only a new or updated finding is
// moved out of `now` (the others stay, with their strings' storage, for the findings of the next employee: a
// FindingList's). Throws as decode does.
std::vector<Change> changes_from_record(std::span<const std::string> before, std::span<Finding> now);

// A finding as bytes for the state (what was last reported) and back; decode throws std::runtime_error for
// bytes that encode did not make.
std::string encode(const Finding &f);
Finding decode(std::string_view bytes);

// "12.50 h" and "12,50 uur".
std::string hours_en(int64_t minutes);
std::string hours_nl(int64_t minutes);
// A duration of whole months as a reader says it: "3 years" / "3 jaar" when it is whole years, else
// "30 months" / "30 maanden" (1 year, 1 month: singular).
std::string months_en(int32_t months);
std::string months_nl(int32_t months);
// "€ 1,125.00" style amounts: "EUR 1125.00" and "€ 1.125,00".
std::string euro_en(int64_t cents);
std::string euro_nl(int64_t cents);
// A share such as a part-time factor with four decimals: "0.6667" and "0,6667".
std::string factor_en(double factor);
std::string factor_nl(double factor);
// A number written in English ("7.5 %", "0.33") with the decimal comma Dutch writes ("7,5 %", "0,33").
std::string decimal_comma(std::string english);

} // namespace jobcoach::rules
