// SPDX-License-Identifier: Apache-2.0
// Bad input in event files and bad plugins (docs/bad-input.md, second and third tables). Event files: the
// parser's error names the line and the field, and jobcoach-demo with --state exits 2 and applies nothing, so
// that what was stored before is still all there. Plugins: the runtime refuses each before running its code,
// naming the check and the file.
#include <jobcoach/host/event_file.hpp>

#include <jobcoach/rules/event_store.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "e2e/demo_run.hpp"
#include "runtime/fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using jobcoach::host::parse_events;

namespace {

const std::string sample = std::string(JC_TEST_SOURCE_DIR) + "/host_demo/samples/sample-events.jsonl";

// A fresh directory, owner-only like a host's plugin directory should be.
fs::path scratch()
{
    static int count = 0;
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    const fs::path dir = fs::temp_directory_path() /
                         ("jc-bad-" + std::to_string(::getpid()) + "-" + info->name() + "-" + std::to_string(++count));
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all);
    return dir;
}

void write(const fs::path &file, const std::string &text) { std::ofstream(file, std::ios::binary) << text; }

const char *const contract =
    R"({"id":"c1","type":"contract.started","employee":"E-1","date":"2026-01-05","employer":"ACME","weekly_hours":20})";

// Imports the sample into a state, then `bad_text`: the demo must exit 2 naming `where`, and the state must still
// give exactly the sample's findings, with nothing of the bad file in it.
void expect_refused_and_state_kept(const std::string &bad_text, const std::string &where)
{
    const fs::path dir = scratch();
    const std::string state = (dir / "state.db").string();
    const DemoRun first = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state);
    ASSERT_EQ(first.exit_code, 0) << first.err;
    ASSERT_FALSE(first.out.empty());
    write(dir / "bad.jsonl", bad_text);
    const DemoRun bad = demo("evaluate --events " + (dir / "bad.jsonl").string() + " --as-of 2026-11-23 --state " + state);
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_THAT(bad.err, HasSubstr((dir / "bad.jsonl").string() + where));
    EXPECT_THAT(bad.err, HasSubstr("nothing was applied"));
    write(dir / "none.jsonl", "");
    const DemoRun after = demo("evaluate --events " + (dir / "none.jsonl").string() + " --as-of 2026-11-23 --state " + state);
    EXPECT_EQ(after.exit_code, 0) << after.err;
    EXPECT_EQ(after.out, first.out); // nothing lost, nothing counted twice
    fs::remove_all(dir);
}

} // namespace

// Event files ---------------------------------------------------------------------------------------------------

TEST(BadEventFile, TruncatedLine)
{
    const auto f = parse_events(std::string(contract) + "\n" + R"({"id":"g1","type":"coaching.granted","employee":"E-1")");
    ASSERT_EQ(f.errors.size(), 1u);
    EXPECT_EQ(f.errors[0].line, 2u);
    EXPECT_THAT(f.errors[0].message, HasSubstr("not valid JSON"));
    expect_refused_and_state_kept(std::string(contract) + "\n" + R"({"id":"c2","type":"contract.ended","emp)", ":2: not valid JSON");
}

TEST(BadEventFile, WrongTypes)
{
    const auto f = parse_events(
        R"({"id":"t1","type":"timesheet.logged","employee":"E-1","date":"2026-01-12","minutes":"sixty"})" "\n"
        R"({"id":"t2","type":"timesheet.logged","employee":"E-1","date":20260112,"minutes":60})" "\n"
        R"({"id":3,"type":"timesheet.logged","employee":"E-1","date":"2026-01-12","minutes":60})" "\n"
        R"({"id":"t4","type":"timesheet.teleported","employee":"E-1","date":"2026-01-12"})" "\n"
        R"(["not","an","object"])" "\n");
    ASSERT_EQ(f.errors.size(), 5u);
    EXPECT_EQ(f.errors[0].field, "minutes");
    EXPECT_EQ(f.errors[1].field, "date");
    EXPECT_EQ(f.errors[2].field, "id");
    EXPECT_EQ(f.errors[3].field, "type");
    EXPECT_EQ(f.errors[4].message, "not a JSON object");
    for (size_t i = 0; i < 5; ++i)
        EXPECT_EQ(f.errors[i].line, i + 1);
    EXPECT_TRUE(f.events.empty());
    expect_refused_and_state_kept(
        R"({"id":"t1","type":"timesheet.logged","employee":"E-1","date":"2026-01-12","minutes":"sixty"})", ":1: field 'minutes'");
}

