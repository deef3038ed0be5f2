// TopicService over a real state store: topics, subscriptions and their confirmation (tokens,
// expiry, purge), unsubscribe and restore, and what Publish puts in the outbox for each
// protocol — signed documents that verify against the published certificate, mails with SNS's
// footer, SMS prefixes, JSON lines, Slack payloads, and the alarm notification with or without
// sgwatch's context.
#include "notify/topics.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "notify/delivery.h"
#include "notify/http_envelope.h"
#include "support/temp_dir.h"

namespace sgwatch::notify {
namespace {

using Json = nlohmann::json;
using testing::TempDir;

const std::int64_t kT0 = *core::parse_iso8601("2026-11-20T09:00:00Z") * 1000;
constexpr const char* kTopic = "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges";

struct Fixture {
  TempDir dir;
  core::ManualClock clock{kT0};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<TopicService> topics;

  Fixture() { reopen(); }
  void reopen() {
    topics.reset();
    store.reset();
    auto s = store::Store::open(dir.path());
    ASSERT_TRUE(s) << s.error();
    store = std::move(*s);
    auto identity = load_or_create_signing_identity(dir.path().string(), kT0 / 1000);
    ASSERT_TRUE(identity) << identity.error().message;
    TopicsOptions options;
    options.region = "us-west-2";
    options.public_url = "http://127.0.0.1:4566/";
    options.mail_from = "alerts@example.com";
    topics = std::make_unique<TopicService>(*store, clock, options, std::move(*identity));
  }
  // The outbox, oldest first, decoded.
  std::vector<RenderedDelivery> outbox() {
    auto entries = store->deliveries(std::nullopt, 1000);
    EXPECT_TRUE(entries);
    std::vector<RenderedDelivery> out;
    for (auto it = entries->rbegin(); it != entries->rend(); ++it) {
      auto d = decode_delivery(it->payload);
      EXPECT_TRUE(d) << it->payload;
      if (d) out.push_back(std::move(*d));
    }
    return out;
  }
  std::string token_of(const std::string& endpoint) {
    auto subs = store->subscriptions();
    for (const auto& s : *subs) {
      if (s.endpoint == endpoint) return s.token;
    }
    return {};
  }
  void create() { ASSERT_TRUE(topics->create_topic("SecurityGroupChanges", {}, {})); }
};

std::string header(const RenderedDelivery& d, const std::string& name) {
  for (const auto& [n, v] : d.headers) {
    if (n == name) return v;
  }
  return {};
}

TEST(Topics, CreateTopicIsIdempotentAndValidates) {
  Fixture f;
  auto arn = f.topics->create_topic("SecurityGroupChanges", {{"DisplayName", "SG"}}, {{"team", "sec"}});
  ASSERT_TRUE(arn) << arn.error().message;
  EXPECT_EQ(*arn, kTopic);
  EXPECT_EQ(*f.topics->create_topic("SecurityGroupChanges", {{"DisplayName", "SG"}}, {}), kTopic);
  auto different = f.topics->create_topic("SecurityGroupChanges", {{"DisplayName", "Other"}}, {});
  ASSERT_FALSE(different);
  EXPECT_EQ(different.error().code, "InvalidParameter");
  EXPECT_NE(different.error().message.find("different attributes"), std::string::npos);
  EXPECT_EQ(f.topics->create_topic("bad name", {}, {}).error().code, "InvalidParameter");
  EXPECT_EQ(f.topics->create_topic(std::string(257, 'a'), {}, {}).error().code, "InvalidParameter");
  EXPECT_EQ(f.topics->create_topic("x.fifo", {}, {}).error().code, "InvalidParameter");
  EXPECT_EQ(f.topics->create_topic("x", {{"Colour", "red"}}, {}).error().code, "InvalidParameter");
  EXPECT_EQ(f.topics->create_topic("x", {{"SignatureVersion", "3"}}, {}).error().code, "InvalidParameter");
  f.reopen();
  auto listed = f.topics->list_topics();
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ((*listed)[0].arn, kTopic);
}

TEST(Topics, TopicAttributesCountSubscriptions) {
  Fixture f;
  f.create();
  ASSERT_TRUE(f.topics->subscribe(kTopic, "email", "a@example.com", {}, false));
  ASSERT_TRUE(f.topics->subscribe(kTopic, "file", "/tmp/x.jsonl", {}, false));
  auto attributes = f.topics->topic_attributes(kTopic);
  ASSERT_TRUE(attributes);
  std::map<std::string, std::string> m(attributes->begin(), attributes->end());
  EXPECT_EQ(m["TopicArn"], kTopic);
  EXPECT_EQ(m["Owner"], "123456789012");
  EXPECT_EQ(m["SubscriptionsPending"], "1");
  EXPECT_EQ(m["SubscriptionsConfirmed"], "1");
  EXPECT_NE(m["Policy"].find("__default_policy_ID"), std::string::npos);
  EXPECT_NE(m["EffectiveDeliveryPolicy"].find("\"numRetries\":3"), std::string::npos);
  ASSERT_TRUE(f.topics->set_topic_attribute(kTopic, "DisplayName", "SGALERT"));
  attributes = f.topics->topic_attributes(kTopic);
  m = std::map<std::string, std::string>(attributes->begin(), attributes->end());
  EXPECT_EQ(m["DisplayName"], "SGALERT");
  EXPECT_EQ(f.topics->topic_attributes("arn:aws:sns:us-west-2:123456789012:nope").error().code, "NotFound");
  EXPECT_EQ(f.topics->set_topic_attribute(kTopic, "DeliveryPolicy", R"({"http":{"defaultHealthyRetryPolicy":{"numRetries":500}}})")
                .error()
                .code,
            "InvalidParameter");
}

TEST(Topics, EmailSubscriptionIsConfirmedByItsToken) {
  Fixture f;
  f.create();
  auto sub = f.topics->subscribe(kTopic, "email", "ops@example.com", {}, false);
  ASSERT_TRUE(sub) << sub.error().message;
  EXPECT_EQ(sub->subscription_arn, "pending confirmation");
  EXPECT_TRUE(sub->pending);
  const auto outbox = f.outbox();
  ASSERT_EQ(outbox.size(), 1U);
  const auto& mail = outbox[0];
  EXPECT_EQ(mail.kind, DeliveryKind::kMail);
  EXPECT_EQ(mail.rcpt_to, "ops@example.com");
  EXPECT_EQ(mail.mail_from, "alerts@example.com");
  EXPECT_NE(mail.data.find("Subject: AWS Notification - Subscription Confirmation\r\n"), std::string::npos);
  const std::string token = f.token_of("ops@example.com");
  ASSERT_EQ(token.size(), 256U);
  EXPECT_NE(mail.data.find(token.substr(0, 40)), std::string::npos);  // the link carries it
  EXPECT_NE(mail.data.find("http://127.0.0.1:4566/sns/confirm?Action=ConfirmSubscription"), std::string::npos);

  // Nothing is delivered while pending.
  ASSERT_TRUE(f.topics->publish(kTopic, "hello", std::nullopt, ""));
  EXPECT_EQ(f.outbox().size(), 1U);

  EXPECT_EQ(f.topics->confirm_subscription(kTopic, "00ff", false).error().message, "Invalid token");
  EXPECT_EQ(f.topics->confirm_subscription("arn:aws:sns:us-west-2:123456789012:other", token, false).error().code,
            "NotFound");
  auto confirmed = f.topics->confirm_subscription(kTopic, token, false);
  ASSERT_TRUE(confirmed) << confirmed.error().message;
  EXPECT_TRUE(confirmed->starts_with(std::string(kTopic) + ":"));
  EXPECT_EQ(confirmed->size(), std::string(kTopic).size() + 37);
  EXPECT_EQ(*f.topics->confirm_subscription(kTopic, token, false), *confirmed);  // again: the same ARN

  // Subscribing again returns the confirmed subscription.
  EXPECT_EQ(f.topics->subscribe(kTopic, "email", "ops@example.com", {}, false)->subscription_arn, *confirmed);

  ASSERT_TRUE(f.topics->publish(kTopic, "Security group changed", std::string("SG change"), ""));
  const auto after = f.outbox();
  ASSERT_EQ(after.size(), 2U);
  const auto& note = after[1];
  EXPECT_NE(note.data.find("Subject: SG change\r\n"), std::string::npos);
  EXPECT_NE(note.data.find("From: AWS Notifications <alerts@example.com>\r\n"), std::string::npos);
  EXPECT_NE(note.data.find("Security group changed\r\n\r\n--\r\nIf you wish to stop receiving notifications"),
            std::string::npos);
  EXPECT_NE(note.data.find("/sns/unsubscribe?SubscriptionArn="), std::string::npos);
}

TEST(Topics, TokensExpireAfterTwoDaysAndPendingSubscriptionsArePurgedAfterThree) {
  Fixture f;
  f.create();
  ASSERT_TRUE(f.topics->subscribe(kTopic, "email", "late@example.com", {}, false));
  const std::string token = f.token_of("late@example.com");
  f.clock.set(kT0 + 2LL * 86'400'000 + 1);
  EXPECT_EQ(f.topics->confirm_subscription(kTopic, token, false).error().message, "Invalid token");
  EXPECT_EQ(*f.topics->purge_expired(), 0);
  f.clock.set(kT0 + 3LL * 86'400'000 + 1);
  EXPECT_EQ(*f.topics->purge_expired(), 1);
  EXPECT_TRUE(f.topics->list_subscriptions(std::string_view(kTopic))->empty());
}

TEST(Topics, SubscribeValidatesProtocolAndEndpoint) {
  Fixture f;
  f.create();
  const auto code = [&](const char* protocol, const char* endpoint) {
    auto r = f.topics->subscribe(kTopic, protocol, endpoint, {}, false);
    return r ? std::string("ok") : r.error().code + ": " + r.error().message;
  };
  EXPECT_NE(code("carrier-pigeon", "x").find("does not support this protocol"), std::string::npos);
  EXPECT_NE(code("http", "https://example.com/"), "ok");
  EXPECT_NE(code("https", "http://example.com/"), "ok");
  EXPECT_NE(code("email", "not-an-address"), "ok");
  EXPECT_NE(code("sms", "555-0100"), "ok");
  EXPECT_NE(code("file", "relative/path"), "ok");
  EXPECT_NE(code("aws-sns", "arn:aws:sqs:us-east-1:123456789012:q"), "ok");
  EXPECT_EQ(code("sms", "+15555550100"), "ok");
  EXPECT_EQ(code("aws-sns", "arn:aws:sns:us-east-1:123456789012:central"), "ok");
  EXPECT_EQ(f.topics->subscribe("arn:aws:sns:us-west-2:123456789012:nope", "sms", "+15555550100", {}, false)
                .error()
                .code,
            "NotFound");
  EXPECT_NE(f.topics->subscribe(kTopic, "https", "https://example.com/", {{"FilterPolicy", "{}"}}, false)
                .error()
                .message.find("not supported by sgwatch"),
            std::string::npos);
  // Protocols without confirmation return their ARN at once; ReturnSubscriptionArn does for the others.
  auto sms = f.topics->subscribe(kTopic, "sms", "+15555550199", {}, false);
  EXPECT_FALSE(sms->pending);
  EXPECT_TRUE(sms->subscription_arn.starts_with(kTopic));
  auto https = f.topics->subscribe(kTopic, "https", "https://example.com/hook", {}, true);
  EXPECT_TRUE(https->pending);
  EXPECT_TRUE(https->subscription_arn.starts_with(kTopic));
}

TEST(Topics, HttpConfirmationAndNotificationDocumentsVerify) {
  Fixture f;
  ASSERT_TRUE(f.topics->create_topic("SecurityGroupChanges", {{"SignatureVersion", "2"}}, {}));
  auto sub = f.topics->subscribe(kTopic, "http", "http://127.0.0.1:9/hook?x=1", {}, true);
  ASSERT_TRUE(sub);
  auto outbox = f.outbox();
  ASSERT_EQ(outbox.size(), 1U);
  const auto& confirmation = outbox[0];
  EXPECT_EQ(confirmation.kind, DeliveryKind::kHttp);
  EXPECT_EQ(confirmation.url, "http://127.0.0.1:9/hook?x=1");
  EXPECT_EQ(header(confirmation, "x-amz-sns-message-type"), "SubscriptionConfirmation");
  EXPECT_EQ(header(confirmation, "x-amz-sns-message-id"), confirmation.message_id);
  EXPECT_EQ(header(confirmation, "x-amz-sns-subscription-arn"), "");
  auto doc = parse_document(confirmation.body);
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->signature_version, SignatureVersion::kV2);
  EXPECT_EQ(doc->token, f.token_of("http://127.0.0.1:9/hook?x=1"));
  EXPECT_TRUE(doc->signing_cert_url.starts_with("http://127.0.0.1:4566/SimpleNotificationService-"));
  EXPECT_EQ(doc->signing_cert_url, "http://127.0.0.1:4566" + f.topics->signing_cert_path());
  EXPECT_TRUE(*verify_document(*doc, f.topics->certificate_pem()));

