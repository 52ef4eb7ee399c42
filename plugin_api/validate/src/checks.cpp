// SPDX-License-Identifier: Apache-2.0
#include "checks.hpp"

#include "conformance_events.h"
#include "driver.hpp"

#include <jobcoach/host/inspect.hpp>
#include <jobcoach/host/loader_checks.hpp>

#include <algorithm>
#include <barrier>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace jobcoach::validate {

namespace fs = std::filesystem;

namespace {

std::string version_text(jc_version v) { return std::to_string(v.major) + "." + std::to_string(v.minor); }

std::string joined(const std::vector<std::string> &items, const char *separator = ", ")
{
    std::string out;
    for (const auto &s : items)
        out += (out.empty() ? "" : separator) + s;
    return out;
}

host::PluginInfo manifest_of(const fs::path &manifest)
{
    try {
        return host::read_manifest(manifest);
    } catch (const host::ManifestError &e) {
        throw CheckFailed(manifest.string() + ": " + e.what());
    }
}

// The conformance batch for each scheme the plugin serves, one employee per scheme ("<prefix><n>").
class Workload {
public:
    Workload(const std::vector<std::string> &schemes, const std::string &prefix)
    {
        for (size_t n = 0; n < schemes.size(); ++n) {
            batches_.push_back(std::make_unique<jc_conformance_batch>());
            jc_conformance_batch_init(batches_.back().get(), (prefix + std::to_string(n + 1)).c_str(), schemes[n].c_str());
            events_.insert(events_.end(), batches_.back()->events, batches_.back()->events + batches_.back()->count);
        }
    }
    const std::vector<const jc_event_header *> &events() const { return events_; }

private:
    std::vector<std::unique_ptr<jc_conformance_batch>> batches_;
    std::vector<const jc_event_header *> events_;
};

// Sends `events` and requires the plugin to accept them.
void feed(Instance &instance, std::span<const jc_event_header *const> events, const char *what)
{
    jc_batch_result result;
    const jc_status status = instance.handle(events, result);
    if (status != JC_OK)
        throw CheckFailed(std::string("handle_events refused ") + what + " with status " + std::to_string(status) +
                          " at event #" + std::to_string(result.failed_index) + ": " + instance.last_error());
}

std::vector<std::string> findings_of(const Library &library, std::span<const jc_event_header *const> events)
{
    Instance instance(library);
    feed(instance, events, "the conformance batch");
    return instance.evaluate(JC_CONFORMANCE_AS_OF);
}

// Names the first finding in which two runs differ.
std::string difference(const std::vector<std::string> &want, const std::vector<std::string> &got)
{
    if (want.size() != got.size())
        return std::to_string(got.size()) + " findings instead of " + std::to_string(want.size());
    for (size_t i = 0; i < want.size(); ++i)
        if (want[i] != got[i])
            return "'" + got[i] + "' instead of '" + want[i] + "'";
    return "none";
}

void require_same(const std::vector<std::string> &want, const std::vector<std::string> &got, const std::string &what)
{
    if (want != got)
        throw CheckFailed(what + " gave other findings than the plain run: " + difference(want, got));
}

// A library that is loaded and initialised for the duration of a check.
struct Initialised {
    Library library;
    explicit Initialised(const fs::path &path) : library(path) { library.init(); }
    ~Initialised()
    {
        try {
            library.deinit();
        } catch (...) {
        }
    }
};

// Runs one of the host runtime's loader checks (loader_checks.hpp), its failure a CheckFailed naming it.
template <class Fn> auto loader_check(Fn &&fn)
{
    try {
        return fn();
    } catch (const host::LoaderCheckFailed &e) {
        throw CheckFailed("the loader's " + e.check() + " check: " + e.what());
    }
}

std::string check_manifest(const fs::path &manifest)
{
    // What the runtime checks before it runs any plugin code (but the allowlist, a host's own choice).
    std::string notes = loader_check([&] { return host::loader::manifest_file(manifest); });
    const host::PluginInfo info = loader_check([&] { return host::loader::manifest(manifest); });
    notes += "; " + loader_check([&] { return host::loader::plugin_files(info); });
    std::error_code ec;
    if (!fs::is_regular_file(info.library, ec))
        throw CheckFailed("the manifest names library " + info.library.filename().string() + ", which is not a file beside it");
    if (info.schemes.empty())
        throw CheckFailed("the manifest lists no schemes");
    return "id " + info.id + ", needs host ABI " + version_text(info.min_host_abi) + ", schemes " + joined(info.schemes) +
           ", library " + info.library.filename().string() + "; " + notes;
}

std::string check_exports(const host::PluginInfo &info)
{
    host::DynamicSymbols symbols;
    try {
        symbols = host::read_dynamic_symbols(info.library);
    } catch (const std::exception &e) {
        throw CheckFailed(e.what());
    }
    if (std::find(symbols.defined.begin(), symbols.defined.end(), JC_PLUGIN_ENTRY_SYMBOL) == symbols.defined.end())
        throw CheckFailed("the library does not export " JC_PLUGIN_ENTRY_SYMBOL);
    std::vector<std::string> extra;
    for (const auto &s : symbols.defined)
        if (s != JC_PLUGIN_ENTRY_SYMBOL)
            extra.push_back(s);
    if (!extra.empty())
        throw CheckFailed("the library also exports " + joined(extra) +
                          " (a sealed plugin exports only " JC_PLUGIN_ENTRY_SYMBOL "; link with a version script)");
    Library library(info.library); // every import must resolve now (RTLD_NOW)
    return "exports exactly " JC_PLUGIN_ENTRY_SYMBOL "; its " + std::to_string(symbols.undefined.size()) +
           " imported symbols all resolve";
}

std::string check_entry(const host::PluginInfo &info)
{
    Library library(info.library);
    const jc_plugin_entry &e = library.entry();
    // The runtime's entry and descriptor checks, then what a conforming plugin gives beyond them.
    loader_check([&] { return host::loader::entry(&e); });
    host::PluginInfo described = info;
    loader_check([&] { return host::loader::descriptor(e, described); });
    const jc_plugin_descriptor *d = e.descriptor;
    for (const char *member : {d->name, d->vendor, d->version, d->description})
        if (member == nullptr || *member == '\0')
            throw CheckFailed("the descriptor lacks a name, vendor, version or description");
    std::vector<std::string> schemes;
    for (const char *const *s = d->schemes; s != nullptr && *s != nullptr; ++s)
        schemes.emplace_back(*s);
    if (schemes != info.schemes)
        throw CheckFailed("the descriptor's schemes (" + joined(schemes) + ") differ from the manifest's (" +
                          joined(info.schemes) + ")");
    return "jc_plugin_entry of " + std::to_string(e.struct_size) + " bytes; " + d->id + " " + d->version + " by " +
           d->vendor;
}

std::string check_version(const host::PluginInfo &info)
{
    Library library(info.library);
    const jc_plugin_entry &e = library.entry();
    const jc_version host_abi{JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, JC_ABI_VERSION_PATCH};
    // The runtime's version checks (of the manifest, then of the entry), then what a conforming plugin gives.
    loader_check([&] { return host::loader::entry_version(e, info, host_abi); });
    loader_check([&] { return host::loader::manifest_version(info, host_abi); });
    if (e.abi_version.major != e.min_host_abi.major || e.abi_version.minor < e.min_host_abi.minor)
        throw CheckFailed("built with ABI " + version_text(e.abi_version) + " but needs " + version_text(e.min_host_abi));
    if (e.event_schema_version < 1 || e.event_schema_version > JC_EVENT_SCHEMA_VERSION)
        throw CheckFailed("event schema " + std::to_string(e.event_schema_version) + "; this host sends " +
                          std::to_string(JC_EVENT_SCHEMA_VERSION));
    return "built with ABI " + version_text(e.abi_version) + ", needs " + version_text(e.min_host_abi) + "; this host has " +
           version_text(host_abi) + "; event schema " + std::to_string(e.event_schema_version);
}

std::string check_init_refcount(const host::PluginInfo &info)
{
    Library library(info.library);
    library.init();
    library.init();
    library.deinit(); // one init is still outstanding: the library must stay usable
    try {
        Instance instance(library);
    } catch (const CheckFailed &e) {
        throw CheckFailed(std::string("after init, init, deinit the library no longer works: ") + e.what());
    }
    library.deinit(); // the last one
    library.init();   // and again from scratch
    try {
        Instance instance(library);
    } catch (const CheckFailed &e) {
        throw CheckFailed(std::string("after the last deinit a new init does not bring the library back: ") + e.what());
    }
    library.deinit();
    return "init, init, deinit leaves it usable; init after the last deinit works again";
}

std::string check_create_destroy(const host::PluginInfo &info)
{
    Initialised lib(info.library);
    Workload workload(info.schemes, "E-V");
    const auto reference = findings_of(lib.library, workload.events());
    constexpr int cycles = 50;
    for (int cycle = 2; cycle <= cycles; ++cycle) {
        try {
            require_same(reference, findings_of(lib.library, workload.events()), "cycle " + std::to_string(cycle));
        } catch (const CheckFailed &e) {
            throw CheckFailed(std::string(e.what()) + (cycle == 2 ? " (state survives destroy, or is shared)" : ""));
        }
    }
    Instance a(lib.library), b(lib.library);
    feed(a, workload.events(), "the conformance batch");
    feed(b, workload.events(), "the conformance batch");
    require_same(reference, a.evaluate(JC_CONFORMANCE_AS_OF), "the first of two live instances");
    require_same(reference, b.evaluate(JC_CONFORMANCE_AS_OF), "the second of two live instances");
    return std::to_string(cycles) + " cycles with " + std::to_string(reference.size()) +
           " identical findings each; two live instances independent";
}

std::string check_findings(const host::PluginInfo &info)
{
    Initialised lib(info.library);
    Workload workload(info.schemes, "E-V");
    Instance instance(lib.library);
    feed(instance, workload.events(), "the conformance batch");
    const auto findings = instance.evaluate(JC_CONFORMANCE_AS_OF);
    if (!instance.problems().empty()) {
        auto problems = instance.problems();
        std::sort(problems.begin(), problems.end());
        problems.erase(std::unique(problems.begin(), problems.end()), problems.end());
        throw CheckFailed(joined(problems, "; "));
    }
    return std::to_string(findings.size()) + " findings on the conformance batch, each complete";
}

// An event of a type from the future, with a payload this host's plugins cannot know.
struct FutureEvent {
    jc_event_header header;
    int64_t payload[2];
};

std::string check_unknown_events(const host::PluginInfo &info)
{
    Initialised lib(info.library);
    Workload workload(info.schemes, "E-V");
    const auto reference = findings_of(lib.library, workload.events());
    static const char id[] = "E-V-future-1", employee[] = "E-V1";
    FutureEvent future{{sizeof(FutureEvent), 1000, {id, sizeof id - 1}, {employee, sizeof employee - 1}, 20100, 0}, {7, 7}};
    auto events = workload.events();
    events.insert(events.begin() + static_cast<long>(events.size() / 2), &future.header);
    Instance instance(lib.library);
    jc_batch_result result;
    const jc_status status = instance.handle(events, result);
    if (status != JC_OK)
        throw CheckFailed("a batch with an event of unknown type 1000 was refused with status " + std::to_string(status) +
                          ": " + instance.last_error() + " (unknown types must be skipped)");
    if (result.skipped < 1)
        throw CheckFailed("the unknown event was not counted in jc_batch_result.skipped");
    require_same(reference, instance.evaluate(JC_CONFORMANCE_AS_OF), "the batch with an unknown event");
    return "type 1000 skipped (skipped = " + std::to_string(result.skipped) + "), findings unchanged";
}

std::string check_event_sizes(const host::PluginInfo &info)
{
    Initialised lib(info.library);
    Workload workload(info.schemes, "E-V");
    const auto reference = findings_of(lib.library, workload.events());
    Instance empty(lib.library);
    const auto nothing = empty.evaluate(JC_CONFORMANCE_AS_OF);

    // Larger: each event followed by 64 bytes of members from a future minor.
    std::vector<std::vector<unsigned char>> buffers;
    std::vector<const jc_event_header *> larger;
    for (const jc_event_header *e : workload.events()) {
        std::vector<unsigned char> buffer(e->struct_size + 64, 0xA5);
        std::memcpy(buffer.data(), e, e->struct_size);
        buffers.push_back(std::move(buffer));
    }
    for (auto &buffer : buffers) {
        auto *h = reinterpret_cast<jc_event_header *>(buffer.data());
        h->struct_size += 64;
        larger.push_back(h);
    }
    {
        Instance instance(lib.library);
        feed(instance, larger, "events 64 bytes larger than their schema-1 struct");
        require_same(reference, instance.evaluate(JC_CONFORMANCE_AS_OF), "events 64 bytes larger");
    }

    // Smaller: one event shorter than the header, then one grant cut off after the header.
    auto refused = [&](size_t index, uint32_t size, const std::string &what) {
        std::vector<unsigned char> copy(workload.events()[index]->struct_size);
        std::memcpy(copy.data(), workload.events()[index], copy.size());
        auto *h = reinterpret_cast<jc_event_header *>(copy.data());
        h->struct_size = size;
        auto events = workload.events();
        events[index] = h;
        Instance instance(lib.library);
        jc_batch_result result;
        const jc_status status = instance.handle(events, result);
        if (status != JC_E_INVALID_EVENT)
            throw CheckFailed(what + " (struct_size " + std::to_string(size) + ") gave status " + std::to_string(status) +
                              " instead of JC_E_INVALID_EVENT");
        if (result.failed_index != index)
            throw CheckFailed(what + ": failed_index is " + std::to_string(result.failed_index) + ", not " + std::to_string(index));
        require_same(nothing, instance.evaluate(JC_CONFORMANCE_AS_OF), "a refused batch (nothing of it may be stored)");
        feed(instance, workload.events(), "the conformance batch after a refused one");
        require_same(reference, instance.evaluate(JC_CONFORMANCE_AS_OF), "the batch sent again after the refused one");
    };
    refused(5, 16, "an event shorter than jc_event_header");
    refused(1, sizeof(jc_event_header), "a coaching.granted event cut off after its header");
    return "64 bytes larger: same findings; shorter than the header or than its type: JC_E_INVALID_EVENT at its "
           "index, nothing stored";
}

std::string check_threads(const host::PluginInfo &info)
{
    Initialised lib(info.library);
    constexpr int thread_count = 4;
    // Each thread has its own employees and a batch of its own length, so that mixed-up instances show.
    std::vector<std::unique_ptr<Workload>> workloads;
    std::vector<std::vector<const jc_event_header *>> batches;
    std::vector<std::vector<std::string>> reference;
    for (int t = 0; t < thread_count; ++t) {
        workloads.push_back(std::make_unique<Workload>(info.schemes, "E-T" + std::to_string(t) + "-"));
        auto events = workloads.back()->events();
        events.resize(events.size() - static_cast<size_t>(t));
        batches.push_back(events);
        reference.push_back(findings_of(lib.library, batches.back()));
    }
    std::mutex mutex;
    std::optional<std::string> failure;
    std::barrier sync(thread_count);
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t) {
        threads.emplace_back([&, t] {
            try {
                Instance instance(lib.library);
                feed(instance, batches[static_cast<size_t>(t)], "a batch sent from a thread");
                sync.arrive_and_wait(); // every instance holds its events before any evaluates
                for (int round = 0; round < 3; ++round)
                    require_same(reference[static_cast<size_t>(t)], instance.evaluate(JC_CONFORMANCE_AS_OF),
                                 "thread " + std::to_string(t) + ", round " + std::to_string(round + 1));
            } catch (const std::exception &e) {
                std::lock_guard lock(mutex);
                if (!failure)
                    failure = e.what();
            }
        });
    }
    for (auto &t : threads)
        t.join();
    if (failure)
        throw CheckFailed(*failure);
    // One instance, handed from one thread to another (instance-serialized, with a happens-before edge).
    Instance instance(lib.library);
    std::thread([&] { feed(instance, batches[0], "a batch from a first thread"); }).join();
    std::vector<std::string> got;
    std::thread([&] { got = instance.evaluate(JC_CONFORMANCE_AS_OF); }).join();
    require_same(reference[0], got, "an instance handed from one thread to another");
    return std::to_string(thread_count) + " instances on " + std::to_string(thread_count) +
           " threads at once, and one instance handed between threads: the same findings as alone";
}

