// Implementation of record_splitter.h: a byte-level state machine over structure only (strings,
// escapes, brackets), no recursion; records that end in the chunk they started in are handed out
// as views without a copy.
#include "event/record_splitter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace sgwatch::event {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// A byte as an error message shows it: 'x' when printable ASCII, else its hex value.
std::string shown(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", u);
}

// Masks of one 64-byte block: bit k stands for byte k.
struct BlockMasks {
  std::uint64_t quote = 0;
  std::uint64_t backslash = 0;
  std::uint64_t bracket = 0;  // { } [ ]
};

BlockMasks classify_block(const char* p) {
  BlockMasks m;
#if defined(__AVX2__)
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i backslash = _mm256_set1_epi8('\\');
  const __m256i lower = _mm256_set1_epi8(0x20);
  const __m256i open = _mm256_set1_epi8('{');    // '[' | 0x20 == '{'
  const __m256i close = _mm256_set1_epi8('}');   // ']' | 0x20 == '}'
  for (int half = 0; half < 2; ++half) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * half));
    const __m256i folded = _mm256_or_si256(v, lower);
    const auto q = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, quote)));
    const auto b = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, backslash)));
    const auto br = static_cast<std::uint32_t>(_mm256_movemask_epi8(
        _mm256_or_si256(_mm256_cmpeq_epi8(folded, open), _mm256_cmpeq_epi8(folded, close))));
    m.quote |= static_cast<std::uint64_t>(q) << (32 * half);
    m.backslash |= static_cast<std::uint64_t>(b) << (32 * half);
    m.bracket |= static_cast<std::uint64_t>(br) << (32 * half);
  }
#else
  for (int k = 0; k < 64; ++k) {
    const char c = p[k];
    const std::uint64_t bit = std::uint64_t{1} << k;
    if (c == '"') m.quote |= bit;
    if (c == '\\') m.backslash |= bit;
    if (c == '{' || c == '}' || c == '[' || c == ']') m.bracket |= bit;
  }
#endif
  return m;
}

// Bit k of the result is the XOR of bits 0..k of `x`: with x = the quotes of a block without
// escapes, the bytes from an opening quote up to (not including) its closing quote.
std::uint64_t prefix_xor(std::uint64_t x) {
#if defined(__PCLMUL__)
  const __m128i all_ones = _mm_set1_epi8(static_cast<char>(0xFF));
  const __m128i product =
      _mm_clmulepi64_si128(_mm_set_epi64x(0, static_cast<long long>(x)), all_ones, 0);
  return static_cast<std::uint64_t>(_mm_cvtsi128_si64(product));
#else
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
#endif
}

bool starts_scalar(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == 't' || c == 'f' || c == 'n';
}

}  // namespace

RecordSplitter::RecordSplitter(Options options) : options_(std::move(options)) {
  stack_.reserve(std::min<std::size_t>(options_.max_depth, 4096));
  anchor_usable_ = options_.anchor.size() >= 2 &&
                   options_.anchor.find_first_of("{}[]\"\\") == std::string::npos;
}

std::optional<SplitError> RecordSplitter::fail(std::uint64_t offset, std::string reason) {
  failed_ = SplitError{offset, std::move(reason)};
  return failed_;
}

void RecordSplitter::begin_record(std::size_t index, std::size_t level, bool scalar) {
  in_record_ = true;
  record_escapes_ = false;
  record_anchor_ = !anchor_usable_;
  record_offset_ = base_ + index;
  record_index_ = index;
  record_from_earlier_ = false;
  pending_.clear();
  limit_ = static_cast<std::int64_t>(index + options_.max_record_size) + 1;
  level_ = level;
  scalar_ = scalar;
  mode_ = Mode::kInRecord;
}

std::optional<SplitError> RecordSplitter::end_record(std::string_view chunk, std::size_t end_index,
                                                     const Sink& sink) {
  std::string_view text;
  if (record_from_earlier_) {
    pending_.append(chunk.substr(0, end_index));
    text = pending_;
  } else {
    text = chunk.substr(record_index_, end_index - record_index_);
  }
  if (text.size() > options_.max_record_size) {
    return fail(record_offset_, fmt::format("a record of {} bytes exceeds the limit of {} bytes",
                                            text.size(), options_.max_record_size));
  }
  in_record_ = false;
  scalar_ = false;
  ++records_;
  sink(RecordRef{text, record_offset_, record_escapes_, record_anchor_});
  pending_.clear();
  record_from_earlier_ = false;
  mode_ = after_record();
  return std::nullopt;
}

std::optional<SplitError> RecordSplitter::push(char open, std::uint64_t offset) {
  if (stack_.size() >= options_.max_depth) {
    return fail(offset, fmt::format("nesting deeper than {} levels", options_.max_depth));
  }
  stack_.push_back(open);
  return std::nullopt;
}

std::optional<SplitError> RecordSplitter::pop(char close, std::uint64_t offset) {
  const char expected = close == '}' ? '{' : '[';
  if (stack_.empty() || stack_.back() != expected) {
    return fail(offset, fmt::format("'{}' does not close an open '{}'", close, expected));
  }
  stack_.pop_back();
  return std::nullopt;
}

