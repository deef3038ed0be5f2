// Implementation of wire_request.h.
#include "aws/wire_request.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>

#include <utility>

#include "aws/sigv4.h"
#include "aws/verifier.h"
#include "core/text.h"

namespace sgwatch::aws {

namespace {

constexpr std::string_view kJsonTypePrefix = "application/x-amz-json-";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return header_name_equals(a, b);  // ASCII case-insensitive comparison
}

core::Result<WireRequest, WireFailure> fail(WireError error, Protocol protocol,
                                            std::optional<Service> service) {
  return core::unexpected(WireFailure{std::move(error), protocol, service});
}

// The JSON protocol to answer in when the target names no known service: the scope's service's,
// else the one the Content-Type names (1.1 by default).
Protocol json_protocol_for(const HttpRequest& request, std::optional<Service> scope_service) {
  if (scope_service && !service_info(*scope_service).json_target_prefix.empty()) {
    return service_info(*scope_service).json_protocol;
  }
  const std::string* content_type = request.find_header("Content-Type");
  if (content_type != nullptr && media_type(*content_type) == "application/x-amz-json-1.0") {
    return Protocol::kAwsJson1_0;
  }
  return Protocol::kAwsJson1_1;
}

// The query protocol to answer in before the service is known: the scope's service's, else
// awsQuery.
Protocol query_protocol_for(std::optional<Service> scope_service) {
  if (scope_service && !service_info(*scope_service).query_version.empty()) {
    return service_info(*scope_service).query_protocol;
  }
  return Protocol::kAwsQuery;
}

std::optional<Service> query_scope(std::optional<Service> scope_service) {
  if (scope_service && !service_info(*scope_service).query_version.empty()) return scope_service;
  return std::nullopt;
}

// A JSON body into nlohmann::json, parsed by simdjson (an order of magnitude faster than
// nlohmann's own parser on PutLogEvents batches, where parsing was a third of the server's time)
// and then built value by value. The same values as nlohmann's parser: integers as signed when
// they fit, else unsigned; other numbers as doubles; a repeated key keeps its last value.
// Integers beyond 64 bits (nlohmann would make them doubles) are invalid here.
enum class JsonBodyError { kNone, kTooDeep, kInvalid };

// Deeper than `limit` arrays and objects (the document's own value is level 1): nullopt.
std::optional<nlohmann::json> to_nlohmann(simdjson::dom::element element, std::size_t level, std::size_t limit) {
  switch (element.type()) {
    case simdjson::dom::element_type::OBJECT: {
      if (level > limit) return std::nullopt;
      nlohmann::json out = nlohmann::json::object();
      for (const auto field : simdjson::dom::object(element)) {
        auto value = to_nlohmann(field.value, level + 1, limit);
        if (!value) return std::nullopt;
        out[std::string(field.key)] = std::move(*value);
      }
      return out;
    }
    case simdjson::dom::element_type::ARRAY: {
      if (level > limit) return std::nullopt;
      const simdjson::dom::array array(element);
      nlohmann::json out = nlohmann::json::array();
      out.get_ref<nlohmann::json::array_t&>().reserve(array.size());
      for (const auto item : array) {
        auto value = to_nlohmann(item, level + 1, limit);
        if (!value) return std::nullopt;
        out.push_back(std::move(*value));
      }
      return out;
    }
    case simdjson::dom::element_type::STRING:
      return nlohmann::json(std::string(std::string_view(element)));
    case simdjson::dom::element_type::INT64:
      return nlohmann::json(std::int64_t(element));
    case simdjson::dom::element_type::UINT64:
      return nlohmann::json(std::uint64_t(element));
    case simdjson::dom::element_type::DOUBLE:
      return nlohmann::json(double(element));
    case simdjson::dom::element_type::BOOL:
      return nlohmann::json(bool(element));
    case simdjson::dom::element_type::NULL_VALUE:
      return nlohmann::json(nullptr);
  }
  return nlohmann::json();
}

JsonBodyError parse_json_body(const std::string& body, std::size_t max_depth, nlohmann::json& out) {
  // simdjson counts levels its own way (the document is one, an empty array or object none): its
  // bound only guards its stack, and the conversion checks the limit exactly.
  const std::size_t depth = max_depth + 2;
  thread_local simdjson::dom::parser parser;
  if (parser.max_depth() != depth || parser.capacity() < body.size()) {
    if (parser.allocate(std::max(body.size(), std::size_t{4096}), depth) != simdjson::SUCCESS) {
      return JsonBodyError::kInvalid;
    }
  }
  simdjson::dom::element root;
  const auto error = parser.parse(body).get(root);
  if (error == simdjson::DEPTH_ERROR) return JsonBodyError::kTooDeep;
  if (error != simdjson::SUCCESS) return JsonBodyError::kInvalid;
  auto converted = to_nlohmann(root, 1, max_depth);
  if (!converted) return JsonBodyError::kTooDeep;
  out = std::move(*converted);
  return JsonBodyError::kNone;
}

core::Result<WireRequest, WireFailure> classify_json(const HttpRequest& request,
                                                     std::string_view target,
                                                     std::optional<Service> scope_service,
                                                     const WireLimits& limits) {
  const std::size_t dot = target.rfind('.');
  const std::optional<Service> service = dot == std::string_view::npos
                                             ? std::nullopt
                                             : service_by_target_prefix(target.substr(0, dot));
  if (!service) {
    return fail(unknown_operation(fmt::format("Unknown operation {}.", core::printable(target))),
                json_protocol_for(request, scope_service), scope_service);
  }
  const ServiceInfo& info = service_info(*service);
  const std::string_view operation = target.substr(dot + 1);
  if (!has_operation(info, operation)) {
    return fail(unknown_operation(fmt::format("Unknown operation {}.", core::printable(target))),
                info.json_protocol, service);
  }
  const std::string& body = request.body;
  if (body.size() > limits.max_json_bytes) {
    return fail(request_entity_too_large(
                    fmt::format("The request body has {} bytes; at most {} are accepted.",
                                body.size(), limits.max_json_bytes)),
                info.json_protocol, service);
  }
  WireRequest out;
  out.service = *service;
  out.protocol = info.json_protocol;
  out.operation = std::string(operation);
  const std::string* query_mode = request.find_header("x-amzn-query-mode");
  out.query_mode = query_mode != nullptr && equals_ignoring_case(trim(*query_mode), "true");
  if (trim(body).empty()) {
    out.json = nlohmann::json::object();
    return out;
  }
  switch (parse_json_body(body, limits.max_json_depth, out.json)) {
    case JsonBodyError::kNone:
      break;
    case JsonBodyError::kTooDeep:
      return fail(serialization_exception(
                      fmt::format("The request body nests arrays and objects deeper than {} levels.",
                                  limits.max_json_depth)),
                  info.json_protocol, service);
    case JsonBodyError::kInvalid:
      return fail(serialization_exception("The request body is not valid JSON."), info.json_protocol,
                  service);
  }
  if (!out.json.is_object()) {
    return fail(serialization_exception("The request body must be a JSON object."),
                info.json_protocol, service);
  }
  return out;
}

core::Result<WireRequest, WireFailure> classify_query(const HttpRequest& request,
                                                      std::optional<Service> scope_service,
                                                      const WireLimits& limits) {
  const std::optional<Service> scope = query_scope(scope_service);
  const Protocol fallback = query_protocol_for(scope_service);
  // The parameters travel in the body (POST, as botocore sends them) or in the URL (GET).
  const std::string_view source =
      request.body.empty() ? std::string_view(request.query) : std::string_view(request.body);
  auto parsed = QueryParams::parse(source, limits.query);
  if (!parsed.ok()) return fail(std::move(parsed).error(), fallback, scope);
  QueryParams params = std::move(parsed).value();
  const std::string* action = params.find("Action");
  if (action == nullptr || action->empty()) return fail(missing_action(), fallback, scope);
  const std::string* version = params.find("Version");
  std::optional<Service> service;
  if (version != nullptr) {
    service = service_by_query_version(*version);
    if (!service || service_info(*service).query_version.empty()) {
      return fail(invalid_action(core::printable(*action), core::printable(*version)), fallback,
                  scope);
    }
  } else if (scope) {
    service = scope;
  } else {
    // Neither Version nor a scope: an Action only one query service knows.
    for (const ServiceInfo& info : all_services()) {
      if (info.query_version.empty() || !has_operation(info, *action)) continue;
      if (service) return fail(missing_parameter("Version"), fallback, std::nullopt);
      service = info.service;
    }
    if (!service) return fail(missing_parameter("Version"), fallback, std::nullopt);
  }
  const ServiceInfo& info = service_info(*service);
  if (!has_operation(info, *action)) {
    return fail(invalid_action(core::printable(*action), version != nullptr
                                                             ? core::printable(*version)
                                                             : std::string(info.query_version)),
                info.query_protocol, service);
  }
  WireRequest out;
  out.service = *service;
  out.protocol = info.query_protocol;
  out.operation = *action;
  out.version = version != nullptr ? *version : std::string();
  out.query = std::move(params);
  return out;
}

}  // namespace

