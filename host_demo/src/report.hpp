// SPDX-License-Identifier: Apache-2.0
// Reports people read: one self-contained HTML page (a timeline and budget bars per employee), an iCalendar file
// of upcoming due dates (RFC 5545), and the findings as CSV (RFC 4180, output.hpp). Pure writers: the caller
// gathers the findings and trajectory statuses from the plugins.
#pragma once

#include "output.hpp"

#include <jobcoach/host/runtime.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace jobcoach::demo {

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

// How much of a large tenant the page shows in full: the most urgent `triage` findings that need action (and as
// many for information), and the `sections` most urgent employees with a timeline; every other employee with
// findings is a line naming the count and the most urgent one, so the page grows by a line per employee.
struct PageLimits {
    size_t triage = 300;
    size_t sections = 200;
};

// One page, no external resources: per employee a timeline (SVG) of each trajectory with its periods or years,
// due dates, findings and the report date, the budget bars (amber from the warning threshold each plugin gives
// through jc.status/1), and the findings.
void write_html(std::ostream &out, const Report &report, Lang lang, PageLimits limits = {});

// VEVENTs for every open due date on or after as_of, every overdue one (dated as_of, its summary marked overdue)
// and every trajectory's maximum end, each with a stable UID (the same duty keeps its UID across runs, so a
// calendar replaces the entry) and a VALARM at the lead time the plugin's rule uses (jc.status/1), never before
// as_of (a lead reaching further back rings on as_of), none when the plugin gives none.
void write_ics(std::ostream &out, const Report &report, Lang lang);

} // namespace jobcoach::demo
