// SPDX-License-Identifier: Apache-2.0
// Out of memory inside the plugin (docs/bad-input.md): the uwv plugin, driven through its C entry with a state
// file, while the n-th allocation fails, for every n until the call gets through. Each failed call must return
// JC_E_OUT_OF_MEMORY and change nothing (the state gives the findings of before, the batch is stored whole when
// sent again, once); the process must not crash. A separate test binary, as it replaces operator new.
#include "bad_input/failing_allocator.hpp"
#include <jobcoach/host/event_file.hpp>
#include <jobcoach/rules/date.hpp>

#include <jobcoach/jobcoach.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

extern "C" const jc_plugin_entry *jc_plugin_entry_v1(void);

namespace {

using jobcoach::rules::Date;

// A contract, a grant and 4,094 entries: a first batch large enough that its conversion and storing allocate
// many times (4,096 events was one chunk of the in-memory store the plugins had before their state became
// the truth).
std::string first_jsonl()
{
    std::string text =
        R"({"id":"a-1","type":"contract.started","employee":"E-9","date":"2025-01-06","employer":"W-1","weekly_hours":36})" "\n"
        R"({"id":"a-2","type":"coaching.granted","employee":"E-9","date":"2025-01-06","scheme":"uwv-extern","level":"midden"})" "\n";
    for (int i = 3; i <= 4096; ++i)
        text += R"({"id":"a-)" + std::to_string(i) +
                R"(","type":"timesheet.logged","employee":"E-9","date":"2025-01-08","minutes":1})" "\n";
    return text;
}
const char *const second_jsonl =
    R"({"id":"b-1","type":"timesheet.logged","employee":"E-9","date":"2025-02-05","minutes":1440})" "\n"
    R"({"id":"b-2","type":"timesheet.logged","employee":"E-9","date":"2025-03-05","minutes":1440})" "\n"
    R"({"id":"b-6","type":"timesheet.logged","employee":"E-9","date":"2025-04-02","minutes":1440})" "\n"
    R"({"id":"b-7","type":"timesheet.logged","employee":"E-9","date":"2025-05-07","minutes":1440})" "\n"
    R"({"id":"b-3","type":"report.submitted","employee":"E-9","date":"2025-02-03","kind":"plan"})" "\n"
    R"({"id":"b-4","type":"contract.started","employee":"E-7","date":"2025-03-03","employer":"W-2","weekly_hours":20})" "\n"
    R"({"id":"b-5","type":"coaching.granted","employee":"E-7","date":"2025-03-03","scheme":"uwv-intern","level":"licht"})" "\n"
    // Retractions: of an entry stored before, and of a record of this batch (the paths that look them up).
    R"({"id":"b-8","type":"timesheet.retracted","employee":"E-9","date":"2025-05-08","retracts":"a-3"})" "\n"
    R"({"id":"b-9","type":"event.retracted","employee":"E-9","date":"2025-05-08","retracts":"b-7"})" "\n";

struct Batch {
    jobcoach::host::EventFile file;
    std::vector<const jobcoach::host::Event *> list;
    std::unique_ptr<jobcoach::host::AbiEvents> abi;
    explicit Batch(const std::string &jsonl) : file(jobcoach::host::parse_events(jsonl))
    {
        for (const auto &e : file.events)
            list.push_back(&e);
        abi = std::make_unique<jobcoach::host::AbiEvents>(list);
    }
    std::span<const jc_event_header *const> headers() const { return abi->headers(); }
};

class OutOfMemory : public ::testing::Test {
protected:
    struct Host {
        jc_host host{};
        std::vector<std::string> findings;
    } h;
    const jc_plugin_entry *entry = nullptr;
    const jc_plugin *plugin = nullptr;
    std::filesystem::path dir;

