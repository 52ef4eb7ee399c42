// SPDX-License-Identifier: Apache-2.0
// Crash consistency: jobcoach-demo is killed with SIGKILL at random moments while it imports the sample into
// --state (one transaction per event), then run again on the same state. Every rerun must print exactly the
// findings of an uninterrupted run, and each plugin's store must hold each event exactly once.
#include "e2e/demo_run.hpp"

#include <jobcoach/rules/event_store.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

extern char **environ;

namespace fs = std::filesystem;

namespace {

const std::string sample = std::string(JC_TEST_SOURCE_DIR) + "/host_demo/samples/sample-events.jsonl";
const char *const plugin_ids[] = {"nl.jobcoach.uwv", "nl.jobcoach.gemeente"};

// Starts jobcoach-demo with `args` (split at spaces), its output discarded.
pid_t start_demo(const std::string &args)
{
    std::vector<std::string> words = {JC_TEST_DEMO};
    std::istringstream in(args);
    for (std::string w; in >> w;)
        words.push_back(w);
    std::vector<char *> argv;
    for (auto &w : words)
        argv.push_back(w.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, JC_TEST_DEMO, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

// How many events each plugin's state database holds, and whether any id is there twice.
struct Stored {
    std::vector<size_t> counts;
    bool duplicate_ids = false;
};

Stored stored(const std::string &state)
{
    Stored out;
    for (const char *id : plugin_ids) {
        const std::string path = state + "." + id;
        if (!fs::exists(path)) {
            out.counts.push_back(0);
            continue;
        }
        const auto events = jobcoach::rules::EventStore(path, id).load();
        std::set<std::string> ids;
        for (const auto &e : events)
            out.duplicate_ids |= !ids.insert(e.id).second;
        out.counts.push_back(events.size());
    }
    return out;
}

} // namespace

TEST(CrashConsistency, AnImportKilledAtRandomMomentsAndRunAgainGivesTheUninterruptedFindings)
{
    const std::string args = "evaluate --events " + sample + " --as-of 2026-11-23 --batch-size 1";
    const fs::path root = fs::temp_directory_path() / ("jc-crash-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root);

    // The uninterrupted run, and how long it takes with state (the window the kill points fall in).
    const DemoRun reference = demo(args);
    ASSERT_EQ(reference.exit_code, 0) << reference.err;
    ASSERT_FALSE(reference.out.empty());
    const std::string clean_state = (root / "clean").string();
    const auto started = std::chrono::steady_clock::now();
    const DemoRun clean = demo(args + " --state " + clean_state);
    const auto window = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    ASSERT_EQ(clean.out, reference.out);
    const Stored full = stored(clean_state);
    ASSERT_FALSE(full.duplicate_ids);
    ASSERT_GT(full.counts[0], 0u);
    ASSERT_GT(full.counts[1], 0u);

    std::mt19937 random(20261123); // fixed: a failing kill point can be replayed
    std::uniform_int_distribution<long> delay_us(0, window.count());
    int killed = 0, mid_import = 0, attempts = 0;
    while (killed < 60 && attempts < 600) {
        ++attempts;
        const std::string state = (root / ("kill-" + std::to_string(attempts))).string();
        const long delay = delay_us(random);
        const pid_t pid = start_demo(args + " --state " + state);
        ASSERT_GT(pid, 0);
        std::this_thread::sleep_for(std::chrono::microseconds(delay));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
            continue; // it finished before the kill: not a kill point
        ++killed;
        const Stored before = stored(state);
        ASSERT_FALSE(before.duplicate_ids) << "kill point at " << delay << " us";
        for (size_t p = 0; p < before.counts.size(); ++p)
            if (before.counts[p] > 0 && before.counts[p] < full.counts[p]) {
                ++mid_import;
                break;
            }
        const DemoRun rerun = demo(args + " --state " + state);
        ASSERT_EQ(rerun.exit_code, 0) << "kill point at " << delay << " us: " << rerun.err;
        ASSERT_EQ(rerun.out, reference.out) << "kill point at " << delay << " us, stored before the rerun: "
                                            << before.counts[0] << " and " << before.counts[1];
        const Stored after = stored(state);
        EXPECT_FALSE(after.duplicate_ids);
        EXPECT_EQ(after.counts, full.counts) << "kill point at " << delay << " us: an event was lost or stored twice";
    }
    std::cout << "kill points: " << killed << " of " << attempts << " runs killed, " << mid_import
              << " of them in the middle of an import (window " << window.count() << " us)\n";
    EXPECT_GE(killed, 50);
    EXPECT_GE(mid_import, 5); // the kills did land inside imports, not only before or after them
    fs::remove_all(root);
}
