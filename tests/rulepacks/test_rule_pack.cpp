// SPDX-License-Identifier: Apache-2.0
// Rule packs: effective dating, sources, errors that name the file and the member.
#include "engine/fixtures.hpp"

#include <jobcoach/rules/rule_pack.hpp>
#include <jobcoach/rules/texts.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace jobcoach::test;
using jobcoach::rules::RulePack;
using jobcoach::rules::RulePackError;
using ::testing::HasSubstr;

namespace {
const char *dated_pack = R"({
  "scheme": "x", "rules": { "x.rule": { "source": "Beleidsregel X art. 1" } },
  "parameters": {
    "rate": [ { "valid_from": "2026-01-01", "value": 84.90, "source": "X 2026" },
              { "valid_from": "2025-01-01", "value": 80.00, "source": "X 2025" } ],
    "table": [ { "valid_from": "2025-01-01", "value": { "midden": [10, 5, 3] }, "source": "X table" } ],
    "name": [ { "valid_from": "2025-01-01", "value": "midden", "source": "X" } ]
  } })";
// The error of parsing `json`, "" when it is accepted.
std::string refusal_of(const std::string &json)
{
    try {
        (void)RulePack::parse(json, "x.json");
        return "";
    } catch (const RulePackError &e) {
        return e.what();
    }
}
} // namespace

TEST(RulePack, AParameterAppliesFromItsValidFromDate)
{
    const RulePack p = RulePack::parse(dated_pack, "x.json");
    EXPECT_DOUBLE_EQ(p.number("rate", d("2025-12-31")), 80.00);
    EXPECT_DOUBLE_EQ(p.number("rate", d("2026-01-01")), 84.90);
    EXPECT_DOUBLE_EQ(p.number("rate", d("2026-01-02")), 84.90);
    EXPECT_EQ(p.parameter_source("rate", d("2026-06-01")), "X 2026");
    EXPECT_EQ(p.row("table", "midden", d("2026-01-01")), (std::vector<double>{10, 5, 3}));
    EXPECT_EQ(p.text("name", d("2026-01-01")), "midden");
    EXPECT_EQ(p.rule_source("x.rule"), "Beleidsregel X art. 1");
}

// Issue 15 §5: a date before every version has no number. The earliest version used to apply, so a period
// starting in 2026 got a value valid only from 2030.
TEST(RulePack, ADateBeforeEveryVersionIsAnErrorNamingThePackTheParameterAndTheDate)
{
    const RulePack p = RulePack::parse(dated_pack, "x.json");
    EXPECT_DOUBLE_EQ(p.number("rate", d("2025-01-01")), 80.00); // the first day of the earliest version
    try {
        p.number("rate", d("2024-12-31")); // the day before it
        FAIL() << "a number before its first valid_from";
    } catch (const RulePackError &e) {
        EXPECT_STREQ(e.what(), "x.json: parameter rate has no version valid on 2024-12-31 (its earliest is valid "
                               "from 2025-01-01)");
    }
    EXPECT_THROW(p.row("table", "midden", d("2024-12-31")), RulePackError);
    EXPECT_THROW(p.has_row("table", "midden", d("2024-12-31")), RulePackError);
    EXPECT_THROW(p.text("name", d("2024-12-31")), RulePackError);
    EXPECT_THROW(p.parameter_source("rate", d("2024-12-31")), RulePackError);
}

TEST(RulePack, ErrorsNameTheFileAndTheMember)
{
    try {
        RulePack::parse(R"({"scheme":"x","rules":{},"parameters":{"rate":[{"valid_from":"2026-02-30","value":1,"source":"s"}]}})", "bad.json");
        FAIL();
    } catch (const RulePackError &e) {
        EXPECT_THAT(e.what(), HasSubstr("bad.json: $.parameters.rate[0].valid_from"));
    }
    EXPECT_THROW(RulePack::parse("{", "broken.json"), RulePackError);
    const RulePack p = RulePack::parse(dated_pack, "x.json");
    EXPECT_THROW(p.number("missing", d("2026-01-01")), RulePackError);
    EXPECT_THROW(p.number("name", d("2026-01-01")), RulePackError);
    EXPECT_THROW(p.row("table", "intensief", d("2026-01-01")), RulePackError);
    EXPECT_THROW(p.require({"rate", "absent"}, {}), RulePackError);
}

