// SPDX-License-Identifier: Apache-2.0
// Corrections (docs/formats.md event.retracted): a retracted record counts as never sent, whichever its type and
// whichever arrives first; retractions that cannot be meant are refused; id conflicts are counted.
#include "e2e/demo_run.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;
using ::testing::HasSubstr;

namespace {

const std::string sample = std::string(JC_TEST_SOURCE_DIR) + "/host_demo/samples/sample-events.jsonl";

std::vector<std::string> sample_lines()
{
    std::ifstream in(sample);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

std::string member(const std::string &line, const std::string &name)
{
    std::smatch m;
    const std::regex re("\"" + name + "\":\"([^\"]*)\"");
    return std::regex_search(line, m, re) ? m[1].str() : std::string();
}

struct Scratch {
    fs::path dir = fs::temp_directory_path() / ("jc-corrections-" + std::to_string(::getpid()));
    Scratch() { fs::create_directories(dir); }
    ~Scratch() { fs::remove_all(dir); }
    std::string write(const std::string &name, const std::string &text) const
    {
        const fs::path p = dir / name;
        std::ofstream(p) << text;
        return p.string();
    }
};

} // namespace

// For a record of each type the rules read (the first whose absence changes the findings): the sample with that
// record retracted (the retraction after it, or before it) gives exactly the findings of the sample without it.
TEST(Corrections, ARetractedRecordCountsAsNeverSent)
{
    const Scratch scratch;
    const auto lines = sample_lines();
    const std::string as_of = " --as-of 2026-11-23";
    const DemoRun whole = demo("evaluate --events " + sample + as_of);
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    size_t checked = 0;
    for (const char *type : {"contract.started", "contract.changed", "coaching.granted", "coaching.extended",
                             "timesheet.logged", "report.submitted", "budget.transferred", "absence.started"}) {
        int tried = 0;
        for (size_t k = 0; k < lines.size() && tried < 8; ++k) {
            if (member(lines[k], "type") != type)
                continue;
            ++tried;
            const std::string id = member(lines[k], "id"), employee = member(lines[k], "employee");
            std::string without;
            for (size_t j = 0; j < lines.size(); ++j)
                if (j != k)
                    without += lines[j] + "\n";
            const DemoRun expected = demo("evaluate --events " + scratch.write("without.jsonl", without) + as_of);
            ASSERT_EQ(expected.exit_code, 0) << expected.err;
            if (expected.out == whole.out)
                continue; // this record's absence changes nothing: it proves nothing
            const std::string retraction = R"({"id":"fix-)" + id + R"(","type":"event.retracted","employee":")" +
                                           employee + R"(","date":"2026-11-20","retracts":")" + id + "\"}\n";
            std::string all;
            for (const auto &l : lines)
                all += l + "\n";
            const DemoRun after = demo("evaluate --events " + scratch.write("after.jsonl", all + retraction) + as_of);
            const DemoRun first = demo("evaluate --events " + scratch.write("first.jsonl", retraction + all) + as_of);
            EXPECT_EQ(after.exit_code, 0) << after.err;
            EXPECT_TRUE(after.out == expected.out) << type << " " << id << " retracted after it";
            EXPECT_TRUE(first.out == expected.out) << type << " " << id << " retracted before it arrived";
            ++checked;
            break;
        }
    }
    EXPECT_GE(checked, 6u);
}

// The same for ids of the form most hosts give, "<employee>-<number>" (as jobcoach-demo generate writes them),
// which the plugins decode as a number and compare as one (EventId): a timesheet entry retracted by
// event.retracted or by timesheet.retracted counts as never sent, and so does each of two retracted together.
TEST(Corrections, ARetractedEntryWithANumberedIdCountsAsNeverSent)
{
    const Scratch scratch;
    const std::string generated = (scratch.dir / "generated.jsonl").string();
    ASSERT_EQ(demo("generate --employees 40 --years 1 --seed 7 -o " + generated).exit_code, 0);
    std::vector<std::string> lines;
    {
        std::ifstream in(generated);
        for (std::string line; std::getline(in, line);)
            if (!line.empty() && line[0] != '#')
                lines.push_back(line);
    }
    const std::string as_of = " --as-of 2020-12-31";
    auto text_of = [&](const std::vector<size_t> &left_out, const std::string &added) {
        std::string text;
        for (size_t j = 0; j < lines.size(); ++j)
            if (std::find(left_out.begin(), left_out.end(), j) == left_out.end())
                text += lines[j] + "\n";
        return text + added;
    };
    const DemoRun whole = demo("evaluate --events " + scratch.write("whole.jsonl", text_of({}, "")) + as_of);
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    std::vector<size_t> changing; // timesheet entries whose absence changes the findings
    for (size_t k = 0; k < lines.size() && changing.size() < 3; ++k) {
        if (member(lines[k], "type") != "timesheet.logged" || member(lines[k], "date") > "2020-12-31")
            continue;
        const DemoRun without = demo("evaluate --events " + scratch.write("without.jsonl", text_of({k}, "")) + as_of);
        ASSERT_EQ(without.exit_code, 0) << without.err;
        if (without.out != whole.out)
            changing.push_back(k);
    }
    ASSERT_GE(changing.size(), 2u) << "the generated history has no entry whose absence shows";
    auto retraction = [&](size_t k, const char *type) {
        const std::string id = member(lines[k], "id"), employee = member(lines[k], "employee");
        EXPECT_THAT(id, ::testing::StartsWith(employee + "-")); // the numbered form
        return R"({"id":"fix-)" + id + R"(","type":")" + type + R"(","employee":")" + employee +
               R"(","date":"2020-12-30","retracts":")" + id + "\"}\n";
    };
    for (const size_t k : changing) {
        const DemoRun expected = demo("evaluate --events " + scratch.write("without.jsonl", text_of({k}, "")) + as_of);
        for (const char *type : {"event.retracted", "timesheet.retracted"}) {
            const DemoRun retracted =
                demo("evaluate --events " + scratch.write("retracted.jsonl", text_of({}, retraction(k, type))) + as_of);
            EXPECT_EQ(retracted.exit_code, 0) << retracted.err;
            EXPECT_TRUE(retracted.out == expected.out) << member(lines[k], "id") << " retracted by " << type;
        }
    }
    const DemoRun both_expected =
        demo("evaluate --events " + scratch.write("without.jsonl", text_of({changing[0], changing[1]}, "")) + as_of);
    const DemoRun both = demo("evaluate --events " +
                              scratch.write("retracted.jsonl", text_of({}, retraction(changing[0], "event.retracted") +
                                                                              retraction(changing[1], "event.retracted"))) +
                              as_of);
    EXPECT_TRUE(both.out == both_expected.out);
}

