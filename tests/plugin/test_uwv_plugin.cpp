// SPDX-License-Identifier: Apache-2.0
// The uwv plugin through its C entry, with the host services mocked (GoogleMock).
#include <jobcoach/dates.hpp>
#include <jobcoach/host/event_file.hpp>
#include <jobcoach/rules/date.hpp>

#include <jobcoach/jobcoach.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <csignal>
#include <iterator>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

extern "C" const jc_plugin_entry *jc_plugin_entry_v1(void);

using namespace ::testing;
using jobcoach::rules::Date;

namespace {

class HostServices {
public:
    virtual ~HostServices() = default;
    virtual jc_status emit(std::string rule, std::string kind, std::string due) = 0;
    virtual void log(int32_t level, std::string message) = 0;
};

class MockHost : public HostServices {
public:
    MOCK_METHOD(jc_status, emit, (std::string rule, std::string kind, std::string due), (override));
    MOCK_METHOD(void, log, (int32_t level, std::string message), (override));

    jc_host host{};
    MockHost()
    {
        host.struct_size = sizeof host;
        host.abi_version = {JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, 0};
        host.host_data = this;
        host.name = "mock";
        host.version = "0";
        host.get_extension = [](const jc_host *, const char *) -> const void * { return nullptr; };
        host.log = [](const jc_host *h, int32_t level, jc_str m) {
            static_cast<MockHost *>(h->host_data)->log(level, std::string(m.data, m.size));
        };
        host.emit_finding = [](const jc_host *h, const jc_finding *f) {
            auto s = [](jc_str x) { return std::string(x.data, x.size); };
            return static_cast<MockHost *>(h->host_data)->emit(s(f->rule), s(f->kind), f->due == JC_DATE_NONE ? "" : Date{f->due}.iso());
        };
    }
};

class UwvPlugin : public Test {
protected:
    void SetUp() override
    {
        entry = jc_plugin_entry_v1();
        ASSERT_EQ(entry->init(JC_TEST_UWV_PLUGIN_DIR, nullptr, 0), JC_OK);
        EXPECT_CALL(host, log(_, _)).Times(AnyNumber());
        jc_instance_config config{sizeof(jc_instance_config), 0, nullptr, nullptr};
        char error[256] = {};
        ASSERT_EQ(entry->create(&host.host, &config, &plugin, error, sizeof error), JC_OK) << error;
    }
    void TearDown() override
    {
        if (plugin != nullptr)
            plugin->destroy(plugin);
        entry->deinit();
    }
    jc_batch_result feed(const std::string &jsonl, jc_status expected = JC_OK)
    {
        file = jobcoach::host::parse_events(jsonl);
        EXPECT_TRUE(file.errors.empty());
        std::vector<const jobcoach::host::Event *> list;
        for (const auto &e : file.events)
            list.push_back(&e);
        abi = std::make_unique<jobcoach::host::AbiEvents>(list);
        jc_batch_result result{};
        result.struct_size = sizeof result;
        const auto h = abi->headers();
        EXPECT_EQ(plugin->handle_events(plugin, h.data(), static_cast<uint32_t>(h.size()), &result), expected)
            << plugin->last_error(plugin);
        return result;
    }

    const jc_plugin_entry *entry = nullptr;
    const jc_plugin *plugin = nullptr;
    StrictMock<MockHost> host;
    jobcoach::host::EventFile file;
    std::unique_ptr<jobcoach::host::AbiEvents> abi;
};

const std::string seed_example =
    R"({"id":"c1","type":"contract.started","employee":"E-104","date":"2026-01-05","employer":"ACME","weekly_hours":20,"end":"2026-09-04"})" "\n"
    R"({"id":"g1","type":"coaching.granted","employee":"E-104","date":"2026-01-05","scheme":"uwv-extern","level":"midden"})" "\n"
    R"({"id":"t1","type":"timesheet.logged","employee":"E-104","date":"2026-01-12","minutes":90})" "\n";

} // namespace

TEST_F(UwvPlugin, EmitsTheSeedExamplesPeriodReportThroughTheHost)
{
    const auto r = feed(seed_example);
    EXPECT_EQ(r.accepted, 3u);
    EXPECT_CALL(host, emit("uwv-extern.period-report", "report.due", "2026-10-02")).WillOnce(Return(JC_OK));
    // The 8-month contract ended on 2026-09-04: UWV had to be told by 2026-09-11.
    EXPECT_CALL(host, emit("uwv-extern.contract-end", "report.overdue", "2026-09-11")).WillOnce(Return(JC_OK));
    EXPECT_EQ(plugin->evaluate(plugin, Date::parse("2026-09-20")->days), JC_OK);
}

TEST_F(UwvPlugin, ReplayedEventsAreCountedOnce)
{
    feed(seed_example);
    const auto again = feed(seed_example + R"({"id":"t1","type":"timesheet.logged","employee":"E-104","date":"2026-01-12","minutes":90})" "\n");
    EXPECT_EQ(again.accepted, 0u);
    EXPECT_EQ(again.duplicates, 4u);
}

