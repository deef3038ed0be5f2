// Implementation of the text helpers of core/text.h.
#include "core/text.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string.h>  // memmem (GNU)

namespace sgwatch::core {

std::string_view trim_pattern_space(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_pattern_space(text[begin])) ++begin;
  while (end > begin && is_pattern_space(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

bool is_pattern_number(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
  std::size_t int_digits = 0;
  while (i < n && is_ascii_digit(text[i])) ++i, ++int_digits;
  std::size_t frac_digits = 0;
  if (i < n && text[i] == '.') {
    ++i;
    while (i < n && is_ascii_digit(text[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < n && is_ascii_digit(text[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == n;
}

std::optional<double> parse_pattern_number(std::string_view text) {
  if (!is_pattern_number(text)) return std::nullopt;
  // from_chars rejects a leading '+'; strtod needs a terminated copy. Numbers are short.
  std::string copy(text.substr(text[0] == '+' ? 1 : 0));
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  if (errno == ERANGE && std::isinf(value)) return std::nullopt;
  return value;
}

std::string format_double(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc()) return "nan";
  return std::string(buffer, end);
}

bool contains_bytes(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > haystack.size()) return false;
  const std::size_t k = needle.size();
#if defined(__AVX2__)
  if (k >= 2) {
    // The first and the last byte of the needle, compared 32 positions at a time; only
    // positions where both agree are checked in full (W. Mula, "SIMD-friendly algorithms for
    // substring searching"). Rare first/last pairs make this run near memory speed.
    const __m256i first = _mm256_set1_epi8(needle[0]);
    const __m256i last = _mm256_set1_epi8(needle[k - 1]);
    const char* const data = haystack.data();
    const std::size_t positions = haystack.size() - k + 1;  // possible start positions
    std::size_t i = 0;
    for (; i + 32 <= positions; i += 32) {
      const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i));
      const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i + k - 1));
      auto mask = static_cast<std::uint32_t>(_mm256_movemask_epi8(
          _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, last))));
      while (mask != 0) {
        const auto bit = static_cast<std::size_t>(__builtin_ctz(mask));
        if (k == 2 || std::memcmp(data + i + bit + 1, needle.data() + 1, k - 2) == 0) return true;
        mask &= mask - 1;
      }
    }
    for (; i < positions; ++i) {
      if (data[i] == needle[0] && data[i + k - 1] == needle[k - 1] &&
          std::memcmp(data + i, needle.data(), k) == 0) {
        return true;
      }
    }
    return false;
  }
#endif
  if (k > 2) {
    return memmem(haystack.data(), haystack.size(), needle.data(), needle.size()) != nullptr;
  }
  const char* p = haystack.data();
  const char* const end = haystack.data() + haystack.size() - (k - 1);
  while (p < end) {
    const void* hit = std::memchr(p, needle[0], static_cast<std::size_t>(end - p));
    if (hit == nullptr) return false;
    const char* at = static_cast<const char*>(hit);
    if (k == 1 || at[1] == needle[1]) return true;
    p = at + 1;
  }
  return false;
}

std::string printable(std::string_view text, std::size_t max_length) {
  std::string out;
  for (char c : text) {
    if (out.size() >= max_length) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace sgwatch::core
