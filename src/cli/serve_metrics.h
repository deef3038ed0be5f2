// What `sgwatch serve` reports on GET /metrics (Prometheus text format): API requests by service,
// operation and status; events and bytes taken in per log group, the age of the newest event
// (source lag) and matches per metric filter; alarm states; notification attempts by protocol and
// result; per CloudTrail folder feed, records read, stored and refused, problems and the time
// of the last poll; per push endpoint, requests, rejections and records stored, refused, ignored;
// the listener's load (requests refused with 503 by reason, connections waiting, request bodies
// held). Counters are fed by the server's hooks (thread-safe); render() reads the engines, so
// callers hold the API lock around it. docs/operations.md lists every metric.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "api/api.h"
#include "engine/engine.h"
#include "notify/notify.h"
#include "store/store.h"

namespace sgwatch::cli {

class ServeMetrics {
 public:
  explicit ServeMetrics(std::int64_t start_ms) : start_ms_(start_ms) {}

  // The dispatcher's observer: one call per API request.
  void on_request(const api::RequestRecord& record);
  // The delivery worker's hook: one call per delivery attempt.
  void on_attempt(const store::OutboxEntry& entry, const notify::SinkOutcome& outcome);

  struct Feed {
    std::string log_group;
    std::string folder;
    std::atomic<std::uint64_t> polls{0};
    std::atomic<std::uint64_t> failed_polls{0};
    std::atomic<std::uint64_t> files{0};
    std::atomic<std::uint64_t> records{0};
    std::atomic<std::uint64_t> stored{0};
    std::atomic<std::uint64_t> refused{0};
    std::atomic<std::uint64_t> problems{0};
    std::atomic<std::int64_t> last_success_ms{0};
  };
  // Registers a folder feed (before the threads start); the reference stays valid.
  Feed& add_feed(const std::string& log_group, const std::string& folder);
  // After each poll of `feed`: its report, or nullptr when the poll failed.
  static void on_poll(Feed& feed, const engine::FeedReport* report, std::int64_t now_ms);

  // A push endpoint's counters (engine/push_ingest.h), for render().
  struct Push {
    std::string log_group;
    std::string path;
    std::string format;
    engine::PushStats stats;
  };

  // The exposition at `now_ms`.
  std::string render(const engine::LogsTelemetry& logs, const std::vector<store::AlarmRecord>& alarms,
                     const std::vector<Push>& pushes, const api::ApiServer::Load& load, std::int64_t now_ms) const;

 private:
  std::int64_t start_ms_;
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;  // service, operation, status
  std::map<std::pair<std::string, std::string>, std::uint64_t> attempts_;       // protocol, result
  std::vector<std::unique_ptr<Feed>> feeds_;
};

}  // namespace sgwatch::cli