TEST_F(UwvPlugin, ABadEventRejectsTheWholeBatch)
{
    feed(seed_example);
    jobcoach::host::EventFile bad = jobcoach::host::parse_events(
        R"({"id":"t2","type":"timesheet.logged","employee":"E-104","date":"2026-02-12","minutes":5000})" "\n"
        R"({"id":"t3","type":"timesheet.logged","employee":"E-104","date":"2026-02-13","minutes":60})" "\n");
    // The parser refuses it already; build the ABI events by hand to test the plugin's own check.
    jobcoach::host::Event e1;
    e1.type = JC_EVENT_TIMESHEET_LOGGED;
    e1.id = "t3";
    e1.employee = "E-104";
    e1.date = *jobcoach::dates::parse("2026-02-13");
    e1.minutes = 60;
    jobcoach::host::Event e2 = e1;
    e2.id = "t2";
    e2.minutes = 5000; // more than 24 hours
    const jobcoach::host::Event *list[] = {&e1, &e2};
    jobcoach::host::AbiEvents events(list);
    jc_batch_result result{};
    result.struct_size = sizeof result;
    EXPECT_EQ(plugin->handle_events(plugin, events.headers().data(), 2, &result), JC_E_INVALID_EVENT);
    EXPECT_EQ(result.failed_index, 1u);
    EXPECT_THAT(plugin->last_error(plugin), HasSubstr("event #1 of the batch: minutes"));
    // Nothing of the batch was stored: t3 is new when sent again alone.
    const jobcoach::host::Event *good[] = {&e1};
    jobcoach::host::AbiEvents again(good);
    EXPECT_EQ(plugin->handle_events(plugin, again.headers().data(), 1, &result), JC_OK);
    EXPECT_EQ(result.accepted, 1u);
}

TEST_F(UwvPlugin, RefusesNullPointersAndShortStructs)
{
    jc_batch_result result{};
    result.struct_size = sizeof result;
    EXPECT_EQ(plugin->handle_events(plugin, nullptr, 1, &result), JC_E_INVALID_ARGUMENT);
    const jc_event_header *null_event[] = {nullptr};
    EXPECT_EQ(plugin->handle_events(plugin, null_event, 1, &result), JC_E_INVALID_EVENT);
    EXPECT_THAT(plugin->last_error(plugin), HasSubstr("NULL pointer"));
    jc_event_header short_header{};
    short_header.struct_size = sizeof(jc_event_header); // a timesheet needs more
    short_header.type = JC_EVENT_TIMESHEET_LOGGED;
    short_header.id = {"x", 1};
    short_header.employee = {"E", 1};
    const jc_event_header *short_event[] = {&short_header};
    EXPECT_EQ(plugin->handle_events(plugin, short_event, 1, &result), JC_E_INVALID_EVENT);
    EXPECT_THAT(plugin->last_error(plugin), HasSubstr("struct_size"));
    jc_event_header unknown = short_header;
    unknown.type = 999;
    const jc_event_header *unknown_event[] = {&unknown};
    EXPECT_EQ(plugin->handle_events(plugin, unknown_event, 1, &result), JC_OK);
    EXPECT_EQ(result.skipped, 1u);
    EXPECT_EQ(plugin->evaluate(plugin, JC_DATE_MAX + 1), JC_E_INVALID_ARGUMENT);
}

TEST_F(UwvPlugin, AHostThatRefusesAFindingFailsTheEvaluation)
{
    feed(seed_example);
    EXPECT_CALL(host, emit(_, _, _)).WillOnce(Return(JC_E_INVALID_ARGUMENT));
    EXPECT_EQ(plugin->evaluate(plugin, Date::parse("2026-09-20")->days), JC_E_INVALID_ARGUMENT);
    EXPECT_THAT(plugin->last_error(plugin), HasSubstr("the host refused finding"));
}

TEST(UwvPluginState, StateSurvivesARestartAndIsOwnerOnly)
{
    const auto path = std::filesystem::temp_directory_path() / "jc-uwv-state-test.db";
    std::filesystem::remove(path);
    const jc_plugin_entry *entry = jc_plugin_entry_v1();
    ASSERT_EQ(entry->init(JC_TEST_UWV_PLUGIN_DIR, nullptr, 0), JC_OK);
    NiceMock<MockHost> host;
    const std::string state = path.string();
    jc_instance_config config{sizeof(jc_instance_config), 0, state.c_str(), nullptr};
    auto file = jobcoach::host::parse_events(seed_example);
    std::vector<const jobcoach::host::Event *> list;
    for (const auto &e : file.events)
        list.push_back(&e);
    jobcoach::host::AbiEvents abi(list);
    for (int run = 0; run < 2; ++run) {
        const jc_plugin *plugin = nullptr;
        ASSERT_EQ(entry->create(&host.host, &config, &plugin, nullptr, 0), JC_OK);
        jc_batch_result result{};
        result.struct_size = sizeof result;
        ASSERT_EQ(plugin->handle_events(plugin, abi.headers().data(), 3, &result), JC_OK);
        EXPECT_EQ(result.accepted, run == 0 ? 3u : 0u);
        EXPECT_EQ(result.duplicates, run == 0 ? 0u : 3u);
        plugin->destroy(plugin);
    }
    const auto perms = std::filesystem::status(path).permissions();
    EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all), std::filesystem::perms::none);
    entry->deinit();
    std::filesystem::remove(path);
}

namespace {

// A batch of JSON Lines as ABI events, kept alive together.
struct JsonlBatch {
    jobcoach::host::EventFile file;
    std::vector<const jobcoach::host::Event *> list;
    std::unique_ptr<jobcoach::host::AbiEvents> abi;
    explicit JsonlBatch(const std::string &jsonl) : file(jobcoach::host::parse_events(jsonl))
    {
        for (const auto &e : file.events)
            list.push_back(&e);
        abi = std::make_unique<jobcoach::host::AbiEvents>(list);
    }
};

std::string entries(const std::string &employee, int first, int count)
{
    std::string out;
    for (int i = first; i < first + count; ++i)
        out += R"({"id":"t-)" + employee + "-" + std::to_string(i) + R"(","type":"timesheet.logged","employee":")" + employee +
               R"(","date":"2026-02-02","minutes":5})" "\n";
    return out;
}

jc_batch_result send(const jc_plugin *plugin, const JsonlBatch &b)
{
    jc_batch_result r{};
    r.struct_size = sizeof r;
    EXPECT_EQ(plugin->handle_events(plugin, b.abi->headers().data(), static_cast<uint32_t>(b.list.size()), &r), JC_OK)
        << plugin->last_error(plugin);
    return r;
}

} // namespace

