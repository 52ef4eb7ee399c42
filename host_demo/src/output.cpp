// SPDX-License-Identifier: Apache-2.0
#include "output.hpp"

#include <jobcoach/dates.hpp>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <set>
#include <tuple>

namespace jobcoach::demo {

std::string hours_en(int64_t minutes) { return fmt::format("{}.{:02} h", minutes / 60, (minutes % 60) * 100 / 60); }
std::string hours_nl(int64_t minutes) { return fmt::format("{},{:02} uur", minutes / 60, (minutes % 60) * 100 / 60); }

namespace {
std::string due_text(jc_date due) { return due == JC_DATE_NONE ? std::string() : dates::iso(due); }

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

void write_jsonl_line(std::ostream &out, const host::Finding &f, bool explain)
{
    {
        std::string line = fmt::format(R"({{"employee":"{}","scheme":"{}","rule":"{}","kind":"{}","severity":"{}")",
                                       json_escape(f.employee), json_escape(f.scheme), json_escape(f.rule),
                                       json_escape(f.kind), host::severity_name(f.severity));
        if (f.due != JC_DATE_NONE)
            line += fmt::format(R"(,"due":"{}")", due_text(f.due));
        if (!f.subject.empty())
            line += fmt::format(R"(,"subject":"{}")", json_escape(f.subject));
        if (f.observed_minutes)
            line += fmt::format(R"(,"observed_minutes":{})", *f.observed_minutes);
        if (f.limit_minutes)
            line += fmt::format(R"(,"limit_minutes":{})", *f.limit_minutes);
        if (f.amount_cents)
            line += fmt::format(R"(,"amount_cents":{})", *f.amount_cents);
        line += fmt::format(R"(,"message_nl":"{}","message_en":"{}","source":"{}")", json_escape(f.message_nl),
                            json_escape(f.message_en), json_escape(f.source));
        if (!f.employer.empty())
            line += fmt::format(R"(,"employer":"{}")", json_escape(f.employer));
        if (!f.employees.empty()) {
            line += R"(,"employees":[)";
            for (size_t i = 0; i < f.employees.size(); ++i)
                line += fmt::format(R"({}"{}")", i > 0 ? "," : "", json_escape(f.employees[i]));
            line += "]";
        }
        if (f.trajectory > 0)
            line += fmt::format(R"(,"trajectory":{})", f.trajectory);
        if (!f.id.empty())
            line += fmt::format(R"(,"id":"{}")", json_escape(f.id));
        if (f.change != JC_CHANGE_NONE)
            line += fmt::format(R"(,"change":"{}")", host::change_name(f.change));
        if (explain) {
            line += R"(,"explanation":[)";
            const auto lines = lines_of(f.explanation);
            for (size_t i = 0; i < lines.size(); ++i)
                line += fmt::format(R"({}"{}")", i > 0 ? "," : "", json_escape(lines[i]));
            line += "]";
        }
        out << line << "}\n";
    }
}

void write_csv(std::ostream &out, const std::vector<host::Finding> &findings, bool explain, char separator)
{
    write_csv_header(out, explain, separator);
    for (const auto &f : findings)
        write_csv_row(out, f, explain, separator);
}

void write_csv_header(std::ostream &out, bool explain, char separator)
{
    const char sep = separator;
    const char *columns[] = {"employee", "scheme", "rule", "kind", "severity", "due", "subject", "observed_minutes",
                             "limit_minutes", "amount_cents", "employer", "message_en", "message_nl", "source",
                             "trajectory", "id"};
    for (size_t i = 0; i < std::size(columns); ++i)
        out << (i > 0 ? std::string(1, sep) : std::string()) << columns[i];
    out << (explain ? std::string(1, sep) + "explanation" : std::string()) << "\r\n";
}

void write_csv_row(std::ostream &out, const host::Finding &f, bool explain, char separator)
{
    const char sep = separator;
    auto field = [&](std::string_view s) { return csv_field(s, sep); };
    {
        out << field(f.employee) << sep << field(f.scheme) << sep << field(f.rule) << sep << field(f.kind) << sep
            << host::severity_name(f.severity) << sep << due_text(f.due) << sep << field(f.subject) << sep
            << optional_number(f.observed_minutes) << sep << optional_number(f.limit_minutes) << sep
            << optional_number(f.amount_cents) << sep << field(f.employer) << sep << field(f.message_en) << sep
            << field(f.message_nl) << sep << field(f.source) << sep
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

void write_table(std::ostream &out, const std::vector<host::Finding> &findings, bool explain, bool dutch)
{
    if (findings.empty()) {
        out << (dutch ? "Geen bevindingen.\n" : "No findings.\n");
        return;
    }
    if (dutch)
        fmt::print(out, "{:<10} {:<10} {:<8} {:<30} {:<26} {}\n", "WERKNEMER", "DATUM", "ERNST", "REGEL", "SOORT", "ONDERWERP");
    else
        fmt::print(out, "{:<10} {:<10} {:<8} {:<30} {:<26} {}\n", "EMPLOYEE", "DUE", "SEVERITY", "RULE", "KIND", "SUBJECT");
    for (const auto &f : findings) {
        fmt::print(out, "{:<10} {:<10} {:<8} {:<30} {:<26} {}\n", f.employee, due_text(f.due),
                   host::severity_name(f.severity), f.rule, f.kind, f.subject);
        fmt::print(out, "{:>11}{}\n{:>11}{}: {}\n", "", dutch ? f.message_nl : f.message_en, "", dutch ? "bron" : "source",
                   f.source);
        if (!f.id.empty())
            fmt::print(out, "{:>11}id: {}{}{}\n", "", f.id,
                       f.trajectory > 0 ? (dutch ? ", traject #" : ", trajectory #") + std::to_string(f.trajectory) : "",
                       f.change != JC_CHANGE_NONE ? std::string(", ") + host::change_name(f.change) : "");
        if (explain) {
            const auto lines = lines_of(f.explanation);
            fmt::print(out, "{:>11}{}:{}\n", "", dutch ? "berekening" : "why",
                       lines.empty() ? (dutch ? " (de plugin gaf geen toelichting)" : " (the plugin gave no explanation)") : "");
            for (const auto &l : lines)
                fmt::print(out, "{:>13}{}\n", "", l);
        }
    }
    fmt::print(out, fmt::runtime(dutch ? "\n{} bevinding(en).\n" : "\n{} finding(s).\n"), findings.size());
}

void write_status_text(std::ostream &out, const std::vector<host::TrajectoryStatus> &statuses, jc_date as_of)
{
    if (statuses.empty()) {
        out << "No trajectories.\n";
        return;
    }
    for (const auto &t : statuses) {
        fmt::print(out, "{} {} trajectory #{}{}\n", t.employee, t.scheme, t.number,
                   t.level.empty() ? "" : ", level " + t.level);
        if (t.close_reason == "open-ended")
            fmt::print(out, "  runs from {}, no maximum duration (until coaching ends or the employment ends)\n",
                       due_text(t.start));
        else
            fmt::print(out, "  runs {} .. {} ({}), maximum end {}{}\n", due_text(t.start), due_text(t.close),
                       t.close_reason, due_text(t.max_end), as_of > t.close ? ": closed" : "");
        for (const auto &b : t.budgets) {
            if (!b.current && &b != &t.budgets.back())
                continue;
            const int64_t left = b.limit_minutes - b.used_minutes;
            fmt::print(out, "  {} {} {} .. {}: used {} of {}, {} {} ({}%)\n", b.current ? "current" : "last",
                       b.subject, due_text(b.first), due_text(b.last), hours_en(b.used_minutes), hours_en(b.limit_minutes),
                       left >= 0 ? hours_en(left) : hours_en(-left), left >= 0 ? "left" : "over",
                       b.limit_minutes > 0 ? b.used_minutes * 100 / b.limit_minutes : 0);
            fmt::print(out, "    budget: {}\n", b.basis);
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
                fmt::print(out, "  open due dates:\n");
            any_due = true;
            fmt::print(out, "    {}  {} #{}{}  ({})\n", due_text(d.due), d.kind, d.number,
                       d.due < as_of ? "  OVERDUE" : "", d.rule);
        }
        if (!any_due)
            fmt::print(out, "  open due dates: none\n");
        for (const auto &[name, value] : t.figures)
            fmt::print(out, "  {}: {}\n", name, value);
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
