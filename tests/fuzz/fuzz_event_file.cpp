// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the host runtime's event-file reader (docs/formats.md "Events: JSON Lines"). Any text must give
// events or errors naming a line of the text, never a crash; every event it accepts must be one the plugins accept
// (their own conversion of the ABI struct, rules::from_abi, with its UTF-8 and range checks).
#include <jobcoach/host/event_file.hpp>
#include <jobcoach/rules/event.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const auto file = jobcoach::host::parse_events(text, 20);
    const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    if (file.errors.size() > 20)
        std::abort();
    for (const auto &e : file.errors)
        if (e.line < 1 || e.line > lines || e.message.empty()) {
            std::fprintf(stderr, "an error names line %zu of %zu: %s\n", e.line, lines, e.message.c_str());
            std::abort();
        }
    int64_t previous = 0;
    std::vector<const jobcoach::host::Event *> list;
    for (const auto &e : file.events) {
        if (e.line <= previous || static_cast<size_t>(e.line) > lines)
            std::abort();
        previous = e.line;
        list.push_back(&e);
    }
    const jobcoach::host::AbiEvents abi(list);
    for (const jc_event_header *h : abi.headers())
        if (!jobcoach::rules::from_abi(*h)) // throws (and so aborts) when the reader let a bad event through
            std::abort();                  // a type the plugins do not know
    return 0;
}
