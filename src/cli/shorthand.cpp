// Implementation of shorthand.h.
#include "cli/shorthand.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/text.h"

namespace sgwatch::cli {
namespace {

using Json = nlohmann::ordered_json;  // keeps dimensions in the order they were written

core::Result<pattern::MetricTransformation, std::string> from_json(const Json& item) {
  if (!item.is_object()) return core::unexpected(std::string("a transformation must be an object"));
  pattern::MetricTransformation t;
  for (const auto& [key, value] : item.items()) {
    if (key == "metricName" || key == "metricNamespace" || key == "metricValue" || key == "unit") {
      if (!value.is_string()) return core::unexpected(fmt::format("{} must be a string", key));
      std::string text = value.get<std::string>();
      if (key == "metricName") t.metric_name = text;
      if (key == "metricNamespace") t.metric_namespace = text;
      if (key == "metricValue") t.metric_value = text;
      if (key == "unit") t.unit = text;
    } else if (key == "defaultValue") {
      if (!value.is_number()) return core::unexpected(std::string("defaultValue must be a number"));
      t.default_value = value.get<double>();
    } else if (key == "dimensions") {
      if (!value.is_object()) {
        return core::unexpected(std::string("dimensions must be an object of name: reference"));
      }
      for (const auto& [name, ref] : value.items()) {
        if (!ref.is_string()) return core::unexpected(fmt::format("dimension {} must be a string", name));
        t.dimensions.emplace_back(name, ref.get<std::string>());
      }
    } else {
      return core::unexpected(fmt::format("unknown key '{}' (expected metricName, metricNamespace, "
                                          "metricValue, defaultValue, dimensions, unit)", key));
    }
  }
  return t;
}

// Splits "a=1,b={x=1,y=2},c='p,q'" at top-level commas.
core::Result<std::vector<std::string>, std::string> split_top_level(std::string_view text) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  char quote = 0;
  for (char c : text) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        current += c;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '{') {
      ++depth;
      current += c;
    } else if (c == '}') {
      if (--depth < 0) return core::unexpected(std::string("unbalanced '}'"));
      current += c;
    } else if (c == ',' && depth == 0) {
      parts.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (quote != 0) return core::unexpected(std::string("unterminated quote"));
  if (depth != 0) return core::unexpected(std::string("unbalanced '{'"));
  parts.push_back(std::move(current));
  return parts;
}

core::Result<pattern::MetricTransformation, std::string> from_shorthand(std::string_view text) {
  auto parts = split_top_level(text);
  if (!parts) return core::unexpected(parts.error());
  Json object = Json::object();
  for (const std::string& part : *parts) {
    const std::size_t eq = part.find('=');
    if (eq == std::string::npos) {
      return core::unexpected(fmt::format("expected key=value, got '{}'", part));
    }
    const std::string key = part.substr(0, eq);
    const std::string value = part.substr(eq + 1);
    if (key == "dimensions") {
      if (value.size() < 2 || value.front() != '{' || value.back() != '}') {
        return core::unexpected(std::string("dimensions are written dimensions={Name=$.field}"));
      }
      auto entries = split_top_level(std::string_view(value).substr(1, value.size() - 2));
      if (!entries) return core::unexpected(entries.error());
      Json dims = Json::object();
      for (const std::string& entry : *entries) {
        if (entry.empty()) continue;
        const std::size_t deq = entry.find('=');
        if (deq == std::string::npos) {
          return core::unexpected(fmt::format("expected Name=reference in dimensions, got '{}'", entry));
        }
        dims[entry.substr(0, deq)] = entry.substr(deq + 1);
      }
      object[key] = dims;
    } else if (key == "defaultValue") {
      auto number = core::parse_pattern_number(value);
      if (!number) return core::unexpected(fmt::format("defaultValue '{}' is not a number", value));
      object[key] = *number;
    } else {
      object[key] = value;
    }
  }
  return from_json(object);
}

}  // namespace

core::Result<std::string, std::string> read_cli_argument(const std::string& argument) {
  constexpr std::string_view kPrefix = "file://";
  if (argument.rfind(kPrefix, 0) != 0) return argument;
  const std::string path = argument.substr(kPrefix.size());
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::unexpected(fmt::format("cannot read {}", path));
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

core::Result<std::vector<pattern::MetricTransformation>, std::string> parse_transformations(
    const std::vector<std::string>& arguments) {
  std::vector<pattern::MetricTransformation> out;
  for (const std::string& argument : arguments) {
    auto text = read_cli_argument(argument);
    if (!text) return core::unexpected(text.error());
    const std::string_view trimmed = core::trim_pattern_space(*text);
    if (!trimmed.empty() && (trimmed.front() == '[' || trimmed.front() == '{')) {
      Json parsed = Json::parse(trimmed, nullptr, false);
      if (parsed.is_discarded()) return core::unexpected(std::string("invalid JSON"));
      if (parsed.is_object()) parsed = Json::array({parsed});
      for (const Json& item : parsed) {
        auto t = from_json(item);
        if (!t) return core::unexpected(t.error());
        out.push_back(std::move(t).value());
      }
    } else {
      auto t = from_shorthand(trimmed);
      if (!t) return core::unexpected(t.error());
      out.push_back(std::move(t).value());
    }
  }
  return out;
}

}  // namespace sgwatch::cli
