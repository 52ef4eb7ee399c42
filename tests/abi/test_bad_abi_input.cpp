// SPDX-License-Identifier: Apache-2.0
// Bad input through the C ABI (docs/bad-input.md, first table): each test drives the uwv plugin through its C
// entry, as a host does, after storing a good batch; each checks the status and the error's what and where,
// and that nothing stored before was lost or counted twice.
#include <jobcoach/host/event_file.hpp>
#include <jobcoach/rules/date.hpp>

#include <jobcoach/jobcoach.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <filesystem>
#include <unistd.h>
#include <cstring>
#include <string>
#include <vector>

extern "C" const jc_plugin_entry *jc_plugin_entry_v1(void);

using ::testing::HasSubstr;
using jobcoach::rules::Date;

namespace {

jc_str str(const std::string &s) { return {s.data(), s.size()}; }
jc_date day(const char *iso) { return Date::parse(iso)->days; }

// One employee with a contract, a uwv-extern grant and coaching hours: findings as of 2025-12-31 include the
// period reports and a budget overrun.
const char *const good_jsonl =
    R"({"id":"g-1","type":"contract.started","employee":"E-9","date":"2025-01-06","employer":"W-1","weekly_hours":36})" "\n"
    R"({"id":"g-2","type":"coaching.granted","employee":"E-9","date":"2025-01-06","scheme":"uwv-extern","level":"midden"})" "\n"
    R"({"id":"g-3","type":"timesheet.logged","employee":"E-9","date":"2025-01-08","minutes":600})" "\n"
    R"({"id":"g-4","type":"timesheet.logged","employee":"E-9","date":"2025-02-05","minutes":1440})" "\n"
    R"({"id":"g-5","type":"timesheet.logged","employee":"E-9","date":"2025-03-05","minutes":1440})" "\n"
    R"({"id":"g-6","type":"report.submitted","employee":"E-9","date":"2025-02-03","kind":"plan"})" "\n";

// A timesheet.logged event whose members a test may spoil.
struct Entry {
    std::string id, employee = "E-9";
    jc_event_timesheet_logged ev{};
    explicit Entry(std::string event_id, int32_t minutes = 60, const char *date = "2025-04-02") : id(std::move(event_id))
    {
        ev.header.struct_size = sizeof ev;
        ev.header.type = JC_EVENT_TIMESHEET_LOGGED;
        ev.header.id = str(id);
        ev.header.employee = str(employee);
        ev.header.date = day(date);
        ev.minutes = minutes;
        ev.activity = JC_ACTIVITY_COACHING;
    }
    const jc_event_header *header() const { return &ev.header; }
};

class BadAbiInput : public ::testing::Test {
protected:
    struct Host {
        jc_host host{};
        std::vector<std::string> findings;
        std::vector<std::pair<int32_t, std::string>> logs;
    } h;

    void SetUp() override
    {
        entry = jc_plugin_entry_v1();
        ASSERT_EQ(entry->init(JC_TEST_UWV_PLUGIN_DIR, nullptr, 0), JC_OK);
        h.host.struct_size = sizeof h.host;
        h.host.abi_version = {JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, 0};
        h.host.host_data = &h;
        h.host.name = "bad-input";
        h.host.version = "0";
        h.host.log = [](const jc_host *x, int32_t level, jc_str m) {
            static_cast<Host *>(x->host_data)->logs.emplace_back(level, std::string(m.data, m.size));
        };
        h.host.emit_finding = [](const jc_host *x, const jc_finding *f) {
            auto s = [](jc_str v) { return std::string(v.data, v.size); };
            static_cast<Host *>(x->host_data)->findings.push_back(s(f->rule) + "|" + s(f->kind) + "|" + s(f->subject) +
                                                                 "|" + std::to_string(f->observed_minutes));
            return JC_OK;
        };
        const jc_instance_config config{sizeof(jc_instance_config), 0, nullptr, nullptr};
        char error[256] = {};
        ASSERT_EQ(entry->create(&h.host, &config, &plugin, error, sizeof error), JC_OK) << error;

        good = jobcoach::host::parse_events(good_jsonl);
        ASSERT_TRUE(good.errors.empty());
        for (const auto &e : good.events)
            good_list.push_back(&e);
        good_abi = std::make_unique<jobcoach::host::AbiEvents>(good_list);
        const jc_batch_result r = send(good_abi->headers());
        ASSERT_EQ(r.accepted, good.events.size());
        before = findings();
        ASSERT_FALSE(before.empty());
        h.logs.clear();
    }
    void TearDown() override
    {
        if (plugin != nullptr)
            plugin->destroy(plugin);
        entry->deinit();
    }

