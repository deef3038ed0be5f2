// Unit tests of JsonTree (pattern/json_tree.h): the flat node layout in document order, number
// lexemes kept as written, unescaped keys and strings, what is and is not one JSON value, the
// nesting-depth limit, and big integers (spec 5.2 rule 1 and the number-text rows).
// Neighbours: subject.h owns a JsonTree; matcher_test.cpp checks matching over it.
#include "pattern/json_tree.h"

#include <gtest/gtest.h>

#include <limits>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.h"
#include "pattern/subject.h"

namespace sgwatch::pattern {
namespace {

// Rebuilds the document from the flat nodes, using only `end` to find where containers close:
//   {a=1 b=[true null "x"] c={d=1.0}}
std::string layout(const JsonTree& tree) {
  std::string out;
  struct Open {
    std::uint32_t end;
    bool object;
  };
  std::vector<Open> open;
  bool first = true;
  auto close_until = [&](std::uint32_t index) {
    while (!open.empty() && open.back().end <= index) {
      out += open.back().object ? '}' : ']';
      open.pop_back();
      first = false;
    }
  };
  for (std::uint32_t i = 0; i < tree.size(); ++i) {
    close_until(i);
    if (!first) out += ' ';
    first = false;
    const JsonNode& node = tree[i];
    if (!open.empty() && open.back().object) out += std::string(node.key) + "=";
    switch (node.type) {
      case JsonType::kNull: out += "null"; break;
      case JsonType::kTrue: out += "true"; break;
      case JsonType::kFalse: out += "false"; break;
      case JsonType::kNumber: out += std::string(node.text); break;
      case JsonType::kString: out += "\"" + core::printable(node.text) + "\""; break;
      case JsonType::kArray:
      case JsonType::kObject: {
        const bool object = node.type == JsonType::kObject;
        out += object ? '{' : '[';
        open.push_back({node.end, object});
        first = true;
        break;
      }
    }
  }
  close_until(tree.size());
  return out;
}

struct LayoutCase {
  std::string_view json;
  std::string_view layout;
};

void PrintTo(const LayoutCase& c, std::ostream* os) { *os << "'" << core::printable(c.json) << "'"; }

const LayoutCase kLayouts[] = {
    {"{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{\"d\":1.0}}", "{a=1 b=[true null \"x\"] c={d=1.0}}"},
    {"{}", "{}"},
    {"[]", "[]"},
    {"[[],[[]],{},[1,[2,[3]]]]", "[[] [[]] {} [1 [2 [3]]]]"},
    {"{\"a\":{\"b\":{\"c\":[]}},\"d\":0}", "{a={b={c=[]}} d=0}"},
    // Number lexemes as written.
    {"{\"a\":1.0,\"b\":1e0,\"c\":-0,\"d\":1E+3,\"e\":0.10,\"f\":-2.5e-3}",
     "{a=1.0 b=1e0 c=-0 d=1E+3 e=0.10 f=-2.5e-3}"},
    {"{\"a\": 1 , \"b\" : 2 }", "{a=1 b=2}"},
    {"[1\n,\t2\r\n]", "[1 2]"},
    // Keys and strings unescaped.
    {"{\"a\\\"b\":1}", "{a\"b=1}"},
    {"{\"event\\u004eame\":\"Create\\u0053ecurityGroup\"}", "{eventName=\"CreateSecurityGroup\"}"},
    {"{\"\\u00e9\":\"caf\\u00e9\"}", "{\xC3\xA9=\"caf\xC3\xA9\"}"},
    {"{\"s\":\"line\\nbreak\\t\\\\ \\/ \\\"q\\\"\"}", "{s=\"line\\nbreak\\t\\ / \"q\"\"}"},
    {"{\"e\":\"\\ud83d\\ude00\"}", "{e=\"\xF0\x9F\x98\x80\"}"},
    {"{\"\":1}", "{=1}"},
    // Duplicate keys are all kept; selectors resolve to the last one.
    {"{\"v\":1,\"v\":2}", "{v=1 v=2}"},
    // Surrounding whitespace.
    {" \n {\"a\":1} \t\r\n", "{a=1}"},
};

class JsonTreeLayoutTest : public testing::TestWithParam<LayoutCase> {};

TEST_P(JsonTreeLayoutTest, Layout) {
  const LayoutCase& c = GetParam();
  JsonTree tree;
  ASSERT_TRUE(tree.parse(c.json));
  EXPECT_EQ(layout(tree), c.layout);
  EXPECT_EQ(tree[0].end, tree.size()) << "the root spans every node";
}

INSTANTIATE_TEST_SUITE_P(Table, JsonTreeLayoutTest, testing::ValuesIn(kLayouts));

// json_tree.h: parse() is "true when it is one valid JSON value", scalars included. (Subjects
// never expose a scalar document: only objects can match a JSON pattern.)
TEST(JsonTreeTest, ScalarDocumentsAreJsonValues) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"42", "42"}, {"-1.50", "-1.50"}, {"\"s\"", "\"s\""}, {"null", "null"},
      {"true", "true"}, {"false", "false"}, {" 7 ", "7"},
  };
  JsonTree tree;
  for (const auto& [json, expected] : cases) {
    EXPECT_TRUE(tree.parse(json)) << json;
    EXPECT_EQ(layout(tree), expected) << json;
  }
}

