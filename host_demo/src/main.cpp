// SPDX-License-Identifier: Apache-2.0
// jobcoach-demo: a real host for host developers. Replays event files through the plugins and prints findings.
#include "finding_merge.hpp"
#include "generate.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "report.hpp"

#include <jobcoach/dates.hpp>
#include <jobcoach/host/event_file.hpp>
#include <jobcoach/host/runtime.hpp>

#include <CLI/CLI.hpp>
#include <sqlite3.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>
#include <tuple>
#include <unordered_set>

namespace fs = std::filesystem;
using namespace jobcoach;

namespace {

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_bad_input = 2;

// The plugin directories: --plugins if given; else beside the executable (build tree and installed package
// share the layout bin/ + lib/jobcoach/plugins/), then JOBCOACH_PLUGIN_PATH (colon-separated).
std::vector<fs::path> plugin_dirs(const std::string &option)
{
    if (!option.empty())
        return {fs::path(option)};
    std::vector<fs::path> dirs;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec)
        dirs.push_back(exe.parent_path().parent_path() / JOBCOACH_PLUGIN_SUBDIR);
    if (const char *env = std::getenv("JOBCOACH_PLUGIN_PATH")) {
        std::string list = env;
        for (size_t pos = 0; pos <= list.size();) {
            const size_t colon = std::min(list.find(':', pos), list.size());
            if (colon > pos)
                dirs.emplace_back(list.substr(pos, colon - pos));
            pos = colon + 1;
        }
    }
    return dirs;
}

// A command-line value that cannot be used (exit code 2).
struct BadInput : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void load_plugins(host::Runtime &runtime, const std::string &option, const std::string &allowlist)
{
    if (!allowlist.empty()) {
        try {
            runtime.require_sha256(host::read_sha256_allowlist(allowlist));
        } catch (const std::runtime_error &e) {
            throw BadInput(std::string("--allowlist: ") + e.what());
        }
    }
    for (const auto &dir : plugin_dirs(option))
        runtime.load_directory(dir);
}

std::string state_path_for(const std::string &state, const std::string &plugin_id)
{
    return state.empty() ? std::string() : state + "." + plugin_id;
}

struct Options {
    std::string events, as_of, plugins, state, rule_packs, format = "jsonl", employee, allowlist, lang = "en", output;
    bool explain = false;
    bool progress = true;  // a progress bar on standard error when it is a terminal
    char separator = ','; // csv: ',' or ';'
    size_t batch_size = 0; // 0: the whole file in one batch
};

// The plugins' instances, fed with the events of --events dated on or before --as-of.
struct Session {
    host::Runtime runtime;
    std::vector<std::unique_ptr<host::Instance>> instances;
    bool wants_employees = false;       // set before open_session to have `employees` filled
    // Set false before open_session when nothing prints the findings' explanations: the plugins then do not make
    // them (host::Instance::set_explanations: 13-17 % of the instructions of evaluating everyone).
    bool explanations = true;
    std::vector<std::string> employees; // the keys of the events fed, sorted
    // Set before open_session to have each plugin evaluate everyone as of the date right after its import, on
    // the same thread, into its stream of this merge (one per plugin loaded, in plugin order), while another may
    // still import: a plugin whose import failed leaves its stream empty.
    demo::FindingMerge *evaluate_into = nullptr;
    jc_date as_of = JC_DATE_NONE;
    int exit_code = exit_ok;
    demo::Progress progress;

    explicit Session(bool show_progress) : progress(show_progress) {}

    // Calls fn on each instance; a plugin that fails is reported, and the exit code says it.
    template <class Fn> void for_each(Fn &&fn)
    {
        for (auto &instance : instances) {
            try {
                fn(*instance);
            } catch (const host::HostError &e) {
                std::cerr << "jobcoach-demo: " << e.what() << "\n";
                exit_code = exit_failure;
            }
        }
    }
};

// Reads and checks the whole file before anything is applied: a file with a bad line applies nothing. Prints each
// problem as FILE:LINE: field 'NAME': what; false (exit 2) when there is any.
bool read_event_file(const Options &o, Session &s, host::EventFile &file)
{
    const std::string reading = "reading " + fs::path(o.events).filename().string();
    file = host::read_events(o.events, 100, [&](size_t done, size_t total) { s.progress.update(reading, done, total); });
    s.progress.finish();
    if (file.errors.empty())
        return true;
    for (const auto &e : file.errors) {
        std::cerr << o.events;
        if (e.line > 0)
            std::cerr << ":" << e.line;
        std::cerr << ": " << (e.field.empty() ? "" : "field '" + e.field + "': ") << e.message << "\n";
    }
    std::cerr << "jobcoach-demo: " << file.errors.size() << " problem(s) in " << o.events << "; nothing was applied\n";
    s.exit_code = exit_bad_input;
    return false;
}

