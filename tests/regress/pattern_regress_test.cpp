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