  ASSERT_TRUE(f.topics->confirm_subscription(kTopic, doc->token, false));
  auto id = f.topics->publish(kTopic, "line one\nline two", std::string("Subject here"), "");
  ASSERT_TRUE(id);
  outbox = f.outbox();
  ASSERT_EQ(outbox.size(), 2U);
  const auto& note = outbox[1];
  EXPECT_EQ(note.message_id, *id);
  EXPECT_EQ(header(note, "x-amz-sns-message-type"), "Notification");
  EXPECT_EQ(header(note, "x-amz-sns-subscription-arn"), sub->subscription_arn);
  EXPECT_EQ(header(note, "Content-Type"), "text/plain; charset=UTF-8");
  auto parsed = parse_document(note.body);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->message, "line one\nline two");
  EXPECT_EQ(parsed->subject, "Subject here");
  EXPECT_EQ(parsed->message_id, *id);
  EXPECT_EQ(parsed->timestamp_ms, kT0);
  EXPECT_TRUE(*verify_document(*parsed, f.topics->certificate_pem()));
  parsed->message += "!";
  EXPECT_FALSE(*verify_document(*parsed, f.topics->certificate_pem()));

  // Raw message delivery: the bare message, no envelope.
  ASSERT_TRUE(f.topics->set_subscription_attribute(sub->subscription_arn, "RawMessageDelivery", "true"));
  ASSERT_TRUE(f.topics->publish(kTopic, "raw body", std::nullopt, ""));
  outbox = f.outbox();
  EXPECT_EQ(outbox.back().body, "raw body");
  EXPECT_EQ(header(outbox.back(), "x-amz-sns-rawdelivery"), "true");
}

