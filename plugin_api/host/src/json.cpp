// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/host/json.hpp"

#include <cstdio>

namespace jobcoach::host {

std::string json_escape(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + 2);
    size_t plain = 0; // where the run of characters that stand for themselves began: appended whole
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(s.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
            out += buffer;
        }
        }
    }
    out.append(s.data() + plain, s.size() - plain);
    return out;
}

} // namespace jobcoach::host
