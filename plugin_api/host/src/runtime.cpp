// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/host/runtime.hpp"
#include "jobcoach/host/loader_checks.hpp"

// Boost.DLL 1.74 with std::filesystem needs <vector> and <string> before its headers.
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include <spdlog/spdlog.h>

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <functional>
#include <set>
#include <thread>
#include <iterator>
#include <cstring>

namespace jobcoach::host {

namespace fs = std::filesystem;

const char *severity_name(int32_t severity)
{
    switch (severity) {
    case JC_SEVERITY_INFO: return "info";
    case JC_SEVERITY_WARNING: return "warning";
    case JC_SEVERITY_HIGH: return "high";
    case JC_SEVERITY_CRITICAL: return "critical";
    default: return "unknown";
    }
}

// A loaded library. Instances hold it (shared_ptr), so it is never unloaded while one of them lives.
class Plugin {
public:
    PluginInfo info;
    std::shared_ptr<boost::dll::shared_library> library;
    const jc_plugin_entry *entry = nullptr;
    bool initialised = false;
    std::vector<int> threads_before; // the process's threads before the library was loaded
    std::shared_ptr<spdlog::logger> logger;

    ~Plugin()
    {
        if (!initialised || entry == nullptr || entry->deinit == nullptr)
            return;
        try {
            entry->deinit();
        } catch (...) {
        }
        // A plugin must stop its threads in its last deinit (jobcoach/entry.h). A thread still running when
        // the library is unmapped would crash the host, so when threads that started after the load are still
        // alive the library stays loaded. The check cannot tell the plugin's threads from the host's own, so it
        // errs on the side of keeping the library.
        std::vector<int> left;
        const auto now = process_threads();
        std::set_difference(now.begin(), now.end(), threads_before.begin(), threads_before.end(), std::back_inserter(left));
        if (!left.empty() && library) {
            if (::dlopen(info.library.c_str(), RTLD_NOW | RTLD_NOLOAD) != nullptr && logger)
                logger->warn("plugin {}: {} thread(s) that started after it was loaded still run after its last deinit; "
                             "the library is kept loaded",
                             info.id, left.size());
        }
    }
};

namespace {

struct Refused {
    std::string check;
    std::string reason;
};

std::string str_of(jc_str s) { return s.data != nullptr ? std::string(s.data, s.size) : std::string(); }
// The same, into a string that keeps its storage (a finding's members, emitted one finding after another); false
// when a byte of it is 128 or more (copy_telling_ascii: then valid_utf8_not_ascii tells whether it is UTF-8).
bool set(std::string &to, jc_str s)
{
    return copy_telling_ascii(to, s.data != nullptr ? std::string_view(s.data, s.size) : std::string_view());
}


} // namespace

// ---------------------------------------------------------------------------------------------------------------
// Instances

struct Instance::Impl {
    std::shared_ptr<Plugin> plugin; // keeps the library loaded
    std::shared_ptr<spdlog::logger> logger;
    jc_host host{};
    const jc_plugin *instance = nullptr;
    std::mutex mutex;                        // serializes calls: [instance-serialized]
    const std::function<void(Finding &&)> *sink = nullptr; // set while a call may emit findings
    Finding emitted; // each emitted finding is read into it: its strings keep their storage from one to the next
    bool contained = false;
    // set_explanations(false) on a plugin without jc.explanations/1: its findings' explanations are left out
    // (neither copied nor checked). A plugin with it leaves them out itself.
    bool strip_explanations = false;
    // Instance::set_messages(false): the findings' messages, actions and explanation are not required; a plugin
    // with jc.messages/1 does not make them, and from one without it the runtime leaves them out (strip_words).
    bool without_words = false;
    bool strip_words = false;
    // jc.threads/1: the runtime's count, shared with its other instances; the tokens this instance holds
    // (touched on the evaluating thread only); the thread of the call that evaluates while one runs, else none
    // (take and give_back are valid only there; read from any thread a plugin calls them on).
    std::shared_ptr<EvaluationThreads> threads;
    uint32_t tokens = 0;
    std::atomic<std::thread::id> evaluating{};

