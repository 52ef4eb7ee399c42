// SPDX-License-Identifier: Apache-2.0
// The report writers (host_demo/src/report.hpp, output.hpp): iCalendar lines and their folding, which due dates
// go into the calendar (the day before, on and after the report date), stable UIDs, HTML escaping, CSV with
// either separator, and the lead times and warning threshold the plugins give through jc.status/1.
#include "output.hpp"
#include "report.hpp"

#include <jobcoach/dates.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace jobcoach;

namespace {

jc_date day(const char *iso) { return *dates::parse(iso); }

host::TrajectoryStatus trajectory(std::string employee, std::vector<host::TrajectoryStatus::Due> dues)
{
    host::TrajectoryStatus t;
    t.employee = std::move(employee);
    t.scheme = "uwv-extern";
    t.number = 1;
    t.level = "midden";
    t.close_reason = "max-duration";
    t.start = day("2025-01-06");
    t.max_end = t.close = day("2027-01-05");
    t.max_end_lead_days = 90;
    t.dues = std::move(dues);
    return t;
}

host::TrajectoryStatus::Due due(const char *date, int32_t number, bool satisfied = false)
{
    return {"uwv-extern.period-report", "period-report", number, day(date), satisfied, {}, satisfied ? -1 : 14, {}, {}};
}

host::Finding finding(std::string employee, std::string message_en, std::string message_nl)
{
    host::Finding f;
    f.employee = std::move(employee);
    f.scheme = "vpw";
    f.rule = "vpw.hour-cap";
    f.kind = "budget.exceeded";
    f.message_en = std::move(message_en);
    f.message_nl = std::move(message_nl);
    return f;
}

std::string ics(const demo::Report &r, demo::Lang lang = demo::Lang::en)
{
    std::ostringstream out;
    demo::write_ics(out, r, lang);
    return out.str();
}

std::vector<std::string> lines(const std::string &text)
{
    std::vector<std::string> out;
    size_t pos = 0, crlf;
    while ((crlf = text.find("\r\n", pos)) != std::string::npos) {
        out.push_back(text.substr(pos, crlf - pos));
        pos = crlf + 2;
    }
    EXPECT_EQ(pos, text.size()) << "text after the last CRLF";
    return out;
}

// RFC 5545 3.1: a line that starts with a space continues the one before.
std::vector<std::string> unfolded(const std::string &text)
{
    std::vector<std::string> out;
    for (const auto &l : lines(text)) {
        if (!l.empty() && l[0] == ' ')
            out.back() += l.substr(1);
        else
            out.push_back(l);
    }
    return out;
}

size_t count(const std::string &text, const std::string &what)
{
    size_t n = 0;
    for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
        ++n;
    return n;
}

} // namespace

TEST(ReportIcs, DueDatesTheDayBeforeOnAndAfterTheReportDate)
{
    const jc_date as_of = day("2026-11-23");
    auto r = demo::make_report(as_of, {trajectory("E-1", {due("2026-11-22", 1), due("2026-11-23", 2), due("2026-11-24", 3)})}, {});
    const std::string text = ics(r);
    EXPECT_EQ(count(text, "DTSTART;VALUE=DATE:20261122"), 0u) << "overdue: not on its past date";
    EXPECT_EQ(count(text, "DTSTART;VALUE=DATE:20261123"), 2u) << "due on the report date, and the overdue one moved to it";
    EXPECT_EQ(count(text, "SUMMARY:OVERDUE: E-1: period-report #1"), 1u) << text;
    EXPECT_EQ(count(text, "1 day(s) overdue"), 1u);
    EXPECT_EQ(count(text, "DTSTART;VALUE=DATE:20261124"), 1u);
    EXPECT_EQ(count(text, "DTSTART;VALUE=DATE:20270105"), 1u) << "the maximum end";
    EXPECT_EQ(count(text, "BEGIN:VEVENT"), 4u);
    // No alarm before the report date: the 14-day leads of the dues on 11-23 and 11-24 ring on 11-23.
    EXPECT_EQ(count(text, "TRIGGER:-P14D"), 0u);
    EXPECT_EQ(count(text, "TRIGGER:PT0S"), 2u) << "the overdue one and the one due on the report date";
    EXPECT_EQ(count(text, "TRIGGER:-P1D"), 1u) << "due tomorrow: the alarm today";
    EXPECT_EQ(count(text, "TRIGGER:-P90D"), 0u) << "90 days before 2027-01-05 lies before the report date";
    EXPECT_EQ(count(text, "TRIGGER:-P43D"), 1u) << "so the alarm rings on the report date, 43 days before";
    EXPECT_EQ(count(text, "DTEND;VALUE=DATE:20261124"), 2u) << "an all-day event ends the next day (exclusive)";
}

