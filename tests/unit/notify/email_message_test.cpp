// Mail for email and email-json subscriptions (spec 5): the seed alarm's mail body byte for byte
// with SNS's footer, subjects, the confirmation mail, and the RFC 5322 text (CRLF, headers,
// encoded words, quoted-printable, refusal of header injection).
#include <gtest/gtest.h>

#include "unit/notify/seed_notice.h"

namespace sgwatch::notify {
namespace {

using testing::kSubscriptionArn;
using testing::kTopicArn;
using testing::ms;
using testing::seed_notice;

constexpr const char* kFooter =
    "--\n"
    "If you wish to stop receiving notifications from this topic, please click or visit the link "
    "below to unsubscribe:\n"
    "https://sns.us-east-1.amazonaws.com/unsubscribe.html?SubscriptionArn=arn:aws:sns:us-east-1:"
    "123456789012:SecurityGroupChanges:0b9e5c1a-3f0d-4a55-9c2e-7d1f4b8a6e21&Endpoint=secops@"
    "example.com\n"
    "\n"
    "Please do not reply directly to this email. If you have any questions or comments regarding "
    "this email, please contact us at https://aws.amazon.com/support";

std::string seed_unsubscribe_url() {
  return email_unsubscribe_url(aws_sns_base_url("us-east-1"), kSubscriptionArn,
                               "secops@example.com");
}

Email simple_email(std::string subject, std::string body) {
  Email email;
  email.from = {"AWS Notifications", "no-reply@sns.amazonaws.com"};
  email.to = {"", "secops@example.com"};
  email.subject = std::move(subject);
  email.body = std::move(body);
  email.date_ms = ms("2025-11-27T20:20:45.631Z");
  email.message_id = "6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80";
  email.message_id_domain = "sgwatch.example";
  return email;
}

// RFC 2045 quoted-printable back to text with LF line ends.
std::string decode_quoted_printable(const std::string& body) {
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body.compare(i, 3, "=\r\n") == 0) {
      i += 2;
    } else if (body[i] == '=') {
      out += static_cast<char>(std::stoi(body.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (body.compare(i, 2, "\r\n") == 0) {
      out += '\n';
      i += 1;
    } else {
      out += body[i];
    }
  }
  return out;
}

TEST(NotifyEmail, SeedAlarmBodyEndsWithTheSnsFooter) {
  const std::string body =
      notification_email_body(alarm_email_text(seed_notice()), seed_unsubscribe_url());
  // Two blank lines before "--": the alarm text ends in a newline and SNS adds "\n\n--".
  EXPECT_NE(body.find("- INSUFFICIENT_DATA: \n\n\n--\n"), std::string::npos);
  EXPECT_EQ(body.substr(body.size() - std::string(kFooter).size()), kFooter);
  // A plain message gets one blank line.
  EXPECT_EQ(notification_email_body("Hello World!", seed_unsubscribe_url()),
            std::string("Hello World!\n\n") + kFooter);
}

TEST(NotifyEmail, SubjectsAndSender) {
  EXPECT_EQ(notification_email_subject(std::nullopt), "AWS Notification Message");
  EXPECT_EQ(notification_email_subject(std::string("ALARM: \"x\" in EU (Ireland)")),
            "ALARM: \"x\" in EU (Ireland)");
  EXPECT_EQ(kConfirmationEmailSubject, "AWS Notification - Subscription Confirmation");
  EXPECT_EQ(sender_display_name(""), "AWS Notifications");
  EXPECT_EQ(sender_display_name("SecOps"), "SecOps");
}

TEST(NotifyEmail, UnsubscribeLinks) {
  EXPECT_EQ(
      seed_unsubscribe_url(),
      "https://sns.us-east-1.amazonaws.com/unsubscribe.html?SubscriptionArn=arn:aws:sns:us-east-1:"
      "123456789012:SecurityGroupChanges:0b9e5c1a-3f0d-4a55-9c2e-7d1f4b8a6e21&Endpoint=secops@"
      "example.com");
  EXPECT_EQ(
      email_unsubscribe_link("http://127.0.0.1:4566/sns/unsubscribe", "arn:x", "a+b&c@example.com"),
      "http://127.0.0.1:4566/sns/unsubscribe?SubscriptionArn=arn:x&Endpoint=a%2Bb%26c@example.com");
}

TEST(NotifyEmail, ConfirmationBody) {
  EXPECT_EQ(confirmation_email_body(kTopicArn, "https://h/confirm?t=1"),
            "You have chosen to subscribe to the topic:\n"
            "arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges\n"
            "\n"
            "To confirm this subscription, click or visit the link below (If this was in error no "
            "action is necessary):\n"
            "Confirm subscription\n"
            "https://h/confirm?t=1\n");
}

TEST(NotifyEmail, Rfc5322Text) {
  auto text = render_email(simple_email("AWS Notification Message", "Hello\nWorld\n"));
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text,
            "Date: Thu, 27 Nov 2025 20:20:45 +0000\r\n"
            "From: AWS Notifications <no-reply@sns.amazonaws.com>\r\n"
            "To: secops@example.com\r\n"
            "Message-ID: <6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80@sgwatch.example>\r\n"
            "Subject: AWS Notification Message\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: 7bit\r\n"
            "\r\n"
            "Hello\r\n"
            "World\r\n");
}

TEST(NotifyEmail, SeedAlarmMailIsSevenBitCrlf) {
  const auto notice = seed_notice();
  const std::string body =
      notification_email_body(alarm_email_text(notice), seed_unsubscribe_url());
  auto text = render_email(simple_email(alarm_subject(notice), body));
  ASSERT_TRUE(text);
  EXPECT_NE(
      text->find("Subject: ALARM: \"SecurityGroupChangesAlarm\" in US East (N. Virginia)\r\n"),
      std::string::npos);
  EXPECT_NE(text->find("Content-Transfer-Encoding: 7bit\r\n"), std::string::npos);
  // Every line ends in CRLF; no bare LF or CR.
  for (std::size_t i = 0; i < text->size(); ++i) {
    if ((*text)[i] == '\n') {
      EXPECT_EQ((*text)[i - 1], '\r') << i;
    }
    if ((*text)[i] == '\r') {
      EXPECT_EQ((*text)[i + 1], '\n') << i;
    }
  }
  // The body after the header block is the LF body with CRLF line ends.
  std::string expected;
  for (const char c : body) expected += c == '\n' ? std::string("\r\n") : std::string(1, c);
  EXPECT_EQ(text->substr(text->find("\r\n\r\n") + 4), expected + "\r\n");
}

TEST(NotifyEmail, NonAsciiAndLongLines) {
  auto text = render_email(simple_email("ALARM: \"caf\xC3\xA9\" in EU (Paris)",
                                        "Gr\xC3\xBC\xC3\x9F"
                                        "e = 1 \n" +
                                            std::string(1200, 'x')));
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("Subject: =?UTF-8?B?" +
                       base64_encode(std::string_view("ALARM: \"caf\xC3\xA9\" in EU (Paris)")) +
                       "?=\r\n"),
            std::string::npos)
      << *text;
  EXPECT_NE(text->find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
  EXPECT_NE(text->find("\r\n\r\nGr=C3=BC=C3=9Fe =3D 1=20\r\n"), std::string::npos) << *text;
  EXPECT_EQ(decode_quoted_printable(text->substr(text->find("\r\n\r\n") + 4)),
            "Gr\xC3\xBC\xC3\x9F"
            "e = 1 \n" +
                std::string(1200, 'x') + "\n");
  for (std::size_t start = 0, end; (end = text->find("\r\n", start)) != std::string::npos;
       start = end + 2) {
    EXPECT_LE(end - start, 998u);
  }
  const std::string body = text->substr(text->find("\r\n\r\n") + 4);
  for (std::size_t start = 0, end; (end = body.find("\r\n", start)) != std::string::npos;
       start = end + 2) {
    EXPECT_LE(end - start, 76u);
  }

  // A long non-ASCII subject becomes several encoded words on folded lines.
  std::string long_subject;
  for (int i = 0; i < 60; ++i) long_subject += "\xC3\xA9";
  auto folded = render_email(simple_email(long_subject, "x"));
  ASSERT_TRUE(folded);
  const auto at = folded->find("Subject: ");
  const std::string header = folded->substr(at, folded->find("\r\nMIME-Version") - at);
  EXPECT_NE(header.find("?=\r\n =?UTF-8?B?"), std::string::npos) << header;
  std::string decoded;
  for (std::size_t pos = 0; (pos = header.find("=?UTF-8?B?", pos)) != std::string::npos;) {
    const auto end = header.find("?=", pos + 10);
    decoded += *base64_decode(header.substr(pos + 10, end - pos - 10));
    pos = end + 2;
  }
  EXPECT_EQ(decoded, long_subject);

  // A long ASCII subject is folded at a space.
  auto ascii = render_email(simple_email(std::string(60, 'a') + " " + std::string(30, 'b'), "x"));
  ASSERT_TRUE(ascii);
  EXPECT_NE(
      ascii->find("Subject: " + std::string(60, 'a') + "\r\n " + std::string(30, 'b') + "\r\n"),
      std::string::npos);
}

TEST(NotifyEmail, DisplayNames) {
  auto email = simple_email("s", "b");
  email.from.display_name = "Ops (prod), \"team\"";
  email.to.display_name = "S\xC3\xA9\x63Ops";
  auto text = render_email(email);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("From: \"Ops (prod), \\\"team\\\"\" <no-reply@sns.amazonaws.com>\r\n"),
            std::string::npos);
  EXPECT_NE(text->find("To: =?UTF-8?B?" + base64_encode(std::string_view("S\xC3\xA9\x63Ops")) +
                       "?= <secops@example.com>\r\n"),
            std::string::npos);
}

TEST(NotifyEmail, HeaderInjectionIsRefused) {
  EXPECT_FALSE(render_email(simple_email("a\r\nBcc: x@y", "b")));
  auto email = simple_email("s", "b");
  email.to.address = "x@y>\r\nBcc: z@w";
  EXPECT_FALSE(render_email(email));
  email = simple_email("s", "b");
  email.to.address = "no-at-sign";
  EXPECT_FALSE(render_email(email));
  email = simple_email("s", "b");
  email.from.display_name = "a\nb";
  EXPECT_FALSE(render_email(email));
  email = simple_email("s", "b");
  email.message_id = "a b";
  const auto refused = render_email(email);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "InvalidParameter");
}

TEST(NotifyEmail, EmailJsonBodyIsTheNotificationDocument) {
  // email-json (spec 5.4, UNCLEAR beyond "the 4.2 document"): the HTTP document is the body.
  SnsDocument d;
  d.message_id = "m";
  d.topic_arn = kTopicArn;
  d.message = alarm_json(seed_notice());
  d.subject = alarm_subject(seed_notice());
  d.timestamp_ms = 0;
  const std::string document = render_document(d);
  auto text = render_email(simple_email(*d.subject, document));
  ASSERT_TRUE(text);
  // The Message line is longer than SMTP's 998, so the body goes quoted-printable; decoded it is
  // the document.
  EXPECT_NE(text->find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
  EXPECT_EQ(decode_quoted_printable(text->substr(text->find("\r\n\r\n") + 4)), document + "\n");
}

}  // namespace
}  // namespace sgwatch::notify
