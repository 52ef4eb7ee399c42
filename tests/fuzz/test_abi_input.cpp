// SPDX-License-Identifier: Apache-2.0
// The ABI fuzz targets' input format (abi_input.hpp): what the seed writer encodes decodes to the same events,
// claimed sizes give arenas of exactly that size, and every committed seed is a batch the uwv plugin stores.
#include "abi_input.hpp"

#include <jobcoach/host/event_file.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

extern "C" const jc_plugin_entry *jc_plugin_entry_v1(void);

using jobcoach::fuzz::decode;
using jobcoach::fuzz::encode_batch;

namespace {

std::vector<uint8_t> bytes_of(const std::string &s) { return {s.begin(), s.end()}; }

std::string str(jc_str s) { return s.data != nullptr ? std::string(s.data, s.size) : std::string("<null>"); }

} // namespace

TEST(FuzzInput, EncodedEventsDecodeToTheSameStructs)
{
    const auto file = jobcoach::host::read_events(JC_TEST_SOURCE_DIR "/host_demo/samples/sample-events.jsonl");
    ASSERT_TRUE(file.errors.empty());
    std::vector<const jobcoach::host::Event *> list;
    for (const auto &e : file.events)
        list.push_back(&e);
    const jobcoach::host::AbiEvents abi(list);
    const auto headers = abi.headers();
    const auto batches = decode(bytes_of(encode_batch(headers, 20780)), 1000);

    ASSERT_EQ(batches.size(), (headers.size() + 14) / 15); // 15 events a batch
    EXPECT_FALSE(batches.front().evaluate);
    EXPECT_TRUE(batches.back().evaluate);
    EXPECT_EQ(batches.back().as_of, 20780);
    size_t n = 0;
    for (const auto &b : batches) {
        EXPECT_FALSE(b.null_events);
        EXPECT_FALSE(b.null_result);
        for (const jc_event_header *got : b.pointers) {
            ASSERT_LT(n, headers.size());
            const jc_event_header *want = headers[n++];
            ASSERT_NE(got, nullptr);
            ASSERT_EQ(got->struct_size, want->struct_size) << "event " << n;
            ASSERT_EQ(got->type, want->type);
            EXPECT_EQ(str(got->id), str(want->id));
            EXPECT_EQ(str(got->employee), str(want->employee));
            EXPECT_EQ(got->date, want->date);
            // Every member after the header: the strings by content, the rest byte for byte.
            const auto *g = reinterpret_cast<const unsigned char *>(got);
            const auto *w = reinterpret_cast<const unsigned char *>(want);
            const auto strings = jobcoach::fuzz::string_offsets(want->type);
            for (size_t offset = sizeof(jc_event_header); offset < want->struct_size;) {
                if (std::find(strings.begin(), strings.end(), offset) != strings.end()) {
                    jc_str gs, ws;
                    std::memcpy(&gs, g + offset, sizeof gs);
                    std::memcpy(&ws, w + offset, sizeof ws);
                    EXPECT_EQ(str(gs), str(ws)) << "event " << n << " offset " << offset;
                    offset += sizeof(jc_str);
                } else {
                    EXPECT_EQ(std::memcmp(g + offset, w + offset, 4), 0) << "event " << n << " offset " << offset;
                    offset += 4;
                }
            }
        }
    }
    EXPECT_EQ(n, headers.size());
}

