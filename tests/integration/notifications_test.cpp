// Issue acceptance for notifications, with real servers on 127.0.0.1: an SMTP server (aiosmtpd)
// receives the confirmation mail, whose link (served by sgwatch's HTTP routes) confirms the
// subscription, and then the alarm mail with AWS's subject and body and sgwatch's context; an
// HTTP endpoint receives the SubscriptionConfirmation and then the Notification, verified
// against the certificate fetched from SigningCertURL; an endpoint that is down and then up gets
// every notification, once each, in order; a process killed between recording and sending has
// its notification delivered after restart with the same MessageId.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "api/server.h"
#include "api/sns_api.h"
#include "core/time.h"
#include "engine/alarm_actions.h"
#include "engine/alarm_engine.h"
#include "notify/http_envelope.h"
#include "notify/notify.h"
#include "notify/sinks/sinks.h"
#include "support/servers.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace sgwatch {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;
using sgwatch::testing::free_port;
using sgwatch::testing::ScriptServer;
using sgwatch::testing::TempDir;

constexpr const char* kTopic = "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges";

const char* kCause = R"({"eventTime":"2026-11-28T07:20:00Z","eventName":"AuthorizeSecurityGroupIngress",)"
                     R"("userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"},)"
                     R"("sourceIPAddress":"203.0.113.7","requestParameters":{"groupId":"sg-0abc1234",)"
                     R"("ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,)"
                     R"("ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}}})";

// Quoted-printable (RFC 2045) back to text; soft line breaks removed.
std::string decode_qp(std::string_view text) {
  const auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out += text[i];
    } else if (text.substr(i + 1, 2) == "\r\n") {
      i += 2;  // soft line break
    } else if (text.substr(i + 1, 1) == "\n") {
      i += 1;
    } else if (i + 2 < text.size() && hex(text[i + 1]) && hex(text[i + 2])) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += '=';
    }
  }
  return out;
}

// The text of a mail: its body decoded when it is quoted-printable.
std::string mail_text(const Json& record) {
  const std::string data = record.at("data").get<std::string>();
  if (data.find("Content-Transfer-Encoding: quoted-printable") == std::string::npos) return data;
  return decode_qp(data);
}

// GET `url` with Debian's Python (the test does not link an HTTP client): {status, body}.
std::pair<int, std::string> http_get(const std::string& url) {
  const auto result = sgwatch::testing::run_process(
      {"/usr/bin/python3", "-c",
       "import sys, urllib.request, urllib.error\n"
       "try:\n"
       "    r = urllib.request.urlopen(sys.argv[1], timeout=10)\n"
       "    sys.stdout.write('%d\\n' % r.status + r.read().decode())\n"
       "except urllib.error.HTTPError as e:\n"
       "    sys.stdout.write('%d\\n' % e.code + e.read().decode())\n",
       url});
  const auto newline = result.out.find('\n');
  if (result.exit_code != 0 || newline == std::string::npos) return {0, result.err};
  return {std::stoi(result.out.substr(0, newline)), result.out.substr(newline + 1)};
}

std::string header_of(const Json& record, std::string_view name) {
  for (const auto& h : record.at("headers")) {
    if (aws::header_name_equals(h.at(0).get<std::string>(), name)) return h.at(1).get<std::string>();
  }
  return {};
}

// sgwatch's notification side, as `sgwatch serve` wires it: store, topics, alarm engine with
// topic actions, sinks, delivery worker, and the HTTP routes of the links and the certificate.
struct Service {
  TempDir dir;
  core::SystemClock clock;
  std::mutex lock;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<notify::TopicService> topics;
  std::unique_ptr<engine::TopicActions> actions;
  std::unique_ptr<engine::AlarmEngine> alarms;
  notify::SinkSet sinks;
  std::unique_ptr<notify::DeliveryWorker> worker;
  std::unique_ptr<api::SnsApi> sns;
  std::unique_ptr<api::ApiServer> server;

