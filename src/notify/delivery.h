// One rendered delivery: what an outbox entry asks a sink to do, fixed when the entry is recorded
// so that every attempt (and every attempt after a restart) sends the same bytes with the same
// MessageId and signature. Encoded as a small JSON object in the outbox's payload column.
// Neighbours: topics (which renders deliveries from a publish), sink.h (which sends them),
// delivery_worker (which moves them through the outbox).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "notify/error.h"

namespace sgwatch::notify {

enum class DeliveryKind {
  kHttp,    // POST `body` with `headers` to `url` (http, https, slack)
  kMail,    // SMTP: `data` (RFC 5322 text) from `mail_from` to `rcpt_to` (email, email-json)
  kSms,     // `text` to the E.164 number `phone` through the SMS gateway (sms)
  kFile,    // append `line` and a newline to the file `path` (file)
  kStdout,  // write `line` and a newline to standard output (stdout)
  kSns,     // Publish to the real SNS topic `topic_arn` (aws-sns)
};
std::string_view delivery_kind_name(DeliveryKind kind);  // "http", "mail", "sms", "file", "stdout", "sns"
std::optional<DeliveryKind> parse_delivery_kind(std::string_view name);

struct RenderedDelivery {
  DeliveryKind kind = DeliveryKind::kHttp;
  std::string message_id;  // the SNS MessageId, stable across attempts

  // kHttp
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // in sending order
  std::string body;

  // kMail
  std::string mail_from;  // envelope sender address
  std::string rcpt_to;    // envelope recipient address
  std::string data;       // the message as render_email() writes it (CRLF lines)

  // kSms
  std::string phone;
  std::string text;

  // kFile / kStdout
  std::string path;
  std::string line;  // one line, no newline

  // kSns
  std::string topic_arn;
  std::optional<std::string> subject;
  std::string message;
  std::string message_structure;  // "json" or empty
};

// The outbox payload form, and back. decode: InvalidParameter for text that is not a delivery.
std::string encode_delivery(const RenderedDelivery& delivery);
core::Result<RenderedDelivery, Error> decode_delivery(std::string_view payload);

// `url` with what must not reach logs or errors removed: user information, and everything after
// the host and port (paths and queries can carry tokens: Slack webhooks, signed links).
// "https://user:pw@hooks.slack.com/services/T/B/X" -> "https://hooks.slack.com/…".
std::string redact_url(std::string_view url);

}  // namespace sgwatch::notify
