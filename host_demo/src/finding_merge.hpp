// SPDX-License-Identifier: Apache-2.0
// Everyone's findings in settle()'s order (employee, due, rule, subject) without holding them in memory.
#pragma once

#include <jobcoach/host/runtime.hpp>

#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

namespace jobcoach::demo {

// Each plugin hands on its findings employee by employee, in key order (Instance::evaluate_each): each stream is
// sorted but for the few that come out of order (a plugin's employer-level findings come last). A FindingMerge
// writes each stream to a temporary file as it comes, holds only the out-of-order ones, and then merges the
// streams, as settle() would sort and deduplicate their concatenation: memory holds one finding per stream.
class FindingMerge {
public:
    FindingMerge();
    ~FindingMerge();
    FindingMerge(const FindingMerge &) = delete;
    FindingMerge &operator=(const FindingMerge &) = delete;

    // Starts the next plugin's stream; add() appends to it. Throws std::runtime_error when the temporary file
    // cannot be written (a full disk).
    void next_stream();
    void add(const host::Finding &f);
    // Forgets the current stream (a plugin that failed midway: none of its findings is shown).
    void discard_stream();
    // The same for plugins that evaluate at once: starts `n` streams, the k-th of which add(k, f) appends to and
    // discard(k) forgets. Different streams may be added to from different threads at once; one stream from one
    // thread at a time.
    void open_streams(size_t n);
    void add(size_t k, const host::Finding &f);
    void discard(size_t k);
    // Calls fn with every finding added, in settle()'s order, those alike (settle) kept once: the first added.
    // Once.
    void drain(const std::function<void(const host::Finding &)> &fn);
    size_t held() const; // the out-of-order findings held in memory

private:
    struct Stream;
    std::vector<std::unique_ptr<Stream>> streams_;
};

} // namespace jobcoach::demo
