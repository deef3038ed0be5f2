// Implementation of push_ingest.h: authentication, size limits, the three body formats read into
// records (src/event's reader and structural helpers, every record's JSON checked with
// nlohmann's SAX parser, which does not recurse), then batches through put_log_events.
#include "engine/push_ingest.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>
#include <system_error>
#include <utility>

#include "core/time.h"
#include "engine/log_batches.h"
#include "event/event.h"

namespace sgwatch::engine {

namespace {

constexpr std::string_view kTooLargeGzip = "decompresses to more than";

// Syntax check without building a document: records the parser's message on failure.
class SyntaxCheck final : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) override {
    message_ = error.what();
    // "[json.exception.parse_error.101] parse error at line 1, ..." -> "parse error at line 1, ..."
    if (const auto close = message_.find("] "); message_.rfind("[json.exception", 0) == 0 && close != std::string::npos) {
      message_.erase(0, close + 2);
    }
    return false;
  }
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

// nullopt when `text` is one well-formed JSON value, else the parser's reason.
std::optional<std::string> json_syntax_error(std::string_view text) {
  SyntaxCheck check;
  const bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &check);
  if (ok) return std::nullopt;
  return check.message().empty() ? std::string("not a JSON value") : check.message();
}

std::optional<std::string> string_member(std::string_view record, std::string_view key) {
  auto member = event::json::find_member(record, key);
  if (!member || member->value.empty() || member->value.front() != '"') return std::nullopt;
  auto text = event::json::decode_string(member->value);
  if (!text || text->empty()) return std::nullopt;
  return text;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

bool is_gzip_encoding(const aws::HttpRequest& request) {
  const std::string* encoding = request.find_header("Content-Encoding");
  if (encoding == nullptr) return false;
  const std::string_view value = trim(*encoding);
  return value.size() == 4 && aws::header_name_equals(value, "gzip");
}

std::string read_errors(const event::ReadResult& result) {
  std::string out;
  for (const event::ReadError& error : result.errors) {
    if (!out.empty()) out += "; ";
    out += fmt::format("{} {}: {}", error.compressed ? "gzip byte" : "byte", error.offset, error.reason);
    if (out.size() > 2000) break;
  }
  if (result.error_count > 1) out += fmt::format(" ({} errors)", result.error_count);
  return out;
}

// FNV-1a, 64 bits: a body's fingerprint in its request id's checkpoint (the same function in
// every build, so a retry after an upgrade still matches).
std::uint64_t fingerprint(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// A Firehose request id's checkpoint: "<batches done>/<batches> <body fingerprint, hex> <first seen, ms>".
struct RequestProgress {
  std::size_t done = 0;
  std::size_t total = 0;
  std::uint64_t hash = 0;
  std::int64_t first_seen_ms = 0;
};

std::string encode_progress(const RequestProgress& p) {
  return fmt::format("{}/{} {:016x} {}", p.done, p.total, p.hash, p.first_seen_ms);
}

std::optional<RequestProgress> decode_progress(std::string_view text) {
  RequestProgress p;
  const char* at = text.data();
  const char* end = text.data() + text.size();
  auto number = [&](auto& value, int base, char next) {
    const auto [ptr, ec] = std::from_chars(at, end, value, base);
    if (ec != std::errc() || (next != '\0' && (ptr == end || *ptr != next))) return false;
    at = next != '\0' ? ptr + 1 : ptr;
    return true;
  };
  if (!number(p.done, 10, '/') || !number(p.total, 10, ' ') || !number(p.hash, 16, ' ') ||
      !number(p.first_seen_ms, 10, '\0') || at != end || p.done > p.total) {
    return std::nullopt;
  }
  return p;
}

}  // namespace

std::string_view push_format_name(PushFormat format) {
  switch (format) {
    case PushFormat::kEventBridge: return "eventbridge";
    case PushFormat::kFirehose: return "firehose";
    case PushFormat::kJsonLines: return "jsonl";
  }
  return "unknown";
}

std::optional<PushFormat> parse_push_format(std::string_view name) {
  if (name == "eventbridge") return PushFormat::kEventBridge;
  if (name == "firehose") return PushFormat::kFirehose;
  if (name == "jsonl") return PushFormat::kJsonLines;
  return std::nullopt;
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  const std::size_t n = std::max(a.size(), b.size());
  unsigned difference = a.size() == b.size() ? 0U : 1U;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0U;
    const unsigned y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0U;
    difference |= x ^ y;
  }
  return difference == 0;
}

