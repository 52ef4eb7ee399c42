// SPDX-License-Identifier: Apache-2.0
// An example host on the jobcoach host runtime: loads the installed plugins (and any directories given on the
// command line), feeds one employee's events built in code, and prints each plugin and its findings.
//
//   example-host [PLUGIN_DIR...]
#include <jobcoach/host/runtime.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

jc_str s(const char *text) { return jc_str{text, std::char_traits<char>::length(text)}; }

jc_event_header header(uint32_t size, uint32_t type, const char *id, const char *employee, jc_date date)
{
    return jc_event_header{size, type, s(id), s(employee), date, 0};
}

} // namespace

int main(int argc, char **argv)
{
    jobcoach::host::Runtime runtime;
    runtime.load_directory(JOBCOACH_PLUGIN_DIR);
    for (int i = 1; i < argc; ++i)
        runtime.load_directory(argv[i]);
    for (const auto &r : runtime.refusals())
        std::printf("refused %s: %s: %s\n", r.path.c_str(), r.check.c_str(), r.reason.c_str());

    // 2026-01-05 is day 20458 since 1970-01-01; the evaluation date is 2026-11-10. E-1's contract ended on
    // 2026-11-01 inside a UWV trajectory (the notice to UWV is overdue); E-2's ends on 2026-12-01.
    const jc_date start = 20458, as_of = start + 309;
    jc_event_contract_started contract{header(sizeof contract, JC_EVENT_CONTRACT_STARTED, "c1", "E-1", start),
                                       s("ACME"), 20 * 60, start + 300, 1, 1};
    jc_event_coaching_granted grant{header(sizeof grant, JC_EVENT_COACHING_GRANTED, "g1", "E-1", start),
                                    s("uwv-extern"), s("midden"), -1, -1, 0, {}, {}};
    jc_event_timesheet_logged hours{header(sizeof hours, JC_EVENT_TIMESHEET_LOGGED, "t1", "E-1", start + 7), 90,
                                    JC_ACTIVITY_COACHING, {}, {}};
    jc_event_contract_started contract2{header(sizeof contract2, JC_EVENT_CONTRACT_STARTED, "c2", "E-2", start),
                                        s("ACME"), 32 * 60, start + 330, 1, 1};
    const std::vector<const jc_event_header *> events{&contract.header, &grant.header, &hours.header,
                                                      &contract2.header};

    int failures = 0;
    for (const auto &plugin : runtime.plugins()) {
        const auto &info = jobcoach::host::Runtime::info(*plugin);
        auto instance = runtime.create_instance(plugin, {});
        const auto outcome = instance->handle_events(events);
        std::printf("plugin %s: status %d, %u accepted, %u skipped\n", info.id.c_str(), outcome.status,
                    outcome.result.accepted, outcome.result.skipped);
        failures += outcome.status != JC_OK;
        for (const auto &f : instance->evaluate(as_of))
            std::printf("finding %s %s %s %s\n", info.id.c_str(), f.rule.c_str(), f.kind.c_str(), f.employee.c_str());
    }
    std::printf("%zu plugins, %zu refused\n", runtime.plugins().size(), runtime.refusals().size());
    return failures == 0 && runtime.refusals().empty() && !runtime.plugins().empty() ? 0 : 1;
}
