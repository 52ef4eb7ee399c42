/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jobcoach/ext/status.h: the jc.status/1 plugin extension: each trajectory of one employee as of a date.
 *
 * What `jobcoach-demo status` prints, for a host's own screens: per trajectory the current period or
 * trajectory year, the budget used and left, the next due dates, and further figures (subsidy, hours per
 * quarter, cost per coach form). A host gets it with
 *
 *     const jc_plugin_status *ext = plugin->get_extension(plugin, JC_EXT_STATUS);
 *
 * NULL means the plugin does not offer it. Added in ABI 1.1; a host must not assume it.
 */
#ifndef JOBCOACH_EXT_STATUS_H
#define JOBCOACH_EXT_STATUS_H

#include "../plugin.h"
#include "../types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define JC_EXT_STATUS "jc.status/1"

/* One budget span of a trajectory: a period (UWV) or a trajectory year (municipal caps). */
typedef struct jc_status_budget {
    uint32_t struct_size;  /* sizeof(jc_status_budget) as the plugin built it */
    uint32_t current;      /* 1 when the span contains as_of, else 0 */
    jc_str rule;           /* the budget rule id, e.g. "uwv-extern.budget" */
    jc_str subject;        /* "period#2", "year#1" */
    jc_date first;         /* first day of the span */
    jc_date last;          /* last day of the span (cut at the trajectory's close) */
    int64_t limit_minutes; /* the budget */
    int64_t used_minutes;  /* coaching minutes logged in the span, retracted entries removed */
    jc_str basis;          /* how the budget was found, in English, e.g. "level midden, year 1: 10 % of …" */
    /* Since ABI 1.3; a host reads it only when struct_size covers it. */
    int32_t warning_pct;   /* the share of the budget, in percent, from which the plugin warns while the span is
                              current (docs/rules.md C-8, the rule pack's value valid on `first`); 0: absent (older
                              plugins, or no value valid on that date) */
    uint32_t reserved0;    /* 0 */
    /* Since ABI 1.4, read like warning_pct. */
    jc_str basis_nl;       /* `basis` in Dutch, e.g. "niveau midden, jaar 1: 10 % van …"; absent from older plugins */
} jc_status_budget;

/* The size of jc_status_budget in ABI 1.1 and 1.2: a host accepts elements of at least this size. */
#define JC_STATUS_BUDGET_SIZE_V1_1 80u

/* One due instance of a recurring duty (C-7) or the next visit. */
typedef struct jc_status_due {
    uint32_t struct_size; /* sizeof(jc_status_due) as the plugin built it */
    int32_t number;       /* the instance number, from 1 */
    jc_str rule;          /* the rule id, e.g. "vpw.evaluation" */
    jc_str kind;          /* a report kind ("evaluation", "period-report", …), "visit" or "contact" */
    jc_date due;          /* the due date */
    uint32_t satisfied;   /* 1 when a report satisfies it, else 0 */
    /* Since ABI 1.2; an array's elements are strided by their struct_size, so a host reads this only when
     * struct_size covers it. */
    jc_str finding_id;    /* the id (jc_finding.id) of the finding this instance gives when it is due or
                             overdue, for a calendar entry or task made before it fires; absent from older plugins */
    /* Since ABI 1.3, read like finding_id. */
    int32_t lead_days;    /* how many days before `due` the plugin starts to report the open instance (its
                             ".due" finding; docs/rules.md C-7, or a scheme's visit lead), the value its rule uses:
                             what a calendar's alarm or a task's reminder should use; -1: absent (satisfied, or
                             from older plugins) */
    uint32_t reserved0;   /* 0 */
    /* Since ABI 1.4, read like finding_id. */
    jc_str title_nl;      /* the duty's rule title in Dutch (jc_finding.title_nl of the finding it gives), for a
                             calendar entry or a task in plain words; absent where the pack has none and from
                             older plugins */
    jc_str title_en;      /* the same in English */
} jc_status_due;

/* The size of jc_status_due in ABI 1.1: a host accepts elements of at least this size. */
#define JC_STATUS_DUE_SIZE_V1_1 48u

