// Slack payloads: the transition in text and blocks, the sgwatch context's causing events bounded
// at 20 ("and N more"), mrkdwn escaping, and Slack's size limits.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "unit/notify/seed_notice.h"

namespace sgwatch::notify {
namespace {

using testing::seed_notice;
using Json = nlohmann::json;

nlohmann::ordered_json events(std::size_t count) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < count; ++i) {
    list.push_back({{"eventTime", "2025-11-27T20:15:0" + std::to_string(i % 10) + "Z"},
                    {"eventName", "AuthorizeSecurityGroupIngress"},
                    {"actor", "arn:aws:iam::123456789012:user/alice"},
                    {"sourceIPAddress", "203.0.113.7"},
                    {"groupId", "sg-0123456789abcdef0"},
                    {"ruleChanges", {"+ tcp 22 from 0.0.0.0/0", {{"proto", "udp"}}}}});
  }
  return list;
}

// Every string of the blocks, one per line.
std::string all_text(const Json& payload) {
  std::string text;
  const Json flat = payload["blocks"].flatten();
  for (const auto& [pointer, value] : flat.items()) {
    if (value.is_string()) text += value.get<std::string>() + "\n";
  }
  return text;
}

bool has_block(const Json& payload, const char* type) {
  for (const auto& block : payload["blocks"]) {
    if (block["type"] == type) return true;
  }
  return false;
}

std::size_t event_blocks(const Json& payload) {
  std::size_t count = 0;
  for (const auto& block : payload["blocks"]) {
    if (block["type"] == "section" && block.contains("text") &&
        block["text"]["text"].get<std::string>().find("AuthorizeSecurityGroupIngress") !=
            std::string::npos) {
      ++count;
    }
  }
  return count;
}

TEST(NotifySlack, TransitionWithoutContext) {
  const Json payload = Json::parse(slack_payload(seed_notice()));
  EXPECT_EQ(payload["text"], R"(ALARM: "SecurityGroupChangesAlarm" in US East (N. Virginia))");
  const auto& blocks = payload["blocks"];
  EXPECT_EQ(blocks[0]["type"], "header");
  EXPECT_EQ(blocks[0]["text"]["text"], ":rotating_light: ALARM: SecurityGroupChangesAlarm");
  const std::string text = all_text(payload);
  for (const char* part :
       {"INSUFFICIENT_DATA \xE2\x86\x92 ALARM", "*Alarm*\nSecurityGroupChangesAlarm",
        "*Region*\nUS East (N. Virginia) (us-east-1)", "*Account*\n123456789012",
        "*Time*\n2025-11-27 20:20:45 UTC", "*Metric*\nCISBenchmark / SecurityGroupEventCount",
        "*Reason*\nThreshold Crossed: 1 datapoint [2.0 (27/11/25 20:15:00)]",
        "arn:aws:cloudwatch:us-east-1:123456789012:alarm:SecurityGroupChangesAlarm"}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  }
  EXPECT_EQ(event_blocks(payload), 0u);
  EXPECT_FALSE(has_block(payload, "divider"));
}

