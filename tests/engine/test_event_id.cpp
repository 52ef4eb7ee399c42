// SPDX-License-Identifier: Apache-2.0
// EventId (event.hpp): an id decoded as its employee's key and a number reads as the text it stands for, tells
// its length and last two bytes without making that text, and is copied with its text, never with the key's bytes.
#include <jobcoach/rules/event.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

using jobcoach::rules::EventId;

TEST(EventId, ANumberedIdReadsAsItsKeyADashAndItsNumber)
{
    const std::string key = "E-0000001";
    for (const uint64_t n : {uint64_t{0}, uint64_t{7}, uint64_t{10}, uint64_t{17}, uint64_t{999999999999999999u},
                             UINT64_MAX}) {
        EventId id;
        id.set_numbered(key, n);
        const std::string text = key + "-" + std::to_string(n);
        ASSERT_EQ(id.size(), text.size()) << n; // told before the text is made
        ASSERT_EQ(id.last_two(), EventId::last_two(text)) << n;
        ASSERT_EQ(id.last_two() & 0xff, static_cast<unsigned char>(text.back())) << n;
        ASSERT_FALSE(id.empty());
        ASSERT_EQ(id.str(), text) << n;
        ASSERT_EQ(id.size(), text.size()) << n; // and after
        ASSERT_TRUE(id == std::string_view(text));
    }
}

TEST(EventId, ACopyKeepsTheTextWhenTheKeyIsGone)
{
    std::string key = "E-0000002";
    EventId id;
    id.set_numbered(key, 35);
    const EventId copy = id; // before the original's text was made
    EventId assigned;
    assigned = id;
    key.assign("X-XXXXXXX"); // the row's key written over, as the next employee's
    EXPECT_EQ(copy.str(), "E-0000002-35");
    EXPECT_EQ(assigned.str(), "E-0000002-35");
}

TEST(EventId, ATextSetOverANumberedIdReplacesIt)
{
    EventId id;
    id.set_numbered("E-0000003", 4);
    id = "grant-1";
    EXPECT_EQ(id.size(), 7u);
    EXPECT_EQ(id.last_two(), ('-' << 8) | '1');
    EXPECT_EQ(EventId::last_two("x"), 'x');
    EXPECT_EQ(EventId::last_two(""), 0);
    EXPECT_EQ(id.str(), "grant-1");
    id.set_numbered("E-0000003", 5);
    EXPECT_EQ(id.str(), "E-0000003-5");
    id.text_to_write() = "written";
    EXPECT_EQ(id.str(), "written");
    EXPECT_TRUE(EventId().empty());
}
