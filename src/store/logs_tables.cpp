// The CloudWatch Logs tables of store.h: log groups, log streams, log events and metric filters
// (their DDL is in store.cpp's schema). Events are the ingest hot path: one cached INSERT per
// event, the message bound without a copy. Queries page by keyset, never by offset.
// Neighbours: store.cpp (connection, schema, transactions), engine/logs_engine.cpp (the meaning).
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <limits>

#include "store/store.h"

namespace sgwatch::store {
namespace {

// Far outside any event time, and far enough from the int64 limits that +-1 cannot overflow.
constexpr std::int64_t kTimeMin = std::numeric_limits<std::int64_t>::min() / 2;
constexpr std::int64_t kTimeMax = std::numeric_limits<std::int64_t>::max() / 2;

// Resets a cached statement when it goes out of scope.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* statement) : s_(statement) {}
  ~Statement() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

 private:
  sqlite3_stmt* s_;
};

// SQLITE_STATIC: every caller steps the statement while `text` is alive, and resets it before
// returning.
void bind_view(sqlite3_stmt* s, int index, std::string_view text) {
  sqlite3_bind_text(s, index, text.empty() ? "" : text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void bind_optional(sqlite3_stmt* s, int index, const std::optional<std::int64_t>& value) {
  if (value) {
    sqlite3_bind_int64(s, index, *value);
  } else {
    sqlite3_bind_null(s, index);
  }
}

std::string text_at(sqlite3_stmt* s, int index) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, index));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, index))) : std::string();
}

std::optional<std::int64_t> optional_at(sqlite3_stmt* s, int index) {
  if (sqlite3_column_type(s, index) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(s, index);
}

constexpr const char* kStreamColumns =
    "id, group_id, name, created_ms, first_event_ms, last_event_ms, last_ingestion_ms, upload_sequence";

LogStreamRecord read_stream(sqlite3_stmt* s) {
  LogStreamRecord r;
  r.id = sqlite3_column_int64(s, 0);
  r.group_id = sqlite3_column_int64(s, 1);
  r.name = text_at(s, 2);
  r.created_ms = sqlite3_column_int64(s, 3);
  r.first_event_ms = optional_at(s, 4);
  r.last_event_ms = optional_at(s, 5);
  r.last_ingestion_ms = optional_at(s, 6);
  r.upload_sequence = sqlite3_column_int64(s, 7);
  return r;
}

}  // namespace

// ---- log groups ------------------------------------------------------------------------------

Result<std::int64_t> Store::add_log_group(const LogGroupRecord& g) {
  static constexpr const char* kSql =
      "INSERT INTO log_groups (name, created_ms, retention_days, kms_key_id, tags, log_group_class, stored_bytes) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
  auto s = prepare(kSql, "prepare add_log_group");
  if (!s) return core::unexpected(s.error());
  Statement use(*s);
  bind_view(*s, 1, g.name);
  sqlite3_bind_int64(*s, 2, g.created_ms);
  if (g.retention_days) {
    sqlite3_bind_int(*s, 3, *g.retention_days);
  } else {
    sqlite3_bind_null(*s, 3);
  }
  bind_view(*s, 4, g.kms_key_id);
  bind_view(*s, 5, g.tags);
  bind_view(*s, 6, g.log_group_class);
  sqlite3_bind_int64(*s, 7, g.stored_bytes);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("add log group {}", g.name)));
  return sqlite3_last_insert_rowid(db_);
}

Result<void> Store::update_log_group(const LogGroupRecord& g) {
  static constexpr const char* kSql =
      "UPDATE log_groups SET name = ?2, created_ms = ?3, retention_days = ?4, kms_key_id = ?5, tags = ?6, "
      "log_group_class = ?7, stored_bytes = ?8 WHERE id = ?1";
  auto s = prepare(kSql, "prepare update_log_group");
  if (!s) return core::unexpected(s.error());
  Statement use(*s);
  sqlite3_bind_int64(*s, 1, g.id);
  bind_view(*s, 2, g.name);
  sqlite3_bind_int64(*s, 3, g.created_ms);
  if (g.retention_days) {
    sqlite3_bind_int(*s, 4, *g.retention_days);
  } else {
    sqlite3_bind_null(*s, 4);
  }
  bind_view(*s, 5, g.kms_key_id);
  bind_view(*s, 6, g.tags);
  bind_view(*s, 7, g.log_group_class);
  sqlite3_bind_int64(*s, 8, g.stored_bytes);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("update log group {}", g.name)));
  if (sqlite3_changes(db_) != 1) {
    return core::unexpected(fmt::format("state store {}: log group {} does not exist", path_.string(), g.name));
  }
  return {};
}

