// Lexers of the filter-pattern language: one for the inside of a JSON pattern's braces, one for
// the inside of a space-delimited pattern's brackets, one for term patterns. The JSON and
// delimited lexers know one bit of context: after a comparison operator comes a value, which has
// its own lexical rules. Neighbours: parser.cpp drives them; tests/unit/pattern/lexer_test.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "pattern/ast.h"
#include "pattern/error.h"

namespace sgwatch::pattern {

enum class TokenKind {
  kLParen,
  kRParen,
  kComma,
  kEllipsis,
  kAnd,
  kOr,
  kOperator,
  kSelector,  // JSON only: $... with its segments decoded
  kWord,      // JSON: keyword-like word (IS, NULL, AND...); delimited: a field name
  kString,    // "..." value, unescaped
  kRegex,     // %...% value, body only
  kBare,      // unquoted value
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string_view raw;   // the token as written
  std::size_t position = 0;  // byte offset in the whole pattern
  std::string text;       // kString: unescaped content; kRegex: body; kBare/kWord: as written
  CompareOp op = CompareOp::kEq;  // kOperator only
  Selector selector;      // kSelector only
};

std::string_view token_kind_name(TokenKind kind);

enum class LexerMode { kJson, kDelimited };

// Lexes `text`, which starts at byte `base` of the pattern.
class Lexer {
 public:
  Lexer(LexerMode mode, std::string_view text, std::size_t base);
  core::Result<Token, Error> next();

 private:
  core::Result<Token, Error> lex_value();
  core::Result<Token, Error> lex_selector();
  core::Result<Token, Error> lex_quoted(std::size_t start);
  core::Result<Token, Error> lex_regex(std::size_t start);
  Token make(TokenKind kind, std::size_t start, std::size_t end);
  Error error(ErrorCode code, std::size_t start, std::size_t end, std::string aws, std::string why) const;
  std::size_t position(std::size_t offset) const { return base_ + offset; }

  LexerMode mode_;
  std::string_view text_;
  std::size_t base_;
  std::size_t pos_ = 0;
  bool value_next_ = false;
};

// All tokens of `text` up to and including kEnd (for tests and diagnostics).
core::Result<std::vector<Token>, Error> tokenize(LexerMode mode, std::string_view text,
                                                 std::size_t base = 0);

// The items of a term pattern (whole pattern text).
core::Result<std::vector<Term>, Error> lex_terms(std::string_view pattern);

}  // namespace sgwatch::pattern
