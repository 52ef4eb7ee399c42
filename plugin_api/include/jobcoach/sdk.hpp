// SPDX-License-Identifier: Apache-2.0
// jobcoach/sdk.hpp: header-only C++20 SDK for plugin authors.
//
// A plugin author writes one class and one macro; the SDK writes the C boilerplate:
//
//   class MyPlugin : public jobcoach::sdk::Instance {
//   public:
//       static const jc_plugin_descriptor *descriptor();           // what the plugin is
//       static void on_init(const std::string &plugin_dir) {}      // first init of the library (optional work)
//       static void on_deinit() {}                                 // last deinit
//       MyPlugin(jobcoach::sdk::Host host, const jobcoach::sdk::InstanceConfig &config);
//       void handle_events(std::span<const jc_event_header *const> events, jc_batch_result &result) override;
//       void evaluate(jc_date as_of) override;
//   };
//   JC_SDK_EXPORT_PLUGIN(MyPlugin)
//
// What the SDK guarantees: no exception leaves the plugin (each is caught at the boundary and mapped to a
// jc_status plus last_error; throw jobcoach::sdk::Error to choose the status), init/deinit are
// reference-counted, struct_size is respected in both directions, NULL pointers from the host are refused with
// JC_E_INVALID_ARGUMENT. Before handle_events sees a batch, the SDK checks each event's pointer and struct_size
// (at least the header, and at least the v1.0 struct of a known type): a batch with a NULL, truncated event is
// refused whole with JC_E_INVALID_EVENT and failed_index, so the plugin's own code never reads past an event.
#ifndef JOBCOACH_SDK_HPP
#define JOBCOACH_SDK_HPP

#include <jobcoach/jobcoach.h>

#include <atomic>
#include <cstddef>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace jobcoach::sdk {

// An error with the status it maps to at the boundary.
class Error : public std::runtime_error {
public:
    Error(jc_status status, const std::string &message) : std::runtime_error(message), status_(status) {}
    jc_status status() const noexcept { return status_; }

private:
    jc_status status_;
};

inline std::string_view view(jc_str s) noexcept
{
    return s.data != nullptr ? std::string_view(s.data, s.size) : std::string_view{};
}

inline jc_str str(std::string_view s) noexcept { return jc_str{s.empty() ? nullptr : s.data(), s.size()}; }

// The v1.0 size of each event struct: the least a host may send. Frozen: when a member is appended to an
// event struct, its entry here keeps the old number and the reader treats the new member as absent.
inline uint32_t event_min_size(uint32_t type) noexcept
{
    switch (type) {
    case JC_EVENT_CONTRACT_STARTED: return sizeof(jc_event_contract_started);
    case JC_EVENT_CONTRACT_CHANGED: return sizeof(jc_event_contract_changed);
    case JC_EVENT_CONTRACT_ENDED: return sizeof(jc_event_contract_ended);
    case JC_EVENT_COACHING_GRANTED: return sizeof(jc_event_coaching_granted);
    case JC_EVENT_COACHING_EXTENDED: return sizeof(jc_event_coaching_extended);
    case JC_EVENT_COACHING_ENDED: return sizeof(jc_event_coaching_ended);
    case JC_EVENT_TIMESHEET_LOGGED: return sizeof(jc_event_timesheet_logged);
    case JC_EVENT_TIMESHEET_RETRACTED: return sizeof(jc_event_timesheet_retracted);
    case JC_EVENT_EVENT_RETRACTED: return sizeof(jc_event_event_retracted);
    case JC_EVENT_ABSENCE_STARTED:
    case JC_EVENT_ABSENCE_ENDED: return sizeof(jc_event_absence);
    case JC_EVENT_REPORT_SUBMITTED: return sizeof(jc_event_report_submitted);
    case JC_EVENT_BUDGET_TRANSFERRED: return sizeof(jc_event_budget_transferred);
    default: return 0; // unknown type
    }
}