  explicit Service(std::optional<std::string> smtp_url = std::nullopt, double delay_scale = 0.001) {
    store = std::move(*store::Store::open(dir.path()));
    api::ServerOptions server_options;
    server_options.port = free_port();
    notify::TopicsOptions options;
    options.region = "us-west-2";
    options.public_url = "http://127.0.0.1:" + std::to_string(server_options.port);
    options.mail_from = "sgwatch@example.com";
    auto identity = notify::load_or_create_signing_identity(dir.path().string(), clock.now_ms() / 1000);
    topics = std::make_unique<notify::TopicService>(*store, clock, options, std::move(*identity));
    actions = std::make_unique<engine::TopicActions>(*topics, "us-west-2", "123456789012");
    alarms = std::move(*engine::AlarmEngine::open(*store, clock, engine::EngineOptions{"us-west-2", "123456789012"}));
    alarms->set_action_runner(actions.get());
    notify::SinkConfig config;
    config.http.connect_timeout = 1s;
    config.http.total_timeout = 2s;
    if (smtp_url) {
      notify::SmtpOptions smtp;
      smtp.url = *smtp_url;
      smtp.from = "sgwatch@example.com";
      config.smtp = smtp;
    }
    sinks = std::move(*notify::make_sink_set(config));
    notify::WorkerOptions worker_options;
    worker_options.delay_scale = delay_scale;
    worker = std::make_unique<notify::DeliveryWorker>(*store, lock, clock, sinks, worker_options);
    sns = std::make_unique<api::SnsApi>(*topics, [this] { worker->wake(); });
    server = std::make_unique<api::ApiServer>(nullptr, server_options);
    server->add_route("GET", std::string(notify::kConfirmPath), [this](const aws::HttpRequest& r) {
      std::lock_guard guard(lock);
      return sns->confirm_link(r);
    });
    server->add_route("GET", topics->signing_cert_path(), [this](const aws::HttpRequest&) { return sns->certificate(); });
    EXPECT_TRUE(server->start());
    worker->start();
  }
  ~Service() {
    worker->stop();
    server->stop();
  }
  template <typename F>
  auto locked(F&& f) {
    std::lock_guard guard(lock);
    return f();
  }
};

