// Implementation of email_message.h.
#include "notify/email_message.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "notify/json_text.h"
#include "notify/timestamps.h"
#include "notify/url.h"

namespace sgwatch::notify {
namespace {

constexpr std::size_t kFoldAt = 78;            // RFC 5322 SHOULD
constexpr std::size_t kMaxLineLength = 998;    // RFC 5322 MUST
constexpr std::size_t kQpLineLength = 76;      // RFC 2045
constexpr std::size_t kEncodedWordBytes = 39;  // 52 base64 characters per encoded word

Error invalid(std::string message) {
  return Error{"InvalidParameter", std::move(message)};
}

bool is_ascii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool has_control(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return true;
  }
  return false;
}

// RFC 5322 atext (plus the space between words of a phrase).
bool is_atext_or_space(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ') {
    return true;
  }
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// An address as sgwatch accepts it: local@domain in printable ASCII without the characters that
// would need quoting.
bool is_plain_address(std::string_view address) {
  const auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size() ||
      address.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (const char c : address) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) return false;
    if (std::string_view("<>()[],;:\\\"").find(c) != std::string_view::npos) return false;
  }
  return true;
}

bool is_plain_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F || c == '<' || c == '>' || c == '@') return false;
  }
  return true;
}

// RFC 2047 B-encoded words of at most kEncodedWordBytes bytes each, cut between code points and
// separated by folding whitespace.
std::string encoded_words(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + kEncodedWordBytes);
    while (end < text.size() && end > i + 1 &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64_encode(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

// "Name: value" folded before spaces so that lines stay within 78 characters where a space
// allows it (a space beyond 78 is used when none comes earlier).
std::string folded_header(std::string_view name, std::string_view value) {
  const std::string line = std::string(name) + ": " + std::string(value);
  const std::size_t first_break = name.size() + 2;  // never fold before the value starts
  std::string out;
  std::size_t start = 0;
  while (line.size() - start > kFoldAt) {
    std::size_t cut = std::string::npos;
    const std::size_t lower = std::max(start + 1, first_break);
    for (std::size_t i = start + kFoldAt; i >= lower; --i) {
      if (line[i] == ' ') {
        cut = i;
        break;
      }
    }
    if (cut == std::string::npos) cut = line.find(' ', std::max(start + kFoldAt, first_break));
    if (cut == std::string::npos) break;
    out += line.substr(start, cut - start);
    out += "\r\n";
    start = cut;  // the space begins the continuation line
  }
  out += line.substr(start);
  return out;
}

bool lines_within(std::string_view text, std::size_t limit) {
  std::size_t length = 0;
  for (const char c : text) {
    if (c == '\n') {
      length = 0;
    } else if (c != '\r' && ++length > limit) {
      return false;
    }
  }
  return true;
}

// An unstructured header (Subject): as it is when ASCII, else encoded words.
std::string text_header(std::string_view name, std::string_view value) {
  if (is_ascii(value)) {
    std::string header = folded_header(name, value);
    if (lines_within(header, kMaxLineLength)) return header;
  }
  return std::string(name) + ": " + encoded_words(value);
}

// A display name as an RFC 5322 phrase: atoms, a quoted string, or encoded words.
std::string phrase(std::string_view name) {
  if (!is_ascii(name)) return encoded_words(name);
  bool plain = true;
  for (const char c : name) plain = plain && is_atext_or_space(c);
  if (plain && name.front() != ' ' && name.back() != ' ') return std::string(name);
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string mailbox(const Mailbox& box) {
  if (box.display_name.empty()) return box.address;
  return phrase(box.display_name) + " <" + box.address + ">";
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' || text[i] == '\n') {
      lines.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

// One line as quoted-printable (RFC 2045 6.7), soft breaks keeping lines within 76 characters.
void append_quoted_printable(std::string& out, std::string_view line) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::size_t length = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto byte = static_cast<unsigned char>(line[i]);
    const bool last = i + 1 == line.size();
    std::string token;
    if ((byte >= 33 && byte <= 126 && byte != '=') || ((byte == ' ' || byte == '\t') && !last)) {
      token = std::string(1, static_cast<char>(byte));
    } else {
      token = {'=', kHex[byte >> 4], kHex[byte & 0xF]};
    }
    if (length + token.size() > kQpLineLength - 1) {
      out += "=\r\n";
      length = 0;
    }
    out += token;
    length += token.size();
  }
  out += "\r\n";
}

}  // namespace

std::string notification_email_subject(const std::optional<std::string>& subject) {
  return subject ? *subject : std::string(kDefaultEmailSubject);
}

std::string sender_display_name(std::string_view topic_display_name) {
  return topic_display_name.empty() ? std::string(kDefaultSenderName)
                                    : std::string(topic_display_name);
}

std::string email_unsubscribe_url(std::string_view base_url, std::string_view subscription_arn,
                                  std::string_view endpoint) {
  return email_unsubscribe_link(std::string(base_url) + "/unsubscribe.html", subscription_arn,
                                endpoint);
}

std::string email_unsubscribe_link(std::string_view page_url, std::string_view subscription_arn,
                                   std::string_view endpoint) {
  return fmt::format("{}?SubscriptionArn={}&Endpoint={}", page_url, query_value(subscription_arn),
                     query_value(endpoint));
}

std::string notification_email_body(std::string_view message, std::string_view unsubscribe_link) {
  // SNS appends "\n\n--\n..." to the message as it is: an alarm's email text ends in a newline,
  // which is why two blank lines precede "--" in spec 7.5 while a plain message gets one.
  return fmt::format(
      "{}\n\n--\n"
      "If you wish to stop receiving notifications from this topic, please click or visit the link "
      "below to unsubscribe:\n"
      "{}\n\n"
      "Please do not reply directly to this email. If you have any questions or comments regarding "
      "this email, please contact us at https://aws.amazon.com/support",
      message, unsubscribe_link);
}

std::string confirmation_email_body(std::string_view topic_arn, std::string_view confirm_url) {
  // AWS's mail is HTML with a link labelled "Confirm subscription"; in text the label is followed
  // by the URL on its own line (UNCLEAR: no text form of AWS's mail is documented).
  return fmt::format(
      "You have chosen to subscribe to the topic:\n"
      "{}\n\n"
      "To confirm this subscription, click or visit the link below (If this was in error no action "
      "is necessary):\n"
      "Confirm subscription\n"
      "{}\n",
      topic_arn, confirm_url);
}

core::Result<std::string, Error> render_email(const Email& email) {
  if (!is_plain_address(email.from.address)) {
    return core::unexpected(
        invalid(fmt::format("invalid sender address '{}'", email.from.address)));
  }
  if (!is_plain_address(email.to.address)) {
    return core::unexpected(
        invalid(fmt::format("invalid recipient address '{}'", email.to.address)));
  }
  if (has_control(email.subject) || has_control(email.from.display_name) ||
      has_control(email.to.display_name)) {
    return core::unexpected(invalid("header values must not contain control characters"));
  }
  if (!is_plain_token(email.message_id) || !is_plain_token(email.message_id_domain)) {
    return core::unexpected(invalid("invalid Message-ID parts"));
  }
  const std::string subject = valid_utf8(email.subject);
  const std::string body = valid_utf8(email.body);
  const auto lines = split_lines(body);
  bool seven_bit = is_ascii(body);
  for (const auto line : lines) seven_bit = seven_bit && line.size() <= kMaxLineLength;

  std::string out;
  out += "Date: " + rfc5322_date(email.date_ms) + "\r\n";
  out += "From: " + mailbox({valid_utf8(email.from.display_name), email.from.address}) + "\r\n";
  out += "To: " + mailbox({valid_utf8(email.to.display_name), email.to.address}) + "\r\n";
  out += "Message-ID: <" + email.message_id + "@" + email.message_id_domain + ">\r\n";
  out += text_header("Subject", subject) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += seven_bit ? "Content-Transfer-Encoding: 7bit\r\n"
                   : "Content-Transfer-Encoding: quoted-printable\r\n";
  out += "\r\n";
  for (const auto line : lines) {
    if (seven_bit) {
      out.append(line);
      out += "\r\n";
    } else {
      append_quoted_printable(out, line);
    }
  }
  return out;
}

}  // namespace sgwatch::notify