TEST(ReportIcs, SatisfiedDuesAndEndedTrajectoriesAreLeftOut)
{
    auto t = trajectory("E-1", {due("2026-12-01", 1, true), due("2026-12-15", 2)});
    t.close = day("2026-12-31"); // the contract ended before the maximum end: no expiry to warn of
    t.close_reason = "contract-end";
    const std::string text = ics(demo::make_report(day("2026-11-23"), {t}, {}));
    EXPECT_EQ(count(text, "BEGIN:VEVENT"), 1u);
    EXPECT_EQ(count(text, "20261215"), 1u);
    EXPECT_EQ(count(text, "20261201"), 0u);
}

TEST(ReportIcs, UidsAreStableWhenTheDateMovesAndDifferPerDuty)
{
    const auto before = unfolded(ics(demo::make_report(day("2026-11-23"), {trajectory("E-1", {due("2026-12-01", 1), due("2027-06-01", 2)})}, {})));
    const auto after = unfolded(ics(demo::make_report(day("2026-11-30"), {trajectory("E-1", {due("2026-12-08", 1), due("2027-06-01", 2)})}, {})));
    auto uids = [](const std::vector<std::string> &ls) {
        std::vector<std::string> out;
        for (const auto &l : ls)
            if (l.rfind("UID:", 0) == 0)
                out.push_back(l);
        return out;
    };
    ASSERT_EQ(uids(before).size(), 3u);
    EXPECT_EQ(uids(before), uids(after)) << "the same duties, one with a moved date: the same UIDs";
    EXPECT_NE(uids(before)[0], uids(before)[1]);
    const auto other = uids(unfolded(ics(demo::make_report(day("2026-11-23"), {trajectory("E-2", {due("2026-12-01", 1)})}, {}))));
    EXPECT_NE(other[0], uids(before)[0]) << "another employee: another UID";
}

TEST(ReportIcs, LongLinesFoldAt75OctetsNeverInsideAUtf8Character)
{
    // A 128-byte employee key of two-byte characters makes SUMMARY and DESCRIPTION long.
    std::string key;
    for (int i = 0; i < 64; ++i)
        key += "\xc3\xa9"; // é
    const std::string text = ics(demo::make_report(day("2026-11-23"), {trajectory(key, {due("2026-12-01", 1)})}, {}));
    size_t folded = 0;
    for (const auto &l : lines(text)) {
        EXPECT_LE(l.size(), 75u) << l;
        folded += !l.empty() && l[0] == ' ';
        if (l.size() > 1) { // a fold never leaves a continuation byte at the start of a line
            const unsigned char first = static_cast<unsigned char>(l[0] == ' ' ? l[1] : l[0]);
            EXPECT_NE(first & 0xC0, 0x80) << l;
        }
    }
    EXPECT_GT(folded, 2u);
    bool found = false;
    for (const auto &l : unfolded(text))
        found = found || l == "SUMMARY:" + key + ": period-report #1 (uwv-extern)";
    EXPECT_TRUE(found) << "unfolding gives the whole SUMMARY back";
}

