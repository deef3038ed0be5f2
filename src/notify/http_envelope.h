// What an HTTP/S subscriber receives (spec 4): the Notification, SubscriptionConfirmation and
// UnsubscribeConfirmation documents with their members in the order SNS sends them and SNS's
// pretty-printed layout, the request headers, raw message delivery, the string to sign and the
// signature (via signer.h). Also the parsing and verification of such a document. The same
// documents are the bodies of `email-json` mails (email_message.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "notify/error.h"
#include "notify/signer.h"

namespace sgwatch::notify {

enum class MessageType { kNotification, kSubscriptionConfirmation, kUnsubscribeConfirmation };
std::string_view message_type_name(MessageType type);  // "Notification", ...
std::optional<MessageType> parse_message_type(std::string_view name);

inline constexpr std::string_view kDefaultContentType = "text/plain; charset=UTF-8";
inline constexpr std::string_view kSnsUserAgent = "Amazon Simple Notification Service Agent";

// One document. Members that do not belong to `type` are ignored when rendering and signing:
// `subject` and `unsubscribe_url` are Notification-only, `token` and `subscribe_url`
// confirmation-only.
struct SnsDocument {
  MessageType type = MessageType::kNotification;
  std::string message_id;  // UUID
  std::string topic_arn;
  std::optional<std::string> subject;
  std::string message;
  std::string token;
  std::string subscribe_url;
  std::int64_t timestamp_ms = 0;  // Unix ms; written as yyyy-MM-ddTHH:mm:ss.SSSZ
  SignatureVersion signature_version = SignatureVersion::kV1;
  std::string signature;  // base64; see sign_document()
  std::string signing_cert_url;
  std::string unsubscribe_url;
};

// The base of SNS's links for a region: https://sns.<region>.amazonaws.com. sgwatch passes its
// own public URL instead.
std::string aws_sns_base_url(std::string_view region);
// <base>/?Action=Unsubscribe&SubscriptionArn=<sub-arn>
std::string unsubscribe_url(std::string_view base_url, std::string_view subscription_arn);
// <base>/?Action=ConfirmSubscription&TopicArn=<topic-arn>&Token=<token>
std::string subscribe_url(std::string_view base_url, std::string_view topic_arn,
                          std::string_view token);
// <base>/SimpleNotificationService-<id>.pem
std::string signing_cert_url(std::string_view base_url, std::string_view certificate_id);

// The Message texts of the confirmation documents (spec 4.3, 4.4).
std::string subscription_confirmation_message(std::string_view topic_arn);
std::string unsubscribe_confirmation_message(std::string_view subscription_arn);

// "Name\nvalue\n" for each signed member, in byte order of the names (spec 4.5): Notification:
// Message, MessageId, Subject (if present), Timestamp, TopicArn, Type; confirmations: Message,
// MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type.
std::string string_to_sign(const SnsDocument& document);

// The document with `signature` set from `key` (RSA) and its signature_version.
core::Result<SnsDocument, Error> sign_document(SnsDocument document, EVP_PKEY* key);
// Whether the document's signature verifies with the certificate's public key.
core::Result<bool, Error> verify_document(const SnsDocument& document,
                                          std::string_view certificate_pem);

// The body as SNS sends it: one member per line, two-space indent, " : " between name and value,
// no newline after the closing brace.
std::string render_document(const SnsDocument& document);

// A received document back into its members (for verification). InvalidParameter when the text
// is not a JSON object of strings with a known Type and the members that Type requires.
core::Result<SnsDocument, Error> parse_document(std::string_view body);

using Headers = std::vector<std::pair<std::string, std::string>>;

// Request headers of spec 4.1 in this order: x-amz-sns-message-type, x-amz-sns-message-id,
// x-amz-sns-topic-arn, x-amz-sns-subscription-arn (not on SubscriptionConfirmation), Content-Type,
// User-Agent. Host and Content-Length are the HTTP client's.
Headers delivery_headers(const SnsDocument& document, std::string_view subscription_arn,
                         std::string_view content_type = kDefaultContentType);

// Raw message delivery: the body is the bare message; the headers are those of a Notification
// followed by x-amz-sns-rawdelivery: true.
Headers raw_delivery_headers(std::string_view message_id, std::string_view topic_arn,
                             std::string_view subscription_arn,
                             std::string_view content_type = kDefaultContentType);

}  // namespace sgwatch::notify
