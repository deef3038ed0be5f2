// Unit tests of the parser (pattern/parser.h): a table of accepted patterns and the compact AST
// dump (pattern/dump.h) each one must produce, and a table of rejected patterns with the error
// code and byte position (spec sections 2, 3.1, 5.1, 6.1 and the list of section 8).
// Neighbours: lexer_test.cpp below it, checker_test.cpp after it.
#include "pattern/parser.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

#include "core/text.h"
#include "pattern/dump.h"

namespace sgwatch::pattern {
namespace {

struct DumpCase {
  std::string_view pattern;
  std::string_view dump;
};

void PrintTo(const DumpCase& c, std::ostream* os) { *os << "'" << core::printable(c.pattern) << "'"; }

constexpr std::string_view kCis410 =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = "
    "AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName "
    "= RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = "
    "DeleteSecurityGroup) }";
constexpr std::string_view kCis410Dump =
    "json(or(eq($.eventName,\"AuthorizeSecurityGroupIngress\") "
    "eq($.eventName,\"AuthorizeSecurityGroupEgress\") "
    "eq($.eventName,\"RevokeSecurityGroupIngress\") "
    "eq($.eventName,\"RevokeSecurityGroupEgress\") eq($.eventName,\"CreateSecurityGroup\") "
    "eq($.eventName,\"DeleteSecurityGroup\")))";

const DumpCase kDumps[] = {
    // Dispatch (spec 2).
    {"", "all"},
    {" ", "all"},
    {" \t\r\n ", "all"},
    {"%ERROR%", "regex(%ERROR%)"},
    {"  %a b%\n", "regex(%a b%)"},
    {"%%", "regex(%%)"},  // parses; the checker rejects the empty body
    {"%", "terms(+%)"},
    {"%abc", "terms(+%abc)"},
    {"50%", "terms(+50%)"},
    {"\"%bar%\"", "terms(+\"%bar%\")"},  // a quoted regex is a literal phrase
    {"ERROR", "terms(+ERROR)"},
    {"?ERROR ?WARN -\"BAD REQUEST\" x", "terms(?ERROR ?WARN -\"BAD REQUEST\" +x)"},
    {"  ERROR  ", "terms(+ERROR)"},
    {"\" \"", "terms(+\" \")"},
    {"{$.a=1}", "json(eq($.a,#1))"},
    {"  { $.a = 1 }  ", "json(eq($.a,#1))"},
    {"[]", "delim()"},
    {"[ ]", "delim()"},
    {" [a] ", "delim(a)"},

    // JSON: precedence () > && > ||, left to right, chains flattened.
    {"{ $.eventName = \"A\" || $.x NOT EXISTS }", "json(or(eq($.eventName,\"A\") absent($.x)))"},
    {"{ $.a = 1 || $.b = 2 && $.c = 3 }", "json(or(eq($.a,#1) and(eq($.b,#2) eq($.c,#3))))"},
    {"{ $.a = 1 && $.b = 2 || $.c = 3 }", "json(or(and(eq($.a,#1) eq($.b,#2)) eq($.c,#3)))"},
    {"{ $.a = 1 && $.b = 2 || $.c = 3 && $.d = 4 }",
     "json(or(and(eq($.a,#1) eq($.b,#2)) and(eq($.c,#3) eq($.d,#4))))"},
    {"{ ($.a = 1 || $.b = 2) && $.c = 3 }", "json(and(or(eq($.a,#1) eq($.b,#2)) eq($.c,#3)))"},
    {"{ $.a = 1 && ($.b = 2 || $.c = 3) }", "json(and(eq($.a,#1) or(eq($.b,#2) eq($.c,#3))))"},
    {"{ $.a = 1 && $.b = 2 && $.c = 3 }", "json(and(eq($.a,#1) eq($.b,#2) eq($.c,#3)))"},
    {"{ $.a = 1 && ($.b = 2 && $.c = 3) }", "json(and(eq($.a,#1) eq($.b,#2) eq($.c,#3)))"},
    {"{ ($.a = 1 || $.b = 2) || ($.c = 3 || $.d = 4) }",
     "json(or(eq($.a,#1) eq($.b,#2) eq($.c,#3) eq($.d,#4)))"},
    {"{ (($.a = 1)) }", "json(eq($.a,#1))"},
    {"{ ((($.a = 1) || ($.b = 2)) && $.c = 3) }",
     "json(and(or(eq($.a,#1) eq($.b,#2)) eq($.c,#3)))"},
    {"{ $.a = 1 || ($.b = 2 && ($.c = 3 || $.d = 4)) }",
     "json(or(eq($.a,#1) and(eq($.b,#2) or(eq($.c,#3) eq($.d,#4)))))"},

    // CIS 4.10 (spec 13) in several layouts: all the same tree.
    {kCis410, kCis410Dump},
    {"{($.eventName=AuthorizeSecurityGroupIngress)||($.eventName=AuthorizeSecurityGroupEgress)||"
     "($.eventName=RevokeSecurityGroupIngress)||($.eventName=RevokeSecurityGroupEgress)||($."
     "eventName=CreateSecurityGroup)||($.eventName=DeleteSecurityGroup)}",
     kCis410Dump},
    {"{ $.eventName = \"AuthorizeSecurityGroupIngress\" || $.eventName = "
     "\"AuthorizeSecurityGroupEgress\" || $.eventName = \"RevokeSecurityGroupIngress\" || "
     "$.eventName = \"RevokeSecurityGroupEgress\" || $.eventName = \"CreateSecurityGroup\" || "
     "$.eventName = \"DeleteSecurityGroup\" }",
     kCis410Dump},
    {"{\r\n\t($.eventName = AuthorizeSecurityGroupIngress) ||\r\n\t($.eventName = "
     "AuthorizeSecurityGroupEgress) ||\r\n\t($.eventName = RevokeSecurityGroupIngress) "
     "||\r\n\t($.eventName = RevokeSecurityGroupEgress) ||\r\n\t($.eventName = "
     "CreateSecurityGroup) ||\r\n\t($.eventName = DeleteSecurityGroup)\r\n}\r\n",
     kCis410Dump},
    {"{\n  $.eventName = CreateVpc\n  &&\n  $.errorCode NOT EXISTS\n}",
     "json(and(eq($.eventName,\"CreateVpc\") absent($.errorCode)))"},

    // JSON conditions and values (spec 5.1).
    {"{ $.a IS NULL }", "json(null($.a))"},
    {"{ $.a IS TRUE }", "json(true($.a))"},
    {"{ $.a IS FALSE }", "json(false($.a))"},
    {"{ $.a NOT EXISTS }", "json(absent($.a))"},
    {"{ $.a = * }", "json(eq($.a,*))"},
    {"{ $.a = \"*\" }", "json(eq($.a,*))"},
    {"{ $.a != * }", "json(ne($.a,*))"},
    {"{ $.a = 1 }", "json(eq($.a,#1))"},
    {"{ $.a = \"1\" }", "json(eq($.a,\"1\"))"},
    {"{ $.a = -1.5e3 }", "json(eq($.a,#-1.5e3))"},
    {"{ $.a = +1 }", "json(eq($.a,#+1))"},
    {"{ $.a = .5 }", "json(eq($.a,#.5))"},
    {"{ $.a = 1. }", "json(eq($.a,#1.))"},
    {"{ $.a = 1e }", "json(eq($.a,\"1e\"))"},
    {"{ $.a = 1.2.3 }", "json(eq($.a,\"1.2.3\"))"},
    {"{ $.a = true }", "json(eq($.a,\"true\"))"},
    {"{ $.a = false }", "json(eq($.a,\"false\"))"},
    {"{ $.a = NULL }", "json(eq($.a,\"NULL\"))"},
    {"{ $.a = \"null\" }", "json(eq($.a,\"null\"))"},
    {"{ $.a = \"\" }", "json(eq($.a,\"\"))"},
    {"{ $.a = 123.123.* }", "json(eq($.a,\"123.123.*\"))"},
    {"{ $.a = kms.amazonaws.com }", "json(eq($.a,\"kms.amazonaws.com\"))"},
    {"{ $.a = *UnauthorizedOperation }", "json(eq($.a,\"*UnauthorizedOperation\"))"},
    {"{ $.a = \"say \\\"hi\\\"\" }", "json(eq($.a,\"say \\\"hi\\\"\"))"},
    {"{ $.a = \"}\" }", "json(eq($.a,\"}\"))"},
    {"{ $.a = \"{\" }", "json(eq($.a,\"{\"))"},
    {"{ $.a = \"a\\nb\" }", "json(eq($.a,\"a\\\\nb\"))"},
    {"{ $.a = %^x[0-9]+$% }", "json(eq($.a,%^x[0-9]+$%))"},
    {"{ $.a != %x% }", "json(ne($.a,%x%))"},
    {"{ $.a != \"x\" }", "json(ne($.a,\"x\"))"},
    {"{ $.a < 1 }", "json(lt($.a,#1))"},
    {"{ $.a <= 1 }", "json(le($.a,#1))"},
    {"{ $.a > 1 }", "json(gt($.a,#1))"},
    {"{ $.a >= 1 }", "json(ge($.a,#1))"},
    {"{ $.a>=1&&$.b<2 }", "json(and(ge($.a,#1) lt($.b,#2)))"},

    // Selectors.
    {"{ $.a.b.c = 1 }", "json(eq($.a.b.c,#1))"},
    {"{ $.a[0].b[10] = 1 }", "json(eq($.a[0].b[10],#1))"},
    {"{ $.a[*].b = 1 }", "json(eq($.a[*].b,#1))"},
    {"{ $.*.b = 1 }", "json(eq($.*.b,#1))"},
    {"{ $.['cluster.name'] = 1 }", "json(eq($['cluster.name'],#1))"},
    {"{ $['cluster.name'] = 1 }", "json(eq($['cluster.name'],#1))"},
    {"{ $.a-b_c.0 = 1 }", "json(eq($.a-b_c.0,#1))"},

    // Space-delimited (spec 6.1).
    {"[ip, user, username, timestamp, request, status_code, bytes]",
     "delim(ip user username timestamp request status_code bytes)"},
    {"[ip, ..., status = 404 || status = 410]", "delim(ip ... status{or(eq(#404) eq(#410))})"},
    {"[...]", "delim(...)"},
    {"[..., bytes]", "delim(... bytes)"},
    {"[w1 = ERROR, w2]", "delim(w1{eq(\"ERROR\")} w2)"},
    {"[w1=ERROR || w1=WARNING, w2]", "delim(w1{or(eq(\"ERROR\") eq(\"WARNING\"))} w2)"},
    {"[a, b > 1 && b < 10 || b = 0]", "delim(a b{or(and(gt(#1) lt(#10)) eq(#0))})"},
    {"[a, b = 0 || b > 1 && b < 10]", "delim(a b{or(eq(#0) and(gt(#1) lt(#10)))})"},
    {"[kind = \"SPACE\", value, bucket]", "delim(kind{eq(\"SPACE\")} value bucket)"},
    {"[a = \"x, y]\"]", "delim(a{eq(\"x, y]\")})"},
    {"[request_id = \"*-*\"]", "delim(request_id{eq(\"*-*\")})"},
    {"[ip = %127\\.0\\.0\\.[1-9]%, ...]", "delim(ip{eq(%127\\.0\\.0\\.[1-9]%)} ...)"},
    {"[..., request = *.html*, status_code = 4*]",
     "delim(... request{eq(\"*.html*\")} status_code{eq(\"4*\")})"},
    {"[a = *, b != *, c = \"*\"]", "delim(a{eq(*)} b{ne(*)} c{eq(*)})"},
    {"[a != x, b >= -2.5]", "delim(a{ne(\"x\")} b{ge(#-2.5)})"},
    {"[\n\ta,\r\n\tb\n]", "delim(a b)"},
    {"[..., status, ...]", "delim(... status ...)"},  // parses; the checker rejects it
    {"[word, word]", "delim(word word)"},              // likewise
};

class ParserDumpTest : public testing::TestWithParam<DumpCase> {};

TEST_P(ParserDumpTest, Dump) {
  const DumpCase& c = GetParam();
  auto ast = parse(c.pattern);
  ASSERT_TRUE(ast.ok()) << ast.error().describe();
  EXPECT_EQ(dump(*ast), c.dump);
  EXPECT_EQ(ast->text, c.pattern);
}

INSTANTIATE_TEST_SUITE_P(Table, ParserDumpTest, testing::ValuesIn(kDumps));

TEST(ParserTest, KindsAndPositions) {
  auto json = parse("  { $.a = \"x\" }");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->kind, PatternKind::kJson);
  ASSERT_EQ(json->conditions.size(), 1u);
  EXPECT_EQ(json->conditions[0].position, 4u);
  EXPECT_EQ(json->conditions[0].selector.text, "$.a");
  EXPECT_EQ(json->conditions[0].value.position, 10u);
  EXPECT_TRUE(json->conditions[0].value.quoted);

