// Fuzz harness for the notify module's parsers of stored and received text, shared by
// fuzz_notify and the regression replay in tests/regress/fuzz_regress_test.cpp. The first byte
// picks the parser, the rest is its input:
//   0  decode_delivery (the outbox payload): a decoded delivery re-encodes to text that decodes
//      to the same delivery
//   1  parse_subscription_delivery_policy: an accepted policy has 0..100 retries, every delay
//      within 0..3600 s, and a schedule of at most 3600 s
//   2  parse_topic_delivery_policy: the same for its http policy
//   3  parse_message_structure: an accepted message has a default text; every protocol gets a text
//   4  parse_document (an HTTP/S notification): an accepted document renders to text that parses
//      back to the same members
// Failures must be InvalidParameter errors with a message.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "notify/delivery.h"
#include "notify/http_envelope.h"
#include "notify/message_structure.h"
#include "notify/retry_policy.h"

namespace sgwatch::fuzz {

using Violation = std::optional<std::string>;

namespace detail {

inline Violation check_notify_error(const notify::Error& error, std::string_view what) {
  if (error.code != "InvalidParameter") return std::string(what) + " failed with " + error.code;
  if (error.message.empty()) return std::string(what) + " failed without a message";
  return std::nullopt;
}

inline bool same_delivery(const notify::RenderedDelivery& a, const notify::RenderedDelivery& b) {
  return a.kind == b.kind && a.message_id == b.message_id && a.url == b.url && a.headers == b.headers &&
         a.body == b.body && a.mail_from == b.mail_from && a.rcpt_to == b.rcpt_to && a.data == b.data &&
         a.phone == b.phone && a.text == b.text && a.path == b.path && a.line == b.line &&
         a.topic_arn == b.topic_arn && a.subject == b.subject && a.message == b.message &&
         a.message_structure == b.message_structure;
}

inline Violation check_policy(const notify::HttpDeliveryPolicy& policy) {
  const auto schedule = policy.retry_policy();
  if (schedule.retries() < 0 || schedule.retries() > 100) return std::string("a policy with too many retries");
  std::int64_t total = 0;
  for (int r = 1; r <= schedule.retries(); ++r) {
    const auto delay = schedule.delay_before_retry(r, 0.5);
    if (!delay || *delay < 0 || *delay > 3'600'000) return std::string("a retry delay out of range");
    total += *delay;
  }
  if (total > 3'600'000) return std::string("an accepted policy retries for more than an hour");
  return std::nullopt;
}

}  // namespace detail

inline Violation run_notify(std::string_view data) {
  if (data.empty()) return std::nullopt;
  const auto which = static_cast<unsigned char>(data[0]) % 5;
  const std::string_view input = data.substr(1);
  switch (which) {
    case 0: {
      auto decoded = notify::decode_delivery(input);
      if (!decoded) return detail::check_notify_error(decoded.error(), "decode_delivery");
      auto again = notify::decode_delivery(notify::encode_delivery(*decoded));
      if (!again) return std::string("a re-encoded delivery does not decode: ") + again.error().message;
      // Text that is not valid UTF-8 is stored with U+FFFD: compare after one round.
      auto third = notify::decode_delivery(notify::encode_delivery(*again));
      if (!third || !detail::same_delivery(*again, *third)) return std::string("encode/decode is not stable");
      return std::nullopt;
    }
    case 1: {
      auto policy = notify::parse_subscription_delivery_policy(input);
      if (!policy) return detail::check_notify_error(policy.error(), "parse_subscription_delivery_policy");
      return detail::check_policy(*policy);
    }
    case 2: {
      auto policy = notify::parse_topic_delivery_policy(input);
      if (!policy) return detail::check_notify_error(policy.error(), "parse_topic_delivery_policy");
      if (policy->http) return detail::check_policy(*policy->http);
      return std::nullopt;
    }
    case 3: {
      auto message = notify::parse_message_structure(input);
      if (!message) return detail::check_notify_error(message.error(), "parse_message_structure");
      for (const char* protocol : {"email", "sms", "http", "default", "unknown"}) {
        (void)message->for_protocol(protocol);
      }
      return std::nullopt;
    }
    default: {
      auto document = notify::parse_document(input);
      if (!document) return detail::check_notify_error(document.error(), "parse_document");
      auto again = notify::parse_document(notify::render_document(*document));
      if (!again) return std::string("a rendered document does not parse: ") + again.error().message;
      if (again->message != document->message || again->message_id != document->message_id ||
          again->topic_arn != document->topic_arn || again->subject != document->subject ||
          again->signature != document->signature || again->type != document->type) {
        return std::string("render/parse changed the document");
      }
      return std::nullopt;
    }
  }
}

}  // namespace sgwatch::fuzz
