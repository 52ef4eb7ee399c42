// SPDX-License-Identifier: Apache-2.0
// Concurrency, as jobcoach/types.h allows it: different instances driven from different threads at once, and
// one host::Instance shared by threads (the runtime serializes its calls: [instance-serialized]). Run under
// ThreadSanitizer by the tsan preset.
#include <jobcoach/host/event_file.hpp>

#include <jobcoach/host/runtime.hpp>

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <thread>

using namespace jobcoach;

namespace {

const std::string sample = std::string(JC_TEST_SOURCE_DIR) + "/host_demo/samples/sample-events.jsonl";
constexpr jc_date as_of = 20780; // 2026-11-23

struct Fixture {
    host::EventFile file = host::read_events(sample);
    std::vector<const host::Event *> pointers;
    std::unique_ptr<host::AbiEvents> abi;
    host::Runtime runtime{std::make_shared<spdlog::logger>("concurrency", std::make_shared<spdlog::sinks::null_sink_mt>())};

    Fixture()
    {
        for (const auto &e : file.events)
            pointers.push_back(&e);
        abi = std::make_unique<host::AbiEvents>(pointers);
        runtime.load_directory(JC_TEST_PLUGIN_DIR);
    }
};

std::vector<std::string> keys(const std::vector<host::Finding> &findings)
{
    std::vector<std::string> out;
    for (const auto &f : findings)
        out.push_back(f.employee + "|" + f.rule + "|" + f.kind + "|" + f.subject + "|" + std::to_string(f.due) + "|" +
                      std::to_string(f.observed_minutes.value_or(-1)) + "|" + f.message_en);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST(Concurrency, ThreadsEachDrivingTheirOwnInstanceGetTheFindingsOfARunAlone)
{
    Fixture fx;
    ASSERT_EQ(fx.runtime.plugins().size(), 2u);
    for (const auto &plugin : fx.runtime.plugins()) {
        auto alone = fx.runtime.create_instance(plugin, {});
        ASSERT_EQ(alone->handle_events(fx.abi->headers()).status, JC_OK);
        const auto reference = keys(alone->evaluate(as_of));
        ASSERT_FALSE(reference.empty());
        std::atomic<int> mismatches{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                auto mine = fx.runtime.create_instance(plugin, {});
                if (mine->handle_events(fx.abi->headers()).status != JC_OK)
                    ++mismatches;
                for (int round = 0; round < 3; ++round)
                    if (keys(mine->evaluate(as_of)) != reference)
                        ++mismatches;
            });
        for (auto &t : threads)
            t.join();
        EXPECT_EQ(mismatches.load(), 0) << host::Runtime::info(*plugin).id;
    }
}

TEST(Concurrency, OneInstanceSharedByThreadsStoresEachEventOnce)
{
    Fixture fx;
    for (const auto &plugin : fx.runtime.plugins()) {
        auto alone = fx.runtime.create_instance(plugin, {});
        const auto first = alone->handle_events(fx.abi->headers());
        ASSERT_EQ(first.status, JC_OK);
        const auto reference = keys(alone->evaluate(as_of));

        auto shared = fx.runtime.create_instance(plugin, {});
        std::atomic<uint32_t> accepted{0}, duplicates{0};
        std::atomic<int> mismatches{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                const auto outcome = shared->handle_events(fx.abi->headers());
                accepted += outcome.result.accepted;
                duplicates += outcome.result.duplicates;
                const auto now = keys(shared->evaluate(as_of)); // after at least this thread's batch
                if (now != reference)
                    ++mismatches;
            });
        for (auto &t : threads)
            t.join();
        EXPECT_EQ(accepted.load(), first.result.accepted) << "every event is stored once, whichever thread came first";
        EXPECT_EQ(duplicates.load(), 3 * first.result.accepted);
        EXPECT_EQ(mismatches.load(), 0);
    }
}
