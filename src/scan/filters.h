// FilterSet: the named filters of one scan, in definition order (CONTRACTS.md `sgwatch scan`):
// --pattern (named `pattern`, or `pattern-1`, `pattern-2`, ... when several), --rules PACK, and
// --filters FILE (the output of `aws logs describe-metric-filters`, named
// `<logGroupName>/<filterName>`). Neighbours: scanner.h applies them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "pattern/pattern.h"

namespace sgwatch::scan {

struct NamedFilter {
  std::string name;
  pattern::Matcher matcher;
  // The metric the filter publishes: for --pattern and built-in filters, metric <name> in
  // namespace CISBenchmark with value 1 (CONTRACTS.md); for --filters, its own transformation.
  pattern::MetricFilter metric;
};

struct FilterError {
  std::string where;   // which filter (e.g. "--pattern 2", "cis-v3-4.1", "FILE: filter NAME")
  std::string reason;
};

class FilterSet {
 public:
  // --pattern values, in order.
  core::Result<bool, FilterError> add_patterns(const std::vector<std::string>& patterns);
  // The --pattern value of rank `rank` (0-based) among `total` of them.
  core::Result<bool, FilterError> add_pattern(std::string_view text, std::size_t rank,
                                              std::size_t total);
  // A built-in pack by name.
  core::Result<bool, FilterError> add_pack(std::string_view pack);
  // describe-metric-filters output (JSON text); `where` names the file in errors.
  core::Result<bool, FilterError> add_described(std::string_view json, std::string_view where);

  const std::vector<NamedFilter>& filters() const { return filters_; }
  bool empty() const { return filters_.empty(); }

 private:
  core::Result<bool, FilterError> add(std::string name, std::string_view text, std::string where,
                                      std::optional<pattern::MetricTransformation> transformation = std::nullopt);
  std::vector<NamedFilter> filters_;
};

}  // namespace sgwatch::scan
