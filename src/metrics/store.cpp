// Implementation of store.h.
#include "metrics/store.h"

#include <algorithm>

namespace sgwatch::metrics {

std::int64_t floor_to(std::int64_t time, std::int64_t step) {
  const std::int64_t r = time % step;
  return r < 0 ? time - r - step : time - r;
}

void StatSet::add(double value, bool keep_value) {
  if (sample_count == 0) {
    minimum = maximum = value;
  } else {
    minimum = std::min(minimum, value);
    maximum = std::max(maximum, value);
  }
  sample_count += 1;
  sum += value;
  if (keep_value) values.push_back(value);
}

void StatSet::merge(const StatSet& other) {
  if (other.sample_count == 0) return;
  if (sample_count == 0) {
    minimum = other.minimum;
    maximum = other.maximum;
  } else {
    minimum = std::min(minimum, other.minimum);
    maximum = std::max(maximum, other.maximum);
  }
  sample_count += other.sample_count;
  sum += other.sum;
  values.insert(values.end(), other.values.begin(), other.values.end());
}

std::optional<double> StatSet::statistic(const Statistic& statistic) const {
  if (sample_count == 0) return std::nullopt;
  switch (statistic.kind) {
    case StatisticKind::kSampleCount: return sample_count;
    case StatisticKind::kSum: return sum;
    case StatisticKind::kAverage: return sum / sample_count;
    case StatisticKind::kMinimum: return minimum;
    case StatisticKind::kMaximum: return maximum;
    case StatisticKind::kPercentile:
      if (values.empty()) return std::nullopt;
      return statistic.compute(values);
  }
  return std::nullopt;
}

void SeriesStore::add(const SeriesKey& key, std::int64_t time, double value) {
  if (series_.empty()) {
    earliest_ = latest_ = time;
  } else {
    earliest_ = std::min(earliest_, time);
    latest_ = std::max(latest_, time);
  }
  series_[key][floor_to(time, resolution_)].add(value, keep_values_);
}

void SeriesStore::add_set(const SeriesKey& key, std::int64_t time, const StatSet& set) {
  if (set.sample_count == 0) return;
  if (series_.empty()) {
    earliest_ = latest_ = time;
  } else {
    earliest_ = std::min(earliest_, time);
    latest_ = std::max(latest_, time);
  }
  StatSet& bucket = series_[key][floor_to(time, resolution_)];
  if (keep_values_) {
    bucket.merge(set);
  } else {
    StatSet without_values = set;
    without_values.values.clear();
    bucket.merge(without_values);
  }
}

void SeriesStore::merge(const SeriesStore& other) {
  if (other.series_.empty()) return;
  if (series_.empty()) {
    earliest_ = other.earliest_;
    latest_ = other.latest_;
  } else {
    earliest_ = std::min(earliest_, other.earliest_);
    latest_ = std::max(latest_, other.latest_);
  }
  for (const auto& [key, buckets] : other.series_) {
    auto& mine = series_[key];
    for (const auto& [start, set] : buckets) mine[start].merge(set);
  }
}

std::optional<StatSet> SeriesStore::aggregate(const SeriesKey& key, std::int64_t start, int period) const {
  const auto series = series_.find(key);
  if (series == series_.end()) return std::nullopt;
  StatSet total;
  for (auto it = series->second.lower_bound(start); it != series->second.end() && it->first < start + period; ++it) {
    total.merge(it->second);
  }
  if (total.sample_count == 0) return std::nullopt;
  return total;
}

}  // namespace sgwatch::metrics
