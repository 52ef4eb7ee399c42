// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/rules/finding.hpp"

#include <fmt/format.h>

namespace jobcoach::rules {

namespace {
jc_str view(const std::string &s) { return jc_str{s.empty() ? nullptr : s.data(), s.size()}; }

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
    // A member, length first: ("ab", "c") and ("a", "bc") hash apart.
    void member(std::string_view s)
    {
        bytes(std::to_string(s.size()));
        bytes(":");
        bytes(s);
    }
};

} // namespace

namespace {

std::string finish_id(Fnv1a64 &hash, std::string_view scheme, int32_t trajectory, std::string_view rule,
                      std::string_view subject)
{
    hash.member(scheme);
    hash.member(std::to_string(trajectory));
    hash.member(rule);
    hash.member(subject);
    return fmt::format("{:016x}", hash.h);
}

} // namespace

std::string finding_id(std::string_view employee, std::string_view scheme, int32_t trajectory, std::string_view rule,
                       std::string_view subject)
{
    Fnv1a64 hash;
    hash.member("employee");
    hash.member(employee);
    return finish_id(hash, scheme, trajectory, rule, subject);
}

std::string finding_id(const Finding &f)
{
    if (f.employer.empty() || f.employees.empty())
        return finding_id(f.employee, f.scheme, f.trajectory, f.rule, f.subject);
    Fnv1a64 hash; // employer-level: the employer and the group concerned are the instance
    hash.member("employer");
    hash.member(f.employer);
    for (const auto &e : f.employees)
        hash.member(e);
    return finish_id(hash, f.scheme, f.trajectory, f.rule, f.subject);
}

jc_finding to_abi(const Finding &f, std::vector<jc_str> &employees, std::string &explanation)
{
    explanation.clear();
    for (const auto &line : f.explanation) {
        if (!explanation.empty())
            explanation += '\n';
        explanation += line;
    }
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
    out.explanation = view(explanation);
    out.id = view(f.id);
    out.trajectory = static_cast<uint32_t>(f.trajectory);
    return out;
}

std::string hours_en(int64_t minutes) { return fmt::format("{}.{:02} h", minutes / 60, (minutes % 60) * 100 / 60); }
std::string hours_nl(int64_t minutes) { return fmt::format("{},{:02} uur", minutes / 60, (minutes % 60) * 100 / 60); }
std::string months_en(int32_t months)
{
    if (months % 12 == 0 && months != 0)
        return fmt::format("{} year{}", months / 12, months == 12 ? "" : "s");
    return fmt::format("{} month{}", months, months == 1 ? "" : "s");
}
std::string months_nl(int32_t months)
{
    if (months % 12 == 0 && months != 0)
        return fmt::format("{} jaar", months / 12);
    return fmt::format("{} {}", months, months == 1 ? "maand" : "maanden");
}
std::string euro_en(int64_t cents) { return fmt::format("EUR {}.{:02}", grouped(cents / 100, ','), (cents < 0 ? -cents : cents) % 100); }
std::string euro_nl(int64_t cents) { return fmt::format("€ {},{:02}", grouped(cents / 100, '.'), (cents < 0 ? -cents : cents) % 100); }

} // namespace jobcoach::rules
