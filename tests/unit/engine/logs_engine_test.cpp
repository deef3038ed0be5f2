// LogsEngine: every CloudWatch Logs operation against a real state store — log groups, streams,
// PutLogEvents and its rejections, metric filters that move an alarm through the AlarmEngine,
// defaultValue, pagination, AWS's error codes and messages, restart, retention, one transaction
// for events and datapoints, and TestMetricFilter / PutLogEvents against the conformance vectors.
#include "engine/logs_engine.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/time.h"
#include "support/conformance.h"
#include "support/temp_dir.h"

namespace sgwatch::engine {
namespace {

using Json = nlohmann::json;
using alarms::AlarmState;
using testing::TempDir;

const std::int64_t kT0 = *core::parse_iso8601("2026-11-20T09:00:00Z");
const std::int64_t kNowMs = kT0 * 1000 + 250;
constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kDay = 86400 * 1000;

const std::string kSeedPattern =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
    "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
    "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }";
const metrics::SeriesKey kSeedKey{"CISBenchmark", "SecurityGroupEventCount", {}};

const std::string kIngress =
    R"({"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"},)"
    R"("eventTime":"2026-11-20T08:59:30Z","eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress",)"
    R"("awsRegion":"us-west-2","sourceIPAddress":"203.0.113.7","userAgent":"aws-cli/2.9.19",)"
    R"("requestParameters":{"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[]}},)"
    R"("eventID":"5b3e1e0c-0000-4000-8000-000000000001","recipientAccountId":"123456789012"})";
const std::string kDescribe =
    R"({"eventVersion":"1.08","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","awsRegion":"us-west-2"})";

alarms::AlarmDefinition seed_alarm() {
  return *alarms::parse_put_metric_alarm(Json{{"AlarmName", "SecurityGroupChangesAlarm"},
                                              {"MetricName", "SecurityGroupEventCount"},
                                              {"Namespace", "CISBenchmark"},
                                              {"Statistic", "Sum"},
                                              {"Period", 300},
                                              {"EvaluationPeriods", 1},
                                              {"Threshold", 1.0},
                                              {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
                                              {"AlarmActions", Json::array({"arn:aws:sns:us-west-2:123456789012:t"})}});
}

pattern::MetricTransformation seed_transformation() {
  pattern::MetricTransformation t;
  t.metric_name = "SecurityGroupEventCount";
  t.metric_namespace = "CISBenchmark";
  t.metric_value = "1";
  return t;
}

struct Fixture {
  TempDir dir;
  core::ManualClock clock{kNowMs};
  LogsOptions options;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<AlarmEngine> alarms;
  std::unique_ptr<LogsEngine> logs;

  explicit Fixture(LogsOptions o = {}) : options(std::move(o)) {
    options.region = "us-west-2";
    reopen();
  }
  void reopen() {
    logs.reset();
    alarms.reset();
    store.reset();
    auto s = store::Store::open(dir.path());
    ASSERT_TRUE(s) << s.error();
    store = std::move(*s);
    auto a = AlarmEngine::open(*store, clock, EngineOptions{"us-west-2", "123456789012"});
    ASSERT_TRUE(a) << a.error();
    alarms = std::move(*a);
    auto l = LogsEngine::open(*store, *alarms, clock, options);
    ASSERT_TRUE(l) << l.error();
    logs = std::move(*l);
  }
  void group(const std::string& name, std::optional<int> retention = std::nullopt) {
    CreateLogGroupRequest r;
    r.log_group_name = name;
    r.retention_in_days = retention;
    auto ok = logs->create_log_group(r);
    ASSERT_TRUE(ok) << ok.error().message;
  }
  void stream(const std::string& group_name, const std::string& name) {
    auto ok = logs->create_log_stream(group_name, name);
    ASSERT_TRUE(ok) << ok.error().message;
  }
  void filter(const std::string& group_name, const std::string& name, const std::string& pattern,
              pattern::MetricTransformation t = seed_transformation()) {
    auto ok = logs->put_metric_filter(PutMetricFilterRequest{group_name, name, pattern, {std::move(t)}});
    ASSERT_TRUE(ok) << ok.error().message;
  }
  LogsResult<PutLogEventsResult> put(const std::string& group_name, const std::string& stream_name,
                                     const std::vector<std::pair<std::int64_t, std::string>>& events) {
    PutLogEventsRequest r{group_name, stream_name, {}, std::nullopt};
    for (const auto& [time, message] : events) r.log_events.push_back(InputLogEvent{time, message});
    return logs->put_log_events(r);
  }
  std::vector<std::string> messages(const std::string& group_name, FilterLogEventsRequest r = {}) {
    r.log_group_name = group_name;
    auto found = logs->filter_log_events(r);
    EXPECT_TRUE(found) << found.error().message;
    std::vector<std::string> out;
    if (found) {
      for (const auto& e : found->events) out.push_back(e.message);
    }
    return out;
  }
};

// The statistic set of the minute holding `time_ms`.
std::optional<metrics::StatSet> minute_of(const AlarmEngine& alarms, const metrics::SeriesKey& key, std::int64_t time_ms) {
  return alarms.series().aggregate(key, metrics::floor_to(time_ms / 1000, 60), 60);
}

// The error's code and message, for one-line comparisons.
template <typename T>
std::pair<std::string, std::string> failure(const LogsResult<T>& result) {
  if (result) return {"(success)", ""};
  return {result.error().code, result.error().message};
}

std::pair<std::string, std::string> invalid(std::string message) {
  return {"InvalidParameterException", std::move(message)};
}

// ---- log groups ------------------------------------------------------------------------------

TEST(LogsEngineGroups, CreateDescribeAndDuplicates) {
  Fixture f;
  CreateLogGroupRequest r;
  r.log_group_name = "my-log-group";
  r.kms_key_id = "arn:aws:kms:us-west-2:123456789012:key/abcd";
  r.tags = {{"team", "security"}};
  ASSERT_TRUE(f.logs->create_log_group(r));
  EXPECT_EQ(failure(f.logs->create_log_group(r)),
            (std::pair<std::string, std::string>{"ResourceAlreadyExistsException", "The specified log group already exists"}));

  auto described = f.logs->describe_log_groups({});
  ASSERT_TRUE(described);
  ASSERT_EQ(described->log_groups.size(), 1U);
  const LogGroup& g = described->log_groups[0];
  EXPECT_EQ(g.log_group_name, "my-log-group");
  EXPECT_EQ(g.creation_time, kNowMs);
  EXPECT_EQ(g.arn, "arn:aws:logs:us-west-2:123456789012:log-group:my-log-group:*");
  EXPECT_EQ(g.log_group_arn, "arn:aws:logs:us-west-2:123456789012:log-group:my-log-group");
  EXPECT_EQ(g.metric_filter_count, 0);
  EXPECT_EQ(g.stored_bytes, 0);
  EXPECT_FALSE(g.retention_in_days.has_value());
  EXPECT_EQ(g.kms_key_id, r.kms_key_id);
  EXPECT_EQ(g.log_group_class, "STANDARD");
  EXPECT_FALSE(described->next_token.has_value());
}

TEST(LogsEngineGroups, NameRulesAsAws) {
  Fixture f;
  auto create = [&](const std::string& name) {
    CreateLogGroupRequest r;
    r.log_group_name = name;
    return failure(f.logs->create_log_group(r));
  };
  EXPECT_EQ(create("bad:name"), invalid("1 validation error detected: Value 'bad:name' at 'logGroupName' failed to "
                                        "satisfy constraint: Member must satisfy regular expression pattern: "
                                        "[\\.\\-_/#A-Za-z0-9]+"));
  EXPECT_EQ(create(""), invalid("2 validation errors detected: Value '' at 'logGroupName' failed to satisfy "
                                "constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+; "
                                "Value '' at 'logGroupName' failed to satisfy constraint: Member must have length "
                                "greater than or equal to 1"));
  const std::string long_name(513, 'a');
  EXPECT_EQ(create(long_name), invalid("1 validation error detected: Value '" + long_name +
                                       "' at 'logGroupName' failed to satisfy constraint: Member must have length "
                                       "less than or equal to 512"));
  EXPECT_EQ(create(std::string(512, 'a')).first, "(success)");
  EXPECT_EQ(create("/aws/lambda/fn_1#.-").first, "(success)");
  EXPECT_EQ(create("aws/reserved").first, "InvalidParameterException");

  CreateLogGroupRequest r;
  r.log_group_name = "with-retention";
  r.retention_in_days = 2;
  EXPECT_EQ(failure(f.logs->create_log_group(r)),
            invalid("1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member "
                    "must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, "
                    "1096, 1827, 2192, 2557, 2922, 3288, 3653]"));
  r.retention_in_days = 14;
  ASSERT_TRUE(f.logs->create_log_group(r));
  EXPECT_EQ(f.logs->describe_log_groups({})->log_groups.at(2).retention_in_days, 14);
}

TEST(LogsEngineGroups, PrefixPatternLimitAndPagination) {
  Fixture f;
  for (const char* name : {"app-a", "app-b", "app-c", "Audit-Trail", "other"}) f.group(name);
  DescribeLogGroupsRequest r;
  r.log_group_name_prefix = "app-";
  auto found = f.logs->describe_log_groups(r);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->log_groups.size(), 3U);

  // Pages of two, in name order (bytewise: upper case first).
  std::vector<std::string> names;
  DescribeLogGroupsRequest page;
  page.limit = 2;
  int pages = 0;
  while (true) {
    auto answer = f.logs->describe_log_groups(page);
    ASSERT_TRUE(answer) << answer.error().message;
    ++pages;
    for (const auto& g : answer->log_groups) names.push_back(g.log_group_name);
    if (!answer->next_token) break;
    page.next_token = answer->next_token;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(names, (std::vector<std::string>{"Audit-Trail", "app-a", "app-b", "app-c", "other"}));

  // The pattern is a case-insensitive substring; AWS then answers only name, creation time, arn.
  DescribeLogGroupsRequest by_pattern;
  by_pattern.log_group_name_pattern = "TRAIL";
  found = f.logs->describe_log_groups(by_pattern);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->log_groups.size(), 1U);
  EXPECT_EQ(found->log_groups[0].log_group_name, "Audit-Trail");
  EXPECT_FALSE(found->log_groups[0].metric_filter_count.has_value());
  EXPECT_FALSE(found->log_groups[0].stored_bytes.has_value());
  EXPECT_EQ(found->log_groups[0].arn, "arn:aws:logs:us-west-2:123456789012:log-group:Audit-Trail:*");

  by_pattern.log_group_name_prefix = "app";
  EXPECT_EQ(failure(f.logs->describe_log_groups(by_pattern)).first, "InvalidParameterException");
  DescribeLogGroupsRequest bad;
  bad.limit = 0;
  EXPECT_EQ(failure(f.logs->describe_log_groups(bad)),
            invalid("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must "
                    "have value greater than or equal to 1"));
  bad.limit = 51;
  EXPECT_EQ(failure(f.logs->describe_log_groups(bad)),
            invalid("1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must "
                    "have value less than or equal to 50"));
  bad.limit.reset();
  bad.next_token = "not-a-token";
  EXPECT_EQ(failure(f.logs->describe_log_groups(bad)), invalid("The specified nextToken is invalid."));
}

