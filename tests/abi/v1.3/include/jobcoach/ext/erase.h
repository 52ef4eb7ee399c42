/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach/ext/erase.h: the jc.erase/1 plugin extension: erase one employee for good (GDPR art. 17).
 *
 * An HR suite erases an employee on request. A plugin keeps that employee's events and what it last reported
 * (jc.findings/1) in its state file; this extension removes all of it, so that nothing of the key is left in
 * the state's files and a replay of the events without that employee gives the same state. A host gets it with
 *
 *     const jc_plugin_erase *ext = plugin->get_extension(plugin, JC_EXT_ERASE);
 *
 * NULL means the plugin does not offer it; such a plugin's state must then be rebuilt without the employee's
 * events. Added in ABI 1.2; a host must not assume it.
 */
#ifndef JOBCOACH_EXT_ERASE_H
#define JOBCOACH_EXT_ERASE_H

#include "../plugin.h"
#include "../types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define JC_EXT_ERASE "jc.erase/1"

typedef struct jc_plugin_erase {
    uint32_t struct_size; /* sizeof(jc_plugin_erase) as the plugin built it */
    uint32_t reserved0;   /* 0 */
    /* [instance-serialized] Removes every stored event of `employee` (the host's key, 1-128 bytes of UTF-8,
     * borrowed for the call) and every finding recorded as reported that names the key (the employee's own and
     * the employer-level ones that list it), in one transaction, with the freed space overwritten (SQLite
     * secure_delete) and the write-ahead log checkpointed and truncated, so that no byte of the key remains in
     * the state's files. Other employees are untouched. Writes the numbers removed to *events_erased and
     * *findings_erased (either may be NULL). An unknown key erases nothing and returns JC_OK (0 and 0).
     * Returns JC_E_INVALID_ARGUMENT for a bad key, JC_E_STORAGE when the state could not be changed (nothing
     * was erased then) or when another process kept the log from being truncated (the rows are erased; call
     * again to finish the log; last_error says which). Other instances and processes on the same state see the
     * employee gone at their next call. */
    jc_status(JC_ABI *erase_employee)(const jc_plugin *self, jc_str employee, uint64_t *events_erased,
                                      uint64_t *findings_erased);
} jc_plugin_erase;

#ifdef __cplusplus
}
#endif

#endif /* JOBCOACH_EXT_ERASE_H */
