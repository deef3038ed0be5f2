// Implementation of the lexers of lexer.h. Grammar: ../shared/spec/filter-patterns.md sections
// 3.1 (terms), 5.1 (JSON) and 6.1 (space-delimited); the choices made where the spec is silent
// are listed in docs/pattern-syntax.md.
#include "pattern/lexer.h"

#include <fmt/format.h>

#include "core/text.h"

namespace sgwatch::pattern {
namespace {

using core::is_ascii_alnum;
using core::is_ascii_digit;
using core::is_pattern_space;

bool is_name_char(char c) { return is_ascii_alnum(c) || c == '_' || c == '-'; }

std::string invalid_term(std::string_view term) {
  return fmt::format("Invalid character(s) in term '{}'", term);
}

}  // namespace

std::string_view token_kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::kLParen: return "(";
    case TokenKind::kRParen: return ")";
    case TokenKind::kComma: return ",";
    case TokenKind::kEllipsis: return "...";
    case TokenKind::kAnd: return "&&";
    case TokenKind::kOr: return "||";
    case TokenKind::kOperator: return "op";
    case TokenKind::kSelector: return "sel";
    case TokenKind::kWord: return "word";
    case TokenKind::kString: return "str";
    case TokenKind::kRegex: return "re";
    case TokenKind::kBare: return "bare";
    case TokenKind::kEnd: return "end";
  }
  return "?";
}

Lexer::Lexer(LexerMode mode, std::string_view text, std::size_t base)
    : mode_(mode), text_(text), base_(base) {}

Token Lexer::make(TokenKind kind, std::size_t start, std::size_t end) {
  Token token;
  token.kind = kind;
  token.raw = text_.substr(start, end - start);
  token.position = position(start);
  token.text = std::string(token.raw);
  pos_ = end;
  return token;
}

Error Lexer::error(ErrorCode code, std::size_t start, std::size_t end, std::string aws,
                   std::string why) const {
  const std::size_t stop = std::min(end, text_.size());
  return Error{code, position(start), std::string(text_.substr(start, stop - start)), std::move(aws),
               std::move(why)};
}

core::Result<Token, Error> Lexer::next() {
  while (pos_ < text_.size() && is_pattern_space(text_[pos_])) ++pos_;
  if (value_next_) {
    value_next_ = false;
    return lex_value();
  }
  const std::size_t start = pos_;
  if (pos_ >= text_.size()) return make(TokenKind::kEnd, start, start);
  const char c = text_[pos_];
  const char d = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
  const auto aws = std::string(kAwsInvalidPattern);
  switch (c) {
    case '(':
      if (mode_ == LexerMode::kDelimited) {
        return core::unexpected(error(ErrorCode::kUnexpectedToken, start, start + 1, aws,
                                      "parentheses are not supported inside space-delimited "
                                      "patterns"));
      }
      return make(TokenKind::kLParen, start, start + 1);
    case ')':
      if (mode_ == LexerMode::kDelimited) {
        return core::unexpected(error(ErrorCode::kUnexpectedToken, start, start + 1, aws,
                                      "parentheses are not supported inside space-delimited "
                                      "patterns"));
      }
      return make(TokenKind::kRParen, start, start + 1);
    case ',':
      if (mode_ == LexerMode::kJson) break;
      return make(TokenKind::kComma, start, start + 1);
    case '&':
      if (d == '&') return make(TokenKind::kAnd, start, start + 2);
      return core::unexpected(error(ErrorCode::kUnexpectedToken, start, start + 1, aws,
                                    "a single '&' is not an operator; use '&&'"));
    case '|':
      if (d == '|') return make(TokenKind::kOr, start, start + 2);
      return core::unexpected(error(ErrorCode::kUnexpectedToken, start, start + 1, aws,
                                    "a single '|' is not an operator; use '||'"));
    case '=':
    case '!':
    case '<':
    case '>': {
      std::size_t end = start + 1;
      CompareOp op = CompareOp::kEq;
      if (c == '=') {
        if (d == '=') {
          return core::unexpected(error(ErrorCode::kInvalidOperator, start, start + 2, aws,
                                        "'==' is not an operator; equality is a single '='"));
        }
      } else if (c == '!') {
        if (d != '=') {
          return core::unexpected(error(ErrorCode::kInvalidOperator, start, start + 1, aws,
                                        "'!' is not an operator; use '!=' or 'NOT EXISTS'"));
        }
        op = CompareOp::kNe;
        end = start + 2;
      } else if (c == '<') {
        op = d == '=' ? CompareOp::kLe : CompareOp::kLt;
        end = d == '=' ? start + 2 : start + 1;
      } else {
        op = d == '=' ? CompareOp::kGe : CompareOp::kGt;
        end = d == '=' ? start + 2 : start + 1;
      }
      Token token = make(TokenKind::kOperator, start, end);
      token.op = op;
      value_next_ = true;
      return token;
    }
    case '$':
      if (mode_ == LexerMode::kJson) return lex_selector();
      break;
    case '.':
      if (mode_ == LexerMode::kDelimited) {
        if (text_.substr(start, 3) == "...") return make(TokenKind::kEllipsis, start, start + 3);
        return core::unexpected(error(ErrorCode::kInvalidFieldName, start, start + 1, aws,
                                      "a field is a name or '...'"));
      }
      break;
    default:
      break;
  }
  if (mode_ == LexerMode::kJson && core::is_ascii_alpha(c)) {
    std::size_t end = start;
    while (end < text_.size() && (is_ascii_alnum(text_[end]) || text_[end] == '_')) ++end;
    return make(TokenKind::kWord, start, end);
  }
  if (mode_ == LexerMode::kDelimited && is_name_char(c)) {
    std::size_t end = start;
    while (end < text_.size() && is_name_char(text_[end])) ++end;
    return make(TokenKind::kWord, start, end);
  }
  if (mode_ == LexerMode::kJson && (c == '"' || c == '%' || c == '\'')) {
    return core::unexpected(error(ErrorCode::kUnexpectedToken, start, start + 1, aws,
                                  "a value must follow a selector and an operator"));
  }
  return core::unexpected(error(ErrorCode::kUnexpectedToken, start, start + 1,
                                std::string(kAwsInvalidPattern),
                                mode_ == LexerMode::kJson
                                    ? "unexpected character in a JSON pattern"
                                    : "unexpected character in a space-delimited pattern"));
}