// docs/design.md: several processes may share one state, and each sees the others' committed batches. Instance A
// stays open while other processes store events; A then sees them (they are duplicates to it, the employee is
// known, the findings count them), and four processes storing overlapping batches at once store each id once.
TEST(UwvPluginState, SeveralProcessesShareOneStateAndSeeEachOthersBatches)
{
    const auto path = std::filesystem::temp_directory_path() / ("jc-shared-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    const jc_plugin_entry *entry = jc_plugin_entry_v1();
    ASSERT_EQ(entry->init(JC_TEST_UWV_PLUGIN_DIR, nullptr, 0), JC_OK);
    NiceMock<MockHost> host;
    const std::string state = path.string();
    const jc_instance_config config{sizeof(jc_instance_config), 0, state.c_str(), nullptr};
    const jc_plugin *a = nullptr;
    ASSERT_EQ(entry->create(&host.host, &config, &a, nullptr, 0), JC_OK);
    const JsonlBatch opening(
        R"({"id":"c-1","type":"contract.started","employee":"E-S","date":"2026-01-05","employer":"W","weekly_hours":20})" "\n"
        R"({"id":"g-1","type":"coaching.granted","employee":"E-S","date":"2026-01-05","scheme":"uwv-extern","level":"zeer-licht"})" "\n");
    EXPECT_EQ(send(a, opening).accepted, 2u);
    const auto *status = static_cast<const jc_plugin_status *>(a->get_extension(a, JC_EXT_STATUS));
    ASSERT_NE(status, nullptr);
    EXPECT_EQ(status->knows(a, jc_str{"E-OTHER", 7}), 0);

    struct Used {
        int64_t minutes = -1;
    } used;
    auto used_minutes = [&] {
        used.minutes = -1;
        EXPECT_EQ(status->query(a, jc_str{"E-S", 3}, Date::from_ymd(2026, 3, 1).days, &used,
                                [](void *context, const jc_trajectory_status *t) {
                                    static_cast<Used *>(context)->minutes = t->budgets[0].used_minutes;
                                    return JC_OK;
                                }),
                  JC_OK);
        return used.minutes;
    };
    EXPECT_EQ(used_minutes(), 0); // A has read E-S's events now (and may keep them in its cache)

    // Five processes at once: four store 300 entries of E-S each, 100 of them the same ids as their neighbour's;
    // the fifth stores 300 of E-OTHER.
    std::vector<pid_t> children;
    for (int p = 0; p < 5; ++p) {
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            const jc_plugin *mine = nullptr;
            if (entry->create(&host.host, &config, &mine, nullptr, 0) != JC_OK)
                ::_exit(3);
            const JsonlBatch batch(p == 4 ? entries("E-OTHER", 0, 300) : entries("E-S", p * 200, 300));
            jc_batch_result r{};
            r.struct_size = sizeof r;
            const jc_status s = mine->handle_events(mine, batch.abi->headers().data(), 300, &r);
            if (s != JC_OK)
                std::fprintf(stderr, "process %d: status %d: %s\n", p, s, mine->last_error(mine));
            mine->destroy(mine);
            ::_exit(s == JC_OK && r.accepted + r.duplicates == 300 ? 0 : 4);
        }
        children.push_back(pid);
    }
    for (const pid_t pid : children) {
        int wstatus = 0;
        ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
        EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
            << "a process failed to store its batch: status " << wstatus;
    }
    // A, open all along, sees every committed batch: the 900 + 300 entries are all stored, once.
    EXPECT_EQ(status->knows(a, jc_str{"E-OTHER", 7}), 1);
    const JsonlBatch all(entries("E-S", 0, 900) + entries("E-OTHER", 0, 300));
    const jc_batch_result again = send(a, all);
    EXPECT_EQ(again.accepted, 0u);
    EXPECT_EQ(again.duplicates, 1200u);
    EXPECT_EQ(used_minutes(), 900 * 5) << "the findings count the other processes' entries, each once";
    a->destroy(a);
    entry->deinit();
    for (const char *suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(state + suffix);
}

TEST(UwvPluginState, AJustificationIsKeptAsGivenNeverAsItsText)
{
    // Free text could hold a diagnosis: the plugin keeps only that a justification was given.
    const auto path = std::filesystem::temp_directory_path() / ("jc-uwv-justification-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    const jc_plugin_entry *entry = jc_plugin_entry_v1();
    ASSERT_EQ(entry->init(JC_TEST_UWV_PLUGIN_DIR, nullptr, 0), JC_OK);
    NiceMock<MockHost> host;
    const std::string state = path.string();
    jc_instance_config config{sizeof(jc_instance_config), 0, state.c_str(), nullptr};
    const std::string text = "MEDISCH-GEHEIM: na een burn-out meer uren nodig";
    auto file = jobcoach::host::parse_events(
        std::string(seed_example) +
        R"({"id":"x1","type":"coaching.extended","employee":"E-104","date":"2026-08-01","scheme":"uwv-extern","months":6,"justification":")" +
        text + R"("})" "\n" +
        R"({"id":"x2","type":"coaching.extended","employee":"E-104","date":"2026-08-02","scheme":"uwv-extern","months":6})" "\n");
    ASSERT_TRUE(file.errors.empty()) << file.errors[0].message;
    std::vector<const jobcoach::host::Event *> list;
    for (const auto &e : file.events)
        list.push_back(&e);
    jobcoach::host::AbiEvents abi(list);
    const jc_plugin *plugin = nullptr;
    ASSERT_EQ(entry->create(&host.host, &config, &plugin, nullptr, 0), JC_OK);
    jc_batch_result result{};
    result.struct_size = sizeof result;
    ASSERT_EQ(plugin->handle_events(plugin, abi.headers().data(), static_cast<uint32_t>(abi.headers().size()), &result), JC_OK);
    // Only the extension without a justification is a deviation.unjustified.
    EXPECT_CALL(host, emit(_, _, _)).Times(AnyNumber());
    EXPECT_CALL(host, emit("leidraad.justification", "deviation.unjustified", "2026-08-02")).Times(1);
    EXPECT_CALL(host, emit("leidraad.justification", "deviation.unjustified", "2026-08-01")).Times(0);
    EXPECT_EQ(plugin->evaluate(plugin, Date::parse("2026-09-01")->days), JC_OK);
    plugin->destroy(plugin);
    entry->deinit();
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_GT(bytes.size(), 0u);
    EXPECT_EQ(bytes.find("burn-out"), std::string::npos);
    EXPECT_EQ(bytes.find("MEDISCH"), std::string::npos);
    std::filesystem::remove(path);
}

