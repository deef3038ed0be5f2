// Implementation of checker.h.
#include "pattern/checker.h"

#include <fmt/format.h>

#include <set>

#include "pattern/regex.h"

namespace sgwatch::pattern {
namespace {

std::optional<Error> check_value(CompareOp op, const Value& value, std::size_t op_position,
                                 std::size_t& regex_count) {
  const bool numeric_op = op == CompareOp::kLt || op == CompareOp::kGt || op == CompareOp::kLe ||
                          op == CompareOp::kGe;
  if (value.kind == ValueKind::kRegex) {
    if (numeric_op) {
      return Error{ErrorCode::kRegexOperator, op_position, fmt::format("%{}%", value.text),
                   std::string(kAwsInvalidPattern),
                   "a regular expression can only be used with = and !="};
    }
    if (auto translated = translate_regex(value.text, value.position); !translated) {
      return translated.error();
    }
    if (++regex_count > kMaxRegexPerPattern) {
      return Error{ErrorCode::kTooManyRegex, value.position, fmt::format("%{}%", value.text),
                   std::string(kAwsTooManyRegex),
                   fmt::format("a filter pattern may hold at most {} regular expressions",
                               kMaxRegexPerPattern)};
    }
    return std::nullopt;
  }
  if (numeric_op && value.kind != ValueKind::kNumber) {
    return Error{ErrorCode::kNumericOperatorNeedsNumber, value.position,
                 value.quoted ? fmt::format("\"{}\"", value.text) : value.text,
                 std::string(kAwsInvalidPattern),
                 fmt::format("'{}' compares numbers; the value is not a number",
                             compare_op_text(op))};
  }
  return std::nullopt;
}

std::optional<Error> check_json(const Ast& ast) {
  std::size_t regex_count = 0;
  std::size_t wildcards = 0;
  for (const JsonCondition& condition : ast.conditions) {
    const std::size_t here = condition.selector.wildcard_count();
    if (here > kMaxWildcardsPerSelector) {
      return Error{ErrorCode::kTooManyWildcardsInSelector, condition.selector.position,
                   condition.selector.text, std::string(kAwsWildcardPerSelector),
                   "a selector may contain at most one wildcard ([*] or .*)"};
    }
    wildcards += here;
    if (wildcards > kMaxWildcardsPerPattern) {
      return Error{ErrorCode::kTooManyWildcards, condition.selector.position,
                   condition.selector.text, std::string(kAwsTooManyWildcards),
                   fmt::format("a JSON pattern may contain at most {} wildcard selectors",
                               kMaxWildcardsPerPattern)};
    }
    if (condition.kind == ConditionKind::kCompare) {
      if (auto error = check_value(condition.op, condition.value, condition.position, regex_count)) {
        return error;
      }
    }
  }
  return std::nullopt;
}

std::optional<Error> check_delimited(const Ast& ast) {
  std::size_t regex_count = 0;
  std::set<std::string> names;
  bool ellipsis = false;
  for (const DelimitedEntry& entry : ast.entries) {
    const std::string name = entry.ellipsis ? "..." : entry.name;
    const bool duplicate = entry.ellipsis ? ellipsis : !names.insert(name).second;
    if (entry.ellipsis) ellipsis = true;
    if (duplicate) {
      return Error{ErrorCode::kDuplicateField, entry.position, name,
                   fmt::format("Duplicate field '{}'", name),
                   entry.ellipsis ? "a pattern may contain '...' only once"
                                  : "every field name may appear only once"};
    }
    for (const FieldCondition& condition : entry.conditions) {
      if (auto error = check_value(condition.op, condition.value, condition.position, regex_count)) {
        return error;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> check(const Ast& ast) {
  switch (ast.kind) {
    case PatternKind::kMatchAll:
    case PatternKind::kTerms:
      return std::nullopt;
    case PatternKind::kRegex:
      if (auto translated = translate_regex(ast.regex.text, ast.regex.position); !translated) {
        return translated.error();
      }
      return std::nullopt;
    case PatternKind::kJson:
      return check_json(ast);
    case PatternKind::kDelimited:
      return check_delimited(ast);
  }
  return std::nullopt;
}

}  // namespace sgwatch::pattern
