// Implementation of reader.h.
#include "event/reader.h"

#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "core/scratch.h"
#include "event/gzip.h"
#include "event/json_scan.h"
#include "event/record_splitter.h"

namespace sgwatch::event {
namespace {

// Position of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF). Only called once the fast check has failed.
std::size_t first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return i;
      const auto b = static_cast<unsigned char>(s[i + k]);
      const unsigned char low = k == 1 ? lo : 0x80;
      const unsigned char high = k == 1 ? hi : 0xBF;
      if (b < low || b > high) return i;
    }
    i += n + 1;
  }
  return s.size();
}

class Session {
 public:
  Session(const Reader::Options& options, const Reader::Sink& sink, ReadResult& result,
          int nesting, std::uint64_t fixed_offset)
      : options_(options),
        sink_(sink),
        result_(result),
        splitter_(RecordSplitter::Options{options.max_record_size, options.max_depth, true,
                                          nesting == 0 ? options.anchor : std::string()}),
        nesting_(nesting),
        fixed_offset_(fixed_offset) {}

  // Feeds JSON bytes; false once the input is finished early (skipped or failed).
  bool feed(std::string_view bytes) {
    if (done_) return false;
    result_.bytes_json += bytes.size();
    if (!started_ && !start(bytes)) return !done_;
    auto error = splitter_.feed(bytes, [this](const RecordRef& ref) { on_value(ref); });
    // Once the input is skipped, what follows in the same bytes is not read, so not judged.
    if (error && !done_) add_error(error->offset, false, error->reason);
    if (error) done_ = true;
    return !done_;
  }

  void finish() {
    if (done_) return;
    if (!bom_checked_ && !head_.empty()) {
      // The input was only the start of a byte order mark.
      bom_checked_ = true;
      if (options_.sniff_json) {
        skip_not_json();
        return;
      }
      if (auto error = splitter_.feed(head_, [](const RecordRef&) {})) {
        add_error(error->offset, false, error->reason);
        done_ = true;
        return;
      }
    }
    auto error = splitter_.finish([this](const RecordRef& ref) { on_value(ref); });
    if (error) add_error(error->offset, false, error->reason);
    done_ = true;
  }

  bool done() const { return done_; }

  // Looks at the input's first bytes: a UTF-8 byte order mark is passed over (the splitter
  // is fed a space in its place, so offsets stay true); with `sniff_json`, input whose first
  // non-space byte cannot start an object or array is skipped, not reported.
  bool start(std::string_view& bytes) {
    static constexpr std::string_view kBom = "\xEF\xBB\xBF";
    if (!bom_checked_) {
      // The mark may arrive split over pieces (small gzip output): collect up to 3 bytes.
      while (!bytes.empty() && head_.size() < kBom.size() && bytes.front() == kBom[head_.size()]) {
        head_ += bytes.front();
        bytes.remove_prefix(1);
      }
      if (head_.size() < kBom.size() && bytes.empty()) return false;  // undecided: need more
      bom_checked_ = true;
      if (head_.size() == kBom.size()) {
        splitter_.feed("   ", [](const RecordRef&) {});  // offsets stay those of the input
      } else if (!head_.empty()) {
        // A partial mark followed by something else: those bytes are input like any other.
        if (options_.sniff_json) return skip_not_json();
        if (auto error = splitter_.feed(head_, [](const RecordRef&) {})) {
          add_error(error->offset, false, error->reason);
          done_ = true;
          return false;
        }
      }
    }
    if (!options_.sniff_json) {
      started_ = true;
      return true;
    }
    const std::size_t at = json::skip_space(bytes, 0);
    if (at >= bytes.size()) return true;  // only space so far: look again in the next bytes
    started_ = true;
    if (bytes[at] != '{' && bytes[at] != '[') return skip_not_json();
    return true;
  }

  bool skip_not_json() {
    result_.format = InputFormat::kNotCloudTrail;
    result_.skipped = "not JSON";
    done_ = true;
    return false;
  }

  void add_error(std::uint64_t offset, bool compressed, std::string reason) {
    ++result_.error_count;
    if (result_.errors.size() < ReadResult::kMaxErrors) {
      result_.errors.push_back(ReadError{nesting_ > 0 ? fixed_offset_ : offset,
                                         compressed, std::move(reason)});
    }
  }

 private:
  std::uint64_t place(std::uint64_t offset) const { return nesting_ > 0 ? fixed_offset_ : offset; }

  void emit(std::string_view text, std::uint64_t offset, bool has_escapes = true,
            bool may_have_anchor = true) {
    if (!simdjson::validate_utf8(text.data(), text.size())) {
      const std::size_t bad = first_invalid_utf8(text);
      add_error(offset + bad, false,
                fmt::format("invalid UTF-8 (byte 0x{:02x}); the record is skipped",
                            static_cast<unsigned char>(text[std::min(bad, text.size() - 1)])));
      return;
    }
    ++result_.records;
    sink_(Record{text, place(offset), has_escapes, may_have_anchor});
  }

