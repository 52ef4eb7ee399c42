// SPDX-License-Identifier: Apache-2.0
// Event files: every problem named by line and field.
#include <jobcoach/dates.hpp>
#include <jobcoach/host/event_file.hpp>
#include <jobcoach/host/json.hpp>

#include <gtest/gtest.h>

using jobcoach::host::parse_events;

TEST(EventFile, ParsesEveryTypeAndSkipsCommentsAndBlankLines)
{
    const auto f = parse_events(
        "# comment\n\n"
        R"({"id":"c1","type":"contract.started","employee":"E-1","date":"2026-01-05","employer":"ACME","weekly_hours":20.5,"end":"2026-09-04","unknown":1})" "\n"
        R"({"id":"t1","type":"timesheet.logged","employee":"E-1","date":"2026-01-12","hours":1.5})" "\n"
        R"({"id":"x1","type":"contract.changed","employee":"E-1","date":"2026-03-01","end":null})" "\n");
    ASSERT_TRUE(f.errors.empty()) << f.errors[0].message;
    ASSERT_EQ(f.events.size(), 3u);
    EXPECT_EQ(f.events[0].weekly_minutes, 1230);
    EXPECT_EQ(jobcoach::dates::iso(f.events[0].end), "2026-09-04");
    EXPECT_EQ(f.events[0].line, 3);
    EXPECT_EQ(f.events[1].minutes, 90);
    EXPECT_EQ(f.events[2].end_change, JC_END_OPEN);
}

TEST(EventFile, NamesTheLineAndTheField)
{
    const auto f = parse_events(
        R"({"id":"c1","type":"contract.started","employee":"E-1","date":"2026-01-05","employer":"ACME","weekly_hours":-3})" "\n"
        R"({"id":"t1","type":"timesheet.logged","employee":"E-1","date":"2026-02-30","minutes":30})" "\n"
        R"({"id":"t2","type":"timesheet.logged","employee":"E-1","date":"2026-02-03","minutes":1441})" "\n"
        R"({"id":"t3","type":"timesheet.logged","employee":"E-1","date":"2026-02-03","minutes":"30"})" "\n"
        R"({"id":"t4","type":"coffee.break","employee":"E-1","date":"2026-02-03"})" "\n"
        R"({"id":"t5","type":"timesheet.logged","date":"2026-02-03","minutes":30})" "\n"
        "{not json\n");
    ASSERT_EQ(f.errors.size(), 7u);
    EXPECT_EQ(f.errors[0].line, 1u);
    EXPECT_EQ(f.errors[0].field, "weekly_hours");
    EXPECT_EQ(f.errors[1].field, "date");
    EXPECT_EQ(f.errors[2].field, "minutes");
    EXPECT_EQ(f.errors[3].field, "minutes");
    EXPECT_EQ(f.errors[4].field, "type");
    EXPECT_EQ(f.errors[5].field, "employee");
    EXPECT_EQ(f.errors[6].line, 7u);
    EXPECT_TRUE(f.events.empty());
}

// JSON strings as the demo writes them (findings, reports): the characters JSON reserves and every control
// character escaped, everything else as it is (UTF-8 included), also at either end and between escapes.
TEST(JsonEscape, EscapesWhatJsonReservesAndKeepsTheRest)
{
    using jobcoach::host::json_escape;
    EXPECT_EQ(json_escape(""), "");
    EXPECT_EQ(json_escape("plain text, 12 € café"), "plain text, 12 € café");
    EXPECT_EQ(json_escape("\"quoted\" \\ back"), "\\\"quoted\\\" \\\\ back");
    EXPECT_EQ(json_escape("a\nb\rc\td"), "a\\nb\\rc\\td");
    EXPECT_EQ(json_escape(std::string("\x01x\x1f\x7f", 4)), "\\u0001x\\u001f\x7f");
    EXPECT_EQ(json_escape("\"\""), "\\\"\\\"");
    EXPECT_EQ(json_escape(std::string(1, '\0')), "\\u0000");
    // Long runs (read eight bytes at a time) with one to escape at every place of an eight-byte word.
    for (size_t at = 0; at < 24; ++at)
        for (const char c : {'"', '\\', '\n', '\x1f', '\x7f', 'x'}) {
            std::string text(30, 'a');
            text[at] = c;
            std::string expected = text.substr(0, at);
            expected += c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\x1f' ? "\\u001f" : std::string(1, c);
            expected += text.substr(at + 1);
            EXPECT_EQ(json_escape(text), expected) << at << " " << static_cast<int>(c);
            std::string appended = "{";
            jobcoach::host::json_escape_to(appended, text);
            EXPECT_EQ(appended, "{" + expected);
        }
}
