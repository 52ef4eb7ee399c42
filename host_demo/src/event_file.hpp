// SPDX-License-Identifier: Apache-2.0
// Reading event files (docs/formats.md "Events: JSON Lines"): all or nothing, every problem named by line and field.
#pragma once

#include <jobcoach/rules/event.hpp>

#include <functional>
#include <string>
#include <vector>

namespace jobcoach::demo {

struct FileError {
    size_t line;       // 1-based; 0 for the file as a whole
    std::string field; // empty when the line as a whole is wrong
    std::string message;
};

struct EventFile {
    std::vector<rules::Event> events; // in file order; seq = line number
    std::vector<FileError> errors;    // when not empty, nothing may be applied
};

// The longest event line: a justification of 4096 bytes with every character escaped, and the other members.
inline constexpr size_t max_line_bytes = 64 * 1024;

// Told now and then how far parsing is: bytes done of the total.
using ParseProgress = std::function<void(size_t done, size_t total)>;

// Parses JSON Lines text. Blank lines and lines starting with '#' are skipped; unknown fields are ignored.
EventFile parse_events(std::string_view text, size_t max_errors = 100, const ParseProgress &progress = {});
// Reads and parses a file; a file that cannot be read gives one error with line 0.
EventFile read_events(const std::string &path, size_t max_errors = 100, const ParseProgress &progress = {});

} // namespace jobcoach::demo
