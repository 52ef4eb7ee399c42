// One test-plugin source, built into variants by macros (see tests/CMakeLists.txt):
//   JC_TEST_MIN_MAJOR / JC_TEST_MIN_MINOR  the host ABI the plugin says it needs
//   JC_TEST_NO_ENTRY                       exports no jc_plugin_entry_v1
//   JC_TEST_THROW_IN_HOOK                  handle_events and evaluate throw a C++ exception (not SDK-guarded)
// It counts the events it is given and reports the count as one finding on evaluate.
#include <jobcoach/jobcoach.h>

#include <cstdio>
#include <stdexcept>

#ifndef JC_TEST_MIN_MAJOR
#define JC_TEST_MIN_MAJOR 1
#endif
#ifndef JC_TEST_MIN_MINOR
#define JC_TEST_MIN_MINOR 0
#endif

namespace {

int init_count = 0;

struct TestInstance {
    jc_plugin plugin{};
    const jc_host *host = nullptr;
    uint32_t events = 0;
    char message[64] = {};
};

jc_status JC_ABI tp_init(const char *, char *, uint32_t)
{
    ++init_count;
    return JC_OK;
}
void JC_ABI tp_deinit(void) { --init_count; }

jc_status JC_ABI tp_handle(const jc_plugin *self, const jc_event_header *const *, uint32_t count, jc_batch_result *result)
{
#ifdef JC_TEST_THROW_IN_HOOK
    throw std::runtime_error("hook failed on purpose");
#endif
    auto *i = static_cast<TestInstance *>(self->plugin_data);
    i->events += count;
    if (result != nullptr)
        result->accepted = count;
    return JC_OK;
}

jc_str str(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        ++n;
    return jc_str{s, n};
}

jc_status JC_ABI tp_evaluate(const jc_plugin *self, jc_date as_of)
{
#ifdef JC_TEST_THROW_IN_HOOK
    throw std::runtime_error("evaluate failed on purpose");
#endif
    auto *i = static_cast<TestInstance *>(self->plugin_data);
    std::snprintf(i->message, sizeof i->message, "events: %u", i->events);
    jc_finding f{};
    f.struct_size = sizeof f;
    f.severity = JC_SEVERITY_INFO;
    f.employee = str("E-TEST");
    f.scheme = str("test");
    f.rule = str("test.count");
    f.kind = str("test.count");
    f.due = as_of;
    f.observed_minutes = i->events;
    f.limit_minutes = JC_NO_VALUE;
    f.amount_cents = JC_NO_VALUE;
    f.message_nl = str(i->message);
    f.message_en = str(i->message);
    f.source = str("tests");
    return i->host->emit_finding(i->host, &f);
}

const char *JC_ABI tp_last_error(const jc_plugin *) { return ""; }
const void *JC_ABI tp_get_extension(const jc_plugin *, const char *) { return nullptr; }
void JC_ABI tp_destroy(const jc_plugin *self) { delete static_cast<TestInstance *>(self->plugin_data); }

jc_status JC_ABI tp_create(const jc_host *host, const jc_instance_config *, const jc_plugin **out, char *, uint32_t)
{
    auto *i = new TestInstance;
    i->host = host;
    i->plugin.struct_size = sizeof(jc_plugin);
    i->plugin.plugin_data = i;
    i->plugin.destroy = tp_destroy;
    i->plugin.handle_events = tp_handle;
    i->plugin.evaluate = tp_evaluate;
    i->plugin.last_error = tp_last_error;
    i->plugin.get_extension = tp_get_extension;
    *out = &i->plugin;
    return JC_OK;
}

const char *const schemes[] = {"test", nullptr};
const jc_plugin_descriptor descriptor = {sizeof(jc_plugin_descriptor), 0, JC_TEST_ID, "test plugin", "tests", "0.0.1",
                                         "a plugin for the runtime's tests", schemes};
const jc_plugin_entry entry = {sizeof(jc_plugin_entry),
                               JC_EVENT_SCHEMA_VERSION,
                               {JC_TEST_MIN_MAJOR, JC_TEST_MIN_MINOR, 0},
                               {JC_TEST_MIN_MAJOR, JC_TEST_MIN_MINOR, 0},
                               &descriptor,
                               tp_init,
                               tp_deinit,
                               tp_create};

} // namespace

#ifndef JC_TEST_NO_ENTRY
extern "C" JC_EXPORT const jc_plugin_entry *JC_ABI jc_plugin_entry_v1(void) { return &entry; }
#else
extern "C" JC_EXPORT const jc_plugin_entry *JC_ABI jc_plugin_entry_v0(void) { return &entry; }
#endif
