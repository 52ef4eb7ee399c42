// SPDX-License-Identifier: Apache-2.0
// Findings as JSON Lines, CSV (RFC 4180) or a readable table.
#pragma once

#include <jobcoach/host/json.hpp>
#include <jobcoach/host/runtime.hpp>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace jobcoach::demo {

// The language of everything a person reads: labels, severity names, the plugins' message_nl or message_en.
enum class Lang { en, nl };

// Removes findings that several plugins report alike (same employee, scheme, rule, kind, subject and due),
// then sorts by employee, due date (none first), rule id, subject (docs/formats.md).
void settle(std::vector<host::Finding> &findings);
// settle()'s order, and its test of two findings alike.
bool settles_before(const host::Finding &a, const host::Finding &b);
bool alike(const host::Finding &a, const host::Finding &b);

// `explain`: add the computation behind each finding (jsonl: an "explanation" array of lines; csv: an
// "explanation" column, lines joined by " | "; table: indented lines under the finding).
void write_jsonl(std::ostream &out, const std::vector<host::Finding> &findings, bool explain = false);
// csv: RFC 4180 (CRLF, fields with the separator, a quote or a line break quoted), opened by a UTF-8 byte-order
// mark so that a spreadsheet's default import reads "Café" and "€" as such; `separator` ';' for spreadsheets in
// Dutch locales, where ',' is the decimal comma. Beside the raw integer columns (minutes, cents) the same numbers
// as people read them, in `lang`'s notation: hours and euros with two decimals and no thousands separator
// (observed_hours, limit_hours, amount_eur: "22.91" or "22,91"), so a spreadsheet in that locale takes them as
// numbers.
void write_csv(std::ostream &out, const std::vector<host::Finding> &findings, bool explain = false, char separator = ',',
               Lang lang = Lang::en);
// The same, one piece at a time (for findings that are not held: FindingMerge).
void write_jsonl_line(std::ostream &out, const host::Finding &f, bool explain = false);
void write_csv_header(std::ostream &out, bool explain = false, char separator = ',');
void write_csv_row(std::ostream &out, const host::Finding &f, bool explain = false, char separator = ',',
                   Lang lang = Lang::en);
// table: one block per finding that fits `width` columns: a line of employee, due date, severity and rule, then
// kind and subject, the message, the source and the id, each wrapped at word boundaries under the row. Labels,
// severity names and the message follow `lang`.
void write_table(std::ostream &out, const std::vector<host::Finding> &findings, bool explain = false,
                 Lang lang = Lang::en, size_t width = 80);

// Trajectory status (jc.status/1) as readable text that fits `width` columns (labels in `lang`; the plugin's
// budget basis and figures are its own words) or JSON Lines (one trajectory per line).
void write_status_text(std::ostream &out, const std::vector<host::TrajectoryStatus> &statuses, jc_date as_of,
                       Lang lang = Lang::en, size_t width = 80);
void write_status_jsonl(std::ostream &out, const std::vector<host::TrajectoryStatus> &statuses);

// Minutes as hours with two decimals, as people read them: "12.50 h", "12,50 uur" (floored to the hundredth).
std::string hours_en(int64_t minutes);
std::string hours_nl(int64_t minutes);
std::string hours(Lang lang, int64_t minutes);
// A budget span's subject as a reader says it: "period#2" is "period 2" ("periode 2"), "year#1" is "year 1"
// ("jaar 1"); any other subject (a plugin's own) as given.
std::string span_label(std::string_view subject, Lang lang);
// Days from `first` to `last`, both included: "2026-01-05 to 2026-07-04", "2026-01-05 t/m 2026-07-04".
std::string span_dates(jc_date first, jc_date last, Lang lang);
// A severity's or a change's name as people read it in `lang` ("waarschuwing", "opgelost").
const char *severity_label(int32_t severity, Lang lang);
const char *change_label(uint32_t change, Lang lang);
// `text` cut into lines of at most `width` characters (UTF-8 code points) at spaces; a word longer than a line
// is cut where the line ends. Line breaks in `text` are kept.
std::vector<std::string> wrap(std::string_view text, size_t width);

using host::json_escape;

} // namespace jobcoach::demo
