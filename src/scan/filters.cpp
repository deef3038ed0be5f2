// Implementation of filters.h.
#include "scan/filters.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "rules/rules.h"

namespace sgwatch::scan {

core::Result<bool, FilterError> FilterSet::add(std::string name, std::string_view text,
                                               std::string where) {
  auto matcher = pattern::Matcher::compile(text);
  if (!matcher) return core::unexpected(FilterError{std::move(where), matcher.error().describe()});
  filters_.push_back(NamedFilter{std::move(name), std::move(*matcher)});
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
    auto added = add(group + "/" + name, item["filterPattern"].get<std::string>(),
                     fmt::format("{} ({}/{})", at, group, name));
    if (!added) return added;
  }
  return true;
}

}  // namespace sgwatch::scan
