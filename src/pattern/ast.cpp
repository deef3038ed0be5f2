// Small helpers of ast.h and error.h.
#include "pattern/ast.h"

#include <fmt/format.h>

#include "core/text.h"
#include "pattern/error.h"

namespace sgwatch::pattern {

std::size_t Selector::wildcard_count() const {
  std::size_t count = 0;
  for (const Segment& segment : segments) {
    if (segment.kind == SegmentKind::kAnyMember || segment.kind == SegmentKind::kAnyElement) {
      ++count;
    }
  }
  return count;
}

std::string_view pattern_kind_name(PatternKind kind) {
  switch (kind) {
    case PatternKind::kMatchAll: return "match-all";
    case PatternKind::kTerms: return "terms";
    case PatternKind::kRegex: return "regex";
    case PatternKind::kJson: return "json";
    case PatternKind::kDelimited: return "delimited";
  }
  return "?";
}

std::string_view compare_op_text(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "!=";
    case CompareOp::kLt: return "<";
    case CompareOp::kGt: return ">";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGe: return ">=";
  }
  return "?";
}

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kPatternTooLong: return "PatternTooLong";
    case ErrorCode::kMissingClosingBrace: return "MissingClosingBrace";
    case ErrorCode::kMissingClosingBracket: return "MissingClosingBracket";
    case ErrorCode::kUnterminatedString: return "UnterminatedString";
    case ErrorCode::kInvalidTerm: return "InvalidTerm";
    case ErrorCode::kInvalidSelector: return "InvalidSelector";
    case ErrorCode::kInvalidOperator: return "InvalidOperator";
    case ErrorCode::kMissingOperator: return "MissingOperator";
    case ErrorCode::kMissingValue: return "MissingValue";
    case ErrorCode::kInvalidValue: return "InvalidValue";
    case ErrorCode::kInvalidKeyword: return "InvalidKeyword";
    case ErrorCode::kUnbalancedParentheses: return "UnbalancedParentheses";
    case ErrorCode::kUnexpectedToken: return "UnexpectedToken";
    case ErrorCode::kEmptyExpression: return "EmptyExpression";
    case ErrorCode::kNumericOperatorNeedsNumber: return "NumericOperatorNeedsNumber";
    case ErrorCode::kRegexOperator: return "RegexOperator";
    case ErrorCode::kRegexInvalidCharacter: return "RegexInvalidCharacter";
    case ErrorCode::kRegexCompile: return "RegexCompile";
    case ErrorCode::kTooManyRegex: return "TooManyRegex";
    case ErrorCode::kTooManyWildcardsInSelector: return "TooManyWildcardsInSelector";
    case ErrorCode::kTooManyWildcards: return "TooManyWildcards";
    case ErrorCode::kDuplicateField: return "DuplicateField";
    case ErrorCode::kMixedFieldCondition: return "MixedFieldCondition";
    case ErrorCode::kInvalidFieldName: return "InvalidFieldName";
    case ErrorCode::kEmptyEntry: return "EmptyEntry";
    case ErrorCode::kInvalidTransformation: return "InvalidTransformation";
  }
  return "?";
}

std::string Error::describe() const {
  return fmt::format("byte {} ('{}'): {} ({})", position, core::printable(fragment, 60),
                     aws_message, why);
}

}  // namespace sgwatch::pattern
