// Store: sgwatch's state in one SQLite database (WAL) in the state directory: alarm definitions
// and states, metric datapoints, alarm history and source checkpoints. Every change a caller
// makes between begin() and commit() lands together or not at all, so a process killed at any
// point restarts consistent. Also SNS-style topics, subscriptions and the notification outbox,
// CloudWatch Logs' groups, streams and events, and the live state of security groups.
// Neighbours: engine/ and notify/ decide what to write; alarms/ and metrics/ define the values.
// Not thread-safe: one owner serialises access.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "alarms/definition.h"
#include "alarms/history.h"
#include "core/result.h"
#include "metrics/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace sgwatch::store {

// A failed database operation: what was being done and SQLite's message.
using Error = std::string;
template <typename T>
using Result = core::Result<T, Error>;

struct AlarmRecord {
  alarms::AlarmDefinition definition;
  std::string arn;
  std::int64_t configuration_updated_ms = 0;
  alarms::AlarmState state = alarms::AlarmState::kInsufficientData;
  std::string reason;
  std::string reason_data;
  std::int64_t state_updated_ms = 0;
  std::int64_t state_transitioned_ms = 0;
  bool actions_enabled = true;
  std::int64_t next_boundary = 0;  // the next evaluation boundary (Unix seconds)
  bool idle = false;               // the last evaluation saw no data in its range
};

// One submission of metric data: a single value, or a statistic set (PutMetricData
// StatisticValues) whose raw values are unknown.
struct Datapoint {
  metrics::SeriesKey key;
  std::int64_t time = 0;  // Unix seconds
  metrics::StatSet values;
  // The event that caused the datapoint, as a compact JSON summary (the Logs engine fills it for
  // metric-filter matches); empty when unknown. Not persisted in the datapoints table.
  std::string cause{};
};

struct HistoryQuery {
  std::optional<std::string> alarm_name;
  std::optional<alarms::HistoryType> type;
  std::optional<std::int64_t> start_ms;  // inclusive
  std::optional<std::int64_t> end_ms;    // inclusive
  bool ascending = false;
  std::optional<std::int64_t> after_id;  // pagination: continue after this item
  int limit = 100;
};

struct StoredHistoryItem {
  std::int64_t id = 0;
  alarms::HistoryItem item;
};

// An SNS-style topic (sgwatch's notify module gives the fields their meaning).
struct TopicRecord {
  std::string arn;
  std::string name;
  std::string attributes = "{}";  // JSON object of attribute name -> string value
  std::string tags = "[]";        // JSON array of {"Key", "Value"}
  std::int64_t created_ms = 0;
};

struct SubscriptionRecord {
  std::string arn;
  std::string topic_arn;
  std::string protocol;
  std::string endpoint;
  std::string owner;  // account id
  bool confirmed = false;
  std::string token;  // the confirmation token (kept after confirmation: confirming again is idempotent)
  std::int64_t token_created_ms = 0;
  std::string attributes = "{}";  // JSON object of attribute name -> string value
  std::int64_t created_ms = 0;
};

enum class DeliveryState { kPending, kDelivered, kDead };
std::string_view delivery_state_name(DeliveryState state);  // "pending", "delivered", "dead"

// One message for one subscription, recorded before any attempt is made.
struct OutboxEntry {
  std::int64_t id = 0;
  std::string message_id;  // stable across attempts and restarts
  std::string subscription_arn;
  std::string protocol;
  std::string endpoint;
  std::string payload;  // the rendered delivery (notify's JSON form)
  std::int64_t created_ms = 0;
  std::int64_t next_attempt_ms = 0;
  int attempts = 0;
  std::string last_error;
  DeliveryState state = DeliveryState::kPending;
  std::int64_t finished_ms = 0;
};

// ---- CloudWatch Logs (logs_tables.cpp; engine/logs_engine.h gives the fields their meaning) ----

struct LogGroupRecord {
  std::int64_t id = 0;  // assigned by add_log_group
  std::string name;
  std::int64_t created_ms = 0;
  std::optional<int> retention_days;  // nullopt: no retention policy
  std::string kms_key_id;             // empty: none
  std::string tags = "{}";            // JSON object of tag key -> value
  std::string log_group_class = "STANDARD";
  std::int64_t stored_bytes = 0;  // UTF-8 bytes of the messages held
};

struct LogStreamRecord {
  std::int64_t id = 0;  // assigned by add_log_stream
  std::int64_t group_id = 0;
  std::string name;
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> first_event_ms;
  std::optional<std::int64_t> last_event_ms;
  std::optional<std::int64_t> last_ingestion_ms;
  std::int64_t upload_sequence = 0;  // PutLogEvents calls that stored events
};

