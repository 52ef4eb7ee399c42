// SPDX-License-Identifier: Apache-2.0
// jobcoach-validate: tells a plugin vendor whether a plugin is sound. Each conformance check runs in a child
// process of its own (the validator re-executes itself with --run-check), so a plugin that crashes, hangs or
// leaves a thread running fails that check and the validator goes on.
//
//   jobcoach-validate [--json FILE] [--check NAME]... [--timeout SECONDS] PLUGIN...
//
// PLUGIN is a manifest (*.plugin.json), a plugin library (its manifest beside it) or a directory of plugins.
// Exit codes: 0 every check passed; 1 a check failed; 2 the command line or a path was wrong.
#include "checks.hpp"
#include "driver.hpp"

#include <jobcoach/host/inspect.hpp>
#include <jobcoach/host/json.hpp>

#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>

extern char **environ;

namespace fs = std::filesystem;
using namespace jobcoach;
using namespace jobcoach::validate;

namespace {

constexpr int exit_pass = 0, exit_fail = 1, exit_usage = 2;

struct Outcome {
    std::string check;
    std::string result; // "pass", "fail", "skip"
    std::string detail;
    long milliseconds = 0;
};

struct PluginReport {
    fs::path manifest;
    std::string id;
    std::vector<Outcome> outcomes;
    bool passed() const
    {
        return std::none_of(outcomes.begin(), outcomes.end(), [](const Outcome &o) { return o.result != "pass"; });
    }
};

std::string trimmed(std::string s)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    if (s.size() > 2000)
        s = "…" + s.substr(s.size() - 2000);
    return s;
}

// Runs one check in a child process: this executable with --run-check. Its stdout and stderr are the detail.
Outcome run_in_child(const std::string &check, const fs::path &manifest, int timeout_seconds)
{
    const auto started = std::chrono::steady_clock::now();
    Outcome out{check, "fail", "", 0};
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        out.detail = std::string("cannot create a pipe: ") + std::strerror(errno);
        return out;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
    const std::string self = fs::read_symlink("/proc/self/exe").string();
    std::vector<std::string> args = {self, "--run-check", check, manifest.string()};
    std::vector<char *> argv;
    for (auto &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = ::posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (spawned != 0) {
        ::close(pipe_fds[0]);
        out.detail = std::string("cannot start the check's process: ") + std::strerror(spawned);
        return out;
    }
    std::string output;
    bool timed_out = false;
    const auto deadline = started + std::chrono::seconds(timeout_seconds);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd p{pipe_fds[0], POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            continue;
        char buffer[4096];
        const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
        if (n <= 0)
            break; // EOF: the child closed its output (it is ending)
        output.append(buffer, static_cast<size_t>(n));
    }
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    out.milliseconds = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    out.detail = trimmed(output);
    if (timed_out) {
        out.detail = "timed out after " + std::to_string(timeout_seconds) + " s" + (out.detail.empty() ? "" : ": " + out.detail);
    } else if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        out.detail = std::string("the plugin crashed the check's process with signal ") + std::to_string(sig) + " (" +
                     ::strsignal(sig) + ")" + (out.detail.empty() ? "" : ": " + out.detail);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == exit_pass) {
        out.result = "pass";
    } else if (!(WIFEXITED(status) && WEXITSTATUS(status) == exit_fail)) {
        out.detail = "the check's process ended with exit code " + std::to_string(WEXITSTATUS(status)) +
                     (out.detail.empty() ? "" : ": " + out.detail);
    }
    return out;
}

// The child's side: runs the check, prints what it found, exits 0 (pass) or 1 (fail).
int child(const std::string &check, const fs::path &manifest)
{
    try {
        std::cout << run_check(check, manifest) << std::endl;
        return exit_pass;
    } catch (const CheckFailed &e) {
        std::cout << e.what() << std::endl;
    } catch (const std::exception &e) {
        std::cout << "the check stopped: " << e.what() << std::endl;
    }
    return exit_fail;
}