// jc.status/1 (jobcoach/ext/status.h) --------------------------------------------------------------------------

namespace {

struct Collected {
    std::vector<std::string> lines;
    std::vector<std::string> titles; // each due's "title_en / title_nl" (ABI 1.4)
};

jc_status JC_ABI collect(void *context, const jc_trajectory_status *s)
{
    auto *c = static_cast<Collected *>(context);
    auto str = [](jc_str x) { return std::string(x.data, x.size); };
    std::string line = str(s->scheme) + "#" + std::to_string(s->number) + " " + Date{s->start}.iso() + ".." +
                       Date{s->close}.iso() + " " + str(s->close_reason);
    for (uint32_t i = 0; i < s->budget_count; ++i)
        line += " | " + str(s->budgets[i].subject) + " " + std::to_string(s->budgets[i].used_minutes) + "/" +
                std::to_string(s->budgets[i].limit_minutes) + (s->budgets[i].current ? " current" : "");
    for (uint32_t i = 0; i < s->due_count; ++i)
        line += " | " + str(s->dues[i].kind) + "#" + std::to_string(s->dues[i].number) + " " + Date{s->dues[i].due}.iso() +
                (s->dues[i].satisfied ? " done" : "");
    for (uint32_t i = 0; i < s->due_count; ++i)
        c->titles.push_back(str(s->dues[i].title_en) + " / " + str(s->dues[i].title_nl));
    c->lines.push_back(line);
    return JC_OK;
}

} // namespace

TEST_F(UwvPlugin, StatusExtensionReportsEachTrajectory)
{
    feed(seed_example);
    const auto *ext = static_cast<const jc_plugin_status *>(plugin->get_extension(plugin, JC_EXT_STATUS));
    ASSERT_NE(ext, nullptr);
    EXPECT_EQ(plugin->get_extension(plugin, "jc.status/2"), nullptr);
    Collected c;
    const std::string key = "E-104";
    ASSERT_EQ(ext->query(plugin, jc_str{key.data(), key.size()}, Date::parse("2026-09-20")->days, &c, &collect), JC_OK)
        << plugin->last_error(plugin);
    ASSERT_EQ(c.lines.size(), 1u);
    // The 8-month contract gives one period to 2026-09-04 (243 days): 10 % of 1200 × 243 / 7 = 4165.7 -> 4165
    // minutes. The report is due 28 days after the period, the notice 7 days after the contract.
    EXPECT_EQ(c.lines[0], "uwv-extern#1 2026-01-05..2026-09-04 contract-end | period#1 90/4165 | "
                          "period-report#1 2026-10-02 | contract-end-notice#1 2026-09-11");
    // Each due in words (ABI 1.4), for a calendar entry or a task made before the finding fires.
    EXPECT_EQ(c.titles, (std::vector<std::string>{"Period report to UWV (verantwoordingsrapportage) / Verantwoordingsrapportage aan UWV",
                                                   "Notice of the contract's end to UWV / Melding einde dienstverband aan UWV"}));
}

// The status index is extended by each batch stored after a query, never by a refused one.
TEST_F(UwvPlugin, StatusSeesEventsStoredAfterAnEarlierQuery)
{
    const auto *ext = static_cast<const jc_plugin_status *>(plugin->get_extension(plugin, JC_EXT_STATUS));
    ASSERT_NE(ext, nullptr);
    const jc_date day = Date::parse("2026-09-20")->days;
    auto query = [&](const std::string &key) {
        Collected c;
        EXPECT_EQ(ext->query(plugin, jc_str{key.data(), key.size()}, day, &c, &collect), JC_OK) << plugin->last_error(plugin);
        return c.lines;
    };
    EXPECT_TRUE(query("E-104").empty()) << "nothing stored yet";
    feed(seed_example);
    ASSERT_EQ(query("E-104").size(), 1u);
    EXPECT_THAT(query("E-104")[0], HasSubstr("period#1 90/4165"));
    feed(R"({"id":"t2","type":"timesheet.logged","employee":"E-104","date":"2026-02-02","minutes":60})" "\n");
    EXPECT_THAT(query("E-104")[0], HasSubstr("period#1 150/4165"));
    { // a batch whose second event has 0 minutes (the ABI's range is 1..1440): refused as a whole
        auto bad = jobcoach::host::parse_events(
            R"({"id":"t3","type":"timesheet.logged","employee":"E-104","date":"2026-02-03","minutes":30})" "\n"
            R"({"id":"t4","type":"timesheet.logged","employee":"E-104","date":"2026-02-04","minutes":30})" "\n");
        ASSERT_TRUE(bad.errors.empty());
        bad.events[1].minutes = 0;
        const std::vector<const jobcoach::host::Event *> list{&bad.events[0], &bad.events[1]};
        const jobcoach::host::AbiEvents batch(list);
        const auto h = batch.headers();
        jc_batch_result result{};
        result.struct_size = sizeof result;
        EXPECT_EQ(plugin->handle_events(plugin, h.data(), static_cast<uint32_t>(h.size()), &result), JC_E_INVALID_EVENT);
    }
    EXPECT_THAT(query("E-104")[0], HasSubstr("period#1 150/4165")) << "a refused batch adds nothing";
    EXPECT_TRUE(query("E-105").empty());
    feed(R"({"id":"c5","type":"contract.started","employee":"E-105","date":"2026-03-02","employer":"ACME","weekly_hours":20})" "\n"
         R"({"id":"g5","type":"coaching.granted","employee":"E-105","date":"2026-03-02","scheme":"uwv-extern","level":"licht"})" "\n");
    EXPECT_EQ(query("E-105").size(), 1u) << "an employee first seen after a query";
    EXPECT_THAT(query("E-104")[0], HasSubstr("period#1 150/4165"));
}

