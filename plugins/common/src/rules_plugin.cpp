// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/rules/rules_plugin.hpp"
#include "jobcoach/rules/evaluate_everyone.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <unordered_map>

#include <jobcoach/ext/erase.h>
#include <jobcoach/ext/findings.h>
#include <jobcoach/ext/status.h>

namespace jobcoach::rules {

namespace {

jc_str view(const std::string &s) { return jc_str{s.empty() ? nullptr : s.data(), s.size()}; }

// A key as the extensions take it: 1-128 bytes of UTF-8 (jobcoach/ext/status.h, findings.h, erase.h). `where`
// names the call ("jc.status/1 query"); `index`: the key's place in an array of keys, or -1 for a single key.
void check_key(jc_str employee, const char *where, int64_t index = -1)
{
    const std::string which = index < 0 ? "employee key" : fmt::format("employees[{}]", index);
    if (employee.data == nullptr || employee.size == 0 || employee.size > max_key_bytes)
        throw sdk::Error(JC_E_INVALID_ARGUMENT, fmt::format("{}: {} of {} bytes is not 1-{} bytes of data", where,
                                                            which, employee.size, max_key_bytes));
    if (!simdjson::validate_utf8(employee.data, employee.size))
        throw sdk::Error(JC_E_INVALID_ARGUMENT, fmt::format("{}: {} is not valid UTF-8", where, which));
}

// The rules instance behind an extension call; `where` names the call ("jc.status/1 query").
RulesPlugin *rules_of(sdk::detail::Wrapper &w, const char *where)
{
    auto *plugin = dynamic_cast<RulesPlugin *>(w.impl.get());
    if (plugin == nullptr)
        throw sdk::Error(JC_E_UNSUPPORTED, fmt::format("{}: not a rules instance", where));
    return plugin;
}

// What every extension function does around its body: the instance behind `self`, one call at a time
// (JC_E_INVALID_ARGUMENT for a call that overlaps another), every exception mapped to a status and last_error
// (sdk.hpp's guarded). `body` gets the instance's wrapper.
template <class Body> jc_status extension_call(const jc_plugin *self, Body &&body)
{
    sdk::detail::Wrapper *w = sdk::detail::wrapper_of(self);
    if (w == nullptr)
        return JC_E_INVALID_ARGUMENT;
    const sdk::detail::Serialized call(*w);
    if (!call.owned())
        return JC_E_INVALID_ARGUMENT; // overlaps another call on this instance
    return sdk::detail::guarded(w->last_error, [&] { body(*w); });
}

// jc.status/1 (jobcoach/ext/status.h).
jc_status JC_ABI status_query(const jc_plugin *self, jc_str employee, jc_date as_of, void *context, jc_status_sink sink)
{
    return extension_call(self, [&](sdk::detail::Wrapper &w) {
        if (sink == nullptr)
            throw sdk::Error(JC_E_INVALID_ARGUMENT, "jc.status/1 query: sink is NULL");
        check_key(employee, "jc.status/1 query");
        if (!Date::in_range(as_of))
            throw sdk::Error(JC_E_INVALID_ARGUMENT, fmt::format("jc.status/1 query: as_of day number {} is outside "
                                                                "1900-01-01..2199-12-31", as_of));
        const RulesPlugin *plugin = rules_of(w, "jc.status/1 query");
        const std::string key(employee.data, employee.size);
        for (const TrajectoryStatus &st : plugin->status(key, Date{as_of})) {
            std::vector<jc_status_budget> budgets;
            for (const auto &b : st.budgets)
                budgets.push_back({sizeof(jc_status_budget), b.current ? 1u : 0u, view(b.rule), view(b.subject),
                                   b.span.first.days, b.span.last.days, b.limit_minutes, b.used_minutes, view(b.basis),
                                   b.warning_pct, 0, view(b.basis_nl)});
            std::vector<jc_status_due> dues;
            for (const auto &d : st.dues)
                dues.push_back({sizeof(jc_status_due), d.number, view(d.rule), view(d.kind), d.due.days,
                                d.satisfied ? 1u : 0u, view(d.finding_id), d.lead_days, 0, view(d.title_nl),
                                view(d.title_en)});
            std::vector<jc_status_figure> figures;
            for (const auto &f : st.figures)
                figures.push_back({sizeof(jc_status_figure), 0, view(f.name), view(f.value), view(f.name_nl), view(f.value_nl)});
            const jc_trajectory_status abi{sizeof(jc_trajectory_status), st.number, view(st.employee), view(st.scheme),
                                           view(st.level), view(st.close_reason), st.start.days, st.max_end.days,
                                           st.close.days, static_cast<uint32_t>(budgets.size()),
                                           budgets.empty() ? nullptr : budgets.data(),
                                           dues.empty() ? nullptr : dues.data(),
                                           figures.empty() ? nullptr : figures.data(),
                                           static_cast<uint32_t>(dues.size()), static_cast<uint32_t>(figures.size()),
                                           view(st.max_end_finding_id), st.max_end_lead_days, 0};
            if (const jc_status s = sink(context, &abi); s != JC_OK)
                throw sdk::Error(s, fmt::format("jc.status/1 query: the host's sink returned status {}", s));
        }
    });
}

int32_t JC_ABI status_knows(const jc_plugin *self, jc_str employee)
{
    bool known = false;
    const jc_status status = extension_call(self, [&](sdk::detail::Wrapper &w) {
        check_key(employee, "jc.status/1 knows");
        known = rules_of(w, "jc.status/1 knows")->knows(std::string_view(employee.data, employee.size));
    });
    return status != JC_OK ? status : known ? 1 : 0;
}

const jc_plugin_status status_extension = {sizeof(jc_plugin_status), 0, &status_query, &status_knows};

// jc.findings/1 (jobcoach/ext/findings.h).
jc_status JC_ABI findings_evaluate_employees(const jc_plugin *self, const jc_str *employees, uint32_t count,
                                             jc_date as_of)
{
    return extension_call(self, [&](sdk::detail::Wrapper &w) {
        if (employees == nullptr && count > 0)
            throw sdk::Error(JC_E_INVALID_ARGUMENT,
                             fmt::format("jc.findings/1 evaluate_employees: employees is NULL with count {}", count));
        if (!Date::in_range(as_of))
            throw sdk::Error(JC_E_INVALID_ARGUMENT, fmt::format("jc.findings/1 evaluate_employees: as_of day number "
                                                                "{} is outside 1900-01-01..2199-12-31", as_of));
        std::vector<std::string> keys;
        keys.reserve(count);
        for (uint32_t i = 0; i < count; ++i) {
            check_key(employees[i], "jc.findings/1 evaluate_employees", i);
            keys.emplace_back(employees[i].data, employees[i].size);
        }
        auto *plugin = rules_of(w, "jc.findings/1 evaluate_employees");
        plugin->emit(plugin->findings_of(keys, Date{as_of}));
    });
}

jc_status JC_ABI findings_evaluate_changes(const jc_plugin *self, const jc_str *employees, uint32_t count,
                                           jc_date as_of)
{
    return extension_call(self, [&](sdk::detail::Wrapper &w) {
        const bool everyone = count == JC_ALL_EMPLOYEES;
        if (everyone && employees != nullptr)
            throw sdk::Error(JC_E_INVALID_ARGUMENT, "jc.findings/1 evaluate_changes: count JC_ALL_EMPLOYEES with "
                                                    "employees not NULL");
        if (!everyone && employees == nullptr && count > 0)
            throw sdk::Error(JC_E_INVALID_ARGUMENT,
                             fmt::format("jc.findings/1 evaluate_changes: employees is NULL with count {}", count));
        if (!Date::in_range(as_of))
            throw sdk::Error(JC_E_INVALID_ARGUMENT, fmt::format("jc.findings/1 evaluate_changes: as_of day number "
                                                                "{} is outside 1900-01-01..2199-12-31", as_of));
        std::vector<std::string> keys;
        if (!everyone)
            for (uint32_t i = 0; i < count; ++i) {
                check_key(employees[i], "jc.findings/1 evaluate_changes", i);
                keys.emplace_back(employees[i].data, employees[i].size);
            }
        auto *plugin = rules_of(w, "jc.findings/1 evaluate_changes");
        const auto changes = plugin->changes(everyone ? nullptr : &keys, Date{as_of});
        plugin->emit(changes);   // every change accepted by the host first,
        plugin->record(changes); // then recorded: at least once
    });
}

const jc_plugin_findings findings_extension = {sizeof(jc_plugin_findings), 0, &findings_evaluate_employees,
                                               &findings_evaluate_changes};

// jc.erase/1 (jobcoach/ext/erase.h).
jc_status JC_ABI erase_employee(const jc_plugin *self, jc_str employee, uint64_t *events_erased,
                                uint64_t *findings_erased)
{
    return extension_call(self, [&](sdk::detail::Wrapper &w) {
        check_key(employee, "jc.erase/1 erase_employee");
        auto *plugin = rules_of(w, "jc.erase/1 erase_employee");
        const auto erased = plugin->erase(std::string_view(employee.data, employee.size));
        if (events_erased != nullptr)
            *events_erased = erased.events;
        if (findings_erased != nullptr)
            *findings_erased = erased.findings;
        if (!erased.log_truncated)
            throw sdk::Error(JC_E_STORAGE, "jc.erase/1 erase_employee: the rows are erased, but another process "
                                           "reading the state kept its write-ahead log from being truncated; call "
                                           "again when it is idle");
    });
}

const jc_plugin_erase erase_extension = {sizeof(jc_plugin_erase), 0, &erase_employee};

// jc.explanations/1 (jobcoach/ext/explanations.h).
jc_status JC_ABI set_explanations(const jc_plugin *self, uint32_t enabled)
{
    return extension_call(self, [&](sdk::detail::Wrapper &w) {
        if (enabled > 1)
            throw sdk::Error(JC_E_INVALID_ARGUMENT,
                             fmt::format("jc.explanations/1 set_explanations: enabled is {}, not 0 or 1", enabled));
        rules_of(w, "jc.explanations/1 set_explanations")->explain(enabled == 1);
    });
}

const jc_plugin_explanations explanations_extension = {sizeof(jc_plugin_explanations), 0, &set_explanations};

// jc.messages/1 (jobcoach/ext/messages.h).
jc_status JC_ABI set_messages(const jc_plugin *self, uint32_t enabled)
{
    return extension_call(self, [&](sdk::detail::Wrapper &w) {
        if (enabled > 1)
            throw sdk::Error(JC_E_INVALID_ARGUMENT,
                             fmt::format("jc.messages/1 set_messages: enabled is {}, not 0 or 1", enabled));
        rules_of(w, "jc.messages/1 set_messages")->word(enabled == 1);
    });
}

const jc_plugin_messages messages_extension = {sizeof(jc_plugin_messages), 0, &set_messages};

} // namespace

RulesPlugin::RulesPlugin(sdk::Host host, const sdk::InstanceConfig &config, std::string_view plugin_id,
                         const SchemeFactory &make_schemes)
    : host_(host)
{
    if (const auto *ext = static_cast<const jc_host_threads *>(host_.extension(JC_EXT_THREADS));
        ext != nullptr && ext->struct_size >= offsetof(jc_host_threads, give_back) + sizeof(void *) &&
        ext->take != nullptr && ext->give_back != nullptr)
        threads_ = ext;
    try {
        std::vector<std::filesystem::path> dirs{std::filesystem::path(config.plugin_dir) / "rulepacks"};
        if (!config.rule_pack_dir.empty()) {
            if (!std::filesystem::is_directory(config.rule_pack_dir))
                throw RulePackError("rule_pack_dir " + config.rule_pack_dir + " is not a directory");
            dirs.emplace_back(config.rule_pack_dir);
        }
        packs_ = RulePackSet::load(dirs);
        schemes_ = make_schemes(packs_);
        if (schemes_.empty())
            throw RulePackError("no rule pack defines a scheme this plugin can run");
        const RulePack &common = packs_.get("common");
        common.require({"report_lead_days", "budget_warning_pct", "expiring_lead_days"},
                       {"leidraad.justification", "jobcoaching.paid-work", "coaching.unassigned"});
        for (const auto &s : schemes_)
            s->check(Params(packs_.get(s->scheme()), common));
    } catch (const RulePackError &e) {
        throw sdk::Error(JC_E_RULE_PACK, e.what());
    }
    try {
        store_ = std::make_unique<EventStore>(config.state_path, plugin_id);
        for (const std::string &note : store_->notes())
            host_.log(JC_LOG_WARNING, note);
        data_version_ = store_->data_version();
    } catch (const std::exception &e) {
        throw sdk::Error(JC_E_STORAGE, e.what());
    }
    host_.log(JC_LOG_DEBUG, "instance ready");
}

void RulesPlugin::require_rule_packs(const std::string &plugin_dir)
{
    const std::filesystem::path dir = std::filesystem::path(plugin_dir) / "rulepacks";
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.path().extension() == ".json")
            return;
    throw sdk::Error(JC_E_RULE_PACK, "init: no rule pack (*.json) in " + dir.string() +
                                         (ec ? " (" + ec.message() + ")" : std::string()));
}

