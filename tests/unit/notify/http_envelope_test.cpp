// SNS's HTTP/S documents (spec 4): the seed Notification byte for byte, the confirmation
// documents, the string to sign of each type, request headers, links, and parsing back.
#include <gtest/gtest.h>

#include "unit/notify/seed_notice.h"

namespace sgwatch::notify {
namespace {

using testing::kSubscriptionArn;
using testing::kTopicArn;
using testing::ms;
using testing::seed_notice;

constexpr const char* kSeedDocument = R"json({
  "Type" : "Notification",
  "MessageId" : "6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80",
  "TopicArn" : "arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges",
  "Subject" : "ALARM: \"SecurityGroupChangesAlarm\" in US East (N. Virginia)",
  "Message" : "{\"AlarmName\":\"SecurityGroupChangesAlarm\",\"AlarmDescription\":null,\"AWSAccountId\":\"123456789012\",\"AlarmConfigurationUpdatedTimestamp\":\"2025-11-27T19:58:41.112+0000\",\"NewStateValue\":\"ALARM\",\"NewStateReason\":\"Threshold Crossed: 1 datapoint [2.0 (27/11/25 20:15:00)] was greater than or equal to the threshold (1.0).\",\"StateChangeTime\":\"2025-11-27T20:20:45.583+0000\",\"Region\":\"US East (N. Virginia)\",\"AlarmArn\":\"arn:aws:cloudwatch:us-east-1:123456789012:alarm:SecurityGroupChangesAlarm\",\"OldStateValue\":\"INSUFFICIENT_DATA\",\"OKActions\":[],\"AlarmActions\":[\"arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges\"],\"InsufficientDataActions\":[],\"Trigger\":{\"MetricName\":\"SecurityGroupEventCount\",\"Namespace\":\"CISBenchmark\",\"StatisticType\":\"Statistic\",\"Statistic\":\"SUM\",\"Unit\":null,\"Dimensions\":[],\"Period\":300,\"EvaluationPeriods\":1,\"ComparisonOperator\":\"GreaterThanOrEqualToThreshold\",\"Threshold\":1.0,\"TreatMissingData\":\"\",\"EvaluateLowSampleCountPercentile\":\"\"}}",
  "Timestamp" : "2025-11-27T20:20:45.631Z",
  "SignatureVersion" : "1",
  "Signature" : "<base64 RSA-SHA1 signature of the string to sign>",
  "SigningCertURL" : "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-<id>.pem",
  "UnsubscribeURL" : "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges:0b9e5c1a-3f0d-4a55-9c2e-7d1f4b8a6e21"
})json";

SnsDocument seed_document() {
  const auto notice = seed_notice();
  const std::string base = aws_sns_base_url("us-east-1");
  SnsDocument d;
  d.type = MessageType::kNotification;
  d.message_id = "6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80";
  d.topic_arn = kTopicArn;
  d.subject = alarm_subject(notice);
  d.message = alarm_json(notice);
  d.timestamp_ms = ms("2025-11-27T20:20:45.631Z");
  d.signature_version = SignatureVersion::kV1;
  d.signature = "<base64 RSA-SHA1 signature of the string to sign>";
  d.signing_cert_url = signing_cert_url(base, "<id>");
  d.unsubscribe_url = unsubscribe_url(base, kSubscriptionArn);
  return d;
}

SnsDocument confirmation(MessageType type) {
  const std::string base = aws_sns_base_url("us-east-1");
  SnsDocument d;
  d.type = type;
  d.message_id = "165545c9-2a5c-472c-8df2-7ff2be2b3b1b";
  d.token =
      "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285"
      "d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798"
      "d2d2785c03b0879594eeac82c01f235d0e717736";
  d.topic_arn = kTopicArn;
  d.message = type == MessageType::kSubscriptionConfirmation
                  ? subscription_confirmation_message(kTopicArn)
                  : unsubscribe_confirmation_message(kSubscriptionArn);
  d.subscribe_url = subscribe_url(base, kTopicArn, d.token);
  d.timestamp_ms = ms("2025-11-27T19:40:02.112Z");
  d.signature_version = SignatureVersion::kV2;
  d.signature = "c2ln";
  d.signing_cert_url = signing_cert_url(base, "0123");
  return d;
}

