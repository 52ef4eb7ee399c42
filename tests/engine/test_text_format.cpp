// SPDX-License-Identifier: Apache-2.0
// JC_FORMAT (text_format.hpp): the findings' words made from a format string split at compile time read as fmt's
// "{}" would write them, for every kind of field the rules pass, appended to what a text already holds.
#include <jobcoach/rules/finding.hpp>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <climits>
#include <cstdint>
#include <string>
#include <string_view>

using jobcoach::rules::Date;
using jobcoach::rules::format_into;
using jobcoach::rules::format_text;

TEST(TextFormat, IntegersReadAsFmtWritesThemAtTheEndsOfTheirRanges)
{
    for (const int64_t v : {int64_t{0}, int64_t{-1}, int64_t{7}, int64_t{-600000}, INT64_MAX, INT64_MIN})
        ASSERT_EQ(format_text(JC_FORMAT("a {} b"), v), fmt::format("a {} b", v)) << v;
    for (const int32_t v : {INT32_MIN, INT32_MAX, 0})
        ASSERT_EQ(format_text(JC_FORMAT("{}"), v), fmt::format("{}", v)) << v;
    EXPECT_EQ(format_text(JC_FORMAT("{} / {}"), size_t{18446744073709551615u}, uint32_t{4294967295u}),
              "18446744073709551615 / 4294967295");
}

TEST(TextFormat, TextsDatesAndOtherFieldsReadAsFmtWritesThem)
{
    const std::string owned = "uwv-extern";
    const std::string_view view = "period#2";
    const char *pointer = "E-0000001";
    const Date leap_day{19782}; // 2024-02-29
    EXPECT_EQ(format_text(JC_FORMAT("{}|{}|{}|{}|{}"), owned, view, pointer, "literal", 'x'),
              "uwv-extern|period#2|E-0000001|literal|x");
    EXPECT_EQ(format_text(JC_FORMAT("on {}."), leap_day), "on 2024-02-29.");
    EXPECT_EQ(format_text(JC_FORMAT("on {}"), Date{0}), "on 1970-01-01");
    for (const double d : {0.15, 15.0, 7.5, 1e-5, 123456789.125, -2.5})
        ASSERT_EQ(format_text(JC_FORMAT("{} %"), d), fmt::format("{} %", d)) << d;
    EXPECT_EQ(format_text(JC_FORMAT("{} and {}"), true, false), "true and false");
    EXPECT_EQ(format_text(JC_FORMAT("{}{}"), std::string(), std::string_view()), "");
}

TEST(TextFormat, EscapedBracesAndLiteralPiecesAroundFieldsAreKept)
{
    EXPECT_EQ(format_text(JC_FORMAT("{{days}} = {}"), 3), "{days} = 3");
    EXPECT_EQ(format_text(JC_FORMAT("{}}}{{{}"), 1, 2), "1}{2");
    EXPECT_EQ(format_text(JC_FORMAT("no fields at all")), "no fields at all");
    EXPECT_EQ(format_text(JC_FORMAT("{}{}{}"), 1, "", 3), "13");
    EXPECT_EQ(format_text(JC_FORMAT("Budget van {} overschreden: {} € gebruikt"), "periode 1", 12),
              "Budget van periode 1 overschreden: 12 € gebruikt");
}

TEST(TextFormat, IntoReplacesWhatATextHeldAndExplainAppendsALine)
{
    std::string text(500, 'z'); // a recycled finding's member: longer than the new text
    format_into(text, JC_FORMAT("{} day(s)"), 14);
    EXPECT_EQ(text, "14 day(s)");
    format_into(text, JC_FORMAT("{}"), std::string(300, 'y'));
    EXPECT_EQ(text, std::string(300, 'y'));

    jobcoach::rules::Finding f;
    f.explain("first", JC_FORMAT("{} on {}: {} min"), "T-1", Date{0}, 90);
    f.explain("second", JC_FORMAT("#{}"), 2);
    EXPECT_EQ(f.explanation, "first: T-1 on 1970-01-01: 90 min\nsecond: #2");
}
