// SPDX-License-Identifier: Apache-2.0
// jobcoach/host/runtime.hpp: the host runtime. Discovers plugins by their manifests, checks them before any
// plugin code runs, loads them (Boost.DLL, RTLD_NOW | RTLD_LOCAL), keeps each library loaded while anything
// from it lives, and guards every call so that no exception crosses and a failing plugin is contained.
//
//   jobcoach::host::Runtime runtime;
//   runtime.load_directory("/usr/lib/jobcoach/plugins");        // refusals are logged and kept, never thrown
//   for (auto &plugin : runtime.plugins()) {
//       auto instance = runtime.create_instance(plugin, {.state_path = "tenant-42.uwv.db"});
//       instance->handle_events(events);                       // a batch, one transaction in the plugin
//       for (const auto &f : instance->evaluate(as_of)) …      // owned copies
//   }
#pragma once

#include <jobcoach/host/inspect.hpp>
#include <jobcoach/jobcoach.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace spdlog {
class logger;
}

namespace jobcoach::host {

// The host's ABI.
inline constexpr jc_version host_abi{JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, JC_ABI_VERSION_PATCH};

class HostError : public std::runtime_error {
public:
    HostError(jc_status status, const std::string &message) : std::runtime_error(message), status_(status) {}
    jc_status status() const noexcept { return status_; }

private:
    jc_status status_;
};

// A finding, copied out of the plugin.
struct Finding {
    std::string plugin_id;
    std::string employee;
    std::string scheme;
    std::string rule;
    std::string kind;
    int32_t severity = JC_SEVERITY_INFO;
    jc_date due = JC_DATE_NONE;
    std::string subject;
    std::optional<int64_t> observed_minutes;
    std::optional<int64_t> limit_minutes;
    std::optional<int64_t> amount_cents;
    std::string message_nl;
    std::string message_en;
    std::string source;
    std::string employer;
    std::vector<std::string> employees;
    std::string explanation; // ABI 1.1; empty from a 1.0 plugin, and after Instance::set_explanations(false)
    std::string id;          // ABI 1.2: the finding's stable identity (docs/formats.md); empty from an older plugin
    uint32_t trajectory = 0; // ABI 1.2: the trajectory's number, from 1; 0 when none (or from an older plugin)
    uint32_t change = JC_CHANGE_NONE; // ABI 1.2, in a change feed: JC_CHANGE_NEW, _UPDATED or _RESOLVED
    // ABI 1.4: the rule's title and what to do next, in Dutch and English; empty from older plugins and where
    // the rule's pack has none.
    std::string title_nl, title_en, action_nl, action_en;
};

// One trajectory as the jc.status/1 extension reports it (jobcoach/ext/status.h), copied.
struct TrajectoryStatus {
    struct Budget {
        std::string rule, subject, basis;
        jc_date first = JC_DATE_NONE, last = JC_DATE_NONE;
        int64_t limit_minutes = 0, used_minutes = 0;
        bool current = false;
        int32_t warning_pct = 0; // ABI 1.3: the warning threshold in percent valid on `first`; 0 from older plugins
        std::string basis_nl;    // ABI 1.4: `basis` in Dutch; empty from older plugins
    };
    struct Due {
        std::string rule, kind;
        int32_t number = 0;
        jc_date due = JC_DATE_NONE;
        bool satisfied = false;
        std::string finding_id; // ABI 1.2: the id of the finding the instance gives; empty from older plugins
        int32_t lead_days = -1; // ABI 1.3: days before `due` that the plugin reports it; -1 satisfied or older
        std::string title_nl, title_en; // ABI 1.4: the duty's rule title; empty from older plugins or packs without
    };
    std::string plugin_id;
    std::string employee, scheme, level, close_reason;
    int32_t number = 0;
    jc_date start = JC_DATE_NONE, max_end = JC_DATE_NONE, close = JC_DATE_NONE;
    std::vector<Budget> budgets;
    std::vector<Due> dues;
    std::vector<std::pair<std::string, std::string>> figures;    // name and value, in English
    std::vector<std::pair<std::string, std::string>> figures_nl; // ABI 1.4: the same in Dutch, in the same order;
                                                                 // empty from older plugins
    std::string max_end_finding_id; // ABI 1.2: the id of the maximum end's finding; empty when none or older
    int32_t max_end_lead_days = -1; // ABI 1.3: days before max_end that trajectory.expiring shows; -1 none or older
};

// "info", "warning", "high", "critical".
const char *severity_name(int32_t severity);
// "new", "updated", "resolved"; "" for JC_CHANGE_NONE.
const char *change_name(uint32_t change);

// A plugin that was not loaded, and the check that refused it.
struct Refusal {
    std::filesystem::path path; // the manifest (or library)
    std::string check;          // "manifest", "permissions", "allowlist", "symbol", "load", "entry", "version",
                                // "descriptor", "init"
    std::string reason;
};

class Plugin;

struct InstanceOptions {
    std::string state_path;    // empty: state in memory
    std::string rule_pack_dir; // empty: only the plugin's own packs
};

struct BatchOutcome {
    jc_status status = JC_OK;
    std::string message; // the plugin's last_error, or the runtime's reason
    jc_batch_result result{};
};

// The threads a runtime's instances evaluate on, for the jc.threads/1 host extension (ext/threads.h): at most
// `capacity` at once, the machine's hardware threads unless set. The host's threads that evaluate are counted
// whatever the count: each call that evaluates (Instance::evaluate, evaluate_each, evaluate_employees,
// evaluate_changes) counts its calling thread while it runs, unless a Seat counts that thread already. A plugin
// takes tokens for threads of its own beyond them, only while fewer than `capacity` are in use, and gives them
// back. So instances evaluated at once share the machine's threads, and those of one that finished first go to
// the others. A host that starts several threads to evaluate at once reserves them before it starts any (and each
// takes its Seat): counted only as each call begins, the first call's plugin could take a thread the next call
// then needs. Shared by every instance the runtime creates; every member is thread-safe.
class EvaluationThreads {
public:
    explicit EvaluationThreads(unsigned capacity);
    unsigned capacity() const { return capacity_; }
    // The host's threads counted plus tokens taken, now and at most since made.
    unsigned in_use() const { return in_use_.load(); }
    unsigned most_in_use() const { return most_.load(); }