TEST_F(UwvPlugin, StatusExtensionRefusesBadArgumentsAndPassesTheSinksStatus)
{
    feed(seed_example);
    const auto *ext = static_cast<const jc_plugin_status *>(plugin->get_extension(plugin, JC_EXT_STATUS));
    ASSERT_NE(ext, nullptr);
    const std::string key = "E-104";
    const jc_date day = Date::parse("2026-09-20")->days;
    EXPECT_EQ(ext->query(plugin, jc_str{key.data(), key.size()}, day, nullptr, nullptr), JC_E_INVALID_ARGUMENT);
    EXPECT_THAT(plugin->last_error(plugin), HasSubstr("sink is NULL"));
    EXPECT_EQ(ext->query(plugin, jc_str{nullptr, 3}, day, nullptr, &collect), JC_E_INVALID_ARGUMENT);
    EXPECT_EQ(ext->query(plugin, jc_str{key.data(), key.size()}, JC_DATE_MAX + 1, nullptr, &collect), JC_E_INVALID_ARGUMENT);
    EXPECT_THAT(plugin->last_error(plugin), HasSubstr("as_of"));
    const auto refuse = [](void *, const jc_trajectory_status *) -> jc_status { return JC_E_UNSUPPORTED; };
    EXPECT_EQ(ext->query(plugin, jc_str{key.data(), key.size()}, day, nullptr, refuse), JC_E_UNSUPPORTED);
    EXPECT_EQ(ext->query(plugin, jc_str{"E-999", 5}, day, nullptr, refuse), JC_OK); // nobody: no call
    EXPECT_EQ(ext->query(plugin, jc_str{nullptr, 0}, day, nullptr, refuse), JC_E_INVALID_ARGUMENT); // no key at all
}

TEST_F(UwvPlugin, FindingsCarryTheirExplanationSinceAbi11)
{
    feed(seed_example);
    static std::vector<std::string> explanations;
    explanations.clear();
    host.host.emit_finding = [](const jc_host *, const jc_finding *f) -> jc_status {
        EXPECT_GE(f->struct_size, JC_FINDING_SIZE_V1_0 + sizeof(jc_str));
        explanations.emplace_back(f->explanation.data, f->explanation.size);
        return JC_OK;
    };
    EXPECT_EQ(plugin->evaluate(plugin, Date::parse("2026-09-20")->days), JC_OK);
    ASSERT_EQ(explanations.size(), 2u);
    EXPECT_THAT(explanations[0], HasSubstr("due: 2026-09-11 = the employment ends 2026-09-04, + 7"));
    EXPECT_THAT(explanations[1], HasSubstr("due: 2026-10-02 = period#1 ends 2026-09-04, + 28"));
}

// jc.explanations/1 at the ABI: off, the findings come with an absent explanation ({NULL, 0}); a value other than
// 0 and 1 is refused, naming it, and changes nothing.
TEST_F(UwvPlugin, ExplanationsAreLeftOutWhenTheHostTurnsThemOff)
{
    const auto *ext = static_cast<const jc_plugin_explanations *>(plugin->get_extension(plugin, JC_EXT_EXPLANATIONS));
    ASSERT_NE(ext, nullptr);
    ASSERT_GE(ext->struct_size, offsetof(jc_plugin_explanations, set_explanations) + sizeof(void *));
    feed(seed_example);
    static std::vector<std::pair<const char *, size_t>> explanations;
    host.host.emit_finding = [](const jc_host *, const jc_finding *f) -> jc_status {
        explanations.emplace_back(f->explanation.data, f->explanation.size);
        return JC_OK;
    };
    const jc_date day = Date::parse("2026-09-20")->days;
    auto evaluated = [&] {
        explanations.clear();
        EXPECT_EQ(plugin->evaluate(plugin, day), JC_OK) << plugin->last_error(plugin);
        return explanations;
    };
    ASSERT_EQ(ext->set_explanations(plugin, 0), JC_OK);
    auto off = evaluated();
    ASSERT_EQ(off.size(), 2u);
    for (const auto &[data, size] : off) {
        EXPECT_EQ(data, nullptr);
        EXPECT_EQ(size, 0u);
    }
    EXPECT_EQ(ext->set_explanations(plugin, 2), JC_E_INVALID_ARGUMENT);
    EXPECT_EQ(std::string(plugin->last_error(plugin)), "jc.explanations/1 set_explanations: enabled is 2, not 0 or 1");
    EXPECT_EQ(evaluated()[0].second, 0u) << "still off";
    ASSERT_EQ(ext->set_explanations(plugin, 1), JC_OK);
    for (const auto &[data, size] : evaluated())
        EXPECT_GT(size, 100u);
}