std::string check_threads_after_deinit(const host::PluginInfo &info)
{
    const auto before = host::process_threads();
    {
        Initialised lib(info.library);
        Workload workload(info.schemes, "E-V");
        findings_of(lib.library, workload.events());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100)); // threads the last deinit joined are gone by now
    const auto after = host::process_threads();
    std::vector<int> left;
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(left));
    if (!left.empty())
        throw CheckFailed(std::to_string(left.size()) + " thread(s) the plugin started still run after its last deinit "
                          "(a host that unloads it then crashes)");
    return "no thread left after the last deinit";
}

// The plugin's extension of this id, or NULL when it offers none (or its jc_plugin predates get_extension).
const void *extension_of(const jc_plugin *p, const char *id)
{
    if (p->struct_size < offsetof(jc_plugin, get_extension) + sizeof(void *) || p->get_extension == nullptr)
        return nullptr;
    return p->get_extension(p, id);
}

// ABI 1.2's HR-suite workflow (jc.findings/1, jc.erase/1), when the plugin offers it: one employee's findings
// are evaluate's findings of that employee; the change feed gives every finding as new, then nothing; an
// erased employee has no finding left and the others keep theirs.
std::string check_hr_workflow(const host::PluginInfo &info)
{
    Initialised lib(info.library);
    Workload workload(info.schemes, "E-V");
    Instance instance(lib.library);
    feed(instance, workload.events(), "the conformance batch");
    const jc_plugin *p = instance.plugin();
    const auto *findings = static_cast<const jc_plugin_findings *>(extension_of(p, JC_EXT_FINDINGS));
    if (findings == nullptr)
        return "jc.findings/1 not offered (an optional extension of ABI 1.2): nothing to check";
    if (findings->struct_size < offsetof(jc_plugin_findings, evaluate_changes) + sizeof(void *) ||
        findings->evaluate_employees == nullptr || findings->evaluate_changes == nullptr)
        throw CheckFailed("jc.findings/1 is smaller than its 1.2 struct or lacks a function");
    const auto all = instance.evaluate(JC_CONFORMANCE_AS_OF);
    for (size_t n = 1; n <= info.schemes.size(); ++n) {
        const std::string key = "E-V" + std::to_string(n);
        const jc_str k{key.data(), key.size()};
        std::vector<std::string> expected;
        for (const auto &line : all)
            if (line.rfind(key + "|", 0) == 0)
                expected.push_back(line);
        require_same(expected, instance.collect("jc.findings/1 evaluate_employees", [&] {
            return findings->evaluate_employees(p, &k, 1, JC_CONFORMANCE_AS_OF);
        }), "evaluate_employees of " + key);
    }
    const auto first = instance.collect("jc.findings/1 evaluate_changes", [&] {
        return findings->evaluate_changes(p, nullptr, JC_ALL_EMPLOYEES, JC_CONFORMANCE_AS_OF);
    });
    require_same(all, first, "the first change feed (every finding new)");
    for (const uint32_t c : instance.changes())
        if (c != JC_CHANGE_NEW)
            throw CheckFailed("the first change feed gave a change " + std::to_string(c) + ", not JC_CHANGE_NEW");
    const auto second = instance.collect("jc.findings/1 evaluate_changes", [&] {
        return findings->evaluate_changes(p, nullptr, JC_ALL_EMPLOYEES, JC_CONFORMANCE_AS_OF);
    });
    if (!second.empty())
        throw CheckFailed("a second change feed with nothing changed gave " + std::to_string(second.size()) +
                          " finding(s): " + second.front());
    std::string erased = "; jc.erase/1 not offered";
    if (const auto *erase = static_cast<const jc_plugin_erase *>(extension_of(p, JC_EXT_ERASE))) {
        const std::string key = "E-V1";
        uint64_t events = 0, recorded = 0;
        if (erase->erase_employee(p, jc_str{key.data(), key.size()}, &events, &recorded) != JC_OK)
            throw CheckFailed(std::string("jc.erase/1 erase_employee failed: ") + instance.last_error());
        std::vector<std::string> expected;
        for (const auto &line : all)
            if (line.rfind(key + "|", 0) != 0)
                expected.push_back(line);
        require_same(expected, instance.evaluate(JC_CONFORMANCE_AS_OF), "evaluate after erasing " + key);
        erased = "; erasing E-V1 removed " + std::to_string(events) + " event(s), the others kept theirs";
    }
    return std::to_string(all.size()) + " findings: the same per employee, every one new once, then none" + erased;
}

