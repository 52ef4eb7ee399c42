// SPDX-License-Identifier: Apache-2.0
// Finding identity (docs/formats.md `id`, `trajectory`): the same instance keeps its id across evaluation dates and
// across a change of kind; different instances never share one.
#include "engine/fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <map>
#include <set>

using namespace jobcoach::test;
using jobcoach::rules::finding_id;

namespace {

const Finding *first_of(const std::vector<Finding> &all, const std::string &rule, const std::string &kind)
{
    for (const auto &f : all)
        if (f.rule == rule && f.kind == kind)
            return &f;
    return nullptr;
}

} // namespace

TEST(FindingIdentity, AReportKeepsItsIdFromDueToOverdue)
{
    Scenario s;
    s.contract("2026-01-05", 20, "2026-09-04");
    s.grant("2026-01-05");
    // period-report#1 is due on 2026-10-02 (UwvExternPeriod.SeedExample…): the day before, on, and after.
    std::set<std::string> ids;
    for (const char *as_of : {"2026-10-01", "2026-10-02"}) {
        const auto due = s.of(as_of, "uwv-extern.period-report", "report.due");
        ASSERT_EQ(due.size(), 1u) << as_of;
        EXPECT_EQ(due[0].trajectory, 1);
        ids.insert(due[0].id);
    }
    const auto overdue = s.of("2026-10-03", "uwv-extern.period-report", "report.overdue");
    ASSERT_EQ(overdue.size(), 1u);
    ids.insert(overdue[0].id);
    EXPECT_EQ(ids.size(), 1u) << "report.due and report.overdue of one instance are one finding";
    EXPECT_THAT(*ids.begin(), ::testing::MatchesRegex("[0-9a-f]{16}"));
}

TEST(FindingIdentity, AWarningThatBecomesAnOverrunKeepsItsId)
{
    Scenario s;
    s.contract("2026-01-05", 20);
    s.grant("2026-01-05");
    // One hour a working day until the period's budget is passed: first budget.warning, then budget.exceeded.
    for (int day = 0; day < 150; ++day)
        s.log(jobcoach::rules::add_days(d("2026-01-06"), day).iso().c_str(), 60);
    std::string warning_id, exceeded_id;
    for (int day = 0; day < 150 && exceeded_id.empty(); day += 3) {
        const std::string as_of = jobcoach::rules::add_days(d("2026-01-06"), day).iso();
        const auto all = s.findings(as_of.c_str());
        if (const Finding *w = first_of(all, "uwv-extern.budget", "budget.warning"); w != nullptr && warning_id.empty())
            warning_id = w->id;
        if (const Finding *x = first_of(all, "uwv-extern.budget", "budget.exceeded"); x != nullptr)
            exceeded_id = x->id;
    }
    ASSERT_FALSE(warning_id.empty()) << "the budget passed 80 % without a warning";
    ASSERT_FALSE(exceeded_id.empty()) << "the budget passed 100 % without an overrun";
    EXPECT_EQ(warning_id, exceeded_id);
}

TEST(FindingIdentity, TwoTrajectoriesOfOneEmployeeNeverShareAnId)
{
    Scenario s;
    s.contract("2026-01-05", 20);
    s.grant("2026-01-05");
    s.add(EventType::coaching_ended, "2026-03-31").scheme = "uwv-extern";
    s.grant("2026-06-01");
    s.add(EventType::coaching_ended, "2026-08-31").scheme = "uwv-extern";
    // Each trajectory has a period-report#1 with the same rule and subject; only the trajectory tells them apart.
    std::map<int32_t, std::string> by_trajectory;
    for (const auto &f : s.findings("2027-06-01"))
        if (f.rule == "uwv-extern.period-report" && f.subject == "period-report#1")
            by_trajectory[f.trajectory] = f.id;
    ASSERT_EQ(by_trajectory.size(), 2u);
    EXPECT_EQ(by_trajectory.begin()->first, 1);
    EXPECT_EQ(by_trajectory.rbegin()->first, 2);
    EXPECT_NE(by_trajectory[1], by_trajectory[2]);
}

