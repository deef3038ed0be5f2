// DeliveryWorker over a real state store with a scripted sink: outcomes recorded, retries on the
// policy's schedule, order kept per subscription, dead letters with the last error, deleted
// subscriptions, missing sinks, throttling, and the background loop.
#include "notify/delivery_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <thread>

#include "notify/delivery.h"
#include "notify/topics.h"
#include "support/temp_dir.h"

namespace sgwatch::notify {
namespace {

using testing::TempDir;
constexpr std::int64_t kT0 = 1'700'000'000'000;  // in the past: the loop test runs on the system clock
constexpr const char* kTopic = "arn:aws:sns:us-east-1:123456789012:t";

// Answers from a script (then `fallback`), and remembers what it was asked to send.
class ScriptedSink final : public Sink {
 public:
  SinkOutcome send(const RenderedDelivery& delivery) override {
    std::lock_guard lock(mutex_);
    sent.push_back(delivery.line);
    if (script.empty()) return fallback;
    auto outcome = script.front();
    script.pop_front();
    return outcome;
  }
  std::mutex mutex_;
  std::deque<SinkOutcome> script;
  SinkOutcome fallback = SinkOutcome::delivered();
  std::vector<std::string> sent;
};

struct Fixture {
  TempDir dir;
  core::ManualClock clock{kT0};
  std::mutex lock;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<TopicService> topics;
  SinkSet sinks;
  ScriptedSink* sink = nullptr;
  std::string subscription;