TEST(BadEventFile, ImpossibleDate)
{
    const auto f = parse_events(R"({"id":"t1","type":"timesheet.logged","employee":"E-1","date":"2026-02-29","minutes":60})");
    ASSERT_EQ(f.errors.size(), 1u);
    EXPECT_EQ(f.errors[0].field, "date");
    EXPECT_THAT(f.errors[0].message, HasSubstr("\"2026-02-29\" is not a date YYYY-MM-DD between 1900 and 2199"));
}

TEST(BadEventFile, DuplicateIdWithOtherContent)
{
    const std::string same = R"({"id":"t1","type":"timesheet.logged","employee":"E-1","date":"2026-01-12","minutes":60})";
    const std::string other = R"({"id":"t1","type":"timesheet.logged","employee":"E-1","date":"2026-01-12","minutes":90})";
    const auto dup = parse_events(same + "\n" + same + "\n"); // the same event twice: harmless, counted once
    EXPECT_TRUE(dup.errors.empty());
    const auto f = parse_events(same + "\n" + std::string(contract) + "\n" + other + "\n");
    ASSERT_EQ(f.errors.size(), 1u);
    EXPECT_EQ(f.errors[0].line, 3u);
    EXPECT_EQ(f.errors[0].field, "id");
    EXPECT_EQ(f.errors[0].message, "reused from line 1 with other content (an id is the event's idempotency key)");
    expect_refused_and_state_kept(same + "\n" + other + "\n", ":2: field 'id'");
}

// Among many lines (the index of ids probes past other ids), each reuse of an id is found and names the first
// line of that id: with the same content it is harmless, with other content it is an error.
TEST(BadEventFile, DuplicateIdsAmongManyLines)
{
    auto line = [](int id, int minutes) {
        return fmt::format(R"({{"id":"t{}","type":"timesheet.logged","employee":"E-1","date":"2026-01-12","minutes":{}}})",
                           id, minutes);
    };
    std::string text;
    std::vector<std::pair<size_t, size_t>> expected; // line of the reuse, line of the first
    size_t n = 0;
    for (int id = 0; id < 3000; ++id)
        text += line(id, 60) + "\n", ++n;
    for (int id = 0; id < 3000; id += 7) {
        text += line(id, id % 2 == 0 ? 60 : 90) + "\n", ++n; // odd ids come back with other content
        if (id % 2 != 0)
            expected.emplace_back(n, static_cast<size_t>(id) + 1);
    }
    const auto f = parse_events(text, 10000);
    ASSERT_EQ(f.errors.size(), expected.size());
    for (size_t k = 0; k < expected.size(); ++k) {
        EXPECT_EQ(f.errors[k].line, expected[k].first);
        EXPECT_EQ(f.errors[k].message, fmt::format("reused from line {} with other content (an id is the event's "
                                                   "idempotency key)", expected[k].second));
    }
    EXPECT_EQ(f.events.size(), n - expected.size());
}

