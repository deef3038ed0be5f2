// Typed access to a CloudWatch operation's input (the JSON read_input produces, so types are
// already checked) and CloudWatch's validation errors: the Coral form "1 validation error
// detected: Value 'x' at 'member' failed to satisfy constraint: ..." for model constraints,
// MissingParameter, InvalidParameterValue, InvalidParameterCombination, and the engine's
// ApiErrors mapped to wire errors. Neighbours: cloudwatch_api.cpp and cloudwatch_metrics.cpp.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alarms/definition.h"
#include "aws/errors.h"
#include "core/result.h"

namespace sgwatch::api::cloudwatch {

template <typename T>
using Checked = core::Result<T, aws::WireError>;

// Absent members are nullopt (or empty lists).
std::optional<std::string> string_member(const nlohmann::json& input, std::string_view name);
std::optional<std::int64_t> integer_member(const nlohmann::json& input, std::string_view name);
std::optional<double> number_member(const nlohmann::json& input, std::string_view name);
std::optional<bool> boolean_member(const nlohmann::json& input, std::string_view name);
// Timestamps as read_input gives them (Unix seconds, maybe with a fraction) in milliseconds.
std::optional<std::int64_t> timestamp_ms_member(const nlohmann::json& input, std::string_view name);
std::vector<std::string> string_list_member(const nlohmann::json& input, std::string_view name);
const nlohmann::json* find_member(const nlohmann::json& input, std::string_view name);

// Unicode characters (code points) in UTF-8 text.
std::size_t characters(std::string_view text);

// --- errors ---

aws::WireError coral(std::string_view value, std::string_view member, std::string_view constraint);
aws::WireError missing(std::string_view parameter);       // MissingParameter
aws::WireError invalid_value(std::string message);        // InvalidParameterValue
aws::WireError invalid_combination(std::string message);  // InvalidParameterCombination
// The engine's and the definition parser's errors: ValidationError keeps Coral's JSON __type,
// ResourceNotFound is 404, InternalFailure 500, every other code 400.
aws::WireError from_api_error(const alarms::ApiError& error);

// --- checks with the member's lower-camel name in the Coral messages ---

// A string member of `min`..`max` characters; nullopt when absent.
Checked<std::optional<std::string>> bounded_string(const nlohmann::json& input,
                                                   std::string_view name, std::size_t min,
                                                   std::size_t max);
// A required string of `min`..`max` characters (MissingParameter when absent).
Checked<std::string> required_string(const nlohmann::json& input, std::string_view name,
                                     std::size_t min, std::size_t max);
// A string member that must be one of `values` (Coral's enum message).
Checked<std::optional<std::string>> enum_string(const nlohmann::json& input, std::string_view name,
                                                std::initializer_list<std::string_view> values);
// An integer member in [min, max].
Checked<std::optional<std::int64_t>> bounded_integer(const nlohmann::json& input,
                                                     std::string_view name, std::int64_t min,
                                                     std::int64_t max);
// A list member of at most `max` elements.
Checked<std::vector<std::string>> bounded_list(const nlohmann::json& input, std::string_view name,
                                               std::size_t max);

// Metric identity: namespaces and names as spec 1.1 has them; dimensions (at most 30, names
// 1-255 and values 1-1024 characters, no name twice) sorted by name, the SeriesKey order.
// `parameter` names the member in messages ("Namespace", "MetricData.member.1.MetricName").
Checked<std::string> checked_namespace(std::string_view value, std::string_view parameter);
Checked<std::vector<std::pair<std::string, std::string>>> checked_dimensions(
    const nlohmann::json& input, std::string_view parameter);

// "Seconds", "Count", ..., "None" (StandardUnit).
bool is_standard_unit(std::string_view unit);
Checked<std::optional<std::string>> checked_unit(const nlohmann::json& input,
                                                 std::string_view parameter);

// Periods of metric reads: 10, 20, 30 or a multiple of 60 (the 10-second resolution sgwatch
// keeps datapoints at).
Checked<int> checked_period(std::int64_t period, std::string_view parameter);

}  // namespace sgwatch::api::cloudwatch
