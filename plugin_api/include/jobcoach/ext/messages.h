/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach/ext/messages.h: the jc.messages/1 plugin extension: findings with or without their words for people.
 *
 * A finding's words for people are its messages (jc_finding.message_nl, .message_en), what to do next
 * (.action_nl, .action_en) and the computation behind it (.explanation). Making them is about a third of the
 * instructions of the shipped plugins' evaluation of everyone. A host that keeps one task per finding by its
 * id, severity and due date (jc.findings/1 evaluate_changes, or a nightly evaluate of everyone) needs none of
 * them to open, refresh or close its tasks: it shows the rule's title (.title_nl, .title_en), the due date and
 * the numbers, and asks for one employee's findings with their words (jc.findings/1 evaluate_employees, the
 * messages turned on) when someone opens that employee. A host gets the extension with
 *
 *     const jc_plugin_messages *ext = plugin->get_extension(plugin, JC_EXT_MESSAGES);
 *
 * NULL means the plugin does not offer it: its findings always carry their words, and a host that does not want
 * them ignores those members. Added in ABI 1.7; a host must not assume it.
 *
 * Thread rules: as every function of an instance, [instance-serialized] (plugin.h).
 */
#ifndef JOBCOACH_EXT_MESSAGES_H
#define JOBCOACH_EXT_MESSAGES_H

#include "../plugin.h"
#include "../types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define JC_EXT_MESSAGES "jc.messages/1"

typedef struct jc_plugin_messages {
    uint32_t struct_size; /* sizeof(jc_plugin_messages) as the plugin built it */
    uint32_t reserved0;   /* 0 */
    /* [instance-serialized] Whether the findings this instance emits from the next call on (jc_plugin.evaluate
     * and both functions of jc.findings/1) carry their words for people: `enabled` 1, as every new instance does,
     * or 0, when message_nl, message_en, action_nl, action_en and explanation are absent ({NULL, 0}) and every
     * other member is what it is with 1: the same findings, ids, kinds, severities, due dates, numbers,
     * subjects, sources and titles, in the same order. With 0, jc.explanations/1 changes nothing until the
     * words are turned on again; with 1, it says whether the explanation comes with them. The setting lasts
     * until the next call of this function or the instance's destroy; it is not stored in the state.
     * jc.findings/1 evaluate_changes compares findings by what stays (JC_CHANGE_UPDATED: a kind, severity, due
     * date or number), so turning the words off or on makes no change by itself; it records what it emitted, so
     * a finding it later reports JC_CHANGE_RESOLVED ("as last reported") carries words only if it had them
     * then. Returns JC_OK, or JC_E_INVALID_ARGUMENT for an `enabled` other than 0 and 1 (nothing changes then;
     * last_error says so). */
    jc_status(JC_ABI *set_messages)(const jc_plugin *self, uint32_t enabled);
} jc_plugin_messages;

#ifdef __cplusplus
}
#endif

#endif /* JOBCOACH_EXT_MESSAGES_H */
