// Implementation of json_text.h.
#include "notify/json_text.h"

#include <array>
#include <cmath>
#include <vector>

#include "alarms/reason.h"

namespace sgwatch::notify {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kUpperHex = "0123456789ABCDEF";
constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Length of the valid UTF-8 sequence starting at text[i], or 0 when the bytes there are not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;   // no overlong forms
    if (b0 == 0xED) high = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;   // no overlong forms
    if (b0 == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  const unsigned char b1 = byte(i + 1);
  if (b1 < low || b1 > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

void append_number(std::string& out, const nlohmann::ordered_json& value) {
  if (value.is_number_integer() && !value.is_number_unsigned()) {
    out += std::to_string(value.get<std::int64_t>());
  } else if (value.is_number_unsigned()) {
    out += std::to_string(value.get<std::uint64_t>());
  } else {
    const double number = value.get<double>();
    const std::string text = alarms::java_double(number);
    // Jackson's default (QUOTE_NON_NUMERIC_NUMBERS) writes NaN and the infinities as strings.
    if (std::isfinite(number)) {
      out += text;
    } else {
      append_json_string(out, text);
    }
  }
}

// Writes a scalar, or the opening bracket of a container; returns true when a container with
// members was opened (its members follow).
bool open_value(std::string& out, const nlohmann::ordered_json& value) {
  using Type = nlohmann::ordered_json::value_t;
  switch (value.type()) {
    case Type::object:
      out += '{';
      if (value.empty()) out += '}';
      return !value.empty();
    case Type::array:
      out += '[';
      if (value.empty()) out += ']';
      return !value.empty();
    case Type::string:
      append_json_string(out, value.get_ref<const std::string&>());
      return false;
    case Type::boolean:
      out += value.get<bool>() ? "true" : "false";
      return false;
    case Type::number_integer:
    case Type::number_unsigned:
    case Type::number_float:
      append_number(out, value);
      return false;
    case Type::binary: {
      // Jackson writes byte arrays as base64 strings.
      const auto& bytes = value.get_binary();
      out += '"';
      out += base64_encode(std::span<const std::uint8_t>(bytes.data(), bytes.size()));
      out += '"';
      return false;
    }
    case Type::null:
    case Type::discarded:
      out += "null";
      return false;
  }
  out += "null";
  return false;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence_length(text, i);
      if (length == 0) {
        out += kReplacement;
        ++i;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kUpperHex[c >> 4];
          out += kUpperHex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

void append_json(std::string& out, const nlohmann::ordered_json& value) {
  struct Frame {
    const nlohmann::ordered_json* container;
    nlohmann::ordered_json::const_iterator next;
  };
  std::vector<Frame> stack;
  if (open_value(out, value)) stack.push_back({&value, value.cbegin()});
  while (!stack.empty()) {
    Frame& frame = stack.back();
    const bool is_object = frame.container->is_object();
    if (frame.next == frame.container->cend()) {
      out += is_object ? '}' : ']';
      stack.pop_back();
      continue;
    }
    if (frame.next != frame.container->cbegin()) out += ',';
    if (is_object) {
      append_json_string(out, frame.next.key());
      out += ':';
    }
    const nlohmann::ordered_json& child = *frame.next;
    ++frame.next;
    if (open_value(out, child)) stack.push_back({&child, child.cbegin()});  // `frame` dies here
  }
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::size_t code_point_count(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string_view code_point_prefix(std::string_view text, std::size_t code_points) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (seen == code_points) return text.substr(0, i);
      ++seen;
    }
  }
  return text;
}

std::optional<std::size_t> json_depth(std::string_view text) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        ++depth;
        if (depth > deepest) deepest = depth;
        break;
      case '}':
      case ']':
        if (depth == 0) return std::nullopt;
        --depth;
        break;
      default:
        break;
    }
  }
  if (depth != 0) return std::nullopt;
  return deepest;
}

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) |
                            std::uint32_t{bytes[i + 2]};
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += kBase64[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t n = std::uint32_t{bytes[i]} << 16;
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    const std::uint32_t n = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  return base64_encode(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::array<int, 256> value{};
  value.fill(-1);
  for (std::size_t k = 0; k < kBase64.size(); ++k) {
    value[static_cast<unsigned char>(kBase64[k])] = static_cast<int>(k);
  }
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    std::uint32_t n = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = text[i + k];
      int v = value[static_cast<unsigned char>(c)];
      if (c == '=' && last && k >= 4 - padding) v = 0;
      if (v < 0) return std::nullopt;
      n = (n << 6) | static_cast<std::uint32_t>(v);
    }
    out += static_cast<char>((n >> 16) & 0xFF);
    if (!(last && padding == 2)) out += static_cast<char>((n >> 8) & 0xFF);
    if (!(last && padding >= 1)) out += static_cast<char>(n & 0xFF);
  }
  return out;
}

}  // namespace sgwatch::notify
