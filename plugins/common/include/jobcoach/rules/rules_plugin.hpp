// SPDX-License-Identifier: Apache-2.0
// The SDK instance shared by every rule plugin: durable, idempotent event storage and evaluation.
#pragma once

#include "jobcoach/rules/engine.hpp"
#include "jobcoach/rules/event_store.hpp"

#include <jobcoach/sdk.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace jobcoach::rules {

// Events in chunks of a fixed capacity, appended and removed at the end only: a stored event never moves, as
// the engine and the id map point at it. Not a std::deque: libstdc++ gives an object of 392 bytes a 512-byte
// node of its own.
class StableEvents {
public:
    static constexpr size_t chunk = 4096;
    // Strong guarantee: when an allocation fails (std::bad_alloc), nothing has changed.
    Event &emplace_back()
    {
        if (chunks_.empty() || chunks_.back().size() == chunk) {
            std::vector<Event> fresh;
            fresh.reserve(chunk); // never grows past this: its events never move
            chunks_.push_back(std::move(fresh));
        }
        Event &e = chunks_.back().emplace_back(); // within the reserved capacity: cannot reallocate
        ++size_;
        return e;
    }
    void pop_back()
    {
        chunks_.back().pop_back();
        --size_;
        if (chunks_.back().empty())
            chunks_.pop_back();
    }
    // Removes events from the end until `n` are left.
    void shrink_to(size_t n)
    {
        while (size_ > n)
            pop_back();
    }
    size_t size() const { return size_; }

private:
    std::vector<std::vector<Event>> chunks_;
    size_t size_ = 0;
};

class RulesPlugin : public sdk::Instance {
public:
    // The schemes of an instance, made once its rule packs are loaded (a pack may define a scheme).
    using SchemeFactory = std::function<std::vector<std::unique_ptr<SchemeRules>>(const RulePackSet &)>;

    // Loads the rule packs of `config.plugin_dir`/rulepacks, then `config.rule_pack_dir`, makes the schemes,
    // checks the packs against them, and opens the state store as the state of `plugin_id` (the descriptor's
    // id). Throws sdk::Error (JC_E_RULE_PACK, JC_E_STORAGE).
    RulesPlugin(sdk::Host host, const sdk::InstanceConfig &config, std::string_view plugin_id,
                const SchemeFactory &make_schemes);

    // For a plugin's on_init: its rule packs are there (plugin_dir/rulepacks holds a pack), so that a broken
    // installation fails at init, naming the path, rather than at each create. Throws sdk::Error (JC_E_RULE_PACK).
    static void require_rule_packs(const std::string &plugin_dir);

    void handle_events(std::span<const jc_event_header *const> events, jc_batch_result &result) override;
    void evaluate(jc_date as_of) override;

    const void *get_extension(std::string_view id) const noexcept override;

    // The findings as of a date, without the ABI (for tests and extensions).
    std::vector<Finding> findings(Date as_of) const;
    // jc.status/1: each trajectory of one employee as of a date.
    std::vector<TrajectoryStatus> status(std::string_view employee, Date as_of) const;
    // jc.status/1 knows: whether any event of the employee is stored.
    bool knows(std::string_view employee) const;

private:
    void index_employees() const; // extends by_employee_ with the events stored since the last call
    sdk::Host host_;
    std::vector<std::unique_ptr<SchemeRules>> schemes_;
    RulePackSet packs_;
    std::unique_ptr<EventStore> store_;
    // Every stored event, in arrival order. Stable, so that an event never moves once stored: a vector's
    // growth moved a million events (about a second) in the middle of a host's one-event call.
    StableEvents events_;
    std::vector<const Event *> event_pointers_;   // the same, as the engine reads them
    std::unordered_map<std::string_view, const Event *> ids_; // id (a view into events_) -> the stored event
    // jc.status/1's index: each employee's events, extended on a status query by the events stored since the
    // last one. A host asks for many employees in a row (a report): scanning every stored event per query made
    // a report of 3,000 employees take 32 s. Instance-serialized like every call, hence mutable in a const query.
    mutable std::unordered_map<std::string_view, std::vector<const Event *>> by_employee_;
    mutable size_t indexed_ = 0; // event_pointers_[0, indexed_) are in by_employee_
};

} // namespace jobcoach::rules
