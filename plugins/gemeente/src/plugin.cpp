// SPDX-License-Identifier: Apache-2.0
// The gemeente plugin: municipal jobcoaching, one scheme per rule pack with "engine": "gemeente". The packs
// shipped beside the plugin define vpw and wsp-rijnmond; a pack in the host's rule_pack_dir adds a
// municipality without rebuilding anything.
#include "municipal.hpp"

#include "jobcoach_plugin_identity.h" // generated from CMakeLists.txt: id, name, vendor, version, schemes

#include <jobcoach/rules/rules_plugin.hpp>
#include <jobcoach/sdk.hpp>

namespace jobcoach::gemeente {

class GemeentePlugin : public rules::RulesPlugin {
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
            "Municipal jobcoaching driven by rule packs: plans, evaluations, hour caps, visits. The schemes listed "
            "are those shipped; a rule pack with \"engine\": \"gemeente\" adds another at run time.",
            schemes,
        };
        return &d;
    }
    static void on_init(const std::string &plugin_dir) { require_rule_packs(plugin_dir); }
    static void on_deinit() {}

    GemeentePlugin(sdk::Host host, const sdk::InstanceConfig &config) : RulesPlugin(host, config, descriptor()->id, &municipal_schemes) {}
};

} // namespace jobcoach::gemeente

JC_SDK_EXPORT_PLUGIN(jobcoach::gemeente::GemeentePlugin)
