// SPDX-License-Identifier: Apache-2.0
// Compiles every public header, and the SDK, as C++20 with -Wall -Wextra -pedantic -Werror.
#include <jobcoach/jobcoach.h>
#include <jobcoach/sdk.hpp>

static_assert(sizeof(jc_event_header) == 48, "jc_event_header layout is frozen");
static_assert(sizeof(jc_str) == 16);

int jc_header_check_cxx();
int jc_header_check_cxx() { return static_cast<int>(sizeof(jc_plugin)); }
