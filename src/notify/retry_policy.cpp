#include "notify/retry_policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>

#include "notify/json_text.h"

namespace sgwatch::notify {

namespace {

constexpr std::array<std::pair<Backoff, std::string_view>, 4> kBackoffs{{
    {Backoff::kLinear, "linear"},
    {Backoff::kArithmetic, "arithmetic"},
    {Backoff::kGeometric, "geometric"},
    {Backoff::kExponential, "exponential"},
}};

constexpr int kMaxTotalRetrySeconds = 3600;

Error invalid(std::string message) { return Error{"InvalidParameter", std::move(message)}; }

// The delay (ms) at position t in [0, 1] of a phase.
double curve(const RetryPhase& phase, double t) {
  const auto lo = static_cast<double>(phase.min_delay_ms);
  const auto hi = static_cast<double>(phase.max_delay_ms);
  switch (phase.backoff) {
    case Backoff::kLinear:
      return lo + (hi - lo) * t;
    case Backoff::kArithmetic:
      return lo + (hi - lo) * t * t;
    case Backoff::kGeometric:
      if (lo <= 0) return lo + (hi - lo) * t;
      return lo * std::pow(hi / lo, t);
    case Backoff::kExponential:
      return lo + (hi - lo) * (std::exp2(10.0 * t) - 1.0) / (std::exp2(10.0) - 1.0);
  }
  return lo;
}

// Reads an integer member in [lo, hi]; absent members keep `out`.
core::Result<void, Error> read_int(const nlohmann::json& object, const char* name, int lo, int hi, int& out,
                                   std::string_view where) {
  const auto it = object.find(name);
  if (it == object.end()) return {};
  if (!it->is_number_integer()) {
    return core::unexpected(invalid(fmt::format("Invalid parameter: DeliveryPolicy: {}.{} must be an integer", where, name)));
  }
  const auto value = it->get<std::int64_t>();
  if (value < lo || value > hi) {
    return core::unexpected(
        invalid(fmt::format("Invalid parameter: DeliveryPolicy: {}.{} must be between {} and {}", where, name, lo, hi)));
  }
  out = static_cast<int>(value);
  return {};
}

core::Result<nlohmann::json, Error> parse_object(std::string_view text) {
  const auto depth = json_depth(text);
  if (!depth || *depth > 8) return core::unexpected(invalid("Invalid parameter: DeliveryPolicy: not valid JSON"));
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return core::unexpected(invalid("Invalid parameter: DeliveryPolicy: not a JSON object"));
  }
  return json;
}

// healthyRetryPolicy (or a topic's defaultHealthyRetryPolicy) and a throttle policy.
core::Result<HttpDeliveryPolicy, Error> read_http_policy(const nlohmann::json* retry, const nlohmann::json* throttle,
                                                        std::string_view retry_name) {
  HttpDeliveryPolicy policy;
  if (retry != nullptr) {
    if (!retry->is_object()) {
      return core::unexpected(invalid(fmt::format("Invalid parameter: DeliveryPolicy: {} must be an object", retry_name)));
    }
    // maxDelayTarget first: minDelayTarget's range depends on it.
    auto ok = read_int(*retry, "maxDelayTarget", 1, kMaxTotalRetrySeconds, policy.max_delay_target, retry_name);
    if (!ok) return core::unexpected(ok.error());
    if (retry->find("minDelayTarget") != retry->end()) {
      ok = read_int(*retry, "minDelayTarget", 1, policy.max_delay_target, policy.min_delay_target, retry_name);
      if (!ok) return core::unexpected(ok.error());
    } else {
      policy.min_delay_target = std::min(policy.min_delay_target, policy.max_delay_target);
    }
    if (retry->find("maxDelayTarget") == retry->end()) {
      policy.max_delay_target = std::max(policy.max_delay_target, policy.min_delay_target);
    }
    for (const auto& [name, field] : {std::pair{"numRetries", &policy.num_retries},
                                      std::pair{"numNoDelayRetries", &policy.num_no_delay_retries},
                                      std::pair{"numMinDelayRetries", &policy.num_min_delay_retries},
                                      std::pair{"numMaxDelayRetries", &policy.num_max_delay_retries}}) {
      ok = read_int(*retry, name, 0, 100, *field, retry_name);
      if (!ok) return core::unexpected(ok.error());
    }
    if (const auto it = retry->find("backoffFunction"); it != retry->end()) {
      const auto backoff = it->is_string() ? parse_backoff(it->get<std::string>()) : std::nullopt;
      if (!backoff) {
        return core::unexpected(invalid(fmt::format(
            "Invalid parameter: DeliveryPolicy: {}.backoffFunction must be linear, arithmetic, geometric or exponential",
            retry_name)));
      }
      policy.backoff = *backoff;
    }
    if (policy.num_no_delay_retries + policy.num_min_delay_retries + policy.num_max_delay_retries >
        policy.num_retries) {
      return core::unexpected(invalid(fmt::format(
          "Invalid parameter: DeliveryPolicy: {}: numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries "
          "exceeds numRetries",
          retry_name)));
    }
    // The whole schedule, without jitter, must fit in an hour.
    const auto schedule = policy.retry_policy();
    std::int64_t total_ms = 0;
    for (int r = 1; r <= schedule.retries(); ++r) total_ms += schedule.delay_before_retry(r, 0.5).value_or(0);
    if (total_ms > std::int64_t{kMaxTotalRetrySeconds} * 1000) {
      return core::unexpected(invalid(fmt::format(
          "Invalid parameter: DeliveryPolicy: {}: the retries take {} s, more than the 3600 s allowed", retry_name,
          total_ms / 1000)));
    }
  }
  if (throttle != nullptr) {
    if (!throttle->is_object()) {
      return core::unexpected(invalid("Invalid parameter: DeliveryPolicy: the throttle policy must be an object"));
    }
    if (throttle->find("maxReceivesPerSecond") != throttle->end()) {
      int rate = 1;
      auto ok = read_int(*throttle, "maxReceivesPerSecond", 1, 1'000'000, rate, "throttlePolicy");
      if (!ok) return core::unexpected(ok.error());
      policy.max_receives_per_second = rate;
    }
  }
  return policy;
}

const nlohmann::json* member(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

bool is_http(std::string_view protocol) { return protocol == "http" || protocol == "https"; }

// The HTTP/S policy in force, when any is set.
std::optional<HttpDeliveryPolicy> effective_http_policy(std::string_view topic_policy,
                                                        std::string_view subscription_policy) {
  std::optional<TopicDeliveryPolicy> topic;
  if (!topic_policy.empty()) {
    if (auto parsed = parse_topic_delivery_policy(topic_policy)) topic = std::move(*parsed);
  }
  const bool overrides = !topic || !topic->disable_subscription_overrides;
  if (overrides && !subscription_policy.empty()) {
    if (auto parsed = parse_subscription_delivery_policy(subscription_policy)) return std::move(*parsed);
  }
  if (topic && topic->http) return topic->http;
  return std::nullopt;
}

}  // namespace

std::string_view backoff_name(Backoff backoff) {
  for (const auto& [b, name] : kBackoffs) {
    if (b == backoff) return name;
  }
  return "linear";
}

std::optional<Backoff> parse_backoff(std::string_view name) {
  for (const auto& [backoff, n] : kBackoffs) {
    if (n == name) return backoff;
  }
  return std::nullopt;
}

RetryPolicy RetryPolicy::http_default() { return HttpDeliveryPolicy{}.retry_policy(); }

RetryPolicy RetryPolicy::customer_managed() {
  return RetryPolicy({
      RetryPhase{2, 10'000, 10'000, Backoff::kLinear},
      RetryPhase{10, 10'000, 600'000, Backoff::kExponential},
      RetryPhase{38, 600'000, 600'000, Backoff::kLinear},
  });
}

RetryPolicy RetryPolicy::for_protocol(std::string_view protocol) {
  return is_http(protocol) ? http_default() : customer_managed();
}

int RetryPolicy::retries() const {
  int total = 0;
  for (const auto& phase : phases_) total += phase.retries;
  return total;
}

std::optional<std::int64_t> RetryPolicy::delay_before_retry(int retry, double unit_random) const {
  if (retry < 1) return std::nullopt;
  int index = retry - 1;
  for (const auto& phase : phases_) {
    if (index >= phase.retries) {
      index -= phase.retries;
      continue;
    }
    const double t = phase.retries <= 1 ? 0.0 : static_cast<double>(index) / (phase.retries - 1);
    const double base = curve(phase, t);
    const double u = std::clamp(unit_random, 0.0, 1.0);
    const double jittered = base * (1.0 + jitter_ * (2.0 * u - 1.0));
    return static_cast<std::int64_t>(std::llround(std::max(0.0, jittered)));
  }
  return std::nullopt;
}

RetryPolicy RetryPolicy::scaled(double factor) const {
  std::vector<RetryPhase> phases = phases_;
  for (auto& phase : phases) {
    phase.min_delay_ms = static_cast<std::int64_t>(std::llround(static_cast<double>(phase.min_delay_ms) * factor));
    phase.max_delay_ms = static_cast<std::int64_t>(std::llround(static_cast<double>(phase.max_delay_ms) * factor));
  }
  return RetryPolicy(std::move(phases), jitter_);
}

RetryPolicy HttpDeliveryPolicy::retry_policy() const {
  const std::int64_t lo = std::int64_t{min_delay_target} * 1000;
  const std::int64_t hi = std::int64_t{max_delay_target} * 1000;
  const int backoff_retries = std::max(0, num_retries - num_no_delay_retries - num_min_delay_retries - num_max_delay_retries);
  std::vector<RetryPhase> phases;
  if (num_no_delay_retries > 0) phases.push_back({num_no_delay_retries, 0, 0, Backoff::kLinear});
  if (num_min_delay_retries > 0) phases.push_back({num_min_delay_retries, lo, lo, Backoff::kLinear});
  if (backoff_retries > 0) phases.push_back({backoff_retries, lo, hi, backoff});
  if (num_max_delay_retries > 0) phases.push_back({num_max_delay_retries, hi, hi, Backoff::kLinear});
  return RetryPolicy(std::move(phases));
}

core::Result<HttpDeliveryPolicy, Error> parse_subscription_delivery_policy(std::string_view json) {
  auto object = parse_object(json);
  if (!object) return core::unexpected(object.error());
  return read_http_policy(member(*object, "healthyRetryPolicy"), member(*object, "throttlePolicy"),
                          "healthyRetryPolicy");
}

core::Result<TopicDeliveryPolicy, Error> parse_topic_delivery_policy(std::string_view json) {
  auto object = parse_object(json);
  if (!object) return core::unexpected(object.error());
  TopicDeliveryPolicy out;
  const auto* http = member(*object, "http");
  if (http == nullptr) return out;
  if (!http->is_object()) return core::unexpected(invalid("Invalid parameter: DeliveryPolicy: http must be an object"));
  if (const auto* disable = member(*http, "disableSubscriptionOverrides")) {
    if (!disable->is_boolean()) {
      return core::unexpected(
          invalid("Invalid parameter: DeliveryPolicy: http.disableSubscriptionOverrides must be true or false"));
    }
    out.disable_subscription_overrides = disable->get<bool>();
  }
  auto policy = read_http_policy(member(*http, "defaultHealthyRetryPolicy"), member(*http, "defaultThrottlePolicy"),
                                 "http.defaultHealthyRetryPolicy");
  if (!policy) return core::unexpected(policy.error());
  out.http = std::move(*policy);
  return out;
}

RetryPolicy effective_retry_policy(std::string_view protocol, std::string_view topic_delivery_policy,
                                   std::string_view subscription_delivery_policy) {
  if (!is_http(protocol)) return RetryPolicy::for_protocol(protocol);
  if (auto policy = effective_http_policy(topic_delivery_policy, subscription_delivery_policy)) {
    return policy->retry_policy();
  }
  return RetryPolicy::http_default();
}

std::optional<int> effective_max_receives_per_second(std::string_view protocol, std::string_view topic_delivery_policy,
                                                     std::string_view subscription_delivery_policy) {
  if (!is_http(protocol)) return std::nullopt;
  if (auto policy = effective_http_policy(topic_delivery_policy, subscription_delivery_policy)) {
    return policy->max_receives_per_second;
  }
  return std::nullopt;
}

}  // namespace sgwatch::notify