    void contain(const std::string &why)
    {
        contained = true;
        logger->error("plugin {} contained: {}", plugin->info.id, why);
    }
    // The plugin's extension of this id, or NULL when it offers none (or its jc_plugin predates get_extension).
    const void *extension(const char *id) const
    {
        const jc_plugin *p = instance;
        if (p->struct_size < offsetof(jc_plugin, get_extension) + sizeof(void *) || p->get_extension == nullptr)
            return nullptr;
        return p->get_extension(p, id);
    }
    // The plugin's jc.status/1 extension when it offers it and its struct_size covers `member_end` (the end of
    // the member the caller needs); NULL otherwise.
    const jc_plugin_status *status_extension(size_t member_end) const
    {
        const auto *ext = static_cast<const jc_plugin_status *>(extension(JC_EXT_STATUS));
        return ext != nullptr && ext->struct_size >= member_end ? ext : nullptr;
    }
    const jc_plugin_findings *findings_extension() const
    {
        const auto *ext = static_cast<const jc_plugin_findings *>(extension(JC_EXT_FINDINGS));
        constexpr size_t needed = offsetof(jc_plugin_findings, evaluate_employees) + sizeof(void *);
        return ext != nullptr && ext->struct_size >= needed && ext->evaluate_employees != nullptr ? ext : nullptr;
    }
    // Runs `call`, a plugin function that reports findings (evaluate, an extension's), with emit_finding
    // handing each to `to`; `what` names it in errors. A plugin that throws is contained. The caller holds the
    // mutex and has checked that the instance is not contained.
    void emitting(const std::function<void(Finding &&)> &to, const std::string &what,
                  const std::function<jc_status()> &call)
    {
        sink = &to;
        const bool seated = threads->seated_here(); // (counted by the host's Seat already)
        if (!seated)
            threads->enter();
        evaluating = std::this_thread::get_id();
        struct Reset {
            Impl &impl;
            bool seated;
            ~Reset()
            {
                impl.sink = nullptr;
                impl.evaluating = std::thread::id();
                if (impl.tokens > 0) { // (jc.threads/1: the host takes them back)
                    impl.logger->warn("plugin {} kept {} thread token(s) of jc.threads/1 past its call; taken back",
                                      impl.plugin->info.id, impl.tokens);
                    impl.threads->give_back(impl.tokens);
                    impl.tokens = 0;
                }
                if (!seated)
                    impl.threads->leave();
            }
        } reset{*this, seated};
        jc_status status = JC_OK;
        try {
            status = call();
        } catch (const std::exception &e) {
            contain(what + " threw: " + e.what());
            throw HostError(JC_E_INTERNAL, "plugin " + plugin->info.id + ": " + what + " threw: " + e.what());
        } catch (...) {
            contain(what + " threw an unknown exception");
            throw HostError(JC_E_INTERNAL, "plugin " + plugin->info.id + ": " + what + " threw an unknown exception");
        }
        if (status != JC_OK)
            throw HostError(status, "plugin " + plugin->info.id + ": " + what + " failed: " + last_error());
    }
    std::string last_error() const
    {
        if (instance->struct_size < offsetof(jc_plugin, last_error) + sizeof(void *) || instance->last_error == nullptr)
            return {};
        const char *message = instance->last_error(instance);
        return message != nullptr ? message : "";
    }
};

namespace {

Instance::Impl *impl_of(const jc_host *host) { return host != nullptr ? static_cast<Instance::Impl *>(host->host_data) : nullptr; }

void JC_ABI host_log(const jc_host *host, int32_t level, jc_str message)
{
    Instance::Impl *impl = impl_of(host);
    if (impl == nullptr)
        return;
    const auto text = str_of(message);
    const auto spd = level <= JC_LOG_DEBUG     ? spdlog::level::debug
                     : level == JC_LOG_INFO    ? spdlog::level::info
                     : level == JC_LOG_WARNING ? spdlog::level::warn
                                               : spdlog::level::err;
    impl->logger->log(spd, "[{}] {}", impl->plugin->info.id, text);
}

// jc.threads/1: valid only on the thread of the instance's call that evaluates, while it runs.
Instance::Impl *evaluating_impl(const jc_host *host)
{
    Instance::Impl *impl = impl_of(host);
    return impl != nullptr && impl->evaluating.load() == std::this_thread::get_id() ? impl : nullptr;
}

uint32_t JC_ABI host_take_threads(const jc_host *host, uint32_t wanted)
{
    Instance::Impl *impl = evaluating_impl(host);
    if (impl == nullptr)
        return 0;
    const uint32_t taken = impl->threads->take(wanted);
    impl->tokens += taken;
    return taken;
}

void JC_ABI host_give_back_threads(const jc_host *host, uint32_t count)
{
    Instance::Impl *impl = evaluating_impl(host);
    if (impl == nullptr)
        return;
    const uint32_t given = std::min(count, impl->tokens);
    impl->tokens -= given;
    impl->threads->give_back(given);
}

constexpr jc_host_threads host_threads{sizeof(jc_host_threads), 0, &host_take_threads, &host_give_back_threads};

const void *JC_ABI host_get_extension(const jc_host *, const char *id)
{
    if (id != nullptr && std::strcmp(id, JC_EXT_THREADS) == 0)
        return &host_threads;
    return nullptr;
}

// The minimum a v1.0 plugin fills: every member up to reserved1. Later members are read only when covered.
constexpr uint32_t finding_v1_size = JC_FINDING_SIZE_V1_0;
static_assert(offsetof(jc_finding, explanation) == finding_v1_size);

template <typename Member> bool covers(const jc_finding &f, const Member jc_finding::*, size_t offset)
{
    return f.struct_size >= offset + sizeof(Member);
}

jc_status JC_ABI host_emit_finding(const jc_host *host, const jc_finding *finding)
{
    Instance::Impl *impl = impl_of(host);
    if (impl == nullptr)
        return JC_E_INVALID_ARGUMENT;
    if (impl->sink == nullptr) {
        impl->logger->warn("[{}] emit_finding called outside evaluate", impl->plugin->info.id);
        return JC_E_UNSUPPORTED;
    }
    if (finding == nullptr || finding->struct_size < finding_v1_size) {
        impl->logger->warn("[{}] emit_finding: {}", impl->plugin->info.id,
                           finding == nullptr ? "NULL finding" : "struct_size " + std::to_string(finding->struct_size) + " too small");
        return JC_E_INVALID_ARGUMENT;
    }
    try {
        // Every member is written (a member the plugin's struct does not cover is cleared): what the previous
        // finding left, or the sink moved out, is never read.
        Finding &f = impl->emitted;
        // Each text is copied telling whether it is ASCII; those that are not are checked as UTF-8 below (with
        // explanations asked for, that is mostly the explanation alone).
        struct Other {
            const char *name;
            const std::string *text;
        };
        std::array<Other, 15> others; // (the texts below, one each; the employees' keys are checked as copied)
        size_t other_count = 0;
        auto copy = [&](const char *name, std::string &to, jc_str from) {
            if (!set(to, from))
                others.at(other_count++) = {name, &to};
        };
        f.plugin_id.assign(impl->plugin->info.id);
        copy("member employee", f.employee, finding->employee);
        copy("member scheme", f.scheme, finding->scheme);
        copy("member rule", f.rule, finding->rule);
        copy("member kind", f.kind, finding->kind);
        f.severity = finding->severity;
        f.due = finding->due;
        copy("member subject", f.subject, finding->subject);
        auto number = [](int64_t v) { return v != JC_NO_VALUE ? std::optional<int64_t>(v) : std::nullopt; };
        f.observed_minutes = number(finding->observed_minutes);
        f.limit_minutes = number(finding->limit_minutes);
        f.amount_cents = number(finding->amount_cents);
        const bool words = !impl->strip_words; // (what a plugin with jc.messages/1 makes is copied as it comes)
        copy("member message_nl", f.message_nl, words ? finding->message_nl : jc_str{});
        copy("member message_en", f.message_en, words ? finding->message_en : jc_str{});
        copy("member source", f.source, finding->source);
        copy("member employer", f.employer, finding->employer);
        if (finding->employee_count > 0 && finding->employees == nullptr)
            throw std::invalid_argument("employees is NULL with employee_count > 0");
        f.employees.resize(finding->employee_count);
        for (uint32_t i = 0; i < finding->employee_count; ++i)
            if (!set(f.employees[i], finding->employees[i]) && !valid_utf8_not_ascii(f.employees[i]))
                throw std::invalid_argument("a key in employees is not valid UTF-8");
        const bool v1_1 = covers(*finding, &jc_finding::explanation, offsetof(jc_finding, explanation));
        const bool v1_2 = covers(*finding, &jc_finding::change, offsetof(jc_finding, change));
        const bool v1_4 = covers(*finding, &jc_finding::action_en, offsetof(jc_finding, action_en));
        // ABI 1.1 and 1.2:
        copy("member explanation", f.explanation,
             v1_1 && words && !impl->strip_explanations ? finding->explanation : jc_str{});
        copy("member id", f.id, v1_2 ? finding->id : jc_str{});
        f.trajectory = v1_2 ? finding->trajectory : 0;
        f.change = v1_2 ? finding->change : JC_CHANGE_NONE;
        if (f.change > JC_CHANGE_RESOLVED)
            throw std::invalid_argument("change " + std::to_string(f.change) + " is unknown");
        if (f.id.size() > 128)
            throw std::invalid_argument("id of " + std::to_string(f.id.size()) + " bytes; at most 128");
        // ABI 1.4:
        copy("member title_nl", f.title_nl, v1_4 ? finding->title_nl : jc_str{});
        copy("member title_en", f.title_en, v1_4 ? finding->title_en : jc_str{});
        copy("member action_nl", f.action_nl, v1_4 && words ? finding->action_nl : jc_str{});
        copy("member action_en", f.action_en, v1_4 && words ? finding->action_en : jc_str{});
        // The messages are required unless the host turned them off (jc.messages/1), or the finding is a resolved
        // one of the change feed, emitted as last reported: it has them only if it had them then.
        const bool worded = !impl->without_words && f.change != JC_CHANGE_RESOLVED;
        const char *missing = f.employee.empty() ? "employee" : f.scheme.empty() ? "scheme" : f.rule.empty() ? "rule"
                            : f.kind.empty() ? "kind" : worded && f.message_en.empty() ? "message_en"
                            : worded && f.message_nl.empty() ? "message_nl"
                            : f.source.empty() ? "source" : nullptr;
        if (missing != nullptr)
            throw std::invalid_argument(std::string("required member ") + missing + " is empty");
        for (size_t i = 0; i < other_count; ++i)
            if (!valid_utf8_not_ascii(*others[i].text))
                throw std::invalid_argument(std::string(others[i].name) + " is not valid UTF-8");
        if (f.severity < JC_SEVERITY_INFO || f.severity > JC_SEVERITY_CRITICAL)
            throw std::invalid_argument("severity " + std::to_string(f.severity) + " is unknown");
        (*impl->sink)(std::move(f));
        return JC_OK;
    } catch (const std::exception &e) {
        impl->logger->warn("[{}] emit_finding refused: {}", impl->plugin->info.id, e.what());
        return JC_E_INVALID_ARGUMENT;
    }
}

} // namespace

Instance::Instance(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Instance::~Instance()
{
    if (impl_ && impl_->instance != nullptr) {
        std::lock_guard lock(impl_->mutex);
        try {
            impl_->instance->destroy(impl_->instance);
        } catch (...) {
            impl_->logger->error("plugin {} threw from destroy", impl_->plugin->info.id);
        }
    }
}

const PluginInfo &Instance::info() const { return impl_->plugin->info; }

bool Instance::contained() const
{
    std::lock_guard lock(impl_->mutex);
    return impl_->contained;
}

BatchOutcome Instance::handle_events(std::span<const jc_event_header *const> events)
{
    std::lock_guard lock(impl_->mutex);
    BatchOutcome out;
    out.result.struct_size = sizeof(jc_batch_result);
    out.result.failed_index = UINT32_MAX;
    if (impl_->contained) {
        out.status = JC_E_INTERNAL;
        out.message = "plugin " + impl_->plugin->info.id + " is contained after an earlier failure";
        return out;
    }
    if (events.size() > UINT32_MAX) {
        out.status = JC_E_INVALID_ARGUMENT;
        out.message = "batch too large";
        return out;
    }
    try {
        out.status = impl_->instance->handle_events(impl_->instance, events.data(), static_cast<uint32_t>(events.size()),
                                                    &out.result);
        if (out.status != JC_OK)
            out.message = impl_->last_error();
    } catch (const std::exception &e) {
        out.status = JC_E_INTERNAL;
        out.message = std::string("handle_events threw: ") + e.what();
        impl_->contain(out.message);
    } catch (...) {
        out.status = JC_E_INTERNAL;
        out.message = "handle_events threw an unknown exception";
        impl_->contain(out.message);
    }
    return out;
}

std::vector<Finding> Instance::evaluate(jc_date as_of)
{
    std::vector<Finding> findings;
    evaluate_each(as_of, [&](Finding &&f) { findings.push_back(std::move(f)); });
    return findings;
}

void Instance::evaluate_each(jc_date as_of, const std::function<void(Finding &&)> &sink)
{
    std::lock_guard lock(impl_->mutex);
    if (impl_->contained)
        throw HostError(JC_E_INTERNAL, "plugin " + impl_->plugin->info.id + " is contained after an earlier failure");
    impl_->emitting(sink, "evaluate", [&] { return impl_->instance->evaluate(impl_->instance, as_of); });
}

std::vector<Finding> Instance::evaluate_employees(const std::vector<std::string> &employees, jc_date as_of,
                                                 bool *computed_alone)
{
    const jc_plugin_findings *ext = nullptr;
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->contained)
            throw HostError(JC_E_INTERNAL, "plugin " + impl_->plugin->info.id + " is contained after an earlier failure");
        ext = impl_->findings_extension();
    }
    if (computed_alone != nullptr)
        *computed_alone = ext != nullptr;
    if (ext == nullptr) {
        // An older plugin: everyone's findings, keeping those that name one of the employees.
        const std::set<std::string, std::less<>> wanted(employees.begin(), employees.end());
        std::vector<Finding> all = evaluate(as_of), out;
        for (auto &f : all)
            if (wanted.count(f.employee) > 0 ||
                std::any_of(f.employees.begin(), f.employees.end(), [&](const auto &e) { return wanted.count(e) > 0; }))
                out.push_back(std::move(f));
        return out;
    }
    std::lock_guard lock(impl_->mutex);
    std::vector<jc_str> keys;
    keys.reserve(employees.size());
    for (const auto &e : employees)
        keys.push_back(jc_str{e.data(), e.size()});
    std::vector<Finding> findings;
    impl_->emitting([&](Finding &&f) { findings.push_back(std::move(f)); }, "jc.findings/1 evaluate_employees", [&] {
        return ext->evaluate_employees(impl_->instance, keys.empty() ? nullptr : keys.data(),
                                       static_cast<uint32_t>(keys.size()), as_of);
    });
    return findings;
}

