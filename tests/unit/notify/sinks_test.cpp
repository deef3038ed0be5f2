// The sinks' pure rules: E.164 numbers, the SMS gateway body, HTTP and SMTP outcome
// classification, file errno classes, SNS topic ARNs, endpoints, the Publish form and AWS error
// documents, the delivery payload round trip, redact_url, and make_sink_set (libcurl's plumbing is
// tested with the aws module, tests/unit/aws/curl_handle_test.cpp). No network: the sinks against
// real servers are in tests/integration/.
#include "notify/sinks/sinks.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace sgwatch::notify {
namespace {

TEST(SinkRules, E164) {
  for (const char* good :
       {"+15555550100", "+12345678", "+123456789012345", "+447700900123", "+8613800138000"}) {
    EXPECT_TRUE(is_e164(good)) << good;
  }
  for (const char* bad :
       {"", "+", "15555550100", "+1234567", "+1234567890123456", "+1 5555550100", "+1-555-555-0100",
        "++15555550100", "+05555550100", "+1555555010a", "tel:+15555550100", "+15555550100\n"}) {
    EXPECT_FALSE(is_e164(bad)) << bad;
  }
}

TEST(SinkRules, SmsGatewayBody) {
  EXPECT_EQ(sms_gateway_body("+15555550100", "ALARM: \"x\"\n\xC3\xA9", "m-1"),
            "{\"to\":\"+15555550100\",\"message\":\"ALARM: "
            "\\\"x\\\"\\n\xC3\xA9\",\"messageId\":\"m-1\"}");
  // Invalid UTF-8 cannot make the JSON invalid.
  EXPECT_EQ(sms_gateway_body("+15555550100", "a\xFF", "m"),
            "{\"to\":\"+15555550100\",\"message\":\"a\xEF\xBF\xBD\",\"messageId\":\"m\"}");
}

TEST(SinkRules, HttpStatuses) {
  struct Case {
    long status;
    SinkStatus expected;
  };
  for (const Case c : {Case{200, SinkStatus::kDelivered}, Case{202, SinkStatus::kDelivered},
                       Case{299, SinkStatus::kDelivered}, Case{100, SinkStatus::kFailed},
                       Case{300, SinkStatus::kFailed}, Case{302, SinkStatus::kFailed},
                       Case{400, SinkStatus::kFailed}, Case{404, SinkStatus::kFailed},
                       Case{410, SinkStatus::kFailed}, Case{428, SinkStatus::kFailed},
                       Case{429, SinkStatus::kRetry}, Case{430, SinkStatus::kFailed},
                       Case{499, SinkStatus::kFailed}, Case{500, SinkStatus::kRetry},
                       Case{504, SinkStatus::kRetry}, Case{599, SinkStatus::kRetry},
                       Case{600, SinkStatus::kFailed}}) {
    EXPECT_EQ(classify_http_response(HttpResponse{c.status, ""}, "POST x").status, c.expected)
        << c.status;
  }
  const auto outcome =
      classify_http_response(HttpResponse{404, "Cannot POST /services/T/B/tok?x=1\n"},
                             "POST https://hooks.slack.com/…", {"/services/T/B/tok", "x=1"});
  EXPECT_EQ(outcome.status, SinkStatus::kFailed);
  EXPECT_EQ(outcome.error, "POST https://hooks.slack.com/…: HTTP 404: Cannot POST ***?***\\n");
  EXPECT_EQ(classify_http_response(HttpResponse{503, ""}, "POST u").error, "POST u: HTTP 503");
  EXPECT_EQ(classify_http_response(HttpResponse{500, std::string(10000, 'e')}, "P").error.size(),
            std::string("P: HTTP 500: ").size() + 200 + 3);
}

TEST(SinkRules, SmtpReplies) {
  EXPECT_EQ(smtp_failure_status(421, SinkStatus::kFailed), SinkStatus::kRetry);
  EXPECT_EQ(smtp_failure_status(451, SinkStatus::kFailed), SinkStatus::kRetry);
  EXPECT_EQ(smtp_failure_status(452, SinkStatus::kRetry), SinkStatus::kRetry);
  EXPECT_EQ(smtp_failure_status(454, SinkStatus::kFailed), SinkStatus::kRetry);
  EXPECT_EQ(smtp_failure_status(530, SinkStatus::kRetry), SinkStatus::kFailed);
  EXPECT_EQ(smtp_failure_status(535, SinkStatus::kRetry), SinkStatus::kFailed);
  EXPECT_EQ(smtp_failure_status(550, SinkStatus::kRetry), SinkStatus::kFailed);
  EXPECT_EQ(smtp_failure_status(554, SinkStatus::kRetry), SinkStatus::kFailed);
  // No error reply: the transport decides (refused connection, timeout after "354").
  EXPECT_EQ(smtp_failure_status(0, SinkStatus::kRetry), SinkStatus::kRetry);
  EXPECT_EQ(smtp_failure_status(0, SinkStatus::kFailed), SinkStatus::kFailed);
  EXPECT_EQ(smtp_failure_status(354, SinkStatus::kRetry), SinkStatus::kRetry);
  EXPECT_EQ(smtp_failure_status(220, SinkStatus::kFailed), SinkStatus::kFailed);
}

TEST(SinkRules, FileErrors) {
  for (const int e :
       {EACCES, EPERM, ENOENT, ENOTDIR, EISDIR, EROFS, ELOOP, ENAMETOOLONG, EPIPE, EBADF}) {
    EXPECT_EQ(file_error_status(e), SinkStatus::kFailed) << e;
  }
  for (const int e :
       {ENOSPC, EDQUOT, EIO, EINTR, EAGAIN, ENOMEM, EMFILE, ENFILE, ENXIO, ETIMEDOUT}) {
    EXPECT_EQ(file_error_status(e), SinkStatus::kRetry) << e;
  }
}

TEST(SinkRules, TopicArns) {
  const auto arn = parse_topic_arn("arn:aws:sns:us-east-1:123456789012:sg-alarms");
  ASSERT_TRUE(arn);
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->region, "us-east-1");
  EXPECT_EQ(arn->account, "123456789012");
  EXPECT_EQ(arn->name, "sg-alarms");
  EXPECT_EQ(parse_topic_arn("arn:aws:sns:us-east-1:123456789012:alarms.fifo")->name, "alarms.fifo");
  for (const char* bad :
       {"", "arn:aws:sns:us-east-1:123456789012",
        "arn:aws:sns:us-east-1:123456789012:", "arn:aws:sqs:us-east-1:123456789012:q",
        "arn::sns:us-east-1:1:t", "arn:aws:sns::1:t", "arn:aws:sns:us-east-1::t",
        "arn:aws:sns:us-east-1:1:t:sub", "urn:aws:sns:r:1:t", "arn:aws:sns:evil.com/x:1:t"}) {
    EXPECT_FALSE(parse_topic_arn(bad)) << bad;
  }
}

