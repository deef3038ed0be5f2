// StatSet (metrics/store.h) keeps raw values as distinct values with counts: a bucket's memory
// follows its distinct values, not its samples (a flood of matches of a metric filter with a
// constant value keeps one), the statistics over counted values equal those over the values one
// by one, merging equals adding, and past kMaxDistinctValues the values are rounded within the
// documented relative error while Minimum and Maximum stay exact.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "metrics/statistics.h"
#include "metrics/store.h"

namespace sgwatch::metrics {
namespace {

Statistic named(const char* name) {
  auto s = Statistic::parse_simple(name);
  if (!s) s = Statistic::parse_extended(name);
  return *s;
}

TEST(StatSet, AMillionSamplesOfOneValueKeepOneEntry) {
  StatSet set;
  for (int i = 0; i < 1'000'000; ++i) set.add(1, true);
  ASSERT_EQ(set.values.size(), 1U);
  EXPECT_EQ(set.values[0], (ValueCount{1, 1'000'000}));
  EXPECT_EQ(set.statistic(named("SampleCount")), 1'000'000);
  EXPECT_EQ(set.statistic(named("Sum")), 1'000'000);
  EXPECT_EQ(set.statistic(named("p99")), 1);
  EXPECT_EQ(set.value_bits, kExactValueBits);
}

TEST(StatSet, CountedStatisticsEqualTheValuesOneByOne) {
  std::mt19937_64 random(20261128);
  const char* names[] = {"SampleCount", "Sum", "Average", "Minimum", "Maximum", "p0", "p10", "p50", "p90", "p99.9", "p100"};
  for (int round = 0; round < 300; ++round) {
    std::vector<double> plain;
    StatSet set;
    const int n = 1 + static_cast<int>(random() % 60);
    for (int i = 0; i < n; ++i) {
      const double v = static_cast<double>(static_cast<int>(random() % 9)) - 2;  // repeats on purpose
      plain.push_back(v);
      set.add(v, true);
    }
    for (const char* name : names) {
      const Statistic s = named(name);
      const auto expected = s.compute(plain);
      ASSERT_TRUE(expected);
      EXPECT_DOUBLE_EQ(*set.statistic(s), *expected) << name << " round " << round;
      EXPECT_DOUBLE_EQ(*s.compute(std::span<const ValueCount>(set.values)), *expected) << name;
    }
  }
}

TEST(StatSet, MergingEqualsAddingAndCountsWeighPercentiles) {
  StatSet a;
  StatSet b;
  StatSet all;
  for (const double v : {5.0, 1.0, 5.0, 3.0}) {
    a.add(v, true);
    all.add(v, true);
  }
  for (const double v : {3.0, 8.0, 1.0}) {
    b.add(v, true);
    all.add(v, true);
  }
  a.merge(b);
  EXPECT_EQ(a.values, all.values);
  EXPECT_EQ(a.values, (std::vector<ValueCount>{{1, 2}, {3, 2}, {5, 2}, {8, 1}}));
  EXPECT_EQ(a.sample_count, 7);

  // Sets of more than a few values merge in one pass; the result is the same.
  StatSet left;
  StatSet right;
  StatSet both;
  for (int i = 0; i < 50; ++i) {
    left.add(i * 3 % 41, true);
    right.add(i * 7 % 37, true);
    both.add(i * 3 % 41, true);
    both.add(i * 7 % 37, true);
  }
  left.merge(right);
  EXPECT_EQ(left.values, both.values);
  EXPECT_EQ(left.sample_count, 100);

  StatSet weighted;  // PutMetricData Values [10, 20] with Counts [9, 1]
  weighted.add(10, 9, true);
  weighted.add(20, 1, true);
  EXPECT_EQ(weighted.statistic(named("p90")), 10);  // rank 9 of 10
  EXPECT_EQ(weighted.statistic(named("p91")), 20);  // rank 10
  EXPECT_EQ(weighted.statistic(named("Average")), 11);
}

TEST(StatSet, ManyDistinctValuesAreRoundedWithinTheBoundAndExtremesStayExact) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> uniform(1.0, 1000.0);
  StatSet set;
  std::vector<double> plain;
  for (int i = 0; i < 100'000; ++i) {
    const double v = uniform(random);
    plain.push_back(v);
    set.add(v, true);
  }
  EXPECT_LE(set.values.size(), kMaxDistinctValues);
  EXPECT_LT(set.value_bits, kExactValueBits);
  EXPECT_GE(set.value_bits, 10);  // 1..1000 spans 10 binades: 10 bits fit in 4,096 places
  double counted = 0;
  for (const ValueCount& v : set.values) counted += v.count;
  EXPECT_EQ(counted, 100'000);
  for (const char* name : {"p1", "p50", "p90", "p99", "p99.99"}) {
    const double exact = *named(name).compute(plain);
    const double kept = *set.statistic(named(name));
    EXPECT_NEAR(kept, exact, exact * std::ldexp(1.0, -set.value_bits)) << name;
  }
  EXPECT_EQ(set.statistic(named("Minimum")), *named("Minimum").compute(plain));
  EXPECT_EQ(set.statistic(named("Maximum")), *named("Maximum").compute(plain));
  EXPECT_EQ(set.statistic(named("p100")), *named("Maximum").compute(plain));  // clamped to the exact maximum

  // A merge into an exact set takes the coarser precision.
  StatSet exact;
  exact.add(123.456789, true);
  exact.merge(set);
  EXPECT_EQ(exact.value_bits, set.value_bits);
  EXPECT_LE(exact.values.size(), kMaxDistinctValues);
  EXPECT_EQ(exact.sample_count, 100'001);
}

TEST(SeriesStore, BucketsOfAFloodOfMatchesStayOneValueEach) {
  SeriesStore store(10, true);
  const SeriesKey key{"CISBenchmark", "SecurityGroupEventCount", {}};
  for (int i = 0; i < 200'000; ++i) store.add(key, 1'700'000'000 + i % 60, 1);
  const auto& buckets = store.series().at(key);
  // 200,000 = 60 x 3,333 + 20: seconds 0-19 have one more match.
  const std::vector<double> expected = {33'340, 33'340, 33'330, 33'330, 33'330, 33'330};
  ASSERT_EQ(buckets.size(), expected.size());
  std::size_t k = 0;
  for (const auto& [start, set] : buckets) {
    EXPECT_EQ(set.values, (std::vector<ValueCount>{{1, expected[k]}})) << start;
    EXPECT_EQ(set.sample_count, expected[k]);
    ++k;
  }
}

}  // namespace
}  // namespace sgwatch::metrics
