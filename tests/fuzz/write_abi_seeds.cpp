// SPDX-License-Identifier: Apache-2.0
// Writes seeds for the ABI fuzz targets: each employee of each event file becomes one input (abi_input.hpp)
// holding all of that employee's events in batches, evaluated as of AS_OF after the last batch.
//   jobcoach_fuzz_seeds OUTDIR AS_OF FILE.jsonl...
#include "abi_input.hpp"

#include <jobcoach/host/event_file.hpp>
#include <jobcoach/dates.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

using namespace jobcoach;

int main(int argc, char **argv)
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s OUTDIR AS_OF FILE.jsonl...\n", argv[0]);
        return 2;
    }
    const std::filesystem::path out = argv[1];
    const auto as_of = jobcoach::dates::parse(argv[2]);
    if (!as_of) {
        std::fprintf(stderr, "%s: AS_OF '%s' is not a date YYYY-MM-DD\n", argv[0], argv[2]);
        return 2;
    }
    std::filesystem::create_directories(out);
    size_t written = 0;
    for (int i = 3; i < argc; ++i) {
        const host::EventFile file = host::read_events(argv[i]);
        if (!file.errors.empty()) {
            std::fprintf(stderr, "%s:%zu: %s\n", argv[i], file.errors[0].line, file.errors[0].message.c_str());
            return 1;
        }
        std::map<std::string, std::vector<const host::Event *>> by_employee;
        for (const auto &e : file.events)
            by_employee[e.employee].push_back(&e);
        const std::string stem = std::filesystem::path(argv[i]).stem().string();
        for (const auto &[employee, events] : by_employee) {
            const host::AbiEvents abi(events);
            const std::string bytes = fuzz::encode_batch(abi.headers(), *as_of);
            std::ofstream(out / (stem + "-" + employee + ".bin"), std::ios::binary) << bytes;
            ++written;
        }
    }
    std::printf("wrote %zu seeds to %s\n", written, out.c_str());
    return 0;
}
