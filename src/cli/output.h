// Terminal output helpers of the CLI: JSON printed as the AWS CLI prints it (4-space indent,
// keys in insertion order, UTF-8 unescaped) and one-line errors "sgwatch: what: where: why".
// Neighbours: every subcommand.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sgwatch::cli {

using Json = nlohmann::ordered_json;

// `value` as `aws ... --output json` prints it, with a trailing newline.
std::string aws_cli_json(const Json& value);

// Writes "sgwatch: <what>: <where>: <why>" to stderr.
void print_error(std::string_view what, std::string_view where, std::string_view why);

// A double as JSON: integral values as integers (50, not 50.0).
Json json_number(double value);

}  // namespace sgwatch::cli
