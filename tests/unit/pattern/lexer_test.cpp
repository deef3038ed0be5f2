// Unit tests of the lexers (pattern/lexer.h): the JSON and space-delimited token streams written
// as compact strings, lexer errors with their code and byte position, and term lexing
// (spec sections 3.1, 5.1 and 6.1).
// Neighbours: parser_test.cpp checks what the parser builds from these tokens.
#include "pattern/lexer.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "pattern/dump.h"

namespace sgwatch::pattern {
namespace {

// "sel($.a) op(=) bare(x) && ( str(a b) )": one item per token, kEnd left out.
std::string stream(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& token : tokens) {
    if (token.kind == TokenKind::kEnd) break;
    if (!out.empty()) out += ' ';
    switch (token.kind) {
      case TokenKind::kSelector:
        out += "sel(" + dump(token.selector) + ")";
        break;
      case TokenKind::kOperator:
        out += "op(" + std::string(compare_op_text(token.op)) + ")";
        break;
      case TokenKind::kWord:
      case TokenKind::kString:
      case TokenKind::kRegex:
      case TokenKind::kBare:
        out += std::string(token_kind_name(token.kind)) + "(" + token.text + ")";
        break;
      default:
        out += token_kind_name(token.kind);
        break;
    }
  }
  return out;
}

const char* mode_name(LexerMode mode) { return mode == LexerMode::kJson ? "json" : "delimited"; }

// ---------------------------------------------------------------------------------------------
// Token streams.

struct StreamCase {
  LexerMode mode;
  std::string_view text;  // the inside of the braces / brackets
  std::string_view tokens;
};

void PrintTo(const StreamCase& c, std::ostream* os) {
  *os << mode_name(c.mode) << " '" << core::printable(c.text) << "'";
}

constexpr LexerMode kJson = LexerMode::kJson;
constexpr LexerMode kDelim = LexerMode::kDelimited;

const StreamCase kStreams[] = {
    // JSON: selectors, operators, the value after an operator.
    {kJson, "", ""},
    {kJson, " \t\r\n ", ""},
    {kJson, "$.a = x", "sel($.a) op(=) bare(x)"},
    {kJson, "$.a=x", "sel($.a) op(=) bare(x)"},
    {kJson, "$.eventName = CreateSecurityGroup",
     "sel($.eventName) op(=) bare(CreateSecurityGroup)"},
    {kJson, "$.a != \"x y\"", "sel($.a) op(!=) str(x y)"},
    {kJson, "$.a < 1", "sel($.a) op(<) bare(1)"},
    {kJson, "$.a > -1.5e3", "sel($.a) op(>) bare(-1.5e3)"},
    {kJson, "$.a <= 5", "sel($.a) op(<=) bare(5)"},
    {kJson, "$.a >= +5", "sel($.a) op(>=) bare(+5)"},
    {kJson, "$.a = *", "sel($.a) op(=) bare(*)"},
    {kJson, "$.a = \"*\"", "sel($.a) op(=) str(*)"},
    {kJson, "$.a = %ab+c%", "sel($.a) op(=) re(ab+c)"},
    {kJson, "$.a = %^a b|c$%", "sel($.a) op(=) re(^a b|c$)"},
    {kJson, "$.a = 123.123.*", "sel($.a) op(=) bare(123.123.*)"},
    {kJson, "$.a = kms.amazonaws.com", "sel($.a) op(=) bare(kms.amazonaws.com)"},
    {kJson, "$.a = x,y", "sel($.a) op(=) bare(x,y)"},  // ',' is ordinary text in JSON values
    {kJson, "$.a = \"\"", "sel($.a) op(=) str()"},
    {kJson, "$.a = \"say \\\"hi\\\" \\\\ now\"", "sel($.a) op(=) str(say \"hi\" \\ now)"},
    {kJson, "$.a = \"c:\\temp\"", "sel($.a) op(=) str(c:\\temp)"},  // other escapes kept
    {kJson, "$.a = \"(x) && {y}\"", "sel($.a) op(=) str((x) && {y})"},
    // Keywords.
    {kJson, "$.a IS NULL", "sel($.a) word(IS) word(NULL)"},
    {kJson, "$.a IS TRUE", "sel($.a) word(IS) word(TRUE)"},
    {kJson, "$.a NOT EXISTS", "sel($.a) word(NOT) word(EXISTS)"},
    {kJson, "$.a = 1 AND $.b = 2", "sel($.a) op(=) bare(1) word(AND) sel($.b) op(=) bare(2)"},
    // Boolean structure; a bare value stops at && || ( ) and whitespace.
    {kJson, "($.a = 1) || ($.b != \"x\")",
     "( sel($.a) op(=) bare(1) ) || ( sel($.b) op(!=) str(x) )"},
    {kJson, "$.a = x&&$.b = y||$.c = z",
     "sel($.a) op(=) bare(x) && sel($.b) op(=) bare(y) || sel($.c) op(=) bare(z)"},
    {kJson, "(($.a=x))", "( ( sel($.a) op(=) bare(x) ) )"},
    {kJson, "\t$.a\r\n=\r\n\tx\n&&\n$.b IS FALSE",
     "sel($.a) op(=) bare(x) && sel($.b) word(IS) word(FALSE)"},
    // Selector segments.
    {kJson, "$.a.b.c = 1", "sel($.a.b.c) op(=) bare(1)"},
    {kJson, "$.a-b_c = 1", "sel($.a-b_c) op(=) bare(1)"},
    {kJson, "$.0 = 1", "sel($.0) op(=) bare(1)"},
    {kJson, "$.a[0].b[12] = 1", "sel($.a[0].b[12]) op(=) bare(1)"},
    {kJson, "$.a[*].b = 1", "sel($.a[*].b) op(=) bare(1)"},
    {kJson, "$.* = 1", "sel($.*) op(=) bare(1)"},
    {kJson, "$.a.* = 1", "sel($.a.*) op(=) bare(1)"},
    {kJson, "$[*] = 1", "sel($[*]) op(=) bare(1)"},
    {kJson, "$.['cluster.name'] = 1", "sel($['cluster.name']) op(=) bare(1)"},
    {kJson, "$['cluster.name'] = 1", "sel($['cluster.name']) op(=) bare(1)"},
    {kJson, "$.a['b c'][1] = 1", "sel($.a['b c'][1]) op(=) bare(1)"},
    {kJson, "$.['a]b'] = 1", "sel($['a]b']) op(=) bare(1)"},
    {kJson, "$.a.b[*].c.* = 1", "sel($.a.b[*].c.*) op(=) bare(1)"},  // the checker counts them
    {kJson, "$.a=1&&$.b=2", "sel($.a) op(=) bare(1) && sel($.b) op(=) bare(2)"},

    // Space-delimited: names, commas, ellipsis, conditions.
    {kDelim, "", ""},
    {kDelim, "ip, user, ..., status_code, bytes",
     "word(ip) , word(user) , ... , word(status_code) , word(bytes)"},
    {kDelim, "w-1_x", "word(w-1_x)"},
    {kDelim, "w1=ERROR, w2", "word(w1) op(=) bare(ERROR) , word(w2)"},
    {kDelim, "status = 404 || status = 410",
     "word(status) op(=) bare(404) || word(status) op(=) bare(410)"},
    {kDelim, "bytes > 1000&&bytes <= 2000",
     "word(bytes) op(>) bare(1000) && word(bytes) op(<=) bare(2000)"},
    {kDelim, "request = *.html*, status_code = 4*",
     "word(request) op(=) bare(*.html*) , word(status_code) op(=) bare(4*)"},
    {kDelim, "a = \"x, y]\"", "word(a) op(=) str(x, y])"},
    {kDelim, "ip = %127\\.0\\.0\\.[1-9]%", "word(ip) op(=) re(127\\.0\\.0\\.[1-9])"},
    {kDelim, "a=x,b", "word(a) op(=) bare(x) , word(b)"},
    {kDelim, "a != *", "word(a) op(!=) bare(*)"},
    {kDelim, "\ta ,\n b", "word(a) , word(b)"},
};

class LexerStreamTest : public testing::TestWithParam<StreamCase> {};

TEST_P(LexerStreamTest, Tokens) {
  const StreamCase& c = GetParam();
  auto tokens = tokenize(c.mode, c.text);
  ASSERT_TRUE(tokens.ok()) << tokens.error().describe();
  EXPECT_EQ(stream(*tokens), c.tokens);
  ASSERT_FALSE(tokens->empty());
  EXPECT_EQ(tokens->back().kind, TokenKind::kEnd);
  EXPECT_EQ(tokens->back().position, c.text.size());
}

INSTANTIATE_TEST_SUITE_P(Table, LexerStreamTest, testing::ValuesIn(kStreams));

// Positions are byte offsets in the whole pattern: `base` is where `text` starts.
TEST(LexerTest, PositionsAndRawText) {
  auto tokens = tokenize(LexerMode::kJson, " $.a  != \"x\" || ($.b[0] IS NULL)", 1);
  ASSERT_TRUE(tokens.ok()) << tokens.error().describe();
  struct Expected {
    TokenKind kind;
    std::size_t position;
    std::string_view raw;
  };
  const Expected expected[] = {
      {TokenKind::kSelector, 2, "$.a"}, {TokenKind::kOperator, 7, "!="},
      {TokenKind::kString, 10, "\"x\""}, {TokenKind::kOr, 14, "||"},
      {TokenKind::kLParen, 17, "("},     {TokenKind::kSelector, 18, "$.b[0]"},
      {TokenKind::kWord, 25, "IS"},      {TokenKind::kWord, 28, "NULL"},
      {TokenKind::kRParen, 32, ")"},     {TokenKind::kEnd, 33, ""},
  };
  ASSERT_EQ(tokens->size(), std::size(expected));
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    SCOPED_TRACE(testing::Message() << "token " << i);
    EXPECT_EQ((*tokens)[i].kind, expected[i].kind);
    EXPECT_EQ((*tokens)[i].position, expected[i].position);
    EXPECT_EQ((*tokens)[i].raw, expected[i].raw);
  }
  EXPECT_EQ((*tokens)[0].selector.text, "$.a");
  EXPECT_EQ((*tokens)[0].selector.position, 2u);
}

