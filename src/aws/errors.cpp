// Implementation of errors.h.
#include "aws/errors.h"

#include <fmt/format.h>

#include <utility>

#include "aws/xml_writer.h"

namespace sgwatch::aws {

namespace {

WireError make(std::string_view code, std::string message, int status) {
  WireError error;
  error.code = std::string(code);
  error.message = std::move(message);
  error.http_status = status;
  return error;
}

// EC2's message for AuthFailure (fixture ec2.DescribeSecurityGroups.error-AuthFailure).
constexpr std::string_view kEc2AuthFailure =
    "AWS was not able to validate the provided access credentials";

}  // namespace

Fault fault_of(const WireError& error) {
  return error.http_status >= 500 ? Fault::kReceiver : Fault::kSender;
}

std::string_view fault_name(Fault fault) {
  return fault == Fault::kReceiver ? "Receiver" : "Sender";
}

WireError malformed_query_string(std::string message) {
  return make("MalformedQueryString", std::move(message), 404);
}

WireError request_entity_too_large(std::string message) {
  return make("RequestEntityTooLarge", std::move(message), 413);
}

WireError missing_parameter(std::string_view name) {
  return make("MissingParameter", fmt::format("The request must contain the parameter {}.", name),
              400);
}

WireError invalid_parameter_value(std::string message) {
  return make("InvalidParameterValue", std::move(message), 400);
}

WireError missing_action() {
  return make("MissingAction", "The request must contain the parameter Action.", 400);
}

WireError invalid_action(std::string_view action, std::string_view version) {
  return make("InvalidAction",
              fmt::format("Could not find operation {} for version {}", action, version), 400);
}

WireError unknown_operation(std::string message) {
  WireError error = make("UnknownOperationException", std::move(message), 400);
  error.json_type = "com.amazon.coral.service#UnknownOperationException";
  return error;
}

WireError serialization_exception(std::string message) {
  WireError error = make("SerializationException", std::move(message), 400);
  error.json_type = "com.amazon.coral.service#SerializationException";
  return error;
}

WireError validation_error(std::string message) {
  WireError error = make("ValidationError", std::move(message), 400);
  error.json_type = "com.amazon.coral.validate#ValidationException";
  return error;
}

WireError internal_failure(std::string message) {
  return make("InternalFailure", std::move(message), 500);
}

ErrorProtocol auth_error_protocol(Protocol protocol) {
  return is_json(protocol) ? ErrorProtocol::kJson : ErrorProtocol::kQuery;
}

WireError from_auth_error(const AuthError& error, Protocol protocol) {
  if (protocol == Protocol::kEc2Query && (error.failure == AuthFailure::kUnknownAccessKey ||
                                          error.failure == AuthFailure::kSignatureDoesNotMatch)) {
    return make("AuthFailure", std::string(kEc2AuthFailure), 401);
  }
  return make(error.code, error.message, error.http_status);
}

std::string query_error_body(const WireError& error, std::string_view xml_namespace,
                             std::string_view request_id) {
  XmlWriter xml;
  if (xml_namespace.empty()) {
    xml.open("ErrorResponse");
  } else {
    xml.open("ErrorResponse", "xmlns", xml_namespace);
  }
  xml.open("Error")
      .element("Type", fault_name(fault_of(error)))
      .element("Code", error.code)
      .element("Message", error.message)
      .close();
  xml.element("RequestId", request_id);
  return xml.finish();
}

std::string ec2_error_body(const WireError& error, std::string_view request_id) {
  XmlWriter xml(XmlWriterOptions{0, true});
  xml.open("Response").open("Errors").open("Error");
  xml.element("Code", error.code).element("Message", error.message);
  xml.close().close();
  xml.element("RequestID", request_id);
  return xml.finish();
}

std::string json_error_type(const WireError& error, std::string_view type_namespace) {
  const std::string& name = error.json_type.empty() ? error.code : error.json_type;
  if (type_namespace.empty() || name.find('#') != std::string::npos) return name;
  std::string type(type_namespace);
  type += '#';
  type += name;
  return type;
}

std::string json_error_body(const WireError& error, std::string_view type_namespace) {
  nlohmann::ordered_json body;
  body["__type"] = json_error_type(error, type_namespace);
  body["message"] = error.message;
  return json_text(body);
}

HttpResponse error_response(const WireError& error, Protocol protocol, std::string_view request_id,
                            std::optional<Service> service) {
  const ServiceInfo* info = service ? &service_info(*service) : nullptr;
  HttpResponse response;
  response.status = error.http_status;
  switch (protocol) {
    case Protocol::kAwsQuery:
      response.headers.push_back({std::string(kRequestIdHeader), std::string(request_id)});
      response.headers.push_back({"Content-Type", std::string(response_content_type(protocol))});
      response.body =
          query_error_body(error, info != nullptr ? info->xml_namespace : "", request_id);
      break;
    case Protocol::kEc2Query:
      response.headers.push_back({"Content-Type", std::string(response_content_type(protocol))});
      response.headers.push_back({"Server", "AmazonEC2"});
      response.body = ec2_error_body(error, request_id);
      break;
    case Protocol::kAwsJson1_0:
    case Protocol::kAwsJson1_1: {
      const bool query_compatible = info != nullptr && info->query_compatible;
      response.headers.push_back({std::string(kRequestIdHeader), std::string(request_id)});
      response.headers.push_back({"Content-Type", std::string(response_content_type(protocol))});
      // botocore ignores x-amzn-ErrorType (the code comes from __type), but real services send
      // it and other SDKs read it.
      response.headers.push_back({"x-amzn-ErrorType", error.code});
      if (query_compatible) {
        response.headers.push_back(
            {"x-amzn-query-error", fmt::format("{};{}", error.code, fault_name(fault_of(error)))});
      }
      response.body = json_error_body(error, info != nullptr ? info->json_type_namespace : "");
      break;
    }
  }
  return response;
}

}  // namespace sgwatch::aws
