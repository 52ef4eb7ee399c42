// SPDX-License-Identifier: Apache-2.0
// Fuzz target: any text as a rule pack (rule_pack_run.hpp says what is done with it).
#include "rule_pack_run.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    jobcoach::fuzz::load_shipped_packs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)jobcoach::fuzz::run_rule_pack(std::string_view(reinterpret_cast<const char *>(data), size));
    return 0;
}
