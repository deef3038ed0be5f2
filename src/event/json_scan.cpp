// Implementation of json_scan.h.
#include "event/json_scan.h"

#include <array>
#include <cstdint>

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

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::optional<std::uint32_t> read_hex4(std::string_view s, std::size_t pos) {
  if (pos + 4 > s.size()) return std::nullopt;
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    const int d = hex_digit(s[pos + k]);
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<std::uint32_t>(d);
  }
  return v;
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
  if (literal.size() < 2 || literal.front() != '"' || literal.back() != '"') return std::nullopt;
  const std::string_view s = literal.substr(1, literal.size() - 2);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') return std::nullopt;
    if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= s.size()) return std::nullopt;
    switch (s[i]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        auto unit = read_hex4(s, i + 1);
        if (!unit) return std::nullopt;
        i += 4;
        std::uint32_t cp = *unit;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          std::optional<std::uint32_t> low;
          if (i + 2 < s.size() && s[i + 1] == '\\' && s[i + 2] == 'u') low = read_hex4(s, i + 3);
          if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (*low - 0xDC00);
            i += 6;
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        append_utf8(out, cp);
        break;
      }
      default:
        return std::nullopt;
    }
  }
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