TEST(FindingIdentity, TheIdIsMadeOfIdentifyingMembersOnly)
{
    Finding f;
    f.employee = "E-1";
    f.scheme = "vpw";
    f.trajectory = 2;
    f.rule = "vpw.hour-cap";
    f.subject = "year#1";
    f.kind = "budget.warning";
    const std::string id = finding_id(f);
    EXPECT_EQ(id, finding_id("E-1", "vpw", 2, "vpw.hour-cap", "year#1"));
    Finding later = f;
    later.kind = "budget.exceeded";
    later.severity = jobcoach::rules::Severity::high;
    later.due = d("2027-01-01");
    later.observed_minutes = 700;
    later.message_en = "other words";
    EXPECT_EQ(finding_id(later), id);
    // Each identifying member changes it; the lengths keep ("E-1", "vpw") apart from ("E-1v", "pw").
    EXPECT_NE(finding_id("E-2", "vpw", 2, "vpw.hour-cap", "year#1"), id);
    EXPECT_NE(finding_id("E-1", "uwv-extern", 2, "vpw.hour-cap", "year#1"), id);
    EXPECT_NE(finding_id("E-1", "vpw", 1, "vpw.hour-cap", "year#1"), id);
    EXPECT_NE(finding_id("E-1", "vpw", 2, "vpw.evaluation", "year#1"), id);
    EXPECT_NE(finding_id("E-1", "vpw", 2, "vpw.hour-cap", "year#2"), id);
    EXPECT_NE(finding_id("E-1v", "pw", 2, "vpw.hour-cap", "year#1"), id);
    // An employer-level finding: the employer and the group concerned, whichever employee it is filed under.
    Finding cluster;
    cluster.employee = "E-1";
    cluster.employer = "ACME";
    cluster.employees = {"E-1", "E-2"};
    cluster.scheme = "wsp-rijnmond";
    cluster.rule = "wsp-rijnmond.cluster";
    cluster.subject = "employer ACME";
    Finding other_group = cluster;
    other_group.employees = {"E-1", "E-3"};
    EXPECT_NE(finding_id(cluster), finding_id(other_group));
    EXPECT_NE(finding_id(cluster), finding_id("E-1", "wsp-rijnmond", 0, "wsp-rijnmond.cluster", "employer ACME"));
}

TEST(FindingIdentity, AStatusDueCarriesTheIdOfTheFindingItGives)
{
    Scenario s;
    s.contract("2026-01-05", 20, "2026-09-04");
    s.grant("2026-01-05");
    const auto due = s.of("2026-10-01", "uwv-extern.period-report", "report.due");
    ASSERT_EQ(due.size(), 1u);
    const auto statuses = s.status("2026-10-01");
    ASSERT_EQ(statuses.size(), 1u);
    std::string from_status;
    for (const auto &dd : statuses[0].dues)
        if (dd.rule == "uwv-extern.period-report" && dd.number == 1)
            from_status = dd.finding_id;
    EXPECT_EQ(from_status, due[0].id);
}

// What a plugin keeps of a reported finding (the lifecycle's state): the explanation is stored as its list of
// lines, as states written before it was held as one string store it, and read back joined by '\n'.
TEST(FindingEncoding, TheExplanationIsStoredAsItsLinesAndReadBackWhole)
{
    auto u64 = [](uint64_t v) {
        std::string out;
        for (int i = 0; i < 8; ++i)
            out += static_cast<char>((v >> (8 * i)) & 0xff);
        return out;
    };
    Finding f;
    f.employee = "E-1";
    f.scheme = "vpw";
    f.rule = "vpw.hour-cap";
    f.kind = "budget.warning";
    for (const std::string &explanation : {std::string(), std::string("used: 10 min"),
                                          std::string("used: 10 min\nlimit: 600 min\nused / limit: 1 %")}) {
        f.explanation = explanation;
        const std::string bytes = jobcoach::rules::encode(f);
        EXPECT_EQ(jobcoach::rules::decode(bytes).explanation, explanation);
        std::vector<std::string> lines;
        for (size_t from = 0; from < explanation.size();) {
            const size_t end = std::min(explanation.find('\n', from), explanation.size());
            lines.push_back(explanation.substr(from, end - from));
            from = end + 1;
        }
        std::string stored = u64(lines.size());
        for (const auto &l : lines)
            stored += u64(l.size()) + l;
        // The list of lines comes right before the four texts of titles and actions (empty here).
        EXPECT_EQ(bytes.substr(bytes.size() - stored.size() - 4 * 8, stored.size()), stored) << explanation;
    }
}

