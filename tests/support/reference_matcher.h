// A deliberately naive reference implementation of filter-pattern matching (spec sections 2-6),
// sharing nothing with the engine: a pattern is a small model (plain structs), render() prints it
// as filter-pattern text and evaluate() decides it against an event directly (nlohmann::json SAX
// for JSON events, plain string searches, std::regex for the regex dialect). Slow and simple on
// purpose. Neighbours: tests/unit/pattern/differential_test.cpp compares it with pattern::Matcher.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sgwatch::testing::reference {

enum class Op { kEq, kNe, kLt, kGt, kLe, kGe };

// A comparison value of a JSON condition or a delimited field condition.
struct Value {
  enum class Kind {
    kString,  // text with '*' at either end as a wildcard (spec 5.3)
    kNumber,  // a number literal; `text` is its lexeme as written
    kAny,     // '*'
    kRegex,   // `text` is the body between the two '%'
  };
  Kind kind = Kind::kString;
  std::string text;     // unescaped string content, number lexeme or regex body
  bool quoted = false;  // kString / kAny: written inside double quotes
};

// An and/or tree over the conditions of one owner (leaves index its condition list).
struct BoolExpr {
  enum class Kind { kLeaf, kAnd, kOr };
  Kind kind = Kind::kLeaf;
  std::size_t leaf = 0;
  std::vector<BoolExpr> children;
  bool parens = false;  // extra parentheses when rendered; needed ones are always added
};

// One step of a JSON selector.
struct Segment {
  enum class Kind { kMember, kIndex, kAnyMember, kAnyElement };  // .name  [n]  .*  [*]
  enum class Style { kDot, kDotBracket, kBracket };              // .name  .['name']  ['name']
  Kind kind = Kind::kMember;
  std::string name;
  std::size_t index = 0;
  Style style = Style::kDot;
};

struct JsonCondition {
  enum class Kind { kCompare, kIsNull, kIsTrue, kIsFalse, kNotExists };
  std::vector<Segment> selector;  // after the '$'
  Kind kind = Kind::kCompare;
  Op op = Op::kEq;
  Value value;
};

struct JsonPattern {
  std::vector<JsonCondition> conditions;
  BoolExpr expr;
};

struct Term {
  enum class Mode { kRequired, kExcluded, kOptional };
  Mode mode = Mode::kRequired;
  std::string text;     // unescaped
  bool quoted = false;  // rendered as a "phrase"
};

struct TermPattern {
  std::vector<Term> terms;
};

struct RegexPattern {
  std::string body;  // between the two '%'
};

struct FieldCondition {
  Op op = Op::kEq;
  Value value;
};

struct DelimitedEntry {
  bool ellipsis = false;
  std::string name;
  std::vector<FieldCondition> conditions;  // empty: the entry only names its field
  BoolExpr expr;                           // over `conditions`
};

struct DelimitedPattern {
  std::vector<DelimitedEntry> entries;  // none: "[]"
};

// A pattern of blanks only (or nothing at all): matches every event.
struct MatchAllPattern {
  std::string blank;
};

using Pattern =
    std::variant<MatchAllPattern, TermPattern, RegexPattern, JsonPattern, DelimitedPattern>;

// Prints `pattern` as filter-pattern text. layout_seed 0 gives the canonical layout (single
// spaces); any other seed picks the whitespace between tokens pseudo-randomly (none where the
// grammar allows it, spaces, tabs, newlines, CRLF), always the same for the same seed.
std::string render(const Pattern& pattern, std::uint64_t layout_seed = 0);

// extractedValues of a space-delimited match: ("$name" or "$position", value) in field order.
using Extracted = std::vector<std::pair<std::string, std::string>>;

// Decides `pattern` against one event message. When `extracted` is given it is cleared, then
// filled for a matching space-delimited pattern.
bool evaluate(const Pattern& pattern, std::string_view event, Extracted* extracted = nullptr);

// The pieces evaluate() is made of, exposed for the reference's own tests.
bool wildcard_equals(std::string_view value, std::string_view candidate);  // spec 5.3
bool is_number_text(std::string_view text);  // the `number` production of spec 5.1
bool regex_search(std::string_view body, std::string_view subject);  // unanchored, spec 4
std::string escape_for_display(std::string_view text);  // C-style escapes for failure messages

}  // namespace sgwatch::testing::reference
