/* SPDX-License-Identifier: Apache-2.0 */
#include "conformance_events.h"

#include <stdio.h>
#include <string.h>

static jc_str text(const char *s)
{
    jc_str out = {s, strlen(s)};
    return out;
}

static void header(jc_conformance_batch *b, jc_event_header *h, uint32_t size, uint32_t type, jc_date date)
{
    const uint32_t n = b->count;
    snprintf(b->ids[n], sizeof b->ids[n], "%s-c%u", b->employee, n + 1);
    h->struct_size = size;
    h->type = type;
    h->id = text(b->ids[n]);
    h->employee = text(b->employee);
    h->date = date;
    h->reserved0 = 0;
    b->events[n] = h;
    b->count = n + 1;
}

void jc_conformance_batch_init(jc_conformance_batch *b, const char *employee, const char *scheme)
{
    memset(b, 0, sizeof *b);
    snprintf(b->employee, sizeof b->employee, "%s", employee);
    snprintf(b->scheme, sizeof b->scheme, "%s", scheme);

    header(b, &b->contract.header, sizeof b->contract, JC_EVENT_CONTRACT_STARTED, 20094); /* 2025-01-06 */
    b->contract.employer = text("K-CONFORMANCE");
    b->contract.weekly_minutes = 36 * 60;
    b->contract.end = JC_DATE_NONE;
    b->contract.paid = 1;
    b->contract.paid_prospect = 1;

    header(b, &b->grant.header, sizeof b->grant, JC_EVENT_COACHING_GRANTED, 20094);
    b->grant.scheme = text(b->scheme);
    b->grant.granted_minutes = -1;
    b->grant.prior_months = -1;

    for (int week = 0; week < 8; ++week) {
        jc_event_timesheet_logged *t = &b->hours[week];
        header(b, &t->header, sizeof *t, JC_EVENT_TIMESHEET_LOGGED, 20096 + 7 * week); /* from 2025-01-08 */
        t->minutes = 600;
        t->activity = JC_ACTIVITY_COACHING;
        t->scheme = text(b->scheme);
    }

    header(b, &b->report.header, sizeof b->report, JC_EVENT_REPORT_SUBMITTED, 20122); /* 2025-02-03 */
    b->report.kind = text("plan");
    b->report.scheme = text(b->scheme);

    header(b, &b->absence_started.header, sizeof b->absence_started, JC_EVENT_ABSENCE_STARTED, 20150); /* 2025-03-03 */
    header(b, &b->absence_ended.header, sizeof b->absence_ended, JC_EVENT_ABSENCE_ENDED, 20154);       /* 2025-03-07 */
}
