/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach/finding.h: what a plugin reports (docs/rules.md §7).
 *
 * A plugin emits findings through jc_host.emit_finding during jc_plugin.evaluate. The finding and every
 * string in it are owned by the plugin and valid only during the emit_finding call: the host copies what it
 * keeps before it returns.
 */
#ifndef JOBCOACH_FINDING_H
#define JOBCOACH_FINDING_H

#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jc_finding {
    uint32_t struct_size;     /* sizeof(jc_finding) as the plugin built it */
    int32_t severity;         /* JC_SEVERITY_* */
    jc_str employee;          /* the employee key, as the host sent it */
    jc_str scheme;            /* "uwv-extern", …; "any" for a finding not tied to one scheme */
    jc_str rule;              /* the rule id of docs/rules.md, e.g. "uwv-extern.period-report" */
    jc_str kind;              /* what happened, e.g. "report.due", "budget.exceeded" */
    jc_str subject;           /* which instance, e.g. "period-report#1"; absent allowed */
    jc_date due;              /* the date the finding refers to; JC_DATE_NONE: none */
    uint32_t reserved0;       /* 0 */
    int64_t observed_minutes; /* budgets: minutes used; JC_NO_VALUE: absent */
    int64_t limit_minutes;    /* budgets: the limit; JC_NO_VALUE: absent */
    int64_t amount_cents;     /* money, in euro cents; JC_NO_VALUE: absent */
    jc_str message_nl;        /* Dutch explanation with the numbers that made the finding */
    jc_str message_en;        /* English explanation with the same numbers */
    jc_str source;            /* document and article of the rule, e.g. "P14 B.4" */
    jc_str employer;          /* employer key, for employer-level findings; absent allowed */
    const jc_str *employees;  /* employer-level findings: the employees concerned; NULL when count is 0 */
    uint32_t employee_count;  /* number of entries at `employees` */
    uint32_t reserved1;       /* 0 */
    /* Since ABI 1.1. A host reads the members below only when struct_size covers them. */
    jc_str explanation;       /* the computation behind the finding, in English: lines "name: value" separated
                                 by '\n' (inputs, the rule-pack values with their valid_from, the result);
                                 absent allowed */
    /* Since ABI 1.2. A host reads the members below only when struct_size covers them (JC_FINDING_SIZE_V1_2). */
    jc_str id;                /* the finding's stable identity (docs/formats.md): the same bytes in every evaluation
                                 for as long as the same instance of the same duty, budget or trajectory is
                                 concerned; made from the employee (or the employer), scheme, trajectory, rule
                                 and subject, never from a date, the kind or a number, so a budget.warning that
                                 becomes budget.exceeded keeps it; unique among the findings of one evaluate.
                                 1-128 bytes of UTF-8 from a 1.2 plugin; absent ({NULL, 0}) from older ones */
    uint32_t trajectory;      /* the trajectory's number for this employee and scheme, from 1; 0: none concerned
                                 (an employer-level finding, hours outside any trajectory) */
    uint32_t change;          /* in a change feed (jc.findings/1 evaluate_changes): JC_CHANGE_NEW, _UPDATED or
                                 _RESOLVED; JC_CHANGE_NONE (0) elsewhere and from older plugins */
    /* Since ABI 1.4. A host reads the members below only when struct_size covers them (JC_FINDING_SIZE_V1_2 is
     * the size of 1.2 and 1.3). Each is UTF-8 for people, absent ({NULL, 0}) where the rule's pack has none
     * and from older plugins: a host then shows `rule` and the message alone. */
    jc_str title_nl;          /* the rule's title in Dutch, e.g. "Verantwoordingsrapportage aan UWV" */
    jc_str title_en;          /* the same in English, e.g. "Period report to UWV (verantwoordingsrapportage)" */
    jc_str action_nl;         /* what to do next, and by when, in Dutch: "Stuur UWV de verantwoordingsrapportage,
                                 uiterlijk op 2026-11-29." */
    jc_str action_en;         /* the same in English */
} jc_finding;

/* jc_finding.change: how a finding differs from what the plugin last reported for the same id. */
#define JC_CHANGE_NONE 0u     /* not a change feed */
#define JC_CHANGE_NEW 1u      /* the id was not reported before */
#define JC_CHANGE_UPDATED 2u  /* the id was reported before with another kind, severity, due date or number */
#define JC_CHANGE_RESOLVED 3u /* the id was reported before and fires no more; the finding is as last reported */

/* The size of jc_finding in ABI 1.0: a host accepts findings of at least this size. */
#define JC_FINDING_SIZE_V1_0 200u
/* The size of jc_finding in ABI 1.1, which appended `explanation`. */
#define JC_FINDING_SIZE_V1_1 216u
/* The size of jc_finding in ABI 1.2 and 1.3, which appended `id` and `trajectory`. */
#define JC_FINDING_SIZE_V1_2 240u

#ifdef __cplusplus
}
#endif

#endif /* JOBCOACH_FINDING_H */
