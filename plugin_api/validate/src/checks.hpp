// SPDX-License-Identifier: Apache-2.0
// The conformance checks of jobcoach-validate. Each runs in its own child process (see main.cpp), so that a
// plugin that crashes, hangs or leaves a thread behind fails that check and nothing else.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace jobcoach::validate {

struct Check {
    const char *name;
    const char *what; // one line: what the check proves
    bool loads;       // drives the plugin; skipped when a check that does not load it failed
    // Runs the check on the plugin of a manifest in this process: returns what was measured when the plugin
    // passes, throws CheckFailed (driver.hpp) saying what it did wrong.
    std::string (*run)(const std::filesystem::path &manifest);
};

// Every check, in the order they run.
const std::vector<Check> &checks();

// Runs the check `name` (Check::run); throws CheckFailed for an unknown name.
std::string run_check(const std::string &name, const std::filesystem::path &manifest);

} // namespace jobcoach::validate