// Loads the plugins of --plugins (or beside the executable); false (exit 1) when none could be loaded, with each
// refusal.
bool load_session_plugins(const Options &o, Session &s)
{
    load_plugins(s.runtime, o.plugins, o.allowlist);
    // The plugins evaluate at once, a thread each (at_once), and each may spread its evaluation of everyone over
    // threads of its own: the runtime's jc.threads/1 shares the machine's threads among them, and gives those of
    // a plugin that finished first to the others (plugin.h, evaluate).
    if (!s.runtime.plugins().empty())
        return true;
    std::cerr << "jobcoach-demo: no plugin could be loaded";
    if (s.runtime.refusals().empty())
        std::cerr << ": none found (--plugins DIR, or JOBCOACH_PLUGIN_PATH)";
    std::cerr << "\n";
    for (const auto &r : s.runtime.refusals())
        std::cerr << "  refused " << r.path.string() << ": " << r.check << " check: " << r.reason << "\n";
    s.exit_code = exit_failure;
    return false;
}

// Runs job(0), job(1), ... job(count - 1), each on a thread of its own, as many at a time as the machine has
// cores (different instances may be driven from different threads at once, plugin.h). With a progress bar,
// this thread calls `draw` every 50 ms until all are done (and once after); else it takes jobs itself. `job`
// must not throw.
void at_once(Session &s, size_t count, const std::function<void(size_t)> &job, const std::function<void()> &draw)
{
    // Each thread that takes jobs is counted in the runtime's count of evaluating threads (jc.threads/1) before
    // any starts, so that a plugin that begins first takes no thread another job needs; one that has no job left
    // leaves its core to the plugins still evaluating.
    host::EvaluationThreads &counted = s.runtime.evaluation_threads();
    std::atomic<size_t> next{0}, finished{0};
    auto work = [&] {
        const host::EvaluationThreads::Seat seat(counted, true);
        for (size_t k; (k = next++) < count; ++finished)
            job(k);
    };
    const size_t threads = std::min<size_t>(count, std::max(1u, std::thread::hardware_concurrency()));
    counted.reserve(static_cast<unsigned>(threads)); // as many take jobs, this one included when it draws none
    std::vector<std::thread> workers;
    for (size_t t = 1; t < threads; ++t)
        workers.emplace_back(work);
    if (s.progress.enabled() && !workers.empty()) {
        workers.emplace_back(work); // this thread draws the bar
        while (finished < count) {
            draw();
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    } else {
        draw();
        work();
    }
    for (auto &w : workers)
        w.join();
    draw(); // the bar full
    s.progress.finish();
}

// Creates one instance per plugin and hands it `batch`, --batch-size events per call (one transaction each in the
// plugin). The plugins import at once, a thread each. A plugin that cannot be created or refuses the events is
// reported (in plugin order) and left out; the exit code says it.
void feed_plugins(const Options &o, Session &s, std::span<const host::Event *const> batch)
{
    struct Import {
        std::unique_ptr<host::Instance> instance;
        const host::PluginInfo *info = nullptr;
        host::BatchOutcome outcome;
        uint32_t accepted = 0, duplicates = 0, skipped = 0;
        size_t first = 0;                // the batch being handed, or handed last
        std::atomic<size_t> done{0};     // events handed so far (the progress bar's)
        std::atomic<bool> evaluated{false};
        std::exception_ptr failed;       // the runtime's own failure (out of memory)
        std::exception_ptr evaluation_failed;
    };
    std::vector<std::unique_ptr<Import>> imports;
    for (const auto &plugin : s.runtime.plugins()) {
        auto import = std::make_unique<Import>();
        import->info = &host::Runtime::info(*plugin);
        try {
            import->instance = s.runtime.create_instance(plugin, {state_path_for(o.state, import->info->id), o.rule_packs});
            if (!s.explanations)
                import->instance->set_explanations(false);
        } catch (const host::HostError &e) {
            std::cerr << "jobcoach-demo: " << e.what() << "\n";
            // A broken pack of the user's own --rule-packs is bad input; one of the plugin's own is a failure.
            s.exit_code = std::max(s.exit_code, e.status() == JC_E_RULE_PACK && !o.rule_packs.empty() ? exit_bad_input
                                                                                                   : exit_failure);
            continue;
        }
        imports.push_back(std::move(import));
    }
    const host::AbiEvents abi(batch);
    const auto headers = abi.headers();
    const size_t step = o.batch_size == 0 ? std::max<size_t>(headers.size(), 1) : o.batch_size;
    // A run that is killed keeps the batches committed before; the next run sends them again and the plugin
    // ignores the ids it has.
    auto import_into = [&](size_t k) {
        Import &im = *imports[k];
        try {
            for (; im.first < headers.size(); im.first += step) {
                im.outcome = im.instance->handle_events(headers.subspan(im.first, std::min(step, headers.size() - im.first)));
                if (im.outcome.status != JC_OK)
                    break;
                im.done = std::min(im.first + step, headers.size());
                im.accepted += im.outcome.result.accepted;
                im.duplicates += im.outcome.result.duplicates;
                im.skipped += im.outcome.result.skipped;
            }
        } catch (...) {
            im.failed = std::current_exception();
        }
        if (s.evaluate_into == nullptr)
            return;
        if (im.failed || im.outcome.status != JC_OK) {
            s.evaluate_into->discard(k);
        } else {
            try {
                im.instance->evaluate_each(s.as_of, [&](host::Finding &&f) { s.evaluate_into->add(k, f); });
            } catch (...) {
                s.evaluate_into->discard(k); // as all_findings: nothing of a plugin that failed
                im.evaluation_failed = std::current_exception();
            }
        }
        im.evaluated = true;
    };
    const std::string importing = imports.size() == 1 ? "importing into " + imports.front()->info->id
                                                       : "importing into " + std::to_string(imports.size()) + " plugins";
    if (s.evaluate_into != nullptr)
        s.evaluate_into->open_streams(imports.size());
    bool imported = false; // drawn full
    at_once(s, imports.size(), import_into, [&] {
        size_t done = 0, evaluated = 0;
        for (const auto &im : imports) {
            done += im->done;
            evaluated += im->evaluated ? 1 : 0;
        }
        if (!imported)
            s.progress.update(importing, done, headers.size() * imports.size());
        imported = done == headers.size() * imports.size();
        if (imported && s.evaluate_into != nullptr)
            s.progress.update("evaluating", evaluated, imports.size());
    });
    for (auto &import : imports) {
        Import &im = *import;
        if (im.failed)
            std::rethrow_exception(im.failed);
        if (im.outcome.status != JC_OK) {
            std::cerr << o.events;
            if (const size_t at = im.first + im.outcome.result.failed_index;
                im.outcome.result.failed_index != UINT32_MAX && at < batch.size())
                std::cerr << ":" << batch[at]->line; // the event's line
            std::cerr << ": plugin " << im.info->id << " refused the events: " << im.outcome.message << "; nothing "
                      << (step >= headers.size() ? "was applied" : "of that batch was applied") << "\n";
            s.exit_code = std::max(s.exit_code, im.outcome.status == JC_E_INVALID_EVENT ? exit_bad_input : exit_failure);
            continue;
        }
        spdlog::info("{}: {} stored, {} already known, {} skipped", im.info->id, im.accepted, im.duplicates, im.skipped);
        if (im.evaluation_failed) {
            try {
                std::rethrow_exception(im.evaluation_failed);
            } catch (const host::HostError &e) {
                std::cerr << "jobcoach-demo: " << e.what() << "\n";
                s.exit_code = exit_failure;
            }
        }
        s.instances.push_back(std::move(im.instance));
    }
}

// Reads the event file, loads the plugins, creates one instance each and feeds every event dated on or before
// --as-of. False when nothing can go on; `s.exit_code` then says why (a plugin that failed alone is left out).
bool open_session(const Options &o, Session &s)
{
    const auto as_of = dates::parse(o.as_of);
    if (!as_of) {
        std::cerr << "jobcoach-demo: --as-of \"" << o.as_of << "\" is not a date YYYY-MM-DD between 1900 and 2199\n";
        s.exit_code = exit_bad_input;
        return false;
    }
    s.as_of = *as_of;
    host::EventFile file;
    if (!read_event_file(o, s, file))
        return false;
    if (!o.rule_packs.empty() && !fs::is_directory(o.rule_packs)) {
        std::cerr << "jobcoach-demo: --rule-packs " << o.rule_packs << " is not a directory\n";
        s.exit_code = exit_bad_input;
        return false;
    }
    if (!load_session_plugins(o, s))
        return false;
    std::vector<const host::Event *> batch;
    std::unordered_set<std::string_view> seen; // one copy per key, however the file orders its events
    for (const auto &e : file.events)
        if (e.date <= s.as_of) {
            batch.push_back(&e);
            if (s.wants_employees && seen.insert(e.employee).second)
                s.employees.push_back(e.employee);
        }
    std::sort(s.employees.begin(), s.employees.end());
    feed_plugins(o, s, batch);
    return true;
}

// The findings of every instance as of the session's date, settled (docs/formats.md order).
std::vector<host::Finding> all_findings(Session &s)
{
    std::vector<host::Finding> findings;
    size_t done = 0;
    s.for_each([&](host::Instance &instance) {
        s.progress.update("evaluating", done++, s.instances.size());
        auto found = instance.evaluate(s.as_of);
        std::move(found.begin(), found.end(), std::back_inserter(findings));
    });
    s.progress.finish();
    demo::settle(findings);
    return findings;
}

// The findings of one employee as of the session's date: computed for that employee alone by each plugin that
// offers jc.findings/1 (an older plugin evaluates everyone and the runtime keeps the employee's), settled.
std::vector<host::Finding> employee_findings(Session &s, const std::string &employee)
{
    std::vector<host::Finding> findings;
    s.for_each([&](host::Instance &instance) {
        auto found = instance.evaluate_employees({employee}, s.as_of);
        std::move(found.begin(), found.end(), std::back_inserter(findings));
    });
    demo::settle(findings);
    return findings;
}

// Standard output, or the file of -o, written whole or not at all: the text goes to a temporary file beside the
// target, which replaces the target only in commit(), after everything was written. A refused import, a failed
// plugin or a full disk leaves the previous file as it was. An output path that is one of the run's inputs
// (the event file, a state file) is refused before anything is read.
class Output {
public:
    Output(const std::string &path, const Options &o) : path_(path)
    {
        if (path.empty() || path == "-")
            return;
        std::error_code ec;
        if (fs::is_directory(path, ec))
            throw BadInput("-o " + path + ": is a directory");
        if (!o.events.empty() && fs::equivalent(path, o.events, ec))
            throw BadInput("-o " + path + ": is the event file (--events); it would be overwritten");
        const std::string name = fs::path(path).filename().string();
        if (!o.state.empty()) {
            const std::string state_name = fs::path(o.state).filename().string();
            auto directory_of = [&ec](const std::string &p) { return fs::weakly_canonical(fs::absolute(p).parent_path(), ec); };
            if (directory_of(path) == directory_of(o.state) && // "report.html" and "./tenant" are one directory
                (name == state_name || name.starts_with(state_name + ".")))
                throw BadInput("-o " + path + ": is a state file of --state " + o.state + "; it would be overwritten");
        }
        std::string pattern = (fs::path(path).parent_path() / ("." + name + ".XXXXXX")).string();
        const int fd = ::mkstemp(pattern.data());
        if (fd < 0)
            throw BadInput("-o " + path + ": cannot write in its directory (" + std::strerror(errno) + ")");
        const mode_t mask = ::umask(0);
        ::umask(mask);
        ::fchmod(fd, 0666 & ~mask); // the mode a plain new file would get
        ::close(fd);
        temporary_ = pattern;
        file_.open(temporary_, std::ios::binary | std::ios::trunc);
        if (!file_)
            throw BadInput("-o " + path + ": cannot write " + temporary_);
    }
    ~Output()
    {
        if (!temporary_.empty())
            ::unlink(temporary_.c_str());
    }
    Output(const Output &) = delete;
    Output &operator=(const Output &) = delete;

    std::ostream &stream() { return file_.is_open() ? file_ : std::cout; }

    // The target now holds what was written (or standard output was flushed). Throws when writing failed.
    void commit()
    {
        stream().flush();
        if (!stream())
            throw std::runtime_error("writing " + (temporary_.empty() ? std::string("standard output") : path_) + " failed");
        if (temporary_.empty())
            return;
        file_.close();
        if (file_.fail() || ::rename(temporary_.c_str(), path_.c_str()) != 0)
            throw std::runtime_error("-o " + path_ + ": cannot replace it (" + std::strerror(errno) + ")");
        temporary_.clear();
    }

private:
    std::string path_;
    std::string temporary_;
    std::ofstream file_;
};

demo::Lang language(const Options &o) { return o.lang == "nl" ? demo::Lang::nl : demo::Lang::en; }

// The width a table is laid out for: the terminal's when standard output is one, else $COLUMNS, else 80.
size_t table_width()
{
    winsize w{};
    if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0)
        return w.ws_col;
    if (const char *columns = std::getenv("COLUMNS"); columns != nullptr && std::atoi(columns) > 0)
        return static_cast<size_t>(std::atoi(columns));
    return 80;
}