TEST(JsonTreeTest, NodeFields) {
  JsonTree tree;
  ASSERT_TRUE(tree.parse("{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{\"d\":1.0}}"));
  struct Expected {
    JsonType type;
    std::uint32_t end;
    std::string_view key;
    std::string_view text;
  };
  const Expected expected[] = {
      {JsonType::kObject, 8, "", ""}, {JsonType::kNumber, 2, "a", "1"},
      {JsonType::kArray, 6, "b", ""}, {JsonType::kTrue, 4, "", ""},
      {JsonType::kNull, 5, "", ""},   {JsonType::kString, 6, "", "x"},
      {JsonType::kObject, 8, "c", ""}, {JsonType::kNumber, 8, "d", "1.0"},
  };
  ASSERT_EQ(tree.size(), std::size(expected));
  for (std::uint32_t i = 0; i < tree.size(); ++i) {
    SCOPED_TRACE(testing::Message() << "node " << i);
    EXPECT_EQ(tree[i].type, expected[i].type);
    EXPECT_EQ(tree[i].end, expected[i].end);
    EXPECT_EQ(tree[i].key, expected[i].key);
    EXPECT_EQ(tree[i].text, expected[i].text);
  }
  EXPECT_EQ(tree[7].number, 1.0);
  EXPECT_EQ(tree.first_child(2), 3u);
}

// Spec 5.2 rule 1: anything but one JSON value is not JSON.
const std::string_view kNotJson[] = {
    "",
    "   ",
    "{",
    "{\"a\":}",
    "{\"a\":1,}",
    "{'a':1}",
    "{a:1}",
    "{\"a\":1} x",
    "{\"a\":1}{}",
    "{\"a\":1}}",
    "{\"a\":1}]",
    "[1,2",
    "nul",
    "{\"a\":tru}",
    "{\"a\":01}",
    "{\"a\":1.}",
    "{\"a\":.5}",
    "{\"a\":-}",
    "{\"a\":NaN}",
    "{\"a\":\"\\x\"}",
    "{\"a\":\"unterminated}",
    "{\"a\":\"raw\nnewline\"}",
    "not JSON",
};

TEST(JsonTreeTest, RejectsWhatIsNotOneJsonValue) {
  JsonTree tree;
  for (std::string_view text : kNotJson) {
    ASSERT_TRUE(tree.parse("{\"ok\":1}"));
    EXPECT_FALSE(tree.parse(text)) << "'" << core::printable(text) << "'";
    EXPECT_TRUE(tree.empty()) << "a failed parse leaves the tree empty";
  }
}

