// SPDX-License-Identifier: Apache-2.0
// The SDK instance shared by every rule plugin: durable, idempotent event storage and evaluation.
#pragma once

#include "jobcoach/rules/engine.hpp"
#include "jobcoach/rules/evaluate_everyone.hpp"
#include "jobcoach/rules/event_store.hpp"

#include <jobcoach/sdk.hpp>

#include <functional>
#include <memory>
#include <optional>
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

    // The findings as of a date, without the ABI (for tests and extensions), sorted.
    std::vector<Finding> findings(Date as_of) const;
    // The findings of some employees alone, as of a date, with the employer-level findings that name one of
    // them (their co-workers are read for those), sorted. Unknown keys give nothing.
    std::vector<Finding> findings_of(std::span<const std::string> employees, Date as_of) const;
    // Reports the given findings through the host's emit_finding; throws sdk::Error when the host refuses one.
    void emit(std::span<const Finding> findings) const;
    // The same for one finding in its ABI form (packed findings, for_each_packed).
    void emit(const jc_finding &abi) const;
    // The change feed (jc.findings/1 evaluate_changes): how the findings as of a date of some employees (all
    // when null) differ from what the state last recorded for them, by employee and id. Changes nothing.
    std::vector<Change> changes(const std::vector<std::string> *employees, Date as_of) const;
    // Reports changes through emit_finding with their jc_finding.change; throws sdk::Error when one is refused.
    void emit(const std::vector<Change> &changes) const;
    // Records the changes as what was last reported, in one transaction. Throws sdk::Error (JC_E_STORAGE).
    void record(const std::vector<Change> &changes);
    // jc.status/1: each trajectory of one employee as of a date.
    std::vector<TrajectoryStatus> status(std::string_view employee, Date as_of) const;
    // jc.status/1 knows: whether any event of the employee is stored.
    bool knows(std::string_view employee) const;
    // jc.erase/1: removes the employee from the state for good. Throws sdk::Error (JC_E_STORAGE).
    EventStore::Erased erase(std::string_view employee);
    // jc.explanations/1: whether the findings of the calls from now on carry their explanation (true at first).
    void explain(bool on) { wording_.explanations = on; }
    // jc.messages/1: whether the findings of the calls from now on carry their words for people, their messages,
    // actions and explanation (true at first).
    void word(bool on) { wording_.words = on; }

private:
    // Clears the cache when another process or instance committed to the state since the last call.
    void sync() const;
    // One employee's events, from the cache or the state.
    std::shared_ptr<const std::vector<Event>> events_of(std::string_view employee) const;
    // Evaluates everyone, employee by employee from the state; calls sink with each employee's findings, then
    // with the employer-level ones. Memory holds a few batches of employees (evaluate_everyone.hpp: spread over
    // at most JOBCOACH_EVALUATE_THREADS threads, those beyond the calling one taken from the host's jc.threads/1
    // where it offers it; the sink is called on the calling thread, in key order).
    // The employer-level findings come last, with an empty key.
    // With `packed` set, the findings of the employees evaluated in batches beside helper threads go to it, packed
    // (PackedSink).
    // Gives the new and updated findings of `changes`, found without their words, their words: made again for the
    // employees they concern, or in one more pass over everyone when they are more than an eighth of the `visited`
    // employees (a feed half a year after the last). Throws sdk::Error (JC_E_INTERNAL) when one is not found again.
    void word_changes(std::vector<Change> &changes, size_t visited, Date as_of) const;
    // The findings carry the words `wording` names, or those the host asked for (jc.messages/1, jc.explanations/1).
    void each_finding(Date as_of, const EmployeeSink &sink, const PackedSink &packed = {},
                      std::optional<Wording> wording = std::nullopt) const;

    sdk::Host host_;
    // The host's jc.threads/1 when it offers it (its struct reaching give_back): each_finding then starts a
    // helper thread only for a thread taken from it. Null: the host offers none.
    const jc_host_threads *threads_ = nullptr;
    Wording wording_; // what jc.explanations/1 and jc.messages/1 asked for
    std::vector<std::unique_ptr<SchemeRules>> schemes_;
    RulePackSet packs_;
    // The state is the truth: every event lives in the store, read by employee when needed. Nothing held here
    // grows with the tenant: the cache keeps at most cache_capacity employees' events (the ones a host just
    // saved and asks about; few, as each is memory a restarted worker fills anew), and is emptied when another
    // connection commits (PRAGMA data_version).
    std::unique_ptr<EventStore> store_;
    static constexpr size_t cache_capacity = 16;
    struct KeyHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    mutable std::unordered_map<std::string, std::shared_ptr<const std::vector<Event>>, KeyHash, std::equal_to<>> cache_;
    mutable int64_t data_version_ = 0;
};

} // namespace jobcoach::rules