std::optional<std::vector<Finding>> Instance::evaluate_changes(const std::vector<std::string> *employees,
                                                               jc_date as_of)
{
    std::lock_guard lock(impl_->mutex);
    if (impl_->contained)
        throw HostError(JC_E_INTERNAL, "plugin " + impl_->plugin->info.id + " is contained after an earlier failure");
    const jc_plugin_findings *ext = impl_->findings_extension();
    if (ext == nullptr || ext->struct_size < offsetof(jc_plugin_findings, evaluate_changes) + sizeof(void *) ||
        ext->evaluate_changes == nullptr)
        return std::nullopt;
    std::vector<jc_str> keys;
    if (employees != nullptr)
        for (const auto &e : *employees)
            keys.push_back(jc_str{e.data(), e.size()});
    std::vector<Finding> findings;
    impl_->emitting([&](Finding &&f) { findings.push_back(std::move(f)); }, "jc.findings/1 evaluate_changes", [&] {
        return employees == nullptr ? ext->evaluate_changes(impl_->instance, nullptr, JC_ALL_EMPLOYEES, as_of)
                                    : ext->evaluate_changes(impl_->instance, keys.empty() ? nullptr : keys.data(),
                                                            static_cast<uint32_t>(keys.size()), as_of);
    });
    return findings;
}