Result<void> Store::delete_log_group(std::int64_t group_id) {
  static constexpr const char* kEvents = "DELETE FROM log_events WHERE group_id = ?1";
  static constexpr const char* kStreams = "DELETE FROM log_streams WHERE group_id = ?1";
  static constexpr const char* kFilters = "DELETE FROM metric_filters WHERE group_id = ?1";
  static constexpr const char* kGroup = "DELETE FROM log_groups WHERE id = ?1";
  for (const char* sql : {kEvents, kStreams, kFilters, kGroup}) {
    auto s = prepare(sql, "prepare delete_log_group");
    if (!s) return core::unexpected(s.error());
    Statement use(*s);
    sqlite3_bind_int64(*s, 1, group_id);
    if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error("delete a log group"));
  }
  return {};
}

Result<std::vector<LogGroupRecord>> Store::log_groups() {
  static constexpr const char* kSql =
      "SELECT id, name, created_ms, retention_days, kms_key_id, tags, log_group_class, stored_bytes "
      "FROM log_groups ORDER BY name";
  auto s = prepare(kSql, "prepare log_groups");
  if (!s) return core::unexpected(s.error());
  Statement use(*s);
  std::vector<LogGroupRecord> out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) {
    LogGroupRecord g;
    g.id = sqlite3_column_int64(*s, 0);
    g.name = text_at(*s, 1);
    g.created_ms = sqlite3_column_int64(*s, 2);
    if (sqlite3_column_type(*s, 3) != SQLITE_NULL) g.retention_days = sqlite3_column_int(*s, 3);
    g.kms_key_id = text_at(*s, 4);
    g.tags = text_at(*s, 5);
    g.log_group_class = text_at(*s, 6);
    g.stored_bytes = sqlite3_column_int64(*s, 7);
    out.push_back(std::move(g));
  }
  if (rc != SQLITE_DONE) return core::unexpected(error("read log groups"));
  return out;
}

// ---- log streams -----------------------------------------------------------------------------

Result<std::int64_t> Store::add_log_stream(const LogStreamRecord& r) {
  static constexpr const char* kSql =
      "INSERT INTO log_streams (group_id, name, created_ms, first_event_ms, last_event_ms, last_ingestion_ms, "
      "upload_sequence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
  auto s = prepare(kSql, "prepare add_log_stream");
  if (!s) return core::unexpected(s.error());
  Statement use(*s);
  sqlite3_bind_int64(*s, 1, r.group_id);
  bind_view(*s, 2, r.name);
  sqlite3_bind_int64(*s, 3, r.created_ms);
  bind_optional(*s, 4, r.first_event_ms);
  bind_optional(*s, 5, r.last_event_ms);
  bind_optional(*s, 6, r.last_ingestion_ms);
  sqlite3_bind_int64(*s, 7, r.upload_sequence);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("add log stream {}", r.name)));
  return sqlite3_last_insert_rowid(db_);
}

Result<void> Store::update_log_stream(const LogStreamRecord& r) {
  static constexpr const char* kSql =
      "UPDATE log_streams SET first_event_ms = ?2, last_event_ms = ?3, last_ingestion_ms = ?4, upload_sequence = ?5 "
      "WHERE id = ?1";
  auto s = prepare(kSql, "prepare update_log_stream");
  if (!s) return core::unexpected(s.error());
  Statement use(*s);
  sqlite3_bind_int64(*s, 1, r.id);
  bind_optional(*s, 2, r.first_event_ms);
  bind_optional(*s, 3, r.last_event_ms);
  bind_optional(*s, 4, r.last_ingestion_ms);
  sqlite3_bind_int64(*s, 5, r.upload_sequence);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("update log stream {}", r.name)));
  if (sqlite3_changes(db_) != 1) {
    return core::unexpected(fmt::format("state store {}: log stream {} does not exist", path_.string(), r.name));
  }
  return {};
}