TEST(Topics, UnsubscribeSendsARestorableUnsubscribeConfirmation) {
  Fixture f;
  f.create();
  auto sub = f.topics->subscribe(kTopic, "https", "https://hooks.example.com/sns", {}, true);
  ASSERT_TRUE(f.topics->unsubscribe(sub->subscription_arn).error().code == "InvalidParameter");  // pending
  ASSERT_TRUE(f.topics->confirm_subscription(kTopic, f.token_of("https://hooks.example.com/sns"), true));
  // Confirmed with AuthenticateOnUnsubscribe: a link (unauthenticated) may not unsubscribe.
  EXPECT_EQ(f.topics->unsubscribe(sub->subscription_arn, false).error().code, "AuthorizationError");
  ASSERT_TRUE(f.topics->unsubscribe(sub->subscription_arn, true));
  EXPECT_TRUE(f.topics->list_subscriptions()->empty());
  EXPECT_EQ(f.topics->unsubscribe(sub->subscription_arn).error().code, "NotFound");
  const auto outbox = f.outbox();
  ASSERT_EQ(outbox.size(), 2U);
  EXPECT_EQ(header(outbox[1], "x-amz-sns-message-type"), "UnsubscribeConfirmation");
  auto doc = parse_document(outbox[1].body);
  ASSERT_TRUE(doc);
  EXPECT_NE(doc->message.find("You have chosen to deactivate subscription " + sub->subscription_arn), std::string::npos);
  EXPECT_TRUE(*verify_document(*doc, f.topics->certificate_pem()));
  auto restored = f.topics->confirm_subscription(kTopic, doc->token, false);
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(*restored, sub->subscription_arn);
  ASSERT_EQ(f.topics->list_subscriptions()->size(), 1U);
  EXPECT_TRUE((*f.topics->list_subscriptions())[0].confirmed);
}

