// SPDX-License-Identifier: Apache-2.0
// docs/rules.md C-1: dates, add_months clamping, spans.
#include <jobcoach/rules/date.hpp>

#include <gtest/gtest.h>
#include <jobcoach/types.h>

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
