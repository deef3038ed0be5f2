// Implementation of record_splitter.h: a byte-level state machine over structure only (strings,
// escapes, brackets), no recursion; records that end in the chunk they started in are handed out
// as views without a copy.
#include "event/record_splitter.h"

#include <fmt/format.h>

namespace sgwatch::event {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// A byte as an error message shows it: 'x' when printable ASCII, else its hex value.
std::string shown(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", u);
}

bool starts_scalar(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == 't' || c == 'f' || c == 'n';
}

}  // namespace

std::optional<SplitError> RecordSplitter::fail(std::uint64_t offset, std::string reason) {
  failed_ = SplitError{offset, std::move(reason)};
  return failed_;
}

void RecordSplitter::begin_record(std::size_t index, std::size_t level, bool scalar) {
  in_record_ = true;
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
  sink(RecordRef{text, record_offset_});
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
  while (i < n) {
    if (in_record_ && static_cast<std::int64_t>(i) >= limit_) {
      return fail(record_offset_, fmt::format("a record exceeds the limit of {} bytes",
                                              options_.max_record_size));
    }
    const char c = chunk[i];
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
      if (mode_ == Mode::kFirstKey && key_.size() < 16) key_.append(chunk.substr(i, std::min<std::size_t>(j - i, 16)));
      i = j;
      if (i >= n) break;
      if (i == stop) continue;  // the limit check above fires
      if (chunk[i] == '\\') {
        escaped_ = true;
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
