// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/rules/rule_pack.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace jobcoach::rules {

namespace {

[[noreturn]] void fail(const std::string &origin, const std::string &what) { throw RulePackError(origin + ": " + what); }

std::string string_member(simdjson::dom::object obj, std::string_view key, const std::string &origin,
                          const std::string &where)
{
    std::string_view v;
    if (obj[key].get(v) != simdjson::SUCCESS)
        fail(origin, where + "." + std::string(key) + ": missing or not a string");
    return std::string(v);
}

// The range of every number a rule uses, by parameter name: a pack outside them is refused when it is loaded,
// so that no rule ever runs with a period of 0 months or a percentage of 1000. For a table parameter the
// limits are per column (the last one repeats). `span`: the table's [months, days] columns at these indexes
// must make at least one day (a window or an interval of nothing would never advance).
struct Limit {
    double lo, hi;
    bool whole;
    const char *unit;
};
struct ParameterLimits {
    std::vector<Limit> columns;
    int span_months = -1, span_days = -1;
};

const std::map<std::string, ParameterLimits, std::less<>> &parameter_limits()
{
    const Limit days{0, 3650, true, "days"}, months{0, 120, true, "months"}, pct{0, 100, false, "percent"},
        count{0, 100, true, "a count"};
    static const std::map<std::string, ParameterLimits, std::less<>> limits = {
        {"budget_warning_pct", {{{1, 100, false, "percent"}}}},
        {"cluster_window_days", {{{1, 366, true, "days"}}}},
        {"contact_frequency", {{count, months, days}, 1, 2}},
        {"continuation_days", {{days}}},
        {"contract_end_notice_days", {{days}}},
        {"duties", {{months, days}}},
        {"expiring_lead_days", {{days}}},
        {"extension_window_days", {{days}}},
        {"extension_window_period", {{{1, 100, true, "a period number"}}}},
        {"hour_cap_hours", {{{0, 8784, false, "hours"}}}},
        {"hourly_rate_cents", {{{0, 1e7, true, "cents"}}}},
        {"legal_max_pct", {{pct}}},
        {"level_pct", {{pct}}},
        {"max_duration_months", {{{1, 600, true, "months"}}}},
        {"next_visit_interval", {{months, days}, 0, 1}},
        {"part_time_full_hours", {{{1, 60, false, "hours a week"}}}},
        {"period_months", {{{1, 120, true, "months"}}}},
        {"max_extension_months", {{{0, 120, true, "months"}}}},
        {"period_report_days", {{days}}},
        {"report_lead_days", {{days}}},
        {"short_contract_months", {{{1, 120, true, "months"}}}},
        {"start_visit", {{count}}},
        {"subsidy_euro", {{{0, 1e6, false, "euro"}}}},
        {"transfer_absence_days", {{days}}},
        {"transfer_window_days", {{days}}},
        {"visit_due_lead_days", {{days}}},
        {"visit_frequency", {{count, months, days}, 1, 2}},
        {"visit_frequency_windows", {{{1, 100, true, "windows"}}}},
    };
    return limits;
}

std::string number_text(double v)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", v);
    return buffer;
}

void check_number(const std::string &origin, const std::string &at, double v, const Limit &limit)
{
    if (v < limit.lo || v > limit.hi || (limit.whole && v != std::floor(v)))
        fail(origin, at + ": " + number_text(v) + " is outside " + number_text(limit.lo) + ".." + number_text(limit.hi) +
                         " " + limit.unit + (limit.whole ? ", whole" : ""));
}

void check_limits(const std::string &origin, const std::string &at, std::string_view name, const RulePack::Value &value)
{
    const auto it = parameter_limits().find(name);
    if (it == parameter_limits().end())
        return; // a parameter no shipped rule reads: the pack's own business
    const ParameterLimits &l = it->second;
    if (std::holds_alternative<std::string>(value))
        fail(origin, at + ".value: a string where a number (or an object of rows of numbers) is expected");
    auto limit_of = [&](size_t column) { return l.columns[std::min(column, l.columns.size() - 1)]; };
    if (const auto *n = std::get_if<double>(&value)) {
        check_number(origin, at + ".value", *n, limit_of(0));
    } else if (const auto *table = std::get_if<RulePack::Table>(&value)) {
        for (const auto &[key, row] : *table) {
            for (size_t c = 0; c < row.size(); ++c)
                check_number(origin, at + ".value." + key + "[" + std::to_string(c) + "]", row[c], limit_of(c));
            if (l.span_months >= 0 && row.size() > static_cast<size_t>(std::max(l.span_months, l.span_days)) &&
                row[l.span_months] == 0 && row[l.span_days] == 0)
                fail(origin, at + ".value." + key + ": a span of 0 months and 0 days");
        }
    }
}

} // namespace