Result<std::optional<LogStreamRecord>> Store::log_stream(std::int64_t group_id, std::string_view name) {
  static const std::string kSql =
      fmt::format("SELECT {} FROM log_streams WHERE group_id = ?1 AND name = ?2", kStreamColumns);
  auto s = prepare(kSql.c_str(), "prepare log_stream");
  if (!s) return core::unexpected(s.error());
  Statement use(*s);
  sqlite3_bind_int64(*s, 1, group_id);
  bind_view(*s, 2, name);
  const int rc = sqlite3_step(*s);
  if (rc == SQLITE_ROW) return std::optional<LogStreamRecord>(read_stream(*s));
  if (rc != SQLITE_DONE) return core::unexpected(error(fmt::format("read log stream {}", name)));
  return std::optional<LogStreamRecord>();
}

Result<std::vector<LogStreamRecord>> Store::log_streams(const LogStreamQuery& q) {
  // One statement per order; ?2 the prefix, ?3/?4 the keyset position, ?5 the limit.
  static const std::string kPrefix = "(?2 = '' OR substr(name, 1, length(?2)) = ?2)";
  static const std::string kByNameAsc = fmt::format(
      "SELECT {} FROM log_streams WHERE group_id = ?1 AND {} AND (?3 IS NULL OR name > ?3) ORDER BY name LIMIT ?5",
      kStreamColumns, kPrefix);
  static const std::string kByNameDesc = fmt::format(
      "SELECT {} FROM log_streams WHERE group_id = ?1 AND {} AND (?3 IS NULL OR name < ?3) ORDER BY name DESC LIMIT ?5",
      kStreamColumns, kPrefix);
  static const std::string kByTimeAsc = fmt::format(
      "SELECT {} FROM log_streams WHERE group_id = ?1 AND {} AND (?3 IS NULL OR COALESCE(last_event_ms, 0) > ?4 "
      "OR (COALESCE(last_event_ms, 0) = ?4 AND name > ?3)) ORDER BY COALESCE(last_event_ms, 0), name LIMIT ?5",
      kStreamColumns, kPrefix);
  static const std::string kByTimeDesc = fmt::format(
      "SELECT {} FROM log_streams WHERE group_id = ?1 AND {} AND (?3 IS NULL OR COALESCE(last_event_ms, 0) < ?4 "
      "OR (COALESCE(last_event_ms, 0) = ?4 AND name < ?3)) "
      "ORDER BY COALESCE(last_event_ms, 0) DESC, name DESC LIMIT ?5",
      kStreamColumns, kPrefix);
  const std::string& sql =
      q.by_last_event ? (q.descending ? kByTimeDesc : kByTimeAsc) : (q.descending ? kByNameDesc : kByNameAsc);
  auto s = prepare(sql.c_str(), "prepare log_streams");
  if (!s) return core::unexpected(s.error());
  Statement use(*s);
  sqlite3_bind_int64(*s, 1, q.group_id);
  bind_view(*s, 2, q.prefix);
  if (q.after_name) bind_view(*s, 3, *q.after_name);
  sqlite3_bind_int64(*s, 4, q.after_last_event_ms);
  sqlite3_bind_int(*s, 5, q.limit);
  std::vector<LogStreamRecord> out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) out.push_back(read_stream(*s));
  if (rc != SQLITE_DONE) return core::unexpected(error("read log streams"));
  return out;
}

Result<std::int64_t> Store::delete_log_stream(std::int64_t stream_id) {
  static constexpr const char* kBytes =
      "SELECT COALESCE(SUM(length(CAST(message AS BLOB))), 0) FROM log_events WHERE stream_id = ?1";
  static constexpr const char* kEvents = "DELETE FROM log_events WHERE stream_id = ?1";
  static constexpr const char* kStream = "DELETE FROM log_streams WHERE id = ?1";
  std::int64_t bytes = 0;
  {
    auto s = prepare(kBytes, "prepare delete_log_stream");
    if (!s) return core::unexpected(s.error());
    Statement use(*s);
    sqlite3_bind_int64(*s, 1, stream_id);
    if (sqlite3_step(*s) != SQLITE_ROW) return core::unexpected(error("measure a log stream"));
    bytes = sqlite3_column_int64(*s, 0);
  }
  for (const char* sql : {kEvents, kStream}) {
    auto s = prepare(sql, "prepare delete_log_stream");
    if (!s) return core::unexpected(s.error());
    Statement use(*s);
    sqlite3_bind_int64(*s, 1, stream_id);
    if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error("delete a log stream"));
  }
  return bytes;
}

