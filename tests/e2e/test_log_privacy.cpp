// SPDX-License-Identifier: Apache-2.0
// Privacy of the logs: no employee key appears in a log line at info level or above, from the runtime, from the
// plugins (through jc_host.log) or from jobcoach-demo, whatever the events and whatever goes wrong.
#include "e2e/demo_run.hpp"
#include <jobcoach/host/event_file.hpp>

#include <jobcoach/host/runtime.hpp>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using namespace jobcoach;

namespace {

const std::string sample = std::string(JC_TEST_SOURCE_DIR) + "/host_demo/samples/sample-events.jsonl";

std::set<std::string> employee_keys(const host::EventFile &file)
{
    std::set<std::string> keys;
    for (const auto &e : file.events)
        keys.insert(e.employee);
    return keys;
}

// Lines of `log` (pattern "<level>|<message>") at info or above that contain one of `keys`.
std::vector<std::string> leaks(const std::string &log, const std::set<std::string> &keys)
{
    std::vector<std::string> out;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("debug|", 0) == 0 || line.rfind("trace|", 0) == 0)
            continue;
        for (const auto &k : keys)
            if (line.find(k) != std::string::npos)
                out.push_back(line);
    }
    return out;
}

} // namespace

TEST(LogPrivacy, NoEmployeeKeyInTheRuntimeOrPluginLogsAtInfoOrAbove)
{
    const auto file = host::read_events(sample);
    ASSERT_TRUE(file.errors.empty());
    const auto keys = employee_keys(file);
    ASSERT_GE(keys.size(), 10u);

    std::ostringstream log;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log);
    sink->set_pattern("%l|%v");
    auto logger = std::make_shared<spdlog::logger>("privacy", sink);
    logger->set_level(spdlog::level::trace);
    {
        host::Runtime runtime(logger);
        runtime.load_directory(JC_TEST_PLUGIN_DIR);
        ASSERT_EQ(runtime.plugins().size(), 2u);
        std::vector<const host::Event *> all;
        for (const auto &e : file.events)
            all.push_back(&e);
        const host::AbiEvents abi(all);
        for (const auto &plugin : runtime.plugins()) {
            auto instance = runtime.create_instance(plugin, {});
            ASSERT_EQ(instance->handle_events(abi.headers()).status, JC_OK);
            // The same batch again (every id a duplicate), a batch with a broken event, then evaluate and status.
            instance->handle_events(abi.headers());
            std::vector<const jc_event_header *> broken(abi.headers().begin(), abi.headers().end());
            broken[3] = nullptr;
            EXPECT_EQ(instance->handle_events(broken).status, JC_E_INVALID_EVENT);
            EXPECT_FALSE(instance->evaluate(20780).empty()); // 2026-11-23
            for (const auto &k : keys)
                instance->status(k, 20780);
        }
    }
    EXPECT_NE(log.str().find("info|"), std::string::npos) << "the test must see info lines to mean anything";
    EXPECT_EQ(leaks(log.str(), keys), std::vector<std::string>{});
}

TEST(LogPrivacy, NoEmployeeKeyInWhatTheDemoLogs)
{
    const auto keys = employee_keys(host::read_events(sample));
    const fs::path state = fs::temp_directory_path() / ("jc-privacy-" + std::to_string(::getpid()));
    for (int run = 0; run < 2; ++run) { // the second run finds every event already stored
        const DemoRun r = run_program(JC_TEST_DEMO, "evaluate --events " + sample + " --as-of 2026-11-23 --state " + state.string());
        ASSERT_EQ(r.exit_code, 0) << r.err;
        for (const auto &k : keys)
            EXPECT_EQ(r.err.find(k), std::string::npos) << "stderr names " << k << ":\n" << r.err;
    }
    for (const char *id : {"nl.jobcoach.uwv", "nl.jobcoach.gemeente"})
        fs::remove(state.string() + "." + id);
}