// A large file is parsed in parts at once (event_file.cpp); what it gives is what one pass over the lines gives:
// the events in line order with their lines, each problem at its line (the parts' own, and ids reused across
// them), the first max_errors problems by line when there are more.
TEST(BadEventFile, ALargeFileParsedInPartsGivesWhatOnePassGives)
{
    auto line = [](int id, int minutes) {
        return fmt::format(R"({{"id":"t{}","type":"timesheet.logged","employee":"E-{}","date":"2026-01-12","minutes":{}}})",
                           id, id % 97, minutes);
    };
    std::string text = "# a large export\n";
    size_t n = 1;
    std::vector<size_t> event_lines;
    std::vector<std::pair<size_t, std::string>> problems; // line, field
    const int ids = 100000; // about 9.3 MB: more than one part
    for (int id = 0; id < ids; ++id) {
        if (id % 20000 == 10000) { // a bad line, a comment and a blank line in each part
            text += "{\"id\":\"bad\"\n# a note\n\n";
            problems.emplace_back(n + 1, "");
            n += 3;
        }
        if (id % 30000 == 29999) { // a minute count no event may have
            text += fmt::format(R"({{"id":"m{}","type":"timesheet.logged","employee":"E-1","date":"2026-01-12","minutes":-5}})", id) + "\n";
            problems.emplace_back(++n, "minutes");
        }
        text += line(id, 60) + "\n";
        event_lines.push_back(++n);
    }
    // Ids of the first part sent again near the end: the same event (harmless) and another one (a problem).
    for (int id = 0; id < 50; ++id) {
        text += line(id, id % 2 == 0 ? 60 : 90) + "\n";
        ++n;
        if (id % 2 == 0)
            event_lines.push_back(n);
        else
            problems.emplace_back(n, "id");
    }
    ASSERT_GT(text.size(), size_t{8} << 20);
    const auto f = parse_events(text, 1000);
    ASSERT_EQ(f.errors.size(), problems.size());
    for (size_t k = 0; k < problems.size(); ++k) {
        EXPECT_EQ(f.errors[k].line, problems[k].first) << k;
        EXPECT_EQ(f.errors[k].field, problems[k].second) << k;
    }
    EXPECT_EQ(f.errors.back().message, "reused from line 51 with other content (an id is the event's idempotency key)");
    ASSERT_EQ(f.events.size(), event_lines.size());
    for (size_t k = 0; k < event_lines.size(); ++k)
        if (static_cast<size_t>(f.events[k].line) != event_lines[k]) {
            ADD_FAILURE() << "event " << k << " has line " << f.events[k].line << ", not " << event_lines[k];
            break;
        }
    EXPECT_EQ(f.events[ids - 1].id, "t" + std::to_string(ids - 1));
    EXPECT_EQ(f.events[ids - 1].employee, "E-" + std::to_string((ids - 1) % 97));
    // At most 3 problems: the first three by line, whichever part found them.
    const auto first = parse_events(text, 3);
    ASSERT_EQ(first.errors.size(), 3u);
    for (size_t k = 0; k < 3; ++k)
        EXPECT_EQ(first.errors[k].line, problems[k].first);
}

TEST(BadEventFile, HugeLine)
{
    const std::string huge = R"({"id":"j1","type":"budget.transferred","employee":"E-1","date":"2026-01-12","scheme":"vpw","minutes":60,"justification":")" +
                             std::string(100000, 'x') + "\"}";
    const auto f = parse_events(huge);
    ASSERT_EQ(f.errors.size(), 1u);
    EXPECT_THAT(f.errors[0].message, HasSubstr("bytes long, more than the 65536 an event line may have"));
    // Just under the limit, the line is parsed and its justification refused by the plugins' own limit.
    const std::string long_text = R"({"id":"j2","type":"budget.transferred","employee":"E-1","date":"2026-01-12","scheme":"vpw","minutes":60,"justification":")" +
                                  std::string(5000, 'x') + "\"}";
    const auto g = parse_events(long_text);
    ASSERT_EQ(g.errors.size(), 1u);
    EXPECT_EQ(g.errors[0].field, "justification");
    expect_refused_and_state_kept(huge, ":1: ");
}

TEST(BadEventFile, EmptyFileAppliesNothingAndIsNoError)
{
    EXPECT_TRUE(parse_events("").events.empty());
    EXPECT_TRUE(parse_events("").errors.empty());
    EXPECT_TRUE(parse_events("\n# only a comment\n   \n").errors.empty());
    const fs::path dir = scratch();
    const std::string state = (dir / "state.db").string();
    const DemoRun first = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state);
    ASSERT_EQ(first.exit_code, 0) << first.err;
    write(dir / "empty.jsonl", "");
    const DemoRun empty = demo("evaluate --events " + (dir / "empty.jsonl").string() + " --as-of 2026-11-23 --state " + state);
    EXPECT_EQ(empty.exit_code, 0) << empty.err;
    EXPECT_EQ(empty.out, first.out);
    fs::remove_all(dir);
}