    jc_batch_result send(std::span<const jc_event_header *const> events, jc_status expected = JC_OK)
    {
        jc_batch_result r{};
        r.struct_size = sizeof r;
        EXPECT_EQ(plugin->handle_events(plugin, events.data(), static_cast<uint32_t>(events.size()), &r), expected)
            << plugin->last_error(plugin);
        return r;
    }
    jc_batch_result send(std::initializer_list<const jc_event_header *> events, jc_status expected = JC_OK)
    {
        const std::vector<const jc_event_header *> list(events);
        return send(std::span<const jc_event_header *const>(list), expected);
    }
    std::vector<std::string> findings(const char *as_of = "2025-12-31")
    {
        h.findings.clear();
        EXPECT_EQ(plugin->evaluate(plugin, day(as_of)), JC_OK) << plugin->last_error(plugin);
        std::vector<std::string> out = h.findings;
        std::sort(out.begin(), out.end());
        return out;
    }
    std::string error() const { return plugin->last_error(plugin); }

    // Nothing stored before is lost or counted twice: the findings are those of the good batch alone, and the
    // good batch sent again is all duplicates.
    void expect_nothing_changed()
    {
        EXPECT_EQ(findings(), before);
        const jc_batch_result again = send(good_abi->headers());
        EXPECT_EQ(again.accepted, 0u);
        EXPECT_EQ(again.duplicates, good.events.size());
    }
    // The batch is refused at `index`, naming the event and the field.
    void expect_refused(std::initializer_list<const jc_event_header *> events, uint32_t index, const std::string &what)
    {
        const jc_batch_result r = send(events, JC_E_INVALID_EVENT);
        EXPECT_EQ(r.failed_index, index);
        EXPECT_EQ(r.accepted, 0u);
        EXPECT_THAT(error(), HasSubstr("event #" + std::to_string(index) + " of the batch: "));
        EXPECT_THAT(error(), HasSubstr(what));
        expect_nothing_changed();
    }

    const jc_plugin_entry *entry = nullptr;
    const jc_plugin *plugin = nullptr;
    jobcoach::host::EventFile good;
    std::vector<const jobcoach::host::Event *> good_list;
    std::unique_ptr<jobcoach::host::AbiEvents> good_abi;
    std::vector<std::string> before;
};

} // namespace

TEST_F(BadAbiInput, NullEventsArray)
{
    jc_batch_result r{};
    r.struct_size = sizeof r;
    EXPECT_EQ(plugin->handle_events(plugin, nullptr, 3, &r), JC_E_INVALID_ARGUMENT);
    EXPECT_EQ(error(), "handle_events: events is NULL with count 3");
    EXPECT_EQ(plugin->handle_events(plugin, nullptr, 0, &r), JC_OK); // no events: nothing to read
    expect_nothing_changed();
}

TEST_F(BadAbiInput, NullEventPointerInTheBatch)
{
    Entry fresh("n-1");
    expect_refused({fresh.header(), nullptr}, 1, "NULL pointer");
    EXPECT_EQ(send({fresh.header()}).accepted, 1u); // the good event of the refused batch was not stored
}

TEST_F(BadAbiInput, NullInstanceAndNullCreateArguments)
{
    jc_batch_result r{};
    r.struct_size = sizeof r;
    EXPECT_EQ(plugin->handle_events(nullptr, nullptr, 0, &r), JC_E_INVALID_ARGUMENT);
    EXPECT_EQ(plugin->evaluate(nullptr, day("2025-12-31")), JC_E_INVALID_ARGUMENT);
    EXPECT_STREQ(plugin->last_error(nullptr), "invalid instance");
    EXPECT_EQ(plugin->get_extension(plugin, nullptr), nullptr);

    const jc_instance_config config{sizeof(jc_instance_config), 0, nullptr, nullptr};
    const jc_plugin *other = nullptr;
    char message[256] = {};
    EXPECT_EQ(entry->create(nullptr, &config, &other, message, sizeof message), JC_E_INVALID_ARGUMENT);
    EXPECT_STREQ(message, "create: host is NULL");
    EXPECT_EQ(other, nullptr);
    EXPECT_EQ(entry->create(&h.host, &config, nullptr, message, sizeof message), JC_E_INVALID_ARGUMENT);
    EXPECT_STREQ(message, "create: out_plugin is NULL");
    EXPECT_EQ(entry->init(nullptr, message, sizeof message), JC_E_INVALID_ARGUMENT);
    EXPECT_STREQ(message, "init: plugin_dir is NULL");
    // An error buffer of NULL or of capacity 0 is not written.
    EXPECT_EQ(entry->create(nullptr, &config, &other, nullptr, 0), JC_E_INVALID_ARGUMENT);
    expect_nothing_changed();
}

