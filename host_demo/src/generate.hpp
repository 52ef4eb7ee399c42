// SPDX-License-Identifier: Apache-2.0
// A realistic, reproducible event history for benchmarks and load tests (jobcoach-demo generate).
//
// Each employee gets, from a start in the first year: a contract (part-time or full-time, fixed-term or
// open-ended, sometimes changed or ended early), a grant of one of the four schemes at a level or package of
// that scheme, weekly coaching timesheets (visits and contacts for wsp-rijnmond), the reports the scheme asks
// for (some late or missing, so that findings fire), sometimes an absence, an extension with or without a
// justification, a budget transfer, and retractions of a few entries. Employees are written one after the
// other, each in date order. The same options give the same bytes on every machine (the generator draws from
// std::mt19937_64, whose output the standard fixes, and maps draws without the library's distributions).
#pragma once

#include <jobcoach/dates.hpp>

#include <cstdint>
#include <ostream>

namespace jobcoach::demo {

struct GenerateOptions {
    uint32_t employees = 1000;
    uint32_t years = 3;
    uint64_t seed = 1;
    jc_date start = dates::from_ymd(2020, 1, 6); // the first possible contract start
};

struct GenerateCounts {
    uint64_t events = 0;
    uint64_t timesheets = 0;
    uint64_t trajectories = 0;
    uint64_t bytes = 0;
};

// The latest date the file can hold: the horizon (start + years - 1 day) or a fixed-term contract's end, up to
// 24 months after a start in the first year. The command refuses options whose last date lies past 2199-12-31.
jc_date last_date(const GenerateOptions &options);

// Writes the event file (docs/formats.md, JSON Lines) to `out`.
GenerateCounts generate(const GenerateOptions &options, std::ostream &out);

} // namespace jobcoach::demo