int evaluate(const Options &o)
{
    Session s(o.progress);
    s.explanations = o.explain;
    if (o.employee.empty() && o.format != "table") {
        // Streamed: memory does not grow with the tenant (FindingMerge holds one finding per plugin and the few
        // out of order). Each plugin evaluates right after its import, on its thread, while another may still
        // import; the findings are then merged in settle()'s order.
        demo::FindingMerge merge;
        s.evaluate_into = &merge;
        if (!open_session(o, s))
            return s.exit_code;
        if (o.format == "csv")
            demo::write_csv_header(std::cout, o.explain, o.separator);
        merge.drain([&](const host::Finding &f) {
            if (o.format == "csv")
                demo::write_csv_row(std::cout, f, o.explain, o.separator, language(o));
            else
                demo::write_jsonl_line(std::cout, f, o.explain);
        });
        return s.exit_code;
    }
    if (!open_session(o, s))
        return s.exit_code;
    const auto findings = o.employee.empty() ? all_findings(s) : employee_findings(s, o.employee);
    if (o.format == "csv")
        demo::write_csv(std::cout, findings, o.explain, o.separator, language(o));
    else if (o.format == "table")
        demo::write_table(std::cout, findings, o.explain, language(o), table_width());
    else
        demo::write_jsonl(std::cout, findings, o.explain);
    return s.exit_code;
}