TEST(NotifyEnvelope, SeedNotificationIsSnsBytes) {
  EXPECT_EQ(render_document(seed_document()), kSeedDocument);
}

TEST(NotifyEnvelope, NotificationWithoutSubjectOmitsIt) {
  SnsDocument d = seed_document();
  d.subject.reset();
  d.message = "plain";
  const std::string body = render_document(d);
  EXPECT_EQ(body.find("\"Subject\""), std::string::npos);
  EXPECT_NE(
      body.find("  \"TopicArn\" : \"arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges\",\n"
                "  \"Message\" : \"plain\",\n"),
      std::string::npos);
}

TEST(NotifyEnvelope, ConfirmationDocuments) {
  const SnsDocument subscribe = confirmation(MessageType::kSubscriptionConfirmation);
  EXPECT_EQ(
      render_document(subscribe),
      "{\n"
      "  \"Type\" : \"SubscriptionConfirmation\",\n"
      "  \"MessageId\" : \"165545c9-2a5c-472c-8df2-7ff2be2b3b1b\",\n"
      "  \"Token\" : \"" +
          subscribe.token +
          "\",\n"
          "  \"TopicArn\" : \"arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges\",\n"
          "  \"Message\" : \"You have chosen to subscribe to the topic "
          "arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges.\\nTo confirm the subscription, "
          "visit the SubscribeURL included in this message.\",\n"
          "  \"SubscribeURL\" : \"https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription"
          "&TopicArn=arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges&Token=" +
          subscribe.token +
          "\",\n"
          "  \"Timestamp\" : \"2025-11-27T19:40:02.112Z\",\n"
          "  \"SignatureVersion\" : \"2\",\n"
          "  \"Signature\" : \"c2ln\",\n"
          "  \"SigningCertURL\" : "
          "\"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123.pem\"\n"
          "}");
  const SnsDocument unsubscribe = confirmation(MessageType::kUnsubscribeConfirmation);
  const std::string body = render_document(unsubscribe);
  EXPECT_EQ(body.rfind("{\n  \"Type\" : \"UnsubscribeConfirmation\",\n  \"MessageId\"", 0), 0u);
  EXPECT_NE(
      body.find("\"Message\" : \"You have chosen to deactivate subscription "
                "arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges:0b9e5c1a-3f0d-4a55-9c2e-"
                "7d1f4b8a6e21."
                "\\nTo cancel this operation and restore the subscription, visit the SubscribeURL "
                "included in this message.\""),
      std::string::npos);
  EXPECT_EQ(body.find("UnsubscribeURL"), std::string::npos);
}

TEST(NotifyEnvelope, StringToSignPerType) {
  SnsDocument d = seed_document();
  d.message = "hello\nworld";
  EXPECT_EQ(string_to_sign(d),
            "Message\nhello\nworld\n"
            "MessageId\n6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80\n"
            "Subject\nALARM: \"SecurityGroupChangesAlarm\" in US East (N. Virginia)\n"
            "Timestamp\n2025-11-27T20:20:45.631Z\n"
            "TopicArn\narn:aws:sns:us-east-1:123456789012:SecurityGroupChanges\n"
            "Type\nNotification\n");
  d.subject.reset();
  EXPECT_EQ(string_to_sign(d),
            "Message\nhello\nworld\n"
            "MessageId\n6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80\n"
            "Timestamp\n2025-11-27T20:20:45.631Z\n"
            "TopicArn\narn:aws:sns:us-east-1:123456789012:SecurityGroupChanges\n"
            "Type\nNotification\n");
  for (const MessageType type :
       {MessageType::kSubscriptionConfirmation, MessageType::kUnsubscribeConfirmation}) {
    const SnsDocument c = confirmation(type);
    EXPECT_EQ(string_to_sign(c),
              "Message\n" + c.message + "\n" + "MessageId\n165545c9-2a5c-472c-8df2-7ff2be2b3b1b\n" +
                  "SubscribeURL\n" + c.subscribe_url + "\n" +
                  "Timestamp\n2025-11-27T19:40:02.112Z\n" + "Token\n" + c.token + "\n" +
                  "TopicArn\narn:aws:sns:us-east-1:123456789012:SecurityGroupChanges\n" + "Type\n" +
                  std::string(message_type_name(type)) + "\n");
  }
}

