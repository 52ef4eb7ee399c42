// SPDX-License-Identifier: Apache-2.0
// jobcoach/dates.hpp: civil dates as the ABI carries them (jc_date, jobcoach/types.h), header-only C++20.
//
// Shared by hosts and plugins, so that an event file's "2026-02-29" is refused by the host for the same reason a
// plugin would refuse the day number, and a date reads the same in every finding, report and calendar. Like
// sdk.hpp, this is source compiled into your binary, not part of the ABI (EVOLUTION.md).
#ifndef JOBCOACH_DATES_HPP
#define JOBCOACH_DATES_HPP

#include <jobcoach/types.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace jobcoach::dates {

namespace detail {
inline std::chrono::year_month_day ymd_of(jc_date d)
{
    return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{d}}};
}
inline jc_date date_of(std::chrono::year_month_day ymd)
{
    return static_cast<jc_date>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}
static_assert(std::chrono::sys_days{std::chrono::year{1900} / 1 / 1}.time_since_epoch().count() == JC_DATE_MIN);
static_assert(std::chrono::sys_days{std::chrono::year{2199} / 12 / 31}.time_since_epoch().count() == JC_DATE_MAX);
} // namespace detail

// True for a day number of a valid date: 1900-01-01 .. 2199-12-31 (JC_DATE_MIN .. JC_DATE_MAX).
inline bool in_range(int32_t days) noexcept { return days >= JC_DATE_MIN && days <= JC_DATE_MAX; }

inline jc_date from_ymd(int year, unsigned month, unsigned day)
{
    return detail::date_of(std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day});
}

// Parses exactly YYYY-MM-DD; nullopt for anything else, an impossible date (2026-02-29), or a year outside
// 1900..2199.
inline std::optional<jc_date> parse(std::string_view s)
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
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok())
        return std::nullopt;
    return detail::date_of(ymd);
}

// Writes the ISO form of d ("YYYY-MM-DD") to out, which holds at least iso_max_bytes, and returns its length:
// 10 for every date of a year 0..9999 (every valid date). By hand, two digits at a time from a table, rather
// than snprintf: a finding's words write about nine dates (evaluation once spent a quarter of its time in
// snprintf).
inline constexpr size_t iso_max_bytes = 24;
inline size_t iso_into(jc_date d, char *out)
{
    const auto ymd = detail::ymd_of(d);
    const int y = static_cast<int>(ymd.year());
    const auto m = static_cast<unsigned>(ymd.month()), day = static_cast<unsigned>(ymd.day());
    if (y < 0 || y > 9999) { // outside any valid date; only ever printed in a message
        const int n = std::snprintf(out, iso_max_bytes, "%d-%02u-%02u", y, m, day);
        return n < 0 ? 0 : std::min(static_cast<size_t>(n), iso_max_bytes - 1);
    }
    static constexpr char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                    "8081828384858687888990919293949596979899";
    const auto put = [&](char *at, unsigned v) {
        at[0] = pairs[2 * v];
        at[1] = pairs[2 * v + 1];
    };
    put(out, static_cast<unsigned>(y) / 100);
    put(out + 2, static_cast<unsigned>(y) % 100);
    out[4] = '-';
    put(out + 5, m);
    out[7] = '-';
    put(out + 8, day);
    return 10;
}

inline std::string iso(jc_date d)
{
    char buf[iso_max_bytes];
    return std::string(buf, iso_into(d, buf));
}

inline int year(jc_date d) { return static_cast<int>(detail::ymd_of(d).year()); }
inline unsigned month(jc_date d) { return static_cast<unsigned>(detail::ymd_of(d).month()); }
inline unsigned day(jc_date d) { return static_cast<unsigned>(detail::ymd_of(d).day()); }

// docs/rules.md C-1: keeps the day of month, clamped to the target month's last day
// (2026-01-31 + 1 month = 2026-02-28).
inline jc_date add_months(jc_date d, int32_t months)
{
    namespace chr = std::chrono;
    const auto ymd = detail::ymd_of(d);
    const chr::year_month target = chr::year_month{ymd.year(), ymd.month()} + chr::months{months};
    const chr::day last = chr::year_month_day_last{target.year(), chr::month_day_last{target.month()}}.day();
    return detail::date_of(chr::year_month_day{target.year(), target.month(), ymd.day() < last ? ymd.day() : last});
}

} // namespace jobcoach::dates

#endif // JOBCOACH_DATES_HPP
