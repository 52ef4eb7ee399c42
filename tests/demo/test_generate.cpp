// SPDX-License-Identifier: Apache-2.0
// jobcoach-demo generate: a reproducible history that every plugin accepts and that makes the rules fire.
#include "generate.hpp"

#include "e2e/demo_run.hpp"

#include <jobcoach/host/event_file.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

namespace demo = jobcoach::demo;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

namespace {

std::string generated(uint32_t employees, uint32_t years, uint64_t seed, demo::GenerateCounts *counts = nullptr)
{
    demo::GenerateOptions o;
    o.employees = employees;
    o.years = years;
    o.seed = seed;
    std::ostringstream out;
    const demo::GenerateCounts c = demo::generate(o, out);
    if (counts != nullptr)
        *counts = c;
    return out.str();
}

} // namespace

TEST(Generate, TheSameOptionsGiveTheSameBytesAndEmployeesDoNotDependOnTheCount)
{
    EXPECT_EQ(generated(50, 2, 7), generated(50, 2, 7));
    EXPECT_NE(generated(50, 2, 7), generated(50, 2, 8));
    // Employee 1 of a 50-employee file is employee 1 of a 10-employee file.
    const auto first = [](const std::string &text) {
        std::istringstream in(text);
        std::string out;
        for (std::string line; std::getline(in, line);)
            if (line.find("\"employee\":\"E-0000001\"") != std::string::npos)
                out += line + "\n";
        return out;
    };
    EXPECT_EQ(first(generated(50, 2, 7)), first(generated(10, 2, 7)));
    EXPECT_FALSE(first(generated(10, 2, 7)).empty());
}

TEST(Generate, EveryLineParsesAndEveryEventTypeAndSchemeOccurs)
{
    demo::GenerateCounts c;
    const std::string text = generated(400, 3, 1, &c);
    const jobcoach::host::EventFile file = jobcoach::host::parse_events(text, 5);
    ASSERT_TRUE(file.errors.empty()) << file.errors[0].line << ": " << file.errors[0].field << ": " << file.errors[0].message;
    EXPECT_EQ(file.events.size(), c.events);
    EXPECT_EQ(c.bytes, text.size() - text.find('\n') - 1); // all but the comment line
    EXPECT_EQ(c.trajectories, 400u);
    std::set<std::string> types, schemes;
    size_t timesheets = 0;
    for (const auto &e : file.events) {
        types.insert(std::string(jobcoach::host::event_type_name(e.type)));
        if (e.type == JC_EVENT_COACHING_GRANTED)
            schemes.insert(e.scheme);
        timesheets += e.type == JC_EVENT_TIMESHEET_LOGGED;
    }
    EXPECT_EQ(timesheets, c.timesheets);
    EXPECT_EQ(types.size(), 12u); // every event type of docs/formats.md
    EXPECT_EQ(schemes, (std::set<std::string>{"uwv-extern", "uwv-intern", "vpw", "wsp-rijnmond"}));
    // About 50 weekly entries a year for each trajectory that runs the whole year.
    EXPECT_GT(c.timesheets, 400u * 3 * 20);
    EXPECT_LT(c.timesheets, 400u * 3 * 53);
}

TEST(Generate, ThePluginsAcceptEveryEventAndTheRulesFire)
{
    const fs::path dir = fs::temp_directory_path() / ("jc-generate-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string file = (dir / "events.jsonl").string();
    const DemoRun gen = run_program(JC_TEST_DEMO, "generate --employees 300 --years 3 --seed 3 -o " + file);
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    EXPECT_THAT(gen.err, HasSubstr("for 300 employees over 3 years"));
    const DemoRun eval = run_program(JC_TEST_DEMO, "evaluate --events " + file + " --as-of 2022-06-30 --format csv");
    ASSERT_EQ(eval.exit_code, 0) << eval.err;
    std::map<std::string, int> kinds;
    std::istringstream in(eval.out);
    for (std::string line; std::getline(in, line);)
        for (const char *kind : {"budget.exceeded", "budget.warning", "report.overdue", "report.due", "trajectory.expiring",
                                 "deviation.unjustified", "subsidy.repayment_risk"})
            if (line.find(std::string(",") + kind + ",") != std::string::npos)
                ++kinds[kind];
    for (const char *kind : {"budget.exceeded", "budget.warning", "report.overdue", "deviation.unjustified"})
        EXPECT_GT(kinds[kind], 0) << kind << "\n" << eval.out.substr(0, 2000);
    EXPECT_EQ(run_program(JC_TEST_DEMO, "generate --employees 0").exit_code, 2);
    EXPECT_EQ(run_program(JC_TEST_DEMO, "generate --start 2026-02-30").exit_code, 2);
    fs::remove_all(dir);
}
