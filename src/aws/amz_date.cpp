// Implementation of amz_date.h: the basic format is rewritten into the extended one that
// core::parse_iso8601 reads, and a round trip rejects dates the calendar does not have.
#include "aws/amz_date.h"

#include "core/text.h"
#include "core/time.h"

namespace sgwatch::aws {

std::optional<std::int64_t> parse_amz_date(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  for (std::size_t i = 0; i < 15; ++i) {
    if (i != 8 && !core::is_ascii_digit(text[i])) return std::nullopt;
  }
  std::string extended;
  extended.reserve(20);
  extended.append(text.substr(0, 4)).append("-").append(text.substr(4, 2)).append("-");
  extended.append(text.substr(6, 2)).append("T").append(text.substr(9, 2)).append(":");
  extended.append(text.substr(11, 2)).append(":").append(text.substr(13, 2)).append("Z");
  const std::optional<std::int64_t> seconds = core::parse_iso8601(extended);
  if (!seconds || format_amz_date(*seconds) != text) return std::nullopt;
  return seconds;
}

std::string format_amz_date(std::int64_t unix_seconds) {
  const std::string extended = core::format_iso8601(unix_seconds);  // YYYY-MM-DDTHH:MM:SSZ
  std::string out;
  out.reserve(16);
  for (const char c : extended) {
    if (c != '-' && c != ':') out.push_back(c);
  }
  return out;
}

}  // namespace sgwatch::aws
