// CloudWatch statistics (../shared/spec/alarms.md section 1.5): SampleCount, Sum, Average,
// Minimum, Maximum, and percentiles pNN[.NNN] (nearest rank: the smallest value v such that at
// least NN % of the values are <= v). Neighbours: alarms evaluate a statistic per period.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sgwatch::metrics {

// One distinct raw value and the number of samples that had it (PutMetricData's Values and
// Counts). A count may be fractional, as PutMetricData allows.
struct ValueCount {
  double value = 0;
  double count = 0;
  bool operator==(const ValueCount&) const = default;
};

enum class StatisticKind { kSampleCount, kSum, kAverage, kMinimum, kMaximum, kPercentile };

struct Statistic {
  StatisticKind kind = StatisticKind::kSum;
  double percentile = 0;  // 0..100, for kPercentile
  std::string name;       // as AWS spells it: "Sum", "p90", "p99.9"

  // "SampleCount", "Sum", "Average", "Minimum", "Maximum" (the Statistic field).
  static std::optional<Statistic> parse_simple(std::string_view name);
  // "p0" ... "p100" with up to 10 decimals (the ExtendedStatistic forms sgwatch computes).
  static std::optional<Statistic> parse_extended(std::string_view name);

  // The statistic over one period's values; nullopt when there are none (a missing datapoint).
  std::optional<double> compute(std::span<const double> values) const;
  // The same over distinct values with their counts, ascending by value (StatSet::values); a
  // percentile's rank counts each value `count` times.
  std::optional<double> compute(std::span<const ValueCount> values) const;

  // For percentiles: the number of values below which a period counts as "low sample"
  // (10/(1-p) for 0.5 <= p < 1, 10/p for 0 < p < 0.5; 0 when the rule does not apply).
  double low_sample_threshold() const;
};

}  // namespace sgwatch::metrics
