// Mail for `email` and `email-json` subscriptions (spec 5): the SNS footer with its unsubscribe
// link, the confirmation mail, subjects and sender name, and the RFC 5322 message text handed to
// SMTP (CRLF lines, Date and Message-ID headers, MIME headers; non-ASCII headers as RFC 2047
// encoded words, bodies that are not short-lined ASCII as quoted-printable UTF-8). An email-json
// body is a document of http_envelope.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "notify/error.h"

namespace sgwatch::notify {

inline constexpr std::string_view kDefaultEmailSubject = "AWS Notification Message";
inline constexpr std::string_view kConfirmationEmailSubject =
    "AWS Notification - Subscription Confirmation";
inline constexpr std::string_view kDefaultSenderName = "AWS Notifications";

// The Publish Subject, or "AWS Notification Message" when there is none.
std::string notification_email_subject(const std::optional<std::string>& subject);

// The topic's DisplayName when set, else "AWS Notifications" (spec 5.1, UNCLEAR: SHOULD).
std::string sender_display_name(std::string_view topic_display_name);

// <base>/unsubscribe.html?SubscriptionArn=<sub-arn>&Endpoint=<address> for AWS's base
// (aws_sns_base_url); sgwatch passes its own page as `page_url` to email_unsubscribe_link.
std::string email_unsubscribe_url(std::string_view base_url, std::string_view subscription_arn,
                                  std::string_view endpoint);
// <page_url>?SubscriptionArn=<sub-arn>&Endpoint=<address>
std::string email_unsubscribe_link(std::string_view page_url, std::string_view subscription_arn,
                                   std::string_view endpoint);

// The message followed by SNS's footer (spec 5.3): "\n\n--\nIf you wish to stop ...:\n<link>\n\n
// Please do not reply ...". LF line ends; render_email turns them into CRLF.
std::string notification_email_body(std::string_view message, std::string_view unsubscribe_link);

// The text form of the confirmation mail (spec 5.2).
std::string confirmation_email_body(std::string_view topic_arn, std::string_view confirm_url);

struct Mailbox {
  std::string display_name;  // may be empty
  std::string address;       // local@domain
};

struct Email {
  Mailbox from;
  Mailbox to;
  std::string subject;
  std::string body;               // LF, CRLF or CR line ends
  std::int64_t date_ms = 0;       // Unix ms, for the Date header
  std::string message_id;         // e.g. the SNS MessageId (a UUID)
  std::string message_id_domain;  // Message-ID: <message_id@message_id_domain>
};

// The message as SMTP's DATA carries it, before dot-stuffing (the SMTP client's job): headers
// Date, From, To, Message-ID, Subject, MIME-Version, Content-Type, Content-Transfer-Encoding;
// a blank line; the body with CRLF line ends, ending in CRLF. InvalidParameter for an address
// that is not local@domain, or a header value or id holding control characters.
core::Result<std::string, Error> render_email(const Email& email);

}  // namespace sgwatch::notify