TEST(Topics, PublishRendersEveryProtocol) {
  Fixture f;
  ASSERT_TRUE(f.topics->create_topic("SecurityGroupChanges", {{"DisplayName", "SgWatch"}}, {}));
  ASSERT_TRUE(f.topics->subscribe(kTopic, "sms", "+15555550100", {}, false));
  ASSERT_TRUE(f.topics->subscribe(kTopic, "file", "/var/log/sg.jsonl", {}, false));
  ASSERT_TRUE(f.topics->subscribe(kTopic, "stdout", "-", {}, false));
  ASSERT_TRUE(f.topics->subscribe(kTopic, "slack", "https://hooks.slack.com/services/T/B/X", {}, false));
  ASSERT_TRUE(f.topics->subscribe(kTopic, "aws-sns", "arn:aws:sns:us-east-1:123456789012:central", {}, false));
  const std::string structured = R"({"default":"the default","sms":"short text","email":"long text"})";
  auto id = f.topics->publish(kTopic, structured, std::string("Subj"), "json");
  ASSERT_TRUE(id) << id.error().message;
  const auto outbox = f.outbox();
  ASSERT_EQ(outbox.size(), 5U);
  std::map<DeliveryKind, RenderedDelivery> by_kind;
  for (const auto& d : outbox) {
    EXPECT_EQ(d.message_id, *id);
    by_kind[d.kind] = d;
  }
  ASSERT_EQ(by_kind.size(), 5U);
  EXPECT_EQ(by_kind[DeliveryKind::kSms].text, "SGWATCH> short text");
  EXPECT_EQ(by_kind[DeliveryKind::kSms].phone, "+15555550100");
  EXPECT_EQ(by_kind[DeliveryKind::kFile].path, "/var/log/sg.jsonl");
  const auto line = Json::parse(by_kind[DeliveryKind::kFile].line);
  EXPECT_EQ(line["Type"], "Notification");
  EXPECT_EQ(line["Message"], "the default");
  EXPECT_EQ(line["Subject"], "Subj");
  EXPECT_EQ(Json::parse(by_kind[DeliveryKind::kStdout].line)["Message"], "the default");
  EXPECT_EQ(by_kind[DeliveryKind::kHttp].url, "https://hooks.slack.com/services/T/B/X");
  EXPECT_EQ(Json::parse(by_kind[DeliveryKind::kHttp].body)["text"], "*Subj*\nthe default");
  EXPECT_EQ(by_kind[DeliveryKind::kSns].topic_arn, "arn:aws:sns:us-east-1:123456789012:central");
  EXPECT_EQ(by_kind[DeliveryKind::kSns].message, structured);
  EXPECT_EQ(by_kind[DeliveryKind::kSns].message_structure, "json");
}