TEST(LexerTest, SelectorSegmentsAreDecoded) {
  auto tokens = tokenize(LexerMode::kJson, "$.a['b.c'][7][*].*");
  ASSERT_TRUE(tokens.ok()) << tokens.error().describe();
  const Selector& selector = tokens->front().selector;
  ASSERT_EQ(selector.segments.size(), 5u);
  EXPECT_EQ(selector.segments[0].kind, SegmentKind::kMember);
  EXPECT_EQ(selector.segments[0].name, "a");
  EXPECT_EQ(selector.segments[1].kind, SegmentKind::kMember);
  EXPECT_EQ(selector.segments[1].name, "b.c");
  EXPECT_EQ(selector.segments[2].kind, SegmentKind::kIndex);
  EXPECT_EQ(selector.segments[2].index, 7u);
  EXPECT_EQ(selector.segments[3].kind, SegmentKind::kAnyElement);
  EXPECT_EQ(selector.segments[4].kind, SegmentKind::kAnyMember);
  EXPECT_EQ(selector.wildcard_count(), 2u);
}

// ---------------------------------------------------------------------------------------------
// Lexer errors.

struct LexErrorCase {
  LexerMode mode;
  std::string_view text;
  ErrorCode code;
  std::size_t position;
  std::string_view fragment;
};

