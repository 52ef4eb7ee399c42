// SPDX-License-Identifier: Apache-2.0
// Rule packs: every number of a rule, as dated and cited data (docs/rules.md, introduction).
//
// A pack is one JSON file per scheme:
//   { "scheme": "uwv-extern", "title": "…",
//     "rules": { "<rule id>": { "source": "<document and article>" }, … },
//     "parameters": { "<name>": [ { "valid_from": "YYYY-MM-DD", "value": <v>, "source": "…" }, … ], … } }
// where <v> is a number, a string, or an object of arrays of numbers (a table such as level -> [year 1, 2, 3]).
// Optional: a top-level "engine" naming the plugin engine that runs a pack-defined scheme ("gemeente"), and
// further string members of a rule entry ("role", "report_kind") that tell such an engine what the rule does.
// A lookup names the date the rule refers to (a period's or trajectory year's start) and gets the version
// with the latest valid_from on or before it. A date before every version has no value: the lookup throws
// RulePackError naming the pack, the parameter and the date, and the evaluation fails with JC_E_RULE_PACK
// (applying the earliest version would give a period a number that was not valid for it).
#pragma once

#include "jobcoach/rules/date.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace jobcoach::rules {

class RulePackError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A table parameter's rows by key ("licht", "evaluation"), in key order. A table has a few rows, and the rules
// look one up by its key for every trajectory: the rows lie in one vector, each compared by the key's length
// first and only then by its bytes. (In a std::map, each step of the descent compared strings through a call:
// the duties' rows alone were 1.9 % of evaluating everyone.)
class RuleTable {
public:
    using Row = std::pair<std::string, std::vector<double>>;
    // The row of `key`; nullptr when there is none.
    const std::vector<double> *find(std::string_view key) const
    {
        for (const Row &r : rows_)
            if (r.first.size() == key.size() && std::string_view(r.first) == key)
                return &r.second;
        return nullptr;
    }
    bool contains(std::string_view key) const { return find(key) != nullptr; }
    // Sets the row of `key`, in its place by key order (a key set again takes the later row, as a JSON object's
    // member given twice does).
    void set(std::string key, std::vector<double> row)
    {
        auto at = std::lower_bound(rows_.begin(), rows_.end(), key,
                                   [](const Row &r, const std::string &k) { return r.first < k; });
        if (at != rows_.end() && at->first == key)
            at->second = std::move(row);
        else
            rows_.emplace(at, std::move(key), std::move(row));
    }
    std::vector<Row>::const_iterator begin() const { return rows_.begin(); }
    std::vector<Row>::const_iterator end() const { return rows_.end(); }
    size_t size() const { return rows_.size(); }

private:
    std::vector<Row> rows_; // in key order, each key once
};

class RulePack {
public:
    using Table = RuleTable;
    using Value = std::variant<double, std::string, Table>;

    // Throws RulePackError naming the file and the member.
    static RulePack load(const std::filesystem::path &file);
    static RulePack parse(std::string_view json, const std::string &origin);

    const std::string &scheme() const { return scheme_; }
    const std::string &origin() const { return origin_; }

    double number(std::string_view name, Date ref) const;
    int32_t integer(std::string_view name, Date ref) const;
    const std::string &text(std::string_view name, Date ref) const;
    // A row of a table parameter; throws RulePackError when the row is missing.
    const std::vector<double> &row(std::string_view name, std::string_view key, Date ref) const;
    bool has_row(std::string_view name, std::string_view key, Date ref) const;

