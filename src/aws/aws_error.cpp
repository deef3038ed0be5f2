// Implementation of aws_error.h. The code lists follow botocore (retries/standard.py for
// throttling and transient codes) and the access-denied spellings of the services sgwatch calls.
#include "aws/aws_error.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "aws/xml_reader.h"
#include "core/text.h"

namespace sgwatch::aws {

namespace {

// describe() shows at most this much of a message.
constexpr std::size_t kMaxMessage = 1000;

constexpr std::array<std::string_view, 12> kAccessDenied = {
    "AccessDenied",           "AccessDeniedException",
    "UnauthorizedOperation",  "Client.UnauthorizedOperation",
    "AuthorizationError",     "AuthorizationErrorException",
    "UnauthorizedAccess",     "UnauthorizedAccessException",
    "UnauthorizedException",  "NotAuthorized",
    "NotAuthorizedException", "Forbidden",
};

// botocore's _THROTTLED_ERROR_CODES, plus SNS's "Throttled" (ThrottledException's wire code).
constexpr std::array<std::string_view, 15> kThrottling = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "Throttled",
};

constexpr std::array<std::string_view, 3> kTransient = {"RequestTimeout", "RequestTimeoutException",
                                                        "PriorRequestNotComplete"};

constexpr std::array<std::string_view, 14> kCredentialsRejected = {
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "AuthFailure",
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "ExpiredToken",
    "ExpiredTokenException",
    "IncompleteSignature",
    "IncompleteSignatureException",
    "MissingAuthenticationToken",
    "MissingAuthenticationTokenException",
    "InvalidAccessKeyId",
    "RequestExpired",
    "InvalidToken",
};

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& list, std::string_view code) {
  return !code.empty() && std::find(list.begin(), list.end(), code) != list.end();
}

// A code as the JSON protocols spell it: "com.amazonaws.logs#ResourceNotFoundException" and
// "ResourceNotFoundException:http://internal.amazon.com/coral/..." both name
// ResourceNotFoundException.
std::string json_code(std::string_view text) {
  const auto colon = text.find(':');
  if (colon != std::string_view::npos) text = text.substr(0, colon);
  const auto hash = text.rfind('#');
  if (hash != std::string_view::npos) text = text.substr(hash + 1);
  return std::string(core::trim_pattern_space(text));
}

// A short, printable piece of an unreadable body for the message.
std::string body_excerpt(std::string_view body) {
  const std::string_view trimmed = core::trim_pattern_space(body);
  if (trimmed.empty()) return "an empty body";
  return "a body that is not an AWS error: \"" + core::printable(trimmed, 120) + "\"";
}

std::string string_member(const nlohmann::json& object, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const auto it = object.find(name);
    if (it == object.end()) continue;
    if (const std::string* text = it->get_ptr<const std::string*>()) return *text;
  }
  return {};
}

void read_xml_error(const TransportResponse& response, AwsError& error) {
  pugi::xml_document document;
  const pugi::xml_parse_result parsed =
      document.load_buffer(response.body.data(), response.body.size());
  if (!parsed) {
    error.message = body_excerpt(response.body);
    return;
  }
  // <ErrorResponse><Error> (awsQuery), <Response><Errors><Error> (ec2), a bare <Error> (S3-like).
  pugi::xml_node found;
  const pugi::xml_node root = document.document_element();
  if (xml_local_name(root) == "Error" && xml_child(root, "Code")) {
    found = root;
  } else {
    for (const pugi::xml_node& candidate : xml_all(root, "Error")) {
      if (xml_child(candidate, "Code")) {
        found = candidate;
        break;
      }
    }
  }
  if (!found) {
    error.message = body_excerpt(response.body);
    return;
  }
  error.code = std::string(core::trim_pattern_space(xml_own_text(xml_child(found, "Code"))));
  error.message = xml_own_text(xml_child(found, "Message"));
  // <Error><Code/></Error>: no readable code after all.
  if (error.code.empty() && error.message.empty()) error.message = body_excerpt(response.body);
  if (error.request_id.empty()) {
    for (const char* name : {"RequestId", "RequestID", "requestId"}) {
      error.request_id = xml_text(root, name);
      if (!error.request_id.empty()) break;
    }
  }
}

