/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach/events.h: the events a host hands to plugins (docs/formats.md, event schema version 1).
 *
 * Every event struct starts with a jc_event_header. `header.struct_size` is sizeof() of the whole event struct
 * as the host compiled it; `header.type` says which struct follows. A plugin reads an event only up to
 * min(header.struct_size, sizeof(its struct)); members beyond header.struct_size are absent. A plugin skips
 * event types it does not know (and counts them in jc_batch_result.skipped).
 *
 * Lifetime: an event, and every jc_str in it, is owned by the host and valid only during the
 * handle_events call that carries it. A plugin that keeps anything copies it.
 *
 * Privacy: events carry pseudonymous keys, dates and numbers only. There is no field for a name, a BSN, a
 * diagnosis or a reason of absence, and none may be added.
 */
#ifndef JOBCOACH_EVENTS_H
#define JOBCOACH_EVENTS_H

#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Event types (jc_event_header.type). New types are only appended. */
#define JC_EVENT_CONTRACT_STARTED 1
#define JC_EVENT_CONTRACT_CHANGED 2
#define JC_EVENT_CONTRACT_ENDED 3
#define JC_EVENT_COACHING_GRANTED 4
#define JC_EVENT_COACHING_EXTENDED 5
#define JC_EVENT_COACHING_ENDED 6
#define JC_EVENT_TIMESHEET_LOGGED 7
#define JC_EVENT_TIMESHEET_RETRACTED 8
#define JC_EVENT_ABSENCE_STARTED 9
#define JC_EVENT_ABSENCE_ENDED 10
#define JC_EVENT_REPORT_SUBMITTED 11
#define JC_EVENT_BUDGET_TRANSFERRED 12
#define JC_EVENT_EVENT_RETRACTED 13 /* since ABI 1.2 */

/* Common to every event. */
typedef struct jc_event_header {
    uint32_t struct_size; /* sizeof() of the whole event struct as built by the host */
    uint32_t type;        /* JC_EVENT_* */
    jc_str id;            /* host's unique event id, 1..128 bytes: the idempotency key (a seen id is ignored) */
    jc_str employee;      /* host's pseudonymous employee key, 1..128 bytes; never a name or a BSN */
    jc_date date;         /* the day the event takes effect */
    uint32_t reserved0;   /* 0 */
} jc_event_header;

/* contract.started: a new employment contract. */
typedef struct jc_event_contract_started {
    jc_event_header header;
    jc_str employer;        /* host's employer key, 1..128 bytes */
    int32_t weekly_minutes; /* agreed minutes per week, 1..3600 (60 hours) */
    jc_date end;            /* fixed-term contract: its last day; JC_DATE_NONE: open-ended */
    int32_t paid;           /* 1: paid work with a contract (default); 0: unpaid */
    int32_t paid_prospect;  /* 1: unpaid work with a prospect of paid work (default); 0: none */
} jc_event_contract_started;

/* jc_event_contract_changed.end_change */
#define JC_END_UNCHANGED 0 /* the end date stays as it was */
#define JC_END_SET 1       /* the contract now ends on `end` */
#define JC_END_OPEN 2      /* the contract is now open-ended */

/* contract.changed: a change of the contract in force on `date`. */
typedef struct jc_event_contract_changed {
    jc_event_header header;
    int32_t weekly_minutes; /* new agreed minutes per week, 1..3600; -1: unchanged */
    int32_t end_change;     /* JC_END_* */
    jc_date end;            /* with JC_END_SET: the new last day; otherwise JC_DATE_NONE */
    uint32_t reserved0;     /* 0 */
} jc_event_contract_changed;

/* contract.ended: header.date is the last day of employment. */
typedef struct jc_event_contract_ended {
    jc_event_header header;
} jc_event_contract_ended;

/* coaching.granted: a grant (beschikking) that opens a trajectory or is a new decision inside one. */
typedef struct jc_event_coaching_granted {
    jc_event_header header;
    jc_str scheme;           /* "uwv-extern", "uwv-intern", "vpw", "wsp-rijnmond", or a rule pack's scheme */
    jc_str level;            /* "zeer-licht", "licht", "midden", "intensief", or a package; absent: default */
    int64_t granted_minutes; /* hours granted for the period, in minutes; -1: absent (estimate applies) */
    int32_t prior_months;    /* months of earlier jobcoaching in the same job; -1: absent */
    uint32_t reserved0;      /* 0 */
    jc_str coach_form;       /* "gemeente", "intern", "extern"; absent allowed */
    jc_str justification;    /* why the grant deviates from the guideline; absent allowed */
} jc_event_coaching_granted;

/* coaching.extended: the trajectory's maximum end moves by `months`. */
typedef struct jc_event_coaching_extended {
    jc_event_header header;
    jc_str scheme;
    int32_t months;       /* 1..120 */
    uint32_t reserved0;   /* 0 */
    jc_str justification; /* absent gives a leidraad.justification finding */
} jc_event_coaching_extended;

/* coaching.ended: coaching of this scheme ends on header.date (the last day). */
typedef struct jc_event_coaching_ended {
    jc_event_header header;
    jc_str scheme;
} jc_event_coaching_ended;

/* jc_event_timesheet_logged.activity */
#define JC_ACTIVITY_COACHING 0
#define JC_ACTIVITY_VISIT 1
#define JC_ACTIVITY_CONTACT 2

/* timesheet.logged: minutes of jobcoaching on header.date. */
typedef struct jc_event_timesheet_logged {
    jc_event_header header;
    int32_t minutes;  /* 1..1440 */
    int32_t activity; /* JC_ACTIVITY_* */
    jc_str scheme;    /* absent: counts toward the employee's open trajectory */
    jc_str coach;     /* host's coach key; absent allowed */
} jc_event_timesheet_logged;

/* timesheet.retracted: removes an earlier timesheet.logged entry. */
typedef struct jc_event_timesheet_retracted {
    jc_event_header header;
    jc_str retracts; /* the id of a timesheet.logged event */
} jc_event_timesheet_retracted;

/* event.retracted (since ABI 1.2): the host's correction of a mistaken record. The event named by `retracts`
 * (any type but a retraction, of the same employee) counts as never sent; the corrected record comes as a new
 * event with a new id. It may arrive before the event it names, which then never counts. A plugin of an older
 * ABI does not know the type and skips it (jc_batch_result.skipped): a host that sees it skipped knows the
 * correction was not applied by that plugin. Optional to send, so JC_EVENT_SCHEMA_VERSION stays 1. */
typedef struct jc_event_event_retracted {
    jc_event_header header;
    jc_str retracts; /* the id of the event retracted */
} jc_event_event_retracted;

/* absence.started / absence.ended: no reason, ever (no medical data). */
typedef struct jc_event_absence {
    jc_event_header header;
} jc_event_absence;

/* report.submitted: a report of `kind` was filed on header.date. */
typedef struct jc_event_report_submitted {
    jc_event_header header;
    jc_str kind;   /* "plan", "evaluation", "plan-revision", "necessity-review", "period-report",
                      "continuation", "contract-end-notice", "lks-check" */
    jc_str scheme; /* absent: any scheme of the employee */
} jc_event_report_submitted;

/* budget.transferred: unused minutes of one trajectory year move to the next. */
typedef struct jc_event_budget_transferred {
    jc_event_header header;
    jc_str scheme;
    int32_t minutes;      /* 1..525600 */
    uint32_t reserved0;   /* 0 */
    jc_str justification; /* absent gives a leidraad.justification finding */
} jc_event_budget_transferred;

#ifdef __cplusplus
}
#endif

#endif /* JOBCOACH_EVENTS_H */