TEST(LogsEngineGroups, DeleteRemovesStreamsEventsAndFilters) {
  Fixture f;
  EXPECT_EQ(failure(f.logs->delete_log_group("nope")),
            (std::pair<std::string, std::string>{"ResourceNotFoundException", "The specified log group does not exist."}));
  f.group("g");
  f.stream("g", "s");
  f.filter("g", "SecurityGroupEventCount", kSeedPattern);
  ASSERT_TRUE(f.put("g", "s", {{kNowMs, kDescribe}}));
  ASSERT_TRUE(f.logs->delete_log_group("g"));
  EXPECT_TRUE(f.logs->describe_log_groups({})->log_groups.empty());
  EXPECT_EQ(failure(f.logs->describe_metric_filters({})).first, "(success)");
  EXPECT_TRUE(f.logs->describe_metric_filters({})->metric_filters.empty());

  // A new group of the same name starts empty, also after a restart.
  f.group("g");
  f.reopen();
  DescribeLogStreamsRequest streams;
  streams.log_group_name = "g";
  EXPECT_TRUE(f.logs->describe_log_streams(streams)->log_streams.empty());
  EXPECT_TRUE(f.messages("g").empty());
  EXPECT_TRUE(f.logs->describe_metric_filters({})->metric_filters.empty());
}

TEST(LogsEngineGroups, RetentionPolicies) {
  Fixture f;
  f.group("g");
  EXPECT_EQ(failure(f.logs->put_retention_policy("g", 8)).first, "InvalidParameterException");
  EXPECT_EQ(failure(f.logs->put_retention_policy("missing", 7)).first, "ResourceNotFoundException");
  ASSERT_TRUE(f.logs->put_retention_policy("g", 7));
  EXPECT_EQ(f.logs->describe_log_groups({})->log_groups[0].retention_in_days, 7);
  f.reopen();
  EXPECT_EQ(f.logs->describe_log_groups({})->log_groups[0].retention_in_days, 7);
  ASSERT_TRUE(f.logs->delete_retention_policy("g"));
  EXPECT_FALSE(f.logs->describe_log_groups({})->log_groups[0].retention_in_days.has_value());
}

// ---- log streams -----------------------------------------------------------------------------

TEST(LogsEngineStreams, CreateDescribeDelete) {
  Fixture f;
  EXPECT_EQ(failure(f.logs->create_log_stream("g", "s")),
            (std::pair<std::string, std::string>{"ResourceNotFoundException", "The specified log group does not exist."}));
  f.group("g");
  f.stream("g", "my-stream");
  EXPECT_EQ(failure(f.logs->create_log_stream("g", "my-stream")),
            (std::pair<std::string, std::string>{"ResourceAlreadyExistsException", "The specified log stream already exists"}));
  EXPECT_EQ(failure(f.logs->create_log_stream("g", "a:b")),
            invalid("1 validation error detected: Value 'a:b' at 'logStreamName' failed to satisfy constraint: "
                    "Member must satisfy regular expression pattern: [^:*]*"));
  EXPECT_EQ(failure(f.logs->create_log_stream("g", "a*b")).first, "InvalidParameterException");
  EXPECT_EQ(failure(f.logs->create_log_stream("g", "")),
            invalid("1 validation error detected: Value '' at 'logStreamName' failed to satisfy constraint: Member "
                    "must have length greater than or equal to 1"));
  f.stream("g", "2026/11/20/[$LATEST] some stream");  // anything but ':' and '*'

  DescribeLogStreamsRequest r;
  r.log_group_name = "g";
  auto described = f.logs->describe_log_streams(r);
  ASSERT_TRUE(described);
  ASSERT_EQ(described->log_streams.size(), 2U);
  const LogStream& s = described->log_streams[1];
  EXPECT_EQ(s.log_stream_name, "my-stream");
  EXPECT_EQ(s.creation_time, kNowMs);
  EXPECT_FALSE(s.first_event_timestamp.has_value());
  EXPECT_FALSE(s.last_event_timestamp.has_value());
  EXPECT_FALSE(s.last_ingestion_time.has_value());
  EXPECT_EQ(s.arn, "arn:aws:logs:us-west-2:123456789012:log-group:g:log-stream:my-stream");
  EXPECT_EQ(s.stored_bytes, 0);
  const std::string token_before = s.upload_sequence_token;

  f.clock.advance(5000);
  auto put = f.put("g", "my-stream", {{kNowMs - 2000, "first"}, {kNowMs - 1000, "second"}});
  ASSERT_TRUE(put) << put.error().message;
  described = f.logs->describe_log_streams(r);
  const LogStream& after = described->log_streams[1];
  EXPECT_EQ(after.first_event_timestamp, kNowMs - 2000);
  EXPECT_EQ(after.last_event_timestamp, kNowMs - 1000);
  EXPECT_EQ(after.last_ingestion_time, kNowMs + 5000);
  EXPECT_NE(after.upload_sequence_token, token_before);
  EXPECT_EQ(after.upload_sequence_token, put->next_sequence_token);
  EXPECT_EQ(after.stored_bytes, 0);
  EXPECT_EQ(f.logs->describe_log_groups({})->log_groups[0].stored_bytes, 11);  // "first" + "second"

  // By ARN.
  DescribeLogStreamsRequest by_arn;
  by_arn.log_group_identifier = "arn:aws:logs:us-west-2:123456789012:log-group:g";
  EXPECT_EQ(f.logs->describe_log_streams(by_arn)->log_streams.size(), 2U);
  by_arn.log_group_identifier = "g";
  EXPECT_EQ(f.logs->describe_log_streams(by_arn)->log_streams.size(), 2U);
  by_arn.log_group_identifier = "arn:aws:logs:us-west-2:123456789012:log-group:g:*";  // the logGroupArn form only
  EXPECT_EQ(failure(f.logs->describe_log_streams(by_arn)),
            invalid("1 validation error detected: Value 'arn:aws:logs:us-west-2:123456789012:log-group:g:*' at "
                    "'logGroupIdentifier' failed to satisfy constraint: Member must satisfy regular expression "
                    "pattern: [\\w#+=/:,.@-]*"));
  by_arn.log_group_name = "g";
  EXPECT_EQ(failure(f.logs->describe_log_streams(by_arn)).first, "InvalidParameterException");

  EXPECT_EQ(failure(f.logs->delete_log_stream("g", "nope")),
            (std::pair<std::string, std::string>{"ResourceNotFoundException", "The specified log stream does not exist."}));
  ASSERT_TRUE(f.logs->delete_log_stream("g", "my-stream"));
  EXPECT_EQ(f.logs->describe_log_streams(r)->log_streams.size(), 1U);
  EXPECT_EQ(f.logs->describe_log_groups({})->log_groups[0].stored_bytes, 0);
  EXPECT_TRUE(f.messages("g").empty());
}

