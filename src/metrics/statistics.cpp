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
  if (values.empty()) return std::nullopt;
  switch (kind) {
    case StatisticKind::kSampleCount:
      return static_cast<double>(values.size());
    case StatisticKind::kSum: {
      double sum = 0;
      for (const double v : values) sum += v;
      return sum;
    }
    case StatisticKind::kAverage: {
      double sum = 0;
      for (const double v : values) sum += v;
      return sum / static_cast<double>(values.size());
    }
    case StatisticKind::kMinimum:
      return *std::min_element(values.begin(), values.end());
    case StatisticKind::kMaximum:
      return *std::max_element(values.begin(), values.end());
    case StatisticKind::kPercentile: {
      std::vector<double> sorted(values.begin(), values.end());
      std::sort(sorted.begin(), sorted.end());
      // Nearest rank: the smallest rank r (1-based) with r >= p/100 * n.
      const double n = static_cast<double>(sorted.size());
      auto rank = static_cast<std::size_t>(std::ceil(percentile / 100.0 * n));
      rank = std::clamp<std::size_t>(rank, 1, sorted.size());
      return sorted[rank - 1];
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