TEST(ReportIcs, TextIsEscapedAndTheLanguageChosen)
{
    const std::string en = ics(demo::make_report(day("2026-11-23"), {trajectory("E;1,x", {due("2026-12-01", 1)})}, {}));
    EXPECT_EQ(count(en, "SUMMARY:E\\;1\\,x: period-report #1 (uwv-extern)"), 1u) << en;
    const std::string nl = ics(demo::make_report(day("2026-11-23"), {trajectory("E-1", {})}, {}), demo::Lang::nl);
    EXPECT_EQ(count(nl, "bereikt de maximale duur"), 2u) << nl;
    EXPECT_EQ(count(nl, "reaches its maximum end"), 0u);
}

TEST(ReportHtml, KeysAndMessagesAreEscaped)
{
    host::Finding f = finding("<b>E&1</b>", "over \"the\" cap <by> 2 h", "boven het plafond");
    f.severity = JC_SEVERITY_HIGH;
    f.due = day("2026-11-30");
    std::ostringstream out;
    demo::write_html(out, demo::make_report(day("2026-11-23"), {trajectory(f.employee, {due("2026-12-01", 1)})}, {f}),
                     demo::Lang::en);
    const std::string page = out.str();
    EXPECT_EQ(page.find("<b>E&1</b>"), std::string::npos);
    EXPECT_NE(page.find("&lt;b&gt;E&amp;1&lt;/b&gt;"), std::string::npos);
    EXPECT_NE(page.find("over &quot;the&quot; cap &lt;by&gt; 2 h"), std::string::npos);
    EXPECT_EQ(page.find("boven het plafond"), std::string::npos) << "--lang en shows the English message";
    EXPECT_EQ(count(page, "<svg class=\"timeline\""), 1u);
    EXPECT_EQ(count(page, "class=\"finding\""), 1u);
    EXPECT_EQ(count(page, "class=\"due\""), 1u);
}

TEST(ReportHtml, BudgetBarsAt80And100PercentChangeColour)
{
    auto t = trajectory("E-1", {});
    for (int used : {7900, 8000, 10000, 10001})
        t.budgets.push_back({"uwv-extern.budget", "period#" + std::to_string(used), "basis", t.start, t.start + 100, 10000,
                             used, false, 80, {}});
    std::ostringstream out;
    demo::write_html(out, demo::make_report(day("2026-11-23"), {t}, {finding("E-1", "m", "n")}), demo::Lang::en);
    const std::string page = out.str();
    EXPECT_NE(page.find("width:79%;background:#2e8b3a"), std::string::npos) << "79 %: green";
    EXPECT_NE(page.find("width:80%;background:#e0a100"), std::string::npos) << "exactly 80 %: amber";
    EXPECT_NE(page.find("width:100%;background:#e0a100"), std::string::npos) << "exactly 100 %: still within";
    EXPECT_NE(page.find("width:100%;background:#c62828"), std::string::npos) << "one minute over: red";
}

