// The aws-sns sink. Against tests/servers/http_sink.py: the exact Publish form, a SigV4 signature
// that aws::verify_request accepts for the ARN's region at the injected clock's time, and the
// outcome of AWS's error answers (throttling retried, NotFound/AuthorizationError failed with
// Code and Message). Against moto_server: a real topic receives the message (checked through an
// SQS queue subscribed to it) and an unknown topic fails with NotFound.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "aws/query_params.h"
#include "aws/sigv4.h"
#include "aws/verifier.h"
#include "core/clock.h"
#include "notify/json_text.h"
#include "notify/sinks/sinks.h"
#include "support/servers.h"

namespace sgwatch::notify {
namespace {

using sgwatch::testing::ScriptServer;
using namespace std::chrono_literals;

constexpr std::int64_t kNowMs = 1764274845123;  // 2025-11-27T20:20:45.123Z
const aws::Credentials kCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};

RenderedDelivery publish(std::string topic_arn) {
  RenderedDelivery d;
  d.kind = DeliveryKind::kSns;
  d.message_id = "6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80";
  d.topic_arn = std::move(topic_arn);
  d.subject = "ALARM: \"sg-changes\" in US East (N. Virginia)";
  d.message = "{\"AlarmName\":\"sg-changes\",\"NewStateValue\":\"ALARM\",\"note\":\"a&b=c d+e\"}";
  return d;
}

SnsOptions options(std::string endpoint, aws::Credentials credentials = kCredentials) {
  SnsOptions o;
  o.credentials = std::move(credentials);
  o.endpoint_url = std::move(endpoint);
  o.http.connect_timeout = 2s;
  o.http.total_timeout = 5s;
  return o;
}

std::string error_xml(std::string_view type, std::string_view code, std::string_view message) {
  return "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\n  <Error>\n    "
         "<Type>" +
         std::string(type) + "</Type>\n    <Code>" + std::string(code) + "</Code>\n    <Message>" +
         std::string(message) +
         "</Message>\n  </Error>\n  <RequestId>9b1a</RequestId>\n</ErrorResponse>\n";
}

TEST(SnsSink, SignedPublishForm) {
  ScriptServer server("http_sink.py", {});
  const core::ManualClock clock(kNowMs);
  aws::Credentials session = kCredentials;
  session.session_token = "FwoGZXIvYXdzEXAMPLETOKEN";
  SnsSink sink(options(server.url() + "/sns-path", session), clock);
  auto delivery = publish("arn:aws:sns:eu-west-3:123456789012:sg-alarms");
  delivery.message_structure = "json";
  const auto outcome = sink.send(delivery);
  EXPECT_EQ(outcome.status, SinkStatus::kDelivered) << outcome.error;

  const auto records = server.records();
  ASSERT_EQ(records.size(), 1u);
  const auto& r = records[0];
  const std::string body = *base64_decode(r.at("body_b64").get<std::string>());
  EXPECT_EQ(body, aws::QueryBuilder()
                      .add("Action", "Publish")
                      .add("Version", "2010-03-31")
                      .add("TopicArn", "arn:aws:sns:eu-west-3:123456789012:sg-alarms")
                      .add("Message", delivery.message)
                      .add("Subject", *delivery.subject)
                      .add("MessageStructure", "json")
                      .body());
  EXPECT_EQ(r.at("path"), "/sns-path");

  // The request as the server saw it verifies for SNS in the ARN's region at the clock's time.
  aws::HttpRequest received;
  received.method = r.at("method").get<std::string>();
  received.path = r.at("path").get<std::string>();
  for (const auto& h : r.at("headers")) {
    received.headers.push_back({h.at(0).get<std::string>(), h.at(1).get<std::string>()});
  }
  received.body = body;
  EXPECT_EQ(*received.find_header("X-Amz-Date"), "20251127T202045Z");
  EXPECT_EQ(*received.find_header("X-Amz-Security-Token"), "FwoGZXIvYXdzEXAMPLETOKEN");
  EXPECT_EQ(*received.find_header("Content-Type"),
            "application/x-www-form-urlencoded; charset=utf-8");
  aws::StaticSecrets secrets;
  secrets.add(kCredentials.access_key_id, kCredentials.secret_access_key);
  aws::VerifyOptions verify;
  verify.region = "eu-west-3";
  verify.service = "sns";
  const auto verified = aws::verify_request(received, secrets, kNowMs / 1000, verify);
  ASSERT_TRUE(verified) << verified.error().code << ": " << verified.error().message;
  EXPECT_EQ(verified->region, "eu-west-3");
  EXPECT_EQ(verified->service, "sns");
  EXPECT_EQ(verified->signed_at, kNowMs / 1000);
}

TEST(SnsSink, OutcomeOfAwsErrors) {
  struct Case {
    int status;
    std::string code;
    std::string message;
    SinkStatus expected;
  };
  const std::vector<Case> cases{
      {400, "Throttling", "Rate exceeded", SinkStatus::kRetry},
      {400, "ThrottledException", "slow down", SinkStatus::kRetry},
      {429, "TooManyRequestsException", "too many", SinkStatus::kRetry},
      {500, "InternalError", "oops", SinkStatus::kRetry},
      {503, "ServiceUnavailable", "later", SinkStatus::kRetry},
      {404, "NotFound", "Topic does not exist", SinkStatus::kFailed},
      {403, "AuthorizationError", "User: arn:aws:iam::1:user/x is not authorized &amp; denied",
       SinkStatus::kFailed},
      {400, "InvalidParameter", "Invalid parameter: Message too long", SinkStatus::kFailed},
      {200, "", "", SinkStatus::kDelivered},
  };
  nlohmann::json script = nlohmann::json::array();
  for (const auto& c : cases) {
    script.push_back(
        {{"status", c.status},
         {"body", c.code.empty() ? "<PublishResponse/>" : error_xml("Sender", c.code, c.message)},
         {"headers", {{"Content-Type", "text/xml"}}}});
  }
  sgwatch::testing::TempDir dir;
  const auto path = dir.path() / "script.json";
  {
    FILE* f = fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    const std::string text = script.dump();
    fwrite(text.data(), 1, text.size(), f);
    fclose(f);
  }
  ScriptServer server("http_sink.py", {"--script", path.string()});
  const core::ManualClock clock(kNowMs);
  SnsSink sink(options(server.url()), clock);
  const std::string arn = "arn:aws:sns:us-east-1:123456789012:sg-alarms";
  for (const auto& c : cases) {
    const auto outcome = sink.send(publish(arn));
    EXPECT_EQ(outcome.status, c.expected) << c.status << " " << c.code << ": " << outcome.error;
    if (c.expected == SinkStatus::kDelivered) continue;
    EXPECT_EQ(outcome.error.rfind("SNS Publish to " + arn +
                                      " (POST http://127.0.0.1:" + std::to_string(server.port()) +
                                      "): HTTP " + std::to_string(c.status) + " " + c.code + ": ",
                                  0),
              0u)
        << outcome.error;
  }
  EXPECT_EQ(server.records().size(), cases.size());
}

TEST(SnsSink, ErrorsWithoutAnAnswer) {
  const core::ManualClock clock(kNowMs);
  SnsSink down(options("http://127.0.0.1:" + std::to_string(sgwatch::testing::free_port())), clock);
  const auto refused = down.send(publish("arn:aws:sns:us-east-1:123456789012:t"));
  EXPECT_EQ(refused.status, SinkStatus::kRetry) << refused.error;
  EXPECT_EQ(refused.error.rfind("SNS Publish to arn:aws:sns:us-east-1:123456789012:t: POST ", 0),
            0u)
      << refused.error;
  EXPECT_EQ(refused.error.find(kCredentials.secret_access_key), std::string::npos);

  for (const char* arn :
       {"", "arn:aws:sqs:us-east-1:123456789012:q", "arn:aws:sns:us-east-1:123456789012",
        "arn:aws:sns::123456789012:t", "sg-alarms"}) {
    EXPECT_EQ(down.send(publish(arn)).status, SinkStatus::kFailed) << arn;
  }
  SnsSink unknown_partition(options(""), clock);
  const auto outcome = unknown_partition.send(publish("arn:aws-mars:sns:mars-1:123456789012:t"));
  EXPECT_EQ(outcome.status, SinkStatus::kFailed);
  EXPECT_NE(outcome.error.find("aws-mars"), std::string::npos) << outcome.error;
  SnsSink no_keys(options("http://127.0.0.1:1", aws::Credentials{}), clock);
  EXPECT_EQ(no_keys.send(publish("arn:aws:sns:us-east-1:123456789012:t")).status,
            SinkStatus::kFailed);
}

// --- moto_server -------------------------------------------------------------------------------

// The text of the first <name> element, with XML's escapes undone (moto writes &#34; for '"').
std::string xml_text(std::string_view xml, std::string_view name) {
  const std::string open = "<" + std::string(name) + ">";
  const auto begin = xml.find(open);
  if (begin == std::string_view::npos) return {};
  const auto start = begin + open.size();
  const auto end = xml.find("</" + std::string(name) + ">", start);
  if (end == std::string_view::npos) return {};
  const std::string_view raw = xml.substr(start, end - start);
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto semi = raw[i] == '&' ? raw.find(';', i) : std::string_view::npos;
    if (semi == std::string_view::npos) {
      out += raw[i];
      continue;
    }
    const std::string_view entity = raw.substr(i + 1, semi - i - 1);
    if (entity == "amp")
      out += '&';
    else if (entity == "lt")
      out += '<';
    else if (entity == "gt")
      out += '>';
    else if (entity == "quot")
      out += '"';
    else if (entity == "apos")
      out += '\'';
    else if (!entity.empty() && entity[0] == '#')
      out += static_cast<char>(std::stoi(std::string(entity.substr(1))));
    else
      out += std::string(raw.substr(i, semi - i + 1));
    i = semi;
  }
  return out;
}