  Fixture() {
    store = std::move(*store::Store::open(dir.path()));
    auto identity = load_or_create_signing_identity(dir.path().string(), kT0 / 1000);
    topics = std::make_unique<TopicService>(*store, clock, TopicsOptions{}, std::move(*identity));
    auto owned = std::make_unique<ScriptedSink>();
    sink = owned.get();
    sinks.set(DeliveryKind::kStdout, std::move(owned));
    EXPECT_TRUE(topics->create_topic("t", {}, {}));
    subscription = topics->subscribe(kTopic, "stdout", "-", {}, false)->subscription_arn;
  }
  std::string publish(const std::string& message) { return *topics->publish(kTopic, message, std::nullopt, ""); }
  std::vector<store::OutboxEntry> entries() {
    auto all = *store->deliveries(std::nullopt, 1000);
    std::reverse(all.begin(), all.end());
    return all;
  }
  WorkerOptions options() {
    WorkerOptions o;
    o.seed = 7;
    o.policy = RetryPolicy({RetryPhase{3, 1000, 1000, Backoff::kLinear}}, 0.0);
    return o;
  }
};

TEST(DeliveryWorker, DeliversAndRecords) {
  Fixture f;
  const std::string id = f.publish("one");
  DeliveryWorker worker(*f.store, f.lock, f.clock, f.sinks, f.options());
  EXPECT_EQ(*worker.run_once(), 1);
  EXPECT_EQ(*worker.run_once(), 0);
  const auto e = f.entries();
  ASSERT_EQ(e.size(), 1U);
  EXPECT_EQ(e[0].state, store::DeliveryState::kDelivered);
  EXPECT_EQ(e[0].attempts, 1);
  EXPECT_EQ(e[0].message_id, id);
  ASSERT_EQ(f.sink->sent.size(), 1U);
  EXPECT_NE(f.sink->sent[0].find("\"Message\":\"one\""), std::string::npos);
}

TEST(DeliveryWorker, RetriesOnScheduleThenDelivers) {
  Fixture f;
  f.publish("one");
  f.sink->script = {SinkOutcome::retry("HTTP 503"), SinkOutcome::retry("HTTP 503")};
  DeliveryWorker worker(*f.store, f.lock, f.clock, f.sinks, f.options());
  EXPECT_EQ(*worker.run_once(), 1);
  auto e = f.entries()[0];
  EXPECT_EQ(e.state, store::DeliveryState::kPending);
  EXPECT_EQ(e.next_attempt_ms, kT0 + 1000);
  EXPECT_EQ(e.last_error, "HTTP 503");
  EXPECT_EQ(*worker.run_once(), 0);  // not due yet
  f.clock.set(kT0 + 1000);
  EXPECT_EQ(*worker.run_once(), 1);
  f.clock.set(kT0 + 2000);
  EXPECT_EQ(*worker.run_once(), 1);
  e = f.entries()[0];
  EXPECT_EQ(e.state, store::DeliveryState::kDelivered);
  EXPECT_EQ(e.attempts, 3);
  EXPECT_EQ(f.sink->sent.size(), 3U);
  EXPECT_EQ(f.sink->sent[0], f.sink->sent[2]);  // the same bytes on every attempt
}

TEST(DeliveryWorker, GivesUpAfterThePolicyAndKeepsTheLastError) {
  Fixture f;
  f.publish("one");
  f.sink->fallback = SinkOutcome::retry("connection refused");
  DeliveryWorker worker(*f.store, f.lock, f.clock, f.sinks, f.options());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(*worker.run_once(), 1);
    f.clock.advance(1000);
  }
  const auto e = f.entries()[0];
  EXPECT_EQ(e.state, store::DeliveryState::kDead);
  EXPECT_EQ(e.attempts, 4);
  EXPECT_EQ(e.last_error, "gave up after 4 attempts: connection refused");
  EXPECT_EQ(*worker.run_once(), 0);
}

TEST(DeliveryWorker, PermanentFailureIsDeadAtOnce) {
  Fixture f;
  f.publish("one");
  f.sink->script = {SinkOutcome::failed("HTTP 404")};
  DeliveryWorker worker(*f.store, f.lock, f.clock, f.sinks, f.options());
  EXPECT_EQ(*worker.run_once(), 1);
  EXPECT_EQ(f.entries()[0].state, store::DeliveryState::kDead);
  EXPECT_EQ(f.entries()[0].last_error, "HTTP 404");
}

TEST(DeliveryWorker, KeepsOrderPerSubscription) {
  Fixture f;
  f.publish("first");
  f.publish("second");
  f.sink->script = {SinkOutcome::retry("down")};
  DeliveryWorker worker(*f.store, f.lock, f.clock, f.sinks, f.options());
  EXPECT_EQ(*worker.run_once(), 1);  // only the head: "first" fails
  EXPECT_EQ(*worker.run_once(), 0);  // "second" waits behind it
  f.clock.advance(1000);
  EXPECT_EQ(*worker.run_once(), 1);
  EXPECT_EQ(*worker.run_once(), 1);
  ASSERT_EQ(f.sink->sent.size(), 3U);
  EXPECT_NE(f.sink->sent[1].find("first"), std::string::npos);
  EXPECT_NE(f.sink->sent[2].find("second"), std::string::npos);
}

TEST(DeliveryWorker, DeletedSubscriptionAndMissingSinkAreDead) {
  Fixture f;
  f.publish("one");
  ASSERT_TRUE(f.topics->unsubscribe(f.subscription));
  ASSERT_TRUE(f.topics->subscribe(kTopic, "sms", "+15555550100", {}, false));
  f.publish("two");
  DeliveryWorker worker(*f.store, f.lock, f.clock, f.sinks, f.options());
  EXPECT_EQ(*worker.run_once(), 2);
  const auto e = f.entries();
  ASSERT_EQ(e.size(), 2U);
  EXPECT_EQ(e[0].state, store::DeliveryState::kDead);
  EXPECT_EQ(e[0].last_error, "the subscription no longer exists");
  EXPECT_EQ(e[1].state, store::DeliveryState::kDead);
  EXPECT_NE(e[1].last_error.find("no sms sink is configured"), std::string::npos);
  EXPECT_TRUE(f.sink->sent.empty());
}

TEST(DeliveryWorker, SurvivesRestartWithTheSameMessageId) {
  Fixture f;
  const std::string id = f.publish("one");
  // A process that recorded the entry and died before sending: a new worker (and store) sends it.
  f.topics.reset();
  f.store.reset();
  f.store = std::move(*store::Store::open(f.dir.path()));
  DeliveryWorker worker(*f.store, f.lock, f.clock, f.sinks, f.options());
  EXPECT_EQ(*worker.run_once(), 1);
  EXPECT_EQ(f.entries()[0].message_id, id);
  EXPECT_NE(f.sink->sent[0].find(id), std::string::npos);
}

TEST(DeliveryWorker, BackgroundLoopDeliversWhatIsDue) {
  Fixture f;
  core::SystemClock clock;
  for (int i = 0; i < 5; ++i) f.publish("m" + std::to_string(i));
  DeliveryWorker worker(*f.store, f.lock, clock, f.sinks, f.options());
  worker.start();
  for (int i = 0; i < 200; ++i) {
    {
      std::lock_guard lock(f.lock);
      auto pending = f.store->deliveries(store::DeliveryState::kPending, 10);
      if (pending->empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  worker.stop();
  std::lock_guard lock(f.lock);
  EXPECT_EQ(f.store->deliveries(store::DeliveryState::kDelivered, 10)->size(), 5U);
  EXPECT_EQ(worker.last_error(), "");
}

}  // namespace
}  // namespace sgwatch::notify