void PrintTo(const LexErrorCase& c, std::ostream* os) {
  *os << mode_name(c.mode) << " '" << core::printable(c.text) << "' -> "
      << error_code_name(c.code) << " at " << c.position;
}

const LexErrorCase kLexErrors[] = {
    {kJson, "$.a == 1", ErrorCode::kInvalidOperator, 4, "=="},
    {kJson, "$.a==1", ErrorCode::kInvalidOperator, 3, "=="},
    {kJson, "!$.a = 1", ErrorCode::kInvalidOperator, 0, "!"},
    {kJson, "$.a ! 1", ErrorCode::kInvalidOperator, 4, "!"},
    {kJson, "$.a = \"abc", ErrorCode::kUnterminatedString, 6, "\"abc"},
    {kJson, "$.a = \"abc\\\"", ErrorCode::kUnterminatedString, 6, "\"abc\\\""},
    {kJson, "$.a = %abc", ErrorCode::kUnterminatedString, 6, "%abc"},
    {kJson, "$.a = 'Root'", ErrorCode::kInvalidValue, 6, "'Root'"},
    {kJson, "$.a = x\"y\"", ErrorCode::kInvalidValue, 6, "x\""},
    {kJson, "$.a = ", ErrorCode::kMissingValue, 6, ""},
    {kJson, "$..a = 1", ErrorCode::kInvalidSelector, 0, "$.."},
    {kJson, "$.a[-1] = 1", ErrorCode::kInvalidSelector, 0, "$.a[-1]"},
    {kJson, "$.a[0:2] = 1", ErrorCode::kInvalidSelector, 0, "$.a[0:2]"},
    {kJson, "$.a[] = 1", ErrorCode::kInvalidSelector, 0, "$.a[]"},
    {kJson, "$.a[x] = 1", ErrorCode::kInvalidSelector, 0, "$.a[x]"},
    {kJson, "$.a[*x] = 1", ErrorCode::kInvalidSelector, 0, "$.a[*"},
    {kJson, "$.[0] = 1", ErrorCode::kInvalidSelector, 0, "$.["},
    {kJson, "$.[*] = 1", ErrorCode::kInvalidSelector, 0, "$.["},
    {kJson, "$.a[* = 1", ErrorCode::kInvalidSelector, 0, "$.a[*"},
    {kJson, "$.a* = 1", ErrorCode::kInvalidSelector, 0, "$.a*"},
    {kJson, "$* = 1", ErrorCode::kInvalidSelector, 0, "$"},
    {kJson, "$.['a.b] = 1", ErrorCode::kInvalidSelector, 0, "$.['a.b] = 1"},
    {kJson, "$.[''] = 1", ErrorCode::kInvalidSelector, 0, "$.['']"},
    {kJson, "$ = 1", ErrorCode::kInvalidSelector, 0, "$"},
    {kJson, "$. = 1", ErrorCode::kInvalidSelector, 0, "$. "},
    {kJson, "$.a. = 1", ErrorCode::kInvalidSelector, 0, "$.a. "},
    {kJson, "$.a# = 1", ErrorCode::kInvalidSelector, 0, "$.a#"},
    {kJson, "$.a = 1 & $.b = 2", ErrorCode::kUnexpectedToken, 8, "&"},
    {kJson, "$.a = 1 | $.b = 2", ErrorCode::kUnexpectedToken, 8, "|"},
    {kJson, "\"v\": [1]", ErrorCode::kUnexpectedToken, 0, "\""},
    {kJson, "$.a = 1 }", ErrorCode::kUnexpectedToken, 8, "}"},
    {kDelim, "(a)", ErrorCode::kUnexpectedToken, 0, "("},
    {kDelim, "a, .x", ErrorCode::kInvalidFieldName, 3, "."},
    {kDelim, "a, ..", ErrorCode::kInvalidFieldName, 3, "."},
    {kDelim, "a = \"x", ErrorCode::kUnterminatedString, 4, "\"x"},
    {kDelim, "a = %x", ErrorCode::kUnterminatedString, 4, "%x"},
    {kDelim, "a = 'x'", ErrorCode::kInvalidValue, 4, "'x'"},
    {kDelim, "a ==1", ErrorCode::kInvalidOperator, 2, "=="},
    {kDelim, "a = ", ErrorCode::kMissingValue, 4, ""},
    {kDelim, "a = ,b", ErrorCode::kMissingValue, 4, ","},
    {kDelim, "a = 1 & a = 2", ErrorCode::kUnexpectedToken, 6, "&"},
    {kDelim, "a@", ErrorCode::kUnexpectedToken, 1, "@"},
};

