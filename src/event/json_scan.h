// Small structural helpers over JSON text that is already known to be balanced (it came out of
// the record splitter): walk the members of an object or the elements of an array, find where a
// value ends, decode a string literal, decode base64. No allocation except for decoded strings;
// no recursion. Used by formats.cpp to unwrap containers (EventBridge, lookup-events, CloudWatch
// Logs subscriptions, Firehose batches).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sgwatch::event::json {

inline constexpr std::size_t kNpos = static_cast<std::size_t>(-1);

// Index of the first non-whitespace byte at or after `pos` (text.size() if none).
std::size_t skip_space(std::string_view text, std::size_t pos);
// Index just past the value that starts at `pos`, or kNpos when it is not a complete value.
std::size_t value_end(std::string_view text, std::size_t pos);

struct Member {
  std::string_view key;    // raw key bytes, without quotes, escapes left as they are
  std::string_view value;  // the value's text
  std::size_t value_pos = 0;  // where `value` starts within the walked text
};
// Calls `visit` for each member of the object `text` (leading/trailing whitespace allowed);
// `visit` returns false to stop. Returns false when `text` is not a well-formed object shape.
bool for_each_member(std::string_view text, const std::function<bool(const Member&)>& visit);

// Calls `visit(element, pos)` for each element of the array `text`. False when not an array.
bool for_each_element(std::string_view text,
                      const std::function<bool(std::string_view, std::size_t)>& visit);

// The value of member `key` of object `text` (the last one when repeated), if present.
std::optional<Member> find_member(std::string_view text, std::string_view key);

// Decodes a JSON string literal (with its quotes) into UTF-8. Lone surrogates become U+FFFD
// (as Jackson-based CloudWatch Logs would read them). nullopt: not a valid string literal.
std::optional<std::string> decode_string(std::string_view literal);

// Decodes standard base64 (RFC 4648, '=' padding optional, whitespace ignored).
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace sgwatch::event::json