  auto number = parse("{ $.a = 1e3 }");
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->conditions[0].value.kind, ValueKind::kNumber);
  EXPECT_EQ(number->conditions[0].value.number, 1000.0);
  EXPECT_EQ(number->conditions[0].value.text, "1e3");

  auto delimited = parse("[a, ..., b = 1]");
  ASSERT_TRUE(delimited.ok());
  EXPECT_EQ(delimited->kind, PatternKind::kDelimited);
  ASSERT_EQ(delimited->entries.size(), 3u);
  EXPECT_EQ(delimited->entries[1].position, 4u);
  EXPECT_TRUE(delimited->entries[1].ellipsis);
  EXPECT_EQ(delimited->entries[2].conditions[0].field, "b");

  auto regex = parse("  %a%");
  ASSERT_TRUE(regex.ok());
  EXPECT_EQ(regex->kind, PatternKind::kRegex);
  EXPECT_EQ(regex->regex.position, 2u);

  auto terms = parse(" ERROR");
  ASSERT_TRUE(terms.ok());
  EXPECT_EQ(terms->kind, PatternKind::kTerms);
  EXPECT_EQ(terms->terms[0].position, 1u);

  auto all = parse("   ");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->kind, PatternKind::kMatchAll);
}

// ---------------------------------------------------------------------------------------------
// Rejected patterns (spec 8).