class LexerErrorTest : public testing::TestWithParam<LexErrorCase> {};

TEST_P(LexerErrorTest, Rejected) {
  const LexErrorCase& c = GetParam();
  auto tokens = tokenize(c.mode, c.text);
  ASSERT_FALSE(tokens.ok()) << "tokens: " << stream(*tokens);
  EXPECT_EQ(error_code_name(tokens.error().code), error_code_name(c.code));
  EXPECT_EQ(tokens.error().position, c.position);
  EXPECT_EQ(tokens.error().fragment, c.fragment);
  EXPECT_FALSE(tokens.error().aws_message.empty());
  EXPECT_FALSE(tokens.error().why.empty());
}

INSTANTIATE_TEST_SUITE_P(Table, LexerErrorTest, testing::ValuesIn(kLexErrors));

TEST(LexerTest, ErrorPositionsIncludeTheBase) {
  auto tokens = tokenize(LexerMode::kJson, " $.a == 1", 1);
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(tokens.error().position, 6u);
}

// ---------------------------------------------------------------------------------------------
// Term patterns (spec 3.1).

std::string terms_string(const std::vector<Term>& terms) {
  std::string out;
  for (const Term& term : terms) {
    if (!out.empty()) out += ' ';
    out += term.mode == TermMode::kRequired ? '+' : term.mode == TermMode::kExcluded ? '-' : '?';
    out += term.quoted ? "\"" + term.text + "\"" : term.text;
    out += "@" + std::to_string(term.position);
  }
  return out;
}

