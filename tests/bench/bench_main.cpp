// SPDX-License-Identifier: Apache-2.0
// Runs the benchmarks (Google Benchmark's console output first), then prints each figure beside the ceiling
// measured in the same run, their ratio, and the target of issue 6. Ratios, not absolute times, are what carry
// from one run to the next on a shared machine.
#include "bench.hpp"

#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace {

// Keeps every run by name while the console reporter prints it: with --benchmark_repetitions, the median of
// the repetitions (reported after them), never the other aggregates (a standard deviation is no figure).
class Collecting : public benchmark::ConsoleReporter {
public:
    std::map<std::string, Run> runs;
    void ReportRuns(const std::vector<Run> &reports) override
    {
        ConsoleReporter::ReportRuns(reports);
        for (const Run &r : reports)
            if (!r.error_occurred && (r.run_type != Run::RT_Aggregate || r.aggregate_name == "median"))
                runs[r.run_name.function_name] = r;
    }
};

double per_second(const benchmark::BenchmarkReporter::Run &r, const char *counter)
{
    const auto it = r.counters.find(counter);
    return it == r.counters.end() ? 0 : static_cast<double>(it->second);
}
double nanoseconds(const benchmark::BenchmarkReporter::Run &r)
{
    return r.GetAdjustedRealTime() * benchmark::GetTimeUnitMultiplier(benchmark::kNanosecond) /
           benchmark::GetTimeUnitMultiplier(r.time_unit);
}
double counter(const benchmark::BenchmarkReporter::Run &r, const char *name) { return per_second(r, name); }

struct Row {
    const char *what, *figure, *ceiling, *target;
    enum Kind { rate_items, rate_bytes, time_ns, time_ms, bytes_per_trajectory, p95_ms, heap_mb } kind;
};