  void on_value(const RecordRef& ref) {
    if (done_) return;
    if (!decided_) decide(ref);
    if (done_) return;
    if (bare_) {
      emit(ref.text, ref.offset, ref.has_escapes, ref.may_have_anchor);
    } else {
      unwrap(ref.text, ref.offset, classify_value(ref.text));
    }
  }

  void decide(const RecordRef& ref) {
    decided_ = true;
    if (splitter_.layout() == RecordSplitter::Layout::kRecordsObject) {
      result_.format = InputFormat::kRecordsFile;
      bare_ = true;
      return;
    }
    const ValueKind kind = classify_value(ref.text);
    const bool array = splitter_.layout() == RecordSplitter::Layout::kArray;
    switch (kind) {
      case ValueKind::kRecord:
        result_.format = array ? InputFormat::kRecordArray : InputFormat::kRecordValues;
        bare_ = true;
        return;
      case ValueKind::kEventBridge: result_.format = InputFormat::kEventBridge; return;
      case ValueKind::kLookupItem:
      case ValueKind::kLookupResponse: result_.format = InputFormat::kLookupEvents; return;
      case ValueKind::kCwlSubscription: result_.format = InputFormat::kCwlSubscription; return;
      case ValueKind::kFirehoseBatch:
        if (nesting_ == 0) {
          result_.format = InputFormat::kFirehoseBatch;
          return;
        }
        break;
      case ValueKind::kDigest:
        result_.format = InputFormat::kDigest;
        result_.skipped = "a CloudTrail digest file holds no records";
        done_ = true;
        return;
      case ValueKind::kOther:
        break;
    }
    result_.format = InputFormat::kNotCloudTrail;
    result_.skipped = ref.text.empty() || (ref.text.front() != '{')
                          ? std::string("its first JSON value is not an object")
                          : std::string("its first JSON object is neither a CloudTrail record nor a "
                                        "known container of records");
    done_ = true;
  }

  void unwrap(std::string_view text, std::uint64_t offset, ValueKind kind) {
    switch (kind) {
      case ValueKind::kRecord:
        emit(text, offset);
        return;
      case ValueKind::kEventBridge: {
        const auto type = json::find_member(text, "detail-type");
        const auto detail = json::find_member(text, "detail");
        if (type && detail && type->value.find("via CloudTrail") != std::string_view::npos) {
          emit(detail->value, offset + detail->value_pos);
        } else {
          ++result_.skipped_values;  // an EventBridge event that CloudTrail did not send
        }
        return;
      }
      case ValueKind::kLookupItem: {
        const auto event = json::find_member(text, "CloudTrailEvent");
        emit_string(event->value, offset + event->value_pos, "CloudTrailEvent");
        return;
      }
      case ValueKind::kLookupResponse: {
        const auto events = json::find_member(text, "Events");
        const std::uint64_t base = offset + events->value_pos;
        json::for_each_element(events->value, [&](std::string_view item, std::size_t pos) {
          const ValueKind item_kind = classify_value(item);
          if (item_kind == ValueKind::kLookupItem) {
            unwrap(item, base + pos, item_kind);
          } else {
            ++result_.skipped_values;
          }
          return true;
        });
        return;
      }
      case ValueKind::kCwlSubscription: {
        const auto type = json::find_member(text, "messageType");
        if (!type || type->value != "\"DATA_MESSAGE\"") return;  // CONTROL_MESSAGE: no events
        const auto events = json::find_member(text, "logEvents");
        const std::uint64_t base = offset + events->value_pos;
        json::for_each_element(events->value, [&](std::string_view item, std::size_t pos) {
          const auto message = json::find_member(item, "message");
          if (message) {
            emit_string(message->value, base + pos + message->value_pos, "logEvents[].message");
          } else {
            add_error(base + pos, false, "a log event without a \"message\" is skipped");
          }
          return true;
        });
        return;
      }
      case ValueKind::kFirehoseBatch:
        if (nesting_ == 0) {
          unwrap_firehose(text, offset);
          return;
        }
        ++result_.skipped_values;
        return;
      case ValueKind::kDigest:
      case ValueKind::kOther:
        ++result_.skipped_values;
        return;
    }
  }

  void emit_string(std::string_view literal, std::uint64_t offset, std::string_view what) {
    auto decoded = json::decode_string(literal);
    if (!decoded) {
      add_error(offset, false, fmt::format("{} is not a valid JSON string", what));
      return;
    }
    owned_ = std::move(*decoded);
    emit(owned_, offset);
  }

  void unwrap_firehose(std::string_view text, std::uint64_t offset);

  const Reader::Options& options_;
  const Reader::Sink& sink_;
  ReadResult& result_;
  RecordSplitter splitter_;
  int nesting_;
  std::uint64_t fixed_offset_;
  bool decided_ = false;
  bool bare_ = false;
  bool done_ = false;
  bool started_ = false;
  bool bom_checked_ = false;
  std::string head_;
  std::string owned_;
};