namespace {

// "#3, #7, #12 and 4 more": the batch indexes of the events a warning is about (never their keys).
std::string indexes(const std::vector<size_t> &list)
{
    std::string out;
    const size_t shown = std::min<size_t>(list.size(), 5);
    for (size_t k = 0; k < shown; ++k)
        out += fmt::format("{}#{}", k == 0 ? "" : ", ", list[k]);
    if (list.size() > shown)
        out += fmt::format(" and {} more", list.size() - shown);
    return out;
}

// Runs a step of storing: a failure of the state (SQLite, the disk) is JC_E_STORAGE; out of memory stays itself.
template <class Fn> decltype(auto) storing(Fn &&fn)
{
    try {
        return fn();
    } catch (const std::bad_alloc &) {
        throw;
    } catch (const std::exception &e) {
        throw sdk::Error(JC_E_STORAGE, e.what());
    }
}

} // namespace

void RulesPlugin::sync() const
{
    // Another process or instance committed to the state: what this one cached may be stale.
    const int64_t version = store_->data_version();
    if (version != data_version_) {
        cache_.clear();
        data_version_ = version;
    }
}

std::shared_ptr<const std::vector<Event>> RulesPlugin::events_of(std::string_view employee) const
{
    if (const auto it = cache_.find(employee); it != cache_.end())
        return it->second;
    auto events = std::make_shared<const std::vector<Event>>(store_->events_of(employee));
    if (cache_.size() >= cache_capacity)
        cache_.clear(); // a bound, not a policy: a host's next calls are about the employees it just saved
    cache_.emplace(std::string(employee), events);
    return events;
}

