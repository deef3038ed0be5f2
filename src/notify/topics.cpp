#include "notify/topics.h"

#include <fmt/format.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/random.h"
#include "notify/delivery.h"
#include "notify/email_message.h"
#include "notify/http_envelope.h"
#include "notify/json_text.h"
#include "notify/message_structure.h"
#include "notify/retry_policy.h"
#include "notify/slack_message.h"
#include "notify/timestamps.h"
#include "notify/url.h"

namespace sgwatch::notify {

namespace {

constexpr std::array<std::string_view, 9> kProtocols{"email", "email-json", "http",   "https",  "sms",
                                                     "slack", "file",       "stdout", "aws-sns"};
constexpr std::array<std::string_view, 6> kTopicAttributes{"DisplayName",    "Policy",        "DeliveryPolicy",
                                                           "SignatureVersion", "KmsMasterKeyId", "TracingConfig"};
constexpr std::size_t kMaxMessageBytes = 262'144;
constexpr std::size_t kMaxSmsCharacters = 1'600;
constexpr std::size_t kMaxSlackText = 40'000;

Error invalid(std::string message) { return Error{"InvalidParameter", std::move(message)}; }
Error not_found(std::string message) { return Error{"NotFound", std::move(message)}; }
Error internal(const std::string& message) { return Error{"InternalError", message}; }

// Attributes kept as a JSON object of strings.
nlohmann::ordered_json attributes_json(std::string_view text) {
  auto json = nlohmann::ordered_json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return nlohmann::ordered_json::object();
  return json;
}

std::string dump(const nlohmann::ordered_json& json);

// `attributes` with `name` set to `value`, or removed when `value` is empty.
std::string with_attribute(std::string_view attributes, std::string_view name, const std::string& value) {
  auto json = attributes_json(attributes);
  if (value.empty()) {
    json.erase(std::string(name));
  } else {
    json[std::string(name)] = value;
  }
  return dump(json);
}

std::string attribute(std::string_view attributes, std::string_view name) {
  const auto json = attributes_json(attributes);
  const auto it = json.find(std::string(name));
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string dump(const nlohmann::ordered_json& json) {
  std::string out;
  append_json(out, json);
  return out;
}

bool valid_topic_name(std::string_view name) {
  if (name.empty() || name.size() > 256) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
  });
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

bool valid_url(std::string_view endpoint, std::string_view scheme) {
  if (!starts_with_ci(endpoint, scheme) || has_control(endpoint) || endpoint.find(' ') != std::string_view::npos) {
    return false;
  }
  const auto rest = endpoint.substr(scheme.size());
  const auto host_end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, host_end);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
  return !authority.empty() && authority.front() != ':';
}

bool valid_email(std::string_view address) {
  const auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  if (address.size() > 254 || has_control(address)) return false;
  return std::none_of(address.begin(), address.end(), [](char c) { return c == ' ' || c == '<' || c == '>' || c == ','; });
}

bool valid_phone(std::string_view phone) {
  if (phone.size() < 9 || phone.size() > 16 || phone.front() != '+') return false;
  return std::all_of(phone.begin() + 1, phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool valid_sns_arn(std::string_view arn) {
  // arn:<partition>:sns:<region>:<account>:<name>
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto colon = arn.find(':', start);
    parts.push_back(arn.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  return parts.size() == 6 && parts[0] == "arn" && parts[1].starts_with("aws") && parts[2] == "sns" &&
         !parts[3].empty() && parts[4].size() == 12 && valid_topic_name(parts[5]);
}

core::Result<void, Error> validate_endpoint(std::string_view protocol, std::string_view endpoint) {
  bool ok = true;
  if (protocol == "http") {
    ok = valid_url(endpoint, "http://");
  } else if (protocol == "https") {
    ok = valid_url(endpoint, "https://");
  } else if (protocol == "slack") {
    ok = valid_url(endpoint, "https://") || valid_url(endpoint, "http://");
  } else if (protocol == "email" || protocol == "email-json") {
    if (!valid_email(endpoint)) return core::unexpected(invalid("Invalid parameter: Email address"));
  } else if (protocol == "sms") {
    if (!valid_phone(endpoint)) {
      return core::unexpected(invalid("Invalid parameter: Invalid SMS endpoint: an E.164 number such as +15555550100"));
    }
  } else if (protocol == "file") {
    ok = !endpoint.empty() && endpoint.front() == '/' && !has_control(endpoint);
    if (!ok) return core::unexpected(invalid("Invalid parameter: Endpoint: file subscriptions take an absolute path"));
  } else if (protocol == "aws-sns") {
    if (!valid_sns_arn(endpoint)) {
      return core::unexpected(invalid("Invalid parameter: Endpoint: aws-sns subscriptions take an SNS topic ARN"));
    }
  }
  if (!ok) return core::unexpected(invalid("Invalid parameter: Endpoint must match the specified protocol"));
  return {};
}

bool is_true(std::string_view value) { return value == "true" || value == "True" || value == "TRUE"; }

core::Result<void, Error> validate_boolean(std::string_view name, std::string_view value) {
  static constexpr std::array<std::string_view, 6> kValues{"true", "false", "True", "False", "TRUE", "FALSE"};
  if (std::find(kValues.begin(), kValues.end(), value) == kValues.end()) {
    return core::unexpected(invalid(fmt::format("Invalid parameter: Attributes Reason: {} must be true or false", name)));
  }
  return {};
}

// The subject of a Publish (spec 3): non-empty, fewer than 100 characters, no control characters.
core::Result<void, Error> validate_subject(const std::optional<std::string>& subject) {
  if (!subject) return {};
  if (subject->empty() || code_point_count(*subject) >= 100 || has_control(*subject) ||
      valid_utf8(*subject) != *subject) {
    return core::unexpected(invalid("Invalid parameter: Subject"));
  }
  return {};
}

std::string default_policy(std::string_view topic_arn, std::string_view account_id) {
  nlohmann::ordered_json statement = {
      {"Sid", "__default_statement_ID"},
      {"Effect", "Allow"},
      {"Principal", {{"AWS", "*"}}},
      {"Action",
       {"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
        "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"}},
      {"Resource", topic_arn},
      {"Condition", {{"StringEquals", {{"AWS:SourceOwner", account_id}}}}}};
  nlohmann::ordered_json policy = {{"Version", "2008-10-17"},
                                   {"Id", "__default_policy_ID"},
                                   {"Statement", nlohmann::ordered_json::array({statement})}};
  return dump(policy);
}

std::string policy_json(const HttpDeliveryPolicy& p) {
  nlohmann::ordered_json retry = {{"minDelayTarget", p.min_delay_target},
                                  {"maxDelayTarget", p.max_delay_target},
                                  {"numRetries", p.num_retries},
                                  {"numMaxDelayRetries", p.num_max_delay_retries},
                                  {"numNoDelayRetries", p.num_no_delay_retries},
                                  {"numMinDelayRetries", p.num_min_delay_retries},
                                  {"backoffFunction", std::string(backoff_name(p.backoff))}};
  return dump(retry);
}

// EffectiveDeliveryPolicy of a topic: its http policy (or SNS's default) in the topic form.
std::string effective_topic_delivery_policy(std::string_view delivery_policy) {
  TopicDeliveryPolicy topic;
  if (!delivery_policy.empty()) {
    if (auto parsed = parse_topic_delivery_policy(delivery_policy)) topic = std::move(*parsed);
  }
  const HttpDeliveryPolicy http = topic.http.value_or(HttpDeliveryPolicy{});
  nlohmann::ordered_json out = {
      {"http",
       {{"defaultHealthyRetryPolicy", nlohmann::ordered_json::parse(policy_json(http))},
        {"disableSubscriptionOverrides", topic.disable_subscription_overrides},
        {"defaultRequestPolicy", {{"headerContentType", std::string(kDefaultContentType)}}}}}};
  if (http.max_receives_per_second) {
    out["http"]["defaultThrottlePolicy"] = {{"maxReceivesPerSecond", *http.max_receives_per_second}};
  }
  return dump(out);
}

std::string mail_domain(std::string_view address) {
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string("sgwatch.localhost") : std::string(address.substr(at + 1));
}

// One line of JSON for file and stdout subscriptions: the document's members in SNS's order.
std::string document_line(const SnsDocument& d, std::string_view subscription_arn) {
  nlohmann::ordered_json out;
  out["Type"] = std::string(message_type_name(d.type));
  out["MessageId"] = d.message_id;
  out["TopicArn"] = d.topic_arn;
  if (d.subject) out["Subject"] = *d.subject;
  out["Message"] = d.message;
  out["Timestamp"] = sns_timestamp(d.timestamp_ms);
  out["SignatureVersion"] = std::string(signature_version_text(d.signature_version));
  out["Signature"] = d.signature;
  out["SigningCertURL"] = d.signing_cert_url;
  out["UnsubscribeURL"] = d.unsubscribe_url;
  out["SubscriptionArn"] = std::string(subscription_arn);
  return dump(out);
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool is_supported_protocol(std::string_view protocol) {
  return std::find(kProtocols.begin(), kProtocols.end(), protocol) != kProtocols.end();
}

bool needs_confirmation(std::string_view protocol) {
  return protocol == "email" || protocol == "email-json" || protocol == "http" || protocol == "https";
}

// Opens a transaction unless the caller has one; rolls back what it opened unless committed.
struct TopicService::Transaction {
  explicit Transaction(store::Store& store) : store_(store), owned_(!store.in_transaction()) {}
  ~Transaction() {
    if (owned_ && open_) store_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  core::Result<void, Error> begin() {
    if (!owned_) return {};
    auto ok = store_.begin();
    if (!ok) return core::unexpected(internal(ok.error()));
    open_ = true;
    return {};
  }
  core::Result<void, Error> commit() {
    if (!owned_ || !open_) return {};
    open_ = false;
    auto ok = store_.commit();
    if (!ok) return core::unexpected(internal(ok.error()));
    return {};
  }

 private:
  store::Store& store_;
  bool owned_;
  bool open_ = false;
};

TopicService::TopicService(store::Store& store, const core::Clock& clock, TopicsOptions options,
                           SigningIdentity identity)
    : store_(store), clock_(clock), options_(std::move(options)), identity_(std::move(identity)) {
  while (!options_.public_url.empty() && options_.public_url.back() == '/') options_.public_url.pop_back();
  auto id = certificate_id(identity_.certificate_pem);
  cert_path_ = "/SimpleNotificationService-" + (id ? *id : std::string("sgwatch")) + ".pem";
}

std::string TopicService::confirm_url(std::string_view topic_arn, std::string_view token) const {
  return fmt::format("{}{}?Action=ConfirmSubscription&TopicArn={}&Token={}", options_.public_url, kConfirmPath,
                     query_value(topic_arn), query_value(token));
}

std::string TopicService::unsubscribe_link(std::string_view subscription_arn) const {
  return fmt::format("{}{}?Action=Unsubscribe&SubscriptionArn={}", options_.public_url, kUnsubscribePath,
                     query_value(subscription_arn));
}

core::Result<std::optional<store::TopicRecord>, Error> TopicService::find_topic(std::string_view arn) {
  auto topics = store_.topics();
  if (!topics) return core::unexpected(internal(topics.error()));
  for (auto& topic : *topics) {
    if (topic.arn == arn) return std::optional<store::TopicRecord>(std::move(topic));
  }
  return std::optional<store::TopicRecord>();
}

core::Result<std::optional<store::SubscriptionRecord>, Error> TopicService::find_subscription(std::string_view arn) {
  auto subscriptions = store_.subscriptions();
  if (!subscriptions) return core::unexpected(internal(subscriptions.error()));
  for (auto& subscription : *subscriptions) {
    if (subscription.arn == arn) return std::optional<store::SubscriptionRecord>(std::move(subscription));
  }
  return std::optional<store::SubscriptionRecord>();
}

// ---- topics ----------------------------------------------------------------------------------

core::Result<std::string, Error> TopicService::create_topic(std::string_view name, const Attributes& attributes,
                                                            const Attributes& tags) {
  if (name.ends_with(".fifo")) {
    return core::unexpected(invalid("Invalid parameter: Topic Name: FIFO topics are not supported by sgwatch"));
  }
  if (!valid_topic_name(name)) {
    return core::unexpected(invalid(
        "Invalid parameter: Topic Name: must be 1 to 256 characters of letters, digits, hyphens and underscores"));
  }
  nlohmann::ordered_json stored = nlohmann::ordered_json::object();
  for (const auto& [key, value] : attributes) {
    if (std::find(kTopicAttributes.begin(), kTopicAttributes.end(), key) == kTopicAttributes.end()) {
      return core::unexpected(invalid(fmt::format("Invalid parameter: Attributes Reason: Unknown attribute {}", key)));
    }
    if (key == "SignatureVersion" && !parse_signature_version(value)) {
      return core::unexpected(invalid("Invalid parameter: Attributes Reason: SignatureVersion must be 1 or 2"));
    }
    if (key == "DeliveryPolicy") {
      auto policy = parse_topic_delivery_policy(value);
      if (!policy) return core::unexpected(policy.error());
    }
    stored[key] = valid_utf8(value);
  }
  nlohmann::ordered_json tag_list = nlohmann::ordered_json::array();
  for (const auto& [key, value] : tags) tag_list.push_back({{"Key", valid_utf8(key)}, {"Value", valid_utf8(value)}});

  const std::string arn = fmt::format("arn:{}:sns:{}:{}:{}", arn_partition(options_.region), options_.region,
                                      options_.account_id, name);
  Transaction tx(store_);
  auto ok = tx.begin();
  if (!ok) return core::unexpected(ok.error());
  auto existing = find_topic(arn);
  if (!existing) return core::unexpected(existing.error());
  if (*existing) {
    // Same name again: the same topic, unless the attributes asked for differ.
    const auto current = attributes_json((*existing)->attributes);
    for (const auto& [key, value] : stored.items()) {
      const auto it = current.find(key);
      if (it == current.end() || *it != value) {
        return core::unexpected(invalid("Invalid parameter: Attributes Reason: Topic already exists with different attributes"));
      }
    }
    return arn;
  }
  store::TopicRecord record{arn, std::string(name), dump(stored), dump(tag_list), clock_.now_ms()};
  auto put = store_.put_topic(record);
  if (!put) return core::unexpected(internal(put.error()));
  ok = tx.commit();
  if (!ok) return core::unexpected(ok.error());
  return arn;
}

core::Result<void, Error> TopicService::delete_topic(std::string_view topic_arn) {
  Transaction tx(store_);
  auto ok = tx.begin();
  if (!ok) return ok;
  auto subscriptions = store_.subscriptions();
  if (!subscriptions) return core::unexpected(internal(subscriptions.error()));
  for (const auto& subscription : *subscriptions) {
    if (subscription.topic_arn != topic_arn) continue;
    auto deleted = store_.delete_subscription(subscription.arn);
    if (!deleted) return core::unexpected(internal(deleted.error()));
  }
  auto deleted = store_.delete_topic(topic_arn);
  if (!deleted) return core::unexpected(internal(deleted.error()));
  return tx.commit();
}

core::Result<std::vector<store::TopicRecord>, Error> TopicService::list_topics() {
  auto topics = store_.topics();
  if (!topics) return core::unexpected(internal(topics.error()));
  return std::move(*topics);
}

core::Result<Attributes, Error> TopicService::topic_attributes(std::string_view topic_arn) {
  auto topic = find_topic(topic_arn);
  if (!topic) return core::unexpected(topic.error());
  if (!*topic) return core::unexpected(not_found("Topic does not exist"));
  auto subscriptions = store_.subscriptions();
  if (!subscriptions) return core::unexpected(internal(subscriptions.error()));
  int confirmed = 0;
  int pending = 0;
  for (const auto& s : *subscriptions) {
    if (s.topic_arn != topic_arn) continue;
    (s.confirmed ? confirmed : pending) += 1;
  }
  const auto stored = attributes_json((*topic)->attributes);
  const auto get = [&stored](const char* key) {
    const auto it = stored.find(key);
    return it != stored.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  Attributes out;
  out.reserve(12);
  const std::string policy = get("Policy");
  out.emplace_back("Policy", policy.empty() ? default_policy(topic_arn, options_.account_id) : policy);
  out.emplace_back("Owner", options_.account_id);
  out.emplace_back("SubscriptionsPending", std::to_string(pending));
  out.emplace_back("TopicArn", std::string(topic_arn));
  out.emplace_back("EffectiveDeliveryPolicy", effective_topic_delivery_policy(get("DeliveryPolicy")));
  out.emplace_back("SubscriptionsConfirmed", std::to_string(confirmed));
  out.emplace_back("DisplayName", get("DisplayName"));
  out.emplace_back("SubscriptionsDeleted", "0");
  for (const char* key : {"DeliveryPolicy", "SignatureVersion", "KmsMasterKeyId", "TracingConfig"}) {
    if (const auto value = get(key); !value.empty()) out.emplace_back(key, value);
  }
  return out;
}

core::Result<void, Error> TopicService::set_topic_attribute(std::string_view topic_arn, std::string_view name,
                                                            std::string_view value) {
  if (std::find(kTopicAttributes.begin(), kTopicAttributes.end(), name) == kTopicAttributes.end()) {
    return core::unexpected(invalid(fmt::format("Invalid parameter: AttributeName")));
  }
  if (name == "SignatureVersion" && !parse_signature_version(value)) {
    return core::unexpected(invalid("Invalid parameter: SignatureVersion must be 1 or 2"));
  }
  if (name == "DeliveryPolicy" && !value.empty()) {
    auto policy = parse_topic_delivery_policy(value);
    if (!policy) return core::unexpected(policy.error());
  }
  Transaction tx(store_);
  auto ok = tx.begin();
  if (!ok) return ok;
  auto topic = find_topic(topic_arn);
  if (!topic) return core::unexpected(topic.error());
  if (!*topic) return core::unexpected(not_found("Topic does not exist"));
  (*topic)->attributes = with_attribute((*topic)->attributes, name, valid_utf8(value));
  auto put = store_.put_topic(**topic);
  if (!put) return core::unexpected(internal(put.error()));
  return tx.commit();
}

// ---- subscriptions ---------------------------------------------------------------------------

core::Result<SubscribeResult, Error> TopicService::subscribe(std::string_view topic_arn, std::string_view protocol,
                                                             std::string_view endpoint, const Attributes& attributes,
                                                             bool return_subscription_arn) {
  if (!is_supported_protocol(protocol)) {
    return core::unexpected(
        invalid(fmt::format("Invalid parameter: Amazon SNS does not support this protocol string: {}", protocol)));
  }
  auto endpoint_ok = validate_endpoint(protocol, endpoint);
  if (!endpoint_ok) return core::unexpected(endpoint_ok.error());
  nlohmann::ordered_json stored = nlohmann::ordered_json::object();
  for (const auto& [key, value] : attributes) {
    if (key == "RawMessageDelivery" || key == "RawAwsFormat") {
      auto ok = validate_boolean(key, value);
      if (!ok) return core::unexpected(ok.error());
    } else if (key == "DeliveryPolicy") {
      auto ok = parse_subscription_delivery_policy(value);
      if (!ok) return core::unexpected(ok.error());
    } else {
      return core::unexpected(invalid(fmt::format(
          "Invalid parameter: Attributes Reason: {} is not supported by sgwatch (supported: DeliveryPolicy, "
          "RawMessageDelivery, RawAwsFormat)",
          key)));
    }
    stored[key] = valid_utf8(value);
  }

  Transaction tx(store_);
  auto ok = tx.begin();
  if (!ok) return core::unexpected(ok.error());
  auto topic = find_topic(topic_arn);
  if (!topic) return core::unexpected(topic.error());
  if (!*topic) return core::unexpected(not_found("Topic does not exist"));
  auto subscriptions = store_.subscriptions();
  if (!subscriptions) return core::unexpected(internal(subscriptions.error()));
  const std::int64_t now = clock_.now_ms();
  for (auto& existing : *subscriptions) {
    if (existing.topic_arn != topic_arn || existing.protocol != protocol || existing.endpoint != endpoint) continue;
    if (existing.confirmed) return SubscribeResult{existing.arn, false};
    // Pending: send the confirmation again (a fresh token if the old one expired).
    if (now - existing.token_created_ms > options_.token_lifetime_ms) {
      existing.token = core::random_hex(128);
      existing.token_created_ms = now;
      auto put = store_.put_subscription(existing);
      if (!put) return core::unexpected(internal(put.error()));
    }
    auto sent = send_confirmation(**topic, existing, false);
    if (!sent) return core::unexpected(sent.error());
    ok = tx.commit();
    if (!ok) return core::unexpected(ok.error());
    return SubscribeResult{return_subscription_arn ? existing.arn : std::string("pending confirmation"), true};
  }

  store::SubscriptionRecord record;
  record.arn = std::string(topic_arn) + ":" + core::uuid_v4();
  record.topic_arn = std::string(topic_arn);
  record.protocol = std::string(protocol);
  record.endpoint = std::string(endpoint);
  record.owner = options_.account_id;
  record.confirmed = !needs_confirmation(protocol);
  record.token = record.confirmed ? std::string() : core::random_hex(128);
  record.token_created_ms = now;
  record.attributes = dump(stored);
  record.created_ms = now;
  auto put = store_.put_subscription(record);
  if (!put) return core::unexpected(internal(put.error()));
  if (!record.confirmed) {
    auto sent = send_confirmation(**topic, record, false);
    if (!sent) return core::unexpected(sent.error());
  }
  ok = tx.commit();
  if (!ok) return core::unexpected(ok.error());
  if (record.confirmed || return_subscription_arn) return SubscribeResult{record.arn, !record.confirmed};
  return SubscribeResult{"pending confirmation", true};
}

core::Result<std::string, Error> TopicService::confirm_subscription(std::string_view topic_arn, std::string_view token,
                                                                    bool authenticate_on_unsubscribe) {
  const Error bad_token = invalid("Invalid token");
  if (token.empty()) return core::unexpected(bad_token);
  Transaction tx(store_);
  auto ok = tx.begin();
  if (!ok) return core::unexpected(ok.error());
  auto topic = find_topic(topic_arn);
  if (!topic) return core::unexpected(topic.error());
  if (!*topic) return core::unexpected(not_found("Topic does not exist"));
  const std::int64_t now = clock_.now_ms();

  auto subscriptions = store_.subscriptions();
  if (!subscriptions) return core::unexpected(internal(subscriptions.error()));
  for (auto& s : *subscriptions) {
    if (s.token != token) continue;
    if (s.topic_arn != topic_arn) return core::unexpected(bad_token);
    if (now - s.token_created_ms > options_.token_lifetime_ms) return core::unexpected(bad_token);
    if (!s.confirmed) {
      s.confirmed = true;
      auto attributes = attributes_json(s.attributes);
      if (authenticate_on_unsubscribe) attributes["ConfirmationWasAuthenticated"] = "true";
      s.attributes = dump(attributes);
      auto put = store_.put_subscription(s);
      if (!put) return core::unexpected(internal(put.error()));
    }
    ok = tx.commit();
    if (!ok) return core::unexpected(ok.error());
    return s.arn;
  }

  // A token from an UnsubscribeConfirmation restores the deleted subscription.
  auto deleted = store_.unsubscribed();
  if (!deleted) return core::unexpected(internal(deleted.error()));
  for (auto& s : *deleted) {
    if (s.token != token || s.topic_arn != topic_arn) continue;
    if (now - s.token_created_ms > options_.token_lifetime_ms) return core::unexpected(bad_token);
    auto removed = store_.delete_unsubscribed(s.arn);
    if (!removed) return core::unexpected(internal(removed.error()));
    s.confirmed = true;
    s.token_created_ms = now;
    auto put = store_.put_subscription(s);
    if (!put) return core::unexpected(internal(put.error()));
    ok = tx.commit();
    if (!ok) return core::unexpected(ok.error());
    return s.arn;
  }
  return core::unexpected(bad_token);
}

core::Result<void, Error> TopicService::unsubscribe(std::string_view subscription_arn, bool authenticated) {
  Transaction tx(store_);
  auto ok = tx.begin();
  if (!ok) return ok;
  auto subscription = find_subscription(subscription_arn);
  if (!subscription) return core::unexpected(subscription.error());
  if (!*subscription) return core::unexpected(not_found("Subscription does not exist"));
  auto& s = **subscription;
  if (!s.confirmed) {
    return core::unexpected(invalid("Invalid parameter: SubscriptionArn: a pending subscription cannot be unsubscribed"));
  }
  if (!authenticated && attribute(s.attributes, "ConfirmationWasAuthenticated") == "true") {
    return core::unexpected(Error{"AuthorizationError",
                                  "Unsubscribe requires authentication: the subscription was confirmed with "
                                  "AuthenticateOnUnsubscribe"});
  }
  auto deleted = store_.delete_subscription(s.arn);
  if (!deleted) return core::unexpected(internal(deleted.error()));
  if (s.protocol == "http" || s.protocol == "https") {
    store::SubscriptionRecord tombstone = s;
    tombstone.token = core::random_hex(128);
    tombstone.token_created_ms = clock_.now_ms();
    auto put = store_.put_unsubscribed(tombstone);
    if (!put) return core::unexpected(internal(put.error()));
    auto topic = find_topic(s.topic_arn);
    if (!topic) return core::unexpected(topic.error());
    if (*topic) {
      auto sent = send_confirmation(**topic, tombstone, true);
      if (!sent) return sent;
    }
  }
  return tx.commit();
}

core::Result<std::vector<store::SubscriptionRecord>, Error> TopicService::list_subscriptions(
    std::optional<std::string_view> topic_arn) {
  if (topic_arn) {
    auto topic = find_topic(*topic_arn);
    if (!topic) return core::unexpected(topic.error());
    if (!*topic) return core::unexpected(not_found("Topic does not exist"));
  }
  auto subscriptions = store_.subscriptions();
  if (!subscriptions) return core::unexpected(internal(subscriptions.error()));
  std::vector<store::SubscriptionRecord> out;
  for (auto& s : *subscriptions) {
    if (!topic_arn || s.topic_arn == *topic_arn) out.push_back(std::move(s));
  }
  return out;
}

core::Result<Attributes, Error> TopicService::subscription_attributes(std::string_view subscription_arn) {
  auto subscription = find_subscription(subscription_arn);
  if (!subscription) return core::unexpected(subscription.error());
  if (!*subscription) return core::unexpected(not_found("Subscription does not exist"));
  const auto& s = **subscription;
  const auto stored = attributes_json(s.attributes);
  const auto get = [&stored](const char* key) {
    const auto it = stored.find(key);
    return it != stored.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const auto flag = [&get](const char* key) { return get(key) == "true" ? std::string("true") : std::string("false"); };
  Attributes out{{"Owner", s.owner},
                 {"RawMessageDelivery", flag("RawMessageDelivery")},
                 {"TopicArn", s.topic_arn},
                 {"Endpoint", s.endpoint},
                 {"Protocol", s.protocol},
                 {"PendingConfirmation", s.confirmed ? "false" : "true"},
                 {"ConfirmationWasAuthenticated", flag("ConfirmationWasAuthenticated")},
                 {"SubscriptionArn", s.arn},
                 {"RawAwsFormat", flag("RawAwsFormat")}};
  if (const auto policy = get("DeliveryPolicy"); !policy.empty()) out.emplace_back("DeliveryPolicy", policy);
  if (s.protocol == "http" || s.protocol == "https") {
    auto topic = find_topic(s.topic_arn);
    if (!topic) return core::unexpected(topic.error());
    const std::string topic_policy = *topic ? attribute((*topic)->attributes, "DeliveryPolicy") : std::string();
    TopicDeliveryPolicy parsed_topic;
    if (!topic_policy.empty()) {
      if (auto parsed = parse_topic_delivery_policy(topic_policy)) parsed_topic = std::move(*parsed);
    }
    HttpDeliveryPolicy effective = parsed_topic.http.value_or(HttpDeliveryPolicy{});
    if (!parsed_topic.disable_subscription_overrides && !get("DeliveryPolicy").empty()) {
      if (auto parsed = parse_subscription_delivery_policy(get("DeliveryPolicy"))) effective = std::move(*parsed);
    }
    nlohmann::ordered_json policy = {{"healthyRetryPolicy", nlohmann::ordered_json::parse(policy_json(effective))}};
    if (effective.max_receives_per_second) {
      policy["throttlePolicy"] = {{"maxReceivesPerSecond", *effective.max_receives_per_second}};
    }
    out.emplace_back("EffectiveDeliveryPolicy", dump(policy));
  }
  return out;
}

core::Result<void, Error> TopicService::set_subscription_attribute(std::string_view subscription_arn,
                                                                   std::string_view name, std::string_view value) {
  if (name == "RawMessageDelivery" || name == "RawAwsFormat") {
    auto ok = validate_boolean(name, value);
    if (!ok) return ok;
  } else if (name == "DeliveryPolicy") {
    if (!value.empty()) {
      auto ok = parse_subscription_delivery_policy(value);
      if (!ok) return core::unexpected(ok.error());
    }
  } else {
    return core::unexpected(invalid(fmt::format(
        "Invalid parameter: AttributeName: {} is not supported by sgwatch (supported: DeliveryPolicy, "
        "RawMessageDelivery, RawAwsFormat)",
        name)));
  }
  Transaction tx(store_);
  auto ok = tx.begin();
  if (!ok) return ok;
  auto subscription = find_subscription(subscription_arn);
  if (!subscription) return core::unexpected(subscription.error());
  if (!*subscription) return core::unexpected(not_found("Subscription does not exist"));
  (*subscription)->attributes = with_attribute(
      (*subscription)->attributes, name,
      value.empty() || name == "DeliveryPolicy" ? valid_utf8(value) : std::string(is_true(value) ? "true" : "false"));
  auto put = store_.put_subscription(**subscription);
  if (!put) return core::unexpected(internal(put.error()));
  return tx.commit();
}

core::Result<int, Error> TopicService::purge_expired() {
  Transaction tx(store_);
  auto ok = tx.begin();
  if (!ok) return core::unexpected(ok.error());
  const std::int64_t now = clock_.now_ms();
  int purged = 0;
  auto subscriptions = store_.subscriptions();
  if (!subscriptions) return core::unexpected(internal(subscriptions.error()));
  for (const auto& s : *subscriptions) {
    if (s.confirmed || now - s.created_ms <= options_.pending_lifetime_ms) continue;
    auto deleted = store_.delete_subscription(s.arn);
    if (!deleted) return core::unexpected(internal(deleted.error()));
    ++purged;
  }
  auto tombstones = store_.unsubscribed();
  if (!tombstones) return core::unexpected(internal(tombstones.error()));
  for (const auto& s : *tombstones) {
    if (now - s.token_created_ms <= options_.token_lifetime_ms) continue;
    auto deleted = store_.delete_unsubscribed(s.arn);
    if (!deleted) return core::unexpected(internal(deleted.error()));
  }
  ok = tx.commit();
  if (!ok) return core::unexpected(ok.error());
  return purged;
}

// ---- deliveries ------------------------------------------------------------------------------

core::Result<void, Error> TopicService::enqueue(const store::SubscriptionRecord& subscription,
                                                const std::string& message_id, std::string payload) {
  store::OutboxEntry entry;
  entry.message_id = message_id;
  entry.subscription_arn = subscription.arn;
  entry.protocol = subscription.protocol;
  entry.endpoint = subscription.endpoint;
  entry.payload = std::move(payload);
  entry.created_ms = clock_.now_ms();
  entry.next_attempt_ms = entry.created_ms;
  auto id = store_.enqueue(entry);
  if (!id) return core::unexpected(internal(id.error()));
  return {};
}

core::Result<void, Error> TopicService::fill_mail(RenderedDelivery& d, std::string_view display_name,
                                                  const std::string& to, std::string subject, std::string body,
                                                  std::int64_t now_ms) const {
  Email mail;
  mail.from = Mailbox{sender_display_name(display_name), options_.mail_from};
  mail.to = Mailbox{"", to};
  mail.subject = std::move(subject);
  mail.body = std::move(body);
  mail.date_ms = now_ms;
  mail.message_id = d.message_id;
  mail.message_id_domain = mail_domain(options_.mail_from);
  auto data = render_email(mail);
  if (!data) return core::unexpected(data.error());
  d.kind = DeliveryKind::kMail;
  d.mail_from = options_.mail_from;
  d.rcpt_to = to;
  d.data = std::move(*data);
  return {};
}

core::Result<void, Error> TopicService::send_confirmation(const store::TopicRecord& topic,
                                                          const store::SubscriptionRecord& subscription,
                                                          bool unsubscribe) {
  const std::string message_id = core::uuid_v4();
  const std::int64_t now = clock_.now_ms();
  const auto version = parse_signature_version(attribute(topic.attributes, "SignatureVersion"))
                           .value_or(SignatureVersion::kV1);
  SnsDocument doc;
  doc.type = unsubscribe ? MessageType::kUnsubscribeConfirmation : MessageType::kSubscriptionConfirmation;
  doc.message_id = message_id;
  doc.topic_arn = topic.arn;
  doc.token = subscription.token;
  doc.message = unsubscribe ? unsubscribe_confirmation_message(subscription.arn)
                            : subscription_confirmation_message(topic.arn);
  doc.subscribe_url = confirm_url(topic.arn, subscription.token);
  doc.timestamp_ms = now;
  doc.signature_version = version;
  doc.signing_cert_url = options_.public_url + cert_path_;
  auto signed_doc = sign_document(std::move(doc), identity_.key.get());
  if (!signed_doc) return core::unexpected(signed_doc.error());

  RenderedDelivery d;
  d.message_id = message_id;
  if (subscription.protocol == "http" || subscription.protocol == "https") {
    d.kind = DeliveryKind::kHttp;
    d.url = subscription.endpoint;
    d.headers = delivery_headers(*signed_doc, subscription.arn);
    d.body = render_document(*signed_doc);
  } else if (subscription.protocol == "email" || subscription.protocol == "email-json") {
    if (unsubscribe) return {};
    auto ok = fill_mail(d, attribute(topic.attributes, "DisplayName"), subscription.endpoint,
                        std::string(kConfirmationEmailSubject),
                        subscription.protocol == "email"
                            ? confirmation_email_body(topic.arn, signed_doc->subscribe_url)
                            : render_document(*signed_doc),
                        now);
    if (!ok) return ok;
  } else {
    return {};
  }
  return enqueue(subscription, message_id, encode_delivery(d));
}

template <typename TextFor, typename SlackBody>
core::Result<std::string, Error> TopicService::fan_out(const store::TopicRecord& topic,
                                                       const std::optional<std::string>& subject,
                                                       const std::string& original_message,
                                                       std::string_view message_structure, TextFor&& text_for,
                                                       SlackBody&& slack_body) {
  auto subscriptions = store_.subscriptions();
  if (!subscriptions) return core::unexpected(internal(subscriptions.error()));
  const std::string message_id = core::uuid_v4();
  const std::int64_t now = clock_.now_ms();
  const auto version = parse_signature_version(attribute(topic.attributes, "SignatureVersion"))
                           .value_or(SignatureVersion::kV1);
  const std::string display_name = attribute(topic.attributes, "DisplayName");

  for (const auto& s : *subscriptions) {
    if (s.topic_arn != topic.arn || !s.confirmed) continue;
    const std::string text = text_for(s);
    RenderedDelivery d;
    d.message_id = message_id;

    // The signed Notification document (HTTP/S, email-json, file, stdout).
    const auto document = [&]() -> core::Result<SnsDocument, Error> {
      SnsDocument doc;
      doc.type = MessageType::kNotification;
      doc.message_id = message_id;
      doc.topic_arn = topic.arn;
      doc.subject = subject;
      doc.message = text;
      doc.timestamp_ms = now;
      doc.signature_version = version;
      doc.signing_cert_url = options_.public_url + cert_path_;
      doc.unsubscribe_url = unsubscribe_link(s.arn);
      return sign_document(std::move(doc), identity_.key.get());
    };

    if (s.protocol == "http" || s.protocol == "https") {
      d.kind = DeliveryKind::kHttp;
      d.url = s.endpoint;
      if (is_true(attribute(s.attributes, "RawMessageDelivery"))) {
        d.headers = raw_delivery_headers(message_id, topic.arn, s.arn);
        d.body = text;
      } else {
        auto doc = document();
        if (!doc) return core::unexpected(doc.error());
        d.headers = delivery_headers(*doc, s.arn);
        d.body = render_document(*doc);
      }
    } else if (s.protocol == "email" || s.protocol == "email-json") {
      std::string body;
      if (s.protocol == "email") {
        const std::string link =
            email_unsubscribe_link(options_.public_url + std::string(kUnsubscribePath), s.arn, s.endpoint);
        body = notification_email_body(text, link);
      } else {
        auto doc = document();
        if (!doc) return core::unexpected(doc.error());
        body = render_document(*doc);
      }
      auto ok = fill_mail(d, display_name, s.endpoint, notification_email_subject(subject), std::move(body), now);
      if (!ok) return core::unexpected(ok.error());
    } else if (s.protocol == "sms") {
      std::string sms = display_name.empty() ? text : upper(display_name) + "> " + text;
      d.kind = DeliveryKind::kSms;
      d.phone = s.endpoint;
      d.text = std::string(code_point_prefix(sms, kMaxSmsCharacters));
    } else if (s.protocol == "slack") {
      d.kind = DeliveryKind::kHttp;
      d.url = s.endpoint;
      d.headers = {{"Content-Type", "application/json; charset=utf-8"}};
      d.body = slack_body(s, text);
    } else if (s.protocol == "file" || s.protocol == "stdout") {
      auto doc = document();
      if (!doc) return core::unexpected(doc.error());
      d.kind = s.protocol == "file" ? DeliveryKind::kFile : DeliveryKind::kStdout;
      d.path = s.protocol == "file" ? s.endpoint : std::string();
      d.line = document_line(*doc, s.arn);
    } else if (s.protocol == "aws-sns") {
      d.kind = DeliveryKind::kSns;
      d.topic_arn = s.endpoint;
      d.subject = subject;
      d.message = original_message;
      d.message_structure = std::string(message_structure);
    } else {
      continue;
    }
    auto ok = enqueue(s, message_id, encode_delivery(d));
    if (!ok) return core::unexpected(ok.error());
  }
  return message_id;
}

core::Result<std::string, Error> TopicService::publish(std::string_view topic_arn, std::string_view message,
                                                       const std::optional<std::string>& subject,
                                                       std::string_view message_structure) {
  if (message.empty()) return core::unexpected(invalid("Invalid parameter: Empty message"));
  if (message.size() > kMaxMessageBytes) {
    return core::unexpected(invalid("Invalid parameter: Message too long"));
  }
  if (valid_utf8(message) != message) {
    return core::unexpected(invalid("Invalid parameter: Message: not valid UTF-8"));
  }
  auto subject_ok = validate_subject(subject);
  if (!subject_ok) return core::unexpected(subject_ok.error());
  std::optional<StructuredMessage> structured;
  if (!message_structure.empty()) {
    if (message_structure != "json") return core::unexpected(invalid("Invalid parameter: MessageStructure"));
    auto parsed = parse_message_structure(message);
    if (!parsed) return core::unexpected(parsed.error());
    structured = std::move(*parsed);
  }
  Transaction tx(store_);
  auto ok = tx.begin();
  if (!ok) return core::unexpected(ok.error());
  auto topic = find_topic(topic_arn);
  if (!topic) return core::unexpected(topic.error());
  if (!*topic) return core::unexpected(not_found("Topic does not exist"));
  const std::string original(message);
  const auto text_for = [&](const store::SubscriptionRecord& s) -> std::string {
    if (!structured) return original;
    return structured->for_protocol(is_message_protocol(s.protocol) ? std::string_view(s.protocol) : "default");
  };
  const auto slack_body = [&](const store::SubscriptionRecord&, const std::string& text) {
    std::string body = subject ? "*" + *subject + "*\n" + text : text;
    nlohmann::ordered_json payload = {{"text", std::string(code_point_prefix(body, kMaxSlackText))}};
    return dump(payload);
  };
  auto id = fan_out(**topic, subject, original, message_structure, text_for, slack_body);
  if (!id) return core::unexpected(id.error());
  ok = tx.commit();
  if (!ok) return core::unexpected(ok.error());
  return std::move(*id);
}

core::Result<TopicService::AlarmPublishResult, Error> TopicService::publish_alarm(std::string_view topic_arn,
                                                                                const AlarmNotice& notice) {
  Transaction tx(store_);
  auto ok = tx.begin();
  if (!ok) return core::unexpected(ok.error());
  auto topic = find_topic(topic_arn);
  if (!topic) return core::unexpected(topic.error());
  if (!*topic) return core::unexpected(not_found("Topic does not exist"));

  const AlarmPublish extended = alarm_publish(notice, AwsFormat::kExtended);
  const AlarmPublish raw = alarm_publish(notice, AwsFormat::kRaw);
  auto parsed_extended = parse_message_structure(extended.message);
  auto parsed_raw = parse_message_structure(raw.message);
  if (!parsed_extended || !parsed_raw) return core::unexpected(internal("the alarm message is not a structured message"));
  const auto is_raw = [](const store::SubscriptionRecord& s) { return is_true(attribute(s.attributes, "RawAwsFormat")); };
  const auto text_for = [&](const store::SubscriptionRecord& s) -> std::string {
    const auto& message = is_raw(s) ? *parsed_raw : *parsed_extended;
    return message.for_protocol(is_message_protocol(s.protocol) ? std::string_view(s.protocol) : "default");
  };
  const auto slack_body = [&](const store::SubscriptionRecord& s, const std::string&) {
    if (!is_raw(s)) return slack_payload(notice);
    AlarmNotice plain = notice;
    plain.sgwatch.reset();
    return slack_payload(plain);
  };
  const std::optional<std::string> subject = extended.subject;
  auto id = fan_out(**topic, subject, extended.message, extended.message_structure, text_for, slack_body);
  if (!id) return core::unexpected(id.error());
  ok = tx.commit();
  if (!ok) return core::unexpected(ok.error());
  return AlarmPublishResult{std::move(*id), parsed_raw->default_message};
}

// ---- signing identity ------------------------------------------------------------------------

core::Result<SigningIdentity, Error> load_or_create_signing_identity(const std::string& directory,
                                                                     std::int64_t now_unix_seconds) {
  namespace fs = std::filesystem;
  const fs::path key_path = fs::path(directory) / "sns-signing-key.pem";
  const fs::path cert_path = fs::path(directory) / "sns-signing-cert.pem";
  const auto read_file = [](const fs::path& path) -> std::optional<std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  };
  std::error_code ec;
  if (fs::exists(key_path, ec) && fs::exists(cert_path, ec)) {
    auto key_pem = read_file(key_path);
    auto cert_pem = read_file(cert_path);
    if (!key_pem || !cert_pem) {
      return core::unexpected(Error{"SigningFailed", "cannot read " + key_path.string() + " or " + cert_path.string()});
    }
    auto key = read_private_key_pem(*key_pem);
    if (!key) {
      return core::unexpected(Error{"SigningFailed", key_path.string() + ": " + key.error().message});
    }
    return SigningIdentity{std::move(*key), std::move(*key_pem), std::move(*cert_pem)};
  }
  CertificateOptions options;
  options.common_name = "sgwatch SNS signing";
  options.not_before_unix = now_unix_seconds - 3600;
  options.not_after_unix = now_unix_seconds + 10LL * 365 * 24 * 3600;
  auto identity = generate_signing_identity(options);
  if (!identity) return core::unexpected(identity.error());
  fs::create_directories(directory, ec);
  // Written to a temporary file created with its final mode, then renamed into place.
  const auto write_file = [](const fs::path& path, const std::string& text, mode_t mode) -> bool {
    const fs::path tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return false;
    std::size_t done = 0;
    bool ok = true;
    while (done < text.size()) {
      const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        ok = false;
        break;
      }
      done += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok) return false;
    std::error_code rename_error;
    fs::rename(tmp, path, rename_error);
    return !rename_error;
  };
  if (!write_file(key_path, identity->key_pem, 0600) || !write_file(cert_path, identity->certificate_pem, 0644)) {
    return core::unexpected(Error{"SigningFailed", "cannot write the signing key and certificate into " + directory});
  }
  return std::move(*identity);
}

}  // namespace sgwatch::notify
