// Implementation of gzip.h over zlib's inflate (windowBits 16+15: gzip wrapper, 32 KiB window).
#include "event/gzip.h"

#include <zlib.h>

#include <fmt/format.h>

#include <vector>

#include "core/scratch.h"

namespace sgwatch::event {

bool looks_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

struct GzipDecoder::State {
  explicit State(std::size_t size) : out(core::ScratchBuffer::Slot::kInflate, size) {}
  z_stream z{};
  bool initialised = false;
  core::ScratchBuffer out;  // reused by the thread's next decoder
};

GzipDecoder::GzipDecoder(std::size_t output_buffer)
    : state_(std::make_unique<State>(output_buffer == 0 ? 1 : output_buffer)) {
  if (inflateInit2(&state_->z, 16 + MAX_WBITS) == Z_OK) {
    state_->initialised = true;
  } else {
    failed_ = GzipError{0, "zlib could not be initialised (out of memory?)"};
  }
}

GzipDecoder::~GzipDecoder() {
  if (state_->initialised) inflateEnd(&state_->z);
}

std::optional<GzipError> GzipDecoder::feed(std::string_view compressed, const Sink& sink) {
  if (failed_) return failed_;
  if (stopped_) return std::nullopt;
  z_stream& z = state_->z;
  // zlib's API takes non-const input pointers but never writes through them.
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  std::size_t remaining = compressed.size();
  while (remaining > 0 || z.avail_in > 0) {
    if (z.avail_in == 0) {
      const auto take = static_cast<uInt>(std::min<std::size_t>(remaining, 1U << 30));
      z.avail_in = take;
      remaining -= take;
    }
    if (!in_member_) {
      // Between members: only the start of another member may follow. Trailing zero bytes
      // (padding some tools write) are accepted, as gzip(1) does.
      while (z.avail_in > 0 && *z.next_in == 0) {
        ++z.next_in;
        --z.avail_in;
        ++bytes_in_;
      }
      if (z.avail_in == 0) continue;
      if (bytes_in_ > 0 && (*z.next_in != 0x1f)) {
        failed_ = GzipError{bytes_in_, "bytes after the end of the gzip stream are not gzip data"};
        return failed_;
      }
      in_member_ = true;
    }
    z.next_out = reinterpret_cast<Bytef*>(state_->out.data());
    z.avail_out = static_cast<uInt>(state_->out.size());
    const uInt before_in = z.avail_in;
    const int rc = inflate(&z, Z_NO_FLUSH);
    bytes_in_ += before_in - z.avail_in;
    const std::size_t produced = state_->out.size() - z.avail_out;
    if (produced > 0) {
      bytes_out_ += produced;
      if (!sink(std::string_view(reinterpret_cast<const char*>(state_->out.data()), produced))) {
        stopped_ = true;
        return std::nullopt;
      }
    }
    if (rc == Z_STREAM_END) {
      in_member_ = false;
      inflateReset(&z);
    } else if (rc == Z_BUF_ERROR) {
      if (z.avail_in == 0) continue;  // needs more input
    } else if (rc != Z_OK) {
      const char* what = z.msg != nullptr ? z.msg : "corrupt data";
      failed_ = GzipError{bytes_in_, fmt::format("corrupt gzip data ({})", what)};
      return failed_;
    }
  }
  return std::nullopt;
}

std::optional<GzipError> GzipDecoder::finish() {
  if (failed_) return failed_;
  if (stopped_) return std::nullopt;
  if (in_member_) {
    failed_ = GzipError{bytes_in_, "the gzip stream is truncated (it ends inside a member)"};
    return failed_;
  }
  if (bytes_in_ == 0) {
    failed_ = GzipError{0, "empty gzip stream"};
    return failed_;
  }
  return std::nullopt;
}

std::optional<GzipError> gunzip(std::string_view compressed, std::size_t max_output,
                                std::string& out) {
  out.clear();
  GzipDecoder decoder(std::size_t{64} << 10);
  bool too_big = false;
  auto error = decoder.feed(compressed, [&](std::string_view piece) {
    if (out.size() + piece.size() > max_output) {
      too_big = true;
      return false;
    }
    out.append(piece);
    return true;
  });
  if (error) return error;
  if (too_big) {
    return GzipError{decoder.bytes_in(),
                     fmt::format("decompresses to more than {} bytes", max_output)};
  }
  return decoder.finish();
}

}  // namespace sgwatch::event