// ABI 1.5's jc.explanations/1, when the plugin offers it: turned off, evaluate gives the same findings, none
// with an explanation; a value other than 0 and 1 is refused; turned on again, the explanations are back.
std::string check_explanations(const host::PluginInfo &info)
{
    Initialised lib(info.library);
    Workload workload(info.schemes, "E-V");
    Instance instance(lib.library);
    feed(instance, workload.events(), "the conformance batch");
    const jc_plugin *p = instance.plugin();
    const auto *ext = static_cast<const jc_plugin_explanations *>(extension_of(p, JC_EXT_EXPLANATIONS));
    if (ext == nullptr)
        return "jc.explanations/1 not offered (an optional extension of ABI 1.5): nothing to check";
    if (ext->struct_size < offsetof(jc_plugin_explanations, set_explanations) + sizeof(void *) ||
        ext->set_explanations == nullptr)
        throw CheckFailed("jc.explanations/1 is smaller than its 1.5 struct or lacks set_explanations");
    const auto with = instance.evaluate(JC_CONFORMANCE_AS_OF);
    const size_t explained = instance.explained();
    auto set = [&](uint32_t enabled) {
        if (ext->set_explanations(p, enabled) != JC_OK)
            throw CheckFailed("jc.explanations/1 set_explanations(" + std::to_string(enabled) +
                              ") failed: " + instance.last_error());
    };
    set(0);
    require_same(with, instance.evaluate(JC_CONFORMANCE_AS_OF), "evaluate without explanations");
    if (instance.explained() != 0)
        throw CheckFailed(std::to_string(instance.explained()) +
                          " finding(s) carried an explanation after set_explanations(0)");
    if (ext->set_explanations(p, 2) != JC_E_INVALID_ARGUMENT)
        throw CheckFailed("jc.explanations/1 set_explanations(2) was not refused with JC_E_INVALID_ARGUMENT");
    set(1);
    require_same(with, instance.evaluate(JC_CONFORMANCE_AS_OF), "evaluate with explanations again");
    if (instance.explained() != explained)
        throw CheckFailed(std::to_string(instance.explained()) + " finding(s) explained after set_explanations(1), " +
                          std::to_string(explained) + " before it was turned off");
    return std::to_string(with.size()) + " findings (" + std::to_string(explained) +
           " explained): the same without their explanations; a bad value refused";
}