// jc.messages/1 at the ABI: off, the findings come with their messages, actions and explanation absent ({NULL, 0})
// and their ids, numbers, titles and source as before; a value other than 0 and 1 is refused, naming it, and
// changes nothing; on again, the words are back.
TEST_F(UwvPlugin, WordsAreLeftOutWhenTheHostTurnsThemOff)
{
    const auto *ext = static_cast<const jc_plugin_messages *>(plugin->get_extension(plugin, JC_EXT_MESSAGES));
    ASSERT_NE(ext, nullptr);
    ASSERT_GE(ext->struct_size, offsetof(jc_plugin_messages, set_messages) + sizeof(void *));
    feed(seed_example);
    struct Seen {
        std::vector<jc_str> words; // message_nl, message_en, action_nl, action_en, explanation
        std::string id, title_en, source;
        int64_t limit = 0;
    };
    static std::vector<Seen> seen;
    host.host.emit_finding = [](const jc_host *, const jc_finding *f) -> jc_status {
        seen.push_back({{f->message_nl, f->message_en, f->action_nl, f->action_en, f->explanation},
                        std::string(f->id.data, f->id.size),
                        std::string(f->title_en.data, f->title_en.size),
                        std::string(f->source.data, f->source.size),
                        f->limit_minutes});
        return JC_OK;
    };
    const jc_date day = Date::parse("2026-09-20")->days;
    auto evaluated = [&] {
        seen.clear();
        EXPECT_EQ(plugin->evaluate(plugin, day), JC_OK) << plugin->last_error(plugin);
        return seen;
    };
    const auto with = evaluated();
    ASSERT_EQ(with.size(), 2u);
    ASSERT_EQ(ext->set_messages(plugin, 0), JC_OK);
    const auto off = evaluated();
    ASSERT_EQ(off.size(), with.size());
    for (size_t i = 0; i < off.size(); ++i) {
        for (const jc_str &w : off[i].words) {
            EXPECT_EQ(w.data, nullptr) << off[i].id;
            EXPECT_EQ(w.size, 0u) << off[i].id;
        }
        EXPECT_EQ(off[i].id, with[i].id);
        EXPECT_EQ(off[i].title_en, with[i].title_en);
        EXPECT_FALSE(off[i].title_en.empty());
        EXPECT_EQ(off[i].source, with[i].source);
        EXPECT_EQ(off[i].limit, with[i].limit);
    }
    EXPECT_EQ(ext->set_messages(plugin, 2), JC_E_INVALID_ARGUMENT);
    EXPECT_EQ(std::string(plugin->last_error(plugin)), "jc.messages/1 set_messages: enabled is 2, not 0 or 1");
    EXPECT_EQ(evaluated()[0].words[1].size, 0u) << "still off";
    ASSERT_EQ(ext->set_messages(plugin, 1), JC_OK);
    for (const Seen &s : evaluated())
        for (const jc_str &w : {s.words[0], s.words[1], s.words[4]})
            EXPECT_GT(w.size, 20u) << s.id;
}

TEST_F(UwvPlugin, StatusRefusesABadKeyAndTellsAnUnknownEmployeeFromOneWithoutTrajectories)
{
    const auto *ext = static_cast<const jc_plugin_status *>(plugin->get_extension(plugin, JC_EXT_STATUS));
    ASSERT_NE(ext, nullptr);
    ASSERT_GE(ext->struct_size, offsetof(jc_plugin_status, knows) + sizeof(void *));
    const jc_date day = Date::parse("2026-09-20")->days;
    Collected c;
    const std::string invalid = "E-\xED\xA0\x80"; // a surrogate
    EXPECT_EQ(ext->query(plugin, jc_str{"", 0}, day, &c, &collect), JC_E_INVALID_ARGUMENT);
    EXPECT_THAT(plugin->last_error(plugin), HasSubstr("employee key of 0 bytes is not 1-128 bytes"));
    EXPECT_EQ(ext->query(plugin, jc_str{nullptr, 0}, day, &c, &collect), JC_E_INVALID_ARGUMENT);
    EXPECT_EQ(ext->query(plugin, jc_str{invalid.data(), invalid.size()}, day, &c, &collect), JC_E_INVALID_ARGUMENT);
    EXPECT_THAT(plugin->last_error(plugin), HasSubstr("employee key is not valid UTF-8"));
    EXPECT_EQ(ext->knows(plugin, jc_str{invalid.data(), invalid.size()}), JC_E_INVALID_ARGUMENT);
    EXPECT_TRUE(c.lines.empty());
    feed(R"({"id":"x-c1","type":"contract.started","employee":"E-1","date":"2026-01-05","employer":"A","weekly_hours":20})" "\n");
    feed(seed_example);
    auto knows = [&](const std::string &key) { return ext->knows(plugin, jc_str{key.data(), key.size()}); };
    EXPECT_EQ(knows("E-104"), 1); // a trajectory
    EXPECT_EQ(knows("E-1"), 1);   // events, but no trajectory: query calls the sink never
    EXPECT_EQ(knows("E-999"), 0); // never seen
    Collected none;
    EXPECT_EQ(ext->query(plugin, jc_str{"E-1", 3}, day, &none, &collect), JC_OK);
    EXPECT_TRUE(none.lines.empty());
}