// The report opens with the triage: every finding that warns or worse, late ones (past their date, high or
// critical) first, then by severity and date; information after. Employees with findings get a section (timeline,
// budgets, findings); the others a line each, so that a large tenant's page grows by a line, not a timeline.
TEST(ReportHtml, TriageFirstLateThenSevereThenSoonest)
{
    auto make = [](std::string employee, int32_t severity, const char *due, std::string kind, std::string message) {
        host::Finding f = finding(std::move(employee), std::move(message), "nl");
        f.severity = severity;
        f.due = day(due);
        f.kind = std::move(kind);
        return f;
    };
    const std::vector<host::Finding> findings = {
        make("E-1", JC_SEVERITY_WARNING, "2026-11-30", "report.due", "warning soon"),
        make("E-2", JC_SEVERITY_HIGH, "2026-12-31", "budget.exceeded", "high later"),
        make("E-3", JC_SEVERITY_HIGH, "2026-11-20", "report.overdue", "late three days"),
        make("E-4", JC_SEVERITY_INFO, "2026-11-24", "visit.due", "info only"),
        make("E-5", JC_SEVERITY_CRITICAL, "2026-11-22", "coaching.outside_trajectory", "critical yesterday"),
        make("E-6", JC_SEVERITY_WARNING, "2026-11-25", "report.due", "warning sooner"),
    };
    auto quiet = trajectory("E-7", {});
    std::ostringstream out;
    demo::write_html(out, demo::make_report(day("2026-11-23"), {quiet}, findings), demo::Lang::en);
    const std::string page = out.str();
    std::vector<size_t> at;
    for (const char *m : {"critical yesterday", "late three days", "high later", "warning sooner", "warning soon<", "info only"})
        at.push_back(page.find(m));
    for (size_t i = 0; i < at.size(); ++i)
        ASSERT_NE(at[i], std::string::npos) << i;
    EXPECT_TRUE(std::is_sorted(at.begin(), at.end())) << page;
    EXPECT_LT(page.find("Needs action (5)"), page.find("For information (1)"));
    EXPECT_LT(page.find("For information (1)"), page.find("<section class=\"employee\""));
    EXPECT_NE(page.find("3 days late (2026-11-20)"), std::string::npos) << "a report is late";
    EXPECT_NE(page.find("since 2026-11-22 (1 day ago)"), std::string::npos) << "an event is not 'late'";
    EXPECT_NE(page.find("in 7 days (2026-11-30)"), std::string::npos);
    EXPECT_EQ(count(page, "<section class=\"employee\""), 6u);
    EXPECT_EQ(count(page, "<svg class=\"timeline\""), 6u) << "no timeline for the employee without findings";
    EXPECT_NE(page.find("<tr id=\"e-E-7\"><td>E-7</td><td>uwv-extern #1 2025-01-06 to 2027-01-05</td></tr>"), std::string::npos)
        << "E-7, without findings, is a line";
    EXPECT_NE(page.find("<meta name=\"viewport\""), std::string::npos);
    EXPECT_NE(page.find("@page{size:A4"), std::string::npos);
}

TEST(ReportHtml, WebAddressesInSourcesAreLinks)
{
    host::Finding f = finding("E-1", "m", "n");
    f.source = "Protocol Jobcoach UWV 2014 (P14) A.5, https://wetten.overheid.nl/BWBR0035263; S000 (no address)";
    std::ostringstream out;
    demo::write_html(out, demo::make_report(day("2026-11-23"), {}, {f}), demo::Lang::en);
    EXPECT_NE(out.str().find("A.5, <a href=\"https://wetten.overheid.nl/BWBR0035263\">https://wetten.overheid.nl/BWBR0035263</a>; "
                             "S000 (no address)"),
              std::string::npos)
        << out.str();
}

// The threshold is the one each span's plugin gives (jc.status/1, valid on the span's start), not one number for
// the page: a span at 85 % is amber under 80 % and green under 90 %; a plugin older than ABI 1.3 gives none, and
// its bars are green up to 100 %.
TEST(ReportHtml, EachBarUsesTheWarningThresholdItsPluginGives)
{
    auto t = trajectory("E-1", {});
    t.budgets.push_back({"uwv-extern.budget", "period#1", "basis", day("2026-07-01"), day("2026-12-31"), 10000, 8500, false, 80, {}});
    t.budgets.push_back({"uwv-extern.budget", "period#2", "basis", day("2027-01-01"), day("2027-06-30"), 10000, 8600, true, 90, {}});
    t.budgets.push_back({"uwv-extern.budget", "period#3", "basis", day("2027-07-01"), day("2027-12-31"), 10000, 9900, false, 0, {}});
    std::ostringstream out;
    demo::write_html(out, demo::make_report(day("2027-02-01"), {t}, {finding("E-1", "m", "n")}), demo::Lang::en);
    EXPECT_NE(out.str().find("width:85%;background:#e0a100"), std::string::npos) << "80 %: amber";
    EXPECT_NE(out.str().find("width:86%;background:#2e8b3a"), std::string::npos) << "90 %: green";
    EXPECT_NE(out.str().find("width:99%;background:#2e8b3a"), std::string::npos) << "no threshold given: green";
}

