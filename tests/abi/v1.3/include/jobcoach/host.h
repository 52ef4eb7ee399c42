/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach/host.h: the services a host offers a plugin instance.
 *
 * The host fills one jc_host per instance and passes it to jc_plugin_entry.create. The struct, and everything
 * it points to, is owned by the host and stays valid until after that instance's destroy returns. The plugin
 * never frees it and never gets any other host object (no logger, no database handle, no C++ type).
 */
#ifndef JOBCOACH_HOST_H
#define JOBCOACH_HOST_H

#include "finding.h"
#include "types.h"
#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jc_host {
    uint32_t struct_size;   /* sizeof(jc_host) as the host built it; check it before reading newer members */
    uint32_t reserved0;     /* 0 */
    jc_version abi_version; /* the ABI the host was built with */
    void *host_data;        /* opaque to the plugin; the host's own context */
    const char *name;       /* host product name, NUL-terminated UTF-8; valid as long as the struct */
    const char *version;    /* host product version, NUL-terminated UTF-8; valid as long as the struct */

    /* [thread-safe] Returns the host extension with this id ("jc.<name>/<rev>"), or NULL when the host does
     * not support it. The returned struct is owned by the host and valid as long as this jc_host. */
    const void *(JC_ABI *get_extension)(const struct jc_host *host, const char *extension_id);

    /* [thread-safe] Writes a log line. `level` is JC_LOG_*. The message is borrowed for the call. A plugin
     * never logs an employee key at JC_LOG_INFO or above. */
    void(JC_ABI *log)(const struct jc_host *host, int32_t level, jc_str message);

    /* [callback] Reports a finding. Valid only during jc_plugin.evaluate of the instance this host belongs
     * to. The host copies the finding before it returns. Returns JC_OK, or JC_E_INVALID_ARGUMENT when the
     * finding is NULL, too small or lacks a required member (the host logs which), or JC_E_UNSUPPORTED when
     * called outside evaluate. */
    jc_status(JC_ABI *emit_finding)(const struct jc_host *host, const jc_finding *finding);

    /* Append new members here only. */
} jc_host;

#ifdef __cplusplus
}
#endif

#endif /* JOBCOACH_HOST_H */