RulePack RulePack::load(const std::filesystem::path &file)
{
    simdjson::padded_string json;
    if (simdjson::padded_string::load(file.string()).get(json) != simdjson::SUCCESS)
        throw RulePackError(file.string() + ": cannot read the file");
    return parse(std::string_view(json.data(), json.size()), file.string());
}

RulePack RulePack::parse(std::string_view text, const std::string &origin)
{
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (auto error = parser.parse(text.data(), text.size()).get(doc); error != simdjson::SUCCESS)
        fail(origin, std::string("not valid JSON: ") + simdjson::error_message(error));
    simdjson::dom::object root;
    if (doc.get(root) != simdjson::SUCCESS)
        fail(origin, "the top level is not an object");

    RulePack pack;
    pack.origin_ = origin;
    pack.scheme_ = string_member(root, "scheme", origin, "$");
    if (pack.scheme_.empty())
        fail(origin, "$.scheme: empty");

    simdjson::dom::object rules;
    if (root["rules"].get(rules) != simdjson::SUCCESS)
        fail(origin, "$.rules: missing or not an object");
    for (auto [rule_id, rule] : rules) {
        simdjson::dom::object r;
        if (rule.get(r) != simdjson::SUCCESS)
            fail(origin, "$.rules." + std::string(rule_id) + ": not an object");
        pack.rule_sources_[std::string(rule_id)] = string_member(r, "source", origin, "$.rules." + std::string(rule_id));
        if (pack.rule_sources_[std::string(rule_id)].empty())
            fail(origin, "$.rules." + std::string(rule_id) + ".source: empty; every rule cites its source");
        auto &attributes = pack.rule_attributes_[std::string(rule_id)];
        for (auto [key, value] : r) {
            std::string_view text;
            if (key == "source")
                continue;
            if (value.get(text) != simdjson::SUCCESS)
                fail(origin, "$.rules." + std::string(rule_id) + "." + std::string(key) + ": not a string");
            attributes[std::string(key)] = std::string(text);
        }
    }
    if (simdjson::dom::object sources; root["sources"].get(sources) == simdjson::SUCCESS) {
        for (auto [key, entry] : sources) {
            const std::string at = "$.sources." + std::string(key);
            simdjson::dom::object e;
            if (entry.get(e) != simdjson::SUCCESS)
                fail(origin, at + ": not an object with a title and a url");
            SourceDocument document{string_member(e, "title", origin, at), string_member(e, "url", origin, at)};
            if (document.title.empty())
                fail(origin, at + ".title: empty; a source names its document");
            pack.sources_[std::string(key)] = std::move(document);
        }
    } else if (root["sources"].error() != simdjson::NO_SUCH_FIELD)
        fail(origin, "$.sources: not an object");
    if (std::string_view engine; root["engine"].get(engine) == simdjson::SUCCESS)
        pack.engine_ = std::string(engine);
    else if (root["engine"].error() != simdjson::NO_SUCH_FIELD)
        fail(origin, "$.engine: not a string");

    simdjson::dom::object params;
    if (root["parameters"].get(params) != simdjson::SUCCESS)
        fail(origin, "$.parameters: missing or not an object");
    for (auto [name, versions_el] : params) {
        const std::string where = "$.parameters." + std::string(name);
        simdjson::dom::array versions;
        if (versions_el.get(versions) != simdjson::SUCCESS || versions.size() == 0)
            fail(origin, where + ": must be a non-empty array of versions");
        std::vector<Version> list;
        size_t index = 0;
        for (auto version_el : versions) {
            const std::string at = where + "[" + std::to_string(index++) + "]";
            simdjson::dom::object v;
            if (version_el.get(v) != simdjson::SUCCESS)
                fail(origin, at + ": not an object");
            Version version;
            const auto valid_from = Date::parse(string_member(v, "valid_from", origin, at));
            if (!valid_from)
                fail(origin, at + ".valid_from: not a date YYYY-MM-DD");
            version.valid_from = *valid_from;
            version.source = string_member(v, "source", origin, at);
            if (version.source.empty())
                fail(origin, at + ".source: empty; every number cites its source");
            simdjson::dom::element value;
            if (v["value"].get(value) != simdjson::SUCCESS)
                fail(origin, at + ".value: missing");
            if (value.is_number()) {
                version.value = value.get_double().value();
            } else if (value.is_string()) {
                version.value = std::string(value.get_string().value());
            } else if (simdjson::dom::object rows; value.get(rows) == simdjson::SUCCESS) {
                Table table;
                for (auto [key, row_el] : rows) {
                    simdjson::dom::array row;
                    if (row_el.get(row) != simdjson::SUCCESS)
                        fail(origin, at + ".value." + std::string(key) + ": not an array of numbers");
                    std::vector<double> numbers;
                    for (auto n : row) {
                        double d;
                        if (n.get_double().get(d) != simdjson::SUCCESS)
                            fail(origin, at + ".value." + std::string(key) + ": not an array of numbers");
                        numbers.push_back(d);
                    }
                    if (numbers.empty())
                        fail(origin, at + ".value." + std::string(key) + ": an empty row");
                    table.set(std::string(key), std::move(numbers));
                }
                version.value = std::move(table);
            } else {
                fail(origin, at + ".value: must be a number, a string or an object of arrays");
            }
            list.push_back(std::move(version));
        }
        std::stable_sort(list.begin(), list.end(), [](const Version &a, const Version &b) { return a.valid_from < b.valid_from; });
        for (size_t i = 1; i < list.size(); ++i)
            if (list[i].valid_from == list[i - 1].valid_from)
                fail(origin, where + ": two versions valid from " + list[i].valid_from.iso());
        for (const Version &v : list)
            check_limits(origin, where + " (valid from " + v.valid_from.iso() + ")", name, v.value);
        pack.parameters_[std::string(name)] = std::move(list);
    }
    // default_level names a row of the pack's level table (level_pct, hour_cap_hours, …): one it lacks would
    // fail only at evaluation, for the first grant without a level.
    if (const auto it = pack.parameters_.find("default_level"); it != pack.parameters_.end()) {
        for (const Version &v : it->second) {
            const auto *level = std::get_if<std::string>(&v.value);
            if (level == nullptr)
                fail(origin, "$.parameters.default_level (valid from " + v.valid_from.iso() + ").value: not a string");
            bool found = false;
            for (const auto &[other, versions] : pack.parameters_)
                for (const Version &w : versions)
                    if (const auto *table = std::get_if<Table>(&w.value); table != nullptr && table->contains(*level))
                        found = true;
            if (!found)
                fail(origin, "$.parameters.default_level (valid from " + v.valid_from.iso() + ").value: \"" + *level +
                                 "\" is no row of any level table of the pack");
        }
    }
    return pack;
}