class SnsSinkMoto : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { moto_ = std::make_unique<sgwatch::testing::MotoServer>(); }
  static void TearDownTestSuite() { moto_.reset(); }

  // A signed awsQuery call to moto.
  static HttpResponse call(std::string_view service, const std::string& body) {
    const std::string host = "127.0.0.1:" + std::to_string(moto_->port());
    aws::HttpRequest request{
        "POST",
        "/",
        "",
        {{"Host", host}, {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
        body};
    const auto signed_request =
        aws::sign(request, kCredentials, "us-east-1", service, core::SystemClock().now_ms() / 1000);
    EXPECT_TRUE(signed_request);
    HttpHeaders headers;
    for (const auto& h : request.headers) headers.emplace_back(h.name, h.value);
    auto response = http_post(moto_->endpoint_url() + "/", headers, body, HttpOptions{});
    EXPECT_TRUE(response) << response.error().error;
    return response ? *response : HttpResponse{};
  }

  static std::unique_ptr<sgwatch::testing::MotoServer> moto_;
};

std::unique_ptr<sgwatch::testing::MotoServer> SnsSinkMoto::moto_;

TEST_F(SnsSinkMoto, PublishReachesTheTopic) {
  const auto topic = call("sns", aws::QueryBuilder()
                                     .add("Action", "CreateTopic")
                                     .add("Version", "2010-03-31")
                                     .add("Name", "sg-alarms")
                                     .body());
  ASSERT_EQ(topic.status, 200) << topic.body;
  const std::string topic_arn = xml_text(topic.body, "TopicArn");
  ASSERT_EQ(topic_arn, "arn:aws:sns:us-east-1:123456789012:sg-alarms");

  const auto queue = call("sqs", aws::QueryBuilder()
                                     .add("Action", "CreateQueue")
                                     .add("Version", "2012-11-05")
                                     .add("QueueName", "sg-alarms-copy")
                                     .body());
  ASSERT_EQ(queue.status, 200) << queue.body;
  const std::string queue_url = xml_text(queue.body, "QueueUrl");
  ASSERT_FALSE(queue_url.empty()) << queue.body;
  const auto subscribed =
      call("sns", aws::QueryBuilder()
                      .add("Action", "Subscribe")
                      .add("Version", "2010-03-31")
                      .add("TopicArn", topic_arn)
                      .add("Protocol", "sqs")
                      .add("Endpoint", "arn:aws:sqs:us-east-1:123456789012:sg-alarms-copy")
                      .body());
  ASSERT_EQ(subscribed.status, 200) << subscribed.body;

  const core::SystemClock clock;
  SnsSink sink(options(moto_->endpoint_url()), clock);
  const auto delivery = publish(topic_arn);
  const auto outcome = sink.send(delivery);
  ASSERT_EQ(outcome.status, SinkStatus::kDelivered) << outcome.error;

  const auto received = call("sqs", aws::QueryBuilder()
                                        .add("Action", "ReceiveMessage")
                                        .add("Version", "2012-11-05")
                                        .add("QueueUrl", queue_url)
                                        .add("WaitTimeSeconds", "1")
                                        .body());
  ASSERT_EQ(received.status, 200) << received.body;
  const auto envelope = nlohmann::json::parse(xml_text(received.body, "Body"), nullptr, false);
  ASSERT_TRUE(envelope.is_object()) << received.body;
  EXPECT_EQ(envelope.at("Type"), "Notification");
  EXPECT_EQ(envelope.at("TopicArn"), topic_arn);
  EXPECT_EQ(envelope.at("Subject"), *delivery.subject);
  EXPECT_EQ(envelope.at("Message"), delivery.message);
}

TEST_F(SnsSinkMoto, UnknownTopicFailsWithNotFound) {
  const core::SystemClock clock;
  SnsSink sink(options(moto_->endpoint_url()), clock);
  const auto outcome = sink.send(publish("arn:aws:sns:us-east-1:123456789012:no-such-topic"));
  EXPECT_EQ(outcome.status, SinkStatus::kFailed) << outcome.error;
  EXPECT_NE(outcome.error.find("HTTP 404 NotFound"), std::string::npos) << outcome.error;
}

}  // namespace
}  // namespace sgwatch::notify
