// Implementation of cloudwatch_input.h.
#include "api/cloudwatch_input.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace sgwatch::api::cloudwatch {

namespace {

using Json = nlohmann::json;

aws::WireError make(std::string_view code, std::string message, int status = 400) {
  aws::WireError error;
  error.code = std::string(code);
  error.message = std::move(message);
  error.http_status = status;
  return error;
}

// "AlarmNames" -> "alarmNames"; "MetricData.member.1.Value" -> "metricData.member.1.value".
std::string lower_camel(std::string_view name) {
  std::string out(name);
  bool start = true;
  for (char& c : out) {
    if (start && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    start = c == '.';
  }
  return out;
}

constexpr std::string_view kStandardUnits[] = {"Seconds",
                                               "Microseconds",
                                               "Milliseconds",
                                               "Bytes",
                                               "Kilobytes",
                                               "Megabytes",
                                               "Gigabytes",
                                               "Terabytes",
                                               "Bits",
                                               "Kilobits",
                                               "Megabits",
                                               "Gigabits",
                                               "Terabits",
                                               "Percent",
                                               "Count",
                                               "Bytes/Second",
                                               "Kilobytes/Second",
                                               "Megabytes/Second",
                                               "Gigabytes/Second",
                                               "Terabytes/Second",
                                               "Bits/Second",
                                               "Kilobits/Second",
                                               "Megabits/Second",
                                               "Gigabits/Second",
                                               "Terabits/Second",
                                               "Count/Second",
                                               "None"};

// ASCII without control characters, at least one non-blank (spec 1.1 for namespaces and
// dimensions).
bool plain_ascii(std::string_view text) {
  bool visible = false;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7F) return false;
    if (byte != ' ') visible = true;
  }
  return visible;
}

}  // namespace