const RulePack::Versions &RulePack::present(const Versions *found, std::string_view name) const
{
    if (found == nullptr)
        fail(origin_, "parameter " + std::string(name) + " is missing");
    return *found;
}

const RulePack::Version &RulePack::version(std::string_view name, Date ref) const
{
    return version(versions(name), name, ref);
}

const RulePack::Versions *RulePack::versions(std::string_view name) const
{
    const auto it = parameters_.find(name);
    return it == parameters_.end() ? nullptr : &it->second;
}

const RulePack::Version &RulePack::version(const Versions *found, std::string_view name, Date ref) const
{
    const Versions &versions = present(found, name);
    // The latest valid_from <= ref. A date before every version has no value: using the earliest would apply a
    // number to a period it was not valid for (a 2030 budget to a 2026 period).
    auto after = std::upper_bound(versions.begin(), versions.end(), ref,
                                  [](Date d, const Version &v) { return d < v.valid_from; });
    if (after == versions.begin())
        fail(origin_, "parameter " + std::string(name) + " has no version valid on " + ref.iso() +
                          " (its earliest is valid from " + versions.front().valid_from.iso() + ")");
    return *(after - 1);
}

double RulePack::number(std::string_view name, Date ref) const
{
    return number(versions(name), name, ref);
}

double RulePack::number(const Versions *versions, std::string_view name, Date ref) const
{
    const auto *v = std::get_if<double>(&version(versions, name, ref).value);
    if (v == nullptr)
        fail(origin_, "parameter " + std::string(name) + " is not a number");
    return *v;
}

