// HttpResponse: what the API server sends back for one AWS request, and the success envelope of
// each protocol (status, Content-Type, request id header). Bodies come from xml_writer (awsQuery,
// ec2) or from JSON values (awsJson). Neighbours: errors (error answers), wire_request (which
// protocol to answer in); the HTTP server adds Content-Length and Date.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "aws/http_request.h"
#include "aws/wire_protocol.h"

namespace sgwatch::aws {

inline constexpr std::string_view kRequestIdHeader = "x-amzn-RequestId";

struct HttpResponse {
  int status = 200;
  // In the order to send; without Content-Length and Date, which belong to the HTTP server.
  std::vector<Header> headers;
  std::string body;

  // The value of the first header named `name` (any case); nullptr when there is none.
  const std::string* find_header(std::string_view name) const;
};

// "text/xml" (awsQuery), "text/xml;charset=UTF-8" (ec2), "application/x-amz-json-1.0" / "-1.1".
std::string_view response_content_type(Protocol protocol);

// A 200 answer with `body` and the protocol's headers: x-amzn-RequestId and Content-Type; ec2
// carries its request id in the body (<requestId>) and sends Server: AmazonEC2 instead.
HttpResponse success_response(Protocol protocol, std::string body, std::string_view request_id);

// An awsJson success: `body` written compactly; a null `body` (an operation without output)
// gives an empty body, which every botocore accepts. Strings that are not valid UTF-8 are
// written with U+FFFD in place of the bad bytes.
HttpResponse json_success_response(Protocol protocol, const nlohmann::json& body,
                                   std::string_view request_id);

// `value` as compact JSON text (no exceptions: invalid UTF-8 becomes U+FFFD).
std::string json_text(const nlohmann::json& value);
std::string json_text(const nlohmann::ordered_json& value);

}  // namespace sgwatch::aws