void Session::unwrap_firehose(std::string_view text, std::uint64_t offset) {
  const auto records = json::find_member(text, "records");
  const std::uint64_t base = offset + records->value_pos;
  json::for_each_element(records->value, [&](std::string_view item, std::size_t pos) {
    const std::uint64_t at = base + pos;
    const auto data = json::find_member(item, "data");
    std::optional<std::string> literal;
    if (data) literal = json::decode_string(data->value);
    std::optional<std::string> bytes;
    if (literal) bytes = json::decode_base64(*literal);
    if (!bytes) {
      add_error(at, false, "a Firehose record without valid base64 \"data\" is skipped");
      return true;
    }
    std::string inflated;
    if (looks_gzip(*bytes)) {
      if (auto error = gunzip(*bytes, options_.max_record_size, inflated)) {
        add_error(at, false, fmt::format("a Firehose record's gzip data: {}", error->reason));
        return true;
      }
      bytes = std::move(inflated);
    }
    // The decoded data is an input of its own (a subscription payload, events, JSON lines);
    // its records and errors are placed at the Firehose record.
    ReadResult nested;
    Session session(options_, sink_, nested, nesting_ + 1, at);
    session.feed(*bytes);
    session.finish();
    result_.records += nested.records;
    result_.skipped_values += nested.skipped_values + (nested.skipped ? 1 : 0);
    result_.error_count += nested.error_count;
    for (auto& error : nested.errors) {
      if (result_.errors.size() < ReadResult::kMaxErrors) {
        error.reason = fmt::format("in a Firehose record: {}", error.reason);
        result_.errors.push_back(std::move(error));
      }
    }
    return true;
  });
}

}  // namespace

std::int64_t FdSource::read(char* buffer, std::size_t size) {
  for (;;) {
    const ssize_t n = ::read(fd_, buffer, size);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    error_ = std::strerror(errno);
    return -1;
  }
}

std::int64_t StringSource::read(char* buffer, std::size_t size) {
  const std::size_t n = std::min(size, bytes_.size());
  std::memcpy(buffer, bytes_.data(), n);
  bytes_.remove_prefix(n);
  return static_cast<std::int64_t>(n);
}

std::string_view input_format_name(InputFormat format) {
  switch (format) {
    case InputFormat::kEmpty: return "empty";
    case InputFormat::kRecordsFile: return "CloudTrail log file";
    case InputFormat::kRecordArray: return "JSON array of records";
    case InputFormat::kRecordValues: return "JSON lines of records";
    case InputFormat::kEventBridge: return "EventBridge events";
    case InputFormat::kLookupEvents: return "lookup-events output";
    case InputFormat::kCwlSubscription: return "CloudWatch Logs subscription payload";
    case InputFormat::kFirehoseBatch: return "Firehose HTTP endpoint batch";
    case InputFormat::kDigest: return "CloudTrail digest";
    case InputFormat::kNotCloudTrail: return "not CloudTrail";
  }
  return "unknown";
}

ReadResult Reader::read(ByteSource& source, const Sink& sink) const {
  ReadResult result;
  Session session(options_, sink, result, 0, 0);
  std::unique_ptr<GzipDecoder> gzip;
  core::ScratchBuffer buffer(core::ScratchBuffer::Slot::kRead,
                            std::max<std::size_t>(options_.chunk_size, 1));
  std::string head;  // the first bytes, until there are enough to tell gzip from JSON
  bool decided = false;
  auto consume = [&](std::string_view bytes) -> bool {
    if (gzip) {
      auto error = gzip->feed(bytes, [&](std::string_view out) { return session.feed(out); });
      if (error) {
        session.add_error(error->offset, true, error->reason);
        return false;
      }
    } else {
      session.feed(bytes);
    }
    return !session.done();  // skipped, or a structural error: the rest is not read
  };
  auto decide = [&](std::string_view first) {
    decided = true;
    if (looks_gzip(first)) {
      result.gzip = true;
      gzip = std::make_unique<GzipDecoder>(options_.chunk_size);
    }
  };
  for (;;) {
    const std::int64_t n = source.read(buffer.data(), buffer.size());
    if (n < 0) {
      session.add_error(result.bytes_in, gzip != nullptr, fmt::format("read failed: {}", source.error()));
      return result;
    }
    if (n == 0) break;
    std::string_view bytes(buffer.data(), static_cast<std::size_t>(n));
    result.bytes_in += bytes.size();
    if (!decided) {
      head.append(bytes);
      if (head.size() < 2) continue;
      decide(head);
      if (!consume(head)) return result;
      continue;
    }
    if (!consume(bytes)) return result;
  }
  if (!decided) {
    decide(head);
    if (!head.empty() && !consume(head)) return result;
  }
  if (gzip) {
    if (auto error = gzip->finish()) {
      session.add_error(error->offset, true, error->reason);
      return result;
    }
  }
  session.finish();
  return result;
}

ReadResult Reader::read(std::string_view bytes, const Sink& sink) const {
  StringSource source(bytes);
  return read(source, sink);
}

}  // namespace sgwatch::event
