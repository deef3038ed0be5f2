// SigV4 timestamps: ISO-8601 basic format in UTC, "YYYYMMDDTHHMMSSZ" (X-Amz-Date), and its first
// eight characters, the date of a credential scope. Neighbours: sigv4 and verifier; the extended
// format ("2015-08-30T12:36:00Z") is core/time.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sgwatch::aws {

// "20150830T123600Z" to Unix seconds. Strict: exactly 16 characters, a real calendar time (no
// 31 February, no leap second), nullopt otherwise.
std::optional<std::int64_t> parse_amz_date(std::string_view text);

// Unix seconds as "20150830T123600Z".
std::string format_amz_date(std::int64_t unix_seconds);

}  // namespace sgwatch::aws