TEST(RulePack, ShippedPacksCiteEveryUwvExternRule)
{
    const auto &pack = packs().get("uwv-extern");
    for (const char *rule : {"uwv-extern.period", "uwv-extern.budget", "uwv-extern.legal-max", "uwv-extern.period-report",
                             "uwv-extern.max-duration", "uwv-extern.extension-window", "uwv-extern.contract-end"})
        EXPECT_FALSE(pack.rule_source(rule).empty()) << rule;
    EXPECT_EQ(pack.row("level_pct", "intensief", d("2026-01-01")), (std::vector<double>{15, 7.5, 6}));
}

namespace {

// The error of a pack whose only parameter `name` has `value` ("" when it is accepted).
std::string refusal(const std::string &name, const std::string &value)
{
    const std::string json = R"({"scheme":"x","rules":{},"parameters":{")" + name +
                             R"(":[{"valid_from":"2020-01-01","value":)" + value + R"(,"source":"s"}]}})";
    try {
        (void)RulePack::parse(json, "limits.json");
        return "";
    } catch (const RulePackError &e) {
        return e.what();
    }
}

} // namespace

TEST(RulePack, NumbersOutsideTheirRangeAreRefusedNamingTheParameter)
{
    // A period of 0 months once made the uwv plugin loop for ever; every number a rule reads has a range.
    EXPECT_EQ(refusal("period_months", "0"),
              "limits.json: $.parameters.period_months (valid from 2020-01-01).value: 0 is outside 1..120 months, whole");
    EXPECT_EQ(refusal("period_months", "1"), "");
    EXPECT_EQ(refusal("period_months", "120"), "");
    EXPECT_THAT(refusal("period_months", "121"), HasSubstr("121 is outside 1..120 months"));
    EXPECT_THAT(refusal("period_months", "6.5"), HasSubstr("6.5 is outside 1..120 months, whole"));
    EXPECT_THAT(refusal("max_duration_months", "-1"), HasSubstr("-1 is outside 1..600 months"));
    EXPECT_THAT(refusal("report_lead_days", "1e12"), HasSubstr("1e+12 is outside 0..3650 days"));
    EXPECT_EQ(refusal("level_pct", R"({"midden":[10,5,3]})"), "");
    EXPECT_EQ(refusal("level_pct", R"({"midden":[10,100,3]})"), ""); // exactly 100 %
    EXPECT_THAT(refusal("level_pct", R"({"midden":[10,100.5,3]})"),
                HasSubstr("$.parameters.level_pct (valid from 2020-01-01).value.midden[1]: 100.5 is outside 0..100 percent"));
    // A window or an interval of nothing would never advance.
    EXPECT_THAT(refusal("next_visit_interval", R"({"pakket-1":[0,0]})"),
                HasSubstr("next_visit_interval (valid from 2020-01-01).value.pakket-1: a span of 0 months and 0 days"));
    EXPECT_EQ(refusal("next_visit_interval", R"({"pakket-1":[0,1]})"), "");
    EXPECT_THAT(refusal("visit_frequency", R"({"pakket-1":[1,0,0]})"), HasSubstr("a span of 0 months and 0 days"));
    EXPECT_EQ(refusal("a_parameter_no_rule_reads", "-5"), ""); // only what the rules read is bounded
}