TEST(LogsEngineStreams, OrderPrefixAndPagination) {
  Fixture f;
  f.group("g");
  for (const char* name : {"a-1", "a-2", "b-1", "b-2", "c-1"}) f.stream("g", name);
  // Last event times: b-2 oldest, then a-1; the others have none (they sort as 0).
  ASSERT_TRUE(f.put("g", "b-2", {{kNowMs - 3000, "x"}}));
  ASSERT_TRUE(f.put("g", "a-1", {{kNowMs - 1000, "y"}}));

  auto names = [&](DescribeLogStreamsRequest r) {
    r.log_group_name = "g";
    std::vector<std::string> out;
    int pages = 0;
    while (true) {
      auto answer = f.logs->describe_log_streams(r);
      EXPECT_TRUE(answer) << answer.error().message;
      if (!answer) return out;
      ++pages;
      for (const auto& s : answer->log_streams) out.push_back(s.log_stream_name);
      if (!answer->next_token || pages > 10) break;
      r.next_token = answer->next_token;
    }
    return out;
  };
  DescribeLogStreamsRequest r;
  r.limit = 2;
  EXPECT_EQ(names(r), (std::vector<std::string>{"a-1", "a-2", "b-1", "b-2", "c-1"}));
  r.descending = true;
  EXPECT_EQ(names(r), (std::vector<std::string>{"c-1", "b-2", "b-1", "a-2", "a-1"}));
  r.descending = false;
  r.log_stream_name_prefix = "b-";
  EXPECT_EQ(names(r), (std::vector<std::string>{"b-1", "b-2"}));
  r.log_stream_name_prefix.reset();
  r.order_by = "LastEventTime";
  EXPECT_EQ(names(r), (std::vector<std::string>{"a-2", "b-1", "c-1", "b-2", "a-1"}));
  r.descending = true;
  EXPECT_EQ(names(r), (std::vector<std::string>{"a-1", "b-2", "c-1", "b-1", "a-2"}));

  DescribeLogStreamsRequest bad;
  bad.log_group_name = "g";
  bad.order_by = "LastEventTime";
  bad.log_stream_name_prefix = "a";
  EXPECT_EQ(failure(f.logs->describe_log_streams(bad)),
            invalid("Cannot order by LastEventTime with a logStreamNamePrefix."));
  bad.log_stream_name_prefix.reset();
  bad.order_by = "Name";
  EXPECT_EQ(failure(f.logs->describe_log_streams(bad)),
            invalid("1 validation error detected: Value 'Name' at 'orderBy' failed to satisfy constraint: Member "
                    "must satisfy enum value set: [LogStreamName, LastEventTime]"));
  bad.order_by.reset();
  bad.next_token = "s1.x.zz";
  EXPECT_EQ(failure(f.logs->describe_log_streams(bad)), invalid("The specified nextToken is invalid."));
  bad.next_token.reset();
  bad.log_group_name = "missing";
  EXPECT_EQ(failure(f.logs->describe_log_streams(bad)).first, "ResourceNotFoundException");
}

// ---- PutLogEvents ----------------------------------------------------------------------------

TEST(LogsEnginePut, ValidationAsAws) {
  Fixture f;
  f.group("g");
  f.stream("g", "s");
  EXPECT_EQ(failure(f.put("missing", "s", {{kNowMs, "x"}})),
            (std::pair<std::string, std::string>{"ResourceNotFoundException", "The specified log group does not exist."}));
  EXPECT_EQ(failure(f.put("g", "missing", {{kNowMs, "x"}})),
            (std::pair<std::string, std::string>{"ResourceNotFoundException", "The specified log stream does not exist."}));
  EXPECT_EQ(failure(f.put("g", "s", {})),
            invalid("1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member "
                    "must have length greater than or equal to 1"));
  EXPECT_EQ(failure(f.put("g", "s", {{kNowMs, "x"}, {kNowMs, ""}})),
            invalid("1 validation error detected: Value '' at 'logEvents.2.member.message' failed to satisfy "
                    "constraint: Member must have length greater than or equal to 1"));
  EXPECT_EQ(failure(f.put("g", "s", {{kNowMs, "b"}, {kNowMs - 1, "a"}})),
            invalid("Log events in a single PutLogEvents request must be in chronological order."));
  EXPECT_EQ(failure(f.put("g", "s", {{kNowMs - kDay - 1, "a"}, {kNowMs, "b"}})),
            invalid("The batch of log events in a single PutLogEvents request cannot span more than 24 hours."));
  EXPECT_EQ(failure(f.put("g", "s", {{kNowMs - kDay, "a"}, {kNowMs, "b"}})).first, "(success)");
  constexpr std::int64_t kLowest = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kHighest = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(failure(f.put("g", "s", {{kLowest, "a"}, {kHighest, "b"}})),
            invalid("The batch of log events in a single PutLogEvents request cannot span more than 24 hours."));
  auto extreme = f.put("g", "s", {{kLowest, "a"}});
  ASSERT_TRUE(extreme);
  EXPECT_EQ(extreme->rejected_log_events_info->too_old_log_event_end_index, 0);
  extreme = f.put("g", "s", {{kHighest, "a"}});
  ASSERT_TRUE(extreme);
  EXPECT_EQ(extreme->rejected_log_events_info->too_new_log_event_start_index, 0);

  // Sizes count the message's UTF-8 bytes plus 26 per event.
  const std::string largest(262144 - 26, 'x');
  EXPECT_EQ(failure(f.put("g", "s", {{kNowMs, largest}})).first, "(success)");
  EXPECT_EQ(failure(f.put("g", "s", {{kNowMs, largest + "x"}})),
            invalid("Log event too large: 262145 bytes exceeds limit of 262144"));
  std::vector<std::pair<std::int64_t, std::string>> batch(4, {kNowMs, largest});
  batch.emplace_back(kNowMs, "y");
  EXPECT_EQ(failure(f.put("g", "s", batch)), invalid("Upload too large: 1048603 bytes exceeds limit of 1048576"));
  batch.pop_back();
  EXPECT_EQ(failure(f.put("g", "s", batch)).first, "(success)");  // exactly 1,048,576 bytes

  std::vector<std::pair<std::int64_t, std::string>> many(10001, {kNowMs, "m"});
  EXPECT_EQ(failure(f.put("g", "s", many)),
            invalid("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must "
                    "have length less than or equal to 10000"));
  many.pop_back();
  auto stored = f.put("g", "s", many);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->accepted_events, 10000U);

  // The sequence token is accepted and ignored; each call gets a new next token.
  PutLogEventsRequest r{"g", "s", {InputLogEvent{kNowMs, "z"}}, std::string("49000000000000000000000000000000000000000000000000000000")};
  auto first = f.logs->put_log_events(r);
  auto second = f.logs->put_log_events(r);
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->next_sequence_token, second->next_sequence_token);
  EXPECT_EQ(second->next_sequence_token.size(), 56U);
}

