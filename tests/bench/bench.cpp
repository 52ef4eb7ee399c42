// SPDX-License-Identifier: Apache-2.0
// The benchmark suite (Google Benchmark, in-process). Each figure has a ceiling measured in the same run, and
// bench_main.cpp prints figure, ceiling and ratio. Sizes scale with JOBCOACH_BENCH_SCALE (1 = the targets'
// sizes of issue 6; the CI smoke uses 0.002). What bounds each figure: tests/bench/README.md.
#include "bench.hpp"

#include <jobcoach/host/event_file.hpp>
#include "generate.hpp"
#include "municipal.hpp"
#include "uwv_extern.hpp"
#include "uwv_intern.hpp"

#include <jobcoach/host/runtime.hpp>
#include <jobcoach/jobcoach.h>
#include <jobcoach/rules/engine.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <benchmark/benchmark.h>
#include <dlfcn.h>
#include <sqlite3.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>

namespace fs = std::filesystem;
using namespace jobcoach;

// Heap accounting for the memory figure: every operator new of the process is counted. Each replaceable form
// is replaced (plain, array, nothrow), so that whatever a library calls, its delete finds the size header.
// The aligned forms are left to the library: they allocate and free apart from these.
namespace {
std::atomic<int64_t> heap_now{0}, heap_peak{0};
// Counting costs two atomic operations per allocation and free, about a tenth of an evaluation's time, and more
// when threads allocate at once (they contend for the counters): a benchmark that times work apart from measuring
// its memory turns it off for the timed pass. An allocation made while it is off is marked, and its free not
// counted.
std::atomic<bool> heap_counting{true};
constexpr size_t not_counted = SIZE_MAX;

void *counted_alloc(size_t n) noexcept
{
    void *p = std::malloc(n + 16);
    if (p == nullptr)
        return nullptr;
    const bool counted = heap_counting.load(std::memory_order_relaxed);
    const size_t header = counted ? n : not_counted;
    std::memcpy(p, &header, sizeof header);
    if (!counted)
        return static_cast<char *>(p) + 16;
    const int64_t now = heap_now.fetch_add(static_cast<int64_t>(n)) + static_cast<int64_t>(n);
    int64_t peak = heap_peak.load();
    while (now > peak && !heap_peak.compare_exchange_weak(peak, now)) {
    }
    return static_cast<char *>(p) + 16;
}
void *counted_alloc_or_throw(size_t n)
{
    void *p = counted_alloc(n);
    if (p == nullptr)
        throw std::bad_alloc();
    return p;
}
void counted_free(void *p) noexcept
{
    if (p == nullptr)
        return;
    char *base = static_cast<char *>(p) - 16;
    size_t n;
    std::memcpy(&n, base, sizeof n);
    if (n != not_counted)
        heap_now.fetch_sub(static_cast<int64_t>(n));
    std::free(base);
}
} // namespace