// docs/formats.md `changes`: imports as evaluate does, then prints only the findings that are new, updated or
// resolved since the previous `changes` run on the same state, each with its change.
int changes(const Options &o)
{
    Session s(o.progress);
    if (!open_session(o, s))
        return s.exit_code;
    std::vector<host::Finding> findings;
    s.for_each([&](host::Instance &instance) {
        auto found = instance.evaluate_changes(nullptr, s.as_of);
        if (!found) {
            std::cerr << "jobcoach-demo: plugin " << instance.info().id
                      << " keeps no record of what it reported (ABI before 1.2): it has no changes to show\n";
            return;
        }
        std::move(found->begin(), found->end(), std::back_inserter(findings));
    });
    demo::settle(findings);
    if (o.format == "table")
        demo::write_table(std::cout, findings, o.explain, language(o), table_width());
    else
        demo::write_jsonl(std::cout, findings, o.explain);
    return s.exit_code;
}

int report(const Options &o)
{
    Output output(o.output, o);
    Session s(o.progress);
    s.wants_employees = true;
    if (!open_session(o, s))
        return s.exit_code;
    auto findings = all_findings(s);
    if (!o.employee.empty()) { // one employee's report
        std::erase_if(findings, [&](const host::Finding &f) { return f.employee != o.employee; });
        s.employees.assign(1, o.employee);
    } else { // the employees of the file, and those of the state that have findings (a state read with no new file)
        for (const auto &f : findings)
            if (!f.employee.empty())
                s.employees.push_back(f.employee);
        std::sort(s.employees.begin(), s.employees.end());
        s.employees.erase(std::unique(s.employees.begin(), s.employees.end()), s.employees.end());
    }
    if (o.format == "csv") {
        demo::write_csv(output.stream(), findings, o.explain, o.separator, language(o));
        if (s.exit_code == exit_ok)
            output.commit();
        return s.exit_code;
    }
    std::vector<host::TrajectoryStatus> statuses;
    for (size_t i = 0; i < s.employees.size(); ++i) {
        s.progress.update("trajectories", i, s.employees.size());
        s.for_each([&](host::Instance &instance) {
            if (auto found = instance.status(s.employees[i], s.as_of))
                std::move(found->begin(), found->end(), std::back_inserter(statuses));
        });
    }
    s.progress.finish();
    const demo::Report r = demo::make_report(s.as_of, std::move(statuses), findings);
    const demo::Lang lang = language(o);
    if (o.format == "ics")
        demo::write_ics(output.stream(), r, lang);
    else
        demo::write_html(output.stream(), r, lang);
    if (s.exit_code == exit_ok) // a report missing a failed plugin's findings does not replace the last good one
        output.commit();
    return s.exit_code;
}