std::optional<SplitError> RecordSplitter::structure(char c, std::uint64_t offset) {
  if (c == '"') {
    in_string_ = true;
  } else if (c == '{' || c == '[') {
    return push(c, offset);
  } else if (c == '}' || c == ']') {
    return pop(c, offset);
  }
  return std::nullopt;
}

bool RecordSplitter::anchor_in_block(std::string_view chunk, std::size_t i) const {
  const std::string& anchor = options_.anchor;
  const std::size_t k = anchor.size();
  if (i + 64 + k - 1 > chunk.size()) return true;  // a match could cross the chunk's end
  const char* p = chunk.data() + i;
#if defined(__AVX2__)
  const __m256i first = _mm256_set1_epi8(anchor[0]);
  const __m256i last = _mm256_set1_epi8(anchor[k - 1]);
  for (int half = 0; half < 2; ++half) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * half));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * half + k - 1));
    auto mask = static_cast<std::uint32_t>(_mm256_movemask_epi8(
        _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, last))));
    while (mask != 0) {
      const auto bit = static_cast<std::size_t>(__builtin_ctz(mask));
      if (std::memcmp(p + 32 * half + bit, anchor.data(), k) == 0) return true;
      mask &= mask - 1;
    }
  }
  return false;
#else
  for (std::size_t j = 0; j < 64; ++j) {
    if (p[j] == anchor[0] && p[j + k - 1] == anchor[k - 1] && std::memcmp(p + j, anchor.data(), k) == 0) {
      return true;
    }
  }
  return false;
#endif
}