    // A host thread starts or ends its evaluation (a Seat, or a call that evaluates on a thread without one).
    void enter();
    void leave();
    // Counts `count` host threads about to be started, each of which then takes a Seat with `reserved` true.
    void reserve(unsigned count);
    // Takes up to `wanted` tokens, as many as leave in_use() at most capacity(); how many were taken.
    unsigned take(unsigned wanted);
    void give_back(unsigned count);

    // The calling thread counted for as long as this lives, and not again by the calls it makes: entered, or one
    // of those reserved (`reserved`); left when it ends.
    class Seat {
    public:
        Seat(EvaluationThreads &threads, bool reserved);
        ~Seat();
        Seat(const Seat &) = delete;
        Seat &operator=(const Seat &) = delete;

    private:
        EvaluationThreads &threads_;
        const EvaluationThreads *before_;
    };
    // Whether a Seat counts the calling thread in this count.
    bool seated_here() const;

private:
    void note(unsigned now);
    const unsigned capacity_;
    std::atomic<unsigned> in_use_{0}, most_{0};
};

// One plugin instance. Calls are serialized by the instance itself, so one Instance may be used from several
// threads; different instances run in parallel.
class Instance {
public:
    ~Instance();
    Instance(const Instance &) = delete;
    Instance &operator=(const Instance &) = delete;

