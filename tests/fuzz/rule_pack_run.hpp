// SPDX-License-Identifier: Apache-2.0
// What the rule-pack fuzz targets do with a pack text: parse it, put it to work the way a plugin does with a
// pack from its rule_pack_dir (it overrides or adds a scheme, the schemes check it, and a fixed trajectory is
// evaluated with it). A bad pack must be refused with a RulePackError (which names the file and the member);
// any other exception, a crash or a hang is a bug.
#pragma once

#include <string_view>

namespace jobcoach::fuzz {

// Loads the shipped packs (once).
void load_shipped_packs();
// Runs one pack text through the pipeline; returns false when it was refused with a RulePackError.
bool run_rule_pack(std::string_view json);

} // namespace jobcoach::fuzz