void RulesPlugin::handle_events(std::span<const jc_event_header *const> events, jc_batch_result &result)
{
    sync();
    // One transaction, begun at the first event the plugin stores: each event is checked and stored as it comes
    // (a large import is never held as events), and a bad event rejects the batch, rolled back, so that nothing
    // of it is stored.
    std::optional<EventStore::Batch> batch;
    struct Retraction {
        size_t index; // in the batch
        Event event;
    };
    std::vector<Retraction> retractions; // checked once every event of the batch is in (few)
    uint32_t known = 0, skipped = 0;
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
        Event e;
        bool known_type = false;
        try {
            known_type = from_abi(*h, e);
        } catch (const std::bad_alloc &) {
            throw; // JC_E_OUT_OF_MEMORY: not the event's fault
        } catch (const std::exception &ex) {
            reject(fmt::format("{} (type {})", ex.what(), h->type));
        }
        if (!known_type) {
            ++skipped;
            continue;
        }
        storing([&] {
            if (!batch)
                batch.emplace(*store_);
            batch->add(e, i);
        });
        ++known;
        if (!cache_.empty())
            cache_.erase(e.employee); // read again when asked for
        if (e.type == EventType::timesheet_retracted || e.type == EventType::event_retracted)
            retractions.push_back({i, std::move(e)});
    }
    // A retraction may arrive before its entry (C-6: arrival order does not matter), so one that names no
    // timesheet.logged of its employee is stored, and removes nothing until that entry arrives. Its target is
    // looked for among the stored events and the whole batch's. One that names an event of another type is a
    // host bug (it would stay pending for ever): refused.
    const EventStore::Batch::Outcome outcome = batch ? storing([&] { return batch->resolve(); }) : EventStore::Batch::Outcome{};
    const std::vector<size_t> &conflicts = outcome.conflicts;
    std::vector<size_t> unmatched;
    for (const Retraction &r : retractions) {
        const std::optional<Event> target = storing([&] { return batch->find(r.event.retracts); });
        auto refuse = [&](const std::string &why) {
            result.failed_index = static_cast<uint32_t>(r.index);
            throw sdk::Error(JC_E_INVALID_EVENT, fmt::format("event #{} of the batch: retracts: {}", r.index, why));
        };
        if (r.event.type == EventType::timesheet_retracted) {
            if (target && target->type != EventType::timesheet_logged)
                refuse(fmt::format("names a {} event; a timesheet.retracted retracts a timesheet.logged only "
                                   "(event.retracted retracts any record)", type_name(target->type)));
            if (!target || target->employee != r.event.employee)
                unmatched.push_back(r.index);
            continue;
        }
        // event.retracted: any record of the same employee but a retraction.
        if (target && (target->type == EventType::timesheet_retracted || target->type == EventType::event_retracted))
            refuse(fmt::format("names a {} event; a retraction cannot be retracted (send the record again under "
                               "a new id)", type_name(target->type)));
        if (target && target->employee != r.event.employee)
            refuse("names an event of another employee; a retraction names a record of its own employee");
        if (!target)
            unmatched.push_back(r.index);
    }
    // An id seen before is ignored (docs/formats.md: the idempotency key). When its content differs, it is not a
    // replay but a host bug (a record changed under its old id): the batch is refused, as for a bad event, so
    // that the host hears of it and nothing of the batch is applied; `conflicts` counts them (ABI 1.2).
    if (!conflicts.empty()) {
        result.failed_index = static_cast<uint32_t>(conflicts.front());
        result.conflicts = static_cast<uint32_t>(conflicts.size());
        throw sdk::Error(JC_E_INVALID_EVENT,
                         fmt::format("event #{} of the batch: id was stored before with other content ({} such "
                                     "event(s) in the batch); an id is an event's idempotency key: correct a record "
                                     "with event.retracted of the old id and the record under a new id; nothing was "
                                     "applied", conflicts.front(), conflicts.size()));
    }
    if (batch)
        storing([&] { batch->commit(); });
    result.duplicates = static_cast<uint32_t>(outcome.duplicates.size());
    result.accepted = known - result.duplicates;
    result.skipped = skipped;
    if (!unmatched.empty())
        host_.log(JC_LOG_WARNING,
                  fmt::format("{} retraction(s) of the batch ({}) name no stored record of the same employee: "
                              "stored, they remove nothing until that record arrives",
                              unmatched.size(), indexes(unmatched)));
}