TEST(LogsEnginePut, TooOldTooNewAndExpiredAreReportedNotStored) {
  Fixture f;
  f.group("g");
  f.group("short", 1);
  f.stream("g", "s");
  f.stream("short", "s");
  const std::int64_t too_old = kNowMs - 14 * kDay - 2;
  auto put = f.put("g", "s", {{too_old, "old-1"}, {too_old + 1, "old-2"}, {too_old + 2, "kept"}});
  // The batch spans more than a day only between kept and too-new events, so test them apart.
  ASSERT_TRUE(put) << put.error().message;
  ASSERT_TRUE(put->rejected_log_events_info);
  EXPECT_EQ(put->rejected_log_events_info->too_old_log_event_end_index, 1);
  EXPECT_FALSE(put->rejected_log_events_info->too_new_log_event_start_index);
  EXPECT_FALSE(put->rejected_log_events_info->expired_log_event_end_index);
  EXPECT_EQ(put->accepted_events, 1U);

  put = f.put("g", "s", {{kNowMs, "now"}, {kNowMs + 2 * 3600 * 1000, "edge"}, {kNowMs + 2 * 3600 * 1000 + 1, "new-1"},
                         {kNowMs + 3 * 3600 * 1000, "new-2"}});
  ASSERT_TRUE(put);
  ASSERT_TRUE(put->rejected_log_events_info);
  EXPECT_EQ(put->rejected_log_events_info->too_new_log_event_start_index, 2);
  EXPECT_FALSE(put->rejected_log_events_info->too_old_log_event_end_index);
  EXPECT_EQ(f.messages("g"), (std::vector<std::string>{"kept", "now", "edge"}));

  // Older than the group's retention: expired.
  put = f.put("short", "s", {{kNowMs - kDay - 1000, "expired"}, {kNowMs - kDay + 1000, "fresh"}});
  ASSERT_TRUE(put);
  ASSERT_TRUE(put->rejected_log_events_info);
  EXPECT_EQ(put->rejected_log_events_info->expired_log_event_end_index, 0);
  EXPECT_EQ(f.messages("short"), (std::vector<std::string>{"fresh"}));

  // Nothing accepted: the call still succeeds and stores nothing.
  put = f.put("g", "s", {{too_old, "old"}});
  ASSERT_TRUE(put);
  EXPECT_EQ(put->accepted_events, 0U);
  EXPECT_EQ(f.messages("g").size(), 3U);
}

// ---- metric filters to alarms ----------------------------------------------------------------

TEST(LogsEngineMetricFilters, TheSeedChainMovesTheAlarm) {
  Fixture f;
  ASSERT_TRUE(f.alarms->put_alarm(seed_alarm()));
  f.group("my-log-group");
  f.stream("my-log-group", "my-stream");
  f.filter("my-log-group", "SecurityGroupEventCount", kSeedPattern);

  // A non-matching event publishes nothing (no defaultValue).
  auto quiet = f.put("my-log-group", "my-stream", {{kNowMs - 20000, kDescribe}});
  ASSERT_TRUE(quiet);
  EXPECT_EQ(quiet->datapoints, 0U);
  EXPECT_TRUE(quiet->transitions.empty());
  EXPECT_EQ(f.alarms->alarm("SecurityGroupChangesAlarm")->state, AlarmState::kInsufficientData);

  // One AuthorizeSecurityGroupIngress record: ALARM at once, with the topic to notify.
  auto fired = f.put("my-log-group", "my-stream", {{kNowMs - 10000, kIngress}, {kNowMs - 9000, kDescribe}});
  ASSERT_TRUE(fired) << fired.error().message;
  EXPECT_EQ(fired->datapoints, 1U);
  ASSERT_EQ(fired->transitions.size(), 1U);
  EXPECT_EQ(fired->transitions[0].to, AlarmState::kAlarm);
  EXPECT_EQ(fired->transitions[0].actions, std::vector<std::string>{"arn:aws:sns:us-west-2:123456789012:t"});
  EXPECT_EQ(f.alarms->alarm("SecurityGroupChangesAlarm")->state, AlarmState::kAlarm);
  // The datapoint is placed at the event's timestamp, not the ingestion time.
  EXPECT_EQ(minute_of(*f.alarms, kSeedKey, kNowMs - 10000)->sum, 1);  // the minute before kT0
  EXPECT_FALSE(minute_of(*f.alarms, kSeedKey, kNowMs).has_value());
  EXPECT_EQ(f.logs->describe_log_groups({})->log_groups[0].metric_filter_count, 1);
}

// Late events (docs/alarms.md, "Late and out-of-order events"): a datapoint is placed at its
// event's time. On arrival the window of the next boundary is evaluated, and the alarm moves at
// once only when the breach is in its newest N periods (CONTRACTS "Alarm evaluation when live");
// otherwise the boundary's evaluation reads the whole evaluation range R (3 periods for the
// seed's N = 1, spec 4.3) and fires then. An event older than the range of the next boundary is
// stored (its datapoint is in the metric) but no evaluation reads it any more, as in CloudWatch.
// Now is kT0 + 250 ms: the next boundary is kT0 + 60 s, its newest period [kT0 - 4 min, kT0 + 1
// min), its range [kT0 - 14 min, kT0 + 1 min).
TEST(LogsEngineMetricFilters, LateEventsFireWithinTheEvaluationRangeAndNotAfter) {
  struct Case {
    std::int64_t late_ms;
    bool on_arrival;
    bool at_boundary;
  };
  for (const Case& c : {Case{10 * 1000, true, true}, Case{3 * kMinute, true, true}, Case{5 * kMinute, false, true},
                        Case{14 * kMinute, false, true}, Case{15 * kMinute + 30000, false, false},
                        Case{40 * kMinute, false, false}}) {
    Fixture f;
    ASSERT_TRUE(f.alarms->put_alarm(seed_alarm()));
    f.group("g");
    f.stream("g", "s");
    f.filter("g", "SecurityGroupEventCount", kSeedPattern);
    auto put = f.put("g", "s", {{kNowMs - c.late_ms, kIngress}});
    ASSERT_TRUE(put) << put.error().message;
    EXPECT_EQ(put->datapoints, 1U) << c.late_ms;
    EXPECT_EQ(minute_of(*f.alarms, kSeedKey, kNowMs - c.late_ms)->sum, 1) << "placed by event time, " << c.late_ms;
    EXPECT_EQ(put->transitions.size(), c.on_arrival ? 1U : 0U) << c.late_ms;
    f.clock.set(kT0 * 1000 + kMinute);
    ASSERT_TRUE(f.alarms->tick());
    EXPECT_EQ(f.alarms->alarm("SecurityGroupChangesAlarm")->state == AlarmState::kAlarm, c.at_boundary) << c.late_ms;
  }
}

// Out of order: a newer event first, an older one after; both are placed by their own times and
// the window's Sum counts both.
TEST(LogsEngineMetricFilters, OutOfOrderEventsArePlacedByTheirOwnTimes) {
  Fixture f;
  f.group("g");
  f.stream("g", "s");
  f.stream("g", "t");
  f.filter("g", "SecurityGroupEventCount", kSeedPattern);
  ASSERT_TRUE(f.put("g", "s", {{kNowMs - 1000, kIngress}}));
  ASSERT_TRUE(f.put("g", "t", {{kNowMs - 3 * kMinute, kIngress}}));
  EXPECT_EQ(minute_of(*f.alarms, kSeedKey, kNowMs - 1000)->sum, 1);
  EXPECT_EQ(minute_of(*f.alarms, kSeedKey, kNowMs - 3 * kMinute)->sum, 1);
}