TEST(SinkRules, SnsEndpoints) {
  const auto endpoint = [](const char* arn) { return sns_endpoint(*parse_topic_arn(arn)); };
  EXPECT_EQ(endpoint("arn:aws:sns:us-east-1:1:t"), "https://sns.us-east-1.amazonaws.com/");
  EXPECT_EQ(endpoint("arn:aws:sns:eu-west-3:1:t"), "https://sns.eu-west-3.amazonaws.com/");
  EXPECT_EQ(endpoint("arn:aws-cn:sns:cn-north-1:1:t"), "https://sns.cn-north-1.amazonaws.com.cn/");
  EXPECT_EQ(endpoint("arn:aws-us-gov:sns:us-gov-west-1:1:t"),
            "https://sns.us-gov-west-1.amazonaws.com/");
  EXPECT_EQ(endpoint("arn:aws-iso:sns:us-iso-east-1:1:t"), "https://sns.us-iso-east-1.c2s.ic.gov/");
  EXPECT_EQ(endpoint("arn:aws-mars:sns:mars-1:1:t"), std::nullopt);
}

TEST(SinkRules, PublishForm) {
  RenderedDelivery d;
  d.kind = DeliveryKind::kSns;
  d.topic_arn = "arn:aws:sns:us-east-1:123456789012:sg";
  d.message = "a b&c=d+é";
  EXPECT_EQ(
      sns_publish_body(d),
      "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Asg"
      "&Message=a+b%26c%3Dd%2B%C3%A9");
  d.subject = "ALARM: x";
  d.message_structure = "json";
  EXPECT_EQ(
      sns_publish_body(d),
      "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Asg"
      "&Message=a+b%26c%3Dd%2B%C3%A9&Subject=ALARM%3A+x&MessageStructure=json");
}

TEST(SinkRules, AwsErrorDocuments) {
  const auto error = parse_aws_error(
      "<?xml version=\"1.0\"?>\n<ErrorResponse "
      "xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\n"
      "  <Error>\n    <Type>Sender</Type>\n    <Code>NotFound</Code>\n"
      "    <Message>Topic &quot;x&quot; &lt;does&gt; not exist &amp; "
      "&#233;&#x2713;&bogus;</Message>\n"
      "  </Error>\n  <RequestId>1</RequestId>\n</ErrorResponse>");
  EXPECT_EQ(error.code, "NotFound");
  EXPECT_EQ(error.message, "Topic \"x\" <does> not exist & \xC3\xA9\xE2\x9C\x93&bogus;");
  EXPECT_EQ(parse_aws_error("").code, "");
  EXPECT_EQ(parse_aws_error("<html>502 Bad Gateway</html>").message, "");
  EXPECT_EQ(parse_aws_error("<Code>Throttling").code, "");
  EXPECT_EQ(parse_aws_error("<Message>&#xD800;&#99999999;</Message>").message,
            "&#xD800;&#99999999;");

  for (const char* code : {"Throttling", "ThrottlingException", "ThrottledException",
                           "TooManyRequestsException", "RequestLimitExceeded", "KMSThrottling"}) {
    EXPECT_TRUE(is_throttling_code(code)) << code;
  }
  for (const char* code :
       {"", "NotFound", "AuthorizationError", "InvalidParameter", "throttling"}) {
    EXPECT_FALSE(is_throttling_code(code)) << code;
  }
}