// What a row reads of a run, as its figure or as its ceiling.
double measure(const benchmark::BenchmarkReporter::Run &r, Row::Kind kind, bool as_ceiling)
{
    switch (kind) {
    case Row::rate_items:
        return per_second(r, "items_per_second");
    case Row::rate_bytes:
        return per_second(r, "bytes_per_second") / 1e6;
    case Row::time_ns:
        return nanoseconds(r);
    case Row::time_ms:
        return nanoseconds(r) / 1e6;
    case Row::bytes_per_trajectory:
        return counter(r, "bytes_per_trajectory");
    case Row::p95_ms:
        return counter(r, "p95_ms");
    case Row::heap_mb: // the figure's peak beside the heap an open state keeps
        return counter(r, as_ceiling ? "heap_kept_MB" : "peak_heap_MB");
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); // as jobcoach-demo: no process-wide mutex on each allocation
    if (const char *prefix = std::getenv("JOBCOACH_BENCH_SAVE_WORKER"))
        return jobcoach::bench::save_worker(prefix);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 2;
    Collecting reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    jobcoach::bench::cleanup();

    const Row rows[] = {
        {"ABI dispatch, ns per event (overhead = figure - ceiling)", "dispatch/abi", "dispatch/direct-call",
         "overhead < 20 ns", Row::time_ns},
        {"host runtime dispatch, ns per event", "dispatch/host-runtime", "dispatch/direct-call", "overhead < 20 ns", Row::time_ns},
        {"durable ingest, events/s (2 plugins)", "ingest/host-plugins-sqlite", "ingest/raw-sqlite",
         "ratio >= 0.4; 1M timesheets < 3 s", Row::rate_items},
        {"ingest one event per call (uwv), events/s", "ingest/one-event-per-call",
         "ingest/raw-sqlite-one-row-per-transaction", "(a host's request path)", Row::rate_items},
        {"evaluation, trajectories/s", "evaluate/all-trajectories", "evaluate/plain-pass", "100,000 in < 0.5 s", Row::rate_items},
        {"event-file parsing, MB/s", "parse/event-file", "parse/read-file", ">= 200 MB/s", Row::rate_bytes},
        {"start-up, ms (load all plugins, open state)", "startup/load-plugins-open-state", "startup/dlopen-sqlite-open",
         "< 50 ms", Row::time_ms},
        {"working memory per trajectory, bytes", "evaluate/all-trajectories", "memory/stored-events",
         "< 300 bytes beyond the stored events", Row::bytes_per_trajectory},
        {"HR save + that employee's findings, p95 ms (2 plugins)", "hr/save-and-employee-findings",
         "hr/raw-sqlite-insert-and-read-employee", "p95 < 1 ms at 100,000 employees", Row::p95_ms},
        {"  the same, in a restarted worker (a process of their own)",
         "hr/save-and-employee-findings-restarted", "hr/raw-sqlite-insert-and-read-employee",
         "p95 < 1 ms at 100,000 employees", Row::p95_ms},
        {"open an existing state, ms (ceiling: a new state)", "hr/open-existing-state", "startup/load-plugins-open-state",
         "< 50 ms at 100,000 employees", Row::time_ms},
        {"evaluate everyone from state, trajectories/s", "hr/evaluate-everyone-from-state", "evaluate/all-trajectories",
         ">= 200,000/s, findings included", Row::rate_items},
        {"  the same, findings without explanations (jobcoach-host-c)",
         "hr/evaluate-everyone-from-state-no-explanations", "hr/evaluate-everyone-from-state",
         ">= 200,000/s, findings included", Row::rate_items},
        {"  the same, findings without words (jc.messages/1: a task list)",
         "hr/evaluate-everyone-from-state-no-words", "hr/evaluate-everyone-from-state",
         "(beside the target: no messages)", Row::rate_items},
        {"evaluate everyone, one thread each, trajectories/s", "hr/evaluate-everyone-from-state-one-thread",
         "hr/evaluate-everyone-from-state", "(one core)", Row::rate_items},
        {"evaluate everyone, plugins at once, trajectories/s (wall)", "hr/evaluate-everyone-from-state-at-once",
         "hr/evaluate-everyone-from-state", ">= 200,000/s, findings included", Row::rate_items},
        {"  the same, findings without explanations (the demo's default)",
         "hr/evaluate-everyone-from-state-at-once-no-explanations", "hr/evaluate-everyone-from-state-at-once",
         ">= 200,000/s, findings included", Row::rate_items},
        {"  the same, findings without words (jc.messages/1)",
         "hr/evaluate-everyone-from-state-at-once-no-words", "hr/evaluate-everyone-from-state-at-once",
         "(beside the target: no messages)", Row::rate_items},
        {"change feed of everyone, nothing changed, trajectories/s", "hr/change-feed-of-everyone-unchanged",
         "hr/evaluate-everyone-from-state", "(a host's nightly call)", Row::rate_items},
        {"evaluate everyone, trajectories/s (ceiling: the row scan)",
         "hr/evaluate-everyone-from-state", "hr/raw-sqlite-scan-of-states", ">= 200,000/s, findings included",
         Row::rate_items},
        {"evaluate everyone from state, peak heap MB (ceiling: in memory)", "hr/evaluate-everyone-from-state",
         "hr/open-existing-state", "bounded: < 300 MB at 100,000 x 10 years", Row::heap_mb},
    };
    std::printf("\n%-58s %14s %14s %9s   %s\n", "figure", "value", "ceiling", "ratio", "target");
    for (const Row &row : rows) {
        const auto f = reporter.runs.find(row.figure), c = reporter.runs.find(row.ceiling);
        if (f == reporter.runs.end()) {
            std::printf("%-58s %14s %14s %9s   %s\n", row.what, "(not run)", "", "", row.target);
            continue;
        }
        const double value = measure(f->second, row.kind, false);
        const int digits = row.kind == Row::p95_ms ? 2 : 1; // a p95 of 0.65 ms is not 0.7
        if (c == reporter.runs.end()) { // (its ceiling filtered out: the figure alone)
            std::printf("%-58s %14.*f %14s %9s   %s\n", row.what, digits, value, "(not run)", "", row.target);
            continue;
        }
        const double ceiling = measure(c->second, row.kind, true);
        std::printf("%-58s %14.*f %14.*f %9.3f   %s\n", row.what, digits, value, digits, ceiling,
                    ceiling != 0 ? value / ceiling : 0.0, row.target);
    }
    const auto ingest = reporter.runs.find("ingest/host-plugins-sqlite");
    if (ingest != reporter.runs.end())
        std::printf("%-58s %14.0f\n", "durable ingest, events per run", counter(ingest->second, "events"));
    const auto evaluation = reporter.runs.find("evaluate/all-trajectories");
    if (evaluation != reporter.runs.end())
        std::printf("%-58s %14.0f   (%.0f findings, %.1f ms)\n", "evaluation, trajectories per run",
                    counter(evaluation->second, "trajectories"), counter(evaluation->second, "findings"),
                    nanoseconds(evaluation->second) / 1e6);
    benchmark::Shutdown();
    return 0;
}