PushIngest::PushIngest(LogsEngine& logs, std::mutex& lock, const core::Clock& clock, PushIngestOptions options)
    : logs_(logs), lock_(lock), clock_(clock), options_(std::move(options)) {}

LogsResult<void> PushIngest::prepare() {
  std::lock_guard<std::mutex> guard(lock_);
  CreateLogGroupRequest request;
  request.log_group_name = options_.log_group_name;
  return logs_.ensure_log_group(request);
}

std::size_t PushIngest::max_body_bytes() const {
  if (options_.max_body_bytes != 0) return options_.max_body_bytes;
  switch (options_.format) {
    case PushFormat::kEventBridge: return kMaxEventBridgeBodyBytes;
    case PushFormat::kFirehose: return kMaxFirehoseBodyBytes;
    case PushFormat::kJsonLines: return kMaxJsonLinesBodyBytes;
  }
  return kMaxJsonLinesBodyBytes;
}

PushStats PushIngest::stats() const {
  return PushStats{requests_.load(), rejected_.load(), records_.load(), stored_.load(),
                   refused_.load(),   ignored_.load(),  repeated_.load()};
}

bool PushIngest::authorized(const aws::HttpRequest& request) const {
  const std::string_view header =
      options_.format == PushFormat::kFirehose ? kFirehoseAccessKeyHeader : std::string_view(options_.api_key_header);
  const std::string* given = request.find_header(header);
  if (given == nullptr || options_.api_key.empty()) return false;
  return constant_time_equals(*given, options_.api_key);
}

aws::HttpResponse PushIngest::handle(const aws::HttpRequest& request, PushOutcome* outcome) {
  PushOutcome local;
  PushOutcome& out = outcome != nullptr ? *outcome : local;
  out = PushOutcome{};
  ++requests_;
  if (options_.format == PushFormat::kFirehose) {
    if (const std::string* id = request.find_header(kFirehoseRequestIdHeader); id != nullptr) out.request_id = *id;
  }
  std::vector<Pending> records;
  if (!authorized(request)) {
    out.status = 401;
    out.error = options_.format == PushFormat::kFirehose
                    ? fmt::format("missing or wrong access key in {}", kFirehoseAccessKeyHeader)
                    : fmt::format("missing or wrong API key in {}", options_.api_key_header);
  } else if (request.body.size() > max_body_bytes()) {
    out.status = 413;
    out.error = fmt::format("the body is {} bytes; this endpoint takes at most {}", request.body.size(),
                            max_body_bytes());
  } else if (const int status = collect(request, records, out); status != 0) {
    out.status = status;
  } else {
    const bool remembered = options_.format == PushFormat::kFirehose && !out.request_id.empty();
    auto stored = store(records, out,
                        remembered ? fmt::format("firehose:{}:{}", options_.log_group_name, out.request_id) : std::string(),
                        remembered ? fingerprint(request.body) : 0);
    if (!stored) {
      out.status = 500;
      out.error = stored.error();
    }
  }
  if (out.status >= 300) {
    ++rejected_;
  } else {
    records_ += out.records;
    stored_ += out.stored;
    refused_ += out.refused;
    ignored_ += out.ignored;
    repeated_ += out.repeated;
  }
  if (out.stored > 0 && options_.on_stored) options_.on_stored();
  return answer(out);
}

