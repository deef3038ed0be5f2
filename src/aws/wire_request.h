// Classification of an incoming AWS request into {service, protocol, operation, parsed input}:
// X-Amz-Target for the JSON protocols, Action and Version in a form body for awsQuery and ec2, the
// SigV4 scope as a tie-breaker. Pure logic: the HTTP server hands in the request and sends
// error_response(...) or the handler's answer. Neighbours: wire_protocol (the tables),
// query_params, errors, verifier (which checks the signature separately).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "aws/errors.h"
#include "aws/http_request.h"
#include "aws/query_params.h"
#include "aws/wire_protocol.h"
#include "core/result.h"

namespace sgwatch::aws {

struct WireLimits {
  QueryLimits query;
  std::size_t max_json_bytes = 2 * 1024 * 1024;
  // Arrays and objects nested deeper are refused before parsing (nlohmann's parser recurses).
  std::size_t max_json_depth = 64;
};

struct WireRequest {
  Service service = Service::kCloudWatch;
  Protocol protocol = Protocol::kAwsQuery;
  std::string operation;  // "PutMetricAlarm"
  // Query protocols: the Version sent (empty when the scope decided).
  std::string version;
  // CloudWatch over JSON 1.0 sent x-amzn-query-mode: true (current botocore always does).
  bool query_mode = false;
  // The input: `query` for awsQuery and ec2 (Action and Version included), `json` (an object;
  // {} for an empty body) for awsJson. The other one stays empty.
  QueryParams query;
  nlohmann::json json;
};

struct WireFailure {
  WireError error;
  Protocol protocol = Protocol::kAwsQuery;  // the protocol to answer in
  std::optional<Service> service;           // when the request named one
};

// The rules:
//   X-Amz-Target "<prefix>.<Op>"  -> awsJson (Logs_20140328, CloudTrail_20131101) or awsJson1_0
//                                    (GraniteServiceVersion20100801: CloudWatch from current
//                                    botocore, query-compatible); the body is a JSON object
//   form body Action=<Op>&Version -> awsQuery (CloudWatch 2010-08-01, SNS 2010-03-31, STS
//                                    2011-06-15) or ec2 (2016-11-15); the body is QueryParams
// With no Version, the SigV4 credential scope's service ("monitoring", "sns", ...) decides, and
// failing that an Action only one query service has. Without X-Amz-Target the body is read as a
// form whatever its Content-Type says (a JSON type without a target is UnknownOperation), and a
// request without a body is read from its URL's query string (GET). A failure carries the
// protocol (and the service, when known) to answer in.
core::Result<WireRequest, WireFailure> classify_request(const HttpRequest& request,
                                                        const WireLimits& limits = {});

// The answer for a failed classification.
HttpResponse error_response(const WireFailure& failure, std::string_view request_id);

// The service of the request's SigV4 credential scope (Authorization header, or a presigned
// URL's X-Amz-Credential); empty when there is none or it does not parse.
std::string signing_service(const HttpRequest& request);

// The media type of a Content-Type value, lower-case and without parameters:
// "application/x-www-form-urlencoded; charset=utf-8" -> "application/x-www-form-urlencoded".
std::string media_type(std::string_view content_type);

// The deepest nesting of arrays and objects in `text` (strings skipped, escapes honoured), or
// nullopt as soon as it exceeds `limit`. Unbalanced text is the JSON parser's to report.
std::optional<std::size_t> json_nesting_depth(std::string_view text, std::size_t limit);

}  // namespace sgwatch::aws