// Copies an event into a zero-initialised T, reading only min(struct_size, sizeof(T)) bytes.
// Throws Error(JC_E_INVALID_EVENT) when the host sent fewer bytes than the v1.0 struct holds.
template <class T> T read_event(const jc_event_header &header)
{
    const uint32_t least = event_min_size(header.type);
    if (header.struct_size < least)
        throw Error(JC_E_INVALID_EVENT, "struct_size " + std::to_string(header.struct_size) +
                                            " is smaller than the " + std::to_string(least) +
                                            " bytes of event type " + std::to_string(header.type));
    T out{};
    std::memcpy(&out, &header, header.struct_size < sizeof(T) ? header.struct_size : sizeof(T));
    return out;
}

// The instance's view of the host services. Cheap to copy; valid as long as the instance.
class Host {
public:
    explicit Host(const jc_host *host) noexcept : host_(host) {}

    void log(int32_t level, std::string_view message) const noexcept
    {
        if (has(offsetof(jc_host, log)) && host_->log != nullptr)
            host_->log(host_, level, str(message));
    }

    // Returns the host's status; JC_E_UNSUPPORTED when the host has no emit_finding.
    jc_status emit(const jc_finding &finding) const noexcept
    {
        if (!has(offsetof(jc_host, emit_finding)) || host_->emit_finding == nullptr)
            return JC_E_UNSUPPORTED;
        return host_->emit_finding(host_, &finding);
    }

    const void *extension(const char *id) const noexcept
    {
        if (!has(offsetof(jc_host, get_extension)) || host_->get_extension == nullptr)
            return nullptr;
        return host_->get_extension(host_, id);
    }

    const jc_host *raw() const noexcept { return host_; }

private:
    // True when the host's struct reaches the pointer-sized member at `offset`.
    bool has(size_t offset) const noexcept { return host_->struct_size >= offset + sizeof(void *); }
    const jc_host *host_;
};

// jc_instance_config as owned strings, read within its struct_size.
struct InstanceConfig {
    std::string state_path;    // empty: in memory
    std::string rule_pack_dir; // empty: none
    std::string plugin_dir;    // the library's directory, from init
};

// Base class of a plugin instance.
class Instance {
public:
    virtual ~Instance() = default;
    virtual void handle_events(std::span<const jc_event_header *const> events, jc_batch_result &result) = 0;
    virtual void evaluate(jc_date as_of) = 0;
    virtual const void *get_extension(std::string_view /*id*/) const noexcept { return nullptr; }
};

