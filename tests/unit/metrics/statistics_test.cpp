// Statistics: the five simple ones, nearest-rank percentiles, the names AWS accepts, and the
// low-sample thresholds of percentile alarms.
#include "metrics/statistics.h"

#include <gtest/gtest.h>

#include <vector>

namespace sgwatch::metrics {
namespace {

double stat(std::string_view name, std::vector<double> values) {
  auto s = Statistic::parse_simple(name);
  if (!s) s = Statistic::parse_extended(name);
  EXPECT_TRUE(s) << name;
  return s->compute(values).value_or(-12345);
}

TEST(Statistics, Simple) {
  const std::vector<double> v{3, 1, 4, 1, 5};
  EXPECT_EQ(stat("SampleCount", v), 5);
  EXPECT_EQ(stat("Sum", v), 14);
  EXPECT_EQ(stat("Average", v), 2.8);
  EXPECT_EQ(stat("Minimum", v), 1);
  EXPECT_EQ(stat("Maximum", v), 5);
  EXPECT_FALSE(Statistic::parse_simple("Sum")->compute(std::vector<double>{}));  // no values: a missing datapoint
}

TEST(Statistics, NearestRankPercentiles) {
  std::vector<double> v;
  for (int i = 100; i >= 1; --i) v.push_back(i);
  EXPECT_EQ(stat("p50", v), 50);
  EXPECT_EQ(stat("p90", v), 90);
  EXPECT_EQ(stat("p99.5", v), 100);
  EXPECT_EQ(stat("p0", v), 1);
  EXPECT_EQ(stat("p100", v), 100);
  EXPECT_EQ(stat("p90", {7}), 7);
  EXPECT_EQ(stat("p90", {2, 2, 2, 2, 2}), 2);
}

TEST(Statistics, Names) {
  for (const char* bad : {"sum", "SUM", "Avg", "p", "p101", "p-1", "p1e2", "p50.", "p50.12345678901", "tm90", "P90"}) {
    EXPECT_FALSE(Statistic::parse_simple(bad) || Statistic::parse_extended(bad)) << bad;
  }
  EXPECT_TRUE(Statistic::parse_extended("p99.9999999999"));
  EXPECT_EQ(Statistic::parse_extended("p99.9")->name, "p99.9");
}

TEST(Statistics, LowSampleThresholds) {
  EXPECT_DOUBLE_EQ(Statistic::parse_extended("p90")->low_sample_threshold(), 100);
  EXPECT_NEAR(Statistic::parse_extended("p99")->low_sample_threshold(), 1000, 1e-9);
  EXPECT_DOUBLE_EQ(Statistic::parse_extended("p50")->low_sample_threshold(), 20);
  EXPECT_DOUBLE_EQ(Statistic::parse_extended("p10")->low_sample_threshold(), 100);
  EXPECT_DOUBLE_EQ(Statistic::parse_extended("p100")->low_sample_threshold(), 0);
  EXPECT_DOUBLE_EQ(Statistic::parse_simple("Maximum")->low_sample_threshold(), 0);
}

}  // namespace
}  // namespace sgwatch::metrics