TEST(Notifications, EmailIsConfirmedThroughTheMailedLinkThenTheAlarmMailNamesWhoChangedWhat) {
  ScriptServer smtp("smtp_sink.py", {});
  Service service("smtp://127.0.0.1:" + std::to_string(smtp.port()));
  ASSERT_TRUE(service.locked([&] { return service.topics->create_topic("SecurityGroupChanges", {}, {}).ok(); }));
  auto subscribed = service.locked([&] { return service.topics->subscribe(kTopic, "email", "ops@example.com", {}, false); });
  ASSERT_TRUE(subscribed);
  service.worker->wake();

  auto mails = smtp.wait_for_records(1, 10s);
  ASSERT_EQ(mails.size(), 1U);
  const std::string confirmation = mail_text(mails[0]);
  EXPECT_NE(confirmation.find("Subject: AWS Notification - Subscription Confirmation"), std::string::npos);
  EXPECT_NE(confirmation.find("You have chosen to subscribe to the topic:"), std::string::npos);
  EXPECT_EQ(mails[0].at("rcpt_tos"), Json::array({"ops@example.com"}));
  const auto link_start = confirmation.find(service.topics->options().public_url + "/sns/confirm?");
  ASSERT_NE(link_start, std::string::npos) << confirmation;
  const std::string link = confirmation.substr(link_start, confirmation.find_first_of("\r\n ", link_start) - link_start);
  const auto [status, page] = http_get(link);
  EXPECT_EQ(status, 200) << page;
  EXPECT_NE(page.find("Subscription confirmed!"), std::string::npos);
  auto listed = service.locked([&] { return service.topics->list_subscriptions(); });
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_TRUE((*listed)[0].confirmed);

  // The seed alarm fires on one AuthorizeSecurityGroupIngress.
  auto definition = alarms::parse_put_metric_alarm(
      Json{{"AlarmName", "SecurityGroupChangesAlarm"}, {"MetricName", "SecurityGroupEventCount"},
           {"Namespace", "CISBenchmark"}, {"Statistic", "Sum"}, {"Period", 300}, {"EvaluationPeriods", 1},
           {"Threshold", 1.0}, {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
           {"AlarmActions", Json::array({kTopic})}});
  ASSERT_TRUE(definition);
  store::Datapoint datapoint{{"CISBenchmark", "SecurityGroupEventCount", {}}, service.clock.now_ms() / 1000, {}};
  datapoint.values.add(1, true);
  datapoint.cause = kCause;
  service.locked([&] {
    EXPECT_TRUE(service.alarms->put_alarm(*definition));
    auto t = service.alarms->add_datapoints(std::span(&datapoint, 1));
    EXPECT_TRUE(t && t->size() == 1);
    return 0;
  });
  service.worker->wake();
  mails = smtp.wait_for_records(2, 10s);
  ASSERT_EQ(mails.size(), 2U);
  const std::string alarm_mail = mail_text(mails[1]);
  EXPECT_NE(alarm_mail.find("Subject: ALARM: \"SecurityGroupChangesAlarm\" in US West (Oregon)\r\n"), std::string::npos)
      << alarm_mail;
  EXPECT_NE(alarm_mail.find("You are receiving this email because your Amazon CloudWatch Alarm "
                            "\"SecurityGroupChangesAlarm\" in the US West (Oregon) region has entered the ALARM state"),
            std::string::npos)
      << alarm_mail;
  EXPECT_NE(alarm_mail.find("arn:aws:iam::123456789012:user/alice"), std::string::npos);
  EXPECT_NE(alarm_mail.find("sg-0abc1234"), std::string::npos);
  EXPECT_NE(alarm_mail.find("+ tcp 22 from 0.0.0.0/0"), std::string::npos);
  EXPECT_NE(alarm_mail.find("If you wish to stop receiving notifications from this topic"), std::string::npos);
}

TEST(Notifications, HttpEndpointGetsASignedConfirmationThenTheNotification) {
  ScriptServer endpoint("http_sink.py", {});
  Service service;
  ASSERT_TRUE(service.locked([&] { return service.topics->create_topic("SecurityGroupChanges", {}, {}).ok(); }));
  auto subscribed = service.locked(
      [&] { return service.topics->subscribe(kTopic, "http", endpoint.url() + "/sns?team=sec", {}, true); });
  ASSERT_TRUE(subscribed);
  service.worker->wake();
  auto records = endpoint.wait_for_records(1, 10s);
  ASSERT_EQ(records.size(), 1U);
  const Json& confirmation = records[0];
  EXPECT_EQ(confirmation.at("method"), "POST");
  EXPECT_EQ(confirmation.at("path"), "/sns?team=sec");
  EXPECT_EQ(header_of(confirmation, "x-amz-sns-message-type"), "SubscriptionConfirmation");
  EXPECT_EQ(header_of(confirmation, "x-amz-sns-topic-arn"), kTopic);
  EXPECT_EQ(header_of(confirmation, "User-Agent"), "Amazon Simple Notification Service Agent");
  EXPECT_EQ(header_of(confirmation, "Content-Type"), "text/plain; charset=UTF-8");
  auto doc = notify::parse_document(confirmation.at("body").get<std::string>());
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(header_of(confirmation, "x-amz-sns-message-id"), doc->message_id);
  // The certificate comes from SigningCertURL, as a receiver fetches it.
  const auto [cert_status, certificate] = http_get(doc->signing_cert_url);
  ASSERT_EQ(cert_status, 200);
  EXPECT_TRUE(*notify::verify_document(*doc, certificate));
  const auto [confirm_status, page] = http_get(doc->subscribe_url);
  EXPECT_EQ(confirm_status, 200) << page;

  auto id = service.locked([&] { return service.topics->publish(kTopic, "sg-0abc1234 opened 22 to the world",
                                                                std::string("SG change"), ""); });
  ASSERT_TRUE(id);
  service.worker->wake();
  records = endpoint.wait_for_records(2, 10s);
  ASSERT_EQ(records.size(), 2U);
  const Json& note = records[1];
  EXPECT_EQ(header_of(note, "x-amz-sns-message-type"), "Notification");
  EXPECT_EQ(header_of(note, "x-amz-sns-message-id"), *id);
  EXPECT_EQ(header_of(note, "x-amz-sns-subscription-arn"), subscribed->subscription_arn);
  const std::string body = note.at("body").get<std::string>();
  EXPECT_TRUE(body.starts_with("{\n  \"Type\" : \"Notification\",\n  \"MessageId\" : \"" + *id + "\",\n"));
  auto parsed = notify::parse_document(body);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->message, "sg-0abc1234 opened 22 to the world");
  EXPECT_EQ(parsed->subject, "SG change");
  EXPECT_TRUE(*notify::verify_document(*parsed, certificate));
}

