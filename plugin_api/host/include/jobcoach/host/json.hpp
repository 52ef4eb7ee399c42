// SPDX-License-Identifier: Apache-2.0
// jobcoach/host/json.hpp: the one JSON helper the hosts share (the demo's findings, the validator's report).
#pragma once

#include <string>
#include <string_view>

namespace jobcoach::host {

// `s` as the inside of a JSON string: quotes, backslashes and control characters escaped; UTF-8 kept as is.
std::string json_escape(std::string_view s);
// The same, appended to `out`.
void json_escape_to(std::string &out, std::string_view s);

} // namespace jobcoach::host