// The change feed's comparison with the record as stored (changes_from_record, which reads each record in place and
// decodes only a resolved one) gives what the comparison of decoded findings gives (changes_between): the same
// changes, in the same order, the resolved ones byte for byte as recorded; an update of each compared member
// (kind, severity, due date, each number, a due date set or gone) is one; a change of words alone is none.
TEST(FindingLifecycle, TheRecordReadInPlaceGivesTheChangesOfTheDecodedRecord)
{
    auto finding = [](const std::string &id) {
        Finding f;
        f.id = id;
        f.employee = "E-1";
        f.scheme = "vpw";
        f.rule = "vpw.hour-cap";
        f.kind = "budget.warning";
        f.severity = jobcoach::rules::Severity::warning;
        f.due = d("2026-03-31");
        f.subject = "year#1";
        f.observed_minutes = 500;
        f.limit_minutes = 600;
        f.message_nl = "Budget jaar 1: 8,33 uur gebruikt";
        f.message_en = "Budget of year 1: 8.33 h used";
        f.source = "Werkwijzer";
        f.explanation = "used: 500 min\nlimit: 600 min";
        f.title_en = "Hour cap";
        f.action_en = "Plan the rest";
        return f;
    };
    std::vector<Finding> before, now;
    std::vector<std::string> expected_updated;
    for (int k = 0; k < 9; ++k) { // one per compared member changed, and one whose words alone changed
        Finding b = finding("id-" + std::to_string(k)), n = b;
        switch (k) {
        case 0: n.kind = "budget.exceeded"; break;
        case 1: n.severity = jobcoach::rules::Severity::high; break;
        case 2: n.due = d("2026-04-01"); break;
        case 3: n.due.reset(); break;
        case 4: n.observed_minutes = 601; break;
        case 5: n.limit_minutes.reset(); break;
        case 6: n.amount_cents = 0; break;
        case 7: b.observed_minutes.reset(); break;
        case 8: n.message_en = "other words"; n.explanation.clear(); n.action_en = ""; break;
        }
        if (k != 8)
            expected_updated.push_back(n.id);
        before.push_back(b);
        now.push_back(n);
    }
    before.push_back(finding("gone-b")); // resolved
    before.back().employees = {"E-2", "E-3"};
    before.back().employer = "W-1";
    before.push_back(finding("gone-a"));
    before.back().observed_minutes.reset();
    now.push_back(finding("fresh")); // new
    std::vector<std::string> recorded;
    for (const auto &f : before)
        recorded.push_back(jobcoach::rules::encode(f));
    std::reverse(now.begin(), now.end()); // in no order: both sort by id
    const auto decoded = jobcoach::rules::changes_between(before, now);
    const auto in_place = jobcoach::rules::changes_from_record(recorded, now);
    ASSERT_EQ(in_place.size(), decoded.size());
    std::vector<std::string> updated;
    for (size_t i = 0; i < decoded.size(); ++i) {
        EXPECT_EQ(in_place[i].change, decoded[i].change) << i;
        EXPECT_EQ(jobcoach::rules::encode(in_place[i].finding), jobcoach::rules::encode(decoded[i].finding)) << i;
        if (in_place[i].change == JC_CHANGE_UPDATED)
            updated.push_back(in_place[i].finding.id);
    }
    EXPECT_EQ(updated, expected_updated);
    const auto unchanged = std::find_if(now.begin(), now.end(), [](const Finding &f) { return f.id == "id-8"; });
    ASSERT_NE(unchanged, now.end()) << "a finding that did not change stays where it was";
    EXPECT_EQ(unchanged->message_en, "other words");
    EXPECT_EQ(in_place.front().finding.id, "fresh");
    EXPECT_EQ(in_place.front().change, JC_CHANGE_NEW);
    ASSERT_EQ(in_place[1].change, JC_CHANGE_RESOLVED);
    EXPECT_EQ(in_place[1].finding.id, "gone-a");
    EXPECT_EQ(in_place[2].finding.employees, (std::vector<std::string>{"E-2", "E-3"}));
    EXPECT_EQ(in_place[2].finding.explanation, "used: 500 min\nlimit: 600 min");
    std::vector<std::string> damaged = {recorded.front().substr(0, 20)};
    EXPECT_THROW(jobcoach::rules::changes_from_record(damaged, {}), std::runtime_error);
}

