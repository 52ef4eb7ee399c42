// SPDX-License-Identifier: Apache-2.0
// One test-plugin source, built into the variants of the compatibility matrix (Vulkan-Loader's pattern; see
// tests/CMakeLists.txt). It validates and counts the events it is given and reports the count as one finding.
// It uses only the C headers, so it also builds against the frozen copies (tests/abi/v1.N/include). From ABI 1.1
// on it offers jc.status/1 with one trajectory of E-TEST, in the status structs of the headers it is built with.
//
//   JC_TEST_MIN_MAJOR / JC_TEST_MIN_MINOR  the host ABI the plugin says it needs (default 1.0)
//   JC_TEST_NO_ENTRY         exports no jc_plugin_entry_v1
//   JC_TEST_THROW_IN_HOOK    handle_events and evaluate throw a C++ exception across the ABI
//   JC_TEST_THROW_IN_EVALUATE  evaluate (only) throws a C++ exception across the ABI
//   JC_TEST_SMALL_ENTRY      jc_plugin_entry.struct_size is below ABI 1.0's
//   JC_TEST_SMALL_FINDING    jc_finding.struct_size is below ABI 1.0's
//   JC_TEST_EMPTY_ID         a 1.2 finding without its id
//   JC_TEST_FORGETFUL_CHANGES  a jc.findings/1 whose change feed records nothing (every call: all new)
//   JC_TEST_LARGE            every struct the plugin fills is larger than this ABI's (a future 1.x plugin)
//   JC_TEST_UNRESOLVED       calls a function no library defines (linked without -z defs)
//   JC_TEST_EXTRA_EXPORT     exports a second function beside the entry
//   JC_TEST_THREAD_LEFT      init starts a thread that the last deinit does not stop
//   JC_TEST_BAD_REFCOUNT     the first deinit tears the library down, whatever the count
//   JC_TEST_REJECT_UNKNOWN   refuses a batch with an event type it does not know, instead of skipping it
//   JC_TEST_STRICT_SIZE      refuses events whose struct_size is not exactly its own sizeof
//   JC_TEST_SHARED_STATE     every instance counts into one shared counter
//   JC_TEST_ONE_INSTANCE     a second create fails, even after the first instance was destroyed
//   JC_TEST_BUNDLES_SQLITE   links a private static copy of SQLite
//   JC_TEST_GLOBAL_CURRENT   evaluate reads the instance that last handled events, not its own
//   JC_TEST_CRASH            evaluate dereferences a NULL pointer
//   JC_TEST_HANG             evaluate never returns
//   JC_TEST_BAD_UTF8         its finding's message_en holds a byte that is not UTF-8 (0xFF)
//   JC_TEST_UNTERMINATED_ERROR  create fails and fills the whole error buffer without a NUL
//   JC_TEST_TWO_FINDINGS     after its finding, a second one of ABI 1.0's size naming nothing optional
//   JC_TEST_KEEPS_THREADS    evaluate asks the host's jc.threads/1, where offered, for a thread on a thread of
//                            its own, then takes one on the calling thread and keeps it past the call (its
//                            message says what each take returned)
#include <jobcoach/jobcoach.h>

#ifdef JC_TEST_BUNDLES_SQLITE
#include <sqlite3.h>
#endif