TEST_F(BadAbiInput, NullResultIsAllowed)
{
    Entry fresh("r-1");
    const jc_event_header *batch[] = {fresh.header()};
    EXPECT_EQ(plugin->handle_events(plugin, batch, 1, nullptr), JC_OK) << error();
    EXPECT_EQ(send({fresh.header()}).duplicates, 1u); // it was stored once
}

TEST_F(BadAbiInput, StructSizeSmallerThanTheHeader)
{
    Entry e("s-1");
    e.ev.header.struct_size = 8;
    expect_refused({e.header()}, 0, "struct_size 8 is smaller than the 48-byte header");
}

TEST_F(BadAbiInput, StructSizeSmallerThanTheEventType)
{
    Entry e("s-2");
    e.ev.header.struct_size = sizeof(jc_event_header);
    expect_refused({e.header()}, 0, "struct_size 48 is smaller than the 88 bytes of event type 7");
}

TEST_F(BadAbiInput, HugeStructSizeReadsOnlyTheMembersThisPluginKnows)
{
    // A claim beyond any struct (a newer host's larger event, or a lie): the plugin reads its own 88 bytes only.
    Entry e("s-3");
    e.ev.header.struct_size = UINT32_MAX;
    EXPECT_EQ(send({e.header()}).accepted, 1u);
    Entry exact("s-3");
    const jc_batch_result again = send({exact.header()});
    EXPECT_EQ(again.duplicates, 1u);
    EXPECT_TRUE(h.logs.empty()) << h.logs[0].second; // the same content: no "other content" warning
}

TEST_F(BadAbiInput, ResultConfigAndHostStructSizesTooSmall)
{
    Entry fresh("s-4");
    const jc_event_header *batch[] = {fresh.header()};
    jc_batch_result small{};
    small.struct_size = 8;
    EXPECT_EQ(plugin->handle_events(plugin, batch, 1, &small), JC_E_INVALID_ARGUMENT);
    EXPECT_EQ(error(), "handle_events: jc_batch_result.struct_size 8 is too small");

    const jc_plugin *other = nullptr;
    char message[256] = {};
    const jc_instance_config config{4, 0, "/tmp/should-not-matter.db", nullptr};
    EXPECT_EQ(entry->create(&h.host, &config, &other, message, sizeof message), JC_E_INVALID_ARGUMENT);
    EXPECT_STREQ(message, "create: jc_instance_config.struct_size 4 is too small");
    jc_host tiny = h.host;
    tiny.struct_size = 16;
    EXPECT_EQ(entry->create(&tiny, nullptr, &other, message, sizeof message), JC_E_INVALID_ARGUMENT);
    EXPECT_STREQ(message, "create: jc_host.struct_size 16 is too small");
    EXPECT_EQ(other, nullptr);
    expect_nothing_changed();
    EXPECT_EQ(send({fresh.header()}).accepted, 1u);
}

TEST_F(BadAbiInput, UnknownEventTypesAreSkipped)
{
    Entry zero("u-1"), future("u-2");
    zero.ev.header.type = 0;
    future.ev.header.type = 99;
    const jc_batch_result r = send({zero.header(), future.header()});
    EXPECT_EQ(r.skipped, 2u);
    EXPECT_EQ(r.accepted, 0u);
    expect_nothing_changed();
}

TEST_F(BadAbiInput, InvalidUtf8)
{
    Entry e("v-1");
    e.employee = "E-\xC3(";
    e.ev.header.employee = str(e.employee);
    expect_refused({e.header()}, 0, "employee: not valid UTF-8 (type 7)");
    Entry scheme("v-2");
    const std::string bad = "uwv-\xFF";
    scheme.ev.scheme = str(bad);
    expect_refused({scheme.header()}, 0, "scheme: not valid UTF-8");
}

