// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the demo host's event-file parser (docs/formats.md "Events: JSON Lines"). Any text must give events
// or errors naming a line of the text, never a crash; every event it accepts must be one the plugins accept.
#include "event_file.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const auto file = jobcoach::demo::parse_events(text, 20);
    const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    if (file.errors.size() > 20)
        std::abort();
    for (const auto &e : file.errors)
        if (e.line < 1 || e.line > lines || e.message.empty()) {
            std::fprintf(stderr, "an error names line %zu of %zu: %s\n", e.line, lines, e.message.c_str());
            std::abort();
        }
    int64_t previous = 0;
    for (const auto &e : file.events) {
        if (e.seq <= previous || static_cast<size_t>(e.seq) > lines)
            std::abort();
        previous = e.seq;
        jobcoach::rules::validate(e); // throws (and so aborts) when the parser let a bad event through
    }
    return 0;
}
