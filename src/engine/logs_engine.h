// LogsEngine: the CloudWatch Logs side of sgwatch — log groups, log streams, log events and metric
// filters over the state store, with AWS's validation, error codes, messages and pagination.
// PutLogEvents runs every metric filter of the group on each accepted event (one pattern::Subject
// shared by the filters) and hands the data points to the AlarmEngine, whose transaction also
// stores the events: events, data points and the alarm transitions they cause land together.
// Pure logic, no HTTP: the serve API (src/api) and the CLI call it. Not thread-safe: the owner of
// the store serialises calls to both engines. docs/logs.md describes the model and its limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alarms/live.h"
#include "aws/errors.h"
#include "core/clock.h"
#include "core/result.h"
#include "engine/alarm_engine.h"
#include "pattern/pattern.h"
#include "scan/literal_index.h"
#include "store/store.h"

namespace sgwatch::engine {

// Errors are AWS's JSON 1.1 answers: `code` is the __type (InvalidParameterException,
// ResourceNotFoundException, ResourceAlreadyExistsException, LimitExceededException; a store
// failure is InternalFailure, 500) and `message` AWS's text.
template <typename T>
using LogsResult = core::Result<T, aws::WireError>;

struct LogsOptions {
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  // Events of a group without a retention policy are pruned after this many days (AWS keeps them
  // forever; sgwatch's state store is not an archive).
  int default_retention_days = 30;
  std::int64_t prune_interval_ms = 3600 * 1000;  // how often tick() prunes expired events
  // FilterLogEvents examines at most this many stored events per call; past it the answer carries
  // a nextToken even when it holds no events (as AWS does on large groups).
  std::int64_t filter_scan_limit = 100000;
};

// ---- log groups ------------------------------------------------------------------------------

inline constexpr std::size_t kMaxLogGroupName = 512;
inline constexpr std::size_t kMaxMetricFiltersPerGroup = 100;
inline constexpr std::size_t kMaxRegexFiltersPerGroup = 5;

struct CreateLogGroupRequest {
  std::string log_group_name;
  std::optional<std::string> kms_key_id;
  std::map<std::string, std::string> tags;
  std::optional<std::string> log_group_class;  // STANDARD (default) or INFREQUENT_ACCESS
  // Not a CreateLogGroup member (AWS sets it with PutRetentionPolicy); for config files.
  std::optional<int> retention_in_days;
};

// A DescribeLogGroups member. With logGroupNamePattern AWS answers only logGroupName,
// creationTime and arn: the other members are then left unset.
struct LogGroup {
  std::string log_group_name;
  std::int64_t creation_time = 0;
  std::optional<int> retention_in_days;
  std::optional<int> metric_filter_count;
  std::string arn;  // arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*
  std::optional<std::int64_t> stored_bytes;
  std::optional<std::string> kms_key_id;
  std::optional<std::string> log_group_class;
  std::optional<std::string> log_group_arn;  // the arn without ":*"
};

struct DescribeLogGroupsRequest {
  std::optional<std::string> log_group_name_prefix;
  std::optional<std::string> log_group_name_pattern;  // case-insensitive substring
  std::optional<int> limit;                           // 1..50, default 50
  std::optional<std::string> next_token;
};

struct DescribeLogGroupsResult {
  std::vector<LogGroup> log_groups;
  std::optional<std::string> next_token;
};

// ---- log streams -----------------------------------------------------------------------------

struct LogStream {
  std::string log_stream_name;
  std::int64_t creation_time = 0;
  std::optional<std::int64_t> first_event_timestamp;
  std::optional<std::int64_t> last_event_timestamp;
  std::optional<std::int64_t> last_ingestion_time;
  std::string upload_sequence_token;
  std::string arn;  // arn:aws:logs:REGION:ACCOUNT:log-group:GROUP:log-stream:NAME
  std::int64_t stored_bytes = 0;  // always 0, as AWS reports it since 2019
};

// Log groups are named by logGroupName or logGroupIdentifier (name or ARN), exactly one of them.
struct DescribeLogStreamsRequest {
  std::optional<std::string> log_group_name;
  std::optional<std::string> log_group_identifier;
  std::optional<std::string> log_stream_name_prefix;
  std::optional<std::string> order_by;  // LogStreamName (default) or LastEventTime
  bool descending = false;
  std::optional<int> limit;  // 1..50, default 50
  std::optional<std::string> next_token;
};

struct DescribeLogStreamsResult {
  std::vector<LogStream> log_streams;
  std::optional<std::string> next_token;
};

// ---- PutLogEvents ----------------------------------------------------------------------------

inline constexpr std::size_t kMaxBatchEvents = 10000;
inline constexpr std::size_t kMaxBatchBytes = 1048576;
inline constexpr std::size_t kMaxEventBytes = 262144;
inline constexpr std::size_t kEventOverheadBytes = 26;

// One event to ingest. The message is a view: the caller keeps its bytes alive during the call.
struct InputLogEvent {
  std::int64_t timestamp = 0;  // ms since the epoch
  std::string_view message;
};

struct PutLogEventsRequest {
  std::string log_group_name;
  std::string log_stream_name;
  std::vector<InputLogEvent> log_events;
  std::optional<std::string> sequence_token;  // accepted and ignored, as AWS does since 2023
};

// Indexes into the request's events (rejected events are not stored, the call still succeeds).
struct RejectedLogEventsInfo {
  std::optional<int> too_new_log_event_start_index;
  std::optional<int> too_old_log_event_end_index;
  std::optional<int> expired_log_event_end_index;
};

struct PutLogEventsResult {
  std::string next_sequence_token;
  std::optional<RejectedLogEventsInfo> rejected_log_events_info;
  // Not part of AWS's answer: what the call caused, for the notifier and for tests.
  std::size_t accepted_events = 0;
  std::size_t datapoints = 0;
  std::vector<alarms::Transition> transitions;
};

// ---- metric filters --------------------------------------------------------------------------

struct PutMetricFilterRequest {
  std::string log_group_name;
  std::string filter_name;
  std::string filter_pattern;
  std::vector<pattern::MetricTransformation> metric_transformations;  // exactly one
};

struct MetricFilterDescription {
  std::string filter_name;
  std::string filter_pattern;
  std::vector<pattern::MetricTransformation> metric_transformations;
  std::int64_t creation_time = 0;
  std::string log_group_name;
  bool apply_on_transformed_logs = false;
};

struct DescribeMetricFiltersRequest {
  std::optional<std::string> log_group_name;
  std::optional<std::string> filter_name_prefix;  // used only with log_group_name, as AWS does
  std::optional<std::string> metric_name;         // with metric_namespace, both or neither
  std::optional<std::string> metric_namespace;
  std::optional<int> limit;  // 1..50, default 50
  std::optional<std::string> next_token;
};

struct DescribeMetricFiltersResult {
  std::vector<MetricFilterDescription> metric_filters;  // by log group name, then filter name
  std::optional<std::string> next_token;
};

// A TestMetricFilter match.
struct MetricFilterMatch {
  int event_number = 0;  // 1-based index into the messages
  std::string event_message;
  pattern::ExtractedValues extracted_values;  // "$1"/"$name" for space-delimited patterns
};

// ---- reading events --------------------------------------------------------------------------

struct FilterLogEventsRequest {
  std::optional<std::string> log_group_name;
  std::optional<std::string> log_group_identifier;
  std::optional<std::vector<std::string>> log_stream_names;  // 1..100 names
  std::optional<std::string> log_stream_name_prefix;         // not with log_stream_names
  std::optional<std::int64_t> start_time;                    // inclusive
  std::optional<std::int64_t> end_time;                      // inclusive, as AWS documents it
  std::optional<std::string> filter_pattern;                 // absent or empty: every event
  std::optional<int> limit;                                  // 1..10,000, default 10,000
  std::optional<std::string> next_token;
};

struct FilteredLogEvent {
  std::string log_stream_name;
  std::int64_t timestamp = 0;
  std::string message;
  std::int64_t ingestion_time = 0;
  std::string event_id;
};

struct SearchedLogStream {
  std::string log_stream_name;
  bool searched_completely = false;
};

struct FilterLogEventsResult {
  std::vector<FilteredLogEvent> events;  // by timestamp (all streams interleaved)
  std::vector<SearchedLogStream> searched_log_streams;
  std::optional<std::string> next_token;
};

struct GetLogEventsRequest {
  std::optional<std::string> log_group_name;
  std::optional<std::string> log_group_identifier;
  std::string log_stream_name;
  std::optional<std::int64_t> start_time;  // inclusive
  std::optional<std::int64_t> end_time;    // exclusive
  std::optional<std::string> next_token;   // a nextForwardToken or nextBackwardToken
  std::optional<int> limit;                // 1..10,000, default 10,000
  bool start_from_head = false;
};

struct OutputLogEvent {
  std::int64_t timestamp = 0;
  std::string message;
  std::int64_t ingestion_time = 0;
};

struct GetLogEventsResult {
  std::vector<OutputLogEvent> events;  // oldest first
  // At the end of the stream the token given is returned again, as AWS does.
  std::string next_forward_token;
  std::string next_backward_token;
};

// What the Logs engine has taken in since the process started, for /metrics (events and bytes
// per log group, matches per metric filter; counted when the batch is committed).
struct LogsTelemetry {
  struct GroupCounters {
    std::string log_group;
    std::uint64_t events = 0;
    std::uint64_t bytes = 0;
    std::optional<std::int64_t> newest_event_ms;  // the newest event timestamp stored
    std::optional<std::int64_t> last_ingestion_ms;
  };
  struct FilterCounters {
    std::string log_group;
    std::string filter;
    std::string metric_namespace;
    std::string metric_name;
    std::uint64_t matches = 0;
  };
  std::vector<GroupCounters> groups;
  std::vector<FilterCounters> filters;
};

class LogsEngine {
 public:
  // Loads the log groups and metric filters from `store` and compiles the filters. `alarms`
  // receives the data points; both engines share `store`.
  static core::Result<std::unique_ptr<LogsEngine>, std::string> open(store::Store& store, AlarmEngine& alarms,
                                                                     const core::Clock& clock,
                                                                     LogsOptions options = {});

