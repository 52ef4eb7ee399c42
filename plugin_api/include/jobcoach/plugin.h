/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach/plugin.h: a plugin instance, and the configuration a host creates it with.
 *
 * An instance holds the state of one tenant (one employer or one payroll client is typical). The host
 * creates it with jc_plugin_entry.create and ends it with destroy. Different instances are independent and
 * may be driven from different threads at once; one instance is [instance-serialized].
 */
#ifndef JOBCOACH_PLUGIN_H
#define JOBCOACH_PLUGIN_H

#include "events.h"
#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How the host wants an instance set up. Owned by the host, borrowed for the create call. */
typedef struct jc_instance_config {
    uint32_t struct_size;      /* sizeof(jc_instance_config) as the host built it; less than ABI 1.0's
                                  (24 bytes on x86_64) is refused with JC_E_INVALID_ARGUMENT */
    uint32_t reserved0;        /* 0 */
    const char *state_path;    /* NUL-terminated UTF-8 path of the instance's own state database, created
                                  owner-only (0600) if missing; unique per instance. NULL: state in memory,
                                  lost at destroy. */
    const char *rule_pack_dir; /* NUL-terminated UTF-8 directory whose rule packs override or add to the
                                  plugin's own; NULL: only the packs installed beside the plugin */
} jc_instance_config;

/* What handle_events did with a batch. Filled by the plugin; owned by the host. */
typedef struct jc_batch_result {
    uint32_t struct_size;  /* the host sets sizeof(jc_batch_result); the plugin fills only that much */
    uint32_t accepted;     /* events stored */
    uint32_t duplicates;   /* events whose id was seen before: ignored, never counted twice */
    uint32_t skipped;      /* events of a type the plugin does not know, or does not need */
    uint32_t failed_index; /* on JC_E_INVALID_EVENT: index of the first bad event; otherwise UINT32_MAX */
    uint32_t reserved0;    /* 0 */
    /* Since ABI 1.2; a plugin fills it only when struct_size covers it. */
    uint32_t conflicts;    /* events of the batch whose id was stored before (or earlier in the batch) with
                              other content: a record changed under its old id. When above 0 the batch is
                              refused whole (JC_E_INVALID_EVENT) and failed_index names the first; a host sends
                              the correction as event.retracted of the old id plus the record under a new id */
    uint32_t reserved1;    /* 0 */
} jc_batch_result;

typedef struct jc_plugin {
    uint32_t struct_size; /* sizeof(jc_plugin) as the plugin built it */
    uint32_t reserved0;   /* 0 */
    void *plugin_data;    /* opaque to the host */

    /* [instance-serialized] Ends the instance and frees everything it owns. The jc_plugin pointer is
     * invalid afterwards. Stored state stays on disk. */
    void(JC_ABI *destroy)(const struct jc_plugin *self);

    /* [instance-serialized] Stores a batch of `count` events in one transaction. `events` is an array of
     * `count` pointers, owned by the host, valid for the call. Validation comes first: when any event is
     * malformed the plugin stores nothing of the batch, returns JC_E_INVALID_EVENT, sets
     * result->failed_index and last_error (which event, which field). Events whose id was stored before are
     * ignored. Unknown event types are skipped. `result` may be NULL.
     * Crash consistency: with a state_path, a batch for which JC_OK was returned is durable, and a batch the
     * process died in is absent as a whole, never half there. A host gets "no event lost, none counted twice"
     * by (1) giving every event a stable, unique id, (2) treating a batch as applied only once JC_OK came back,
     * and (3) after a crash sending again everything not known to be applied (sending more is harmless: seen ids
     * are ignored). One state_path belongs to one live instance at a time. */
    jc_status(JC_ABI *handle_events)(const struct jc_plugin *self, const jc_event_header *const *events,
                                     uint32_t count, jc_batch_result *result);

    /* [instance-serialized] Computes the findings as of `as_of` from the stored events dated on or before
     * it, and reports each through the instance's jc_host.emit_finding before returning. The same events
     * and date always give the same findings, whatever order the events arrived in. Returns
     * JC_E_INVALID_ARGUMENT for a date outside JC_DATE_MIN..JC_DATE_MAX, and JC_E_RULE_PACK when a rule pack
     * has no number for a date the events need (every version of a parameter starts later): last_error names
     * the employee, the pack, the parameter and the date, and no finding was emitted.
     * Threads: the plugin may spread the work over threads of its own for the length of the call; every one
     * has ended when evaluate returns, and emit_finding (and every other host callback) is called on the
     * calling thread only, in the order a single thread gives. The shipped plugins read
     * JOBCOACH_EVALUATE_THREADS from the environment: how many threads evaluate, the calling thread included
     * (1: the calling thread alone); unset, the machine's hardware threads, at most 8. Where the host offers
     * jc.threads/1 (ext/threads.h) they start each thread beyond the calling one only with a token taken from
     * it, up to that number: a host that drives several instances at once shares its threads among them so,
     * and the threads an instance that finished first leaves go to the others. A host without it shares them
     * by setting JOBCOACH_EVALUATE_THREADS before it starts any thread. */
    jc_status(JC_ABI *evaluate)(const struct jc_plugin *self, jc_date as_of);

    /* [instance-serialized] The message of the last failed call on this instance, NUL-terminated UTF-8, or
     * "" when there was none. Owned by the plugin, valid until the next call on this instance. */
    const char *(JC_ABI *last_error)(const struct jc_plugin *self);

    /* [thread-safe] Returns the plugin extension with this id ("jc.<name>/<rev>"), or NULL when the
     * instance does not support it. Owned by the plugin, valid until destroy. */
    const void *(JC_ABI *get_extension)(const struct jc_plugin *self, const char *extension_id);

    /* Append new members here only. */
} jc_plugin;

#ifdef __cplusplus
}
#endif

#endif /* JOBCOACH_PLUGIN_H */