// ---- log events ------------------------------------------------------------------------------

Result<void> Store::add_log_event(std::int64_t group_id, std::int64_t stream_id, std::int64_t timestamp_ms,
                                  std::int64_t ingestion_ms, std::string_view message) {
  static constexpr const char* kSql =
      "INSERT INTO log_events (group_id, stream_id, timestamp_ms, ingestion_ms, message) VALUES (?1, ?2, ?3, ?4, ?5)";
  auto s = prepare(kSql, "prepare add_log_event");
  if (!s) return core::unexpected(s.error());
  Statement use(*s);
  sqlite3_bind_int64(*s, 1, group_id);
  sqlite3_bind_int64(*s, 2, stream_id);
  sqlite3_bind_int64(*s, 3, timestamp_ms);
  sqlite3_bind_int64(*s, 4, ingestion_ms);
  bind_view(*s, 5, message);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error("add a log event"));
  return {};
}

Result<void> Store::scan_log_events(const LogEventQuery& q, const std::function<bool(const LogEventView&)>& visit) {
  // ?1 the group or stream, [?2, ?3) the time range, ?4/?5 the keyset position. The range bounds
  // are always bound so that the index's range scan starts at the right place.
  static constexpr const char* kGroupAsc =
      "SELECT id, stream_id, timestamp_ms, ingestion_ms, message FROM log_events WHERE "
      "group_id = ?1 AND timestamp_ms >= ?2 AND timestamp_ms < ?3 "
      "AND (timestamp_ms > ?4 OR (timestamp_ms = ?4 AND id > ?5)) ORDER BY timestamp_ms, id";
  static constexpr const char* kGroupDesc =
      "SELECT id, stream_id, timestamp_ms, ingestion_ms, message FROM log_events WHERE "
      "group_id = ?1 AND timestamp_ms >= ?2 AND timestamp_ms < ?3 "
      "AND (timestamp_ms < ?4 OR (timestamp_ms = ?4 AND id < ?5)) ORDER BY timestamp_ms DESC, id DESC";
  static constexpr const char* kStreamAsc =
      "SELECT id, stream_id, timestamp_ms, ingestion_ms, message FROM log_events WHERE "
      "stream_id = ?1 AND timestamp_ms >= ?2 AND timestamp_ms < ?3 "
      "AND (timestamp_ms > ?4 OR (timestamp_ms = ?4 AND id > ?5)) ORDER BY timestamp_ms, id";
  static constexpr const char* kStreamDesc =
      "SELECT id, stream_id, timestamp_ms, ingestion_ms, message FROM log_events WHERE "
      "stream_id = ?1 AND timestamp_ms >= ?2 AND timestamp_ms < ?3 "
      "AND (timestamp_ms < ?4 OR (timestamp_ms = ?4 AND id < ?5)) ORDER BY timestamp_ms DESC, id DESC";
  const char* sql = q.stream_id ? (q.descending ? kStreamDesc : kStreamAsc) : (q.descending ? kGroupDesc : kGroupAsc);
  auto s = prepare(sql, "prepare scan_log_events");
  if (!s) return core::unexpected(s.error());
  Statement use(*s);
  sqlite3_bind_int64(*s, 1, q.stream_id ? *q.stream_id : q.group_id);
  std::int64_t low = q.start_ms.value_or(kTimeMin);
  std::int64_t high = q.end_ms.value_or(kTimeMax);
  std::int64_t from_time = q.descending ? kTimeMax + 1 : kTimeMin - 1;
  std::int64_t from_id = 0;
  if (q.from) {
    from_time = std::clamp(q.from->first, kTimeMin - 1, kTimeMax + 1);
    from_id = q.from->second;
    // The keyset position also narrows the range the index scans.
    if (q.descending) {
      high = std::min(high, from_time + 1);
    } else {
      low = std::max(low, from_time);
    }
  }
  sqlite3_bind_int64(*s, 2, low);
  sqlite3_bind_int64(*s, 3, high);
  sqlite3_bind_int64(*s, 4, from_time);
  sqlite3_bind_int64(*s, 5, from_id);
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) {
    LogEventView view;
    view.id = sqlite3_column_int64(*s, 0);
    view.stream_id = sqlite3_column_int64(*s, 1);
    view.timestamp_ms = sqlite3_column_int64(*s, 2);
    view.ingestion_ms = sqlite3_column_int64(*s, 3);
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(*s, 4));
    view.message = text ? std::string_view(text, static_cast<std::size_t>(sqlite3_column_bytes(*s, 4)))
                        : std::string_view();
    if (!visit(view)) return {};
  }
  if (rc != SQLITE_DONE) return core::unexpected(error("read log events"));
  return {};
}

