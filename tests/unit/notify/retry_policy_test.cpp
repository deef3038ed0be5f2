// Retry policies: SNS's defaults per protocol (spec 8), the HTTP/S DeliveryPolicy phases and
// their validation, jitter bounds, and which policy is in force for a subscription.
#include "notify/retry_policy.h"

#include <gtest/gtest.h>

namespace sgwatch::notify {
namespace {

std::vector<std::int64_t> schedule(const RetryPolicy& policy) {
  std::vector<std::int64_t> out;
  for (int r = 1; r <= policy.retries(); ++r) out.push_back(*policy.delay_before_retry(r, 0.5));
  return out;
}

TEST(RetryPolicy, HttpDefaultIsThreeRetriesTwentySecondsApart) {
  const auto policy = RetryPolicy::http_default();
  EXPECT_EQ(policy.retries(), 3);
  EXPECT_EQ(schedule(policy), (std::vector<std::int64_t>{20'000, 20'000, 20'000}));
  EXPECT_FALSE(policy.delay_before_retry(4, 0.5));
  EXPECT_FALSE(policy.delay_before_retry(0, 0.5));
}

TEST(RetryPolicy, CustomerManagedIsFiftyRetriesOverAboutSixHours) {
  const auto policy = RetryPolicy::customer_managed();
  EXPECT_EQ(policy.retries(), 50);
  const auto delays = schedule(policy);
  EXPECT_EQ(delays[0], 10'000);
  EXPECT_EQ(delays[1], 10'000);
  EXPECT_EQ(delays[2], 10'000);   // backoff starts at 10 s
  EXPECT_EQ(delays[11], 600'000);  // ... and ends at 600 s
  for (std::size_t i = 3; i < 12; ++i) EXPECT_GT(delays[i], delays[i - 1]) << i;
  EXPECT_EQ(delays.back(), 600'000);
  std::int64_t total = 0;
  for (const auto d : delays) total += d;
  EXPECT_GT(total, 6 * 3600 * 1000LL);
  EXPECT_LT(total, 7 * 3600 * 1000LL);
  EXPECT_EQ(RetryPolicy::for_protocol("email").retries(), 50);
  EXPECT_EQ(RetryPolicy::for_protocol("https").retries(), 3);
}

TEST(RetryPolicy, JitterStaysWithinTenPercent) {
  const auto policy = RetryPolicy::http_default();
  EXPECT_EQ(*policy.delay_before_retry(1, 0.0), 18'000);
  EXPECT_EQ(*policy.delay_before_retry(1, 1.0), 22'000);
  EXPECT_EQ(*policy.scaled(0.001).delay_before_retry(1, 0.5), 20);
}

TEST(RetryPolicy, DeliveryPolicyPhasesInOrder) {
  auto parsed = parse_subscription_delivery_policy(
      R"({"healthyRetryPolicy":{"minDelayTarget":1,"maxDelayTarget":60,"numRetries":10,"numNoDelayRetries":2,)"
      R"("numMinDelayRetries":1,"numMaxDelayRetries":2,"backoffFunction":"exponential"},)"
      R"("throttlePolicy":{"maxReceivesPerSecond":5}})");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->max_receives_per_second, 5);
  const auto delays = schedule(parsed->retry_policy());
  ASSERT_EQ(delays.size(), 10U);
  EXPECT_EQ(delays[0], 0);
  EXPECT_EQ(delays[1], 0);
  EXPECT_EQ(delays[2], 1'000);   // the minimum-delay phase
  EXPECT_EQ(delays[3], 1'000);   // backoff's first retry: minDelayTarget
  EXPECT_EQ(delays[7], 60'000);  // backoff's last: maxDelayTarget
  EXPECT_EQ(delays[8], 60'000);
  EXPECT_EQ(delays[9], 60'000);
}

TEST(RetryPolicy, BackoffCurvesShareTheirEndsAndDifferInside) {
  for (const auto backoff : {Backoff::kLinear, Backoff::kArithmetic, Backoff::kGeometric, Backoff::kExponential}) {
    HttpDeliveryPolicy p;
    p.min_delay_target = 2;
    p.max_delay_target = 200;
    p.num_retries = 5;
    p.backoff = backoff;
    const auto delays = schedule(p.retry_policy());
    EXPECT_EQ(delays.front(), 2'000) << backoff_name(backoff);
    EXPECT_EQ(delays.back(), 200'000) << backoff_name(backoff);
  }
  HttpDeliveryPolicy linear;
  linear.min_delay_target = 2;
  linear.max_delay_target = 200;
  linear.num_retries = 5;
  HttpDeliveryPolicy exponential = linear;
  exponential.backoff = Backoff::kExponential;
  EXPECT_EQ(schedule(linear.retry_policy())[2], 101'000);
  EXPECT_LT(schedule(exponential.retry_policy())[2], 10'000);
}

TEST(RetryPolicy, InvalidDeliveryPoliciesAreRefusedWithTheReason) {
  const auto error = [](const char* json) {
    auto parsed = parse_subscription_delivery_policy(json);
    EXPECT_FALSE(parsed) << json;
    return parsed ? std::string() : parsed.error().message;
  };
  EXPECT_NE(error(R"({"healthyRetryPolicy":{"numRetries":101}})").find("numRetries"), std::string::npos);
  EXPECT_NE(error(R"({"healthyRetryPolicy":{"minDelayTarget":30,"maxDelayTarget":20}})").find("minDelayTarget"),
            std::string::npos);
  EXPECT_NE(error(R"({"healthyRetryPolicy":{"maxDelayTarget":3601}})").find("maxDelayTarget"), std::string::npos);
  EXPECT_NE(error(R"({"healthyRetryPolicy":{"backoffFunction":"cubic"}})").find("backoffFunction"), std::string::npos);
  EXPECT_NE(error(R"({"healthyRetryPolicy":{"numRetries":2,"numNoDelayRetries":3}})").find("exceeds"),
            std::string::npos);
  EXPECT_NE(error(R"({"healthyRetryPolicy":{"minDelayTarget":100,"maxDelayTarget":100,"numRetries":50}})")
                .find("3600"),
            std::string::npos);
  EXPECT_NE(error(R"({"throttlePolicy":{"maxReceivesPerSecond":0}})").find("maxReceivesPerSecond"), std::string::npos);
  EXPECT_FALSE(parse_subscription_delivery_policy("[1,2]"));
  EXPECT_FALSE(parse_subscription_delivery_policy("{"));
}

TEST(RetryPolicy, EffectivePolicyFollowsTopicAndSubscription) {
  const std::string topic = R"({"http":{"defaultHealthyRetryPolicy":{"numRetries":1,"minDelayTarget":5,"maxDelayTarget":5}}})";
  const std::string locked =
      R"({"http":{"disableSubscriptionOverrides":true,"defaultHealthyRetryPolicy":{"numRetries":1,"minDelayTarget":5,"maxDelayTarget":5}}})";
  const std::string subscription = R"({"healthyRetryPolicy":{"numRetries":7}})";
  EXPECT_EQ(effective_retry_policy("https", "", "").retries(), 3);
  EXPECT_EQ(effective_retry_policy("https", topic, "").retries(), 1);
  EXPECT_EQ(effective_retry_policy("https", topic, subscription).retries(), 7);
  EXPECT_EQ(effective_retry_policy("https", locked, subscription).retries(), 1);
  EXPECT_EQ(effective_retry_policy("email", topic, subscription).retries(), 50);
  EXPECT_FALSE(effective_max_receives_per_second("https", "", ""));
  EXPECT_EQ(effective_max_receives_per_second("http", "", R"({"throttlePolicy":{"maxReceivesPerSecond":3}})"), 3);
}

}  // namespace
}  // namespace sgwatch::notify
