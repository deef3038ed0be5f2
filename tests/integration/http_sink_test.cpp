// The HTTP sink against tests/servers/http_sink.py on 127.0.0.1: the exact request received, the
// outcome of every status class (spec 4.6), timeouts, refused connections, redirects not
// followed, environment proxies ignored, HTTPS with a CA file, Basic authentication from the URL,
// and error texts that never show the URL's password, path or query.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>

#include "notify/json_text.h"
#include "notify/sinks/sinks.h"
#include "support/servers.h"

namespace sgwatch::notify {
namespace {

using sgwatch::testing::free_port;
using sgwatch::testing::ScriptServer;
using namespace std::chrono_literals;

RenderedDelivery http_delivery(std::string url, std::string body = "{\"Type\" : \"Notification\"}",
                               HttpHeaders headers = {}) {
  RenderedDelivery d;
  d.kind = DeliveryKind::kHttp;
  d.message_id = "6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80";
  d.url = std::move(url);
  d.headers = std::move(headers);
  d.body = std::move(body);
  return d;
}

HttpHeaders sns_headers() {
  return {{"x-amz-sns-message-type", "Notification"},
          {"x-amz-sns-message-id", "6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80"},
          {"x-amz-sns-topic-arn", "arn:aws:sns:us-east-1:123456789012:sg-alarms"},
          {"x-amz-sns-subscription-arn", "arn:aws:sns:us-east-1:123456789012:sg-alarms:0b5c"},
          {"Content-Type", "text/plain; charset=UTF-8"},
          {"User-Agent", "Amazon Simple Notification Service Agent"},
          {"X-Empty", ""}};
}

HttpOptions fast() {
  HttpOptions options;
  options.connect_timeout = 2s;
  options.total_timeout = 3s;
  return options;
}

// The recorded headers without the ones the transport adds (Host, Content-Length).
HttpHeaders sent_headers(const nlohmann::json& record) {
  HttpHeaders out;
  for (const auto& header : record.at("headers")) {
    const auto name = header.at(0).get<std::string>();
    if (name == "Host" || name == "Content-Length") continue;
    out.emplace_back(name, header.at(1).get<std::string>());
  }
  return out;
}

std::string header(const nlohmann::json& record, std::string_view name) {
  for (const auto& h : record.at("headers")) {
    if (h.at(0).get<std::string>() == name) return h.at(1).get<std::string>();
  }
  return "<absent>";
}

TEST(HttpSink, DeliversTheExactRequest) {
  ScriptServer server("http_sink.py", {});
  HttpSink sink(fast());
  const std::string body =
      "{\n  \"Type\" : \"Notification\",\n  \"Message\" : \"caf\xC3\xA9 \\u00e9\"\n}";
  const auto outcome =
      sink.send(http_delivery(server.url() + "/sns/endpoint?x=1&y=%2F", body, sns_headers()));
  EXPECT_EQ(outcome.status, SinkStatus::kDelivered) << outcome.error;
  EXPECT_EQ(outcome.error, "");

  const auto records = server.records();
  ASSERT_EQ(records.size(), 1u);
  const auto& r = records[0];
  EXPECT_EQ(r.at("method"), "POST");
  EXPECT_EQ(r.at("path"), "/sns/endpoint?x=1&y=%2F");
  EXPECT_EQ(*base64_decode(r.at("body_b64").get<std::string>()), body);
  // Exactly the delivery's headers, in order: no Accept, Expect or form Content-Type from curl.
  EXPECT_EQ(sent_headers(r), sns_headers());
  EXPECT_EQ(header(r, "Host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(header(r, "Content-Length"), std::to_string(body.size()));
  EXPECT_EQ(r.at("tls"), false);
}

TEST(HttpSink, OutcomeOfEachStatus) {
  struct Case {
    int status;
    const char* body;
    SinkStatus expected;
  };
  const std::vector<Case> cases{
      {200, "ok", SinkStatus::kDelivered},      {201, "", SinkStatus::kDelivered},
      {204, "", SinkStatus::kDelivered},        {299, "", SinkStatus::kDelivered},
      {500, "internal", SinkStatus::kRetry},    {502, "bad gateway", SinkStatus::kRetry},
      {503, "unavailable", SinkStatus::kRetry}, {599, "", SinkStatus::kRetry},
      {429, "slow down", SinkStatus::kRetry},   {400, "bad request", SinkStatus::kFailed},
      {401, "", SinkStatus::kFailed},           {403, "forbidden", SinkStatus::kFailed},
      {404, "no_service", SinkStatus::kFailed}, {410, "channel_is_archived", SinkStatus::kFailed},
      {413, "", SinkStatus::kFailed},           {301, "", SinkStatus::kFailed},
      {302, "", SinkStatus::kFailed},
  };
  nlohmann::json script = nlohmann::json::array();
  for (const auto& c : cases) {
    script.push_back({{"status", c.status},
                      {"body", c.body},
                      {"headers", {{"Location", "http://127.0.0.1:1/elsewhere"}}}});
  }
  sgwatch::testing::TempDir dir;
  const auto script_path = dir.path() / "script.json";
  {
    FILE* f = fopen(script_path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    const std::string text = script.dump();
    fwrite(text.data(), 1, text.size(), f);
    fclose(f);
  }
  ScriptServer server("http_sink.py", {"--script", script_path.string()});
  HttpSink sink(fast());
  for (const auto& c : cases) {
    const auto outcome = sink.send(http_delivery(server.url() + "/hook"));
    EXPECT_EQ(outcome.status, c.expected) << c.status << ": " << outcome.error;
    if (c.expected != SinkStatus::kDelivered) {
      EXPECT_NE(outcome.error.find("HTTP " + std::to_string(c.status)), std::string::npos)
          << outcome.error;
      EXPECT_NE(outcome.error.find(c.body), std::string::npos) << outcome.error;
      EXPECT_EQ(outcome.error.find("/hook"), std::string::npos) << outcome.error;
    }
  }
  // Redirects are answers, not followed: one request per send.
  EXPECT_EQ(server.records().size(), cases.size());
}

TEST(HttpSink, RetryThenDelivered) {
  ScriptServer server("http_sink.py", {"--statuses", "503,429"});
  HttpSink sink(fast());
  const auto delivery = http_delivery(server.url() + "/");
  EXPECT_EQ(sink.send(delivery).status, SinkStatus::kRetry);
  EXPECT_EQ(sink.send(delivery).status, SinkStatus::kRetry);
  EXPECT_EQ(sink.send(delivery).status, SinkStatus::kDelivered);
  EXPECT_EQ(server.records().size(), 3u);
}

TEST(HttpSink, TimeoutIsRetried) {
  ScriptServer server("http_sink.py", {"--delay-ms", "3000"});
  HttpOptions options;
  options.connect_timeout = 1s;
  options.total_timeout = 300ms;
  HttpSink sink(options);
  const auto start = std::chrono::steady_clock::now();
  const auto outcome = sink.send(http_delivery(server.url() + "/slow/path-token?q=secret-query"));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(outcome.status, SinkStatus::kRetry) << outcome.error;
  EXPECT_LT(took, 2s);
  EXPECT_NE(outcome.error.find("timed out"), std::string::npos) << outcome.error;
  EXPECT_EQ(outcome.error.find("path-token"), std::string::npos) << outcome.error;
  EXPECT_EQ(outcome.error.find("secret-query"), std::string::npos) << outcome.error;
}

TEST(HttpSink, ConnectionRefusedIsRetried) {
  const int port = free_port();
  HttpSink sink(fast());
  const auto outcome =
      sink.send(http_delivery("http://hookuser:hookpass@127.0.0.1:" + std::to_string(port) +
                              "/services/T0/B0/tok3n?k=v4lue"));
  EXPECT_EQ(outcome.status, SinkStatus::kRetry) << outcome.error;
  EXPECT_EQ(outcome.error.rfind("POST http://127.0.0.1:" + std::to_string(port) + "/…: ", 0), 0u)
      << outcome.error;
  for (const char* secret : {"hookuser", "hookpass", "services", "tok3n", "v4lue"}) {
    EXPECT_EQ(outcome.error.find(secret), std::string::npos) << secret << " in " << outcome.error;
  }
}

TEST(HttpSink, UnresolvableHostIsRetried) {
  HttpOptions options;
  options.connect_timeout = 2s;
  options.total_timeout = 3s;
  HttpSink sink(options);
  const auto outcome = sink.send(http_delivery("http://sgwatch-no-such-host.invalid/hook"));
  EXPECT_EQ(outcome.status, SinkStatus::kRetry) << outcome.error;
}

TEST(HttpSink, BasicAuthFromTheUrlIsSentButNeverShown) {
  // The server echoes the request path in its error page, as many frameworks do.
  ScriptServer server("http_sink.py", {"--status", "404", "--body",
                                       "Cannot POST /services/T000/B000/XXXXtoken?token=qq9"});
  HttpSink sink(fast());
  const std::string url = "http://alice:s3cret%40pass@127.0.0.1:" + std::to_string(server.port()) +
                          "/services/T000/B000/XXXXtoken?token=qq9";
  const auto outcome = sink.send(http_delivery(url));
  EXPECT_EQ(outcome.status, SinkStatus::kFailed);
  EXPECT_NE(outcome.error.find("HTTP 404"), std::string::npos) << outcome.error;
  for (const char* secret : {"s3cret", "alice", "XXXXtoken", "qq9", "T000"}) {
    EXPECT_EQ(outcome.error.find(secret), std::string::npos) << secret << " in " << outcome.error;
  }
  const auto records = server.records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(header(records[0], "Authorization"), "Basic " + base64_encode("alice:s3cret@pass"));
  EXPECT_EQ(records[0].at("path"), "/services/T000/B000/XXXXtoken?token=qq9");
}

TEST(HttpSink, SlackAnswers) {
  nlohmann::json script = nlohmann::json::array({{{"status", 200}, {"body", "ok"}},
                                                 {{"status", 404}, {"body", "no_service"}},
                                                 {{"status", 410}, {"body", "channel_is_archived"}},
                                                 {{"status", 400}, {"body", "invalid_payload"}}});
  sgwatch::testing::TempDir dir;
  const auto path = dir.path() / "slack.json";
  FILE* f = fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  const std::string text = script.dump();
  fwrite(text.data(), 1, text.size(), f);
  fclose(f);
  ScriptServer server("http_sink.py", {"--script", path.string()});
  HttpSink sink(fast());
  const auto slack =
      http_delivery(server.url() + "/services/T0AAA/B0BBB/abcdefSECRET",
                    R"json({"text":"ALARM: \"sg-changes\" in US East (N. Virginia)"})json",
                    {{"Content-Type", "application/json"}});
  EXPECT_EQ(sink.send(slack).status, SinkStatus::kDelivered);
  for (const char* answer : {"no_service", "channel_is_archived", "invalid_payload"}) {
    const auto outcome = sink.send(slack);
    EXPECT_EQ(outcome.status, SinkStatus::kFailed) << answer;
    EXPECT_NE(outcome.error.find(answer), std::string::npos) << outcome.error;
    EXPECT_EQ(outcome.error.find("abcdefSECRET"), std::string::npos) << outcome.error;
  }
  const auto records = server.records();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(header(records[0], "Content-Type"), "application/json");
}

TEST(HttpSink, EnvironmentProxiesAreIgnored) {
  ScriptServer server("http_sink.py", {});
  const int dead = free_port();
  const std::string proxy = "http://127.0.0.1:" + std::to_string(dead);
  ::setenv("http_proxy", proxy.c_str(), 1);
  ::setenv("HTTPS_PROXY", proxy.c_str(), 1);
  ::setenv("ALL_PROXY", proxy.c_str(), 1);
  HttpSink sink(fast());
  const auto outcome = sink.send(http_delivery(server.url() + "/"));
  ::unsetenv("http_proxy");
  ::unsetenv("HTTPS_PROXY");
  ::unsetenv("ALL_PROXY");
  EXPECT_EQ(outcome.status, SinkStatus::kDelivered) << outcome.error;

  // A configured proxy is used: a dead one is a connection failure.
  HttpOptions with_proxy = fast();
  with_proxy.proxy = proxy;
  EXPECT_EQ(HttpSink(with_proxy).send(http_delivery(server.url() + "/")).status,
            SinkStatus::kRetry);
  EXPECT_EQ(server.records().size(), 1u);
}

TEST(HttpSink, HttpsWithCaFile) {
  sgwatch::testing::TempDir dir;
  const auto cert = sgwatch::testing::make_test_certificate(dir.path());
  ScriptServer server("http_sink.py", {"--cert", cert.cert.string(), "--key", cert.key.string()});
  const auto delivery = http_delivery(server.url("https") + "/secure");

  HttpOptions trusted = fast();
  trusted.ca_file = cert.cert.string();
  const auto ok = HttpSink(trusted).send(delivery);
  EXPECT_EQ(ok.status, SinkStatus::kDelivered) << ok.error;

  // The system store does not know a self-signed certificate: failed, not retried.
  const auto untrusted = HttpSink(fast()).send(delivery);
  EXPECT_EQ(untrusted.status, SinkStatus::kFailed) << untrusted.error;

  HttpOptions unverified = fast();
  unverified.verify_tls = false;
  EXPECT_EQ(HttpSink(unverified).send(delivery).status, SinkStatus::kDelivered);

  const auto records = server.records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].at("tls"), true);
}

TEST(HttpSink, LongErrorBodiesAreCut) {
  sgwatch::testing::TempDir dir;
  const auto path = dir.path() / "long.json";
  {
    FILE* f = fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    const std::string text =
        nlohmann::json::array({{{"status", 500}, {"body", std::string(200000, 'x')}}}).dump();
    fwrite(text.data(), 1, text.size(), f);
    fclose(f);
  }
  ScriptServer server("http_sink.py", {"--script", path.string()});
  const auto outcome = HttpSink(fast()).send(http_delivery(server.url() + "/"));
  EXPECT_EQ(outcome.status, SinkStatus::kRetry);
  EXPECT_LT(outcome.error.size(), 400u) << outcome.error.size();
}

TEST(HttpSink, RejectsWhatItCannotSend) {
  HttpSink sink(fast());
  EXPECT_EQ(sink.send(http_delivery("ftp://127.0.0.1/x")).status, SinkStatus::kFailed);
  EXPECT_EQ(sink.send(http_delivery("not a url")).status, SinkStatus::kFailed);
  EXPECT_EQ(
      sink.send(http_delivery("http://127.0.0.1:1/", "", {{"X-Bad", "a\r\nInjected: yes"}})).status,
      SinkStatus::kFailed);
  EXPECT_EQ(sink.send(http_delivery("http://127.0.0.1:1/", "", {{"Bad Name", "v"}})).status,
            SinkStatus::kFailed);
  RenderedDelivery mail;
  mail.kind = DeliveryKind::kMail;
  EXPECT_EQ(sink.send(mail).status, SinkStatus::kFailed);
}

}  // namespace
}  // namespace sgwatch::notify
