/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ABI anchor: a library whose one exported function reaches every public struct of the jobcoach ABI, so
 * that libabigail's abidw can dump their layouts from its debug information (plugin_api/abi/jobcoach-abi.xml)
 * and abidiff can compare every build with that baseline (plugin_api/abi/abi_gate.sh).
 *
 * A new public struct gets a member appended to jc_abi_types, never inserted: the anchor obeys the rule it
 * checks.
 */
#include <jobcoach/jobcoach.h>

typedef struct jc_abi_types {
    const jc_str *str;
    const jc_version *version;
    const jc_event_header *event_header;
    const jc_event_contract_started *contract_started;
    const jc_event_contract_changed *contract_changed;
    const jc_event_contract_ended *contract_ended;
    const jc_event_coaching_granted *coaching_granted;
    const jc_event_coaching_extended *coaching_extended;
    const jc_event_coaching_ended *coaching_ended;
    const jc_event_timesheet_logged *timesheet_logged;
    const jc_event_timesheet_retracted *timesheet_retracted;
    const jc_event_absence *absence;
    const jc_event_report_submitted *report_submitted;
    const jc_event_budget_transferred *budget_transferred;
    const jc_finding *finding;
    const jc_host *host;
    const jc_instance_config *instance_config;
    const jc_batch_result *batch_result;
    const jc_plugin *plugin;
    const jc_plugin_descriptor *plugin_descriptor;
    const jc_plugin_entry *plugin_entry;
    jc_plugin_entry_fn plugin_entry_fn;
    /* Since 1.1 */
    const jc_status_budget *status_budget;
    const jc_status_due *status_due;
    const jc_status_figure *status_figure;
    const jc_trajectory_status *trajectory_status;
    const jc_plugin_status *plugin_status;
    /* Since 1.2 */
    const jc_plugin_findings *plugin_findings;
    const jc_event_event_retracted *event_retracted;
    const jc_plugin_erase *plugin_erase;
    /* Since 1.5 */
    const jc_plugin_explanations *plugin_explanations;
    /* Since 1.6 */
    const jc_host_threads *host_threads;
    /* Since 1.7 */
    const jc_plugin_messages *plugin_messages;
} jc_abi_types;

JC_EXPORT int jc_abi_anchor(const jc_abi_types *types);
JC_EXPORT int jc_abi_anchor(const jc_abi_types *types) { return types != NULL; }