    const PluginInfo &info() const;
    // Hands a batch to the plugin. Never throws for a plugin failure: the outcome says it.
    BatchOutcome handle_events(std::span<const jc_event_header *const> events);
    // The findings as of a date. Throws HostError when the plugin fails; the instance is then contained.
    std::vector<Finding> evaluate(jc_date as_of);
    // The same, each finding handed to `sink` as the plugin emits it, none kept: a host that writes findings out
    // as they come holds none of them (memory bounded whatever the tenant). On a failure the findings handed on
    // before it are incomplete. Throws HostError as evaluate does.
    void evaluate_each(jc_date as_of, const std::function<void(Finding &&)> &sink);
    // The findings as of a date of some employees: their own and the employer-level ones that name them. With
    // the plugin's jc.findings/1 extension they are computed for those employees alone (*computed_alone set
    // true); an older plugin evaluates everyone and the runtime keeps theirs (false). Throws HostError as
    // evaluate does.
    std::vector<Finding> evaluate_employees(const std::vector<std::string> &employees, jc_date as_of,
                                            bool *computed_alone = nullptr);
    // The change feed (jc.findings/1 evaluate_changes): the findings of the employees (every employee of the
    // state when null) that are new, updated or resolved since the plugin last reported them, each with its
    // `change`; the plugin records them once this returns. nullopt when the plugin does not offer it (an older
    // plugin has no record). Throws HostError as evaluate does.
    std::optional<std::vector<Finding>> evaluate_changes(const std::vector<std::string> *employees, jc_date as_of);
    // Erases an employee from the plugin's state for good (jc.erase/1): the events and the recorded findings
    // removed. nullopt when the plugin does not offer it. Throws HostError when the plugin fails.
    struct Erased {
        uint64_t events = 0, findings = 0;
    };
    std::optional<Erased> erase_employee(std::string_view employee);
    // Whether the findings of the calls from now on carry their explanation (true for a new instance). Off, each
    // Finding's explanation is empty: the plugin is told not to make it (jc.explanations/1; the shipped plugins
    // then evaluate everyone with 13-17 % fewer instructions), and from a plugin without the extension the
    // runtime neither copies nor checks it. Returns whether the plugin offers the extension. Throws HostError
    // when the plugin fails.
    bool set_explanations(bool on);
    // Whether the findings of the calls from now on carry their words for people: message_nl, message_en,
    // action_nl, action_en and explanation (true for a new instance). Off, each of those is empty and not
    // required; every other member is the same (the id, kind, severity, due date, numbers, titles, source). The
    // plugin is told not to make them (jc.messages/1; the shipped plugins then evaluate everyone with about a
    // third fewer instructions), and from a plugin without the extension the runtime neither copies nor checks
    // them. For a host that keeps a task per finding by id and asks for one employee's findings with their words
    // (set_messages(true), evaluate_employees) when someone opens that employee. Returns whether the plugin
    // offers the extension. Throws HostError when the plugin fails.
    bool set_messages(bool on);
    // Each trajectory of `employee` as of a date, through the plugin's jc.status/1 extension; nullopt when the
    // plugin does not offer it. Throws HostError when the plugin fails.
    std::optional<std::vector<TrajectoryStatus>> status(std::string_view employee, jc_date as_of);
    // Whether the plugin holds any event of `employee` (jc.status/1 `knows`): it tells an employee without
    // trajectories from one the plugin never saw. nullopt when the plugin does not say. Throws HostError.
    std::optional<bool> knows(std::string_view employee);
    // False once the plugin threw or broke the contract: further calls are refused.
    bool contained() const;

    struct Impl; // opaque: the runtime's side of the instance

private:
    friend class Runtime;
    explicit Instance(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

class Runtime {
public:
    // Logs through `logger`, or through spdlog's default logger when null.
    explicit Runtime(std::shared_ptr<spdlog::logger> logger = nullptr);
    ~Runtime();
    Runtime(const Runtime &) = delete;
    Runtime &operator=(const Runtime &) = delete;

    // From now on, loads only libraries whose SHA-256 (lowercase hex) is in `hashes` (read_sha256_allowlist);
    // any other is refused by the "allowlist" check before its code runs. Without a call, no allowlist applies.
    void require_sha256(std::vector<std::string> hashes);

    // Loads every plugin whose manifest (*.plugin.json) is in `dir` or one level below. A plugin that fails a
    // check is refused, logged with the check and the reason, and recorded; the others still load.
    void load_directory(const std::filesystem::path &dir);
    // Loads the plugin of one manifest; returns false (and records the refusal) when it is refused.
    bool load_manifest(const std::filesystem::path &manifest);

    const std::vector<std::shared_ptr<Plugin>> &plugins() const { return plugins_; }
    const std::vector<Refusal> &refusals() const { return refusals_; }
    static const PluginInfo &info(const Plugin &plugin);

    // Throws HostError with the plugin's message when it cannot create the instance.
    std::unique_ptr<Instance> create_instance(const std::shared_ptr<Plugin> &plugin, const InstanceOptions &options);

    // The threads the instances created from now on share (jc.threads/1): at most `capacity` at once (at least
    // 1); the machine's hardware threads until set. Instances created before keep the count they share.
    void share_threads(unsigned capacity);
    // The count the instances created from now on share. A host thread that does other heavy work may count
    // itself in it (a Seat), so that the plugins' threads leave it its core.
    EvaluationThreads &evaluation_threads() const { return *threads_; }

private:
    std::shared_ptr<spdlog::logger> logger_;
    std::shared_ptr<EvaluationThreads> threads_;
    std::vector<std::shared_ptr<Plugin>> plugins_;
    std::vector<Refusal> refusals_;
    std::optional<std::vector<std::string>> allowlist_;
};

} // namespace jobcoach::host