// The streams of one group, by name or by last event time (no events: 0), then name.
struct LogStreamQuery {
  std::int64_t group_id = 0;
  std::string prefix;  // names starting with it; empty: all
  bool by_last_event = false;
  bool descending = false;
  // Keyset pagination: only streams after this one in the order.
  std::optional<std::string> after_name;
  std::int64_t after_last_event_ms = 0;  // with by_last_event
  int limit = 50;
};

// A stored log event as scan_log_events shows it: the message is valid during the visit only.
struct LogEventView {
  std::int64_t id = 0;
  std::int64_t stream_id = 0;
  std::int64_t timestamp_ms = 0;
  std::int64_t ingestion_ms = 0;
  std::string_view message;
};

// The events of one group (or one of its streams) in (timestamp, id) order.
struct LogEventQuery {
  std::int64_t group_id = 0;
  std::optional<std::int64_t> stream_id;
  std::optional<std::int64_t> start_ms;  // inclusive
  std::optional<std::int64_t> end_ms;    // exclusive
  // Keyset pagination: only events strictly after (ascending) or before (descending) this
  // (timestamp, id).
  std::optional<std::pair<std::int64_t, std::int64_t>> from;
  bool descending = false;
};

struct MetricFilterRecord {
  std::int64_t group_id = 0;
  std::string name;
  std::string pattern;
  std::string transformation;  // JSON: one element of PutMetricFilter's metricTransformations
  std::int64_t created_ms = 0;
};

// ---- Live security-group state (sg_tables.cpp; sg/state.h gives the document its meaning) ----

struct SgGroupRecord {
  std::string group_id;
  std::string document;  // JSON: sg::state_to_json
  std::int64_t updated_ms = 0;
};

struct Options {
  // FULL: each commit is on disk before commit() returns (survives power loss, not only kill).
  bool synchronous_full = true;
  // Copy the write-ahead log into the database on a thread of its own (a second connection,
  // SQLite's PASSIVE checkpoint every `checkpoint_interval_ms`) instead of inside the commit
  // that crosses SQLite's 1,000-page mark: a quarter of PutLogEvents' time moves off the
  // request. Durability is the same either way.
  bool background_checkpoint = true;
  int checkpoint_interval_ms = 250;
  // The write-ahead log's bound, in pages: under writes without pause the background's PASSIVE
  // checkpoints never catch up with the end of the log, which then never restarts and grows
  // without limit (660 MB in ten minutes of a push flood). Past this many pages the writer, after
  // its commit, checkpoints with RESTART itself (the log starts over) and the file is truncated
  // back to this size (journal_size_limit). 16,384 pages of 4 KiB: 64 MiB.
  int wal_limit_pages = 16384;
};

class Store {
 public:
  // Opens (creating when needed) `directory`/state.db; checks the schema version.
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& directory, Options options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // BEGIN IMMEDIATE ... COMMIT. A failed commit rolls back; the caller reloads its memory.
  Result<void> begin();
  Result<void> commit();
  void rollback();
  bool in_transaction() const { return in_transaction_; }

  // Alarms.
  Result<void> put_alarm(const AlarmRecord& alarm);  // insert or replace, by name
  Result<void> delete_alarm(std::string_view name);
  Result<std::vector<AlarmRecord>> alarms();

  // Datapoints.
  Result<void> add_datapoint(const Datapoint& datapoint);
  // Every datapoint at or after `since` (Unix seconds) into `series`.
  Result<void> load_datapoints(std::int64_t since, metrics::SeriesStore& series);
  Result<void> prune_datapoints(std::int64_t before);

  // History.
  Result<std::int64_t> append_history(const alarms::HistoryItem& item);
  Result<std::vector<StoredHistoryItem>> history(const HistoryQuery& query);
  Result<void> prune_history(std::int64_t before_ms);

  // Topics and subscriptions. Deleting a topic deletes its subscriptions.
  Result<void> put_topic(const TopicRecord& topic);  // insert or replace, by ARN
  Result<void> delete_topic(std::string_view arn);
  Result<std::vector<TopicRecord>> topics();          // by ARN
  Result<void> put_subscription(const SubscriptionRecord& subscription);
  Result<void> delete_subscription(std::string_view arn);
  Result<std::vector<SubscriptionRecord>> subscriptions();  // by creation, then ARN
  // Deleted subscriptions an UnsubscribeConfirmation may restore: `token` is the restoring token,
  // `token_created_ms` the deletion time.
  Result<void> put_unsubscribed(const SubscriptionRecord& subscription);
  Result<void> delete_unsubscribed(std::string_view arn);
  Result<std::vector<SubscriptionRecord>> unsubscribed();

