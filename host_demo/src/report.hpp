// SPDX-License-Identifier: Apache-2.0
// Reports people read: one self-contained HTML page (a timeline and budget bars per employee), an iCalendar file
// of upcoming due dates (RFC 5545), and the findings as CSV (RFC 4180, output.hpp). Pure writers: the caller
// gathers the findings and trajectory statuses from the plugins.
#pragma once

#include <jobcoach/host/runtime.hpp>

#include <ostream>
#include <map>
#include <string>
#include <vector>

namespace jobcoach::demo {

enum class Lang { en, nl };

// One employee: its trajectories (jc.status/1) and its findings, both as of the report's date.
struct EmployeeReport {
    std::string employee;
    std::vector<host::TrajectoryStatus> trajectories;
    std::vector<host::Finding> findings;
};

struct Report {
    jc_date as_of = JC_DATE_NONE;
    std::vector<EmployeeReport> employees; // in key order
};

// Groups settled findings and statuses by employee (employees with neither are left out).
Report make_report(jc_date as_of, std::vector<host::TrajectoryStatus> statuses, const std::vector<host::Finding> &findings);

// The rule-pack numbers a report shows: the alarms' lead times in days (docs/rules.md C-7, C-9; wsp-rijnmond's
// visits) and the budget warning threshold (C-8) that colours the budget bars.
struct ReportParameters {
    int report_days = 14;        // report_lead_days: an alarm this many days before a report's due date
    int expiring_days = 90;      // expiring_lead_days: before a trajectory's maximum end
    std::map<std::string, int, std::less<>> visit_days; // visit_due_lead_days per scheme: before a visit or contact
    // budget_warning_pct, as versions (valid_from, value) sorted by date: a bar turns amber from this share of
    // the budget. The rule (C-8) uses the value valid on the span's start, and so does the bar.
    std::vector<std::pair<jc_date, int>> budget_warning_pct{{JC_DATE_MIN, 80}};

    // The budget_warning_pct valid on `span_start` (the earliest version for older dates).
    int warning_pct_on(jc_date span_start) const;
    // The lead of a due of `kind` in `scheme`: a visit's or contact's from its scheme's pack, else the report's.
    int due_lead(std::string_view scheme, std::string_view kind) const;
};

// Reads the numbers in force on `as_of` from the common rule pack and the scheme packs of the plugins'
// rulepacks/ directories (and an override directory, whose packs win). Throws std::runtime_error naming the
// file when a pack cannot be read, or when no common pack gives report_lead_days, expiring_lead_days and
// budget_warning_pct.
ReportParameters read_report_parameters(const std::vector<std::string> &rule_pack_dirs, jc_date as_of);

// One page, no external resources: per employee a timeline (SVG) of each trajectory with its periods or years,
// due dates, findings and the report date, the budget bars, and the findings.
void write_html(std::ostream &out, const Report &report, const ReportParameters &parameters, Lang lang);

// VEVENTs for every open due date on or after as_of and every trajectory's maximum end, each with a stable UID
// (the same duty keeps its UID across runs, so a calendar replaces the entry) and a VALARM at its lead time.
void write_ics(std::ostream &out, const Report &report, const ReportParameters &parameters, Lang lang);

} // namespace jobcoach::demo
