// SPDX-License-Identifier: Apache-2.0
// A progress bar on standard error, drawn only when standard error is a terminal (never in a pipe or a log).
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

#include <unistd.h>

namespace jobcoach::demo {

class Progress {
public:
    explicit Progress(bool wanted = true) : enabled_(wanted && isatty(STDERR_FILENO) == 1) {}
    ~Progress() { finish(); }
    Progress(const Progress &) = delete;
    Progress &operator=(const Progress &) = delete;

    bool enabled() const { return enabled_; }

    // Redraws when the step or the whole percentage changed (so a million calls cost a hundred redraws).
    void update(std::string_view step, size_t done, size_t total)
    {
        if (!enabled_)
            return;
        const int percent = total == 0 ? 100 : static_cast<int>(done * 100 / total);
        if (percent == percent_ && step == step_)
            return;
        percent_ = percent;
        step_ = step;
        constexpr int width = 30;
        const int filled = percent * width / 100;
        std::fprintf(stderr, "\r\033[K%.*s [%.*s%.*s] %3d%%", static_cast<int>(step.size()), step.data(), filled,
                     "##############################", width - filled, "                              ", percent);
        std::fflush(stderr);
        drawn_ = true;
    }

    // Clears the bar, so that what follows starts on a clean line.
    void finish()
    {
        if (drawn_) {
            std::fputs("\r\033[K", stderr);
            std::fflush(stderr);
            drawn_ = false;
        }
        percent_ = -1;
    }

private:
    bool enabled_;
    bool drawn_ = false;
    int percent_ = -1;
    std::string step_;
};

} // namespace jobcoach::demo
