// GzipDecoder: streaming gzip decompression (zlib), chunk in, chunks out, with the memory of one
// output buffer. Concatenated gzip members (as `cat a.gz b.gz` or pigz produce) are read as one
// stream, as gzip(1) does. Neighbours: reader.h feeds it file bytes and passes its output to the
// record splitter.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sgwatch::event {

// True when `bytes` starts with the gzip magic number.
bool looks_gzip(std::string_view bytes);

struct GzipError {
  std::uint64_t offset = 0;  // byte offset in the compressed input where decoding failed
  std::string reason;
};

class GzipDecoder {
 public:
  // Called with each piece of decompressed output; return false to stop decoding early.
  using Sink = std::function<bool(std::string_view)>;

  explicit GzipDecoder(std::size_t output_buffer = std::size_t{1} << 20);
  ~GzipDecoder();
  GzipDecoder(const GzipDecoder&) = delete;
  GzipDecoder& operator=(const GzipDecoder&) = delete;

  // Decodes the next compressed bytes. After an error the decoder stays failed.
  std::optional<GzipError> feed(std::string_view compressed, const Sink& sink);
  // Ends the input: a member left unfinished is an error (a truncated file).
  std::optional<GzipError> finish();

  std::uint64_t bytes_in() const { return bytes_in_; }
  std::uint64_t bytes_out() const { return bytes_out_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::uint64_t bytes_in_ = 0;
  std::uint64_t bytes_out_ = 0;
  bool in_member_ = false;  // inside a member (header seen, trailer not yet)
  bool stopped_ = false;
  std::optional<GzipError> failed_;
};

// Decompresses a whole gzip buffer in memory, refusing output beyond `max_output` bytes.
std::optional<GzipError> gunzip(std::string_view compressed, std::size_t max_output,
                                std::string& out);

}  // namespace sgwatch::event
