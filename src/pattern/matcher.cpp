// Implementation of matcher.h: compilation of a checked AST into a Program, and evaluation of
// every pattern kind (spec sections 3-6). No recursion: selectors are resolved with loops and
// boolean trees run as jump tables.
#include "pattern/matcher.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "core/text.h"
#include "pattern/checker.h"
#include "pattern/parser.h"
#include "pattern/program.h"

namespace sgwatch::pattern {
namespace {

bool contains(std::string_view haystack, std::string_view needle) {
  return core::contains_bytes(haystack, needle);
}

core::Result<CompiledValue, Error> compile_value(const Value& value) {
  CompiledValue out;
  out.kind = value.kind;
  out.text = value.text;
  out.number = value.number;
  if (value.kind == ValueKind::kString) out.wildcard = WildcardText::from(value.text);
  if (value.kind == ValueKind::kRegex) {
    auto regex = Regex::compile(value.text, value.position);
    if (!regex) return core::unexpected(std::move(regex).error());
    out.regex = std::move(regex).value();
  }
  return out;
}

bool compare_numbers(CompareOp op, double left, double right) {
  switch (op) {
    case CompareOp::kEq: return left == right;
    case CompareOp::kNe: return left != right;
    case CompareOp::kLt: return left < right;
    case CompareOp::kGt: return left > right;
    case CompareOp::kLe: return left <= right;
    case CompareOp::kGe: return left >= right;
  }
  return false;
}

// One JSON candidate against a comparison (spec 5.2 table).
bool compare_json(const CompiledJsonCondition& condition, const JsonNode& node) {
  const CompiledValue& value = condition.value;
  const bool eq = condition.op == CompareOp::kEq;
  switch (value.kind) {
    case ValueKind::kAny:
      return eq && (node.type == JsonType::kString || node.type == JsonType::kNumber);
    case ValueKind::kRegex:
      if (node.type != JsonType::kString) return false;
      return value.regex->search(node.text) == eq;
    case ValueKind::kNumber:
      if (node.type == JsonType::kNumber) return compare_numbers(condition.op, node.number, value.number);
      if (node.type == JsonType::kString && (eq || condition.op == CompareOp::kNe)) {
        return (node.text == value.text) == eq;
      }
      return false;
    case ValueKind::kString:
      if (node.type != JsonType::kString && node.type != JsonType::kNumber) return false;
      return value.wildcard.matches(node.text) == eq;
  }
  return false;
}

bool holds_for(const CompiledJsonCondition& condition, const JsonTree& tree, std::uint32_t index) {
  const JsonNode& node = tree[index];
  switch (condition.kind) {
    case ConditionKind::kNotExists:
      return false;
    case ConditionKind::kIsTrue:
      return node.type == JsonType::kTrue;
    case ConditionKind::kIsFalse:
      return node.type == JsonType::kFalse;
    case ConditionKind::kIsNull:
      if (node.type == JsonType::kNull) return true;
      if (node.type == JsonType::kArray) {
        for (std::uint32_t child = tree.first_child(index); child < node.end; child = tree[child].end) {
          if (tree[child].type == JsonType::kNull) return true;
        }
      }
      return false;
    case ConditionKind::kCompare:
      return compare_json(condition, node);
  }
  return false;
}

bool evaluate_json(const Matcher::Program& program, const JsonTree& tree) {
  thread_local std::vector<std::uint32_t> candidates;
  return program.json_program.run([&](std::uint32_t leaf) {
    const CompiledJsonCondition& condition = program.json_conditions[leaf];
    if (!condition.has_wildcard) {
      const auto node = resolve_single(tree, condition.segments);
      if (!node) return condition.kind == ConditionKind::kNotExists;
      return holds_for(condition, tree, *node);
    }
    resolve_all(tree, condition.segments, candidates);
    if (condition.kind == ConditionKind::kNotExists) return candidates.empty();
    return std::any_of(candidates.begin(), candidates.end(),
                       [&](std::uint32_t index) { return holds_for(condition, tree, index); });
  });
}

bool field_condition_holds(const CompiledFieldCondition& condition, std::string_view field) {
  const CompiledValue& value = condition.value;
  const bool eq = condition.op == CompareOp::kEq;
  switch (value.kind) {
    case ValueKind::kAny:
      return eq;
    case ValueKind::kRegex:
      return value.regex->search(field) == eq;
    case ValueKind::kNumber: {
      if (auto number = core::parse_pattern_number(field)) {
        return compare_numbers(condition.op, *number, value.number);
      }
      if (eq || condition.op == CompareOp::kNe) return (field == value.text) == eq;
      return false;
    }
    case ValueKind::kString:
      return value.wildcard.matches(field) == eq;
  }
  return false;
}

bool evaluate_terms(const Matcher::Program& program, std::string_view message) {
  if (!program.required.empty() || !program.excluded.empty()) {
    for (const std::string& term : program.required) {
      if (!contains(message, term)) return false;
    }
    for (const std::string& term : program.excluded) {
      if (contains(message, term)) return false;
    }
    return true;
  }
  if (!program.optional.empty()) {
    return std::any_of(program.optional.begin(), program.optional.end(),
                       [&](const std::string& term) { return contains(message, term); });
  }
  return true;
}

bool evaluate_delimited(const Matcher::Program& program, Subject& subject,
                        ExtractedValues* extracted) {
  thread_local std::vector<std::string_view> values;
  std::size_t ellipsis_first = 0;
  std::size_t ellipsis_count = 0;
  if (!bind_fields(program, subject, values, ellipsis_first, ellipsis_count)) return false;
  for (std::size_t i = 0; i < program.entries.size(); ++i) {
    const CompiledEntry& entry = program.entries[i];
    if (entry.conditions.empty()) continue;
    const std::string_view field = values[i];
    const bool ok = entry.program.run(
        [&](std::uint32_t leaf) { return field_condition_holds(entry.conditions[leaf], field); });
    if (!ok) return false;
  }
  if (extracted != nullptr) {
    const auto& fields = subject.fields();
    std::size_t ellipsis_done = program.ellipsis_index < 0 ? 1 : 0;
    auto emit_ellipsis = [&] {
      for (std::size_t k = 0; k < ellipsis_count; ++k) {
        const std::size_t position = ellipsis_first + k;
        extracted->emplace_back(fmt::format("${}", position + 1), std::string(fields[position].value));
      }
      ellipsis_done = 1;
    };
    for (std::size_t i = 0; i < program.entries.size(); ++i) {
      const CompiledEntry& entry = program.entries[i];
      if (entry.ellipsis) {
        emit_ellipsis();
      } else {
        extracted->emplace_back("$" + entry.name, std::string(values[i]));
      }
    }
    if (ellipsis_done == 0) emit_ellipsis();
  }
  return true;
}

std::string_view trim_right(std::string_view text) {
  while (!text.empty() && core::is_pattern_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

WildcardText WildcardText::from(const std::string& text) {
  WildcardText out;
  const bool leading = !text.empty() && text.front() == '*';
  const bool trailing = text.size() >= 2 && text.back() == '*';
  if (leading && trailing) {
    out.shape = Shape::kContains;
    out.core = text.substr(1, text.size() - 2);
  } else if (leading) {
    out.shape = Shape::kSuffix;
    out.core = text.substr(1);
  } else if (trailing) {
    out.shape = Shape::kPrefix;
    out.core = text.substr(0, text.size() - 1);
  } else {
    out.shape = Shape::kExact;
    out.core = text;
  }
  return out;
}

bool WildcardText::matches(std::string_view candidate) const {
  switch (shape) {
    case Shape::kExact: return candidate == core;
    case Shape::kPrefix: return candidate.substr(0, core.size()) == core;
    case Shape::kSuffix:
      return candidate.size() >= core.size() && candidate.substr(candidate.size() - core.size()) == core;
    case Shape::kContains: return contains(candidate, core);
  }
  return false;
}

BoolProgram BoolProgram::from(const BoolTree& tree) {
  BoolProgram program;
  if (tree.empty()) return program;
  // Number the leaves in pre-order: that is the order of the steps.
  std::vector<std::int32_t> step_of(tree.nodes.size(), -1);
  std::vector<std::uint32_t> stack{tree.root};
  std::int32_t next_step = 0;
  while (!stack.empty()) {
    const std::uint32_t node = stack.back();
    stack.pop_back();
    const BoolNode& n = tree.nodes[node];
    if (n.kind == BoolKind::kLeaf) {
      step_of[node] = next_step++;
    } else {
      stack.insert(stack.end(), n.children.rbegin(), n.children.rend());
    }
  }
  auto first_step = [&](std::uint32_t node) {
    while (tree.nodes[node].kind != BoolKind::kLeaf) node = tree.nodes[node].children.front();
    return step_of[node];
  };
  program.steps.resize(static_cast<std::size_t>(next_step));
  struct Item {
    std::uint32_t node;
    std::int32_t on_true;
    std::int32_t on_false;
  };
  std::vector<Item> work{{tree.root, kAccept, kReject}};
  while (!work.empty()) {
    const Item item = work.back();
    work.pop_back();
    const BoolNode& n = tree.nodes[item.node];
    if (n.kind == BoolKind::kLeaf) {
      program.steps[static_cast<std::size_t>(step_of[item.node])] =
          Step{n.leaf, item.on_true, item.on_false};
      continue;
    }
    const std::size_t count = n.children.size();
    for (std::size_t k = 0; k < count; ++k) {
      const bool last = k + 1 == count;
      const std::int32_t next = last ? 0 : first_step(n.children[k + 1]);
      if (n.kind == BoolKind::kAnd) {
        work.push_back({n.children[k], last ? item.on_true : next, item.on_false});
      } else {
        work.push_back({n.children[k], item.on_true, last ? item.on_false : next});
      }
    }
  }
  return program;
}

namespace {

// The member `name` of object node `object` (the last of duplicate keys wins).
std::optional<std::uint32_t> find_member(const JsonTree& tree, std::uint32_t object,
                                         std::string_view name) {
  std::optional<std::uint32_t> found;
  for (std::uint32_t child = tree.first_child(object); child < tree[object].end; child = tree[child].end) {
    if (tree[child].key == name) found = child;
  }
  return found;
}

// Element `index` of array node `array`.
std::optional<std::uint32_t> find_element(const JsonTree& tree, std::uint32_t array,
                                          std::uint64_t index) {
  std::uint64_t position = 0;
  for (std::uint32_t child = tree.first_child(array); child < tree[array].end;
       child = tree[child].end, ++position) {
    if (position == index) return child;
  }
  return std::nullopt;
}

// One non-wildcard step from `node`, or nothing.
std::optional<std::uint32_t> step(const JsonTree& tree, std::uint32_t node, const Segment& segment) {
  const JsonType type = tree[node].type;
  if (segment.kind == SegmentKind::kMember && type == JsonType::kObject) {
    return find_member(tree, node, segment.name);
  }
  if (segment.kind == SegmentKind::kIndex && type == JsonType::kArray) {
    return find_element(tree, node, segment.index);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::uint32_t> resolve_single(const JsonTree& tree, const std::vector<Segment>& path) {
  if (tree.empty()) return std::nullopt;
  std::uint32_t current = 0;
  for (const Segment& segment : path) {
    const auto next = step(tree, current, segment);  // wildcards go through resolve_all
    if (!next) return std::nullopt;
    current = *next;
  }
  return current;
}

void resolve_all(const JsonTree& tree, const std::vector<Segment>& path,
                 std::vector<std::uint32_t>& out) {
  thread_local std::vector<std::uint32_t> next;
  thread_local std::unordered_set<std::string_view> seen;
  out.clear();
  if (tree.empty()) return;
  out.push_back(0);
  // Member values of an object, each key once (its last occurrence), in document order.
  auto push_members = [&](std::uint32_t object) {
    const JsonNode& node = tree[object];
    std::size_t before = next.size();
    for (std::uint32_t child = tree.first_child(object); child < node.end; child = tree[child].end) {
      next.push_back(child);
    }
    // Drop earlier duplicates: walk backwards keeping the first sighting of each key.
    seen.clear();
    std::size_t write = next.size();
    for (std::size_t i = next.size(); i-- > before;) {
      if (seen.insert(tree[next[i]].key).second) next[--write] = next[i];
    }
    next.erase(next.begin() + static_cast<std::ptrdiff_t>(before),
               next.begin() + static_cast<std::ptrdiff_t>(write));
  };
  for (const Segment& segment : path) {
    next.clear();
    for (std::uint32_t current : out) {
      const JsonNode& node = tree[current];
      switch (segment.kind) {
        case SegmentKind::kMember:
        case SegmentKind::kIndex:
          if (const auto found = step(tree, current, segment)) next.push_back(*found);
          break;
        case SegmentKind::kAnyMember:
          if (node.type == JsonType::kObject) push_members(current);
          break;
        case SegmentKind::kAnyElement:
          if (node.type == JsonType::kArray) {
            for (std::uint32_t child = tree.first_child(current); child < node.end; child = tree[child].end) {
              next.push_back(child);
            }
          } else if (node.type == JsonType::kObject) {
            push_members(current);
          }
          break;
      }
    }
    out.swap(next);
    if (out.empty()) return;
  }
}

bool bind_fields(const Matcher::Program& program, Subject& subject,
                 std::vector<std::string_view>& values, std::size_t& ellipsis_first,
                 std::size_t& ellipsis_count) {
  const auto& fields = subject.fields();
  const std::size_t m = fields.size();
  const std::size_t n = program.entries.size();
  values.assign(n, std::string_view());
  if (program.ellipsis_index < 0) {
    if (m < n) return false;
    for (std::size_t i = 0; i + 1 < n; ++i) values[i] = fields[i].value;
    if (m == n) {
      values[n - 1] = fields[n - 1].value;
    } else {
      // The last entry takes the rest of the message, quotes and separators included.
      values[n - 1] = trim_right(subject.message().substr(fields[n - 1].raw_begin));
    }
    ellipsis_first = 0;
    ellipsis_count = 0;
    return true;
  }
  const auto k = static_cast<std::size_t>(program.ellipsis_index);
  const std::size_t before = k;
  const std::size_t after = n == 0 ? 0 : n - k - 1;
  if (m < before + after) return false;
  for (std::size_t i = 0; i < before; ++i) values[i] = fields[i].value;
  for (std::size_t j = 0; j < after; ++j) values[k + 1 + j] = fields[m - after + j].value;
  ellipsis_first = before;
  ellipsis_count = m - before - after;
  return true;
}

bool Prefilter::may_match(std::string_view message, bool may_have_escapes) const {
  if (!any_of) return true;
  // The escape alternative first: one memchr pass, and real CloudTrail has almost no "\u".
  constexpr std::string_view kEscape = "\\u";
  bool has_escape_alternative = false;
  for (const std::string& literal : *any_of) {
    if (literal == kEscape) {
      has_escape_alternative = true;
      if (may_have_escapes && contains(message, kEscape)) return true;
    }
  }
  if (core.size() < 8) {
    // A short core is frequent: one pass per literal beats a look at every core occurrence.
    if (!core.empty() && !contains(message, core)) return false;
    return std::any_of(any_of->begin(), any_of->end(), [&](const std::string& literal) {
      return !(has_escape_alternative && literal == kEscape) && contains(message, literal);
    });
  }
  // Every literal holds the core: an occurrence of a literal puts an occurrence of the core at
  // the literal's first core offset, so only the places where the core occurs need a look.
  std::size_t from = 0;
  while (true) {
    const std::string_view rest = message.substr(from);
    if (!contains(rest, core)) return false;
    const std::size_t at = from + rest.find(core);
    for (const std::string& literal : *any_of) {
      if (has_escape_alternative && literal == kEscape) continue;
      const std::size_t offset = literal.find(core);
      if (offset == std::string::npos || offset > at) continue;
      if (message.substr(at - offset, literal.size()) == literal) return true;
    }
    from = at + 1;
  }
}

core::Result<Matcher, Error> Matcher::compile(std::string_view pattern) {
  auto parsed = parse(pattern);
  if (!parsed) return core::unexpected(std::move(parsed).error());
  if (auto error = check(*parsed)) return core::unexpected(std::move(*error));
  auto program = std::make_shared<Program>();
  program->ast = std::move(parsed).value();
  const Ast& ast = program->ast;
  switch (ast.kind) {
    case PatternKind::kMatchAll:
      break;
    case PatternKind::kTerms:
      for (const Term& term : ast.terms) {
        auto& list = term.mode == TermMode::kRequired   ? program->required
                     : term.mode == TermMode::kExcluded ? program->excluded
                                                        : program->optional;
        list.push_back(term.text);
      }
      break;
    case PatternKind::kRegex: {
      auto regex = Regex::compile(ast.regex.text, ast.regex.position);
      if (!regex) return core::unexpected(std::move(regex).error());
      program->regex = std::move(regex).value();
      break;
    }
    case PatternKind::kJson:
      for (const JsonCondition& condition : ast.conditions) {
        CompiledJsonCondition compiled;
        compiled.segments = condition.selector.segments;
        compiled.has_wildcard = condition.selector.wildcard_count() > 0;
        compiled.kind = condition.kind;
        compiled.op = condition.op;
        if (condition.kind == ConditionKind::kCompare) {
          auto value = compile_value(condition.value);
          if (!value) return core::unexpected(std::move(value).error());
          compiled.value = std::move(value).value();
        }
        program->json_conditions.push_back(std::move(compiled));
      }
      program->json_program = BoolProgram::from(ast.tree);
      break;
    case PatternKind::kDelimited:
      for (std::size_t i = 0; i < ast.entries.size(); ++i) {
        const DelimitedEntry& entry = ast.entries[i];
        CompiledEntry compiled;
        compiled.ellipsis = entry.ellipsis;
        compiled.name = entry.name;
        if (entry.ellipsis) program->ellipsis_index = static_cast<std::int64_t>(i);
        for (const FieldCondition& condition : entry.conditions) {
          auto value = compile_value(condition.value);
          if (!value) return core::unexpected(std::move(value).error());
          compiled.conditions.push_back(CompiledFieldCondition{condition.op, std::move(value).value()});
        }
        compiled.program = BoolProgram::from(entry.tree);
        program->entries.push_back(std::move(compiled));
      }
      if (ast.entries.empty()) program->ellipsis_index = 0;
      break;
  }
  program->prefilter = compute_prefilter(ast);
  return Matcher(std::move(program));
}

PatternKind Matcher::kind() const { return program_->ast.kind; }
const std::string& Matcher::text() const { return program_->ast.text; }
const Ast& Matcher::ast() const { return program_->ast; }
const Prefilter& Matcher::prefilter() const { return program_->prefilter; }

bool Matcher::matches(std::string_view message) const {
  thread_local Subject subject;
  subject.reset(message);
  return match(subject, nullptr);
}

bool Matcher::match(Subject& subject, ExtractedValues* extracted) const {
  if (extracted != nullptr) extracted->clear();
  const Program& program = *program_;
  switch (program.ast.kind) {
    case PatternKind::kMatchAll:
      return true;
    case PatternKind::kTerms:
      return evaluate_terms(program, subject.message());
    case PatternKind::kRegex:
      return program.regex->search(subject.message());
    case PatternKind::kJson: {
      if (!program.prefilter.may_match(subject.message())) return false;
      const JsonTree* tree = subject.json_object();
      return tree != nullptr && evaluate_json(program, *tree);
    }
    case PatternKind::kDelimited:
      return evaluate_delimited(program, subject, extracted);
  }
  return false;
}

}  // namespace sgwatch::pattern