// ABI 1.7's jc.messages/1, when the plugin offers it: turned off, evaluate and the change feed give the same
// findings, none with a message, action or explanation, and turning the words off is no change in the feed; a
// value other than 0 and 1 is refused; turned on again, the words are back.
std::string check_messages(const host::PluginInfo &info)
{
    Initialised lib(info.library);
    Workload workload(info.schemes, "E-M");
    Instance instance(lib.library);
    feed(instance, workload.events(), "the conformance batch");
    const jc_plugin *p = instance.plugin();
    const auto *ext = static_cast<const jc_plugin_messages *>(extension_of(p, JC_EXT_MESSAGES));
    if (ext == nullptr)
        return "jc.messages/1 not offered (an optional extension of ABI 1.7): nothing to check";
    if (ext->struct_size < offsetof(jc_plugin_messages, set_messages) + sizeof(void *) || ext->set_messages == nullptr)
        throw CheckFailed("jc.messages/1 is smaller than its 1.7 struct or lacks set_messages");
    const auto with = instance.evaluate(JC_CONFORMANCE_AS_OF);
    const size_t worded = instance.worded();
    if (worded != with.size())
        throw CheckFailed(std::to_string(with.size() - worded) + " finding(s) without words before any was turned off");
    const auto *findings = static_cast<const jc_plugin_findings *>(extension_of(p, JC_EXT_FINDINGS));
    const bool feed_offered =
        findings != nullptr && findings->struct_size >= offsetof(jc_plugin_findings, evaluate_changes) + sizeof(void *);
    auto changes = [&](const std::string &what) {
        return instance.collect(what, [&] {
            return findings->evaluate_changes(p, nullptr, JC_ALL_EMPLOYEES, JC_CONFORMANCE_AS_OF);
        });
    };
    if (feed_offered)
        require_same(with, changes("the change feed, with words"), "the first change feed");
    auto set = [&](uint32_t enabled) {
        if (ext->set_messages(p, enabled) != JC_OK)
            throw CheckFailed("jc.messages/1 set_messages(" + std::to_string(enabled) + ") failed: " +
                              instance.last_error());
        instance.require_messages(enabled == 1);
    };
    set(0);
    require_same(with, instance.evaluate(JC_CONFORMANCE_AS_OF), "evaluate without words");
    if (instance.worded() != 0)
        throw CheckFailed(std::to_string(instance.worded()) + " finding(s) carried words after set_messages(0)");
    if (feed_offered && !changes("the change feed, without words").empty())
        throw CheckFailed("the change feed reported changes after set_messages(0) alone");
    if (ext->set_messages(p, 2) != JC_E_INVALID_ARGUMENT)
        throw CheckFailed("jc.messages/1 set_messages(2) was not refused with JC_E_INVALID_ARGUMENT");
    set(1);
    require_same(with, instance.evaluate(JC_CONFORMANCE_AS_OF), "evaluate with words again");
    if (instance.worded() != worded)
        throw CheckFailed(std::to_string(instance.worded()) + " finding(s) with words after set_messages(1), " +
                          std::to_string(worded) + " before they were turned off");
    return std::to_string(with.size()) + " findings: the same without their words" +
           (feed_offered ? ", no change in the feed" : "") + "; a bad value refused";
}

