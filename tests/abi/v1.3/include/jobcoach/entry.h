/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach/entry.h: the one symbol a plugin library exports.
 *
 * A plugin library exports exactly one function, jc_plugin_entry_v1, which returns a pointer to a constant
 * jc_plugin_entry. It is a function, not data, because dlsym is only guaranteed for functions. The entry and
 * everything it points to are owned by the plugin library and live as long as the library is loaded.
 *
 * Lifecycle:
 *   1. The host reads the manifest next to the library, checks it, then loads the library.
 *   2. It calls jc_plugin_entry_v1() and checks struct_size and the version rule (jobcoach/version.h).
 *   3. init(plugin_dir). init and deinit are reference-counted: every successful init is matched by exactly
 *      one deinit; only the first init and the last deinit do work. A plugin must count, because a process
 *      may load the same library through two hosts.
 *   4. create / destroy instances, any number, any time between init and the matching deinit.
 *   5. deinit once every instance is destroyed. The host never unloads a library while anything from it
 *      (an instance, a returned pointer, a running callback) is alive; it may choose never to unload.
 * A plugin must not leave a thread running after the last deinit returns.
 */
#ifndef JOBCOACH_ENTRY_H
#define JOBCOACH_ENTRY_H

#include "host.h"
#include "plugin.h"
#include "types.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the plugin is. Owned by the plugin library, valid while it is loaded. */
typedef struct jc_plugin_descriptor {
    uint32_t struct_size;        /* sizeof(jc_plugin_descriptor) as the plugin built it */
    uint32_t reserved0;          /* 0 */
    const char *id;              /* stable reverse-DNS id, e.g. "nl.jobcoach.uwv"; must match the manifest */
    const char *name;            /* human-readable name */
    const char *vendor;          /* who ships it */
    const char *version;         /* the plugin's own product version, e.g. "1.0.0" */
    const char *description;     /* one sentence */
    const char *const *schemes;  /* NULL-terminated array of the schemes it evaluates, e.g. "uwv-extern" */
} jc_plugin_descriptor;

typedef struct jc_plugin_entry {
    uint32_t struct_size;           /* sizeof(jc_plugin_entry) as the plugin built it */
    uint32_t event_schema_version;  /* the JC_EVENT_SCHEMA_VERSION the plugin was built with */
    jc_version abi_version;         /* the ABI of the headers the plugin was built with */
    jc_version min_host_abi;        /* the oldest host ABI it works with (see the version rule) */
    const jc_plugin_descriptor *descriptor;

    /* [loader-thread] Reference-counted set-up of the library. `plugin_dir` is the NUL-terminated UTF-8
     * directory of the library (where its rule packs are), borrowed for the call. On failure it returns an
     * error and writes a NUL-terminated message of at most error_capacity bytes (with the NUL) into
     * `error`, which the host owns; `error` may be NULL when error_capacity is 0. */
    jc_status(JC_ABI *init)(const char *plugin_dir, char *error, uint32_t error_capacity);

    /* [loader-thread] Matches one successful init. The last one releases everything and stops every
     * thread the library started. */
    void(JC_ABI *deinit)(void);

    /* [loader-thread] Creates an instance. `host` must stay valid until after the instance's destroy
     * returns; `config` is borrowed for the call. On success *out_plugin points to the instance, owned by
     * the plugin until destroy. On failure *out_plugin is NULL and a NUL-terminated message is written into
     * `error` as for init. Only between init and deinit. */
    jc_status(JC_ABI *create)(const jc_host *host, const jc_instance_config *config,
                              const jc_plugin **out_plugin, char *error, uint32_t error_capacity);

    /* Append new members here only. */
} jc_plugin_entry;

/* The only symbol a plugin exports. [thread-safe], no side effects: it only returns a pointer. */
typedef const jc_plugin_entry *(JC_ABI *jc_plugin_entry_fn)(void);
#define JC_PLUGIN_ENTRY_SYMBOL "jc_plugin_entry_v1"

#ifdef __cplusplus
}
#endif

#endif /* JOBCOACH_ENTRY_H */
