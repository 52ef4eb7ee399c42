#include "output.hpp"

#include <jobcoach/rules/date.hpp>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <tuple>

namespace jobcoach::demo {

namespace {
std::string due_text(jc_date due) { return due == JC_DATE_NONE ? std::string() : rules::Date{due}.iso(); }

auto key(const host::Finding &f) { return std::tie(f.employee, f.due, f.rule, f.subject, f.kind, f.scheme); }

std::string csv_field(std::string_view s)
{
    if (s.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string optional_number(const std::optional<int64_t> &v) { return v ? std::to_string(*v) : std::string(); }
} // namespace

std::string json_escape(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + 2);
    for (char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
            else
                out += c;
        }
    }
    return out;
}

void settle(std::vector<host::Finding> &findings)
{
    std::stable_sort(findings.begin(), findings.end(), [](const auto &a, const auto &b) { return key(a) < key(b); });
    findings.erase(std::unique(findings.begin(), findings.end(), [](const auto &a, const auto &b) { return key(a) == key(b); }),
                   findings.end());
}

void write_jsonl(std::ostream &out, const std::vector<host::Finding> &findings)
{
    for (const auto &f : findings) {
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
        out << line << "}\n";
    }
}

void write_csv(std::ostream &out, const std::vector<host::Finding> &findings)
{
    out << "employee,scheme,rule,kind,severity,due,subject,observed_minutes,limit_minutes,amount_cents,employer,"
           "message_en,message_nl,source\r\n";
    for (const auto &f : findings) {
        out << csv_field(f.employee) << ',' << csv_field(f.scheme) << ',' << csv_field(f.rule) << ','
            << csv_field(f.kind) << ',' << host::severity_name(f.severity) << ',' << due_text(f.due) << ','
            << csv_field(f.subject) << ',' << optional_number(f.observed_minutes) << ','
            << optional_number(f.limit_minutes) << ',' << optional_number(f.amount_cents) << ','
            << csv_field(f.employer) << ',' << csv_field(f.message_en) << ',' << csv_field(f.message_nl) << ','
            << csv_field(f.source) << "\r\n";
    }
}

void write_table(std::ostream &out, const std::vector<host::Finding> &findings)
{
    if (findings.empty()) {
        out << "No findings.\n";
        return;
    }
    fmt::print(out, "{:<10} {:<10} {:<8} {:<30} {:<26} {}\n", "EMPLOYEE", "DUE", "SEVERITY", "RULE", "KIND", "SUBJECT");
    for (const auto &f : findings) {
        fmt::print(out, "{:<10} {:<10} {:<8} {:<30} {:<26} {}\n", f.employee, due_text(f.due),
                   host::severity_name(f.severity), f.rule, f.kind, f.subject);
        fmt::print(out, "{:>11}{}\n{:>11}source: {}\n", "", f.message_en, "", f.source);
    }
    fmt::print(out, "\n{} finding(s).\n", findings.size());
}

} // namespace jobcoach::demo
