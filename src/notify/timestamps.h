// The time formats of notifications, from Unix milliseconds (UTC): the alarm JSON's
// "2025-11-27T20:20:45.583+0000", SNS's "2025-11-27T20:20:45.631Z", the alarm email's
// "Thursday 27 November, 2025 20:20:45", a mail Date header's "Thu, 27 Nov 2025 20:20:45 +0000"
// and Slack's "2025-11-27 20:20:45 UTC". Neighbours: alarm_message, http_envelope, email_message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sgwatch::notify {

// yyyy-MM-ddTHH:mm:ss.SSS+0000 (AlarmConfigurationUpdatedTimestamp, StateChangeTime).
std::string alarm_timestamp(std::int64_t unix_ms);
// yyyy-MM-ddTHH:mm:ss.SSSZ (the Timestamp of SNS documents).
std::string sns_timestamp(std::int64_t unix_ms);
// The inverse of sns_timestamp: exactly yyyy-MM-ddTHH:mm:ss.SSSZ, else nullopt.
std::optional<std::int64_t> parse_sns_timestamp(std::string_view text);
// EEEE dd MMMM, yyyy HH:mm:ss (alarm emails; the caller appends " UTC").
std::string email_alarm_date(std::int64_t unix_ms);
// RFC 5322 date-time: EEE, d MMM yyyy HH:mm:ss +0000.
std::string rfc5322_date(std::int64_t unix_ms);
// yyyy-MM-dd HH:mm:ss UTC (Slack).
std::string readable_utc(std::int64_t unix_ms);

}  // namespace sgwatch::notify
