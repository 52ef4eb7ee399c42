/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach/version.h: ABI and event-schema versions, and the rule that decides compatibility.
 *
 * VERSION RULE. A plugin states the ABI it was built with (`abi_version`) and the oldest host ABI it needs
 * (`min_host_abi`). A host accepts the plugin when
 *     plugin.min_host_abi.major == host.major  and  host.minor >= plugin.min_host_abi.minor.
 * The patch number never matters for compatibility. The event schema (what events mean) has its own version:
 * the host accepts a plugin whose event_schema_version is <= the host's JC_EVENT_SCHEMA_VERSION.
 *
 * EVOLUTION. A minor version only appends: members at the end of a struct that starts with struct_size, new
 * event types, new extension ids, new status codes. Anything else (removing, reordering, retyping a member,
 * changing a meaning) is a new major version, exported as a new entry symbol (jc_plugin_entry_v2) that a
 * plugin may export beside jc_plugin_entry_v1 during the transition. The whole policy, and the CI checks that
 * enforce it, are in EVOLUTION.md beside this header.
 */
#ifndef JOBCOACH_VERSION_H
#define JOBCOACH_VERSION_H

#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define JC_ABI_VERSION_MAJOR 1
#define JC_ABI_VERSION_MINOR 7
#define JC_ABI_VERSION_PATCH 0
/* History: 1.0 the first edition; 1.1 appends jc_finding.explanation; 1.1.1 corrects JC_DATE_MAX to
 * 2199-12-31 (it was 2198-11-24); 1.2 appends jc_finding.id, .trajectory and .change,
 * jc_batch_result.conflicts, jc_status_due.finding_id, jc_trajectory_status.max_end_finding_id, the event type
 * event.retracted and the extension jc.findings/1; 1.3 appends jc_status_budget.warning_pct,
 * jc_status_due.lead_days and jc_trajectory_status.max_end_lead_days (what a host shows about a rule's lead times
 * and warning threshold comes through the ABI, not from a plugin's files); 1.4 appends jc_finding.title_nl,
 * .title_en, .action_nl and .action_en, jc_status_due.title_nl and .title_en, jc_status_budget.basis_nl and
 * jc_status_figure.name_nl and .value_nl (what people read: the rule's title and what to do next, from the rule
 * packs, and the status in Dutch too); 1.5 adds the extension jc.explanations/1 (findings without their
 * explanation, for a host that does not show it); 1.6 adds the host extension jc.threads/1 (the host's threads for
 * evaluating, shared among the instances it evaluates at once); 1.7 adds the extension jc.messages/1 (findings
 * without their messages, actions and explanation, for a host that keeps its tasks by id and asks for the words
 * of the employee someone opens). */

/* Version 1 of the event schema: the event types and fields of docs/formats.md, first edition. */
#define JC_EVENT_SCHEMA_VERSION 1

typedef struct jc_version {
    uint16_t major;
    uint16_t minor;
    uint32_t patch;
} jc_version;

/* Returns 1 when a host with ABI `host` may load a plugin that needs `min_host_abi`, 0 otherwise. */
static inline int32_t jc_version_is_compatible(jc_version host, jc_version min_host_abi)
{
    return host.major == min_host_abi.major && host.minor >= min_host_abi.minor;
}

#ifdef __cplusplus
}
#endif

#endif /* JOBCOACH_VERSION_H */
