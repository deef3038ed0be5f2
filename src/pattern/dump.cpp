// Implementation of dump.h (iterative, like every walk over user-controlled nesting).
#include "pattern/dump.h"

#include <fmt/format.h>

namespace sgwatch::pattern {
namespace {

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string op_name(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "eq";
    case CompareOp::kNe: return "ne";
    case CompareOp::kLt: return "lt";
    case CompareOp::kGt: return "gt";
    case CompareOp::kLe: return "le";
    case CompareOp::kGe: return "ge";
  }
  return "?";
}

std::string value_text(const Value& value) {
  switch (value.kind) {
    case ValueKind::kString: return quote(value.text);
    case ValueKind::kNumber: return "#" + value.text;
    case ValueKind::kAny: return "*";
    case ValueKind::kRegex: return "%" + value.text + "%";
  }
  return "?";
}

template <class Leaf>
std::string dump_tree(const BoolTree& tree, Leaf&& leaf) {
  std::string out;
  // Items: a node to open, or a string to append once its children are printed.
  struct Item {
    std::uint32_t node;
    bool close;
    bool space_before;
  };
  std::vector<Item> stack{{tree.root, false, false}};
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    if (item.close) {
      out += ')';
      continue;
    }
    if (item.space_before) out += ' ';
    const BoolNode& node = tree.nodes[item.node];
    if (node.kind == BoolKind::kLeaf) {
      out += leaf(node.leaf);
      continue;
    }
    out += node.kind == BoolKind::kAnd ? "and(" : "or(";
    stack.push_back({0, true, false});
    for (std::size_t i = node.children.size(); i-- > 0;) {
      stack.push_back({node.children[i], false, i > 0});
    }
  }
  return out;
}

}  // namespace

std::string dump(const Selector& selector) {
  std::string out = "$";
  for (const Segment& segment : selector.segments) {
    switch (segment.kind) {
      case SegmentKind::kMember: {
        bool plain = !segment.name.empty();
        for (char c : segment.name) {
          plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
        }
        out += plain ? "." + segment.name : "['" + segment.name + "']";
        break;
      }
      case SegmentKind::kIndex: out += fmt::format("[{}]", segment.index); break;
      case SegmentKind::kAnyMember: out += ".*"; break;
      case SegmentKind::kAnyElement: out += "[*]"; break;
    }
  }
  return out;
}

std::string dump(const Ast& ast) {
  switch (ast.kind) {
    case PatternKind::kMatchAll:
      return "all";
    case PatternKind::kRegex:
      return "regex(%" + ast.regex.text + "%)";
    case PatternKind::kTerms: {
      std::string out = "terms(";
      for (std::size_t i = 0; i < ast.terms.size(); ++i) {
        const Term& term = ast.terms[i];
        if (i > 0) out += ' ';
        out += term.mode == TermMode::kRequired ? '+' : term.mode == TermMode::kExcluded ? '-' : '?';
        out += term.quoted ? quote(term.text) : term.text;
      }
      return out + ")";
    }
    case PatternKind::kJson:
      return "json(" +
             dump_tree(ast.tree,
                       [&](std::uint32_t leaf) {
                         const JsonCondition& c = ast.conditions[leaf];
                         const std::string sel = dump(c.selector);
                         switch (c.kind) {
                           case ConditionKind::kIsNull: return "null(" + sel + ")";
                           case ConditionKind::kIsTrue: return "true(" + sel + ")";
                           case ConditionKind::kIsFalse: return "false(" + sel + ")";
                           case ConditionKind::kNotExists: return "absent(" + sel + ")";
                           case ConditionKind::kCompare:
                             return op_name(c.op) + "(" + sel + "," + value_text(c.value) + ")";
                         }
                         return std::string("?");
                       }) +
             ")";
    case PatternKind::kDelimited: {
      std::string out = "delim(";
      for (std::size_t i = 0; i < ast.entries.size(); ++i) {
        const DelimitedEntry& entry = ast.entries[i];
        if (i > 0) out += ' ';
        if (entry.ellipsis) {
          out += "...";
          continue;
        }
        out += entry.name;
        if (!entry.tree.empty()) {
          out += "{" + dump_tree(entry.tree, [&](std::uint32_t leaf) {
            const FieldCondition& c = entry.conditions[leaf];
            return op_name(c.op) + "(" + value_text(c.value) + ")";
          }) + "}";
        }
      }
      return out + ")";
    }
  }
  return "?";
}

}  // namespace sgwatch::pattern