void RulesPlugin::each_finding(Date as_of, const EmployeeSink &sink, const PackedSink &packed,
                               std::optional<Wording> wording) const
{
    sync();
    try {
        std::string note;
        const unsigned threads = evaluate_threads(&note);
        if (!note.empty())
            host_.log(JC_LOG_WARNING, note);
        ThreadShare share;
        if (threads_ != nullptr) {
            share.take = [this](unsigned wanted) { return threads_->take(host_.raw(), wanted); };
            share.give_back = [this](unsigned count) { threads_->give_back(host_.raw(), count); };
        }
        evaluate_everyone(*store_, as_of, schemes_, packs_, threads, sink, wording.value_or(wording_), packed,
                          threads_ != nullptr ? &share : nullptr);
    } catch (const RulePackError &e) {
        // A pack that has no number for a date the events need (every version starts later).
        throw sdk::Error(JC_E_RULE_PACK, "evaluate as of " + as_of.iso() + ": " + e.what());
    }
}

std::vector<Finding> RulesPlugin::findings(Date as_of) const
{
    std::vector<Finding> all;
    each_finding(as_of, [&](std::string_view, FindingList &some) { some.move_to(all); });
    sort_findings(all);
    return all;
}

std::vector<Finding> RulesPlugin::findings_of(std::span<const std::string> employees, Date as_of) const
{
    sync();
    std::set<std::string, std::less<>> wanted(employees.begin(), employees.end());
    FindingList out;
    try {
        Evaluation evaluation(as_of, schemes_, packs_);
        evaluation.word(wording_);
        const std::vector<std::string> employer_level = evaluation.employer_level_schemes();
        std::vector<std::string> employers;
        bool clustered = false; // one of them has a grant of a scheme with employer-level rules
        for (const auto &key : wanted) {
            const auto events = events_of(key);
            std::vector<const Event *> pointers;
            for (const Event &e : *events) {
                pointers.push_back(&e);
                if (e.date > as_of)
                    continue;
                if (e.type == EventType::contract_started)
                    employers.push_back(e.employer);
                if (e.type == EventType::coaching_granted &&
                    std::find(employer_level.begin(), employer_level.end(), e.scheme) != employer_level.end())
                    clustered = true;
            }
            evaluation.employee(key, pointers, out);
        }
        if (clustered && !employers.empty()) {
            // Employer-level findings (a cluster of visits) depend on the co-workers with a grant of such a
            // scheme: evaluate them too, for what the employer-level rules gather alone (their own findings and
            // words are not made: a tenth of a save of such an employee), keeping only the employer-level
            // findings that name one of the employees asked for. Everyone else at the employer cannot be in a
            // cluster.
            std::sort(employers.begin(), employers.end());
            employers.erase(std::unique(employers.begin(), employers.end()), employers.end());
            FindingList theirs;
            for (const auto &other : store_->employees_at(employers, employer_level)) {
                if (wanted.count(other) > 0)
                    continue;
                const std::vector<Event> events = store_->events_of(other);
                std::vector<const Event *> pointers;
                for (const Event &e : events)
                    pointers.push_back(&e);
                evaluation.employee(other, pointers, theirs, nullptr, true);
                theirs.clear();
            }
            FindingList employer_findings;
            evaluation.finish(employer_findings);
            for (auto &f : employer_findings) {
                const bool names_one = wanted.count(f.employee) > 0 ||
                                       std::any_of(f.employees.begin(), f.employees.end(),
                                                   [&](const std::string &e) { return wanted.count(e) > 0; });
                if (names_one)
                    out.push_back(std::move(f));
            }
        } else {
            evaluation.finish(out);
        }
    } catch (const RulePackError &e) {
        throw sdk::Error(JC_E_RULE_PACK, "evaluate as of " + as_of.iso() + ": " + e.what());
    }
    sort_findings(out);
    std::vector<Finding> found;
    out.move_to(found);
    return found;
}