void *operator new(size_t n) { return counted_alloc_or_throw(n); }
void *operator new[](size_t n) { return counted_alloc_or_throw(n); }
void *operator new(size_t n, const std::nothrow_t &) noexcept { return counted_alloc(n); }
void *operator new[](size_t n, const std::nothrow_t &) noexcept { return counted_alloc(n); }
void operator delete(void *p) noexcept { counted_free(p); }
void operator delete[](void *p) noexcept { counted_free(p); }
void operator delete(void *p, size_t) noexcept { counted_free(p); }
void operator delete[](void *p, size_t) noexcept { counted_free(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { counted_free(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { counted_free(p); }

namespace {

double scale()
{
    const char *s = std::getenv("JOBCOACH_BENCH_SCALE");
    return s != nullptr ? std::max(0.0001, std::atof(s)) : 1.0;
}

uint32_t scaled(double n, uint32_t least) { return std::max(least, static_cast<uint32_t>(n * scale())); }

fs::path scratch()
{
    static const fs::path dir = [] {
        const fs::path d = fs::temp_directory_path() / ("jc-bench-" + std::to_string(::getpid()));
        fs::create_directories(d);
        fs::permissions(d, fs::perms::owner_all);
        return d;
    }();
    return dir;
}

// A generated history: its text, its events, their ABI form, and the engine's form (as a plugin holds them).
struct Data {
    std::string text;
    host::EventFile file;
    std::vector<const host::Event *> list;
    std::unique_ptr<host::AbiEvents> abi;
    std::vector<rules::Event> events;
    uint64_t trajectories = 0, timesheets = 0;
};

const Data &data(uint32_t employees, uint32_t years)
{
    static std::map<std::pair<uint32_t, uint32_t>, std::unique_ptr<Data>> cache;
    auto &slot = cache[{employees, years}];
    if (!slot) {
        slot = std::make_unique<Data>();
        demo::GenerateOptions o;
        o.employees = employees;
        o.years = years;
        o.seed = 42;
        std::ostringstream out;
        const auto counts = demo::generate(o, out);
        slot->text = out.str();
        slot->trajectories = counts.trajectories;
        slot->timesheets = counts.timesheets;
        slot->file = host::parse_events(slot->text);
        if (!slot->file.errors.empty())
            throw std::runtime_error("generated data does not parse: " + slot->file.errors[0].message);
        for (const auto &e : slot->file.events)
            slot->list.push_back(&e);
        slot->abi = std::make_unique<host::AbiEvents>(slot->list);
        slot->events.reserve(slot->list.size());
        for (size_t i = 0; const jc_event_header *h : slot->abi->headers()) {
            slot->events.push_back(*rules::from_abi(*h));
            slot->events.back().seq = static_cast<int64_t>(++i);
        }
    }
    return *slot;
}

// About 1 million timesheet entries at scale 1: 10,600 employees over 3 years.
const Data &ingest_data() { return data(scaled(10600, 20), 3); }
// 100,000 trajectories at scale 1: one year of 100,000 employees.
// The evaluation tenant's years of history: JOBCOACH_BENCH_EVAL_YEARS (1 to 10), one by default. It is
// evaluated as of the last day of its last year.
uint32_t evaluation_years()
{
    static const uint32_t years = [] {
        const char *v = std::getenv("JOBCOACH_BENCH_EVAL_YEARS");
        return static_cast<uint32_t>(std::clamp(v != nullptr ? std::atoi(v) : 1, 1, 10));
    }();
    return years;
}
const Data &evaluation_data() { return data(scaled(100000, 50), evaluation_years()); }

std::shared_ptr<spdlog::logger> quiet() { return std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>()); }

// --- dispatch ------------------------------------------------------------------------------------------------

extern "C" __attribute__((noinline)) jc_status direct_handle(const jc_plugin *, const jc_event_header *const *,
                                                             uint32_t count, jc_batch_result *result)
{
    result->skipped = count;
    benchmark::ClobberMemory();
    return JC_OK;
}

const jc_event_header *one_event()
{
    static const std::string id = "e-1", employee = "E-1";
    static jc_event_timesheet_logged ev = [] {
        jc_event_timesheet_logged e{};
        e.header = {sizeof e, JC_EVENT_TIMESHEET_LOGGED, {id.data(), id.size()}, {employee.data(), employee.size()}, 20000, 0};
        e.minutes = 60;
        return e;
    }();
    return &ev.header;
}

void dispatch_direct(benchmark::State &state)
{
    using Fn = jc_status (*)(const jc_plugin *, const jc_event_header *const *, uint32_t, jc_batch_result *);
    volatile Fn fn = &direct_handle;
    const jc_event_header *batch[] = {one_event()};
    jc_batch_result r{};
    r.struct_size = sizeof r;
    for (auto _ : state)
        benchmark::DoNotOptimize(fn(nullptr, batch, 1, &r));
    state.SetItemsProcessed(state.iterations());
}

struct NoopPlugin {
    void *handle = nullptr;
    const jc_plugin_entry *entry = nullptr;
    const jc_plugin *plugin = nullptr;
    jc_host host{};
    NoopPlugin()
    {
        handle = ::dlopen(JC_BENCH_NOOP_PLUGIN, RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr)
            throw std::runtime_error(::dlerror());
        auto fn = reinterpret_cast<jc_plugin_entry_fn>(::dlsym(handle, JC_PLUGIN_ENTRY_SYMBOL));
        entry = fn();
        entry->init(fs::path(JC_BENCH_NOOP_PLUGIN).parent_path().c_str(), nullptr, 0);
        host.struct_size = sizeof host;
        host.abi_version = {JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, 0};
        host.name = "bench";
        host.version = "0";
        const jc_instance_config config{sizeof(jc_instance_config), 0, nullptr, nullptr};
        if (entry->create(&host, &config, &plugin, nullptr, 0) != JC_OK)
            throw std::runtime_error("the no-op plugin does not create an instance");
    }
    ~NoopPlugin()
    {
        plugin->destroy(plugin);
        entry->deinit();
    }
};

void dispatch_abi(benchmark::State &state)
{
    NoopPlugin noop;
    const jc_event_header *batch[] = {one_event()};
    jc_batch_result r{};
    r.struct_size = sizeof r;
    for (auto _ : state)
        benchmark::DoNotOptimize(noop.plugin->handle_events(noop.plugin, batch, 1, &r));
    state.SetItemsProcessed(state.iterations());
}

void dispatch_host(benchmark::State &state)
{
    host::Runtime runtime(quiet());
    runtime.load_directory(fs::path(JC_BENCH_NOOP_PLUGIN).parent_path().parent_path());
    if (runtime.plugins().size() != 1) {
        state.SkipWithError("the no-op plugin did not load");
        return;
    }
    auto instance = runtime.create_instance(runtime.plugins()[0], {});
    const jc_event_header *batch[] = {one_event()};
    for (auto _ : state)
        benchmark::DoNotOptimize(instance->handle_events(batch));
    state.SetItemsProcessed(state.iterations());
}

// --- durable ingest ------------------------------------------------------------------------------------------

// An instance of each plugin of `runtime`, each on the state file `prefix`.<plugin id> (new, or the one there).
std::vector<std::unique_ptr<host::Instance>> open_instances(host::Runtime &runtime, const std::string &prefix)
{
    std::vector<std::unique_ptr<host::Instance>> instances;
    for (const auto &p : runtime.plugins())
        instances.push_back(runtime.create_instance(p, {prefix + "." + host::Runtime::info(*p).id, ""}));
    return instances;
}

void remove_states(const host::Runtime &runtime, const std::string &prefix)
{
    for (const auto &p : runtime.plugins())
        fs::remove(prefix + "." + host::Runtime::info(*p).id);
}

void ingest_durable(benchmark::State &state)
{
    const Data &d = ingest_data();
    int run = 0;
    for (auto _ : state) {
        state.PauseTiming();
        host::Runtime runtime(quiet());
        runtime.load_directory(JC_BENCH_PLUGIN_DIR);
        const std::string prefix = (scratch() / ("ingest-" + std::to_string(run++))).string();
        auto instances = open_instances(runtime, prefix);
        state.ResumeTiming();
        for (auto &instance : instances) {
            const auto outcome = instance->handle_events(d.abi->headers());
            if (outcome.status != JC_OK)
                state.SkipWithError(outcome.message.c_str());
        }
        state.PauseTiming();
        instances.clear();
        remove_states(runtime, prefix);
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.file.events.size()));
    state.counters["plugins"] = 2;
    state.counters["events"] = static_cast<double>(d.file.events.size());
}

// The ceiling: the same rows, prepared inserts into the same schema with the same pragmas, one transaction per
// database, one database per plugin.
void ingest_sqlite(benchmark::State &state)
{
    const Data &d = ingest_data();
    int run = 0;
    for (auto _ : state) {
        for (int plugin = 0; plugin < 2; ++plugin) {
            state.PauseTiming();
            const std::string path = (scratch() / ("raw-" + std::to_string(run++))).string();
            state.ResumeTiming();
            {
                SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
                db.exec("PRAGMA journal_mode=WAL");
                db.exec("PRAGMA synchronous=NORMAL");
                db.exec("CREATE TABLE events(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type INTEGER NOT NULL,"
                        " employee TEXT NOT NULL, date INTEGER NOT NULL, employer TEXT, weekly_minutes INTEGER,"
                        " end_date INTEGER, end_change INTEGER, paid INTEGER, paid_prospect INTEGER, scheme TEXT,"
                        " level TEXT, granted_minutes INTEGER, prior_months INTEGER, coach_form TEXT,"
                        " justification TEXT, months INTEGER, minutes INTEGER, activity INTEGER, coach TEXT,"
                        " retracts TEXT, kind TEXT)");
                // A column per member, indexed by employee and by employer (the plugins store schema 3's compact row).
                db.exec("CREATE INDEX events_by_employee ON events(employee, seq)");
                db.exec("CREATE INDEX events_by_employer ON events(employer) WHERE employer IS NOT NULL");
                SQLite::Transaction tx(db);
                // Every column the plugins' store writes, bound the same way (an empty text is NULL, texts are
                // not copied).
                SQLite::Statement ins(db, "INSERT INTO events(id, type, employee, date, employer, weekly_minutes, end_date,"
                                          " end_change, paid, paid_prospect, scheme, level, granted_minutes, prior_months,"
                                          " coach_form, justification, months, minutes, activity, coach, retracts, kind)"
                                          " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
                auto text = [&](int i, const std::string &v) {
                    if (v.empty())
                        ins.bind(i);
                    else
                        ins.bindNoCopy(i, v);
                };
                for (const host::Event &e : d.file.events) {
                    ins.reset();
                    ins.bindNoCopy(1, e.id);
                    ins.bind(2, static_cast<int>(e.type));
                    ins.bindNoCopy(3, e.employee);
                    ins.bind(4, e.date);
                    text(5, e.employer);
                    ins.bind(6, e.weekly_minutes);
                    if (e.end != JC_DATE_NONE)
                        ins.bind(7, e.end);
                    else
                        ins.bind(7);
                    ins.bind(8, static_cast<int>(e.end_change));
                    ins.bind(9, e.paid ? 1 : 0);
                    ins.bind(10, e.paid_prospect ? 1 : 0);
                    text(11, e.scheme);
                    text(12, e.level);
                    ins.bind(13, static_cast<int64_t>(e.granted_minutes));
                    ins.bind(14, e.prior_months);
                    text(15, e.coach_form);
                    text(16, e.justification);
                    ins.bind(17, e.months);
                    ins.bind(18, e.minutes);
                    ins.bind(19, static_cast<int>(e.activity));
                    text(20, e.coach);
                    text(21, e.retracts);
                    text(22, e.kind);
                    ins.exec();
                }
                tx.commit();
            }
            state.PauseTiming();
            fs::remove(path);
            fs::remove(path + "-wal");
            fs::remove(path + "-shm");
            state.ResumeTiming();
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.file.events.size()));
}

// One event per call, as a host calling from its own request path does: each call is a transaction of its own,
// into a plugin that already holds the ingest history. The ceiling: the same, one raw SQLite transaction per row.
constexpr int single_calls = 2000;

void ingest_one_per_call(benchmark::State &state)
{
    const Data &d = ingest_data();
    host::Runtime runtime(quiet());
    runtime.load_directory(JC_BENCH_PLUGIN_DIR);
    const std::string path = (scratch() / "single.uwv").string();
    std::shared_ptr<host::Plugin> uwv;
    for (const auto &p : runtime.plugins())
        if (host::Runtime::info(*p).id == "nl.jobcoach.uwv")
            uwv = p;
    if (!uwv) {
        state.SkipWithError("the uwv plugin did not load");
        return;
    }
    auto instance = runtime.create_instance(uwv, {path, ""});
    const auto headers = d.abi->headers();
    const size_t held = headers.size() - std::min<size_t>(headers.size(), single_calls);
    if (instance->handle_events(headers.subspan(0, held)).status != JC_OK)
        state.SkipWithError("the history was not stored");
    for (auto _ : state)
        for (size_t i = held; i < headers.size(); ++i)
            if (instance->handle_events(headers.subspan(i, 1)).status != JC_OK)
                state.SkipWithError("an event was refused");
    state.SetItemsProcessed(static_cast<int64_t>(headers.size() - held));
    state.counters["held"] = static_cast<double>(held);
    instance.reset();
    fs::remove(path);
}

void ingest_one_per_transaction_sqlite(benchmark::State &state)
{
    const Data &d = ingest_data();
    const std::string path = (scratch() / "single-raw").string();
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("PRAGMA journal_mode=WAL");
        db.exec("PRAGMA synchronous=NORMAL");
        db.exec("CREATE TABLE events(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type INTEGER, employee TEXT,"
                " date INTEGER, minutes INTEGER)");
        const size_t held = d.file.events.size() - std::min<size_t>(d.file.events.size(), single_calls);
        SQLite::Statement ins(db, "INSERT INTO events(id, type, employee, date, minutes) VALUES(?,?,?,?,?)");
        auto insert = [&](const host::Event &e) {
            ins.reset();
            ins.bindNoCopy(1, e.id);
            ins.bind(2, static_cast<int>(e.type));
            ins.bindNoCopy(3, e.employee);
            ins.bind(4, e.date);
            ins.bind(5, e.minutes);
            ins.exec();
        };
        {
            SQLite::Transaction tx(db);
            for (size_t i = 0; i < held; ++i)
                insert(d.file.events[i]);
            tx.commit();
        }
        for (auto _ : state)
            for (size_t i = held; i < d.file.events.size(); ++i) {
                SQLite::Transaction tx(db);
                insert(d.file.events[i]);
                tx.commit();
            }
        state.SetItemsProcessed(static_cast<int64_t>(d.file.events.size() - held));
    }
    fs::remove(path);
    fs::remove(path + "-wal");
    fs::remove(path + "-shm");
}

// --- evaluation ----------------------------------------------------------------------------------------------

struct Engine {
    rules::RulePackSet packs;
    std::vector<std::unique_ptr<rules::SchemeRules>> schemes;
    Engine()
    {
        packs = rules::RulePackSet::load({fs::path(JC_BENCH_PLUGIN_DIR) / "uwv/rulepacks", fs::path(JC_BENCH_PLUGIN_DIR) / "gemeente/rulepacks"});
        schemes.push_back(std::make_unique<uwv::UwvExtern>());
        schemes.push_back(std::make_unique<uwv::UwvIntern>());
        for (auto &m : gemeente::municipal_schemes(packs))
            schemes.push_back(std::move(m));
    }
};

const rules::Date evaluation_date = *rules::Date::parse(std::to_string(2019 + evaluation_years()) + "-12-31");

void evaluate_all(benchmark::State &state)
{
    const Data &d = evaluation_data();
    const Engine engine;
    size_t findings = 0;
    int64_t working = 0;
    for (auto _ : state) {
        const int64_t before = heap_now.load();
        heap_peak.store(before);
        const auto out = rules::evaluate_all(d.events, evaluation_date, engine.schemes, engine.packs);
        findings = out.size();
        working = std::max(working, heap_peak.load() - before - static_cast<int64_t>(out.capacity() * sizeof(rules::Finding)));
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.trajectories));
    state.counters["trajectories"] = static_cast<double>(d.trajectories);
    state.counters["findings"] = static_cast<double>(findings);
    state.counters["bytes_per_trajectory"] = static_cast<double>(working) / static_cast<double>(d.trajectories);
}

// The ceiling: one plain pass over the same events, summing each employee's minutes.
void evaluate_plain_pass(benchmark::State &state)
{
    const Data &d = evaluation_data();
    for (auto _ : state) {
        std::unordered_map<std::string_view, int64_t> minutes;
        for (const rules::Event &e : d.events)
            if (e.date <= evaluation_date)
                minutes[e.employee] += e.minutes;
        benchmark::DoNotOptimize(minutes.size());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.trajectories));
}

// Memory per trajectory: what the stored events take, as the ceiling the working set is compared with.
void stored_events(benchmark::State &state)
{
    const Data &d = evaluation_data();
    int64_t stored = 0;
    for (auto _ : state) {
        const int64_t before = heap_now.load();
        std::vector<rules::Event> copy(d.events.begin(), d.events.end());
        stored = heap_now.load() - before;
        benchmark::DoNotOptimize(copy.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.trajectories));
    state.counters["bytes_per_trajectory"] = static_cast<double>(stored) / static_cast<double>(d.trajectories);
}

// --- parsing -------------------------------------------------------------------------------------------------

void parse_event_file(benchmark::State &state)
{
    const Data &d = ingest_data();
    for (auto _ : state) {
        const auto f = host::parse_events(d.text);
        benchmark::DoNotOptimize(f.events.data());
    }
    state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(d.text.size()));
}

