// The Prometheus text exposition format (version 0.0.4) for `sgwatch serve`'s /metrics: metric
// families with # HELP and # TYPE lines, samples with escaped label values, numbers as
// Prometheus writes them (+Inf, -Inf, NaN, integers without a fraction). Pure formatting.
// Neighbours: cli/serve.cpp gathers the values; docs/operations.md lists the metrics.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sgwatch::core {

using PrometheusLabels = std::vector<std::pair<std::string, std::string>>;

class PrometheusText {
 public:
  // Starts a family; `type` is "counter" or "gauge". Samples that follow belong to it.
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const PrometheusLabels& labels, double value);
  void sample(std::string_view name, double value) { sample(name, {}, value); }
  const std::string& text() const { return text_; }

  // The content type of the format.
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  std::string text_;
};

// A label value with \ " and newline escaped; HELP text with \ and newline escaped.
std::string prometheus_escape_label(std::string_view value);
std::string prometheus_escape_help(std::string_view text);
std::string prometheus_number(double value);

}  // namespace sgwatch::core
