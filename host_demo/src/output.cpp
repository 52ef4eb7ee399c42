// SPDX-License-Identifier: Apache-2.0
#include "output.hpp"

#include <jobcoach/dates.hpp>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <set>
#include <tuple>

namespace jobcoach::demo {

namespace {
// Hundredths as people and a spreadsheet in `lang`'s locale read a number: "22.91" or "22,91", no thousands
// separator.
std::string decimal(int64_t hundredths, Lang lang)
{
    const char *sign = hundredths < 0 ? "-" : "";
    const uint64_t v = hundredths < 0 ? 0 - static_cast<uint64_t>(hundredths) : static_cast<uint64_t>(hundredths);
    return fmt::format("{}{}{}{:02}", sign, v / 100, lang == Lang::nl ? ',' : '.', v % 100);
}

// Minutes in hundredths of an hour, floored: 59 minutes are 0.98 h.
int64_t hour_hundredths(int64_t minutes) { return minutes / 60 * 100 + (minutes % 60) * 100 / 60; }
} // namespace

std::string hours_en(int64_t minutes) { return decimal(hour_hundredths(minutes), Lang::en) + " h"; }
std::string hours_nl(int64_t minutes) { return decimal(hour_hundredths(minutes), Lang::nl) + " uur"; }
std::string hours(Lang lang, int64_t minutes) { return lang == Lang::nl ? hours_nl(minutes) : hours_en(minutes); }

namespace {
std::string due_text(jc_date due) { return due == JC_DATE_NONE ? std::string() : dates::iso(due); }
} // namespace

std::string span_label(std::string_view subject, Lang lang)
{
    const bool nl = lang == Lang::nl;
    for (const auto &[key, en, dutch] : {std::tuple{"period#", "period ", "periode "}, std::tuple{"year#", "year ", "jaar "}})
        if (subject.starts_with(key) && subject.size() > std::strlen(key))
            return std::string(nl ? dutch : en).append(subject.substr(std::strlen(key)));
    return std::string(subject);
}

std::string span_dates(jc_date first, jc_date last, Lang lang)
{
    return due_text(first) + (lang == Lang::nl ? " t/m " : " to ") + due_text(last);
}

const char *severity_label(int32_t severity, Lang lang)
{
    const bool nl = lang == Lang::nl;
    switch (severity) {
    case JC_SEVERITY_CRITICAL: return nl ? "kritiek" : "critical";
    case JC_SEVERITY_HIGH: return nl ? "hoog" : "high";
    case JC_SEVERITY_WARNING: return nl ? "waarschuwing" : "warning";
    default: return "info";
    }
}

const char *change_label(uint32_t change, Lang lang)
{
    const bool nl = lang == Lang::nl;
    switch (change) {
    case JC_CHANGE_NEW: return nl ? "nieuw" : "new";
    case JC_CHANGE_UPDATED: return nl ? "gewijzigd" : "updated";
    case JC_CHANGE_RESOLVED: return nl ? "opgelost" : "resolved";
    default: return "";
    }
}

namespace {
size_t code_points(std::string_view s)
{
    return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The byte offset of the first `n` code points of `s` (all of it when shorter).
size_t prefix_bytes(std::string_view s, size_t n)
{
    size_t i = 0;
    for (; i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && n-- == 0)
            break;
    return i;
}
} // namespace

std::vector<std::string> wrap(std::string_view text, size_t width)
{
    width = std::max<size_t>(width, 1);
    std::vector<std::string> lines;
    while (true) { // one paragraph (a line of `text`) at a time
        const size_t end = std::min(text.find('\n'), text.size());
        std::string_view paragraph = text.substr(0, end);
        std::string line;
        size_t line_width = 0;
        auto flush = [&] { // a line never ends in the spaces kept between two words
            while (!line.empty() && line.back() == ' ')
                line.pop_back();
            lines.push_back(std::move(line));
            line.clear();
            line_width = 0;
        };
        while (!paragraph.empty()) {
            const size_t space = std::min(paragraph.find(' '), paragraph.size());
            std::string_view word = paragraph.substr(0, space);
            paragraph.remove_prefix(std::min(space + 1, paragraph.size()));
            if (word.empty()) { // a second space in a row is kept, except where a line starts
                if (line_width > 0) {
                    line += ' ';
                    ++line_width;
                }
                continue;
            }
            size_t w = code_points(word);
            if (line_width > 0 && line_width + 1 + w > width)
                flush();
            while (w > width) { // a word wider than a line (an address, a key): cut where the line ends
                if (line_width > 0)
                    flush();
                const size_t cut = prefix_bytes(word, width);
                lines.emplace_back(word.substr(0, cut));
                word.remove_prefix(cut);
                w -= width;
            }
            if (word.empty())
                continue;
            if (line_width > 0) {
                line += ' ';
                ++line_width;
            }
            line += word;
            line_width += w;
        }
        flush();
        if (end >= text.size())
            break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

namespace {

auto key(const host::Finding &f) { return std::tie(f.employee, f.due, f.rule, f.subject, f.kind, f.scheme); }

// A text cell of RFC 4180 CSV. A cell that a spreadsheet would take for a formula (starting with =, +, -, @,
// a tab or a carriage return: CSV injection) gets a leading apostrophe and quotes, as OWASP advises, so that it
// is shown as the text it is.
std::string csv_field(std::string_view s, char separator = ',')
{
    const bool formula = !s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos;
    const char special[] = {separator, '"', '\r', '\n', '\0'};
    if (!formula && s.find_first_of(special) == std::string_view::npos)
        return std::string(s);
    std::string out = formula ? "\"'" : "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string optional_number(const std::optional<int64_t> &v) { return v ? std::to_string(*v) : std::string(); }

// Minutes as hours (floored to the hundredth, as the messages show them), cents as euros.
std::string optional_hours(const std::optional<int64_t> &minutes, Lang lang)
{
    return minutes ? decimal(hour_hundredths(*minutes), lang) : std::string();
}
std::string optional_euros(const std::optional<int64_t> &cents, Lang lang) { return cents ? decimal(*cents, lang) : std::string(); }

// A number cell: quoted only where its decimal comma is the separator; a minus sign is a number's, not a formula's.
std::string number_field(const std::string &s, char separator)
{
    return s.find(separator) == std::string::npos ? s : "\"" + s + "\"";
}

std::vector<std::string> lines_of(const std::string &text)
{
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t nl = std::min(text.find('\n', pos), text.size());
        lines.push_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return lines;
}
} // namespace

bool settles_before(const host::Finding &a, const host::Finding &b) { return key(a) < key(b); }
bool alike(const host::Finding &a, const host::Finding &b) { return key(a) == key(b); }

void settle(std::vector<host::Finding> &findings)
{
    std::stable_sort(findings.begin(), findings.end(), [](const auto &a, const auto &b) { return key(a) < key(b); });
    findings.erase(std::unique(findings.begin(), findings.end(), [](const auto &a, const auto &b) { return key(a) == key(b); }),
                   findings.end());
}

void write_jsonl(std::ostream &out, const std::vector<host::Finding> &findings, bool explain)
{
    for (const auto &f : findings)
        write_jsonl_line(out, f, explain);
}

namespace {

// A JSON line built by appending in place (fmt::format made a string per member: a fifth of printing everyone's
// findings).
struct JsonLine {
    std::string text;
    // ,"key":"value" (the first member without the comma)
    void string(const char *key, std::string_view value)
    {
        member(key);
        text += '"';
        host::json_escape_to(text, value);
        text += '"';
    }
    // ,"key":["value",...]
    void strings(const char *key, const std::vector<std::string> &values)
    {
        member(key);
        text += '[';
        for (size_t i = 0; i < values.size(); ++i) {
            text += i > 0 ? ",\"" : "\"";
            host::json_escape_to(text, values[i]);
            text += '"';
        }
        text += ']';
    }
    void number(const char *key, int64_t value)
    {
        member(key);
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
        text.append(digits, end);
    }
    void member(const char *key)
    {
        text += text.size() > 1 ? ",\"" : "\"";
        text += key;
        text += "\":";
    }
};

} // namespace

void write_jsonl_line(std::ostream &out, const host::Finding &f, bool explain)
{
    thread_local JsonLine line;
    line.text.assign("{");
    line.string("employee", f.employee);
    line.string("scheme", f.scheme);
    line.string("rule", f.rule);
    line.string("kind", f.kind);
    line.string("severity", host::severity_name(f.severity));
    if (f.due != JC_DATE_NONE)
        line.string("due", due_text(f.due));
    if (!f.subject.empty())
        line.string("subject", f.subject);
    if (f.observed_minutes)
        line.number("observed_minutes", *f.observed_minutes);
    if (f.limit_minutes)
        line.number("limit_minutes", *f.limit_minutes);
    if (f.amount_cents)
        line.number("amount_cents", *f.amount_cents);
    line.string("message_nl", f.message_nl);
    line.string("message_en", f.message_en);
    line.string("source", f.source);
    if (!f.employer.empty())
        line.string("employer", f.employer);
    if (!f.employees.empty())
        line.strings("employees", f.employees);
    if (f.trajectory > 0)
        line.number("trajectory", f.trajectory);
    if (!f.id.empty())
        line.string("id", f.id);
    if (f.change != JC_CHANGE_NONE)
        line.string("change", host::change_name(f.change));
    for (const auto &[name, text] : {std::pair<const char *, const std::string *>{"title_nl", &f.title_nl},
                                     {"title_en", &f.title_en}, {"action_nl", &f.action_nl}, {"action_en", &f.action_en}})
        if (!text->empty())
            line.string(name, *text);
    if (explain)
        line.strings("explanation", lines_of(f.explanation));
    line.text += "}\n";
    out << line.text;
}

void write_csv(std::ostream &out, const std::vector<host::Finding> &findings, bool explain, char separator, Lang lang)
{
    write_csv_header(out, explain, separator);
    for (const auto &f : findings)
        write_csv_row(out, f, explain, separator, lang);
}

void write_csv_header(std::ostream &out, bool explain, char separator)
{
    const char sep = separator;
    const char *columns[] = {"employee", "scheme", "rule", "kind", "severity", "due", "subject", "observed_minutes",
                             "limit_minutes", "amount_cents", "observed_hours", "limit_hours", "amount_eur", "employer",
                             "message_en", "message_nl", "source", "title_en", "title_nl", "action_en", "action_nl",
                             "trajectory", "id"};
    out << "\xEF\xBB\xBF"; // the byte-order mark: Excel's double-click and LibreOffice's import then read UTF-8
    for (size_t i = 0; i < std::size(columns); ++i)
        out << (i > 0 ? std::string(1, sep) : std::string()) << columns[i];
    out << (explain ? std::string(1, sep) + "explanation" : std::string()) << "\r\n";
}

void write_csv_row(std::ostream &out, const host::Finding &f, bool explain, char separator, Lang lang)
{
    const char sep = separator;
    auto field = [&](std::string_view s) { return csv_field(s, sep); };
    {
        out << field(f.employee) << sep << field(f.scheme) << sep << field(f.rule) << sep << field(f.kind) << sep
            << host::severity_name(f.severity) << sep << due_text(f.due) << sep << field(f.subject) << sep
            << optional_number(f.observed_minutes) << sep << optional_number(f.limit_minutes) << sep
            << optional_number(f.amount_cents) << sep << number_field(optional_hours(f.observed_minutes, lang), sep) << sep
            << number_field(optional_hours(f.limit_minutes, lang), sep) << sep
            << number_field(optional_euros(f.amount_cents, lang), sep) << sep
            << field(f.employer) << sep << field(f.message_en) << sep
            << field(f.message_nl) << sep << field(f.source) << sep << field(f.title_en) << sep << field(f.title_nl) << sep
            << field(f.action_en) << sep << field(f.action_nl) << sep
            << (f.trajectory > 0 ? std::to_string(f.trajectory) : std::string()) << sep << field(f.id);
        if (explain) {
            std::string joined;
            for (const auto &l : lines_of(f.explanation))
                joined += (joined.empty() ? "" : " | ") + l;
            out << sep << field(joined);
        }
        out << "\r\n";
    }
}

void write_table(std::ostream &out, const std::vector<host::Finding> &findings, bool explain, Lang lang, size_t width)
{
    const bool nl = lang == Lang::nl;
    if (findings.empty()) {
        out << (nl ? "Geen bevindingen.\n" : "No findings.\n");
        return;
    }
    constexpr size_t indent = 11; // under the due date
    width = std::max(width, indent + 20);
    const std::string pad(indent, ' ');
    // Everything under a row is wrapped at word boundaries to the width left of the indent.
    auto under = [&](std::string_view text, size_t extra = 0) {
        for (const auto &line : wrap(text, width - indent - extra))
            out << pad << std::string(extra, ' ') << line << "\n";
    };
    fmt::print(out, "{:<10} {:<10} {:<12} {}\n", nl ? "WERKNEMER" : "EMPLOYEE", nl ? "DATUM" : "DUE",
               nl ? "ERNST" : "SEVERITY", nl ? "REGEL" : "RULE");
    for (const auto &f : findings) {
        fmt::print(out, "{:<10} {:<10} {:<12} {}\n", f.employee, due_text(f.due), severity_label(f.severity, lang), f.rule);
        if (const std::string &title = nl ? f.title_nl : f.title_en; !title.empty())
            under(title);
        under(f.subject.empty() ? f.kind : f.kind + ", " + f.subject);
        under(nl ? f.message_nl : f.message_en);
        if (const std::string &action = nl ? f.action_nl : f.action_en; !action.empty())
            under(std::string(nl ? "actie: " : "to do: ") + action);
        under(std::string(nl ? "bron: " : "source: ") + f.source);
        if (!f.id.empty())
            under(fmt::format("id: {}{}{}", f.id,
                              f.trajectory > 0 ? (nl ? ", traject #" : ", trajectory #") + std::to_string(f.trajectory) : "",
                              f.change != JC_CHANGE_NONE ? std::string(", ") + change_label(f.change, lang) : ""));
        if (explain) {
            const auto lines = lines_of(f.explanation);
            under(std::string(nl ? "berekening:" : "why:") +
                  (lines.empty() ? (nl ? " (de plugin gaf geen toelichting)" : " (the plugin gave no explanation)") : ""));
            for (const auto &l : lines)
                under(l, 2);
        }
    }
    fmt::print(out, fmt::runtime(nl ? "\n{} bevinding(en).\n" : "\n{} finding(s).\n"), findings.size());
}

void write_status_text(std::ostream &out, const std::vector<host::TrajectoryStatus> &statuses, jc_date as_of, Lang lang,
                       size_t width)
{
    const bool nl = lang == Lang::nl;
    width = std::max<size_t>(width, 40);
    // A line of `indent` spaces and `text`, its continuation lines indented two more.
    auto line = [&](size_t indent, std::string_view text) {
        const auto lines = wrap(text, width - indent - 2);
        for (size_t i = 0; i < lines.size(); ++i)
            out << std::string(indent + (i > 0 ? 2 : 0), ' ') << lines[i] << "\n";
    };
    auto tr = [nl](const char *en, const char *dutch) { return nl ? dutch : en; };
    if (statuses.empty()) {
        out << tr("No trajectories.\n", "Geen trajecten.\n");
        return;
    }
    for (const auto &t : statuses) {
        line(0, fmt::format("{} {} {} #{}{}", t.employee, t.scheme, tr("trajectory", "traject"), t.number,
                            t.level.empty() ? "" : tr(", level ", ", niveau ") + t.level));
        if (t.close_reason == "open-ended")
            line(2, fmt::format(fmt::runtime(tr("runs from {}, no maximum duration (until coaching ends or the employment ends)",
                                                "loopt vanaf {}, zonder maximale duur (tot de jobcoaching of het dienstverband eindigt)")),
                                due_text(t.start)));
        else {
            // The close reasons of jc_trajectory_status, in words.
            const std::string reason = t.close_reason == "max-duration"     ? tr("maximum duration", "maximale duur")
                                       : t.close_reason == "contract-end"   ? tr("end of employment", "einde dienstverband")
                                       : t.close_reason == "coaching-ended" ? tr("coaching ended", "einde jobcoaching")
                                                                            : t.close_reason;
            line(2, fmt::format(fmt::runtime(tr("runs {} ({}), maximum end {}{}", "loopt {} ({}), uiterste einde {}{}")),
                                span_dates(t.start, t.close, lang), reason, due_text(t.max_end),
                                as_of > t.close ? tr(": closed", ": afgesloten") : ""));
        }
        for (const auto &b : t.budgets) {
            if (!b.current && &b != &t.budgets.back())
                continue;
            const int64_t left = b.limit_minutes - b.used_minutes;
            line(2, fmt::format(fmt::runtime(tr("{} {} {}: used {} of {}, {} {} ({}%)", "{} {} {}: {} gebruikt van {}, {} {} ({}%)")),
                       // "het jaar": "huidig jaar"; "de periode": "huidige periode"
                       b.current ? tr("current", b.subject.starts_with("year#") ? "huidig" : "huidige")
                                 : tr("last", "laatste"),
                       span_label(b.subject, lang),
                       span_dates(b.first, b.last, lang), hours(lang, b.used_minutes), hours(lang, b.limit_minutes),
                       hours(lang, left >= 0 ? left : -left), left >= 0 ? tr("left", "over") : tr("over", "te veel"),
                       b.limit_minutes > 0 ? b.used_minutes * 100 / b.limit_minutes : 0));
            line(4, "budget: " + (nl && !b.basis_nl.empty() ? b.basis_nl : b.basis));
        }
        // Overdue instances, and the next open one per rule and kind.
        bool any_due = false;
        std::set<std::pair<std::string, std::string>> next_shown;
        auto dues = t.dues;
        std::stable_sort(dues.begin(), dues.end(), [](const auto &a, const auto &b) { return a.due < b.due; });
        for (const auto &d : dues) {
            if (d.satisfied)
                continue;
            if (d.due >= as_of && !next_shown.insert({d.rule, d.kind}).second)
                continue;
            if (!any_due)
                out << tr("  open due dates:\n", "  open termijnen:\n");
            any_due = true;
            const std::string &title = nl ? d.title_nl : d.title_en; // ABI 1.4; the kind from older plugins
            line(4, fmt::format("{}  {} #{}{}  ({})", due_text(d.due), title.empty() ? d.kind : title, d.number,
                                d.due < as_of ? tr("  OVERDUE", "  TE LAAT") : "", d.rule));
        }
        if (!any_due)
            out << tr("  open due dates: none\n", "  open termijnen: geen\n");
        // The plugin's Dutch figures where it gives them (ABI 1.4), else its English ones.
        for (const auto &[name, value] : nl && t.figures_nl.size() == t.figures.size() ? t.figures_nl : t.figures)
            line(2, name + ": " + value);
        out << "\n";
    }
}

void write_status_jsonl(std::ostream &out, const std::vector<host::TrajectoryStatus> &statuses)
{
    for (const auto &t : statuses) {
        std::string line = fmt::format(
            R"({{"employee":"{}","scheme":"{}","number":{},"level":"{}","start":"{}","max_end":"{}","close":"{}","close_reason":"{}","budgets":[)",
            json_escape(t.employee), json_escape(t.scheme), t.number, json_escape(t.level), due_text(t.start),
            due_text(t.max_end), due_text(t.close), json_escape(t.close_reason));
        for (size_t i = 0; i < t.budgets.size(); ++i) {
            const auto &b = t.budgets[i];
            line += fmt::format(
                R"({}{{"rule":"{}","subject":"{}","first":"{}","last":"{}","limit_minutes":{},"used_minutes":{},"current":{},"basis":"{}"}})",
                i > 0 ? "," : "", json_escape(b.rule), json_escape(b.subject), due_text(b.first), due_text(b.last),
                b.limit_minutes, b.used_minutes, b.current ? "true" : "false", json_escape(b.basis));
        }
        line += R"(],"dues":[)";
        for (size_t i = 0; i < t.dues.size(); ++i) {
            const auto &d = t.dues[i];
            line += fmt::format(R"({}{{"rule":"{}","kind":"{}","number":{},"due":"{}","satisfied":{}}})", i > 0 ? "," : "",
                                json_escape(d.rule), json_escape(d.kind), d.number, due_text(d.due),
                                d.satisfied ? "true" : "false");
        }
        line += R"(],"figures":{)";
        for (size_t i = 0; i < t.figures.size(); ++i)
            line += fmt::format(R"({}"{}":"{}")", i > 0 ? "," : "", json_escape(t.figures[i].first),
                                json_escape(t.figures[i].second));
        out << line << "}}\n";
    }
}

} // namespace jobcoach::demo