// jc.findings/1: one employee's findings through the host's emit_finding, and bad arguments refused naming
// what and where, with nothing emitted.
TEST_F(UwvPlugin, FindingsOfOneEmployeeAreEmittedAndBadArgumentsRefused)
{
    const auto *ext = static_cast<const jc_plugin_findings *>(plugin->get_extension(plugin, JC_EXT_FINDINGS));
    ASSERT_NE(ext, nullptr);
    ASSERT_GE(ext->struct_size, offsetof(jc_plugin_findings, evaluate_employees) + sizeof(void *));
    feed(seed_example);
    feed(R"({"id":"o-c1","type":"contract.started","employee":"E-OTHER","date":"2026-01-05","employer":"B","weekly_hours":20,"end":"2026-09-04"})" "\n"
         R"({"id":"o-g1","type":"coaching.granted","employee":"E-OTHER","date":"2026-01-05","scheme":"uwv-extern","level":"midden"})" "\n");
    const jc_date day = Date::parse("2026-09-20")->days;
    // E-104's two findings, not E-OTHER's (whose are the same kinds on the same days).
    EXPECT_CALL(host, emit("uwv-extern.period-report", "report.due", "2026-10-02")).WillOnce(Return(JC_OK));
    EXPECT_CALL(host, emit("uwv-extern.contract-end", "report.overdue", "2026-09-11")).WillOnce(Return(JC_OK));
    const jc_str keys[] = {{"E-104", 5}, {"E-104", 5}, {"E-NOBODY", 8}}; // twice counts once; unknown: nothing
    EXPECT_EQ(ext->evaluate_employees(plugin, keys, 3, day), JC_OK) << plugin->last_error(plugin);
    ::testing::Mock::VerifyAndClearExpectations(&host);
    EXPECT_CALL(host, emit(_, _, _)).Times(0);
    EXPECT_EQ(ext->evaluate_employees(plugin, nullptr, 2, day), JC_E_INVALID_ARGUMENT);
    EXPECT_EQ(std::string(plugin->last_error(plugin)), "jc.findings/1 evaluate_employees: employees is NULL with count 2");
    const std::string invalid = "E-\xED\xA0\x80"; // a surrogate
    const jc_str bad[] = {{"E-104", 5}, {invalid.data(), invalid.size()}};
    EXPECT_EQ(ext->evaluate_employees(plugin, bad, 2, day), JC_E_INVALID_ARGUMENT);
    EXPECT_EQ(std::string(plugin->last_error(plugin)), "jc.findings/1 evaluate_employees: employees[1] is not valid UTF-8");
    const jc_str empty[] = {{"", 0}};
    EXPECT_EQ(ext->evaluate_employees(plugin, empty, 1, day), JC_E_INVALID_ARGUMENT);
    EXPECT_THAT(plugin->last_error(plugin), HasSubstr("employees[0] of 0 bytes is not 1-128 bytes"));
    EXPECT_EQ(ext->evaluate_employees(plugin, keys, 1, JC_DATE_MAX + 1), JC_E_INVALID_ARGUMENT);
    EXPECT_EQ(ext->evaluate_employees(plugin, nullptr, 0, day), JC_OK); // nobody: no finding
}

namespace {

// A host that counts the changes emitted to it, and kills its own process at the `kill_at`-th one (0: never).
struct ChangeHost {
    jc_host host{};
    int kill_at = 0;
    std::vector<std::pair<std::string, uint32_t>> changes; // id, change
    ChangeHost()
    {
        host.struct_size = sizeof host;
        host.abi_version = {JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, 0};
        host.host_data = this;
        host.name = "changes";
        host.version = "0";
        host.get_extension = [](const jc_host *, const char *) -> const void * { return nullptr; };
        host.log = [](const jc_host *, int32_t, jc_str) {};
        host.emit_finding = [](const jc_host *h, const jc_finding *f) {
            auto *self = static_cast<ChangeHost *>(h->host_data);
            self->changes.emplace_back(std::string(f->id.data, f->id.size), f->change);
            if (self->kill_at > 0 && static_cast<int>(self->changes.size()) == self->kill_at)
                ::raise(SIGKILL);
            return JC_OK;
        };
    }
};

} // namespace

