// SPDX-License-Identifier: Apache-2.0
#include "driver.hpp"

#include <jobcoach/host/inspect.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <cstring>

namespace jobcoach::validate {

void guarded(const char *function, const std::function<void()> &fn)
{
    try {
        fn();
    } catch (const CheckFailed &) {
        throw;
    } catch (const std::exception &e) {
        throw CheckFailed(std::string(function) + " threw a C++ exception across the ABI: " + e.what());
    } catch (...) {
        throw CheckFailed(std::string(function) + " threw a C++ exception across the ABI");
    }
}

Library::Library(const std::filesystem::path &path) : path_(path)
{
    ::dlerror();
    void *handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char *why = ::dlerror();
        throw CheckFailed(std::string("the library does not load: ") + (why != nullptr ? why : "unknown reason"));
    }
    void *symbol = ::dlsym(handle, JC_PLUGIN_ENTRY_SYMBOL);
    if (symbol == nullptr)
        throw CheckFailed("the library does not export " JC_PLUGIN_ENTRY_SYMBOL);
    jc_plugin_entry_fn fn = nullptr;
    std::memcpy(&fn, &symbol, sizeof fn);
    guarded(JC_PLUGIN_ENTRY_SYMBOL, [&] { entry_ = fn(); });
    if (entry_ == nullptr)
        throw CheckFailed(JC_PLUGIN_ENTRY_SYMBOL " returned NULL");
}

void Library::init() const
{
    char error[512] = {};
    jc_status status = JC_OK;
    guarded("init", [&] { status = entry_->init(directory().c_str(), error, sizeof error); });
    if (status != JC_OK)
        throw CheckFailed("init failed with status " + std::to_string(status) + ": " + error);
}

void Library::deinit() const
{
    guarded("deinit", [&] { entry_->deinit(); });
}

Instance::Instance(const Library &library, uint32_t tokens) : offers_threads_(tokens > 0)
{
    tokens_.free = tokens;
    host_.struct_size = sizeof host_;
    host_.abi_version = {JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, JC_ABI_VERSION_PATCH};
    host_.host_data = this;
    host_.name = "jobcoach-validate";
    host_.version = JOBCOACH_VERSION;
    host_.get_extension = &Instance::get_extension;
    host_.log = &Instance::log;
    host_.emit_finding = &Instance::emit;
    jc_instance_config config{};
    config.struct_size = sizeof config;
    char error[1024] = {};
    jc_status status = JC_OK;
    guarded("create", [&] { status = library.entry().create(&host_, &config, &plugin_, error, sizeof error); });
    if (status != JC_OK || plugin_ == nullptr)
        throw CheckFailed("create failed with status " + std::to_string(status) + ": " + (error[0] != '\0' ? error : "no instance"));
    if (plugin_->struct_size < offsetof(jc_plugin, get_extension) + sizeof(void *) || plugin_->destroy == nullptr ||
        plugin_->handle_events == nullptr || plugin_->evaluate == nullptr || plugin_->last_error == nullptr)
        throw CheckFailed("the instance's jc_plugin is too small or lacks a required function");
}

Instance::~Instance()
{
    if (plugin_ != nullptr) {
        try {
            plugin_->destroy(plugin_);
        } catch (...) {
            // The child reports what it was checking; an exception here ends in std::terminate otherwise.
        }
    }
}

jc_status Instance::handle(std::span<const jc_event_header *const> events, jc_batch_result &result)
{
    jc_status status = JC_OK;
    result = {};
    result.struct_size = sizeof result;
    result.failed_index = UINT32_MAX;
    guarded("handle_events", [&] {
        status = plugin_->handle_events(plugin_, events.data(), static_cast<uint32_t>(events.size()), &result);
    });
    return status;
}

