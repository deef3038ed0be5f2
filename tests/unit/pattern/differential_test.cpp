// Differential tests: thousands of generated (pattern, event) pairs, each decided by the engine
// (pattern::Matcher compiled from the rendered text) and by the naive reference matcher of
// tests/support/reference_matcher.h, which must agree; and the engine's Prefilter must never
// reject an event the reference matches. Generators use fixed seeds, so every run is the same.
// Neighbours: tests/support/reference_matcher.h; spec sections 2-6.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "pattern/pattern.h"
#include "support/reference_matcher.h"

namespace sgwatch::testing::reference {
namespace {

using pattern::ExtractedValues;
using pattern::Matcher;
using pattern::Subject;

// ---------------------------------------------------------------------------------------------
// Randomness

class Random {
 public:
  explicit Random(std::uint32_t seed) : engine_(seed) {}

  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(engine_);
  }
  bool chance(double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_) < p; }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }
  std::uint64_t layout_seed() {
    // One in five patterns gets the canonical layout.
    return chance(0.2) ? 0 : std::uniform_int_distribution<std::uint64_t>(1, ~0ULL)(engine_);
  }

 private:
  std::mt19937 engine_;
};

using Words = std::vector<std::string_view>;

// ---------------------------------------------------------------------------------------------
// Regex dialect bodies (spec 4.3): letters, digits, . * + ? [] [^] ^ $ | \d \w \s {m,n}, escapes.

std::string random_regex(Random& random) {
  static const Words kAtoms = {
      "a",    "b",      "h",     "i",     "t",     "l",     "A",     "H",        "0",     "1",
      " ",    "/",      "-",     "_",     ":",     "#",     "=",     "@",        ";",     ",",
      ".",    ".",      "[a-c]", "[^a]",  "[0-9]", "[hit]", "[A-Z]", "[a-c0-9]", "[\\d]", "[.]",
      "[*]",  "[\\-a]", "[^ ]",  "\\d",   "\\w",   "\\s",   "\\S",   "\\D",      "\\W",   "\\.",
      "\\*",  "\\?",    "\\+",   "\\x41", "\\x62", "\\x2e", "\\-",   "\\^",      "\\$",   "\\|",
      "\\\\", "\\[",    "\\]",   "\\{",   "\\}"};
  static const Words kQuantifiers = {"*", "+", "?", "{1,2}", "{2}", "{1,}", "{0,1}"};
  std::string body;
  const std::size_t branches = random.chance(0.25) ? 2 : 1;
  for (std::size_t b = 0; b < branches; ++b) {
    if (b > 0) body += '|';
    if (random.chance(0.25)) body += '^';
    const std::size_t pieces = 1 + random.below(3);
    for (std::size_t p = 0; p < pieces; ++p) {
      if (p > 0 && random.chance(0.03)) body += random.chance(0.5) ? '^' : '$';  // mid-branch
      body += random.pick(kAtoms);
      if (random.chance(0.35)) body += random.pick(kQuantifiers);
    }
    if (random.chance(0.2)) body += '$';
  }
  return body;
}

// Strings for regexes to search in (no CR or LF: whether '.' matches them is UNCLEAR).
std::string regex_subject(Random& random) {
  static const Words kWords = {"hit", "Alpha", "abc", "a b", "ab",   "ba", "aab", "HIT", "10", "A1",
                               "a.b", "a*b",   "x-y", "t:1", "/a/b", "",   "hhh", "it",  "a_b"};
  static const std::string_view kChars = "abhitlAH01 ./-_:*?\\$^|[]{}+#=@;,";
  if (random.chance(0.6)) return std::string(random.pick(kWords));
  std::string out;
  const std::size_t length = random.below(8);
  for (std::size_t i = 0; i < length; ++i) out += kChars[random.below(kChars.size())];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shared value vocabulary (spec 5.3 wildcards, 5.2 type mixing)

const Words kStringValues = {"hit",
                             "Alpha",
                             "alpha",
                             "1",
                             "10",
                             "1.0",
                             "",
                             "true",
                             "null",
                             "abc",
                             "xabcx",
                             "a b",
                             "a?b",
                             "a*b",
                             "Ev*ent",
                             "x\"y",
                             "a\\b",
                             "a/b",
                             "HIT",
                             "%bar%",
                             "1000",
                             "10.0.0.1",
                             "123.123.4",
                             "AuthorizeSecurityGroupIngress",
                             "CreateSecurityGroup",
                             "(x)",
                             "a&&b",
                             "{}",
                             "it's",
                             "a]b",
                             "123456789012345678901234",
                             "a\tb"};
// Non-ASCII text and line breaks, only where no regex can see them (whether '.' is a byte, a
// code point or a UTF-16 unit, and whether it matches a line break, is not specified).
const Words kUnicodeValues = {"caf\xc3\xa9",
                              "\xe6\x97\xa5\xe6\x9c\xac",
                              "\xf0\x9f\x98\x80",
                              "na\xc3\xafve",
                              "*\xc3\xa9",
                              "caf*",
                              "line1\nline2",
                              "line1*",
                              "\r\n"};
const Words kWildcardValues = {
    "hit*",   "*it",       "*b*",   "Al*", "*Ingress", "Authorize*", "*Group*",         "1*", "*0",
    "10.0.*", "123.123.*", "*a b*", "a*",  "*",        "Ev*ent",     "*SecurityGroup*", "x*"};
const Words kNumberLexemes = {"1",   "10",  "0",     "-3",   "42",   "1000", "1.0",
                              "1e3", "+1",  "1.",    "0.01", ".5",   "-2.5", "2.5",
                              "1e0", "123", "10e-3", "1E+3", "-0.5", "3"};

bool json_number_ok(std::string_view lexeme) {
  // The JSON grammar is stricter than the pattern grammar (no '+', no "1.", no ".5").
  if (lexeme.empty() || lexeme[0] == '+' || lexeme[0] == '.' || lexeme.back() == '.') return false;
  return lexeme.find(".e") == std::string_view::npos && lexeme.find(".E") == std::string_view::npos;
}

// Lexemes of JSON numbers equal to `lexeme` (read as a double), as written in an event.
std::vector<std::string> equal_number_lexemes(std::string_view lexeme) {
  const double value = std::strtod(std::string(lexeme).c_str(), nullptr);
  std::vector<std::string> out;
  if (json_number_ok(lexeme)) out.emplace_back(lexeme);
  char buffer[64];
  if (value == static_cast<double>(static_cast<long long>(value)) && value > -1e15 &&
      value < 1e15) {
    const long long integer = static_cast<long long>(value);
    std::snprintf(buffer, sizeof buffer, "%lld", integer);
    out.emplace_back(buffer);
    out.push_back(std::string(buffer) + ".0");
    out.push_back(std::string(buffer) + "e0");
  } else {
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    out.emplace_back(buffer);
  }
  return out;
}

std::string near_number_lexeme(Random& random, std::string_view lexeme) {
  const double value = std::strtod(std::string(lexeme).c_str(), nullptr);
  const double deltas[] = {-1, 1, 0.5, -0.25, 0};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value + deltas[random.below(std::size(deltas))]);
  return buffer;
}