int status(const Options &o)
{
    Session s(o.progress);
    if (!open_session(o, s))
        return s.exit_code;
    std::vector<host::TrajectoryStatus> statuses;
    s.for_each([&](host::Instance &instance) {
        auto found = instance.status(o.employee, s.as_of);
        if (!found) {
            spdlog::info("{} does not offer {}", instance.info().id, JC_EXT_STATUS);
            return;
        }
        std::move(found->begin(), found->end(), std::back_inserter(statuses));
    });
    std::stable_sort(statuses.begin(), statuses.end(), [](const auto &a, const auto &b) {
        return std::tie(a.start, a.scheme, a.number) < std::tie(b.start, b.scheme, b.number);
    });
    if (o.format == "jsonl") {
        demo::write_status_jsonl(std::cout, statuses);
        return s.exit_code;
    }
    if (statuses.empty()) { // say which: an employee without trajectories, or one no plugin knows
        bool known = false, told = false;
        s.for_each([&](host::Instance &instance) {
            if (const auto k = instance.knows(o.employee)) {
                told = true;
                known = known || *k;
            }
        });
        if (told) {
            const bool nl = language(o) == demo::Lang::nl;
            if (known)
                std::cout << o.employee
                          << (nl ? ": geen traject per " : ": no trajectory as of ") << dates::iso(s.as_of)
                          << (nl ? " (de plugins hebben gebeurtenissen van deze werknemer, maar geen coaching.granted "
                                   "opent een traject)\n"
                                 : " (the plugins hold events of this employee, but no coaching.granted opens one)\n");
            else
                std::cout << o.employee
                          << (nl ? ": onbekend: geen plugin heeft gebeurtenissen van deze werknemer\n"
                                 : ": unknown: no plugin holds any event of this employee\n");
            return s.exit_code;
        }
    }
    demo::write_status_text(std::cout, statuses, s.as_of, language(o), table_width());
    return s.exit_code;
}