TEST(LogsEngineMetricFilters, DefaultValueDimensionsAndUnits) {
  Fixture f;
  f.group("g");
  f.stream("g", "s");
  pattern::MetricTransformation with_default = seed_transformation();
  with_default.metric_name = "WithDefault";
  with_default.default_value = 0;
  f.filter("g", "with-default", kSeedPattern, with_default);
  pattern::MetricTransformation by_name = seed_transformation();
  by_name.metric_name = "ByName";
  by_name.metric_value = "$.count";
  by_name.dimensions = {{"EventName", "$.eventName"}, {"Account", "$.recipientAccountId"}};
  by_name.unit = "Count";
  f.filter("g", "by-name", R"({ $.count = * })", by_name);

  // One match and three misses in one second: SampleCount 4, Sum 1 (the misses are one set).
  const std::int64_t t = kNowMs - 30000;
  auto put = f.put("g", "s", {{t, kIngress}, {t, kDescribe}, {t, "plain text"}, {t, R"({"eventName":"X","count":"2.5"})"}});
  ASSERT_TRUE(put) << put.error().message;
  const metrics::SeriesKey default_key{"CISBenchmark", "WithDefault", {}};
  auto set = minute_of(*f.alarms, default_key, t);
  ASSERT_TRUE(set);
  EXPECT_EQ(set->sample_count, 4);
  EXPECT_EQ(set->sum, 1);
  // with-default: 1 match + 1 set of 3 defaults; by-name: 1 match. Dimensions only those found.
  EXPECT_EQ(put->datapoints, 3U);
  const metrics::SeriesKey by_name_key{"CISBenchmark", "ByName", {{"EventName", "X"}}};
  auto value = minute_of(*f.alarms, by_name_key, t);
  ASSERT_TRUE(value);
  EXPECT_EQ(value->sum, 2.5);

  // The filter is described as it was put, with its dimensions in order.
  auto described = f.logs->describe_metric_filters({});
  ASSERT_TRUE(described);
  ASSERT_EQ(described->metric_filters.size(), 2U);
  const auto& d = described->metric_filters[0];
  EXPECT_EQ(d.filter_name, "by-name");
  EXPECT_EQ(d.metric_transformations[0].metric_value, "$.count");
  EXPECT_EQ(d.metric_transformations[0].dimensions, by_name.dimensions);
  EXPECT_EQ(d.metric_transformations[0].unit, "Count");
  EXPECT_EQ(described->metric_filters[1].metric_transformations[0].default_value, 0.0);
}

TEST(LogsEngineMetricFilters, PutMetricFilterValidation) {
  Fixture f;
  EXPECT_EQ(failure(f.logs->put_metric_filter({"no-such-group", "SecurityGroupEventCount", kSeedPattern, {seed_transformation()}})),
            (std::pair<std::string, std::string>{"ResourceNotFoundException", "The specified log group does not exist."}));
  f.group("g");
  EXPECT_EQ(failure(f.logs->put_metric_filter({"g", "f", "{ $.eventName = ", {seed_transformation()}})).first,
            "InvalidParameterException");
  EXPECT_EQ(failure(f.logs->put_metric_filter({"g", "f", "ERR*", {seed_transformation()}})),
            invalid("Invalid character(s) in term '*'"));
  EXPECT_EQ(failure(f.logs->put_metric_filter({"g", "f", kSeedPattern, {}})),
            invalid("1 validation error detected: Value at 'metricTransformations' failed to satisfy constraint: "
                    "Member must have length greater than or equal to 1"));
  EXPECT_EQ(failure(f.logs->put_metric_filter({"g", "f", kSeedPattern, {seed_transformation(), seed_transformation()}})).first,
            "InvalidParameterException");
  EXPECT_EQ(failure(f.logs->put_metric_filter({"g", "a:b", kSeedPattern, {seed_transformation()}})),
            invalid("1 validation error detected: Value 'a:b' at 'filterName' failed to satisfy constraint: Member "
                    "must satisfy regular expression pattern: [^:*]*"));
  EXPECT_EQ(failure(f.logs->put_metric_filter({"g", "f", std::string(1025, 'a'), {seed_transformation()}})).first,
            "InvalidParameterException");
  pattern::MetricTransformation bad_value = seed_transformation();
  bad_value.metric_value = "length";
  EXPECT_EQ(failure(f.logs->put_metric_filter({"g", "f", kSeedPattern, {bad_value}})).first, "InvalidParameterException");

  // 100 filters per group; replacing one of them is not a new one.
  for (int i = 0; i < 100; ++i) f.filter("g", "filter-" + std::to_string(i), "ERROR");
  EXPECT_EQ(failure(f.logs->put_metric_filter({"g", "one-more", "ERROR", {seed_transformation()}})),
            (std::pair<std::string, std::string>{"LimitExceededException", "Resource limit exceeded."}));
  EXPECT_TRUE(f.logs->put_metric_filter({"g", "filter-7", "WARN", {seed_transformation()}}));
  EXPECT_EQ(f.logs->describe_log_groups({})->log_groups[0].metric_filter_count, 100);

  // At most 5 regex-bearing patterns per group.
  f.group("r");
  for (int i = 0; i < 5; ++i) f.filter("r", "re-" + std::to_string(i), "%ERR[0-9]%");
  EXPECT_EQ(failure(f.logs->put_metric_filter({"r", "re-5", R"({ $.a = %x% })", {seed_transformation()}})).first,
            "LimitExceededException");
  EXPECT_TRUE(f.logs->put_metric_filter({"r", "re-4", "%WARN%", {seed_transformation()}}));
  EXPECT_TRUE(f.logs->put_metric_filter({"r", "plain", "WARN", {seed_transformation()}}));
}

TEST(LogsEngineMetricFilters, ReplaceDescribeAndDelete) {
  Fixture f;
  f.group("a");
  f.group("b");
  f.stream("a", "s");
  f.filter("a", "SecurityGroupEventCount", kSeedPattern);
  f.clock.advance(1000);
  pattern::MetricTransformation other = seed_transformation();
  other.metric_name = "Other";
  other.metric_namespace = "Ns";
  f.filter("a", "errors", "ERROR", other);
  f.filter("b", "SecurityGroupEventCount", kSeedPattern);

  DescribeMetricFiltersRequest r;
  r.log_group_name = "a";
  auto found = f.logs->describe_metric_filters(r);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->metric_filters.size(), 2U);
  EXPECT_EQ(found->metric_filters[0].filter_name, "SecurityGroupEventCount");
  EXPECT_EQ(found->metric_filters[0].filter_pattern, kSeedPattern);
  EXPECT_EQ(found->metric_filters[0].log_group_name, "a");
  EXPECT_EQ(found->metric_filters[0].creation_time, kNowMs);
  EXPECT_FALSE(found->metric_filters[0].apply_on_transformed_logs);
  EXPECT_EQ(found->metric_filters[0].metric_transformations[0].metric_value, "1");

  r.filter_name_prefix = "err";
  EXPECT_EQ(f.logs->describe_metric_filters(r)->metric_filters.size(), 1U);
  DescribeMetricFiltersRequest by_metric;
  by_metric.metric_name = "SecurityGroupEventCount";
  by_metric.metric_namespace = "CISBenchmark";
  found = f.logs->describe_metric_filters(by_metric);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->metric_filters.size(), 2U);
  EXPECT_EQ(found->metric_filters[1].log_group_name, "b");
  by_metric.metric_namespace.reset();
  EXPECT_EQ(failure(f.logs->describe_metric_filters(by_metric)).first, "InvalidParameterException");
  DescribeMetricFiltersRequest missing;
  missing.log_group_name = "zzz";
  EXPECT_EQ(failure(f.logs->describe_metric_filters(missing)).first, "ResourceNotFoundException");

  // Pages of one over all groups.
  DescribeMetricFiltersRequest page;
  page.limit = 1;
  std::vector<std::string> seen;
  while (true) {
    auto answer = f.logs->describe_metric_filters(page);
    ASSERT_TRUE(answer);
    for (const auto& m : answer->metric_filters) seen.push_back(m.log_group_name + "/" + m.filter_name);
    if (!answer->next_token) break;
    page.next_token = answer->next_token;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a/SecurityGroupEventCount", "a/errors", "b/SecurityGroupEventCount"}));

  // Replacing keeps the creation time and changes what is published.
  f.clock.advance(1000);
  f.filter("a", "SecurityGroupEventCount", "Authorize", other);
  r.filter_name_prefix = "Sec";
  found = f.logs->describe_metric_filters(r);
  EXPECT_EQ(found->metric_filters[0].filter_pattern, "Authorize");
  EXPECT_EQ(found->metric_filters[0].creation_time, kNowMs);
  auto put = f.put("a", "s", {{kNowMs, kIngress}});
  ASSERT_TRUE(put);
  EXPECT_EQ(put->datapoints, 1U);
  EXPECT_FALSE(minute_of(*f.alarms, kSeedKey, kNowMs).has_value());

  EXPECT_EQ(failure(f.logs->delete_metric_filter("a", "nope")),
            (std::pair<std::string, std::string>{"ResourceNotFoundException", "The specified metric filter does not exist."}));
  ASSERT_TRUE(f.logs->delete_metric_filter("a", "SecurityGroupEventCount"));
  put = f.put("a", "s", {{kNowMs, kIngress}});
  ASSERT_TRUE(put);
  EXPECT_EQ(put->datapoints, 0U);
  EXPECT_EQ(f.logs->describe_log_groups({})->log_groups[0].metric_filter_count, 1);
}

