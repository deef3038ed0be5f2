// JSON text written the way AWS's services write it (Jackson's defaults, which SNS and CloudWatch
// use): `/` and non-ASCII left as they are, `\b \t \n \f \r` short escapes, other control
// characters as `\u00XX` with upper-case hex, doubles as Java's Double.toString. Invalid UTF-8 is
// replaced by U+FFFD so the output is always valid JSON. Also base64, used for signatures.
// Neighbours: alarm_message, http_envelope, message_structure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sgwatch::notify {

// Appends `text` as a JSON string literal (with its quotes).
void append_json_string(std::string& out, std::string_view text);

// Appends `value` as compact JSON with the conventions above; object members keep their order.
// Nesting is walked with an explicit stack, so deep values cannot exhaust the call stack.
void append_json(std::string& out, const nlohmann::ordered_json& value);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// The number of code points in `text` (bytes that do not continue a UTF-8 sequence).
std::size_t code_point_count(std::string_view text);

// The longest prefix of `text` holding at most `code_points` code points.
std::string_view code_point_prefix(std::string_view text, std::size_t code_points);

// Largest nesting depth of the JSON text's arrays and objects (strings skipped); nullopt when a
// bracket is unbalanced. Run before handing untrusted text to a recursive parser.
std::optional<std::size_t> json_depth(std::string_view text);

// Standard base64 with padding and no line breaks.
std::string base64_encode(std::span<const std::uint8_t> bytes);
std::string base64_encode(std::string_view bytes);
// Strict decoding of the form above; nullopt for any other character or a bad length.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace sgwatch::notify
