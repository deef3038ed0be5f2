// Implementation of client.h: building each protocol's request (headers in the AWS CLI's order:
// Host, Accept-Encoding, X-Amz-Target, Content-Type, User-Agent, then what sign() adds; signed as
// the CLI signs them, Accept-Encoding and User-Agent left out), the attempt loop, the readers of
// success answers, the pagers, and resolve_client.
#include "aws/client.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

#include "aws/imds.h"
#include "aws/query_params.h"
#include "aws/wire_request.h"
#include "core/text.h"

namespace sgwatch::aws {

struct Client::Call {
  std::string service;       // as the caller named it
  std::string signing_name;  // the SigV4 scope's service
  std::string operation;
  ErrorFormat format = ErrorFormat::kXml;
  std::string url;
  HttpRequest request;  // unsigned
  SigningOptions signing;
};

namespace {

constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded; charset=utf-8";
constexpr std::string_view kJson11ContentType = "application/x-amz-json-1.1";

bool is_2xx(int status) {
  return status >= 200 && status <= 299;
}

// A service name that can be a DNS label and a signing scope: "logs", "securityhub".
bool is_service_name(std::string_view service) {
  if (service.empty() || service.size() > 63) return false;
  return std::all_of(service.begin(), service.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || core::is_ascii_digit(c) || c == '-';
  });
}

AwsError make_error(AwsError::Kind kind, std::string_view service, std::string_view operation,
                    std::string message) {
  AwsError error;
  error.kind = kind;
  error.service = std::string(service);
  error.operation = std::string(operation);
  error.message = std::move(message);
  return error;
}

AwsError response_error(const TransportResponse& response, std::string_view service,
                        std::string_view operation, std::string message) {
  AwsError error = make_error(AwsError::Kind::kResponse, service, operation, std::move(message));
  error.http_status = response.status;
  error.request_id = request_id_header(response);
  return error;
}

// The answer of a JSON call: an object; an empty body is {}.
// AWS's JSON answers nest a few levels; a document nested deeper than this is refused before it
// is parsed (wire_request.h's scan), so that nothing walks it recursively (nlohmann's dump and
// destructor recurse).
constexpr std::size_t kMaxJsonDepth = 256;

core::Result<nlohmann::json, AwsError> read_json_object(const TransportResponse& response,
                                                        std::string_view service,
                                                        std::string_view operation) {
  if (core::trim_pattern_space(response.body).empty()) return nlohmann::json::object();
  if (!json_nesting_depth(response.body, kMaxJsonDepth)) {
    return core::unexpected(response_error(
        response, service, operation,
        "the response nests JSON more than " + std::to_string(kMaxJsonDepth) + " levels deep"));
  }
  nlohmann::json value = nlohmann::json::parse(response.body, nullptr, false);
  if (value.is_discarded()) {
    return core::unexpected(response_error(
        response, service, operation,
        "the response is not valid JSON: \"" + core::printable(response.body, 120) + "\""));
  }
  if (!value.is_object()) {
    return core::unexpected(
        response_error(response, service, operation, "the response is JSON but not an object"));
  }
  return value;
}

// The NextToken of a query answer: <NextToken> under <{Action}Result>, or ec2's <nextToken>
// under the root.
std::string query_next_token(const pugi::xml_document& document, std::string_view action) {
  const pugi::xml_node result = query_result(document, action);
  if (result) return xml_own_text(xml_child(result, "NextToken"));
  const pugi::xml_node root = document.document_element();
  const pugi::xml_node token = xml_child(root, "nextToken");
  return token ? xml_own_text(token) : xml_own_text(xml_child(root, "NextToken"));
}

std::string files_tried(const ResolvedChain& chain) {
  std::string files;
  for (const std::string* path : {&chain.credentials_file, &chain.config_file}) {
    if (path->empty()) continue;
    if (!files.empty()) files += " or ";
    files += *path;
  }
  if (files.empty())
    return "profile " + chain.profile + " (no credentials or config file: HOME is not set)";
  return "profile " + chain.profile + " in " + files;
}

bool is_true(const std::optional<std::string>& value) {
  if (!value) return false;
  const std::string_view text = core::trim_pattern_space(*value);
  return text.size() == 4 && (text[0] | 0x20) == 't' && (text[1] | 0x20) == 'r' &&
         (text[2] | 0x20) == 'u' && (text[3] | 0x20) == 'e';
}

}  // namespace

std::string aws_json_text(const nlohmann::json& value) {
  const std::string compact =
      value.is_null() ? std::string("{}")
                      : value.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(compact.size() + compact.size() / 4 + 2);
  bool in_string = false;
  bool escaped = false;
  for (const char c : compact) {
    out += c;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == ':' || c == ',') {
      out += ' ';
    }
  }
  return out;
}