// ---- TestMetricFilter ------------------------------------------------------------------------

TEST(LogsEngineTestMetricFilter, TheFixtureAndExtractedValues) {
  auto matches = LogsEngine::test_metric_filter(
      kSeedPattern, {R"({"eventName":"AuthorizeSecurityGroupIngress"})", R"({"eventName":"DescribeInstances"})"});
  ASSERT_TRUE(matches);
  ASSERT_EQ(matches->size(), 1U);
  EXPECT_EQ((*matches)[0].event_number, 1);
  EXPECT_EQ((*matches)[0].event_message, R"({"eventName":"AuthorizeSecurityGroupIngress"})");
  EXPECT_TRUE((*matches)[0].extracted_values.empty());

  matches = LogsEngine::test_metric_filter("[ip, user, status = 4*, ...]",
                                           {"10.0.0.1 alice 200 GET /", "10.0.0.2 bob 404 GET /missing x"});
  ASSERT_TRUE(matches);
  ASSERT_EQ(matches->size(), 1U);
  EXPECT_EQ((*matches)[0].event_number, 2);
  const std::map<std::string, std::string> extracted((*matches)[0].extracted_values.begin(),
                                                     (*matches)[0].extracted_values.end());
  EXPECT_EQ(extracted.at("$ip"), "10.0.0.2");
  EXPECT_EQ(extracted.at("$status"), "404");

  EXPECT_EQ(failure(LogsEngine::test_metric_filter("ERROR", {})),
            invalid("1 validation error detected: Value '[]' at 'logEventMessages' failed to satisfy constraint: "
                    "Member must have length greater than or equal to 1"));
  EXPECT_EQ(failure(LogsEngine::test_metric_filter("ERROR", std::vector<std::string>(51, "x"))).first,
            "InvalidParameterException");
  EXPECT_EQ(failure(LogsEngine::test_metric_filter("ERROR", {"a", ""})),
            invalid("1 validation error detected: Value '' at 'logEventMessages.2.member' failed to satisfy "
                    "constraint: Member must have length greater than or equal to 1"));
  EXPECT_EQ(failure(LogsEngine::test_metric_filter("%[abc%", {"a"})), invalid("Failed to compile regular expression."));
}

// Every line of the filter-pattern conformance file: match lines through TestMetricFilter (match
// and extractedValues), validity lines through TestMetricFilter or, with a transformation,
// PutMetricFilter.
TEST(LogsEngineTestMetricFilter, AgreesWithTheConformanceVectors) {
  Fixture f;
  f.group("conformance");
  int checked = 0;
  for (const auto& v : sgwatch::testing::load_pattern_vectors()) {
    SCOPED_TRACE(v.id + ": " + v.pattern);
    const auto transformation = sgwatch::testing::transformation_of(v);
    if (v.valid) {
      bool accepted = false;
      if (transformation) {
        accepted = f.logs->put_metric_filter({"conformance", "f-" + v.id, v.pattern, {*transformation}}).ok();
      } else {
        auto answer = LogsEngine::test_metric_filter(v.pattern, {"probe"});
        accepted = answer.ok();
        if (!accepted) {
          EXPECT_EQ(answer.error().code, "InvalidParameterException");
        }
      }
      EXPECT_EQ(accepted, *v.valid);
      ++checked;
      continue;
    }
    ASSERT_TRUE(v.event && v.match);
    auto answer = LogsEngine::test_metric_filter(v.pattern, {*v.event});
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(answer->size(), *v.match ? 1U : 0U);
    if (*v.match && !answer->empty()) {
      EXPECT_EQ((*answer)[0].event_number, 1);
      EXPECT_EQ((*answer)[0].event_message, *v.event);
      if (v.row.contains("extracted")) {
        const std::map<std::string, std::string> got((*answer)[0].extracted_values.begin(),
                                                     (*answer)[0].extracted_values.end());
        std::map<std::string, std::string> want;
        for (const auto& [name, value] : v.row["extracted"].items()) want[name] = value.get<std::string>();
        EXPECT_EQ(got, want);
      }
    }
    ++checked;
  }
  EXPECT_EQ(checked, 352);
}

// Lines with a metric value: the event through PutLogEvents reaches the alarm engine's series with
// the expected value and dimensions (or publishes nothing).
TEST(LogsEngineTestMetricFilter, ConformanceValuesThroughPutLogEvents) {
  Fixture f;
  f.group("values");
  f.stream("values", "s");
  int checked = 0;
  for (const auto& v : sgwatch::testing::load_pattern_vectors()) {
    auto transformation = sgwatch::testing::transformation_of(v);
    if (!transformation || v.valid || !v.event) continue;
    SCOPED_TRACE(v.id + ": " + v.pattern);
    transformation->metric_name = "M-" + v.id;
    f.filter("values", "f-" + v.id, v.pattern, *transformation);
    const std::int64_t t = kNowMs - 60000 + checked;
    auto put = f.put("values", "s", {{t, *v.event}});
    ASSERT_TRUE(put) << put.error().message;
    ASSERT_TRUE(f.logs->delete_metric_filter("values", "f-" + v.id));
    std::optional<double> published;
    std::map<std::string, std::string> dimensions;
    for (const auto& [key, buckets] : f.alarms->series().series()) {
      if (key.name != transformation->metric_name) continue;
      auto set = minute_of(*f.alarms, key, t);
      ASSERT_TRUE(set);
      published = set->sum;
      dimensions = std::map<std::string, std::string>(key.dimensions.begin(), key.dimensions.end());
    }
    if (v.row.contains("value")) {
      ASSERT_TRUE(published.has_value());
      EXPECT_DOUBLE_EQ(*published, v.row["value"].get<double>());
    } else if (!*v.match && !transformation->default_value) {
      EXPECT_FALSE(published.has_value());
    }
    if (v.row.contains("expectedDimensions")) {
      std::map<std::string, std::string> want;
      for (const auto& [name, value] : v.row["expectedDimensions"].items()) want[name] = value.get<std::string>();
      EXPECT_EQ(dimensions, want);
    }
    ++checked;
  }
  EXPECT_GT(checked, 10);
}

// ---- reading events --------------------------------------------------------------------------

