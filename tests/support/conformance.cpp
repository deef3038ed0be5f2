// Implementation of conformance.h.
#include "support/conformance.h"

#include <fstream>
#include <stdexcept>

#include "support/subprocess.h"

namespace sgwatch::testing {

std::vector<PatternVector> load_pattern_vectors() {
  const std::string path = shared_dir() + "/conformance/filter-patterns.jsonl";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<PatternVector> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    PatternVector v;
    v.row = nlohmann::json::parse(line);
    v.id = v.row.at("id").get<std::string>();
    v.pattern = v.row.at("pattern").get<std::string>();
    if (v.row.contains("event")) v.event = v.row["event"].get<std::string>();
    if (v.row.contains("match")) v.match = v.row["match"].get<bool>();
    if (v.row.contains("valid")) v.valid = v.row["valid"].get<bool>();
    v.uncertain = v.row.contains("uncertain");
    out.push_back(std::move(v));
  }
  return out;
}

std::optional<pattern::MetricTransformation> transformation_of(const PatternVector& vector) {
  if (!vector.row.contains("metricValue")) return std::nullopt;
  pattern::MetricTransformation t;
  t.metric_name = "ConformanceMetric";
  t.metric_namespace = "Conformance";
  t.metric_value = vector.row["metricValue"].get<std::string>();
  if (vector.row.contains("defaultValue")) t.default_value = vector.row["defaultValue"].get<double>();
  if (vector.row.contains("dimensions")) {
    for (const auto& [name, ref] : vector.row["dimensions"].items()) {
      t.dimensions.emplace_back(name, ref.get<std::string>());
    }
  }
  return t;
}

std::string test_name(const std::string& id) {
  std::string out;
  for (char c : id) out += (std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '_';
  return out;
}

}  // namespace sgwatch::testing