std::string media_type(std::string_view content_type) {
  const std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  std::string out(type);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string signing_service(const HttpRequest& request) {
  std::string credential;
  if (const std::string* authorization = request.find_header("Authorization")) {
    auto parsed = parse_authorization_header(trim(*authorization), true);
    if (parsed.ok()) credential = parsed->credential;
  } else {
    for (const auto& [name, value] : parse_query(request.query)) {
      if (name == "X-Amz-Credential") {
        credential = value;
        break;
      }
    }
  }
  const std::optional<CredentialScope> scope = parse_credential(credential);
  return scope ? scope->service : std::string();
}

std::optional<std::size_t> json_nesting_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return std::nullopt;
      if (depth > deepest) deepest = depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

core::Result<WireRequest, WireFailure> classify_request(const HttpRequest& request,
                                                        const WireLimits& limits) {
  const std::optional<Service> scope_service = service_by_signing_name(signing_service(request));
  if (request.find_header("smithy-protocol") != nullptr) {
    // botocore prefers awsJson1_0 for CloudWatch; the CBOR form was never seen from a CLI.
    return fail(unknown_operation("The smithy-rpc-v2-cbor protocol is not supported: send "
                                  "awsJson1_0 (X-Amz-Target) or awsQuery (Action=...)."),
                Protocol::kAwsJson1_0, scope_service);
  }
  if (const std::string* target = request.find_header("X-Amz-Target")) {
    return classify_json(request, trim(*target), scope_service, limits);
  }
  const std::string* content_type = request.find_header("Content-Type");
  if (content_type != nullptr && media_type(*content_type).starts_with(kJsonTypePrefix)) {
    return fail(unknown_operation("The request has no X-Amz-Target header."),
                json_protocol_for(request, scope_service), scope_service);
  }
  return classify_query(request, scope_service, limits);
}

HttpResponse error_response(const WireFailure& failure, std::string_view request_id) {
  return error_response(failure.error, failure.protocol, request_id, failure.service);
}

}  // namespace sgwatch::aws