std::optional<SplitError> RecordSplitter::feed(std::string_view chunk, const Sink& sink) {
  if (failed_) return failed_;
  const std::size_t n = chunk.size();
  std::size_t i = 0;
  if (in_record_) {
    // The limit is checked byte by byte, so that it fires at the same stream position whatever
    // the chunking (a check at chunk ends would depend on it).
    limit_ = static_cast<std::int64_t>(options_.max_record_size) + 1 -
             static_cast<std::int64_t>(pending_.size());
  }
  std::size_t scalar_until = 0;  // bytes before this index go through the byte loop
  while (i < n) {
    // Fast path inside a bracketed record: 64 bytes at a time, strings found with carry-less
    // multiplication, only brackets outside strings visited (in order, with the same push/pop
    // as the byte loop, so errors and offsets are identical). Blocks holding a backslash, the
    // block where the size limit falls, and the chunk's tail go through the byte loop.
    if (options_.block_scan && mode_ == Mode::kInRecord && !scalar_ && !escaped_ &&
        stack_.size() > level_ && i >= scalar_until) {
      std::size_t stop = n;
      if (limit_ < static_cast<std::int64_t>(n)) stop = static_cast<std::size_t>(std::max<std::int64_t>(limit_, 0));
      bool ended = false;
      while (i + 64 <= stop) {
        const BlockMasks m = classify_block(chunk.data() + i);
        if (m.backslash != 0) {
          scalar_until = i + 64;
          break;
        }
        if (!record_anchor_) record_anchor_ = anchor_in_block(chunk, i);
        const std::uint64_t inside = prefix_xor(m.quote) ^ (in_string_ ? ~std::uint64_t{0} : 0);
        std::uint64_t structural = m.bracket & ~inside;
        while (structural != 0) {
          const auto pos = static_cast<std::size_t>(__builtin_ctzll(structural));
          const char c = chunk[i + pos];
          // push()/pop() inlined for the common case; they are called to report the errors.
          if (c == '{' || c == '[') {
            if (stack_.size() >= options_.max_depth) return push(c, base_ + i + pos);
            stack_.push_back(c);
          } else {
            if (stack_.empty() || stack_.back() != (c == '}' ? '{' : '[')) return pop(c, base_ + i + pos);
            stack_.pop_back();
            if (stack_.size() == level_) {
              in_string_ = false;
              i += pos + 1;
              if (auto error = end_record(chunk, i, sink)) return error;
              ended = true;
              break;
            }
          }
          structural &= structural - 1;
        }
        if (ended) break;
        in_string_ = (inside >> 63) != 0;
        i += 64;
      }
      if (ended || i >= n) continue;
      if (scalar_until <= i) scalar_until = i + 64;  // the tail or the limit: byte by byte
    }
    if (in_record_ && static_cast<std::int64_t>(i) >= limit_) {
      return fail(record_offset_, fmt::format("a record exceeds the limit of {} bytes",
                                              options_.max_record_size));
    }
    const char c = chunk[i];
    // The byte loop does not match the anchor; any occurrence starting in the bytes it reads
    // starts with the anchor's first byte, so seeing that byte is enough to say "may hold it".
    if (!record_anchor_ && in_record_ && c == options_.anchor[0]) record_anchor_ = true;
    const std::uint64_t at = base_ + i;
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
        if (mode_ == Mode::kFirstKey) key_ += '?';  // an escaped key is never "Records"
        ++i;
        continue;
      }
      std::size_t stop = n;
      if (in_record_ && limit_ < static_cast<std::int64_t>(n)) stop = static_cast<std::size_t>(limit_);
      std::size_t j = i;
      while (j < stop && chunk[j] != '"' && chunk[j] != '\\') ++j;
      if (!record_anchor_ && in_record_ && j > i &&
          std::memchr(chunk.data() + i, options_.anchor[0], j - i) != nullptr) {
        record_anchor_ = true;
      }
      if (mode_ == Mode::kFirstKey && key_.size() < 16) key_.append(chunk.substr(i, std::min<std::size_t>(j - i, 16)));
      i = j;
      if (i >= n) break;
      if (i == stop) continue;  // the limit check above fires
      if (chunk[i] == '\\') {
        escaped_ = true;
        record_escapes_ = true;
        ++i;
        continue;
      }
      in_string_ = false;
      ++i;
      if (mode_ == Mode::kFirstKey) {
        mode_ = key_ == "Records" ? Mode::kAfterKey : Mode::kInRecord;
        after_colon_ = false;
      } else if (mode_ == Mode::kInRecord && stack_.size() == level_) {
        if (auto error = end_record(chunk, i, sink)) return error;  // a string record
      }
      continue;
    }
    switch (mode_) {
      case Mode::kTop:
        if (is_space(c)) {
          ++i;
        } else if (c == '{') {
          layout_ = Layout::kValues;  // until its first key says "Records"
          begin_record(i, 0, false);
          if (auto error = push(c, at)) return error;
          mode_ = Mode::kFirstKey;
          key_.clear();
          ++i;
        } else if (c == '[') {
          layout_ = Layout::kArray;
          if (auto error = push(c, at)) return error;
          level_ = 1;
          mode_ = Mode::kElements;
          ++i;
        } else if (c == '"') {
          layout_ = Layout::kValues;
          begin_record(i, 0, false);
          in_string_ = true;
          ++i;
        } else if (starts_scalar(c)) {
          layout_ = Layout::kValues;
          begin_record(i, 0, true);
          ++i;
        } else {
          return fail(at, fmt::format("{} cannot start a JSON value", shown(c)));
        }
        break;
      case Mode::kFirstKey:
        if (is_space(c)) {
          ++i;
        } else if (c == '"') {
          in_string_ = true;
          ++i;
        } else {
          mode_ = Mode::kInRecord;  // "{}" or malformed: the object is the record
        }
        break;
      case Mode::kAfterKey:
        if (is_space(c)) {
          ++i;
        } else if (c == ':' && !after_colon_) {
          after_colon_ = true;
          ++i;
        } else if (c == '[' && after_colon_) {
          // {"Records": [ ... ]}: the object itself is no record; its array's elements are.
          layout_ = Layout::kRecordsObject;
          in_record_ = false;
          pending_.clear();
          if (auto error = push(c, at)) return error;
          level_ = 2;
          mode_ = Mode::kElements;
          ++i;
        } else {
          mode_ = Mode::kInRecord;  // "Records" holds no array: the object is one record
        }
        break;
      case Mode::kElements:
        if (is_space(c) || c == ',') {
          ++i;
        } else if (c == ']') {
          if (auto error = pop(c, at)) return error;
          mode_ = stack_.empty() ? Mode::kTop : Mode::kSkipRest;
          ++i;
        } else if (c == '{' || c == '[') {
          begin_record(i, stack_.size(), false);
          if (auto error = push(c, at)) return error;
          ++i;
        } else if (c == '"') {
          begin_record(i, stack_.size(), false);
          in_string_ = true;
          ++i;
        } else if (starts_scalar(c)) {
          begin_record(i, stack_.size(), true);
          ++i;
        } else {
          return fail(at, fmt::format("{} cannot start an array element", shown(c)));
        }
        break;
      case Mode::kInRecord:
        if (scalar_) {
          if (is_space(c) || c == ',' || c == ']' || c == '}') {
            if (auto error = end_record(chunk, i, sink)) return error;
          } else {
            ++i;
          }
          break;
        }
        if (auto error = structure(c, at)) return error;
        ++i;
        if ((c == '}' || c == ']') && stack_.size() == level_) {
          if (auto error = end_record(chunk, i, sink)) return error;
        }
        break;
      case Mode::kSkipRest:
        if (auto error = structure(c, at)) return error;
        ++i;
        if (stack_.empty()) mode_ = Mode::kTop;
        break;
    }
  }
  if (in_record_) {
    if (record_from_earlier_) {
      pending_.append(chunk);
    } else {
      pending_.assign(chunk.substr(record_index_));
      record_from_earlier_ = true;
    }
  }
  base_ += n;
  return std::nullopt;
}

std::optional<SplitError> RecordSplitter::finish(const Sink& sink) {
  if (failed_) return failed_;
  if (in_record_ && scalar_ && !in_string_) {
    // A bare number or literal at the very end: its bytes are all in pending_.
    return end_record(std::string_view(), 0, sink);
  }
  if (in_string_ || !stack_.empty() || in_record_) {
    return fail(base_, "the stream ends inside a value (truncated input?)");
  }
  return std::nullopt;
}

}  // namespace sgwatch::event