TEST(SinkRules, DeliveryRoundTrip) {
  std::vector<RenderedDelivery> all(6);
  all[0].kind = DeliveryKind::kHttp;
  all[0].url = "https://u:p@hooks.example.com/x?y=1";
  all[0].headers = {{"x-amz-sns-message-type", "Notification"},
                    {"Content-Type", "text/plain; charset=UTF-8"}};
  all[0].body = "{\n  \"Type\" : \"Notification\"\n}";
  all[1].kind = DeliveryKind::kMail;
  all[1].mail_from = "a@b.example";
  all[1].rcpt_to = "c@d.example";
  all[1].data = "Subject: x\r\n\r\n.body\r\n";
  all[2].kind = DeliveryKind::kSms;
  all[2].phone = "+15555550100";
  all[2].text = "ALARM: \"x\"";
  all[3].kind = DeliveryKind::kFile;
  all[3].path = "/var/log/sgwatch/alarms.jsonl";
  all[3].line = "{\"a\":1}";
  all[4].kind = DeliveryKind::kStdout;
  all[4].line = "line";
  all[5].kind = DeliveryKind::kSns;
  all[5].topic_arn = "arn:aws:sns:us-east-1:123456789012:t";
  all[5].subject = "s";
  all[5].message = "{\"default\":\"m\"}";
  all[5].message_structure = "json";
  for (auto& d : all) {
    d.message_id = "6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80";
    const auto back = decode_delivery(encode_delivery(d));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->kind, d.kind);
    EXPECT_EQ(encode_delivery(*back), encode_delivery(d));
    EXPECT_EQ(back->headers, d.headers);
    EXPECT_EQ(back->data, d.data);
    EXPECT_EQ(back->subject, d.subject);
  }
  EXPECT_FALSE(decode_delivery("{\"kind\":\"pigeon\",\"messageId\":\"m\"}"));
  EXPECT_FALSE(
      decode_delivery("{\"kind\":\"http\",\"messageId\":\"m\",\"url\":\"u\",\"body\":\"\"}"));
  EXPECT_FALSE(decode_delivery("[]"));
}

TEST(SinkRules, RedactUrl) {
  EXPECT_EQ(redact_url("https://user:pw@hooks.slack.com/services/T/B/X"),
            "https://hooks.slack.com/…");
  EXPECT_EQ(redact_url("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(redact_url("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
  EXPECT_EQ(redact_url("http://h?token=1"), "http://h/…");
  EXPECT_EQ(redact_url("smtp://u:p@mail.example.com:587"), "smtp://mail.example.com:587");
  EXPECT_EQ(redact_url("hooks.example.com/secret"), "hooks.example.com/…");
}

TEST(SinkRules, SinkSet) {
  SinkConfig config;
  auto minimal = make_sink_set(config);
  ASSERT_TRUE(minimal);
  EXPECT_NE(minimal->find(DeliveryKind::kHttp), nullptr);
  EXPECT_NE(minimal->find(DeliveryKind::kFile), nullptr);
  EXPECT_NE(minimal->find(DeliveryKind::kStdout), nullptr);
  EXPECT_EQ(minimal->find(DeliveryKind::kMail), nullptr);
  EXPECT_EQ(minimal->find(DeliveryKind::kSms), nullptr);
  EXPECT_EQ(minimal->find(DeliveryKind::kSns), nullptr);

  const core::ManualClock clock(0);
  config.smtp = SmtpOptions{};
  config.smtp->url = "smtps://u:p@mail.example.com";
  config.sms = SmsGatewayOptions{};
  config.sms->url = "https://sms.example.com/send";
  config.sns = SnsOptions{};
  config.clock = &clock;
  auto full = make_sink_set(config);
  ASSERT_TRUE(full);
  for (const auto kind : {DeliveryKind::kHttp, DeliveryKind::kMail, DeliveryKind::kSms,
                          DeliveryKind::kFile, DeliveryKind::kStdout, DeliveryKind::kSns}) {
    EXPECT_NE(full->find(kind), nullptr) << delivery_kind_name(kind);
  }
  // Each sink refuses the other kinds.
  RenderedDelivery stdout_delivery;
  stdout_delivery.kind = DeliveryKind::kStdout;
  EXPECT_EQ(full->find(DeliveryKind::kMail)->send(stdout_delivery).status, SinkStatus::kFailed);
  EXPECT_EQ(full->find(DeliveryKind::kSns)->send(stdout_delivery).status, SinkStatus::kFailed);
  EXPECT_EQ(full->find(DeliveryKind::kSms)->send(stdout_delivery).status, SinkStatus::kFailed);

  config.smtp->url = "imap://u:hunter2@mail.example.com";
  auto bad = make_sink_set(config);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "InvalidParameter");
  EXPECT_EQ(bad.error().message.find("hunter2"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace sgwatch::notify