  // The outbox. enqueue() returns the entry's id; the entry's id field is ignored.
  Result<std::int64_t> enqueue(const OutboxEntry& entry);
  // Pending entries whose next attempt is due at `now_ms`, the earliest first; only the oldest
  // pending entry of each subscription is due, so that one subscription's deliveries keep their
  // order (a failing one holds back the later ones until it is delivered or dead).
  Result<std::vector<OutboxEntry>> due_deliveries(std::int64_t now_ms, int limit);
  // The outcome of an attempt: attempts, state, next attempt, last error, finish time.
  Result<void> update_delivery(const OutboxEntry& entry);
  // Entries in one state (all when nullopt), the newest first.
  Result<std::vector<OutboxEntry>> deliveries(std::optional<DeliveryState> state, int limit);
  // When the next due_deliveries() entry is due; nullopt when nothing is pending.
  Result<std::optional<std::int64_t>> next_delivery_ms();

  // CloudWatch Logs (logs_tables.cpp): log groups, streams, events and metric filters. Deleting a
  // group deletes its streams, events and filters; deleting a stream deletes its events.
  Result<std::int64_t> add_log_group(const LogGroupRecord& group);  // returns the new id
  Result<void> update_log_group(const LogGroupRecord& group);       // by id
  Result<void> delete_log_group(std::int64_t group_id);
  Result<std::vector<LogGroupRecord>> log_groups();  // by name
  Result<std::int64_t> add_log_stream(const LogStreamRecord& stream);  // returns the new id
  Result<void> update_log_stream(const LogStreamRecord& stream);       // by id
  Result<std::optional<LogStreamRecord>> log_stream(std::int64_t group_id, std::string_view name);
  Result<std::vector<LogStreamRecord>> log_streams(const LogStreamQuery& query);
  Result<std::int64_t> delete_log_stream(std::int64_t stream_id);  // returns the bytes deleted
  Result<void> add_log_event(std::int64_t group_id, std::int64_t stream_id, std::int64_t timestamp_ms,
                             std::int64_t ingestion_ms, std::string_view message);
  // Calls `visit` for each event of `query` in order until it returns false.
  Result<void> scan_log_events(const LogEventQuery& query, const std::function<bool(const LogEventView&)>& visit);
  // Deletes a group's events older than `before_ms`; returns the bytes deleted.
  Result<std::int64_t> prune_log_events(std::int64_t group_id, std::int64_t before_ms);
  Result<void> put_metric_filter(const MetricFilterRecord& filter);  // insert or replace, by group and name
  Result<void> delete_metric_filter(std::int64_t group_id, std::string_view name);
  Result<std::vector<MetricFilterRecord>> metric_filters();  // by group id, then name

  // Live security-group state (sg_tables.cpp): one document per group, and the changes applied
  // (an event id and a group id, recorded once; events without an id are not recorded).
  Result<void> put_sg_group(const SgGroupRecord& group);  // insert or replace, by group id
  Result<std::optional<SgGroupRecord>> sg_group(std::string_view group_id);
  Result<std::vector<SgGroupRecord>> sg_groups();  // by group id
  Result<bool> sg_change_applied(std::string_view event_id, std::string_view group_id);
  Result<void> mark_sg_change_applied(std::string_view event_id, std::string_view group_id,
                                      std::string_view event_time);

  // Source checkpoints: an opaque position per source name.
  Result<void> set_checkpoint(std::string_view source, std::string_view position);
  Result<std::optional<std::string>> checkpoint(std::string_view source);
  // The checkpoints whose source starts with `prefix` (not empty), as (source, position) by source.
  Result<std::vector<std::pair<std::string, std::string>>> checkpoints(std::string_view prefix);
  Result<void> delete_checkpoint(std::string_view source);

  // How often the log reached Options::wal_limit_pages and was restarted by a commit.
  std::uint64_t wal_restarts() const { return wal_restarts_; }

 private:
  Store(sqlite3* db, std::filesystem::path path);
  Result<void> exec(const char* sql, std::string_view what);
  Result<sqlite3_stmt*> prepare(const char* sql, std::string_view what);
  Error error(std::string_view what) const;
  Result<std::int64_t> series_id(const metrics::SeriesKey& key);
  Result<std::vector<OutboxEntry>> read_outbox(sqlite3_stmt* statement);

  struct Checkpointer;  // store.cpp: the background checkpoint thread and its connection

  sqlite3* db_;
  std::filesystem::path path_;
  std::unique_ptr<Checkpointer> checkpointer_;
  // Prepared statements, keyed by the address of their (static) SQL text.
  std::unordered_map<const void*, sqlite3_stmt*> statements_;
  bool in_transaction_ = false;
  int wal_limit_pages_ = 16384;
  std::uint64_t wal_restarts_ = 0;
  // sqlite3_wal_hook: after each commit, the log's length in pages.
  static int on_wal_commit(void* self, sqlite3* db, const char* schema, int pages);
};

}  // namespace sgwatch::store