namespace detail {

inline void write_error(char *buffer, uint32_t capacity, std::string_view message) noexcept
{
    if (buffer == nullptr || capacity == 0)
        return;
    const size_t n = message.size() < capacity - 1 ? message.size() : capacity - 1;
    std::memcpy(buffer, message.data(), n);
    buffer[n] = '\0';
}

// Runs fn, mapping every exception to a status; the message goes to `message`.
template <class Fn> jc_status guarded(std::string &message, Fn &&fn) noexcept
{
    try {
        fn();
        message.clear();
        return JC_OK;
    } catch (const Error &e) {
        message = e.what();
        return e.status() < 0 ? e.status() : JC_E_INTERNAL;
    } catch (const std::bad_alloc &) {
        try { message = "out of memory"; } catch (...) {}
        return JC_E_OUT_OF_MEMORY;
    } catch (const std::exception &e) {
        try { message = e.what(); } catch (...) {}
        return JC_E_INTERNAL;
    } catch (...) {
        message = "unknown exception";
        return JC_E_INTERNAL;
    }
}

struct Wrapper {
    jc_plugin plugin{};
    std::unique_ptr<Instance> impl;
    std::string last_error;
    std::atomic<bool> in_call{false}; // an [instance-serialized] call is running
};

// Marks an [instance-serialized] call as running. A second call that overlaps it (a host calling one instance
// from two threads at once, which the ABI forbids) does not own the instance: it must return at once, touching
// nothing, not even last_error, which belongs to the running call.
class Serialized {
public:
    explicit Serialized(Wrapper &w) noexcept : w_(w), owned_(!w.in_call.exchange(true, std::memory_order_acquire)) {}
    ~Serialized()
    {
        if (owned_)
            w_.in_call.store(false, std::memory_order_release);
    }
    Serialized(const Serialized &) = delete;
    Serialized &operator=(const Serialized &) = delete;
    bool owned() const noexcept { return owned_; }

private:
    Wrapper &w_;
    bool owned_;
};

inline Wrapper *wrapper_of(const jc_plugin *self) noexcept
{
    return self != nullptr ? static_cast<Wrapper *>(self->plugin_data) : nullptr;
}

inline void JC_ABI plugin_destroy(const jc_plugin *self)
{
    delete wrapper_of(self); // ~Instance must not throw
}

inline jc_status JC_ABI plugin_handle_events(const jc_plugin *self, const jc_event_header *const *events,
                                             uint32_t count, jc_batch_result *result)
{
    Wrapper *w = wrapper_of(self);
    if (w == nullptr)
        return JC_E_INVALID_ARGUMENT;
    const Serialized call(*w);
    if (!call.owned())
        return JC_E_INVALID_ARGUMENT; // overlaps another call on this instance
    return guarded(w->last_error, [&] {
        if (events == nullptr && count > 0)
            throw Error(JC_E_INVALID_ARGUMENT, "handle_events: events is NULL with count " + std::to_string(count));
        if (result != nullptr && result->struct_size < offsetof(jc_batch_result, failed_index) + sizeof(uint32_t))
            throw Error(JC_E_INVALID_ARGUMENT, "handle_events: jc_batch_result.struct_size " +
                                                   std::to_string(result->struct_size) + " is too small");
        jc_batch_result local{};
        local.struct_size = sizeof(local);
        local.failed_index = UINT32_MAX;
        struct Copy { // the result is written back even when the batch fails
            jc_batch_result &from;
            jc_batch_result *to;
            ~Copy()
            {
                if (to != nullptr) {
                    const uint32_t size = to->struct_size < sizeof(from) ? to->struct_size : sizeof(from);
                    from.struct_size = to->struct_size;
                    std::memcpy(to, &from, size);
                }
            }
        } copy{local, result};
        for (uint32_t i = 0; i < count; ++i) {
            const jc_event_header *h = events[i];
            std::string why;
            if (h == nullptr)
                why = "NULL pointer";
            else if (h->struct_size < sizeof(jc_event_header))
                why = "struct_size " + std::to_string(h->struct_size) + " is smaller than the " +
                      std::to_string(sizeof(jc_event_header)) + "-byte header";
            else if (const uint32_t least = event_min_size(h->type); least != 0 && h->struct_size < least)
                why = "struct_size " + std::to_string(h->struct_size) + " is smaller than the " + std::to_string(least) +
                      " bytes of event type " + std::to_string(h->type);
            if (!why.empty()) {
                local.failed_index = i;
                throw Error(JC_E_INVALID_EVENT, "event #" + std::to_string(i) + " of the batch: " + why);
            }
        }
        w->impl->handle_events(std::span<const jc_event_header *const>(events, count), local);
    });
}

inline jc_status JC_ABI plugin_evaluate(const jc_plugin *self, jc_date as_of)
{
    Wrapper *w = wrapper_of(self);
    if (w == nullptr)
        return JC_E_INVALID_ARGUMENT;
    const Serialized call(*w);
    if (!call.owned())
        return JC_E_INVALID_ARGUMENT; // overlaps another call on this instance
    return guarded(w->last_error, [&] {
        if (as_of < JC_DATE_MIN || as_of > JC_DATE_MAX)
            throw Error(JC_E_INVALID_ARGUMENT, "evaluate: as_of day number " + std::to_string(as_of) +
                                                   " is outside 1900-01-01..2199-12-31");
        w->impl->evaluate(as_of);
    });
}

inline const char *JC_ABI plugin_last_error(const jc_plugin *self)
{
    Wrapper *w = wrapper_of(self);
    return w != nullptr ? w->last_error.c_str() : "invalid instance";
}

inline const void *JC_ABI plugin_get_extension(const jc_plugin *self, const char *id)
{
    Wrapper *w = wrapper_of(self);
    if (w == nullptr || id == nullptr)
        return nullptr;
    return w->impl->get_extension(id);
}

} // namespace detail

