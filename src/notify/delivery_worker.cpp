#include "notify/delivery_worker.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <vector>

#include "notify/delivery.h"

namespace sgwatch::notify {

namespace {

std::string attribute(const std::string& attributes, const char* name) {
  const auto json = nlohmann::json::parse(attributes, nullptr, false);
  if (!json.is_object()) return {};
  const auto it = json.find(name);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

// One entry of a round, with what deciding its outcome needs.
struct DeliveryWorker::Job {
  store::OutboxEntry entry;
  std::optional<RenderedDelivery> delivery;
  RetryPolicy policy;
  SinkOutcome outcome;
  bool sent = false;
};

DeliveryWorker::DeliveryWorker(store::Store& store, std::mutex& store_lock, const core::Clock& clock,
                               const SinkSet& sinks, WorkerOptions options)
    : store_(store),
      store_lock_(store_lock),
      clock_(clock),
      sinks_(sinks),
      options_(std::move(options)),
      random_(options_.seed != 0 ? options_.seed : std::random_device{}()) {}

DeliveryWorker::~DeliveryWorker() { stop(); }

double DeliveryWorker::unit_random() { return std::uniform_real_distribution<double>(0.0, 1.0)(random_); }

core::Result<int, std::string> DeliveryWorker::run_once() {
  const std::int64_t now = clock_.now_ms();
  std::vector<Job> jobs;
  {
    std::lock_guard lock(store_lock_);
    auto due = store_.due_deliveries(now, options_.batch);
    if (!due) return core::unexpected(due.error());
    if (due->empty()) return 0;
    auto topics = store_.topics();
    if (!topics) return core::unexpected(topics.error());
    auto subscriptions = store_.subscriptions();
    if (!subscriptions) return core::unexpected(subscriptions.error());
    auto unsubscribed = store_.unsubscribed();
    if (!unsubscribed) return core::unexpected(unsubscribed.error());
    std::map<std::string, const store::SubscriptionRecord*> by_arn;
    for (const auto& s : *unsubscribed) by_arn[s.arn] = &s;
    for (const auto& s : *subscriptions) by_arn[s.arn] = &s;
    std::map<std::string, std::string> topic_policy;
    for (const auto& t : *topics) topic_policy[t.arn] = attribute(t.attributes, "DeliveryPolicy");

    for (auto& entry : *due) {
      Job job;
      job.entry = std::move(entry);
      const auto found = by_arn.find(job.entry.subscription_arn);
      if (found == by_arn.end()) {
        job.outcome = SinkOutcome::failed("the subscription no longer exists");
        jobs.push_back(std::move(job));
        continue;
      }
      const auto& subscription = *found->second;
      const std::string& tpolicy = topic_policy[subscription.topic_arn];
      const std::string spolicy = attribute(subscription.attributes, "DeliveryPolicy");
      job.policy = options_.policy ? *options_.policy
                                   : effective_retry_policy(subscription.protocol, tpolicy, spolicy)
                                         .scaled(options_.delay_scale);
      if (const auto rate = effective_max_receives_per_second(subscription.protocol, tpolicy, spolicy)) {
        const std::int64_t interval = 1000 / *rate;
        const auto last = last_send_ms_.find(subscription.arn);
        if (last != last_send_ms_.end() && now - last->second < interval) {
          // Throttled: not an attempt; due again when the subscription may receive.
          job.entry.next_attempt_ms = last->second + interval;
          auto ok = store_.update_delivery(job.entry);
          if (!ok) return core::unexpected(ok.error());
          continue;
        }
        last_send_ms_[subscription.arn] = now;
      }
      auto decoded = decode_delivery(job.entry.payload);
      if (!decoded) {
        job.outcome = SinkOutcome::failed(decoded.error().message);
      } else if (sinks_.find(decoded->kind) == nullptr) {
        job.outcome = SinkOutcome::failed(
            fmt::format("no {} sink is configured (see docs/notifications.md)", delivery_kind_name(decoded->kind)));
      } else {
        job.delivery = std::move(*decoded);
      }
      jobs.push_back(std::move(job));
    }
  }

  // Send without the store lock, in parallel: one slow endpoint does not hold up the others.
  std::vector<std::future<SinkOutcome>> sends(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (!jobs[i].delivery) continue;
    Sink* sink = sinks_.find(jobs[i].delivery->kind);
    const RenderedDelivery* delivery = &*jobs[i].delivery;
    sends[i] = std::async(std::launch::async, [sink, delivery] { return sink->send(*delivery); });
  }
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (!sends[i].valid()) continue;
    jobs[i].outcome = sends[i].get();
    jobs[i].sent = true;
  }

  const std::int64_t done = clock_.now_ms();
  int attempts = 0;
  {
    std::lock_guard lock(store_lock_);
    auto ok = store_.begin();
    if (!ok) return core::unexpected(ok.error());
    for (auto& job : jobs) {
      auto& e = job.entry;
      e.attempts += 1;
      ++attempts;
      switch (job.outcome.status) {
        case SinkStatus::kDelivered:
          e.state = store::DeliveryState::kDelivered;
          e.finished_ms = done;
          e.last_error.clear();
          break;
        case SinkStatus::kFailed:
          e.state = store::DeliveryState::kDead;
          e.finished_ms = done;
          e.last_error = job.outcome.error;
          break;
        case SinkStatus::kRetry: {
          const auto delay = job.policy.delay_before_retry(e.attempts, unit_random());
          if (!delay) {
            e.state = store::DeliveryState::kDead;
            e.finished_ms = done;
            e.last_error = fmt::format("gave up after {} attempts: {}", e.attempts, job.outcome.error);
          } else {
            e.next_attempt_ms = done + *delay;
            e.last_error = job.outcome.error;
          }
          break;
        }
      }
      ok = store_.update_delivery(e);
      if (!ok) {
        store_.rollback();
        return core::unexpected(ok.error());
      }
    }
    ok = store_.commit();
    if (!ok) return core::unexpected(ok.error());
  }
  if (options_.on_attempt) {
    for (const auto& job : jobs) options_.on_attempt(job.entry, job.outcome);
  }
  return attempts;
}

void DeliveryWorker::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void DeliveryWorker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void DeliveryWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string DeliveryWorker::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

void DeliveryWorker::loop() {
  constexpr std::int64_t kMaxSleepMs = 1000;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      woken_ = false;
    }
    auto round = run_once();
    std::int64_t sleep_ms = kMaxSleepMs;
    {
      std::lock_guard lock(mutex_);
      last_error_ = round ? std::string() : round.error();
    }
    if (round && *round > 0) continue;  // more may be due at once (the next of each subscription)
    if (round) {
      std::lock_guard lock(store_lock_);
      auto next = store_.next_delivery_ms();
      if (next && *next) sleep_ms = std::clamp<std::int64_t>(**next - clock_.now_ms(), 0, kMaxSleepMs);
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(sleep_ms), [this] { return stopping_ || woken_; });
  }
}

}  // namespace sgwatch::notify