void read_event_file(benchmark::State &state)
{
    const Data &d = ingest_data();
    const fs::path file = scratch() / "read.jsonl";
    std::ofstream(file, std::ios::binary) << d.text;
    for (auto _ : state) {
        std::ifstream in(file, std::ios::binary);
        std::string text(d.text.size(), '\0');
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        benchmark::DoNotOptimize(text.data());
    }
    state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(d.text.size()));
    fs::remove(file);
}

// --- start-up ------------------------------------------------------------------------------------------------

void startup(benchmark::State &state)
{
    int run = 0;
    for (auto _ : state) {
        host::Runtime runtime(quiet());
        runtime.load_directory(JC_BENCH_PLUGIN_DIR);
        const std::string prefix = (scratch() / ("start-" + std::to_string(run++))).string();
        auto instances = open_instances(runtime, prefix);
        if (instances.size() != 2)
            state.SkipWithError("the shipped plugins did not load");
        state.PauseTiming();
        instances.clear();
        remove_states(runtime, prefix);
        state.ResumeTiming();
    }
}

// The ceiling: dlopen of the same libraries and a new SQLite database each, nothing else.
void startup_dlopen_sqlite(benchmark::State &state)
{
    int run = 0;
    for (auto _ : state) {
        for (const char *lib : {"uwv/jobcoach-uwv.so", "gemeente/jobcoach-gemeente.so"}) {
            void *h = ::dlopen((fs::path(JC_BENCH_PLUGIN_DIR) / lib).c_str(), RTLD_NOW | RTLD_LOCAL);
            if (h == nullptr) {
                state.SkipWithError(::dlerror());
                return;
            }
            const std::string path = (scratch() / ("raw-start-" + std::to_string(run++))).string();
            {
                SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
                db.exec("PRAGMA journal_mode=WAL");
                db.exec("CREATE TABLE IF NOT EXISTS t(x)");
            }
            ::dlclose(h);
            state.PauseTiming();
            fs::remove(path);
            fs::remove(path + "-wal");
            fs::remove(path + "-shm");
            state.ResumeTiming();
        }
    }
}

