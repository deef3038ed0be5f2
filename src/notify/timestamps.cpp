// Implementation of timestamps.h: civil dates from day numbers (H. Hinnant's algorithm), so no
// time-zone database or locale is involved and dates before 1970 work.
#include "notify/timestamps.h"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace sgwatch::notify {
namespace {

constexpr std::array<std::string_view, 7> kWeekdays = {"Thursday", "Friday",  "Saturday", "Sunday",
                                                       "Monday",   "Tuesday", "Wednesday"};
constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

struct Civil {
  std::int64_t year;
  int month;    // 1..12
  int day;      // 1..31
  int weekday;  // 0 = Thursday (1970-01-01)
  int hour, minute, second, millisecond;
};

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

Civil civil(std::int64_t unix_ms) {
  const std::int64_t seconds = floor_div(unix_ms, 1000);
  const std::int64_t days = floor_div(seconds, 86400);
  const std::int64_t second_of_day = seconds - days * 86400;
  Civil c{};
  c.millisecond = static_cast<int>(unix_ms - seconds * 1000);
  c.hour = static_cast<int>(second_of_day / 3600);
  c.minute = static_cast<int>(second_of_day / 60 % 60);
  c.second = static_cast<int>(second_of_day % 60);
  c.weekday = static_cast<int>(days - floor_div(days, 7) * 7);
  const std::int64_t z = days + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
  return c;
}

// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t days_from_civil(std::int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = floor_div(year, 400);
  const std::int64_t yoe = year - era * 400;
  const std::int64_t mp = month > 2 ? month - 3 : month + 9;
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string iso_millis(std::int64_t unix_ms, std::string_view zone) {
  const Civil c = civil(unix_ms);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{}", c.year, c.month, c.day, c.hour,
                     c.minute, c.second, c.millisecond, zone);
}

}  // namespace

std::string alarm_timestamp(std::int64_t unix_ms) {
  return iso_millis(unix_ms, "+0000");
}

std::string sns_timestamp(std::int64_t unix_ms) {
  return iso_millis(unix_ms, "Z");
}

std::optional<std::int64_t> parse_sns_timestamp(std::string_view text) {
  // yyyy-MM-ddTHH:mm:ss.SSSZ
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (text.size() != kShape.size()) return std::nullopt;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return std::nullopt;
  }
  const auto number = [&](std::size_t at, std::size_t length) {
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  const int year = number(0, 4);
  const int month = number(5, 2);
  const int day = number(8, 2);
  const int hour = number(11, 2);
  const int minute = number(14, 2);
  const int second = number(17, 2);
  const int millisecond = number(20, 3);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  const std::int64_t days = days_from_civil(year, month, day);
  const std::int64_t unix_ms =
      ((days * 24 + hour) * 60 + minute) * 60000 + std::int64_t{second} * 1000 + millisecond;
  // Rejects days past the end of their month (2025-02-30) by formatting back.
  if (sns_timestamp(unix_ms) != text) return std::nullopt;
  return unix_ms;
}

std::string email_alarm_date(std::int64_t unix_ms) {
  const Civil c = civil(unix_ms);
  return fmt::format(
      "{} {:02} {}, {} {:02}:{:02}:{:02}", kWeekdays[static_cast<std::size_t>(c.weekday)], c.day,
      kMonths[static_cast<std::size_t>(c.month - 1)], c.year, c.hour, c.minute, c.second);
}

std::string rfc5322_date(std::int64_t unix_ms) {
  const Civil c = civil(unix_ms);
  return fmt::format("{}, {} {} {:04} {:02}:{:02}:{:02} +0000",
                     kWeekdays[static_cast<std::size_t>(c.weekday)].substr(0, 3), c.day,
                     kMonths[static_cast<std::size_t>(c.month - 1)].substr(0, 3), c.year, c.hour,
                     c.minute, c.second);
}

std::string readable_utc(std::int64_t unix_ms) {
  const Civil c = civil(unix_ms);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC", c.year, c.month, c.day, c.hour,
                     c.minute, c.second);
}

}  // namespace sgwatch::notify
