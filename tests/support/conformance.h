// Loader for ../shared/conformance/filter-patterns.jsonl (format: spec section 10) shared by the
// library and the binary conformance runners.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pattern/metric_filter.h"

namespace sgwatch::testing {

struct PatternVector {
  std::string id;
  nlohmann::json row;  // the whole line
  std::string pattern;
  std::optional<std::string> event;
  std::optional<bool> match;
  std::optional<bool> valid;
  bool uncertain = false;
};

std::vector<PatternVector> load_pattern_vectors();

// The metric transformation a row describes (metricValue, dimensions, defaultValue), with a
// fixed metric name and namespace; nullopt when the row has no metricValue.
std::optional<pattern::MetricTransformation> transformation_of(const PatternVector& vector);

// A gtest-friendly name for a vector id ("json-001" -> "json_001").
std::string test_name(const std::string& id);

}  // namespace sgwatch::testing

namespace sgwatch::testing {
// Keeps gtest from printing vectors as raw bytes.
inline void PrintTo(const PatternVector& vector, std::ostream* os) { *os << vector.id; }
}  // namespace sgwatch::testing
