// MetricFilter: a filter pattern with its metric transformation, validated with the rules of
// PutMetricFilter (spec sections 7 and 9), and the data point one event produces.
// Neighbours: matcher.h (the pattern); the metrics module aggregates what evaluate() returns;
// the CLI's test-pattern and the API's PutMetricFilter validate with it.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "pattern/error.h"
#include "pattern/matcher.h"

namespace sgwatch::pattern {

inline constexpr std::size_t kMaxMetricValueLength = 100;
inline constexpr std::size_t kMaxDimensions = 3;
inline constexpr std::size_t kMaxMetricNameLength = 255;

struct MetricTransformation {
  std::string metric_name;
  std::string metric_namespace;
  std::string metric_value;
  std::optional<double> default_value;
  std::vector<std::pair<std::string, std::string>> dimensions;  // name -> "$.path" or "$field"
  std::string unit;  // empty: not set
};

// The CloudWatch units PutMetricFilter accepts.
bool is_metric_unit(std::string_view unit);

class MetricFilter {
 public:
  // Validates like PutMetricFilter: exactly one transformation, and its rules.
  static core::Result<MetricFilter, Error> create(Matcher matcher,
                                                  std::vector<MetricTransformation> transformations);

  const Matcher& matcher() const { return matcher_; }
  const MetricTransformation& transformation() const { return transformation_; }

  struct Emission {
    bool matched = false;
    std::optional<double> value;  // nullopt: no data point for this event
    std::vector<std::pair<std::string, std::string>> dimensions;  // only those found
  };
  // The data point one event contributes: the metric value when it matches (if the value can be
  // read), the default value when it does not (if set). `extracted` receives the extracted values.
  Emission evaluate(Subject& subject, ExtractedValues* extracted = nullptr) const;

  // A reference to a value of the event: "$.a.b", "$name" or "$3".
  struct Reference {
    enum class Kind { kConstant, kJsonPath, kField, kPosition };
    Kind kind = Kind::kConstant;
    double constant = 0;
    std::vector<Segment> path;
    std::string name;          // kField: "name"
    std::size_t position = 0;  // kPosition: 1-based
  };

 private:
  MetricFilter(Matcher matcher, MetricTransformation transformation, Reference value,
               std::vector<Reference> dimension_refs)
      : matcher_(std::move(matcher)),
        transformation_(std::move(transformation)),
        value_(std::move(value)),
        dimension_refs_(std::move(dimension_refs)) {}

  Matcher matcher_;
  MetricTransformation transformation_;
  Reference value_;
  std::vector<Reference> dimension_refs_;
};

}  // namespace sgwatch::pattern
