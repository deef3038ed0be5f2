// Implementation of dispatch.h.
#include "api/dispatch.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <utility>

#include "api/content_encoding.h"
#include "api/request_id.h"
#include "aws/sigv4.h"

namespace sgwatch::api {

namespace {

// AWS's text for InternalFailure (General Reference, "Common errors").
constexpr std::string_view kInternalFailureMessage =
    "The request processing has failed because of an unknown error, exception or failure.";

// Where an answer goes before the request is fully understood: its protocol and service.
struct AnswerIn {
  aws::Protocol protocol = aws::Protocol::kAwsQuery;
  std::optional<aws::Service> service;
};

// The wire code of an error answer: x-amzn-query-error / x-amzn-ErrorType, else <Code> in XML.
std::string error_code_of(const aws::HttpResponse& response) {
  if (response.status < 300) return {};
  if (const std::string* query_error = response.find_header("x-amzn-query-error")) {
    return query_error->substr(0, query_error->find(';'));
  }
  if (const std::string* type = response.find_header("x-amzn-ErrorType")) return *type;
  const std::size_t open = response.body.find("<Code>");
  if (open == std::string::npos) return {};
  const std::size_t start = open + 6;
  const std::size_t close = response.body.find("</Code>", start);
  if (close == std::string::npos) return {};
  return response.body.substr(start, close - start);
}

}  // namespace

bool has_authentication(const aws::HttpRequest& request) {
  if (request.find_header("Authorization") != nullptr) return true;
  for (const auto& [name, value] : aws::parse_query(request.query)) {
    if (name == "X-Amz-Algorithm") return true;
  }
  return false;
}

aws::WireError unsupported_operation_error(const aws::WireRequest& request) {
  const aws::ServiceInfo& info = aws::service_info(request.service);
  if (aws::is_json(request.protocol)) {
    return aws::unknown_operation(
        fmt::format("Unknown operation {}.{}: sgwatch does not implement it.",
                    info.json_target_prefix, request.operation));
  }
  return aws::invalid_action(request.operation,
                             request.version.empty() ? info.query_version : request.version);
}

aws::HttpResponse unsupported_operation(const aws::WireRequest& request,
                                        const RequestContext& context) {
  return aws::error_response(unsupported_operation_error(request), request.protocol,
                             context.request_id, request.service);
}

Dispatcher::Dispatcher(const aws::SecretLookup& secrets, const core::Clock& clock,
                       DispatcherOptions options)
    : secrets_(secrets), clock_(clock), options_(std::move(options)) {}

void Dispatcher::register_service(aws::Service service, ServiceApi& api) {
  std::lock_guard<std::mutex> lock(mutex_);
  apis_[service] = &api;
}

aws::HttpResponse Dispatcher::dispatch(const aws::HttpRequest& request) {
  RequestRecord record;
  AnswerIn answer_in;
  std::optional<aws::HttpResponse> answer;
  try {
    record.request_id = new_request_id();
    RequestContext context;
    context.request_id = record.request_id;
    context.account_id = options_.account_id;
    context.now_ms = clock_.now_ms();

    // The input is read from the inflated body; the signature is checked on the bytes as sent.
    auto decoded = decoded_request(
        request, std::max(options_.limits.max_json_bytes, options_.limits.query.max_bytes));
    const aws::HttpRequest& readable = decoded && *decoded ? **decoded : request;
    auto classified = aws::classify_request(readable, options_.limits);
    if (classified) {
      answer_in.protocol = classified->protocol;
      answer_in.service = classified->service;
      record.operation = classified->operation;
    } else {
      answer_in.protocol = classified.error().protocol;
      answer_in.service = classified.error().service;
    }
    if (answer_in.service) {
      record.service = std::string(aws::service_info(*answer_in.service).name);
    }

    // Authentication first: an unsigned or badly signed request learns nothing else.
    if (options_.allow_unsigned && !has_authentication(request)) {
      context.region = options_.default_region;
    } else {
      aws::VerifyOptions verify;
      verify.region = options_.region;
      verify.service = answer_in.service
                           ? std::string(aws::service_info(*answer_in.service).signing_name)
                           : std::string();
      verify.protocol = aws::auth_error_protocol(answer_in.protocol);
      verify.max_skew_minutes = options_.max_skew_minutes;
      auto verified = aws::Verifier(secrets_, clock_, std::move(verify)).verify(request);
      if (!verified) {
        answer = aws::error_response(aws::from_auth_error(verified.error(), answer_in.protocol),
                                     answer_in.protocol, record.request_id, answer_in.service);
      } else {
        context.access_key_id = verified->access_key_id;
        context.session_token = verified->security_token;
        context.region = verified->region;
        record.access_key_id = verified->access_key_id;
      }
    }

    if (!answer && !decoded) {
      answer = aws::error_response(decoded.error(), answer_in.protocol, record.request_id,
                                   answer_in.service);
    }
    if (!answer) {
      if (!classified) {
        answer = aws::error_response(classified.error(), record.request_id);
      } else {
        std::unique_lock<std::mutex> lock(mutex_);
        const auto api = apis_.find(classified->service);
        if (api == apis_.end() || api->second == nullptr) {
          lock.unlock();
          answer = unsupported_operation(*classified, context);
        } else {
          try {
            answer = api->second->handle(*classified, context);
          } catch (const std::exception&) {
            lock.unlock();
            answer =
                aws::error_response(aws::internal_failure(std::string(kInternalFailureMessage)),
                                    answer_in.protocol, record.request_id, answer_in.service);
          }
        }
      }
    }
  } catch (...) {
    // Out of memory, or a handler threw something that is not a std::exception.
    answer = aws::error_response(aws::internal_failure(std::string(kInternalFailureMessage)),
                                 answer_in.protocol, record.request_id, answer_in.service);
  }
  record.protocol = std::string(aws::protocol_name(answer_in.protocol));
  record.status = answer->status;
  record.error_code = error_code_of(*answer);
  if (options_.observer) {
    try {
      options_.observer(record);
    } catch (...) {
      // An access log that fails must not change the answer.
    }
  }
  return std::move(*answer);
}

}  // namespace sgwatch::api