TEST(Topics, PublishValidatesAsSnsDoes) {
  Fixture f;
  f.create();
  const auto error = [&](std::string_view message, std::optional<std::string> subject, std::string_view structure) {
    auto r = f.topics->publish(kTopic, message, subject, structure);
    return r ? std::string() : r.error().code + ": " + r.error().message;
  };
  EXPECT_EQ(error("", std::nullopt, ""), "InvalidParameter: Invalid parameter: Empty message");
  EXPECT_EQ(error(std::string(262'145, 'x'), std::nullopt, ""), "InvalidParameter: Invalid parameter: Message too long");
  EXPECT_EQ(error(std::string(262'144, 'x'), std::nullopt, ""), "");
  EXPECT_EQ(error("m", std::string(99, 's'), ""), "");
  EXPECT_EQ(error("m", std::string(100, 's'), ""), "InvalidParameter: Invalid parameter: Subject");
  EXPECT_EQ(error("m", std::string("a\nb"), ""), "InvalidParameter: Invalid parameter: Subject");
  EXPECT_EQ(error("m", std::string(""), ""), "InvalidParameter: Invalid parameter: Subject");
  EXPECT_EQ(error("m", std::nullopt, "xml"), "InvalidParameter: Invalid parameter: MessageStructure");
  EXPECT_NE(error(R"({"sms":"x"})", std::nullopt, "json"), "");
  EXPECT_EQ(f.topics->publish("arn:aws:sns:us-west-2:123456789012:nope", "m", std::nullopt, "").error().code,
            "NotFound");
}

TEST(Topics, AlarmPublishCarriesContextUnlessRawAwsFormat) {
  Fixture f;
  f.create();
  auto plain = f.topics->subscribe(kTopic, "file", "/tmp/extended.jsonl", {}, false);
  auto raw = f.topics->subscribe(kTopic, "file", "/tmp/raw.jsonl", {{"RawAwsFormat", "true"}}, false);
  ASSERT_TRUE(plain && raw);
  AlarmNotice notice;
  notice.alarm.name = "SecurityGroupChangesAlarm";
  notice.alarm.metric_name = "SecurityGroupEventCount";
  notice.alarm.metric_namespace = "CISBenchmark";
  notice.alarm.period = 300;
  notice.alarm.evaluation_periods = 1;
  notice.alarm.threshold = 1;
  notice.alarm.alarm_actions = {kTopic};
  notice.account_id = "123456789012";
  notice.region = "us-west-2";
  notice.alarm_arn = alarm_arn("us-west-2", "123456789012", "SecurityGroupChangesAlarm");
  notice.old_state = alarms::AlarmState::kOk;
  notice.new_state = alarms::AlarmState::kAlarm;
  notice.reason = "Threshold Crossed";
  notice.state_change_ms = kT0;
  notice.sgwatch = nlohmann::ordered_json{{"eventCount", 1},
                                          {"events", {{{"eventName", "AuthorizeSecurityGroupIngress"},
                                                       {"actor", "arn:aws:iam::123456789012:user/alice"}}}}};
  auto published = f.topics->publish_alarm(kTopic, notice);
  ASSERT_TRUE(published) << published.error().message;
  EXPECT_EQ(published->published_message.find("sgwatch"), std::string::npos);
  EXPECT_TRUE(published->published_message.starts_with("{\"AlarmName\":\"SecurityGroupChangesAlarm\""));
  const auto outbox = f.outbox();
  ASSERT_EQ(outbox.size(), 2U);
  const auto& extended_line = outbox[0].path == "/tmp/extended.jsonl" ? outbox[0].line : outbox[1].line;
  const auto& raw_line = outbox[0].path == "/tmp/extended.jsonl" ? outbox[1].line : outbox[0].line;
  const auto extended = Json::parse(Json::parse(extended_line)["Message"].get<std::string>());
  const auto aws_only = Json::parse(Json::parse(raw_line)["Message"].get<std::string>());
  EXPECT_EQ(extended["sgwatch"]["events"][0]["actor"], "arn:aws:iam::123456789012:user/alice");
  EXPECT_FALSE(aws_only.contains("sgwatch"));
  EXPECT_EQ(Json::parse(extended_line)["Subject"], "ALARM: \"SecurityGroupChangesAlarm\" in US West (Oregon)");
  EXPECT_EQ(f.topics->publish_alarm("arn:aws:sns:us-west-2:123456789012:nope", notice).error().code, "NotFound");
}

TEST(Topics, DeleteTopicDeletesItsSubscriptions) {
  Fixture f;
  f.create();
  ASSERT_TRUE(f.topics->subscribe(kTopic, "sms", "+15555550100", {}, false));
  ASSERT_TRUE(f.topics->delete_topic(kTopic));
  EXPECT_TRUE(f.topics->list_topics()->empty());
  EXPECT_TRUE(f.topics->list_subscriptions()->empty());
  EXPECT_TRUE(f.topics->delete_topic(kTopic));  // unknown: not an error
}

TEST(Topics, SubscriptionAttributes) {
  Fixture f;
  f.create();
  auto sub = f.topics->subscribe(kTopic, "https", "https://example.com/h", {}, true);
  auto attributes = f.topics->subscription_attributes(sub->subscription_arn);
  ASSERT_TRUE(attributes);
  std::map<std::string, std::string> m(attributes->begin(), attributes->end());
  EXPECT_EQ(m["PendingConfirmation"], "true");
  EXPECT_EQ(m["Protocol"], "https");
  EXPECT_EQ(m["RawMessageDelivery"], "false");
  EXPECT_NE(m["EffectiveDeliveryPolicy"].find("healthyRetryPolicy"), std::string::npos);
  ASSERT_TRUE(f.topics->set_subscription_attribute(sub->subscription_arn, "DeliveryPolicy",
                                                   R"({"healthyRetryPolicy":{"numRetries":5}})"));
  attributes = f.topics->subscription_attributes(sub->subscription_arn);
  m = std::map<std::string, std::string>(attributes->begin(), attributes->end());
  EXPECT_NE(m["EffectiveDeliveryPolicy"].find("\"numRetries\":5"), std::string::npos);
  EXPECT_EQ(f.topics->set_subscription_attribute(sub->subscription_arn, "RawMessageDelivery", "maybe").error().code,
            "InvalidParameter");
  EXPECT_EQ(f.topics->set_subscription_attribute(sub->subscription_arn, "FilterPolicy", "{}").error().code,
            "InvalidParameter");
  EXPECT_EQ(f.topics->subscription_attributes(std::string(kTopic) + ":nope").error().code, "NotFound");
}

TEST(Topics, SigningIdentitySurvivesRestart) {
  Fixture f;
  const std::string pem = f.topics->certificate_pem();
  const std::string path = f.topics->signing_cert_path();
  f.reopen();
  EXPECT_EQ(f.topics->certificate_pem(), pem);
  EXPECT_EQ(f.topics->signing_cert_path(), path);
  const auto key = f.dir.path() / "sns-signing-key.pem";
  EXPECT_EQ(std::filesystem::status(key).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace
}  // namespace sgwatch::notify
