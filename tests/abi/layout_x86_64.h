/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The layout of every public struct on x86_64 (LP64), pinned: its size and the offset of its last member.
 * Included by the header matrix (headers.c, headers_c_api.cpp), so a change to a layout fails the build in C
 * and in C++. A minor version that appends a member updates the struct's line here, and the ABI gate's
 * baseline (plugin_api/abi/jobcoach-abi.xml), in the same commit.
 */
#ifndef JOBCOACH_TESTS_LAYOUT_X86_64_H
#define JOBCOACH_TESTS_LAYOUT_X86_64_H

#include <jobcoach/jobcoach.h>

#if defined(__x86_64__) && defined(__LP64__)
#ifdef __cplusplus
#define JC_LAYOUT(condition, name) static_assert(condition, name " layout is frozen")
#else
#define JC_LAYOUT(condition, name) _Static_assert(condition, name " layout is frozen")
#endif
JC_LAYOUT(sizeof(jc_str) == 16 && offsetof(jc_str, size) == 8, "jc_str");
JC_LAYOUT(sizeof(jc_version) == 8 && offsetof(jc_version, patch) == 4, "jc_version");
JC_LAYOUT(sizeof(jc_event_header) == 48 && offsetof(jc_event_header, reserved0) == 44, "jc_event_header");
JC_LAYOUT(sizeof(jc_event_contract_started) == 80 && offsetof(jc_event_contract_started, paid_prospect) == 76, "jc_event_contract_started");
JC_LAYOUT(sizeof(jc_event_contract_changed) == 64 && offsetof(jc_event_contract_changed, reserved0) == 60, "jc_event_contract_changed");
JC_LAYOUT(sizeof(jc_event_contract_ended) == 48 && offsetof(jc_event_contract_ended, header) == 0, "jc_event_contract_ended");
JC_LAYOUT(sizeof(jc_event_coaching_granted) == 128 && offsetof(jc_event_coaching_granted, justification) == 112, "jc_event_coaching_granted");
JC_LAYOUT(sizeof(jc_event_coaching_extended) == 88 && offsetof(jc_event_coaching_extended, justification) == 72, "jc_event_coaching_extended");
JC_LAYOUT(sizeof(jc_event_coaching_ended) == 64 && offsetof(jc_event_coaching_ended, scheme) == 48, "jc_event_coaching_ended");
JC_LAYOUT(sizeof(jc_event_timesheet_logged) == 88 && offsetof(jc_event_timesheet_logged, coach) == 72, "jc_event_timesheet_logged");
JC_LAYOUT(sizeof(jc_event_timesheet_retracted) == 64 && offsetof(jc_event_timesheet_retracted, retracts) == 48, "jc_event_timesheet_retracted");
JC_LAYOUT(sizeof(jc_event_absence) == 48 && offsetof(jc_event_absence, header) == 0, "jc_event_absence");
JC_LAYOUT(sizeof(jc_event_report_submitted) == 80 && offsetof(jc_event_report_submitted, scheme) == 64, "jc_event_report_submitted");
JC_LAYOUT(sizeof(jc_event_budget_transferred) == 88 && offsetof(jc_event_budget_transferred, justification) == 72, "jc_event_budget_transferred");
JC_LAYOUT(sizeof(jc_finding) == 304 && offsetof(jc_finding, explanation) == 200 && offsetof(jc_finding, id) == 216 &&
              offsetof(jc_finding, trajectory) == 232 && offsetof(jc_finding, change) == 236 &&
              offsetof(jc_finding, title_nl) == 240 && offsetof(jc_finding, action_en) == 288, "jc_finding");
JC_LAYOUT(sizeof(jc_host) == 64 && offsetof(jc_host, emit_finding) == 56, "jc_host");
JC_LAYOUT(sizeof(jc_instance_config) == 24 && offsetof(jc_instance_config, rule_pack_dir) == 16, "jc_instance_config");
JC_LAYOUT(sizeof(jc_batch_result) == 32 && offsetof(jc_batch_result, reserved0) == 20 &&
              offsetof(jc_batch_result, conflicts) == 24, "jc_batch_result");