TEST(BadEventFile, InvalidUtf8AndAMissingFile)
{
    const auto f = parse_events("{\"id\":\"u1\",\"type\":\"absence.started\",\"employee\":\"E-\xC3(\",\"date\":\"2026-01-12\"}");
    ASSERT_EQ(f.errors.size(), 1u);
    EXPECT_THAT(f.errors[0].message, HasSubstr("not valid JSON"));
    EXPECT_THAT(f.errors[0].message, HasSubstr("UTF-8"));
    const auto missing = jobcoach::host::read_events("/nonexistent/events.jsonl");
    ASSERT_EQ(missing.errors.size(), 1u);
    EXPECT_EQ(missing.errors[0].line, 0u);
    EXPECT_EQ(missing.errors[0].message, "cannot open the file (No such file or directory)");
    const DemoRun r = demo("evaluate --events /nonexistent/events.jsonl --as-of 2026-11-23");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.err, HasSubstr("/nonexistent/events.jsonl"));
}

// Plugins -------------------------------------------------------------------------------------------------------

namespace {

// A copy of the `good` test plugin in its own directory under a scratch root: root/good/{test-good.so, manifest};
// `outside` is a directory beside the root, which loading the root does not see.
struct PluginCopy {
    fs::path root, outside, dir, library, manifest;
    PluginCopy()
    {
        root = scratch();
        outside = scratch();
        dir = root / "good";
        fs::create_directories(dir);
        fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                 fs::perms::others_read | fs::perms::others_exec);
        library = dir / variant_library("good").filename();
        manifest = dir / variant_manifest("good").filename();
        fs::copy_file(variant_library("good"), library);
        fs::copy_file(variant_manifest("good"), manifest);
        fs::permissions(library, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
        fs::permissions(manifest, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
    }
    ~PluginCopy()
    {
        fs::remove_all(root);
        fs::remove_all(outside);
    }
    // Loads the root; expects exactly one refusal and returns it as "check: reason".
    std::string refusal() const
    {
        LoggedRuntime r;
        r.runtime->load_directory(root);
        EXPECT_TRUE(r.runtime->plugins().empty());
        if (r.runtime->refusals().size() != 1)
            return "(" + std::to_string(r.runtime->refusals().size()) + " refusals) " + r.log.str();
        return r.runtime->refusals()[0].check + ": " + r.runtime->refusals()[0].reason;
    }
    bool loads() const
    {
        LoggedRuntime r;
        r.runtime->load_directory(root);
        return r.runtime->plugins().size() == 1 && r.runtime->refusals().empty();
    }
};

} // namespace

TEST(BadPlugin, TheUntouchedCopyLoads)
{
    PluginCopy p;
    EXPECT_TRUE(p.loads()); // so that each refusal below is caused by the one thing its test spoils
}

TEST(BadPlugin, WorldWritableLibrary)
{
    PluginCopy p;
    fs::permissions(p.library, fs::perms::others_write, fs::perm_options::add);
    EXPECT_EQ(p.refusal(), "permissions: " + p.library.string() + ": writable by others (chmod o-w)");
}

TEST(BadPlugin, WorldWritableDirectory)
{
    PluginCopy p;
    fs::permissions(p.dir, fs::perms::all);
    EXPECT_EQ(p.refusal(), "permissions: " + p.dir.string() + ": writable by others (chmod o-w)");
    PluginCopy q;
    fs::permissions(q.root, fs::perms::all); // the plugin root itself
    LoggedRuntime r;
    r.runtime->load_directory(q.root);
    ASSERT_EQ(r.runtime->refusals().size(), 1u);
    EXPECT_EQ(r.runtime->refusals()[0].reason, q.root.string() + ": writable by others (chmod o-w)");
}

// Group write is refused unless the group is the owner's private group (umask 002 with user-private groups, the
// default of Debian and Ubuntu users, and the mode 0664 of a release tarball's files extracted by root).
TEST(BadPlugin, GroupWritableManifest)
{
    if (::geteuid() != 0)
        GTEST_SKIP() << "giving a file to another group needs root";
    PluginCopy p;
    fs::permissions(p.manifest, fs::perms::group_write, fs::perm_options::add);
    ASSERT_EQ(::chown(p.manifest.c_str(), static_cast<uid_t>(-1), 100), 0); // "users", a shared group
    EXPECT_EQ(p.refusal(), "permissions: " + p.manifest.string() +
                               ": writable by group 100, which is not the owner's private group (chmod g-w)");
}

TEST(BadPlugin, GroupWriteForTheOwnersPrivateGroupIsAccepted)
{
    if (::geteuid() != 0)
        GTEST_SKIP() << "needs a file of root's, whose group root is its private group here";
    PluginCopy p;
    for (const auto &path : {p.root, p.dir, p.library, p.manifest}) {
        ASSERT_EQ(::chown(path.c_str(), 0, 0), 0);
        fs::permissions(path, fs::perms::group_write, fs::perm_options::add); // as under umask 002
    }
    EXPECT_TRUE(p.loads());
}

TEST(BadPlugin, WritableRulePack)
{
    PluginCopy p;
    fs::create_directories(p.dir / "rulepacks");
    fs::permissions(p.dir / "rulepacks", fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                             fs::perms::others_read | fs::perms::others_exec);
    const fs::path pack = p.dir / "rulepacks" / "common.json";
    { std::ofstream(pack) << "{}"; }
    fs::permissions(pack, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
    EXPECT_TRUE(p.loads());
    fs::permissions(pack, fs::perms::others_write, fs::perm_options::add);
    EXPECT_EQ(p.refusal(), "permissions: " + pack.string() + ": writable by others (chmod o-w)");
    fs::permissions(pack, fs::perms::others_write, fs::perm_options::remove);
    fs::permissions(p.dir / "rulepacks", fs::perms::others_write, fs::perm_options::add);
    EXPECT_EQ(p.refusal(), "permissions: " + (p.dir / "rulepacks").string() + ": writable by others (chmod o-w)");
}

TEST(BadPlugin, ASymlinkedDirectoryWithATrailingSlashIsStillALink)
{
    PluginCopy p;
    const fs::path link = p.outside / "plugins";
    fs::create_directory_symlink(p.root, link);
    for (const std::string &given : {link.string(), link.string() + "/", link.string() + "//"}) {
        LoggedRuntime r;
        r.runtime->load_directory(given);
        EXPECT_TRUE(r.runtime->plugins().empty()) << given;
        ASSERT_EQ(r.runtime->refusals().size(), 1u) << given;
        EXPECT_EQ(r.runtime->refusals()[0].reason, link.string() + ": is a symbolic link") << given;
    }
}

TEST(BadPlugin, WrongOwner)
{
    if (::geteuid() != 0)
        GTEST_SKIP() << "giving a file to another user needs root";
    PluginCopy p;
    ASSERT_EQ(::chown(p.library.c_str(), 65534, 65534), 0); // nobody
    EXPECT_EQ(p.refusal(), "permissions: " + p.library.string() + ": owned by uid 65534, neither root nor this user");
}

TEST(BadPlugin, NotASharedLibrary)
{
    PluginCopy p;
    write(p.library, "#!/bin/sh\necho this is not a plugin\n");
    const std::string why = p.refusal();
    EXPECT_THAT(why, HasSubstr(p.library.string()));
    EXPECT_THAT(why, ::testing::StartsWith("symbol: "));
    EXPECT_THAT(why, HasSubstr("not an ELF"));
}

TEST(BadPlugin, SymlinkToElsewhere)
{
    PluginCopy p;
    const fs::path elsewhere = p.outside / "elsewhere.so";
    fs::rename(p.library, elsewhere);
    fs::create_symlink(elsewhere, p.library);
    EXPECT_EQ(p.refusal(), "permissions: " + p.library.string() + ": is a symbolic link");
    PluginCopy q; // a symlinked manifest too
    fs::rename(q.manifest, q.outside / "elsewhere.plugin.json");
    fs::create_symlink(q.outside / "elsewhere.plugin.json", q.manifest);
    EXPECT_EQ(q.refusal(), "permissions: " + q.manifest.string() + ": is a symbolic link");
}

TEST(BadPlugin, AManifestThatLies)
{
    auto rewrite = [](const fs::path &manifest, const std::string &from, const std::string &to) {
        std::ifstream in(manifest);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const size_t at = text.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        text.replace(at, from.size(), to);
        write(manifest, text);
    };
    {
        PluginCopy p; // another id than the library's own descriptor
        rewrite(p.manifest, "\"test.good\"", "\"nl.jobcoach.uwv\"");
        EXPECT_EQ(p.refusal(), "descriptor: the library's id test.good differs from the manifest's nl.jobcoach.uwv");
    }
    {
        PluginCopy p; // a library that is not there
        rewrite(p.manifest, "\"test-good.so\"", "\"test-gone.so\"");
        EXPECT_THAT(p.refusal(), HasSubstr("test-gone.so: cannot stat (No such file or directory)"));
    }
    {
        PluginCopy p; // a library outside its directory
        rewrite(p.manifest, "\"test-good.so\"", "\"../elsewhere.so\"");
        EXPECT_THAT(p.refusal(), HasSubstr("manifest: "));
        EXPECT_THAT(p.refusal(), HasSubstr("library \"../elsewhere.so\" must be a file name beside the manifest"));
    }
    {
        PluginCopy p; // an ABI major the library does not have
        rewrite(p.manifest, "\"major\": 1", "\"major\": 2");
        EXPECT_THAT(p.refusal(), HasSubstr("version: the manifest needs host ABI 2.0, this host has 1.7"));
    }
}

TEST(BadPlugin, EveryPluginRefusedExitsNonZeroAndSaysWhy)
{
    PluginCopy p;
    fs::permissions(p.library, fs::perms::others_write, fs::perm_options::add);
    const DemoRun list = demo("plugins --plugins " + p.root.string());
    EXPECT_EQ(list.exit_code, 1) << list.out; // a host with no plugin can do nothing
    EXPECT_THAT(list.out, HasSubstr("permissions check: " + p.library.string() + ": writable by others"));
    write(p.outside / "events.jsonl", std::string(contract) + "\n");
    const DemoRun run = demo("evaluate --events " + (p.outside / "events.jsonl").string() + " --as-of 2026-11-23 --plugins " +
                             p.root.string());
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_THAT(run.err, HasSubstr("no plugin could be loaded"));
    EXPECT_THAT(run.err, HasSubstr("refused " + p.manifest.string() + ": permissions check: " + p.library.string() +
                                   ": writable by others (chmod o-w)"));
    const DemoRun empty = demo("plugins --plugins " + p.outside.string());
    EXPECT_EQ(empty.exit_code, 1);
    EXPECT_THAT(empty.out, HasSubstr("no plugins found"));
}

// Reports and generated files (-o) ------------------------------------------------------------------------------

namespace {
std::string read_file(const fs::path &file)
{
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}
} // namespace

TEST(BadOutput, ReportOverTheEventFileIsRefusedAndTheInputKept)
{
    const fs::path dir = scratch();
    fs::copy_file(sample, dir / "events.jsonl");
    const std::string before = read_file(dir / "events.jsonl");
    const DemoRun r = demo("report --events " + (dir / "events.jsonl").string() + " --as-of 2026-11-23 -o " +
                           (dir / "events.jsonl").string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.err, HasSubstr("is the event file (--events); it would be overwritten"));
    EXPECT_EQ(read_file(dir / "events.jsonl"), before);
    // The same file through another name (a hard link) is the same file.
    fs::create_hard_link(dir / "events.jsonl", dir / "link.jsonl");
    EXPECT_EQ(demo("report --events " + (dir / "events.jsonl").string() + " --as-of 2026-11-23 -o " +
                   (dir / "link.jsonl").string()).exit_code, 2);
    EXPECT_EQ(read_file(dir / "events.jsonl"), before);
    fs::remove_all(dir);
}

TEST(BadOutput, ReportOverAStateFileIsRefusedAndTheStateKept)
{
    const fs::path dir = scratch();
    const std::string state = (dir / "tenant").string();
    const DemoRun first = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state);
    ASSERT_EQ(first.exit_code, 0) << first.err;
    for (const std::string &target : {state + ".nl.jobcoach.uwv", state + ".nl.jobcoach.uwv-wal", state}) {
        const DemoRun r = demo("report --events " + sample + " --as-of 2026-11-23 --state " + state + " -o " + target);
        EXPECT_EQ(r.exit_code, 2) << target;
        EXPECT_THAT(r.err, HasSubstr("is a state file of --state")) << target;
    }
    // The same names given relative to the working directory, one bare and one with "./".
    const DemoRun relative = run_program("cd " + dir.string() + " && " + JC_TEST_DEMO,
                                         "report --events " + sample + " --as-of 2026-11-23 --state ./tenant -o tenant.nl.jobcoach.uwv");
    EXPECT_EQ(relative.exit_code, 2);
    EXPECT_THAT(relative.err, HasSubstr("is a state file of --state"));
    const DemoRun after = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state);
    EXPECT_EQ(after.exit_code, 0) << after.err;
    EXPECT_EQ(after.out, first.out);
    fs::remove_all(dir);
}