std::optional<Instance::Erased> Instance::erase_employee(std::string_view employee)
{
    std::lock_guard lock(impl_->mutex);
    if (impl_->contained)
        throw HostError(JC_E_INTERNAL, "plugin " + impl_->plugin->info.id + " is contained after an earlier failure");
    const jc_plugin *p = impl_->instance;
    const auto *ext = static_cast<const jc_plugin_erase *>(impl_->extension(JC_EXT_ERASE));
    if (ext == nullptr || ext->struct_size < offsetof(jc_plugin_erase, erase_employee) + sizeof(void *) ||
        ext->erase_employee == nullptr)
        return std::nullopt;
    Erased out;
    jc_status status = JC_OK;
    try {
        status = ext->erase_employee(p, jc_str{employee.data(), employee.size()}, &out.events, &out.findings);
    } catch (...) {
        impl_->contain("jc.erase/1 erase_employee threw");
        throw HostError(JC_E_INTERNAL, "plugin " + impl_->plugin->info.id + ": jc.erase/1 erase_employee threw");
    }
    if (status != JC_OK)
        throw HostError(status, "plugin " + impl_->plugin->info.id + ": jc.erase/1 erase_employee failed: " +
                                    impl_->last_error());
    return out;
}

bool Instance::set_explanations(bool on)
{
    std::lock_guard lock(impl_->mutex);
    if (impl_->contained)
        throw HostError(JC_E_INTERNAL, "plugin " + impl_->plugin->info.id + " is contained after an earlier failure");
    impl_->strip_explanations = !on;
    const jc_plugin *p = impl_->instance;
    const auto *ext = static_cast<const jc_plugin_explanations *>(impl_->extension(JC_EXT_EXPLANATIONS));
    if (ext == nullptr || ext->struct_size < offsetof(jc_plugin_explanations, set_explanations) + sizeof(void *) ||
        ext->set_explanations == nullptr)
        return false;
    impl_->strip_explanations = false; // the plugin's findings come as it makes them
    jc_status status = JC_OK;
    try {
        status = ext->set_explanations(p, on ? 1u : 0u);
    } catch (...) {
        impl_->contain("jc.explanations/1 set_explanations threw");
        throw HostError(JC_E_INTERNAL,
                        "plugin " + impl_->plugin->info.id + ": jc.explanations/1 set_explanations threw");
    }
    if (status != JC_OK)
        throw HostError(status, "plugin " + impl_->plugin->info.id + ": jc.explanations/1 set_explanations failed: " +
                                    impl_->last_error());
    return true;
}