// A string that may satisfy a string value with wildcards.
std::string near_string(Random& random, std::string_view value) {
  static const Words kAffixes = {"", "", "x", "Pre", "1", " ", "*"};
  std::string core(value);
  const bool leading = !core.empty() && core.front() == '*';
  const bool trailing = core.size() >= 2 && core.back() == '*';
  if (leading) core.erase(0, 1);
  if (trailing) core.pop_back();
  std::string out = core;
  if (leading) out = std::string(random.pick(kAffixes)) + out;
  if (trailing) out += random.pick(kAffixes);
  if (random.chance(0.1)) {  // a near miss: drop the last character (not just its last byte)
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty()) out.pop_back();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON events: a model that keeps duplicate keys and lexemes, planted with values the pattern
// looks for, then serialised with varied whitespace and escapes.

struct EventNode {
  enum class Type { kNull, kTrue, kFalse, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  std::string text;  // string value or number lexeme
  std::vector<std::string> keys;
  std::vector<EventNode> children;
};

const Words kTopKeys = {"a",   "b", "eventName", "n", "arr", "v",          "a.b",
                        "x-y", "0", "a b",       "*", "a]b", "caf\xc3\xa9"};
const Words kNestedKeys = {"a", "b", "v", "arr", "n"};

EventNode scalar_string(std::string text) {
  EventNode node;
  node.type = EventNode::Type::kString;
  node.text = std::move(text);
  return node;
}

EventNode scalar_number(std::string lexeme) {
  EventNode node;
  node.type = EventNode::Type::kNumber;
  node.text = std::move(lexeme);
  return node;
}

EventNode random_value(Random& random, int depth, bool unicode);

EventNode random_object(Random& random, int depth, bool unicode) {
  EventNode node;
  node.type = EventNode::Type::kObject;
  const Words& keys = depth == 0 ? kTopKeys : kNestedKeys;
  const std::size_t count = random.below(depth == 0 ? 6 : 4);
  for (std::size_t i = 0; i < count; ++i) {
    node.keys.emplace_back(random.pick(keys));
    node.children.push_back(random_value(random, depth + 1, unicode));
  }
  return node;
}

EventNode random_value(Random& random, int depth, bool unicode) {
  const std::size_t roll = random.below(100);
  if (roll < 30) {
    if (unicode && random.chance(0.15))
      return scalar_string(std::string(random.pick(kUnicodeValues)));
    return scalar_string(random.chance(0.8) ? std::string(random.pick(kStringValues))
                                            : regex_subject(random));
  }
  if (roll < 45) {
    static const Words kIntegers = {
        "0", "1", "2", "10", "-3", "42", "1000", "123", "12345678901234567890"};
    return scalar_number(std::string(random.pick(kIntegers)));
  }
  if (roll < 53) {
    static const Words kFloats = {"1.0",   "1e0",   "1e3",  "1E+3",
                                  "10e-3", "0.01",  "-2.5", "1000.0",
                                  "2.50",  "1.5e1", "0.5",  "123456789012345678901234",
                                  "1.0E-2"};
    return scalar_number(std::string(random.pick(kFloats)));
  }
  EventNode node;
  if (roll < 58) {
    node.type = EventNode::Type::kTrue;
  } else if (roll < 63) {
    node.type = EventNode::Type::kFalse;
  } else if (roll < 70 || depth >= 3) {
    node.type = EventNode::Type::kNull;
  } else if (roll < 85) {
    node.type = EventNode::Type::kArray;
    const std::size_t count = random.below(4);
    for (std::size_t i = 0; i < count; ++i)
      node.children.push_back(random_value(random, depth + 1, unicode));
  } else {
    node = random_object(random, depth, unicode);
  }
  return node;
}

// The node a selector leads to, creating or reshaping nodes on the way. Prefers the last of
// duplicate keys (the one that counts).
EventNode* plant_path(Random& random, EventNode& root, const std::vector<Segment>& selector,
                      bool unicode) {
  EventNode* node = &root;
  for (const Segment& segment : selector) {
    auto make = [&](EventNode::Type type) {
      if (node->type != type) {
        *node = EventNode{};
        node->type = type;
      }
    };
    switch (segment.kind) {
      case Segment::Kind::kMember: {
        make(EventNode::Type::kObject);
        std::size_t found = node->keys.size();
        for (std::size_t i = 0; i < node->keys.size(); ++i) {
          if (node->keys[i] == segment.name) found = i;
        }
        if (found == node->keys.size()) {
          node->keys.push_back(segment.name);
          node->children.push_back(random_value(random, 2, unicode));
        }
        node = &node->children[found];
        break;
      }
      case Segment::Kind::kIndex:
        make(EventNode::Type::kArray);
        while (node->children.size() <= segment.index) {
          node->children.push_back(random_value(random, 3, unicode));
        }
        node = &node->children[segment.index];
        break;
      case Segment::Kind::kAnyMember:
      case Segment::Kind::kAnyElement: {
        const bool array_ok = segment.kind == Segment::Kind::kAnyElement;
        if (node->type != EventNode::Type::kObject &&
            !(array_ok && node->type == EventNode::Type::kArray)) {
          make(array_ok && random.chance(0.5) ? EventNode::Type::kArray : EventNode::Type::kObject);
        }
        if (node->children.empty() || random.chance(0.3)) {
          if (node->type == EventNode::Type::kObject)
            node->keys.emplace_back(random.pick(kNestedKeys));
          node->children.push_back(random_value(random, 3, unicode));
        }
        node = &node->children[random.below(node->children.size())];
        break;
      }
    }
  }
  return node;
}

// A value that may satisfy `condition` (or nearly).
EventNode value_for(Random& random, const JsonCondition& condition, bool unicode) {
  EventNode node;
  switch (condition.kind) {
    case JsonCondition::Kind::kIsNull:
      if (random.chance(0.3)) {
        node.type = EventNode::Type::kArray;
        node.children.push_back(scalar_number("1"));
        node.children.push_back(EventNode{});
      }
      return node;
    case JsonCondition::Kind::kIsTrue:
    case JsonCondition::Kind::kIsFalse:
      if (random.chance(0.2)) return scalar_string(random.chance(0.5) ? "true" : "false");
      node.type = condition.kind == JsonCondition::Kind::kIsTrue ? EventNode::Type::kTrue
                                                                 : EventNode::Type::kFalse;
      return node;
    case JsonCondition::Kind::kNotExists:
      return random_value(random, 2, unicode);
    case JsonCondition::Kind::kCompare:
      break;
  }
  const Value& value = condition.value;
  switch (value.kind) {
    case Value::Kind::kAny:
      return random_value(random, 2, unicode);
    case Value::Kind::kRegex:
      return scalar_string(regex_subject(random));
    case Value::Kind::kString: {
      std::string text = near_string(random, value.text);
      if (is_number_text(text) && json_number_ok(text) && random.chance(0.5)) {
        return scalar_number(text);
      }
      return scalar_string(text);
    }
    case Value::Kind::kNumber: {
      const std::size_t roll = random.below(10);
      if (roll < 5) return scalar_number(random.pick(equal_number_lexemes(value.text)));
      if (roll < 7) return scalar_number(near_number_lexeme(random, value.text));
      if (roll < 9) return scalar_string(value.text);
      return scalar_string(random.pick(equal_number_lexemes(value.text)));
    }
  }
  return node;
}

std::string json_blank(Random& random) {
  static const Words kBlanks = {"", "", "", "", "", " ", "\n", "\t", "\r\n", "  "};
  return std::string(random.pick(kBlanks));
}

// Writes the UTF-8 sequence starting at text[i], as it is or (when `escape`) as \uXXXX, a
// surrogate pair above U+FFFF; advances i to its last byte. The vocabularies hold valid UTF-8.
void write_non_ascii(std::string_view text, std::size_t& i, bool escape, std::string& out) {
  const auto byte = [&](std::size_t k) {
    return static_cast<unsigned>(static_cast<unsigned char>(text.at(k)));
  };
  const unsigned lead = byte(i);
  const std::size_t length = lead >= 0xF0 ? 4 : (lead >= 0xE0 ? 3 : 2);
  if (!escape) {
    out += text.substr(i, length);
    i += length - 1;
    return;
  }
  unsigned code = lead & (length == 2 ? 0x1Fu : (length == 3 ? 0x0Fu : 0x07u));
  for (std::size_t k = 1; k < length; ++k) code = (code << 6) | (byte(i + k) & 0x3Fu);
  i += length - 1;
  char buffer[16];
  if (code >= 0x10000) {
    code -= 0x10000;
    std::snprintf(buffer, sizeof buffer, "\\u%04x\\u%04x", 0xD800u + (code >> 10),
                  0xDC00u + (code & 0x3FFu));
  } else {
    std::snprintf(buffer, sizeof buffer, "\\u%04x", code);
  }
  out += buffer;
}

void write_json_string(Random& random, std::string_view text, std::string& out) {
  out += '"';
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      write_non_ascii(text, i, random.chance(0.5), out);
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '/' && random.chance(0.3)) {
      out += "\\/";
    } else if (random.chance(0.04)) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x",
                    static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buffer;
    } else {
      out += c;
    }
  }
  out += '"';
}