core::Result<Token, Error> Lexer::lex_value() {
  const std::size_t start = pos_;
  const auto aws = std::string(kAwsInvalidPattern);
  if (start >= text_.size()) {
    return core::unexpected(error(ErrorCode::kMissingValue, start, start, aws,
                                  "the operator has no value after it"));
  }
  const char c = text_[start];
  if (c == '"') return lex_quoted(start);
  if (c == '%') return lex_regex(start);
  if (c == '\'') {
    std::size_t end = text_.find('\'', start + 1);
    end = end == std::string_view::npos ? text_.size() : end + 1;
    return core::unexpected(error(ErrorCode::kInvalidValue, start, end, aws,
                                  "single-quoted values are not allowed; use double quotes"));
  }
  if (c == '=') {
    return core::unexpected(error(ErrorCode::kInvalidOperator, start - 1, start + 1, aws,
                                  "'==' is not an operator; equality is a single '='"));
  }
  std::size_t end = start;
  while (end < text_.size()) {
    const char e = text_[end];
    if (is_pattern_space(e)) break;
    if (text_.substr(end, 2) == "&&" || text_.substr(end, 2) == "||") break;
    if (mode_ == LexerMode::kJson &&
        (e == '(' || e == ')' || e == '{' || e == '}' || e == '"' || e == '\'')) {
      break;
    }
    if (mode_ == LexerMode::kDelimited && (e == ',' || e == ']')) break;
    ++end;
  }
  if (end == start) {
    return core::unexpected(error(ErrorCode::kMissingValue, start, start + 1, aws,
                                  "the operator has no value after it"));
  }
  if (end < text_.size() && (text_[end] == '"' || text_[end] == '\'')) {
    return core::unexpected(error(ErrorCode::kInvalidValue, start, end + 1, aws,
                                  "a quote inside an unquoted value"));
  }
  return make(TokenKind::kBare, start, end);
}

