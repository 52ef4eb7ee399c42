#include "jobcoach/rules/rules_plugin.hpp"

#include <fmt/format.h>

namespace jobcoach::rules {

RulesPlugin::RulesPlugin(sdk::Host host, const sdk::InstanceConfig &config,
                         std::vector<std::unique_ptr<SchemeRules>> schemes)
    : host_(host), schemes_(std::move(schemes))
{
    try {
        std::vector<std::filesystem::path> dirs{std::filesystem::path(config.plugin_dir) / "rulepacks"};
        if (!config.rule_pack_dir.empty()) {
            if (!std::filesystem::is_directory(config.rule_pack_dir))
                throw RulePackError("rule_pack_dir " + config.rule_pack_dir + " is not a directory");
            dirs.emplace_back(config.rule_pack_dir);
        }
        packs_ = RulePackSet::load(dirs);
        const RulePack &common = packs_.get("common");
        common.require({"report_lead_days", "budget_warning_pct", "expiring_lead_days"},
                       {"leidraad.justification", "jobcoaching.paid-work", "coaching.unassigned"});
        for (const auto &s : schemes_)
            s->check(Params(packs_.get(s->scheme()), common));
    } catch (const RulePackError &e) {
        throw sdk::Error(JC_E_RULE_PACK, e.what());
    }
    try {
        store_ = std::make_unique<EventStore>(config.state_path);
        events_ = store_->load();
    } catch (const std::exception &e) {
        throw sdk::Error(JC_E_STORAGE, e.what());
    }
    ids_.reserve(events_.size());
    for (const auto &e : events_)
        ids_.insert(e.id);
    host_.log(JC_LOG_DEBUG, fmt::format("instance ready: {} stored events", events_.size()));
}

void RulesPlugin::handle_events(std::span<const jc_event_header *const> events, jc_batch_result &result)
{
    // Validate the whole batch first: a bad event rejects the batch, and nothing of it is stored.
    std::vector<Event> fresh;
    std::unordered_set<std::string> batch_ids;
    uint32_t skipped = 0, duplicates = 0;
    for (size_t i = 0; i < events.size(); ++i) {
        const jc_event_header *h = events[i];
        auto reject = [&](const std::string &what) {
            result.failed_index = static_cast<uint32_t>(i);
            throw sdk::Error(JC_E_INVALID_EVENT, fmt::format("event #{} of the batch: {}", i, what));
        };
        if (h == nullptr)
            reject("NULL pointer");
        if (h->struct_size < sizeof(jc_event_header))
            reject(fmt::format("struct_size {} is smaller than the {}-byte header", h->struct_size, sizeof(jc_event_header)));
        std::optional<Event> e;
        try {
            e = from_abi(*h);
        } catch (const std::exception &ex) {
            reject(fmt::format("{} (type {})", ex.what(), h->type));
        }
        if (!e) {
            ++skipped;
            continue;
        }
        if (ids_.count(e->id) > 0 || batch_ids.count(e->id) > 0) {
            ++duplicates;
            continue;
        }
        fresh.push_back(std::move(*e));
        batch_ids.insert(fresh.back().id);
    }
    try {
        store_->append(fresh);
    } catch (const std::exception &e) {
        throw sdk::Error(JC_E_STORAGE, e.what());
    }
    result.accepted = static_cast<uint32_t>(fresh.size());
    result.duplicates = duplicates;
    result.skipped = skipped;
    events_.reserve(events_.size() + fresh.size());
    for (auto &e : fresh) {
        ids_.insert(e.id);
        events_.push_back(std::move(e));
    }
}

std::vector<Finding> RulesPlugin::findings(Date as_of) const { return evaluate_all(events_, as_of, schemes_, packs_); }

void RulesPlugin::evaluate(jc_date as_of)
{
    std::vector<jc_str> employees;
    std::string explanation;
    for (const Finding &f : findings(Date{as_of})) {
        const jc_finding abi = to_abi(f, employees, explanation);
        if (const jc_status s = host_.emit(abi); s != JC_OK)
            throw sdk::Error(s, fmt::format("the host refused finding {} ({}), status {}", f.rule, f.kind, s));
    }
}

} // namespace jobcoach::rules