TEST(RulePack, TwoPacksOfOneSchemeInOneDirectoryAreRefusedNamingBoth)
{
    const auto dir = std::filesystem::temp_directory_path() / ("jc-two-packs-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "a.json") << dated_pack;
    std::ofstream(dir / "b.json") << dated_pack;
    try {
        jobcoach::rules::RulePackSet::load({dir});
        FAIL() << "two packs of scheme x were accepted";
    } catch (const RulePackError &e) {
        EXPECT_THAT(e.what(), HasSubstr((dir / "b.json").string() + ": scheme x is also defined by " +
                                        (dir / "a.json").string()));
    }
    // One in each of two directories: the later replaces the earlier (a host's packs override the plugin's).
    const auto other = dir / "override";
    std::filesystem::create_directories(other);
    std::filesystem::rename(dir / "b.json", other / "b.json");
    EXPECT_EQ(jobcoach::rules::RulePackSet::load({dir, other}).get("x").origin(), (other / "b.json").string());
    try {
        jobcoach::rules::RulePackSet::load({dir}).get("absent");
        FAIL();
    } catch (const RulePackError &e) {
        EXPECT_THAT(e.what(), HasSubstr("no rule pack for scheme absent in " + dir.string()));
    }
    std::filesystem::remove_all(dir);
}

// What failed only at evaluate (exit 1 with partial output) is refused when the pack is loaded.
TEST(RulePack, MistakesThatFailedOnlyAtEvaluateAreRefusedAtLoad)
{
    auto refusal = [](const std::string &parameters, const std::string &rule_source = "Beleidsregel X art. 1") {
        const std::string json = R"({"scheme":"x","rules":{"x.rule":{"source":")" + rule_source +
                                 R"("}},"parameters":{)" + parameters + "}}";
        try {
            (void)RulePack::parse(json, "x.json");
        } catch (const RulePackError &e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    const std::string table = R"("level_pct":[{"valid_from":"2020-01-01","value":{"midden":[10,5,3]},"source":"s"}])";
    EXPECT_EQ(refusal(table), "accepted");
    EXPECT_THAT(refusal(R"("level_pct":[{"valid_from":"2020-01-01","value":{"midden":[]},"source":"s"}])"),
                HasSubstr("x.json: $.parameters.level_pct[0].value.midden: an empty row"));
    EXPECT_THAT(refusal(R"("period_months":[{"valid_from":"2020-01-01","value":"six","source":"s"}])"),
                HasSubstr("$.parameters.period_months (valid from 2020-01-01).value: a string where a number"));
    EXPECT_THAT(refusal(table + R"(,"default_level":[{"valid_from":"2020-01-01","value":"hoog","source":"s"}])"),
                HasSubstr("default_level (valid from 2020-01-01).value: \"hoog\" is no row of any level table"));
    EXPECT_EQ(refusal(table + R"(,"default_level":[{"valid_from":"2020-01-01","value":"midden","source":"s"}])"), "accepted");
    EXPECT_THAT(refusal(R"("period_months":[{"valid_from":"2020-01-01","value":6,"source":""}])"),
                HasSubstr("$.parameters.period_months[0].source: empty; every number cites its source"));
    EXPECT_THAT(refusal(table, ""), HasSubstr("$.rules.x.rule.source: empty; every rule cites its source"));
}

// Sources as people read them (issue: "sources read as internal file names"): each document by its title, the
// articles cited of it joined, its public address in angle brackets; "; " inside parentheses is part of a note;
// a key the catalogue lacks stays as written; a scheme's pack reads the common pack's catalogue.
TEST(RulePack, CitationsNameEachDocumentByTitleArticlesAndAddress)
{
    jobcoach::rules::RulePackSet set;
    set.add(RulePack::parse(R"({"scheme":"common","sources":{
        "P14":{"title":"Beleidsregel Protocol Jobcoach UWV 2014","url":"https://wetten.overheid.nl/BWBR0035263"},
        "S000":{"title":"De jobcoach","url":""},
        "docs/rules.md":{"title":"the rule specification, docs/rules.md","url":""}},
        "rules":{"c.rule":{"source":"docs/rules.md §6 (no hour lost; none counted twice); C-5"}},"parameters":{}})", "common.json"));
    set.add(RulePack::parse(R"({"scheme":"x","rules":{
        "x.a":{"source":"S000; P14 A.5, B.4"},
        "x.b":{"source":"P14 A.3 table 1; P14 B.3.1"},
        "x.c":{"source":"P14"},
        "x.d":{"source":"P140 A.1; Unknown 3"}},"parameters":{}})", "x.json"));
    const RulePack &x = set.get("x");
    EXPECT_EQ(x.rule_citation("x.a"), "De jobcoach; Beleidsregel Protocol Jobcoach UWV 2014, A.5, B.4 <https://wetten.overheid.nl/BWBR0035263>");
    EXPECT_EQ(x.rule_citation("x.b"), "Beleidsregel Protocol Jobcoach UWV 2014, A.3 table 1; B.3.1 <https://wetten.overheid.nl/BWBR0035263>")
        << "one document cited twice in a row: one title, one address";
    EXPECT_EQ(x.rule_citation("x.c"), "Beleidsregel Protocol Jobcoach UWV 2014 <https://wetten.overheid.nl/BWBR0035263>");
    EXPECT_EQ(x.rule_citation("x.d"), "P140 A.1; Unknown 3") << "P140 is not P14: a key matches as a whole word";
    EXPECT_EQ(x.rule_source("x.a"), "S000; P14 A.5, B.4") << "the source as written stays for explanations";
    EXPECT_EQ(set.get("common").rule_citation("c.rule"), "the rule specification, docs/rules.md, §6 (no hour lost; none counted twice); C-5");
    EXPECT_THAT(refusal_of(R"({"scheme":"x","sources":{"K":{"title":"","url":""}},"rules":{},"parameters":{}})"),
                HasSubstr("$.sources.K.title: empty"));
    EXPECT_THAT(refusal_of(R"({"scheme":"x","sources":{"K":"a title"},"rules":{},"parameters":{}})"), HasSubstr("$.sources.K: not an object"));
}