PluginReport validate_plugin(const fs::path &manifest, const std::set<std::string> &only, int timeout_seconds)
{
    PluginReport report{manifest, "", {}};
    try {
        report.id = host::read_manifest(manifest).id;
    } catch (const std::exception &) {
    }
    std::string blocked; // a check that does not load the plugin failed: loading it is pointless
    for (const auto &check : checks()) {
        if (!only.empty() && only.count(check.name) == 0)
            continue;
        if (!blocked.empty()) {
            report.outcomes.push_back({check.name, "skip", "not run: the " + blocked + " check failed", 0});
            continue;
        }
        report.outcomes.push_back(run_in_child(check.name, manifest, timeout_seconds));
        if (report.outcomes.back().result == "fail" && !check.loads)
            blocked = check.name;
    }
    return report;
}

// Manifests named by the command line; throws CLI::ValidationError for a path that leads to none.
std::vector<fs::path> manifests_of(const std::vector<std::string> &paths)
{
    std::vector<fs::path> out;
    for (const auto &p : paths) {
        const fs::path path(p);
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            const auto found = host::find_manifests(path); // where the runtime looks
            if (found.empty())
                throw CLI::ValidationError("PLUGIN", p + ": no *.plugin.json in this directory or one level below");
            out.insert(out.end(), found.begin(), found.end());
        } else if (path.string().ends_with(".plugin.json")) {
            if (!fs::exists(path, ec))
                throw CLI::ValidationError("PLUGIN", p + ": no such file");
            out.push_back(path);
        } else {
            fs::path manifest = path;
            manifest.replace_extension(".plugin.json");
            if (!fs::exists(manifest, ec))
                throw CLI::ValidationError("PLUGIN", p + ": no manifest " + manifest.filename().string() + " beside it");
            out.push_back(manifest);
        }
    }
    return out;
}

std::string version_line()
{
    return std::string("jobcoach-validate ") + JOBCOACH_VERSION + " (host ABI " + std::to_string(JC_ABI_VERSION_MAJOR) + "." +
           std::to_string(JC_ABI_VERSION_MINOR) + ", event schema " + std::to_string(JC_EVENT_SCHEMA_VERSION) + ")";
}

void write_human(std::ostream &out, const std::vector<PluginReport> &reports)
{
    out << version_line() << "\n";
    size_t name_width = 0;
    for (const auto &c : checks())
        name_width = std::max(name_width, std::strlen(c.name));
    int plugins_passed = 0;
    for (const auto &r : reports) {
        out << "\n" << (r.id.empty() ? "(unreadable manifest)" : r.id) << "  " << r.manifest.string() << "\n";
        int passed = 0, failed = 0, skipped = 0;
        for (const auto &o : r.outcomes) {
            (o.result == "pass" ? passed : o.result == "fail" ? failed : skipped)++;
            std::string detail = o.detail;
            for (size_t pos = 0; (pos = detail.find('\n', pos)) != std::string::npos; pos += 1 + name_width + 10)
                detail.replace(pos, 1, "\n" + std::string(name_width + 10, ' '));
            out << "  " << (o.result == "pass" ? "PASS" : o.result == "fail" ? "FAIL" : "SKIP") << "  " << o.check
                << std::string(name_width - o.check.size() + 2, ' ') << detail << "\n";
        }
        out << "  " << passed << " passed, " << failed << " failed, " << skipped << " skipped: "
            << (r.passed() ? "PASS" : "FAIL") << "\n";
        plugins_passed += r.passed() ? 1 : 0;
    }
    out << "\n" << reports.size() << " plugin(s): " << plugins_passed << " passed, " << reports.size() - plugins_passed
        << " failed\n";
}

