// Built-in packs: names per CONTRACTS.md, every pattern compiles, the CIS strings are exactly
// those of ../shared/spec/cis-section4.md ("Exact strings"), cis-v5 differs from cis-v3 only in
// 4.10, and sg-all covers every API of ../shared/spec/security-group-events.md with a filter
// that matches that API's event and not its neighbours.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "pattern/pattern.h"
#include "rules/rules.h"
#include "support/subprocess.h"

namespace sgwatch::rules {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(Packs, NamesAndCompile) {
  ASSERT_NE(find_pack("cis-v3"), nullptr);
  ASSERT_NE(find_pack("cis-v5"), nullptr);
  ASSERT_NE(find_pack("sg-all"), nullptr);
  EXPECT_EQ(find_pack("cis-v4"), nullptr);
  std::vector<std::string> v3;
  for (const auto& f : find_pack("cis-v3")->filters) v3.push_back(f.name);
  EXPECT_EQ(v3, (std::vector<std::string>{"cis-v3-4.1", "cis-v3-4.2", "cis-v3-4.2-sso", "cis-v3-4.3",
                                          "cis-v3-4.4", "cis-v3-4.5", "cis-v3-4.6", "cis-v3-4.7",
                                          "cis-v3-4.8", "cis-v3-4.9", "cis-v3-4.10", "cis-v3-4.11",
                                          "cis-v3-4.12", "cis-v3-4.13", "cis-v3-4.14", "cis-v3-4.15"}));
  for (const auto& pack : packs()) {
    std::set<std::string> names;
    for (const auto& filter : pack.filters) {
      EXPECT_TRUE(names.insert(filter.name).second) << "duplicate " << filter.name;
      auto compiled = pattern::Matcher::compile(filter.pattern);
      EXPECT_TRUE(compiled) << filter.name << ": "
                            << (compiled ? "" : compiled.error().describe());
      EXPECT_FALSE(filter.title.empty());
    }
  }
}

TEST(Packs, CisStringsAreTheSpecsExactly) {
  const std::string spec = read_text(testing::shared_dir() + "/spec/cis-section4.md");
  const auto start = spec.find("## Exact strings");
  ASSERT_NE(start, std::string::npos);
  const auto block = spec.find("```text\n", start);
  const auto end = spec.find("```", block + 8);
  std::istringstream lines(spec.substr(block + 8, end - block - 8));
  std::map<std::string, std::string> expected;
  std::string line;
  const std::regex row(R"(^(4\.\d+[ab]?)\s+(\{.*\})\s*$)");
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, row)) expected[m[1]] = m[2];
  }
  ASSERT_EQ(expected.size(), 16U);
  for (const auto& filter : find_pack("cis-v3")->filters) {
    std::string id = filter.name.substr(7);  // "cis-v3-"
    if (id == "4.2") id = "4.2a";
    if (id == "4.2-sso") id = "4.2b";
    ASSERT_TRUE(expected.count(id)) << id;
    EXPECT_EQ(filter.pattern, expected[id]) << filter.name;
  }
}

TEST(Packs, CisV5DiffersOnlyIn410) {
  const auto& v3 = find_pack("cis-v3")->filters;
  const auto& v5 = find_pack("cis-v5")->filters;
  ASSERT_EQ(v3.size(), v5.size());
  for (std::size_t i = 0; i < v3.size(); ++i) {
    if (v3[i].name == "cis-v3-4.10") {
      EXPECT_EQ(v5[i].name, "cis-v5-4.10");
      auto v5_410 = pattern::Matcher::compile(v5[i].pattern);
      auto v3_410 = pattern::Matcher::compile(v3[i].pattern);
      const std::string modify = R"({"eventSource":"ec2.amazonaws.com","eventName":"ModifySecurityGroupRules"})";
      const std::string authorize = R"({"eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress"})";
      EXPECT_TRUE(v5_410->matches(modify));
      EXPECT_FALSE(v3_410->matches(modify));
      EXPECT_TRUE(v5_410->matches(authorize));
    } else {
      EXPECT_EQ(v5[i].name, v3[i].name);
      EXPECT_EQ(v5[i].pattern, v3[i].pattern);
    }
  }
}