// Every rule of the shipped packs has a title in both languages, and its citation names no bare key.
TEST(RulePack, ShippedRulesHaveTitlesInBothLanguagesAndReadableSources)
{
    size_t rules = 0;
    for (const auto &[scheme, pack] : packs().all())
        for (const auto &rule : pack.rule_ids()) {
            ++rules;
            EXPECT_FALSE(pack.rule_attribute(rule, "title_nl").empty()) << rule;
            EXPECT_FALSE(pack.rule_attribute(rule, "title_en").empty()) << rule;
            for (const char *key : {"S000", "S001", "S002", "S003", "S004", "P14 ", "PIJ15", "RIB "})
                EXPECT_EQ(pack.rule_citation(rule).find(key), std::string::npos) << rule << ": " << pack.rule_citation(rule);
        }
    EXPECT_EQ(rules, 29u);
}

// What to do next (texts::describe): the pack entry's action for the finding's kind where it has one, its general
// action otherwise, with the finding's date put in; the title in both languages; nothing where the pack has none.
TEST(RulePack, TheActionIsTheKindsOrTheRulesWithTheDateFilledIn)
{
    const jobcoach::rules::Params params(packs().get("uwv-extern"), packs().get("common"));
    jobcoach::rules::Finding f;
    f.rule = "uwv-extern.period-report";
    f.kind = "report.due";
    f.due = d("2026-11-29");
    jobcoach::rules::texts::describe(f, params);
    EXPECT_EQ(f.title_en, "Period report to UWV (verantwoordingsrapportage)");
    EXPECT_EQ(f.title_nl, "Verantwoordingsrapportage aan UWV");
    EXPECT_EQ(f.action_en, "Send UWV the period report by 2026-11-29 at the latest.");
    EXPECT_EQ(f.action_nl, "Stuur UWV de verantwoordingsrapportage, uiterlijk op 2026-11-29.");
    f.kind = "report.overdue";
    jobcoach::rules::texts::describe(f, params);
    EXPECT_EQ(f.action_en, "Send UWV the period report now: it was due on 2026-11-29.") << "the kind's own action";
    f.rule = "leidraad.justification"; // a common rule, through the scheme's Params
    f.kind = "deviation.unjustified";
    jobcoach::rules::texts::describe(f, params);
    EXPECT_EQ(f.title_en, "Justification of a deviation from the guideline");
    EXPECT_FALSE(f.action_nl.empty());
    f.rule = "uwv-extern.period"; // a rule with a title and no action
    jobcoach::rules::texts::describe(f, params);
    EXPECT_EQ(f.title_en, "Jobcoach period (UWV)");
    EXPECT_EQ(f.action_en, "");
    f.rule = "nobody.rule";
    jobcoach::rules::texts::describe(f, params);
    EXPECT_EQ(f.title_en, "");
    EXPECT_EQ(f.action_nl, "");
}

