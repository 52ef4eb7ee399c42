// SPDX-License-Identifier: Apache-2.0
// Civil dates and spans (docs/rules.md C-1).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jobcoach::rules {

// A civil date as a day number: days since 1970-01-01 (the ABI's jc_date).
struct Date {
    int32_t days = 0;

    static Date from_ymd(int year, unsigned month, unsigned day);
    // Parses YYYY-MM-DD; nullopt for anything else, an impossible date, or a year outside 1900..2199.
    static std::optional<Date> parse(std::string_view iso);
    static bool in_range(int32_t days); // 1900-01-01 .. 2199-12-31

    std::string iso() const;
    int year() const;
    unsigned month() const;
    unsigned day() const;

    friend auto operator<=>(Date, Date) = default;
    friend bool operator==(Date, Date) = default;
};

inline Date add_days(Date d, int32_t n) { return Date{d.days + n}; }
inline int32_t days_between(Date from, Date to) { return to.days - from.days; }

// C-1: keeps the day of month, clamped to the target month's last day (2026-01-31 + 1 month = 2026-02-28).
Date add_months(Date d, int32_t months);

// Both ends inclusive.
struct Span {
    Date first;
    Date last;

    bool contains(Date d) const { return first <= d && d <= last; }
    int32_t days() const { return last.days - first.days + 1; }
    friend bool operator==(const Span &, const Span &) = default;
};

// C-1: n months starting on S cover S .. add_months(S, n) - 1 day.
inline Span months_from(Date start, int32_t months) { return Span{start, add_days(add_months(start, months), -1)}; }

} // namespace jobcoach::rules
