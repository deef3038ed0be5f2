// Unit tests of the matcher (pattern/matcher.h): tables of (pattern, event, expected) for every
// rule of spec sections 3 (terms), 4 (regex), 5 (JSON), 6 (space-delimited) and 13 (CIS 4.10),
// field splitting and extracted values, JSON event shapes, and one Matcher shared by threads.
// Every row also checks that the prefilter never rejects an event the pattern matches.
// Neighbours: parser_test.cpp / checker_test.cpp before it; prefilter_test.cpp, json_tree_test.cpp.
#include "pattern/matcher.h"

#include <gtest/gtest.h>

#include <array>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/text.h"
#include "pattern/subject.h"

namespace sgwatch::pattern {
namespace {

struct MatchCase {
  std::string_view pattern;
  std::string_view event;
  bool match;
  std::string_view rule = {};  // the spec rule the row illustrates
};

void PrintTo(const MatchCase& c, std::ostream* os) {
  *os << "pattern '" << core::printable(c.pattern, 200) << "' event '"
      << core::printable(c.event, 200) << "' -> " << (c.match ? "match" : "no match");
  if (!c.rule.empty()) *os << " (" << c.rule << ")";
}

class MatcherTableTest : public testing::TestWithParam<MatchCase> {};

TEST_P(MatcherTableTest, Matches) {
  const MatchCase& c = GetParam();
  auto matcher = Matcher::compile(c.pattern);
  ASSERT_TRUE(matcher.ok()) << matcher.error().describe();
  Subject subject(c.event);
  EXPECT_EQ(matcher->matches(subject), c.match);
  EXPECT_EQ(matcher->matches(c.event), c.match) << "matches(string_view)";
  if (c.match) {
    EXPECT_TRUE(matcher->prefilter().may_match(c.event)) << "the prefilter rejects a match";
  }
}

// ---------------------------------------------------------------------------------------------
// Spec 3: term patterns.
const MatchCase kTermCases[] = {
    {"ERROR", "Exiting with ERRORCODE: -1", true, "3.2 prefix of a word"},
    {"Exception", "[ERROR] Caught IllegalArgumentException", true, "3.2 suffix of a word"},
    {"ERROR", "TERROR REQUEST", true, "3.2 no word boundary"},
    {"ERROR", "[ERROR] REQUEST", true, "3.2"},
    {"ERROR", "ERROR-REQUEST", true, "3.2"},
    {"ERROR", "ERROR\nARGUMENTS", true, "3.2"},
    {"ERR", "xxERRxx", true, "3.2 strictly inside a word"},
    {"ERROR", "error arguments request", false, "3.2 case-sensitive"},
    {"Error", "[ERROR 400] BAD REQUEST", false, "3.2 case-sensitive"},
    {"ERROR ARGUMENTS", "ARGUMENTS ERROR", true, "3.3 order does not matter"},
    {"ERROR ARGUMENTS", "ERROR_ARGUMENTS", true, "3.3"},
    {"ERROR ARGUMENTS", "[ERROR 400] BAD REQUEST", false, "3.3 every plain term"},
    {"notification.id", "scan timed out for notification.id 7", true, "3.1 '.' in a bare word"},
    {"\"INTERNAL SERVER ERROR\"", "[ERROR 500] INTERNAL SERVER ERROR", true, "3.2 phrase"},
    {"\"INTERNAL SERVER ERROR\"", "INTERNAL ERROR SERVER", false, "3.2 phrase order"},
    {"\"INTERNAL SERVER ERROR\"", "INTERNAL  SERVER ERROR", false, "3.2 phrase spacing"},
    {"INTERNAL SERVER ERROR", "INTERNAL ERROR SERVER", true, "3.3 three plain terms"},
    {"\"hello-world\"", "hello-world", true, "3.2 punctuation is literal"},
    {"\"hello-world\"", "say \"hello world\" now", false, "3.2"},
    {"\" \"", "a b", true, "3.2 a quoted space"},
    {"\" \"", "plain", false, "3.2 a quoted space"},
    {"\" \"", "ERROR\nARGUMENTS", false, "3.2 a quoted space"},
    {"\" \"", "tab\tonly", false, "3.2 a quoted space"},
    {"\"\\\" 500 \"", "GET /x HTTP/1.1\" 500 12", true, "3.1 \\\" in a phrase"},
    {"\"a\\\\b\"", "path a\\b", true, "3.1 \\\\ in a phrase"},
    {"?ERROR ?WARN", "WARN disk", true, "3.3 rule 2"},
    {"?ERROR ?WARN", "INFO ok", false, "3.3 rule 2"},
    {"?ERROR ?ARGUMENTS REQUEST", "INFO REQUEST", true, "3.3 rule 1: ? ignored"},
    {"?ERROR ?ARGUMENTS REQUEST", "ERROR-REQUEST", true, "3.3 rule 1"},
    {"?ERROR ?ARGUMENTS REQUEST", "INFO ARGUMENTS", false, "3.3 rule 1"},
    {"?ERROR ?ARGUMENTS REQUEST", "[ERROR 419] MISSING ARGUMENTS", false, "3.3 rule 1"},
    {"?ERROR ?ARGUMENTS -REQUEST", "plain", true, "3.3 rule 1 with exclusions"},
    {"?ERROR ?ARGUMENTS -REQUEST", "hello-world", true, "3.3"},
    {"?ERROR ?ARGUMENTS -REQUEST", "ERROR REQUEST", false, "3.3"},
    {"?\"ERROR\" \"MainThread\" ?\"WARN\" \"Deadlock\"", "ERROR MainThread", false,
     "3.3 CDK anyTermGroup"},
    {"?\"ERROR\" \"MainThread\" ?\"WARN\" \"Deadlock\"", "INFO MainThread Deadlock", true, "3.3"},
    {"-ERROR", "INFO all good", true, "3.3 exclusions only"},
    {"-ERROR", "ERROR", false, "3.3 exclusions only"},
    {"ERROR -ARGUMENTS", "[ERROR 400] BAD REQUEST", true, "3.3"},
    {"ERROR -ARGUMENTS", "[ERROR 419] MISSING ARGUMENTS", false, "3.3"},
    {"ERROR -\"BAD REQUEST\"", "ERROR BAD REQUEST", false, "3.3 excluded phrase"},
    {"ERROR -\"BAD REQUEST\"", "ERROR GOOD REQUEST", true, "3.3"},
    {"ERROR -\"BAD REQUEST\"", "ERROR BAD  REQUEST", true, "3.3"},
    {"foo-bar", "foo-bar baz", true, "3.1 '-' inside a word"},
    {"foo-bar", "foo bar", false, "3.1"},
    {"AccessDenied", "{\"errorCode\":\"AccessDenied\"}", true, "3.2 JSON events as text"},
    {"CreateSecurityGroup", "{\"eventName\":\"Create\\u0053ecurityGroup\"}", false,
     "3.2 the raw text, escapes not decoded"},
    {"\"%bar%\"", "foo %bar% baz", true, "4.1 a quoted regex is a literal"},
    {"\"%bar%\"", "foo bar baz", false, "4.1"},
    {"", "anything at all", true, "2 empty pattern"},
    {"   ", "Test event 1", true, "2 whitespace-only pattern"},
};
INSTANTIATE_TEST_SUITE_P(Terms, MatcherTableTest, testing::ValuesIn(kTermCases));

// ---------------------------------------------------------------------------------------------
// Spec 4: standalone regular expressions.
const MatchCase kRegexCases[] = {
    {"%AUTHORIZED%", "UNAUTHORIZED REQUEST", true, "4.4 unanchored search"},
    {"%authorized%", "UNAUTHORIZED REQUEST", false, "4.4 case-sensitive"},
    {"%^starting|^initializing|^shutting down%", "shutting down now", true, "4.3 alternation"},
    {"%^starting|^initializing|^shutting down%", "we are starting", false, "4.3 anchors"},
    {"%^ERROR\\s[0-9]{3}$%", "ERROR\n500", true, "4.3 \\s matches a newline"},
    {"%^ERROR\\s[0-9]{3}$%", "ERROR 5000", false, "4.3"},
    {"%^[^a-z]+$%", "ERROR\n500", true, "4.3 whole subject"},
    {"%^[^a-z]+$%", "ERROR\n500x", false, "4.3"},
    {"%\\x28%", "f(x)", true, "4.2 \\xhh"},
    {"%\\x28%", "f x", false, "4.2"},
    {"%val.{2}%", "valXY", true, "4.3 {m}"},
    {"%val.{2}%", "valX", false, "4.3"},
    {"%ab[^c]$%", "xabd", true, "4.3 negated class"},
    {"%ab[^c]$%", "xabc", false, "4.3"},
    {"%a{,2}b%", "b", true, "4.3 {,n}"},
    {"%^a{2,}$%", "aaa", true, "4.3 {m,}"},
    {"%^a{2,}$%", "a", false, "4.3"},
    {"%\\d+ms%", "took 35ms", true, "4.3 \\d"},
    {"%\\w%", "!!!", false, "4.3 \\w"},
    {"%\\.%", "a.b", true, "4.3 escaped '.'"},
    {"%\\.%", "ab", false, "4.3"},
    {"%a.c%", "abc", true, "4.3 '.'"},
    {"%Task timed out after|^REPORT\\s.+\\sStatus: timeout%",
     "REPORT RequestId: 1 Status: timeout", true, "4.2 space and ':'"},
    {"%colou?r%", "color", true, "4.3 ?"},
    {"%ab+c%", "ac", false, "4.3 +"},
};
INSTANTIATE_TEST_SUITE_P(Regex, MatcherTableTest, testing::ValuesIn(kRegexCases));

// ---------------------------------------------------------------------------------------------
// Spec 5.2: JSON patterns — the evaluation table, row by row, with the recorded events.
const MatchCase kJsonCases[] = {
    // Rule 1: the message must be a JSON object.
    {"{ $.v NOT EXISTS }", "not JSON", false, "5.2.1"},
    {"{ $.v NOT EXISTS }", "{broken", false, "5.2.1"},
    {"{ $.v NOT EXISTS }", "[{\"v\":1}]", false, "5.2.1 top-level array"},
    {"{ $.v NOT EXISTS }", "\"v\"", false, "5.2.1 top-level string"},
    {"{ $.v NOT EXISTS }", "42", false, "5.2.1 top-level number"},
    {"{ $.v NOT EXISTS }", "null", false, "5.2.1 top-level null"},
    {"{ $.v NOT EXISTS }", "true", false, "5.2.1 top-level boolean"},
    {"{ $.v NOT EXISTS }", "{}", true, "5.2.1"},
    {"{ $.v NOT EXISTS }", "  \n{}\t\r\n", true, "5.2.1 surrounding whitespace"},
    {"{ $.v NOT EXISTS }", "{} trailing", false, "5.2.1 trailing garbage"},
    {"{ $.v NOT EXISTS }", "{}{}", false, "5.2.1 two values"},
    {"{ $.v = 1 }", "{\"v\":1}", true, "5.2"},
    {"{ $.v = 1 }", " {\"v\":1} ", true, "5.2.1 surrounding whitespace"},
    {"{ $.v = 1 }", "{\"v\":1}\n", true, "5.2.1 trailing newline"},
    {"{ $.v = 1 }", "{\n  \"v\": 1\n}", true, "5.2.1 multi-line object"},
    {"{ $.v = 1 }", "{\"v\":1} x", false, "5.2.1 trailing garbage"},
    {"{ $.v = 1 }", "{\"v\":1}}", false, "5.2.1 trailing garbage"},
    {"{ $.v = 1 }", "{\"v\":1,}", false, "5.2.1 invalid JSON"},
    {"{ $.v = 1 }", "{'v':1}", false, "5.2.1 invalid JSON"},
    {"{ $.v = 1 }", "{\"v\":1", false, "5.2.1 invalid JSON"},
    {"{ $.v = 1 }", "{\"v\":01}", false, "5.2.1 invalid JSON"},
    {"{ $.v = 1 }", "2024-01-01 INFO {\"v\":1}", false, "11.10 whole message"},
    {"{ $.v = 1 }", "[{\"v\":1}]", false, "5.2.1 top-level array"},
    // NOT EXISTS.
    {"{ $.v NOT EXISTS }", "{\"v\":null}", false, "5.2 null exists"},
    {"{ $.v NOT EXISTS }", "{\"v\":[]}", false, "5.2 [] exists"},
    {"{ $.v NOT EXISTS }", "{\"v\":{}}", false, "5.2 {} exists"},
    {"{ $.v NOT EXISTS }", "{\"w\":1}", true, "5.2"},
    {"{ $.v.x NOT EXISTS }", "{\"v\":{\"x\":1}}", false, "5.2"},
    {"{ $.v.y NOT EXISTS }", "{\"v\":{\"x\":1}}", true, "5.2"},
    {"{ $.v.x.y NOT EXISTS }", "{\"v\":{\"x\":1}}", true, "5.2"},
    // IS NULL / IS TRUE / IS FALSE.
    {"{ $.v IS NULL }", "{\"v\":null}", true, "5.2"},
    {"{ $.v IS NULL }", "{\"v\":[1,\"Alpha\",null]}", true, "5.2 array with a null element"},
    {"{ $.v IS NULL }", "{\"v\":[[null]]}", false, "5.2 only direct elements"},
    {"{ $.v IS NULL }", "{\"v\":{\"x\":null}}", false, "5.2"},
    {"{ $.v IS NULL }", "{\"v\":\"null\"}", false, "5.2"},
    {"{ $.v IS NULL }", "{\"v\":0}", false, "5.2"},
    {"{ $.v IS NULL }", "{}", false, "5.2 absent is not null"},
    {"{ $.v IS TRUE }", "{\"v\":true}", true, "5.2"},
    {"{ $.v IS TRUE }", "{\"v\":\"true\"}", false, "5.2"},
    {"{ $.v IS TRUE }", "{\"v\":1}", false, "5.2"},
    {"{ $.v IS TRUE }", "{\"v\":false}", false, "5.2"},
    {"{ $.v IS FALSE }", "{\"v\":false}", true, "5.2"},
    {"{ $.v IS FALSE }", "{\"v\":\"false\"}", false, "5.2"},
    {"{ $.v IS FALSE }", "{\"v\":0}", false, "5.2"},
    {"{ $.v IS FALSE }", "{}", false, "5.2"},
    // = *
    {"{ $.v = * }", "{\"v\":\"\"}", true, "5.2 empty string"},
    {"{ $.v = * }", "{\"v\":\"x\"}", true, "5.2"},
    {"{ $.v = * }", "{\"v\":0}", true, "5.2 number"},
    {"{ $.v = \"*\" }", "{\"v\":-1.5}", true, "5.3 quoted *"},
    {"{ $.v = * }", "{\"v\":null}", false, "5.2"},
    {"{ $.v = * }", "{\"v\":true}", false, "5.2"},
    {"{ $.v = * }", "{\"v\":[1]}", false, "5.2"},
    {"{ $.v = * }", "{\"v\":{}}", false, "5.2"},
    {"{ $.v = * }", "{}", false, "5.2"},
    // = string
    {"{ $.v = \"Alpha\" }", "{\"v\":\"Alpha\"}", true, "5.2"},
    {"{ $.v = Alpha }", "{\"v\":\"Alpha\"}", true, "5.2 bare string"},
    {"{ $.v = \"Alpha\" }", "{\"v\":\"alpha\"}", false, "5.3 case-sensitive"},
    {"{ $.v = \"Alpha\" }", "{\"v\":\"Alphabet\"}", false, "5.3 exact"},
    {"{ $.v = \"Alpha\" }", "{\"v\":\" Alpha\"}", false, "5.3 exact"},
    {"{ $.v = \"Alpha\" }", "{\"v\":[\"Alpha\"]}", false, "5.2 arrays never compare"},
    {"{ $.v = \"1\" }", "{\"v\":1}", true, "5.2 number text"},
    {"{ $.v = \"1\" }", "{\"v\":1.0}", false, "5.2 number text"},
    {"{ $.v = \"1\" }", "{\"v\":1e0}", false, "5.2 number text"},
    {"{ $.v = \"1\" }", "{\"v\":\"1\"}", true, "5.2"},
    {"{ $.v = true }", "{\"v\":\"true\"}", true, "5.1 bare true is a string"},
    {"{ $.v = true }", "{\"v\":true}", false, "5.1 bare true is a string"},
    {"{ $.v = false }", "{\"v\":false}", false, "5.1"},
    // != string
    {"{ $.v != \"Alpha\" }", "{\"v\":10}", true, "5.2"},
    {"{ $.v != \"Alpha\" }", "{\"v\":\"Beta\"}", true, "5.2"},
    {"{ $.v != \"Alpha\" }", "{\"v\":\"Alpha\"}", false, "5.2"},
    {"{ $.v != \"Alpha\" }", "{}", false, "5.2 absent"},
    {"{ $.v != \"Alpha\" }", "{\"v\":null}", false, "5.2 null"},
    {"{ $.v != \"Alpha\" }", "{\"v\":true}", false, "5.2 boolean"},
    {"{ $.v != \"Alpha\" }", "{\"v\":[1,\"Alpha\",null]}", false, "5.2 array"},
    {"{ $.v != \"Alpha\" }", "{\"v\":{}}", false, "5.2 object"},
    // = number / != number
    {"{ $.v = 1 }", "{\"v\":1.0}", true, "5.2 numeric"},
    {"{ $.v = 1 }", "{\"v\":1e0}", true, "5.2 numeric"},
    {"{ $.v = 1 }", "{\"v\":\"1\"}", true, "5.2 string: the literal's text"},
    {"{ $.v = 1 }", "{\"v\":\"1.0\"}", false, "5.2 string: the literal's text"},
    {"{ $.v = 1 }", "{\"v\":2}", false, "5.2"},
    {"{ $.v = 1 }", "{\"v\":[1]}", false, "5.2 array"},
    {"{ $.v = 1 }", "{\"v\":{\"x\":1}}", false, "5.2 object"},
    {"{ $.v = 1 }", "{\"v\":true}", false, "5.2 boolean"},
    {"{ $.v = 1 }", "{\"v\":null}", false, "5.2 null"},
    {"{ $.v = 1 }", "{\"v\":2,\"v\":1}", true, "5.2.1 duplicate keys: last wins"},
    {"{ $.v = 1 }", "{\"v\":1,\"v\":2}", false, "5.2.1 duplicate keys: last wins"},
    {"{ $.v != 1 }", "{\"v\":\"1.0\"}", true, "5.2"},
    {"{ $.v != 1 }", "{\"v\":\"10\"}", true, "5.2"},
    {"{ $.v != 1 }", "{\"v\":\"Alpha\"}", true, "5.2"},
    {"{ $.v != 1 }", "{\"v\":2}", true, "5.2"},
    {"{ $.v != 1 }", "{\"v\":1.0}", false, "5.2"},
    {"{ $.v != 1 }", "{\"v\":\"1\"}", false, "5.2"},
    {"{ $.v != 1 }", "{}", false, "5.2 absent"},
    {"{ $.v != 1 }", "{\"v\":null}", false, "5.2"},
    {"{ $.v != 1 }", "{\"v\":false}", false, "5.2"},
    {"{ $.v != 1 }", "{\"v\":[1,\"Alpha\",null]}", false, "5.2"},
    {"{ $.v = 1.0 }", "{\"v\":\"1.0\"}", true, "5.2 string: the literal's text"},
    {"{ $.v = 1.0 }", "{\"v\":\"1\"}", false, "5.2 string: the literal's text"},
    {"{ $.v != \"1\" }", "{\"v\":2}", true, "5.2 number text"},
    {"{ $.v != \"1\" }", "{\"v\":1}", false, "5.2 number text"},
    {"{ $.v != \"1\" }", "{\"v\":1.0}", true, "5.2 number text"},
    {"{ $.v = 1e+3 }", "{\"v\":1000}", true, "5.2 IEEE doubles"},
    {"{ $.v = 10e-3 }", "{\"v\":0.01}", true, "5.2"},
    {"{ $.v = 1000 }", "{\"v\":1E3}", true, "5.2"},
    {"{ $.v = -2 }", "{\"v\":-2.0}", true, "5.2"},
    {"{ $.v = +2 }", "{\"v\":2}", true, "5.1 signed literal"},
    {"{ $.v = .5 }", "{\"v\":0.5}", true, "5.1"},
    // Numeric comparisons.
    {"{ $.v > 1 }", "{\"v\":2}", true, "5.2"},
    {"{ $.v > 1 }", "{\"v\":1.5}", true, "5.2"},
    {"{ $.v > 1 }", "{\"v\":1}", false, "5.2"},
    {"{ $.v > 1 }", "{\"v\":-1}", false, "5.2"},
    {"{ $.v > 1 }", "{\"v\":\"10\"}", false, "5.2 strings never compare"},
    {"{ $.v > 1 }", "{\"v\":1,\"v\":2}", true, "5.2.1 duplicate keys"},
    {"{ $.v > 1 }", "{\"v\":2,\"v\":1}", false, "5.2.1 duplicate keys"},
    {"{ $.v > 1 }", "{\"v\":true}", false, "5.2"},
    {"{ $.v > 1 }", "{}", false, "5.2"},
    {"{ $.v < 0 }", "{\"v\":-0.5}", true, "5.2"},
    {"{ $.v <= 1 }", "{\"v\":1}", true, "5.2"},
    {"{ $.v >= 1 }", "{\"v\":1.0}", true, "5.2"},
    {"{ $.v >= 1 }", "{\"v\":\"5\"}", false, "5.2"},
    {"{ $.v < 5 }", "{\"v\":[1]}", false, "5.2"},
    // Regex values.
    {"{ $.v = %^Al% }", "{\"v\":\"Alpha\"}", true, "5.2"},
    {"{ $.v = %^Al% }", "{\"v\":\"Beta\"}", false, "5.2"},
    {"{ $.v != %^Al% }", "{\"v\":\"Beta\"}", true, "5.2"},
    {"{ $.v != %^Al% }", "{\"v\":\"Alpha\"}", false, "5.2"},
    {"{ $.v != %^Al% }", "{}", false, "5.2 absent"},
    {"{ $.v = %1% }", "{\"v\":1}", false, "5.2 regex vs number (UNCLEAR: false)"},
    {"{ $.eventType = %Trail% }", "{\"eventType\":\"UpdateTrail\"}", true, "4.4"},
    {"{ $.v = %^a.c$% }", "{\"v\":\"abc\"}", true, "4.3"},
    {"{ $.v = %^$% }", "{\"v\":\"\"}", true, "4.3"},
    // Absent properties make every comparison false (azul#5884).
    {"{($.errorCode = \"AccessDenied\") && ($.userIdentity.invokedBy != "
     "\"cloudfront.amazonaws.com\")}",
     "{\"errorCode\":\"AccessDenied\",\"userIdentity\":{}}", false, "5.2 absent and !="},
    {"{($.errorCode = \"AccessDenied\") && ($.userIdentity.invokedBy != "
     "\"cloudfront.amazonaws.com\")}",
     "{\"errorCode\":\"AccessDenied\",\"userIdentity\":{\"invokedBy\":\"s3.amazonaws.com\"}}",
     true, "5.2"},
    {"{ ($.x NOT EXISTS || $.x != \"v\") }", "{}", true, "5.2 absent or different"},
    {"{ ($.x NOT EXISTS || $.x != \"v\") }", "{\"x\":\"w\"}", true, "5.2"},
    {"{ ($.x NOT EXISTS || $.x != \"v\") }", "{\"x\":\"v\"}", false, "5.2"},
    // Selectors (5.2 rule 2).
    {"{ $.arr[0] = \"hit\" }", "{\"arr\":[\"hit\"]}", true, "5.2 [n]"},
    {"{ $.arr[1] = \"hit\" }", "{\"arr\":[\"hit\"]}", false, "5.2 out of range"},
    {"{ $.arr[0] = \"hit\" }", "{\"arr\":{\"0\":\"hit\"}}", false, "5.2 [n] on an object"},
    {"{ $.arr[*] = \"hit\" }", "{\"arr\":{\"0\":\"hit\"}}", true, "5.2 [*] on an object"},
    {"{ $.arr[*] = \"hit\" }", "{\"arr\":[\"x\",\"hit\"]}", true, "5.2 [*] existential"},
    {"{ $.arr[*] = \"hit\" }", "{\"arr\":[\"x\",\"y\"]}", false, "5.2"},
    {"{ $.arr[*] = \"hit\" }", "{\"arr\":\"hit\"}", false, "5.2 [*] on a string"},
    {"{ $.* = \"hit\" }", "{\"a\":\"hit\"}", true, "5.2 .*"},
    {"{ $.* = \"hit\" }", "{\"arr\":[\"hit\",\"hit\"]}", false, "5.2 .* not into arrays"},
    {"{ $.arr.* = \"hit\" }", "{\"arr\":[\"hit\"]}", false, "5.2 .* on an array"},
    {"{ $.* = 1 }", "{\"v\":1,\"v\":2}", false, "5.2.1 last duplicate wins under .*"},
    {"{ $.o[*] = 1 }", "{\"o\":{\"k\":1,\"k\":2}}", false, "5.2.1 last duplicate wins under [*]"},
    {"{ $.o[*] = 2 }", "{\"o\":{\"k\":1,\"k\":2}}", true, "5.2.1"},
    {"{ $.a[*] = * }", "{\"a\":[{},\"x\"]}", true, "5.2 = * existential"},
    {"{ $.a[*] = * }", "{\"a\":[{},[],null,true]}", false, "5.2 = * existential"},
    {"{ $.nested.value = \"hit\" }", "{\"nested\":[{\"value\":\"hit\"}]}", false,
     "5.2 no implicit array descent"},
    {"{ $.nested.value = \"hit\" }", "{\"nested\":null}", false, "5.2"},
    {"{ $.nested.value = \"hit\" }", "{\"nested\":{}}", false, "5.2"},
    {"{ $.nested.value = \"hit\" }", "{\"nested\":{\"value\":\"hit\"}}", true, "5.2"},
    {"{ $.nested[0].value = \"hit\" }", "{\"nested\":[{\"value\":\"hit\"}]}", true, "5.2"},
    {"{ $.a[1][0] = 5 }", "{\"a\":[[1],[5,6]]}", true, "5.2 nested arrays"},
    {"{ $.a[1][1] = 6 }", "{\"a\":[[1],[5,6]]}", true, "5.2 nested arrays"},
    {"{ $.a[*][1] = 6 }", "{\"a\":[[1],[5,6]]}", true, "5.2 nested arrays"},
    {"{ $.a[0][1] = 6 }", "{\"a\":[[1],[5,6]]}", false, "5.2 nested arrays"},
    {"{ $.items[*].a = 1 && $.items[*].b = 2 }", "{\"items\":[{\"a\":1,\"b\":0},{\"a\":0,\"b\":2}]}",
     true, "5.2.3 each condition picks its own candidate"},
    {"{ $.items[*].a = 3 }", "{\"items\":[{\"a\":1},{\"a\":3}]}", true, "5.2"},
    {"{ $.a[*] NOT EXISTS }", "{\"a\":[]}", true, "5.2 empty candidate set"},
    {"{ $.a[*] NOT EXISTS }", "{\"a\":[1]}", false, "5.2"},
    {"{ $.a[*] IS NULL }", "{\"a\":[1,null]}", true, "5.2"},
    {"{ $.a[*] > 5 }", "{\"a\":[1,7]}", true, "5.2"},
    {"{ $.['cluster.name'] = \"x\" }", "{\"cluster.name\":\"x\"}", true, "5.1 bracket key"},
    {"{ $.['cluster.name'] = \"x\" }", "{\"cluster\":{\"name\":\"x\"}}", false, "5.1"},
    {"{ $['cluster.name'] = \"x\" }", "{\"cluster.name\":\"x\"}", true, "5.1 (UNCLEAR form)"},
    {"{ $.cluster.name = \"x\" }", "{\"cluster\":{\"name\":\"x\"}}", true, "5.1"},
    {"{ $.cluster.name = \"x\" }", "{\"cluster.name\":\"x\"}", false, "5.1"},
    {"{ $.EventName = \"x\" }", "{\"eventName\":\"x\"}", false, "keys are case-sensitive"},
    {"{ $.a.b = 1 }", "{\"a\":{\"b\":2},\"a\":{\"b\":1}}", true, "5.2.1 last duplicate wins"},
    {"{ $.a.c = 1 }", "{\"a\":{\"c\":1},\"a\":{\"b\":2}}", false, "5.2.1 last duplicate wins"},
    // Escapes in events: keys and values are compared unescaped.
    {"{ $.eventName = CreateSecurityGroup }", "{\"eventName\":\"Create\\u0053ecurityGroup\"}",
     true, "JSON \\u escape in a value"},
    {"{ $.eventName = CreateSecurityGroup }", "{\"event\\u004eame\":\"CreateSecurityGroup\"}",
     true, "JSON \\u escape in a key"},
    {"{ $.eventName = *Group }", "{\"eventName\":\"Create\\u0053ecurity\\u0047roup\"}", true,
     "escapes and a wildcard"},
    {"{ $.a = \"caf\xC3\xA9\" }", "{\"a\":\"caf\\u00e9\"}", true, "\\u00e9"},
    {"{ $.a = \"caf\xC3\xA9\" }", "{\"a\":\"caf\xC3\xA9\"}", true, "raw UTF-8"},
    {"{ $.a = \"\xF0\x9F\x98\x80\" }", "{\"a\":\"\\ud83d\\ude00\"}", true, "surrogate pair"},
    {"{ $.a = \"a/b\" }", "{\"a\":\"a\\/b\"}", true, "\\/"},
    {"{ $.a = \"say \\\"hi\\\"\" }", "{\"a\":\"say \\\"hi\\\"\"}", true, "\\\" on both sides"},
    {"{ $.a = \"back\\\\slash\" }", "{\"a\":\"back\\\\slash\"}", true, "\\\\ on both sides"},
    {"{ $.a = \"tab\tx\" }", "{\"a\":\"tab\\tx\"}", true, "\\t in the event"},
    {"{ $.a = caf\xC3\xA9 }", "{\"a\":\"caf\xC3\xA9\"}", true, "5.1 non-ASCII bare value"},
    {"{ $.a = \"a\\nb\" }", "{\"a\":\"a\\\\nb\"}", true,
     "5.1 \\n in a pattern string is a backslash and an n"},
    {"{ $.a = \"a\\nb\" }", "{\"a\":\"a\\nb\"}", false, "5.1 not a newline"},
    {"{ $.a = \"}\" }", "{\"a\":\"}\"}", true, "5.1 braces inside a string value"},
    {"{ $.a = x,y }", "{\"a\":\"x,y\"}", true, "5.1 ',' in a bare value"},
};
INSTANTIATE_TEST_SUITE_P(Json, MatcherTableTest, testing::ValuesIn(kJsonCases));

// ---------------------------------------------------------------------------------------------
// Spec 5.3: string equality and the '*' wildcard (JSON values).
const MatchCase kWildcardCases[] = {
    {"{ $.v = \"*Event\" }", "{\"v\":\"MyEvent\"}", true, "5.3 ends with"},
    {"{ $.v = \"*Event\" }", "{\"v\":\"Event\"}", true, "5.3 empty prefix"},
    {"{ $.v = \"*Event\" }", "{\"v\":\"EventX\"}", false, "5.3"},
    {"{ $.v = Event* }", "{\"v\":\"EventX\"}", true, "5.3 starts with"},
    {"{ $.v = Event* }", "{\"v\":\"Event\"}", true, "5.3"},
    {"{ $.v = Event* }", "{\"v\":\"MyEvent\"}", false, "5.3"},
    {"{ $.v = *.html* }", "{\"v\":\"/index.html?x=1\"}", true, "5.3 contains"},
    {"{ $.v = *.html* }", "{\"v\":\".html\"}", true, "5.3"},
    {"{ $.v = *.html* }", "{\"v\":\"/index.htm\"}", false, "5.3"},
    {"{ $.v = 123.123.* }", "{\"v\":\"123.123.4.5\"}", true, "5.3"},
    {"{ $.v = 123.123.* }", "{\"v\":\"123.124.4.5\"}", false, "5.3"},
    {"{ $.v = \"Ev*ent\" }", "{\"v\":\"Ev*ent\"}", true, "5.3 inner * is literal"},
    {"{ $.v = \"Ev*ent\" }", "{\"v\":\"Event\"}", false, "5.3 inner * is literal"},
    {"{ $.v = \"Ev*ent\" }", "{\"v\":\"EvXent\"}", false, "5.3 inner * is literal"},
    {"{ $.v = \"a?b\" }", "{\"v\":\"a?b\"}", true, "5.3 ? is literal"},
    {"{ $.v = \"a?b\" }", "{\"v\":\"axb\"}", false, "5.3 ? is literal"},
    {"{ $.v = \"\" }", "{\"v\":\"\"}", true, "5.3 empty string"},
    {"{ $.v = \"\" }", "{\"v\":\"x\"}", false, "5.3 empty string"},
    {"{ $.v = \"\" }", "{}", false, "5.3 empty string"},
    {"{ $.errorCode = \"*UnauthorizedOperation\" }",
     "{\"errorCode\":\"Client.UnauthorizedOperation\"}", true, "5.3 SH pattern"},
    {"{ $.errorCode = \"*UnauthorizedOperation\" }", "{\"errorCode\":\"UnauthorizedOperation\"}",
     true, "5.3"},
    {"{ $.errorCode = \"AccessDenied*\" }", "{\"errorCode\":\"AccessDeniedException\"}", true,
     "5.3"},
    {"{ $.errorCode = \"AccessDenied*\" }", "{\"errorCode\":\"accessDenied\"}", false, "5.3"},
    {"{ $.v = \"*\" }", "{\"v\":\"\"}", true, "5.3 * alone"},
    {"{ $.v != Event* }", "{\"v\":\"Other\"}", true, "5.3 negated"},
    {"{ $.v != Event* }", "{\"v\":\"EventX\"}", false, "5.3 negated"},
    {"{ $.v = 12* }", "{\"v\":\"123\"}", true, "5.3 a string starting with digits"},
};
INSTANTIATE_TEST_SUITE_P(Wildcards, MatcherTableTest, testing::ValuesIn(kWildcardCases));

// ---------------------------------------------------------------------------------------------
// Spec 3.3-style combining inside JSON: && / || / () over many conditions.
const MatchCase kBooleanCases[] = {
    {"{ $.a = 1 || $.b = 1 && $.c = 1 }", "{\"a\":1}", true, "5.1 && binds tighter"},
    {"{ $.a = 1 || $.b = 1 && $.c = 1 }", "{\"b\":1}", false, "5.1"},
    {"{ ($.a = 1 || $.b = 1) && $.c = 1 }", "{\"a\":1}", false, "5.1 parentheses"},
    {"{ ($.a = 1 || $.b = 1) && $.c = 1 }", "{\"b\":1,\"c\":1}", true, "5.1"},
    {"{ $.a = 1 && $.b = 1 || $.c = 1 && $.d = 1 }", "{\"c\":1,\"d\":1}", true, "5.1"},
    {"{ $.a = 1 && $.b = 1 || $.c = 1 && $.d = 1 }", "{\"a\":1,\"d\":1}", false, "5.1"},
};
INSTANTIATE_TEST_SUITE_P(Boolean, MatcherTableTest, testing::ValuesIn(kBooleanCases));

// Every assignment of four flags against several trees: the jump-table evaluation must agree with
// the boolean formula.
TEST(MatcherTest, BooleanTreesAgreeWithTruthTables) {
  struct Formula {
    std::string_view pattern;
    bool (*eval)(bool a, bool b, bool c, bool d);
  };
  const Formula formulas[] = {
      {"{ $.a = 1 || $.b = 1 || $.c = 1 || $.d = 1 }",
       [](bool a, bool b, bool c, bool d) { return a || b || c || d; }},
      {"{ $.a = 1 && $.b = 1 && $.c = 1 && $.d = 1 }",
       [](bool a, bool b, bool c, bool d) { return a && b && c && d; }},
      {"{ ($.a = 1 || $.b = 1) && ($.c = 1 || $.d = 1) }",
       [](bool a, bool b, bool c, bool d) { return (a || b) && (c || d); }},
      {"{ $.a = 1 && $.b = 1 || $.c = 1 && $.d = 1 }",
       [](bool a, bool b, bool c, bool d) { return (a && b) || (c && d); }},
      {"{ $.a = 1 && ($.b = 1 || ($.c = 1 && $.d = 1)) }",
       [](bool a, bool b, bool c, bool d) { return a && (b || (c && d)); }},
      {"{ $.a = 1 || $.b = 1 && $.c = 1 || $.d = 1 }",
       [](bool a, bool b, bool c, bool d) { return a || (b && c) || d; }},
      {"{ (($.a = 1 || $.b = 1) && $.c = 1) || $.d = 1 }",
       [](bool a, bool b, bool c, bool d) { return ((a || b) && c) || d; }},
      // Here flag b means "b is absent".
      {"{ $.a = 1 && ($.b NOT EXISTS || $.c = 1) && $.d != 1 }",
       [](bool a, bool b, bool c, bool d) { return a && (b || c) && !d; }},
  };
  for (const Formula& formula : formulas) {
    auto matcher = Matcher::compile(formula.pattern);
    ASSERT_TRUE(matcher.ok()) << matcher.error().describe();
    for (unsigned bits = 0; bits < 16; ++bits) {
      const bool a = (bits & 1u) != 0;
      const bool b = (bits & 2u) != 0;
      const bool c = (bits & 4u) != 0;
      const bool d = (bits & 8u) != 0;
      // Each flag is 1 (true) or 0 (false), always present so that != behaves as negation.
      const std::string event = std::string("{\"a\":") + (a ? "1" : "0") + ",\"b\":" +
                                (b ? "1" : "0") + ",\"c\":" + (c ? "1" : "0") + ",\"d\":" +
                                (d ? "1" : "0") + "}";
      // For the NOT EXISTS formula, b true leaves "b" out of the event.
      const std::string event_without_b =
          std::string("{\"a\":") + (a ? "1" : "0") + (b ? "" : ",\"b\":0") + ",\"c\":" +
          (c ? "1" : "0") + ",\"d\":" + (d ? "1" : "0") + "}";
      const bool uses_not_exists = formula.pattern.find("NOT EXISTS") != std::string_view::npos;
      const std::string& message = uses_not_exists ? event_without_b : event;
      EXPECT_EQ(matcher->matches(message), formula.eval(a, b, c, d))
          << formula.pattern << " on " << message;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Spec 13: CIS 4.10.
constexpr std::string_view kCis410 =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = "
    "AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName "
    "= RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = "
    "DeleteSecurityGroup) }";

const std::string_view kCis410Layouts[] = {
    kCis410,
    "{($.eventName=AuthorizeSecurityGroupIngress)||($.eventName=AuthorizeSecurityGroupEgress)||"
    "($.eventName=RevokeSecurityGroupIngress)||($.eventName=RevokeSecurityGroupEgress)||($."
    "eventName=CreateSecurityGroup)||($.eventName=DeleteSecurityGroup)}",
    "{ $.eventName = \"AuthorizeSecurityGroupIngress\" || $.eventName = "
    "\"AuthorizeSecurityGroupEgress\" || $.eventName = \"RevokeSecurityGroupIngress\" || "
    "$.eventName = \"RevokeSecurityGroupEgress\" || $.eventName = \"CreateSecurityGroup\" || "
    "$.eventName = \"DeleteSecurityGroup\" }",
    "{\r\n\t($.eventName = AuthorizeSecurityGroupIngress) ||\r\n\t($.eventName = "
    "AuthorizeSecurityGroupEgress) ||\r\n\t($.eventName = RevokeSecurityGroupIngress) "
    "||\r\n\t($.eventName = RevokeSecurityGroupEgress) ||\r\n\t($.eventName = "
    "CreateSecurityGroup) ||\r\n\t($.eventName = DeleteSecurityGroup)\r\n}",
    "\n{\n    ($.eventName = AuthorizeSecurityGroupIngress) ||\n    ($.eventName = "
    "AuthorizeSecurityGroupEgress) ||\n    ($.eventName = RevokeSecurityGroupIngress) ||\n    "
    "($.eventName = RevokeSecurityGroupEgress) ||\n    ($.eventName = CreateSecurityGroup) ||\n  "
    "  ($.eventName = DeleteSecurityGroup)\n}\n",
};

struct CisEvent {
  std::string_view event;
  bool match;
};

const CisEvent kCisEvents[] = {
    {"{\"eventVersion\":\"1.08\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":"
     "\"CreateSecurityGroup\",\"awsRegion\":\"us-east-1\"}",
     true},
    {"{\"eventName\":\"AuthorizeSecurityGroupIngress\"}", true},
    {"{\"eventName\":\"AuthorizeSecurityGroupEgress\"}", true},
    {"{\"eventName\":\"RevokeSecurityGroupIngress\"}", true},
    {"{\"eventName\":\"RevokeSecurityGroupEgress\"}", true},
    {"{\"eventName\":\"DeleteSecurityGroup\"}", true},
    {"{\"eventName\":\"AuthorizeSecurityGroupIngress\",\"errorCode\":"
     "\"Client.UnauthorizedOperation\"}",
     true},
    {"{\"eventName\":\"Create\\u0053ecurityGroup\"}", true},
    {"{\"eventName\":\"ModifySecurityGroupRules\"}", false},
    {"{\"eventName\":\"UpdateSecurityGroupRuleDescriptionsIngress\"}", false},
    {"{\"eventName\":\"DescribeSecurityGroups\"}", false},
    {"{\"eventName\":\"ModifyInstanceAttribute\"}", false},
    {"{\"detail\":{\"eventName\":\"CreateSecurityGroup\"}}", false},
    {"{\"Records\":[{\"eventName\":\"CreateSecurityGroup\"}]}", false},
    {"CreateSecurityGroup", false},
    {"2024-01-01 eventName=CreateSecurityGroup", false},
    {"{\"eventName\":\"createsecuritygroup\"}", false},
    {"{\"eventName\":\"CreateSecurityGroupX\"}", false},
    {"{\"eventName\":\"XCreateSecurityGroup\"}", false},
    {"{\"eventName\":[\"CreateSecurityGroup\"]}", false},
    {"{\"eventName\":\"CreateSecurityGroup\",\"eventName\":\"DescribeSecurityGroups\"}", false},
    {"{\"eventname\":\"CreateSecurityGroup\"}", false},
};

TEST(MatcherTest, Cis410InEveryLayout) {
  for (std::string_view layout : kCis410Layouts) {
    auto matcher = Matcher::compile(layout);
    ASSERT_TRUE(matcher.ok()) << matcher.error().describe();
    for (const CisEvent& e : kCisEvents) {
      Subject subject(e.event);
      EXPECT_EQ(matcher->matches(subject), e.match)
          << "layout '" << core::printable(layout, 60) << "' event " << e.event;
      if (e.match) {
        EXPECT_TRUE(matcher->prefilter().may_match(e.event)) << e.event;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Spec 6: space-delimited patterns — binding (6.3) and conditions (6.4).
const MatchCase kDelimitedCases[] = {
    // 6.3 binding.
    {"[w1=ERROR, w2]", "ERROR request failed", true, "6.3 last entry takes the rest"},
    {"[w1=ERROR, w2]", "ERROR", false, "6.3 too few fields"},
    {"[w1=ERROR, w2]", "WARN request", false, "6.3"},
    {"[w1=ERROR || w1=WARNING, w2]", "WARNING disk full", true, "6.4 ||"},
    {"[ip, ..., status, bytes]", "ERROR request failed", true, "6.3 ellipsis absorbs zero"},
    {"[ip, ..., status, bytes]", "WARNING request", false, "6.3 too few fields"},
    {"[..., bytes]", "ERROR", true, "6.3"},
    {"[]", "one", true, "6.1 [] matches everything"},
    {"[]", "a b c", true, "6.1"},
    {"[a, b, c]", "x y", false, "6.3 too few fields"},
    {"[a, b, c]", "x y z", true, "6.3"},
    {"[a, ..., c]", "x", false, "6.3 too few fields"},
    {"[a, ..., c = w]", "x y z w", true, "6.3 entries after ... bind to the last fields"},
    {"[a, ..., c = z]", "x y z w", false, "6.3"},
    {"[a = x, ...]", "x y z", true, "6.3"},
    {"[..., c = z]", "x y z", true, "6.3"},
    {"[a = 404]", "404 extra", false, "6.3 the last entry holds the rest"},
    // Apache example (spec 6.2 / 6.3).
    {"[ip, user, username, timestamp, request, status_code, bytes > 1000]",
     "127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534",
     true, "6.3"},
    {"[ip, user, username, timestamp, request, status_code, bytes > 1000]",
     "127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534 "
     "extra",
     false, "6.3 bytes = '1534 extra'"},
    {"[ip, user, username, timestamp, request, status_code = 404, bytes]",
     "127.0.0.5  -  frank  [10/Oct/2000:13:25:15 -0700]  \"GET /a HTTP/1.0\"  404  1534", true,
     "6.2 runs of spaces"},
    {"[ip, user, username, timestamp, request, status_code = 404, bytes]",
     "127.0.0.5\t-\tfrank\t[10/Oct/2000:13:25:15 -0700]\t\"GET /a HTTP/1.0\"\t404\t1534", true,
     "6.2 tabs"},
    {"[ip, user, username, timestamp, request = \"GET /a HTTP/1.0\", status_code, bytes]",
     "127.0.0.5 - frank [10/Oct/2000:13:25:15 -0700] \"GET /a HTTP/1.0\" 404 1534", true,
     "6.2 quotes removed"},
    {"[ip, user, username, timestamp = \"10/Oct/2000:13:25:15 -0700\", request, status_code, "
     "bytes]",
     "127.0.0.5 - frank [10/Oct/2000:13:25:15 -0700] \"GET /a HTTP/1.0\" 404 1534", true,
     "6.2 brackets removed"},
    {"[a, b = \"unterminated\", c]", "ERROR \"unterminated words", false,
     "6.2 an unterminated quote is ordinary text"},
    {"[a, b = \"\\\"unterminated\", c]", "ERROR \"unterminated words", true, "6.2"},
    // 6.4 conditions.
    {"[a = 404]", "404", true, "6.4 number"},
    {"[a = 404]", "405", false, "6.4"},
    {"[a = 404]", "abc", false, "6.4 text vs number"},
    {"[a = 1e3]", "1000", true, "6.4 numeric comparison"},
    {"[a != 404]", "405", true, "6.4"},
    {"[a != 404]", "404", false, "6.4"},
    {"[a != 404]", "abc", true, "6.4 text compared with the literal"},
    {"[a > 1000]", "1534", true, "6.4"},
    {"[a > 1000]", "999", false, "6.4"},
    {"[a > 1000]", "-", false, "6.4 not a number"},
    {"[a > 1000]", "1e4", true, "6.4"},
    {"[a < 10]", "abc", false, "6.4"},
    {"[a < 10]", "-5", true, "6.4"},
    {"[a >= 10]", "10", true, "6.4"},
    {"[a <= 10]", "10.0", true, "6.4"},
    {"[a = %^1[0-9]+$%]", "123", true, "6.4 regex"},
    {"[a = %^1[0-9]+$%]", "23", false, "6.4 regex"},
    {"[a != %x%]", "abc", true, "6.4 negated regex"},
    {"[a != %x%]", "xyz", false, "6.4 negated regex"},
    {"[ip = %127\\.0\\.0\\.[1-9]%, ...]", "127.0.0.10 GET", true, "6.4 unanchored"},
    {"[ip = %127\\.0\\.0\\.[1-9]%, ...]", "127.0.0.0 GET", false, "6.4"},
    {"[a, request = *.html*, b]", "x \"GET /index.html HTTP/1.0\" 200", true, "6.4 contains"},
    {"[a, request = *.html*, b]", "x \"GET /index.php HTTP/1.0\" 200", false, "6.4"},
    {"[status = 4*]", "404", true, "6.4 starts with"},
    {"[status = 4*]", "4", true, "6.4"},
    {"[status = 4*]", "500", false, "6.4"},
    {"[status = *4]", "404", true, "6.4 ends with"},
    {"[status = 404 || status = 410]", "410", true, "6.4 ||"},
    {"[status = 404 || status = 410]", "500", false, "6.4 ||"},
    {"[b > 1 && b < 10]", "5", true, "6.4 &&"},
    {"[b > 1 && b < 10]", "10", false, "6.4 &&"},
    {"[b = 0 || b > 1 && b < 10]", "0", true, "6.4 && binds tighter"},
    {"[b = 0 || b > 1 && b < 10]", "12", false, "6.4"},
    {"[a = *]", "x", true, "6.4 any"},
    {"[a != *]", "x", false, "6.4"},
    {"[a = \"x y\", b]", "\"x y\" z", true, "6.4 quoted value"},
    {"[kind = \"SPACE\", value, bucket]", "SPACE 13 A", true, "6.1 quoted value"},
    {"[kind = SPACE, value, bucket]", "SPACE 13 A", true, "6.1 bare value (UNCLEAR: accepted)"},
    {"[a = ERROR]", "error", false, "6.4 case-sensitive"},
    {"[a = \"GET*\", b]", "\"GET /x\" y", true, "6.4 wildcard on a quoted field"},
    {"[request_id = \"*-*\"]", "abc-def", true, "6.4 '*-*' contains '-'"},
    {"[a = \"\"]", "\"\"", true, "6.4 empty quoted field"},
    {"[a = \"404\"]", "404", true, "6.4 quoted number: text"},
    {"[a = \"404\"]", "404.0", false, "6.4 quoted number: text"},
    {"[a != 404]", "-", true, "6.4 text compared with the literal"},
    {"[a = \"x y\"]", "  x y ", true, "6.3 leading separators skipped, trailing removed"},
    {"[a, b = y]", "x y\n", true, "6.2 a trailing line break belongs to no field"},
};
INSTANTIATE_TEST_SUITE_P(Delimited, MatcherTableTest, testing::ValuesIn(kDelimitedCases));

// ---------------------------------------------------------------------------------------------
// Spec 6.2: splitting an event into fields.
struct SplitCase {
  std::string_view message;
  std::vector<std::string_view> fields;
};

void PrintTo(const SplitCase& c, std::ostream* os) { *os << "'" << core::printable(c.message) << "'"; }

const SplitCase kSplits[] = {
    {"127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534",
     {"127.0.0.1", "Prod", "frank", "10/Oct/2000:13:25:15 -0700", "GET /index.html HTTP/1.0",
      "404", "1534"}},
    {"a  b", {"a", "b"}},
    {"\ta\tb\t", {"a", "b"}},
    {" a \t b ", {"a", "b"}},
    {"", {}},
    {" \t ", {}},
    {"one", {"one"}},
    {"ERROR \"unterminated words", {"ERROR", "\"unterminated", "words"}},
    {"a [b c", {"a", "[b", "c"}},
    {"\"\" x", {"", "x"}},
    {"[] x", {"", "x"}},
    {"a\"b c\"", {"a\"b", "c\""}},
    {"\"[x]\" [y \"z\"]", {"[x]", "y \"z\""}},
    {"x]y", {"x]y"}},
    {"\"ab\"cd ef", {"ab", "cd", "ef"}},
    {"x y\n", {"x", "y"}},
    {"x y \r\n", {"x", "y"}},
};

class SplitFieldsTest : public testing::TestWithParam<SplitCase> {};

TEST_P(SplitFieldsTest, Fields) {
  const SplitCase& c = GetParam();
  std::vector<DelimitedField> fields;
  split_fields(c.message, fields);
  std::vector<std::string_view> values;
  for (const DelimitedField& field : fields) values.push_back(field.value);
  EXPECT_EQ(values, c.fields);
}

INSTANTIATE_TEST_SUITE_P(Table, SplitFieldsTest, testing::ValuesIn(kSplits));

TEST(SplitFieldsTest, RawBeginPointsAtTheOpeningCharacter) {
  std::vector<DelimitedField> fields;
  split_fields("a  \"b c\"\t[d]", fields);
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0].raw_begin, 0u);
  EXPECT_EQ(fields[1].raw_begin, 3u);
  EXPECT_EQ(fields[2].raw_begin, 9u);
}

// ---------------------------------------------------------------------------------------------
// Spec 6.5: extracted values of delimited patterns ("$name", and "$N" for fields under "...").
struct ExtractCase {
  std::string_view pattern;
  std::string_view event;
  bool match;
  std::vector<std::pair<std::string, std::string>> extracted;
};

void PrintTo(const ExtractCase& c, std::ostream* os) {
  *os << "pattern '" << c.pattern << "' event '" << core::printable(c.event, 200) << "'";
}

const ExtractCase kExtracts[] = {
    {"[w1=ERROR, w2]", "ERROR request failed", true, {{"$w1", "ERROR"}, {"$w2", "request failed"}}},
    {"[w1=ERROR, w2]", "ERROR x", true, {{"$w1", "ERROR"}, {"$w2", "x"}}},
    {"[ip, user, username, timestamp, request, status_code, bytes]",
     "127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534",
     true,
     {{"$ip", "127.0.0.1"},
      {"$user", "Prod"},
      {"$username", "frank"},
      {"$timestamp", "10/Oct/2000:13:25:15 -0700"},
      {"$request", "GET /index.html HTTP/1.0"},
      {"$status_code", "404"},
      {"$bytes", "1534"}}},
    {"[ip, user, username, timestamp, request, status_code, bytes]",
     "127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534 "
     "extra",
     true,
     {{"$ip", "127.0.0.1"},
      {"$user", "Prod"},
      {"$username", "frank"},
      {"$timestamp", "10/Oct/2000:13:25:15 -0700"},
      {"$request", "GET /index.html HTTP/1.0"},
      {"$status_code", "404"},
      {"$bytes", "1534 extra"}}},
    {"[a, b]", "x \"y z\" [w]  ", true, {{"$a", "x"}, {"$b", "\"y z\" [w]"}}},
    {"[a, b]", "x \"y z\"", true, {{"$a", "x"}, {"$b", "y z"}}},
    {"[a, b]", "x  y\tz \t", true, {{"$a", "x"}, {"$b", "y\tz"}}},
    {"[ip, ..., status, bytes]", "ERROR request failed", true,
     {{"$ip", "ERROR"}, {"$status", "request"}, {"$bytes", "failed"}}},
    {"[..., bytes]", "ERROR", true, {{"$bytes", "ERROR"}}},
    {"[]", "one", true, {{"$1", "one"}}},
    {"[]", "a \"b c\" [d]", true, {{"$1", "a"}, {"$2", "b c"}, {"$3", "d"}}},
    {"[...]", "a b", true, {{"$1", "a"}, {"$2", "b"}}},
    {"[..., status]", "a b c", true, {{"$1", "a"}, {"$2", "b"}, {"$status", "c"}}},
    {"[a, ...]", "x y z", true, {{"$a", "x"}, {"$2", "y"}, {"$3", "z"}}},
    {"[a, ..., c]", "x y", true, {{"$a", "x"}, {"$c", "y"}}},
    {"[a, ..., c]", "x y z w", true, {{"$a", "x"}, {"$2", "y"}, {"$3", "z"}, {"$c", "w"}}},
    {"[kind = \"SPACE\", value, bucket]", "SPACE 13 A", true,
     {{"$kind", "SPACE"}, {"$value", "13"}, {"$bucket", "A"}}},
    {"[w1=ERROR, w2]", "WARN x", false, {}},
    {"[a, b, c]", "x y", false, {}},
};

class ExtractTest : public testing::TestWithParam<ExtractCase> {};

TEST_P(ExtractTest, Values) {
  const ExtractCase& c = GetParam();
  auto matcher = Matcher::compile(c.pattern);
  ASSERT_TRUE(matcher.ok()) << matcher.error().describe();
  Subject subject(c.event);
  ExtractedValues extracted{{"stale", "value"}};
  EXPECT_EQ(matcher->match(subject, &extracted), c.match);
  if (c.match) {
    EXPECT_EQ(extracted, c.extracted);
  }
}

INSTANTIATE_TEST_SUITE_P(Table, ExtractTest, testing::ValuesIn(kExtracts));

TEST(MatcherTest, OtherKindsExtractNothing) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"{ $.a = 1 }", "{\"a\":1}"},
      {"ERROR", "ERROR x"},
      {"%ERR%", "ERROR x"},
      {"", "anything"},
  };
  for (const auto& [pattern, event] : cases) {
    auto matcher = Matcher::compile(pattern);
    ASSERT_TRUE(matcher.ok()) << matcher.error().describe();
    Subject subject(event);
    ExtractedValues extracted{{"stale", "value"}};
    EXPECT_TRUE(matcher->match(subject, &extracted)) << pattern;
    EXPECT_TRUE(extracted.empty()) << pattern;
  }
}

// ---------------------------------------------------------------------------------------------
// Subjects and sharing.

TEST(MatcherTest, OneSubjectServesSeveralPatternsAndIsReusable) {
  auto json = Matcher::compile("{ $.eventName = CreateSecurityGroup }");
  auto delimited = Matcher::compile("[first, ...]");
  auto terms = Matcher::compile("CreateSecurityGroup");
  ASSERT_TRUE(json.ok() && delimited.ok() && terms.ok());
  Subject subject;
  const std::string_view events[] = {
      "{\"eventName\":\"CreateSecurityGroup\"}",
      "CreateSecurityGroup as text",
      "{\"eventName\":\"DeleteVpc\"}",
      "{\"eventName\":\"CreateSecurityGroup\"}",
  };
  const bool json_expected[] = {true, false, false, true};
  const bool terms_expected[] = {true, true, false, true};
  for (std::size_t i = 0; i < std::size(events); ++i) {
    subject.reset(events[i]);
    EXPECT_EQ(json->matches(subject), json_expected[i]) << events[i];
    EXPECT_EQ(terms->matches(subject), terms_expected[i]) << events[i];
    ExtractedValues extracted;
    EXPECT_TRUE(delimited->match(subject, &extracted));
    ASSERT_FALSE(extracted.empty());
    EXPECT_EQ(extracted[0].first, "$first");
    EXPECT_EQ(json->matches(subject), json_expected[i]) << "second use of the same subject";
  }
}

TEST(MatcherTest, CopiesShareTheProgram) {
  auto compiled = Matcher::compile("{ $.a = 1 }");
  ASSERT_TRUE(compiled.ok());
  const Matcher copy = *compiled;
  EXPECT_EQ(&copy.ast(), &compiled->ast());
  EXPECT_EQ(copy.text(), "{ $.a = 1 }");
  EXPECT_EQ(copy.kind(), PatternKind::kJson);
  EXPECT_TRUE(copy.matches("{\"a\":1}"));
}

TEST(MatcherTest, DeeplyNestedEventsDoNotCrash) {
  const std::string deep_array = std::string(2000, '[') + std::string(2000, ']');
  std::string deep_object;
  for (int i = 0; i < 2000; ++i) deep_object += "{\"a\":";
  deep_object += "1" + std::string(2000, '}');
  const std::string inside = "{\"v\":" + deep_array + "}";
  for (std::string_view pattern : {"{ $.v NOT EXISTS }", "{ $.a.a = * }", "{ $.v[0][0] IS NULL }"}) {
    auto matcher = Matcher::compile(pattern);
    ASSERT_TRUE(matcher.ok());
    EXPECT_FALSE(matcher->matches(deep_array)) << pattern;
    EXPECT_FALSE(matcher->matches(deep_object)) << pattern;
    EXPECT_FALSE(matcher->matches(inside)) << pattern;
  }
}

// One Matcher, four threads, many events: the same answers as a single thread.
TEST(MatcherTest, ThreadSafety) {
  const std::string_view patterns[] = {
      kCis410,
      "{ $.requestParameters.ipPermissions.items[0].ipRanges.items[*].cidrIp = \"0.0.0.0/0\" }",
      "{ $.eventName = %Security% && $.errorCode NOT EXISTS }",
      "[ip, user, ..., status = 4* || status = 5*, bytes > 100]",
      "?ERROR ?CreateSecurityGroup -DEBUG",
      "%Group\\d%",
  };
  const std::string_view names[] = {"CreateSecurityGroup", "DeleteSecurityGroup",
                                    "DescribeInstances", "Create\\u0053ecurityGroup",
                                    "AuthorizeSecurityGroupIngress"};
  std::vector<std::string> events;
  for (int i = 0; i < 3000; ++i) {
    const auto k = static_cast<std::size_t>(i);
    switch (i % 4) {
      case 0:
        events.push_back("{\"eventName\":\"" + std::string(names[k % std::size(names)]) + "\"" +
                         (i % 3 == 0 ? ",\"errorCode\":\"AccessDenied\"" : "") + ",\"n\":" +
                         std::to_string(i) + "}");
        break;
      case 1:
        events.push_back("10.0.0." + std::to_string(i % 256) + " user - " +
                         std::to_string(400 + i % 200) + " " + std::to_string(i % 500));
        break;
      case 2:
        events.push_back((i % 3 == 0 ? "ERROR " : "DEBUG ") + std::string(names[k % 5]) + " Group" +
                         std::to_string(i % 10));
        break;
      default:
        events.push_back("{\"requestParameters\":{\"ipPermissions\":{\"items\":[{\"ipRanges\":{"
                         "\"items\":[{\"cidrIp\":\"" +
                         std::string((i / 4) % 2 == 0 ? "0.0.0.0/0" : "10.0.0.0/8") + "\"}]}}]}}}");
        break;
    }
  }
  for (std::string_view pattern : patterns) {
    auto compiled = Matcher::compile(pattern);
    ASSERT_TRUE(compiled.ok()) << compiled.error().describe();
    const Matcher& matcher = *compiled;
    std::vector<char> expected(events.size());
    std::size_t hits = 0;
    {
      Subject subject;
      for (std::size_t i = 0; i < events.size(); ++i) {
        subject.reset(events[i]);
        expected[i] = matcher.matches(subject) ? 1 : 0;
        hits += static_cast<std::size_t>(expected[i]);
      }
    }
    EXPECT_GT(hits, 0u) << pattern;
    EXPECT_LT(hits, events.size()) << pattern;
    std::array<std::vector<char>, 4> results;
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < results.size(); ++t) {
      threads.emplace_back([&, t] {
        Subject subject;
        std::vector<char>& out = results[t];
        out.assign(events.size(), 0);
        for (int round = 0; round < 3; ++round) {
          for (std::size_t i = 0; i < events.size(); ++i) {
            // Threads walk the events in different orders; odd threads use the thread_local path.
            const std::size_t j = (t % 2 == 0) ? i : events.size() - 1 - i;
            bool hit = false;
            if (t % 2 == 0) {
              subject.reset(events[j]);
              ExtractedValues extracted;
              hit = matcher.match(subject, &extracted);
            } else {
              hit = matcher.matches(events[j]);
            }
            if (round == 0) {
              out[j] = hit ? 1 : 0;
            } else if (out[j] != (hit ? 1 : 0)) {
              out[j] = 2;  // unstable answer
            }
          }
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    for (std::size_t t = 0; t < results.size(); ++t) {
      EXPECT_EQ(results[t], expected) << "thread " << t << " pattern " << pattern;
    }
  }
}

}  // namespace
}  // namespace sgwatch::pattern
