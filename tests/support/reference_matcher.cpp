// Implementation of reference_matcher.h: rendering of pattern models, and a direct, naive
// evaluation of each pattern kind written from the spec alone (recursion is fine here: the models
// are small and built by tests). Neighbours: nothing from src/pattern is used.
#include "support/reference_matcher.h"

#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <unordered_map>

namespace sgwatch::testing::reference {
namespace {

// ---------------------------------------------------------------------------------------------
// Rendering

// Picks the whitespace between tokens: canonical (seed 0) or pseudo-random.
class Spacer {
 public:
  explicit Spacer(std::uint64_t seed) : canonical_(seed == 0), rng_(seed) {}

  // Whitespace the grammar allows to be absent; `canonical` is what seed 0 writes.
  std::string optional(std::string_view canonical) {
    if (canonical_) return std::string(canonical);
    return pick(true);
  }
  // At least one whitespace character.
  std::string required() {
    if (canonical_) return " ";
    return pick(false);
  }
  // A free choice of the layout (always false for the canonical one).
  bool coin() { return !canonical_ && std::uniform_int_distribution<int>(0, 1)(rng_) == 1; }

 private:
  std::string pick(bool allow_empty) {
    static constexpr std::string_view kChoices[] = {" ",    " ",     " ", "  ", "\t", "\n",
                                                    "\r\n", " \n\t", "",  "",   ""};
    const std::size_t count = allow_empty ? std::size(kChoices) : std::size(kChoices) - 3;
    std::uniform_int_distribution<std::size_t> dist(0, count - 1);
    return std::string(kChoices[dist(rng_)]);
  }