  // Log groups.
  LogsResult<void> create_log_group(const CreateLogGroupRequest& request);
  // The checks CreateLogGroup makes of the request itself (name, retention, tags, class), as
  // AWS answers them; `sgwatch config check` uses it for the config file's groups.
  static LogsResult<void> validate_log_group(const CreateLogGroupRequest& request);
  // CreateLogGroup where a group of that name may already exist (it is then left as it is): what
  // the config file's groups and the feeds that fill them need.
  LogsResult<void> ensure_log_group(const CreateLogGroupRequest& request);
  // Deletes the group's streams, events and metric filters.
  LogsResult<void> delete_log_group(const std::string& log_group_name);
  LogsResult<DescribeLogGroupsResult> describe_log_groups(const DescribeLogGroupsRequest& request) const;
  LogsResult<void> put_retention_policy(const std::string& log_group_name, int retention_in_days);
  LogsResult<void> delete_retention_policy(const std::string& log_group_name);

  // Log streams.
  LogsResult<void> create_log_stream(const std::string& log_group_name, const std::string& log_stream_name);
  LogsResult<void> delete_log_stream(const std::string& log_group_name, const std::string& log_stream_name);
  LogsResult<DescribeLogStreamsResult> describe_log_streams(const DescribeLogStreamsRequest& request);

