// The SQS messages of a CloudTrail bucket (sources/s3_notification.h), one case per shape users
// set up: S3 -> SQS (URL-encoded keys, '+' for a space, several records, removals left out),
// S3 -> SNS -> SQS (the SNS envelope), EventBridge "Object Created", CloudTrail's SNS notice, the
// s3:TestEvent (bare and in an envelope), and every unreadable body, none of which may crash.
#include "sources/s3_notification.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sgwatch::sources {
namespace {

using Json = nlohmann::json;
using Kind = S3Notification::Kind;

Json s3_record(const std::string& event, const std::string& bucket, const std::string& key) {
  return {{"eventVersion", "2.1"},
          {"eventSource", "aws:s3"},
          {"awsRegion", "us-east-1"},
          {"eventTime", "2026-11-28T16:44:27.123Z"},
          {"eventName", event},
          {"s3",
           {{"s3SchemaVersion", "1.0"},
            {"bucket", {{"name", bucket}, {"arn", "arn:aws:s3:::" + bucket}}},
            {"object", {{"key", key}, {"size", 1024}, {"eTag", "0123456789abcdef0123456789abcdef"}}}}}};
}

TEST(S3Notification, S3EventsDirectDecodeKeys) {
  const Json event = {
      {"Records",
       {s3_record("ObjectCreated:Put", "trail",
                  "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/28/"
                  "123456789012_CloudTrail_us-east-1_20261128T1645Z_abc.json.gz"),
        s3_record("ObjectRemoved:Delete", "trail", "AWSLogs/old.json.gz"),
        s3_record("ObjectCreated:CompleteMultipartUpload", "trail", "team+a/caf%C3%A9%3A1.json.gz")}}};
  const S3Notification n = parse_s3_notification(event.dump());
  ASSERT_EQ(n.kind, Kind::kObjects) << n.error;
  ASSERT_EQ(n.objects.size(), 2U);
  EXPECT_EQ(n.objects[0], (S3ObjectRef{"trail", "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/28/"
                                                "123456789012_CloudTrail_us-east-1_20261128T1645Z_abc.json.gz"}));
  EXPECT_EQ(n.objects[1], (S3ObjectRef{"trail", "team a/caf\xc3\xa9:1.json.gz"}));
}

TEST(S3Notification, SnsEnvelopeHoldsTheS3Event) {
  const Json inner = {{"Records", {s3_record("ObjectCreated:Put", "trail", "AWSLogs/a%2Bb.json.gz")}}};
  const Json envelope = {{"Type", "Notification"},
                         {"MessageId", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324"},
                         {"TopicArn", "arn:aws:sns:us-east-1:123456789012:trail-objects"},
                         {"Subject", "Amazon S3 Notification"},
                         {"Message", inner.dump()},
                         {"Timestamp", "2026-11-28T16:44:28.000Z"},
                         {"SignatureVersion", "1"}};
  const S3Notification n = parse_s3_notification(envelope.dump());
  ASSERT_EQ(n.kind, Kind::kObjects) << n.error;
  ASSERT_EQ(n.objects.size(), 1U);
  EXPECT_EQ(n.objects[0], (S3ObjectRef{"trail", "AWSLogs/a+b.json.gz"}));
}

TEST(S3Notification, EventBridgeObjectCreatedKeysAreNotEncoded) {
  const Json event = {{"version", "0"},
                      {"id", "c9888434-815d-c6f4-9fc2-4dd7bdeccaaf"},
                      {"detail-type", "Object Created"},
                      {"source", "aws.s3"},
                      {"account", "123456789012"},
                      {"time", "2026-11-28T16:44:27Z"},
                      {"region", "us-east-1"},
                      {"resources", {"arn:aws:s3:::trail"}},
                      {"detail",
                       {{"version", "0"},
                        {"bucket", {{"name", "trail"}}},
                        {"object", {{"key", "AWSLogs/x+y%20z.json.gz"}, {"size", 10}}},
                        {"reason", "PutObject"}}}};
  const S3Notification n = parse_s3_notification(event.dump());
  ASSERT_EQ(n.kind, Kind::kObjects) << n.error;
  ASSERT_EQ(n.objects.size(), 1U);
  EXPECT_EQ(n.objects[0], (S3ObjectRef{"trail", "AWSLogs/x+y%20z.json.gz"}));

  Json deleted = event;
  deleted["detail-type"] = "Object Deleted";
  const S3Notification other = parse_s3_notification(deleted.dump());
  EXPECT_EQ(other.kind, Kind::kObjects);
  EXPECT_TRUE(other.objects.empty());
}

TEST(S3Notification, CloudTrailsOwnNoticeBareAndInSns) {
  const Json notice = {{"s3Bucket", "trail"},
                       {"s3ObjectKey",
                        {"AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/28/a.json.gz",
                         "AWSLogs/123456789012/CloudTrail/eu-west-1/2026/11/28/b.json.gz"}}};
  for (const std::string& body :
       {notice.dump(), Json{{"Type", "Notification"}, {"Message", notice.dump()}}.dump()}) {
    const S3Notification n = parse_s3_notification(body);
    ASSERT_EQ(n.kind, Kind::kObjects) << n.error;
    ASSERT_EQ(n.objects.size(), 2U);
    EXPECT_EQ(n.objects[1].key, "AWSLogs/123456789012/CloudTrail/eu-west-1/2026/11/28/b.json.gz");
    EXPECT_EQ(n.objects[1].bucket, "trail");
  }
}

TEST(S3Notification, TestEvents) {
  const Json test = {{"Service", "Amazon S3"},
                     {"Event", "s3:TestEvent"},
                     {"Time", "2026-11-28T16:44:27.000Z"},
                     {"Bucket", "trail"},
                     {"RequestId", "5582815E1AEA5ADF"},
                     {"HostId", "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}};
  EXPECT_EQ(parse_s3_notification(test.dump()).kind, Kind::kTestEvent);
  EXPECT_EQ(parse_s3_notification(Json{{"Type", "Notification"}, {"Message", test.dump()}}.dump()).kind,
            Kind::kTestEvent);
}

TEST(S3Notification, UnreadableBodiesSayWhy) {
  const std::string deep(100000, '[');
  const std::string cases[] = {
      "",
      "not json",
      "[1,2]",
      "{\"hello\": 1}",
      "{\"Records\": 5}",
      "{\"Records\": [{\"s3\": {}}]}",
      "{\"Records\": [{\"eventName\": \"ObjectCreated:Put\", \"s3\": {\"bucket\": {}}}]}",
      "{\"Type\": \"Notification\"}",
      "{\"Type\": \"Notification\", \"Message\": \"not json\"}",
      Json{{"Type", "Notification"}, {"Message", Json{{"Type", "Notification"}, {"Message", "{}"}}.dump()}}.dump(),
      "{\"detail-type\": \"Object Created\", \"detail\": {\"bucket\": {\"name\": \"b\"}}}",
      "{\"detail-type\": \"Object Created\"}",
      "{\"s3Bucket\": \"b\"}",
      "{\"s3Bucket\": \"b\", \"s3ObjectKey\": [1]}",
      deep,
      std::string(2 << 20, ' '),
  };
  for (const std::string& body : cases) {
    const S3Notification n = parse_s3_notification(body);
    EXPECT_EQ(n.kind, Kind::kUnreadable) << body.substr(0, 80);
    EXPECT_FALSE(n.error.empty()) << body.substr(0, 80);
  }
}

}  // namespace
}  // namespace sgwatch::sources
