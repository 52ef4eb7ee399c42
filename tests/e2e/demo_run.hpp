// SPDX-License-Identifier: Apache-2.0
// Runs jobcoach-demo (or another program of the build) as a user does and captures its exit code, stdout and
// stderr.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct DemoRun {
    int exit_code;
    std::string out;
    std::string err;
};

inline DemoRun run_program(const std::string &program, const std::string &args)
{
    const std::filesystem::path err_file = std::filesystem::temp_directory_path() / ("jc-demo-stderr-" + std::to_string(::getpid()));
    const std::string cmd = program + " " + args + " 2>" + err_file.string();
    FILE *pipe = ::popen(cmd.c_str(), "r");
    std::string out;
    char buffer[4096];
    while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
        out.append(buffer, n);
    const int status = ::pclose(pipe);
    std::ifstream in(err_file);
    std::stringstream err;
    err << in.rdbuf();
    std::filesystem::remove(err_file);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, err.str()};
}

inline DemoRun demo(const std::string &args) { return run_program(JC_TEST_DEMO, args); }

} // namespace
