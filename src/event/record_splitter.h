// RecordSplitter: cuts a stream of JSON bytes into the CloudTrail records it holds, chunk by
// chunk, with memory bounded by the largest record (never by the stream's size):
//   {"Records": [r1, r2, ...]}   -> r1, r2, ...   (CloudTrail's S3 delivery objects)
//   [r1, r2, ...]                -> r1, r2, ...   (JSON arrays of records)
//   r1 \n r2 \n ...              -> r1, r2, ...   (JSON lines, or one pretty-printed value)
// Only structure is checked here (brackets, strings, depth, size); each record's own JSON is
// read later by the pattern engine. Neighbours: the scan's readers feed it decompressed bytes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sgwatch::event {

struct RecordRef {
  std::string_view text;  // valid only during the sink call
  std::uint64_t offset = 0;  // byte offset of the record's first byte in the stream
  // False when no string of the record holds a backslash, so that it has no JSON escape (a
  // backslash outside strings would make it invalid JSON anyway). Lets the literal prefilter
  // skip its search for escapes.
  bool has_escapes = true;
  // False when the record certainly does not contain Options::anchor (see there).
  bool may_have_anchor = true;
};

struct SplitError {
  std::uint64_t offset = 0;
  std::string reason;
};

class RecordSplitter {
 public:
  struct Options {
    std::size_t max_record_size = std::size_t{16} << 20;
    std::size_t max_depth = 1024;
    // Scan inside records 64 bytes at a time (SIMD); false keeps to the byte loop. Both give the
    // same records and errors (checked by fuzz_split); the switch exists for that check.
    bool block_scan = true;
    // A string (>= 2 bytes, no JSON structural character) looked for while the block scan reads
    // records, so that a record can be said not to contain it without a second pass (the scan's
    // literal prefilter core). Empty: none.
    std::string anchor;
  };
  enum class Layout { kNone, kRecordsObject, kArray, kValues };
  using Sink = std::function<void(const RecordRef&)>;

  RecordSplitter() : RecordSplitter(Options{}) {}
  explicit RecordSplitter(Options options);

  // Feeds the next bytes; calls `sink` for each record completed by them. After an error the
  // splitter stays failed (the rest of the stream cannot be trusted).
  std::optional<SplitError> feed(std::string_view chunk, const Sink& sink);
  // Ends the stream: a value left open is an error.
  std::optional<SplitError> finish(const Sink& sink);

  // The container of the most recent top-level value.
  Layout layout() const { return layout_; }
  std::uint64_t records() const { return records_; }

 private:
  enum class Mode {
    kTop,       // between top-level values
    kFirstKey,  // inside a top-level object, before or in its first key
    kAfterKey,  // after the first key "Records", expecting ':' then '['
    kElements,  // inside a records array, between elements
    kInRecord,  // inside a record (an element, or a whole top-level value) at level_
    kSkipRest,  // after the "Records" array, until the top-level object closes
  };

  std::optional<SplitError> fail(std::uint64_t offset, std::string reason);
  void begin_record(std::size_t index, std::size_t level, bool scalar);
  std::optional<SplitError> end_record(std::string_view chunk, std::size_t end_index,
                                       const Sink& sink);
  std::optional<SplitError> push(char open, std::uint64_t offset);
  // Whether the anchor starts in chunk[i, i + 64) (true when it cannot be told).
  bool anchor_in_block(std::string_view chunk, std::size_t i) const;
  std::optional<SplitError> pop(char close, std::uint64_t offset);
  // One byte inside a value: opens a string, or pushes/pops a bracket.
  std::optional<SplitError> structure(char c, std::uint64_t offset);
  Mode after_record() const { return level_ == 0 ? Mode::kTop : Mode::kElements; }

  Options options_;
  Layout layout_ = Layout::kNone;
  Mode mode_ = Mode::kTop;
  std::vector<char> stack_;  // open brackets, outermost first
  std::size_t level_ = 0;    // stack depth at which records sit (0, 1 or 2)
  bool in_string_ = false;
  bool escaped_ = false;
  bool record_escapes_ = false;  // a backslash was seen in a string of the current record
  bool anchor_usable_ = false;
  bool record_anchor_ = true;    // the anchor may be in the current record
  bool scalar_ = false;      // the current record is a bare number or literal
  std::string key_;          // the first key of a top-level object, while it is read
  bool after_colon_ = false;
  // The record being cut: where it starts, and its bytes from earlier chunks.
  bool in_record_ = false;
  std::uint64_t record_offset_ = 0;
  std::size_t record_index_ = 0;  // its start within the current chunk, if it started there
  bool record_from_earlier_ = false;
  std::int64_t limit_ = 0;  // chunk index at which the current record exceeds max_record_size
  std::string pending_;
  std::uint64_t base_ = 0;  // stream offset of the current chunk
  std::uint64_t records_ = 0;
  std::optional<SplitError> failed_;
};

}  // namespace sgwatch::event
