// Reader: turns one input (a file, stdin, or bytes) into the CloudTrail records it holds, as the
// message text a metric filter sees (CONTRACTS.md "The message a filter sees"):
//   - gzip is detected by its magic number and decoded while streaming;
//   - the JSON is cut into top-level values by the RecordSplitter ({"Records": [...]} objects
//     give their elements), with memory bounded by the maximum record size;
//   - the input's format is decided by its first value: bare records (Records files, arrays,
//     JSON lines, one pretty-printed record) are passed on as they stand; containers are
//     unwrapped per value (EventBridge `detail`, lookup-events `CloudTrailEvent`, CloudWatch Logs
//     `logEvents[].message`, Firehose `records[].data`); digests and other JSON are skipped.
// Bad input is reported with its byte offset and reason; a structural error ends the input (the
// rest cannot be trusted), an error in one value skips only that value.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event/formats.h"

namespace sgwatch::event {

// Where bytes come from. read() returns the number of bytes read, 0 at the end, or -1 with
// `error()` describing why.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::int64_t read(char* buffer, std::size_t size) = 0;
  virtual std::string error() const = 0;
};

// A file descriptor (a file, a pipe, stdin); the caller owns the descriptor.
class FdSource : public ByteSource {
 public:
  explicit FdSource(int fd) : fd_(fd) {}
  std::int64_t read(char* buffer, std::size_t size) override;
  std::string error() const override { return error_; }

 private:
  int fd_;
  std::string error_;
};

class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string_view bytes) : bytes_(bytes) {}
  std::int64_t read(char* buffer, std::size_t size) override;
  std::string error() const override { return {}; }

 private:
  std::string_view bytes_;
};

enum class InputFormat {
  kEmpty,             // no value at all
  kRecordsFile,       // {"Records": [...]} (CloudTrail's S3 objects)
  kRecordArray,       // [record, ...]
  kRecordValues,      // JSON lines, or one (pretty-printed) record
  kEventBridge,
  kLookupEvents,      // lookup-events output: a response object or items as JSON lines
  kCwlSubscription,
  kFirehoseBatch,
  kDigest,            // skipped
  kNotCloudTrail,     // skipped
};
std::string_view input_format_name(InputFormat format);

struct Record {
  std::string_view text;     // valid only during the sink call
  std::uint64_t offset = 0;  // byte offset in the (decompressed) input; see docs/cli.md
  bool has_escapes = true;   // false: the text holds no JSON escape (see RecordRef)
  bool may_have_anchor = true;  // false: the text does not contain Options::anchor
};

struct ReadError {
  std::uint64_t offset = 0;
  bool compressed = false;  // the offset counts bytes of the gzip file, not decompressed bytes
  std::string reason;
};

struct ReadResult {
  InputFormat format = InputFormat::kEmpty;
  bool gzip = false;
  std::uint64_t bytes_in = 0;    // bytes read from the source
  std::uint64_t bytes_json = 0;  // bytes of JSON (after decompression)
  std::uint64_t records = 0;     // records handed to the sink
  std::uint64_t skipped_values = 0;  // values in a container input that held no record
  std::optional<std::string> skipped;  // why the whole input was skipped, when it was
  std::vector<ReadError> errors;       // at most kMaxErrors, in input order
  std::uint64_t error_count = 0;       // all of them
  static constexpr std::size_t kMaxErrors = 100;
};

class Reader {
 public:
  struct Options {
    std::size_t max_record_size = std::size_t{16} << 20;
    std::size_t max_depth = 1024;
    std::size_t chunk_size = std::size_t{1} << 20;
    // Skip (with a note, not an error) input whose first byte cannot start a JSON object or
    // array: for files met while walking a folder, which may hold READMEs and the like.
    bool sniff_json = false;
    // Passed to the record splitter (RecordSplitter::Options::anchor).
    std::string anchor;
  };
  using Sink = std::function<void(const Record&)>;

  Reader() : Reader(Options{}) {}
  explicit Reader(Options options) : options_(options) {}

  ReadResult read(ByteSource& source, const Sink& sink) const;
  ReadResult read(std::string_view bytes, const Sink& sink) const;

 private:
  Options options_;
};

}  // namespace sgwatch::event