bool Instance::set_messages(bool on)
{
    std::lock_guard lock(impl_->mutex);
    if (impl_->contained)
        throw HostError(JC_E_INTERNAL, "plugin " + impl_->plugin->info.id + " is contained after an earlier failure");
    const jc_plugin *p = impl_->instance;
    const auto *ext = static_cast<const jc_plugin_messages *>(impl_->extension(JC_EXT_MESSAGES));
    if (ext == nullptr || ext->struct_size < offsetof(jc_plugin_messages, set_messages) + sizeof(void *) ||
        ext->set_messages == nullptr) {
        impl_->without_words = impl_->strip_words = !on; // an older plugin makes them: the runtime leaves them out
        return false;
    }
    jc_status status = JC_OK;
    try {
        status = ext->set_messages(p, on ? 1u : 0u);
    } catch (...) {
        impl_->contain("jc.messages/1 set_messages threw");
        throw HostError(JC_E_INTERNAL, "plugin " + impl_->plugin->info.id + ": jc.messages/1 set_messages threw");
    }
    if (status != JC_OK)
        throw HostError(status, "plugin " + impl_->plugin->info.id + ": jc.messages/1 set_messages failed: " +
                                    impl_->last_error());
    impl_->without_words = !on;
    impl_->strip_words = false; // the plugin's findings come as it makes them
    return true;
}

const char *change_name(uint32_t change)
{
    switch (change) {
    case JC_CHANGE_NEW: return "new";
    case JC_CHANGE_UPDATED: return "updated";
    case JC_CHANGE_RESOLVED: return "resolved";
    default: return "";
    }
}

