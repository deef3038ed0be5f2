// Helpers for the api tests: signed requests as the AWS CLIs build them (awsQuery forms and
// CloudWatch's JSON 1.0), an engine on a temporary state store with a Dispatcher over it, and a
// protocol-neutral view of answers ("loose" JSON: XML and JSON bodies read into the same
// values) so that one expectation checks both protocols.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/cloudwatch_api.h"
#include "api/dispatch.h"
#include "api/sts_api.h"
#include "aws/aws.h"
#include "core/clock.h"
#include "core/time.h"
#include "engine/alarm_engine.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace sgwatch::api::testing {

using Json = nlohmann::json;

inline constexpr std::string_view kAccessKey = "AKIDEXAMPLE";
inline constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
inline constexpr std::string_view kRegion = "us-west-2";
inline constexpr std::string_view kHost = "127.0.0.1:4566";

inline aws::Credentials example_credentials() {
  return aws::Credentials{std::string(kAccessKey), std::string(kSecret), ""};
}

// Test inputs write timestamps as ISO-8601 strings; botocore sends them as epoch seconds in
// JSON and as the ISO text in forms.
inline bool is_timestamp_member(std::string_view name) {
  return name == "StartTime" || name == "EndTime" || name == "StartDate" || name == "EndDate" ||
         name == "Timestamp";
}

// The JSON 1.0 body botocore sends for `input`.
inline Json json_input(const Json& input) {
  if (input.is_object()) {
    Json out = Json::object();
    for (const auto& [name, value] : input.items()) {
      if (is_timestamp_member(name) && value.is_string()) {
        out[name] = *core::parse_iso8601(value.get<std::string>());
      } else {
        out[name] = json_input(value);
      }
    }
    return out;
  }
  if (input.is_array()) {
    Json out = Json::array();
    for (const Json& item : input) out.push_back(json_input(item));
    return out;
  }
  return input;
}

// The awsQuery form botocore sends for `input` (lists as .member.N, structures as .Field).
inline void add_query_value(aws::QueryBuilder& builder, const std::string& name,
                            const Json& value) {
  if (value.is_object()) {
    for (const auto& [field, item] : value.items())
      add_query_value(builder, name + "." + field, item);
  } else if (value.is_array()) {
    if (value.empty()) builder.add(name, "");
    for (std::size_t i = 0; i < value.size(); ++i) {
      add_query_value(builder, name + ".member." + std::to_string(i + 1), value[i]);
    }
  } else if (value.is_boolean()) {
    builder.add(name, value.get<bool>() ? "true" : "false");
  } else if (value.is_number_float()) {
    builder.add(name, aws::format_aws_double(value.get<double>()));
  } else if (value.is_number()) {
    builder.add(name, value.dump());
  } else if (value.is_string()) {
    builder.add(name, value.get<std::string>());
  }
}

inline std::string query_body(std::string_view action, std::string_view version,
                              const Json& input) {
  aws::QueryBuilder builder;
  builder.add("Action", action).add("Version", version);
  if (input.is_object()) {
    for (const auto& [name, value] : input.items()) add_query_value(builder, name, value);
  }
  return builder.take();
}

inline aws::HttpRequest base_request(std::string content_type, std::string body) {
  aws::HttpRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers.push_back({"Host", std::string(kHost)});
  request.headers.push_back({"Accept-Encoding", "identity"});
  request.headers.push_back({"Content-Type", std::move(content_type)});
  request.body = std::move(body);
  return request;
}

inline void sign(aws::HttpRequest& request, std::string_view signing_name,
                 std::int64_t unix_seconds,
                 const aws::Credentials& credentials = example_credentials(),
                 std::string_view region = kRegion) {
  auto signed_request = aws::sign(request, credentials, region, signing_name, unix_seconds);
  ASSERT_TRUE(signed_request.ok()) << signed_request.error().message;
}

// A CloudWatch request as CLI 2.9.19 (awsQuery) or botocore 1.43 (JSON 1.0) sends it, unsigned.
inline aws::HttpRequest cloudwatch_request(aws::Protocol protocol, std::string_view operation,
                                           const Json& input) {
  if (protocol == aws::Protocol::kAwsJson1_0) {
    aws::HttpRequest request = base_request("application/x-amz-json-1.0", json_input(input).dump());
    request.headers.insert(
        request.headers.begin() + 2,
        {"X-Amz-Target", "GraniteServiceVersion20100801." + std::string(operation)});
    request.headers.push_back({"x-amzn-query-mode", "true"});
    return request;
  }
  return base_request("application/x-www-form-urlencoded; charset=utf-8",
                      query_body(operation, "2010-08-01", input));
}