int generate_file(demo::GenerateOptions o, const std::string &start, const std::string &output)
{
    const auto date = dates::parse(start);
    if (!date)
        throw BadInput("--start \"" + start + "\" is not a date YYYY-MM-DD between 1900 and 2199");
    o.start = *date;
    if (const auto last = demo::last_date(o); !dates::in_range(last))
        throw BadInput("--start " + start + " with --years " + std::to_string(o.years) + " would write dates up to " +
                       std::to_string(dates::year(last)) + ", past 2199-12-31, the last date an event may have: choose an "
                       "earlier --start or fewer --years");
    Output file(output, Options{});
    const demo::GenerateCounts c = demo::generate(o, file.stream());
    file.commit();
    std::cerr << "jobcoach-demo: generated " << c.events << " events (" << c.timesheets << " timesheet entries, "
              << c.trajectories << " trajectories, " << c.bytes << " bytes) for " << o.employees << " employees over "
              << o.years << " years\n";
    return exit_ok;
}

// docs/formats.md `erase`: removes the employee from every plugin's state for good, and says what went.
int erase(const Options &o)
{
    host::Runtime runtime;
    load_plugins(runtime, o.plugins, o.allowlist);
    if (runtime.plugins().empty()) {
        std::cerr << "jobcoach-demo: no plugin could be loaded\n";
        return exit_failure;
    }
    int code = exit_ok;
    bool any_state = false;
    for (const auto &plugin : runtime.plugins()) {
        const auto &info = host::Runtime::info(*plugin);
        const std::string path = state_path_for(o.state, info.id);
        std::error_code ec;
        if (!fs::exists(fs::symlink_status(path, ec))) {
            std::cout << info.id << ": no state at " << path << ", nothing to erase\n";
            continue;
        }
        any_state = true;
        try {
            auto instance = runtime.create_instance(plugin, {path, o.rule_packs});
            const auto erased = instance->erase_employee(o.employee);
            if (!erased) {
                std::cerr << "jobcoach-demo: plugin " << info.id << " cannot erase an employee (ABI before 1.2): "
                          << "rebuild its state from events without " << o.employee << "\n";
                code = exit_failure;
                continue;
            }
            std::cout << info.id << ": erased " << o.employee << ": " << erased->events << " event(s) and "
                      << erased->findings << " recorded finding(s) removed from " << path << "\n";
        } catch (const host::HostError &e) {
            std::cerr << "jobcoach-demo: " << e.what() << "\n";
            code = exit_failure;
        }
    }
    if (!any_state)
        std::cout << "no state of any plugin at " << o.state << ".*: nothing to erase\n";
    return code;
}

int list_plugins(const Options &o)
{
    host::Runtime runtime;
    load_plugins(runtime, o.plugins, o.allowlist);
    for (const auto &plugin : runtime.plugins()) {
        const auto &i = host::Runtime::info(*plugin);
        std::string schemes;
        for (const auto &s : i.schemes)
            schemes += (schemes.empty() ? "" : ", ") + s;
        std::cout << "loaded   " << i.id << " " << i.version << "  " << i.name << "\n"
                  << "         ABI " << i.abi_version.major << "." << i.abi_version.minor << "." << i.abi_version.patch
                  << " (needs host " << i.min_host_abi.major << "." << i.min_host_abi.minor << "), event schema "
                  << i.event_schema_version << ", schemes: " << schemes << "\n"
                  << "         " << i.library.string() << "\n";
    }
    for (const auto &r : runtime.refusals())
        std::cout << "refused  " << r.path.string() << "\n         " << r.check << " check: " << r.reason << "\n";
    if (runtime.plugins().empty() && runtime.refusals().empty())
        std::cout << "no plugins found\n";
    return runtime.plugins().empty() ? exit_failure : exit_ok; // a host with no plugin can do nothing
}

// --- the command line ---