Client::Client(ClientOptions options, std::unique_ptr<Transport> transport)
    : options_(std::move(options)), transport_(std::move(transport)) {
  if (!options_.now) {
    options_.now = [] {
      return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
    };
  }
  if (!options_.sleep) {
    options_.sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
  }
  if (!options_.jitter) {
    std::random_device device;
    const std::uint64_t seed = (static_cast<std::uint64_t>(device()) << 32) ^ device();
    options_.jitter = [engine = std::mt19937_64(seed)]() mutable {
      return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
    };
  }
}

core::Result<Client::Call, AwsError> Client::prepare(std::string_view service,
                                                     std::string_view operation, ErrorFormat format,
                                                     std::string_view method, std::string_view path,
                                                     std::string_view query,
                                                     std::vector<Header> headers,
                                                     std::string body) const {
  const auto fail = [&](std::string message) {
    return core::unexpected(
        make_error(AwsError::Kind::kNetwork, service, operation, std::move(message)));
  };
  if (!transport_) return fail("the client was built without a transport");
  if (!is_service_name(service)) {
    return fail("\"" + core::printable(service, 64) + "\" is not an AWS service name");
  }
  if (options_.region.empty()) return fail("no region: pass --region or set AWS_REGION");
  if (!is_region_name(options_.region)) {
    return fail("the region \"" + core::printable(options_.region, 64) +
                "\" is not an AWS region name (like us-east-1)");
  }
  if (path.empty() || path.front() != '/') {
    return fail("the request path \"" + core::printable(path, 64) + "\" does not start with '/'");
  }
  const std::string endpoint = service_endpoint(service, options_.region, options_.endpoint_url);
  auto parts = split_endpoint(endpoint);
  if (!parts) return fail(std::move(parts).error());

  Call call;
  call.service = std::string(service);
  call.signing_name = signing_name(service);
  call.operation = std::string(operation);
  call.format = format;
  call.request.method = std::string(method);
  call.request.path = parts->base_path + std::string(path);
  call.request.query = std::string(query);
  call.url = parts->origin + call.request.path;
  if (!query.empty()) call.url += "?" + std::string(query);
  call.request.headers.reserve(headers.size() + 7);
  call.request.headers.push_back({"Host", parts->host});
  for (Header& header : headers) call.request.headers.push_back(std::move(header));
  call.request.headers.push_back({"User-Agent", user_agent()});
  call.request.body = std::move(body);
  return call;
}

std::chrono::milliseconds Client::backoff(int retry) {
  const double base = static_cast<double>(std::max<std::int64_t>(options_.base_delay.count(), 0));
  const double cap = static_cast<double>(std::max<std::int64_t>(options_.max_delay.count(), 0));
  const double grown = std::min(cap, std::ldexp(base, std::min(retry, 62)));
  double jitter = options_.jitter();
  if (!(jitter >= 0.0)) jitter = 0.0;  // NaN too
  jitter = std::min(jitter, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(grown * jitter)));
}

core::Result<TransportResponse, AwsError> Client::send(const Call& call) {
  const int max_attempts = std::max(1, options_.max_attempts);
  for (int attempt = 1;; ++attempt) {
    HttpRequest request = call.request;
    auto signed_request =
        sign(request, options_.credentials, options_.region, call.signing_name, options_.now(), call.signing);
    if (!signed_request) {
      AwsError error = make_error(AwsError::Kind::kNetwork, call.service, call.operation,
                                  "could not sign the request: " + signed_request.error().message);
      error.attempts = attempt;
      return core::unexpected(std::move(error));
    }
    // After Host, unsigned (as botocore leaves it: proxies may rewrite it).
    request.headers.insert(request.headers.begin() + 1, Header{"Accept-Encoding", "identity"});
    auto sent = transport_->send(call.url, request, options_.timeout);
    AwsError error;
    bool retryable = true;  // a failure on the wire
    if (sent) {
      if (is_2xx(sent->status)) return std::move(*sent);
      error = error_from_response(call.format, call.service, call.operation, *sent);
      retryable = is_retryable_answer(error.http_status, error.code);
    } else {
      error = make_error(AwsError::Kind::kNetwork, call.service, call.operation,
                         std::move(sent).error());
    }
    error.attempts = attempt;
    if (!retryable || attempt >= max_attempts) return core::unexpected(std::move(error));
    options_.sleep(backoff(attempt - 1));
  }
}

