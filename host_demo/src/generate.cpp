// SPDX-License-Identifier: Apache-2.0
#include "generate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <random>
#include <string>
#include <vector>

namespace jobcoach::demo {

namespace {

using Date = jc_date;
using dates::add_months;

Date add_days(Date d, int32_t days) { return d + days; }

// One employee's draws: its own stream, so that employee i is the same whatever the number of employees.
class Draw {
public:
    Draw(uint64_t seed, uint32_t employee) : rng_(mix(seed * 0x9E3779B97F4A7C15ULL + employee)) {}
    uint32_t below(uint32_t n) { return static_cast<uint32_t>(rng_() % n); }
    bool percent(uint32_t p) { return below(100) < p; }
    template <class T, size_t N> const T &pick(const std::array<T, N> &list) { return list[below(N)]; }

private:
    static uint64_t mix(uint64_t z) // splitmix64's finaliser: nearby seeds give unrelated streams
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::mt19937_64 rng_;
};

constexpr int32_t latest_start_day = 364;     // a contract starts in the first year
constexpr int32_t longest_term_months = 24;   // a fixed-term contract lasts 6 to 24 months

struct Line {
    Date date;
    std::string text;
};

class Employee {
public:
    Employee(const GenerateOptions &o, uint32_t index)
        : draw_(o.seed, index), key_(fmt::format("E-{:07}", index)), employer_(fmt::format("W-{:05}", index / 40))
    {
        const Date horizon = add_days(add_months(o.start, 12 * static_cast<int32_t>(o.years)), -1);
        const Date start = add_days(o.start, static_cast<int32_t>(draw_.below(latest_start_day + 1)));
        if (start > horizon)
            return;
        static constexpr std::array<int, 9> hours = {12, 16, 20, 24, 28, 32, 36, 38, 40};
        const int weekly = draw_.pick(hours);
        Date last_day = horizon; // of the employment, as far as the file goes
        std::string end_member;
        if (draw_.percent(30)) { // fixed term, 6 to 24 months
            const Date end = add_days(add_months(start, 6 + static_cast<int32_t>(draw_.below(longest_term_months - 5))), -1);
            last_day = std::min(horizon, end);
            end_member = fmt::format(R"(,"end":"{}")", dates::iso(end));
        }
        add(start, fmt::format(R"("type":"contract.started","employer":"{}","weekly_hours":{}{})", employer_, weekly, end_member));
        if (draw_.percent(15)) {
            const Date when = add_days(start, 60 + static_cast<int32_t>(draw_.below(400)));
            if (when < last_day)
                add(when, fmt::format(R"("type":"contract.changed","weekly_hours":{})", draw_.pick(hours)));
        }
        if (draw_.percent(8)) {
            const Date when = add_days(start, 90 + static_cast<int32_t>(draw_.below(600)));
            if (when < last_day) {
                last_day = when;
                add(when, R"("type":"contract.ended")");
            }
        }
        coaching(start, last_day);
    }

    uint64_t timesheets = 0;
    uint64_t trajectories = 0;

    // Writes the employee's events in date order (the order of arrival within a day).
    void write(std::string &out)
    {
        std::stable_sort(lines_.begin(), lines_.end(), [](const Line &a, const Line &b) { return a.date < b.date; });
        for (const Line &l : lines_)
            out += l.text;
    }
    size_t events() const { return lines_.size(); }

private:
    void add(Date date, const std::string &members)
    {
        lines_.push_back({date, fmt::format(R"({{"id":"{}-{}","employee":"{}","date":"{}",{}}})"
                                            "\n",
                                            key_, lines_.size() + 1, key_, dates::iso(date), members)});
    }
    std::string last_id() const { return fmt::format("{}-{}", key_, lines_.size()); }