std::string event_for(const std::string& api, const std::string& source) {
  std::string request = R"({"groupId":"sg-0123"})";
  if (api == "ModifyInstanceAttribute" || api == "ModifyNetworkInterfaceAttribute") {
    request = R"({"instanceId":"i-1","groupSet":{"items":[{"groupId":"sg-0123"}]}})";
  } else if (api == "CreateTags" || api == "DeleteTags") {
    request = R"({"resourcesSet":{"items":[{"resourceId":"sg-0123"}]},"tagSet":{"items":[{"key":"k","value":"v"}]}})";
  } else if (api == "ModifyDBInstance") {
    request = R"({"dBInstanceIdentifier":"db","vpcSecurityGroupIds":["sg-0123"]})";
  } else if (api == "UpdateFunctionConfiguration") {
    request = R"({"functionName":"f","vpcConfig":{"subnetIds":["subnet-1"],"securityGroupIds":["sg-0123"]}})";
  }
  const std::string name = api == "UpdateFunctionConfiguration" ? api + "20150331v2" : api;
  return R"({"eventVersion":"1.09","eventSource":")" + source + R"(","eventName":")" + name +
         R"(","requestParameters":)" + request + "}";
}

TEST(Packs, SgAllCoversEveryApiOfTheSpec) {
  const std::string spec = read_text(testing::shared_dir() + "/spec/security-group-events.md");
  // Rows of "## The list": | <service> `ApiName` [/ `ApiName`] ... |
  const auto start = spec.find("## The list");
  const auto end = spec.find("\n## ", start + 5);
  std::istringstream lines(spec.substr(start, end - start));
  std::set<std::string> apis;
  std::string line;
  const std::regex api_name("`([A-Z][A-Za-z]+)`");
  while (std::getline(lines, line)) {
    if (line.rfind("| ", 0) != 0) continue;
    const std::string first = line.substr(2, line.find(" | ", 2) - 2);
    for (auto it = std::sregex_iterator(first.begin(), first.end(), api_name); it != std::sregex_iterator(); ++it) {
      apis.insert((*it)[1]);
    }
  }
  ASSERT_GE(apis.size(), 25U);
  std::map<std::string, const BuiltinFilter*> by_name;
  for (const auto& filter : find_pack("sg-all")->filters) by_name[filter.name] = &filter;
  const std::regex source_re(R"(\$\.eventSource = ([a-z0-9.]+)\))");
  for (const auto& api : apis) {
    SCOPED_TRACE(api);
    ASSERT_TRUE(by_name.count("sg-" + api)) << "no filter sg-" << api;
    const BuiltinFilter& filter = *by_name["sg-" + api];
    std::smatch m;
    ASSERT_TRUE(std::regex_search(filter.pattern, m, source_re));
    auto matcher = pattern::Matcher::compile(filter.pattern);
    ASSERT_TRUE(matcher);
    EXPECT_TRUE(matcher->matches(event_for(api, m[1]))) << filter.pattern;
    EXPECT_FALSE(matcher->matches(event_for("DescribeSecurityGroups", m[1])));
    EXPECT_FALSE(matcher->matches(event_for(api, "example.amazonaws.com")));
  }
  // Conditions that keep the broad calls to their security-group form.
  auto tags = pattern::Matcher::compile(by_name["sg-CreateTags"]->pattern);
  EXPECT_FALSE(tags->matches(R"({"eventSource":"ec2.amazonaws.com","eventName":"CreateTags","requestParameters":{"resourcesSet":{"items":[{"resourceId":"ami-1"}]}}})"));
  auto attribute = pattern::Matcher::compile(by_name["sg-ModifyInstanceAttribute"]->pattern);
  EXPECT_FALSE(attribute->matches(R"({"eventSource":"ec2.amazonaws.com","eventName":"ModifyInstanceAttribute","requestParameters":{"instanceId":"i-1","disableApiTermination":{"value":false}}})"));
  EXPECT_TRUE(attribute->matches(R"({"eventSource":"ec2.amazonaws.com","eventName":"ModifyInstanceAttribute","requestParameters":{"instanceId":"i-1","attribute":"groupSet","value":"sg-1"}})"));
}

}  // namespace
}  // namespace sgwatch::rules