// Hours in the messages ("12.50 h", "12,50 uur") are written by hand; they read as the fmt pattern they replace,
// for every remainder, for amounts above and below zero (an overrun's "left"), and at the ends of the range.
TEST(FindingWords, HoursReadAsTheirFormatPattern)
{
    std::vector<int64_t> minutes;
    for (int64_t m = -1500; m <= 1500; ++m)
        minutes.push_back(m);
    for (const int64_t m : {int64_t{600000}, int64_t{-600000}, int64_t{1} << 40, -(int64_t{1} << 40), INT64_MAX, INT64_MIN + 60})
        minutes.push_back(m);
    for (const int64_t m : minutes) {
        ASSERT_EQ(jobcoach::rules::hours_en(m), fmt::format("{}.{:02} h", m / 60, (m % 60) * 100 / 60)) << m;
        ASSERT_EQ(jobcoach::rules::hours_nl(m), fmt::format("{},{:02} uur", m / 60, (m % 60) * 100 / 60)) << m;
    }
    EXPECT_EQ(jobcoach::rules::hours_en(750), "12.50 h");
    EXPECT_EQ(jobcoach::rules::hours_nl(61), "1,01 uur");
}

// Evaluating everyone makes an employee's findings in the findings of the employee before (FindingList::add): a
// reset finding is as made anew in every member, whatever it held.
TEST(FindingIdentity, AResetFindingIsAsMadeAnew)
{
    using jobcoach::rules::Finding;
    // A member added to Finding changes its size: Finding::reset must then clear it, and this test set it.
    static_assert(sizeof(Finding) == 704, "a member was added to Finding: clear it in Finding::reset, set it here");
    Finding f;
    f.employee = "E-1";
    f.scheme = "vpw";
    f.rule = "vpw.evaluation";
    f.kind = "report.overdue";
    f.severity = jobcoach::rules::Severity::critical;
    f.due = jobcoach::rules::Date::parse("2024-02-29");
    f.subject = "evaluation#2";
    f.observed_minutes = 1;
    f.limit_minutes = 2;
    f.amount_cents = 3;
    f.message_nl = std::string(200, 'n');
    f.message_en = std::string(200, 'e');
    static const std::string pack_source = "a pack's source";
    f.source.borrow(pack_source); // (borrowed, as evaluating everyone makes them: PackText)
    f.employer = "W-1";
    f.employees = {"E-1", "E-2"};
    f.trajectory = 4;
    f.id = "0123456789abcdef";
    static const std::string pack_title = "titel";
    f.title_nl.borrow(pack_title);
    f.title_en = "title";
    f.action_nl = "actie";
    f.action_en = "action";
    f.explain("line", "value");
    f.explaining = false;
    const size_t kept = f.message_nl.capacity();
    f.reset();
    const Finding anew;
    EXPECT_EQ(f.employee, anew.employee);
    EXPECT_EQ(f.scheme, anew.scheme);
    EXPECT_EQ(f.rule, anew.rule);
    EXPECT_EQ(f.kind, anew.kind);
    EXPECT_EQ(f.severity, anew.severity);
    EXPECT_EQ(f.due, anew.due);
    EXPECT_EQ(f.subject, anew.subject);
    EXPECT_EQ(f.observed_minutes, anew.observed_minutes);
    EXPECT_EQ(f.limit_minutes, anew.limit_minutes);
    EXPECT_EQ(f.amount_cents, anew.amount_cents);
    EXPECT_EQ(f.message_nl, anew.message_nl);
    EXPECT_EQ(f.message_en, anew.message_en);
    EXPECT_EQ(f.source, anew.source);
    EXPECT_FALSE(f.source.borrowed());
    EXPECT_EQ(f.employer, anew.employer);
    EXPECT_EQ(f.employees, anew.employees);
    EXPECT_EQ(f.trajectory, anew.trajectory);
    EXPECT_EQ(f.id, anew.id);
    EXPECT_EQ(f.title_nl, anew.title_nl);
    EXPECT_FALSE(f.title_nl.borrowed());
    EXPECT_EQ(f.title_en, anew.title_en);
    EXPECT_EQ(f.action_nl, anew.action_nl);
    EXPECT_EQ(f.action_en, anew.action_en);
    EXPECT_EQ(f.explanation, anew.explanation);
    EXPECT_EQ(f.explaining, anew.explaining);
    EXPECT_EQ(jobcoach::rules::encode(f), jobcoach::rules::encode(anew));
    EXPECT_GE(f.message_nl.capacity(), kept) << "the storage is kept";
}