TEST_F(BadAbiInput, InvalidUtf8SurrogatesOverlongsAndBeyondU10FFFF)
{
    // A surrogate (U+D800), an overlong '/' (E0 80 AF), U+110000 (F4 90 80 80): the shapes a lax check lets in.
    for (const std::string bad : {"E-\xED\xA0\x80", "E-\xE0\x80\xAF", "E-\xF4\x90\x80\x80"}) {
        Entry e("w-1");
        e.employee = bad;
        e.ev.header.employee = str(e.employee);
        expect_refused({e.header()}, 0, "employee: not valid UTF-8 (type 7)");
    }
    Entry good("w-2"); // the largest code point and one just below the surrogates pass
    good.employee = "E-\xF4\x8F\xBF\xBF\xED\x9F\xBF";
    good.ev.header.employee = str(good.employee);
    EXPECT_EQ(send({good.header()}).accepted, 1u);
}

TEST_F(BadAbiInput, ControlCharactersInIdsAndKeys)
{
    for (const std::string bad : {"E-\x1b[31m", "E-\x07", "E-1\r", "E-1\n", "E-\x7f"}) {
        Entry e("x-1");
        e.employee = bad;
        e.ev.header.employee = str(e.employee);
        expect_refused({e.header()}, 0, "employee: holds a control character");
    }
    Entry id("x-\x1b");
    expect_refused({id.header()}, 0, "id: holds a control character (byte 27)");
    Entry scheme("x-2");
    const std::string tab = "uwv-extern\t";
    scheme.ev.scheme = str(tab);
    expect_refused({scheme.header()}, 0, "scheme: holds a control character (byte 9)");
}

TEST_F(BadAbiInput, OversizeStrings)
{
    Entry id129(std::string(129, 'x'));
    expect_refused({id129.header()}, 0, "id: longer than 128 bytes");
    Entry id128(std::string(128, 'x'));
    EXPECT_EQ(send({id128.header()}).accepted, 1u); // exactly the limit

    jc_event_coaching_extended x{};
    const std::string id = "o-1", employee = "E-9", scheme = "uwv-extern", justification(4097, 'j');
    x.header = {sizeof x, JC_EVENT_COACHING_EXTENDED, str(id), str(employee), day("2025-06-02"), 0};
    x.scheme = str(scheme);
    x.months = 6;
    x.justification = str(justification);
    const jc_batch_result r = send({&x.header}, JC_E_INVALID_EVENT);
    EXPECT_EQ(r.failed_index, 0u);
    EXPECT_THAT(error(), HasSubstr("justification: longer than 4096 bytes"));
    x.justification.size = 4096;
    EXPECT_EQ(send({&x.header}).accepted, 1u);
}

TEST_F(BadAbiInput, NullDataWithASize)
{
    Entry e("d-1");
    e.ev.header.id = {nullptr, 3};
    expect_refused({e.header()}, 0, "id: NULL data with size 3");
    Entry absent("d-2");
    absent.ev.header.employee = {nullptr, 0}; // absent: the required key is missing
    expect_refused({absent.header()}, 0, "employee: missing");
}

TEST_F(BadAbiInput, DatesOutOfRange)
{
    Entry before_min("t-1"), after_max("t-2");
    before_min.ev.header.date = JC_DATE_MIN - 1;
    after_max.ev.header.date = JC_DATE_MAX + 1;
    expect_refused({before_min.header()}, 0, "date: day number -25568 is outside 1900-01-01..2199-12-31");
    expect_refused({after_max.header()}, 0, "date: day number 84006 is outside");
    jc_event_contract_started c{};
    const std::string id = "t-3", employee = "E-9", employer = "W-1";
    c.header = {sizeof c, JC_EVENT_CONTRACT_STARTED, str(id), str(employee), day("2025-06-02"), 0};
    c.employer = str(employer);
    c.weekly_minutes = 1200;
    c.end = JC_DATE_MAX + 1;
    c.paid = 1;
    c.paid_prospect = 1;
    expect_refused({&c.header}, 0, "end: day number 84006 is outside");
    EXPECT_EQ(plugin->evaluate(plugin, JC_DATE_MIN - 1), JC_E_INVALID_ARGUMENT);
    EXPECT_THAT(error(), HasSubstr("evaluate: as_of day number -25568 is outside 1900-01-01..2199-12-31"));
    // The first and the last valid day are accepted.
    Entry first("t-4", 60, "1900-01-01"), last("t-5", 60, "2199-12-31");
    EXPECT_EQ(send({first.header(), last.header()}).accepted, 2u);
    EXPECT_EQ(plugin->evaluate(plugin, JC_DATE_MAX), JC_OK) << error();
}