TEST(NotifyEnvelope, RequestHeaders) {
  const Headers notification = delivery_headers(seed_document(), kSubscriptionArn);
  EXPECT_EQ(notification, (Headers{{"x-amz-sns-message-type", "Notification"},
                                   {"x-amz-sns-message-id", "6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80"},
                                   {"x-amz-sns-topic-arn", kTopicArn},
                                   {"x-amz-sns-subscription-arn", kSubscriptionArn},
                                   {"Content-Type", "text/plain; charset=UTF-8"},
                                   {"User-Agent", "Amazon Simple Notification Service Agent"}}));
  const Headers subscribe =
      delivery_headers(confirmation(MessageType::kSubscriptionConfirmation), kSubscriptionArn);
  EXPECT_EQ(subscribe.size(), 5u);
  EXPECT_EQ(subscribe[0].second, "SubscriptionConfirmation");
  for (const auto& header : subscribe) EXPECT_NE(header.first, "x-amz-sns-subscription-arn");
  const Headers unsubscribe = delivery_headers(confirmation(MessageType::kUnsubscribeConfirmation),
                                               kSubscriptionArn, "application/json");
  EXPECT_EQ(unsubscribe[3],
            (std::pair<std::string, std::string>{"x-amz-sns-subscription-arn", kSubscriptionArn}));
  EXPECT_EQ(unsubscribe[4],
            (std::pair<std::string, std::string>{"Content-Type", "application/json"}));
  const Headers raw = raw_delivery_headers("id-1", kTopicArn, kSubscriptionArn);
  EXPECT_EQ(raw.back(), (std::pair<std::string, std::string>{"x-amz-sns-rawdelivery", "true"}));
  EXPECT_EQ(raw[0].second, "Notification");
}

TEST(NotifyEnvelope, Links) {
  EXPECT_EQ(aws_sns_base_url("eu-west-1"), "https://sns.eu-west-1.amazonaws.com");
  EXPECT_EQ(
      unsubscribe_url("https://sns.us-east-1.amazonaws.com", kSubscriptionArn),
      std::string("https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=") +
          kSubscriptionArn);
  // Query values stay readable for ARNs; characters that would break the query are encoded.
  EXPECT_EQ(subscribe_url("http://127.0.0.1:4566", "arn:aws:sns:us-east-1:1:t", "a+b&c=d e"),
            "http://127.0.0.1:4566/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:1:t"
            "&Token=a%2Bb%26c%3Dd%20e");
  EXPECT_EQ(signing_cert_url("https://h", "abc"), "https://h/SimpleNotificationService-abc.pem");
}

TEST(NotifyEnvelope, ParseBackEveryType) {
  for (const SnsDocument& original :
       {seed_document(), confirmation(MessageType::kSubscriptionConfirmation),
        confirmation(MessageType::kUnsubscribeConfirmation)}) {
    auto parsed = parse_document(render_document(original));
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(render_document(*parsed), render_document(original));
    EXPECT_EQ(string_to_sign(*parsed), string_to_sign(original));
  }
  for (const char* bad :
       {"", "[]", "{}", R"({"Type":"Other"})", R"({"Type":"Notification","MessageId":"x"})",
        "{\"Type\":\"Notification\"", "[[[[[[[[[[]]]]]]]]]]"}) {
    EXPECT_FALSE(parse_document(bad)) << bad;
  }
  std::string bad_time = kSeedDocument;
  bad_time.replace(bad_time.find("20:20:45.631Z"), 13, "20:20:45Z");
  const auto rejected = parse_document(bad_time);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, "InvalidParameter");
}

}  // namespace
}  // namespace sgwatch::notify