// ABI 1.6's jc.threads/1, offered by the host with 8 tokens: evaluate gives the findings it gives without it,
// takes and gives back tokens only on the thread that called it, and holds none when it returns. A plugin that
// does not ask passes (the extension is the host's, and optional).
std::string check_thread_tokens(const host::PluginInfo &info)
{
    Initialised lib(info.library);
    Workload workload(info.schemes, "E-W");
    Instance without(lib.library);
    feed(without, workload.events(), "the conformance batch");
    const auto reference = without.evaluate(JC_CONFORMANCE_AS_OF);
    constexpr uint32_t offered = 8;
    Instance with(lib.library, offered);
    feed(with, workload.events(), "the conformance batch");
    for (int round = 1; round <= 2; ++round)
        require_same(reference, with.evaluate(JC_CONFORMANCE_AS_OF),
                     "evaluate with the host's jc.threads/1, round " + std::to_string(round));
    const auto &t = with.tokens();
    if (with.astray_token_calls() > 0)
        throw CheckFailed(std::to_string(with.astray_token_calls()) +
                          " jc.threads/1 call(s) outside evaluate or on another thread than the one that called it");
    if (t.kept > 0)
        throw CheckFailed(std::to_string(t.kept) + " jc.threads/1 token(s) still held when evaluate returned");
    if (t.taken == 0)
        return std::to_string(reference.size()) +
               " findings; jc.threads/1 not asked for (an optional host extension of ABI 1.6): the same findings";
    return std::to_string(reference.size()) + " findings, the same with the host's jc.threads/1; " +
           std::to_string(t.taken) + " token(s) taken in two evaluations, every one given back before it returned";
}