TEST_F(BadAbiInput, NegativeZeroAndAbsurdMinutes)
{
    for (const int32_t minutes : {-60, 0, 1441, INT32_MAX, INT32_MIN}) {
        Entry e("m-" + std::to_string(minutes), minutes);
        expect_refused({e.header()}, 0, "minutes: must be more than 0 and at most 24 hours (1440 minutes)");
    }
    jc_event_coaching_granted g{};
    const std::string id = "m-g", employee = "E-9", scheme = "uwv-extern";
    g.header = {sizeof g, JC_EVENT_COACHING_GRANTED, str(id), str(employee), day("2025-07-07"), 0};
    g.scheme = str(scheme);
    g.prior_months = -1;
    g.granted_minutes = 366LL * 24 * 60 + 1;
    EXPECT_EQ(send({&g.header}, JC_E_INVALID_EVENT).failed_index, 0u);
    EXPECT_THAT(error(), HasSubstr("granted_hours: must be 0 or more and at most a year of hours"));
    g.granted_minutes = -2;
    send({&g.header}, JC_E_INVALID_EVENT);
    g.granted_minutes = INT64_MAX;
    send({&g.header}, JC_E_INVALID_EVENT);
    jc_event_contract_changed c{};
    const std::string cid = "m-c";
    c.header = {sizeof c, JC_EVENT_CONTRACT_CHANGED, str(cid), str(employee), day("2025-07-07"), 0};
    c.weekly_minutes = 3601; // more than 60 hours a week
    c.end_change = JC_END_UNCHANGED;
    c.end = JC_DATE_NONE;
    send({&c.header}, JC_E_INVALID_EVENT);
    EXPECT_THAT(error(), HasSubstr("weekly_hours: must be more than 0 and at most 60"));
    expect_nothing_changed();
    Entry one("m-one", 1), day_long("m-day", 1440); // the bounds themselves are accepted
    EXPECT_EQ(send({one.header(), day_long.header()}).accepted, 2u);
}

TEST_F(BadAbiInput, RetractionOfAnUnknownId)
{
    // Stored (a retraction may come before its entry), logged, and it removes nothing...
    jc_event_timesheet_retracted r{};
    const std::string id = "x-1", employee = "E-9", target = "late-entry";
    r.header = {sizeof r, JC_EVENT_TIMESHEET_RETRACTED, str(id), str(employee), day("2025-04-03"), 0};
    r.retracts = str(target);
    EXPECT_EQ(send({&r.header}).accepted, 1u);
    ASSERT_EQ(h.logs.size(), 1u);
    EXPECT_EQ(h.logs[0].first, JC_LOG_WARNING);
    EXPECT_THAT(h.logs[0].second, HasSubstr("1 retraction(s) of the batch (#0) name no stored record of the same "
                                            "employee"));
    EXPECT_THAT(h.logs[0].second, ::testing::Not(HasSubstr("E-9"))); // never an employee key in a log line
    EXPECT_EQ(findings(), before);
    // ... until the entry arrives: then it is removed, whatever the order of arrival (C-6).
    Entry late("late-entry", 1440);
    EXPECT_EQ(send({late.header()}).accepted, 1u);
    EXPECT_EQ(findings(), before);
    // A retraction naming another employee's entry removes nothing.
    const std::string entry_of_e9 = "g-3", id2 = "x-2", other_employee = "E-8";
    r.retracts = str(entry_of_e9);
    r.header.id = str(id2);
    r.header.employee = str(other_employee);
    h.logs.clear();
    EXPECT_EQ(send({&r.header}).accepted, 1u);
    EXPECT_EQ(h.logs.size(), 1u);
    EXPECT_EQ(findings(), before);
    // One naming a known event that is not a timesheet entry (a grant) would stay pending for ever: refused.
    const std::string grant = "g-2", id3 = "x-3";
    r.retracts = str(grant);
    r.header.id = str(id3);
    r.header.employee = str(employee);
    expect_refused({&r.header}, 0, "retracts: names a coaching.granted event; a timesheet.retracted retracts a "
                                   "timesheet.logged only");
}

TEST_F(BadAbiInput, ABatchMixingGoodAndBadEvents)
{
    Entry a("k-1"), b("k-2"), bad("k-3", -5), c("k-4");
    expect_refused({a.header(), b.header(), bad.header(), c.header()}, 2, "minutes");
    const jc_batch_result r = send({a.header(), b.header(), c.header()});
    EXPECT_EQ(r.accepted, 3u); // none of them had been stored
    EXPECT_EQ(r.duplicates, 0u);
}

