// Implementation of filters.h.
#include "scan/filters.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "rules/rules.h"

namespace sgwatch::scan {

core::Result<bool, FilterError> FilterSet::add(std::string name, std::string_view text,
                                               std::string where,
                                               std::optional<pattern::MetricTransformation> transformation) {
  auto matcher = pattern::Matcher::compile(text);
  if (!matcher) return core::unexpected(FilterError{std::move(where), matcher.error().describe()});
  if (!transformation) {
    transformation = pattern::MetricTransformation{name, std::string(rules::kNamespace), "1", std::nullopt, {}, ""};
  }
  auto metric = pattern::MetricFilter::create(*matcher, {std::move(*transformation)});
  if (!metric) {
    return core::unexpected(FilterError{std::move(where), fmt::format("metric transformation: {} ({})",
                                                                      metric.error().aws_message,
                                                                      metric.error().why)});
  }
  filters_.push_back(NamedFilter{std::move(name), std::move(*matcher), std::move(*metric)});
  return true;
}

core::Result<bool, FilterError> FilterSet::add_pattern(std::string_view text, std::size_t rank,
                                                       std::size_t total) {
  std::string name = total == 1 ? "pattern" : fmt::format("pattern-{}", rank + 1);
  return add(name, text, fmt::format("--pattern ({})", name));
}

core::Result<bool, FilterError> FilterSet::add_patterns(const std::vector<std::string>& patterns) {
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    auto added = add_pattern(patterns[i], i, patterns.size());
    if (!added) return added;
  }
  return true;
}

core::Result<bool, FilterError> FilterSet::add_pack(std::string_view pack_name) {
  const rules::Pack* pack = rules::find_pack(pack_name);
  if (pack == nullptr) {
    std::string known;
    for (const auto& p : rules::packs()) known += (known.empty() ? "" : ", ") + p.name;
    return core::unexpected(FilterError{
        fmt::format("--rules {}", pack_name), fmt::format("no such pack (known: {})", known)});
  }
  for (const auto& filter : pack->filters) {
    auto added = add(filter.name, filter.pattern, filter.name);
    if (!added) return added;
  }
  return true;
}

core::Result<bool, FilterError> FilterSet::add_described(std::string_view json,
                                                         std::string_view where) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    return core::unexpected(FilterError{std::string(where), fmt::format("not JSON: {}", e.what())});
  }
  const nlohmann::json* list = nullptr;
  if (doc.is_object() && doc.contains("metricFilters")) {
    list = &doc["metricFilters"];
  } else if (doc.is_array()) {
    list = &doc;
  }
  if (list == nullptr || !list->is_array()) {
    return core::unexpected(FilterError{
        std::string(where),
        "expected the output of `aws logs describe-metric-filters` ({\"metricFilters\": [...]})"});
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& item = (*list)[i];
    const std::string at = fmt::format("{}: metricFilters[{}]", where, i);
    if (!item.is_object() || !item.contains("filterPattern") ||
        !item["filterPattern"].is_string()) {
      return core::unexpected(FilterError{at, "no \"filterPattern\" string"});
    }
    const std::string group =
        item.contains("logGroupName") && item["logGroupName"].is_string()
            ? item["logGroupName"].get<std::string>()
            : std::string();
    const std::string name = item.contains("filterName") && item["filterName"].is_string()
                                 ? item["filterName"].get<std::string>()
                                 : fmt::format("filter-{}", i + 1);
    std::optional<pattern::MetricTransformation> transformation;
    if (item.contains("metricTransformations") && item["metricTransformations"].is_array() &&
        !item["metricTransformations"].empty()) {
      const auto& t = item["metricTransformations"][0];
      if (!t.is_object() || !t.contains("metricName") || !t.contains("metricNamespace") ||
          !t.contains("metricValue") || !t["metricName"].is_string() ||
          !t["metricNamespace"].is_string() || !t["metricValue"].is_string()) {
        return core::unexpected(FilterError{at, "metricTransformations[0] needs metricName, metricNamespace and metricValue strings"});
      }
      pattern::MetricTransformation mt;
      mt.metric_name = t["metricName"].get<std::string>();
      mt.metric_namespace = t["metricNamespace"].get<std::string>();
      mt.metric_value = t["metricValue"].get<std::string>();
      if (t.contains("defaultValue") && t["defaultValue"].is_number()) mt.default_value = t["defaultValue"].get<double>();
      if (t.contains("unit") && t["unit"].is_string()) mt.unit = t["unit"].get<std::string>();
      if (t.contains("dimensions") && t["dimensions"].is_object()) {
        for (const auto& [key, value] : t["dimensions"].items()) {
          if (!value.is_string()) return core::unexpected(FilterError{at, "dimension values must be strings"});
          mt.dimensions.emplace_back(key, value.get<std::string>());
        }
      }
      transformation = std::move(mt);
    }
    auto added = add(group + "/" + name, item["filterPattern"].get<std::string>(),
                     fmt::format("{} ({}/{})", at, group, name), std::move(transformation));
    if (!added) return added;
  }
  return true;
}

}  // namespace sgwatch::scan