struct RejectCase {
  std::string_view pattern;
  ErrorCode code;
  std::size_t position;
};

void PrintTo(const RejectCase& c, std::ostream* os) {
  *os << "'" << core::printable(c.pattern) << "' -> " << error_code_name(c.code) << " at "
      << c.position;
}

const RejectCase kRejects[] = {
    // Braces and brackets (spec 2).
    {"{ $.a = 1", ErrorCode::kMissingClosingBrace, 0},
    {"  {$.a=1", ErrorCode::kMissingClosingBrace, 2},
    {"{", ErrorCode::kMissingClosingBrace, 0},
    {"[a, b", ErrorCode::kMissingClosingBracket, 0},
    {"[", ErrorCode::kMissingClosingBracket, 0},
    // JSON (spec 5.1, 8).
    {"{}", ErrorCode::kEmptyExpression, 1},
    {"{ }", ErrorCode::kEmptyExpression, 2},
    {"{ status = \"401\" }", ErrorCode::kInvalidSelector, 2},
    {"{ $ = 1 }", ErrorCode::kInvalidSelector, 2},
    {"{ $..a = 1 }", ErrorCode::kInvalidSelector, 2},
    {"{ $.a[-1] = 1 }", ErrorCode::kInvalidSelector, 2},
    {"{ $.a[0:2] = 1 }", ErrorCode::kInvalidSelector, 2},
    {"{ $.a IS NOT NULL }", ErrorCode::kInvalidKeyword, 9},
    {"{ $.a EXISTS }", ErrorCode::kInvalidKeyword, 6},
    {"{ $.a IS MAYBE }", ErrorCode::kInvalidKeyword, 9},
    {"{ $.a NOT NULL }", ErrorCode::kInvalidKeyword, 10},
    {"{ $.a is null }", ErrorCode::kInvalidKeyword, 6},  // lower case: UNCLEAR, rejected
    {"{ $.a = null }", ErrorCode::kInvalidValue, 8},
    {"{ $.a = 'Root' }", ErrorCode::kInvalidValue, 8},
    {"{ $.a = \"x }", ErrorCode::kUnterminatedString, 8},
    {"{ $.a = }", ErrorCode::kMissingValue, 8},
    {"{ $.a }", ErrorCode::kMissingOperator, 6},
    {"{ $.a == 1 }", ErrorCode::kInvalidOperator, 6},
    {"{ !($.a = 1) }", ErrorCode::kInvalidOperator, 2},
    {"{ ($.a = 1 }", ErrorCode::kUnbalancedParentheses, 11},
    {"{ $.a = 1 ) }", ErrorCode::kUnbalancedParentheses, 10},
    {"{ ($.a = 1)) }", ErrorCode::kUnbalancedParentheses, 11},
    {"{ () }", ErrorCode::kUnexpectedToken, 3},
    {"{ $.a = 1 AND $.b = 2 }", ErrorCode::kUnexpectedToken, 10},
    {"{ $.a = 1 OR $.b = 2 }", ErrorCode::kUnexpectedToken, 10},
    {"{ $.a = 1 && }", ErrorCode::kUnexpectedToken, 10},
    {"{ $.a = 1 || }", ErrorCode::kUnexpectedToken, 10},
    {"{ $.a = 1 && ($.b = 2 || ) }", ErrorCode::kUnexpectedToken, 25},
    {"{ && $.a = 1 }", ErrorCode::kInvalidSelector, 2},
    {"{ $.a = 1 $.b = 2 }", ErrorCode::kUnexpectedToken, 10},
    {"{ \"v\": [1] }", ErrorCode::kUnexpectedToken, 2},
    // Space-delimited (spec 6.1, 8).
    {"[a,,b]", ErrorCode::kEmptyEntry, 3},
    {"[a, b,]", ErrorCode::kEmptyEntry, 6},
    {"[,a]", ErrorCode::kEmptyEntry, 1},
    {"[a = 1 && b = 2]", ErrorCode::kMixedFieldCondition, 10},
    {"[status_code = 4* && bytes > 1000]", ErrorCode::kMixedFieldCondition, 21},
    {"[w1 = ERROR || w2 = WARN]", ErrorCode::kMixedFieldCondition, 15},
    {"[a b]", ErrorCode::kUnexpectedToken, 3},
    {"[a = 1 &&]", ErrorCode::kUnexpectedToken, 9},
    {"[a = 1 && a]", ErrorCode::kMissingOperator, 11},
    {"[(a)]", ErrorCode::kUnexpectedToken, 1},
    {"[a.b]", ErrorCode::kInvalidFieldName, 2},
    {"[a = \"x]", ErrorCode::kUnterminatedString, 5},
    {"[a = ]", ErrorCode::kMissingValue, 5},
    // Terms (spec 3.1).
    {"\"ERROR", ErrorCode::kInvalidTerm, 0},
    {"\"\"", ErrorCode::kInvalidTerm, 0},
    {"ERR*", ErrorCode::kInvalidTerm, 3},
    {"ERROR -", ErrorCode::kInvalidTerm, 6},
};