// A FindingList is a vector of its live findings; what clear() and cut() drop, add() hands back as made anew,
// with its strings' storage.
TEST(FindingIdentity, AFindingListMakesItsFindingsOverInPlace)
{
    using jobcoach::rules::Finding;
    using jobcoach::rules::FindingList;
    FindingList list;
    EXPECT_TRUE(list.empty());
    for (const char *rule : {"a", "b", "c"}) {
        Finding &f = list.add();
        f.rule = rule;
        f.message_en = std::string(300, *rule);
        f.due = jobcoach::rules::Date::parse("2024-02-29");
    }
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list.back().rule, "c");
    std::string rules;
    for (const Finding &f : list)
        rules += f.rule;
    EXPECT_EQ(rules, "abc");
    const char *storage = list[0].message_en.data();

    list.clear();
    EXPECT_TRUE(list.empty());
    EXPECT_EQ(list.begin(), list.end());
    Finding &again = list.add();
    EXPECT_EQ(list.size(), 1u);
    EXPECT_EQ(&again, &list[0]);
    EXPECT_EQ(jobcoach::rules::encode(again), jobcoach::rules::encode(Finding())) << "made anew";
    again.message_en = "short";
    EXPECT_EQ(again.message_en.data(), storage) << "in the first finding's storage";

    list.push_back(Finding());
    list.back().rule = "pushed";
    list.add().rule = "added"; // (the third, kept from before, made over)
    ASSERT_EQ(list.size(), 3u);
    EXPECT_TRUE(list[2].message_en.empty());
    list.cut(2);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list.back().rule, "pushed");
    list.cut(5); // (never more than it holds)
    EXPECT_EQ(list.size(), 2u);

    std::vector<Finding> moved = {Finding()};
    list.move_to(moved);
    ASSERT_EQ(moved.size(), 3u);
    EXPECT_EQ(moved[1].message_en, "short");
    EXPECT_EQ(moved[2].rule, "pushed");
    EXPECT_TRUE(list.empty());
    EXPECT_EQ(list.live().size(), 0u);
}

// An employee's findings' ids made with the employee's part hashed once (EmployeeFindingIds, as an evaluation
// completes them) are finding_id's, for that employee's findings, another employee's and an employer-level one;
// and so in any order of schemes, trajectories, rules and subjects, one finding's members written over in place
// (it keeps what it hashed for the finding before: each member that changes is told).
TEST(FindingIdentity, IdsMadeForOneEmployeeAreFindingIdsOwn)
{
    using jobcoach::rules::EmployeeFindingIds;
    using jobcoach::rules::Finding;
    EmployeeFindingIds ids("E-0000001");
    Finding f;
    f.employee = "E-0000001";
    f.scheme = "uwv-extern";
    f.rule = "uwv-extern.budget";
    f.subject = "period#1";
    std::string id;
    for (const int32_t trajectory : {0, 1, 9, 10, 123456, INT32_MAX, 1}) {
        f.trajectory = trajectory;
        ids.id(f, id);
        ASSERT_EQ(id, finding_id(f)) << trajectory;
    }
    std::set<std::string> seen;
    for (const char *scheme : {"uwv-extern", "uwv-intern", "uwv-extern", "uwv-externx"})
        for (const int32_t trajectory : {1, 2, 1})
            for (const char *rule : {"uwv-extern.budget", "uwv-extern.report", "uwv-extern.budget"})
                for (const char *subject : {"period#1", "period#2", "period#1"}) {
                    f.scheme = scheme;
                    f.trajectory = trajectory;
                    f.rule = rule;
                    f.subject = subject;
                    ids.id(f, id);
                    ASSERT_EQ(id, finding_id(f)) << scheme << " " << trajectory << " " << rule << " " << subject;
                    seen.insert(id);
                }
    EXPECT_EQ(seen.size(), 3u * 2u * 2u * 2u) << "each scheme, trajectory, rule and subject an id of its own";
    ids.start("E-0000002");
    f.employee = "E-0000002";
    ids.id(f, id);
    EXPECT_EQ(id, finding_id(f)) << "what was kept of another employee is not used";
    f.employee = "E-0000003";
    ids.id(f, id);
    EXPECT_EQ(id, finding_id(f));
    EXPECT_EQ(id, finding_id("E-0000003", f.scheme, f.trajectory, f.rule, f.subject));
    f.employee = "E-0000002";
    f.employer = "W-1";
    f.employees = {"E-0000002", "E-0000004"};
    ids.id(f, id);
    EXPECT_EQ(id, finding_id(f));
    EXPECT_NE(id, finding_id("E-0000002", f.scheme, f.trajectory, f.rule, f.subject));
}
