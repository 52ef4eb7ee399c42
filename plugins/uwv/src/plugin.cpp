// SPDX-License-Identifier: Apache-2.0
// The uwv plugin: UWV's jobcoach schemes.
#include "uwv_extern.hpp"
#include "uwv_intern.hpp"

#include "jobcoach_plugin_identity.h" // generated from CMakeLists.txt: id, name, vendor, version, schemes

#include <jobcoach/rules/rules_plugin.hpp>
#include <jobcoach/sdk.hpp>

namespace jobcoach::uwv {

class UwvPlugin : public rules::RulesPlugin {
public:
    static const jc_plugin_descriptor *descriptor()
    {
        static const char *const schemes[] = {JC_PLUGIN_SCHEMES, nullptr};
        static const jc_plugin_descriptor d = {
            sizeof(jc_plugin_descriptor),
            0,
            JC_PLUGIN_ID,
            JC_PLUGIN_NAME,
            JC_PLUGIN_VENDOR,
            JC_PLUGIN_VERSION,
            "UWV jobcoaching through a jobcoach organisation (uwv-extern) and the subsidy for an employer's own "
            "jobcoach (uwv-intern): periods, budgets, subsidy, reports, maximum duration.",
            schemes,
        };
        return &d;
    }
    static void on_init(const std::string &plugin_dir) { require_rule_packs(plugin_dir); }
    static void on_deinit() {}

    UwvPlugin(sdk::Host host, const sdk::InstanceConfig &config) : RulesPlugin(host, config, descriptor()->id, [](const rules::RulePackSet &) { return make_schemes(); }) {}

private:
    static std::vector<std::unique_ptr<rules::SchemeRules>> make_schemes()
    {
        std::vector<std::unique_ptr<rules::SchemeRules>> s;
        s.push_back(std::make_unique<UwvExtern>());
        s.push_back(std::make_unique<UwvIntern>());
        return s;
    }
};

} // namespace jobcoach::uwv

JC_SDK_EXPORT_PLUGIN(jobcoach::uwv::UwvPlugin)