/* A further number, as a name and a text: ("subsidy period#1", "EUR 4,500.00 (…)"). */
typedef struct jc_status_figure {
    uint32_t struct_size; /* sizeof(jc_status_figure) as the plugin built it; elements are strided by it */
    uint32_t reserved0;   /* 0 */
    jc_str name;          /* in English */
    jc_str value;         /* in English */
    /* Since ABI 1.4; a host reads them only when struct_size covers them. */
    jc_str name_nl;       /* the name in Dutch ("subsidie period#1"); absent from older plugins */
    jc_str value_nl;      /* the value in Dutch ("€ 4.500,00 (…)"); absent from older plugins */
} jc_status_figure;

/* The size of jc_status_figure in ABI 1.1 to 1.3: a host accepts elements of at least this size. */
#define JC_STATUS_FIGURE_SIZE_V1_1 40u

/* One trajectory. Everything it points to is owned by the plugin and valid only during the sink call. */
typedef struct jc_trajectory_status {
    uint32_t struct_size;   /* sizeof(jc_trajectory_status) as the plugin built it */
    int32_t number;         /* 1, 2, … per employee and scheme */
    jc_str employee;        /* the employee key */
    jc_str scheme;          /* "uwv-extern", "vpw", … */
    jc_str level;           /* the level or package in force, e.g. "midden", "pakket-1"; absent allowed */
    jc_str close_reason;    /* "max-duration", "coaching-ended" or "contract-end" */
    jc_date start;          /* S: the date of the opening coaching.granted */
    jc_date max_end;        /* the maximum end, extensions included */
    jc_date close;          /* the earliest of the maximum end, coaching.ended and the employment's end */
    uint32_t budget_count;  /* entries at `budgets` */
    const jc_status_budget *budgets; /* the budget spans that have started, in order; NULL when count is 0 */
    const jc_status_due *dues;       /* every due instance made for the trajectory, by rule then number */
    const jc_status_figure *figures; /* further numbers */
    uint32_t due_count;     /* entries at `dues` */
    uint32_t figure_count;  /* entries at `figures` */
    /* Since ABI 1.2. A host reads the member below only when struct_size covers it. */
    jc_str max_end_finding_id; /* the id of the trajectory.expiring / trajectory.expired finding of the maximum
                                  end; absent when the scheme has no maximum duration, or from older plugins */
    /* Since ABI 1.3. A host reads the members below only when struct_size covers them. */
    int32_t max_end_lead_days; /* how many days before `max_end` the plugin reports trajectory.expiring (docs/rules.md
                                  C-9); -1: absent (the trajectory closes before its maximum end, or older plugins) */
    uint32_t reserved0;        /* 0 */
} jc_trajectory_status;

/* Receives one trajectory. Returning anything but JC_OK stops the query, which then returns that status.
 * [instance-serialized]: called on the thread that called query, before query returns. */
typedef jc_status(JC_ABI *jc_status_sink)(void *context, const jc_trajectory_status *status);

typedef struct jc_plugin_status {
    uint32_t struct_size; /* sizeof(jc_plugin_status) as the plugin built it */
    uint32_t reserved0;   /* 0 */
    /* [instance-serialized] Calls `sink` once per trajectory of `employee` (the host's key, 1-128 bytes of
     * UTF-8, borrowed for the call) as of `as_of`, by scheme then number; none when the employee is unknown.
     * Uses the stored events dated on or before as_of, as evaluate does. `context` is passed to the sink
     * untouched. Returns JC_OK, JC_E_INVALID_ARGUMENT (NULL sink, bad key or date; last_error says which),
     * JC_E_RULE_PACK (a pack has no number for a date the employee's events need, as in evaluate; the sink
     * was not called), or the sink's status. */
    jc_status(JC_ABI *query)(const jc_plugin *self, jc_str employee, jc_date as_of, void *context,
                             jc_status_sink sink);
    /* [instance-serialized] Appended in 1.1's headers after 1.1.0: read it only when struct_size covers it.
     * 1 when the plugin holds at least one event of `employee` (the host's key, 1-128 bytes of UTF-8, borrowed
     * for the call), 0 when it holds none, or JC_E_INVALID_ARGUMENT for a bad key (last_error says why). It
     * tells an employee without trajectories (query calls the sink never) from one the plugin never saw. */
    int32_t(JC_ABI *knows)(const jc_plugin *self, jc_str employee);
} jc_plugin_status;

#ifdef __cplusplus
}
#endif

#endif /* JOBCOACH_EXT_STATUS_H */
