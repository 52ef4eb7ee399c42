// SPDX-License-Identifier: Apache-2.0
// The benchmark suite's shared declarations.
#pragma once

namespace jobcoach::bench {

// Removes the scratch files the benchmarks wrote.
void cleanup();

} // namespace jobcoach::bench