// The checks that read the manifest first and take what it says.
template <std::string (*Check)(const host::PluginInfo &)> std::string with_manifest(const fs::path &manifest)
{
    return Check(manifest_of(manifest));
}

} // namespace

const std::vector<Check> &checks()
{
    static const std::vector<Check> all = {
        {"manifest", "the manifest is complete and names a library beside it", false, check_manifest},
        {"exports", "the library exports exactly jc_plugin_entry_v1 and every symbol it needs resolves", false,
         with_manifest<check_exports>},
        {"entry", "the entry and descriptor are complete and agree with the manifest", false, with_manifest<check_entry>},
        {"version", "the version rule admits the plugin and the manifest states the library's needs", false,
         with_manifest<check_version>},
        {"init-refcount", "init and deinit are reference-counted: only the last deinit tears down", true,
         with_manifest<check_init_refcount>},
        {"create-destroy", "50 create/handle/evaluate/destroy cycles give the same findings; instances are independent",
         true, with_manifest<check_create_destroy>},
        {"findings", "every finding is complete: struct_size, required members, severity, a unique id (1.2)", true,
         with_manifest<check_findings>},
        {"unknown-events", "an event of an unknown type is skipped, not refused", true, with_manifest<check_unknown_events>},
        {"event-sizes", "larger events are read up to what the plugin knows; too small ones are refused", true,
         with_manifest<check_event_sizes>},
        {"threads", "instances driven from several threads at once give the findings they give alone", true,
         with_manifest<check_threads>},
        {"threads-after-deinit", "no thread the plugin started runs after its last deinit", true,
         with_manifest<check_threads_after_deinit>},
        {"hr-workflow", "1.2: one employee's findings, the change feed and erasure agree with evaluate", true,
         with_manifest<check_hr_workflow>},
        {"explanations", "1.5: findings without their explanations are the same findings; a bad value refused", true,
         with_manifest<check_explanations>},
        {"thread-tokens", "1.6: with the host's jc.threads/1 the same findings, every token given back in the call",
         true, with_manifest<check_thread_tokens>},
        {"messages", "1.7: findings without their words are the same findings, no change in the feed; a bad value "
                     "refused", true, with_manifest<check_messages>},
    };
    return all;
}

std::string run_check(const std::string &name, const fs::path &manifest)
{
    for (const auto &check : checks())
        if (name == check.name)
            return check.run(manifest);
    throw CheckFailed("no check is called " + name);
}

} // namespace jobcoach::validate