// ---- reading answers --------------------------------------------------------------------------

// A leaf of either protocol: "true"/"false" -> bool, ISO-8601 -> epoch seconds, numbers -> double.
inline Json loose_scalar(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  if (text.size() >= 20 && text[4] == '-' && text[10] == 'T') {
    if (const auto seconds = core::parse_iso8601(text)) return static_cast<double>(*seconds);
  }
  if (!text.empty()) {
    char* end = nullptr;
    const double number = std::strtod(text.c_str(), &end);
    if (end == text.c_str() + text.size() &&
        (text[0] == '-' || (text[0] >= '0' && text[0] <= '9'))) {
      return number;
    }
  }
  return text;
}

// A JSON answer in the loose form: numbers as doubles, strings through loose_scalar, empty lists,
// strings and objects as null (XML cannot tell them apart).
inline Json loose_json(const Json& value) {
  if (value.is_object()) {
    if (value.empty()) return nullptr;
    Json out = Json::object();
    for (const auto& [name, item] : value.items()) out[name] = loose_json(item);
    return out;
  }
  if (value.is_array()) {
    if (value.empty()) return nullptr;
    Json out = Json::array();
    for (const Json& item : value) out.push_back(loose_json(item));
    return out;
  }
  if (value.is_string()) {
    if (value.get_ref<const std::string&>().empty()) return nullptr;
    return loose_scalar(value.get<std::string>());
  }
  if (value.is_number()) return value.get<double>();
  return value;
}

// A minimal XML reader for the answers (elements, text, entities; no attributes but xmlns).
class XmlReader {
 public:
  struct Node {
    std::string name;
    std::string text;
    std::vector<Node> children;
  };
  explicit XmlReader(std::string_view text) : text_(text) {}
  std::optional<Node> document() {
    skip_prolog();
    auto node = element();
    return node;
  }

 private:
  void skip_space() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t'))
      ++at_;
  }
  void skip_prolog() {
    skip_space();
    if (text_.substr(at_, 5) == "<?xml") at_ = text_.find("?>", at_) + 2;
    skip_space();
  }
  static std::string unescape(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '&') {
        out += text[i];
        continue;
      }
      const std::size_t semi = text.find(';', i);
      const std::string_view entity = text.substr(i + 1, semi - i - 1);
      if (entity == "amp")
        out += '&';
      else if (entity == "lt")
        out += '<';
      else if (entity == "gt")
        out += '>';
      else if (entity == "quot")
        out += '"';
      else if (entity == "apos")
        out += '\'';
      else if (entity.starts_with("#x"))
        out += static_cast<char>(std::stoi(std::string(entity.substr(2)), nullptr, 16));
      else if (entity.starts_with("#"))
        out += static_cast<char>(std::stoi(std::string(entity.substr(1))));
      i = semi;
    }
    return out;
  }
  std::optional<Node> element() {
    skip_space();
    if (at_ >= text_.size() || text_[at_] != '<') return std::nullopt;
    const std::size_t close = text_.find('>', at_);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view tag = text_.substr(at_ + 1, close - at_ - 1);
    at_ = close + 1;
    const bool empty = tag.ends_with('/');
    if (empty) tag.remove_suffix(1);
    Node node;
    node.name = std::string(tag.substr(0, tag.find(' ')));
    if (empty) return node;
    while (true) {
      const std::size_t next = text_.find('<', at_);
      if (next == std::string_view::npos) return std::nullopt;
      if (text_.substr(next, 2) == "</") {
        node.text += unescape(text_.substr(at_, next - at_));
        at_ = text_.find('>', next) + 1;
        if (!node.children.empty()) node.text.clear();
        return node;
      }
      at_ = next;
      auto child = element();
      if (!child) return std::nullopt;
      node.children.push_back(std::move(*child));
    }
  }
  std::string_view text_;
  std::size_t at_ = 0;
};

