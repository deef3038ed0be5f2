// Implementation of http_envelope.h. Documents are flat objects of strings, written by hand in
// SNS's layout with Jackson's string escaping (json_text.h).
#include "notify/http_envelope.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "notify/json_text.h"
#include "notify/timestamps.h"
#include "notify/url.h"

namespace sgwatch::notify {
namespace {

bool is_confirmation(MessageType type) {
  return type != MessageType::kNotification;
}

// Calls visit(name, value) for the members of a document in the order SNS sends them (spec
// 4.2-4.4); `last` is true for the final member.
template <class Visit>
void for_each_member(const SnsDocument& d, Visit&& visit) {
  const bool confirmation = is_confirmation(d.type);
  visit("Type", message_type_name(d.type), false);
  visit("MessageId", d.message_id, false);
  if (confirmation) {
    visit("Token", d.token, false);
    visit("TopicArn", d.topic_arn, false);
    visit("Message", d.message, false);
    visit("SubscribeURL", d.subscribe_url, false);
  } else {
    visit("TopicArn", d.topic_arn, false);
    if (d.subject) visit("Subject", *d.subject, false);
    visit("Message", d.message, false);
  }
  visit("Timestamp", sns_timestamp(d.timestamp_ms), false);
  visit("SignatureVersion", signature_version_text(d.signature_version), false);
  visit("Signature", d.signature, false);
  visit("SigningCertURL", d.signing_cert_url, confirmation);
  if (!confirmation) visit("UnsubscribeURL", d.unsubscribe_url, true);
}

Error invalid(std::string message) {
  return Error{"InvalidParameter", std::move(message)};
}

}  // namespace

std::string_view message_type_name(MessageType type) {
  switch (type) {
    case MessageType::kNotification:
      return "Notification";
    case MessageType::kSubscriptionConfirmation:
      return "SubscriptionConfirmation";
    case MessageType::kUnsubscribeConfirmation:
      return "UnsubscribeConfirmation";
  }
  return "Notification";
}

std::optional<MessageType> parse_message_type(std::string_view name) {
  for (const MessageType type : {MessageType::kNotification, MessageType::kSubscriptionConfirmation,
                                 MessageType::kUnsubscribeConfirmation}) {
    if (message_type_name(type) == name) return type;
  }
  return std::nullopt;
}

std::string aws_sns_base_url(std::string_view region) {
  return fmt::format("https://sns.{}.amazonaws.com", region);
}

std::string unsubscribe_url(std::string_view base_url, std::string_view subscription_arn) {
  return fmt::format("{}/?Action=Unsubscribe&SubscriptionArn={}", base_url,
                     query_value(subscription_arn));
}

std::string subscribe_url(std::string_view base_url, std::string_view topic_arn,
                          std::string_view token) {
  return fmt::format("{}/?Action=ConfirmSubscription&TopicArn={}&Token={}", base_url,
                     query_value(topic_arn), query_value(token));
}

std::string signing_cert_url(std::string_view base_url, std::string_view certificate_id) {
  return fmt::format("{}/SimpleNotificationService-{}.pem", base_url, certificate_id);
}

std::string subscription_confirmation_message(std::string_view topic_arn) {
  return fmt::format(
      "You have chosen to subscribe to the topic {}.\n"
      "To confirm the subscription, visit the SubscribeURL included in this message.",
      topic_arn);
}

std::string unsubscribe_confirmation_message(std::string_view subscription_arn) {
  return fmt::format(
      "You have chosen to deactivate subscription {}.\n"
      "To cancel this operation and restore the subscription, visit the SubscribeURL included in "
      "this message.",
      subscription_arn);
}

std::string string_to_sign(const SnsDocument& d) {
  std::string out;
  const auto add = [&out](std::string_view name, std::string_view value) {
    out.append(name);
    out += '\n';
    out.append(value);
    out += '\n';
  };
  add("Message", d.message);
  add("MessageId", d.message_id);
  if (is_confirmation(d.type)) {
    add("SubscribeURL", d.subscribe_url);
    add("Timestamp", sns_timestamp(d.timestamp_ms));
    add("Token", d.token);
  } else {
    if (d.subject) add("Subject", *d.subject);
    add("Timestamp", sns_timestamp(d.timestamp_ms));
  }
  add("TopicArn", d.topic_arn);
  add("Type", message_type_name(d.type));
  return out;
}

core::Result<SnsDocument, Error> sign_document(SnsDocument document, EVP_PKEY* key) {
  auto signature = sign_base64(string_to_sign(document), key, document.signature_version);
  if (!signature) return core::unexpected(std::move(signature).error());
  document.signature = std::move(signature).value();
  return document;
}

core::Result<bool, Error> verify_document(const SnsDocument& document,
                                          std::string_view certificate_pem) {
  return verify_base64(string_to_sign(document), document.signature, certificate_pem,
                       document.signature_version);
}

std::string render_document(const SnsDocument& document) {
  std::string out = "{\n";
  for_each_member(document, [&out](std::string_view name, std::string_view value, bool last) {
    out += "  ";
    append_json_string(out, name);
    out += " : ";
    append_json_string(out, value);
    out += last ? "\n" : ",\n";
  });
  out += '}';
  return out;
}

core::Result<SnsDocument, Error> parse_document(std::string_view body) {
  // A document is a flat object; MessageAttributes adds two levels.
  const auto depth = json_depth(body);
  if (!depth || *depth > 3) return core::unexpected(invalid("not an SNS message document"));
  const auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return core::unexpected(invalid("not an SNS message document"));
  }
  const auto text = [&parsed](const char* name) -> std::optional<std::string> {
    const auto it = parsed.find(name);
    if (it == parsed.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  const auto type = parse_message_type(text("Type").value_or(""));
  if (!type) return core::unexpected(invalid("unknown or missing Type"));
  SnsDocument d;
  d.type = *type;
  std::vector<std::pair<const char*, std::string*>> required = {
      {"MessageId", &d.message_id},
      {"TopicArn", &d.topic_arn},
      {"Message", &d.message},
      {"Signature", &d.signature},
      {"SigningCertURL", &d.signing_cert_url}};
  if (is_confirmation(d.type)) {
    required.emplace_back("Token", &d.token);
    required.emplace_back("SubscribeURL", &d.subscribe_url);
  } else {
    required.emplace_back("UnsubscribeURL", &d.unsubscribe_url);
    d.subject = text("Subject");
  }
  for (const auto& [name, target] : required) {
    auto value = text(name);
    if (!value) return core::unexpected(invalid(fmt::format("missing member {}", name)));
    *target = std::move(*value);
  }
  const auto timestamp = parse_sns_timestamp(text("Timestamp").value_or(""));
  if (!timestamp) return core::unexpected(invalid("missing or malformed Timestamp"));
  d.timestamp_ms = *timestamp;
  const auto version = parse_signature_version(text("SignatureVersion").value_or(""));
  if (!version) return core::unexpected(invalid("unknown or missing SignatureVersion"));
  d.signature_version = *version;
  return d;
}

Headers delivery_headers(const SnsDocument& document, std::string_view subscription_arn,
                         std::string_view content_type) {
  Headers headers;
  headers.emplace_back("x-amz-sns-message-type", std::string(message_type_name(document.type)));
  headers.emplace_back("x-amz-sns-message-id", document.message_id);
  headers.emplace_back("x-amz-sns-topic-arn", document.topic_arn);
  // Absent on SubscriptionConfirmation, as in AWS's documented sample (spec 4.1).
  if (document.type != MessageType::kSubscriptionConfirmation) {
    headers.emplace_back("x-amz-sns-subscription-arn", std::string(subscription_arn));
  }
  headers.emplace_back("Content-Type", std::string(content_type));
  headers.emplace_back("User-Agent", std::string(kSnsUserAgent));
  return headers;
}

Headers raw_delivery_headers(std::string_view message_id, std::string_view topic_arn,
                             std::string_view subscription_arn, std::string_view content_type) {
  Headers headers;
  headers.emplace_back("x-amz-sns-message-type", "Notification");
  headers.emplace_back("x-amz-sns-message-id", std::string(message_id));
  headers.emplace_back("x-amz-sns-topic-arn", std::string(topic_arn));
  headers.emplace_back("x-amz-sns-subscription-arn", std::string(subscription_arn));
  headers.emplace_back("Content-Type", std::string(content_type));
  headers.emplace_back("User-Agent", std::string(kSnsUserAgent));
  headers.emplace_back("x-amz-sns-rawdelivery", "true");
  return headers;
}

}  // namespace sgwatch::notify
