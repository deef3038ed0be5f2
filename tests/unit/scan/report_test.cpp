// The table's reading of real CloudTrail records (../shared/data/cloudtrail): actor, group and
// rules in the request's two forms (ipPermissions items, the legacy flat parameters), and JSON
// string escaping of the JSON-lines writer.
#include "scan/report.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/subprocess.h"

namespace sgwatch::scan {
namespace {

std::string first_record(const std::string& relative) {
  std::ifstream in(testing::shared_dir() + "/data/cloudtrail/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  const std::string first_line = text.str().substr(0, text.str().find('\n'));
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (doc.is_discarded()) doc = nlohmann::json::parse(first_line);  // JSON lines
  if (doc.is_array()) doc = doc[0];
  return doc.dump();
}

TEST(Report, LegacyFlatIngressForm) {
  const EventSummary s = summarize_event(first_record("stratus-red-team/aws.exfiltration.ec2-security-group-open-port-22-ingress.json"));
  EXPECT_EQ(s.event, "AuthorizeSecurityGroupIngress");
  EXPECT_NE(s.details.find("tcp/22 from 208.236.235.254/0"), std::string::npos) << s.details;
  EXPECT_EQ(s.details.rfind("sg-", 0), 0U) << s.details;
}

TEST(Report, ItemsEgressForm) {
  const EventSummary s = summarize_event(first_record("elastic-integrations/test-authorize-security-group-egress-json.jsonl"));
  EXPECT_EQ(s.event, "AuthorizeSecurityGroupEgress");
  EXPECT_NE(s.details.find("tcp/4444 to 73.21.4.36/32"), std::string::npos) << s.details;
  EXPECT_FALSE(s.actor.empty());
  EXPECT_FALSE(s.time.empty());
}

TEST(Report, NotJsonIsShownRaw) {
  const EventSummary s = summarize_event("plain text message");
  EXPECT_EQ(s.details, "plain text message");
  EXPECT_TRUE(s.event.empty());
}

TEST(Report, JsonStringEscapes) {
  std::string out;
  append_json_string(out, std::string("a\"b\\c\n\t\x01\xC3\xA9", 10));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\t\\u0001\xC3\xA9\"");
  std::string compact;
  append_compact_json(compact, "{ \"a\" : [ 1, \"x y\\\" z\" ] }\n");
  EXPECT_EQ(compact, "{\"a\":[1,\"x y\\\" z\"]}");
}

}  // namespace
}  // namespace sgwatch::scan
