// The examples of docs/pattern-syntax.md, run through the library: every ```example block of the
// user guide is a test, so the guide cannot drift from what sgwatch does.
// Block format (one `key: value` per line; the value is the rest of the line after ": "):
//   pattern: P           the pattern, exactly (or pattern-json: "P" as a JSON string literal,
//                        for patterns with tabs or line breaks)
//   event: E             the log event message (or event-json: "E")
//   match: true|false    the expected result
//   extracted: {...}     optional: extractedValues as a JSON object
//   error: CodeName      instead of event/match: the pattern (or transformation) is rejected
//                        with this error_code_name()
//   metricValue: V       optional metric transformation: metricValue, defaultValue (number),
//   defaultValue: D      dimensions (JSON object name -> reference);
//   dimensions: {...}
//   value: N|none        the data point the event publishes (none: no data point)
//   expectedDimensions: {...}  the dimensions published with it
// Neighbours: src/pattern (Matcher, MetricFilter); docs/pattern-syntax.md.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "pattern/pattern.h"

namespace sgwatch::pattern {
namespace {

constexpr std::size_t kMinimumExamples = 40;
constexpr std::string_view kDocPath = SGWATCH_SOURCE_DIR "/docs/pattern-syntax.md";

struct DocExample {
  std::size_t line = 0;  // line of the opening fence, 1-based
  std::string pattern;
  std::optional<std::string> event;
  std::optional<bool> match;
  std::optional<std::string> error;
  std::optional<nlohmann::json> extracted;
  std::optional<std::string> metric_value;
  std::optional<double> default_value;
  std::optional<nlohmann::json> dimensions;
  std::optional<nlohmann::json> value;  // a number or the string "none"
  std::optional<nlohmann::json> expected_dimensions;
  std::string problem;  // a malformed block: what is wrong with it
};

void PrintTo(const DocExample& example, std::ostream* os) {
  *os << "docs/pattern-syntax.md:" << example.line;
}

std::optional<nlohmann::json> parse_json(const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

// Fills one field of `example` from a `key: value` line; returns a problem or "".
std::string apply_line(DocExample& example, const std::string& line, bool& has_pattern) {
  const std::size_t colon = line.find(": ");
  std::string key;
  std::string value;
  if (colon == std::string::npos) {
    // "pattern:" with nothing after it is the empty pattern.
    if (!line.empty() && line.back() == ':') {
      key = line.substr(0, line.size() - 1);
    } else {
      return "expected 'key: value', got '" + line + "'";
    }
  } else {
    key = line.substr(0, colon);
    value = line.substr(colon + 2);
  }
  auto json_string = [&](std::string& out) -> std::string {
    const auto parsed = parse_json(value);
    if (!parsed || !parsed->is_string()) return key + " must be a JSON string literal";
    out = parsed->get<std::string>();
    return "";
  };
  auto json_object = [&](std::optional<nlohmann::json>& out) -> std::string {
    out = parse_json(value);
    if (!out || !out->is_object()) return key + " must be a JSON object";
    return "";
  };
  if (key == "pattern" || key == "pattern-json") {
    if (has_pattern) return "two patterns in one example";
    has_pattern = true;
    if (key == "pattern") {
      example.pattern = value;
      return "";
    }
    return json_string(example.pattern);
  }
  if (key == "event" || key == "event-json") {
    if (example.event) return "two events in one example";
    if (key == "event") {
      example.event = value;
      return "";
    }
    std::string event;
    if (auto problem = json_string(event); !problem.empty()) return problem;
    example.event = event;
    return "";
  }
  if (key == "match") {
    if (value != "true" && value != "false") return "match must be true or false";
    example.match = value == "true";
    return "";
  }
  if (key == "error") {
    if (value.empty()) return "error needs a code name";
    example.error = value;
    return "";
  }
  if (key == "extracted") return json_object(example.extracted);
  if (key == "dimensions") return json_object(example.dimensions);
  if (key == "expectedDimensions") return json_object(example.expected_dimensions);
  if (key == "metricValue") {
    example.metric_value = value;
    return "";
  }
  if (key == "defaultValue") {
    const auto parsed = parse_json(value);
    if (!parsed || !parsed->is_number()) return "defaultValue must be a number";
    example.default_value = parsed->get<double>();
    return "";
  }
  if (key == "value") {
    if (value == "none") {
      example.value = nlohmann::json("none");
      return "";
    }
    const auto parsed = parse_json(value);
    if (!parsed || !parsed->is_number()) return "value must be a number or none";
    example.value = parsed;
    return "";
  }
  return "unknown key '" + key + "'";
}

// Checks the combination of keys of a complete block.
std::string check_block(const DocExample& example, bool has_pattern) {
  if (!has_pattern) return "the example has no pattern";
  const bool has_transformation =
      example.metric_value || example.default_value || example.dimensions;
  if (example.error) {
    if (example.event || example.match || example.extracted || example.value ||
        example.expected_dimensions) {
      return "an example with 'error' has no event, match or expected values";
    }
    return "";
  }
  if (!example.event || !example.match) return "the example needs both 'event' and 'match'";
  if ((example.value || example.expected_dimensions) && !has_transformation) {
    return "'value' and 'expectedDimensions' need a metric transformation (metricValue)";
  }
  if (has_transformation && !example.metric_value) return "a transformation needs metricValue";
  return "";
}

std::vector<DocExample> load_examples() {
  std::vector<DocExample> examples;
  std::ifstream in{std::string(kDocPath)};
  if (!in) return examples;
  std::string line;
  std::size_t number = 0;
  bool inside = false;
  bool has_pattern = false;
  DocExample current;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!inside) {
      if (line == "```example") {
        inside = true;
        has_pattern = false;
        current = DocExample{};
        current.line = number;
      }
      continue;
    }
    if (line == "```") {
      inside = false;
      if (current.problem.empty()) current.problem = check_block(current, has_pattern);
      examples.push_back(std::move(current));
      continue;
    }
    if (!current.problem.empty()) continue;
    current.problem = apply_line(current, line, has_pattern);
  }
  if (inside) {
    current.problem = "the example block is never closed";
    examples.push_back(std::move(current));
  }
  return examples;
}

const std::vector<DocExample>& examples() {
  static const std::vector<DocExample> kExamples = load_examples();
  return kExamples;
}

std::map<std::string, std::string> as_map(const nlohmann::json& object) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : object.items()) {
    out[name] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  return out;
}

