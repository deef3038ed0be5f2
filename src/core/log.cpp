#include "core/log.h"

#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "core/json_string.h"
#include "core/time.h"

namespace sgwatch::core {

namespace {

std::string timestamp(std::int64_t now_ms) {
  const std::int64_t seconds = now_ms >= 0 ? now_ms / 1000 : (now_ms - 999) / 1000;
  std::string text = format_iso8601(seconds);  // "YYYY-MM-DDTHH:MM:SSZ"
  char millis[5];
  std::snprintf(millis, sizeof millis, ".%03d", static_cast<int>(now_ms - seconds * 1000));
  if (!text.empty() && text.back() == 'Z') text.insert(text.size() - 1, millis);
  return text;
}

}  // namespace

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

std::optional<LogLevel> parse_log_level(std::string_view text) {
  if (text == "debug") return LogLevel::kDebug;
  if (text == "info") return LogLevel::kInfo;
  if (text == "warn" || text == "warning") return LogLevel::kWarn;
  if (text == "error") return LogLevel::kError;
  return std::nullopt;
}

std::optional<LogFormat> parse_log_format(std::string_view text) {
  if (text == "text") return LogFormat::kText;
  if (text == "json") return LogFormat::kJson;
  return std::nullopt;
}

Logger::Logger(const Clock& clock, LogFormat format, LogLevel minimum, int fd)
    : clock_(clock), format_(format), minimum_(minimum), fd_(fd) {}

std::string Logger::format_line(LogLevel level, std::string_view event, std::string_view message,
                                std::initializer_list<LogField> fields) const {
  std::string line;
  if (format_ == LogFormat::kJson) {
    line.reserve(96 + message.size());
    line += "{\"time\":\"";
    line += timestamp(clock_.now_ms());
    line += "\",\"level\":\"";
    line += log_level_name(level);
    line += "\",\"event\":";
    append_json_string(line, event);
    line += ",\"msg\":";
    append_json_string(line, message);
    for (const auto& [key, value] : fields) {
      line += ',';
      append_json_string(line, key);
      line += ':';
      append_json_string(line, value);
    }
    line += "}\n";
    return line;
  }
  if (level == LogLevel::kError) {
    line = "sgwatch: ";
  } else if (level == LogLevel::kWarn) {
    line = "sgwatch: warning: ";
  } else {
    line = "sgwatch serve: ";
  }
  line += message;
  line += '\n';
  return line;
}

void Logger::log(LogLevel level, std::string_view event, std::string_view message,
                 std::initializer_list<LogField> fields) {
  if (!enabled(level)) return;
  const std::string line = format_line(level, event, message, fields);
  std::lock_guard<std::mutex> guard(mutex_);
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to report a failing log; the daemon goes on
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace sgwatch::core
