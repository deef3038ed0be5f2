// UTC times as AWS writes them: ISO-8601 parsing and formatting, in Unix seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sgwatch::core {

// "YYYY-MM-DDTHH:MM:SS[.fff]Z" (or "+00:00", "+0000") to Unix seconds (fractions dropped).
std::optional<std::int64_t> parse_iso8601(std::string_view text);

// Unix seconds as "YYYY-MM-DDTHH:MM:SSZ".
std::string format_iso8601(std::int64_t unix_seconds);

}  // namespace sgwatch::core
