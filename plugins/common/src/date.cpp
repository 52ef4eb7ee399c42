// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/rules/date.hpp"

#include <jobcoach/types.h>

#include <chrono>
#include <cstdio>

namespace jobcoach::rules {

namespace chr = std::chrono;

namespace {
chr::year_month_day ymd_of(Date d) { return chr::year_month_day{chr::sys_days{chr::days{d.days}}}; }
Date date_of(chr::year_month_day ymd) { return Date{static_cast<int32_t>(chr::sys_days{ymd}.time_since_epoch().count())}; }
constexpr int32_t first_day = JC_DATE_MIN; // 1900-01-01
constexpr int32_t last_day = JC_DATE_MAX;  // 2199-12-31
static_assert(chr::sys_days{chr::year{1900} / 1 / 1}.time_since_epoch().count() == first_day);
static_assert(chr::sys_days{chr::year{2199} / 12 / 31}.time_since_epoch().count() == last_day);
} // namespace

Date Date::from_ymd(int year, unsigned month, unsigned day)
{
    return date_of(chr::year{year} / chr::month{month} / chr::day{day});
}

bool Date::in_range(int32_t days) { return days >= first_day && days <= last_day; }

std::optional<Date> Date::parse(std::string_view s)
{
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return std::nullopt;
    auto digits = [&](size_t from, size_t n) -> int {
        int v = 0;
        for (size_t i = from; i < from + n; ++i) {
            if (s[i] < '0' || s[i] > '9')
                return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    const int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
    if (y < 1900 || y > 2199 || m < 1 || d < 1)
        return std::nullopt;
    const chr::year_month_day ymd{chr::year{y}, chr::month{static_cast<unsigned>(m)}, chr::day{static_cast<unsigned>(d)}};
    if (!ymd.ok())
        return std::nullopt;
    return date_of(ymd);
}

std::string Date::iso() const
{
    // By hand rather than snprintf: findings and their explanations format many dates (evaluation spent a quarter
    // of its time in snprintf).
    const auto ymd = ymd_of(*this);
    const int y = static_cast<int>(ymd.year());
    const auto m = static_cast<unsigned>(ymd.month()), d = static_cast<unsigned>(ymd.day());
    if (y < 0 || y > 9999) { // outside any valid date; only ever printed in a message
        char buf[24];
        std::snprintf(buf, sizeof buf, "%d-%02u-%02u", y, m, d);
        return buf;
    }
    std::string out(10, '-');
    out[0] = static_cast<char>('0' + y / 1000 % 10);
    out[1] = static_cast<char>('0' + y / 100 % 10);
    out[2] = static_cast<char>('0' + y / 10 % 10);
    out[3] = static_cast<char>('0' + y % 10);
    out[5] = static_cast<char>('0' + m / 10);
    out[6] = static_cast<char>('0' + m % 10);
    out[8] = static_cast<char>('0' + d / 10);
    out[9] = static_cast<char>('0' + d % 10);
    return out;
}

int Date::year() const { return static_cast<int>(ymd_of(*this).year()); }
unsigned Date::month() const { return static_cast<unsigned>(ymd_of(*this).month()); }
unsigned Date::day() const { return static_cast<unsigned>(ymd_of(*this).day()); }

Date add_months(Date d, int32_t months)
{
    const auto ymd = ymd_of(d);
    const chr::year_month target_month = chr::year_month{ymd.year(), ymd.month()} + chr::months{months};
    const chr::day last = chr::year_month_day_last{target_month.year(), chr::month_day_last{target_month.month()}}.day();
    return date_of(chr::year_month_day{target_month.year(), target_month.month(), ymd.day() < last ? ymd.day() : last});
}

} // namespace jobcoach::rules
