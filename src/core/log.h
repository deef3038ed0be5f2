// The daemon's log: one line per event with a level, as text for a terminal or as JSON lines for
// a collector (journald, Loki, CloudWatch agent). A JSON line is
//   {"time":"2026-11-28T17:02:03.456Z","level":"warn","event":"feed.problem","msg":"...",<fields>}
// with `time` from the injected clock (UTC, milliseconds), `event` a stable dotted name to filter
// on, `msg` the readable sentence and then the fields in the order given (string values). A text
// line is "sgwatch serve: <msg>" for info and debug, "sgwatch: warning: <msg>" for warnings and
// "sgwatch: <msg>" for errors, as the CLI prints errors ("sgwatch: what: where: why"). Lines below the minimum level are dropped; each line is
// written whole with one write, so lines of several threads never interleave.
// Neighbours: cli/serve.cpp (configures it from --log-format and --log-level), docs/operations.md.
#pragma once

#include <cstdio>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/clock.h"

namespace sgwatch::core {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class LogFormat { kText, kJson };

std::string_view log_level_name(LogLevel level);
// "debug", "info", "warn" (or "warning"), "error"; nullopt otherwise.
std::optional<LogLevel> parse_log_level(std::string_view text);
// "text" or "json"; nullopt otherwise.
std::optional<LogFormat> parse_log_format(std::string_view text);

using LogField = std::pair<std::string_view, std::string_view>;

class Logger {
 public:
  // Writes to `fd` (2: stderr). The clock must outlive the logger.
  Logger(const Clock& clock, LogFormat format = LogFormat::kText, LogLevel minimum = LogLevel::kInfo, int fd = 2);

  bool enabled(LogLevel level) const { return level >= minimum_; }
  void log(LogLevel level, std::string_view event, std::string_view message,
           std::initializer_list<LogField> fields = {});
  void debug(std::string_view event, std::string_view message, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::kDebug, event, message, fields);
  }
  void info(std::string_view event, std::string_view message, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::kInfo, event, message, fields);
  }
  void warn(std::string_view event, std::string_view message, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::kWarn, event, message, fields);
  }
  void error(std::string_view event, std::string_view message, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::kError, event, message, fields);
  }

  // The line log() would write (without writing it): for tests.
  std::string format_line(LogLevel level, std::string_view event, std::string_view message,
                          std::initializer_list<LogField> fields) const;

 private:
  const Clock& clock_;
  LogFormat format_;
  LogLevel minimum_;
  int fd_;
  std::mutex mutex_;
};

}  // namespace sgwatch::core
