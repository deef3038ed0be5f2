// Text primitives of alarm state reasons (spec section 5.1): numbers as Java's Double.toString
// prints them, data point times as dd/MM/yy HH:mm:ss (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace sgwatch::alarms {

// Java Double.toString: shortest round-trip digits, at least one decimal ("1.0"), scientific
// "d.dddE<n>" outside [1e-3, 1e7) ("1.0E-4", "8.3714617344E10").
std::string java_double(double value);

// Unix seconds as "dd/MM/yy HH:mm:ss" in UTC.
std::string reason_time(std::int64_t unix_seconds);

}  // namespace sgwatch::alarms