  bool canonical_;
  std::mt19937_64 rng_;
};

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// A dq-string. A backslash that escapes nothing (as in "\d") may be written alone: it is kept
// literally (spec 3.1); the layout decides.
std::string quote(std::string_view text, Spacer& spacer) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool lone_ok =
        c == '\\' && i + 1 < text.size() && text[i + 1] != '"' && text[i + 1] != '\\';
    if (c == '"' || (c == '\\' && !(lone_ok && spacer.coin()))) out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string_view op_text(Op op) {
  switch (op) {
    case Op::kEq:
      return "=";
    case Op::kNe:
      return "!=";
    case Op::kLt:
      return "<";
    case Op::kGt:
      return ">";
    case Op::kLe:
      return "<=";
    case Op::kGe:
      return ">=";
  }
  return "?";
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// May `text` be written without quotes as a JSON (json = true) or delimited value, and still be
// read back as the same string?
bool bare_ok(std::string_view text, bool json) {
  if (text.empty() || text == "*" || is_number_text(text)) return false;
  if (starts_with(text, "%") || text.find("&&") != std::string_view::npos ||
      text.find("||") != std::string_view::npos) {
    return false;
  }
  if (text == "null" || text == "IS" || text == "NOT" || text == "EXISTS") return false;
  for (char c : text) {
    if (is_blank(c) || c == '"' || c == '(' || c == ')') return false;
    if (static_cast<unsigned char>(c) >= 0x80) return false;  // portable only when quoted
    if (json && (c == '{' || c == '}' || c == '\'')) return false;
    if (!json && (c == ',' || c == ']' || c == '[')) return false;
  }
  return true;
}

struct Rendered {
  std::string text;
  bool ends_bare = false;  // ends with an unquoted value: '&&' / '||' must not follow directly
};

std::string render_value(const Value& value, bool json, Spacer& spacer, bool& ends_bare) {
  ends_bare = false;
  switch (value.kind) {
    case Value::Kind::kAny:
      ends_bare = !value.quoted;
      return value.quoted ? "\"*\"" : "*";
    case Value::Kind::kNumber:
      ends_bare = true;
      return value.text;
    case Value::Kind::kRegex:
      return "%" + value.text + "%";
    case Value::Kind::kString:
      if (!value.quoted && bare_ok(value.text, json)) {
        ends_bare = true;
        return value.text;
      }
      return quote(value.text, spacer);
  }
  return "";
}

std::string render_selector(const std::vector<Segment>& selector) {
  std::string out = "$";
  for (const Segment& segment : selector) {
    switch (segment.kind) {
      case Segment::Kind::kMember:
        if (segment.style == Segment::Style::kDot) {
          out += "." + segment.name;
        } else {
          out += segment.style == Segment::Style::kDotBracket ? ".['" : "['";
          out += segment.name + "']";
        }
        break;
      case Segment::Kind::kIndex:
        out += "[" + std::to_string(segment.index) + "]";
        break;
      case Segment::Kind::kAnyMember:
        out += ".*";
        break;
      case Segment::Kind::kAnyElement:
        out += "[*]";
        break;
    }
  }
  return out;
}

template <class LeafRenderer>
Rendered render_expr(const BoolExpr& expr, bool parent_is_and, Spacer& spacer,
                     LeafRenderer&& leaf) {
  Rendered out;
  if (expr.kind == BoolExpr::Kind::kLeaf) {
    out = leaf(expr.leaf);
  } else {
    const bool is_and = expr.kind == BoolExpr::Kind::kAnd;
    for (std::size_t i = 0; i < expr.children.size(); ++i) {
      if (i > 0) {
        out.text += out.ends_bare ? spacer.required() : spacer.optional(" ");
        out.text += is_and ? "&&" : "||";
        out.text += spacer.optional(" ");
      }
      Rendered child = render_expr(expr.children[i], is_and, spacer, leaf);
      out.text += child.text;
      out.ends_bare = child.ends_bare;
    }
  }
  const bool needed = expr.kind == BoolExpr::Kind::kOr && parent_is_and;
  if (needed || expr.parens) {
    out.text = "(" + spacer.optional("") + out.text + spacer.optional("") + ")";
    out.ends_bare = false;
  }
  return out;
}

Rendered render_json_condition(const JsonCondition& condition, Spacer& spacer) {
  Rendered out;
  out.text = render_selector(condition.selector);
  switch (condition.kind) {
    case JsonCondition::Kind::kCompare: {
      out.text += spacer.optional(" ");
      out.text += op_text(condition.op);
      out.text += spacer.optional(" ");
      out.text += render_value(condition.value, true, spacer, out.ends_bare);
      break;
    }
    case JsonCondition::Kind::kIsNull:
      out.text += spacer.required() + "IS" + spacer.required() + "NULL";
      break;
    case JsonCondition::Kind::kIsTrue:
      out.text += spacer.required() + "IS" + spacer.required() + "TRUE";
      break;
    case JsonCondition::Kind::kIsFalse:
      out.text += spacer.required() + "IS" + spacer.required() + "FALSE";
      break;
    case JsonCondition::Kind::kNotExists:
      out.text += spacer.required() + "NOT" + spacer.required() + "EXISTS";
      break;
  }
  return out;
}

std::string render_json(const JsonPattern& pattern, Spacer& spacer) {
  Rendered body = render_expr(pattern.expr, false, spacer, [&](std::size_t leaf) {
    return render_json_condition(pattern.conditions.at(leaf), spacer);
  });
  std::string out = spacer.optional("") + "{" + spacer.optional(" ") + body.text;
  return out + spacer.optional(" ") + "}" + spacer.optional("");
}

std::string render_terms(const TermPattern& pattern, Spacer& spacer) {
  std::string out = spacer.optional("");
  for (std::size_t i = 0; i < pattern.terms.size(); ++i) {
    const Term& term = pattern.terms[i];
    if (i > 0) out += spacer.required();
    if (term.mode == Term::Mode::kExcluded) out += '-';
    if (term.mode == Term::Mode::kOptional) out += '?';
    bool word_ok = !term.quoted && !term.text.empty() && term.text[0] != '-' && term.text[0] != '?';
    for (char c : term.text) {
      if (is_blank(c) || c == '"' || c == '*') word_ok = false;
    }
    out += word_ok ? term.text : quote(term.text, spacer);
  }
  return out + spacer.optional("");
}

std::string render_delimited(const DelimitedPattern& pattern, Spacer& spacer) {
  std::string out = spacer.optional("") + "[" + spacer.optional("");
  for (std::size_t i = 0; i < pattern.entries.size(); ++i) {
    const DelimitedEntry& entry = pattern.entries[i];
    if (i > 0) out += spacer.optional("") + "," + spacer.optional(" ");
    if (entry.ellipsis) {
      out += "...";
    } else if (entry.conditions.empty()) {
      out += entry.name;
    } else {
      out += render_expr(entry.expr, false, spacer, [&](std::size_t leaf) {
               const FieldCondition& condition = entry.conditions.at(leaf);
               Rendered text;
               text.text = entry.name + spacer.optional(" ") + std::string(op_text(condition.op)) +
                           spacer.optional(" ");
               text.text += render_value(condition.value, false, spacer, text.ends_bare);
               return text;
             }).text;
    }
  }
  return out + spacer.optional("") + "]" + spacer.optional("");
}

// ---------------------------------------------------------------------------------------------
// Regex dialect (spec 4): translated to ECMAScript, searched with std::regex.

std::string to_ecmascript(std::string_view body) {
  std::string out;
  bool in_class = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '\\' && i + 1 < body.size()) {
      const char next = body[i + 1];
      if (next == 'x' && i + 3 < body.size()) {
        out += body.substr(i, 4);
        i += 3;
      } else if (next == '-' && !in_class) {
        out += '-';
        ++i;
      } else {
        out += body.substr(i, 2);
        ++i;
      }
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      if (i + 1 < body.size() && body[i + 1] == '^') out += body[++i];
      continue;
    }
    if (c == '{' && i + 1 < body.size() && body[i + 1] == ',') {
      out += "{0";
      continue;
    }
    out += c;
  }
  return out;
}

const std::regex& compiled_regex(std::string_view body) {
  thread_local std::unordered_map<std::string, std::unique_ptr<std::regex>> cache;
  auto found = cache.find(std::string(body));
  if (found != cache.end()) return *found->second;
  auto regex = std::make_unique<std::regex>(to_ecmascript(body), std::regex::ECMAScript);
  return *cache.emplace(std::string(body), std::move(regex)).first->second;
}

// ---------------------------------------------------------------------------------------------
// Numbers

double to_double(std::string_view text) {
  const std::string copy(text);
  return std::strtod(copy.c_str(), nullptr);
}

bool compare_numbers(double left, Op op, double right) {
  switch (op) {
    case Op::kEq:
      return left == right;
    case Op::kNe:
      return left != right;
    case Op::kLt:
      return left < right;
    case Op::kGt:
      return left > right;
    case Op::kLe:
      return left <= right;
    case Op::kGe:
      return left >= right;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// JSON events: a plain tree that keeps each number's lexeme, built with nlohmann's SAX parser.

struct JsonNode {
  enum class Type { kNull, kTrue, kFalse, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  std::string text;  // kString: the value; kNumber: the lexeme as written
  double number = 0;
  std::vector<std::string> keys;   // kObject: one per child, duplicates resolved (last wins)
  std::vector<JsonNode> children;  // kArray elements or kObject member values
};

class TreeBuilder : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return put(JsonNode{}); }
  bool boolean(bool value) override {
    JsonNode node;
    node.type = value ? JsonNode::Type::kTrue : JsonNode::Type::kFalse;
    return put(std::move(node));
  }
  bool number_integer(number_integer_t value) override {
    return put(number(static_cast<double>(value), std::to_string(value)));
  }
  bool number_unsigned(number_unsigned_t value) override {
    return put(number(static_cast<double>(value), std::to_string(value)));
  }
  bool number_float(number_float_t value, const string_t& lexeme) override {
    return put(number(value, lexeme));
  }
  bool string(string_t& value) override {
    JsonNode node;
    node.type = JsonNode::Type::kString;
    node.text = value;
    return put(std::move(node));
  }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override {
    stack_.push_back(Frame{});
    stack_.back().node.type = JsonNode::Type::kObject;
    return true;
  }
  bool key(string_t& value) override {
    stack_.back().key = value;
    return true;
  }
  bool end_object() override { return pop(); }
  bool start_array(std::size_t) override {
    stack_.push_back(Frame{});
    stack_.back().node.type = JsonNode::Type::kArray;
    return true;
  }
  bool end_array() override { return pop(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

  JsonNode& root() { return root_; }

 private:
  struct Frame {
    JsonNode node;
    std::string key;
  };

  static JsonNode number(double value, std::string lexeme) {
    JsonNode node;
    node.type = JsonNode::Type::kNumber;
    node.number = value;
    node.text = std::move(lexeme);
    return node;
  }

  bool put(JsonNode node) {
    if (stack_.empty()) {
      root_ = std::move(node);
      return true;
    }
    Frame& frame = stack_.back();
    if (frame.node.type == JsonNode::Type::kArray) {
      frame.node.children.push_back(std::move(node));
      return true;
    }
    for (std::size_t i = 0; i < frame.node.keys.size(); ++i) {
      if (frame.node.keys[i] == frame.key) {  // duplicate key: the last one wins
        frame.node.children[i] = std::move(node);
        return true;
      }
    }
    frame.node.keys.push_back(frame.key);
    frame.node.children.push_back(std::move(node));
    return true;
  }

  bool pop() {
    JsonNode node = std::move(stack_.back().node);
    stack_.pop_back();
    return put(std::move(node));
  }

  std::vector<Frame> stack_;
  JsonNode root_;
};

// Spec 5.2 step 2: the candidate set of a selector.
std::vector<const JsonNode*> resolve(const JsonNode& root, const std::vector<Segment>& selector) {
  std::vector<const JsonNode*> current{&root};
  for (const Segment& segment : selector) {
    std::vector<const JsonNode*> next;
    for (const JsonNode* node : current) {
      const bool is_object = node->type == JsonNode::Type::kObject;
      const bool is_array = node->type == JsonNode::Type::kArray;
      switch (segment.kind) {
        case Segment::Kind::kMember:
          if (!is_object) break;
          for (std::size_t i = 0; i < node->keys.size(); ++i) {
            if (node->keys[i] == segment.name) next.push_back(&node->children[i]);
          }
          break;
        case Segment::Kind::kIndex:
          if (is_array && segment.index < node->children.size()) {
            next.push_back(&node->children[segment.index]);
          }
          break;
        case Segment::Kind::kAnyMember:
          if (!is_object) break;
          for (const JsonNode& child : node->children) next.push_back(&child);
          break;
        case Segment::Kind::kAnyElement:
          if (!is_object && !is_array) break;
          for (const JsonNode& child : node->children) next.push_back(&child);
          break;
      }
    }
    current = std::move(next);
  }
  return current;
}

// Spec 5.2 table, for one candidate.
bool compare_candidate(const JsonNode& candidate, Op op, const Value& value) {
  const bool is_string = candidate.type == JsonNode::Type::kString;
  const bool is_number = candidate.type == JsonNode::Type::kNumber;
  if (!is_string && !is_number) return false;  // null, booleans, arrays, objects
  switch (value.kind) {
    case Value::Kind::kAny:
      return op == Op::kEq;
    case Value::Kind::kRegex: {
      if (!is_string) return false;
      const bool found = regex_search(value.text, candidate.text);
      return op == Op::kEq ? found : op == Op::kNe && !found;
    }
    case Value::Kind::kString: {
      // A JSON number compares through its lexeme.
      const bool equal = wildcard_equals(value.text, candidate.text);
      return op == Op::kEq ? equal : op == Op::kNe && !equal;
    }
    case Value::Kind::kNumber:
      if (is_number) return compare_numbers(candidate.number, op, to_double(value.text));
      // A JSON string compares with the literal's text as written; never ordered.
      if (op == Op::kEq) return candidate.text == value.text;
      if (op == Op::kNe) return candidate.text != value.text;
      return false;
  }
  return false;
}

bool evaluate_json_condition(const JsonCondition& condition, const JsonNode& root) {
  const std::vector<const JsonNode*> candidates = resolve(root, condition.selector);
  if (condition.kind == JsonCondition::Kind::kNotExists) return candidates.empty();
  for (const JsonNode* candidate : candidates) {
    switch (condition.kind) {
      case JsonCondition::Kind::kIsNull:
        if (candidate->type == JsonNode::Type::kNull) return true;
        if (candidate->type == JsonNode::Type::kArray) {
          for (const JsonNode& element : candidate->children) {
            if (element.type == JsonNode::Type::kNull) return true;
          }
        }
        break;
      case JsonCondition::Kind::kIsTrue:
        if (candidate->type == JsonNode::Type::kTrue) return true;
        break;
      case JsonCondition::Kind::kIsFalse:
        if (candidate->type == JsonNode::Type::kFalse) return true;
        break;
      case JsonCondition::Kind::kCompare:
        if (compare_candidate(*candidate, condition.op, condition.value)) return true;
        break;
      case JsonCondition::Kind::kNotExists:
        break;
    }
  }
  return false;
}

template <class Leaf>
bool evaluate_expr(const BoolExpr& expr, Leaf&& leaf) {
  switch (expr.kind) {
    case BoolExpr::Kind::kLeaf:
      return leaf(expr.leaf);
    case BoolExpr::Kind::kAnd:
      for (const BoolExpr& child : expr.children) {
        if (!evaluate_expr(child, leaf)) return false;
      }
      return true;
    case BoolExpr::Kind::kOr:
      for (const BoolExpr& child : expr.children) {
        if (evaluate_expr(child, leaf)) return true;
      }
      return false;
  }
  return false;
}

bool evaluate_json(const JsonPattern& pattern, std::string_view event) {
  // A leading UTF-8 byte order mark is skipped, as Jackson (and nlohmann) do; see
  // docs/pattern-syntax.md.
  TreeBuilder builder;
  if (!nlohmann::json::sax_parse(event.begin(), event.end(), &builder)) return false;
  if (builder.root().type != JsonNode::Type::kObject) return false;
  return evaluate_expr(pattern.expr, [&](std::size_t leaf) {
    return evaluate_json_condition(pattern.conditions.at(leaf), builder.root());
  });
}

// ---------------------------------------------------------------------------------------------
// Terms (spec 3)

bool evaluate_terms(const TermPattern& pattern, std::string_view event) {
  bool any_required_or_excluded = false;
  bool any_optional = false;
  bool optional_found = false;
  for (const Term& term : pattern.terms) {
    const bool found = event.find(term.text) != std::string_view::npos;
    switch (term.mode) {
      case Term::Mode::kRequired:
        any_required_or_excluded = true;
        if (!found) return false;
        break;
      case Term::Mode::kExcluded:
        any_required_or_excluded = true;
        if (found) return false;
        break;
      case Term::Mode::kOptional:
        any_optional = true;
        optional_found = optional_found || found;
        break;
    }
  }
  if (any_required_or_excluded) return true;
  return !any_optional || optional_found;
}

// ---------------------------------------------------------------------------------------------
// Space-delimited (spec 6)

struct Field {
  std::string value;
  std::size_t raw_begin = 0;
};

std::vector<Field> split(std::string_view event) {
  std::vector<Field> fields;
  std::size_t i = 0;
  while (true) {
    while (i < event.size() && (event[i] == ' ' || event[i] == '\t')) ++i;
    if (i == event.size()) break;
    const char open = event[i];
    if (open == '"' || open == '[') {
      const std::size_t close = event.find(open == '"' ? '"' : ']', i + 1);
      if (close != std::string_view::npos) {
        fields.push_back(Field{std::string(event.substr(i + 1, close - i - 1)), i});
        i = close + 1;
        continue;
      }
    }
    std::size_t end = i;
    while (end < event.size() && event[end] != ' ' && event[end] != '\t') ++end;
    fields.push_back(Field{std::string(event.substr(i, end - i)), i});
    i = end;
  }
  return fields;
}

bool evaluate_field_condition(const FieldCondition& condition, const std::string& field) {
  const Value& value = condition.value;
  const Op op = condition.op;
  switch (value.kind) {
    case Value::Kind::kAny:
      return op == Op::kEq;
    case Value::Kind::kRegex: {
      const bool found = regex_search(value.text, field);
      return op == Op::kEq ? found : !found;
    }
    case Value::Kind::kString: {
      const bool equal = wildcard_equals(value.text, field);
      return op == Op::kEq ? equal : !equal;
    }
    case Value::Kind::kNumber:
      if (is_number_text(field))
        return compare_numbers(to_double(field), op, to_double(value.text));
      if (op == Op::kEq) return field == value.text;
      if (op == Op::kNe) return field != value.text;
      return false;
  }
  return false;
}

bool evaluate_delimited(const DelimitedPattern& pattern, std::string_view event,
                        Extracted* extracted) {
  const std::vector<Field> fields = split(event);
  std::vector<DelimitedEntry> entries = pattern.entries;
  if (entries.empty()) entries.push_back(DelimitedEntry{true, "", {}, {}});  // "[]" is "[...]"
  std::size_t ellipsis = entries.size();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].ellipsis) ellipsis = i;
  }
  const std::size_t total = fields.size();
  // (entry index or none, value, 1-based field position) in field order.
  struct Binding {
    const DelimitedEntry* entry;
    std::string value;
    std::size_t position;
  };
  std::vector<Binding> bindings;
  if (ellipsis == entries.size()) {
    const std::size_t count = entries.size();
    if (total < count) return false;
    for (std::size_t i = 0; i + 1 < count; ++i) {
      bindings.push_back(Binding{&entries[i], fields[i].value, i + 1});
    }
    std::string last = fields[count - 1].value;
    if (total > count) {
      std::string_view rest = event.substr(fields[count - 1].raw_begin);
      while (!rest.empty() && is_blank(rest.back())) rest.remove_suffix(1);
      last = std::string(rest);
    }
    bindings.push_back(Binding{&entries[count - 1], last, count});
  } else {
    const std::size_t before = ellipsis;
    const std::size_t after = entries.size() - ellipsis - 1;
    if (total < before + after) return false;
    for (std::size_t i = 0; i < before; ++i) {
      bindings.push_back(Binding{&entries[i], fields[i].value, i + 1});
    }
    for (std::size_t i = before; i < total - after; ++i) {
      bindings.push_back(Binding{nullptr, fields[i].value, i + 1});
    }
    for (std::size_t j = 0; j < after; ++j) {
      const std::size_t field = total - after + j;
      bindings.push_back(Binding{&entries[ellipsis + 1 + j], fields[field].value, field + 1});
    }
  }
  for (const Binding& binding : bindings) {
    if (binding.entry == nullptr || binding.entry->conditions.empty()) continue;
    const bool ok = evaluate_expr(binding.entry->expr, [&](std::size_t leaf) {
      return evaluate_field_condition(binding.entry->conditions.at(leaf), binding.value);
    });
    if (!ok) return false;
  }
  if (extracted != nullptr) {
    for (const Binding& binding : bindings) {
      const std::string name = binding.entry == nullptr ? "$" + std::to_string(binding.position)
                                                        : "$" + binding.entry->name;
      extracted->emplace_back(name, binding.value);
    }
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::string render(const Pattern& pattern, std::uint64_t layout_seed) {
  Spacer spacer(layout_seed);
  if (const auto* blank = std::get_if<MatchAllPattern>(&pattern)) return blank->blank;
  if (const auto* terms = std::get_if<TermPattern>(&pattern)) return render_terms(*terms, spacer);
  if (const auto* regex = std::get_if<RegexPattern>(&pattern)) {
    return spacer.optional("") + "%" + regex->body + "%" + spacer.optional("");
  }
  if (const auto* json = std::get_if<JsonPattern>(&pattern)) return render_json(*json, spacer);
  return render_delimited(std::get<DelimitedPattern>(pattern), spacer);
}

bool evaluate(const Pattern& pattern, std::string_view event, Extracted* extracted) {
  if (extracted != nullptr) extracted->clear();
  if (std::holds_alternative<MatchAllPattern>(pattern)) return true;
  if (const auto* terms = std::get_if<TermPattern>(&pattern)) return evaluate_terms(*terms, event);
  if (const auto* regex = std::get_if<RegexPattern>(&pattern)) {
    return regex_search(regex->body, event);
  }
  if (const auto* json = std::get_if<JsonPattern>(&pattern)) return evaluate_json(*json, event);
  return evaluate_delimited(std::get<DelimitedPattern>(pattern), event, extracted);
}

bool wildcard_equals(std::string_view value, std::string_view candidate) {
  if (value == "*") return true;
  const bool leading = !value.empty() && value.front() == '*';
  const bool trailing = value.size() >= 2 && value.back() == '*';
  std::string_view core = value;
  if (leading) core.remove_prefix(1);
  if (trailing) core.remove_suffix(1);
  if (leading && trailing) return candidate.find(core) != std::string_view::npos;
  if (leading)
    return candidate.size() >= core.size() &&
           candidate.substr(candidate.size() - core.size()) == core;
  if (trailing) return starts_with(candidate, core);
  return candidate == value;
}

bool is_number_text(std::string_view text) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > start;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  const bool integer_part = digits();
  bool fraction_part = false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    fraction_part = digits();
  }
  if (!integer_part && !fraction_part) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

bool regex_search(std::string_view body, std::string_view subject) {
  return std::regex_search(subject.begin(), subject.end(), compiled_regex(body));
}

std::string escape_for_display(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\x%02x",
                        static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace sgwatch::testing::reference