  // Stores the accepted events and publishes what the group's metric filters make of them; the
  // checkpoint, when given, is committed in the same transaction.
  LogsResult<PutLogEventsResult> put_log_events(const PutLogEventsRequest& request,
                                                const std::optional<Checkpoint>& checkpoint = std::nullopt);

  // Metric filters. PutMetricFilter replaces a filter of the same name (keeping its creation time).
  LogsResult<void> put_metric_filter(const PutMetricFilterRequest& request);
  LogsResult<void> delete_metric_filter(const std::string& log_group_name, const std::string& filter_name);
  LogsResult<DescribeMetricFiltersResult> describe_metric_filters(const DescribeMetricFiltersRequest& request) const;
  static LogsResult<std::vector<MetricFilterMatch>> test_metric_filter(std::string_view filter_pattern,
                                                                       const std::vector<std::string>& log_event_messages);

  // Source checkpoints outside put_log_events (push endpoints' request ids): one source's
  // position, and forgetting, in one transaction, the sources that start with `prefix` whose
  // position `expired` says so. Returns how many were forgotten.
  LogsResult<std::optional<std::string>> checkpoint(const std::string& source);
  LogsResult<std::size_t> forget_checkpoints(std::string_view prefix,
                                             const std::function<bool(std::string_view position)>& expired);

