// Strict UTF-8 decoding for the wire formats: query parameters must be valid UTF-8, and the XML
// writer replaces what XML 1.0 cannot carry. Well-formed means RFC 3629: shortest form, no
// surrogates, at most U+10FFFF. Neighbours: query_params, xml_writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sgwatch::aws {

struct Utf8Char {
  std::uint32_t code_point = 0;
  std::size_t length = 0;  // 0: the bytes at this position are not a well-formed sequence
};

// The character that starts at `text[at]` (`at < text.size()`).
Utf8Char decode_utf8(std::string_view text, std::size_t at);

// The offset of the first byte that does not start a well-formed sequence; text.size() when all
// of `text` is valid.
std::size_t first_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) {
  return first_invalid_utf8(text) == text.size();
}

}  // namespace sgwatch::aws