aws::HttpResponse PushIngest::answer(const PushOutcome& outcome) const {
  aws::HttpResponse response;
  response.status = outcome.status;
  response.headers.push_back({"Content-Type", "application/json"});
  nlohmann::json body;
  if (options_.format == PushFormat::kFirehose) {
    // Firehose's contract: the request id repeated, the time in ms, and errorMessage on failure.
    body["requestId"] = outcome.request_id;
    body["timestamp"] = clock_.now_ms();
    if (outcome.status >= 300) body["errorMessage"] = outcome.error;
  } else if (outcome.status >= 300) {
    body["status"] = "error";
    body["message"] = outcome.error;
  } else {
    body["status"] = outcome.records == 0 && outcome.ignored > 0 ? "ignored" : "stored";
    body["records"] = outcome.records;
    body["stored"] = outcome.stored;
    body["refused"] = outcome.refused;
    body["ignored"] = outcome.ignored;
  }
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

int PushIngest::collect(const aws::HttpRequest& request, std::vector<Pending>& out, PushOutcome& outcome) const {
  std::string_view body = request.body;
  std::string inflated;
  if (is_gzip_encoding(request) || event::looks_gzip(body)) {
    if (auto error = event::gunzip(body, 2 * max_body_bytes(), inflated)) {
      outcome.error = fmt::format("the gzip body: byte {}: {}", error->offset, error->reason);
      return error->reason.rfind(kTooLargeGzip, 0) == 0 ? 413 : 400;
    }
    body = inflated;
  }
  switch (options_.format) {
    case PushFormat::kEventBridge: return collect_eventbridge(body, out, outcome);
    case PushFormat::kFirehose: return collect_firehose(body, out, outcome);
    case PushFormat::kJsonLines: return collect_json_lines(body, out, outcome);
  }
  return 400;
}

int PushIngest::collect_eventbridge(std::string_view body, std::vector<Pending>& out, PushOutcome& outcome) const {
  if (trim(body).empty()) {
    outcome.error = "the body is empty; an API destination sends one EventBridge event";
    return 400;
  }
  if (auto error = json_syntax_error(body)) {
    outcome.error = fmt::format("the body is not one JSON value: {}", *error);
    return 400;
  }
  const event::Reader reader;
  std::vector<std::string> details;
  const event::ReadResult result =
      reader.read(body, [&](const event::Record& record) { details.emplace_back(record.text); });
  if (!result.errors.empty()) {
    outcome.error = fmt::format("the event: {}", read_errors(result));
    return 400;
  }
  if (result.format == event::InputFormat::kEventBridge) {
    if (result.records == 0) {
      // Not sent by CloudTrail (another detail-type): answered 200 so that EventBridge does not
      // retry an event that will never be accepted, and counted as ignored.
      outcome.ignored = result.skipped_values;
      return 0;
    }
    return add_record(details.front(), "the event's detail", out, outcome) ? 0 : 400;
  }
  if (result.format == event::InputFormat::kRecordValues && details.size() == 1) {
    // An input transformer that sends `$.detail`: the CloudTrail record itself.
    return add_record(details.front(), "the body", out, outcome) ? 0 : 400;
  }
  outcome.error = fmt::format("the body is not an EventBridge event (an object with \"detail-type\" and \"detail\"){}",
                              result.skipped ? ": " + *result.skipped : std::string());
  return 400;
}

int PushIngest::collect_firehose(std::string_view body, std::vector<Pending>& out, PushOutcome& outcome) const {
  if (auto error = json_syntax_error(body)) {
    outcome.error = fmt::format("the body is not one JSON value: {}", *error);
    return 400;
  }
  const auto request_id = event::json::find_member(body, "requestId");
  std::optional<std::string> body_id;
  if (request_id && !request_id->value.empty() && request_id->value.front() == '"') {
    body_id = event::json::decode_string(request_id->value);
  }
  if (outcome.request_id.empty() && body_id) outcome.request_id = *body_id;
  if (event::classify_value(body) != event::ValueKind::kFirehoseBatch) {
    outcome.error = "the body is not a Firehose delivery request (an object with \"requestId\" and a \"records\" array)";
    return 400;
  }
  if (body_id && *body_id != outcome.request_id) {
    outcome.error = fmt::format("the body's requestId \"{}\" differs from {} \"{}\"", *body_id,
                                kFirehoseRequestIdHeader, outcome.request_id);
    return 400;
  }
  const auto records = event::json::find_member(body, "records");
  if (!records) {
    outcome.error = "the body has no \"records\" array";
    return 400;
  }
  const event::Reader reader;
  std::size_t index = 0;
  int status = 0;
  std::vector<std::string> texts;
  event::json::for_each_element(records->value, [&](std::string_view item, std::size_t) {
    const std::string where = fmt::format("records[{}]", index++);
    const auto data = event::json::find_member(item, "data");
    std::optional<std::string> literal;
    if (data && !data->value.empty() && data->value.front() == '"') literal = event::json::decode_string(data->value);
    std::optional<std::string> bytes;
    if (literal) bytes = event::json::decode_base64(*literal);
    if (!bytes) {
      outcome.error = fmt::format("{}: \"data\" is missing or not base64", where);
      status = 400;
      return false;
    }
    if (trim(*bytes).empty()) {
      ++outcome.ignored;
      return true;
    }
    texts.clear();
    const event::ReadResult result =
        reader.read(*bytes, [&](const event::Record& record) { texts.emplace_back(record.text); });
    if (!result.errors.empty()) {
      outcome.error = fmt::format("{}: {}", where, read_errors(result));
      status = 400;
      return false;
    }
    if (result.format == event::InputFormat::kNotCloudTrail) {
      outcome.error = fmt::format("{}: the data holds no CloudTrail record: {}", where, result.skipped.value_or(""));
      status = 400;
      return false;
    }
    outcome.ignored += result.skipped_values + (result.format == event::InputFormat::kDigest ? 1 : 0);
    for (std::size_t k = 0; k < texts.size(); ++k) {
      const std::string at = texts.size() == 1 ? where : fmt::format("{}, record {}", where, k + 1);
      if (!add_record(texts[k], at, out, outcome)) {
        status = 400;
        return false;
      }
    }
    return true;
  });
  return status;
}

int PushIngest::collect_json_lines(std::string_view body, std::vector<Pending>& out, PushOutcome& outcome) const {
  std::size_t line = 0;
  while (!body.empty()) {
    const std::size_t end = body.find('\n');
    const std::string_view text = trim(body.substr(0, end));
    body.remove_prefix(end == std::string_view::npos ? body.size() : end + 1);
    ++line;
    if (text.empty()) continue;
    if (!add_record(text, fmt::format("line {}", line), out, outcome)) return 400;
  }
  return 0;
}

bool PushIngest::add_record(std::string_view text, const std::string& where, std::vector<Pending>& out,
                            PushOutcome& outcome) const {
  if (auto error = json_syntax_error(text)) {
    outcome.error = fmt::format("{}: not valid JSON: {}", where, *error);
    return false;
  }
  if (event::classify_value(text) != event::ValueKind::kRecord) {
    outcome.error = fmt::format("{}: not a CloudTrail record (an object with eventVersion, eventName or eventSource)",
                                where);
    return false;
  }
  Pending pending;
  const auto account = string_member(text, "recipientAccountId");
  const auto region = string_member(text, "awsRegion");
  pending.stream = fmt::format("{}_CloudTrail_{}", account.value_or(options_.account_id),
                               region.value_or(options_.region));
  const auto time = string_member(text, "eventTime");
  const auto seconds = time ? core::parse_iso8601(*time) : std::nullopt;
  pending.timestamp_ms = seconds ? *seconds * 1000 : clock_.now_ms();
  pending.message.assign(text);
  out.push_back(std::move(pending));
  ++outcome.records;
  return true;
}

core::Result<void, std::string> PushIngest::store(std::vector<Pending>& records, PushOutcome& outcome,
                                                  const std::string& request_source, std::uint64_t body_hash) {
  // Batches PutLogEvents accepts (log_batches.h); an event over 256 KB cannot be stored and is
  // refused as the API refuses it (the folder feed does the same). The plan depends only on the
  // records, so every attempt of one body makes the same batches.
  sort_for_batches(records);
  std::vector<char> oversized;
  const std::vector<LogBatch> batches = plan_log_batches(records, oversized);
  std::lock_guard<std::mutex> guard(lock_);
  RequestProgress progress{0, batches.size(), body_hash, clock_.now_ms()};
  if (!request_source.empty()) {
    forget_old_request_ids();
    auto known = logs_.checkpoint(request_source);
    if (!known) return core::unexpected(fmt::format("reading {}: {}", request_source, known.error().message));
    // The same id with another body (a sender reusing ids) is stored as a new request.
    if (*known) {
      if (const auto earlier = decode_progress(**known);
          earlier && earlier->total == batches.size() && earlier->hash == body_hash) {
        progress = *earlier;
      }
    }
  }
  if (progress.done == 0) {
    outcome.refused += static_cast<std::uint64_t>(std::count(oversized.begin(), oversized.end(), 1));
  }
  for (std::size_t k = 0; k < progress.done; ++k) outcome.repeated += batches[k].end - batches[k].begin;
  for (std::size_t k = progress.done; k < batches.size(); ++k) {
    const LogBatch& batch = batches[k];
    const std::string& stream = records[batch.begin].stream;
    if (std::find(streams_.begin(), streams_.end(), stream) == streams_.end()) {
      auto created = logs_.create_log_stream(options_.log_group_name, stream);
      if (!created && created.error().code != "ResourceAlreadyExistsException") {
        return core::unexpected(fmt::format("creating the log stream {}/{}: {}: {}", options_.log_group_name, stream,
                                            created.error().code, created.error().message));
      }
      streams_.push_back(stream);
    }
    PutLogEventsRequest request;
    request.log_group_name = options_.log_group_name;
    request.log_stream_name = stream;
    request.log_events.reserve(batch.end - batch.begin);
    for (std::size_t i = batch.begin; i < batch.end; ++i) {
      request.log_events.push_back(InputLogEvent{records[i].timestamp_ms, records[i].message});
    }
    std::optional<Checkpoint> checkpoint;
    if (!request_source.empty()) {
      progress.done = k + 1;
      checkpoint = Checkpoint{request_source, encode_progress(progress)};
    }
    auto put = logs_.put_log_events(request, checkpoint);
    if (!put) {
      // A group deleted through the API since: forget the streams, so the next request recreates them.
      streams_.clear();
      return core::unexpected(fmt::format("storing {} events in {}/{}: {}: {}", request.log_events.size(),
                                          options_.log_group_name, stream, put.error().code, put.error().message));
    }
    outcome.stored += put->accepted_events;
    outcome.refused += request.log_events.size() - put->accepted_events;
    outcome.transitions += put->transitions.size();
  }
  return {};
}

void PushIngest::forget_old_request_ids() {
  const std::int64_t now = clock_.now_ms();
  if (now < next_forget_ms_) return;
  next_forget_ms_ = now + 3600 * 1000;
  const std::int64_t horizon = now - kFirehoseRequestIdMemoryMs;
  // A failure leaves the ids for the next hour: remembering longer loses nothing.
  (void)logs_.forget_checkpoints(fmt::format("firehose:{}:", options_.log_group_name), [&](std::string_view position) {
    const auto progress = decode_progress(position);
    return !progress || progress->first_seen_ms < horizon;
  });
}

}  // namespace sgwatch::engine