void write_json(Random& random, const EventNode& node, std::string& out) {
  switch (node.type) {
    case EventNode::Type::kNull:
      out += "null";
      return;
    case EventNode::Type::kTrue:
      out += "true";
      return;
    case EventNode::Type::kFalse:
      out += "false";
      return;
    case EventNode::Type::kNumber:
      out += node.text;
      return;
    case EventNode::Type::kString:
      write_json_string(random, node.text, out);
      return;
    case EventNode::Type::kArray:
    case EventNode::Type::kObject:
      break;
  }
  const bool object = node.type == EventNode::Type::kObject;
  out += object ? '{' : '[';
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    if (i > 0) out += ',';
    out += json_blank(random);
    if (object) {
      write_json_string(random, node.keys[i], out);
      out += json_blank(random) + ":" + json_blank(random);
    }
    write_json(random, node.children[i], out);
    out += json_blank(random);
  }
  out += object ? '}' : ']';
}

const Words kNotJsonObjects = {"not JSON",
                               "{broken",
                               "[{\"a\":1}]",
                               "\"hit\"",
                               "1",
                               "null",
                               "{\"a\":1} trailing",
                               "{\"a\":1}{\"b\":2}",
                               "{\"a\":1,}",
                               "{'a':1}",
                               "{\"a\":hit}",
                               "",
                               " ",
                               "[]",
                               "true",
                               "{\"a\" 1}",
                               "{\f\"a\":1}",
                               "{\"a\":\"\xff\"}",
                               "{\"a\":01}",
                               "{\"a\":1.}",
                               "{\"a\":\"\t\"}",
                               "{\"a\":+1}"};

