// The SDK instance shared by every rule plugin: durable, idempotent event storage and evaluation.
#pragma once

#include "jobcoach/rules/engine.hpp"
#include "jobcoach/rules/event_store.hpp"

#include <jobcoach/sdk.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace jobcoach::rules {

class RulesPlugin : public sdk::Instance {
public:
    // The schemes of an instance, made once its rule packs are loaded (a pack may define a scheme).
    using SchemeFactory = std::function<std::vector<std::unique_ptr<SchemeRules>>(const RulePackSet &)>;

    // Loads the rule packs of `config.plugin_dir`/rulepacks, then `config.rule_pack_dir`, makes the schemes,
    // checks the packs against them, and opens the state store. Throws sdk::Error (JC_E_RULE_PACK,
    // JC_E_STORAGE).
    RulesPlugin(sdk::Host host, const sdk::InstanceConfig &config, const SchemeFactory &make_schemes);

    void handle_events(std::span<const jc_event_header *const> events, jc_batch_result &result) override;
    void evaluate(jc_date as_of) override;

    const void *get_extension(std::string_view id) const noexcept override;

    // The findings as of a date, without the ABI (for tests and extensions).
    std::vector<Finding> findings(Date as_of) const;
    // jc.status/1: each trajectory of one employee as of a date.
    std::vector<TrajectoryStatus> status(std::string_view employee, Date as_of) const;

private:
    sdk::Host host_;
    std::vector<std::unique_ptr<SchemeRules>> schemes_;
    RulePackSet packs_;
    std::unique_ptr<EventStore> store_;
    // Every stored event, in arrival order. A deque, so that an event never moves once stored: a vector's
    // growth moved a million events (about a second) in the middle of a host's one-event call.
    std::deque<Event> events_;
    std::vector<const Event *> event_pointers_;   // the same, as the engine reads them
    std::unordered_map<std::string_view, const Event *> ids_; // id (a view into events_) -> the stored event
};

} // namespace jobcoach::rules
