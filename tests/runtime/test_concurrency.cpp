// SPDX-License-Identifier: Apache-2.0
// Concurrency, as jobcoach/types.h allows it: different instances driven from different threads at once, and
// one host::Instance shared by threads (the runtime serializes its calls: [instance-serialized]). Run under
// ThreadSanitizer by the tsan preset.
#include "generate.hpp"

#include <jobcoach/host/event_file.hpp>
#include <jobcoach/host/runtime.hpp>
#include <jobcoach/rules/evaluate_everyone.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

using namespace jobcoach;
namespace demo = jobcoach::demo;

namespace {

const std::string sample = std::string(JC_TEST_SOURCE_DIR) + "/host_demo/samples/sample-events.jsonl";
constexpr jc_date as_of = 20780; // 2026-11-23

struct Fixture {
    host::EventFile file = host::read_events(sample);
    std::vector<const host::Event *> pointers;
    std::unique_ptr<host::AbiEvents> abi;
    std::ostringstream log;
    host::Runtime runtime{
        std::make_shared<spdlog::logger>("concurrency", std::make_shared<spdlog::sinks::ostream_sink_mt>(log))};

    Fixture()
    {
        for (const auto &e : file.events)
            pointers.push_back(&e);
        abi = std::make_unique<host::AbiEvents>(pointers);
        runtime.load_directory(JC_TEST_PLUGIN_DIR);
        // Threads enough for the counts the tests ask for with JOBCOACH_EVALUATE_THREADS, whatever the machine
        // (the runtime's jc.threads/1 otherwise allows its hardware threads).
        runtime.share_threads(16);
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

// Sets JOBCOACH_EVALUATE_THREADS (plugin.h, evaluate) for a scope; unset again afterwards.
struct EvaluateThreads {
    explicit EvaluateThreads(unsigned n) { ::setenv("JOBCOACH_EVALUATE_THREADS", std::to_string(n).c_str(), 1); }
    ~EvaluateThreads() { ::unsetenv("JOBCOACH_EVALUATE_THREADS"); }
};

// Every member of a finding, in one string.
std::string whole(const host::Finding &f)
{
    std::string out = f.id + "|" + f.employee + "|" + f.scheme + "|" + f.rule + "|" + f.kind + "|" +
                      std::to_string(f.severity) + "|" + std::to_string(f.due) + "|" + f.subject + "|" +
                      std::to_string(f.observed_minutes.value_or(-1)) + "|" + std::to_string(f.limit_minutes.value_or(-1)) +
                      "|" + std::to_string(f.amount_cents.value_or(-1)) + "|" + f.message_nl + "|" + f.message_en + "|" +
                      f.source + "|" + f.employer + "|" + std::to_string(f.trajectory) + "|" + f.title_en + "|" +
                      f.action_en + "|" + f.explanation;
    for (const auto &e : f.employees)
        out += "|" + e;
    return out;
}

// A generated tenant (jobcoach-demo generate): `employees` over two years, with every kind of finding.
struct Tenant {
    std::string text;
    host::EventFile file;
    std::vector<const host::Event *> pointers;
    std::unique_ptr<host::AbiEvents> abi;
    explicit Tenant(uint32_t employees)
    {
        demo::GenerateOptions o;
        o.employees = employees;
        o.years = 2;
        o.seed = 11;
        std::ostringstream out;
        demo::generate(o, out);
        text = out.str();
        file = host::parse_events(text);
        for (const auto &e : file.events)
            pointers.push_back(&e);
        abi = std::make_unique<host::AbiEvents>(pointers);
    }
};

} // namespace

// Evaluating everyone spread over threads (JOBCOACH_EVALUATE_THREADS) hands on, on the calling thread, exactly
// what one thread hands on: the same findings, every member, in the same order, the employer-level ones (merged
// from every thread's share of the employees) last. Several batches of employees, so that helpers run.
TEST(Concurrency, EvaluatingEveryoneOnSeveralThreadsHandsOnWhatOneThreadDoesInTheSameOrder)
{
    Fixture fx;
    const Tenant tenant(1200);
    const auto caller = std::this_thread::get_id();
    for (const auto &plugin : fx.runtime.plugins()) {
        auto instance = fx.runtime.create_instance(plugin, {});
        ASSERT_EQ(instance->handle_events(tenant.abi->headers()).status, JC_OK);
        const jc_date as_of = *jobcoach::dates::parse("2025-06-30"); // generated from 2024-01-01
        std::vector<std::string> one;
        {
            const EvaluateThreads threads(1);
            instance->evaluate_each(as_of, [&](host::Finding &&f) { one.push_back(whole(f)); });
        }
        std::set<std::string> employees;
        size_t clusters = 0;
        for (const auto &f : instance->evaluate(as_of)) {
            employees.insert(f.employee);
            clusters += f.kind == "visits.cluster";
        }
        EXPECT_GT(employees.size(), 4 * rules::batch_employees) << "enough employees with findings for helpers";
        if (host::Runtime::info(*plugin).id == "nl.jobcoach.gemeente") {
            EXPECT_GT(clusters, 0u) << "employer-level findings, gathered across the threads' employees";
        }
        for (unsigned n : {2u, 3u, 5u}) {
            const EvaluateThreads threads(n);
            std::vector<std::string> many;
            bool elsewhere = false;
            instance->evaluate_each(as_of, [&](host::Finding &&f) {
                elsewhere = elsewhere || std::this_thread::get_id() != caller;
                many.push_back(whole(f));
            });
            EXPECT_FALSE(elsewhere) << "every finding is emitted on the calling thread";
            ASSERT_EQ(many.size(), one.size()) << n << " threads, " << host::Runtime::info(*plugin).id;
            for (size_t i = 0; i < one.size(); ++i)
                ASSERT_EQ(many[i], one[i]) << "finding " << i << ", " << n << " threads";
        }
    }
}

// A damaged row met on two threads fails the evaluation as it does on one thread: the same error, and the
// findings of the employees before it handed on first. The first cycle of employees on two threads is fixed (the
// helper's first batch, then the calling thread's own share, then the helper's second batch: evaluate_everyone),
// so the 71st employee is one the calling thread evaluates itself, and the 121st one a helper does.
TEST(Concurrency, ADamagedRowMetOnAHelperThreadFailsAsOnOneThread)
{
    Fixture fx;
    const Tenant tenant(600);
    const auto state = std::filesystem::temp_directory_path() / ("jc-threads-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(state);
    std::shared_ptr<host::Plugin> uwv;
    for (const auto &p : fx.runtime.plugins())
        if (host::Runtime::info(*p).id == "nl.jobcoach.uwv")
            uwv = p;
    ASSERT_NE(uwv, nullptr);
    {
        auto instance = fx.runtime.create_instance(uwv, {state.string(), ""});
        ASSERT_EQ(instance->handle_events(tenant.abi->headers()).status, JC_OK);
    }
    // The employee's row at `offset` (in key order) loses its last byte, or gets it back (kept_row).
    std::string kept_row;
    auto damage = [&](int offset, bool back) {
        sqlite3 *db = nullptr;
        ASSERT_EQ(sqlite3_open(state.c_str(), &db), SQLITE_OK);
        const std::string which =
            "(SELECT key FROM employee_rows ORDER BY key LIMIT 1 OFFSET " + std::to_string(offset) + ")";
        sqlite3_stmt *q = nullptr;
        if (!back) {
            ASSERT_EQ(sqlite3_prepare_v2(db, ("SELECT events FROM employee_rows WHERE key = " + which).c_str(), -1,
                                         &q, nullptr),
                      SQLITE_OK);
            ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
            kept_row.assign(static_cast<const char *>(sqlite3_column_blob(q, 0)),
                            static_cast<size_t>(sqlite3_column_bytes(q, 0)));
            sqlite3_finalize(q);
        }
        ASSERT_EQ(sqlite3_prepare_v2(db, ("UPDATE employee_rows SET events = ? WHERE key = " + which).c_str(), -1, &q,
                                     nullptr),
                  SQLITE_OK);
        sqlite3_bind_blob(q, 1, kept_row.data(), static_cast<int>(kept_row.size() - (back ? 0 : 1)), SQLITE_TRANSIENT);
        EXPECT_EQ(sqlite3_step(q), SQLITE_DONE);
        sqlite3_finalize(q);
        ASSERT_EQ(sqlite3_changes(db), 1);
        sqlite3_close(db);
    };

    const jc_date as_of = *jobcoach::dates::parse("2025-06-30");
    auto run = [&](unsigned n, std::vector<std::string> &handed) -> std::string {
        const EvaluateThreads threads(n);
        auto instance = fx.runtime.create_instance(uwv, {state.string(), ""});
        try {
            instance->evaluate_each(as_of, [&](host::Finding &&f) { handed.push_back(whole(f)); });
        } catch (const host::HostError &e) {
            return e.what();
        }
        return "no error";
    };
    for (const int offset : {70, 120, 399}) {
        damage(offset, false);
        std::vector<std::string> one, two;
        const std::string alone = run(1, one), helped = run(2, two);
        damage(offset, true);
        EXPECT_THAT(alone, ::testing::HasSubstr("an event's stored row is damaged")) << offset;
        EXPECT_EQ(helped, alone) << offset;
        EXPECT_FALSE(one.empty()) << offset;
        EXPECT_EQ(two, one) << offset;
    }
    std::vector<std::string> whole_again;
    EXPECT_EQ(run(2, whole_again), "no error") << "every row whole again";
    std::filesystem::remove(state);
}

// JOBCOACH_EVALUATE_THREADS that is not a number from 1 to 64 is named in a warning, and the evaluation goes on
// on the machine's threads with the same findings.
TEST(Concurrency, AnEvaluateThreadsSettingThatIsNoNumberIsNamedInAWarning)
{
    const Tenant tenant(300);
    auto log = std::make_shared<std::ostringstream>();
    host::Runtime runtime{std::make_shared<spdlog::logger>(
        "threads", std::make_shared<spdlog::sinks::ostream_sink_mt>(*log))};
    runtime.load_directory(JC_TEST_PLUGIN_DIR);
    ASSERT_FALSE(runtime.plugins().empty());
    auto instance = runtime.create_instance(runtime.plugins().front(), {});
    ASSERT_EQ(instance->handle_events(tenant.abi->headers()).status, JC_OK);
    const jc_date as_of = *jobcoach::dates::parse("2025-06-30");
    std::vector<std::string> one, odd;
    {
        const EvaluateThreads threads(1);
        instance->evaluate_each(as_of, [&](host::Finding &&f) { one.push_back(whole(f)); });
    }
    EXPECT_EQ(log->str().find("JOBCOACH_EVALUATE_THREADS"), std::string::npos) << log->str();
    for (const auto &[value, shown] : {std::pair{"many", "many"}, std::pair{"0", "0"}, std::pair{"65", "65"},
                                       std::pair{"2x", "2x"}, std::pair{"\xff", "?"}}) {
        ::setenv("JOBCOACH_EVALUATE_THREADS", value, 1);
        odd.clear();
        instance->evaluate_each(as_of, [&](host::Finding &&f) { odd.push_back(whole(f)); });
        ::unsetenv("JOBCOACH_EVALUATE_THREADS");
        EXPECT_EQ(odd, one) << value;
        EXPECT_THAT(log->str(), ::testing::HasSubstr(std::string("JOBCOACH_EVALUATE_THREADS='") + shown +
                                                     "' is not a number from 1 to 64: evaluating on "))
            << value;
    }
}

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

// jc.threads/1: the runtime counts the host's threads that evaluate and the threads the plugins take beyond them,
// and lets the plugins take none while the two would exceed its capacity. Alone, a plugin takes the thread left
// free; evaluated at once on two threads the host counted before it started them (EvaluationThreads::reserve,
// Seat), the plugins take none while both run (a capacity of two), and the findings are those of one thread
// each. Every thread taken is given back when the call returns.
TEST(Concurrency, InstancesEvaluatedAtOnceShareTheRuntimesThreads)
{
    ::unsetenv("JOBCOACH_EVALUATE_THREADS"); // the plugins' own choice: the machine's threads, at most 8
    Fixture fx;
    const Tenant tenant(1200);
    const jc_date as_of = *jobcoach::dates::parse("2025-06-30");
    ASSERT_EQ(fx.runtime.plugins().size(), 2u);
    std::vector<std::vector<std::string>> alone(2);
    for (unsigned capacity : {1u, 2u}) {
        fx.runtime.share_threads(capacity);
        for (size_t k = 0; k < 2; ++k) {
            auto instance = fx.runtime.create_instance(fx.runtime.plugins()[k], {});
            ASSERT_EQ(instance->handle_events(tenant.abi->headers()).status, JC_OK);
            std::vector<std::string> got;
            instance->evaluate_each(as_of, [&](host::Finding &&f) { got.push_back(whole(f)); });
            if (capacity == 1)
                alone[k] = got;
            else
                EXPECT_EQ(got, alone[k]) << "with a thread taken, " << host::Runtime::info(*fx.runtime.plugins()[k]).id;
            EXPECT_EQ(fx.runtime.evaluation_threads().in_use(), 0u) << "every thread given back";
        }
        // One evaluation at a time: its calling thread, and the one it took when there was one to take.
        EXPECT_EQ(fx.runtime.evaluation_threads().most_in_use(), capacity);
    }
    fx.runtime.share_threads(2);
    std::vector<std::unique_ptr<host::Instance>> instances;
    for (const auto &plugin : fx.runtime.plugins()) {
        instances.push_back(fx.runtime.create_instance(plugin, {}));
        ASSERT_EQ(instances.back()->handle_events(tenant.abi->headers()).status, JC_OK);
    }
    std::vector<std::vector<std::string>> at_once(2);
    std::vector<std::thread> threads;
    host::EvaluationThreads &count = fx.runtime.evaluation_threads();
    count.reserve(2);
    for (size_t k = 0; k < 2; ++k)
        threads.emplace_back([&, k] {
            const host::EvaluationThreads::Seat seat(count, true);
            instances[k]->evaluate_each(as_of, [&](host::Finding &&f) { at_once[k].push_back(whole(f)); });
        });
    for (auto &t : threads)
        t.join();
    EXPECT_EQ(at_once, alone);
    EXPECT_LE(fx.runtime.evaluation_threads().most_in_use(), 2u);
    EXPECT_EQ(fx.runtime.evaluation_threads().in_use(), 0u);
    EXPECT_THAT(fx.log.str(), ::testing::Not(::testing::HasSubstr("kept"))) << "the plugins gave back what they took";
}

// A thread that comes free while a plugin evaluates alone on its calling thread (another evaluation ended) is
// taken by it: the plugin asks again as it goes, starts a helper, hands on what one thread gives, and gives the
// thread back before its call returns.
TEST(Concurrency, AThreadThatComesFreeDuringAnEvaluationIsTakenAndGivenBack)
{
    ::unsetenv("JOBCOACH_EVALUATE_THREADS");
    Fixture fx;
    const Tenant tenant(1200);
    const jc_date as_of = *jobcoach::dates::parse("2025-06-30");
    for (const auto &plugin : fx.runtime.plugins()) {
        const std::string id = host::Runtime::info(*plugin).id;
        fx.runtime.share_threads(1);
        auto reference = fx.runtime.create_instance(plugin, {});
        ASSERT_EQ(reference->handle_events(tenant.abi->headers()).status, JC_OK);
        std::vector<std::string> one;
        reference->evaluate_each(as_of, [&](host::Finding &&f) { one.push_back(whole(f)); });

        fx.runtime.share_threads(2);
        host::EvaluationThreads &count = fx.runtime.evaluation_threads();
        auto instance = fx.runtime.create_instance(plugin, {});
        ASSERT_EQ(instance->handle_events(tenant.abi->headers()).status, JC_OK);
        count.enter(); // another evaluation holds the second thread when this one starts
        bool other_running = true;
        std::set<std::string> employees_after;
        unsigned most_after = 0;
        std::vector<std::string> got;
        instance->evaluate_each(as_of, [&](host::Finding &&f) {
            got.push_back(whole(f));
            if (other_running && got.size() == 1) {
                EXPECT_EQ(count.in_use(), 2u) << id << ": no thread taken while none is free";
                count.leave(); // ... and ends
                other_running = false;
            } else if (!other_running && !f.employee.empty() && f.employer.empty()) {
                employees_after.insert(f.employee);
                most_after = std::max(most_after, count.in_use());
            }
        });
        EXPECT_FALSE(other_running);
        EXPECT_GT(employees_after.size(), 4 * rules::batch_employees) << id << ": employees enough after it";
        EXPECT_EQ(most_after, 2u) << id << ": the calling thread and the thread taken once it came free";
        EXPECT_EQ(count.in_use(), 0u) << id << ": given back";
        EXPECT_EQ(got, one) << id;
    }
    EXPECT_THAT(fx.log.str(), ::testing::Not(::testing::HasSubstr("kept"))) << "given back by the plugin itself";
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