class ParserRejectTest : public testing::TestWithParam<RejectCase> {};

TEST_P(ParserRejectTest, Rejected) {
  const RejectCase& c = GetParam();
  auto ast = parse(c.pattern);
  ASSERT_FALSE(ast.ok()) << dump(*ast);
  EXPECT_EQ(error_code_name(ast.error().code), error_code_name(c.code)) << ast.error().describe();
  EXPECT_EQ(ast.error().position, c.position) << ast.error().describe();
  EXPECT_FALSE(ast.error().aws_message.empty());
}

INSTANTIATE_TEST_SUITE_P(Table, ParserRejectTest, testing::ValuesIn(kRejects));

TEST(ParserTest, AwsMessages) {
  auto brace = parse("{ $.a = 1");
  ASSERT_FALSE(brace.ok());
  EXPECT_EQ(brace.error().aws_message, kAwsBraceMismatch);

  auto is_not = parse("{ $.a IS NOT NULL }");
  ASSERT_FALSE(is_not.ok());
  EXPECT_EQ(is_not.error().aws_message, "Invalid character(s) in term 'NOT'");
  EXPECT_EQ(is_not.error().fragment, "NOT");

  auto unclosed = parse("\"ERROR");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_EQ(unclosed.error().aws_message, "Invalid character(s) in term '\"ERROR'");

  auto star = parse("ERR*");
  ASSERT_FALSE(star.ok());
  EXPECT_EQ(star.error().aws_message, "Invalid character(s) in term '*'");
  EXPECT_EQ(star.error().describe().rfind("byte 3 ('*'): Invalid character(s) in term '*' (", 0),
            0u)
      << star.error().describe();
}

