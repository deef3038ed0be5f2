// When a failed delivery is tried again (../shared/spec/notifications.md section 8): SNS's retry
// policies as phases of retries (no delay, minimum delay, backoff, maximum delay), the defaults per
// protocol, and the HTTP/S DeliveryPolicy JSON a topic or subscription may set, with its
// validation. Delays get a jitter from a caller-supplied random number, so schedules are testable
// and "endpoint down, then up" tests can scale every delay down. Pure: no clock, no store.
// Neighbours: delivery_worker (which applies it), topics (which stores the DeliveryPolicy).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "notify/error.h"

namespace sgwatch::notify {

// How the delays of a backoff phase grow from its minimum to its maximum (spec 8: the curves are
// UNCLEAR; sgwatch's choice, with t running 0..1 over the phase's retries):
//   linear       min + (max - min) * t
//   arithmetic   min + (max - min) * t^2
//   geometric    min * (max / min)^t
//   exponential  min + (max - min) * (2^(10 t) - 1) / (2^10 - 1)
enum class Backoff { kLinear, kArithmetic, kGeometric, kExponential };
std::string_view backoff_name(Backoff backoff);  // "linear", "arithmetic", ...
std::optional<Backoff> parse_backoff(std::string_view name);

struct RetryPhase {
  int retries = 0;
  std::int64_t min_delay_ms = 0;  // the delay before the phase's first retry
  std::int64_t max_delay_ms = 0;  // ... and before its last (equal to min for a flat phase)
  Backoff backoff = Backoff::kLinear;
};

class RetryPolicy {
 public:
  RetryPolicy() = default;
  explicit RetryPolicy(std::vector<RetryPhase> phases, double jitter = 0.1)
      : phases_(std::move(phases)), jitter_(jitter) {}

  // SNS's defaults (spec 8).
  // HTTP/S: 3 retries 20 s apart (4 attempts).
  static RetryPolicy http_default();
  // Customer-managed endpoints (email, SMS, and sgwatch's Slack, file and SNS forwarding):
  // 2 retries 10 s apart, 10 exponential from 10 s to 600 s, 38 at 600 s (50 attempts, ~6 h).
  static RetryPolicy customer_managed();
  // The default for a subscription protocol: http_default() for http and https,
  // customer_managed() for every other protocol.
  static RetryPolicy for_protocol(std::string_view protocol);

  // Retries after the first attempt.
  int retries() const;
  // The delay before retry number `retry` (1 = the first retry), with jitter: `unit_random` in
  // [0, 1) moves it by up to ±jitter of itself. nullopt when the policy has no such retry.
  std::optional<std::int64_t> delay_before_retry(int retry, double unit_random) const;

  // Every delay multiplied by `factor` (tests run SNS's schedules in milliseconds).
  RetryPolicy scaled(double factor) const;

  const std::vector<RetryPhase>& phases() const { return phases_; }
  double jitter() const { return jitter_; }

 private:
  std::vector<RetryPhase> phases_;
  double jitter_ = 0.1;
};

// An HTTP/S delivery policy: healthyRetryPolicy and throttlePolicy.
struct HttpDeliveryPolicy {
  int min_delay_target = 20;  // seconds
  int max_delay_target = 20;
  int num_retries = 3;
  int num_no_delay_retries = 0;
  int num_min_delay_retries = 0;
  int num_max_delay_retries = 0;
  Backoff backoff = Backoff::kLinear;
  std::optional<int> max_receives_per_second;  // throttlePolicy

  // Phases in order: no delay, minimum delay, backoff (the rest of num_retries), maximum delay.
  RetryPolicy retry_policy() const;
};

// A subscription's DeliveryPolicy attribute: {"healthyRetryPolicy": {...}, "throttlePolicy":
// {"maxReceivesPerSecond": N}}. InvalidParameter with the offending member for values out of
// range: minDelayTarget 1..maxDelayTarget, maxDelayTarget ..3600, numRetries 0..100, the other
// counts >= 0 and not more than numRetries together, a total retry time over 3,600 s, an unknown
// backoffFunction, maxReceivesPerSecond < 1.
core::Result<HttpDeliveryPolicy, Error> parse_subscription_delivery_policy(std::string_view json);

// A topic's DeliveryPolicy attribute: {"http": {"defaultHealthyRetryPolicy": {...},
// "disableSubscriptionOverrides": bool, "defaultThrottlePolicy": {...}}}.
struct TopicDeliveryPolicy {
  std::optional<HttpDeliveryPolicy> http;
  bool disable_subscription_overrides = false;
};
core::Result<TopicDeliveryPolicy, Error> parse_topic_delivery_policy(std::string_view json);

// The policy for one delivery: for http/https the subscription's DeliveryPolicy (unless the
// topic disables overrides), else the topic's, else http_default(); for other protocols
// for_protocol(). Policies that do not parse count as absent (they were validated when set).
RetryPolicy effective_retry_policy(std::string_view protocol, std::string_view topic_delivery_policy,
                                   std::string_view subscription_delivery_policy);

// maxReceivesPerSecond of the effective HTTP/S policy, when one is set.
std::optional<int> effective_max_receives_per_second(std::string_view protocol,
                                                     std::string_view topic_delivery_policy,
                                                     std::string_view subscription_delivery_policy);

}  // namespace sgwatch::notify
