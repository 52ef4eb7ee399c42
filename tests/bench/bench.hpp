// SPDX-License-Identifier: Apache-2.0
// The benchmark suite's shared declarations.
#pragma once

namespace jobcoach::bench {

// Removes the scratch files the benchmarks wrote.
void cleanup();
// A save worker (hr/save-and-employee-findings-restarted): 1,000 saves into the states at `prefix`, in this
// process, which has done nothing else; exits with 0 when the times are written.
int save_worker(const char *prefix);

} // namespace jobcoach::bench
