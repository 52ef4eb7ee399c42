// Findings as JSON Lines, CSV (RFC 4180) or a readable table.
#pragma once

#include <jobcoach/host/runtime.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace jobcoach::demo {

// Removes findings that several plugins report alike (same employee, scheme, rule, kind, subject and due),
// then sorts by employee, due date (none first), rule id, subject (FORMATS.md).
void settle(std::vector<host::Finding> &findings);

void write_jsonl(std::ostream &out, const std::vector<host::Finding> &findings);
void write_csv(std::ostream &out, const std::vector<host::Finding> &findings);
void write_table(std::ostream &out, const std::vector<host::Finding> &findings);

std::string json_escape(std::string_view s);

} // namespace jobcoach::demo
