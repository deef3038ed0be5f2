// Where a service's requests go and under which name they are signed: the regional endpoint
// ("https://logs.us-east-1.amazonaws.com"; CloudWatch is "monitoring"; China's regions end in
// amazonaws.com.cn) or the --endpoint-url every service shares (as the AWS CLI does), and the
// parts of that URL a request needs (the URL to send to, the Host header, a base path).
// Neighbours: client.h (uses these for every call), curl_handle.h (URL parsing).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sgwatch::aws {

// The SigV4 service name and endpoint prefix of a service as the caller names it: "cloudwatch"
// -> "monitoring"; every other name is its own signing name ("logs", "sns", "securityhub", ...).
std::string signing_name(std::string_view service);

// True for names like "us-east-1", "cn-north-1", "us-gov-west-1": lower-case letters, digits and
// dashes, starting with a letter.
bool is_region_name(std::string_view region);

// The endpoint of a service in a region: "https://logs.us-east-1.amazonaws.com" (cloudwatch ->
// monitoring.*, the rest by their signing names; cn- regions end in amazonaws.com.cn), or
// endpoint_url as given when there is one.
std::string service_endpoint(std::string_view service, std::string_view region,
                             const std::optional<std::string>& endpoint_url);

// An endpoint URL split for sending.
struct EndpointParts {
  std::string origin;     // "https://logs.us-east-1.amazonaws.com", "http://127.0.0.1:4566"
  std::string host;       // the Host header: the authority without a default port
  std::string base_path;  // a path prefix of the endpoint URL without its trailing '/'; usually ""
};

// Parses an endpoint (http or https; no user information, query or fragment). Errors say why,
// naming the endpoint.
core::Result<EndpointParts, std::string> split_endpoint(std::string_view endpoint);

}  // namespace sgwatch::aws
