// Rule packs: effective dating, sources, errors that name the file and the member.
#include "unit/fixtures.hpp"

#include <jobcoach/rules/rule_pack.hpp>

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
} // namespace

TEST(RulePack, AParameterAppliesFromItsValidFromDate)
{
    const RulePack p = RulePack::parse(dated_pack, "x.json");
    EXPECT_DOUBLE_EQ(p.number("rate", d("2025-12-31")), 80.00);
    EXPECT_DOUBLE_EQ(p.number("rate", d("2026-01-01")), 84.90);
    EXPECT_DOUBLE_EQ(p.number("rate", d("2026-01-02")), 84.90);
    EXPECT_EQ(p.parameter_source("rate", d("2026-06-01")), "X 2026");
    // Before every version: the earliest applies.
    EXPECT_DOUBLE_EQ(p.number("rate", d("2020-01-01")), 80.00);
    EXPECT_EQ(p.row("table", "midden", d("2026-01-01")), (std::vector<double>{10, 5, 3}));
    EXPECT_EQ(p.text("name", d("2026-01-01")), "midden");
    EXPECT_EQ(p.rule_source("x.rule"), "Beleidsregel X art. 1");
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