// ---------------------------------------------------------------------------------------------
// Length limit (spec 1, 2 rule 1): at most 1024 characters, counted in code points, before
// any trimming.

struct LengthCase {
  std::string pattern;
  bool accepted;
  const char* what;
};

void PrintTo(const LengthCase& c, std::ostream* os) {
  *os << c.what << " (" << c.pattern.size() << " bytes)";
}

std::string json_of_length(std::size_t length) {
  const std::string head = "{ $.a = \"";
  const std::string tail = "\" }";
  return head + std::string(length - head.size() - tail.size(), 'x') + tail;
}

std::string repeat(std::string_view unit, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += unit;
  return out;
}

const LengthCase kLengths[] = {
    {std::string(1024, 'a'), true, "1024 ASCII characters"},
    {std::string(1025, 'a'), false, "1025 ASCII characters"},
    {json_of_length(1024), true, "a 1024-character JSON pattern"},
    {json_of_length(1025), false, "a 1025-character JSON pattern"},
    {repeat("\xC3\xA9", 1024), true, "1024 two-byte code points (2048 bytes)"},
    {repeat("\xC3\xA9", 1025), false, "1025 two-byte code points"},
    {repeat("\xF0\x9F\x98\x80", 1024), true, "1024 four-byte code points (4096 bytes)"},
    {std::string(1024, ' '), true, "1024 spaces (match-all)"},
    {std::string(1025, ' '), false, "1025 spaces: the limit applies before trimming"},
    {"ERROR" + std::string(1020, ' '), false, "trailing whitespace counts"},
};

class ParserLengthTest : public testing::TestWithParam<LengthCase> {};

TEST_P(ParserLengthTest, Limit) {
  const LengthCase& c = GetParam();
  auto ast = parse(c.pattern);
  EXPECT_EQ(ast.ok(), c.accepted);
  if (!ast.ok()) {
    EXPECT_EQ(ast.error().code, ErrorCode::kPatternTooLong);
    EXPECT_EQ(ast.error().position, kMaxPatternLength);
    EXPECT_NE(ast.error().aws_message.find("Member must have length less than or equal to 1024"),
              std::string::npos)
        << ast.error().aws_message;
  }
}

INSTANTIATE_TEST_SUITE_P(Table, ParserLengthTest, testing::ValuesIn(kLengths));

}  // namespace
}  // namespace sgwatch::pattern
