// Regression tests: one case per bug found in the pattern engine, named after what broke.
#include <gtest/gtest.h>

#include "pattern/pattern.h"

namespace sgwatch::pattern {
namespace {

bool matches(std::string_view pattern, std::string_view event) {
  auto matcher = Matcher::compile(pattern);
  EXPECT_TRUE(matcher.ok()) << matcher.error().describe();
  return matcher.ok() && matcher->matches(event);
}

// The literal prefilter must not reject a value spelled with JSON escapes.
TEST(PatternRegress, EscapedValueStillMatches) {
  EXPECT_TRUE(matches("{ $.eventName = CreateSecurityGroup }",
                      R"({"eventName":"Create\u0053ecurityGroup"})"));
  EXPECT_TRUE(matches("{ $.arn = \"arn:aws:iam::1:user/*\" }", R"({"arn":"arn:aws:iam::1:user\/bob"})"));
}

}  // namespace
}  // namespace sgwatch::pattern

namespace sgwatch::pattern {
namespace {

// A final line break became part of the last field when the event had exactly as many fields as
// the pattern had entries, so "x y\n" failed [a, b=y] while "x y" matched.
TEST(PatternRegress, DelimitedIgnoresTrailingLineBreak) {
  EXPECT_TRUE(matches("[a, b=y]", "x y\n"));
  EXPECT_TRUE(matches("[a, b=y]", "x y\r\n"));
  EXPECT_TRUE(matches("[a, b > 1]", "x 2\n"));
}

// simdjson rejects numbers beyond the double range and lone surrogate escapes; such an event
// became "not JSON" and invisible to every JSON pattern (an evasion route).
TEST(PatternRegress, OddJsonStaysVisible) {
  EXPECT_TRUE(matches("{ $.eventName = CreateSecurityGroup }",
                      R"({"eventName":"CreateSecurityGroup","x":1e400})"));
  EXPECT_TRUE(matches("{ $.x > 1 }", R"({"x":1e400})"));
  EXPECT_TRUE(matches("{ $.eventName = CreateSecurityGroup }",
                      R"({"eventName":"CreateSecurityGroup","x":"a\ud800b"})"));
  EXPECT_TRUE(matches("{ $.eventName = CreateSecurityGroup }",
                      R"({"\udc00":1,"eventName":"CreateSecurityGroup"})"));
  EXPECT_TRUE(matches("{ $.eventName = CreateSecurityGroup }",
                      "\xEF\xBB\xBF{\"eventName\":\"CreateSecurityGroup\"}"));
}

// The depth limit was documented but not enforced; deep input must be refused, not crash.
TEST(PatternRegress, DeepNestingIsNotJson) {
  std::string deep = "{\"a\":";
  for (int i = 0; i < 5000; ++i) deep += '[';
  for (int i = 0; i < 5000; ++i) deep += ']';
  deep += '}';
  EXPECT_FALSE(matches("{ $.a NOT EXISTS || $.a IS NULL || $.a = * }", deep));
  JsonTree tree;
  EXPECT_FALSE(tree.parse(deep));
}

// A scalar top-level document is valid JSON (it never matches a JSON pattern).
TEST(PatternRegress, ScalarDocumentParses) {
  JsonTree tree;
  ASSERT_TRUE(tree.parse("42"));
  EXPECT_EQ(tree[0].type, JsonType::kNumber);
  EXPECT_EQ(tree[0].text, "42");
  EXPECT_FALSE(matches("{ $.a NOT EXISTS }", "42"));
}

}  // namespace
}  // namespace sgwatch::pattern