// The C entry for plugin class P. init/deinit are [loader-thread]; the mutex also makes a misbehaving host
// that calls them concurrently safe.
template <class P> struct EntryFor {
    static inline std::mutex mutex;
    static inline int init_count = 0;
    static inline std::string plugin_dir;

    static jc_status JC_ABI init(const char *dir, char *error, uint32_t capacity)
    {
        std::lock_guard lock(mutex);
        std::string message;
        const jc_status status = detail::guarded(message, [&] {
            if (dir == nullptr)
                throw Error(JC_E_INVALID_ARGUMENT, "init: plugin_dir is NULL");
            if (init_count == 0) {
                plugin_dir = dir;
                P::on_init(plugin_dir);
            }
            ++init_count;
        });
        if (status != JC_OK)
            detail::write_error(error, capacity, message);
        return status;
    }

    static void JC_ABI deinit()
    {
        std::lock_guard lock(mutex);
        if (init_count == 0)
            return; // unmatched deinit: ignore rather than underflow
        if (--init_count == 0) {
            try {
                P::on_deinit();
            } catch (...) {
            }
        }
    }

    static jc_status JC_ABI create(const jc_host *host, const jc_instance_config *config,
                                   const jc_plugin **out_plugin, char *error, uint32_t capacity)
    {
        std::string message;
        const jc_status status = detail::guarded(message, [&] {
            if (out_plugin == nullptr)
                throw Error(JC_E_INVALID_ARGUMENT, "create: out_plugin is NULL");
            *out_plugin = nullptr;
            if (host == nullptr)
                throw Error(JC_E_INVALID_ARGUMENT, "create: host is NULL");
            if (host->struct_size < offsetof(jc_host, emit_finding) + sizeof(void *))
                throw Error(JC_E_INVALID_ARGUMENT,
                            "create: jc_host.struct_size " + std::to_string(host->struct_size) + " is too small");
            if (!jc_version_is_compatible(host->abi_version, entry.min_host_abi))
                throw Error(JC_E_VERSION, "create: host ABI " + std::to_string(host->abi_version.major) + "." +
                                              std::to_string(host->abi_version.minor) + " is not compatible");
            InstanceConfig cfg;
            {
                std::lock_guard lock(mutex);
                if (init_count == 0)
                    throw Error(JC_E_INVALID_ARGUMENT, "create: called before init");
                cfg.plugin_dir = plugin_dir;
            }
            if (config != nullptr) {
                // A config smaller than ABI 1.0's would silently lose state_path: refuse it.
                if (config->struct_size < offsetof(jc_instance_config, rule_pack_dir) + sizeof(const char *))
                    throw Error(JC_E_INVALID_ARGUMENT, "create: jc_instance_config.struct_size " +
                                                           std::to_string(config->struct_size) + " is too small");
                jc_instance_config c{};
                std::memcpy(&c, config, config->struct_size < sizeof(c) ? config->struct_size : sizeof(c));
                if (c.state_path != nullptr)
                    cfg.state_path = c.state_path;
                if (c.rule_pack_dir != nullptr)
                    cfg.rule_pack_dir = c.rule_pack_dir;
            }
            auto w = std::make_unique<detail::Wrapper>();
            w->impl = std::make_unique<P>(Host(host), cfg);
            w->plugin.struct_size = sizeof(jc_plugin);
            w->plugin.plugin_data = w.get();
            w->plugin.destroy = &detail::plugin_destroy;
            w->plugin.handle_events = &detail::plugin_handle_events;
            w->plugin.evaluate = &detail::plugin_evaluate;
            w->plugin.last_error = &detail::plugin_last_error;
            w->plugin.get_extension = &detail::plugin_get_extension;
            *out_plugin = &w.release()->plugin;
        });
        if (status != JC_OK)
            detail::write_error(error, capacity, message);
        return status;
    }

    static inline const jc_plugin_entry entry = {
        sizeof(jc_plugin_entry),
        JC_EVENT_SCHEMA_VERSION,
        {JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, JC_ABI_VERSION_PATCH},
        {JC_ABI_VERSION_MAJOR, 0, 0}, // needs only what ABI 1.0 has
        P::descriptor(),
        &init,
        &deinit,
        &create,
    };
};

} // namespace jobcoach::sdk

// Defines the plugin's one exported symbol for class P.
#define JC_SDK_EXPORT_PLUGIN(P)                                                                              \
    extern "C" JC_EXPORT const jc_plugin_entry *JC_ABI jc_plugin_entry_v1(void)                              \
    {                                                                                                        \
        return &::jobcoach::sdk::EntryFor<P>::entry;                                                         \
    }

#endif // JOBCOACH_SDK_HPP