int32_t RulePack::integer(std::string_view name, Date ref) const
{
    return integer(versions(name), name, ref);
}

int32_t RulePack::integer(const Versions *versions, std::string_view name, Date ref) const
{
    const double v = number(versions, name, ref);
    if (v != std::floor(v) || std::fabs(v) > 1e9)
        fail(origin_, "parameter " + std::string(name) + " is not a whole number");
    return static_cast<int32_t>(v);
}

const std::string &RulePack::text(std::string_view name, Date ref) const
{
    return text(versions(name), name, ref);
}

const std::string &RulePack::text(const Versions *versions, std::string_view name, Date ref) const
{
    const auto *v = std::get_if<std::string>(&version(versions, name, ref).value);
    if (v == nullptr)
        fail(origin_, "parameter " + std::string(name) + " is not a string");
    return *v;
}

bool RulePack::has_row(std::string_view name, std::string_view key, Date ref) const
{
    return has_row(versions(name), name, key, ref);
}

bool RulePack::has_row(const Versions *versions, std::string_view name, std::string_view key, Date ref) const
{
    const auto *t = std::get_if<Table>(&version(versions, name, ref).value);
    return t != nullptr && t->contains(key);
}

const std::vector<double> &RulePack::row(std::string_view name, std::string_view key, Date ref) const
{
    return row(versions(name), name, key, ref);
}

const std::vector<double> &RulePack::row(const Versions *versions, std::string_view name, std::string_view key, Date ref) const
{
    const auto *t = std::get_if<Table>(&version(versions, name, ref).value);
    if (t == nullptr)
        fail(origin_, "parameter " + std::string(name) + " is not a table");
    const std::vector<double> *row = t->find(key);
    if (row == nullptr || row->empty())
        fail(origin_, "parameter " + std::string(name) + " has no row " + std::string(key));
    return *row;
}

const std::string &RulePack::parameter_source(std::string_view name, Date ref) const { return version(name, ref).source; }
Date RulePack::parameter_valid_from(std::string_view name, Date ref) const { return version(name, ref).valid_from; }

std::vector<Date> RulePack::valid_froms(std::string_view name) const
{
    std::vector<Date> out;
    for (const Version &v : present(versions(name), name))
        out.push_back(v.valid_from);
    return out;
}

const std::string &RulePack::rule_attribute(std::string_view rule_id, std::string_view key) const
{
    static const std::string none;
    const auto it = rule_attributes_.find(rule_id);
    if (it == rule_attributes_.end())
        return none;
    const auto a = it->second.find(key);
    return a == it->second.end() ? none : a->second;
}

std::vector<std::string> RulePack::rule_ids() const
{
    std::vector<std::string> out;
    for (const auto &[id, source] : rule_sources_)
        out.push_back(id);
    return out;
}

std::vector<std::string> RulePack::rules_with(std::string_view key, std::string_view value) const
{
    std::vector<std::string> out;
    for (const auto &[id, attributes] : rule_attributes_)
        if (const auto a = attributes.find(key); a != attributes.end() && a->second == value)
            out.push_back(id);
    return out;
}

const std::string &RulePack::rule_source(std::string_view rule_id) const
{
    const auto it = rule_sources_.find(rule_id);
    if (it == rule_sources_.end())
        fail(origin_, "rule " + std::string(rule_id) + " has no source");
    return it->second;
}

const std::string &RulePack::rule_citation(std::string_view rule_id) const
{
    const auto it = rule_citations_.find(rule_id);
    return it != rule_citations_.end() ? it->second : rule_source(rule_id);
}