TEST(BadOutput, ARefusedImportLeavesThePreviousReportWhole)
{
    const fs::path dir = scratch();
    const fs::path report = dir / "report.html";
    ASSERT_EQ(demo("report --events " + sample + " --as-of 2026-11-23 -o " + report.string()).exit_code, 0);
    const std::string good = read_file(report);
    ASSERT_GT(good.size(), 10000u);
    write(dir / "bad.jsonl", std::string(contract) + "\n{ not json\n");
    const DemoRun r = demo("report --events " + (dir / "bad.jsonl").string() + " --as-of 2026-11-23 -o " + report.string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(read_file(report), good); // not emptied, not half written
    std::vector<std::string> left;
    for (const auto &e : fs::directory_iterator(dir))
        left.push_back(e.path().filename().string());
    std::sort(left.begin(), left.end());
    EXPECT_EQ(left, (std::vector<std::string>{"bad.jsonl", "report.html"})); // no temporary file left behind
    fs::remove_all(dir);
}

TEST(BadOutput, GenerateRefusesDatesPast2199)
{
    const DemoRun late = demo("generate --employees 3 --start 2198-01-01 --years 5");
    EXPECT_EQ(late.exit_code, 2);
    EXPECT_THAT(late.err, HasSubstr("past 2199-12-31"));
    EXPECT_TRUE(late.out.empty());
    // The latest start that fits: every date it writes is one evaluate accepts.
    const fs::path dir = scratch();
    const DemoRun fits = demo("generate --employees 20 --start 2197-01-02 --years 2 -o " + (dir / "g.jsonl").string());
    ASSERT_EQ(fits.exit_code, 0) << fits.err;
    const DemoRun eval = demo("evaluate --events " + (dir / "g.jsonl").string() + " --as-of 2199-12-31");
    EXPECT_EQ(eval.exit_code, 0) << eval.err.substr(0, 500);
    EXPECT_EQ(demo("generate --employees 3 --start 2197-01-03 --years 2").exit_code, 2); // a contract could end in 2200
    fs::remove_all(dir);
}

// State files (--state) -----------------------------------------------------------------------------------------

namespace {
const std::string uwv_suffix = ".nl.jobcoach.uwv";
fs::perms mode_of(const fs::path &p) { return fs::symlink_status(p).permissions() & fs::perms::mask; }
} // namespace

TEST(BadState, AStateFileOthersCanReadIsMadeOwnerOnly)
{
    const fs::path dir = scratch();
    const std::string state = (dir / "s").string();
    const DemoRun first = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state);
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(mode_of(state + uwv_suffix), fs::perms::owner_read | fs::perms::owner_write);
    fs::permissions(state + uwv_suffix, fs::perms::all & ~(fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec));
    write(state + uwv_suffix + "-wal", ""); // an empty write-ahead log, as a copy with `cp` might leave, mode 0666
    fs::permissions(state + uwv_suffix + "-wal", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                                     fs::perms::group_write | fs::perms::others_read | fs::perms::others_write);
    const DemoRun again = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state);
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out, first.out);
    EXPECT_THAT(again.err, HasSubstr(state + uwv_suffix + " had mode 0666; made owner-only (0600)"));
    EXPECT_THAT(again.err, HasSubstr(state + uwv_suffix + "-wal had mode 0666; made owner-only (0600)"));
    EXPECT_EQ(mode_of(state + uwv_suffix), fs::perms::owner_read | fs::perms::owner_write);
    fs::remove_all(dir);
}