bool has_regex(const JsonPattern& pattern) {
  for (const JsonCondition& condition : pattern.conditions) {
    if (condition.kind == JsonCondition::Kind::kCompare &&
        condition.value.kind == Value::Kind::kRegex) {
      return true;
    }
  }
  return false;
}

std::string json_event(Random& random, const JsonPattern& pattern) {
  if (random.chance(0.04)) return std::string(random.pick(kNotJsonObjects));
  const bool unicode = !has_regex(pattern);
  EventNode root = random_object(random, 0, unicode);
  for (const JsonCondition& condition : pattern.conditions) {
    if (!random.chance(0.6)) continue;
    *plant_path(random, root, condition.selector, unicode) = value_for(random, condition, unicode);
  }
  if (random.chance(0.1) && !root.keys.empty()) {  // a duplicate key, before or after
    const std::size_t index = random.below(root.keys.size());
    const bool before = random.chance(0.5);
    EventNode extra = random_value(random, 1, unicode);
    const auto at = static_cast<std::ptrdiff_t>(before ? index : index + 1);
    root.keys.insert(root.keys.begin() + at, root.keys[index]);
    root.children.insert(root.children.begin() + at, std::move(extra));
  }
  std::string out = json_blank(random);
  write_json(random, root, out);
  return out + json_blank(random);
}

// ---------------------------------------------------------------------------------------------
// JSON patterns

struct Budget {
  int wildcards = 3;  // per pattern (spec 1)
  int regexes = 2;
  bool unicode = false;  // non-ASCII values (only in patterns without regexes)
};

