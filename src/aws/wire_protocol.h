// The AWS services sgwatch answers or calls and the wire protocols they speak: which API version,
// XML namespace, X-Amz-Target prefix and SigV4 signing name belong to each, and the operations
// each one knows here. Values, no I/O. Neighbours: wire_request (dispatch on these tables),
// errors and wire_response (protocol-specific envelopes), xml_writer (awsQuery/ec2 bodies).
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace sgwatch::aws {

enum class Protocol {
  kAwsQuery,    // form body "Action=..&Version=..", XML answers wrapped in <{Op}Result>
  kEc2Query,    // EC2's query dialect: flattened lists, <item>, no Result wrapper
  kAwsJson1_0,  // X-Amz-Target, application/x-amz-json-1.0 (CloudWatch from current botocore)
  kAwsJson1_1,  // X-Amz-Target, application/x-amz-json-1.1 (CloudWatch Logs, CloudTrail)
};

enum class Service { kLogs, kCloudWatch, kSns, kSts, kEc2, kCloudTrail };

struct ServiceInfo {
  Service service;
  std::string_view name;  // the AWS CLI's name: "logs", "cloudwatch", "sns", ...
  std::string_view
      signing_name;  // the SigV4 credential scope's service: "monitoring" for CloudWatch
  // Query protocols: the Version parameter and the responses' xmlns; empty for JSON-only services.
  std::string_view query_version;
  std::string_view xml_namespace;
  Protocol query_protocol;  // kAwsQuery or kEc2Query; meaningful when query_version is set
  // JSON protocols: X-Amz-Target is "<json_target_prefix>.<Operation>"; empty for query-only
  // services.
  std::string_view json_target_prefix;
  Protocol json_protocol;  // kAwsJson1_0 or kAwsJson1_1; meaningful when json_target_prefix is set
  // awsQueryCompatible (CloudWatch over JSON 1.0): errors carry the query code in the
  // x-amzn-query-error header and a "<json_type_namespace>#Code" __type.
  bool query_compatible;
  std::string_view json_type_namespace;  // "com.amazonaws.cloudwatch"; empty: plain __type
  // The operations this project serves or calls, sorted.
  std::span<const std::string_view> operations;
};

const ServiceInfo& service_info(Service service);
// Every service above, in the order of the enum.
std::span<const ServiceInfo> all_services();

// The protocol names of botocore's models and of the fixtures: "awsQuery", "ec2", "awsJson1_0",
// "awsJson1_1".
std::string_view protocol_name(Protocol protocol);
bool is_json(Protocol protocol);

// The service whose X-Amz-Target prefix, query Version, or signing name is `text`; nullopt when
// none is.
std::optional<Service> service_by_target_prefix(std::string_view prefix);
std::optional<Service> service_by_query_version(std::string_view version);
std::optional<Service> service_by_signing_name(std::string_view signing_name);

bool has_operation(const ServiceInfo& info, std::string_view operation);

}  // namespace sgwatch::aws
