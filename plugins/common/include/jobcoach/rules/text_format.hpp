// SPDX-License-Identifier: Apache-2.0
// The findings' words from a format string split at compile time: JC_FORMAT("Budget of {} exceeded: {} used").
//
// Every finding is made of a few texts of literal words with numbers, dates and names in between, and evaluating
// everyone makes millions of them. fmt's compiled formats (FMT_COMPILE) append each literal piece through a call
// that checks the buffer and copies (about 59 instructions a piece, a million pieces on 10,000 employees over 3
// years), and the text is then copied from fmt's buffer into the finding. Here the fields are made first (a
// number or a date into a small buffer on the stack, a string as a view), the text is sized once, and each literal
// piece is copied with its length known at compile time (a few moves, no call).
//
// A JC_FORMAT string holds only "{}" fields and the escapes "{{" and "}}" (anything else does not compile), and
// takes exactly as many arguments as it has fields. A field formats as fmt's "{}" would: a string or a character
// as it is, an integer in decimal, a Date in its ISO form, anything else through fmt itself. For a format with a
// spec ("{:02}", "{:.2f}") use FMT_COMPILE with the same functions (finding.hpp).
#pragma once

#include "jobcoach/rules/date.hpp"

#include <jobcoach/dates.hpp>

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace jobcoach::rules {

// A string literal as a template argument.
template <size_t N> struct FixedText {
    char chars[N]{};
    consteval FixedText(const char (&text)[N])
    {
        for (size_t i = 0; i < N; ++i)
            chars[i] = text[i];
    }
};

namespace text_format_detail {

// A format string parsed: its literal text with the escapes undone, and where each "{}" field falls in it.
template <size_t N> struct Parsed {
    char literal[N]{};       // the literal pieces, one after another
    size_t literal_size = 0; // bytes of literal
    size_t fields = 0;
    size_t field_at[N]{}; // field k comes after literal[0, field_at[k])
};

template <size_t N> consteval Parsed<N> parse(const char (&text)[N])
{
    Parsed<N> p;
    for (size_t i = 0; i + 1 < N; ++i) {
        const char c = text[i];
        if (c == '{' && i + 2 < N && text[i + 1] == '{') {
            p.literal[p.literal_size++] = '{';
            ++i;
        } else if (c == '}' && i + 2 < N && text[i + 1] == '}') {
            p.literal[p.literal_size++] = '}';
            ++i;
        } else if (c == '{') {
            if (i + 2 >= N || text[i + 1] != '}')
                throw "JC_FORMAT: only {} fields (use FMT_COMPILE for a format spec)";
            p.field_at[p.fields++] = p.literal_size;
            ++i;
        } else if (c == '}') {
            throw "JC_FORMAT: a '}' without its '{' (write }} for one)";
        } else {
            p.literal[p.literal_size++] = c;
        }
    }
    return p;
}

// One field's text: a view of a string argument, or of the digits written into `buffer`.
struct Field {
    char buffer[32];
    std::string_view text;
};

template <class T> void make_field(Field &f, const T &value)
{
    using V = std::remove_cvref_t<T>;
    if constexpr (std::is_convertible_v<const V &, std::string_view>) { // a string, a view, an EventId
        f.text = std::string_view(value);
    } else if constexpr (std::is_same_v<V, char>) {
        f.buffer[0] = value;
        f.text = std::string_view(f.buffer, 1);
    } else if constexpr (std::is_integral_v<V> && !std::is_same_v<V, bool>) {
        const auto end = std::to_chars(f.buffer, f.buffer + sizeof f.buffer, value).ptr;
        f.text = std::string_view(f.buffer, static_cast<size_t>(end - f.buffer));
    } else if constexpr (std::is_same_v<V, Date>) {
        f.text = std::string_view(f.buffer, dates::iso_into(value.days, f.buffer));
    } else { // a double, a bool: as fmt writes them
        const auto r = fmt::format_to_n(f.buffer, sizeof f.buffer, "{}", value);
        if (r.size > sizeof f.buffer)
            throw std::length_error("JC_FORMAT: a field of more than 32 bytes");
        f.text = std::string_view(f.buffer, r.size);
    }
}

} // namespace text_format_detail

// A format string split at compile time (JC_FORMAT). Only `literal` is kept in the program: the rest is read
// while compiling.
template <FixedText S> struct TextFormat {
    static constexpr auto parsed = text_format_detail::parse(S.chars);
    static constexpr std::array<char, parsed.literal_size + 1> literal = [] {
        std::array<char, parsed.literal_size + 1> a{};
        for (size_t i = 0; i < parsed.literal_size; ++i)
            a[i] = parsed.literal[i];
        return a;
    }();
};

// A format string of "{}" fields, parsed and checked when it is compiled: a TextFormat<"…"> value.
#define JC_FORMAT(text) (::jobcoach::rules::TextFormat<::jobcoach::rules::FixedText(text)>{})

namespace text_format_detail {

// Copies literal piece K (the one before field K; the last one after the last field), its bounds constants.
template <FixedText S, size_t K> inline char *literal_piece(char *out)
{
    constexpr size_t from = K == 0 ? 0 : TextFormat<S>::parsed.field_at[K - 1];
    constexpr size_t to = K < TextFormat<S>::parsed.fields ? TextFormat<S>::parsed.field_at[K]
                                                           : TextFormat<S>::parsed.literal_size;
    if constexpr (to > from)
        std::memcpy(out, TextFormat<S>::literal.data() + from, to - from);
    return out + (to - from);
}

// Copies a field's text (an empty view may hold a null pointer, which memcpy must not be given).
inline char *field_piece(char *out, std::string_view text)
{
    if (!text.empty())
        std::memcpy(out, text.data(), text.size());
    return out + text.size();
}

template <FixedText S, size_t... K> inline void write(char *out, const Field *fields, std::index_sequence<K...>)
{
    ((out = literal_piece<S, K>(out), out = field_piece(out, fields[K].text)), ...);
    literal_piece<S, sizeof...(K)>(out);
}

} // namespace text_format_detail

// Appends the text of `format` with `args` to `to`: sized once, each piece copied once.
template <FixedText S, class... Args> void append_format(std::string &to, TextFormat<S>, const Args &...args)
{
    static_assert(TextFormat<S>::parsed.fields == sizeof...(Args), "JC_FORMAT: as many arguments as {} fields");
    text_format_detail::Field fields[sizeof...(Args) + 1];
    size_t size = TextFormat<S>::parsed.literal_size;
    {
        size_t k = 0;
        ((text_format_detail::make_field(fields[k], args), size += fields[k].text.size(), ++k), ...);
    }
    const size_t at = to.size();
    to.resize(at + size);
    text_format_detail::write<S>(to.data() + at, fields, std::index_sequence_for<Args...>{});
}

} // namespace jobcoach::rules
