// A rejected filter pattern or metric transformation: a code, the byte position, the offending
// fragment, AWS's message where the spec knows it, and a sentence on why.
// Neighbours: produced by lexer, parser, checker, regex and metric_filter; read by the CLI and API.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sgwatch::pattern {

enum class ErrorCode {
  kPatternTooLong,
  kMissingClosingBrace,    // starts with '{' but does not end with '}'
  kMissingClosingBracket,  // starts with '[' but does not end with ']'
  kUnterminatedString,
  kInvalidTerm,          // a term AWS rejects with "Invalid character(s) in term"
  kInvalidSelector,      // JSON selector: not '$', empty, bad segment, '..', bad index
  kInvalidOperator,      // '==', '!', unknown operator
  kMissingOperator,
  kMissingValue,
  kInvalidValue,         // single quotes, bare null, value with a forbidden character
  kInvalidKeyword,       // IS NOT, bare EXISTS, lower-case or unknown keyword
  kUnbalancedParentheses,
  kUnexpectedToken,      // a token where the grammar allows none (dangling &&, "AND", ...)
  kEmptyExpression,      // '{ }'
  kNumericOperatorNeedsNumber,
  kRegexOperator,        // regex with an operator other than = and !=
  kRegexInvalidCharacter,
  kRegexCompile,
  kTooManyRegex,
  kTooManyWildcardsInSelector,
  kTooManyWildcards,
  kDuplicateField,
  kMixedFieldCondition,  // one delimited entry with conditions on two fields
  kInvalidFieldName,
  kEmptyEntry,
  kInvalidTransformation,  // metric filter configuration (spec section 9)
};

// Stable text name of a code, e.g. "InvalidTerm"; used in JSON output and tests.
std::string_view error_code_name(ErrorCode code);

struct Error {
  ErrorCode code;
  std::size_t position = 0;  // byte offset into the pattern (or transformation field)
  std::string fragment;      // the offending text, as written
  std::string aws_message;   // the message AWS answers with (InvalidParameterException)
  std::string why;           // sgwatch's own explanation, one sentence

  // "byte 12 ('*'): Invalid character(s) in term '*' (a '*' is not a wildcard in term patterns)"
  std::string describe() const;
};

inline constexpr std::string_view kAwsInvalidPattern = "Invalid metric filter pattern";
inline constexpr std::string_view kAwsRegexCompile = "Failed to compile regular expression.";
inline constexpr std::string_view kAwsTooManyRegex =
    "Your input has exceeded the maximum of 2 regular expressions per filter pattern.";
inline constexpr std::string_view kAwsWildcardPerSelector =
    "Your filter pattern has a JSON path selector that exceeds the maximum of 1 wildcard allowed "
    "per json selector.";
inline constexpr std::string_view kAwsTooManyWildcards =
    "Your input has exceeded the maximum of 3 JSON wildcard selectors allowed per filter pattern.";
inline constexpr std::string_view kAwsBraceMismatch =
    "If a filter pattern starts with '{' it must end with '}'";

}  // namespace sgwatch::pattern
