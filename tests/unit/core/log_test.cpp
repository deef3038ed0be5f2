// core::Logger: the JSON line's keys, order and escaping (every line parses as JSON, whatever the
// message holds), the text form, levels below the minimum dropped, and whole lines from several
// threads through a pipe.
#include "core/log.h"

#include "core/json_string.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

namespace sgwatch::core {
namespace {

using Json = nlohmann::ordered_json;

// 2026-11-28T17:02:03.456Z
constexpr std::int64_t kNow = 1795885323456;

TEST(Logger, JsonLinesCarryTimeLevelEventMessageAndFieldsInOrder) {
  ManualClock clock(kNow);
  Logger logger(clock, LogFormat::kJson);
  const std::string line = logger.format_line(LogLevel::kWarn, "feed.problem", "bad CloudTrail input",
                                              {{"log_group", "trail"}, {"path", "/var/ct/a.json"}});
  EXPECT_EQ(line,
            "{\"time\":\"2026-11-28T17:02:03.456Z\",\"level\":\"warn\",\"event\":\"feed.problem\","
            "\"msg\":\"bad CloudTrail input\",\"log_group\":\"trail\",\"path\":\"/var/ct/a.json\"}\n");
  const Json parsed = Json::parse(line);
  std::vector<std::string> keys;
  for (const auto& item : parsed.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"time", "level", "event", "msg", "log_group", "path"}));
}

TEST(Logger, EveryJsonLineParsesWhateverTheMessageHolds) {
  ManualClock clock(999);  // 1970-01-01T00:00:00.999Z
  Logger logger(clock, LogFormat::kJson);
  const std::string nasty = std::string("quote\" backslash\\ newline\n tab\t nul") + '\0' + " bell\x07 del\x7f" +
                            " latin1 \xE9 cut \xE2\x82 euro \xE2\x82\xAC surrogate \xED\xA0\x80 emoji \xF0\x9F\x94\x92";
  const std::string line = logger.format_line(LogLevel::kError, "x", nasty, {{"k\"ey", nasty}});
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line";
  const Json parsed = Json::parse(line);
  EXPECT_EQ(parsed["time"], "1970-01-01T00:00:00.999Z");
  const std::string msg = parsed["msg"];
  EXPECT_NE(msg.find("quote\" backslash\\ newline\n tab\t nul"), std::string::npos);
  EXPECT_NE(msg.find("euro \xE2\x82\xAC"), std::string::npos);
  EXPECT_NE(msg.find("emoji \xF0\x9F\x94\x92"), std::string::npos);
  EXPECT_NE(msg.find("latin1 \xEF\xBF\xBD cut \xEF\xBF\xBD\xEF\xBF\xBD euro"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("\xED\xA0\x80"), std::string::npos);
  EXPECT_EQ(parsed["k\"ey"], msg);
}

// The writer the log and `sgwatch scan`'s JSON lines share (core/json_string.h).
TEST(AppendJsonString, NamedEscapesControlCharactersAndInvalidUtf8) {
  std::string out;
  append_json_string(out, std::string("a\"\\\b\f\n\r\t\x01\x1f\x7f \xC3\xA9 \xC3 \xF0\x9F\x94\x92 \xC0\xAF") + '\0');
  EXPECT_EQ(out, "\"a\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f \xC3\xA9 \xEF\xBF\xBD \xF0\x9F\x94\x92 "
                 "\xEF\xBF\xBD\xEF\xBF\xBD\\u0000\"");
  EXPECT_EQ(nlohmann::json::parse(out).get<std::string>().substr(0, 8), "a\"\\\b\f\n\r\t");
}

TEST(Logger, TextLinesAreWhatTheCliPrints) {
  ManualClock clock(kNow);
  Logger logger(clock, LogFormat::kText);
  EXPECT_EQ(logger.format_line(LogLevel::kInfo, "serve.listening", "listening on http://127.0.0.1:4566", {{"a", "b"}}),
            "sgwatch serve: listening on http://127.0.0.1:4566\n");
  EXPECT_EQ(logger.format_line(LogLevel::kError, "alarm.tick", "alarm evaluation failed: disk full", {}),
            "sgwatch: alarm evaluation failed: disk full\n");
  EXPECT_EQ(logger.format_line(LogLevel::kWarn, "config.warning", "a.yaml: short key", {}),
            "sgwatch: warning: a.yaml: short key\n");
}

TEST(Logger, LevelsAndFormatsParse) {
  EXPECT_EQ(parse_log_level("debug"), LogLevel::kDebug);
  EXPECT_EQ(parse_log_level("warning"), LogLevel::kWarn);
  EXPECT_EQ(parse_log_level("Error"), std::nullopt);
  EXPECT_EQ(parse_log_format("json"), LogFormat::kJson);
  EXPECT_EQ(parse_log_format("yaml"), std::nullopt);
  EXPECT_EQ(log_level_name(LogLevel::kWarn), "warn");
}

TEST(Logger, LinesBelowTheMinimumAreDroppedAndThreadsNeverInterleave) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  ManualClock clock(kNow);
  {
    Logger logger(clock, LogFormat::kJson, LogLevel::kInfo, fds[1]);
    EXPECT_FALSE(logger.enabled(LogLevel::kDebug));
    logger.debug("dropped", "not written");
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&logger, t] {
        const std::string payload(100, static_cast<char>('a' + t));
        for (int i = 0; i < 50; ++i) logger.info("t", payload, {{"thread", std::to_string(t)}});
      });
    }
    for (auto& thread : threads) thread.join();
  }
  ::close(fds[1]);
  std::string all;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) all.append(buffer, static_cast<std::size_t>(n));
  ::close(fds[0]);
  std::istringstream in(all);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    const Json parsed = Json::parse(line);
    EXPECT_EQ(parsed["level"], "info");
    const std::string msg = parsed["msg"];
    EXPECT_EQ(msg, std::string(100, msg.front()));
    ++lines;
  }
  EXPECT_EQ(lines, 200);
}

}  // namespace
}  // namespace sgwatch::core