namespace {

// Calls fn(element, its struct_size) on each of `count` elements at `base`. The array is strided by the
// elements' own struct_size, so a newer plugin's larger elements still work, and an older plugin's smaller ones
// down to `min_size` (the members of the oldest ABI that has them); fn reads a later member only when the size
// covers it. A smaller one is refused.
template <class T, class Fn> void each(const T *base, uint32_t count, const char *name, size_t min_size, Fn &&fn)
{
    if (count == 0)
        return;
    const uint32_t size = base[0].struct_size;
    if (size < min_size)
        throw std::invalid_argument(std::string(name) + ".struct_size " + std::to_string(size) + " is too small");
    for (uint32_t i = 0; i < count; ++i)
        fn(*reinterpret_cast<const T *>(reinterpret_cast<const unsigned char *>(base) + static_cast<size_t>(i) * size),
           size);
}

struct StatusCollector {
    std::string plugin_id;
    std::vector<TrajectoryStatus> out;
    std::string error;
};

// Copies one trajectory out of the plugin's structs, honouring each struct_size.
jc_status JC_ABI collect_status(void *context, const jc_trajectory_status *s)
{
    auto *c = static_cast<StatusCollector *>(context);
    try {
        if (s == nullptr || s->struct_size < offsetof(jc_trajectory_status, figure_count) + sizeof(uint32_t))
            throw std::invalid_argument("jc_trajectory_status is NULL or its struct_size is too small");
        if ((s->budget_count > 0 && s->budgets == nullptr) || (s->due_count > 0 && s->dues == nullptr) ||
            (s->figure_count > 0 && s->figures == nullptr))
            throw std::invalid_argument("an array is NULL with a count above 0");
        TrajectoryStatus t;
        t.plugin_id = c->plugin_id;
        t.employee = str_of(s->employee);
        t.scheme = str_of(s->scheme);
        t.level = str_of(s->level);
        t.close_reason = str_of(s->close_reason);
        t.number = s->number;
        t.start = s->start;
        t.max_end = s->max_end;
        t.close = s->close;
        each(s->budgets, s->budget_count, "jc_status_budget", JC_STATUS_BUDGET_SIZE_V1_1,
             [&](const jc_status_budget &b, uint32_t size) {
                 t.budgets.push_back({str_of(b.rule), str_of(b.subject), str_of(b.basis), b.first, b.last,
                                      b.limit_minutes, b.used_minutes, b.current != 0, 0, {}});
                 if (size >= offsetof(jc_status_budget, warning_pct) + sizeof(int32_t)) // ABI 1.3
                     t.budgets.back().warning_pct = b.warning_pct;
                 if (size >= offsetof(jc_status_budget, basis_nl) + sizeof(jc_str)) // ABI 1.4
                     t.budgets.back().basis_nl = str_of(b.basis_nl);
             });
        each(s->dues, s->due_count, "jc_status_due", JC_STATUS_DUE_SIZE_V1_1, [&](const jc_status_due &d, uint32_t size) {
            t.dues.push_back({str_of(d.rule), str_of(d.kind), d.number, d.due, d.satisfied != 0, {}, -1, {}, {}});
            if (size >= offsetof(jc_status_due, finding_id) + sizeof(jc_str)) // ABI 1.2
                t.dues.back().finding_id = str_of(d.finding_id);
            if (size >= offsetof(jc_status_due, lead_days) + sizeof(int32_t)) // ABI 1.3
                t.dues.back().lead_days = d.lead_days;
            if (size >= offsetof(jc_status_due, title_en) + sizeof(jc_str)) { // ABI 1.4
                t.dues.back().title_nl = str_of(d.title_nl);
                t.dues.back().title_en = str_of(d.title_en);
            }
        });
        each(s->figures, s->figure_count, "jc_status_figure", JC_STATUS_FIGURE_SIZE_V1_1,
             [&](const jc_status_figure &f, uint32_t size) {
                 t.figures.emplace_back(str_of(f.name), str_of(f.value));
                 if (size >= offsetof(jc_status_figure, value_nl) + sizeof(jc_str)) // ABI 1.4
                     t.figures_nl.emplace_back(str_of(f.name_nl), str_of(f.value_nl));
             });
        if (s->struct_size >= offsetof(jc_trajectory_status, max_end_finding_id) + sizeof(jc_str)) // ABI 1.2
            t.max_end_finding_id = str_of(s->max_end_finding_id);
        if (s->struct_size >= offsetof(jc_trajectory_status, max_end_lead_days) + sizeof(int32_t)) // ABI 1.3
            t.max_end_lead_days = s->max_end_lead_days;
        c->out.push_back(std::move(t));
        return JC_OK;
    } catch (const std::exception &e) {
        c->error = e.what();
        return JC_E_INVALID_ARGUMENT;
    }
}

} // namespace

