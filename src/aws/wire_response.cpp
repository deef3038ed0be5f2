// Implementation of wire_response.h.
#include "aws/wire_response.h"

#include <utility>

namespace sgwatch::aws {

const std::string* HttpResponse::find_header(std::string_view name) const {
  for (const Header& header : headers) {
    if (header_name_equals(header.name, name)) return &header.value;
  }
  return nullptr;
}

std::string_view response_content_type(Protocol protocol) {
  switch (protocol) {
    case Protocol::kAwsQuery:
      return "text/xml";
    case Protocol::kEc2Query:
      return "text/xml;charset=UTF-8";
    case Protocol::kAwsJson1_0:
      return "application/x-amz-json-1.0";
    case Protocol::kAwsJson1_1:
      return "application/x-amz-json-1.1";
  }
  return "text/xml";
}

HttpResponse success_response(Protocol protocol, std::string body, std::string_view request_id) {
  HttpResponse response;
  response.status = 200;
  if (protocol == Protocol::kEc2Query) {
    response.headers.push_back({"Content-Type", std::string(response_content_type(protocol))});
    response.headers.push_back({"Server", "AmazonEC2"});
  } else {
    response.headers.push_back({std::string(kRequestIdHeader), std::string(request_id)});
    response.headers.push_back({"Content-Type", std::string(response_content_type(protocol))});
  }
  response.body = std::move(body);
  return response;
}

HttpResponse json_success_response(Protocol protocol, const nlohmann::json& body,
                                   std::string_view request_id) {
  return success_response(protocol, body.is_null() ? std::string() : json_text(body), request_id);
}

std::string json_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string json_text(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace sgwatch::aws