const void *RulesPlugin::get_extension(std::string_view id) const noexcept
{
    if (id == JC_EXT_STATUS)
        return &status_extension;
    if (id == JC_EXT_FINDINGS)
        return &findings_extension;
    if (id == JC_EXT_ERASE)
        return &erase_extension;
    if (id == JC_EXT_EXPLANATIONS)
        return &explanations_extension;
    if (id == JC_EXT_MESSAGES)
        return &messages_extension;
    return nullptr;
}

EventStore::Erased RulesPlugin::erase(std::string_view employee)
{
    sync();
    cache_.erase(std::string(employee));
    EventStore::Erased erased;
    try {
        erased = store_->erase(employee);
    } catch (const std::bad_alloc &) {
        throw;
    } catch (const std::exception &e) {
        throw sdk::Error(JC_E_STORAGE, std::string("jc.erase/1 erase_employee: nothing was erased: ") + e.what());
    }
    cache_.clear(); // employer-level records of others may have gone too
    return erased;
}

bool RulesPlugin::knows(std::string_view employee) const
{
    sync();
    if (const auto it = cache_.find(employee); it != cache_.end())
        return !it->second->empty();
    return store_->knows(employee);
}

std::vector<TrajectoryStatus> RulesPlugin::status(std::string_view employee, Date as_of) const
{
    sync();
    const auto events = events_of(employee);
    if (events->empty())
        return {};
    try {
        return status_of(*events, employee, as_of, schemes_, packs_);
    } catch (const RulePackError &e) {
        throw sdk::Error(JC_E_RULE_PACK, "status as of " + as_of.iso() + ": " + e.what());
    }
}