std::optional<std::vector<TrajectoryStatus>> Instance::status(std::string_view employee, jc_date as_of)
{
    std::lock_guard lock(impl_->mutex);
    if (impl_->contained)
        throw HostError(JC_E_INTERNAL, "plugin " + impl_->plugin->info.id + " is contained after an earlier failure");
    const jc_plugin *p = impl_->instance;
    const auto *ext = impl_->status_extension(offsetof(jc_plugin_status, query) + sizeof(void *));
    if (ext == nullptr || ext->query == nullptr)
        return std::nullopt;
    StatusCollector collector{impl_->plugin->info.id, {}, {}};
    jc_status status = JC_OK;
    try {
        status = ext->query(p, jc_str{employee.data(), employee.size()}, as_of, &collector, &collect_status);
    } catch (...) {
        impl_->contain("jc.status/1 query threw");
        throw HostError(JC_E_INTERNAL, "plugin " + impl_->plugin->info.id + ": jc.status/1 query threw");
    }
    if (!collector.error.empty())
        throw HostError(JC_E_INVALID_ARGUMENT, "plugin " + impl_->plugin->info.id + ": jc.status/1: " + collector.error);
    if (status != JC_OK)
        throw HostError(status, "plugin " + impl_->plugin->info.id + ": jc.status/1 query failed: " + impl_->last_error());
    return std::move(collector.out);
}

std::optional<bool> Instance::knows(std::string_view employee)
{
    std::lock_guard lock(impl_->mutex);
    if (impl_->contained)
        throw HostError(JC_E_INTERNAL, "plugin " + impl_->plugin->info.id + " is contained after an earlier failure");
    const jc_plugin *p = impl_->instance;
    const auto *ext = impl_->status_extension(offsetof(jc_plugin_status, knows) + sizeof(void *));
    if (ext == nullptr || ext->knows == nullptr)
        return std::nullopt; // a plugin of 1.1.0's headers
    int32_t answer = 0;
    try {
        answer = ext->knows(p, jc_str{employee.data(), employee.size()});
    } catch (...) {
        impl_->contain("jc.status/1 knows threw");
        throw HostError(JC_E_INTERNAL, "plugin " + impl_->plugin->info.id + ": jc.status/1 knows threw");
    }
    if (answer < 0)
        throw HostError(answer, "plugin " + impl_->plugin->info.id + ": jc.status/1 knows failed: " + impl_->last_error());
    return answer == 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Runtime

EvaluationThreads::EvaluationThreads(unsigned capacity) : capacity_(std::max(1u, capacity)) {}

void EvaluationThreads::note(unsigned now)
{
    for (unsigned most = most_.load(); now > most && !most_.compare_exchange_weak(most, now);) {
    }
}

void EvaluationThreads::enter() { note(in_use_.fetch_add(1) + 1); }

void EvaluationThreads::leave() { in_use_.fetch_sub(1); }

unsigned EvaluationThreads::take(unsigned wanted)
{
    for (unsigned now = in_use_.load();;) {
        const unsigned taken = now >= capacity_ ? 0 : std::min(wanted, capacity_ - now);
        if (taken == 0)
            return 0;
        if (in_use_.compare_exchange_weak(now, now + taken)) {
            note(now + taken);
            return taken;
        }
    }
}

void EvaluationThreads::give_back(unsigned count) { in_use_.fetch_sub(count); }

void EvaluationThreads::reserve(unsigned count) { note(in_use_.fetch_add(count) + count); }

namespace {
thread_local const EvaluationThreads *seat_of_thread = nullptr; // the count a Seat of this thread is in
} // namespace

EvaluationThreads::Seat::Seat(EvaluationThreads &threads, bool reserved) : threads_(threads), before_(seat_of_thread)
{
    if (!reserved)
        threads_.enter();
    seat_of_thread = &threads_;
}

EvaluationThreads::Seat::~Seat()
{
    seat_of_thread = before_;
    threads_.leave();
}

bool EvaluationThreads::seated_here() const { return seat_of_thread == this; }

Runtime::Runtime(std::shared_ptr<spdlog::logger> logger)
    : logger_(logger ? std::move(logger) : spdlog::default_logger()),
      threads_(std::make_shared<EvaluationThreads>(std::thread::hardware_concurrency()))
{
}

void Runtime::share_threads(unsigned capacity) { threads_ = std::make_shared<EvaluationThreads>(capacity); }

Runtime::~Runtime() = default;

const PluginInfo &Runtime::info(const Plugin &plugin) { return plugin.info; }

void Runtime::require_sha256(std::vector<std::string> hashes) { allowlist_ = std::move(hashes); }

void Runtime::load_directory(const fs::path &dir)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        logger_->debug("plugin directory {} does not exist", dir.string());
        return;
    }
    if (auto why = untrusted_path(dir, true)) {
        refusals_.push_back({dir, "permissions", *why});
        logger_->warn("plugin directory refused: {}", *why);
        return;
    }
    for (const auto &m : find_manifests(dir))
        load_manifest(m);
}