TEST(NotifySlack, CausingEventsAreListed) {
  auto notice = seed_notice();
  notice.sgwatch = nlohmann::ordered_json{{"events", events(2)}};
  const Json payload = Json::parse(slack_payload(notice));
  EXPECT_EQ(event_blocks(payload), 2u);
  const std::string text = all_text(payload);
  EXPECT_NE(text.find("*Causing events* (2)"), std::string::npos);
  EXPECT_NE(
      text.find(
          "`2025-11-27T20:15:00Z` *AuthorizeSecurityGroupIngress* by "
          "`arn:aws:iam::123456789012:user/alice` from 203.0.113.7 on `sg-0123456789abcdef0`"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("+ tcp 22 from 0.0.0.0/0"), std::string::npos);
  EXPECT_NE(text.find(R"({"proto":"udp"})"), std::string::npos) << text;
  EXPECT_TRUE(has_block(payload, "divider"));
  EXPECT_EQ(text.find("more"), std::string::npos);
}

TEST(NotifySlack, SeverityAndReasonOfTheNormalizedChange) {
  auto notice = seed_notice();
  auto list = events(1);
  list[0]["severity"] = "critical";
  list[0]["reason"] = "SSH (22) open to the world";
  list[0]["exposure"] = {"tcp 22 from 0.0.0.0/0: SSH (22) open to the world"};
  notice.sgwatch = nlohmann::ordered_json{{"events", list}};
  const std::string text = all_text(Json::parse(slack_payload(notice)));
  EXPECT_NE(text.find("on `sg-0123456789abcdef0` \xE2\x80\x94 *critical*: SSH (22) open to the world\n"),
            std::string::npos)
      << text;
}

TEST(NotifySlack, BoundedAtTwentyEvents) {
  auto notice = seed_notice();
  notice.sgwatch = nlohmann::ordered_json{{"events", events(25)}};
  Json payload = Json::parse(slack_payload(notice));
  EXPECT_EQ(event_blocks(payload), 20u);
  EXPECT_NE(all_text(payload).find("and 5 more"), std::string::npos);
  EXPECT_NE(all_text(payload).find("*Causing events* (25)"), std::string::npos);

  // eventCount counts events the context does not list.
  notice.sgwatch = nlohmann::ordered_json{{"eventCount", 100}, {"events", events(3)}};
  payload = Json::parse(slack_payload(notice));
  EXPECT_EQ(event_blocks(payload), 3u);
  EXPECT_NE(all_text(payload).find("and 97 more"), std::string::npos);

  // Whatever is asked, the message stays under Slack's 50 blocks.
  notice.sgwatch = nlohmann::ordered_json{{"events", events(500)}};
  payload = Json::parse(slack_payload(notice, {.max_events = 500}));
  EXPECT_LE(payload["blocks"].size(), 50u);
  EXPECT_NE(all_text(payload).find("and 460 more"), std::string::npos);

  // Rule changes per event are bounded too.
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  for (int i = 0; i < 30; ++i) rules.push_back("+ tcp " + std::to_string(i));
  notice.sgwatch = nlohmann::ordered_json{
      {"events", nlohmann::ordered_json::array({{{"eventName", "X"}, {"ruleChanges", rules}}})}};
  payload = Json::parse(slack_payload(notice));
  EXPECT_NE(all_text(payload).find("and 10 more"), std::string::npos);
  EXPECT_EQ(all_text(payload).find("+ tcp 20"), std::string::npos);
}

TEST(NotifySlack, EscapesAndLimits) {
  auto notice = seed_notice();
  notice.alarm.name = "<!channel> & `x`";
  notice.reason = std::string(5000, 'r');
  const Json payload = Json::parse(slack_payload(notice));
  const std::string text = all_text(payload);
  // mrkdwn texts are escaped; the header is plain_text, which Slack does not parse.
  const Json flat = payload["blocks"].flatten();
  for (const auto& [pointer, value] : flat.items()) {
    if (value.is_string() && pointer.find("/0/text/") == std::string::npos) {
      EXPECT_EQ(value.get<std::string>().find("<!channel>"), std::string::npos) << pointer;
    }
  }
  EXPECT_EQ(payload["blocks"][0]["text"]["type"], "plain_text");
  EXPECT_NE(text.find("&lt;!channel&gt; &amp; `x`"), std::string::npos);
  for (const auto& block : payload["blocks"]) {
    if (block["type"] == "section" && block.contains("text")) {
      EXPECT_LE(code_point_count(block["text"]["text"].get<std::string>()), 3000u);
    }
    if (block["type"] == "header") {
      EXPECT_LE(code_point_count(block["text"]["text"].get<std::string>()), 150u);
    }
  }
  EXPECT_NE(text.find("\xE2\x80\xA6"), std::string::npos);

  // Invalid UTF-8 from the alarm still gives valid JSON.
  notice.alarm.name = "bad \xFF name";
  EXPECT_FALSE(Json::parse(slack_payload(notice), nullptr, false).is_discarded());
}

}  // namespace
}  // namespace sgwatch::notify
