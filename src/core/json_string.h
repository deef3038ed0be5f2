// Decoding of one JSON string literal (with its quotes) into UTF-8 (and writing one), as Jackson-based readers
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

// Appends `text` as a JSON string literal: '"' and '\\' escaped, \b \f \n \r \t by name, other
// control characters (and DEL) as \u00xx, and every byte that is not part of well-formed UTF-8
// as U+FFFD, so that the output is valid JSON whatever `text` holds. (AWS's byte-exact message
// formats have their own writer, notify/json_text.h.)
void append_json_string(std::string& out, std::string_view text);

}  // namespace sgwatch::core
