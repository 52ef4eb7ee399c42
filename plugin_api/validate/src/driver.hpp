// SPDX-License-Identifier: Apache-2.0
// The validator's own minimal host: drives a plugin library through the raw C ABI, without the runtime's
// safety nets, so that each conformance check sees exactly what the plugin does. Used only inside a check's
// child process.
#pragma once

#include <jobcoach/jobcoach.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <span>
#include <stdexcept>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace jobcoach::validate {

// A failed check; what() says what the plugin did wrong.
class CheckFailed : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Calls fn, turning a C++ exception that crossed the ABI into a CheckFailed naming `function`.
void guarded(const char *function, const std::function<void()> &fn);

// A loaded library (RTLD_NOW | RTLD_LOCAL). Never unloaded: the child process ends instead.
class Library {
public:
    explicit Library(const std::filesystem::path &path); // throws CheckFailed with the loader's message
    const jc_plugin_entry &entry() const { return *entry_; }
    std::filesystem::path directory() const { return path_.parent_path(); }
    // init, throwing CheckFailed with the plugin's message when it fails.
    void init() const;
    void deinit() const;

private:
    std::filesystem::path path_;
    const jc_plugin_entry *entry_ = nullptr;
};

// One instance with its own jc_host. Findings are kept as canonical lines
// "employee|scheme|rule|kind|subject|severity|due|observed|limit|amount", sorted, so that runs compare.
class Instance {
public:
    // Throws CheckFailed when create fails. With `tokens` above 0, the host offers jc.threads/1 with that many.
    explicit Instance(const Library &library, uint32_t tokens = 0);
    ~Instance();
    Instance(const Instance &) = delete;
    Instance &operator=(const Instance &) = delete;

    jc_status handle(std::span<const jc_event_header *const> events, jc_batch_result &result);
    // Evaluates; throws CheckFailed when evaluate fails.
    std::vector<std::string> evaluate(jc_date as_of);
    // Runs `call` (an extension's function that emits findings) as evaluate runs evaluate: the findings it emits,
    // sorted; changes() then holds their jc_finding.change values. Throws CheckFailed naming `what` on failure.
    std::vector<std::string> collect(const std::string &what, const std::function<jc_status()> &call);
    const std::vector<uint32_t> &changes() const { return changes_; }
    // How many findings of the last evaluate or collect carried an explanation (ABI 1.1's member, not empty).
    size_t explained() const { return explained_; }
    // How many findings of the last evaluate or collect carried any word for people: a message, an action (ABI
    // 1.4) or an explanation (1.1).
    size_t worded() const { return worded_; }
    // Whether the findings must carry their messages (true at first): false after the check turned them off
    // (jc.messages/1), when they may be absent.
    void require_messages(bool on) { require_messages_ = on; }
    const jc_plugin *plugin() const { return plugin_; }
    const char *last_error() const;
    // What was wrong with the findings emitted so far (too small, a required member missing, ...).
    const std::vector<std::string> &problems() const { return problems_; }
    // jc.threads/1, when offered: the tokens free and held now, those taken so far and those still held when an
    // evaluate returned; and the calls made outside an evaluate or on another thread than the one that called it.
    struct Tokens {
        uint32_t free = 0, held = 0;
        uint64_t taken = 0, kept = 0;
    };
    const Tokens &tokens() const { return tokens_; }
    uint64_t astray_token_calls() const { return astray_.load(); }

private:
    static jc_status JC_ABI emit(const jc_host *host, const jc_finding *finding);
    static void JC_ABI log(const jc_host *host, int32_t level, jc_str message);
    static const void *JC_ABI get_extension(const jc_host *host, const char *id);
    static uint32_t JC_ABI take(const jc_host *host, uint32_t wanted);
    static void JC_ABI give_back(const jc_host *host, uint32_t count);
    // Whether a jc.threads/1 call comes from the thread of an evaluate under way.
    bool on_evaluating_thread() const;

    jc_host host_{};
    const jc_plugin *plugin_ = nullptr;
    std::vector<std::string> *collecting_ = nullptr;
    std::vector<std::string> problems_;
    std::set<std::string> ids_; // the ids of the findings of the evaluate under way
    std::vector<uint32_t> changes_; // jc_finding.change of each finding of the last collect
    size_t explained_ = 0;
    size_t worded_ = 0;
    bool require_messages_ = true;
    bool offers_threads_ = false;
    Tokens tokens_;                          // the evaluating thread's
    std::atomic<std::thread::id> evaluating_; // none (a default id) outside evaluate
    std::atomic<uint64_t> astray_{0};
};

} // namespace jobcoach::validate
