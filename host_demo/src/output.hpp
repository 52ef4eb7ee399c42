// SPDX-License-Identifier: Apache-2.0
// Findings as JSON Lines, CSV (RFC 4180) or a readable table.
#pragma once

#include <jobcoach/host/json.hpp>
#include <jobcoach/host/runtime.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace jobcoach::demo {

// Removes findings that several plugins report alike (same employee, scheme, rule, kind, subject and due),
// then sorts by employee, due date (none first), rule id, subject (docs/formats.md).
void settle(std::vector<host::Finding> &findings);
// settle()'s order, and its test of two findings alike.
bool settles_before(const host::Finding &a, const host::Finding &b);
bool alike(const host::Finding &a, const host::Finding &b);

// `explain`: add the computation behind each finding (jsonl: an "explanation" array of lines; csv: an
// "explanation" column, lines joined by " | "; table: indented lines under the finding).
void write_jsonl(std::ostream &out, const std::vector<host::Finding> &findings, bool explain = false);
// csv: RFC 4180 (CRLF, fields with the separator, a quote or a line break quoted); `separator` ';' for
// spreadsheets in Dutch locales, where ',' is the decimal comma.
void write_csv(std::ostream &out, const std::vector<host::Finding> &findings, bool explain = false, char separator = ',');
// The same, one piece at a time (for findings that are not held: FindingMerge).
void write_jsonl_line(std::ostream &out, const host::Finding &f, bool explain = false);
void write_csv_header(std::ostream &out, bool explain = false, char separator = ',');
void write_csv_row(std::ostream &out, const host::Finding &f, bool explain = false, char separator = ',');
// table: the message in English, or in Dutch with `dutch`.
void write_table(std::ostream &out, const std::vector<host::Finding> &findings, bool explain = false, bool dutch = false);

// Trajectory status (jc.status/1) as readable text or JSON Lines (one trajectory per line).
void write_status_text(std::ostream &out, const std::vector<host::TrajectoryStatus> &statuses, jc_date as_of);
void write_status_jsonl(std::ostream &out, const std::vector<host::TrajectoryStatus> &statuses);

// Minutes as hours with two decimals, as people read them: "12.50 h", "12,50 uur" (floored to the hundredth).
std::string hours_en(int64_t minutes);
std::string hours_nl(int64_t minutes);

using host::json_escape;

} // namespace jobcoach::demo
