/* SPDX-License-Identifier: Apache-2.0 */
/*
 * conformance_events.h: a small, valid batch of events for one employee of one scheme. Written in C against
 * the public event header only, so that jobcoach-validate and a host built against the frozen v1.0 headers
 * send exactly the same events.
 *
 * The batch: a contract (2025-01-06, 36 h a week, open-ended), a grant of `scheme` on the same day, eight
 * weekly timesheet entries of 10 h from 2025-01-08, a plan filed on 2025-02-03 and an absence from 2025-03-03
 * to 2025-03-07. Evaluate it as of JC_CONFORMANCE_AS_OF.
 *
 * Ownership: everything lives inside the jc_conformance_batch; `events` and every jc_str point into it, so the
 * struct must not be copied or moved after init.
 */
#ifndef JOBCOACH_CONFORMANCE_EVENTS_H
#define JOBCOACH_CONFORMANCE_EVENTS_H

#include <jobcoach/events.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JC_CONFORMANCE_EVENT_COUNT 13
#define JC_CONFORMANCE_AS_OF 20453 /* 2025-12-31 */

typedef struct jc_conformance_batch {
    jc_event_contract_started contract;
    jc_event_coaching_granted grant;
    jc_event_timesheet_logged hours[8];
    jc_event_report_submitted report;
    jc_event_absence absence_started;
    jc_event_absence absence_ended;
    char ids[JC_CONFORMANCE_EVENT_COUNT][80];
    char employee[64];
    char scheme[64];
    const jc_event_header *events[JC_CONFORMANCE_EVENT_COUNT];
    uint32_t count;
    uint32_t reserved0;
} jc_conformance_batch;

/* Fills `batch` for `employee` and `scheme` (each truncated to 63 bytes). Event ids are "<employee>-c<n>". */
void jc_conformance_batch_init(jc_conformance_batch *batch, const char *employee, const char *scheme);

#ifdef __cplusplus
}
#endif

#endif /* JOBCOACH_CONFORMANCE_EVENTS_H */
