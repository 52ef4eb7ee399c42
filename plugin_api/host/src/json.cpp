// SPDX-License-Identifier: Apache-2.0
#include "jobcoach/host/json.hpp"

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace jobcoach::host {

void json_escape_to(std::string &out, std::string_view s)
{
    // Eight bytes at a time while none needs escaping (no quote, no backslash, no control character: the
    // bit tricks of "Bit Twiddling Hacks", haszero and hasless); then byte by byte up to the next one.
    constexpr uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    auto zero_byte = [&](uint64_t v) { return (v - ones) & ~v & highs; };
    auto special = [&](uint64_t v) {
        return zero_byte(v ^ (ones * '"')) | zero_byte(v ^ (ones * '\\')) | ((v - ones * 0x20) & ~v & highs);
    };
    size_t plain = 0; // where the run of characters that stand for themselves began: appended whole
    size_t i = 0;
    while (i < s.size()) {
        if (i + 8 <= s.size()) {
            uint64_t word;
            std::memcpy(&word, s.data() + i, 8);
            if (special(word) == 0) {
                i += 8;
                continue;
            }
        }
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        out.append(s.data() + plain, i - plain);
        plain = ++i;
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
}

std::string json_escape(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + 2);
    json_escape_to(out, s);
    return out;
}

} // namespace jobcoach::host