// A span's subject and days in the page's language: "periode 2", "jaar 1", "… t/m …" on a Dutch page, "period 2",
// "year 1", "… to …" on an English one; a subject of another form as the plugin gives it. A due date on the
// timeline is named by its duty's title in that language, as the calendar names it, and by its kind where the
// plugin gives no title.
TEST(ReportHtml, SpansReadInThePagesLanguage)
{
    auto titled = due("2026-12-01", 3);
    titled.title_nl = "Verantwoordingsrapportage aan UWV";
    titled.title_en = "Period report to UWV";
    auto t = trajectory("E-1", {titled, due("2027-06-01", 4)});
    t.budgets.push_back({"uwv-extern.budget", "period#2", "basis", day("2026-07-01"), day("2026-12-31"), 10000, 500, true, 80, {}});
    t.budgets.push_back({"vpw.hour-cap", "year#1", "basis", day("2027-01-01"), day("2027-12-31"), 10000, 500, false, 80, {}});
    t.budgets.push_back({"x.budget", "block#", "basis", day("2028-01-01"), day("2028-12-31"), 10000, 500, false, 80, {}});
    const auto report = demo::make_report(day("2026-11-23"), {t}, {finding("E-1", "m", "n")});
    std::ostringstream nl, en;
    demo::write_html(nl, report, demo::Lang::nl);
    demo::write_html(en, report, demo::Lang::en);
    EXPECT_NE(nl.str().find("<td>periode 2</td><td>2026-07-01 t/m 2026-12-31</td>"), std::string::npos) << nl.str();
    EXPECT_NE(nl.str().find("<td>jaar 1</td><td>2027-01-01 t/m 2027-12-31</td>"), std::string::npos);
    EXPECT_NE(nl.str().find("<td>block#</td><td>2028-01-01 t/m 2028-12-31</td>"), std::string::npos);
    EXPECT_NE(en.str().find("<td>period 2</td><td>2026-07-01 to 2026-12-31</td>"), std::string::npos) << en.str();
    EXPECT_NE(en.str().find("<td>year 1</td><td>2027-01-01 to 2027-12-31</td>"), std::string::npos);
    for (const std::string &page : {nl.str(), en.str()}) {
        EXPECT_EQ(page.find("period#"), std::string::npos);
        EXPECT_EQ(page.find(" .. "), std::string::npos);
    }
    EXPECT_NE(nl.str().find("<title>2026-12-01 Verantwoordingsrapportage aan UWV #3: open"), std::string::npos);
    EXPECT_NE(en.str().find("<title>2026-12-01 Period report to UWV #3: open"), std::string::npos);
    EXPECT_NE(en.str().find("<title>2027-06-01 period-report #4: open"), std::string::npos) << "no title: the kind";
}

// An alarm at the lead the plugin's rule uses for that due (a visit's 7 days, a report's 14), none where the plugin
// gives none (a plugin older than ABI 1.3).
TEST(ReportIcs, AlarmsAtTheLeadEachDueCarries)
{
    auto visit = due("2026-12-01", 1);
    visit.kind = "visit";
    visit.lead_days = 7;
    auto older = due("2026-12-15", 2);
    older.lead_days = -1;
    auto t = trajectory("E-1", {visit, older, due("2027-01-01", 3)});
    t.max_end_lead_days = -1;
    const std::string text = ics(demo::make_report(day("2026-11-23"), {t}, {}));
    EXPECT_EQ(count(text, "BEGIN:VEVENT"), 4u);
    EXPECT_EQ(count(text, "BEGIN:VALARM"), 2u) << text;
    EXPECT_EQ(count(text, "TRIGGER:-P7D"), 1u);
    EXPECT_EQ(count(text, "TRIGGER:-P14D"), 1u);
}

