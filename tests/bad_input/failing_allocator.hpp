// SPDX-License-Identifier: Apache-2.0
// A global operator new that fails on request (tests/bad_input/failing_allocator.cpp): the n-th allocation
// from now throws std::bad_alloc (the nothrow forms return NULL). Only in the test binary that links it.
#pragma once

namespace jc_test {

// From now on, the n-th allocation of any thread fails; 0 disarms.
void fail_allocation(long n);
// How many allocations failed since the start.
long failed_allocations();

// While one lives, allocations on this thread never fail (the test's own bookkeeping).
struct AllocationsSucceed {
    AllocationsSucceed();
    ~AllocationsSucceed();
};

} // namespace jc_test
