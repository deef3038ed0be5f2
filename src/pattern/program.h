// The compiled form of a pattern (internal to the pattern module): values with their wildcard
// shape resolved, regexes compiled, boolean trees turned into short-circuit jump tables.
// Neighbours: matcher.cpp builds and runs it; metric_filter.cpp resolves selectors with it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pattern/ast.h"
#include "pattern/json_tree.h"
#include "pattern/matcher.h"
#include "pattern/regex.h"

namespace sgwatch::pattern {

// A string value with '*' at either end resolved (spec 5.3).
struct WildcardText {
  enum class Shape { kExact, kPrefix, kSuffix, kContains };
  Shape shape = Shape::kExact;
  std::string core;  // the text without the wildcard stars
  static WildcardText from(const std::string& text);
  bool matches(std::string_view candidate) const;
};

struct CompiledValue {
  ValueKind kind = ValueKind::kString;
  std::string text;  // as written (number lexeme, string content)
  double number = 0;
  WildcardText wildcard;
  std::optional<Regex> regex;
};

// Short-circuit evaluation of an and/or tree: step i evaluates leaf `leaf` and jumps to
// `on_true` / `on_false` (a later step, or kAccept / kReject). Jumps only go forward.
struct BoolProgram {
  static constexpr std::int32_t kAccept = -1;
  static constexpr std::int32_t kReject = -2;
  struct Step {
    std::uint32_t leaf = 0;
    std::int32_t on_true = kAccept;
    std::int32_t on_false = kReject;
  };
  std::vector<Step> steps;

  static BoolProgram from(const BoolTree& tree);

  template <class Leaf>
  bool run(Leaf&& leaf) const {
    if (steps.empty()) return true;
    std::int32_t pc = 0;
    while (true) {
      const Step& step = steps[static_cast<std::size_t>(pc)];
      pc = leaf(step.leaf) ? step.on_true : step.on_false;
      if (pc == kAccept) return true;
      if (pc == kReject) return false;
    }
  }
};

struct CompiledJsonCondition {
  std::vector<Segment> segments;
  bool has_wildcard = false;
  ConditionKind kind = ConditionKind::kCompare;
  CompareOp op = CompareOp::kEq;
  CompiledValue value;
};

struct CompiledFieldCondition {
  CompareOp op = CompareOp::kEq;
  CompiledValue value;
};

struct CompiledEntry {
  bool ellipsis = false;
  std::string name;
  std::vector<CompiledFieldCondition> conditions;
  BoolProgram program;
};

struct Matcher::Program {
  Ast ast;
  std::vector<std::string> required;
  std::vector<std::string> excluded;
  std::vector<std::string> optional;
  std::optional<Regex> regex;
  std::vector<CompiledJsonCondition> json_conditions;
  BoolProgram json_program;
  std::vector<CompiledEntry> entries;
  std::int64_t ellipsis_index = -1;  // -1: none; "[]" behaves as "[...]"
  Prefilter prefilter;
};

// Resolves a selector without wildcards to one node of `tree` (root = node 0); nullopt when
// absent. The last of duplicate keys wins.
std::optional<std::uint32_t> resolve_single(const JsonTree& tree, const std::vector<Segment>& path);

// Resolves any selector to its candidate nodes (appended to `out`, which is cleared first).
void resolve_all(const JsonTree& tree, const std::vector<Segment>& path,
                 std::vector<std::uint32_t>& out);

// Computes the prefilter of an AST (prefilter.cpp).
Prefilter compute_prefilter(const Ast& ast);

// Binds a delimited pattern's entries to the subject's fields; false when the event has too few
// fields. `values[i]` receives entry i's field value (empty view for the ellipsis).
bool bind_fields(const Matcher::Program& program, Subject& subject,
                 std::vector<std::string_view>& values, std::size_t& ellipsis_first,
                 std::size_t& ellipsis_count);

}  // namespace sgwatch::pattern