    void SetUp() override
    {
        dir = std::filesystem::temp_directory_path() / ("jc-oom-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        entry = jc_plugin_entry_v1();
        ASSERT_EQ(entry->init(JC_TEST_UWV_PLUGIN_DIR, nullptr, 0), JC_OK);
        h.host.struct_size = sizeof h.host;
        h.host.abi_version = {JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, 0};
        h.host.host_data = &h;
        h.host.name = "oom";
        h.host.version = "0";
        h.host.log = [](const jc_host *, int32_t, jc_str) {};
        h.host.emit_finding = [](const jc_host *x, const jc_finding *f) {
            const jc_test::AllocationsSucceed host_side; // the host's copy is not what is tested
            auto s = [](jc_str v) { return std::string(v.data, v.size); };
            static_cast<Host *>(x->host_data)->findings.push_back(s(f->rule) + "|" + s(f->kind) + "|" + s(f->subject) +
                                                                 "|" + std::to_string(f->observed_minutes));
            return JC_OK;
        };
        const std::string state = (dir / "state.db").string();
        const jc_instance_config config{sizeof(jc_instance_config), 0, state.c_str(), nullptr};
        char error[256] = {};
        ASSERT_EQ(entry->create(&h.host, &config, &plugin, error, sizeof error), JC_OK) << error;
    }
    void TearDown() override
    {
        jc_test::fail_allocation(0);
        if (plugin != nullptr)
            plugin->destroy(plugin);
        entry->deinit();
        std::filesystem::remove_all(dir);
    }
    jc_status send(const Batch &b, jc_batch_result &r)
    {
        r = {};
        r.struct_size = sizeof r;
        return plugin->handle_events(plugin, b.headers().data(), static_cast<uint32_t>(b.headers().size()), &r);
    }
    std::vector<std::string> findings()
    {
        h.findings.clear();
        EXPECT_EQ(plugin->evaluate(plugin, Date::parse("2025-12-31")->days), JC_OK) << plugin->last_error(plugin);
        std::vector<std::string> out = h.findings;
        std::sort(out.begin(), out.end());
        return out;
    }
};

} // namespace

TEST_F(OutOfMemory, AFailedAllocationInHandleEventsChangesNothing)
{
    const Batch first(first_jsonl()), second(second_jsonl);
    jc_batch_result r;
    ASSERT_EQ(send(first, r), JC_OK);
    ASSERT_EQ(r.accepted, 4096u);
    const std::vector<std::string> before = findings();
    ASSERT_FALSE(before.empty());
    long n = 1;
    for (;; ++n) {
        ASSERT_LT(n, 100000) << "handle_events never got through";
        const long failed_before = jc_test::failed_allocations();
        jc_test::fail_allocation(n);
        const jc_status status = send(second, r);
        const bool failed = jc_test::failed_allocations() > failed_before;
        jc_test::fail_allocation(0);
        if (status == JC_OK)
            break;
        ASSERT_EQ(status, JC_E_OUT_OF_MEMORY) << "allocation " << n << ": " << plugin->last_error(plugin);
        EXPECT_TRUE(failed);
        EXPECT_EQ(r.accepted, 0u) << "allocation " << n;
        EXPECT_EQ(std::string(plugin->last_error(plugin)), "out of memory");
        ASSERT_EQ(findings(), before) << "allocation " << n << " failed and the state changed";
    }
    EXPECT_GT(n, 10) << "the batch allocates more than that: the failures did not reach the plugin";
    EXPECT_EQ(r.accepted, second.list.size()); // stored whole, once
    // The same findings as an instance that never ran out of memory, given the same two batches.
    const jc_plugin *reference = nullptr;
    const jc_instance_config in_memory{sizeof(jc_instance_config), 0, nullptr, nullptr};
    char error[256] = {};
    ASSERT_EQ(entry->create(&h.host, &in_memory, &reference, error, sizeof error), JC_OK) << error;
    std::swap(plugin, reference);
    ASSERT_EQ(send(first, r), JC_OK);
    ASSERT_EQ(send(second, r), JC_OK);
    const std::vector<std::string> expected = findings();
    std::swap(plugin, reference);
    reference->destroy(reference);
    EXPECT_NE(expected, before);
    EXPECT_EQ(findings(), expected);
    ASSERT_EQ(send(second, r), JC_OK);
    EXPECT_EQ(r.duplicates, second.list.size());
    EXPECT_EQ(r.accepted, 0u);
}

TEST_F(OutOfMemory, AFailedAllocationInEvaluateReportsItAndTheNextEvaluateWorks)
{
    const Batch first(first_jsonl()), second(second_jsonl);
    jc_batch_result r;
    ASSERT_EQ(send(first, r), JC_OK);
    ASSERT_EQ(send(second, r), JC_OK);
    const std::vector<std::string> all = findings();
    long n = 1;
    for (;; ++n) {
        ASSERT_LT(n, 100000) << "evaluate never got through";
        h.findings.clear();
        jc_test::fail_allocation(n);
        const jc_status status = plugin->evaluate(plugin, Date::parse("2025-12-31")->days);
        jc_test::fail_allocation(0);
        if (status == JC_OK)
            break;
        ASSERT_EQ(status, JC_E_OUT_OF_MEMORY) << "allocation " << n << ": " << plugin->last_error(plugin);
        ASSERT_EQ(findings(), all) << "allocation " << n;
    }
    EXPECT_GT(n, 10);
}
