// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the numbers of the shipped rule packs. Text mutations rarely keep a pack valid JSON, so this
// target edits numbers only: the input picks a shipped pack and a list of (number, new value) edits, spliced
// into the pack's text, which then goes through the same pipeline as fuzz_rule_pack (rule_pack_run.hpp).
//   input := pack:u8 edit*      edit := token:u16 kind:u8 value:i32
//   kind % 4: 0 the integer value; 1 value / 100 (a decimal); 2 value * 1e6; 3 a small integer (value % 5 - 1)
#include "rule_pack_run.hpp"

#include <cstdint>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

struct Pack {
    std::string text;
    std::vector<std::pair<size_t, size_t>> numbers; // offset and length of each number outside strings
};

std::vector<Pack> packs;

Pack tokenize(std::string text)
{
    Pack p{std::move(text), {}};
    bool in_string = false;
    for (size_t i = 0; i < p.text.size(); ++i) {
        const char c = p.text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t j = i + 1;
            while (j < p.text.size() && (std::isdigit(static_cast<unsigned char>(p.text[j])) || p.text[j] == '.' ||
                                         p.text[j] == 'e' || p.text[j] == 'E' || p.text[j] == '+' || p.text[j] == '-'))
                ++j;
            p.numbers.emplace_back(i, j - i);
            i = j - 1;
        }
    }
    return p;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    jobcoach::fuzz::load_shipped_packs();
    for (const char *file : {"/plugins/uwv/rulepacks/uwv-extern.json", "/plugins/uwv/rulepacks/uwv-intern.json",
                             "/plugins/gemeente/rulepacks/vpw.json", "/plugins/gemeente/rulepacks/wsp-rijnmond.json",
                             "/tests/scenarios/duinstad/rulepacks/duinstad.json", "/plugins/common/rulepacks/common.json"}) {
        std::ifstream in(std::string(JOBCOACH_SOURCE_DIR) + file);
        packs.push_back(tokenize(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>())));
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const Pack &pack = packs[data[0] % packs.size()];
    std::vector<std::string> values(pack.numbers.size());
    for (size_t at = 1; at + 7 <= size; at += 7) {
        const size_t token = (data[at] | (data[at + 1] << 8)) % pack.numbers.size();
        int32_t v;
        std::memcpy(&v, data + at + 3, 4);
        char buffer[48];
        switch (data[at + 2] % 4) {
        case 0: std::snprintf(buffer, sizeof buffer, "%d", v); break;
        case 1: std::snprintf(buffer, sizeof buffer, "%.2f", v / 100.0); break;
        case 2: std::snprintf(buffer, sizeof buffer, "%.17g", v * 1e6); break;
        default: std::snprintf(buffer, sizeof buffer, "%d", v % 5 - 1); break;
        }
        values[token] = buffer;
    }
    std::string text;
    size_t from = 0;
    for (size_t k = 0; k < pack.numbers.size(); ++k) {
        if (values[k].empty())
            continue;
        text.append(pack.text, from, pack.numbers[k].first - from);
        text += values[k];
        from = pack.numbers[k].first + pack.numbers[k].second;
    }
    text.append(pack.text, from, std::string::npos);
    (void)jobcoach::fuzz::run_rule_pack(text);
    return 0;
}