    void coaching(Date contract_start, Date last_day)
    {
        static constexpr std::array<const char *, 4> uwv_levels = {"licht", "midden", "midden", "intensief"};
        static constexpr std::array<const char *, 2> vpw_levels = {"licht", "midden"};
        static constexpr std::array<const char *, 4> wsp_levels = {"proefplaatsing", "pakket-0", "pakket-1", "pakket-2"};
        const uint32_t s = draw_.below(100);
        const char *scheme = s < 40 ? "uwv-extern" : s < 60 ? "uwv-intern" : s < 80 ? "vpw" : "wsp-rijnmond";
        const std::string_view sc = scheme;
        const Date grant = add_days(contract_start, static_cast<int32_t>(draw_.below(30)));
        if (grant > last_day)
            return;
        ++trajectories;
        std::string members = fmt::format(R"("type":"coaching.granted","scheme":"{}")", scheme);
        if (sc == "vpw")
            members += fmt::format(R"(,"level":"{}")", draw_.pick(vpw_levels));
        else if (sc == "wsp-rijnmond")
            members += fmt::format(R"(,"level":"{}","coach_form":"{}")", draw_.pick(wsp_levels), draw_.percent(70) ? "gemeente" : "extern");
        else
            members += fmt::format(R"(,"level":"{}")", sc == "uwv-extern" && draw_.percent(10) ? "zeer-licht" : draw_.pick(uwv_levels));
        if (draw_.percent(10))
            members += fmt::format(R"(,"granted_hours":{})", 20 + draw_.below(60));
        if (draw_.percent(20))
            members += R"(,"justification":"zwaardere begeleiding nodig")";
        add(grant, members);

        const int32_t max_months = sc == "vpw" ? 24 : sc == "wsp-rijnmond" ? 30 : 36;
        Date stop = std::min(last_day, add_days(add_months(grant, max_months), -1));
        if (draw_.percent(15)) { // coaching ends early
            const Date early = add_days(grant, 120 + static_cast<int32_t>(draw_.below(400)));
            if (early < stop) {
                stop = early;
                add(early, fmt::format(R"("type":"coaching.ended","scheme":"{}")", scheme));
            }
        }
        if (draw_.percent(sc == "vpw" ? 10 : 4)) { // an extension near the maximum, sometimes unjustified
            const Date when = add_days(add_months(grant, max_months), -40);
            if (when < stop)
                add(when, fmt::format(R"("type":"coaching.extended","scheme":"{}","months":12{})", scheme,
                                      draw_.percent(70) ? R"(,"justification":"uitloop onderbouwd")" : ""));
        }
        if (sc == "vpw" && draw_.percent(3)) {
            const Date when = add_days(grant, 300 + static_cast<int32_t>(draw_.below(60)));
            if (when < stop)
                add(when, R"("type":"budget.transferred","scheme":"vpw","minutes":600,"justification":"lange afwezigheid")");
        }
        if (draw_.percent(10)) { // an absence of 2 to 10 weeks
            const Date from = add_days(grant, 30 + static_cast<int32_t>(draw_.below(300)));
            if (from < stop) {
                add(from, R"("type":"absence.started")");
                add(add_days(from, 14 + 7 * static_cast<int32_t>(draw_.below(9))), R"("type":"absence.ended")");
            }
        }
        reports(sc, grant, stop);
        // Weekly timesheets; wsp-rijnmond alternates visits and contacts; a few entries are retracted later.
        int week = 0;
        for (Date d = add_days(grant, 2); d <= stop; d = add_days(d, 7), ++week) {
            const char *activity = sc == "wsp-rijnmond" ? (week % 2 == 0 ? "visit" : "contact") : "coaching";
            add(d, fmt::format(R"("type":"timesheet.logged","minutes":{},"activity":"{}")", 30 + 15 * draw_.below(13), activity));
            ++timesheets;
            if (draw_.percent(1))
                add(add_days(d, 3), fmt::format(R"("type":"timesheet.retracted","retracts":"{}")", last_id()));
        }
    }

    // The reports each scheme asks for, mostly on time, some late (after the due date) and some never.
    void reports(std::string_view scheme, Date grant, Date stop)
    {
        auto report = [&](Date due, const char *kind) {
            const uint32_t r = draw_.below(100);
            if (r < 10)
                return; // missing
            const Date when = add_days(due, r < 20 ? 5 + static_cast<int32_t>(draw_.below(30)) : -static_cast<int32_t>(draw_.below(10)));
            if (when <= stop)
                add(when, fmt::format(R"("type":"report.submitted","kind":"{}","scheme":"{}")", kind, scheme));
        };
        if (scheme == "uwv-extern") {
            for (int k = 1; add_months(grant, 6 * k) <= stop; ++k)
                report(add_days(add_months(grant, 6 * k), 20), "period-report");
        } else if (scheme == "uwv-intern") {
            for (int k = 1; add_months(grant, 12 * k) <= stop; ++k)
                report(add_days(add_months(grant, 12 * k), 20), "continuation");
        } else if (scheme == "vpw") {
            report(add_days(grant, 14), "plan");
            for (int k = 1; add_months(grant, 3 * k) <= stop; ++k)
                report(add_months(grant, 3 * k), k % 2 == 0 ? "plan-revision" : "evaluation");
        } else {
            for (int k = 1; add_months(grant, 3 * k) <= stop; ++k)
                report(add_months(grant, 3 * k), "lks-check");
        }
    }

    Draw draw_;
    std::string key_, employer_;
    std::vector<Line> lines_;
};

} // namespace

Date last_date(const GenerateOptions &o)
{
    const Date horizon = add_days(add_months(o.start, 12 * static_cast<int32_t>(o.years)), -1);
    const Date last_end = add_days(add_months(add_days(o.start, latest_start_day), longest_term_months), -1);
    return std::max(horizon, last_end);
}

GenerateCounts generate(const GenerateOptions &o, std::ostream &out)
{
    GenerateCounts counts;
    out << "# jobcoach-demo generate --employees " << o.employees << " --years " << o.years << " --seed " << o.seed
        << " (fictional employees)\n";
    std::string buffer;
    for (uint32_t i = 1; i <= o.employees; ++i) {
        Employee e(o, i);
        e.write(buffer);
        counts.events += e.events();
        counts.timesheets += e.timesheets;
        counts.trajectories += e.trajectories;
        if (buffer.size() > (1u << 20) || i == o.employees) {
            out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            counts.bytes += buffer.size();
            buffer.clear();
        }
    }
    return counts;
}

} // namespace jobcoach::demo
