// DeliveryWorker: moves the outbox (store/) through the sinks. Each round takes the due entries
// (at most one per subscription: the oldest pending, so a subscription's deliveries keep their
// order), sends them in parallel without holding the store, and records each outcome: delivered;
// failed for good (dead, with the error); or failed worth retrying, scheduled after the delay the
// retry policy gives for that attempt (dead once the policy is exhausted). An entry whose
// subscription is gone is dead, as SNS drops messages for deleted endpoints. A process killed
// mid-send leaves the entry pending, so it is sent again after restart with the same MessageId
// and bytes (at least once).
// Neighbours: topics (which fills the outbox), sink.h, retry_policy.h; serve runs start().
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/result.h"
#include "notify/retry_policy.h"
#include "notify/sink.h"
#include "store/store.h"

namespace sgwatch::notify {

struct WorkerOptions {
  int batch = 64;             // entries per round (and sends in flight at once)
  double delay_scale = 1.0;   // multiplies every retry delay (tests run SNS's schedules fast)
  std::uint64_t seed = 0;     // jitter randomness; 0: from std::random_device
  // Replaces the per-protocol policies (tests); nullopt: effective_retry_policy().
  std::optional<RetryPolicy> policy;
  // Called after every attempt, outside the store lock (logs, metrics).
  std::function<void(const store::OutboxEntry& entry, const SinkOutcome& outcome)> on_attempt;
};

class DeliveryWorker {
 public:
  // `store_lock` guards `store` for everyone who uses it (the API threads hold it too).
  DeliveryWorker(store::Store& store, std::mutex& store_lock, const core::Clock& clock, const SinkSet& sinks,
                 WorkerOptions options = {});
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  // One round at the clock's time; returns the number of attempts made.
  core::Result<int, std::string> run_once();

  // The background loop: rounds while work is due, else sleeps until the next entry is due (at
  // most a second) or wake() is called.
  void start();
  void wake();
  void stop();

  // The last store error the loop met (empty when the last round was fine).
  std::string last_error() const;

 private:
  struct Job;
  void loop();
  double unit_random();

  store::Store& store_;
  std::mutex& store_lock_;
  const core::Clock& clock_;
  const SinkSet& sinks_;
  WorkerOptions options_;
  std::mt19937_64 random_;
  std::map<std::string, std::int64_t> last_send_ms_;  // per subscription, for maxReceivesPerSecond

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::string last_error_;
  std::thread thread_;
};

}  // namespace sgwatch::notify
