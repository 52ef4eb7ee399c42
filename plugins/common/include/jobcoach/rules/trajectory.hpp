// SPDX-License-Identifier: Apache-2.0
// Trajectories (docs/rules.md C-2).
#pragma once

#include "jobcoach/rules/contracts.hpp"
#include "jobcoach/rules/event.hpp"

#include <boost/container/small_vector.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace jobcoach::rules {

enum class CloseReason { max_duration, coaching_ended, contract_end };

// The maximum duration of a scheme without one (100 years): its trajectories run until coaching.ended or the
// end of the employment. Also how a plugin tracks another plugin's trajectories.
inline constexpr int32_t open_ended_months = 1200;

struct Trajectory {
    std::string scheme;
    int number = 1;                        // 1, 2, … per employee and scheme
    Date start;                            // S: the date of the opening coaching.granted
    // A few held in place (a trajectory is built for every employee evaluated): no allocation for most.
    using Events = boost::container::small_vector<const Event *, 4>;
    Events grants;     // the opening grant first, then later decisions
    Events extensions; // coaching.extended inside it
    std::optional<Date> ended;             // coaching.ended
    int32_t base_months = 0;               // maximum duration before extensions
    int32_t extension_months = 0;          // the months of the extensions that count (at most extension_cap)
    int32_t extension_cap = -1;            // the most extensions may add in all, or -1 for no limit
    // Extensions whose months go beyond extension_cap, with the months that do not count.
    std::vector<std::pair<const Event *, int32_t>> extension_excess;
    Date max_end;                          // add_months(S, base + extensions) - 1
    std::optional<Date> contract_end;      // end of the employment in force at S
    Date close;                            // the earliest of max_end, ended, contract_end
    CloseReason reason = CloseReason::max_duration;

    bool contains(Date d) const { return start <= d && d <= close; }
    bool open_ended() const { return base_months >= open_ended_months; }
    // Trajectory year k (1-based) that contains d (C-2); d must be on or after start.
    int year_of(Date d) const;
    Span year_span(int k) const;
};

// A list held in place as a span (boost's small_vector is contiguous, but its iterators do not tell std::span
// so): a trajectory's events, a duty's instances.
template <class T, std::size_t N> std::span<const T> as_span(const boost::container::small_vector<T, N> &v)
{
    return {v.data(), v.size()};
}

// Builds the trajectories of `scheme` from `events` (sorted by date, then arrival). `max_months` gives the
// maximum duration from the opening grant, before extensions; `extension_cap`, when given, the most months all
// extensions together may add (-1: no limit), beyond which an extension's months do not move the maximum end.
std::vector<Trajectory> build_trajectories(std::span<const Event *const> events, std::string_view scheme,
                                           const ContractTimeline &contracts,
                                           const std::function<int32_t(const Event &opening_grant)> &max_months,
                                           const std::function<int32_t(const Event &opening_grant)> &extension_cap = {});

// The trajectories of every scheme named in a coaching.granted that is not in `own` but is in `served` (a scheme
// some plugin runs): a plugin sees them only roughly (open until coaching.ended or the employment ends), enough
// to leave their hours to their plugin. A scheme nobody serves gets no trajectory, so its hours are reported
// as coaching.unassigned instead of disappearing.
std::vector<Trajectory> build_foreign_trajectories(std::span<const Event *const> events,
                                                   const std::vector<std::string> &own,
                                                   const std::set<std::string, std::less<>> &served,
                                                   const ContractTimeline &contracts);

} // namespace jobcoach::rules