// --state names the start of each plugin's state file (DB.<plugin id>): not empty, not a directory.
CLI::Validator state_prefix()
{
    return CLI::Validator(
        [](std::string &value) -> std::string {
            if (value.empty())
                return "must not be empty (leave --state out to keep the state in memory for the run)";
            std::error_code ec;
            if (fs::is_directory(value, ec))
                return value + " is a directory; --state names the start of the state files' names, e.g. " +
                       (fs::path(value) / "tenant").string();
            return {};
        },
        "FILE");
}

// Where the plugins come from: --plugins and --allowlist (every command but generate).
void add_plugin_options(CLI::App *cmd, Options &o)
{
    cmd->add_option("--plugins", o.plugins, "Plugin directory (default: beside the executable, then JOBCOACH_PLUGIN_PATH)");
    cmd->add_option("--allowlist", o.allowlist, "Load only plugin libraries whose SHA-256 is in this file (sha256sum format)");
}

// What every command that replays an event file takes: the file, the date, the state, the plugins and packs, the
// progress bar. Returns --state, for a command that requires it.
CLI::Option *add_replay_options(CLI::App *cmd, Options &o, const char *date_help, const char *state_help)
{
    cmd->add_option("--events", o.events, "Event file (JSON Lines, docs/formats.md)")->required();
    cmd->add_option("--as-of", o.as_of, date_help)->required();
    CLI::Option *state = cmd->add_option("--state", o.state, state_help)->check(state_prefix());
    add_plugin_options(cmd, o);
    cmd->add_option("--rule-packs", o.rule_packs,
                    "Rule-pack directory whose packs override or add to the plugins' own (a new municipality)");
    cmd->add_flag("!--no-progress", o.progress, "No progress bar (it is drawn on standard error only when that is a terminal)");
    return state;
}

void add_language_option(CLI::App *cmd, Options &o)
{
    cmd->add_option("--lang", o.lang, "Language of messages and labels: en or nl")->check(CLI::IsMember({"en", "nl"}));
}

void add_separator_option(CLI::App *cmd, Options &o)
{
    cmd->add_option_function<std::string>(
           "--separator", [&o](const std::string &v) { o.separator = v[0]; },
           "csv: the field separator, ',' (RFC 4180) or ';' (spreadsheets in Dutch locales)")
        ->check(CLI::IsMember({",", ";"}));
}

} // namespace

