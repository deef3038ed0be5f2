// The SMS sink against tests/servers/http_sink.py as the gateway: the documented JSON request
// with the configured headers, http_sink's outcome rules, and numbers that are not E.164 failing
// before anything is sent.
#include <gtest/gtest.h>

#include <chrono>

#include "notify/json_text.h"
#include "notify/sinks/sinks.h"
#include "support/servers.h"

namespace sgwatch::notify {
namespace {

using sgwatch::testing::ScriptServer;
using namespace std::chrono_literals;

RenderedDelivery sms(std::string phone, std::string text) {
  RenderedDelivery d;
  d.kind = DeliveryKind::kSms;
  d.message_id = "6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80";
  d.phone = std::move(phone);
  d.text = std::move(text);
  return d;
}

SmsGatewayOptions gateway(const ScriptServer& server) {
  SmsGatewayOptions options;
  options.url = server.url() + "/v1/sms?api=abc123key";
  options.headers = {{"Authorization", "Bearer gw-token-123"}, {"X-Tenant", "sgwatch"}};
  options.http.connect_timeout = 2s;
  options.http.total_timeout = 3s;
  return options;
}

TEST(SmsSink, GatewayReceivesTheDocumentedRequest) {
  ScriptServer server("http_sink.py", {});
  SmsSink sink(gateway(server));
  const std::string text = "MYTOPIC> ALARM: \"sg-changes\" in US East (N. Virginia) \xE2\x9C\x93";
  const auto outcome = sink.send(sms("+15555550100", text));
  EXPECT_EQ(outcome.status, SinkStatus::kDelivered) << outcome.error;
  const auto records = server.records();
  ASSERT_EQ(records.size(), 1u);
  const auto& r = records[0];
  EXPECT_EQ(r.at("method"), "POST");
  EXPECT_EQ(r.at("path"), "/v1/sms?api=abc123key");
  EXPECT_EQ(
      *base64_decode(r.at("body_b64").get<std::string>()),
      "{\"to\":\"+15555550100\",\"message\":\"MYTOPIC> ALARM: \\\"sg-changes\\\" in US East (N. "
      "Virginia) \xE2\x9C\x93\",\"messageId\":\"6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80\"}");
  const auto body = nlohmann::json::parse(r.at("body").get<std::string>());
  EXPECT_EQ(body.at("to"), "+15555550100");
  EXPECT_EQ(body.at("message"), text);
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& h : r.at("headers")) {
    const auto name = h.at(0).get<std::string>();
    if (name != "Host" && name != "Content-Length")
      headers.emplace_back(name, h.at(1).get<std::string>());
  }
  const HttpHeaders expected{{"Content-Type", "application/json"},
                             {"Authorization", "Bearer gw-token-123"},
                             {"X-Tenant", "sgwatch"}};
  EXPECT_EQ(headers, expected);
}

TEST(SmsSink, OutcomesFollowTheHttpRules) {
  ScriptServer server("http_sink.py", {"--statuses", "503,429,400", "--status", "200"});
  SmsSink sink(gateway(server));
  const auto delivery = sms("+447700900123", "hello");
  const auto unavailable = sink.send(delivery);
  EXPECT_EQ(unavailable.status, SinkStatus::kRetry);
  EXPECT_EQ(unavailable.error.rfind("SMS gateway: POST http://127.0.0.1:", 0), 0u)
      << unavailable.error;
  EXPECT_EQ(unavailable.error.find("abc123key"), std::string::npos) << unavailable.error;
  EXPECT_EQ(sink.send(delivery).status, SinkStatus::kRetry);
  EXPECT_EQ(sink.send(delivery).status, SinkStatus::kFailed);
  EXPECT_EQ(sink.send(delivery).status, SinkStatus::kDelivered);
}

TEST(SmsSink, TokenEchoedByTheGatewayIsHidden) {
  ScriptServer server("http_sink.py",
                      {"--status", "401", "--body", "bad credentials: Bearer gw-token-123"});
  const auto outcome = SmsSink(gateway(server)).send(sms("+15555550100", "x"));
  EXPECT_EQ(outcome.status, SinkStatus::kFailed);
  EXPECT_EQ(outcome.error.find("gw-token-123"), std::string::npos) << outcome.error;
  EXPECT_NE(outcome.error.find("HTTP 401"), std::string::npos) << outcome.error;
}

TEST(SmsSink, BadNumbersFailWithoutARequest) {
  ScriptServer server("http_sink.py", {});
  SmsSink sink(gateway(server));
  for (const char* phone :
       {"", "15555550100", "+1555", "+1234567", "+1234567890123456", "+1 555 555 0100",
        "+1-555-555-0100", "++15555550100", "+05555550100", "tel:+15555550100"}) {
    const auto outcome = sink.send(sms(phone, "x"));
    EXPECT_EQ(outcome.status, SinkStatus::kFailed) << phone;
    EXPECT_NE(outcome.error.find("E.164"), std::string::npos) << outcome.error;
  }
  EXPECT_TRUE(server.records().empty());
  EXPECT_EQ(sink.send(sms("+12345678", "shortest")).status, SinkStatus::kDelivered);
  EXPECT_EQ(sink.send(sms("+123456789012345", "longest")).status, SinkStatus::kDelivered);
}

TEST(SmsSink, GatewayDown) {
  SmsGatewayOptions options;
  options.url = "http://127.0.0.1:" + std::to_string(sgwatch::testing::free_port()) + "/sms";
  options.http.connect_timeout = 1s;
  options.http.total_timeout = 2s;
  EXPECT_EQ(SmsSink(options).send(sms("+15555550100", "x")).status, SinkStatus::kRetry);
}

}  // namespace
}  // namespace sgwatch::notify