// --- the HR-suite workflow: a state on disk, one save and that employee's findings -----------------------------

// Writes every dirty page of the files written so far (the tenant's states, the saves, an earlier benchmark's
// scratch) to disk before a timed measure starts. The kernel writes a dirty page back some 30 seconds after it was
// dirtied (vm.dirty_expire_centisecs), in threads of its own: the 390 MB of the tenant's states, written back in
// the middle of an evaluation benchmark a minute later, took the processor and the disk from it (one repetition
// of a pass at 797 ms where the ones around it took 413–500 ms, in a run of tests/bench/run.sh on 12-07).
void settle_disk() { ::sync(); }

// A tenant in state files, made once: the evaluation history (100,000 employees at scale 1) imported into both
// plugins with durable state. Returns the states' prefix.
const std::string &tenant_state()
{
    static const std::string prefix = [] {
        const Data &d = evaluation_data();
        const std::string p = (scratch() / "tenant").string();
        host::Runtime runtime(quiet());
        runtime.load_directory(JC_BENCH_PLUGIN_DIR);
        for (auto &instance : open_instances(runtime, p))
            if (instance->handle_events(d.abi->headers()).status != JC_OK)
                throw std::runtime_error("the tenant did not import");
        settle_disk();
        return p;
    }();
    return prefix;
}