    // A parameter's versions, for a caller that looks a name up once and reads it on many dates (Params): the
    // same values and errors as the lookups by name above, without the name's hash each time. `versions` is
    // what versions(name) gave: nullptr is the error of a missing parameter.
    struct Version;
    using Versions = std::vector<Version>;
    const Versions *versions(std::string_view name) const; // nullptr when the pack has no such parameter
    double number(const Versions *versions, std::string_view name, Date ref) const;
    int32_t integer(const Versions *versions, std::string_view name, Date ref) const;
    const std::string &text(const Versions *versions, std::string_view name, Date ref) const;
    const std::vector<double> &row(const Versions *versions, std::string_view name, std::string_view key, Date ref) const;
    bool has_row(const Versions *versions, std::string_view name, std::string_view key, Date ref) const;
    // The source and the valid_from of the parameter version valid on `ref`.
    const std::string &parameter_source(std::string_view name, Date ref) const;
    Date parameter_valid_from(std::string_view name, Date ref) const;
    // The valid_from of each version of a parameter, in date order; throws RulePackError when it is missing.
    std::vector<Date> valid_froms(std::string_view name) const;
    // "" when the pack has no engine member.
    const std::string &engine() const { return engine_; }
    // A string member of a rule entry other than source; "" when absent.
    const std::string &rule_attribute(std::string_view rule_id, std::string_view key) const;
    // Every rule id the pack cites, sorted.
    std::vector<std::string> rule_ids() const;
    // The rule ids whose entry has `key` equal to `value`, sorted.
    std::vector<std::string> rules_with(std::string_view key, std::string_view value) const;
    // The source of a rule id; throws RulePackError when the pack does not cite it.
    const std::string &rule_source(std::string_view rule_id) const;
    // The same source as people read it: each cited document's title, the article, and its public address
    // (RulePackSet renders it from the packs' source catalogues); the source itself until it is rendered.
    const std::string &rule_citation(std::string_view rule_id) const;

    // A source catalogue entry (the pack's "sources" member, optional): a document's title and public address.
    struct SourceDocument {
        std::string title;
        std::string url; // "" when no public address is known
    };
    const std::map<std::string, SourceDocument, std::less<>> &sources() const { return sources_; }
    // Renders every rule's citation from `catalogue` (key -> document).
    void render_citations(const std::map<std::string, SourceDocument, std::less<>> &catalogue);

    bool has(std::string_view parameter) const { return parameters_.find(parameter) != parameters_.end(); }
    bool has_rule(std::string_view rule_id) const { return rule_sources_.find(rule_id) != rule_sources_.end(); }

    // Throws RulePackError listing every name in `names` the pack lacks.
    void require(std::initializer_list<std::string_view> parameters, std::initializer_list<std::string_view> rules) const;

    struct Version {
        Date valid_from;
        std::string source;
        Value value;
    };

private:
    // `found` (versions(name)); throws RulePackError naming the parameter when the pack has none.
    const Versions &present(const Versions *found, std::string_view name) const;
    const Version &version(std::string_view name, Date ref) const;
    const Version &version(const Versions *versions, std::string_view name, Date ref) const;

    std::string scheme_;
    std::string origin_;
    // Looked up by name for every number a rule reads: hashed, with string_view lookups (no copy). The hash
    // mixes the length and the first and last eight bytes (a few instructions: a pack has a few dozen names,
    // which differ there; a collision costs a comparison, not a wrong value).
    struct NameHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const noexcept
        {
            uint64_t first = 0, last = 0;
            const size_t n = s.size();
            if (n >= 8) {
                std::memcpy(&first, s.data(), 8);
                std::memcpy(&last, s.data() + n - 8, 8);
            } else if (n > 0) {
                std::memcpy(&first, s.data(), n);
            }
            const uint64_t h = (first * 0x9E3779B97F4A7C15ull) ^ (last * 0xC2B2AE3D27D4EB4Full) ^ n;
            return static_cast<size_t>(h ^ (h >> 29));
        }
    };
    std::unordered_map<std::string, std::vector<Version>, NameHash, std::equal_to<>> parameters_; // versions sorted by valid_from
    std::map<std::string, std::string, std::less<>> rule_sources_;
    std::map<std::string, std::string, std::less<>> rule_citations_;
    std::map<std::string, SourceDocument, std::less<>> sources_;
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> rule_attributes_;
    std::string engine_;
};

// The packs an instance uses, by scheme. Packs in later directories replace those of the same scheme.
class RulePackSet {
public:
    // Loads every *.json in each existing directory, in order: a pack of a later directory replaces the pack of
    // the same scheme of an earlier one (a host's packs override the plugin's own). Throws RulePackError, also
    // for two packs of one scheme in one directory (which one was meant cannot be known), naming both files.
    static RulePackSet load(const std::vector<std::filesystem::path> &directories);
    const RulePack *find(std::string_view scheme) const;
    const RulePack &get(std::string_view scheme) const; // throws RulePackError when missing
    void add(RulePack pack);
    // Every pack, by scheme.
    const std::map<std::string, RulePack, std::less<>> &all() const { return packs_; }

private:
    std::map<std::string, RulePack, std::less<>> packs_;
    std::string searched_; // the directories loaded, for the error of a missing scheme
};

} // namespace jobcoach::rules