void RulesPlugin::emit(std::span<const Finding> findings) const
{
    std::vector<jc_str> employees;
    for (const Finding &f : findings)
        emit(to_abi(f, employees));
}

void RulesPlugin::emit(const jc_finding &abi) const
{
    if (const jc_status s = host_.emit(abi); s != JC_OK)
        throw sdk::Error(s, fmt::format("the host refused finding {} ({}), status {}",
                                        std::string_view(abi.rule.data, abi.rule.size),
                                        std::string_view(abi.kind.data, abi.kind.size), s));
}

void RulesPlugin::evaluate(jc_date as_of)
{
    // The findings of batches evaluated beside helper threads come packed: the host reads them from one run of
    // bytes (pack_findings).
    each_finding(
        Date{as_of}, [&](std::string_view, FindingList &some) { emit(some.live()); },
        [&](std::string_view, std::string_view packed) {
            for_each_packed(packed, [&](const jc_finding &abi) { emit(abi); });
        });
}

namespace {

std::vector<Finding> decoded(const std::vector<std::string> &rows)
{
    std::vector<Finding> out;
    out.reserve(rows.size());
    for (const auto &r : rows)
        out.push_back(decode(r));
    return out;
}

bool names_one_of(const Finding &f, const std::set<std::string, std::less<>> &keys)
{
    return keys.count(f.employee) > 0 ||
           std::any_of(f.employees.begin(), f.employees.end(), [&](const std::string &e) { return keys.count(e) > 0; });
}

} // namespace