TEST(LogsEngineRead, FilterLogEventsTheFixture) {
  Fixture f;
  f.group("my-log-group");
  f.stream("my-log-group", "my-stream");
  const std::int64_t t = kNowMs - 5000;
  ASSERT_TRUE(f.put("my-log-group", "my-stream",
                    {{t, R"({"eventName":"AuthorizeSecurityGroupIngress","eventSource":"ec2.amazonaws.com"})"},
                     {t + 1000, R"({"eventName":"DescribeInstances","eventSource":"ec2.amazonaws.com"})"}}));
  FilterLogEventsRequest r;
  r.log_group_name = "my-log-group";
  r.start_time = t;
  r.filter_pattern = kSeedPattern;
  auto found = f.logs->filter_log_events(r);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->events.size(), 1U);
  const FilteredLogEvent& e = found->events[0];
  EXPECT_EQ(e.log_stream_name, "my-stream");
  EXPECT_EQ(e.timestamp, t);
  EXPECT_EQ(e.message, R"({"eventName":"AuthorizeSecurityGroupIngress","eventSource":"ec2.amazonaws.com"})");
  EXPECT_EQ(e.ingestion_time, kNowMs);
  EXPECT_EQ(e.event_id.size(), 56U);
  EXPECT_EQ(e.event_id.find_first_not_of("0123456789"), std::string::npos);
  ASSERT_EQ(found->searched_log_streams.size(), 1U);
  EXPECT_EQ(found->searched_log_streams[0].log_stream_name, "my-stream");
  EXPECT_TRUE(found->searched_log_streams[0].searched_completely);
  EXPECT_FALSE(found->next_token.has_value());

  r.filter_pattern = "{ $.eventName = ";
  EXPECT_EQ(failure(f.logs->filter_log_events(r)).first, "InvalidParameterException");
  r.filter_pattern = "ERR*";
  EXPECT_EQ(failure(f.logs->filter_log_events(r)), invalid("Invalid character(s) in term '*'"));
  r.filter_pattern.reset();
  r.next_token = "e1.12";
  EXPECT_EQ(failure(f.logs->filter_log_events(r)), invalid("The specified nextToken is invalid."));
  r.next_token.reset();
  r.limit = 10001;
  EXPECT_EQ(failure(f.logs->filter_log_events(r)).first, "InvalidParameterException");
  r.limit.reset();
  r.log_group_name.reset();
  r.log_group_identifier = "arn:aws:logs:us-west-2:123456789012:log-group:my-log-group";
  EXPECT_EQ(f.logs->filter_log_events(r)->events.size(), 2U);
  r.log_group_identifier = "missing";
  EXPECT_EQ(failure(f.logs->filter_log_events(r)).first, "ResourceNotFoundException");
}

TEST(LogsEngineRead, FilterLogEventsRangesStreamsAndPages) {
  Fixture f;
  f.group("g");
  for (const char* s : {"web-1", "web-2", "db-1"}) f.stream("g", s);
  const std::int64_t t = kNowMs - 60000;
  ASSERT_TRUE(f.put("g", "web-1", {{t, "w1-a ERROR"}, {t + 20, "w1-b"}, {t + 40, "w1-c ERROR"}}));
  ASSERT_TRUE(f.put("g", "web-2", {{t + 10, "w2-a"}, {t + 30, "w2-b ERROR"}}));
  ASSERT_TRUE(f.put("g", "db-1", {{t + 20, "d-a ERROR"}}));

  // Interleaved by timestamp (ties by arrival).
  EXPECT_EQ(f.messages("g"), (std::vector<std::string>{"w1-a ERROR", "w2-a", "w1-b", "d-a ERROR", "w2-b ERROR", "w1-c ERROR"}));
  FilterLogEventsRequest range;
  range.start_time = t + 10;  // inclusive
  range.end_time = t + 30;    // inclusive
  EXPECT_EQ(f.messages("g", range), (std::vector<std::string>{"w2-a", "w1-b", "d-a ERROR", "w2-b ERROR"}));
  FilterLogEventsRequest names;
  names.log_stream_names = std::vector<std::string>{"web-2", "db-1", "absent"};
  EXPECT_EQ(f.messages("g", names), (std::vector<std::string>{"w2-a", "d-a ERROR", "w2-b ERROR"}));
  FilterLogEventsRequest prefix;
  prefix.log_stream_name_prefix = "web";
  prefix.filter_pattern = "ERROR";
  EXPECT_EQ(f.messages("g", prefix), (std::vector<std::string>{"w1-a ERROR", "w2-b ERROR", "w1-c ERROR"}));
  auto searched = f.logs->filter_log_events([&] {
    FilterLogEventsRequest r = prefix;
    r.log_group_name = "g";
    return r;
  }());
  ASSERT_TRUE(searched);
  ASSERT_EQ(searched->searched_log_streams.size(), 2U);
  EXPECT_EQ(searched->searched_log_streams[0].log_stream_name, "web-1");
  prefix.log_stream_names = std::vector<std::string>{"web-1"};
  prefix.log_group_name = "g";
  EXPECT_EQ(failure(f.logs->filter_log_events(prefix)).first, "InvalidParameterException");

  // Pages of two with a pattern; the tokens carry on exactly where the last page stopped.
  FilterLogEventsRequest page;
  page.log_group_name = "g";
  page.filter_pattern = "ERROR";
  page.limit = 2;
  std::vector<std::string> seen;
  int pages = 0;
  while (true) {
    auto answer = f.logs->filter_log_events(page);
    ASSERT_TRUE(answer);
    ++pages;
    for (const auto& e : answer->events) seen.push_back(e.message);
    if (!answer->next_token) {
      EXPECT_TRUE(answer->searched_log_streams[0].searched_completely);
      break;
    }
    EXPECT_FALSE(answer->searched_log_streams[0].searched_completely);
    page.next_token = answer->next_token;
  }
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(seen, (std::vector<std::string>{"w1-a ERROR", "d-a ERROR", "w2-b ERROR", "w1-c ERROR"}));
}

TEST(LogsEngineRead, FilterLogEventsScanLimitGivesPartialPages) {
  LogsOptions options;
  options.filter_scan_limit = 3;
  Fixture f(options);
  f.group("g");
  f.stream("g", "s");
  std::vector<std::pair<std::int64_t, std::string>> events;
  for (int i = 0; i < 8; ++i) events.emplace_back(kNowMs - 100 + i, i == 6 ? "needle" : "hay");
  ASSERT_TRUE(f.put("g", "s", events));
  FilterLogEventsRequest r;
  r.log_group_name = "g";
  r.filter_pattern = "needle";
  std::vector<std::size_t> sizes;
  while (true) {
    auto answer = f.logs->filter_log_events(r);
    ASSERT_TRUE(answer);
    sizes.push_back(answer->events.size());
    if (!answer->next_token) break;
    r.next_token = answer->next_token;
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{0, 0, 1}));
}

TEST(LogsEngineRead, GetLogEventsBothDirections) {
  Fixture f;
  f.group("g");
  f.stream("g", "s");
  std::vector<std::pair<std::int64_t, std::string>> events;
  for (int i = 0; i < 5; ++i) events.emplace_back(kNowMs - 1000 + i * 10, "e" + std::to_string(i));
  ASSERT_TRUE(f.put("g", "s", events));
  auto texts = [](const GetLogEventsResult& r) {
    std::vector<std::string> out;
    for (const auto& e : r.events) out.push_back(e.message);
    return out;
  };
  GetLogEventsRequest r;
  r.log_group_name = "g";
  r.log_stream_name = "s";
  r.limit = 2;
  auto tail = f.logs->get_log_events(r);  // the newest events by default
  ASSERT_TRUE(tail);
  EXPECT_EQ(texts(*tail), (std::vector<std::string>{"e3", "e4"}));
  EXPECT_EQ(tail->events[0].timestamp, kNowMs - 970);
  EXPECT_EQ(tail->events[0].ingestion_time, kNowMs);

  r.next_token = tail->next_backward_token;
  auto earlier = f.logs->get_log_events(r);
  ASSERT_TRUE(earlier);
  EXPECT_EQ(texts(*earlier), (std::vector<std::string>{"e1", "e2"}));
  r.next_token = tail->next_forward_token;
  auto end = f.logs->get_log_events(r);
  ASSERT_TRUE(end);
  EXPECT_TRUE(end->events.empty());
  EXPECT_EQ(end->next_forward_token, *r.next_token);  // the end: the same token again

  GetLogEventsRequest head;
  head.log_group_name = "g";
  head.log_stream_name = "s";
  head.start_from_head = true;
  head.limit = 3;
  auto first = f.logs->get_log_events(head);
  EXPECT_EQ(texts(*first), (std::vector<std::string>{"e0", "e1", "e2"}));
  head.next_token = first->next_forward_token;
  EXPECT_EQ(texts(*f.logs->get_log_events(head)), (std::vector<std::string>{"e3", "e4"}));
  head.next_token.reset();
  head.start_time = kNowMs - 990;
  head.end_time = kNowMs - 970;  // exclusive
  EXPECT_EQ(texts(*f.logs->get_log_events(head)), (std::vector<std::string>{"e1", "e2"}));
  head.log_stream_name = "missing";
  EXPECT_EQ(failure(f.logs->get_log_events(head)).first, "ResourceNotFoundException");
  head.log_stream_name = "s";
  head.next_token = "x/1/2";
  EXPECT_EQ(failure(f.logs->get_log_events(head)), invalid("The specified nextToken is invalid."));
  head.next_token = "f/1/9223372036854775807";
  EXPECT_EQ(failure(f.logs->get_log_events(head)), invalid("The specified nextToken is invalid."));
}