core::Result<XmlDocument, AwsError> Client::query(std::string_view service, std::string_view action,
                                                  std::string_view version,
                                                  const QueryParameters& params) {
  std::string body = "Action=";
  append_form_encoded(body, action);
  body += "&Version=";
  append_form_encoded(body, version);
  for (const auto& [name, value] : params) {
    body += '&';
    append_form_encoded(body, name);
    body += '=';
    append_form_encoded(body, value);
  }
  auto call = prepare(service, action, ErrorFormat::kXml, "POST", "/", "",
                      {{"Content-Type", std::string(kFormContentType)}}, std::move(body));
  if (!call) return core::unexpected(std::move(call).error());
  auto response = send(*call);
  if (!response) return core::unexpected(std::move(response).error());

  auto document = std::make_shared<pugi::xml_document>();
  const pugi::xml_parse_result parsed =
      document->load_buffer(response->body.data(), response->body.size());
  if (!parsed) {
    return core::unexpected(response_error(
        *response, service, action,
        "the response is not readable XML (" + std::string(parsed.description()) + " at byte " +
            std::to_string(parsed.offset) + "): \"" + core::printable(response->body, 120) + "\""));
  }
  if (!document->document_element()) {
    return core::unexpected(
        response_error(*response, service, action, "the response XML has no root element"));
  }
  return document;
}

core::Result<std::vector<XmlDocument>, AwsError> Client::query_all(std::string_view service,
                                                                   std::string_view action,
                                                                   std::string_view version,
                                                                   const QueryParameters& params) {
  std::vector<XmlDocument> pages;
  QueryParameters page_params;
  page_params.reserve(params.size() + 1);
  for (const auto& param : params) {
    if (param.first != "NextToken") page_params.push_back(param);
  }
  std::string token;
  for (;;) {
    QueryParameters sent = page_params;
    if (!token.empty()) sent.emplace_back("NextToken", token);
    auto page = query(service, action, version, sent);
    if (!page) return core::unexpected(std::move(page).error());
    std::string next = query_next_token(**page, action);
    pages.push_back(std::move(*page));
    if (next.empty()) return pages;
    if (next == token) {
      return core::unexpected(make_error(AwsError::Kind::kResponse, service, action,
                                         "the service returned the same NextToken twice (page " +
                                             std::to_string(pages.size()) + "): \"" +
                                             core::printable(next, 80) + "\""));
    }
    token = std::move(next);
  }
}

core::Result<nlohmann::json, AwsError> Client::json(std::string_view service,
                                                    std::string_view target,
                                                    const nlohmann::json& body) {
  const auto dot = target.rfind('.');
  const std::string_view operation =
      dot == std::string_view::npos ? target : target.substr(dot + 1);
  if (!body.is_null() && !body.is_object()) {
    return core::unexpected(make_error(AwsError::Kind::kNetwork, service, operation,
                                       "the request body must be a JSON object"));
  }
  auto call = prepare(
      service, operation, ErrorFormat::kJson, "POST", "/", "",
      {{"X-Amz-Target", std::string(target)}, {"Content-Type", std::string(kJson11ContentType)}},
      aws_json_text(body));
  if (!call) return core::unexpected(std::move(call).error());
  auto response = send(*call);
  if (!response) return core::unexpected(std::move(response).error());
  return read_json_object(*response, service, operation);
}

core::Result<nlohmann::json, AwsError> Client::json_all(std::string_view service,
                                                        std::string_view target,
                                                        nlohmann::json body,
                                                        std::string_view token_field,
                                                        std::string_view list_field) {
  const auto dot = target.rfind('.');
  const std::string_view operation =
      dot == std::string_view::npos ? target : target.substr(dot + 1);
  if (body.is_null()) body = nlohmann::json::object();
  if (!body.is_object()) {
    return core::unexpected(make_error(AwsError::Kind::kNetwork, service, operation,
                                       "the request body must be a JSON object"));
  }
  const std::string token_key(token_field);
  const std::string list_key(list_field);
  body.erase(token_key);
  nlohmann::json combined;
  nlohmann::json items = nlohmann::json::array();
  std::string token;
  for (int page_number = 1;; ++page_number) {
    nlohmann::json page_body = body;
    if (!token.empty()) page_body[token_key] = token;
    auto page = json(service, target, page_body);
    if (!page) return core::unexpected(std::move(page).error());
    nlohmann::json& answer = *page;
    const auto list = answer.find(list_key);
    if (list != answer.end() && !list->is_null()) {
      if (!list->is_array()) {
        return core::unexpected(make_error(AwsError::Kind::kResponse, service, operation,
                                           "the response's \"" + list_key + "\" is not a list"));
      }
      for (auto& item : *list) items.push_back(std::move(item));
    }
    std::string next;
    const auto next_token = answer.find(token_key);
    if (next_token != answer.end()) {
      if (const std::string* text = next_token->get_ptr<const std::string*>()) next = *text;
    }
    if (page_number == 1) combined = std::move(answer);
    if (next.empty()) break;
    if (next == token) {
      return core::unexpected(make_error(AwsError::Kind::kResponse, service, operation,
                                         "the service returned the same " + token_key +
                                             " twice (page " + std::to_string(page_number) +
                                             "): \"" + core::printable(next, 80) + "\""));
    }
    token = std::move(next);
  }
  combined.erase(token_key);
  combined[list_key] = std::move(items);
  return combined;
}

