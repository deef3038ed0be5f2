// PushIngest: an HTTP push endpoint of a log group (`sgwatch serve`'s `/ingest/...` routes). One
// request body in one of three formats — an EventBridge event (API destinations), an Amazon Data
// Firehose HTTP endpoint delivery batch, or JSON lines — is read with src/event's readers into
// CloudTrail records; each record becomes one log event of the stream
// "<recipientAccountId>_CloudTrail_<awsRegion>" stamped with its eventTime, exactly as the
// CloudTrail folder feed does it, and goes through LogsEngine::put_log_events under the server's
// lock, so metric filters, alarms and notifications follow. The answer is built only after the
// events are committed: a 2xx means stored. Bad input is refused whole (400, nothing stored).
// Firehose retries a request under the same X-Amz-Firehose-Request-Id until it is answered 200;
// each PutLogEvents batch of a request commits "firehose:<group>:<id>" with the batches done in
// its own transaction, so a retry stores only what no earlier attempt stored (exactly once, also
// across a kill). A request id is remembered for kFirehoseRequestIdMemoryMs.
// Neighbours: engine/cloudtrail_feed.h (the same stream naming and batching), cli/serve.cpp
// (routes and config), docs/cli.md (`serve`, push endpoints).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/http_request.h"
#include "aws/wire_response.h"
#include "core/clock.h"
#include "engine/logs_engine.h"

namespace sgwatch::engine {

enum class PushFormat {
  kEventBridge,  // one EventBridge event per request (API destination); its `detail` is the record
  kFirehose,     // {"requestId", "timestamp", "records": [{"data": base64}]}, Firehose's answers
  kJsonLines,    // each non-empty line one CloudTrail record
};
std::string_view push_format_name(PushFormat format);
std::optional<PushFormat> parse_push_format(std::string_view name);

inline constexpr std::size_t kMaxEventBridgeBodyBytes = std::size_t{256} << 10;  // EventBridge's event limit
inline constexpr std::size_t kMaxFirehoseBodyBytes = std::size_t{64} << 20;      // Firehose's largest buffer
inline constexpr std::size_t kMaxJsonLinesBodyBytes = std::size_t{64} << 20;
// The Firehose header that carries the configured access key, and the request id header.
inline constexpr std::string_view kFirehoseAccessKeyHeader = "X-Amz-Firehose-Access-Key";
inline constexpr std::string_view kFirehoseRequestIdHeader = "X-Amz-Firehose-Request-Id";
// How long a Firehose request id is remembered: Firehose retries for at most 2 hours (its
// RetryOptions.DurationInSeconds, 0-7200), plus up to 3 minutes per attempt.
inline constexpr std::int64_t kFirehoseRequestIdMemoryMs = 24LL * 3600 * 1000;

struct PushIngestOptions {
  std::string log_group_name;
  PushFormat format = PushFormat::kJsonLines;
  // The header holding the key (EventBridge and JSON lines; Firehose always uses
  // X-Amz-Firehose-Access-Key). Compared with `api_key` in constant time; must not be empty.
  std::string api_key_header = "x-api-key";
  std::string api_key;
  // For records that do not name their account or region (recipientAccountId, awsRegion).
  std::string account_id = "123456789012";
  std::string region = "us-east-1";
  // Larger bodies are answered 413; 0: the format's limit (kMax...BodyBytes).
  std::size_t max_body_bytes = 0;
  // Called (without the lock) after a request whose events were stored.
  std::function<void()> on_stored;
};

// What one request did (also folded into PushIngest::stats()).
struct PushOutcome {
  int status = 200;
  std::uint64_t records = 0;   // CloudTrail records the body held
  std::uint64_t stored = 0;    // log events accepted by the group
  std::uint64_t refused = 0;   // refused as PutLogEvents refuses them (age, future, > 256 KB)
  std::uint64_t ignored = 0;   // values that hold no CloudTrail record (e.g. other EventBridge events)
  std::uint64_t repeated = 0;  // Firehose: records an earlier attempt of the request already stored
  std::uint64_t transitions = 0;
  std::string error;           // the reason of a non-2xx answer
  std::string request_id;      // Firehose: the request id the answer repeats
};

struct PushStats {
  std::uint64_t requests = 0;
  std::uint64_t rejected = 0;  // non-2xx answers
  std::uint64_t records = 0;
  std::uint64_t stored = 0;
  std::uint64_t refused = 0;
  std::uint64_t ignored = 0;
  std::uint64_t repeated = 0;
};

class PushIngest {
 public:
  // `lock` guards `logs` (the server's API mutex); handle() holds it only while it stores.
  PushIngest(LogsEngine& logs, std::mutex& lock, const core::Clock& clock, PushIngestOptions options);

  // Creates the log group when it does not exist. Errors: the group name is invalid.
  LogsResult<void> prepare();

  // Answers one request (any thread). `outcome`, when given, receives what it did.
  aws::HttpResponse handle(const aws::HttpRequest& request, PushOutcome* outcome = nullptr);

  const PushIngestOptions& options() const { return options_; }
  std::size_t max_body_bytes() const;
  PushStats stats() const;

 private:
  struct Pending {
    std::string stream;
    std::int64_t timestamp_ms = 0;
    std::string message;
  };
  // Body -> records (all of them, or an error naming what and where). Returns the HTTP status of
  // a failure, 0 on success.
  int collect(const aws::HttpRequest& request, std::vector<Pending>& out, PushOutcome& outcome) const;
  int collect_eventbridge(std::string_view body, std::vector<Pending>& out, PushOutcome& outcome) const;
  int collect_firehose(std::string_view body, std::vector<Pending>& out, PushOutcome& outcome) const;
  int collect_json_lines(std::string_view body, std::vector<Pending>& out, PushOutcome& outcome) const;
  // Checks one record and appends it; a failure sets outcome.error ("<where>: <why>").
  bool add_record(std::string_view text, const std::string& where, std::vector<Pending>& out,
                  PushOutcome& outcome) const;
  // Stores the records in PutLogEvents batches under the lock; with a `request_source` (a
  // Firehose request id's checkpoint), skips the batches an earlier attempt of the same body
  // (`body_hash`) stored. Errors: a store failure.
  core::Result<void, std::string> store(std::vector<Pending>& records, PushOutcome& outcome,
                                        const std::string& request_source, std::uint64_t body_hash);
  // Forgets request ids older than kFirehoseRequestIdMemoryMs, at most once an hour (under the lock).
  void forget_old_request_ids();
  bool authorized(const aws::HttpRequest& request) const;
  aws::HttpResponse answer(const PushOutcome& outcome) const;

  LogsEngine& logs_;
  std::mutex& lock_;
  const core::Clock& clock_;
  PushIngestOptions options_;
  std::vector<std::string> streams_;  // streams known to exist (guarded by lock_)
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<std::uint64_t> records_{0};
  std::atomic<std::uint64_t> stored_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::atomic<std::uint64_t> ignored_{0};
  std::atomic<std::uint64_t> repeated_{0};
  std::int64_t next_forget_ms_ = 0;  // guarded by lock_
};

// Equal strings in time that depends only on their lengths (API keys).
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace sgwatch::engine