void write_json(std::ostream &out, const std::vector<PluginReport> &reports)
{
    using host::json_escape;
    int plugins_passed = 0;
    out << "{\"validator\":\"jobcoach-validate\",\"version\":\"" << JOBCOACH_VERSION << "\",\"host_abi\":\""
        << JC_ABI_VERSION_MAJOR << "." << JC_ABI_VERSION_MINOR << "\",\"event_schema\":" << JC_EVENT_SCHEMA_VERSION
        << ",\"plugins\":[";
    for (size_t i = 0; i < reports.size(); ++i) {
        const auto &r = reports[i];
        plugins_passed += r.passed() ? 1 : 0;
        out << (i > 0 ? "," : "") << "{\"manifest\":\"" << json_escape(r.manifest.string()) << "\",\"id\":\""
            << json_escape(r.id) << "\",\"result\":\"" << (r.passed() ? "pass" : "fail") << "\",\"checks\":[";
        for (size_t k = 0; k < r.outcomes.size(); ++k) {
            const auto &o = r.outcomes[k];
            out << (k > 0 ? "," : "") << "{\"name\":\"" << o.check << "\",\"result\":\"" << o.result << "\",\"detail\":\""
                << json_escape(o.detail) << "\",\"milliseconds\":" << o.milliseconds << "}";
        }
        out << "]}";
    }
    out << "],\"passed\":" << plugins_passed << ",\"failed\":" << reports.size() - plugins_passed << "}\n";
}

} // namespace

int main(int argc, char **argv)
{
    // The child side, before any option parsing: --run-check CHECK MANIFEST.
    if (argc == 4 && std::strcmp(argv[1], "--run-check") == 0)
        return child(argv[2], argv[3]);

    CLI::App app{"Runs the conformance checks of the jobcoach plugin ABI on plugin files, each check in a child process "
                 "of its own.\nExit codes: 0 every check passed, 1 a check failed, 2 a wrong command line or path.",
                 "jobcoach-validate"};
    app.footer("Examples:\n  jobcoach-validate build/lib/jobcoach/plugins\n"
               "  jobcoach-validate --json report.json path/to/my-plugin.so\n"
               "  jobcoach-validate --check exports --check event-sizes path/to/my-plugin.plugin.json");
    std::vector<std::string> paths;
    std::string json_path;
    std::vector<std::string> only;
    int timeout_seconds = 60;
    bool list = false;
    app.add_option("PLUGIN", paths, "a manifest (*.plugin.json), a plugin library with its manifest beside it, or a directory");
    app.add_option("--json", json_path, "also write the report as JSON to this file (\"-\": standard output; the "
                                        "readable report then goes to standard error)");
    app.add_option("--check", only, "run only this check (repeatable; see --list-checks)")->allow_extra_args(false);
    app.add_option("--timeout", timeout_seconds, "seconds each check may take")->check(CLI::Range(1, 3600));
    app.add_flag("--list-checks", list, "list the checks and what each proves");
    app.set_version_flag("--version", version_line());
    try {
        app.parse(argc, argv);
        if (list) {
            for (const auto &c : checks())
                std::cout << c.name << ": " << c.what << "\n";
            return exit_pass;
        }
        if (paths.empty())
            throw CLI::RequiredError("PLUGIN");
        std::set<std::string> known;
        for (const auto &c : checks())
            known.insert(c.name);
        for (const auto &c : only)
            if (known.count(c) == 0)
                throw CLI::ValidationError("--check", "no check is called " + c + " (see --list-checks)");
        const auto manifests = manifests_of(paths);

        std::vector<PluginReport> reports;
        const std::set<std::string> selected(only.begin(), only.end());
        for (const auto &m : manifests)
            reports.push_back(validate_plugin(m, selected, timeout_seconds));

        write_human(json_path == "-" ? std::cerr : std::cout, reports);
        if (json_path == "-") {
            write_json(std::cout, reports);
        } else if (!json_path.empty()) {
            std::ofstream file(json_path);
            write_json(file, reports);
            if (!file) {
                std::cerr << "jobcoach-validate: cannot write " << json_path << "\n";
                return exit_usage;
            }
        }
        const bool all_passed = std::all_of(reports.begin(), reports.end(), [](const auto &r) { return r.passed(); });
        return all_passed ? exit_pass : exit_fail;
    } catch (const CLI::ParseError &e) {
        const int code = app.exit(e);
        return code == 0 ? exit_pass : exit_usage;
    }
}