core::Result<nlohmann::json, AwsError> Client::rest_json(
    std::string_view service, std::string_view operation, std::string_view method,
    std::string_view path, std::string_view query, const std::optional<nlohmann::json>& body) {
  std::vector<Header> headers;
  std::string text;
  if (body) {
    headers.push_back({"Content-Type", "application/json"});
    text = aws_json_text(*body);
  }
  auto call = prepare(service, operation, ErrorFormat::kRestJson, method, path, query,
                      std::move(headers), std::move(text));
  if (!call) return core::unexpected(std::move(call).error());
  auto response = send(*call);
  if (!response) return core::unexpected(std::move(response).error());
  return read_json_object(*response, service, operation);
}

core::Result<TransportResponse, AwsError> Client::rest_raw(const RawRequest& raw) {
  const bool path_style = !raw.bucket.empty() && (options_.endpoint_url.has_value() ||
                                                  raw.bucket.find('.') != std::string::npos);
  std::string path = raw.path;
  if (path_style) path = "/" + uri_encode(raw.bucket, true) + (path == "/" ? std::string() : path);
  auto call = prepare(raw.service, raw.operation, ErrorFormat::kXml, raw.method, path, raw.query, raw.headers,
                      raw.body);
  if (!call) return core::unexpected(std::move(call).error());
  if (raw.s3) call->signing = SigningOptions::s3();
  if (!raw.bucket.empty() && !path_style) {
    // Virtual-hosted style: the bucket leads the host name.
    auto parts = split_endpoint(service_endpoint(raw.service, options_.region, options_.endpoint_url));
    if (!parts) {
      return core::unexpected(make_error(AwsError::Kind::kNetwork, raw.service, raw.operation,
                                         std::move(parts).error()));
    }
    const std::string host = raw.bucket + "." + parts->host;
    const auto scheme_end = parts->origin.find("://");
    call->url = parts->origin.substr(0, scheme_end + 3) + host + call->request.path;
    if (!raw.query.empty()) call->url += "?" + raw.query;
    call->request.set_header("Host", host);
  }
  return send(*call);
}

core::Result<ClientSetup, std::string> resolve_client(
    const CredentialRequest& request, const std::optional<std::string>& endpoint_url,
    const CredentialEnvironment& environment, Transport& metadata_transport) {
  auto chain = resolve_chain(request, environment);
  if (!chain) return core::unexpected(std::move(chain).error());
  ClientSetup setup;
  setup.options.endpoint_url = endpoint_url;
  std::optional<std::string> region = chain->region;

  if (chain->credentials) {
    setup.options.credentials = chain->credentials->credentials;
    setup.credential_source = chain->credentials->source;
  } else {
    const bool explicit_profile = request.profile.has_value() && !request.profile->empty();
    std::string tried = explicit_profile ? std::string()
                                         : std::string(
                                               "the environment (AWS_ACCESS_KEY_ID and "
                                               "AWS_SECRET_ACCESS_KEY), ");
    tried += files_tried(*chain);
    if (is_true(environment.getenv("AWS_EC2_METADATA_DISABLED"))) {
      return core::unexpected("no credentials: none in " + tried +
                              ", and the EC2 instance metadata service is disabled "
                              "(AWS_EC2_METADATA_DISABLED=true)");
    }
    InstanceMetadataOptions metadata_options;
    if (auto endpoint = environment.getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT")) {
      metadata_options.endpoint = *endpoint;
    }
    InstanceMetadata metadata(metadata_transport, metadata_options);
    auto instance = metadata.credentials();
    if (!instance) {
      return core::unexpected("no credentials: none in " + tried +
                              ", and none from the EC2 instance metadata service at " +
                              metadata_options.endpoint + " (" + instance.error() + ")");
    }
    setup.options.credentials = instance->credentials;
    setup.credential_source = "EC2 instance metadata (role " + instance->role + ")";
    if (!region) {
      auto from_instance = metadata.region();
      if (!from_instance) {
        return core::unexpected(
            "no region: pass --region or set AWS_REGION (the EC2 instance metadata service did not "
            "give one: " +
            from_instance.error() + ")");
      }
      region = std::move(*from_instance);
    }
  }
  if (!region || region->empty()) {
    return core::unexpected(std::string("no region: pass --region or set AWS_REGION"));
  }
  if (!is_region_name(*region)) {
    return core::unexpected("the region \"" + core::printable(*region, 64) +
                            "\" is not an AWS region name (like us-east-1)");
  }
  setup.options.region = std::move(*region);
  return setup;
}

}  // namespace sgwatch::aws