JC_LAYOUT(sizeof(jc_event_event_retracted) == 64 && offsetof(jc_event_event_retracted, retracts) == 48, "jc_event_event_retracted");
JC_LAYOUT(sizeof(jc_plugin) == 56 && offsetof(jc_plugin, get_extension) == 48, "jc_plugin");
JC_LAYOUT(sizeof(jc_plugin_descriptor) == 56 && offsetof(jc_plugin_descriptor, schemes) == 48, "jc_plugin_descriptor");
JC_LAYOUT(sizeof(jc_plugin_entry) == 56 && offsetof(jc_plugin_entry, create) == 48, "jc_plugin_entry");
JC_LAYOUT(sizeof(jc_status_budget) == 104 && offsetof(jc_status_budget, basis) == 64 &&
              offsetof(jc_status_budget, warning_pct) == 80 && offsetof(jc_status_budget, basis_nl) == 88 &&
              JC_STATUS_BUDGET_SIZE_V1_1 == offsetof(jc_status_budget, warning_pct), "jc_status_budget");
JC_LAYOUT(sizeof(jc_status_due) == 104 && offsetof(jc_status_due, finding_id) == 48 &&
              offsetof(jc_status_due, lead_days) == 64 && offsetof(jc_status_due, title_nl) == 72 &&
              offsetof(jc_status_due, title_en) == 88 &&
              JC_STATUS_DUE_SIZE_V1_1 == offsetof(jc_status_due, finding_id), "jc_status_due");
JC_LAYOUT(sizeof(jc_status_figure) == 72 && offsetof(jc_status_figure, value) == 24 &&
              offsetof(jc_status_figure, value_nl) == 56 && JC_STATUS_FIGURE_SIZE_V1_1 == offsetof(jc_status_figure, name_nl),
          "jc_status_figure");
JC_LAYOUT(sizeof(jc_trajectory_status) == 144 && offsetof(jc_trajectory_status, figure_count) == 116 &&
              offsetof(jc_trajectory_status, max_end_finding_id) == 120 &&
              offsetof(jc_trajectory_status, max_end_lead_days) == 136, "jc_trajectory_status");
JC_LAYOUT(sizeof(jc_plugin_status) == 24 && offsetof(jc_plugin_status, query) == 8 &&
              offsetof(jc_plugin_status, knows) == 16, "jc_plugin_status");
JC_LAYOUT(JC_FINDING_SIZE_V1_0 == offsetof(jc_finding, explanation), "jc_finding 1.0");
JC_LAYOUT(JC_FINDING_SIZE_V1_1 == offsetof(jc_finding, id), "jc_finding 1.1");
JC_LAYOUT(JC_FINDING_SIZE_V1_2 == offsetof(jc_finding, title_nl), "jc_finding 1.2 and 1.3");
JC_LAYOUT(sizeof(jc_plugin_findings) == 24 && offsetof(jc_plugin_findings, evaluate_employees) == 8 &&
              offsetof(jc_plugin_findings, evaluate_changes) == 16, "jc_plugin_findings");
JC_LAYOUT(sizeof(jc_plugin_erase) == 16 && offsetof(jc_plugin_erase, erase_employee) == 8, "jc_plugin_erase");
JC_LAYOUT(sizeof(jc_plugin_explanations) == 16 && offsetof(jc_plugin_explanations, set_explanations) == 8,
          "jc_plugin_explanations");
JC_LAYOUT(sizeof(jc_plugin_messages) == 16 && offsetof(jc_plugin_messages, set_messages) == 8, "jc_plugin_messages");
JC_LAYOUT(sizeof(jc_host_threads) == 24 && offsetof(jc_host_threads, take) == 8 &&
              offsetof(jc_host_threads, give_back) == 16,
          "jc_host_threads");
#undef JC_LAYOUT
#endif

#endif /* JOBCOACH_TESTS_LAYOUT_X86_64_H */
