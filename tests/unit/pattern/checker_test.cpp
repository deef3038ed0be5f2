// Unit tests of the checker (pattern/checker.h): patterns that parse but break a rule of spec
// section 8 — regex count and dialect (section 4), wildcard-selector limits, operator/value
// types, distinct delimited field names — with the error code, position and AWS message.
// Neighbours: parser_test.cpp before it; matcher_test.cpp for what accepted patterns do.
#include "pattern/checker.h"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

#include "core/text.h"
#include "pattern/dump.h"
#include "pattern/matcher.h"
#include "pattern/parser.h"

namespace sgwatch::pattern {
namespace {

struct CheckCase {
  std::string_view pattern;
  std::optional<ErrorCode> code;  // nullopt: accepted
  std::string_view aws_message = {};  // checked when not empty
  std::optional<std::size_t> position = std::nullopt;
};

void PrintTo(const CheckCase& c, std::ostream* os) {
  *os << "'" << core::printable(c.pattern) << "' -> "
      << (c.code ? error_code_name(*c.code) : std::string_view("ok"));
}

constexpr std::optional<ErrorCode> kOk = std::nullopt;

const CheckCase kChecks[] = {
    // Regex count: at most 2 per JSON or delimited pattern (spec 1, 8).
    {"{ $.a = %x% || $.b = %y% }", kOk},
    {"{ $.a = %x% && $.a != %y% }", kOk},
    {"{ $.a = %x% || $.b = %y% || $.c = %z% }", ErrorCode::kTooManyRegex, kAwsTooManyRegex, 34},
    {"[a = %x%, b = %y%]", kOk},
    {"[a = %x%, b = %y%, c = %z%]", ErrorCode::kTooManyRegex, kAwsTooManyRegex},
    {"[a = %x% || a = %y%, b = %z%]", ErrorCode::kTooManyRegex, kAwsTooManyRegex},
    {"%x%", kOk},

    // Wildcard selectors: at most 1 per selector, 3 per pattern (spec 1, 8).
    {"{ $.a[*].b = 1 }", kOk},
    {"{ $.*.b = 1 }", kOk},
    {"{ $.a[*].b[*] = 1 }", ErrorCode::kTooManyWildcardsInSelector, kAwsWildcardPerSelector, 2},
    {"{ $.*.b.* = 1 }", ErrorCode::kTooManyWildcardsInSelector, kAwsWildcardPerSelector},
    {"{ $.a.*[*] IS NULL }", ErrorCode::kTooManyWildcardsInSelector, kAwsWildcardPerSelector},
    {"{ $.a[*] = 1 && $.b[*] = 2 && $.c.* = 3 }", kOk},
    {"{ $.a[*] = 1 && $.b[*] = 2 && $.c.* = 3 && $.d = 4 }", kOk},
    {"{ $.a[*] = 1 && $.b[*] = 2 && $.c.* = 3 && $.d[*] = 4 }", ErrorCode::kTooManyWildcards,
     kAwsTooManyWildcards, 43},
    {"{ $.a[*] IS NULL || $.b[*] NOT EXISTS || $.c[*] IS TRUE || $.d.* IS FALSE }",
     ErrorCode::kTooManyWildcards, kAwsTooManyWildcards},
    {"{ $.a[*] = 1 || $.a[*] = 2 || $.a[*] = 3 || $.a[*] = 4 }", ErrorCode::kTooManyWildcards,
     kAwsTooManyWildcards},

    // Numeric operators need a number (spec 5.1: `{ $.v > "Alpha" }` is rejected).
    {"{ $.a > 1 }", kOk},
    {"{ $.a <= -1.5e3 }", kOk},
    {"{ $.a > \"Alpha\" }", ErrorCode::kNumericOperatorNeedsNumber, kAwsInvalidPattern, 8},
    {"{ $.a > Alpha }", ErrorCode::kNumericOperatorNeedsNumber},
    {"{ $.a >= \"1\" }", ErrorCode::kNumericOperatorNeedsNumber},  // quoted: a string
    {"{ $.a < * }", ErrorCode::kNumericOperatorNeedsNumber},
    {"{ $.a < \"*\" }", ErrorCode::kNumericOperatorNeedsNumber},
    {"{ $.a <= 1.2.3 }", ErrorCode::kNumericOperatorNeedsNumber},
    {"{ $.a > true }", ErrorCode::kNumericOperatorNeedsNumber},
    {"[a > 1000]", kOk},
    {"[a > abc]", ErrorCode::kNumericOperatorNeedsNumber},
    {"[a < \"5\"]", ErrorCode::kNumericOperatorNeedsNumber},
    {"[a = 1 || a >= x]", ErrorCode::kNumericOperatorNeedsNumber},
    // Regex only with = and != (spec 4.1).
    {"{ $.a > %1% }", ErrorCode::kRegexOperator, kAwsInvalidPattern},
    {"{ $.a < %x% }", ErrorCode::kRegexOperator},
    {"{ $.a <= %x% }", ErrorCode::kRegexOperator},
    {"{ $.a >= %x% }", ErrorCode::kRegexOperator},
    {"[a < %1%]", ErrorCode::kRegexOperator},

    // Distinct field names, one ellipsis (spec 6.1).
    {"[a, b, ..., c]", kOk},
    {"[a, A]", kOk},  // names are case-sensitive
    {"[word, word]", ErrorCode::kDuplicateField, "Duplicate field 'word'", 7},
    {"[a, b = 1, a = 2]", ErrorCode::kDuplicateField, "Duplicate field 'a'", 11},
    {"[..., status, ...]", ErrorCode::kDuplicateField, "Duplicate field '...'", 14},
    {"[..., ...]", ErrorCode::kDuplicateField, "Duplicate field '...'", 6},

    // Regex dialect (spec 4.2, 4.3): accepted.
    {"%ERROR%", kOk},
    {"%a b:c%", kOk},                      // space and ':' are allowed
    {"%^[a-z_#=@/;,-]+$%", kOk},           // every listed symbol
    {"%^starting|^initializing|^shutting down%", kOk},
    {"%Task timed out after|^REPORT\\s.+\\sStatus: timeout%", kOk},
    {"%\\d{1,3}%", kOk},
    {"%a{,3}%", kOk},
    {"%a{2}%", kOk},
    {"%a{2,}%", kOk},
    {"%a{1000}%", kOk},
    {"%val.{2}%", kOk},
    {"%\\x28%", kOk},
    {"%ab[^c]$%", kOk},
    {"%127\\.0\\.0\\.[1-9]%", kOk},
    {"%\\[\\]\\{\\}\\|\\*\\+\\?\\.\\\\\\^\\$\\-%", kOk},  // every special, escaped
    {"%[]a]%", kOk},                       // ']' first in a class is a literal
    {"%\\d\\D\\s\\S\\w\\W%", kOk},
    {"%a]b%", kOk},
    {"{ $.a = %^x$% }", kOk},
    // Rejected characters: "Invalid character(s) in term '<regex>'".
    {"%^(ERROR|WARN)%", ErrorCode::kRegexInvalidCharacter,
     "Invalid character(s) in term '%^(ERROR|WARN)%'", 0},
    {"%ERROR(?= 500)%", ErrorCode::kRegexInvalidCharacter},
    {"%\\(%", ErrorCode::kRegexInvalidCharacter},  // even when escaped
    {"%hello!%", ErrorCode::kRegexInvalidCharacter, "Invalid character(s) in term '%hello!%'"},
    {"%a%b%", ErrorCode::kRegexInvalidCharacter},
    {"%caf\xC3\xA9%", ErrorCode::kRegexInvalidCharacter},
    {"%\"x\"%", ErrorCode::kRegexInvalidCharacter},
    {"%a\tb%", ErrorCode::kRegexInvalidCharacter},  // only the space character is allowed
    {"%a<b%", ErrorCode::kRegexInvalidCharacter},
    {"%a'b%", ErrorCode::kRegexInvalidCharacter},
    {"{ $.a = %(x)% }", ErrorCode::kRegexInvalidCharacter, {}, 8},
    {"[a = %x&y%]", ErrorCode::kRegexInvalidCharacter, {}, 5},
    // Rejected constructs: "Failed to compile regular expression."
    {"%[abc%", ErrorCode::kRegexCompile, kAwsRegexCompile, 1},
    {"%a**%", ErrorCode::kRegexCompile, kAwsRegexCompile, 3},
    {"%a{,}%", ErrorCode::kRegexCompile, kAwsRegexCompile},
    {"%{,3}%", ErrorCode::kRegexCompile},   // nothing to repeat
    {"%*a%", ErrorCode::kRegexCompile},
    {"%a+?%", ErrorCode::kRegexCompile},    // no lazy quantifiers
    {"%a++%", ErrorCode::kRegexCompile},    // no possessive quantifiers
    {"%^*%", ErrorCode::kRegexCompile},
    {"%a|*b%", ErrorCode::kRegexCompile},
    {"%a{3,2}%", ErrorCode::kRegexCompile},
    {"%a{1001}%", ErrorCode::kRegexCompile},
    {"%a{1, 3}%", ErrorCode::kRegexCompile},  // UNCLEAR (spec 11.5): no space inside braces
    {"%a{x}%", ErrorCode::kRegexCompile},
    {"%a}%", ErrorCode::kRegexCompile},
    {"%\\q%", ErrorCode::kRegexCompile},
    {"%\\x2%", ErrorCode::kRegexCompile},
    {"%\\xZZ%", ErrorCode::kRegexCompile},
    {"%a\\%", ErrorCode::kRegexCompile},     // a trailing backslash
    {"%[a[b]%", ErrorCode::kRegexCompile},
    {"%%", ErrorCode::kRegexCompile},         // empty body
    {"{ $.a = %a**% }", ErrorCode::kRegexCompile, kAwsRegexCompile, 11},

    // Kinds without checker rules.
    {"", kOk},
    {"ERROR -WARN ?x", kOk},
    {"{ $.a != * }", kOk},
    {"[]", kOk},
};

class CheckerTest : public testing::TestWithParam<CheckCase> {};

TEST_P(CheckerTest, Check) {
  const CheckCase& c = GetParam();
  auto ast = parse(c.pattern);
  ASSERT_TRUE(ast.ok()) << "the parser already rejects it: " << ast.error().describe();
  const std::optional<Error> error = check(*ast);
  if (!c.code) {
    EXPECT_FALSE(error.has_value()) << error->describe();
    // An accepted pattern also compiles.
    auto matcher = Matcher::compile(c.pattern);
    EXPECT_TRUE(matcher.ok()) << matcher.error().describe();
    return;
  }
  ASSERT_TRUE(error.has_value()) << "accepted: " << dump(*ast);
  EXPECT_EQ(error_code_name(error->code), error_code_name(*c.code)) << error->describe();
  if (!c.aws_message.empty()) {
    EXPECT_EQ(error->aws_message, c.aws_message);
  }
  if (c.position) {
    EXPECT_EQ(error->position, *c.position) << error->describe();
  }
  // Matcher::compile reports the same error.
  auto matcher = Matcher::compile(c.pattern);
  ASSERT_FALSE(matcher.ok());
  EXPECT_EQ(matcher.error().code, error->code);
}

INSTANTIATE_TEST_SUITE_P(Table, CheckerTest, testing::ValuesIn(kChecks));

// Every error code has a stable name (used in JSON output and by these tests).
TEST(ErrorTest, EveryCodeHasAName) {
  std::set<std::string_view> names;
  const int last = static_cast<int>(ErrorCode::kInvalidTransformation);
  for (int i = 0; i <= last; ++i) {
    const std::string_view name = error_code_name(static_cast<ErrorCode>(i));
    EXPECT_NE(name, "?") << i;
    EXPECT_TRUE(names.insert(name).second) << name;
  }
}

}  // namespace
}  // namespace sgwatch::pattern