TEST(JsonTreeTest, ReusableAcrossParses) {
  JsonTree tree;
  ASSERT_TRUE(tree.parse("{\"a\":[1,2,3]}"));
  EXPECT_EQ(tree.size(), 5u);
  ASSERT_TRUE(tree.parse("{\"b\":\"x\"}"));
  EXPECT_EQ(layout(tree), "{b=\"x\"}");
  ASSERT_FALSE(tree.parse("{"));
  ASSERT_TRUE(tree.parse(std::string(100000, ' ') + "{\"c\":true}"));
  EXPECT_EQ(layout(tree), "{c=true}");
}

// Big integers stay numbers: the lexeme as written and the nearest double.
TEST(JsonTreeTest, BigIntegers) {
  const std::pair<std::string_view, double> cases[] = {
      {"9007199254740993", 9007199254740993.0},
      {"18446744073709551615", 18446744073709551615.0},
      {"18446744073709551616", 18446744073709551616.0},
      {"-9223372036854775809", -9223372036854775809.0},
      {"123456789012345678901234567890", 123456789012345678901234567890.0},
  };
  JsonTree tree;
  for (const auto& [lexeme, value] : cases) {
    ASSERT_TRUE(tree.parse("{\"v\":" + std::string(lexeme) + "}")) << lexeme;
    EXPECT_EQ(tree[1].type, JsonType::kNumber);
    EXPECT_EQ(tree[1].text, lexeme);
    EXPECT_DOUBLE_EQ(tree[1].number, value);
  }
}

// Beyond the double range: still a number (as Jackson reads it), so the event stays JSON.
TEST(JsonTreeTest, NumbersBeyondTheDoubleRange) {
  JsonTree tree;
  ASSERT_TRUE(tree.parse("{\"v\":1e400,\"w\":-1e400}"));
  EXPECT_EQ(tree[1].text, "1e400");
  EXPECT_EQ(tree[1].number, std::numeric_limits<double>::infinity());
  EXPECT_EQ(tree[2].number, -std::numeric_limits<double>::infinity());
}

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string nested_objects(std::size_t depth) {
  std::string out;
  for (std::size_t i = 1; i < depth; ++i) out += "{\"a\":";
  return out + "{}" + std::string(depth - 1, '}');
}

TEST(JsonTreeTest, NestingWithinTheLimitIsAccepted) {
  JsonTree tree;
  EXPECT_TRUE(tree.parse(nested_arrays(1000)));
  EXPECT_EQ(tree.size(), 1000u);
  EXPECT_TRUE(tree.parse(nested_objects(1000)));
  EXPECT_TRUE(tree.parse(nested_arrays(JsonTree::kMaxDepth)));
}

// json_tree.h: "Deepest nesting accepted; deeper documents are treated as not JSON."
TEST(JsonTreeTest, NestingBeyondTheLimitIsNotJson) {
  JsonTree tree;
  EXPECT_FALSE(tree.parse(nested_arrays(2000)));
  EXPECT_FALSE(tree.parse(nested_objects(2000)));
  EXPECT_FALSE(tree.parse("{\"v\":" + nested_arrays(2000) + "}"));
  EXPECT_FALSE(tree.parse(nested_arrays(JsonTree::kMaxDepth + 1)));
}

TEST(JsonTreeTest, DeepArraysAreNeverAnObjectSubject) {
  for (std::size_t depth : {1u, 10u, 1000u, 2000u, 100000u}) {
    const std::string text = nested_arrays(depth);
    Subject subject(text);
    EXPECT_EQ(subject.json_object(), nullptr) << "depth " << depth;
  }
}

TEST(JsonTreeTest, SubjectOnlyExposesObjects) {
  const std::pair<std::string_view, bool> cases[] = {
      {"{}", true},   {" {\"a\":1} ", true}, {"[{}]", false}, {"\"{}\"", false},
      {"1", false},   {"null", false},       {"{", false},    {"", false},
  };
  for (const auto& [text, object] : cases) {
    Subject subject(text);
    EXPECT_EQ(subject.json_object() != nullptr, object) << "'" << text << "'";
  }
}

TEST(JsonTreeTest, KernelHasAName) { EXPECT_FALSE(JsonTree::kernel().empty()); }

}  // namespace
}  // namespace sgwatch::pattern