TEST_F(BadAbiInput, AnIdReusedWithOtherContent)
{
    // g-3 was stored with 600 minutes: the same id with 30 is a changed record, not a replay. The batch is
    // refused at that event, and the good event before it in the batch is not stored either.
    Entry fresh("n-1", 45), reused("g-3", 30, "2025-01-08");
    expect_refused({fresh.header(), reused.header()}, 1, "id was stored before with other content");
    // Inside one batch as well.
    Entry first("w-1", 60), second("w-1", 90);
    expect_refused({first.header(), second.header()}, 1, "id was stored before with other content");
    // The same content again is a replay: counted once, no error.
    Entry again("g-3", 600, "2025-01-08");
    const jc_batch_result r = send({again.header()});
    EXPECT_EQ(r.duplicates, 1u);
    EXPECT_EQ(r.accepted, 0u);
}

TEST(BadAbiInit, ADirectoryWithoutRulePacksFailsAtInitNamingThePath)
{
    const jc_plugin_entry *entry = jc_plugin_entry_v1();
    const auto dir = std::filesystem::temp_directory_path() / ("jc-no-packs-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "rulepacks");
    char error[512] = {};
    const jc_status status = entry->init(dir.c_str(), error, sizeof error);
    if (status == JC_OK)
        entry->deinit();
    EXPECT_EQ(status, JC_E_RULE_PACK);
    EXPECT_THAT(std::string(error), HasSubstr("init: no rule pack (*.json) in " + (dir / "rulepacks").string()));
    std::filesystem::remove_all(dir);
}

// Two threads calling one instance at once (the ABI forbids it: [instance-serialized]). The first call is held
// inside its first emit_finding until the second has returned; the second must be refused at once, and the
// first must finish with the findings it gives alone. Deterministic: no timing involved.
TEST_F(BadAbiInput, OverlappingCallsOnOneInstanceAreRefused)
{
    struct Blocking {
        jc_host host{};
        std::mutex m;
        std::condition_variable cv;
        bool inside = false, second_done = false;
        size_t findings = 0;
    } b;
    b.host.struct_size = sizeof b.host;
    b.host.abi_version = {JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, 0};
    b.host.host_data = &b;
    b.host.name = "overlap";
    b.host.version = "0";
    b.host.log = [](const jc_host *, int32_t, jc_str) {};
    b.host.emit_finding = [](const jc_host *x, const jc_finding *) {
        auto &self = *static_cast<Blocking *>(x->host_data);
        std::unique_lock lock(self.m);
        if (self.findings++ == 0) {
            self.inside = true;
            self.cv.notify_all();
            self.cv.wait(lock, [&] { return self.second_done; });
        }
        return JC_OK;
    };
    const jc_instance_config config{sizeof(jc_instance_config), 0, nullptr, nullptr};
    const jc_plugin *p = nullptr;
    char error[256] = {};
    ASSERT_EQ(entry->create(&b.host, &config, &p, error, sizeof error), JC_OK) << error;
    jc_batch_result r{};
    r.struct_size = sizeof r;
    ASSERT_EQ(p->handle_events(p, good_abi->headers().data(), static_cast<uint32_t>(good_abi->headers().size()), &r), JC_OK);
    jc_status first = JC_E_INTERNAL;
    std::thread t([&] { first = p->evaluate(p, day("2025-12-31")); });
    jc_status overlapping_evaluate, overlapping_batch;
    {
        std::unique_lock lock(b.m);
        b.cv.wait(lock, [&] { return b.inside; });
    }
    overlapping_evaluate = p->evaluate(p, day("2025-12-31"));
    jc_batch_result r2{};
    r2.struct_size = sizeof r2;
    overlapping_batch = p->handle_events(p, good_abi->headers().data(), static_cast<uint32_t>(good_abi->headers().size()), &r2);
    {
        std::lock_guard lock(b.m);
        b.second_done = true;
    }
    b.cv.notify_all();
    t.join();
    EXPECT_EQ(overlapping_evaluate, JC_E_INVALID_ARGUMENT);
    EXPECT_EQ(overlapping_batch, JC_E_INVALID_ARGUMENT);
    EXPECT_EQ(r2.accepted + r2.duplicates, 0u); // nothing done
    EXPECT_EQ(first, JC_OK) << p->last_error(p);
    EXPECT_EQ(b.findings, before.size());
    EXPECT_EQ(p->evaluate(p, day("2025-12-31")), JC_OK); // once the first returned, calls work again
    p->destroy(p);
}