// ---- durability ------------------------------------------------------------------------------

TEST(LogsEngineDurability, GroupsFiltersAndEventsSurviveARestart) {
  Fixture f;
  ASSERT_TRUE(f.alarms->put_alarm(seed_alarm()));
  f.group("my-log-group", 30);
  f.stream("my-log-group", "my-stream");
  f.filter("my-log-group", "SecurityGroupEventCount", kSeedPattern);
  ASSERT_TRUE(f.put("my-log-group", "my-stream", {{kNowMs - 1000, kDescribe}}));
  f.reopen();

  auto groups = f.logs->describe_log_groups({});
  ASSERT_EQ(groups->log_groups.size(), 1U);
  EXPECT_EQ(groups->log_groups[0].retention_in_days, 30);
  EXPECT_EQ(groups->log_groups[0].metric_filter_count, 1);
  EXPECT_EQ(groups->log_groups[0].stored_bytes, static_cast<std::int64_t>(kDescribe.size()));
  EXPECT_EQ(f.messages("my-log-group"), std::vector<std::string>{kDescribe});
  EXPECT_TRUE(f.logs->problems().empty());
  DescribeLogStreamsRequest streams;
  streams.log_group_name = "my-log-group";
  EXPECT_EQ(f.logs->describe_log_streams(streams)->log_streams.at(0).last_event_timestamp, kNowMs - 1000);

  // The reloaded filter still feeds the alarm.
  auto fired = f.put("my-log-group", "my-stream", {{kNowMs - 500, kIngress}});
  ASSERT_TRUE(fired);
  ASSERT_EQ(fired->transitions.size(), 1U);
  EXPECT_EQ(fired->transitions[0].to, AlarmState::kAlarm);
}

TEST(LogsEngineDurability, EventsAndDatapointsAreOneTransaction) {
  Fixture f;
  ASSERT_TRUE(f.alarms->put_alarm(seed_alarm()));
  f.group("g");
  f.stream("g", "s");
  f.filter("g", "SecurityGroupEventCount", kSeedPattern);
  // Make the events' insert fail behind the engine's back: the datapoint must not land either.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((f.dir.path() / "state.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TRIGGER refuse BEFORE INSERT ON log_events BEGIN SELECT RAISE(ABORT, 'refused'); END",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto failed = f.put("g", "s", {{kNowMs - 1000, kIngress}});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "InternalFailure");
  EXPECT_EQ(f.alarms->alarm("SecurityGroupChangesAlarm")->state, AlarmState::kInsufficientData);
  EXPECT_TRUE(f.alarms->series().empty());
  DescribeLogStreamsRequest streams;
  streams.log_group_name = "g";
  EXPECT_FALSE(f.logs->describe_log_streams(streams)->log_streams.at(0).last_event_timestamp.has_value());
  f.reopen();
  EXPECT_TRUE(f.alarms->series().empty());
  EXPECT_TRUE(f.messages("g").empty());
}

TEST(LogsEngineDurability, CheckpointCommitsWithTheEvents) {
  Fixture f;
  f.group("g");
  f.stream("g", "s");
  PutLogEventsRequest r{"g", "s", {InputLogEvent{kNowMs, "x"}}, std::nullopt};
  ASSERT_TRUE(f.logs->put_log_events(r, Checkpoint{"trail", "file-7:3"}));
  EXPECT_EQ(**f.alarms->checkpoint("trail"), "file-7:3");
}

TEST(LogsEngineDurability, TickPrunesPastRetention) {
  Fixture f;
  f.group("short", 1);
  f.group("default");  // no retention: sgwatch keeps 30 days
  f.stream("short", "s");
  f.stream("default", "s");
  ASSERT_TRUE(f.put("short", "s", {{kNowMs - 20 * 3600 * 1000, "old"}, {kNowMs, "new"}}));
  ASSERT_TRUE(f.put("default", "s", {{kNowMs - 13 * kDay, "kept"}}));
  ASSERT_EQ(*f.logs->tick(), 0);  // nothing expired yet
  f.clock.advance(30 * 60 * 1000);
  EXPECT_EQ(*f.logs->tick(), 0);  // within the prune interval: nothing done
  f.clock.advance(4 * 3600 * 1000 + 30 * 60 * 1000);
  EXPECT_EQ(*f.logs->tick(), 3);  // "old" is now past one day
  EXPECT_EQ(f.messages("short"), std::vector<std::string>{"new"});
  EXPECT_EQ(f.logs->describe_log_groups({})->log_groups[1].stored_bytes, 3);
  f.clock.advance(17 * kDay);
  EXPECT_EQ(*f.logs->tick(), 7);  // "new" and "kept" (past 30 days)
  EXPECT_TRUE(f.messages("default").empty());
}

// ---- the cause -------------------------------------------------------------------------------

TEST(LogsEngineCause, CloudTrailFieldsOrTheBoundedMessage) {
  pattern::Subject subject(kIngress);
  const Json cause = Json::parse(cause_summary(subject, "g", "s", 1234));
  EXPECT_EQ(cause, (Json{{"logGroupName", "g"},
                         {"logStreamName", "s"},
                         {"timestamp", 1234},
                         {"eventTime", "2026-11-20T08:59:30Z"},
                         {"eventName", "AuthorizeSecurityGroupIngress"},
                         {"eventSource", "ec2.amazonaws.com"},
                         {"awsRegion", "us-west-2"},
                         {"recipientAccountId", "123456789012"},
                         {"userIdentity", {{"arn", "arn:aws:iam::123456789012:user/alice"}, {"type", "IAMUser"}}},
                         {"sourceIPAddress", "203.0.113.7"},
                         {"userAgent", "aws-cli/2.9.19"},
                         {"requestParameters",
                          {{"groupId", "sg-0123456789abcdef0"}, {"ipPermissions", {{"items", Json::array()}}}}},
                         {"eventID", "5b3e1e0c-0000-4000-8000-000000000001"},
                         // The normalized change (sg::normalize): an Authorize naming no rule.
                         {"sg", {{"severity", "medium"},
                                 {"reason", "shape not understood: no rule found in the event"},
                                 {"exposure", Json::array()}}}}));

  // The rules changed (flat form) and the MFA flag come along.
  pattern::Subject flat(
      R"({"eventVersion":"1.08","eventName":"AuthorizeSecurityGroupIngress","eventSource":"ec2.amazonaws.com",)"
      R"("userIdentity":{"arn":"arn:aws:iam::1:user/a","sessionContext":{"attributes":{"mfaAuthenticated":"false"}}},)"
      R"("requestParameters":{"groupId":"sg-1","ipProtocol":"tcp","fromPort":22,"toPort":22,"cidrIp":"0.0.0.0/0"}})");
  const Json flat_cause = Json::parse(cause_summary(flat, "g", "s", 1));
  EXPECT_EQ(flat_cause["requestParameters"],
            (Json{{"groupId", "sg-1"}, {"ipProtocol", "tcp"}, {"fromPort", "22"}, {"toPort", "22"}, {"cidrIp", "0.0.0.0/0"}}));
  EXPECT_EQ(flat_cause["userIdentity"]["mfaAuthenticated"], "false");

  pattern::Subject text("ERROR disk full");
  EXPECT_EQ(Json::parse(cause_summary(text, "g", "s", 1))["message"], "ERROR disk full");

  // 4,095 ASCII bytes then a two-byte character: cut before it, not inside it.
  const std::string long_message = std::string(4095, 'a') + "\xc3\xa9" + "tail";
  pattern::Subject big(long_message);
  const Json bounded = Json::parse(cause_summary(big, "g", "s", 1));
  EXPECT_EQ(bounded["message"].get<std::string>().size(), 4095U);
  EXPECT_EQ(bounded["truncated"], true);
  EXPECT_FALSE(bounded.contains("eventName"));
}

}  // namespace
}  // namespace sgwatch::engine
