// Prefilter computation (see Prefilter in matcher.h): the literals one of which every matching
// message must contain, derived from the AST without recursion. A set is "unknown" when nothing
// can be said (exclusions, numbers, regexes, '!=').
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "pattern/program.h"

namespace sgwatch::pattern {
namespace {

using LiteralSet = std::optional<std::vector<std::string>>;  // nullopt: unknown

// Characters a JSON string can spell with a short escape (\" \\ \/ \b \f \n \r \t); a literal
// is split at them, since such a character may not appear verbatim in the raw event.
bool json_escapable(char c) {
  return c == '"' || c == '\\' || c == '/' || static_cast<unsigned char>(c) < 0x20;
}

// The longest piece of `text` free of '*' (and, for JSON, of escapable characters).
std::string longest_piece(std::string_view text, bool json) {
  std::string_view best;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool cut = i == text.size() || text[i] == '*' || (json && json_escapable(text[i]));
    if (cut) {
      if (i - start > best.size()) best = text.substr(start, i - start);
      start = i + 1;
    }
  }
  return std::string(best);
}

LiteralSet single(std::string literal) {
  if (literal.empty()) return std::nullopt;
  return std::vector<std::string>{std::move(literal)};
}

LiteralSet for_value(CompareOp op, const Value& value, bool json) {
  if (op != CompareOp::kEq || value.kind != ValueKind::kString) return std::nullopt;
  return single(longest_piece(value.text, json));
}

std::size_t shortest(const std::vector<std::string>& set) {
  std::size_t n = SIZE_MAX;
  for (const auto& s : set) n = std::min(n, s.size());
  return n;
}

// AND: any child's set is sound; keep the most selective one.
LiteralSet combine_and(const std::vector<LiteralSet>& children) {
  LiteralSet best;
  for (const LiteralSet& child : children) {
    if (!child) continue;
    if (!best || shortest(*child) > shortest(*best) ||
        (shortest(*child) == shortest(*best) && child->size() < best->size())) {
      best = child;
    }
  }
  return best;
}

// OR: every alternative must contribute, so the union; unknown if any child is unknown.
LiteralSet combine_or(const std::vector<LiteralSet>& children) {
  std::vector<std::string> all;
  for (const LiteralSet& child : children) {
    if (!child) return std::nullopt;
    all.insert(all.end(), child->begin(), child->end());
  }
  return all;
}

template <class LeafSet>
LiteralSet over_tree(const BoolTree& tree, LeafSet&& leaf_set) {
  if (tree.empty()) return std::nullopt;
  std::vector<LiteralSet> result(tree.nodes.size());
  // Iterative post-order: a node is finished after all its children.
  std::vector<std::pair<std::uint32_t, bool>> stack{{tree.root, false}};
  while (!stack.empty()) {
    auto [node, expanded] = stack.back();
    stack.pop_back();
    const BoolNode& n = tree.nodes[node];
    if (n.kind == BoolKind::kLeaf) {
      result[node] = leaf_set(n.leaf);
      continue;
    }
    if (!expanded) {
      stack.push_back({node, true});
      for (std::uint32_t child : n.children) stack.push_back({child, false});
      continue;
    }
    std::vector<LiteralSet> children;
    children.reserve(n.children.size());
    for (std::uint32_t child : n.children) children.push_back(result[child]);
    result[node] = n.kind == BoolKind::kAnd ? combine_and(children) : combine_or(children);
  }
  return result[tree.root];
}

// Drops duplicates and every literal that contains a shorter one of the set (finding the
// shorter one already proves the alternative).
void minimize(std::vector<std::string>& set) {
  std::sort(set.begin(), set.end(),
            [](const std::string& a, const std::string& b) {
              return a.size() != b.size() ? a.size() < b.size() : a < b;
            });
  set.erase(std::unique(set.begin(), set.end()), set.end());
  std::vector<std::string> kept;
  for (const std::string& s : set) {
    const bool redundant = std::any_of(kept.begin(), kept.end(), [&](const std::string& k) {
      return s.find(k) != std::string::npos;
    });
    if (!redundant) kept.push_back(s);
  }
  set = std::move(kept);
}

// The longest substring common to every literal (other than the escape alternative), when it is
// long enough to be worth a pass of its own.
std::string common_core(const std::vector<std::string>& set) {
  constexpr std::size_t kMinCore = 4;
  std::vector<const std::string*> literals;
  for (const std::string& s : set) {
    if (s != "\\u") literals.push_back(&s);
  }
  if (literals.size() < 2) return {};
  const std::string* shortest_literal = *std::min_element(
      literals.begin(), literals.end(),
      [](const std::string* a, const std::string* b) { return a->size() < b->size(); });
  const std::string& base = *shortest_literal;
  for (std::size_t length = base.size(); length >= kMinCore; --length) {
    for (std::size_t start = 0; start + length <= base.size(); ++start) {
      const std::string_view candidate(base.data() + start, length);
      const bool everywhere = std::all_of(literals.begin(), literals.end(), [&](const std::string* s) {
        return s->find(candidate) != std::string::npos;
      });
      if (everywhere) return std::string(candidate);
    }
  }
  return {};
}

}  // namespace

Prefilter compute_prefilter(const Ast& ast) {
  LiteralSet set;
  switch (ast.kind) {
    case PatternKind::kMatchAll:
    case PatternKind::kRegex:
      break;
    case PatternKind::kTerms: {
      std::vector<LiteralSet> required;
      std::vector<LiteralSet> optional;
      bool has_excluded = false;
      for (const Term& term : ast.terms) {
        if (term.mode == TermMode::kRequired) required.push_back(single(term.text));
        if (term.mode == TermMode::kOptional) optional.push_back(single(term.text));
        if (term.mode == TermMode::kExcluded) has_excluded = true;
      }
      if (!required.empty()) {
        set = combine_and(required);
      } else if (!has_excluded && !optional.empty()) {
        set = combine_or(optional);
      }
      break;
    }
    case PatternKind::kJson:
      set = over_tree(ast.tree, [&](std::uint32_t leaf) -> LiteralSet {
        const JsonCondition& condition = ast.conditions[leaf];
        switch (condition.kind) {
          case ConditionKind::kIsTrue: return single("true");
          case ConditionKind::kIsFalse: return single("false");
          case ConditionKind::kIsNull: return single("null");
          case ConditionKind::kNotExists: return std::nullopt;
          case ConditionKind::kCompare: return for_value(condition.op, condition.value, true);
        }
        return std::nullopt;
      });
      // Any literal may be hidden behind a \uXXXX escape in the raw event.
      if (set) set->push_back("\\u");
      break;
    case PatternKind::kDelimited: {
      std::vector<LiteralSet> entries;
      for (const DelimitedEntry& entry : ast.entries) {
        entries.push_back(over_tree(entry.tree, [&](std::uint32_t leaf) {
          const FieldCondition& condition = entry.conditions[leaf];
          return for_value(condition.op, condition.value, false);
        }));
      }
      set = combine_and(entries);
      break;
    }
  }
  Prefilter prefilter;
  if (set) {
    minimize(*set);
    prefilter.core = common_core(*set);
  }
  prefilter.any_of = std::move(set);
  return prefilter;
}

}  // namespace sgwatch::pattern
