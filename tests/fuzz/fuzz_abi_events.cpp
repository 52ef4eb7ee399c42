// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the C ABI event entry of a rule plugin (linked in, called through jc_plugin_entry_v1 exactly as
// a host calls it). Each input is decoded into batches (abi_input.hpp) and fed to a fresh in-memory instance.
// Beyond "no crash, no leak, no undefined behaviour" it checks the contract of handle_events:
//   - the status is JC_OK, JC_E_INVALID_EVENT or JC_E_INVALID_ARGUMENT, never anything else;
//   - JC_OK: accepted + duplicates + skipped == count; the same batch again stores nothing (accepted 0);
//   - JC_E_INVALID_EVENT: failed_index names an event of the batch and last_error says something;
//   - a refused batch changes nothing: the findings before and after it are the same;
//   - every finding a plugin emits has its required members;
//   - evaluate on a valid date returns JC_OK, or JC_E_RULE_PACK when an event lies before every version of a
//     parameter the rules need (the pack has no number for that date; last_error says so).
// JOBCOACH_FUZZ_PLUGIN_DIR (a compile definition) is the plugin's build directory, holding rulepacks/.
#include "abi_input.hpp"

#include <jobcoach/jobcoach.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" const jc_plugin_entry *jc_plugin_entry_v1(void);

namespace {

[[noreturn]] void violated(const char *what, const char *detail = "")
{
    std::fprintf(stderr, "contract violated: %s %s\n", what, detail);
    std::abort();
}

struct Collector {
    std::vector<std::string> lines;
};

std::string text(jc_str s) { return s.data != nullptr ? std::string(s.data, s.size) : std::string(); }

jc_status JC_ABI emit(const jc_host *host, const jc_finding *f)
{
    auto *c = static_cast<Collector *>(host->host_data);
    if (f == nullptr || f->struct_size < JC_FINDING_SIZE_V1_0)
        violated("a finding is NULL or too small");
    for (const jc_str *s : {&f->employee, &f->scheme, &f->rule, &f->kind, &f->message_nl, &f->message_en, &f->source})
        if (s->data == nullptr || s->size == 0)
            violated("a finding lacks a required member of rule", text(f->rule).c_str());
    if (f->severity < JC_SEVERITY_INFO || f->severity > JC_SEVERITY_CRITICAL)
        violated("a finding's severity is out of range");
    c->lines.push_back(text(f->employee) + "|" + text(f->scheme) + "|" + text(f->rule) + "|" + text(f->kind) + "|" +
                       text(f->subject) + "|" + std::to_string(f->due) + "|" + std::to_string(f->observed_minutes) + "|" +
                       std::to_string(f->limit_minutes) + "|" + std::to_string(f->amount_cents));
    return JC_OK;
}

void JC_ABI log(const jc_host *, int32_t, jc_str) {}
const void *JC_ABI get_extension(const jc_host *, const char *) { return nullptr; }

const jc_plugin_entry *entry = nullptr;

std::vector<std::string> findings(const jc_plugin *p, Collector &c, jc_date as_of, jc_status *status)
{
    c.lines.clear();
    *status = p->evaluate(p, as_of);
    std::sort(c.lines.begin(), c.lines.end());
    return c.lines;
}

// JC_OK, or the one failure a valid date may give: the shipped packs start in 2000-2018, and an event of 1950
// needs numbers they do not have.
bool evaluated(const jc_plugin *p, jc_status s)
{
    return s == JC_OK || (s == JC_E_RULE_PACK && std::strstr(p->last_error(p), "has no version valid on") != nullptr);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    entry = jc_plugin_entry_v1();
    char error[512] = {};
    if (entry->init(JOBCOACH_FUZZ_PLUGIN_DIR, error, sizeof error) != JC_OK) {
        std::fprintf(stderr, "init failed: %s\n", error);
        std::abort();
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::vector<jobcoach::fuzz::Batch> batches = jobcoach::fuzz::decode({data, size}, 16);

    Collector collector;
    jc_host host{};
    host.struct_size = sizeof host;
    host.abi_version = {JC_ABI_VERSION_MAJOR, JC_ABI_VERSION_MINOR, JC_ABI_VERSION_PATCH};
    host.host_data = &collector;
    host.name = "fuzz";
    host.version = "0";
    host.get_extension = &get_extension;
    host.log = &log;
    host.emit_finding = &emit;
    jc_instance_config config{};
    config.struct_size = sizeof config;
    const jc_plugin *p = nullptr;
    char error[512] = {};
    if (entry->create(&host, &config, &p, error, sizeof error) != JC_OK || p == nullptr)
        violated("create failed:", error);

    constexpr jc_date probe = 20819; // 2027-01-01: the findings a refused batch must leave as they were
    for (const auto &b : batches) {
        jc_status before_status = JC_OK;
        const std::vector<std::string> before = findings(p, collector, probe, &before_status);
        if (!evaluated(p, before_status))
            violated("evaluate failed on a valid date:", p->last_error(p));

        jc_batch_result result{};
        result.struct_size = sizeof result;
        const auto count = static_cast<uint32_t>(b.pointers.size());
        const jc_event_header *const *events = b.null_events ? nullptr : b.pointers.data();
        const jc_status status = p->handle_events(p, events, count, b.null_result ? nullptr : &result);
        if (status == JC_OK) {
            if (!b.null_result && result.accepted + result.duplicates + result.skipped != count)
                violated("accepted + duplicates + skipped is not the batch's count");
            jc_batch_result again{};
            again.struct_size = sizeof again;
            if (p->handle_events(p, events, count, &again) != JC_OK || again.accepted != 0)
                violated("the same batch sent twice stored something the second time");
        } else if (status == JC_E_INVALID_EVENT || status == JC_E_INVALID_ARGUMENT) {
            const char *why = p->last_error(p);
            if (why == nullptr || why[0] == '\0')
                violated("a refused batch left last_error empty");
            if (status == JC_E_INVALID_EVENT && !b.null_result && result.failed_index >= count)
                violated("failed_index is not an index of the batch:", why);
            jc_status after_status = JC_OK;
            if (findings(p, collector, probe, &after_status) != before || after_status != before_status)
                violated("a refused batch changed the findings:", why);
        } else {
            violated("handle_events returned an unexpected status:", p->last_error(p));
        }

        if (b.evaluate) {
            collector.lines.clear();
            const jc_status s = p->evaluate(p, b.as_of);
            const bool in_range = b.as_of >= JC_DATE_MIN && b.as_of <= JC_DATE_MAX;
            if (in_range ? !evaluated(p, s) : s != JC_E_INVALID_ARGUMENT)
                violated("evaluate's status does not match its date:", p->last_error(p));
        }
    }
    p->destroy(p);
    return 0;
}