Result<std::int64_t> Store::prune_log_events(std::int64_t group_id, std::int64_t before_ms) {
  static constexpr const char* kBytes =
      "SELECT COALESCE(SUM(length(CAST(message AS BLOB))), 0) FROM log_events "
      "WHERE group_id = ?1 AND timestamp_ms < ?2";
  static constexpr const char* kDelete = "DELETE FROM log_events WHERE group_id = ?1 AND timestamp_ms < ?2";
  std::int64_t bytes = 0;
  {
    auto s = prepare(kBytes, "prepare prune_log_events");
    if (!s) return core::unexpected(s.error());
    Statement use(*s);
    sqlite3_bind_int64(*s, 1, group_id);
    sqlite3_bind_int64(*s, 2, before_ms);
    if (sqlite3_step(*s) != SQLITE_ROW) return core::unexpected(error("measure expired log events"));
    bytes = sqlite3_column_int64(*s, 0);
  }
  if (bytes == 0) return bytes;  // nothing expired (events have at least one byte)
  auto s = prepare(kDelete, "prepare prune_log_events");
  if (!s) return core::unexpected(s.error());
  Statement use(*s);
  sqlite3_bind_int64(*s, 1, group_id);
  sqlite3_bind_int64(*s, 2, before_ms);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error("prune log events"));
  return bytes;
}

// ---- metric filters --------------------------------------------------------------------------

Result<void> Store::put_metric_filter(const MetricFilterRecord& f) {
  static constexpr const char* kSql = "INSERT OR REPLACE INTO metric_filters VALUES (?1, ?2, ?3, ?4, ?5)";
  auto s = prepare(kSql, "prepare put_metric_filter");
  if (!s) return core::unexpected(s.error());
  Statement use(*s);
  sqlite3_bind_int64(*s, 1, f.group_id);
  bind_view(*s, 2, f.name);
  bind_view(*s, 3, f.pattern);
  bind_view(*s, 4, f.transformation);
  sqlite3_bind_int64(*s, 5, f.created_ms);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("write metric filter {}", f.name)));
  return {};
}

Result<void> Store::delete_metric_filter(std::int64_t group_id, std::string_view name) {
  static constexpr const char* kSql = "DELETE FROM metric_filters WHERE group_id = ?1 AND name = ?2";
  auto s = prepare(kSql, "prepare delete_metric_filter");
  if (!s) return core::unexpected(s.error());
  Statement use(*s);
  sqlite3_bind_int64(*s, 1, group_id);
  bind_view(*s, 2, name);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("delete metric filter {}", name)));
  return {};
}

Result<std::vector<MetricFilterRecord>> Store::metric_filters() {
  static constexpr const char* kSql =
      "SELECT group_id, name, pattern, transformation, created_ms FROM metric_filters ORDER BY group_id, name";
  auto s = prepare(kSql, "prepare metric_filters");
  if (!s) return core::unexpected(s.error());
  Statement use(*s);
  std::vector<MetricFilterRecord> out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) {
    out.push_back(MetricFilterRecord{sqlite3_column_int64(*s, 0), text_at(*s, 1), text_at(*s, 2), text_at(*s, 3),
                                     sqlite3_column_int64(*s, 4)});
  }
  if (rc != SQLITE_DONE) return core::unexpected(error("read metric filters"));
  return out;
}

}  // namespace sgwatch::store