std::vector<Change> RulesPlugin::changes(const std::vector<std::string> *employees, Date as_of) const
{
    sync();
    std::vector<Change> out;
    try {
        if (employees != nullptr) {
            const std::set<std::string, std::less<>> keys(employees->begin(), employees->end());
            std::vector<Finding> before;
            for (const auto &key : keys) {
                auto theirs = decoded(store_->reported_of(key));
                std::move(theirs.begin(), theirs.end(), std::back_inserter(before));
            }
            for (auto &f : decoded(store_->reported_employer_level()))
                if (names_one_of(f, keys))
                    before.push_back(std::move(f));
            out = changes_between(std::move(before), findings_of(*employees, as_of));
        } else {
            // Compared without their words (kind, severity, due date and numbers are what an update is), which are
            // then made for the new and updated findings alone: with nothing changed, a third of the evaluation
            // is not done (jc.messages/1's measure). The resolved ones come as recorded. A state's first feed,
            // where every finding is new, is evaluated with its words at once.
            EventStore::ReportedInOrder recorded(*store_); // (the sink comes in key order)
            const bool later = wording_.words && !(recorded.done() && store_->reported_employer_level().empty());
            size_t visited = 0;
            each_finding(
                as_of,
                [&](std::string_view employee, FindingList &now) {
                    ++visited;
                    const auto before = employee.empty() ? store_->reported_employer_level() : recorded.of(employee);
                    for (auto &c : changes_from_record(before, now.live()))
                        out.push_back(std::move(c));
                },
                {}, later ? Wording{false, false} : wording_);
            if (later)
                word_changes(out, visited, as_of);
        }
    } catch (const sdk::Error &) {
        throw;
    } catch (const std::bad_alloc &) {
        throw;
    } catch (const std::exception &e) {
        throw sdk::Error(JC_E_STORAGE, std::string("the record of reported findings: ") + e.what());
    }
    std::stable_sort(out.begin(), out.end(), [](const Change &a, const Change &b) {
        return std::tie(a.finding.employee, a.finding.id) < std::tie(b.finding.employee, b.finding.id);
    });
    return out;
}

