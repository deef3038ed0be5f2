// Implementation of store.h.
#include "metrics/store.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <utility>

namespace sgwatch::metrics {

std::int64_t floor_to(std::int64_t time, std::int64_t step) {
  const std::int64_t r = time % step;
  return r < 0 ? time - r - step : time - r;
}

namespace {

// `value` rounded to `bits` significant bits (monotonic: order is kept, equal values may meet).
double round_to_bits(double value, int bits) {
  if (bits >= kExactValueBits || value == 0 || !std::isfinite(value)) return value;
  int exponent = 0;
  const double mantissa = std::frexp(value, &exponent);  // [0.5, 1)
  return std::ldexp(std::round(std::ldexp(mantissa, bits)), exponent - bits);
}

// Inserts `count` of `value` into the ascending distinct `values`.
void insert_value(std::vector<ValueCount>& values, double value, double count) {
  const auto at = std::lower_bound(values.begin(), values.end(), value,
                                   [](const ValueCount& v, double x) { return v.value < x; });
  if (at != values.end() && at->value == value) {
    at->count += count;
  } else {
    values.insert(at, ValueCount{value, count});
  }
}

// Rounds every value to `bits` and merges the ones that became equal.
void round_values(std::vector<ValueCount>& values, int bits) {
  std::vector<ValueCount> out;
  out.reserve(values.size());
  for (const ValueCount& v : values) {
    const double rounded = round_to_bits(v.value, bits);
    if (!out.empty() && out.back().value == rounded) {
      out.back().count += v.count;
    } else {
      out.push_back({rounded, v.count});
    }
  }
  values = std::move(out);
}

// Coarser and coarser until the values fit kMaxDistinctValues (1 bit: one value per power of
// two and sign, which any finite set of doubles fits).
void fit(std::vector<ValueCount>& values, int& bits) {
  while (values.size() > kMaxDistinctValues && bits > 1) {
    bits = bits >= kExactValueBits ? 10 : std::max(1, bits - 3);
    round_values(values, bits);
  }
}

}  // namespace

void StatSet::add(double value, bool keep_value) {
  add(value, 1.0, keep_value);
}

void StatSet::add(double value, double count, bool keep_value) {
  if (sample_count == 0) {
    minimum = maximum = value;
  } else {
    minimum = std::min(minimum, value);
    maximum = std::max(maximum, value);
  }
  sample_count += count;
  sum += value * count;
  if (!keep_value) return;
  insert_value(values, round_to_bits(value, value_bits), count);
  fit(values, value_bits);
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
  if (other.values.empty()) return;
  if (other.value_bits < value_bits) {
    value_bits = other.value_bits;
    round_values(values, value_bits);
  }
  if (values.empty() && other.value_bits == value_bits) {
    values = other.values;
    return;
  }
  if (other.values.size() <= 16) {
    // A datapoint of a few values into a bucket (the live path: one per matched event): in
    // place, no allocation when the bucket already holds the value.
    for (const ValueCount& theirs : other.values) {
      insert_value(values, round_to_bits(theirs.value, value_bits), theirs.count);
    }
    fit(values, value_bits);
    return;
  }
  // Both ascending: one merge pass.
  std::vector<ValueCount> merged;
  merged.reserve(values.size() + other.values.size());
  auto mine = values.begin();
  for (const ValueCount& theirs : other.values) {
    const ValueCount v{round_to_bits(theirs.value, value_bits), theirs.count};
    while (mine != values.end() && mine->value < v.value) merged.push_back(*mine++);
    if (!merged.empty() && merged.back().value == v.value) {
      merged.back().count += v.count;
    } else if (mine != values.end() && mine->value == v.value) {
      merged.push_back({v.value, mine->count + v.count});
      ++mine;
    } else {
      merged.push_back(v);
    }
  }
  merged.insert(merged.end(), mine, values.end());
  values = std::move(merged);
  fit(values, value_bits);
}

std::optional<double> StatSet::statistic(const Statistic& statistic) const {
  if (sample_count == 0) return std::nullopt;
  switch (statistic.kind) {
    case StatisticKind::kSampleCount: return sample_count;
    case StatisticKind::kSum: return sum;
    case StatisticKind::kAverage: return sum / sample_count;
    case StatisticKind::kMinimum: return minimum;
    case StatisticKind::kMaximum: return maximum;
    case StatisticKind::kPercentile: {
      if (values.empty()) return std::nullopt;
      const std::optional<double> value = statistic.compute(std::span<const ValueCount>(values));
      // Rounded values (past kMaxDistinctValues) stay within the exact extremes.
      if (value) return std::clamp(*value, minimum, maximum);
      return value;
    }
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
