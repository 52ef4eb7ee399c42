// SPDX-License-Identifier: Apache-2.0
// Compiles the C headers (without the C++20 SDK) as C++11, C++14, C++17 and C++20 with
// -Wall -Wextra -pedantic -Werror: a host or plugin written in older C++ can use them.
#include <jobcoach/jobcoach.h>

#include <cstddef>

#include "layout_x86_64.h"

int jc_header_check_c_api();
int jc_header_check_c_api() { return static_cast<int>(sizeof(jc_trajectory_status)); }
