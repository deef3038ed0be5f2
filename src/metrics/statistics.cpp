// Implementation of statistics.h.
#include "metrics/statistics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace sgwatch::metrics {

std::optional<Statistic> Statistic::parse_simple(std::string_view name) {
  static constexpr std::pair<std::string_view, StatisticKind> kNames[] = {
      {"SampleCount", StatisticKind::kSampleCount}, {"Sum", StatisticKind::kSum},
      {"Average", StatisticKind::kAverage},         {"Minimum", StatisticKind::kMinimum},
      {"Maximum", StatisticKind::kMaximum},
  };
  for (const auto& [spelling, kind] : kNames) {
    if (name == spelling) return Statistic{kind, 0, std::string(name)};
  }
  return std::nullopt;
}

std::optional<Statistic> Statistic::parse_extended(std::string_view name) {
  if (name.size() < 2 || name.front() != 'p') return std::nullopt;
  const std::string_view number = name.substr(1);
  // Digits, optionally '.' and 1..10 digits; no sign, no exponent.
  const auto dot = number.find('.');
  const std::string_view whole = number.substr(0, dot);
  if (whole.empty() || whole.size() > 3 ||
      !std::all_of(whole.begin(), whole.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  if (dot != std::string_view::npos) {
    const std::string_view fraction = number.substr(dot + 1);
    if (fraction.empty() || fraction.size() > 10 ||
        !std::all_of(fraction.begin(), fraction.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size() || value < 0 || value > 100) {
    return std::nullopt;
  }
  return Statistic{StatisticKind::kPercentile, value, std::string(name)};
}

std::optional<double> Statistic::compute(std::span<const double> values) const {
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<ValueCount> counted;
  for (const double v : sorted) {
    if (!counted.empty() && counted.back().value == v) {
      counted.back().count += 1;
    } else {
      counted.push_back({v, 1});
    }
  }
  return compute(std::span<const ValueCount>(counted));
}

std::optional<double> Statistic::compute(std::span<const ValueCount> values) const {
  double n = 0;
  double sum = 0;
  for (const ValueCount& v : values) {
    n += v.count;
    sum += v.value * v.count;
  }
  if (values.empty() || n <= 0) return std::nullopt;
  switch (kind) {
    case StatisticKind::kSampleCount:
      return n;
    case StatisticKind::kSum:
      return sum;
    case StatisticKind::kAverage:
      return sum / n;
    case StatisticKind::kMinimum:
      return values.front().value;
    case StatisticKind::kMaximum:
      return values.back().value;
    case StatisticKind::kPercentile: {
      // Nearest rank: the value at the smallest rank r (1-based) with r >= p/100 * n.
      const double rank = std::clamp(std::ceil(percentile / 100.0 * n), 1.0, n);
      double seen = 0;
      for (const ValueCount& v : values) {
        seen += v.count;
        if (seen >= rank) return v.value;
      }
      return values.back().value;
    }
  }
  return std::nullopt;
}

double Statistic::low_sample_threshold() const {
  if (kind != StatisticKind::kPercentile) return 0;
  const double p = percentile / 100.0;
  if (p >= 0.5 && p < 1) return 10.0 / (1.0 - p);
  if (p > 0 && p < 0.5) return 10.0 / p;
  return 0;
}

}  // namespace sgwatch::metrics