int main(int argc, char **argv)
{
    // SQLite's memory statistics take one process-wide mutex on every allocation, which the plugins' instances,
    // importing and evaluating at once on threads of their own, then contend for (a tenth of an import's time).
    // The host turns them off before SQLite is first used: a setting of the whole process is the host's to make,
    // not a plugin's (README, "Performance").
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    auto logger = spdlog::stderr_color_mt("jobcoach");
    logger->set_pattern("jobcoach-demo: %l: %v");
    logger->set_level(spdlog::level::warn);
    spdlog::set_default_logger(logger);

    CLI::App app{"jobcoach-demo: replays HR events through the jobcoach rule plugins and prints explained findings.\n"
                 "Example: jobcoach-demo evaluate --events host_demo/samples/sample-events.jsonl --as-of 2026-11-23"};
    app.require_subcommand(1);
    bool verbose = false;
    app.add_flag("-v,--verbose", verbose, "Log what the host and plugins do");

    Options o;
    auto *eval = app.add_subcommand("evaluate", "Feed every event dated on or before --as-of to the plugins and print the findings");
    eval->footer("Example: jobcoach-demo evaluate --events host_demo/samples/sample-events.jsonl --as-of 2026-11-23 "
                 "--format table --explain");
    add_replay_options(eval, o, "Evaluation date, YYYY-MM-DD",
                       "Keep plugin state across runs; each plugin's SQLite database is FILE.<plugin id>");
    eval->add_option("--format", o.format, "Output format")->check(CLI::IsMember({"jsonl", "table", "csv"}));
    eval->add_flag("--explain", o.explain, "Print the computation behind each finding");
    eval->add_option("--employee", o.employee,
                     "Only this employee's findings (and the employer-level ones that name the employee), computed "
                     "for that employee alone: what an HR suite shows after a save");
    add_language_option(eval, o);
    add_separator_option(eval, o);
    eval->add_option("--batch-size", o.batch_size,
                     "Hand the events to each plugin in batches of N, one transaction each (default: all in one); "
                     "an interrupted import is completed by running again")
        ->check(CLI::Range(size_t{1}, size_t{1000000}));

    Options ro;
    ro.format = "html";
    auto *rep = app.add_subcommand("report", "Write a report people read: an HTML page with a timeline and budget bars per "
                                             "employee, an iCalendar file of upcoming due dates, or the findings as CSV");
    rep->footer("Examples:\n"
                "  jobcoach-demo report --events host_demo/samples/sample-events.jsonl --as-of 2026-11-23 -o report.html\n"
                "  jobcoach-demo report --events host_demo/samples/sample-events.jsonl --as-of 2026-11-23 --format ics "
                "-o due-dates.ics\n"
                "  jobcoach-demo report --events host_demo/samples/sample-events.jsonl --as-of 2026-11-23 --format csv "
                "--separator ';' --lang nl -o findings.csv");
    add_replay_options(rep, ro, "Report date, YYYY-MM-DD", "As for evaluate");
    rep->add_option("--format", ro.format, "html (one self-contained page), ics (RFC 5545) or csv (RFC 4180)")
        ->check(CLI::IsMember({"html", "ics", "csv"}));
    rep->add_option("-o,--output", ro.output, "Output file (default: standard output)");
    rep->add_option("--employee", ro.employee, "Only this employee (default: every employee of the file)");
    add_language_option(rep, ro);
    add_separator_option(rep, ro);
    rep->add_flag("--explain", ro.explain, "csv: add the computation behind each finding");

    Options so;
    so.format = "text";
    auto *stat = app.add_subcommand("status", "Show each trajectory of one employee: period or year, budget used and "
                                              "left, next due dates");
    stat->footer("Example: jobcoach-demo status --events host_demo/samples/sample-events.jsonl --employee E-110 "
                 "--as-of 2026-11-23");
    add_replay_options(stat, so, "Status date, YYYY-MM-DD", "As for evaluate");
    stat->add_option("--employee", so.employee, "The employee key")->required();
    stat->add_option("--format", so.format, "Output format")->check(CLI::IsMember({"text", "jsonl"}));
    add_language_option(stat, so);

    Options co;
    auto *chg = app.add_subcommand("changes", "Import as evaluate does, then print only the findings that are new, "
                                              "updated or resolved since the previous changes run on the same state");
    chg->footer("Example: jobcoach-demo changes --events host_demo/samples/sample-events.jsonl --as-of 2026-11-23 "
                "--state tenant.db");
    add_replay_options(chg, co, "Evaluation date, YYYY-MM-DD",
                       "The state whose record of reported findings the changes are against")
        ->required();
    chg->add_option("--format", co.format, "Output format")->check(CLI::IsMember({"jsonl", "table"}));
    add_language_option(chg, co);
    chg->add_flag("--explain", co.explain, "Print the computation behind each finding");

    Options eo;
    auto *era = app.add_subcommand("erase", "Remove one employee from every plugin's state for good (GDPR art. 17): "
                                            "every event and every recorded finding of the key");
    era->footer("Example: jobcoach-demo erase --state tenant.db --employee E-104");
    era->add_option("--state", eo.state, "The state to erase from (each plugin's DB.<plugin id>)")
        ->required()
        ->check(state_prefix());
    era->add_option("--employee", eo.employee, "The employee key")->required();
    add_plugin_options(era, eo);

    Options lo;
    auto *list = app.add_subcommand("plugins", "List the plugins found, their ABI versions and schemes, and why any was refused");
    add_plugin_options(list, lo);
    list->footer("Example: jobcoach-demo plugins --plugins build/lib/jobcoach/plugins");

    demo::GenerateOptions go;
    std::string go_start = dates::iso(go.start), go_output;
    auto *gen = app.add_subcommand("generate", "Write a realistic, reproducible event file of fictional employees "
                                               "(for benchmarks and load tests)");
    gen->add_option("--employees", go.employees, "Number of employees")->check(CLI::Range(1u, 10000000u));
    gen->add_option("--years", go.years, "Years of history from --start")->check(CLI::Range(1u, 50u));
    gen->add_option("--seed", go.seed, "Seed: the same options give the same file");
    gen->add_option("--start", go_start, "The first possible contract start, YYYY-MM-DD");
    gen->add_option("-o,--output", go_output, "Output file (default: standard output)");
    gen->footer("Example: jobcoach-demo generate --employees 1000 --years 3 --seed 7 -o events.jsonl");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        const int code = app.exit(e);
        return code == 0 ? exit_ok : exit_bad_input;
    }
    if (verbose)
        logger->set_level(spdlog::level::debug);
    try {
        if (*eval)
            return evaluate(o);
        if (*chg)
            return changes(co);
        if (*era)
            return erase(eo);
        if (*stat)
            return status(so);
        if (*rep)
            return report(ro);
        if (*gen)
            return generate_file(go, go_start, go_output);
        return list_plugins(lo);
    } catch (const BadInput &e) {
        std::cerr << "jobcoach-demo: " << e.what() << "\n";
        return exit_bad_input;
    } catch (const std::exception &e) {
        std::cerr << "jobcoach-demo: " << e.what() << "\n";
        return exit_failure;
    }
}