TEST(Corrections, ARetractionOfARetractionOrOfAnotherEmployeesRecordIsRefused)
{
    const Scratch scratch;
    const std::string base =
        R"({"id":"c1","type":"contract.started","employee":"E-1","date":"2026-01-05","employer":"A","weekly_hours":20})" "\n"
        R"({"id":"x1","type":"event.retracted","employee":"E-1","date":"2026-01-06","retracts":"c1"})" "\n";
    const std::string state = (scratch.dir / "s").string();
    ASSERT_EQ(demo("evaluate --events " + scratch.write("base.jsonl", base) + " --as-of 2026-03-01 --state " + state).exit_code, 0);
    const DemoRun twice = demo("evaluate --as-of 2026-03-01 --state " + state + " --events " +
                               scratch.write("x.jsonl", R"({"id":"x2","type":"event.retracted","employee":"E-1","date":"2026-01-07","retracts":"x1"})" "\n"));
    EXPECT_EQ(twice.exit_code, 2);
    EXPECT_THAT(twice.err, HasSubstr("retracts: names a event.retracted event; a retraction cannot be retracted"));
    const DemoRun other = demo("evaluate --as-of 2026-03-01 --state " + state + " --events " +
                               scratch.write("y.jsonl", R"({"id":"x3","type":"event.retracted","employee":"E-2","date":"2026-01-07","retracts":"c1"})" "\n"));
    EXPECT_EQ(other.exit_code, 2);
    EXPECT_THAT(other.err, HasSubstr("retracts: names an event of another employee"));
}

namespace {

// Whether any of the state's files (the database, its -wal and -shm) holds the bytes of `key`.
bool state_files_hold(const fs::path &dir, const std::string &key)
{
    for (const auto &f : fs::directory_iterator(dir)) {
        if (f.path().filename().string().rfind("s.", 0) != 0)
            continue;
        std::ifstream in(f.path(), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (bytes.find(key) != std::string::npos)
            return true;
    }
    return false;
}

} // namespace

// docs/formats.md `erase`: every event and recorded finding of the key removed for good, no byte of it left in the
// state files, the other employees untouched: the erased state gives what a replay without the employee gives.
TEST(Erasure, NoByteOfTheKeyIsLeftAndAReplayWithoutTheEmployeeGivesTheSameState)
{
    const Scratch erased_dir, replay_dir;
    fs::create_directories(erased_dir.dir / "e");
    fs::create_directories(replay_dir.dir / "r");
    const fs::path erased = erased_dir.dir / "e", replay = replay_dir.dir / "r";
    const std::string as_of = " --as-of 2026-11-23";
    ASSERT_EQ(demo("changes --events " + sample + as_of + " --state " + (erased / "s").string()).exit_code, 0);
    ASSERT_TRUE(state_files_hold(erased, "E-104"));
    const DemoRun r = demo("erase --state " + (erased / "s").string() + " --employee E-104");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("nl.jobcoach.uwv: erased E-104: 31 event(s) and 3 recorded finding(s) removed"));
    EXPECT_FALSE(state_files_hold(erased, "E-104"));
    EXPECT_TRUE(state_files_hold(erased, "E-105")) << "the other employees are untouched";

    std::string without;
    for (const auto &l : sample_lines())
        if (member(l, "employee") != "E-104")
            without += l + "\n";
    ASSERT_EQ(demo("changes --events " + erased_dir.write("without.jsonl", without) + as_of + " --state " +
                   (replay / "s").string()).exit_code, 0);
    const std::string empty = erased_dir.write("empty.jsonl", "");
    for (const char *command : {"evaluate", "changes"}) {
        const DemoRun a = demo(std::string(command) + " --events " + empty + as_of + " --state " + (erased / "s").string());
        const DemoRun b = demo(std::string(command) + " --events " + empty + as_of + " --state " + (replay / "s").string());
        EXPECT_EQ(a.exit_code, 0) << a.err;
        EXPECT_TRUE(a.out == b.out) << command << ": the erased state differs from a replay without E-104";
    }
    const DemoRun again = demo("erase --state " + (erased / "s").string() + " --employee E-104");
    EXPECT_EQ(again.exit_code, 0) << "an unknown key is nothing to erase, not an error";
    EXPECT_THAT(again.out, HasSubstr("0 event(s) and 0 recorded finding(s)"));
}