bool Runtime::load_manifest(const fs::path &manifest)
{
    auto plugin = std::make_shared<Plugin>();
    plugin->logger = logger_;
    try {
        // The checks of loader_checks(), in its order: first those that run no plugin code.
        loader::manifest_file(manifest);
        std::vector<const PluginInfo *> loaded;
        for (const auto &p : plugins_)
            loaded.push_back(&p->info);
        plugin->info = loader::manifest(manifest, loaded);
        PluginInfo &info = plugin->info;
        loader::manifest_version(info, host_abi);
        loader::plugin_files(info);
        loader::allowlisted(info, allowlist_);
        loader::entry_symbol(info);
        // Load: every symbol resolved now, nothing exported to other plugins.
        std::error_code ec;
        plugin->threads_before = process_threads();
        ::dlerror();
        auto library = std::make_shared<boost::dll::shared_library>(
            info.library, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
        if (ec) {
            const char *dl = ::dlerror();
            throw Refused{"load", dl != nullptr ? std::string(dl) : ec.message()};
        }
        plugin->library = library;
        const jc_plugin_entry *entry = nullptr;
        try {
            auto &entry_fn = library->get<const jc_plugin_entry *JC_ABI()>(JC_PLUGIN_ENTRY_SYMBOL);
            entry = entry_fn();
        } catch (const std::exception &e) {
            throw Refused{"entry", std::string("calling " JC_PLUGIN_ENTRY_SYMBOL " failed: ") + e.what()};
        } catch (...) {
            throw Refused{"entry", JC_PLUGIN_ENTRY_SYMBOL " threw"};
        }
        loader::entry(entry);
        loader::entry_version(*entry, info, host_abi);
        loader::descriptor(*entry, info);
        plugin->entry = entry;
        // init, reference-counted by the plugin.
        char error[512] = {};
        jc_status status = JC_OK;
        try {
            status = entry->init(info.library.parent_path().c_str(), error, sizeof error);
        } catch (...) {
            throw Refused{"init", "init threw"};
        }
        error[sizeof error - 1] = '\0'; // a plugin that filled the buffer without a NUL is not read past it
        if (status != JC_OK)
            throw Refused{"init", "status " + std::to_string(status) + ": " + error};
        plugin->initialised = true;
    } catch (const LoaderCheckFailed &r) {
        refusals_.push_back({manifest, r.check(), r.what()});
        logger_->warn("plugin refused: {}: {} check: {}", manifest.string(), r.check(), r.what());
        return false;
    } catch (const Refused &r) {
        refusals_.push_back({manifest, r.check, r.reason});
        logger_->warn("plugin refused: {}: {} check: {}", manifest.string(), r.check, r.reason);
        return false;
    }
    logger_->info("plugin loaded: {} {} (ABI {}) from {}", plugin->info.id, plugin->info.version,
                  version_text(plugin->info.abi_version), plugin->info.library.string());
    plugins_.push_back(std::move(plugin));
    return true;
}

std::unique_ptr<Instance> Runtime::create_instance(const std::shared_ptr<Plugin> &plugin, const InstanceOptions &options)
{
    auto impl = std::make_unique<Instance::Impl>();
    impl->plugin = plugin;
    impl->logger = logger_;
    impl->threads = threads_;
    impl->host.struct_size = sizeof(jc_host);
    impl->host.abi_version = host_abi;
    impl->host.host_data = impl.get();
    impl->host.name = "jobcoach host runtime";
    impl->host.version = JOBCOACH_VERSION;
    impl->host.get_extension = &host_get_extension;
    impl->host.log = &host_log;
    impl->host.emit_finding = &host_emit_finding;

    if (!options.rule_pack_dir.empty())
        if (auto why = loader::untrusted_rule_packs(options.rule_pack_dir))
            throw HostError(JC_E_INVALID_ARGUMENT, "rule-pack directory refused: " + *why);
    jc_instance_config config{};
    config.struct_size = sizeof(config);
    config.state_path = options.state_path.empty() ? nullptr : options.state_path.c_str();
    config.rule_pack_dir = options.rule_pack_dir.empty() ? nullptr : options.rule_pack_dir.c_str();
    char error[1024] = {};
    jc_status status = JC_OK;
    try {
        status = plugin->entry->create(&impl->host, &config, &impl->instance, error, sizeof error);
    } catch (...) {
        throw HostError(JC_E_INTERNAL, "plugin " + plugin->info.id + ": create threw");
    }
    error[sizeof error - 1] = '\0'; // a plugin that filled the buffer without a NUL is not read past it
    if (status != JC_OK || impl->instance == nullptr)
        throw HostError(status != JC_OK ? status : JC_E_INTERNAL,
                        "plugin " + plugin->info.id + ": create failed: " + (error[0] != '\0' ? error : "no instance"));
    if (impl->instance->struct_size < offsetof(jc_plugin, last_error) + sizeof(void *) ||
        impl->instance->destroy == nullptr || impl->instance->handle_events == nullptr ||
        impl->instance->evaluate == nullptr)
        throw HostError(JC_E_INTERNAL, "plugin " + plugin->info.id + ": the instance lacks required functions");
    return std::unique_ptr<Instance>(new Instance(std::move(impl)));
}

} // namespace jobcoach::host