#include <chrono>
#include <cstdio>
#include <cstring>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#ifndef JC_TEST_MIN_MAJOR
#define JC_TEST_MIN_MAJOR 1
#endif
#ifndef JC_TEST_MIN_MINOR
#define JC_TEST_MIN_MINOR 0
#endif
#ifdef JC_TEST_FROZEN_V1_0
static_assert(JC_ABI_VERSION_MAJOR == 1 && JC_ABI_VERSION_MINOR == 0, "the frozen plugin builds against the v1.0 headers");
#endif
#ifdef JC_TEST_FROZEN_V1_1
static_assert(JC_ABI_VERSION_MAJOR == 1 && JC_ABI_VERSION_MINOR == 1, "the frozen plugin builds against the v1.1 headers");
#endif
#ifdef JC_TEST_FROZEN_V1_2
static_assert(JC_ABI_VERSION_MAJOR == 1 && JC_ABI_VERSION_MINOR == 2, "the frozen plugin builds against the v1.2 headers");
#endif
#ifdef JC_TEST_FROZEN_V1_3
static_assert(JC_ABI_VERSION_MAJOR == 1 && JC_ABI_VERSION_MINOR == 3, "the frozen plugin builds against the v1.3 headers");
#endif
#if JC_ABI_VERSION_MAJOR == 1 && JC_ABI_VERSION_MINOR >= 1
#define JC_TEST_HAS_EXPLANATION 1
#endif
#if JC_ABI_VERSION_MAJOR == 1 && JC_ABI_VERSION_MINOR >= 2
#define JC_TEST_HAS_ID 1
#endif

#ifdef JC_TEST_UNRESOLVED
extern "C" void jc_test_function_nobody_defines(void);
#endif

