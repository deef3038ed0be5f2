// Parsing of --metric-transformations as `aws logs put-metric-filter` takes it: JSON (a list or
// one object), file://PATH holding JSON, or AWS CLI shorthand
//   metricName=M,metricNamespace=N,metricValue=1,defaultValue=0,dimensions={K=$.x},unit=Count
// Neighbours: test_pattern.cpp; produces pattern::MetricTransformation.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "pattern/metric_filter.h"

namespace sgwatch::cli {

// Reads "file://PATH" arguments; returns other text unchanged.
core::Result<std::string, std::string> read_cli_argument(const std::string& argument);

core::Result<std::vector<pattern::MetricTransformation>, std::string> parse_transformations(
    const std::vector<std::string>& arguments);

}  // namespace sgwatch::cli