void read_json_error(const TransportResponse& response, bool header_first, AwsError& error) {
  const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  const bool is_object = !body.is_discarded() && body.is_object();
  const std::string* query_error = response.find_header("x-amzn-query-error");
  const std::string* error_type = response.find_header("x-amzn-ErrorType");

  if (query_error != nullptr) {  // query-compatible JSON: "ResourceNotFound;Sender"
    const std::string_view text(*query_error);
    error.code = std::string(core::trim_pattern_space(text.substr(0, text.find(';'))));
  }
  if (error.code.empty() && header_first && error_type != nullptr) {
    error.code = json_code(*error_type);
  }
  if (error.code.empty() && is_object) {
    error.code = json_code(string_member(body, {"__type", "code", "Code"}));
  }
  if (error.code.empty() && error_type != nullptr) error.code = json_code(*error_type);
  if (is_object) error.message = string_member(body, {"message", "Message", "errorMessage"});
  if (error.code.empty() && error.message.empty()) error.message = body_excerpt(response.body);
}

}  // namespace

bool is_access_denied_code(std::string_view code) {
  return listed(kAccessDenied, code);
}
bool is_throttling_code(std::string_view code) {
  return listed(kThrottling, code);
}
bool is_transient_code(std::string_view code) {
  return listed(kTransient, code);
}
bool is_credentials_rejected_code(std::string_view code) {
  return listed(kCredentialsRejected, code);
}

bool AwsError::access_denied() const {
  return kind == Kind::kService && is_access_denied_code(code);
}

bool AwsError::throttled() const {
  return kind == Kind::kService && is_throttling_code(code);
}

bool AwsError::credentials_rejected() const {
  return kind == Kind::kService && is_credentials_rejected_code(code);
}

bool is_retryable_answer(int http_status, std::string_view code) {
  return is_throttling_code(code) || is_transient_code(code) || http_status == 429 ||
         (http_status >= 500 && http_status <= 599);
}

std::string AwsError::describe() const {
  std::string out = service;
  if (!operation.empty()) out += (out.empty() ? "" : " ") + operation;
  if (!out.empty()) out += ": ";
  if (!code.empty()) {
    out += code;
    if (http_status != 0) out += " (HTTP " + std::to_string(http_status) + ")";
    if (!message.empty()) out += ": " + core::printable(message, kMaxMessage);
  } else if (http_status != 0) {
    out += "HTTP " + std::to_string(http_status);
    if (!message.empty()) out += ": " + core::printable(message, kMaxMessage);
  } else {
    out += message.empty() ? std::string("failed") : core::printable(message, kMaxMessage);
  }
  if (attempts > 1) out += " (after " + std::to_string(attempts) + " attempts)";
  return out;
}

std::string request_id_header(const TransportResponse& response) {
  for (const char* name : {"x-amzn-RequestId", "x-amz-request-id"}) {
    if (const std::string* value = response.find_header(name)) return *value;
  }
  return {};
}

AwsError error_from_response(ErrorFormat format, std::string_view service,
                             std::string_view operation, const TransportResponse& response) {
  AwsError error;
  error.kind = AwsError::Kind::kService;
  error.http_status = response.status;
  error.service = std::string(service);
  error.operation = std::string(operation);
  error.request_id = request_id_header(response);
  switch (format) {
    case ErrorFormat::kXml:
      read_xml_error(response, error);
      break;
    case ErrorFormat::kJson:
      read_json_error(response, false, error);
      break;
    case ErrorFormat::kRestJson:
      read_json_error(response, true, error);
      break;
  }
  return error;
}

}  // namespace sgwatch::aws