// Every "{due}" of an action is filled in, and a finding without a due date gets none; a finding described
// again (over a longer action) holds only the new words.
TEST(RulePack, EveryDuePlaceholderOfAnActionIsFilledIn)
{
    const RulePack scheme = RulePack::parse(R"({"scheme": "x", "parameters": {}, "rules": {
        "x.rule": { "source": "X", "title_en": "T", "title_nl": "T",
                    "action_en": "Do it by {due}, and not after {due}.", "action_nl": "{due}{due}",
                    "action_en:other": "{due" } } })", "x.json");
    const jobcoach::rules::Params params(scheme, packs().get("common"));
    jobcoach::rules::Finding f;
    f.rule = "x.rule";
    f.kind = "some.kind";
    f.due = d("2028-02-29");
    f.action_en = std::string(200, 'z');
    jobcoach::rules::texts::describe(f, params);
    EXPECT_EQ(f.action_en, "Do it by 2028-02-29, and not after 2028-02-29.");
    EXPECT_EQ(f.action_nl, "2028-02-292028-02-29");
    f.due.reset();
    jobcoach::rules::texts::describe(f, params);
    EXPECT_EQ(f.action_en, "Do it by , and not after .");
    EXPECT_EQ(f.action_nl, "");
    f.kind = "other";
    jobcoach::rules::texts::describe(f, params);
    EXPECT_EQ(f.action_en, "{due") << "no placeholder: the text as it is";
}

// The rules read parameters through Params, which keeps each name's pack and versions once found (by where the
// name's characters lie, checked by their content): a name whose characters lie where another's did reads its
// own value, the scheme's pack comes before the common one, and errors are the packs' own.
TEST(Params, ReadsEachParameterByItsNameWhereverTheNameLies)
{
    const RulePack scheme = RulePack::parse(R"({"scheme": "x", "rules": {}, "parameters": {
        "rate": [ { "valid_from": "2025-01-01", "value": 80, "source": "X 2025" },
                  { "valid_from": "2026-01-01", "value": 84.5, "source": "X 2026" } ],
        "cost": [ { "valid_from": "2025-01-01", "value": 12, "source": "X" } ] } })", "x.json");
    const RulePack common = RulePack::parse(R"({"scheme": "common", "rules": {}, "parameters": {
        "rate": [ { "valid_from": "2025-01-01", "value": 1, "source": "C" } ],
        "lead": [ { "valid_from": "2025-01-01", "value": 14, "source": "C" } ] } })", "common.json");
    const jobcoach::rules::Params params(scheme, common);
    EXPECT_DOUBLE_EQ(params.number("rate", d("2025-12-31")), 80);
    EXPECT_DOUBLE_EQ(params.number("rate", d("2026-01-01")), 84.5) << "the same name, another date";
    EXPECT_EQ(params.integer("lead", d("2026-01-01")), 14) << "only the common pack has it";
    std::string name = "rate"; // a name made at run time: its characters lie in the string
    EXPECT_DOUBLE_EQ(params.number(name, d("2025-06-01")), 80);
    name = "cost"; // where "rate" lay
    EXPECT_DOUBLE_EQ(params.number(name, d("2025-06-01")), 12);
    name = "lead";
    EXPECT_EQ(params.integer(name, d("2025-06-01")), 14);
    for (int k = 0; k < 200; ++k) { // more names than the slots: each still reads its own
        const std::string other = k % 2 == 0 ? "cost" : "rate";
        EXPECT_DOUBLE_EQ(params.number(other, d("2025-06-01")), k % 2 == 0 ? 12 : 80) << k;
    }
    try {
        params.number("rate", d("2024-12-31"));
        FAIL() << "a date before every version";
    } catch (const RulePackError &e) {
        EXPECT_STREQ(e.what(), "x.json: parameter rate has no version valid on 2024-12-31 (its earliest is valid "
                               "from 2025-01-01)");
    }
    try {
        params.integer("missing", d("2025-06-01"));
        FAIL() << "a parameter neither pack has";
    } catch (const RulePackError &e) {
        EXPECT_STREQ(e.what(), "common.json: parameter missing is missing");
    }
    EXPECT_THROW(params.integer("rate", d("2026-06-01")), RulePackError) << "84.5 is not a whole number";
}