TEST(BadState, ASymbolicLinkIsRefusedAndItsTargetUntouched)
{
    const fs::path dir = scratch();
    const std::string state = (dir / "s").string();
    write(dir / "target", "");
    fs::create_symlink(dir / "target", state + uwv_suffix);
    const DemoRun linked = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state);
    EXPECT_EQ(linked.exit_code, 1);
    EXPECT_THAT(linked.err, HasSubstr(state + uwv_suffix + " is a symbolic link"));
    EXPECT_EQ(fs::file_size(dir / "target"), 0u);
    fs::remove(state + uwv_suffix);
    fs::create_symlink(dir / "nowhere", state + uwv_suffix); // dangling
    const DemoRun dangling = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state);
    EXPECT_EQ(dangling.exit_code, 1);
    EXPECT_THAT(dangling.err, HasSubstr("is a symbolic link"));
    EXPECT_FALSE(fs::exists(dir / "nowhere"));
    fs::remove_all(dir);
}

TEST(BadState, AnotherPluginsStateIsRefused)
{
    const fs::path dir = scratch();
    const std::string state = (dir / "s").string(), other = (dir / "t").string();
    ASSERT_EQ(demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state).exit_code, 0);
    fs::copy_file(state + ".nl.jobcoach.gemeente", other + uwv_suffix);
    const std::string bytes = read_file(other + uwv_suffix);
    const DemoRun r = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + other);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr("the state of plugin nl.jobcoach.gemeente, not of nl.jobcoach.uwv; nothing was changed"));
    EXPECT_EQ(read_file(other + uwv_suffix), bytes);
    fs::remove_all(dir);
}