TEST(ReportCsv, EitherSeparatorQuotesWhatItMust)
{
    host::Finding f = finding("E-1", "a, b; c", "say \"x\"");
    std::ostringstream comma, semicolon;
    demo::write_csv(comma, {f}, false, ',');
    demo::write_csv(semicolon, {f}, false, ';');
    EXPECT_NE(comma.str().find(",\"a, b; c\",\"say \"\"x\"\"\","), std::string::npos) << comma.str();
    EXPECT_NE(semicolon.str().find(";\"a, b; c\";\"say \"\"x\"\"\";"), std::string::npos) << semicolon.str();
    EXPECT_EQ(semicolon.str().rfind("\xEF\xBB\xBF" "employee;scheme;rule;kind;severity;due", 0), 0u)
        << "a byte-order mark, then the header";
    f.message_en = "a, b";
    std::ostringstream plain;
    demo::write_csv(plain, {f}, false, ';');
    EXPECT_NE(plain.str().find(";a, b;"), std::string::npos) << "with ';' a comma needs no quotes";
}

TEST(ReportCsv, HoursAndEurosBesideTheRawNumbersInTheLanguagesNotation)
{
    host::Finding f = finding("E-1", "m", "n");
    f.observed_minutes = 1375; // 22 h 55 min: 22.91 h (floored, as the messages show it)
    f.limit_minutes = 1200;
    f.amount_cents = 270000;
    std::ostringstream en, nl_comma, nl_semicolon;
    demo::write_csv(en, {f}, false, ',', demo::Lang::en);
    demo::write_csv(nl_comma, {f}, false, ',', demo::Lang::nl);
    demo::write_csv(nl_semicolon, {f}, false, ';', demo::Lang::nl);
    EXPECT_NE(en.str().find("observed_minutes,limit_minutes,amount_cents,observed_hours,limit_hours,amount_eur,"),
              std::string::npos) << en.str();
    EXPECT_NE(en.str().find(",1375,1200,270000,22.91,20.00,2700.00,"), std::string::npos) << en.str();
    EXPECT_NE(nl_comma.str().find(",1375,1200,270000,\"22,91\",\"20,00\",\"2700,00\","), std::string::npos)
        << "a decimal comma is quoted where ',' separates: " << nl_comma.str();
    EXPECT_NE(nl_semicolon.str().find(";1375;1200;270000;22,91;20,00;2700,00;"), std::string::npos) << nl_semicolon.str();
    f.observed_minutes = 59; // 0.98 h, not 0.99 and not 1.00
    f.limit_minutes.reset();
    f.amount_cents = 5;
    std::ostringstream small;
    demo::write_csv(small, {f}, false, ',', demo::Lang::en);
    EXPECT_NE(small.str().find(",59,,5,0.98,,0.05,"), std::string::npos) << small.str();
}

TEST(ReportCsv, CellsASpreadsheetWouldTakeForFormulasAreNeutralised)
{
    host::Finding f = finding("=HYPERLINK(\"http://x\")", "+31 6", "@SUM(A1)");
    f.subject = "-1";
    f.employer = "\tW";
    f.amount_cents = -250; // a number stays a number
    std::ostringstream out;
    demo::write_csv(out, {f}, false, ',');
    const std::string text = out.str();
    EXPECT_NE(text.find("\r\n\"'=HYPERLINK(\"\"http://x\"\")\","), std::string::npos) << text;
    EXPECT_NE(text.find(",\"'-1\","), std::string::npos) << text;
    EXPECT_NE(text.find(",-250,"), std::string::npos) << text;
    EXPECT_NE(text.find(",-2.50,"), std::string::npos) << "euros too: " << text;
    EXPECT_NE(text.find(",\"'\tW\","), std::string::npos) << text;
    EXPECT_NE(text.find(",\"'+31 6\",\"'@SUM(A1)\","), std::string::npos) << text;
    f = finding("E-1", "a-b", "x=y"); // only a first character counts
    std::ostringstream plain;
    demo::write_csv(plain, {f}, false, ',');
    EXPECT_NE(plain.str().find(",a-b,x=y,"), std::string::npos) << plain.str();
}