TEST(FuzzInput, ClaimedSizesGiveArenasOfExactlyThatSize)
{
    // One batch of four timesheet.logged events (type 7): exact size, header only, 10 bytes more, and a claim
    // of 0xFFFFFFFF. A timesheet.logged's members are 20 bytes here: id, employee, (date, reserved0, minutes,
    // activity), scheme, coach; all empty or zero.
    std::vector<uint8_t> input = {0x04};
    for (const std::vector<uint8_t> &size : {std::vector<uint8_t>{0}, {1}, {3, 10}, {4, 0xFF, 0xFF, 0xFF, 0xFF}}) {
        input.push_back(7);
        input.insert(input.end(), size.begin(), size.end());
        input.insert(input.end(), 20, 0);
    }
    const auto batches = decode(input);
    ASSERT_EQ(batches.size(), 1u);
    const auto &e = batches[0].events;
    ASSERT_EQ(e.size(), 4u);
    EXPECT_EQ(e[0].arena_size, sizeof(jc_event_timesheet_logged));
    EXPECT_EQ(e[0].header()->struct_size, sizeof(jc_event_timesheet_logged));
    EXPECT_EQ(e[1].arena_size, sizeof(jc_event_header));
    EXPECT_EQ(e[2].arena_size, sizeof(jc_event_timesheet_logged) + 10);
    EXPECT_EQ(e[3].header()->struct_size, 0xFFFFFFFFu);
    EXPECT_EQ(e[3].arena_size, sizeof(jc_event_coaching_granted)); // the largest struct this host knows
    for (const auto &x : e)
        EXPECT_EQ(x.header()->type, 7u);
}

TEST(FuzzInput, FlagsGiveNullPointersAndStringsGiveNullData)
{
    // Flags 0xE2: two events, events = NULL, result = NULL, pointer 1 NULL; a type-0 event whose id is
    // {NULL, 5} and whose employee is absent.
    const std::vector<uint8_t> input = {0xE2, 1, 0, 0, 0xFE, 5, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 12, 0};
    const auto batches = decode(input);
    ASSERT_EQ(batches.size(), 1u);
    const auto &b = batches[0];
    EXPECT_TRUE(b.null_events);
    EXPECT_TRUE(b.null_result);
    ASSERT_EQ(b.pointers.size(), 2u);
    EXPECT_NE(b.pointers[0], nullptr);
    EXPECT_EQ(b.pointers[1], nullptr);
    EXPECT_EQ(b.pointers[0]->id.data, nullptr);
    EXPECT_EQ(b.pointers[0]->id.size, 5u);
    EXPECT_EQ(b.pointers[0]->employee.data, nullptr);
    EXPECT_EQ(b.pointers[0]->employee.size, 0u);
    EXPECT_EQ(b.events[1].header()->type, 12u);
}

TEST(FuzzInput, EveryCommittedSeedIsStoredWholeByTheUwvPlugin)
{
    const jc_plugin_entry *entry = jc_plugin_entry_v1();
    ASSERT_EQ(entry->init(JC_TEST_UWV_PLUGIN_DIR, nullptr, 0), JC_OK);
    jc_host host{};
    host.struct_size = sizeof host;
    host.abi_version = {JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, 0};
    host.name = "seeds";
    host.version = "0";
    size_t findings = 0;
    host.host_data = &findings;
    host.emit_finding = [](const jc_host *h, const jc_finding *) -> jc_status {
        ++*static_cast<size_t *>(h->host_data);
        return JC_OK;
    };
    size_t seeds = 0, events = 0;
    for (const auto &file : std::filesystem::directory_iterator(JC_TEST_SOURCE_DIR "/tests/fuzz/corpus/abi-events")) {
        if (file.path().extension() != ".bin")
            continue;
        ++seeds;
        std::ifstream in(file.path(), std::ios::binary);
        const std::vector<uint8_t> input((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const jc_instance_config config{sizeof(jc_instance_config), 0, nullptr, nullptr};
        const jc_plugin *p = nullptr;
        ASSERT_EQ(entry->create(&host, &config, &p, nullptr, 0), JC_OK);
        for (const auto &b : decode(input, 1000)) {
            jc_batch_result r{};
            r.struct_size = sizeof r;
            const auto count = static_cast<uint32_t>(b.pointers.size());
            EXPECT_EQ(p->handle_events(p, b.pointers.data(), count, &r), JC_OK) << file.path() << ": " << p->last_error(p);
            EXPECT_EQ(r.accepted, count) << file.path();
            events += count;
            if (b.evaluate) {
                EXPECT_EQ(p->evaluate(p, b.as_of), JC_OK) << file.path();
            }
        }
        p->destroy(p);
    }
    entry->deinit();
    EXPECT_GE(seeds, 10u);
    EXPECT_GE(events, 200u);
    EXPECT_GT(findings, 0u);
}
