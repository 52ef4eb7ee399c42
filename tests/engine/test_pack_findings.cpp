// SPDX-License-Identifier: Apache-2.0
// pack_findings and for_each_packed (finding.hpp): a helper thread's findings handed on from one run of bytes are
// what to_abi gives of each, member by member, in order.
#include <jobcoach/rules/finding.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

using namespace jobcoach::rules;

namespace {

std::string text(jc_str s) { return s.data == nullptr ? "<absent>" : std::string(s.data, s.size); }

// Every member of a jc_finding, as text: two findings give the same text when every member is the same.
std::string whole(const jc_finding &f)
{
    std::string out = std::to_string(f.struct_size) + "|" + std::to_string(f.severity) + "|" + std::to_string(f.due) +
                      "|" + std::to_string(f.observed_minutes) + "|" + std::to_string(f.limit_minutes) + "|" +
                      std::to_string(f.amount_cents) + "|" + std::to_string(f.trajectory) + "|" +
                      std::to_string(f.change) + "|" + std::to_string(f.reserved0) + "|" + std::to_string(f.reserved1);
    for (jc_str s : {f.employee, f.scheme, f.rule, f.kind, f.subject, f.message_nl, f.message_en, f.source, f.employer,
                     f.explanation, f.id, f.title_nl, f.title_en, f.action_nl, f.action_en})
        out += "|" + text(s);
    out += "|" + std::to_string(f.employee_count) + (f.employees == nullptr ? "|no list" : "|list");
    for (uint32_t i = 0; i < f.employee_count; ++i)
        out += "|" + text(f.employees[i]);
    return out;
}

std::vector<Finding> some_findings()
{
    std::vector<Finding> out(3);
    Finding &full = out[0];
    full.employee = "E-0000001";
    full.scheme = "uwv-extern";
    full.rule = "uwv-extern.budget";
    full.kind = "budget.exceeded";
    full.severity = Severity::high;
    full.due = Date{19357};
    full.subject = "period#2";
    full.observed_minutes = 6060;
    full.limit_minutes = 6000;
    full.amount_cents = -1;
    full.message_nl = "Het budget is overschreden: 101,00 uur van 100,00 uur (€ 0,00).";
    full.message_en = "The budget is exceeded: 101.00 h of 100.00 h.";
    full.source = "Beleidsregels jobcoaching, art. 4";
    full.trajectory = 2;
    full.id = "f-0123456789abcdef";
    full.title_nl = "Urenbudget";
    full.title_en = "Hour budget";
    full.action_nl = "Vraag voor 2022-12-31 meer uren aan.";
    full.action_en = "Ask for more hours before 2022-12-31.";
    full.explanation = "budget: 6000\nused: 6060";
    // Only what is required: every optional member absent (NULL texts, no numbers, no date).
    Finding &bare = out[1];
    bare.employee = "E-2";
    bare.scheme = "any";
    bare.rule = "common.unassigned";
    bare.kind = "hours.unassigned";
    bare.message_nl = "x";
    bare.message_en = "y";
    bare.source = "z";
    // An employer-level finding names its employees, one of them an empty key.
    Finding &cluster = out[2];
    cluster = full;
    cluster.employee = "";
    cluster.employer = "W-1";
    cluster.employees = {"E-0000001", "", "E-0000003"};
    cluster.severity = Severity::critical;
    return out;
}

} // namespace

TEST(PackFindings, EachPackedFindingIsWhatToAbiGivesMemberByMember)
{
    const std::vector<Finding> findings = some_findings();
    std::string packed = "before"; // appended to: what was there stays
    pack_findings(findings, packed);
    ASSERT_EQ(packed.substr(0, 6), "before");
    std::vector<std::string> read;
    for_each_packed(std::string_view(packed).substr(6), [&](const jc_finding &f) { read.push_back(whole(f)); });
    ASSERT_EQ(read.size(), findings.size());
    std::vector<jc_str> employees;
    for (size_t i = 0; i < findings.size(); ++i)
        EXPECT_EQ(read[i], whole(to_abi(findings[i], employees))) << "finding " << i;
    EXPECT_NE(read[0], read[2]); // (the comparison tells findings apart)
}