core::Result<Token, Error> Lexer::lex_quoted(std::size_t start) {
  std::string value;
  std::size_t i = start + 1;
  while (i < text_.size()) {
    const char c = text_[i];
    if (c == '\\' && i + 1 < text_.size() && (text_[i + 1] == '"' || text_[i + 1] == '\\')) {
      value += text_[i + 1];
      i += 2;
      continue;
    }
    if (c == '"') {
      Token token = make(TokenKind::kString, start, i + 1);
      token.text = std::move(value);
      return token;
    }
    value += c;
    ++i;
  }
  return core::unexpected(error(ErrorCode::kUnterminatedString, start, text_.size(),
                                std::string(kAwsInvalidPattern),
                                "a double-quoted value has no closing quote"));
}

core::Result<Token, Error> Lexer::lex_regex(std::size_t start) {
  const std::size_t close = text_.find('%', start + 1);
  if (close == std::string_view::npos) {
    return core::unexpected(error(ErrorCode::kUnterminatedString, start, text_.size(),
                                  std::string(kAwsInvalidPattern),
                                  "a regular expression has no closing '%'"));
  }
  Token token = make(TokenKind::kRegex, start, close + 1);
  token.text = std::string(text_.substr(start + 1, close - start - 1));
  return token;
}

core::Result<Token, Error> Lexer::lex_selector() {
  const std::size_t start = pos_;
  const auto aws = std::string(kAwsInvalidPattern);
  Selector selector;
  selector.position = position(start);
  std::size_t i = start + 1;
  auto fail = [&](std::size_t at, std::size_t end, std::string why) {
    return error(ErrorCode::kInvalidSelector, start, std::max(end, at + 1), aws, std::move(why));
  };
  // A bracket segment at i ('[' already seen): [*], [n] or ['key'].
  auto bracket = [&](std::size_t open, bool after_dot) -> std::optional<Error> {
    std::size_t j = open + 1;
    if (j < text_.size() && text_[j] == '\'') {
      const std::size_t close = text_.find('\'', j + 1);
      if (close == std::string_view::npos || close + 1 >= text_.size() || text_[close + 1] != ']') {
        return fail(open, close == std::string_view::npos ? text_.size() : close + 2,
                    "a bracket key is written ['name']");
      }
      if (close == j + 1) return fail(open, close + 2, "a bracket key cannot be empty");
      selector.segments.push_back(
          Segment{SegmentKind::kMember, std::string(text_.substr(j + 1, close - j - 1)), 0});
      i = close + 2;
      return std::nullopt;
    }
    if (after_dot) return fail(open, j, "after '.', a bracket must hold a quoted key"); 
    if (j < text_.size() && text_[j] == '*') {
      if (j + 1 >= text_.size() || text_[j + 1] != ']') {
        return fail(open, j + 1, "a wildcard index is written [*]"); 
      }
      selector.segments.push_back(Segment{SegmentKind::kAnyElement, {}, 0});
      i = j + 2;
      return std::nullopt;
    }
    std::size_t k = j;
    std::uint64_t index = 0;
    while (k < text_.size() && is_ascii_digit(text_[k])) {
      if (index > (UINT64_MAX - 9) / 10) return fail(open, k + 1, "array index too large"); 
      index = index * 10 + static_cast<std::uint64_t>(text_[k] - '0');
      ++k;
    }
    if (k == j || k >= text_.size() || text_[k] != ']') {
      std::size_t close = text_.find(']', j);
      close = close == std::string_view::npos ? text_.size() : close + 1;
      return fail(open, close,
                  "an array index is a non-negative integer, [*] or a quoted key (no slices, no "
                  "negative indexes)")
          ; 
    }
    selector.segments.push_back(Segment{SegmentKind::kIndex, {}, index});
    i = k + 1;
    return std::nullopt;
  };
  while (i < text_.size()) {
    const char c = text_[i];
    if (c == '.') {
      const std::size_t j = i + 1;
      if (j >= text_.size()) return core::unexpected(fail(i, j, "a selector cannot end with '.'"));
      const char d = text_[j];
      if (d == '*') {
        selector.segments.push_back(Segment{SegmentKind::kAnyMember, {}, 0});
        i = j + 1;
      } else if (d == '[') {
        if (auto err = bracket(j, true)) return core::unexpected(std::move(*err));
      } else if (is_name_char(d)) {
        std::size_t k = j;
        while (k < text_.size() && is_name_char(text_[k])) ++k;
        selector.segments.push_back(
            Segment{SegmentKind::kMember, std::string(text_.substr(j, k - j)), 0});
        i = k;
      } else if (d == '.') {
        return core::unexpected(fail(i, j + 1, "recursive descent '..' is not supported"));
      } else {
        return core::unexpected(
            fail(i, j + 1, "'.' must be followed by a property name, '*' or ['key']"));
      }
    } else if (c == '[') {
      if (auto err = bracket(i, false)) return core::unexpected(std::move(*err));
    } else {
      break;
    }
  }
  if (selector.segments.empty()) {
    return core::unexpected(
        fail(start, i, "a selector needs at least one property after '$', e.g. $.eventName"));
  }
  if (i < text_.size() && !is_pattern_space(text_[i]) && text_[i] != '=' && text_[i] != '!' &&
      text_[i] != '<' && text_[i] != '>' && text_[i] != ')' && text_[i] != '&' &&
      text_[i] != '|' && text_[i] != '}') {
    return core::unexpected(fail(start, i + 1, "unexpected character in a selector"));
  }
  Token token = make(TokenKind::kSelector, start, i);
  selector.text = std::string(token.raw);
  token.selector = std::move(selector);
  return token;
}

