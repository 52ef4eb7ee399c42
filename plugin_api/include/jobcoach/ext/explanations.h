/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach/ext/explanations.h: the jc.explanations/1 plugin extension: findings with or without their
 * explanation.
 *
 * jc_finding.explanation holds the computation behind a finding (its inputs, the rule-pack values with their
 * valid_from, the result): what a support desk reads when a user asks why. Making it takes 13-17 % of the
 * instructions of the shipped plugins' evaluation of everyone. A host that shows only the messages, titles and
 * actions (a task list, a banner after a save, `jobcoach-demo evaluate` without --explain) turns it off, and
 * turns it on again for the call whose findings someone will read in full. A host gets the extension with
 *
 *     const jc_plugin_explanations *ext = plugin->get_extension(plugin, JC_EXT_EXPLANATIONS);
 *
 * NULL means the plugin does not offer it: its findings always carry their explanation, and a host that does
 * not want it ignores the member. Added in ABI 1.5; a host must not assume it.
 *
 * Thread rules: as every function of an instance, [instance-serialized] (plugin.h).
 */
#ifndef JOBCOACH_EXT_EXPLANATIONS_H
#define JOBCOACH_EXT_EXPLANATIONS_H

#include "../plugin.h"
#include "../types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define JC_EXT_EXPLANATIONS "jc.explanations/1"

typedef struct jc_plugin_explanations {
    uint32_t struct_size; /* sizeof(jc_plugin_explanations) as the plugin built it */
    uint32_t reserved0;   /* 0 */
    /* [instance-serialized] Whether the findings this instance emits from the next call on (jc_plugin.evaluate
     * and both functions of jc.findings/1) carry jc_finding.explanation: `enabled` 1, as every new instance
     * does, or 0, when the explanation is absent ({NULL, 0}) and every other member is what it is with 1 (the
     * same id, messages, numbers, titles and actions). The setting lasts until the next call of this function
     * or the instance's destroy; it is not stored in the state. jc.findings/1 evaluate_changes records what it
     * emitted, so a finding it later reports JC_CHANGE_RESOLVED ("as last reported") carries an explanation
     * only if it had one then. Returns JC_OK, or JC_E_INVALID_ARGUMENT for an `enabled` other than 0 and 1
     * (nothing changes then; last_error says so). */
    jc_status(JC_ABI *set_explanations)(const jc_plugin *self, uint32_t enabled);
} jc_plugin_explanations;

#ifdef __cplusplus
}
#endif

#endif /* JOBCOACH_EXT_EXPLANATIONS_H */
