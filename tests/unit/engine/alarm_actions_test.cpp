// Alarm actions end to end without a network: a transition of a real AlarmEngine publishes to a
// real TopicService inside the same transaction; the outbox holds CloudWatch's message with
// sgwatch's context of causing events, and the history holds the Action item (success or the
// failure reason, as CloudWatch records it).
#include "engine/alarm_actions.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "engine/alarm_engine.h"
#include "engine/logs_engine.h"
#include "pattern/subject.h"
#include "notify/delivery.h"
#include "support/temp_dir.h"

namespace sgwatch::engine {
namespace {

using Json = nlohmann::json;
using testing::TempDir;

const std::int64_t kT0 = *core::parse_iso8601("2026-11-20T09:00:00Z");
constexpr const char* kTopic = "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges";
const metrics::SeriesKey kKey{"CISBenchmark", "SecurityGroupEventCount", {}};

const char* kCause = R"({"eventTime":"2026-11-20T09:00:30Z","eventName":"AuthorizeSecurityGroupIngress",)"
                     R"("userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"},)"
                     R"("sourceIPAddress":"203.0.113.7","requestParameters":{"groupId":"sg-0123456789abcdef0",)"
                     R"("ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,)"
                     R"("ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}}})";

struct Fixture {
  TempDir dir;
  core::ManualClock clock{kT0 * 1000 + 250};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<notify::TopicService> topics;
  std::unique_ptr<TopicActions> actions;
  std::unique_ptr<AlarmEngine> engine;

