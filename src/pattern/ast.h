// The syntax tree of a filter pattern, as the parser builds it and the checker and compiler read
// it. Boolean structure lives in flat node arrays (no recursion over user-controlled nesting).
// Neighbours: parser.h builds it, checker.h validates it, matcher.cpp compiles it, dump.h prints it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sgwatch::pattern {

enum class PatternKind { kMatchAll, kTerms, kRegex, kJson, kDelimited };

enum class CompareOp { kEq, kNe, kLt, kGt, kLe, kGe };

enum class ValueKind {
  kString,  // bare or quoted text; '*' at either end is a wildcard
  kNumber,  // a bare number
  kAny,     // '*' or "*"
  kRegex,   // %...%
};

struct Value {
  ValueKind kind = ValueKind::kString;
  std::string text;    // unescaped string, number lexeme as written, or regex body
  bool quoted = false;
  double number = 0;   // kNumber only
  std::size_t position = 0;
};

enum class SegmentKind {
  kMember,      // .name, .['key'], ['key']
  kIndex,       // [n]
  kAnyMember,   // .*  : every member value of an object
  kAnyElement,  // [*] : every element of an array, or every member value of an object
};

struct Segment {
  SegmentKind kind = SegmentKind::kMember;
  std::string name;     // kMember
  std::uint64_t index = 0;  // kIndex
};

struct Selector {
  std::vector<Segment> segments;
  std::string text;  // as written, e.g. "$.requestParameters.groupId"
  std::size_t position = 0;
  std::size_t wildcard_count() const;
};

enum class ConditionKind { kCompare, kIsNull, kIsTrue, kIsFalse, kNotExists };

struct JsonCondition {
  Selector selector;
  ConditionKind kind = ConditionKind::kCompare;
  CompareOp op = CompareOp::kEq;  // kCompare only
  Value value;                    // kCompare only
  std::size_t position = 0;
};

// And/Or over leaves; n-ary, chains of the same operator are flattened.
enum class BoolKind { kLeaf, kAnd, kOr };
struct BoolNode {
  BoolKind kind = BoolKind::kLeaf;
  std::uint32_t leaf = 0;               // kLeaf: index into the owner's condition list
  std::vector<std::uint32_t> children;  // kAnd / kOr: indices into BoolTree::nodes
};
struct BoolTree {
  std::vector<BoolNode> nodes;
  std::uint32_t root = 0;
  bool empty() const { return nodes.empty(); }
};

enum class TermMode { kRequired, kExcluded, kOptional };
struct Term {
  TermMode mode = TermMode::kRequired;
  std::string text;  // unescaped
  bool quoted = false;
  std::size_t position = 0;
};

struct FieldCondition {
  std::string field;
  CompareOp op = CompareOp::kEq;
  Value value;
  std::size_t position = 0;
};

struct DelimitedEntry {
  bool ellipsis = false;
  std::string name;
  std::vector<FieldCondition> conditions;
  BoolTree tree;  // over `conditions`; empty when the entry only names a field
  std::size_t position = 0;
};

struct Ast {
  PatternKind kind = PatternKind::kMatchAll;
  std::string text;  // the pattern as given
  // kTerms
  std::vector<Term> terms;
  // kRegex
  Value regex;
  // kJson
  std::vector<JsonCondition> conditions;
  BoolTree tree;
  // kDelimited
  std::vector<DelimitedEntry> entries;
};

std::string_view pattern_kind_name(PatternKind kind);
std::string_view compare_op_text(CompareOp op);

}  // namespace sgwatch::pattern
