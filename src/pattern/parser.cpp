// Implementation of parser.h. Grammar and provenance: ../shared/spec/filter-patterns.md.
#include "pattern/parser.h"

#include <fmt/format.h>

#include "core/text.h"
#include "pattern/lexer.h"

namespace sgwatch::pattern {
namespace {

std::size_t count_code_points(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

Error make_error(ErrorCode code, std::size_t position, std::string_view fragment, std::string why,
                 std::string_view aws = kAwsInvalidPattern) {
  return Error{code, position, std::string(fragment), std::string(aws), std::move(why)};
}

// Builds a BoolTree from leaves and operators with precedence () > && > ||, using an explicit
// operator stack (shunting-yard).
class BoolTreeBuilder {
 public:
  enum class Op { kAnd, kOr, kOpen };

  void leaf(std::uint32_t index) {
    tree_.nodes.push_back(BoolNode{BoolKind::kLeaf, index, {}});
    operands_.push_back(static_cast<std::uint32_t>(tree_.nodes.size() - 1));
  }
  void open() { ops_.push_back(Op::kOpen); }
  // Returns false when there is no matching '('.
  bool close() {
    while (!ops_.empty() && ops_.back() != Op::kOpen) reduce();
    if (ops_.empty()) return false;
    ops_.pop_back();
    return true;
  }
  void binary(Op op) {
    // && binds tighter than ||; both are left-associative.
    while (!ops_.empty() && ops_.back() != Op::kOpen && (ops_.back() == Op::kAnd || op == Op::kOr)) {
      reduce();
    }
    ops_.push_back(op);
  }
  // Returns false when a '(' is left open.
  bool finish(BoolTree& out) {
    while (!ops_.empty()) {
      if (ops_.back() == Op::kOpen) return false;
      reduce();
    }
    tree_.root = operands_.empty() ? 0 : operands_.back();
    out = std::move(tree_);
    return true;
  }

 private:
  void reduce() {
    const Op op = ops_.back();
    ops_.pop_back();
    const std::uint32_t right = operands_.back();
    operands_.pop_back();
    const std::uint32_t left = operands_.back();
    operands_.pop_back();
    const BoolKind kind = op == Op::kAnd ? BoolKind::kAnd : BoolKind::kOr;
    BoolNode node{kind, 0, {}};
    for (std::uint32_t side : {left, right}) {
      // Flatten chains of the same operator: a && (b && c) == a && b && c.
      if (tree_.nodes[side].kind == kind) {
        for (std::uint32_t child : tree_.nodes[side].children) node.children.push_back(child);
      } else {
        node.children.push_back(side);
      }
    }
    tree_.nodes.push_back(std::move(node));
    operands_.push_back(static_cast<std::uint32_t>(tree_.nodes.size() - 1));
  }

  BoolTree tree_;
  std::vector<std::uint32_t> operands_;
  std::vector<Op> ops_;
};

core::Result<Value, Error> value_from_token(const Token& token) {
  Value value;
  value.position = token.position;
  value.text = token.text;
  switch (token.kind) {
    case TokenKind::kString:
      value.quoted = true;
      value.kind = token.text == "*" ? ValueKind::kAny : ValueKind::kString;
      return value;
    case TokenKind::kRegex:
      value.kind = ValueKind::kRegex;
      return value;
    case TokenKind::kBare:
      if (token.text == "*") {
        value.kind = ValueKind::kAny;
      } else if (token.text == "null") {
        return core::unexpected(make_error(ErrorCode::kInvalidValue, token.position, token.raw,
                                           "null is not a value; use 'IS NULL'"));
      } else if (auto number = core::parse_pattern_number(token.text)) {
        value.kind = ValueKind::kNumber;
        value.number = *number;
      } else if (core::is_pattern_number(token.text)) {
        return core::unexpected(make_error(ErrorCode::kInvalidValue, token.position, token.raw,
                                           "the number is out of range"));
      } else {
        value.kind = ValueKind::kString;
      }
      return value;
    default:
      return core::unexpected(make_error(ErrorCode::kMissingValue, token.position, token.raw,
                                         "a value must follow the operator"));
  }
}

class JsonParser {
 public:
  JsonParser(std::string_view inner, std::size_t base) : lexer_(LexerMode::kJson, inner, base) {}

  core::Result<bool, Error> run(Ast& ast) {
    bool expect_operand = true;
    std::size_t depth = 0;
    std::size_t last_position = 0;
    std::string_view last_raw;
    while (true) {
      auto next = lexer_.next();
      if (!next) return core::unexpected(std::move(next).error());
      Token token = std::move(next).value();
      // Where a dangling operator or '(' is reported if the pattern ends after it.
      const std::size_t token_position = token.position;
      const std::string_view token_raw = token.raw;
      if (expect_operand) {
        switch (token.kind) {
          case TokenKind::kLParen:
            ++depth;
            builder_.open();
            break;
          case TokenKind::kSelector: {
            auto condition = parse_condition(std::move(token));
            if (!condition) return core::unexpected(std::move(condition).error());
            ast.conditions.push_back(std::move(condition).value());
            builder_.leaf(static_cast<std::uint32_t>(ast.conditions.size() - 1));
            expect_operand = false;
            break;
          }
          case TokenKind::kEnd:
            if (ast.conditions.empty() && depth == 0) {
              return core::unexpected(make_error(ErrorCode::kEmptyExpression, token.position, "{ }",
                                                 "a JSON pattern needs at least one condition"));
            }
            return core::unexpected(make_error(ErrorCode::kUnexpectedToken, last_position, last_raw,
                                               "an operator or '(' is not followed by a condition"));
          case TokenKind::kRParen:
            return core::unexpected(make_error(ErrorCode::kUnexpectedToken, token.position, token.raw,
                                               "a condition is missing before ')'"));
          default:
            return core::unexpected(make_error(
                ErrorCode::kInvalidSelector, token.position, token.raw,
                "a condition starts with a selector such as $.eventName (or with '(')"));
        }
      } else {
        switch (token.kind) {
          case TokenKind::kAnd:
            builder_.binary(BoolTreeBuilder::Op::kAnd);
            expect_operand = true;
            break;
          case TokenKind::kOr:
            builder_.binary(BoolTreeBuilder::Op::kOr);
            expect_operand = true;
            break;
          case TokenKind::kRParen:
            if (depth == 0 || !builder_.close()) {
              return core::unexpected(make_error(ErrorCode::kUnbalancedParentheses, token.position,
                                                 token.raw, "')' without a matching '('"));
            }
            --depth;
            break;
          case TokenKind::kEnd:
            if (!builder_.finish(ast.tree)) {
              return core::unexpected(make_error(ErrorCode::kUnbalancedParentheses, token.position,
                                                 "(", "a '(' is never closed"));
            }
            return true;
          case TokenKind::kWord:
            if (token.text == "AND" || token.text == "OR" || token.text == "and" ||
                token.text == "or") {
              return core::unexpected(make_error(ErrorCode::kUnexpectedToken, token.position,
                                                 token.raw, "combine conditions with && and ||"));
            }
            [[fallthrough]];
          default:
            return core::unexpected(make_error(ErrorCode::kUnexpectedToken, token.position, token.raw,
                                               "expected &&, || or ')' after a condition"));
        }
      }
      last_position = token_position;
      last_raw = token_raw;
    }
  }

 private:
  core::Result<JsonCondition, Error> parse_condition(Token selector) {
    JsonCondition condition;
    condition.position = selector.position;
    condition.selector = std::move(selector.selector);
    auto next = lexer_.next();
    if (!next) return core::unexpected(std::move(next).error());
    Token token = std::move(next).value();
    if (token.kind == TokenKind::kOperator) {
      condition.kind = ConditionKind::kCompare;
      condition.op = token.op;
      auto value_token = lexer_.next();
      if (!value_token) return core::unexpected(std::move(value_token).error());
      auto value = value_from_token(*value_token);
      if (!value) return core::unexpected(std::move(value).error());
      condition.value = std::move(value).value();
      return condition;
    }
    if (token.kind == TokenKind::kWord) {
      if (token.text == "IS") {
        auto what = lexer_.next();
        if (!what) return core::unexpected(std::move(what).error());
        if (what->kind == TokenKind::kWord && what->text == "NULL") {
          condition.kind = ConditionKind::kIsNull;
        } else if (what->kind == TokenKind::kWord && what->text == "TRUE") {
          condition.kind = ConditionKind::kIsTrue;
        } else if (what->kind == TokenKind::kWord && what->text == "FALSE") {
          condition.kind = ConditionKind::kIsFalse;
        } else if (what->kind == TokenKind::kWord && what->text == "NOT") {
          return core::unexpected(make_error(ErrorCode::kInvalidKeyword, what->position, what->raw,
                                             "'IS NOT' is not supported; use 'NOT EXISTS' or "
                                             "negate with != ",
                                             "Invalid character(s) in term 'NOT'"));
        } else {
          return core::unexpected(make_error(ErrorCode::kInvalidKeyword, what->position, what->raw,
                                             "'IS' must be followed by NULL, TRUE or FALSE"));
        }
        return condition;
      }
      if (token.text == "NOT") {
        auto what = lexer_.next();
        if (!what) return core::unexpected(std::move(what).error());
        if (what->kind == TokenKind::kWord && what->text == "EXISTS") {
          condition.kind = ConditionKind::kNotExists;
          return condition;
        }
        return core::unexpected(make_error(ErrorCode::kInvalidKeyword, what->position, what->raw,
                                           "'NOT' must be followed by EXISTS"));
      }
      if (token.text == "EXISTS") {
        return core::unexpected(make_error(ErrorCode::kInvalidKeyword, token.position, token.raw,
                                           "'EXISTS' alone is not supported; use '= *' or "
                                           "'NOT EXISTS'"));
      }
      return core::unexpected(make_error(ErrorCode::kInvalidKeyword, token.position, token.raw,
                                         "keywords are IS NULL, IS TRUE, IS FALSE and NOT EXISTS, "
                                         "in upper case"));
    }
    return core::unexpected(make_error(ErrorCode::kMissingOperator, token.position, token.raw,
                                       "expected an operator (= != < > <= >=), IS or NOT EXISTS "
                                       "after the selector"));
  }

  Lexer lexer_;
  BoolTreeBuilder builder_;
};

core::Result<bool, Error> parse_delimited(std::string_view inner, std::size_t base, Ast& ast) {
  Lexer lexer(LexerMode::kDelimited, inner, base);
  auto next = [&]() { return lexer.next(); };
  auto first = next();
  if (!first) return core::unexpected(std::move(first).error());
  Token token = std::move(first).value();
  if (token.kind == TokenKind::kEnd) return true;  // "[]": every event, every field extracted
  while (true) {
    DelimitedEntry entry;
    entry.position = token.position;
    if (token.kind == TokenKind::kEllipsis) {
      entry.ellipsis = true;
      auto after = next();
      if (!after) return core::unexpected(std::move(after).error());
      token = std::move(after).value();
    } else if (token.kind == TokenKind::kWord) {
      entry.name = token.text;
      BoolTreeBuilder builder;
      auto after = next();
      if (!after) return core::unexpected(std::move(after).error());
      token = std::move(after).value();
      if (token.kind == TokenKind::kOperator) {
        while (true) {
          FieldCondition condition;
          condition.field = entry.conditions.empty() ? entry.name : condition.field;
          condition.op = token.op;
          condition.position = token.position;
          auto value_token = next();
          if (!value_token) return core::unexpected(std::move(value_token).error());
          auto value = value_from_token(*value_token);
          if (!value) return core::unexpected(std::move(value).error());
          condition.value = std::move(value).value();
          entry.conditions.push_back(std::move(condition));
          builder.leaf(static_cast<std::uint32_t>(entry.conditions.size() - 1));
          auto after_value = next();
          if (!after_value) return core::unexpected(std::move(after_value).error());
          token = std::move(after_value).value();
          if (token.kind != TokenKind::kAnd && token.kind != TokenKind::kOr) break;
          builder.binary(token.kind == TokenKind::kAnd ? BoolTreeBuilder::Op::kAnd
                                                       : BoolTreeBuilder::Op::kOr);
          auto field = next();
          if (!field) return core::unexpected(std::move(field).error());
          if (field->kind != TokenKind::kWord) {
            return core::unexpected(make_error(ErrorCode::kUnexpectedToken, field->position,
                                               field->raw, "expected a field name after && or ||"));
          }
          if (field->text != entry.name) {
            return core::unexpected(make_error(
                ErrorCode::kMixedFieldCondition, field->position, field->raw,
                fmt::format("conditions joined by && or || must all be about the same field ('{}')",
                            entry.name)));
          }
          auto op = next();
          if (!op) return core::unexpected(std::move(op).error());
          if (op->kind != TokenKind::kOperator) {
            return core::unexpected(make_error(ErrorCode::kMissingOperator, op->position, op->raw,
                                               "expected an operator after the field name"));
          }
          token = std::move(op).value();
        }
        builder.finish(entry.tree);
        for (auto& condition : entry.conditions) condition.field = entry.name;
      }
    } else if (token.kind == TokenKind::kComma || token.kind == TokenKind::kEnd) {
      return core::unexpected(make_error(ErrorCode::kEmptyEntry, token.position, token.raw,
                                         "an entry between commas is empty"));
    } else {
      return core::unexpected(make_error(ErrorCode::kInvalidFieldName, token.position, token.raw,
                                         "an entry is a field name (letters, digits, _ and -), "
                                         "optionally with conditions, or '...'"));
    }
    ast.entries.push_back(std::move(entry));
    if (token.kind == TokenKind::kEnd) return true;
    if (token.kind != TokenKind::kComma) {
      return core::unexpected(make_error(ErrorCode::kUnexpectedToken, token.position, token.raw,
                                         "entries are separated by commas"));
    }
    auto after_comma = next();
    if (!after_comma) return core::unexpected(std::move(after_comma).error());
    token = std::move(after_comma).value();
  }
}

}  // namespace

core::Result<Ast, Error> parse(std::string_view pattern) {
  Ast ast;
  ast.text = std::string(pattern);
  const std::size_t length = count_code_points(pattern);
  if (length > kMaxPatternLength) {
    return core::unexpected(make_error(
        ErrorCode::kPatternTooLong, kMaxPatternLength, pattern.substr(0, 20),
        fmt::format("the pattern has {} characters; the limit is {}", length, kMaxPatternLength),
        fmt::format("1 validation error detected: Value '{}' at 'filterPattern' failed to satisfy "
                    "constraint: Member must have length less than or equal to {}",
                    core::printable(pattern, 40), kMaxPatternLength)));
  }
  const std::string_view trimmed = core::trim_pattern_space(pattern);
  const std::size_t base = static_cast<std::size_t>(trimmed.data() - pattern.data());
  if (trimmed.empty()) {
    ast.kind = PatternKind::kMatchAll;
    return ast;
  }
  if (trimmed.front() == '{') {
    if (trimmed.size() < 2 || trimmed.back() != '}') {
      return core::unexpected(make_error(ErrorCode::kMissingClosingBrace, base, "{",
                                         "the pattern starts with '{' but does not end with '}'",
                                         kAwsBraceMismatch));
    }
    ast.kind = PatternKind::kJson;
    JsonParser parser(trimmed.substr(1, trimmed.size() - 2), base + 1);
    auto ok = parser.run(ast);
    if (!ok) return core::unexpected(std::move(ok).error());
    return ast;
  }
  if (trimmed.front() == '[') {
    if (trimmed.size() < 2 || trimmed.back() != ']') {
      return core::unexpected(make_error(ErrorCode::kMissingClosingBracket, base, "[",
                                         "the pattern starts with '[' but does not end with ']'"));
    }
    ast.kind = PatternKind::kDelimited;
    auto ok = parse_delimited(trimmed.substr(1, trimmed.size() - 2), base + 1, ast);
    if (!ok) return core::unexpected(std::move(ok).error());
    return ast;
  }
  if (trimmed.size() >= 2 && trimmed.front() == '%' && trimmed.back() == '%') {
    ast.kind = PatternKind::kRegex;
    ast.regex.kind = ValueKind::kRegex;
    ast.regex.text = std::string(trimmed.substr(1, trimmed.size() - 2));
    ast.regex.position = base;
    return ast;
  }
  auto terms = lex_terms(pattern);
  if (!terms) return core::unexpected(std::move(terms).error());
  ast.kind = PatternKind::kTerms;
  ast.terms = std::move(terms).value();
  return ast;
}

}  // namespace sgwatch::pattern