const Json* find_member(const Json& input, std::string_view name) {
  if (!input.is_object()) return nullptr;
  const auto it = input.find(std::string(name));
  if (it == input.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::string> string_member(const Json& input, std::string_view name) {
  const Json* value = find_member(input, name);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}

std::optional<std::int64_t> integer_member(const Json& input, std::string_view name) {
  const Json* value = find_member(input, name);
  if (value == nullptr || !value->is_number_integer()) return std::nullopt;
  return value->get<std::int64_t>();
}

std::optional<double> number_member(const Json& input, std::string_view name) {
  const Json* value = find_member(input, name);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->get<double>();
}

std::optional<bool> boolean_member(const Json& input, std::string_view name) {
  const Json* value = find_member(input, name);
  if (value == nullptr || !value->is_boolean()) return std::nullopt;
  return value->get<bool>();
}

std::optional<std::int64_t> timestamp_ms_member(const Json& input, std::string_view name) {
  const Json* value = find_member(input, name);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  if (value->is_number_integer()) return value->get<std::int64_t>() * 1000;
  const double seconds = value->get<double>();
  if (!std::isfinite(seconds) || std::fabs(seconds) > 1.0e13) return std::nullopt;
  return static_cast<std::int64_t>(std::floor(seconds * 1000.0));
}

std::vector<std::string> string_list_member(const Json& input, std::string_view name) {
  std::vector<std::string> out;
  const Json* value = find_member(input, name);
  if (value == nullptr || !value->is_array()) return out;
  for (const Json& item : *value) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::size_t characters(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

aws::WireError coral(std::string_view value, std::string_view member, std::string_view constraint) {
  return aws::validation_error(fmt::format(
      "1 validation error detected: Value '{}' at '{}' failed to satisfy constraint: {}", value,
      lower_camel(member), constraint));
}

aws::WireError missing(std::string_view parameter) {
  return make("MissingParameter", fmt::format("The parameter {} is required.", parameter));
}

aws::WireError invalid_value(std::string message) {
  return make("InvalidParameterValue", std::move(message));
}

aws::WireError invalid_combination(std::string message) {
  return make("InvalidParameterCombination", std::move(message));
}

aws::WireError from_api_error(const alarms::ApiError& error) {
  if (error.code == "ValidationError") return aws::validation_error(error.message);
  if (error.code == "ResourceNotFound") return make(error.code, error.message, 404);
  if (error.code == "InternalFailure" || error.code == "InternalServiceError") {
    return make(error.code, error.message, 500);
  }
  return make(error.code, error.message);
}

Checked<std::optional<std::string>> bounded_string(const Json& input, std::string_view name,
                                                   std::size_t min, std::size_t max) {
  std::optional<std::string> value = string_member(input, name);
  if (!value) return value;
  const std::size_t length = characters(*value);
  if (length < min) {
    return core::unexpected(coral(
        *value, name, fmt::format("Member must have length greater than or equal to {}", min)));
  }
  if (length > max) {
    return core::unexpected(
        coral(*value, name, fmt::format("Member must have length less than or equal to {}", max)));
  }
  return value;
}

Checked<std::string> required_string(const Json& input, std::string_view name, std::size_t min,
                                     std::size_t max) {
  auto value = bounded_string(input, name, min, max);
  if (!value) return core::unexpected(std::move(value).error());
  if (!*value) return core::unexpected(missing(name));
  return std::move(**value);
}

Checked<std::optional<std::string>> enum_string(const Json& input, std::string_view name,
                                                std::initializer_list<std::string_view> values) {
  std::optional<std::string> value = string_member(input, name);
  if (!value) return value;
  if (std::find(values.begin(), values.end(), *value) != values.end()) return value;
  return core::unexpected(
      coral(*value, name,
            fmt::format("Member must satisfy enum value set: [{}]", fmt::join(values, ", "))));
}

Checked<std::optional<std::int64_t>> bounded_integer(const Json& input, std::string_view name,
                                                     std::int64_t min, std::int64_t max) {
  std::optional<std::int64_t> value = integer_member(input, name);
  if (!value) return value;
  if (*value < min) {
    return core::unexpected(
        coral(std::to_string(*value), name,
              fmt::format("Member must have value greater than or equal to {}", min)));
  }
  if (*value > max) {
    return core::unexpected(
        coral(std::to_string(*value), name,
              fmt::format("Member must have value less than or equal to {}", max)));
  }
  return value;
}

Checked<std::vector<std::string>> bounded_list(const Json& input, std::string_view name,
                                               std::size_t max) {
  std::vector<std::string> values = string_list_member(input, name);
  if (values.size() > max) {
    return core::unexpected(
        coral(fmt::format("[{}]", fmt::join(values, ", ")), name,
              fmt::format("Member must have length less than or equal to {}", max)));
  }
  return values;
}

Checked<std::string> checked_namespace(std::string_view value, std::string_view parameter) {
  const std::size_t length = characters(value);
  if (length < 1 || length > 255) {
    return core::unexpected(coral(value, parameter,
                                  length < 1
                                      ? "Member must have length greater than or equal to 1"
                                      : "Member must have length less than or equal to 255"));
  }
  if (value.front() == ':' || !plain_ascii(value)) {
    return core::unexpected(
        coral(value, parameter, "Member must satisfy regular expression pattern: [^:].*"));
  }
  return std::string(value);
}

Checked<std::vector<std::pair<std::string, std::string>>> checked_dimensions(
    const Json& input, std::string_view parameter) {
  std::vector<std::pair<std::string, std::string>> out;
  const Json* list = find_member(input, "Dimensions");
  if (list == nullptr || !list->is_array()) return out;
  const std::string prefix =
      parameter.empty() ? std::string("Dimensions") : fmt::format("{}.Dimensions", parameter);
  if (list->size() > 30) {
    return core::unexpected(invalid_value(
        fmt::format("The collection {} must not have a size greater than 30.", prefix)));
  }
  std::set<std::string> names;
  std::size_t index = 0;
  for (const Json& dimension : *list) {
    ++index;
    const std::string item = fmt::format("{}.member.{}", prefix, index);
    auto name = required_string(dimension, "Name", 1, 255);
    if (!name) {
      if (name.error().code == "MissingParameter") return core::unexpected(missing(item + ".Name"));
      return core::unexpected(std::move(name).error());
    }
    auto value = required_string(dimension, "Value", 1, 1024);
    if (!value) {
      if (value.error().code == "MissingParameter")
        return core::unexpected(missing(item + ".Value"));
      return core::unexpected(std::move(value).error());
    }
    if (!plain_ascii(*name) || name->front() == ':') {
      return core::unexpected(invalid_value(
          fmt::format("The value {} for parameter {}.Name is invalid.", *name, item)));
    }
    if (!names.insert(*name).second) {
      return core::unexpected(invalid_value(
          fmt::format("The collection {} must not contain duplicate names: {}", prefix, *name)));
    }
    out.emplace_back(std::move(*name), std::move(*value));
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool is_standard_unit(std::string_view unit) {
  return std::find(std::begin(kStandardUnits), std::end(kStandardUnits), unit) !=
         std::end(kStandardUnits);
}

Checked<std::optional<std::string>> checked_unit(const Json& input, std::string_view parameter) {
  std::optional<std::string> unit = string_member(input, "Unit");
  if (!unit || is_standard_unit(*unit)) return unit;
  return core::unexpected(coral(
      *unit, parameter.empty() ? std::string("Unit") : fmt::format("{}.Unit", parameter),
      fmt::format("Member must satisfy enum value set: [{}]", fmt::join(kStandardUnits, ", "))));
}

Checked<int> checked_period(std::int64_t period, std::string_view parameter) {
  if (period < 1) {
    return core::unexpected(coral(std::to_string(period), parameter,
                                  "Member must have value greater than or equal to 1"));
  }
  if (period == 10 || period == 20 || period == 30 || (period % 60 == 0 && period <= 86400 * 455)) {
    return static_cast<int>(period);
  }
  return core::unexpected(invalid_value(
      fmt::format("The parameter {} must be 10, 20, 30 or a multiple of 60.", parameter)));
}

}  // namespace sgwatch::api::cloudwatch
