// Fuzz harness for event::RecordSplitter, shared by fuzz_split and the regression replay in
// tests/regress/fuzz_regress_test.cpp. The first input byte picks a chunk size; the rest is the
// stream. Invariants: the records and the error (if any) do not depend on how the stream is
// chunked, nor on whether the 64-byte block scan or the byte loop reads them; every record is the
// exact bytes at its offset, non-empty, in increasing order; a record said not to hold the anchor
// does not hold it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "event/record_splitter.h"

namespace sgwatch::fuzz {

struct SplitOutcome {
  std::vector<std::pair<std::uint64_t, std::string>> records;
  std::optional<std::uint64_t> error_offset;
  bool anchor_missed = false;
};

inline SplitOutcome split_stream(std::string_view stream, std::size_t chunk,
                                 bool block_scan = true) {
  event::RecordSplitter::Options options;
  options.block_scan = block_scan;
  options.anchor = "ab";
  options.max_record_size = 512;  // small, so that the limit is reached often
  options.max_depth = 64;
  event::RecordSplitter splitter(options);
  SplitOutcome out;
  auto sink = [&](const event::RecordRef& r) {
    out.records.emplace_back(r.offset, std::string(r.text));
    if (!r.may_have_anchor && r.text.find("ab") != std::string_view::npos) out.anchor_missed = true;
  };
  std::optional<event::SplitError> error;
  for (std::size_t i = 0; i < stream.size() && !error; i += chunk) {
    error = splitter.feed(stream.substr(i, chunk), sink);
  }
  if (!error) error = splitter.finish(sink);
  if (error) out.error_offset = error->offset;
  return out;
}

inline std::optional<std::string> run_split(std::string_view input) {
  if (input.empty()) return std::nullopt;
  const std::size_t chunk = 1 + static_cast<std::uint8_t>(input[0]) % 64;
  const std::string_view stream = input.substr(1);
  const SplitOutcome whole = split_stream(stream, stream.size() + 1);
  const SplitOutcome cut = split_stream(stream, chunk);
  if (whole.anchor_missed || cut.anchor_missed) return std::string("a record holding the anchor was said not to");
  if (whole.records != cut.records) return std::string("records depend on the chunk size");
  if (whole.error_offset != cut.error_offset) return std::string("errors depend on the chunk size");
  const SplitOutcome bytewise = split_stream(stream, stream.size() + 1, false);
  if (whole.records != bytewise.records) return std::string("records depend on the block scan");
  if (whole.error_offset != bytewise.error_offset) return std::string("errors depend on the block scan");
  std::uint64_t next = 0;
  for (const auto& [offset, text] : whole.records) {
    if (text.empty()) return std::string("an empty record");
    if (offset < next) return std::string("records overlap or go backwards");
    if (offset + text.size() > stream.size() || stream.substr(offset, text.size()) != text) {
      return std::string("a record is not the bytes at its offset");
    }
    next = offset + text.size();
  }
  return std::nullopt;
}

}  // namespace sgwatch::fuzz
