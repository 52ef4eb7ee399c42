// SPDX-License-Identifier: Apache-2.0
// A plugin written exactly as the comment at the top of jobcoach/sdk.hpp says, and no more: it checks nothing
// itself. jobcoach-validate must pass it (Validate.SoundVariantsPass): whatever the ABI asks of every plugin
// (refusing NULL and truncated events, among others) the SDK does.
#include <jobcoach/sdk.hpp>

#include <set>
#include <string>

namespace {

class Minimal : public jobcoach::sdk::Instance {
public:
    static const jc_plugin_descriptor *descriptor()
    {
        static const char *const schemes[] = {"test", nullptr};
        static const jc_plugin_descriptor d = {sizeof d, 0, "test.sdk_minimal", "test plugin sdk_minimal", "tests",
                                               "1.0.0", "counts its events", schemes};
        return &d;
    }
    static void on_init(const std::string &) {}
    static void on_deinit() {}
    Minimal(jobcoach::sdk::Host host, const jobcoach::sdk::InstanceConfig &) : host_(host) {}

    void handle_events(std::span<const jc_event_header *const> events, jc_batch_result &result) override
    {
        for (const jc_event_header *h : events) {
            if (jobcoach::sdk::event_min_size(h->type) == 0) {
                ++result.skipped;
                continue;
            }
            if (!ids_.insert(std::string(jobcoach::sdk::view(h->id))).second) {
                ++result.duplicates;
                continue;
            }
            ++result.accepted;
        }
    }

    void evaluate(jc_date as_of) override
    {
        const std::string text = "events: " + std::to_string(ids_.size());
        jc_finding f{};
        f.struct_size = sizeof f;
        f.severity = JC_SEVERITY_INFO;
        f.employee = jobcoach::sdk::str("E-TEST");
        f.scheme = jobcoach::sdk::str("test");
        f.rule = f.kind = jobcoach::sdk::str("test.count");
        f.due = as_of;
        f.observed_minutes = static_cast<int64_t>(ids_.size());
        f.limit_minutes = f.amount_cents = JC_NO_VALUE;
        f.message_nl = f.message_en = jobcoach::sdk::str(text);
        f.source = jobcoach::sdk::str("tests");
        f.id = jobcoach::sdk::str("test.count:E-TEST"); // one finding of one instance: a fixed identity
        host_.emit(f);
    }

private:
    jobcoach::sdk::Host host_;
    std::set<std::string> ids_;
};

} // namespace

JC_SDK_EXPORT_PLUGIN(Minimal)