// Every 37th employee key of the tenant: the employees whose records are saved.
std::vector<std::string> saved_employees()
{
    std::vector<std::string> keys;
    std::string last;
    size_t n = 0;
    for (const host::Event &e : evaluation_data().file.events)
        if (e.employee != last) {
            last = e.employee;
            if (n++ % 37 == 0)
                keys.push_back(e.employee);
        }
    return keys;
}

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// What one run of saves measured.
struct Saves {
    std::vector<double> ms; // each save's wall time
    size_t findings = 0;
};

// 1,000 saves over `keys`, one after another: one timesheet entry handed to both plugins (one transaction each),
// then that employee's findings from both (jc.findings/1), as an HR suite's hook does. The entries' ids start with
// `ids`, which no other run's share.
Saves run_saves(const std::string &prefix, const std::vector<std::string> &keys, const std::string &ids)
{
    host::Runtime runtime(quiet());
    runtime.load_directory(JC_BENCH_PLUGIN_DIR);
    const auto instances = open_instances(runtime, prefix);
    Saves out;
    for (int k = 0; k < 1000; ++k) {
        const std::string &employee = keys[static_cast<size_t>(k) % keys.size()];
        const std::string id = ids + std::to_string(k);
        jc_event_timesheet_logged ev{};
        ev.header = {sizeof ev, JC_EVENT_TIMESHEET_LOGGED, {id.data(), id.size()}, {employee.data(), employee.size()},
                     evaluation_date.days - 3, 0};
        ev.minutes = 30;
        const jc_event_header *one[] = {&ev.header};
        const auto t0 = std::chrono::steady_clock::now();
        for (auto &instance : instances) {
            if (instance->handle_events(one).status != JC_OK)
                throw std::runtime_error("a save was refused");
            out.findings += instance->evaluate_employees({employee}, evaluation_date.days).size();
        }
        out.ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    return out;
}

void report_saves(benchmark::State &state, const Saves &saves)
{
    state.counters["p50_ms"] = percentile(saves.ms, 0.50);
    state.counters["p95_ms"] = percentile(saves.ms, 0.95);
    state.counters["employees"] = static_cast<double>(evaluation_data().trajectories);
    state.counters["findings_per_save"] = static_cast<double>(saves.findings) / static_cast<double>(saves.ms.size());
}

// Saves in the process that imported the tenant: its memory grown already.
void save_and_findings(benchmark::State &state)
{
    const std::string &prefix = tenant_state();
    const auto keys = saved_employees();
    static int run = 0;
    Saves saves;
    settle_disk();
    for (auto _ : state)
        saves = run_saves(prefix, keys, "save-" + std::to_string(run++) + "-");
    report_saves(state, saves);
}

// Saves in a process of their own that starts by opening the states, as a restarted worker of an HR suite: the
// benchmark's executable again (save_worker), handed the states, the keys and where to write each save's time.
void save_and_findings_restarted(benchmark::State &state)
{
    const std::string &prefix = tenant_state();
    const fs::path keys_file = scratch() / "saved-keys", times_file = scratch() / "save-times";
    {
        std::ofstream out(keys_file);
        for (const auto &key : saved_employees())
            out << key << '\n';
    }
    Saves saves;
    settle_disk();
    for (auto _ : state) {
        const std::string command = "JOBCOACH_BENCH_SAVE_WORKER='" + prefix + "' JOBCOACH_BENCH_SAVE_KEYS='" +
                                    keys_file.string() + "' JOBCOACH_BENCH_SAVE_TIMES='" + times_file.string() +
                                    "' /proc/" + std::to_string(::getpid()) + "/exe";
        if (std::system(command.c_str()) != 0) {
            state.SkipWithError("the save worker failed");
            return;
        }
        std::ifstream in(times_file);
        in >> saves.findings;
        for (double ms = 0; in >> ms;)
            saves.ms.push_back(ms);
    }
    report_saves(state, saves);
}

// The ceiling of a save, in each of two databases of the tenant's size: the employee's row read by its key, and
// written back with a record of a timesheet entry's size appended, and the bucket of the index of ids that holds
// the id's hash read and written back with its slot (12 bytes) added, in one transaction (into scratch tables
// beside the plugins' own, dropped afterwards, so that their state stays as it was).
void save_sqlite(benchmark::State &state)
{
    const std::string &prefix = tenant_state();
    const auto keys = saved_employees();
    std::vector<std::unique_ptr<SQLite::Database>> dbs;
    for (const char *id : {"nl.jobcoach.uwv", "nl.jobcoach.gemeente"}) {
        dbs.push_back(std::make_unique<SQLite::Database>(prefix + "." + id, SQLite::OPEN_READWRITE));
        dbs.back()->exec("PRAGMA synchronous=NORMAL");
        dbs.back()->exec("CREATE TABLE raw_saves(n INTEGER PRIMARY KEY, events BLOB NOT NULL)");
        dbs.back()->exec("CREATE TABLE raw_ids(k INTEGER PRIMARY KEY, slots BLOB NOT NULL)");
    }
    std::vector<double> ms;
    int serial = 0;
    for (auto _ : state) {
        for (int k = 0; k < 1000; ++k) {
            const std::string &employee = keys[static_cast<size_t>(k) % keys.size()];
            const std::string id = "raw-save-" + std::to_string(serial++);
            const auto t0 = std::chrono::steady_clock::now();
            for (auto &db : dbs) {
                std::string events;
                int64_t n = 0;
                {
                    SQLite::Statement q(*db, "SELECT n, events FROM employee_rows WHERE key = ?");
                    q.bind(1, employee);
                    if (q.executeStep()) {
                        n = q.getColumn(0).getInt64();
                        events.assign(static_cast<const char *>(q.getColumn(1).getBlob()),
                                      static_cast<size_t>(q.getColumn(1).getBytes()));
                    }
                }
                events += id;
                events.append(12, '\x01');
                SQLite::Transaction tx(*db);
                SQLite::Statement put(*db, "INSERT OR REPLACE INTO raw_saves(events, n) VALUES(?, ?)");
                put.bind(1, events.data(), static_cast<int>(events.size()));
                put.bind(2, n);
                put.exec();
                const int64_t hash = static_cast<int64_t>(std::hash<std::string>{}(id));
                SQLite::Statement bucket(*db, "SELECT k, slots FROM ids WHERE k <= ? ORDER BY k DESC LIMIT 1");
                bucket.bind(1, hash);
                int64_t key = 0;
                std::string slots;
                if (bucket.executeStep()) {
                    key = bucket.getColumn(0).getInt64();
                    slots.assign(static_cast<const char *>(bucket.getColumn(1).getBlob()),
                                 static_cast<size_t>(bucket.getColumn(1).getBytes()));
                }
                slots.append(12, '\x02');
                SQLite::Statement ins(*db, "INSERT OR REPLACE INTO raw_ids(k, slots) VALUES(?, ?)");
                ins.bind(1, key);
                ins.bind(2, slots.data(), static_cast<int>(slots.size()));
                ins.exec();
                tx.commit();
                benchmark::DoNotOptimize(n);
            }
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
    }
    for (auto &db : dbs) {
        db->exec("DROP TABLE raw_saves");
        db->exec("DROP TABLE raw_ids");
        db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    state.counters["p50_ms"] = percentile(ms, 0.50);
    state.counters["p95_ms"] = percentile(ms, 0.95);
}

// Opening the tenant's states: loading both plugins and create_instance on each existing state, with the heap
// it keeps. The ceiling: start-up with new, empty states (startup/load-plugins-open-state).
void open_existing_state(benchmark::State &state)
{
    const std::string &prefix = tenant_state();
    int64_t kept = 0;
    for (auto _ : state) {
        const int64_t before = heap_now.load();
        host::Runtime runtime(quiet());
        runtime.load_directory(JC_BENCH_PLUGIN_DIR);
        const auto instances = open_instances(runtime, prefix);
        kept = std::max(kept, heap_now.load() - before);
        benchmark::DoNotOptimize(instances.data());
    }
    state.counters["heap_kept_MB"] = static_cast<double>(kept) / 1e6;
    state.counters["employees"] = static_cast<double>(evaluation_data().trajectories);
}

// How many threads each plugin evaluates everyone on (JOBCOACH_EVALUATE_THREADS, plugin.h), for one
// benchmark; the environment as it was afterwards. 0: as the environment says (unset: the plugins' own choice).
class EvaluateThreads {
public:
    explicit EvaluateThreads(unsigned n)
    {
        if (const char *v = std::getenv(name))
            before_ = v;
        if (n != 0)
            ::setenv(name, std::to_string(n).c_str(), 1);
    }
    ~EvaluateThreads()
    {
        if (before_)
            ::setenv(name, before_->c_str(), 1);
        else
            ::unsetenv(name);
    }
    EvaluateThreads(const EvaluateThreads &) = delete;
    EvaluateThreads &operator=(const EvaluateThreads &) = delete;

private:
    static constexpr const char *name = "JOBCOACH_EVALUATE_THREADS";
    std::optional<std::string> before_;
};

// Evaluating everyone from the tenant's states through the runtime, each finding handed on as it comes (the
// host keeps none): trajectories per second (wall clock), the plugins one after the other, each on `threads_each`
// threads (0: the plugins' own choice, the machine's threads), and the peak heap beyond what was
// allocated before, from a pass of its own (untimed: counting the heap slows what it counts).
// `words`: the findings carry their messages, actions and explanation, as every new instance gives them; without
// their explanation, as a host that turns it off gets them (jc.explanations/1: jobcoach-host-c, which prints them
// so); or without any of those words, as a host that keeps its tasks by id gets them (jc.messages/1).
enum class Words { all, no_explanations, none };

void set_words(const std::vector<std::unique_ptr<host::Instance>> &instances, Words words)
{
    for (auto &instance : instances) {
        instance->set_explanations(words == Words::all);
        instance->set_messages(words != Words::none);
    }
}

void evaluate_from_state_on(benchmark::State &state, unsigned threads_each, Words words = Words::all)
{
    const EvaluateThreads threads(threads_each);
    const std::string &prefix = tenant_state();
    host::Runtime runtime(quiet());
    runtime.load_directory(JC_BENCH_PLUGIN_DIR);
    const auto instances = open_instances(runtime, prefix);
    set_words(instances, words);
    size_t findings = 0, counted_findings = 0;
    int64_t peak = 0;
    settle_disk(); // (the saves before have written to the states)
    for (auto _ : state) {
        state.PauseTiming();
        const int64_t before = heap_now.load();
        heap_peak.store(before);
        for (auto &instance : instances)
            instance->evaluate_each(evaluation_date.days, [&](host::Finding &&) { ++counted_findings; });
        peak = std::max(peak, heap_peak.load() - before);
        heap_counting = false;
        state.ResumeTiming();
        for (auto &instance : instances)
            instance->evaluate_each(evaluation_date.days, [&](host::Finding &&) { ++findings; });
        state.PauseTiming();
        heap_counting = true;
        state.ResumeTiming();
    }
    if (counted_findings != findings)
        state.SkipWithError("the counted pass and the timed pass gave different numbers of findings");
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(evaluation_data().trajectories));
    state.counters["findings"] = static_cast<double>(findings) / static_cast<double>(state.iterations());
    state.counters["peak_heap_MB"] = static_cast<double>(peak) / 1e6;
}

void evaluate_from_state(benchmark::State &state) { evaluate_from_state_on(state, 0); }
void evaluate_from_state_one_thread(benchmark::State &state) { evaluate_from_state_on(state, 1); }
void evaluate_from_state_no_explanations(benchmark::State &state)
{
    evaluate_from_state_on(state, 0, Words::no_explanations);
}
void evaluate_from_state_no_words(benchmark::State &state) { evaluate_from_state_on(state, 0, Words::none); }

// The same as jobcoach-demo does it: each plugin's instance evaluates on a thread of its own (different
// instances may be driven from different threads at once, plugin.h), each thread handing its findings on, and
// the machine's threads shared among the plugins by the runtime's jc.threads/1 (a plugin that finishes first
// leaves its core to the other). Wall-clock trajectories per second.
// `words`: with their explanation, as `jobcoach-demo evaluate --explain` prints them; without, as it prints
// them by default (host::Instance::set_explanations, jc.explanations/1); without any words (jc.messages/1).
void evaluate_from_state_at_once_as(benchmark::State &state, Words words)
{
    const EvaluateThreads each(0); // the plugins' own choice, within the runtime's count
    const std::string &prefix = tenant_state();
    host::Runtime runtime(quiet());
    runtime.load_directory(JC_BENCH_PLUGIN_DIR);
    const auto instances = open_instances(runtime, prefix);
    set_words(instances, words);
    std::atomic<size_t> findings{0};
    host::EvaluationThreads &counted = runtime.evaluation_threads();
    auto pass = [&] {
        std::vector<std::thread> threads;
        counted.reserve(static_cast<unsigned>(instances.size())); // as jobcoach-demo counts its threads
        for (auto &instance : instances)
            threads.emplace_back([&findings, &instance, &counted] {
                const host::EvaluationThreads::Seat seat(counted, true);
                size_t mine = 0;
                instance->evaluate_each(evaluation_date.days, [&](host::Finding &&) { ++mine; });
                findings += mine;
            });
        for (auto &t : threads)
            t.join();
    };
    heap_counting = false;
    settle_disk();
    pass(); // untimed, as evaluate_from_state's counted pass: the timed ones find the pages and caches in use
    findings = 0;
    for (auto _ : state)
        pass();
    heap_counting = true;
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(evaluation_data().trajectories));
    state.counters["findings"] = static_cast<double>(findings.load()) / static_cast<double>(state.iterations());
    state.counters["threads"] = static_cast<double>(instances.size());
}

void evaluate_from_state_at_once(benchmark::State &state) { evaluate_from_state_at_once_as(state, Words::all); }
void evaluate_from_state_at_once_no_explanations(benchmark::State &state)
{
    evaluate_from_state_at_once_as(state, Words::no_explanations);
}
void evaluate_from_state_at_once_no_words(benchmark::State &state)
{
    evaluate_from_state_at_once_as(state, Words::none);
}

// The change feed of everyone (jc.findings/1 evaluate_changes) as a host asks for it each night, when nothing
// changed since the feed before: every employee evaluated and compared with the record of what was last reported,
// nothing emitted. On a copy of the tenant's states (the feed writes its record), after a first feed that records
// every finding as new (untimed). Wall-clock trajectories per second, the plugins one after the other.
void change_feed_unchanged(benchmark::State &state)
{
    const std::string &prefix = tenant_state();
    host::Runtime runtime(quiet());
    runtime.load_directory(JC_BENCH_PLUGIN_DIR);
    const std::string copy = (scratch() / "tenant-feed").string();
    for (const auto &p : runtime.plugins()) {
        const std::string id = host::Runtime::info(*p).id;
        fs::copy_file(prefix + "." + id, copy + "." + id, fs::copy_options::overwrite_existing);
    }
    size_t first = 0, changed = 0;
    {
        const auto instances = open_instances(runtime, copy);
        for (auto &instance : instances)
            first += instance->evaluate_changes(nullptr, evaluation_date.days)->size();
        settle_disk();
        for (auto _ : state)
            for (auto &instance : instances)
                changed += instance->evaluate_changes(nullptr, evaluation_date.days)->size();
    }
    remove_states(runtime, copy);
    if (changed != 0)
        state.SkipWithError("a feed with nothing changed gave changes");
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(evaluation_data().trajectories));
    state.counters["recorded"] = static_cast<double>(first);
}