void RulesPlugin::word_changes(std::vector<Change> &changes, size_t visited, Date as_of) const
{
    std::unordered_map<std::string, Finding *> wanted; // by id (unique among the findings of an evaluation)
    std::set<std::string> keys;
    for (Change &c : changes) {
        if (c.change == JC_CHANGE_RESOLVED)
            continue;
        wanted.emplace(c.finding.id, &c.finding);
        if (employer_level(c.finding))
            keys.insert(c.finding.employees.begin(), c.finding.employees.end());
        else
            keys.insert(c.finding.employee);
    }
    if (wanted.empty())
        return;
    auto take = [&](Finding &f) {
        if (const auto it = wanted.find(f.id); it != wanted.end()) {
            *it->second = std::move(f);
            wanted.erase(it);
        }
    };
    // Few employees: theirs alone (jc.findings/1's evaluate_employees, the same findings); many (the first feed of
    // a state, when everything is new): one more pass over everyone, with the machine's threads.
    if (keys.size() * 8 <= visited) {
        const std::vector<std::string> list(keys.begin(), keys.end());
        for (Finding &f : findings_of(list, as_of))
            take(f);
    } else {
        each_finding(as_of, [&](std::string_view, FindingList &some) {
            for (Finding &f : some.live())
                take(f);
        });
    }
    if (!wanted.empty())
        throw sdk::Error(JC_E_INTERNAL, fmt::format("the change feed: {} new or updated finding(s), {} among them, not "
                                                    "found again with their words; nothing was recorded",
                                                    wanted.size(), wanted.begin()->first));
}

void RulesPlugin::record(const std::vector<Change> &changes)
{
    std::vector<EventStore::Reported> rows;
    rows.reserve(changes.size());
    for (const Change &c : changes)
        rows.push_back({c.finding.employee, c.finding.id, employer_level(c.finding),
                        c.change == JC_CHANGE_RESOLVED ? std::string() : encode(c.finding)});
    try {
        store_->record_reported(rows);
    } catch (const std::bad_alloc &) {
        throw;
    } catch (const std::exception &e) {
        throw sdk::Error(JC_E_STORAGE, std::string("recording the reported findings: ") + e.what());
    }
}

void RulesPlugin::emit(const std::vector<Change> &changes) const
{
    std::vector<jc_str> employees;
    for (const Change &c : changes) {
        const jc_finding abi = to_abi(c.finding, employees, c.change);
        if (const jc_status s = host_.emit(abi); s != JC_OK)
            throw sdk::Error(s, fmt::format("the host refused change of finding {} ({}), status {}; nothing was "
                                            "recorded, the next call gives the changes again",
                                            c.finding.id, c.finding.rule, s));
    }
}

} // namespace jobcoach::rules