TEST(BadState, AnotherApplicationsDatabaseIsLeftAsItWas)
{
    const fs::path dir = scratch();
    const std::string state = (dir / "s").string();
    {
        SQLite::Database db(state + uwv_suffix, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE customers(name TEXT); INSERT INTO customers VALUES('someone')");
    }
    const std::string bytes = read_file(state + uwv_suffix);
    const DemoRun r = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr("not a jobcoach plugin's state (another application's SQLite database?)"));
    EXPECT_EQ(read_file(state + uwv_suffix), bytes); // no table added, not switched to WAL
    EXPECT_FALSE(fs::exists(state + uwv_suffix + "-wal"));
    write(state + uwv_suffix, "just some text that is no database at all, long enough to have a header...........");
    const DemoRun text = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state);
    EXPECT_EQ(text.exit_code, 1);
    EXPECT_THAT(text.err, HasSubstr("state database " + state + uwv_suffix));
    fs::remove_all(dir);
}

TEST(BadState, AnEmptyFileIsNotTakenForANewState)
{
    const fs::path dir = scratch();
    const std::string state = (dir / "s").string();
    write(state + uwv_suffix, "");
    const DemoRun r = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + state);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr("an empty file, not a state this plugin wrote"));
    EXPECT_EQ(fs::file_size(state + uwv_suffix), 0u);
    fs::remove_all(dir);
}

TEST(BadState, AnEmptyStateOptionOrADirectoryIsRefused)
{
    const fs::path dir = scratch();
    const DemoRun empty = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state ''");
    EXPECT_EQ(empty.exit_code, 2);
    EXPECT_THAT(empty.err, HasSubstr("--state: must not be empty"));
    const DemoRun directory = demo("evaluate --events " + sample + " --as-of 2026-11-23 --state " + dir.string());
    EXPECT_EQ(directory.exit_code, 2);
    EXPECT_THAT(directory.err, HasSubstr(dir.string() + " is a directory"));
    EXPECT_TRUE(fs::is_empty(dir));
    fs::remove_all(dir);
}

TEST(BadEventFile, AnIdConflictAcrossRunsExits2AndAppliesNothing)
{
    expect_refused_and_state_kept(
        std::string(contract) + "\n" +
            R"({"id":"E-101-0003","type":"timesheet.logged","employee":"E-101","date":"2026-03-04","minutes":95})" "\n",
        ":2: plugin ");
}
