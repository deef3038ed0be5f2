// Small text helpers shared by the parsers: ASCII classes, trimming, strict number parsing.
// Neighbours: pattern (lexers, field conditions, metric values); depends on nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sgwatch::core {

inline bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_ascii_alnum(char c) { return is_ascii_digit(c) || is_ascii_alpha(c); }
// Whitespace as the filter-pattern language knows it: space, tab, CR, LF.
inline bool is_pattern_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim_pattern_space(std::string_view text);

// True when `text` is a number in the filter-pattern grammar:
//   [+|-] ( digits [ "." [digits] ] | "." digits ) [ (e|E) [+|-] digits ]
bool is_pattern_number(std::string_view text);

// The value of a text that is_pattern_number accepts; nullopt otherwise (also when the value
// overflows a double).
std::optional<double> parse_pattern_number(std::string_view text);

// Shortest text that reads back as the same double ("50", "1024.5", "1e+300").
std::string format_double(double value);

// True when `needle` occurs in `haystack`. memchr-driven for one- and two-byte needles (glibc's
// memmem walks those byte by byte), memmem otherwise.
bool contains_bytes(std::string_view haystack, std::string_view needle);

// Escapes for one-line error messages: control characters become \n, \t, \xHH.
std::string printable(std::string_view text, std::size_t max_length = 80);

}  // namespace sgwatch::core