struct TermCase {
  std::string_view pattern;
  std::string_view terms;  // mode, text (quoted when it was a phrase) and byte position
};

void PrintTo(const TermCase& c, std::ostream* os) { *os << "'" << core::printable(c.pattern) << "'"; }

const TermCase kTerms[] = {
    {"ERROR", "+ERROR@0"},
    {"ERROR ARGUMENTS", "+ERROR@0 +ARGUMENTS@6"},
    {"  ERROR\t\r\n-x  ", "+ERROR@2 -x@10"},
    {"?ERROR ?WARN", "?ERROR@0 ?WARN@7"},
    {"-ERROR", "-ERROR@0"},
    {"foo-bar", "+foo-bar@0"},  // '-' is a prefix only at the start of an item
    {"a?b", "+a?b@0"},
    {"notification.id", "+notification.id@0"},
    {"[ERROR]", "+[ERROR]@0"},
    {"\"INTERNAL SERVER ERROR\"", "+\"INTERNAL SERVER ERROR\"@0"},
    {"ERROR -\"BAD REQUEST\"", "+ERROR@0 -\"BAD REQUEST\"@6"},
    {"?\"a b\" c", "?\"a b\"@0 +c@7"},
    {"\" \"", "+\" \"@0"},
    {"\"say \\\"hi\\\"\"", "+\"say \"hi\"\"@0"},
    {"\"a\\\\b\"", "+\"a\\b\"@0"},
    {"\"a\\tb\"", "+\"a\\tb\"@0"},  // other backslash sequences are literal
    {"\"\\\" 500 \"", "+\"\" 500 \"@0"},
    {"\"{\\\"a\\\":1}\"", "+\"{\"a\":1}\"@0"},
    {"50%", "+50%@0"},
    {"", ""},
    {" \t ", ""},
};

class TermLexTest : public testing::TestWithParam<TermCase> {};

TEST_P(TermLexTest, Items) {
  const TermCase& c = GetParam();
  auto terms = lex_terms(c.pattern);
  ASSERT_TRUE(terms.ok()) << terms.error().describe();
  EXPECT_EQ(terms_string(*terms), c.terms);
}

INSTANTIATE_TEST_SUITE_P(Table, TermLexTest, testing::ValuesIn(kTerms));

struct TermErrorCase {
  std::string_view pattern;
  std::size_t position;
  std::string_view fragment;  // AWS answers "Invalid character(s) in term '<fragment>'"
};

void PrintTo(const TermErrorCase& c, std::ostream* os) {
  *os << "'" << core::printable(c.pattern) << "'";
}

const TermErrorCase kTermErrors[] = {
    {"\"\"", 0, "\"\""},                 // [OBS] Live Tail
    {"\"ERROR", 0, "\"ERROR"},           // [NATIVE invalid_unclosed_quote]
    {"WARN \"ERROR", 5, "\"ERROR"},
    {"\"a \\\"", 0, "\"a \\\""},         // the only quote is escaped
    {"ERR*", 3, "*"},                    // [NATIVE term_wildcard]
    {"*ERROR", 0, "*"},
    {"ok ?ERR*OR", 7, "*"},
    {"-", 0, "-"},
    {"?", 0, "?"},
    {"ERROR ?", 6, "?"},
    {"- ERROR", 0, "-"},
    {"\"a\"b", 0, "\"a\"b"},             // a closing quote must be followed by whitespace
    {"ab\"c", 0, "ab\"c"},
    {"-\"\"", 1, "\"\""},
};

class TermErrorTest : public testing::TestWithParam<TermErrorCase> {};

TEST_P(TermErrorTest, Rejected) {
  const TermErrorCase& c = GetParam();
  auto terms = lex_terms(c.pattern);
  ASSERT_FALSE(terms.ok()) << terms_string(*terms);
  EXPECT_EQ(error_code_name(terms.error().code), "InvalidTerm");
  EXPECT_EQ(terms.error().position, c.position);
  EXPECT_EQ(terms.error().fragment, c.fragment);
  EXPECT_EQ(terms.error().aws_message,
            "Invalid character(s) in term '" + std::string(c.fragment) + "'");
}

INSTANTIATE_TEST_SUITE_P(Table, TermErrorTest, testing::ValuesIn(kTermErrors));

}  // namespace
}  // namespace sgwatch::pattern
