// SPDX-License-Identifier: Apache-2.0
// Role visit-frequency: the package's visits per window on average over the last completed windows
// (visit_frequency, visit_frequency_windows); a package with contact_frequency (pakket-0) needs a contact or a
// visit in every window. Windows run from the package's start. The shipped packs' rule of this role:
// wsp-rijnmond.visit-frequency.
#include "../roles.hpp"
#include "../texts.hpp"

#include <algorithm>

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
    // The windows of a row [count, months, days] that have ended before as_of, inside the trajectory.
    auto completed = [&](const std::vector<double> &row) {
        const Interval step{static_cast<int32_t>(row.at(1)), static_cast<int32_t>(row.at(2))};
        std::vector<Span> windows;
        for (int32_t i = 0, first = anchor.days;; ++i) { // a window starts where the one before ends
            const Date next = step.step(anchor, i + 1);
            const Span w{Date{first}, add_days(next, -1)};
            if (w.last >= as_of || w.last > t.close)
                break;
            windows.push_back(w);
            first = next.days;
        }
        return std::pair{windows, step};
    };
    auto count = [&](Span w, bool (*pred)(const Event &)) -> int64_t {
        const auto in_w = dated_in(entries, w);
        return std::count_if(in_w.begin(), in_w.end(), [&](const Event *e) { return pred(*e); });
    };
    if (params.has_row("visit_frequency", package, anchor)) {
        const auto &row = params.row("visit_frequency", package, anchor);
        auto [windows, step] = completed(row);
        const auto n = static_cast<size_t>(params.integer("visit_frequency_windows", anchor));
        if (windows.size() > n)
            windows.erase(windows.begin(), windows.end() - static_cast<std::ptrdiff_t>(n));
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
