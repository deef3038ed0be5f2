// Unit tests of the prefilter (Prefilter in pattern/matcher.h): the literal set computed for
// representative patterns (AND keeps the most selective child, OR takes the union, JSON sets
// carry "\u"; exclusions, regexes, numbers and != give no set), and soundness: the prefilter
// never rejects an event that the pattern matches. Neighbours: prefilter.cpp, matcher_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "pattern/matcher.h"

namespace sgwatch::pattern {
namespace {

using Literals = std::optional<std::vector<std::string>>;

struct PrefilterCase {
  std::string_view pattern;
  Literals literals;  // nullopt: no set (every event passes); compared as a sorted set
};

void PrintTo(const PrefilterCase& c, std::ostream* os) {
  *os << "'" << core::printable(c.pattern, 120) << "'";
}

const std::vector<std::string> kCisNames = {
    "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",     "CreateSecurityGroup",          "DeleteSecurityGroup",
};

std::vector<std::string> with_escape(std::vector<std::string> set) {
  set.push_back("\\u");
  return set;
}

constexpr std::optional<std::vector<std::string>> kNone = std::nullopt;

const PrefilterCase kCases[] = {
    // CIS 4.10: the six names, and "\u" for events that spell a name with escapes.
    {"{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = "
     "AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName "
     "= RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = "
     "DeleteSecurityGroup) }",
     with_escape(kCisNames)},
    // JSON AND: the child whose shortest literal is longest.
    {"{ $.a = \"ab\" && $.b = \"abcdef\" }", with_escape({"abcdef"})},
    {"{ $.a = \"abcdef\" && $.b = 1 }", with_escape({"abcdef"})},
    {"{ $.a = \"abc\" && $.b != \"longer literal\" }", with_escape({"abc"})},
    {"{ ($.a = \"abc\" || $.b = \"de\") && $.c = \"fgh\" }", with_escape({"fgh"})},
    {"{ ($.a = \"abcd\" || $.b = \"efgh\") && $.c = \"ijk\" }", with_escape({"abcd", "efgh"})},
    // JSON OR: the union; unknown as soon as one alternative is unknown.
    {"{ $.a = \"x\" || $.b = \"y\" }", with_escape({"x", "y"})},
    {"{ $.a = \"x\" || $.b = 1 }", kNone},
    {"{ $.a = \"x\" || $.b NOT EXISTS }", kNone},
    // Wildcards and JSON-escapable characters split a literal; the longest piece is kept.
    {"{ $.a = \"*Denied*\" }", with_escape({"Denied"})},
    {"{ $.a = AccessDenied* }", with_escape({"AccessDenied"})},
    {"{ $.a = \"Ev*ent\" }", with_escape({"ent"})},
    {"{ $.a = \"say \\\"hello world\\\"\" }", with_escape({"hello world"})},
    {"{ $.a = \"0.0.0.0/0\" }", with_escape({"0.0.0.0"})},
    {"{ $.a = \"C:\\\\dir\" }", with_escape({"dir"})},
    // Keywords.
    {"{ $.a IS TRUE }", with_escape({"true"})},
    {"{ $.a IS FALSE }", with_escape({"false"})},
    {"{ $.a IS NULL }", with_escape({"null"})},
    {"{ $.a NOT EXISTS }", kNone},
    // No set: numbers, !=, *, regex, empty string.
    {"{ $.a = 1 }", kNone},
    {"{ $.a > 1 }", kNone},
    {"{ $.a != \"x\" }", kNone},
    {"{ $.a = * }", kNone},
    {"{ $.a = \"*\" }", kNone},
    {"{ $.a = %abc% }", kNone},
    {"{ $.a = \"\" }", kNone},
    // Terms: required terms are ANDed, optional ones ORed; exclusions give nothing.
    {"ERROR", std::vector<std::string>{"ERROR"}},
    {"ERROR REQUEST", std::vector<std::string>{"REQUEST"}},
    {"?ERROR ?WARN", std::vector<std::string>{"ERROR", "WARN"}},
    {"?ERROR ?ERRORCODE", std::vector<std::string>{"ERROR"}},  // a longer one is redundant
    {"?ERROR ?WARN REQUEST", std::vector<std::string>{"REQUEST"}},
    {"ERROR -DEBUG", std::vector<std::string>{"ERROR"}},
    {"\"BAD REQUEST\"", std::vector<std::string>{"BAD REQUEST"}},
    {"-ERROR", kNone},
    {"?ERROR -DEBUG", kNone},
    // Other kinds.
    {"%ERROR%", kNone},
    {"", kNone},
    {"   ", kNone},
    // Delimited: conditions with = and a string.
    {"[a, b = \"xyz*\", ...]", std::vector<std::string>{"xyz"}},
    {"[a = GET, b = \"POST*\"]", std::vector<std::string>{"POST"}},
    {"[a = x || a = yz]", std::vector<std::string>{"x", "yz"}},
    {"[a = 404]", kNone},
    {"[a != x]", kNone},
    {"[a, b, c]", kNone},
    {"[]", kNone},
};

Literals sorted(Literals set) {
  if (set) std::sort(set->begin(), set->end());
  return set;
}

std::string show(const Literals& set) {
  if (!set) return "none";
  std::string out = "{";
  for (const std::string& s : *set) out += " '" + core::printable(s) + "'";
  return out + " }";
}

class PrefilterSetTest : public testing::TestWithParam<PrefilterCase> {};

TEST_P(PrefilterSetTest, Literals) {
  const PrefilterCase& c = GetParam();
  auto matcher = Matcher::compile(c.pattern);
  ASSERT_TRUE(matcher.ok()) << matcher.error().describe();
  const Literals actual = sorted(matcher->prefilter().any_of);
  const Literals expected = sorted(c.literals);
  EXPECT_EQ(actual, expected) << "actual " << show(actual) << ", expected " << show(expected);
}

INSTANTIATE_TEST_SUITE_P(Table, PrefilterSetTest, testing::ValuesIn(kCases));

TEST(PrefilterTest, MayMatch) {
  Prefilter none;
  EXPECT_TRUE(none.may_match(""));
  EXPECT_TRUE(none.may_match("anything"));
  Prefilter some{std::vector<std::string>{"abc", "\\u"}, {}};
  EXPECT_TRUE(some.may_match("xxabcxx"));
  EXPECT_TRUE(some.may_match("{\"a\":\"\\u0061bc\"}"));
  EXPECT_FALSE(some.may_match("ab c"));
  EXPECT_FALSE(some.may_match(""));
  Prefilter empty{std::vector<std::string>{}, {}};
  EXPECT_FALSE(empty.may_match("anything"));
}

// Soundness: for every pattern and every event, a match implies may_match.
TEST(PrefilterTest, NeverRejectsAMatch) {
  const std::string_view patterns[] = {
      "{ $.eventName = CreateSecurityGroup }",
      "{ $.eventName = \"Create*\" || $.eventName = \"*Group\" }",
      "{ $.a = \"say \\\"hi\\\"\" }",
      "{ $.a = \"a/b\" }",
      "{ $.a = \"tab\tx\" }",
      "{ $.a = \"caf\xC3\xA9\" }",
      "{ $.a = \"1\" }",
      "{ $.a = \"1.5\" && $.b IS TRUE }",
      "{ $.a IS NULL }",
      "{ $.a IS FALSE || $.b = \"x\" }",
      "{ $.* = \"hit\" }",
      "{ $.arr[*] = \"hit*\" && $.k = \"v\" }",
      "ERROR -\"BAD REQUEST\"",
      "?ERROR ?WARN",
      "[a, b = \"x y\", ...]",
      "[a = 4* || a = *5, b]",
  };
  const std::string_view events[] = {
      "{\"eventName\":\"CreateSecurityGroup\"}",
      "{\"eventName\":\"Create\\u0053ecurityGroup\"}",
      "{\"event\\u004eame\":\"CreateSecurityGroup\"}",
      "{\"eventName\":\"CreateVpc\"}",
      "{\"eventName\":\"DeleteSecurityGroup\"}",
      "{\"a\":\"say \\\"hi\\\"\"}",
      "{\"a\":\"a\\/b\"}",
      "{\"a\":\"a/b\"}",
      "{\"a\":\"tab\\tx\"}",
      "{\"a\":\"caf\xC3\xA9\"}",
      "{\"a\":\"caf\\u00e9\"}",
      "{\"a\":\"caf\\u00E9\"}",
      "{\"a\":1}",
      "{\"a\":\"1\"}",
      "{\"a\":1.5,\"b\":true}",
      "{\"a\":\"1.5\",\"b\":true}",
      "{\"a\":null}",
      "{\"a\":[1,null]}",
      "{\"a\":false}",
      "{\"b\":\"x\"}",
      "{\"x\":\"hit\"}",
      "{\"arr\":[\"hitme\"],\"k\":\"v\"}",
      "{\"arr\":{\"z\":\"hit\"},\"k\":\"\\u0076\"}",
      "ERROR all fine",
      "ERROR BAD REQUEST",
      "WARN x",
      "q \"x y\" z",
      "45 z",
      "405 z",
      "x \"x y\"",
  };
  std::size_t matches = 0;
  for (std::string_view pattern : patterns) {
    auto matcher = Matcher::compile(pattern);
    ASSERT_TRUE(matcher.ok()) << pattern << ": " << matcher.error().describe();
    for (std::string_view event : events) {
      if (!matcher->matches(event)) continue;
      ++matches;
      EXPECT_TRUE(matcher->prefilter().may_match(event))
          << "pattern " << pattern << " matches " << event << " but the prefilter "
          << show(matcher->prefilter().any_of) << " rejects it";
    }
  }
  EXPECT_GE(matches, 25u);  // the table exercises real matches
}

}  // namespace
}  // namespace sgwatch::pattern