TEST(Wrap, CutsAtSpacesCountsCharactersNotBytesAndCutsOnlyWordsWiderThanALine)
{
    using V = std::vector<std::string>;
    EXPECT_EQ(demo::wrap("aaa bbb ccc", 7), (V{"aaa bbb", "ccc"}));
    EXPECT_EQ(demo::wrap("aaa bbb ccc", 6), (V{"aaa", "bbb", "ccc"}));
    EXPECT_EQ(demo::wrap("€€€ ééé", 7), (V{"€€€ ééé"})) << "7 characters, 13 bytes: one line";
    EXPECT_EQ(demo::wrap("abcdefghij xy", 4), (V{"abcd", "efgh", "ij", "xy"})) << "only a word wider than a line is cut";
    EXPECT_EQ(demo::wrap("€€€€€", 2), (V{"€€", "€€", "€"})) << "never inside a UTF-8 sequence";
    EXPECT_EQ(demo::wrap("a  b", 10), (V{"a  b"})) << "spaces in a row are kept";
    EXPECT_EQ(demo::wrap("one\ntwo", 10), (V{"one", "two"}));
    EXPECT_EQ(demo::wrap("", 10), (V{""}));
}

// A large tenant: the page shows the most urgent findings and employees in full and every other employee with
// findings as a line (its count and most urgent finding), so it grows by a line per employee, not a timeline.
TEST(ReportHtml, ALargeTenantsPageIsBoundedAndStillNamesEveryEmployee)
{
    std::vector<host::Finding> findings;
    for (const char *key : {"E-1", "E-2", "E-3"}) {
        host::Finding f = finding(key, std::string("late at ") + key, "nl");
        f.severity = key == std::string("E-2") ? JC_SEVERITY_CRITICAL : JC_SEVERITY_HIGH;
        f.due = day("2026-11-01");
        f.kind = "report.overdue";
        f.title_en = "Period report to UWV";
        findings.push_back(f);
    }
    std::ostringstream out;
    demo::write_html(out, demo::make_report(day("2026-11-23"), {}, findings), demo::Lang::en, demo::PageLimits{2, 1});
    const std::string page = out.str();
    EXPECT_EQ(count(page, "<li class=\"late\""), 2u) << "the two most urgent in the triage";
    EXPECT_NE(page.find("And 1 more, less urgent"), std::string::npos);
    EXPECT_LT(page.find("late at E-2"), page.find("late at E-1")) << "critical first";
    EXPECT_EQ(count(page, "<section class=\"employee\""), 1u);
    EXPECT_NE(page.find("<section class=\"employee\" id=\"e-E-2\">"), std::string::npos) << "the most urgent employee in full";
    EXPECT_NE(page.find("More employees with findings (2)"), std::string::npos);
    EXPECT_NE(page.find("<tr id=\"e-E-1\"><td>E-1</td><td>1</td>"), std::string::npos) << page;
    EXPECT_NE(page.find("Period report to UWV, 22 days late (2026-11-01)"), std::string::npos) << "the line says what and when";
}

TEST(Wrap, NoLineEndsInASpace)
{
    using V = std::vector<std::string>;
    EXPECT_EQ(demo::wrap("aaa  bbb", 4), (V{"aaa", "bbb"}));
    EXPECT_EQ(demo::wrap("aaa   ", 10), (V{"aaa"}));
}
