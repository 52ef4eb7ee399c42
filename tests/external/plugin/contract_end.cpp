// SPDX-License-Identifier: Apache-2.0
// An example vendor plugin on the jobcoach C++ SDK: flags each fixed-term contract whose last day is within
// 30 days after the evaluation date. It keeps its events in memory (no state_path support), which is enough to
// show the SDK; the rule plugins of the product keep theirs in SQLite.
#include <jobcoach/sdk.hpp>

#include <map>
#include <string>

namespace {

constexpr jc_date lead_days = 30;

class ContractEnd : public jobcoach::sdk::Instance {
public:
    static const jc_plugin_descriptor *descriptor()
    {
        static const char *const schemes[] = {"example", nullptr};
        static const jc_plugin_descriptor d = {sizeof(jc_plugin_descriptor), 0, "nl.example.contract-end",
                                               "Example: fixed-term contracts ending soon", "Example Payroll BV",
                                               "1.0.0", "Flags fixed-term contracts that end within 30 days.",
                                               schemes};
        return &d;
    }
    static void on_init(const std::string &) {}
    static void on_deinit() {}
    ContractEnd(jobcoach::sdk::Host host, const jobcoach::sdk::InstanceConfig &) : host_(host) {}

    void handle_events(std::span<const jc_event_header *const> events, jc_batch_result &result) override
    {
        // Validation first: a batch with a bad event stores nothing (plugin.h). The SDK has already refused NULL
        // and truncated events; what is left to check is this plugin's own need of an id and an employee.
        for (size_t i = 0; i < events.size(); ++i) {
            const jc_event_header *h = events[i];
            if (h->id.data == nullptr || h->id.size == 0 || h->employee.data == nullptr || h->employee.size == 0) {
                result.failed_index = static_cast<uint32_t>(i);
                throw jobcoach::sdk::Error(JC_E_INVALID_EVENT, "event " + std::to_string(i) + ": without id or employee");
            }
        }
        for (const jc_event_header *h : events) {
            if (h->type != JC_EVENT_CONTRACT_STARTED) {
                ++result.skipped;
                continue;
            }
            const auto e = jobcoach::sdk::read_event<jc_event_contract_started>(*h);
            const std::string id(jobcoach::sdk::view(h->id));
            if (seen_.count(id) != 0) {
                ++result.duplicates;
                continue;
            }
            seen_[id] = true;
            if (e.end != JC_DATE_NONE)
                ends_[std::string(jobcoach::sdk::view(h->employee))] = e.end;
            ++result.accepted;
        }
    }

    void evaluate(jc_date as_of) override
    {
        for (const auto &[employee, end] : ends_) {
            if (end < as_of || end > as_of + lead_days)
                continue;
            const std::string en = "The fixed-term contract ends on day " + std::to_string(end) + ", within " +
                                   std::to_string(lead_days) + " days.";
            const std::string nl = "Het tijdelijke contract eindigt binnen " + std::to_string(lead_days) + " dagen.";
            jc_finding f{};
            f.struct_size = sizeof f;
            f.severity = JC_SEVERITY_WARNING;
            f.employee = jobcoach::sdk::str(employee);
            f.scheme = jobcoach::sdk::str("example");
            f.rule = jobcoach::sdk::str("example.contract-end");
            f.kind = jobcoach::sdk::str("contract.ending");
            f.due = end;
            f.observed_minutes = f.limit_minutes = f.amount_cents = JC_NO_VALUE;
            f.message_nl = jobcoach::sdk::str(nl);
            f.message_en = jobcoach::sdk::str(en);
            f.source = jobcoach::sdk::str("example vendor rule");
            // The stable identity (ABI 1.2): this rule gives one finding per employee, so the key names it.
            f.id = jobcoach::sdk::str(employee);
            host_.emit(f);
        }
    }

private:
    jobcoach::sdk::Host host_;
    std::map<std::string, bool> seen_;
    std::map<std::string, jc_date> ends_;
};

} // namespace

JC_SDK_EXPORT_PLUGIN(ContractEnd)