MetricTransformation transformation_of(const DocExample& example) {
  MetricTransformation t;
  t.metric_name = "DocExample";
  t.metric_namespace = "sgwatch";
  t.metric_value = *example.metric_value;
  t.default_value = example.default_value;
  if (example.dimensions) {
    for (const auto& [name, reference] : example.dimensions->items()) {
      t.dimensions.emplace_back(name, reference.is_string() ? reference.get<std::string>()
                                                             : reference.dump());
    }
  }
  return t;
}

class DocExamples : public ::testing::TestWithParam<DocExample> {};

TEST_P(DocExamples, BehavesAsDocumented) {
  const DocExample& example = GetParam();
  SCOPED_TRACE("docs/pattern-syntax.md:" + std::to_string(example.line) + " pattern: " +
               example.pattern);
  ASSERT_TRUE(example.problem.empty()) << "malformed example block: " << example.problem;

  auto matcher = Matcher::compile(example.pattern);
  if (example.error && !example.metric_value) {
    ASSERT_FALSE(matcher.ok()) << "the pattern was accepted; the guide says " << *example.error;
    EXPECT_EQ(error_code_name(matcher.error().code), *example.error) << matcher.error().describe();
    return;
  }
  ASSERT_TRUE(matcher.ok()) << matcher.error().describe();

  std::optional<MetricFilter> filter;
  if (example.metric_value) {
    auto created = MetricFilter::create(*matcher, {transformation_of(example)});
    if (example.error) {
      ASSERT_FALSE(created.ok()) << "the transformation was accepted; the guide says "
                                 << *example.error;
      EXPECT_EQ(error_code_name(created.error().code), *example.error)
          << created.error().describe();
      return;
    }
    ASSERT_TRUE(created.ok()) << created.error().describe();
    filter = std::move(created).value();
  }

  Subject subject(*example.event);
  ExtractedValues extracted;
  EXPECT_EQ(matcher->match(subject, &extracted), *example.match);
  if (example.extracted) {
    const std::map<std::string, std::string> got(extracted.begin(), extracted.end());
    EXPECT_EQ(got, as_map(*example.extracted));
  }
  if (*example.match) {
    EXPECT_TRUE(matcher->prefilter().may_match(*example.event)) << "the prefilter rejected a match";
  }

  if (filter) {
    Subject fresh(*example.event);
    const MetricFilter::Emission emission = filter->evaluate(fresh);
    EXPECT_EQ(emission.matched, *example.match);
    if (example.value) {
      if (example.value->is_string()) {
        EXPECT_FALSE(emission.value.has_value()) << "published " << *emission.value;
      } else {
        ASSERT_TRUE(emission.value.has_value()) << "no data point published";
        EXPECT_DOUBLE_EQ(*emission.value, example.value->get<double>());
      }
    }
    if (example.expected_dimensions) {
      const std::map<std::string, std::string> got(emission.dimensions.begin(),
                                                   emission.dimensions.end());
      EXPECT_EQ(got, as_map(*example.expected_dimensions));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(PatternSyntax, DocExamples, ::testing::ValuesIn(examples()),
                         [](const ::testing::TestParamInfo<DocExample>& param) {
                           return "line_" + std::to_string(param.param.line);
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DocExamples);

TEST(DocExamplesFile, HasEnoughExamples) {
  std::ifstream in{std::string(kDocPath)};
  ASSERT_TRUE(in.good()) << "cannot read " << kDocPath;
  EXPECT_GE(examples().size(), kMinimumExamples)
      << "docs/pattern-syntax.md should hold at least " << kMinimumExamples
      << " ```example blocks; is the block parser broken?";
}

// The block parser itself, on a small inline document.
TEST(DocExamplesFile, ParserReadsEveryKey) {
  DocExample example;
  bool has_pattern = false;
  EXPECT_EQ(apply_line(example, "pattern: { $.a = 1 }", has_pattern), "");
  EXPECT_EQ(example.pattern, "{ $.a = 1 }");
  EXPECT_EQ(apply_line(example, "event-json: \"a\\tb\"", has_pattern), "");
  EXPECT_EQ(example.event, std::optional<std::string>("a\tb"));
  EXPECT_EQ(apply_line(example, "match: true", has_pattern), "");
  EXPECT_EQ(apply_line(example, "value: none", has_pattern), "");
  EXPECT_NE(apply_line(example, "match: yes", has_pattern), "");
  EXPECT_NE(apply_line(example, "colour: red", has_pattern), "");
  EXPECT_NE(apply_line(example, "pattern: again", has_pattern), "");
  EXPECT_EQ(check_block(example, has_pattern),
            "'value' and 'expectedDimensions' need a metric transformation (metricValue)");

  DocExample empty;
  bool empty_has_pattern = false;
  EXPECT_EQ(apply_line(empty, "pattern:", empty_has_pattern), "");
  EXPECT_TRUE(empty_has_pattern);
  EXPECT_EQ(empty.pattern, "");
}

}  // namespace
}  // namespace sgwatch::pattern
