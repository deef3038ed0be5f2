// The aws-sns sink: forwards a notification to a real SNS topic with a SigV4-signed awsQuery
// Publish (Action=Publish&Version=2010-03-31&TopicArn=..&Message=..[&Subject=..]
// [&MessageStructure=json]) to https://sns.<region>.<partition domain>/ or a configured endpoint
// (moto, LocalStack, a VPC endpoint). 2xx delivered; 5xx, 429 and throttling codes retried; any
// other error failed with AWS's Code and Message. The signing time comes from an injected clock.
// Neighbours: http_sink.h (the transfer), aws/sigv4.h (signing), aws/query_params.h (the form).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/sigv4.h"
#include "core/clock.h"
#include "notify/sink.h"
#include "notify/sinks/http_sink.h"

namespace sgwatch::notify {

struct SnsOptions {
  aws::Credentials credentials;  // access key, secret, optional session token
  // "http://127.0.0.1:5000" and the like; empty: the public endpoint of the topic's region.
  std::string endpoint_url;
  HttpOptions http;
};

// arn:<partition>:sns:<region>:<account>:<name>
struct TopicArn {
  std::string partition;
  std::string region;
  std::string account;
  std::string name;
};
std::optional<TopicArn> parse_topic_arn(std::string_view arn);

// "https://sns.<region>.<domain>/": amazonaws.com for aws and aws-us-gov, amazonaws.com.cn for
// aws-cn, and the ISO partitions' domains; nullopt for a partition it does not know.
std::optional<std::string> sns_endpoint(const TopicArn& topic);

// The Publish form body, parameters in the order above.
std::string sns_publish_body(const RenderedDelivery& delivery);

// <Code> and <Message> of an AWS XML error document, entities decoded; empty when missing.
struct AwsErrorDocument {
  std::string code;
  std::string message;
};
AwsErrorDocument parse_aws_error(std::string_view xml);

// The error codes AWS (and botocore's retry rules) use for throttling: Throttling,
// ThrottlingException, ThrottledException, TooManyRequestsException, RequestLimitExceeded, ...
bool is_throttling_code(std::string_view code);

class SnsSink final : public Sink {
 public:
  // `clock` must outlive the sink.
  SnsSink(SnsOptions options, const core::Clock& clock)
      : options_(std::move(options)), clock_(clock) {}
  SnsSink(SnsOptions options,
          const core::Clock&& clock) = delete;  // a temporary clock would dangle

  // kSns deliveries: Publish delivery.message (with delivery.subject and
  // delivery.message_structure) to delivery.topic_arn, in the region of the ARN.
  SinkOutcome send(const RenderedDelivery& delivery) override;

 private:
  SnsOptions options_;
  const core::Clock& clock_;
};

}  // namespace sgwatch::notify