bool dot_name_ok(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Segment member(Random& random, std::string_view name) {
  Segment segment;
  segment.kind = Segment::Kind::kMember;
  segment.name = std::string(name);
  if (dot_name_ok(name) && random.chance(0.8)) {
    segment.style = Segment::Style::kDot;
  } else {
    segment.style = random.chance(0.5) ? Segment::Style::kDotBracket : Segment::Style::kBracket;
  }
  return segment;
}

std::vector<Segment> random_selector(Random& random, Budget& budget) {
  std::vector<Segment> selector;
  const std::size_t length = 1 + random.below(3);
  bool wildcard_used = false;
  for (std::size_t i = 0; i < length; ++i) {
    if (!wildcard_used && budget.wildcards > 0 && random.chance(0.15)) {
      Segment segment;
      segment.kind = random.chance(0.5) ? Segment::Kind::kAnyMember : Segment::Kind::kAnyElement;
      selector.push_back(segment);
      wildcard_used = true;
      --budget.wildcards;
    } else if (i > 0 && random.chance(0.2)) {
      Segment segment;
      segment.kind = Segment::Kind::kIndex;
      segment.index = random.below(3);
      selector.push_back(segment);
    } else {
      selector.push_back(member(random, random.pick(i == 0 ? kTopKeys : kNestedKeys)));
    }
  }
  return selector;
}

// A comparison value and operator; `json` picks the value grammar (JSON or delimited).
void random_comparison(Random& random, Budget& budget, Op& op, Value& value) {
  const std::size_t roll = random.below(100);
  op = random.chance(0.7) ? Op::kEq : Op::kNe;
  value = Value{};
  if (roll < 10) {
    value.kind = Value::Kind::kAny;
    value.quoted = random.chance(0.3);
    op = Op::kEq;
  } else if (roll < 25 && budget.regexes > 0) {
    value.kind = Value::Kind::kRegex;
    value.text = random_regex(random);
    --budget.regexes;
  } else if (roll < 55) {
    value.kind = Value::Kind::kNumber;
    value.text = std::string(random.pick(kNumberLexemes));
    static const std::vector<Op> kOps = {Op::kEq, Op::kNe, Op::kLt, Op::kGt, Op::kLe, Op::kGe};
    op = random.pick(kOps);
  } else {
    value.kind = Value::Kind::kString;
    value.text =
        std::string(random.chance(0.4) ? random.pick(kWildcardValues) : random.pick(kStringValues));
    if (budget.unicode && random.chance(0.15))
      value.text = std::string(random.pick(kUnicodeValues));
    value.quoted = random.chance(0.4);
  }
}

JsonCondition random_json_condition(Random& random, Budget& budget) {
  JsonCondition condition;
  condition.selector = random_selector(random, budget);
  const std::size_t roll = random.below(100);
  if (roll < 7) {
    condition.kind = JsonCondition::Kind::kIsNull;
  } else if (roll < 12) {
    condition.kind = JsonCondition::Kind::kIsTrue;
  } else if (roll < 17) {
    condition.kind = JsonCondition::Kind::kIsFalse;
  } else if (roll < 25) {
    condition.kind = JsonCondition::Kind::kNotExists;
  } else {
    random_comparison(random, budget, condition.op, condition.value);
  }
  return condition;
}

BoolExpr random_json_expr(Random& random, int depth, Budget& budget,
                          std::vector<JsonCondition>& conditions) {
  BoolExpr expr;
  if (depth == 0 || conditions.size() >= 7 || random.chance(0.35)) {
    expr.leaf = conditions.size();
    conditions.push_back(random_json_condition(random, budget));
    expr.parens = random.chance(0.2);
    return expr;
  }
  expr.kind = random.chance(0.5) ? BoolExpr::Kind::kAnd : BoolExpr::Kind::kOr;
  const std::size_t count = 2 + random.below(2);
  for (std::size_t i = 0; i < count; ++i) {
    expr.children.push_back(random_json_expr(random, depth - 1, budget, conditions));
  }
  expr.parens = random.chance(0.2);
  return expr;
}

JsonPattern random_json_pattern(Random& random) {
  JsonPattern pattern;
  Budget budget;
  if (random.chance(0.4)) {
    budget.regexes = 0;
    budget.unicode = true;
  }
  pattern.expr = random_json_expr(random, 3, budget, pattern.conditions);
  return pattern;
}

// ---------------------------------------------------------------------------------------------
// Term patterns and text events

const Words kTermWords = {
    "ERROR",     "REQUEST", "ARGUMENTS",   "INFO",  "error", "hello",       "world", "RROR", "QUES",
    "Exception", "foo.bar", "hello-world", "12:00", "GET",   "/index.html", "ERR",   "a",    "x",
    "_id",       "a=b",     "v1.2",        "a#b",   "x(y)",  "$var",        "a'b",   "100%", "a|b",
    "a&b",       "~x",      "a!",          "a,b",   "a;b",   "<b>",         "a+b",   "a\\b", "a?b",
    "x-",        "{y}",     "[y]",         "a&&b",  "a||b",  "x)"};
const Words kTermPhrases = {"INTERNAL SERVER ERROR",
                            "hello world",
                            "hello-world",
                            "ERROR REQUEST",
                            " ",
                            "\"quoted\"",
                            "a\\b",
                            "x*y",
                            "-1",
                            "?",
                            "caf\xc3\xa9",
                            "a b",
                            "ERROR-REQUEST",
                            "ERROR\nARGUMENTS",
                            "ERROR",
                            "{json}",
                            "[x]",
                            "%a%",
                            "\t",
                            "?ERROR",
                            "-ERROR"};
const Words kTextWords = {
    "ERROR",       "ERRORCODE",   "error",      "REQUEST",   "ARGUMENTS",   "INFO",   "WARN",
    "hello-world", "hello",       "world",      "Exception", "[ERROR]",     "TERROR", "foo.bar",
    "a?b",         "x*y",         "\"quoted\"", "a\\b",      "caf\xc3\xa9", "-1",     "12:00:01",
    "GET",         "/index.html", "INTERNAL",   "SERVER",    "a=b",         "_id",    "a#b",
    "x(y)",        "$var",        "100%",       "a|b",       "a&b",         "~x",     "{y}",
    "[y]",         "a+b"};
const Words kTextSeparators = {" ", " ", " ", "  ", "\t", "\n", ", ", ": ", "-", "_", "", "\r\n"};

TermPattern random_term_pattern(Random& random) {
  TermPattern pattern;
  const std::size_t count = 1 + random.below(4);
  const std::size_t style = random.below(4);  // 0: mixed, 1: optional only, 2: excluded only
  for (std::size_t i = 0; i < count; ++i) {
    Term term;
    if (style == 1) {
      term.mode = Term::Mode::kOptional;
    } else if (style == 2) {
      term.mode = Term::Mode::kExcluded;
    } else {
      const std::size_t roll = random.below(4);
      term.mode = roll < 2 ? Term::Mode::kRequired
                           : (roll == 2 ? Term::Mode::kExcluded : Term::Mode::kOptional);
    }
    term.quoted = random.chance(0.35);
    term.text = std::string(term.quoted ? random.pick(kTermPhrases) : random.pick(kTermWords));
    if (i == 0 && !term.quoted && term.mode == Term::Mode::kRequired &&
        (term.text[0] == '{' || term.text[0] == '[')) {
      term.quoted = true;  // a bare first word starting with '{' or '[' changes the pattern kind
    }
    pattern.terms.push_back(term);
  }
  return pattern;
}

std::string text_event(Random& random, const std::vector<std::string>& hints) {
  std::string out;
  const std::size_t count = random.below(7);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += random.pick(kTextSeparators);
    if (!hints.empty() && random.chance(0.4)) {
      out += random.pick(hints);
    } else {
      out += random.pick(kTextWords);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Space-delimited patterns and events

const Words kFieldNames = {"ip",      "user", "status", "bytes", "w1",   "w2",
                           "request", "x-y",  "_t",     "level", "Time", "a1"};
const Words kFieldValues = {"ERROR",
                            "WARNING",
                            "INFO",
                            "404",
                            "410",
                            "500",
                            "1534",
                            "999",
                            "-",
                            "12.5",
                            "1e3",
                            "+7",
                            ".5",
                            "1.",
                            "404.0",
                            "GET /index.html HTTP/1.0",
                            "10/Oct/2000:13:25:15 -0700",
                            "127.0.0.1",
                            "127.0.0.10",
                            "frank",
                            "/service/resource/67",
                            "a,b",
                            "x]y",
                            "hit",
                            "abc",
                            "",
                            "a b",
                            "x\"y"};
const Words kDelimitedStrings = {"ERROR", "WARNING", "4*",  "*.html*", "*0",   "127.0.0.*", "frank",
                                 "-",     "GET*",    "hit", "a,b",     "a b",  "*",         "x]y",
                                 "*/67",  "INFO",    "404", "",        "ab*c", "x\"y",      "*\"y"};
const Words kDelimitedNumbers = {"404", "410", "1000", "500",   "1e3", "12.5",
                                 "0",   "-1",  "+7",   "404.0", ".5",  "1534"};

void random_field_comparison(Random& random, Budget& budget, FieldCondition& condition) {
  const std::size_t roll = random.below(100);
  condition.op = random.chance(0.7) ? Op::kEq : Op::kNe;
  condition.value = Value{};
  if (roll < 8) {
    condition.value.kind = Value::Kind::kAny;
    condition.value.quoted = random.chance(0.3);
    condition.op = Op::kEq;
  } else if (roll < 22 && budget.regexes > 0) {
    condition.value.kind = Value::Kind::kRegex;
    condition.value.text = random_regex(random);
    --budget.regexes;
  } else if (roll < 55) {
    condition.value.kind = Value::Kind::kNumber;
    condition.value.text = std::string(random.pick(kDelimitedNumbers));
    static const std::vector<Op> kOps = {Op::kEq, Op::kNe, Op::kLt, Op::kGt, Op::kLe, Op::kGe};
    condition.op = random.pick(kOps);
  } else {
    condition.value.kind = Value::Kind::kString;
    condition.value.text = std::string(random.pick(kDelimitedStrings));
    condition.value.quoted = random.chance(0.4);
  }
}

// Conditions of one entry in disjunctive normal form (no parentheses inside entries: spec 6.1).
BoolExpr random_field_expr(Random& random, Budget& budget,
                           std::vector<FieldCondition>& conditions) {
  auto leaf = [&] {
    BoolExpr expr;
    expr.leaf = conditions.size();
    conditions.emplace_back();
    random_field_comparison(random, budget, conditions.back());
    return expr;
  };
  auto conjunction = [&] {
    const std::size_t count = random.chance(0.7) ? 1 : 2;
    if (count == 1) return leaf();
    BoolExpr expr;
    expr.kind = BoolExpr::Kind::kAnd;
    for (std::size_t i = 0; i < count; ++i) expr.children.push_back(leaf());
    return expr;
  };
  const std::size_t count = random.chance(0.6) ? 1 : 2;
  if (count == 1) return conjunction();
  BoolExpr expr;
  expr.kind = BoolExpr::Kind::kOr;
  for (std::size_t i = 0; i < count; ++i) expr.children.push_back(conjunction());
  return expr;
}

DelimitedPattern random_delimited_pattern(Random& random) {
  DelimitedPattern pattern;
  Budget budget;
  const std::size_t count = random.below(6);
  const std::size_t ellipsis = random.chance(0.3) ? random.below(count + 1) : count + 1;
  std::vector<std::string_view> names = kFieldNames;
  for (std::size_t i = 0; i <= count; ++i) {
    if (i == ellipsis) {
      DelimitedEntry entry;
      entry.ellipsis = true;
      pattern.entries.push_back(entry);
      continue;
    }
    if (i == count) break;
    DelimitedEntry entry;
    const std::size_t name = random.below(names.size());
    entry.name = std::string(names[name]);
    names.erase(names.begin() + static_cast<std::ptrdiff_t>(name));
    if (random.chance(0.55)) entry.expr = random_field_expr(random, budget, entry.conditions);
    pattern.entries.push_back(entry);
  }
  return pattern;
}

std::string value_for_field(Random& random, const DelimitedEntry& entry) {
  if (entry.conditions.empty() || random.chance(0.35))
    return std::string(random.pick(kFieldValues));
  const FieldCondition& condition = entry.conditions[random.below(entry.conditions.size())];
  switch (condition.value.kind) {
    case Value::Kind::kAny:
      return std::string(random.pick(kFieldValues));
    case Value::Kind::kRegex:
      return regex_subject(random);
    case Value::Kind::kString:
      return near_string(random, condition.value.text);
    case Value::Kind::kNumber:
      if (random.chance(0.5)) return condition.value.text;
      if (random.chance(0.5)) return random.pick(equal_number_lexemes(condition.value.text));
      return near_number_lexeme(random, condition.value.text);
  }
  return "";
}

std::string delimited_event(Random& random, const DelimitedPattern& pattern) {
  std::vector<std::string> values;
  bool has_ellipsis = false;
  for (const DelimitedEntry& entry : pattern.entries) {
    if (entry.ellipsis) {
      has_ellipsis = true;
      const std::size_t absorbed = random.below(4);
      for (std::size_t i = 0; i < absorbed; ++i) values.emplace_back(random.pick(kFieldValues));
    } else {
      values.push_back(value_for_field(random, entry));
    }
  }
  if (!values.empty() && random.chance(0.12)) values.pop_back();  // too few fields
  if ((!has_ellipsis && random.chance(0.3)) || values.empty()) {  // the rest of the line
    const std::size_t extra = 1 + random.below(2);
    for (std::size_t i = 0; i < extra; ++i) values.emplace_back(random.pick(kFieldValues));
  }
  static const Words kSeparators = {" ", " ", " ", "\t", "  ", " \t"};
  std::string out = random.chance(0.1) ? std::string(random.pick(kSeparators)) : "";
  bool has_quote = false;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string& value = values[i];
    if (i > 0) out += random.pick(kSeparators);
    const bool must_wrap = value.empty() || value.find_first_of(" \t") != std::string::npos ||
                           value[0] == '"' || value[0] == '[' ||
                           value.find('"') != std::string::npos;
    if (must_wrap || random.chance(0.1)) {
      if (value.find('"') == std::string::npos &&
          (value.find(']') != std::string::npos || random.chance(0.6))) {
        out += "\"" + value + "\"";
        has_quote = true;
      } else if (value.find(']') == std::string::npos && value.find('"') == std::string::npos) {
        out += "[" + value + "]";
      } else {
        out += "x";
      }
    } else {
      out += value;
    }
  }
  if (!has_quote && random.chance(0.05)) {
    // An unterminated quote is an ordinary character (spec 6.2 rule 5).
    out += " \"unterminated words";
  }
  if (random.chance(0.1)) out += random.pick(kSeparators);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The comparison

struct Tally {
  std::size_t patterns = 0;
  std::size_t pairs = 0;
  std::size_t matches = 0;
  std::size_t mismatches = 0;
  std::size_t prefilter_misses = 0;
  std::string report;

  void note(const std::string& text) {
    if (mismatches + prefilter_misses <= 30) report += text;
  }
};

std::string show(std::string_view text) {
  return "\"" + escape_for_display(text) + "\"";
}

std::string show(const Extracted& values) {
  std::string out = "{";
  for (const auto& [name, value] : values) out += " " + name + "=" + show(value);
  return out + " }";
}

// One differential run: compiles rendered models, checks pairs, and at the end of the test body
// (its destructor) prints a one-line summary and fails with the first reports if anything
// disagreed.
class Differential {
 public:
  explicit Differential(const char* name) : name_(name), start_(Clock::now()) {}
  ~Differential() {
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_).count();
    std::printf("[ %s ] %zu patterns, %zu pairs (%zu matching), %lld ms\n", name_, tally_.patterns,
                tally_.pairs, tally_.matches, static_cast<long long>(elapsed));
    EXPECT_EQ(tally_.mismatches, 0u) << tally_.report;
    EXPECT_EQ(tally_.prefilter_misses, 0u) << tally_.report;
  }

  // Compiles the rendered model; nullopt (and a recorded failure) when the engine rejects it.
  std::optional<Matcher> compile(const std::string& text) {
    ++tally_.patterns;
    auto compiled = Matcher::compile(text);
    if (!compiled.ok()) {
      ++tally_.mismatches;
      tally_.note("rejected valid pattern " + show(text) + ": " + compiled.error().describe() +
                  "\n");
      return std::nullopt;
    }
    return std::move(compiled).value();
  }

  void check(const Matcher& matcher, const Pattern& model, const std::string& event,
             bool compare_extracted) {
    ++tally_.pairs;
    Extracted expected_values;
    const bool expected = evaluate(model, event, &expected_values);
    subject_.reset(event);
    ExtractedValues actual_values;
    const bool actual = matcher.match(subject_, compare_extracted ? &actual_values : nullptr);
    if (expected) ++tally_.matches;
    if (actual != expected) {
      ++tally_.mismatches;
      tally_.note("MISMATCH pattern " + show(matcher.text()) + "\n         event   " + show(event) +
                  "\n         engine " + (actual ? "true" : "false") + ", reference " +
                  (expected ? "true" : "false") + "\n");
    } else if (expected && compare_extracted) {
      Extracted got(actual_values.begin(), actual_values.end());
      if (got != expected_values) {
        ++tally_.mismatches;
        tally_.note("EXTRACTED pattern " + show(matcher.text()) + "\n          event   " +
                    show(event) + "\n          engine    " + show(got) + "\n          reference " +
                    show(expected_values) + "\n");
      }
    }
    if (expected && !matcher.prefilter().may_match(event)) {
      ++tally_.prefilter_misses;
      tally_.note("PREFILTER rejects a match: pattern " + show(matcher.text()) +
                  "\n          event " + show(event) + "\n");
    }
  }

 private:
  using Clock = std::chrono::steady_clock;
  const char* name_;
  Clock::time_point start_;
  Tally tally_;
  Subject subject_;
};

// ---------------------------------------------------------------------------------------------
// The reference itself, on the spec's own examples (a sanity check of the checker).

Segment dot(std::string name) {
  Segment segment;
  segment.name = std::move(name);
  return segment;
}
Segment any_element() {
  Segment segment;
  segment.kind = Segment::Kind::kAnyElement;
  return segment;
}
Segment any_member() {
  Segment segment;
  segment.kind = Segment::Kind::kAnyMember;
  return segment;
}
Value string_value(std::string text) {
  return Value{Value::Kind::kString, std::move(text), true};
}
Value number_value(std::string text) {
  return Value{Value::Kind::kNumber, std::move(text), false};
}

JsonPattern one_condition(std::vector<Segment> selector, JsonCondition::Kind kind, Op op = Op::kEq,
                          Value value = {}) {
  JsonPattern pattern;
  pattern.conditions.push_back(JsonCondition{std::move(selector), kind, op, std::move(value)});
  return pattern;
}
JsonPattern compare(std::vector<Segment> selector, Op op, Value value) {
  return one_condition(std::move(selector), JsonCondition::Kind::kCompare, op, std::move(value));
}

TEST(DifferentialReference, FollowsTheSpecExamples) {
  struct Case {
    Pattern pattern;
    std::string_view event;
    bool match;
  };
  const Case cases[] = {
      {compare({dot("v")}, Op::kEq, string_value("1")), R"({"v":1})", true},
      {compare({dot("v")}, Op::kEq, string_value("1")), R"({"v":1.0})", false},
      {compare({dot("v")}, Op::kEq, number_value("1")), R"({"v":1e0})", true},
      {compare({dot("v")}, Op::kEq, number_value("1")), R"({"v":"1"})", true},
      {compare({dot("v")}, Op::kEq, number_value("1")), R"({"v":"1.0"})", false},
      {compare({dot("v")}, Op::kNe, number_value("1")), R"({"v":"1.0"})", true},
      {compare({dot("v")}, Op::kNe, number_value("1")), R"({})", false},
      {compare({dot("v")}, Op::kNe, string_value("Alpha")), R"({"v":10})", true},
      {compare({dot("v")}, Op::kGt, number_value("1")), R"({"v":"10"})", false},
      {compare({dot("v")}, Op::kEq, number_value("1")), R"({"v":2,"v":1})", true},
      {compare({dot("v")}, Op::kGt, number_value("1")), R"({"v":1,"v":2})", true},
      {compare({dot("v")}, Op::kEq, number_value("1")), R"({"v":[1,"Alpha",null]})", false},
      {compare({dot("v")}, Op::kNe, number_value("1")), R"({"v":[1,"Alpha",null]})", false},
      {compare({dot("v")}, Op::kEq, Value{Value::Kind::kAny, "", false}), R"({"v":""})", true},
      {compare({dot("v")}, Op::kEq, Value{Value::Kind::kAny, "", false}), R"({"v":null})", false},
      {compare({dot("v")}, Op::kEq, string_value("*Operation")), R"({"v":"Operation"})", true},
      {compare({dot("v")}, Op::kEq, string_value("Ev*ent")), R"({"v":"Event"})", false},
      {compare({dot("v")}, Op::kEq, string_value("a?b")), R"({"v":"axb"})", false},
      {compare({dot("v")}, Op::kEq, Value{Value::Kind::kRegex, "Trail", false}),
       R"({"v":"UpdateTrail"})", true},
      {compare({dot("arr"), any_element()}, Op::kEq, string_value("hit")), R"({"arr":{"0":"hit"}})",
       true},
      {compare({dot("arr"), Segment{Segment::Kind::kIndex, "", 0, Segment::Style::kDot}}, Op::kEq,
               string_value("hit")),
       R"({"arr":{"0":"hit"}})", false},
      {compare({any_member()}, Op::kEq, string_value("hit")), R"({"arr":["hit","hit"]})", false},
      {compare({dot("nested"), dot("value")}, Op::kEq, string_value("hit")),
       R"({"nested":[{"value":"hit"}]})", false},
      {one_condition({dot("v")}, JsonCondition::Kind::kIsNull), R"({"v":[1,"Alpha",null]})", true},
      {one_condition({dot("v")}, JsonCondition::Kind::kIsTrue), R"({"v":"true"})", false},
      {one_condition({dot("v")}, JsonCondition::Kind::kNotExists), R"({"v":null})", false},
      {one_condition({dot("v")}, JsonCondition::Kind::kNotExists), R"({})", true},
      {one_condition({dot("v")}, JsonCondition::Kind::kNotExists), R"([{"v":1}])", false},
      {one_condition({dot("v")}, JsonCondition::Kind::kNotExists), "not JSON", false},
      {TermPattern{{{Term::Mode::kOptional, "ERROR", false},
                    {Term::Mode::kOptional, "ARGUMENTS", false},
                    {Term::Mode::kRequired, "REQUEST", false}}},
       "INFO REQUEST", true},
      {TermPattern{{{Term::Mode::kOptional, "ERROR", false},
                    {Term::Mode::kOptional, "ARGUMENTS", false},
                    {Term::Mode::kRequired, "REQUEST", false}}},
       "INFO ARGUMENTS", false},
      {TermPattern{{{Term::Mode::kRequired, " ", true}}}, "hello-world", false},
      {TermPattern{{{Term::Mode::kExcluded, "ERROR", false}}}, "plain", true},
      {RegexPattern{"^ERROR\\s[0-9]{3}$"}, "ERROR\n500", true},
      {RegexPattern{"AUTHORIZED"}, "UNAUTHORIZED REQUEST", true},
      {DelimitedPattern{}, "ERROR request failed", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(evaluate(c.pattern, c.event), c.match)
        << render(c.pattern) << " on " << show(c.event);
  }
}

TEST(DifferentialReference, ExtractsDelimitedFieldsLikeTheSpec) {
  DelimitedPattern pattern;
  DelimitedEntry w1;
  w1.name = "w1";
  w1.conditions.push_back(FieldCondition{Op::kEq, Value{Value::Kind::kString, "ERROR", false}});
  DelimitedEntry w2;
  w2.name = "w2";
  pattern.entries = {w1, w2};
  EXPECT_EQ(render(pattern), "[w1 = ERROR, w2]");
  Extracted values;
  ASSERT_TRUE(evaluate(pattern, "ERROR request failed", &values));
  EXPECT_EQ(values, (Extracted{{"$w1", "ERROR"}, {"$w2", "request failed"}}));
  EXPECT_FALSE(evaluate(pattern, "ERROR"));

  DelimitedPattern middle;
  DelimitedEntry ip;
  ip.name = "ip";
  DelimitedEntry ellipsis;
  ellipsis.ellipsis = true;
  DelimitedEntry status;
  status.name = "status";
  DelimitedEntry bytes;
  bytes.name = "bytes";
  middle.entries = {ip, ellipsis, status, bytes};
  ASSERT_TRUE(evaluate(middle, "ERROR \"unterminated words", &values));
  EXPECT_EQ(values,
            (Extracted{{"$ip", "ERROR"}, {"$status", "\"unterminated"}, {"$bytes", "words"}}));
  EXPECT_FALSE(evaluate(middle, "WARNING request"));
  ASSERT_TRUE(evaluate(DelimitedPattern{}, "a [b c] \"d\"", &values));
  EXPECT_EQ(values, (Extracted{{"$1", "a"}, {"$2", "b c"}, {"$3", "d"}}));
}

// ---------------------------------------------------------------------------------------------
// The differential runs

TEST(DifferentialJson, EngineAndPrefilterAgreeWithReference) {
  Differential run("json");
  Random random(20240611);
  for (int i = 0; i < 4000; ++i) {
    const JsonPattern model = random_json_pattern(random);
    const std::string text = render(model, random.layout_seed());
    if (text.size() > 1024) continue;
    const auto matcher = run.compile(text);
    if (!matcher) continue;
    for (int e = 0; e < 6; ++e) run.check(*matcher, model, json_event(random, model), false);
  }
}

TEST(DifferentialTerms, EngineAndPrefilterAgreeWithReference) {
  Differential run("terms");
  Random random(77031);
  for (int i = 0; i < 2500; ++i) {
    const TermPattern model = random_term_pattern(random);
    const auto matcher = run.compile(render(model, random.layout_seed()));
    if (!matcher) continue;
    std::vector<std::string> hints;
    for (const Term& term : model.terms) hints.push_back(term.text);
    for (int e = 0; e < 6; ++e) {
      std::string event = text_event(random, hints);
      if (random.chance(0.1)) {
        JsonPattern json = random_json_pattern(random);
        event = json_event(random, json);
      }
      run.check(*matcher, model, event, false);
    }
  }
}

TEST(DifferentialRegex, EngineAndPrefilterAgreeWithReference) {
  Differential run("regex");
  Random random(4242);
  for (int i = 0; i < 1500; ++i) {
    const RegexPattern model{random_regex(random)};
    const auto matcher = run.compile(render(model));
    if (!matcher) continue;
    for (int e = 0; e < 6; ++e) {
      std::string event = regex_subject(random);
      if (random.chance(0.5)) event += " " + regex_subject(random);
      run.check(*matcher, model, event, false);
    }
  }
}

TEST(DifferentialDelimited, EngineAndPrefilterAgreeWithReferenceOnMatchesAndExtractedValues) {
  Differential run("delimited");
  Random random(9001);
  const Words blank_events = {"", " ", "\t", "  \t "};
  for (int i = 0; i < 3000; ++i) {
    const DelimitedPattern model = random_delimited_pattern(random);
    const auto matcher = run.compile(render(model, random.layout_seed()));
    if (!matcher) continue;
    for (int e = 0; e < 6; ++e) run.check(*matcher, model, delimited_event(random, model), true);
    if (i % 10 == 0) run.check(*matcher, model, std::string(random.pick(blank_events)), true);
  }
}

TEST(DifferentialMatchAll, BlankPatternsMatchEveryEvent) {
  Differential run("match-all");
  Random random(5);
  const Words blanks = {"", " ", "\t", " \n ", "\r\n", "   "};
  for (std::string_view blank : blanks) {
    const MatchAllPattern model{std::string(blank)};
    const auto matcher = run.compile(render(model));
    if (!matcher) continue;
    for (int e = 0; e < 50; ++e) {
      const std::vector<std::string> hints;
      run.check(*matcher, model, text_event(random, hints) + " x", false);
    }
  }
}

}  // namespace
}  // namespace sgwatch::testing::reference
