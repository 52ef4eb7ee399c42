/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach/ext/findings.h: the jc.findings/1 plugin extension: the findings of some employees, computed for
 * them alone.
 *
 * An HR suite calls the plugin when a user saves one record, and shows that employee's findings at once (a
 * banner when a timesheet entry pushes a budget past 80 % or 100 %). jc_plugin.evaluate computes every
 * employee's findings; this extension computes only those of the employees a save touched, so that its cost
 * follows the change, not the tenant. A host gets it with
 *
 *     const jc_plugin_findings *ext = plugin->get_extension(plugin, JC_EXT_FINDINGS);
 *
 * NULL means the plugin does not offer it: such a host evaluates everyone and keeps the findings that name the
 * employees (what this extension returns, at a higher cost). Added in ABI 1.2; a host must not assume it.
 *
 * Thread rules: as every function of an instance, [instance-serialized] (plugin.h).
 */
#ifndef JOBCOACH_EXT_FINDINGS_H
#define JOBCOACH_EXT_FINDINGS_H

#include "../plugin.h"
#include "../types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define JC_EXT_FINDINGS "jc.findings/1"

typedef struct jc_plugin_findings {
    uint32_t struct_size; /* sizeof(jc_plugin_findings) as the plugin built it */
    uint32_t reserved0;   /* 0 */
    /* [instance-serialized] Computes the findings as of `as_of` of the `count` employees at `employees` (the
     * host's keys, 1-128 bytes of UTF-8 each, borrowed for the call; a key given twice counts once) and
     * reports each through the instance's jc_host.emit_finding before returning, as evaluate does: the same
     * findings, with the same ids, that evaluate gives for these employees. They are each employee's own
     * findings and the employer-level findings (a cluster of visits) whose `employees` name one of them; the
     * plugin reads the co-workers those need. An unknown key gives no finding. `employees` may be NULL when
     * count is 0 (no finding then). Returns JC_OK, JC_E_INVALID_ARGUMENT (NULL with a count, a bad key or date;
     * last_error says which and where), JC_E_RULE_PACK (as evaluate), or the status with which the host
     * refused a finding. On a failure the findings emitted before it are incomplete: discard them. */
    jc_status(JC_ABI *evaluate_employees)(const jc_plugin *self, const jc_str *employees, uint32_t count,
                                          jc_date as_of);
    /* [instance-serialized] The change feed: computes the findings as of `as_of` of the `count` employees at
     * `employees` (or of every employee of the state when count is JC_ALL_EMPLOYEES and employees NULL),
     * compares them by id with what this state last reported for them, and emits only the differences through
     * jc_host.emit_finding, each with its jc_finding.change: JC_CHANGE_NEW (an id not reported before),
     * JC_CHANGE_UPDATED (its kind, severity, due date or a number changed) or JC_CHANGE_RESOLVED (an id that
     * no longer fires, emitted as last reported). Then it records the new state of those findings in the state
     * file, in one transaction, and returns JC_OK. A host keeps one task per id: open on new, refresh on
     * updated, close on resolved (SARIF baselineState, Alertmanager firing/resolved).
     * Delivery is at least once: the record is written only after every change was emitted and accepted, so a
     * host that refuses a finding (its status is returned), or a process that dies before the call returns,
     * gets the same changes again from the next call; an update or a resolution the host already applied is
     * harmless to apply twice. A state shared by several processes has one record: whichever process asks
     * gets the changes since anyone last asked. Other statuses as evaluate_employees. */
    jc_status(JC_ABI *evaluate_changes)(const jc_plugin *self, const jc_str *employees, uint32_t count,
                                        jc_date as_of);
} jc_plugin_findings;

/* evaluate_changes' count for "every employee of the state" (with employees NULL). */
#define JC_ALL_EMPLOYEES 0xFFFFFFFFu

#ifdef __cplusplus
}
#endif

#endif /* JOBCOACH_EXT_FINDINGS_H */