namespace {
// One citation ("S000; P14 A.5, B.4; P14 B.3.1") as people read it: per document, its title, then the articles or
// notes cited of it (parts of one document in a row are joined), then its public address in angle brackets. Parts
// are separated by "; " outside parentheses; a part whose key the catalogue lacks stays as it is.
std::string render_citation(std::string_view source, const std::map<std::string, RulePack::SourceDocument, std::less<>> &catalogue)
{
    std::vector<std::string_view> parts;
    int depth = 0;
    size_t start = 0;
    for (size_t k = 0; k < source.size(); ++k) {
        depth += source[k] == '(' ? 1 : source[k] == ')' ? -1 : 0;
        if (depth == 0 && source.compare(k, 2, "; ") == 0) {
            parts.push_back(source.substr(start, k - start));
            start = k + 2;
        }
    }
    parts.push_back(source.substr(start));
    std::string out;
    const RulePack::SourceDocument *open = nullptr; // the document whose address is still to be written
    auto close = [&] {
        if (open != nullptr && !open->url.empty())
            out += " <" + open->url + ">";
        open = nullptr;
    };
    for (std::string_view part : parts) {
        const RulePack::SourceDocument *document = nullptr;
        size_t key_length = 0;
        for (const auto &[key, d] : catalogue) // the longest key that the part starts with, as a whole word
            if (key.size() > key_length && part.starts_with(key) && (part.size() == key.size() || part[key.size()] == ' ')) {
                document = &d;
                key_length = key.size();
            }
        std::string_view rest = part.substr(key_length);
        while (!rest.empty() && rest.front() == ' ')
            rest.remove_prefix(1);
        if (document != nullptr && document == open) { // the same document again: only its next article
            if (!rest.empty())
                out += "; " + std::string(rest);
            continue;
        }
        close();
        if (!out.empty())
            out += "; ";
        if (document == nullptr) {
            out += part;
            continue;
        }
        out += document->title;
        if (!rest.empty())
            out += (rest.front() == '(' ? " " : ", ") + std::string(rest);
        open = document;
    }
    close();
    return out;
}
} // namespace

void RulePack::render_citations(const std::map<std::string, SourceDocument, std::less<>> &catalogue)
{
    rule_citations_.clear();
    for (const auto &[id, source] : rule_sources_)
        rule_citations_[id] = render_citation(source, catalogue);
}

void RulePack::require(std::initializer_list<std::string_view> parameters, std::initializer_list<std::string_view> rules) const
{
    std::string missing;
    for (auto p : parameters)
        if (parameters_.find(p) == parameters_.end())
            missing += " parameter " + std::string(p) + ";";
    for (auto r : rules)
        if (rule_sources_.find(r) == rule_sources_.end())
            missing += " rule " + std::string(r) + ";";
    if (!missing.empty())
        fail(origin_, "missing" + missing);
}

RulePackSet RulePackSet::load(const std::vector<std::filesystem::path> &directories)
{
    RulePackSet set;
    for (const auto &dir : directories) {
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec))
            continue;
        std::vector<std::filesystem::path> files;
        for (const auto &entry : std::filesystem::directory_iterator(dir, ec))
            if (entry.path().extension() == ".json")
                files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        std::map<std::string, std::string> from_this_directory; // scheme -> file
        for (const auto &file : files) {
            RulePack pack = RulePack::load(file);
            const auto [it, first] = from_this_directory.emplace(pack.scheme(), file.string());
            if (!first)
                throw RulePackError(file.string() + ": scheme " + pack.scheme() + " is also defined by " + it->second +
                                    "; a directory may hold one pack per scheme");
            set.add(std::move(pack));
        }
        set.searched_ += (set.searched_.empty() ? "" : ", ") + dir.string();
    }
    return set;
}

void RulePackSet::add(RulePack pack)
{
    std::string scheme = pack.scheme();
    packs_.insert_or_assign(std::move(scheme), std::move(pack));
    // Every pack's citations read every pack's catalogue: the common pack's documents serve all schemes, and a
    // scheme's own pack may add or override documents (by scheme order, the last wins).
    std::map<std::string, RulePack::SourceDocument, std::less<>> catalogue;
    for (const auto &[name, p] : packs_)
        for (const auto &[key, document] : p.sources())
            catalogue.insert_or_assign(key, document);
    for (auto &[name, p] : packs_)
        p.render_citations(catalogue);
}

const RulePack *RulePackSet::find(std::string_view scheme) const
{
    const auto it = packs_.find(scheme);
    return it == packs_.end() ? nullptr : &it->second;
}

const RulePack &RulePackSet::get(std::string_view scheme) const
{
    const RulePack *p = find(scheme);
    if (p == nullptr)
        throw RulePackError("no rule pack for scheme " + std::string(scheme) + " in " +
                            (searched_.empty() ? std::string("any directory (none exists)") : searched_));
    return *p;
}

} // namespace jobcoach::rules
