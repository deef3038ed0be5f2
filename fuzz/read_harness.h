// Fuzz harness for event::Reader (format detection, unwrapping, gzip, UTF-8 checks), shared by
// fuzz_read and the regression replay in tests/regress/fuzz_regress_test.cpp. Input: byte 0
// picks a read chunk size, byte 1 holds flags (bit 0: gzip the stream first, so the decoder is
// exercised with valid and, via bit 2, truncated data; bit 1: sniff as for walked files); the rest
// is the stream. Invariants: records and errors do not depend on the chunk size; records are
// valid UTF-8; in bare formats each record is the exact bytes at its offset; counts agree; a
// record said to hold no escape has no backslash, or is not JSON (so no JSON pattern can match).
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "event/reader.h"
#include "../tests/support/gzip.h"

namespace sgwatch::fuzz {


struct ReadOutcome {
  std::vector<std::pair<std::uint64_t, std::string>> records;
  std::vector<bool> has_escapes;
  bool anchor_missed = false;
  std::vector<std::pair<std::uint64_t, std::string>> errors;
  event::ReadResult result;
};

inline ReadOutcome read_stream(std::string_view stream, std::size_t chunk, bool sniff) {
  event::Reader::Options options;
  options.max_record_size = 512;
  options.max_depth = 64;
  options.chunk_size = chunk;
  options.sniff_json = sniff;
  options.anchor = "Group";
  const event::Reader reader(options);
  ReadOutcome out;
  out.result = reader.read(stream, [&](const event::Record& r) {
    out.records.emplace_back(r.offset, std::string(r.text));
    out.has_escapes.push_back(r.has_escapes);
    if (!r.may_have_anchor && r.text.find("Group") != std::string_view::npos) out.anchor_missed = true;
  });
  for (const auto& e : out.result.errors) out.errors.emplace_back(e.offset, e.reason);
  return out;
}

inline std::optional<std::string> run_read(std::string_view input) {
  if (input.size() < 2) return std::nullopt;
  const std::size_t chunk = 1 + static_cast<std::uint8_t>(input[0]) % 97;
  const auto flags = static_cast<std::uint8_t>(input[1]);
  std::string stream(input.substr(2));
  const bool gzipped = (flags & 1) != 0;
  if (gzipped) {
    stream = testing::gzip_compress(stream, 1);
    if ((flags & 4) != 0 && stream.size() > 4) stream.resize(stream.size() - 1 - flags % 4);
  }
  const bool sniff = (flags & 2) != 0;
  const ReadOutcome whole = read_stream(stream, stream.size() + 1, sniff);
  const ReadOutcome cut = read_stream(stream, chunk, sniff);
  if (whole.records != cut.records) return std::string("records depend on the chunk size");
  if (whole.errors != cut.errors) return std::string("errors depend on the chunk size");
  if (whole.result.records != whole.records.size()) return std::string("record count disagrees");
  if (whole.result.error_count < whole.errors.size()) return std::string("error count disagrees");
  const auto format = whole.result.format;
  const bool bare = format == event::InputFormat::kRecordsFile ||
                    format == event::InputFormat::kRecordArray ||
                    format == event::InputFormat::kRecordValues;
  if (whole.has_escapes != cut.has_escapes) return std::string("escape flags depend on the chunk size");
  if (whole.anchor_missed || cut.anchor_missed) return std::string("a record holding the anchor was said not to");
  for (std::size_t i = 0; i < whole.records.size(); ++i) {
    const std::string& text = whole.records[i].second;
    if (!whole.has_escapes[i] && text.find('\\') != std::string::npos) {
      simdjson::dom::parser parser;
      if (!parser.parse(text).error()) return std::string("a JSON record with an escape is said to hold none");
    }
  }
  for (const auto& [offset, text] : whole.records) {
    if (!simdjson::validate_utf8(text.data(), text.size())) return std::string("a record is not UTF-8");
    if (text.size() > 512) return std::string("a record exceeds the limit");
    if (bare && !gzipped && (offset + text.size() > stream.size() || std::string_view(stream).substr(offset, text.size()) != text)) {
      return std::string("a bare record is not the bytes at its offset");
    }
  }
  return std::nullopt;
}

}  // namespace sgwatch::fuzz