  // Reading events.
  LogsResult<FilterLogEventsResult> filter_log_events(const FilterLogEventsRequest& request);
  LogsResult<GetLogEventsResult> get_log_events(const GetLogEventsRequest& request);

  // Prunes events past their group's retention (or default_retention_days) when
  // prune_interval_ms has passed since the last prune; cheap otherwise. Returns the events' bytes
  // deleted.
  LogsResult<std::int64_t> tick();

  // Stored metric filters that no longer compile (kept, listed, but not run), one line each.
  const std::vector<std::string>& problems() const { return problems_; }

  std::string log_group_arn(std::string_view name) const;  // without ":*"
  // The counters since start (callers hold the lock that guards the engine).
  LogsTelemetry telemetry() const;

 private:
  struct Filter {
    store::MetricFilterRecord record;
    pattern::MetricTransformation transformation;
    std::optional<pattern::MetricFilter> compiled;  // nullopt: the stored pattern did not compile
    bool has_regex = false;
    std::uint64_t matches = 0;  // events matched since start (committed batches)
  };
  // The compiled filters of a group in evaluation order, and one literal index over all of them
  // (a single Hyperscan pass tells which filters could match an event). Rebuilt whenever the
  // group's filters change; heap-allocated because the index refers to `filters`.
  struct Active {
    std::vector<scan::NamedFilter> filters;
    std::vector<const Filter*> sources;  // sources[k] is the Filter of filters[k]
    std::unique_ptr<scan::LiteralIndex> index;
    std::unique_ptr<scan::LiteralIndex::Scratch> scratch;
  };
  struct Group {
    store::LogGroupRecord record;
    std::map<std::string, Filter> filters;  // by filter name
    std::unique_ptr<Active> active;
    std::uint64_t events_in = 0;  // accepted since start
    std::uint64_t bytes_in = 0;
    std::optional<std::int64_t> newest_event_ms;
    std::optional<std::int64_t> last_ingestion_ms;
  };

  LogsEngine(store::Store& store, AlarmEngine& alarms, const core::Clock& clock, LogsOptions options)
      : store_(store), alarms_(alarms), clock_(clock), options_(std::move(options)) {}

  core::Result<void, std::string> load();
  static void activate(Group& group);
  LogsResult<Group*> find_group(const std::optional<std::string>& name, const std::optional<std::string>& identifier);
  // Runs `body` between begin() and commit(); a failure rolls back and is an InternalFailure.
  template <typename Body>
  LogsResult<void> transaction(Body&& body);
  LogStream describe_stream(const Group& group, const store::LogStreamRecord& stream) const;
  // The data points one accepted event contributes (matches carry `cause`).
  // `matches[k]` counts the events active filter k matched.
  void evaluate_filters(const Group& group, std::string_view stream_name, std::int64_t timestamp_ms,
                        std::string_view message, std::vector<store::Datapoint>& out,
                        std::vector<std::pair<std::int64_t, std::size_t>>& defaults,
                        std::vector<std::uint64_t>& matches);

  store::Store& store_;
  AlarmEngine& alarms_;
  const core::Clock& clock_;
  LogsOptions options_;
  std::map<std::string, Group> groups_;  // by name
  pattern::Subject subject_;             // scratch: one event at a time, shared by its filters
  std::vector<char> candidates_;         // scratch: which filters of the group could match it
  std::vector<std::string> problems_;
  std::int64_t next_prune_ms_ = 0;
};

// The compact JSON summary of the event behind a metric-filter match (store::Datapoint::cause):
// the CloudTrail fields an alert needs when the message is a CloudTrail record, else the message
// itself (at most kMaxCauseMessageBytes, cut on a character boundary), with the group, stream and
// timestamp. A security-group event also gets "sg": its normalized change's severity, reason and
// exposure (sg::normalize; at most 5 exposures). `subject` is the event as the filters saw it.
inline constexpr std::size_t kMaxCauseMessageBytes = 4096;
std::string cause_summary(pattern::Subject& subject, std::string_view log_group_name,
                          std::string_view log_stream_name, std::int64_t timestamp_ms);

}  // namespace sgwatch::engine