inline Json loose_xml_node(const XmlReader::Node& node) {
  if (node.children.empty()) return node.text.empty() ? Json(nullptr) : loose_scalar(node.text);
  bool members = true;
  bool entries = true;
  for (const auto& child : node.children) {
    members = members && child.name == "member";
    entries = entries && child.name == "entry";
  }
  if (members) {
    Json out = Json::array();
    for (const auto& child : node.children) out.push_back(loose_xml_node(child));
    return out;
  }
  Json out = Json::object();
  if (entries) {
    for (const auto& entry : node.children) {
      std::string key;
      Json value;
      for (const auto& part : entry.children) {
        if (part.name == "key") key = part.text;
        if (part.name == "value") value = loose_xml_node(part);
      }
      out[key] = value;
    }
    return out;
  }
  for (const auto& child : node.children) out[child.name] = loose_xml_node(child);
  return out;
}

// The answer's output in the loose form: <OpResult>'s content for awsQuery (null when there is
// none), the JSON object otherwise.
inline Json loose_output(const aws::HttpResponse& response) {
  const std::string* type = response.find_header("Content-Type");
  if (type != nullptr && type->starts_with("text/xml")) {
    auto root = XmlReader(response.body).document();
    EXPECT_TRUE(root.has_value()) << "the XML does not parse: " << response.body;
    if (!root) return nullptr;
    for (const auto& child : root->children) {
      if (child.name.ends_with("Result")) return loose_xml_node(child);
    }
    return nullptr;
  }
  if (response.body.empty()) return nullptr;
  return loose_json(Json::parse(response.body));
}

// The error code an AWS CLI reads from the answer: x-amzn-query-error, else <Code>, else __type
// after its '#'.
inline std::string error_code(const aws::HttpResponse& response) {
  if (const std::string* header = response.find_header("x-amzn-query-error")) {
    return header->substr(0, header->find(';'));
  }
  const std::string* type = response.find_header("Content-Type");
  if (type != nullptr && type->starts_with("text/xml")) {
    const std::size_t open = response.body.find("<Code>");
    if (open == std::string::npos) return {};
    const std::size_t close = response.body.find("</Code>");
    return response.body.substr(open + 6, close - open - 6);
  }
  const Json body = Json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("__type")) return {};
  const std::string full = body["__type"].get<std::string>();
  return full.substr(full.rfind('#') + 1);
}

// ---- an engine behind a dispatcher ------------------------------------------------------------

struct ApiHarness {
  explicit ApiHarness(std::int64_t now_ms, DispatcherOptions options = {}) : clock(now_ms) {
    secrets.add(std::string(kAccessKey), std::string(kSecret));
    auto opened = store::Store::open(dir.path());
    EXPECT_TRUE(opened.ok());
    store = std::move(*opened);
    auto engine_opened = engine::AlarmEngine::open(
        *store, clock, engine::EngineOptions{"us-west-2", "123456789012"});
    EXPECT_TRUE(engine_opened.ok());
    engine = std::move(*engine_opened);
    CloudWatchOptions cloudwatch_options;
    cloudwatch_options.on_transitions = [this](const std::vector<alarms::Transition>& t) {
      transitions.insert(transitions.end(), t.begin(), t.end());
    };
    cloudwatch = std::make_unique<CloudWatchApi>(*engine, std::move(cloudwatch_options));
    StsOptions sts_options;
    sts_options.user_names[std::string(kAccessKey)] = "auditor";
    sts = std::make_unique<StsApi>(std::move(sts_options));
    dispatcher = std::make_unique<Dispatcher>(secrets, clock, std::move(options));
    dispatcher->register_service(aws::Service::kCloudWatch, *cloudwatch);
    dispatcher->register_service(aws::Service::kSts, *sts);
  }

  // Signs `request` now (the harness clock) and dispatches it.
  aws::HttpResponse send(aws::HttpRequest request, std::string_view signing_name = "monitoring") {
    sign(request, signing_name, clock.now_ms() / 1000);
    return dispatcher->dispatch(request);
  }
  aws::HttpResponse cloudwatch_call(aws::Protocol protocol, std::string_view operation,
                                    const Json& input) {
    return send(cloudwatch_request(protocol, operation, input));
  }

  ::sgwatch::testing::TempDir dir{"sgwatch-api"};
  core::ManualClock clock;
  aws::StaticSecrets secrets;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<engine::AlarmEngine> engine;
  std::unique_ptr<CloudWatchApi> cloudwatch;
  std::unique_ptr<StsApi> sts;
  std::unique_ptr<Dispatcher> dispatcher;
  std::vector<alarms::Transition> transitions;
};

}  // namespace sgwatch::api::testing