core::Result<std::vector<Token>, Error> tokenize(LexerMode mode, std::string_view text,
                                                 std::size_t base) {
  Lexer lexer(mode, text, base);
  std::vector<Token> tokens;
  while (true) {
    auto token = lexer.next();
    if (!token) return core::unexpected(std::move(token).error());
    const bool end = token->kind == TokenKind::kEnd;
    tokens.push_back(std::move(token).value());
    if (end) return tokens;
  }
}

core::Result<std::vector<Term>, Error> lex_terms(std::string_view pattern) {
  std::vector<Term> terms;
  std::size_t i = 0;
  const std::size_t n = pattern.size();
  auto fail = [&](std::size_t start, std::size_t end, std::string why) {
    const std::string_view fragment = pattern.substr(start, end - start);
    return core::unexpected(
        Error{ErrorCode::kInvalidTerm, start, std::string(fragment), invalid_term(fragment),
              std::move(why)});
  };
  while (true) {
    while (i < n && is_pattern_space(pattern[i])) ++i;
    if (i >= n) break;
    const std::size_t start = i;
    Term term;
    term.position = start;
    if (pattern[i] == '?' || pattern[i] == '-') {
      term.mode = pattern[i] == '?' ? TermMode::kOptional : TermMode::kExcluded;
      ++i;
      if (i >= n || is_pattern_space(pattern[i])) {
        return fail(start, i, "a '?' or '-' must be followed by a term without a space");
      }
    }
    if (pattern[i] == '"') {
      const std::size_t open = i;
      ++i;
      bool closed = false;
      while (i < n) {
        if (pattern[i] == '\\' && i + 1 < n && (pattern[i + 1] == '"' || pattern[i + 1] == '\\')) {
          term.text += pattern[i + 1];
          i += 2;
          continue;
        }
        if (pattern[i] == '"') {
          closed = true;
          ++i;
          break;
        }
        term.text += pattern[i++];
      }
      if (!closed) return fail(open, n, "the quoted term has no closing quote");
      if (term.text.empty()) return fail(open, i, "an empty quoted term matches nothing");
      if (i < n && !is_pattern_space(pattern[i])) {
        std::size_t end = i;
        while (end < n && !is_pattern_space(pattern[end])) ++end;
        return fail(open, end, "a closing quote must be followed by a space or the end");
      }
      term.quoted = true;
    } else {
      const std::size_t word_start = i;
      while (i < n && !is_pattern_space(pattern[i])) ++i;
      const std::string_view word = pattern.substr(word_start, i - word_start);
      if (word.find('"') != std::string_view::npos) {
        return fail(word_start, i, "a quote inside an unquoted term; quote the whole term");
      }
      if (word.find('*') != std::string_view::npos) {
        return core::unexpected(Error{ErrorCode::kInvalidTerm, word_start + word.find('*'), "*",
                                      invalid_term("*"),
                                      "term patterns have no wildcard; a term already matches "
                                      "anywhere inside the message"});
      }
      term.text = std::string(word);
    }
    terms.push_back(std::move(term));
  }
  return terms;
}

}  // namespace sgwatch::pattern