// The change feed is delivered at least once: a process killed (SIGKILL) while it hands the changes to its host
// records nothing, so the next process gets every change again; after a whole delivery, the next gets none.
TEST(UwvPluginState, AChangeFeedKilledHalfwayIsDeliveredWholeByTheNextProcess)
{
    const auto path = std::filesystem::temp_directory_path() / ("jc-feed-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    const jc_plugin_entry *entry = jc_plugin_entry_v1();
    ASSERT_EQ(entry->init(JC_TEST_UWV_PLUGIN_DIR, nullptr, 0), JC_OK);
    const std::string state = path.string();
    const jc_instance_config config{sizeof(jc_instance_config), 0, state.c_str(), nullptr};
    const std::string sample = [] {
        std::ifstream in(std::string(JC_TEST_SOURCE_DIR) + "/host_demo/samples/sample-events.jsonl");
        return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    const JsonlBatch batch(sample);
    const jc_date as_of = Date::from_ymd(2026, 11, 23).days;
    auto feed = [&](ChangeHost &h) {
        const jc_plugin *p = nullptr;
        EXPECT_EQ(entry->create(&h.host, &config, &p, nullptr, 0), JC_OK);
        send(p, batch);
        const auto *ext = static_cast<const jc_plugin_findings *>(p->get_extension(p, JC_EXT_FINDINGS));
        const jc_status s = ext->evaluate_changes(p, nullptr, JC_ALL_EMPLOYEES, as_of);
        EXPECT_EQ(s, JC_OK) << p->last_error(p);
        p->destroy(p);
    };
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ChangeHost dying;
        dying.kill_at = 3;
        feed(dying);
        ::_exit(0); // not reached: killed at the third change
    }
    int wstatus = 0;
    ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL);

    ChangeHost next;
    feed(next);
    EXPECT_GE(next.changes.size(), 10u) << "every finding of the sample, not what followed the third";
    for (const auto &[id, change] : next.changes)
        EXPECT_EQ(change, JC_CHANGE_NEW) << id;
    std::set<std::string> ids;
    for (const auto &c : next.changes)
        ids.insert(c.first);
    EXPECT_EQ(ids.size(), next.changes.size());
    ChangeHost after;
    feed(after);
    EXPECT_TRUE(after.changes.empty()) << "delivered whole: nothing is new the next time";
    entry->deinit();
    for (const char *suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(state + suffix);
}

// jc_batch_result.conflicts (ABI 1.2): every event of a batch whose id was stored with other content is
// counted, failed_index names the first, and nothing of the batch is stored.
TEST_F(UwvPlugin, ConflictsAreCountedInTheBatchResult)
{
    feed(seed_example);
    // One batch of three events, made from three files (a file may not hold one id twice).
    const JsonlBatch a(R"({"id":"new-1","type":"timesheet.logged","employee":"E-104","date":"2026-02-02","minutes":30})" "\n");
    const JsonlBatch b(R"({"id":"t9","type":"timesheet.logged","employee":"E-104","date":"2026-01-12","minutes":91})" "\n");
    const JsonlBatch c(R"({"id":"t9","type":"timesheet.logged","employee":"E-104","date":"2026-01-12","minutes":92})" "\n");
    ASSERT_EQ(a.list.size() + b.list.size() + c.list.size(), 3u);
    struct {
        const jc_event_header *const *data() const { return events; }
        const jc_event_header *events[3];
    } changed{{a.abi->headers()[0], b.abi->headers()[0], c.abi->headers()[0]}};
    // t9 is not in the seed: the first t9 of the batch is new, the second conflicts with it.
    jc_batch_result r{};
    r.struct_size = sizeof r;
    EXPECT_EQ(plugin->handle_events(plugin, changed.data(), 3, &r), JC_E_INVALID_EVENT);
    EXPECT_EQ(r.conflicts, 1u);
    EXPECT_EQ(r.failed_index, 2u);
    EXPECT_THAT(plugin->last_error(plugin), HasSubstr("event #2 of the batch: id was stored before with other content (1 such"));
    const JsonlBatch first(R"({"id":"t9","type":"timesheet.logged","employee":"E-104","date":"2026-01-12","minutes":90})" "\n"
                           R"({"id":"new-1","type":"timesheet.logged","employee":"E-104","date":"2026-02-02","minutes":30})" "\n");
    r = {};
    r.struct_size = sizeof r;
    ASSERT_EQ(plugin->handle_events(plugin, first.abi->headers().data(), 2, &r), JC_OK);
    EXPECT_EQ(r.accepted, 2u) << "the refused batch stored nothing, not even new-1";
    EXPECT_EQ(r.conflicts, 0u);
    r = {};
    r.struct_size = sizeof r;
    EXPECT_EQ(plugin->handle_events(plugin, changed.data(), 3, &r), JC_E_INVALID_EVENT);
    EXPECT_EQ(r.conflicts, 2u) << "both t9 now differ from the stored one";
    EXPECT_EQ(r.failed_index, 1u);
    // A host of ABI 1.1 (a 24-byte result) gets the rest, and nothing is written past its struct.
    struct {
        jc_batch_result r;
        uint32_t guard;
    } old{};
    old.r.struct_size = offsetof(jc_batch_result, conflicts);
    old.guard = 0xdeadbeef;
    EXPECT_EQ(plugin->handle_events(plugin, changed.data(), 3, &old.r), JC_E_INVALID_EVENT);
    EXPECT_EQ(old.r.failed_index, 1u);
    EXPECT_EQ(old.r.conflicts, 0u);
    EXPECT_EQ(old.guard, 0xdeadbeefu);
}

// jc.erase/1 on a live instance: the write-ahead log, which held the employee's pages, is truncated too, so no
// byte of the key is in the database, its -wal or its -shm while the instance is still open.
TEST(UwvPluginState, AnEmployeeErasedFromALiveInstanceLeavesNoByteInAnyStateFile)
{
    const auto path = std::filesystem::temp_directory_path() / ("jc-erase-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    const jc_plugin_entry *entry = jc_plugin_entry_v1();
    ASSERT_EQ(entry->init(JC_TEST_UWV_PLUGIN_DIR, nullptr, 0), JC_OK);
    const std::string state = path.string();
    const jc_instance_config config{sizeof(jc_instance_config), 0, state.c_str(), nullptr};
    ChangeHost host;
    const jc_plugin *p = nullptr;
    ASSERT_EQ(entry->create(&host.host, &config, &p, nullptr, 0), JC_OK);
    const std::string sample = [] {
        std::ifstream in(std::string(JC_TEST_SOURCE_DIR) + "/host_demo/samples/sample-events.jsonl");
        return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    const JsonlBatch batch(sample);
    send(p, batch);
    const auto *findings = static_cast<const jc_plugin_findings *>(p->get_extension(p, JC_EXT_FINDINGS));
    ASSERT_EQ(findings->evaluate_changes(p, nullptr, JC_ALL_EMPLOYEES, Date::from_ymd(2026, 11, 23).days), JC_OK);
    auto files_hold = [&](const std::string &key) {
        for (const char *suffix : {"", "-wal", "-shm"}) {
            std::ifstream in(state + suffix, std::ios::binary);
            const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (bytes.find(key) != std::string::npos)
                return true;
        }
        return false;
    };
    ASSERT_TRUE(files_hold("E-104"));
    const auto *erase = static_cast<const jc_plugin_erase *>(p->get_extension(p, JC_EXT_ERASE));
    ASSERT_NE(erase, nullptr);
    uint64_t events = 0, recorded = 0;
    ASSERT_EQ(erase->erase_employee(p, jc_str{"E-104", 5}, &events, &recorded), JC_OK) << p->last_error(p);
    EXPECT_EQ(events, 31u);
    EXPECT_EQ(recorded, 3u);
    EXPECT_FALSE(files_hold("E-104"));
    EXPECT_TRUE(files_hold("E-105"));
    const auto *status = static_cast<const jc_plugin_status *>(p->get_extension(p, JC_EXT_STATUS));
    EXPECT_EQ(status->knows(p, jc_str{"E-104", 5}), 0);
    EXPECT_EQ(erase->erase_employee(p, jc_str{"", 0}, nullptr, nullptr), JC_E_INVALID_ARGUMENT);
    EXPECT_THAT(p->last_error(p), HasSubstr("jc.erase/1 erase_employee: employee key of 0 bytes"));
    EXPECT_EQ(erase->erase_employee(p, jc_str{"E-104", 5}, nullptr, nullptr), JC_OK); // nothing left: no error
    p->destroy(p);
    entry->deinit();
    for (const char *suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(state + suffix);
}
