// Conformance: every line of ../shared/conformance/filter-patterns.jsonl through the library
// (Matcher and MetricFilter). Kinds: match, valid, value, dimensions, extracted, mf.
// Vectors marked `uncertain` run like the others; docs/pattern-syntax.md records the choices.
#include <gtest/gtest.h>

#include <map>

#include "pattern/pattern.h"
#include "support/conformance.h"

namespace sgwatch::testing {
namespace {

using pattern::Matcher;
using pattern::MetricFilter;

class FilterPatternConformance : public ::testing::TestWithParam<PatternVector> {};

TEST_P(FilterPatternConformance, Library) {
  const PatternVector& v = GetParam();
  SCOPED_TRACE("pattern: " + v.pattern);
  auto matcher = Matcher::compile(v.pattern);
  const auto transformation = transformation_of(v);

  if (v.valid.has_value()) {
    bool accepted = matcher.ok();
    std::string why = matcher.ok() ? "" : matcher.error().describe();
    if (accepted && transformation) {
      auto filter = MetricFilter::create(*matcher, {*transformation});
      accepted = filter.ok();
      if (!filter.ok()) why = filter.error().describe();
    }
    EXPECT_EQ(accepted, *v.valid) << why;
    return;
  }

  ASSERT_TRUE(matcher.ok()) << matcher.error().describe();
  ASSERT_TRUE(v.event.has_value() && v.match.has_value());
  pattern::Subject subject(*v.event);
  pattern::ExtractedValues extracted;
  EXPECT_EQ(matcher->match(subject, &extracted), *v.match);
  if (*v.match) {
    EXPECT_TRUE(matcher->prefilter().may_match(*v.event)) << "prefilter rejected a match";
  }

  if (v.row.contains("extracted")) {
    std::map<std::string, std::string> got(extracted.begin(), extracted.end());
    std::map<std::string, std::string> want;
    for (const auto& [name, value] : v.row["extracted"].items()) want[name] = value.get<std::string>();
    EXPECT_EQ(got, want);
  }

  if (transformation) {
    auto filter = MetricFilter::create(*matcher, {*transformation});
    ASSERT_TRUE(filter.ok()) << filter.error().describe();
    pattern::Subject fresh(*v.event);
    const auto emission = filter->evaluate(fresh);
    EXPECT_EQ(emission.matched, *v.match);
    if (v.row.contains("value")) {
      ASSERT_TRUE(emission.value.has_value());
      EXPECT_DOUBLE_EQ(*emission.value, v.row["value"].get<double>());
    }
    if (v.row.contains("expectedDimensions")) {
      std::map<std::string, std::string> got(emission.dimensions.begin(), emission.dimensions.end());
      std::map<std::string, std::string> want;
      for (const auto& [name, value] : v.row["expectedDimensions"].items()) {
        want[name] = value.get<std::string>();
      }
      EXPECT_EQ(got, want);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Vectors, FilterPatternConformance,
                         ::testing::ValuesIn(load_pattern_vectors()),
                         [](const ::testing::TestParamInfo<PatternVector>& param) {
                           return test_name(param.param.id);
                         });

TEST(FilterPatternConformanceFile, HasEveryKind) {
  const auto vectors = load_pattern_vectors();
  EXPECT_GE(vectors.size(), 352u);
  std::map<std::string, int> kinds;
  for (const auto& v : vectors) kinds[v.id.substr(0, v.id.find('-'))]++;
  for (const char* kind : {"term", "regex", "json", "ct", "delim", "value", "invalid", "mf"}) {
    EXPECT_GT(kinds[kind], 0) << kind;
  }
}

}  // namespace
}  // namespace sgwatch::testing
