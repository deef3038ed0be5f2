// Implementation of json_scan.h.
#include "event/json_scan.h"

#include <array>
#include <cstdint>

#include "core/json_string.h"

namespace sgwatch::event::json {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Index just past the string literal whose opening quote is at `pos`, or kNpos.
std::size_t string_end(std::string_view text, std::size_t pos) {
  for (std::size_t i = pos + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return kNpos;
}

}  // namespace

std::size_t skip_space(std::string_view text, std::size_t pos) {
  while (pos < text.size() && is_space(text[pos])) ++pos;
  return pos;
}

std::size_t value_end(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return kNpos;
  const char first = text[pos];
  if (first == '"') return string_end(text, pos);
  if (first != '{' && first != '[') {
    std::size_t i = pos;
    while (i < text.size() && !is_space(text[i]) && text[i] != ',' && text[i] != '}' &&
           text[i] != ']' && text[i] != ':') {
      ++i;
    }
    return i == pos ? kNpos : i;
  }
  std::size_t depth = 0;
  for (std::size_t i = pos; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      i = string_end(text, i);
      if (i == kNpos) return kNpos;
      --i;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return kNpos;
}

bool for_each_member(std::string_view text, const std::function<bool(const Member&)>& visit) {
  std::size_t i = skip_space(text, 0);
  if (i >= text.size() || text[i] != '{') return false;
  i = skip_space(text, i + 1);
  if (i < text.size() && text[i] == '}') return true;
  while (i < text.size()) {
    if (text[i] != '"') return false;
    const std::size_t key_end = string_end(text, i);
    if (key_end == kNpos) return false;
    Member member;
    member.key = text.substr(i + 1, key_end - i - 2);
    i = skip_space(text, key_end);
    if (i >= text.size() || text[i] != ':') return false;
    i = skip_space(text, i + 1);
    const std::size_t end = value_end(text, i);
    if (end == kNpos) return false;
    member.value = text.substr(i, end - i);
    member.value_pos = i;
    if (!visit(member)) return true;
    i = skip_space(text, end);
    if (i >= text.size()) return false;
    if (text[i] == '}') return true;
    if (text[i] != ',') return false;
    i = skip_space(text, i + 1);
  }
  return false;
}

bool for_each_element(std::string_view text,
                      const std::function<bool(std::string_view, std::size_t)>& visit) {
  std::size_t i = skip_space(text, 0);
  if (i >= text.size() || text[i] != '[') return false;
  i = skip_space(text, i + 1);
  if (i < text.size() && text[i] == ']') return true;
  while (i < text.size()) {
    const std::size_t end = value_end(text, i);
    if (end == kNpos) return false;
    if (!visit(text.substr(i, end - i), i)) return true;
    i = skip_space(text, end);
    if (i >= text.size()) return false;
    if (text[i] == ']') return true;
    if (text[i] != ',') return false;
    i = skip_space(text, i + 1);
  }
  return false;
}

std::optional<Member> find_member(std::string_view text, std::string_view key) {
  std::optional<Member> found;
  for_each_member(text, [&](const Member& m) {
    if (m.key == key) found = m;
    return true;
  });
  return found;
}

std::optional<std::string> decode_string(std::string_view literal) {
  std::string out;
  if (!core::decode_json_string(literal, out)) return std::nullopt;
  return out;
}

std::optional<std::string> decode_base64(std::string_view text) {
  static const std::array<std::int8_t, 256> table = [] {
    std::array<std::int8_t, 256> t{};
    t.fill(-1);
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int k = 0; k < 64; ++k) t[static_cast<unsigned char>(alphabet[k])] = static_cast<std::int8_t>(k);
    return t;
  }();
  std::string out;
  out.reserve(text.size() / 4 * 3 + 3);
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (const char c : text) {
    if (is_space(c)) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    const std::int8_t v = table[static_cast<unsigned char>(c)];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (padding > 2 || bits >= 6) return std::nullopt;  // a lone sextet cannot end a quantum
  return out;
}

}  // namespace sgwatch::event::json