// A rule pack's texts that a finding borrows (PackText, as evaluating everyone makes them) are packed as views of
// the pack's strings: read back, each is the pack's own bytes, and what to_abi gives; owned ones are copied.
TEST(PackFindings, BorrowedPackTextsArePackedAsViewsOfThePacksStrings)
{
    static const std::string source = "Beleidsregels jobcoaching, art. 4", title = "Urenbudget",
                             action = "Vraag meer uren aan.";
    std::vector<Finding> findings = some_findings();
    findings[0].source.borrow(source);
    findings[0].title_nl.borrow(title);
    findings[0].action_nl.borrow(action);
    findings[1].title_en.borrow(title); // (the bare finding: beside empty texts)
    findings[2].source.borrow(source);  // (an employer-level one, with its employees after the texts)
    std::string packed;
    pack_findings(findings, packed);
    std::vector<std::string> read;
    std::vector<const char *> sources, titles_nl, actions_nl, titles_en;
    for_each_packed(packed, [&](const jc_finding &f) {
        read.push_back(whole(f));
        sources.push_back(f.source.data);
        titles_nl.push_back(f.title_nl.data);
        actions_nl.push_back(f.action_nl.data);
        titles_en.push_back(f.title_en.data);
    });
    ASSERT_EQ(read.size(), findings.size());
    std::vector<jc_str> employees;
    for (size_t i = 0; i < findings.size(); ++i)
        EXPECT_EQ(read[i], whole(to_abi(findings[i], employees))) << "finding " << i;
    EXPECT_EQ(sources[0], source.data()) << "a view of the pack's string, not a copy";
    EXPECT_EQ(titles_nl[0], title.data());
    EXPECT_EQ(actions_nl[0], action.data());
    EXPECT_EQ(titles_en[1], title.data());
    EXPECT_EQ(sources[2], source.data());
    const auto in_packed = [&](const char *p) { return p >= packed.data() && p < packed.data() + packed.size(); };
    EXPECT_TRUE(in_packed(titles_en[0])) << "an owned text is copied into the packed bytes";
    EXPECT_TRUE(in_packed(sources[1]));
}

// Given an order (sorted_order), the findings are packed in it, each as to_abi gives it.
TEST(PackFindings, FindingsArePackedInTheOrderGiven)
{
    const std::vector<Finding> findings = some_findings();
    const std::vector<uint32_t> order = {2, 0, 1};
    std::string packed;
    pack_findings(findings, packed, order);
    std::vector<std::string> read;
    for_each_packed(packed, [&](const jc_finding &f) { read.push_back(whole(f)); });
    ASSERT_EQ(read.size(), 3u);
    std::vector<jc_str> employees;
    for (size_t k = 0; k < order.size(); ++k)
        EXPECT_EQ(read[k], whole(to_abi(findings[order[k]], employees))) << "position " << k;
    std::string wrong;
    EXPECT_THROW(pack_findings(findings, wrong, std::vector<uint32_t>{0, 1}), std::invalid_argument);
}

TEST(PackFindings, NothingPackedGivesNoFinding)
{
    std::string packed;
    pack_findings({}, packed);
    EXPECT_TRUE(packed.empty());
    size_t calls = 0;
    for_each_packed(packed, [&](const jc_finding &) { ++calls; });
    EXPECT_EQ(calls, 0u);
}

TEST(PackFindings, TwoEmployeesPackedOneAfterTheOtherAreReadApart)
{
    const std::vector<Finding> findings = some_findings();
    std::string packed;
    pack_findings(std::span(findings).first(1), packed);
    const size_t first_end = packed.size();
    pack_findings(std::span(findings).subspan(1, 2), packed);
    std::vector<jc_str> employees;
    std::vector<std::string> first, second;
    for_each_packed(std::string_view(packed).substr(0, first_end), [&](const jc_finding &f) { first.push_back(whole(f)); });
    for_each_packed(std::string_view(packed).substr(first_end), [&](const jc_finding &f) { second.push_back(whole(f)); });
    ASSERT_EQ(first.size(), 1u);
    ASSERT_EQ(second.size(), 2u);
    EXPECT_EQ(first[0], whole(to_abi(findings[0], employees)));
    EXPECT_EQ(second[1], whole(to_abi(findings[2], employees)));
}