namespace {

int init_count = 0;
bool ready = false;
#ifdef JC_TEST_SHARED_STATE
uint32_t shared_events = 0;
#endif
#ifdef JC_TEST_ONE_INSTANCE
bool created_once = false;
#endif
#ifdef JC_TEST_GLOBAL_CURRENT
const void *current = nullptr;
#endif

// The jc_plugin the instance hands out; with JC_TEST_LARGE followed by what a later minor would append.
struct PluginStruct {
    jc_plugin p;
#ifdef JC_TEST_LARGE
    void *future_members[3];
#endif
};

struct TestInstance {
    PluginStruct plugin{};
    const jc_host *host = nullptr;
    uint32_t events = 0;
    std::set<std::string> ids;
    char message[64] = {};
    std::string last_error;
};

// The size of each event type in event schema 1; 0 for a type this plugin does not know. (sdk::event_min_size
// says the same, but this plugin builds from the C headers alone, also from the frozen v1.0 copy.)
uint32_t event_size(uint32_t type)
{
    switch (type) {
    case JC_EVENT_CONTRACT_STARTED: return sizeof(jc_event_contract_started);
    case JC_EVENT_CONTRACT_CHANGED: return sizeof(jc_event_contract_changed);
    case JC_EVENT_CONTRACT_ENDED: return sizeof(jc_event_contract_ended);
    case JC_EVENT_COACHING_GRANTED: return sizeof(jc_event_coaching_granted);
    case JC_EVENT_COACHING_EXTENDED: return sizeof(jc_event_coaching_extended);
    case JC_EVENT_COACHING_ENDED: return sizeof(jc_event_coaching_ended);
    case JC_EVENT_TIMESHEET_LOGGED: return sizeof(jc_event_timesheet_logged);
    case JC_EVENT_TIMESHEET_RETRACTED: return sizeof(jc_event_timesheet_retracted);
    case JC_EVENT_ABSENCE_STARTED:
    case JC_EVENT_ABSENCE_ENDED: return sizeof(jc_event_absence);
    case JC_EVENT_REPORT_SUBMITTED: return sizeof(jc_event_report_submitted);
    case JC_EVENT_BUDGET_TRANSFERRED: return sizeof(jc_event_budget_transferred);
    default: return 0;
    }
}

#ifdef JC_TEST_THREAD_LEFT
void stray_thread()
{
    for (;;)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
}
#endif

jc_status JC_ABI tp_init(const char *, char *, uint32_t)
{
#ifdef JC_TEST_UNRESOLVED
    jc_test_function_nobody_defines();
#endif
#ifdef JC_TEST_BUNDLES_SQLITE
    if (sqlite3_libversion_number() <= 0)
        return JC_E_INTERNAL;
#endif
    if (init_count++ == 0) {
        ready = true;
#ifdef JC_TEST_THREAD_LEFT
        std::thread(stray_thread).detach();
#endif
    }
    return JC_OK;
}

void JC_ABI tp_deinit(void)
{
#ifdef JC_TEST_BAD_REFCOUNT
    ready = false; // wrong: only the last deinit may tear down
    --init_count;
#else
    if (--init_count == 0)
        ready = false;
#endif
}

jc_status fail(TestInstance *i, jc_batch_result *result, uint32_t index, const std::string &why)
{
    i->last_error = "event #" + std::to_string(index) + " of the batch: " + why;
    if (result != nullptr)
        result->failed_index = index;
    return JC_E_INVALID_EVENT;
}

jc_status JC_ABI tp_handle(const jc_plugin *self, const jc_event_header *const *events, uint32_t count,
                           jc_batch_result *result)
{
#ifdef JC_TEST_THROW_IN_HOOK
    throw std::runtime_error("hook failed on purpose");
#endif
    auto *i = static_cast<TestInstance *>(self->plugin_data);
    if (count > 0 && events == nullptr)
        return fail(i, result, 0, "events is NULL");
    // Validate the whole batch before anything is stored.
    uint32_t skipped = 0;
    for (uint32_t k = 0; k < count; ++k) {
        const jc_event_header *h = events[k];
        if (h == nullptr)
            return fail(i, result, k, "NULL pointer");
        if (h->struct_size < sizeof(jc_event_header))
            return fail(i, result, k, "struct_size " + std::to_string(h->struct_size) + " is smaller than the header");
        const uint32_t size = event_size(h->type);
        if (size == 0) {
#ifdef JC_TEST_REJECT_UNKNOWN
            return fail(i, result, k, "unknown type " + std::to_string(h->type));
#endif
            ++skipped;
            continue;
        }
#ifdef JC_TEST_STRICT_SIZE
        if (h->struct_size != size)
#else
        if (h->struct_size < size)
#endif
            return fail(i, result, k, "struct_size " + std::to_string(h->struct_size) + " does not fit type " + std::to_string(h->type));
        if (h->id.data == nullptr || h->id.size == 0)
            return fail(i, result, k, "id is empty");
    }
    uint32_t accepted = 0, duplicates = 0;
    for (uint32_t k = 0; k < count; ++k) {
        if (event_size(events[k]->type) == 0)
            continue;
        if (!i->ids.insert(std::string(events[k]->id.data, events[k]->id.size)).second) {
            ++duplicates;
            continue;
        }
        ++accepted;
    }
#ifdef JC_TEST_SHARED_STATE
    shared_events += accepted;
#else
    i->events += accepted;
#endif
#ifdef JC_TEST_GLOBAL_CURRENT
    current = i;
#endif
    if (result != nullptr) {
        // Fill only what the host's struct_size covers.
        if (result->struct_size >= offsetof(jc_batch_result, skipped) + sizeof(uint32_t)) {
            result->accepted = accepted;
            result->duplicates = duplicates;
            result->skipped = skipped;
        }
    }
    return JC_OK;
}

jc_str str(const char *s) { return jc_str{s, std::strlen(s)}; }

jc_status JC_ABI tp_evaluate(const jc_plugin *self, jc_date as_of)
{
#if defined(JC_TEST_THROW_IN_HOOK) || defined(JC_TEST_THROW_IN_EVALUATE)
    throw std::runtime_error("evaluate failed on purpose");
#endif
    auto *i = static_cast<TestInstance *>(self->plugin_data);
#ifdef JC_TEST_CRASH
    volatile int *nowhere = nullptr;
    *nowhere = 1;
#endif
#ifdef JC_TEST_HANG
    for (;;)
        std::this_thread::sleep_for(std::chrono::seconds(1));
#endif
#ifdef JC_TEST_SHARED_STATE
    const uint32_t events = shared_events;
#elif defined(JC_TEST_GLOBAL_CURRENT)
    const uint32_t events = current != nullptr ? static_cast<const TestInstance *>(current)->events : 0;
#else
    const uint32_t events = i->events;
#endif
    std::snprintf(i->message, sizeof i->message, "events: %u", events);
#ifdef JC_TEST_KEEPS_THREADS
    if (const auto *threads = static_cast<const jc_host_threads *>(i->host->get_extension(i->host, JC_EXT_THREADS))) {
        uint32_t elsewhere = 99;
        std::thread([&] { elsewhere = threads->take(i->host, 1); }).join();
        const uint32_t here = threads->take(i->host, 1);
        std::snprintf(i->message, sizeof i->message, "elsewhere %u, here %u", elsewhere, here);
    }
#endif
#ifdef JC_TEST_LARGE
    struct {
        jc_finding f;
        uint64_t future_members[4];
    } large{};
    jc_finding &f = large.f;
    f.struct_size = sizeof large;
#else
    jc_finding f{};
    f.struct_size = sizeof f;
#endif
#ifdef JC_TEST_SMALL_FINDING
    f.struct_size = 100;
#endif
    f.severity = JC_SEVERITY_INFO;
    f.employee = str("E-TEST");
    f.scheme = str("test");
    f.rule = str("test.count");
    f.kind = str("test.count");
    f.due = as_of;
    f.observed_minutes = events;
    f.limit_minutes = JC_NO_VALUE;
    f.amount_cents = JC_NO_VALUE;
    f.message_nl = str(i->message);
    f.message_en = str(i->message);
#ifdef JC_TEST_BAD_UTF8
    f.message_en = str("events \xFF");
#endif
    f.source = str("tests");
#ifdef JC_TEST_HAS_EXPLANATION
    f.explanation = str(i->message);
#endif
#ifdef JC_TEST_HAS_ID
    f.id = str("test.count:E-TEST");
    f.trajectory = 1;
#endif
#ifdef JC_TEST_EMPTY_ID
    f.id = jc_str{nullptr, 0};
#endif
#if JC_ABI_VERSION_MAJOR == 1 && JC_ABI_VERSION_MINOR >= 4
    f.title_nl = str("Testregel");
    f.title_en = str("Test rule");
    f.action_nl = str("Tel de gebeurtenissen.");
    f.action_en = str("Count the events.");
#endif
#ifdef JC_TEST_FORGETFUL_CHANGES
    f.change = JC_CHANGE_NEW;
#endif
#ifdef JC_TEST_TWO_FINDINGS
    // The first names every optional member (an employer-level finding of two employees, with an id and an
    // explanation); the second, of ABI 1.0's size, names none of them.
    const jc_str both[] = {str("E-TEST"), str("E-OTHER")};
    f.employer = str("W-TEST");
    f.employees = both;
    f.employee_count = 2;
    f.explanation = str("events: counted");
    f.id = str("test.count:W-TEST");
    f.trajectory = 2;
    f.amount_cents = 1250;
    if (const jc_status first = i->host->emit_finding(i->host, &f); first != JC_OK)
        return first;
    jc_finding g{};
    g.struct_size = JC_FINDING_SIZE_V1_0;
    g.severity = JC_SEVERITY_WARNING;
    g.employee = str("E-SECOND");
    g.scheme = str("test");
    g.rule = str("test.second");
    g.kind = str("test.second");
    g.due = JC_DATE_NONE;
    g.observed_minutes = JC_NO_VALUE;
    g.limit_minutes = JC_NO_VALUE;
    g.amount_cents = JC_NO_VALUE;
    g.message_nl = str("tweede");
    g.message_en = str("second");
    g.source = str("suite"); // as long as the first one's "tests": written over in the host's finding
    const jc_status status = i->host->emit_finding(i->host, &g);
#else
    const jc_status status = i->host->emit_finding(i->host, &f);
#endif
    if (status != JC_OK)
        i->last_error = "the host refused the finding (status " + std::to_string(status) + ")";
    return status;
}

const char *JC_ABI tp_last_error(const jc_plugin *self) { return static_cast<TestInstance *>(self->plugin_data)->last_error.c_str(); }
#ifdef JC_TEST_FORGETFUL_CHANGES
// jc.findings/1 whose change feed records nothing: every call gives the finding as new again.
jc_status JC_ABI tp_evaluate_employees(const jc_plugin *, const jc_str *, uint32_t, jc_date) { return JC_OK; }
jc_status JC_ABI tp_evaluate_changes(const jc_plugin *self, const jc_str *, uint32_t, jc_date as_of)
{
    return tp_evaluate(self, as_of); // the finding, with change JC_CHANGE_NEW (set in tp_evaluate)
}
const jc_plugin_findings tp_findings = {sizeof(jc_plugin_findings), 0, tp_evaluate_employees, tp_evaluate_changes};
const void *JC_ABI tp_get_extension(const jc_plugin *, const char *id)
{
    return std::strcmp(id, JC_EXT_FINDINGS) == 0 ? &tp_findings : nullptr;
}
#elif JC_ABI_VERSION_MAJOR == 1 && JC_ABI_VERSION_MINOR >= 1
// jc.status/1: one trajectory of E-TEST with one budget span and one due instance, in the structs of the headers
// the variant is built with, so that a frozen plugin's elements have that minor's sizes (JC_STATUS_*_SIZE_*).
jc_status JC_ABI tp_status_query(const jc_plugin *, jc_str employee, jc_date as_of, void *context, jc_status_sink sink)
{
    if (sink == nullptr)
        return JC_E_INVALID_ARGUMENT;
    if (employee.size != 6 || std::memcmp(employee.data, "E-TEST", 6) != 0)
        return JC_OK;
    jc_status_budget budget{};
    budget.struct_size = sizeof budget;
    budget.current = 1;
    budget.rule = str("test.budget");
    budget.subject = str("year#1");
    budget.first = as_of - 10;
    budget.last = as_of + 10;
    budget.limit_minutes = 600;
    budget.used_minutes = 480;
    jc_status_due due{};
    due.struct_size = sizeof due;
    due.number = 1;
    due.rule = str("test.report");
    due.kind = str("evaluation");
    due.due = as_of + 5;
#if JC_ABI_VERSION_MINOR >= 2
    due.finding_id = str("test.report:E-TEST");
#endif
    jc_trajectory_status t{};
    t.struct_size = sizeof t;
    t.number = 1;
    t.employee = employee;
    t.scheme = str("test");
    t.close_reason = str("max-duration");
    t.start = as_of - 10;
    t.max_end = t.close = as_of + 100;
    t.budget_count = 1;
    t.budgets = &budget;
    t.due_count = 1;
    t.dues = &due;
#if JC_ABI_VERSION_MINOR >= 3
    budget.warning_pct = 80;
    due.lead_days = 14;
    t.max_end_lead_days = 90;
#endif
    jc_status_figure figure{};
    figure.struct_size = sizeof figure;
    figure.name = str("hours");
    figure.value = str("8.00 h");
    t.figures = &figure;
    t.figure_count = 1;
    budget.basis = str("test basis");
#if JC_ABI_VERSION_MINOR >= 4
    due.title_nl = str("Testverslag");
    due.title_en = str("Test report");
    budget.basis_nl = str("testgrondslag");
    figure.name_nl = str("uren");
    figure.value_nl = str("8,00 uur");
#endif
    return sink(context, &t);
}
int32_t JC_ABI tp_status_knows(const jc_plugin *, jc_str employee)
{
    return employee.size == 6 && std::memcmp(employee.data, "E-TEST", 6) == 0 ? 1 : 0;
}
const jc_plugin_status tp_status = {sizeof(jc_plugin_status), 0, tp_status_query, tp_status_knows};
const void *JC_ABI tp_get_extension(const jc_plugin *, const char *id)
{
    return std::strcmp(id, JC_EXT_STATUS) == 0 ? &tp_status : nullptr;
}
#else
const void *JC_ABI tp_get_extension(const jc_plugin *, const char *) { return nullptr; }
#endif
void JC_ABI tp_destroy(const jc_plugin *self)
{
#ifdef JC_TEST_GLOBAL_CURRENT
    if (current == self->plugin_data)
        current = nullptr;
#endif
    delete static_cast<TestInstance *>(self->plugin_data);
}

jc_status JC_ABI tp_create(const jc_host *host, const jc_instance_config *, const jc_plugin **out, char *error,
                           uint32_t capacity)
{
    *out = nullptr;
    auto refuse = [&](const char *why) {
        if (error != nullptr && capacity > 0)
            std::snprintf(error, capacity, "%s", why);
        return JC_E_INVALID_ARGUMENT;
    };
    if (!ready)
        return refuse("create called while the library is not initialised");
    if (host == nullptr || host->struct_size < offsetof(jc_host, emit_finding) + sizeof(void *))
        return refuse("host is NULL or too small");
#ifdef JC_TEST_UNTERMINATED_ERROR
    if (error != nullptr)
        std::memset(error, 'x', capacity);
    return JC_E_INTERNAL;
#endif
#ifdef JC_TEST_ONE_INSTANCE
    if (created_once)
        return refuse("only one instance per process");
    created_once = true;
#endif
    auto *i = new TestInstance;
    i->host = host;
    i->plugin.p.struct_size = sizeof(PluginStruct);
    i->plugin.p.plugin_data = i;
    i->plugin.p.destroy = tp_destroy;
    i->plugin.p.handle_events = tp_handle;
    i->plugin.p.evaluate = tp_evaluate;
    i->plugin.p.last_error = tp_last_error;
    i->plugin.p.get_extension = tp_get_extension;
    *out = &i->plugin.p;
    return JC_OK;
}

// The ABI the plugin was built with; a plugin that needs a newer host says so in both versions.
constexpr bool needs_newer = JC_TEST_MIN_MAJOR > JC_ABI_VERSION_MAJOR ||
                             (JC_TEST_MIN_MAJOR == JC_ABI_VERSION_MAJOR && JC_TEST_MIN_MINOR > JC_ABI_VERSION_MINOR);
constexpr jc_version built_with = needs_newer ? jc_version{JC_TEST_MIN_MAJOR, JC_TEST_MIN_MINOR, 0}
                                              : jc_version{JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, JC_ABI_VERSION_PATCH};

const char *const schemes[] = {"test", nullptr};

#ifdef JC_TEST_LARGE
struct {
    jc_plugin_descriptor d;
    const char *future_member;
} const large_descriptor = {{sizeof large_descriptor, 0, JC_TEST_ID, "test plugin", "tests", "0.0.1",
                             "a plugin for the runtime's tests", schemes},
                            "future"};
struct {
    jc_plugin_entry e;
    void *future_members[2];
} const large_entry = {{sizeof large_entry, JC_EVENT_SCHEMA_VERSION, built_with, {JC_TEST_MIN_MAJOR, JC_TEST_MIN_MINOR, 0},
                        &large_descriptor.d, tp_init, tp_deinit, tp_create},
                       {nullptr, nullptr}};
const jc_plugin_entry &entry = large_entry.e;
#else
const jc_plugin_descriptor descriptor = {sizeof(jc_plugin_descriptor), 0, JC_TEST_ID, "test plugin", "tests", "0.0.1",
                                         "a plugin for the runtime's tests", schemes};
const jc_plugin_entry entry = {
#ifdef JC_TEST_SMALL_ENTRY
    16,
#else
    sizeof(jc_plugin_entry),
#endif
    JC_EVENT_SCHEMA_VERSION,
    built_with,
    {JC_TEST_MIN_MAJOR, JC_TEST_MIN_MINOR, 0},
    &descriptor,
    tp_init,
    tp_deinit,
    tp_create};
#endif

} // namespace

#ifndef JC_TEST_NO_ENTRY
extern "C" JC_EXPORT const jc_plugin_entry *JC_ABI jc_plugin_entry_v1(void) { return &entry; }
#else
extern "C" JC_EXPORT const jc_plugin_entry *JC_ABI jc_plugin_entry_v0(void) { return &entry; }
#endif

#ifdef JC_TEST_EXTRA_EXPORT
extern "C" JC_EXPORT int JC_ABI jc_test_extra_export(void) { return 1; }
#endif
