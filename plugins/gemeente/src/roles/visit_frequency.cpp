// SPDX-License-Identifier: Apache-2.0
// Role visit-frequency: the package's visits per window on average over the last completed windows
// (visit_frequency, visit_frequency_windows); a package with contact_frequency (pakket-0) needs a contact or a
// visit in every window. Windows run from the package's start. The shipped packs' rule of this role:
// wsp-rijnmond.visit-frequency.
#include "../roles.hpp"
#include "../texts.hpp"

#include <algorithm>
#include <cstdint>

namespace jobcoach::gemeente {

using namespace jobcoach::rules;

void VisitFrequency::evaluate(const TrajectoryContext &ctx, const Emitter &emit) const
{
    const Trajectory &t = ctx.t;
    const Params &params = ctx.params;
    const Date as_of = ctx.as_of;
    const auto entries = ctx.counted();
    const std::string package = level_in_force(t, std::min(as_of, t.close), params, "", t.start);
    const Date anchor = package_anchor(t, std::min(as_of, t.close));
    // The windows of a row [count, months, days] that have ended before as_of, inside the trajectory: window i
    // runs from step i to the day before step i + 1 (a window starts where the one before ends). Only the last
    // `last` of them (all by default).
    auto completed = [&](const std::vector<double> &row, size_t last = SIZE_MAX) {
        const Interval step{static_cast<int32_t>(row.at(1)), static_cast<int32_t>(row.at(2))};
        std::vector<Span> windows;
        // Window i has ended when step i + 1 <= limit (its last day before as_of, and not after the close).
        const Date limit = std::min(as_of, add_days(t.close, 1));
        if (step.months < 0 || step.days < 0 || (step.months == 0 && step.days == 0))
            return std::pair{windows, step}; // (a pack with such a row is refused when loaded: its span limit)
        // How many have ended: the steps grow with i, so the count is found by doubling, then halving (a weekly
        // window over three years is some 150 steps, each a date computed from the anchor: C-1).
        int32_t ended = 0; // step `ended` <= limit, or ended is 0
        int32_t beyond = 1;
        while (step.step(anchor, beyond) <= limit) {
            ended = beyond;
            beyond *= 2;
        }
        while (beyond - ended > 1) {
            const int32_t mid = ended + (beyond - ended) / 2;
            (step.step(anchor, mid) <= limit ? ended : beyond) = mid;
        }
        const int32_t from = static_cast<size_t>(ended) > last ? ended - static_cast<int32_t>(last) : 0;
        windows.reserve(static_cast<size_t>(ended - from));
        Date first = step.step(anchor, from);
        for (int32_t i = from; i < ended; ++i) {
            const Date next = step.step(anchor, i + 1);
            windows.push_back({first, add_days(next, -1)});
            first = next;
        }
        return std::pair{windows, step};
    };
    auto count = [&](Span w, bool (*pred)(const Event &)) -> int64_t {
        const auto in_w = dated_in(entries, w);
        return std::count_if(in_w.begin(), in_w.end(), [&](const Event *e) { return pred(*e); });
    };
    if (params.has_row("visit_frequency", package, anchor)) {
        const auto &row = params.row("visit_frequency", package, anchor);
        const auto n = static_cast<size_t>(params.integer("visit_frequency_windows", anchor));
        auto [windows, step] = completed(row, n);
        if (!windows.empty()) {
            std::vector<int64_t> visits;
            int64_t total = 0;
            for (const Span &w : windows)
                total += visits.emplace_back(count(w, &is_visit));
            const auto required = static_cast<int64_t>(row.at(0));
            if (total < required * static_cast<int64_t>(windows.size())) {
                Finding &f = emit.add(rule(), "visits.below_package", Severity::warning);
                f.due = windows.back().last;
                f.subject = "visits " + windows.front().first.iso() + ".." + windows.back().last.iso();
                texts::visits_below_package(f, {package, anchor, required, step, windows, visits, total}, params);
            }
        }
    }
    if (params.has_row("contact_frequency", package, anchor)) {
        const auto &row = params.row("contact_frequency", package, anchor);
        const auto [windows, step] = completed(row);
        const auto required = static_cast<int64_t>(row.at(0));
        for (size_t i = 0; i < windows.size(); ++i) {
            const int64_t seen = count(windows[i], &is_contact);
            if (seen >= required)
                continue;
            Finding &f = emit.add(rule(), "contact.missed", Severity::warning);
            f.due = windows[i].last;
            f.subject = "contact-window#" + std::to_string(i + 1);
            texts::contact_missed(f, {package, anchor, required, step, i + 1, windows[i], seen}, params);
        }
    }
}

} // namespace jobcoach::gemeente
