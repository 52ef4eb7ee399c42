// SPDX-License-Identifier: Apache-2.0
// A plugin that does nothing with its events: the dispatch benchmark measures the ABI path (entry, SDK wrapper,
// guarded call, virtual call) against a direct call through a function pointer.
#include <jobcoach/sdk.hpp>

namespace {

class Noop : public jobcoach::sdk::Instance {
public:
    static const jc_plugin_descriptor *descriptor()
    {
        static const char *const schemes[] = {"noop", nullptr};
        static const jc_plugin_descriptor d = {sizeof(jc_plugin_descriptor), 0, "bench.noop", "no-op plugin",
                                               "Jobcoach Rules", "1.0.0", "Counts events and nothing else.", schemes};
        return &d;
    }
    static void on_init(const std::string &) {}
    static void on_deinit() {}
    Noop(jobcoach::sdk::Host, const jobcoach::sdk::InstanceConfig &) {}
    void handle_events(std::span<const jc_event_header *const> events, jc_batch_result &result) override
    {
        result.skipped = static_cast<uint32_t>(events.size());
    }
    void evaluate(jc_date) override {}
};

} // namespace

JC_SDK_EXPORT_PLUGIN(Noop)
