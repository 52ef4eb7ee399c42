/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal host built against the frozen v1.0 headers (tests/abi/v1.0/include): the "older host" of the
 * compatibility matrix. It loads one plugin library, applies the version rule as a 1.0 host, sends the
 * conformance batch (and one event of a type from the future), evaluates, and prints what it saw:
 *
 *   host_v1_0 LIBRARY SCHEME
 *   loaded: abi 1.1 needs 1.0
 *   finding: <rule> <kind> <subject> <due> <observed> size=<struct_size>
 *   ok: findings=<n> accepted=<n> skipped=<n>
 *
 * or "refused: <check>: <reason>" and exit code 3.
 */
#include <jobcoach/jobcoach.h>

#include "conformance_events.h"

#include <dlfcn.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>

_Static_assert(JC_ABI_VERSION_MAJOR == 1 && JC_ABI_VERSION_MINOR == 0, "the older host builds against the v1.0 headers");

static int in_evaluate = 0;
static int findings = 0;

static void JC_ABI host_log(const jc_host *host, int32_t level, jc_str message)
{
    (void)host;
    if (level >= JC_LOG_WARNING)
        fprintf(stderr, "log: %.*s\n", (int)message.size, message.data);
}

static const void *JC_ABI host_get_extension(const jc_host *host, const char *id)
{
    (void)host;
    (void)id;
    return NULL;
}

static jc_status JC_ABI host_emit(const jc_host *host, const jc_finding *f)
{
    (void)host;
    if (!in_evaluate)
        return JC_E_UNSUPPORTED;
    if (f == NULL || f->struct_size < sizeof(jc_finding)) /* a 1.0 host needs the whole 1.0 struct */
        return JC_E_INVALID_ARGUMENT;
    ++findings;
    printf("finding: %.*s %.*s %.*s %d %lld size=%u\n", (int)f->rule.size, f->rule.data, (int)f->kind.size, f->kind.data,
           (int)f->subject.size, f->subject.data != NULL ? f->subject.data : "", (int)f->due,
           (long long)f->observed_minutes, (unsigned)f->struct_size);
    return JC_OK;
}

static int refuse(const char *check, const char *reason)
{
    printf("refused: %s: %s\n", check, reason);
    return 3;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: host_v1_0 LIBRARY SCHEME\n");
        return 2;
    }
    void *library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (library == NULL)
        return refuse("load", dlerror());
    jc_plugin_entry_fn entry_fn = NULL;
    *(void **)&entry_fn = dlsym(library, JC_PLUGIN_ENTRY_SYMBOL);
    if (entry_fn == NULL)
        return refuse("symbol", "no " JC_PLUGIN_ENTRY_SYMBOL);
    const jc_plugin_entry *entry = entry_fn();
    if (entry == NULL || entry->struct_size < sizeof(jc_plugin_entry))
        return refuse("entry", "missing or smaller than ABI 1.0's");
    const jc_version host_abi = {JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, JC_ABI_VERSION_PATCH};
    if (!jc_version_is_compatible(host_abi, entry->min_host_abi)) {
        char reason[128];
        snprintf(reason, sizeof reason, "the plugin needs host ABI %u.%u, this host has %u.%u", entry->min_host_abi.major,
                 entry->min_host_abi.minor, host_abi.major, host_abi.minor);
        return refuse("version", reason);
    }
    printf("loaded: abi %u.%u needs %u.%u\n", entry->abi_version.major, entry->abi_version.minor,
           entry->min_host_abi.major, entry->min_host_abi.minor);

    char dir[4096];
    snprintf(dir, sizeof dir, "%s", argv[1]);
    char error[512] = "";
    if (entry->init(dirname(dir), error, sizeof error) != JC_OK)
        return refuse("init", error);

    jc_host host;
    memset(&host, 0, sizeof host);
    host.struct_size = sizeof host;
    host.abi_version = host_abi;
    host.name = "host_v1_0";
    host.version = "1.0.0";
    host.get_extension = host_get_extension;
    host.log = host_log;
    host.emit_finding = host_emit;
    jc_instance_config config;
    memset(&config, 0, sizeof config);
    config.struct_size = sizeof config;
    const jc_plugin *plugin = NULL;
    if (entry->create(&host, &config, &plugin, error, sizeof error) != JC_OK || plugin == NULL)
        return refuse("create", error);

    static jc_conformance_batch batch;
    jc_conformance_batch_init(&batch, "E-OLDHOST", argv[2]);
    /* An event of a type this host's future might send: a plugin must skip it. */
    struct {
        jc_event_header header;
        int64_t payload;
    } future = {{sizeof future, 1000, {"E-OLDHOST-future", 16}, {"E-OLDHOST", 9}, 20100, 0}, 42};
    const jc_event_header *events[JC_CONFORMANCE_EVENT_COUNT + 1];
    memcpy(events, batch.events, sizeof batch.events);
    events[JC_CONFORMANCE_EVENT_COUNT] = &future.header;
    jc_batch_result result;
    memset(&result, 0, sizeof result);
    result.struct_size = sizeof result;
    jc_status status = plugin->handle_events(plugin, events, JC_CONFORMANCE_EVENT_COUNT + 1, &result);
    if (status != JC_OK) {
        printf("failed: handle_events %d: %s\n", (int)status, plugin->last_error(plugin));
        return 4;
    }
    in_evaluate = 1;
    status = plugin->evaluate(plugin, JC_CONFORMANCE_AS_OF);
    in_evaluate = 0;
    if (status != JC_OK) {
        printf("failed: evaluate %d: %s\n", (int)status, plugin->last_error(plugin));
        return 4;
    }
    plugin->destroy(plugin);
    entry->deinit();
    printf("ok: findings=%d accepted=%u skipped=%u\n", findings, result.accepted, result.skipped);
    return 0;
}
