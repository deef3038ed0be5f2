// The Prometheus text exposition: families, labels with escapes, and Prometheus's numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/prometheus.h"

namespace sgwatch::core {
namespace {

TEST(PrometheusTextTest, FamiliesAndSamples) {
  PrometheusText out;
  out.family("sgwatch_x_total", "counter", "What x counts.\\nSecond line \\ backslash");
  out.sample("sgwatch_x_total", {{"a", "plain"}, {"b", "quote \" back \\ new\nline"}}, 3);
  out.sample("sgwatch_x_total", 0.25);
  EXPECT_EQ(out.text(),
            "# HELP sgwatch_x_total What x counts.\\\\nSecond line \\\\ backslash\n"
            "# TYPE sgwatch_x_total counter\n"
            "sgwatch_x_total{a=\"plain\",b=\"quote \\\" back \\\\ new\\nline\"} 3\n"
            "sgwatch_x_total 0.25\n");
}

TEST(PrometheusTextTest, Numbers) {
  EXPECT_EQ(prometheus_number(0), "0");
  EXPECT_EQ(prometheus_number(-12), "-12");
  EXPECT_EQ(prometheus_number(1e20), "1e+20");
  EXPECT_EQ(prometheus_number(0.1), "0.10000000000000001");
  EXPECT_EQ(prometheus_number(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(prometheus_number(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(prometheus_number(std::nan("")), "NaN");
}

}  // namespace
}  // namespace sgwatch::core