// The read bound of evaluating everyone from the states: SQLite stepping through every row of both states in
// the order the plugins read them (by employee), each column touched, nothing built.
void scan_states_sqlite(benchmark::State &state)
{
    const std::string &prefix = tenant_state();
    int64_t rows = 0;
    settle_disk();
    for (auto _ : state) {
        for (const char *id : {"nl.jobcoach.uwv", "nl.jobcoach.gemeente"}) {
            SQLite::Database db(prefix + "." + id, SQLite::OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
            SQLite::Statement q(db, "SELECT key, events FROM employee_rows ORDER BY key");
            int64_t bytes = 0;
            while (q.executeStep()) {
                bytes += q.getColumn(0).getBytes() + q.getColumn(1).getBytes();
                ++rows;
            }
            benchmark::DoNotOptimize(bytes);
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(evaluation_data().trajectories));
    state.counters["rows"] = static_cast<double>(rows) / static_cast<double>(state.iterations());
}

// A pass over everyone takes as long as the machine lets it: on this shared 2-core machine the same binary's
// passes minutes apart differ by up to 40 % (tests/bench/README.md). Those benchmarks and the row scan they are
// read beside run 5 times each; the figure is the median (bench_main), shown with the fastest and the slowest.
double fastest(const std::vector<double> &v) { return v.empty() ? 0 : *std::min_element(v.begin(), v.end()); }
double slowest(const std::vector<double> &v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }
void repeated(benchmark::internal::Benchmark *b)
{
    b->Repetitions(5)->DisplayAggregatesOnly(true);
    b->ComputeStatistics("min", &fastest)->ComputeStatistics("max", &slowest);
}

} // namespace

BENCHMARK(scan_states_sqlite)->Name("hr/raw-sqlite-scan-of-states")->Unit(benchmark::kMillisecond)->Iterations(1)->Apply(repeated);
BENCHMARK(save_and_findings)->Name("hr/save-and-employee-findings")->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(save_and_findings_restarted)->Name("hr/save-and-employee-findings-restarted")->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(save_sqlite)->Name("hr/raw-sqlite-insert-and-read-employee")->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(open_existing_state)->Name("hr/open-existing-state")->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(evaluate_from_state)->Name("hr/evaluate-everyone-from-state")->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime()->Apply(repeated);
BENCHMARK(evaluate_from_state_no_explanations)->Name("hr/evaluate-everyone-from-state-no-explanations")->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime()->Apply(repeated);
BENCHMARK(evaluate_from_state_no_words)->Name("hr/evaluate-everyone-from-state-no-words")->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime()->Apply(repeated);
BENCHMARK(evaluate_from_state_one_thread)->Name("hr/evaluate-everyone-from-state-one-thread")->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime()->Apply(repeated);
BENCHMARK(evaluate_from_state_at_once)->Name("hr/evaluate-everyone-from-state-at-once")->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime()->Apply(repeated);
BENCHMARK(evaluate_from_state_at_once_no_explanations)->Name("hr/evaluate-everyone-from-state-at-once-no-explanations")->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime()->Apply(repeated);
BENCHMARK(evaluate_from_state_at_once_no_words)->Name("hr/evaluate-everyone-from-state-at-once-no-words")->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime()->Apply(repeated);
BENCHMARK(change_feed_unchanged)->Name("hr/change-feed-of-everyone-unchanged")->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime()->Apply(repeated);
BENCHMARK(dispatch_direct)->Name("dispatch/direct-call");
BENCHMARK(dispatch_abi)->Name("dispatch/abi");
BENCHMARK(dispatch_host)->Name("dispatch/host-runtime");
BENCHMARK(ingest_durable)->Name("ingest/host-plugins-sqlite")->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(ingest_sqlite)->Name("ingest/raw-sqlite")->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(ingest_one_per_call)->Name("ingest/one-event-per-call")->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(ingest_one_per_transaction_sqlite)->Name("ingest/raw-sqlite-one-row-per-transaction")->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(evaluate_all)->Name("evaluate/all-trajectories")->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(evaluate_plain_pass)->Name("evaluate/plain-pass")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(stored_events)->Name("memory/stored-events")->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(parse_event_file)->Name("parse/event-file")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(read_event_file)->Name("parse/read-file")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(startup)->Name("startup/load-plugins-open-state")->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(startup_dlopen_sqlite)->Name("startup/dlopen-sqlite-open")->Unit(benchmark::kMillisecond)->Iterations(20);

void jobcoach::bench::cleanup() { fs::remove_all(scratch()); }

int jobcoach::bench::save_worker(const char *prefix)
{
    const char *keys_file = std::getenv("JOBCOACH_BENCH_SAVE_KEYS");
    const char *times_file = std::getenv("JOBCOACH_BENCH_SAVE_TIMES");
    if (keys_file == nullptr || times_file == nullptr) {
        std::fprintf(stderr, "jobcoach_bench: a save worker needs JOBCOACH_BENCH_SAVE_KEYS and JOBCOACH_BENCH_SAVE_TIMES\n");
        return 2;
    }
    std::vector<std::string> keys;
    std::ifstream in(keys_file);
    for (std::string key; std::getline(in, key);)
        keys.push_back(key);
    if (keys.empty()) {
        std::fprintf(stderr, "jobcoach_bench: no employee key in %s\n", keys_file);
        return 1;
    }
    const Saves saves = run_saves(prefix, keys, "save-worker-" + std::to_string(::getpid()) + "-");
    std::ofstream out(times_file);
    out << saves.findings << '\n';
    for (double ms : saves.ms)
        out << ms << '\n';
    return out ? 0 : 1;
}
