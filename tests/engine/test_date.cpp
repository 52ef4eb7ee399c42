// SPDX-License-Identifier: Apache-2.0
// docs/rules.md C-1: dates, add_months clamping, spans.
#include <jobcoach/rules/date.hpp>
#include <jobcoach/rules/finding.hpp>

#include <gtest/gtest.h>
#include <jobcoach/dates.hpp>
#include <jobcoach/types.h>

#include <chrono>
#include <cstdio>

using jobcoach::rules::add_months;
using jobcoach::rules::Date;
using jobcoach::rules::months_from;

namespace {
Date d(const char *iso) { return *Date::parse(iso); }
} // namespace

TEST(Date, ParsesAndFormatsIso)
{
    EXPECT_EQ(d("1970-01-01").days, 0);
    EXPECT_EQ(d("1969-12-31").days, -1);
    EXPECT_EQ(d("2026-11-23").iso(), "2026-11-23");
    EXPECT_EQ(d("2024-02-29").iso(), "2024-02-29");
}

TEST(Date, RefusesImpossibleDates)
{
    EXPECT_FALSE(Date::parse("2026-02-29")); // not a leap year
    EXPECT_FALSE(Date::parse("2100-02-29")); // century, not a leap year
    EXPECT_TRUE(Date::parse("2000-02-29"));  // 400-year leap year
    EXPECT_FALSE(Date::parse("2026-04-31"));
    EXPECT_FALSE(Date::parse("2026-13-01"));
    EXPECT_FALSE(Date::parse("2026-00-10"));
    EXPECT_FALSE(Date::parse("2026-1-05"));
    EXPECT_FALSE(Date::parse("26-01-05"));
    EXPECT_FALSE(Date::parse("1899-12-31"));
    EXPECT_FALSE(Date::parse("2200-01-01"));
    EXPECT_FALSE(Date::parse("2026-01-0x"));
}

TEST(Date, TheRangeIsTheAbisFirstToLastDay)
{
    // jobcoach/types.h: JC_DATE_MIN is 1900-01-01 and JC_DATE_MAX 2199-12-31; a date the parser accepts is in range.
    EXPECT_EQ(d("1900-01-01").days, JC_DATE_MIN);
    EXPECT_EQ(d("2199-12-31").days, JC_DATE_MAX);
    EXPECT_FALSE(Date::in_range(JC_DATE_MIN - 1));
    EXPECT_TRUE(Date::in_range(JC_DATE_MIN));
    EXPECT_TRUE(Date::in_range(JC_DATE_MAX));
    EXPECT_FALSE(Date::in_range(JC_DATE_MAX + 1));
    EXPECT_EQ(Date{JC_DATE_MAX}.iso(), "2199-12-31");
}

TEST(Date, AddMonthsClampsToTheMonthsLastDay)
{
    EXPECT_EQ(add_months(d("2026-01-31"), 1), d("2026-02-28")); // docs/rules.md C-1's own example
    EXPECT_EQ(add_months(d("2024-01-31"), 1), d("2024-02-29")); // leap year
    EXPECT_EQ(add_months(d("2024-02-29"), 12), d("2025-02-28"));
    EXPECT_EQ(add_months(d("2024-02-29"), 48), d("2028-02-29"));
    EXPECT_EQ(add_months(d("2026-08-31"), 6), d("2027-02-28"));
    EXPECT_EQ(add_months(d("2026-03-31"), -1), d("2026-02-28"));
    EXPECT_EQ(add_months(d("2026-12-15"), 1), d("2027-01-15"));
    EXPECT_EQ(add_months(d("2026-01-05"), 36), d("2029-01-05"));
}

TEST(Date, MonthSpansIncludeBothEnds)
{
    const auto span = months_from(d("2026-01-05"), 8);
    EXPECT_EQ(span.first, d("2026-01-05"));
    EXPECT_EQ(span.last, d("2026-09-04"));
    EXPECT_EQ(months_from(d("2024-01-01"), 12).days(), 366);
    EXPECT_EQ(months_from(d("2025-01-01"), 12).days(), 365);
}

// Every day of the range prints as the calendar says (std::chrono and printf as the reference), through iso(),
// the host's dates::iso and a finding's formatted words alike; and parses back to itself.
TEST(Date, EveryDayOfTheRangePrintsAsTheCalendarSays)
{
    for (int32_t days = JC_DATE_MIN; days <= JC_DATE_MAX; ++days) {
        const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
        char expected[16];
        std::snprintf(expected, sizeof expected, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
        const Date date{days};
        ASSERT_EQ(date.iso(), expected) << days;
        ASSERT_EQ(jobcoach::dates::iso(days), expected) << days;
        ASSERT_EQ(fmt::format(FMT_COMPILE("{}"), date), expected) << days;
        ASSERT_EQ(fmt::format("due {}.", date), std::string("due ") + expected + ".") << days;
        ASSERT_EQ(Date::parse(expected), date) << expected;
    }
    // Outside any valid date (only ever in a message): the year as a number, never cut to four digits.
    EXPECT_EQ(Date{-800000}.iso(), "-221-09-04");
    EXPECT_EQ(Date{3000000}.iso(), "10183-09-21");
}
