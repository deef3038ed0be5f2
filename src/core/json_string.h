// Decoding of one JSON string literal (with its quotes) into UTF-8, as Jackson-based readers
// (CloudWatch Logs) do: every escape of RFC 8259, surrogate pairs joined, and an unpaired
// surrogate escape read as U+FFFD instead of failing. Used by the JSON tree of the pattern engine
// and by the readers that unwrap containers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sgwatch::core {

// False when `literal` is not a well-formed string literal: no quotes, a bad escape, an
// unescaped quote or control character inside.
bool decode_json_string(std::string_view literal, std::string& out);

// Appends code point `cp` (at most U+10FFFF) as UTF-8.
void append_utf8(std::string& out, std::uint32_t cp);

}  // namespace sgwatch::core
