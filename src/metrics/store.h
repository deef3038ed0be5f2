// SeriesStore: metric datapoints in memory, keyed by namespace, name and dimensions, aggregated
// into buckets of a fixed resolution (60 s, or 10 s for high-resolution alarms) as statistic sets
// (SampleCount, Sum, Minimum, Maximum; raw values too when percentiles are wanted, as distinct
// values with counts, so that a bucket's memory grows with its distinct values, never with its
// samples, and at most to kMaxDistinctValues). A period's statistic merges the buckets it covers. Merging stores in a fixed order gives the same numbers
// whatever the threads that filled them. Neighbours: the scan's backtest fills one per input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "metrics/statistics.h"

namespace sgwatch::metrics {

struct SeriesKey {
  std::string metric_namespace;
  std::string name;
  std::vector<std::pair<std::string, std::string>> dimensions;  // sorted by name
  auto operator<=>(const SeriesKey&) const = default;
};

// The distinct raw values a statistic set keeps for percentiles. Past it, the values are rounded
// to fewer significant bits (10, then 7, 4, 1: a relative error of at most 2^-11 ... 2^-2) until
// they fit; Minimum and Maximum stay exact. Metric filters with a constant value keep one.
inline constexpr std::size_t kMaxDistinctValues = 4096;
inline constexpr int kExactValueBits = 53;

struct StatSet {
  double sample_count = 0;
  double sum = 0;
  double minimum = 0;
  double maximum = 0;
  // Raw values, only when the store keeps them: the distinct values ascending, with counts.
  std::vector<ValueCount> values;
  // The significant bits `values` are kept to (kExactValueBits: as given).
  int value_bits = kExactValueBits;

  void add(double value, bool keep_value);
  // Adds `count` samples of `value` to the statistics and, with `keep_value`, to `values`.
  void add(double value, double count, bool keep_value);
  void merge(const StatSet& other);
  // The statistic over this set (a percentile needs the raw values).
  std::optional<double> statistic(const Statistic& statistic) const;
};

class SeriesStore {
 public:
  explicit SeriesStore(int resolution_seconds = 60, bool keep_values = false)
      : resolution_(resolution_seconds), keep_values_(keep_values) {}

  void add(const SeriesKey& key, std::int64_t time, double value);
  // A statistic set at `time` (PutMetricData StatisticValues, or values read back from disk).
  void add_set(const SeriesKey& key, std::int64_t time, const StatSet& set);
  void merge(const SeriesStore& other);

  // The merged buckets of [start, start + period) of `key`; nullopt when there is no sample.
  std::optional<StatSet> aggregate(const SeriesKey& key, std::int64_t start, int period) const;

  bool empty() const { return series_.empty(); }
  std::int64_t earliest() const { return earliest_; }
  std::int64_t latest() const { return latest_; }
  int resolution() const { return resolution_; }
  const std::map<SeriesKey, std::map<std::int64_t, StatSet>>& series() const { return series_; }

 private:
  int resolution_;
  bool keep_values_;
  std::map<SeriesKey, std::map<std::int64_t, StatSet>> series_;
  std::int64_t earliest_ = 0;
  std::int64_t latest_ = 0;
};

// Floor of `time` to a multiple of `step` (also for negative times).
std::int64_t floor_to(std::int64_t time, std::int64_t step);

}  // namespace sgwatch::metrics