  Fixture() {
    store = std::move(*store::Store::open(dir.path()));
    auto identity = notify::load_or_create_signing_identity(dir.path().string(), kT0);
    notify::TopicsOptions options;
    options.region = "us-west-2";
    topics = std::make_unique<notify::TopicService>(*store, clock, options, std::move(*identity));
    actions = std::make_unique<TopicActions>(*topics, "us-west-2", "123456789012");
    engine = std::move(*AlarmEngine::open(*store, clock, EngineOptions{"us-west-2", "123456789012"}));
    engine->set_action_runner(actions.get());
  }
  void put_seed(const std::vector<std::string>& actions_arns) {
    auto definition = alarms::parse_put_metric_alarm(
        Json{{"AlarmName", "SecurityGroupChangesAlarm"}, {"MetricName", "SecurityGroupEventCount"},
             {"Namespace", "CISBenchmark"}, {"Statistic", "Sum"}, {"Period", 300}, {"EvaluationPeriods", 1},
             {"Threshold", 1.0}, {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
             {"AlarmActions", actions_arns}});
    ASSERT_TRUE(definition);
    ASSERT_TRUE(engine->put_alarm(*definition));
  }
  std::vector<std::string> action_summaries() {
    store::HistoryQuery q;
    q.type = alarms::HistoryType::kAction;
    std::vector<std::string> out;
    auto items = engine->history(q);
    EXPECT_TRUE(items);
    if (!items) return out;
    const std::vector<store::StoredHistoryItem> list = std::move(*items);
    for (const auto& h : list) out.push_back(h.item.summary);
    return out;
  }
};

TEST(AlarmActions, TransitionPublishesWithTheCausingEvents) {
  Fixture f;
  ASSERT_TRUE(f.topics->create_topic("SecurityGroupChanges", {}, {}));
  ASSERT_TRUE(f.topics->subscribe(kTopic, "file", "/tmp/alarms.jsonl", {}, false));
  f.put_seed({kTopic});
  store::Datapoint d{kKey, kT0 + 30, {}};
  d.values.add(1, true);
  d.cause = kCause;
  auto transitions = f.engine->add_datapoints(std::span(&d, 1));
  ASSERT_TRUE(transitions);
  ASSERT_EQ(transitions->size(), 1U);  // early ALARM on arrival
  auto entries = *f.store->deliveries(std::nullopt, 10);
  ASSERT_EQ(entries.size(), 1U);
  const auto delivery = *notify::decode_delivery(entries[0].payload);
  const auto line = Json::parse(delivery.line);
  EXPECT_EQ(line["Subject"], "ALARM: \"SecurityGroupChangesAlarm\" in US West (Oregon)");
  const auto message = Json::parse(line["Message"].get<std::string>());
  EXPECT_EQ(message["NewStateValue"], "ALARM");
  EXPECT_EQ(message["OldStateValue"], "INSUFFICIENT_DATA");
  const auto& event = message["sgwatch"]["events"][0];
  EXPECT_EQ(message["sgwatch"]["eventCount"], 1);
  EXPECT_EQ(event["eventName"], "AuthorizeSecurityGroupIngress");
  EXPECT_EQ(event["actor"], "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(event["actorType"], "IAMUser");
  EXPECT_EQ(event["groupId"], "sg-0123456789abcdef0");
  EXPECT_EQ(event["ruleChanges"][0], "+ tcp 22 from 0.0.0.0/0");
  EXPECT_EQ(f.action_summaries(), std::vector<std::string>{std::string("Successfully executed action ") + kTopic});
}

TEST(AlarmActions, MissingTopicAndForeignArnsFailWithTheReason) {
  Fixture f;
  f.put_seed({kTopic, "arn:aws:swf:us-west-2:123456789012:action/actions/AWS_EC2.InstanceId.Stop/1.0"});
  auto set = f.engine->set_alarm_state("SecurityGroupChangesAlarm", alarms::AlarmState::kAlarm, "testing purposes",
                                       std::nullopt);
  ASSERT_TRUE(set);
  const auto summaries = f.action_summaries();
  ASSERT_EQ(summaries.size(), 2U);
  for (const auto& s : summaries) EXPECT_TRUE(s.starts_with("Failed to execute action ")) << s;
  EXPECT_TRUE(f.store->deliveries(std::nullopt, 10)->empty());
}

TEST(AlarmActions, DisabledActionsPublishNothing) {
  Fixture f;
  ASSERT_TRUE(f.topics->create_topic("SecurityGroupChanges", {}, {}));
  ASSERT_TRUE(f.topics->subscribe(kTopic, "file", "/tmp/alarms.jsonl", {}, false));
  f.put_seed({kTopic});
  ASSERT_TRUE(f.engine->set_actions_enabled({"SecurityGroupChangesAlarm"}, false));
  ASSERT_TRUE(f.engine->set_alarm_state("SecurityGroupChangesAlarm", alarms::AlarmState::kAlarm, "x", std::nullopt));
  EXPECT_TRUE(f.store->deliveries(std::nullopt, 10)->empty());
  EXPECT_TRUE(f.action_summaries().empty());
}

TEST(AlarmActions, ContextReadsTheFlatRuleFormAndMfa) {
  const char* flat = R"({"eventName":"RevokeSecurityGroupEgress","userIdentity":{"arn":"arn:aws:iam::1:user/bob",)"
                     R"("mfaAuthenticated":"true"},"requestParameters":{"groupId":"sg-1","ipProtocol":"udp",)"
                     R"("fromPort":53,"toPort":53,"cidrIpv6":"::/0"}})";
  const auto context = causes_context({flat});
  ASSERT_TRUE(context);
  const auto& event = (*context)["events"][0];
  EXPECT_EQ(event["ruleChanges"][0], "- udp 53 to ::/0");
  EXPECT_EQ(event["mfaAuthenticated"], "true");
  EXPECT_EQ(event["groupId"], "sg-1");
}

TEST(AlarmActions, ContextCarriesTheNormalizedChange) {
  // The cause as the Logs engine summarises a matching record (cause_summary runs sg::normalize).
  pattern::Subject subject(
      R"({"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a"},)"
      R"("eventTime":"2026-11-20T09:00:30Z","eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress",)"
      R"("requestParameters":{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,)"
      R"("ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}},{"ipProtocol":"tcp","fromPort":443,"toPort":443,)"
      R"("ipRanges":{"items":[{"cidrIp":"10.0.0.0/8"}]}}]}},"responseElements":{"_return":true}})");
  const std::string cause = cause_summary(subject, "g", "s", 1);
  const auto context = causes_context({cause});
  ASSERT_TRUE(context);
  const auto& event = (*context)["events"][0];
  EXPECT_EQ(event["severity"], "critical");
  EXPECT_EQ(event["reason"], "SSH (22) open to the world");
  // The context is ordered JSON: compared as such (ordered_json == json is ambiguous in C++20).
  EXPECT_EQ(event["exposure"], nlohmann::ordered_json::array({"tcp 22 from 0.0.0.0/0: SSH (22) open to the world"}));
  EXPECT_EQ(event["ruleChanges"],
            nlohmann::ordered_json::array({"+ tcp 22 from 0.0.0.0/0", "+ tcp 443 from 10.0.0.0/8"}));
  // Not a security-group event: no severity.
  pattern::Subject other(R"({"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"CreateUser"})");
  const auto plain = causes_context({cause_summary(other, "g", "s", 1)});
  ASSERT_TRUE(plain);
  EXPECT_FALSE((*plain)["events"][0].contains("severity"));
}

TEST(AlarmActions, ContextIsBoundedToTwentyEvents) {
  std::vector<std::string> causes(57, kCause);
  const auto context = causes_context(causes);
  ASSERT_TRUE(context);
  EXPECT_EQ((*context)["eventCount"], 57);
  EXPECT_EQ((*context)["events"].size(), 20U);
  EXPECT_FALSE(causes_context({}));
}

}  // namespace
}  // namespace sgwatch::engine