std::vector<std::string> Instance::evaluate(jc_date as_of)
{
    std::vector<std::string> out;
    collecting_ = &out;
    ids_.clear();
    explained_ = 0;
    worded_ = 0;
    jc_status status = JC_OK;
    evaluating_ = std::this_thread::get_id();
    try {
        guarded("evaluate", [&] { status = plugin_->evaluate(plugin_, as_of); });
    } catch (...) {
        collecting_ = nullptr;
        evaluating_ = std::thread::id();
        throw;
    }
    collecting_ = nullptr;
    evaluating_ = std::thread::id();
    if (tokens_.held > 0) { // kept past the call: counted, and taken back as a host does
        tokens_.kept += tokens_.held;
        tokens_.free += tokens_.held;
        tokens_.held = 0;
    }
    if (status != JC_OK)
        throw CheckFailed("evaluate failed with status " + std::to_string(status) + ": " + last_error());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> Instance::collect(const std::string &what, const std::function<jc_status()> &call)
{
    std::vector<std::string> out;
    collecting_ = &out;
    ids_.clear();
    changes_.clear();
    explained_ = 0;
    worded_ = 0;
    jc_status status = JC_OK;
    try {
        guarded(what.c_str(), [&] { status = call(); });
    } catch (...) {
        collecting_ = nullptr;
        throw;
    }
    collecting_ = nullptr;
    if (status != JC_OK)
        throw CheckFailed(what + " failed with status " + std::to_string(status) + ": " + last_error());
    std::sort(out.begin(), out.end());
    return out;
}

const char *Instance::last_error() const
{
    const char *message = nullptr;
    try {
        message = plugin_->last_error(plugin_);
    } catch (...) {
        return "(last_error threw)";
    }
    return message != nullptr ? message : "(last_error returned NULL)";
}

namespace {

std::string text(jc_str s) { return s.data != nullptr ? std::string(s.data, s.size) : std::string(); }
std::string number(int64_t v) { return v == JC_NO_VALUE ? "-" : std::to_string(v); }

} // namespace

jc_status JC_ABI Instance::emit(const jc_host *host, const jc_finding *finding)
{
    auto *self = static_cast<Instance *>(host->host_data);
    if (self->collecting_ == nullptr) {
        self->problems_.push_back("emit_finding was called outside evaluate");
        return JC_E_UNSUPPORTED;
    }
    if (finding == nullptr) {
        self->problems_.push_back("emit_finding was given NULL");
        return JC_E_INVALID_ARGUMENT;
    }
    // Read only what the plugin filled; keep going so that the findings check can list every problem.
    jc_finding f{};
    std::memcpy(&f, finding, std::min<size_t>(finding->struct_size, sizeof f));
    if (finding->struct_size < JC_FINDING_SIZE_V1_0) {
        self->problems_.push_back("a finding's struct_size is " + std::to_string(finding->struct_size) +
                                  ", less than ABI 1.0's " + std::to_string(JC_FINDING_SIZE_V1_0));
        self->collecting_->push_back("(a finding too small to read)");
        return JC_OK;
    }
    const std::pair<const char *, jc_str> required[] = {{"employee", f.employee}, {"scheme", f.scheme},
                                                        {"rule", f.rule},         {"kind", f.kind},
                                                        {"message_nl", f.message_nl}, {"message_en", f.message_en},
                                                        {"source", f.source}};
    for (const auto &[name, value] : required)
        if ((value.data == nullptr || value.size == 0) &&
            ((self->require_messages_ && !(finding->struct_size >= JC_FINDING_SIZE_V1_2 && f.change == JC_CHANGE_RESOLVED)) ||
             std::strncmp(name, "message_", 8) != 0)) // (jc.messages/1 off, or resolved as last reported: absent)
            self->problems_.push_back(std::string("a finding of rule '") + text(f.rule) + "' lacks " + name);
    const std::pair<const char *, jc_str> texts[] = {
        {"employee", f.employee}, {"scheme", f.scheme},         {"rule", f.rule},
        {"kind", f.kind},         {"subject", f.subject},       {"message_nl", f.message_nl},
        {"message_en", f.message_en}, {"source", f.source},     {"employer", f.employer}};
    for (const auto &[name, value] : texts)
        if (!host::valid_utf8(text(value)))
            self->problems_.push_back(std::string("a finding of rule '") + text(f.rule) + "' has " + name +
                                      " that is not valid UTF-8");
    if (f.severity < JC_SEVERITY_INFO || f.severity > JC_SEVERITY_CRITICAL)
        self->problems_.push_back("a finding has severity " + std::to_string(f.severity));
    if (f.employee_count > 0 && f.employees == nullptr)
        self->problems_.push_back("a finding has employee_count > 0 and employees NULL");
    if (finding->struct_size >= JC_FINDING_SIZE_V1_1 && f.explanation.size > 0)
        ++self->explained_;
    const bool v1_4 = finding->struct_size >= offsetof(jc_finding, action_en) + sizeof(jc_str);
    if (f.message_nl.size > 0 || f.message_en.size > 0 || (finding->struct_size >= JC_FINDING_SIZE_V1_1 &&
                                                           f.explanation.size > 0) ||
        (v1_4 && (f.action_nl.size > 0 || f.action_en.size > 0)))
        ++self->worded_;
    // ABI 1.2: a finding that has an id member must fill it, and no two findings of one evaluate share one.
    if (finding->struct_size >= JC_FINDING_SIZE_V1_2) {
        self->changes_.push_back(f.change);
        const std::string id = text(f.id);
        if (id.empty() || id.size() > 128 || !host::valid_utf8(id))
            self->problems_.push_back(std::string("a finding of rule '") + text(f.rule) + "' has an id of " +
                                      std::to_string(id.size()) + " bytes; a 1.2 finding's id is 1-128 bytes of UTF-8");
        else if (!self->ids_.insert(id).second)
            self->problems_.push_back(std::string("two findings share the id '") + id + "' (rule '" + text(f.rule) +
                                      "'); an id names one finding");
    }
    self->collecting_->push_back(text(f.employee) + "|" + text(f.scheme) + "|" + text(f.rule) + "|" + text(f.kind) + "|" +
                                 text(f.subject) + "|" + std::to_string(f.severity) + "|" + std::to_string(f.due) + "|" +
                                 number(f.observed_minutes) + "|" + number(f.limit_minutes) + "|" + number(f.amount_cents));
    return JC_OK;
}

void JC_ABI Instance::log(const jc_host *, int32_t, jc_str) {}

const void *JC_ABI Instance::get_extension(const jc_host *host, const char *id)
{
    static constexpr jc_host_threads threads{sizeof(jc_host_threads), 0, &Instance::take, &Instance::give_back};
    const auto *self = static_cast<const Instance *>(host->host_data);
    if (self->offers_threads_ && id != nullptr && std::strcmp(id, JC_EXT_THREADS) == 0)
        return &threads;
    return nullptr;
}

bool Instance::on_evaluating_thread() const
{
    const std::thread::id evaluating = evaluating_.load();
    return evaluating != std::thread::id() && evaluating == std::this_thread::get_id();
}

uint32_t JC_ABI Instance::take(const jc_host *host, uint32_t wanted)
{
    // (A plugin's own threads may call this while the calling thread runs: their calls are counted, not served.)
    auto *self = static_cast<Instance *>(host->host_data);
    if (!self->on_evaluating_thread()) {
        ++self->astray_;
        return 0;
    }
    const uint32_t taken = std::min(wanted, self->tokens_.free);
    self->tokens_.free -= taken;
    self->tokens_.held += taken;
    self->tokens_.taken += taken;
    return taken;
}

void JC_ABI Instance::give_back(const jc_host *host, uint32_t count)
{
    auto *self = static_cast<Instance *>(host->host_data);
    if (!self->on_evaluating_thread()) {
        ++self->astray_;
        return;
    }
    const uint32_t given = std::min(count, self->tokens_.held);
    self->tokens_.held -= given;
    self->tokens_.free += given;
}

} // namespace jobcoach::validate