TEST(Notifications, EndpointDownThenUpGetsEveryNotificationOnceInOrder) {
  const int port = free_port();  // nothing listens there yet
  Service service;
  std::string subscription;
  service.locked([&] {
    EXPECT_TRUE(service.topics->create_topic("SecurityGroupChanges", {}, {}));
    // SNS's HTTP policy at its most patient (100 retries 20 s apart), scaled to 20 ms.
    auto s = service.topics->subscribe(
        kTopic, "http", "http://127.0.0.1:" + std::to_string(port) + "/hook",
        {{"DeliveryPolicy", R"({"healthyRetryPolicy":{"numRetries":100,"minDelayTarget":20,"maxDelayTarget":20}})"}},
        true);
    subscription = s->subscription_arn;
    // Confirmed out of band, so that only notifications travel.
    auto subs = *service.store->subscriptions();
    EXPECT_TRUE(service.topics->confirm_subscription(kTopic, subs[0].token, false));
    return 0;
  });
  std::vector<std::string> published;
  for (int i = 0; i < 10; ++i) {
    published.push_back(*service.locked(
        [&] { return service.topics->publish(kTopic, "change " + std::to_string(i), std::nullopt, ""); }));
  }
  service.worker->wake();
  std::this_thread::sleep_for(300ms);  // attempts fail: connection refused; retries 20 ms apart (scaled)
  // Up, and failing twice more with 503 before it recovers.
  ScriptServer endpoint("http_sink.py", {"--port", std::to_string(port), "--statuses", "503,503"});
  // Every MessageId arrives; the answered ones (after the two 503s) once each, in publish order.
  std::vector<Json> records;
  std::vector<std::string> answered;
  for (int i = 0; i < 200 && answered.size() < published.size(); ++i) {
    std::this_thread::sleep_for(50ms);
    records = endpoint.records();
    answered.clear();
    for (std::size_t r = 2; r < records.size(); ++r) {
      if (header_of(records[r], "x-amz-sns-message-type") == "Notification") {
        answered.push_back(header_of(records[r], "x-amz-sns-message-id"));
      }
    }
  }
  ASSERT_EQ(answered.size(), published.size()) << records.size() << " requests";
  EXPECT_EQ(answered, published);
  std::set<std::string> distinct(answered.begin(), answered.end());
  EXPECT_EQ(distinct.size(), published.size());
  auto delivered = service.locked([&] { return service.store->deliveries(store::DeliveryState::kDelivered, 100); });
  EXPECT_EQ(delivered->size(), published.size() + 1);  // and the SubscriptionConfirmation before them
}

TEST(Notifications, KilledBetweenRecordAndSendIsDeliveredAfterRestartWithTheSameMessageId) {
  ScriptServer endpoint("http_sink.py", {});
  TempDir dir;
  // A process records a notification and is killed before any attempt.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    core::SystemClock clock;
    auto store = store::Store::open(dir.path());
    auto identity = notify::load_or_create_signing_identity(dir.path().string(), clock.now_ms() / 1000);
    if (!store || !identity) _exit(3);
    notify::TopicService topics(**store, clock, notify::TopicsOptions{"us-west-2"}, std::move(*identity));
    if (!topics.create_topic("SecurityGroupChanges", {}, {})) _exit(4);
    if (!topics.subscribe(kTopic, "http", endpoint.url() + "/hook", {}, true)) _exit(5);
    auto subs = (*store)->subscriptions();
    if (!subs || subs->empty() || !topics.confirm_subscription(kTopic, (*subs)[0].token, false)) _exit(6);
    auto id = topics.publish(kTopic, "recorded, never sent", std::nullopt, "");
    if (!id) _exit(7);
    ::raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  EXPECT_TRUE(endpoint.records().empty());

  // The restarted process: the pending entries go out (confirmation, then the notification).
  core::SystemClock clock;
  auto store = std::move(*store::Store::open(dir.path()));
  auto recorded = *store->deliveries(store::DeliveryState::kPending, 10);
  ASSERT_EQ(recorded.size(), 2U);
  const std::string message_id = recorded[0].message_id;  // newest first: the notification
  std::mutex lock;
  auto sinks = std::move(*notify::make_sink_set(notify::SinkConfig{}));
  notify::DeliveryWorker worker(*store, lock, clock, sinks);
  worker.start();
  const auto records = endpoint.wait_for_records(2, 10s);
  worker.stop();
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(header_of(records[1], "x-amz-sns-message-type"), "Notification");
  EXPECT_EQ(header_of(records[1], "x-amz-sns-message-id"), message_id);
  EXPECT_NE(records[1].at("body").get<std::string>().find("recorded, never sent"), std::string::npos);
}

}  // namespace
}  // namespace sgwatch
