// Implementation of store.h: one SQLite connection in WAL mode, prepared statements cached by
// their SQL text, schema created at first open and versioned in the meta table.
#include "store/store.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <nlohmann/json.hpp>
#include <system_error>
#include <unordered_map>
#include <vector>

namespace sgwatch::store {
namespace {

// 2: datapoints.raw_counts (raw values kept as distinct values with counts). Version 1 stores
// are upgraded in place when opened.
constexpr int kSchemaVersion = 2;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alarms (
  name TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  arn TEXT NOT NULL,
  configuration_updated_ms INTEGER NOT NULL,
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  reason_data TEXT NOT NULL,
  state_updated_ms INTEGER NOT NULL,
  state_transitioned_ms INTEGER NOT NULL,
  actions_enabled INTEGER NOT NULL,
  next_boundary INTEGER NOT NULL,
  idle INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  dimensions TEXT NOT NULL,
  UNIQUE (namespace, name, dimensions));
CREATE TABLE IF NOT EXISTS datapoints (
  series_id INTEGER NOT NULL REFERENCES series (id),
  time INTEGER NOT NULL,
  sample_count REAL NOT NULL,
  sum REAL NOT NULL,
  minimum REAL NOT NULL,
  maximum REAL NOT NULL,
  raw_values BLOB,
  raw_counts BLOB);
CREATE INDEX IF NOT EXISTS datapoints_by_time ON datapoints (time);
CREATE TABLE IF NOT EXISTS history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  alarm_name TEXT NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  type TEXT NOT NULL,
  summary TEXT NOT NULL,
  data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS history_by_time ON history (timestamp_ms, id);
CREATE INDEX IF NOT EXISTS history_by_alarm ON history (alarm_name, timestamp_ms, id);
CREATE TABLE IF NOT EXISTS checkpoints (source TEXT PRIMARY KEY, position TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS topics (
  arn TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  attributes TEXT NOT NULL,
  tags TEXT NOT NULL,
  created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS subscriptions (
  arn TEXT PRIMARY KEY,
  topic_arn TEXT NOT NULL,
  protocol TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  owner TEXT NOT NULL,
  confirmed INTEGER NOT NULL,
  token TEXT NOT NULL,
  token_created_ms INTEGER NOT NULL,
  attributes TEXT NOT NULL,
  created_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS subscriptions_by_topic ON subscriptions (topic_arn);
CREATE TABLE IF NOT EXISTS unsubscribed (
  arn TEXT PRIMARY KEY,
  topic_arn TEXT NOT NULL,
  protocol TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  owner TEXT NOT NULL,
  confirmed INTEGER NOT NULL,
  token TEXT NOT NULL,
  token_created_ms INTEGER NOT NULL,
  attributes TEXT NOT NULL,
  created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL,
  subscription_arn TEXT NOT NULL,
  protocol TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  next_attempt_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  state TEXT NOT NULL,
  finished_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_ms, id);
CREATE INDEX IF NOT EXISTS outbox_by_subscription ON outbox (subscription_arn, state, id);
-- CloudWatch Logs (logs_tables.cpp). Events carry their group and stream ids; the store's delete
-- methods remove a group's or stream's rows together (no foreign keys on the ingest path).
CREATE TABLE IF NOT EXISTS log_groups (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL,
  retention_days INTEGER,
  kms_key_id TEXT NOT NULL,
  tags TEXT NOT NULL,
  log_group_class TEXT NOT NULL,
  stored_bytes INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS log_streams (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  first_event_ms INTEGER,
  last_event_ms INTEGER,
  last_ingestion_ms INTEGER,
  upload_sequence INTEGER NOT NULL,
  UNIQUE (group_id, name));
CREATE TABLE IF NOT EXISTS log_events (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL,
  stream_id INTEGER NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  ingestion_ms INTEGER NOT NULL,
  message TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS log_events_by_group ON log_events (group_id, timestamp_ms);
CREATE INDEX IF NOT EXISTS log_events_by_stream ON log_events (stream_id, timestamp_ms);
CREATE TABLE IF NOT EXISTS metric_filters (
  group_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  pattern TEXT NOT NULL,
  transformation TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (group_id, name));
-- Live security-group state (sg_tables.cpp): one JSON document per group (sg/state.h), and the
-- (event, group) pairs already applied, so that applying the same events again changes nothing.
-- Added without a schema version change: CREATE TABLE IF NOT EXISTS gives older state dirs them.
CREATE TABLE IF NOT EXISTS sg_groups (
  group_id TEXT PRIMARY KEY,
  document TEXT NOT NULL,
  updated_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sg_applied_changes (
  event_id TEXT NOT NULL,
  group_id TEXT NOT NULL,
  event_time TEXT NOT NULL,
  PRIMARY KEY (event_id, group_id));
)sql";

// Resets a cached statement when it goes out of scope.
class Use {
 public:
  explicit Use(sqlite3_stmt* statement) : s_(statement) {}
  ~Use() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  sqlite3_stmt* get() const { return s_; }

 private:
  sqlite3_stmt* s_;
};

void bind_text(sqlite3_stmt* s, int index, std::string_view text) {
  sqlite3_bind_text(s, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

std::string column_text(sqlite3_stmt* s, int index) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, index));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, index))) : std::string();
}

std::string dimensions_text(const metrics::SeriesKey& key) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, value] : key.dimensions) out.push_back({name, value});
  return out.dump();
}

}  // namespace

Error Store::error(std::string_view what) const {
  return fmt::format("state store {}: {}: {}", path_.string(), what, sqlite3_errmsg(db_));
}

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& directory, Options options) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) {
    return core::unexpected(fmt::format("state directory {}: cannot create it: {}", directory.string(), ec.message()));
  }
  const auto path = directory / "state.db";
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return core::unexpected(fmt::format("state store {}: cannot open: {}", path.string(), message));
  }
  std::unique_ptr<Store> store(new Store(db, path));
  sqlite3_busy_timeout(db, 5000);
  auto ok = store->exec("PRAGMA journal_mode=WAL", "enable WAL");
  if (!ok) return core::unexpected(ok.error());
  ok = store->exec(options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", "set synchronous");
  if (!ok) return core::unexpected(ok.error());
  if (options.background_checkpoint) {
    sqlite3* checkpoint_db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &checkpoint_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) ==
        SQLITE_OK) {
      sqlite3_busy_timeout(checkpoint_db, 0);
      ok = store->exec("PRAGMA wal_autocheckpoint=0", "hand checkpoints to the background thread");
      if (!ok) {
        sqlite3_close(checkpoint_db);
        return core::unexpected(ok.error());
      }
      store->checkpointer_ = std::make_unique<Checkpointer>(checkpoint_db, std::max(1, options.checkpoint_interval_ms));
      // The bound on the log (Options::wal_limit_pages): the hook runs after each commit of this
      // connection with the log's length in pages.
      store->wal_limit_pages_ = std::max(64, options.wal_limit_pages);
      sqlite3_wal_hook(db, &Store::on_wal_commit, store.get());
      const std::string limit =
          fmt::format("PRAGMA journal_size_limit={}", std::int64_t{store->wal_limit_pages_} * 4096);
      ok = store->exec(limit.c_str(), "bound the log's file");
      if (!ok) return core::unexpected(ok.error());
    } else {
      sqlite3_close(checkpoint_db);  // commits keep checkpointing as SQLite does by default
    }
  }
  ok = store->exec("PRAGMA foreign_keys=ON", "enable foreign keys");
  if (!ok) return core::unexpected(ok.error());
  ok = store->begin();
  if (!ok) return core::unexpected(ok.error());
  ok = store->exec(kSchema, "create the schema");
  if (!ok) {
    store->rollback();
    return core::unexpected(ok.error());
  }
  {
    auto s = store->prepare("SELECT value FROM meta WHERE key = 'schema_version'", "read the schema version");
    if (!s) return core::unexpected(s.error());
    Use use(*s);
    if (sqlite3_step(*s) == SQLITE_ROW) {
      const std::string version = column_text(*s, 0);
      if (version == "1") {
        // Version 1 kept every raw value (counts of 1): its rows read the same without counts.
        sqlite3_reset(*s);
        ok = store->exec("ALTER TABLE datapoints ADD COLUMN raw_counts BLOB; "
                         "UPDATE meta SET value = '2' WHERE key = 'schema_version'",
                         "upgrade the schema from version 1");
        if (!ok) {
          store->rollback();
          return core::unexpected(ok.error());
        }
      } else if (version != std::to_string(kSchemaVersion)) {
        store->rollback();
        return core::unexpected(fmt::format("state store {}: schema version {} is not {} (written by another sgwatch version)",
                                            path.string(), version, kSchemaVersion));
      }
    }
  }
  ok = store->exec(fmt::format("INSERT OR IGNORE INTO meta VALUES ('schema_version', '{}')", kSchemaVersion).c_str(),
                   "write the schema version");
  if (!ok) return core::unexpected(ok.error());
  ok = store->commit();
  if (!ok) return core::unexpected(ok.error());
  return store;
}

// Runs PASSIVE checkpoints on its own connection until destroyed. A PASSIVE checkpoint never
// waits for the writer: it copies what no reader still needs and leaves the rest for next time.
struct Store::Checkpointer {
  sqlite3* db = nullptr;
  std::mutex mutex;
  std::condition_variable wake;
  bool stop = false;
  std::thread thread;

  Checkpointer(sqlite3* connection, int interval_ms) : db(connection) {
    thread = std::thread([this, interval_ms] {
      std::unique_lock<std::mutex> lock(mutex);
      while (!wake.wait_for(lock, std::chrono::milliseconds(interval_ms), [this] { return stop; })) {
        lock.unlock();
        // SQLITE_BUSY (another checkpoint is running) and the like: next time.
        sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        lock.lock();
      }
    });
  }
  ~Checkpointer() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    wake.notify_all();
    thread.join();
    sqlite3_close(db);
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
};

Store::Store(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}

int Store::on_wal_commit(void* self, sqlite3* db, const char* schema, int pages) {
  auto* store = static_cast<Store*>(self);
  if (pages >= store->wal_limit_pages_) {
    // RESTART waits (busy timeout) for the background checkpoint in progress, copies the rest
    // and makes the next commit write the log from its start. A failure leaves the log as it
    // was: the next commit tries again.
    if (sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr) == SQLITE_OK) {
      ++store->wal_restarts_;
    }
  }
  return SQLITE_OK;
}

Store::~Store() {
  checkpointer_.reset();  // before the main connection, whose close checkpoints what is left
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_close(db_);
}

Result<void> Store::exec(const char* sql, std::string_view what) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    return core::unexpected(fmt::format("state store {}: {}: {}", path_.string(), what, text));
  }
  return {};
}

Result<sqlite3_stmt*> Store::prepare(const char* sql, std::string_view what) {
  if (auto it = statements_.find(sql); it != statements_.end()) return it->second;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK) {
    return core::unexpected(error(what));
  }
  statements_.emplace(sql, statement);
  return statement;
}

Result<void> Store::begin() {
  auto ok = exec("BEGIN IMMEDIATE", "begin a transaction");
  if (ok) in_transaction_ = true;
  return ok;
}

Result<void> Store::commit() {
  auto ok = exec("COMMIT", "commit");
  if (!ok) rollback();
  in_transaction_ = false;
  return ok;
}

void Store::rollback() {
  if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  in_transaction_ = false;
}

// ---- alarms ----------------------------------------------------------------------------------

Result<void> Store::put_alarm(const AlarmRecord& a) {
  static constexpr const char* kSql =
      "INSERT OR REPLACE INTO alarms VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
  auto s = prepare(kSql, "prepare put_alarm");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  bind_text(*s, 1, a.definition.name);
  bind_text(*s, 2, alarms::to_put_metric_alarm(a.definition).dump());
  bind_text(*s, 3, a.arn);
  sqlite3_bind_int64(*s, 4, a.configuration_updated_ms);
  bind_text(*s, 5, alarms::state_name(a.state));
  bind_text(*s, 6, a.reason);
  bind_text(*s, 7, a.reason_data);
  sqlite3_bind_int64(*s, 8, a.state_updated_ms);
  sqlite3_bind_int64(*s, 9, a.state_transitioned_ms);
  sqlite3_bind_int(*s, 10, a.actions_enabled ? 1 : 0);
  sqlite3_bind_int64(*s, 11, a.next_boundary);
  sqlite3_bind_int(*s, 12, a.idle ? 1 : 0);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("write alarm {}", a.definition.name)));
  return {};
}

Result<void> Store::delete_alarm(std::string_view name) {
  static constexpr const char* kSql = "DELETE FROM alarms WHERE name = ?1";
  auto s = prepare(kSql, "prepare delete_alarm");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  bind_text(*s, 1, name);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("delete alarm {}", name)));
  return {};
}

Result<std::vector<AlarmRecord>> Store::alarms() {
  static constexpr const char* kSql = "SELECT * FROM alarms ORDER BY name";
  auto s = prepare(kSql, "prepare alarms");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  std::vector<AlarmRecord> out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) {
    const std::string name = column_text(*s, 0);
    const auto doc = nlohmann::json::parse(column_text(*s, 1), nullptr, false);
    auto definition = alarms::parse_put_metric_alarm(doc);
    if (doc.is_discarded() || !definition) {
      return core::unexpected(fmt::format("state store {}: alarm {}: the stored definition does not parse{}", path_.string(),
                                          name, definition ? "" : ": " + definition.error().message));
    }
    const auto state = alarms::parse_state(column_text(*s, 4));
    if (!state) return core::unexpected(fmt::format("state store {}: alarm {}: unknown state", path_.string(), name));
    AlarmRecord a;
    a.definition = std::move(*definition);
    a.arn = column_text(*s, 2);
    a.configuration_updated_ms = sqlite3_column_int64(*s, 3);
    a.state = *state;
    a.reason = column_text(*s, 5);
    a.reason_data = column_text(*s, 6);
    a.state_updated_ms = sqlite3_column_int64(*s, 7);
    a.state_transitioned_ms = sqlite3_column_int64(*s, 8);
    a.actions_enabled = sqlite3_column_int(*s, 9) != 0;
    a.next_boundary = sqlite3_column_int64(*s, 10);
    a.idle = sqlite3_column_int(*s, 11) != 0;
    out.push_back(std::move(a));
  }
  if (rc != SQLITE_DONE) return core::unexpected(error("read alarms"));
  return out;
}

// ---- datapoints ------------------------------------------------------------------------------

Result<std::int64_t> Store::series_id(const metrics::SeriesKey& key) {
  static constexpr const char* kFind = "SELECT id FROM series WHERE namespace = ?1 AND name = ?2 AND dimensions = ?3";
  static constexpr const char* kInsert = "INSERT INTO series (namespace, name, dimensions) VALUES (?1, ?2, ?3)";
  const std::string dimensions = dimensions_text(key);
  {
    auto s = prepare(kFind, "prepare series lookup");
    if (!s) return core::unexpected(s.error());
    Use use(*s);
    bind_text(*s, 1, key.metric_namespace);
    bind_text(*s, 2, key.name);
    bind_text(*s, 3, dimensions);
    const int rc = sqlite3_step(*s);
    if (rc == SQLITE_ROW) return sqlite3_column_int64(*s, 0);
    if (rc != SQLITE_DONE) return core::unexpected(error("find a series"));
  }
  auto s = prepare(kInsert, "prepare series insert");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  bind_text(*s, 1, key.metric_namespace);
  bind_text(*s, 2, key.name);
  bind_text(*s, 3, dimensions);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error("add a series"));
  return sqlite3_last_insert_rowid(db_);
}

Result<void> Store::add_datapoint(const Datapoint& d) {
  static constexpr const char* kSql = "INSERT INTO datapoints VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
  auto id = series_id(d.key);
  if (!id) return core::unexpected(id.error());
  auto s = prepare(kSql, "prepare add_datapoint");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  sqlite3_bind_int64(*s, 1, *id);
  sqlite3_bind_int64(*s, 2, d.time);
  sqlite3_bind_double(*s, 3, d.values.sample_count);
  sqlite3_bind_double(*s, 4, d.values.sum);
  sqlite3_bind_double(*s, 5, d.values.minimum);
  sqlite3_bind_double(*s, 6, d.values.maximum);
  // Raw values as two parallel arrays of doubles, the distinct values and their counts; no
  // counts when every count is 1, and nothing for a single sample (its value is the sum).
  // (The single sample is the live path's datapoint, one per matched event: nothing is built.)
  const auto& raw = d.values.values;
  if (raw.empty() || (d.values.sample_count == 1 && raw.size() == 1)) {
    sqlite3_bind_null(*s, 7);
    sqlite3_bind_null(*s, 8);
  } else {
    bool all_ones = true;
    std::vector<double> values;
    std::vector<double> counts;
    values.reserve(raw.size());
    counts.reserve(raw.size());
    for (const metrics::ValueCount& v : raw) {
      values.push_back(v.value);
      counts.push_back(v.count);
      all_ones = all_ones && v.count == 1;
    }
    sqlite3_bind_blob(*s, 7, values.data(), static_cast<int>(values.size() * sizeof(double)), SQLITE_TRANSIENT);
    if (all_ones) {
      sqlite3_bind_null(*s, 8);
    } else {
      sqlite3_bind_blob(*s, 8, counts.data(), static_cast<int>(counts.size() * sizeof(double)), SQLITE_TRANSIENT);
    }
  }
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error("add a datapoint"));
  return {};
}

Result<void> Store::load_datapoints(std::int64_t since, metrics::SeriesStore& series) {
  static constexpr const char* kSql =
      "SELECT s.namespace, s.name, s.dimensions, d.time, d.sample_count, d.sum, d.minimum, d.maximum, d.raw_values, "
      "d.raw_counts "
      "FROM datapoints d JOIN series s ON s.id = d.series_id WHERE d.time >= ?1 ORDER BY d.rowid";
  auto s = prepare(kSql, "prepare load_datapoints");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  sqlite3_bind_int64(*s, 1, since);
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) {
    metrics::SeriesKey key{column_text(*s, 0), column_text(*s, 1), {}};
    const auto dimensions = nlohmann::json::parse(column_text(*s, 2), nullptr, false);
    if (!dimensions.is_array()) return core::unexpected(fmt::format("state store {}: a series has unreadable dimensions", path_.string()));
    for (const auto& pair : dimensions) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        return core::unexpected(fmt::format("state store {}: a series has unreadable dimensions", path_.string()));
      }
      key.dimensions.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }
    // The raw values go in through a set of their own (which sorts and merges them), the
    // statistics as stored.
    metrics::StatSet raw;
    if (sqlite3_column_type(*s, 8) == SQLITE_BLOB) {
      std::vector<double> values(static_cast<std::size_t>(sqlite3_column_bytes(*s, 8)) / sizeof(double));
      std::memcpy(values.data(), sqlite3_column_blob(*s, 8), values.size() * sizeof(double));
      std::vector<double> counts(values.size(), 1.0);
      if (sqlite3_column_type(*s, 9) == SQLITE_BLOB) {
        if (static_cast<std::size_t>(sqlite3_column_bytes(*s, 9)) != counts.size() * sizeof(double)) {
          return core::unexpected(
              fmt::format("state store {}: a datapoint's raw counts do not match its raw values", path_.string()));
        }
        std::memcpy(counts.data(), sqlite3_column_blob(*s, 9), counts.size() * sizeof(double));
      }
      for (std::size_t i = 0; i < values.size(); ++i) raw.add(values[i], counts[i], true);
    } else if (sqlite3_column_double(*s, 4) == 1) {
      raw.add(sqlite3_column_double(*s, 5), true);  // a single value is stored without its raw value
    }
    metrics::StatSet set;
    set.sample_count = sqlite3_column_double(*s, 4);
    set.sum = sqlite3_column_double(*s, 5);
    set.minimum = sqlite3_column_double(*s, 6);
    set.maximum = sqlite3_column_double(*s, 7);
    set.values = std::move(raw.values);
    set.value_bits = raw.value_bits;
    series.add_set(key, sqlite3_column_int64(*s, 3), set);
  }
  if (rc != SQLITE_DONE) return core::unexpected(error("read datapoints"));
  return {};
}

Result<void> Store::prune_datapoints(std::int64_t before) {
  static constexpr const char* kSql = "DELETE FROM datapoints WHERE time < ?1";
  auto s = prepare(kSql, "prepare prune_datapoints");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  sqlite3_bind_int64(*s, 1, before);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error("prune datapoints"));
  return {};
}

// ---- history ---------------------------------------------------------------------------------

Result<std::int64_t> Store::append_history(const alarms::HistoryItem& item) {
  static constexpr const char* kSql =
      "INSERT INTO history (alarm_name, timestamp_ms, type, summary, data) VALUES (?1, ?2, ?3, ?4, ?5)";
  auto s = prepare(kSql, "prepare append_history");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  bind_text(*s, 1, item.alarm_name);
  sqlite3_bind_int64(*s, 2, item.timestamp_ms);
  bind_text(*s, 3, alarms::history_type_name(item.type));
  bind_text(*s, 4, item.summary);
  bind_text(*s, 5, item.data);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error("append a history item"));
  return sqlite3_last_insert_rowid(db_);
}

Result<std::vector<StoredHistoryItem>> Store::history(const HistoryQuery& q) {
  // One statement per direction; absent filters are NULL parameters.
  static constexpr const char* kDescending =
      "SELECT id, alarm_name, timestamp_ms, type, summary, data FROM history "
      "WHERE (?1 IS NULL OR alarm_name = ?1) AND (?2 IS NULL OR type = ?2) "
      "AND (?3 IS NULL OR timestamp_ms >= ?3) AND (?4 IS NULL OR timestamp_ms <= ?4) "
      "AND (?5 IS NULL OR (timestamp_ms, id) < (SELECT timestamp_ms, id FROM history WHERE id = ?5)) "
      "ORDER BY timestamp_ms DESC, id DESC LIMIT ?6";
  static constexpr const char* kAscending =
      "SELECT id, alarm_name, timestamp_ms, type, summary, data FROM history "
      "WHERE (?1 IS NULL OR alarm_name = ?1) AND (?2 IS NULL OR type = ?2) "
      "AND (?3 IS NULL OR timestamp_ms >= ?3) AND (?4 IS NULL OR timestamp_ms <= ?4) "
      "AND (?5 IS NULL OR (timestamp_ms, id) > (SELECT timestamp_ms, id FROM history WHERE id = ?5)) "
      "ORDER BY timestamp_ms ASC, id ASC LIMIT ?6";
  auto s = prepare(q.ascending ? kAscending : kDescending, "prepare history");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  if (q.alarm_name) bind_text(*s, 1, *q.alarm_name);
  if (q.type) bind_text(*s, 2, alarms::history_type_name(*q.type));
  if (q.start_ms) sqlite3_bind_int64(*s, 3, *q.start_ms);
  if (q.end_ms) sqlite3_bind_int64(*s, 4, *q.end_ms);
  if (q.after_id) sqlite3_bind_int64(*s, 5, *q.after_id);
  sqlite3_bind_int(*s, 6, q.limit);
  std::vector<StoredHistoryItem> out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) {
    const auto type = alarms::parse_history_type(column_text(*s, 3));
    if (!type) return core::unexpected(fmt::format("state store {}: a history item has an unknown type", path_.string()));
    out.push_back(StoredHistoryItem{sqlite3_column_int64(*s, 0),
                                    alarms::HistoryItem{column_text(*s, 1), sqlite3_column_int64(*s, 2), *type,
                                                        column_text(*s, 4), column_text(*s, 5)}});
  }
  if (rc != SQLITE_DONE) return core::unexpected(error("read history"));
  return out;
}

Result<void> Store::prune_history(std::int64_t before_ms) {
  static constexpr const char* kSql = "DELETE FROM history WHERE timestamp_ms < ?1";
  auto s = prepare(kSql, "prepare prune_history");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  sqlite3_bind_int64(*s, 1, before_ms);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error("prune history"));
  return {};
}

// ---- topics and subscriptions ----------------------------------------------------------------

Result<void> Store::put_topic(const TopicRecord& t) {
  static constexpr const char* kSql = "INSERT OR REPLACE INTO topics VALUES (?1, ?2, ?3, ?4, ?5)";
  auto s = prepare(kSql, "prepare put_topic");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  bind_text(*s, 1, t.arn);
  bind_text(*s, 2, t.name);
  bind_text(*s, 3, t.attributes);
  bind_text(*s, 4, t.tags);
  sqlite3_bind_int64(*s, 5, t.created_ms);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("write topic {}", t.arn)));
  return {};
}

Result<void> Store::delete_topic(std::string_view arn) {
  static constexpr const char* kTopic = "DELETE FROM topics WHERE arn = ?1";
  static constexpr const char* kSubscriptions = "DELETE FROM subscriptions WHERE topic_arn = ?1";
  for (const char* sql : {kSubscriptions, kTopic}) {
    auto s = prepare(sql, "prepare delete_topic");
    if (!s) return core::unexpected(s.error());
    Use use(*s);
    bind_text(*s, 1, arn);
    if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("delete topic {}", arn)));
  }
  return {};
}

Result<std::vector<TopicRecord>> Store::topics() {
  static constexpr const char* kSql = "SELECT arn, name, attributes, tags, created_ms FROM topics ORDER BY arn";
  auto s = prepare(kSql, "prepare topics");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  std::vector<TopicRecord> out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) {
    out.push_back(TopicRecord{column_text(*s, 0), column_text(*s, 1), column_text(*s, 2), column_text(*s, 3),
                              sqlite3_column_int64(*s, 4)});
  }
  if (rc != SQLITE_DONE) return core::unexpected(error("read topics"));
  return out;
}

namespace {

void bind_subscription(sqlite3_stmt* s, const SubscriptionRecord& r) {
  bind_text(s, 1, r.arn);
  bind_text(s, 2, r.topic_arn);
  bind_text(s, 3, r.protocol);
  bind_text(s, 4, r.endpoint);
  bind_text(s, 5, r.owner);
  sqlite3_bind_int(s, 6, r.confirmed ? 1 : 0);
  bind_text(s, 7, r.token);
  sqlite3_bind_int64(s, 8, r.token_created_ms);
  bind_text(s, 9, r.attributes);
  sqlite3_bind_int64(s, 10, r.created_ms);
}

SubscriptionRecord read_subscription(sqlite3_stmt* s) {
  return SubscriptionRecord{column_text(s, 0), column_text(s, 1), column_text(s, 2), column_text(s, 3),
                            column_text(s, 4), sqlite3_column_int(s, 5) != 0, column_text(s, 6),
                            sqlite3_column_int64(s, 7), column_text(s, 8), sqlite3_column_int64(s, 9)};
}

}  // namespace

Result<void> Store::put_subscription(const SubscriptionRecord& r) {
  static constexpr const char* kSql =
      "INSERT OR REPLACE INTO subscriptions VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
  auto s = prepare(kSql, "prepare put_subscription");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  bind_subscription(*s, r);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("write subscription {}", r.arn)));
  return {};
}

Result<void> Store::delete_subscription(std::string_view arn) {
  static constexpr const char* kSql = "DELETE FROM subscriptions WHERE arn = ?1";
  auto s = prepare(kSql, "prepare delete_subscription");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  bind_text(*s, 1, arn);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("delete subscription {}", arn)));
  return {};
}

Result<std::vector<SubscriptionRecord>> Store::subscriptions() {
  static constexpr const char* kSql =
      "SELECT arn, topic_arn, protocol, endpoint, owner, confirmed, token, token_created_ms, attributes, created_ms "
      "FROM subscriptions ORDER BY created_ms, arn";
  auto s = prepare(kSql, "prepare subscriptions");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  std::vector<SubscriptionRecord> out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) out.push_back(read_subscription(*s));
  if (rc != SQLITE_DONE) return core::unexpected(error("read subscriptions"));
  return out;
}

Result<void> Store::put_unsubscribed(const SubscriptionRecord& r) {
  static constexpr const char* kSql =
      "INSERT OR REPLACE INTO unsubscribed VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
  auto s = prepare(kSql, "prepare put_unsubscribed");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  bind_subscription(*s, r);
  if (sqlite3_step(*s) != SQLITE_DONE) {
    return core::unexpected(error(fmt::format("write unsubscribed subscription {}", r.arn)));
  }
  return {};
}

Result<void> Store::delete_unsubscribed(std::string_view arn) {
  static constexpr const char* kSql = "DELETE FROM unsubscribed WHERE arn = ?1";
  auto s = prepare(kSql, "prepare delete_unsubscribed");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  bind_text(*s, 1, arn);
  if (sqlite3_step(*s) != SQLITE_DONE) {
    return core::unexpected(error(fmt::format("delete unsubscribed subscription {}", arn)));
  }
  return {};
}

Result<std::vector<SubscriptionRecord>> Store::unsubscribed() {
  static constexpr const char* kSql =
      "SELECT arn, topic_arn, protocol, endpoint, owner, confirmed, token, token_created_ms, attributes, created_ms "
      "FROM unsubscribed ORDER BY created_ms, arn";
  auto s = prepare(kSql, "prepare unsubscribed");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  std::vector<SubscriptionRecord> out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) out.push_back(read_subscription(*s));
  if (rc != SQLITE_DONE) return core::unexpected(error("read unsubscribed subscriptions"));
  return out;
}

// ---- outbox ----------------------------------------------------------------------------------

std::string_view delivery_state_name(DeliveryState state) {
  switch (state) {
    case DeliveryState::kPending: return "pending";
    case DeliveryState::kDelivered: return "delivered";
    case DeliveryState::kDead: return "dead";
  }
  return "";
}

namespace {

constexpr const char* kOutboxColumns =
    "id, message_id, subscription_arn, protocol, endpoint, payload, created_ms, next_attempt_ms, attempts, "
    "last_error, state, finished_ms";

std::optional<DeliveryState> parse_delivery_state(std::string_view name) {
  for (auto state : {DeliveryState::kPending, DeliveryState::kDelivered, DeliveryState::kDead}) {
    if (delivery_state_name(state) == name) return state;
  }
  return std::nullopt;
}

}  // namespace

Result<std::int64_t> Store::enqueue(const OutboxEntry& e) {
  static constexpr const char* kSql =
      "INSERT INTO outbox (message_id, subscription_arn, protocol, endpoint, payload, created_ms, next_attempt_ms, "
      "attempts, last_error, state, finished_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
  auto s = prepare(kSql, "prepare enqueue");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  bind_text(*s, 1, e.message_id);
  bind_text(*s, 2, e.subscription_arn);
  bind_text(*s, 3, e.protocol);
  bind_text(*s, 4, e.endpoint);
  bind_text(*s, 5, e.payload);
  sqlite3_bind_int64(*s, 6, e.created_ms);
  sqlite3_bind_int64(*s, 7, e.next_attempt_ms);
  sqlite3_bind_int(*s, 8, e.attempts);
  bind_text(*s, 9, e.last_error);
  bind_text(*s, 10, delivery_state_name(e.state));
  sqlite3_bind_int64(*s, 11, e.finished_ms);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error("record a delivery in the outbox"));
  return sqlite3_last_insert_rowid(db_);
}

// An entry is a head when no older entry of its subscription is still pending: deliveries to one
// subscription go out in the order they were recorded.
constexpr const char* kOutboxHead =
    "NOT EXISTS (SELECT 1 FROM outbox AS p WHERE p.subscription_arn = o.subscription_arn "
    "AND p.state = 'pending' AND p.id < o.id)";

Result<std::vector<OutboxEntry>> Store::due_deliveries(std::int64_t now_ms, int limit) {
  static const std::string kSql = fmt::format(
      "SELECT {} FROM outbox AS o WHERE state = 'pending' AND next_attempt_ms <= ?1 AND {} "
      "ORDER BY next_attempt_ms, id LIMIT ?2",
      kOutboxColumns, kOutboxHead);
  auto s = prepare(kSql.c_str(), "prepare due_deliveries");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  sqlite3_bind_int64(*s, 1, now_ms);
  sqlite3_bind_int(*s, 2, limit);
  return read_outbox(*s);
}

Result<std::vector<OutboxEntry>> Store::deliveries(std::optional<DeliveryState> state, int limit) {
  static const std::string kSql =
      fmt::format("SELECT {} FROM outbox WHERE (?1 IS NULL OR state = ?1) ORDER BY id DESC LIMIT ?2", kOutboxColumns);
  auto s = prepare(kSql.c_str(), "prepare deliveries");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  if (state) bind_text(*s, 1, delivery_state_name(*state));
  sqlite3_bind_int(*s, 2, limit);
  return read_outbox(*s);
}

Result<std::vector<OutboxEntry>> Store::read_outbox(sqlite3_stmt* s) {
  std::vector<OutboxEntry> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    OutboxEntry e;
    e.id = sqlite3_column_int64(s, 0);
    e.message_id = column_text(s, 1);
    e.subscription_arn = column_text(s, 2);
    e.protocol = column_text(s, 3);
    e.endpoint = column_text(s, 4);
    e.payload = column_text(s, 5);
    e.created_ms = sqlite3_column_int64(s, 6);
    e.next_attempt_ms = sqlite3_column_int64(s, 7);
    e.attempts = sqlite3_column_int(s, 8);
    e.last_error = column_text(s, 9);
    const auto state = parse_delivery_state(column_text(s, 10));
    if (!state) return core::unexpected(fmt::format("state store {}: an outbox entry has an unknown state", path_.string()));
    e.state = *state;
    e.finished_ms = sqlite3_column_int64(s, 11);
    out.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) return core::unexpected(error("read the outbox"));
  return out;
}

Result<void> Store::update_delivery(const OutboxEntry& e) {
  static constexpr const char* kSql =
      "UPDATE outbox SET attempts = ?2, state = ?3, next_attempt_ms = ?4, last_error = ?5, finished_ms = ?6 WHERE id = ?1";
  auto s = prepare(kSql, "prepare update_delivery");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  sqlite3_bind_int64(*s, 1, e.id);
  sqlite3_bind_int(*s, 2, e.attempts);
  bind_text(*s, 3, delivery_state_name(e.state));
  sqlite3_bind_int64(*s, 4, e.next_attempt_ms);
  bind_text(*s, 5, e.last_error);
  sqlite3_bind_int64(*s, 6, e.finished_ms);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error("record a delivery attempt"));
  if (sqlite3_changes(db_) != 1) {
    return core::unexpected(fmt::format("state store {}: outbox entry {} does not exist", path_.string(), e.id));
  }
  return {};
}

Result<std::optional<std::int64_t>> Store::next_delivery_ms() {
  static const std::string kSql =
      fmt::format("SELECT MIN(next_attempt_ms) FROM outbox AS o WHERE state = 'pending' AND {}", kOutboxHead);
  auto s = prepare(kSql.c_str(), "prepare next_delivery_ms");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  if (sqlite3_step(*s) != SQLITE_ROW) return core::unexpected(error("read the outbox"));
  if (sqlite3_column_type(*s, 0) == SQLITE_NULL) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(sqlite3_column_int64(*s, 0));
}

// ---- checkpoints -----------------------------------------------------------------------------

Result<void> Store::set_checkpoint(std::string_view source, std::string_view position) {
  static constexpr const char* kSql = "INSERT OR REPLACE INTO checkpoints VALUES (?1, ?2)";
  auto s = prepare(kSql, "prepare set_checkpoint");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  bind_text(*s, 1, source);
  bind_text(*s, 2, position);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("write the checkpoint of {}", source)));
  return {};
}

Result<std::vector<std::pair<std::string, std::string>>> Store::checkpoints(std::string_view prefix) {
  // A range on the primary key: [prefix, prefix with its last byte raised).
  static constexpr const char* kSql =
      "SELECT source, position FROM checkpoints WHERE source >= ?1 AND source < ?2 ORDER BY source";
  std::vector<std::pair<std::string, std::string>> out;
  if (prefix.empty()) return out;
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) end.pop_back();
  auto s = prepare(kSql, "prepare checkpoints");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  bind_text(*s, 1, prefix);
  if (end.empty()) {
    sqlite3_bind_blob(*s, 2, "\xFF\xFF\xFF\xFF", 4, SQLITE_STATIC);  // text sorts before any blob
  } else {
    end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
    bind_text(*s, 2, end);
  }
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) out.emplace_back(column_text(*s, 0), column_text(*s, 1));
  if (rc != SQLITE_DONE) return core::unexpected(error(fmt::format("read the checkpoints of {}*", prefix)));
  return out;
}

Result<void> Store::delete_checkpoint(std::string_view source) {
  static constexpr const char* kSql = "DELETE FROM checkpoints WHERE source = ?1";
  auto s = prepare(kSql, "prepare delete_checkpoint");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  bind_text(*s, 1, source);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("delete the checkpoint of {}", source)));
  return {};
}

Result<std::optional<std::string>> Store::checkpoint(std::string_view source) {
  static constexpr const char* kSql = "SELECT position FROM checkpoints WHERE source = ?1";
  auto s = prepare(kSql, "prepare checkpoint");
  if (!s) return core::unexpected(s.error());
  Use use(*s);
  bind_text(*s, 1, source);
  const int rc = sqlite3_step(*s);
  if (rc == SQLITE_ROW) return std::optional<std::string>(column_text(*s, 0));
  if (rc != SQLITE_DONE) return core::unexpected(error(fmt::format("read the checkpoint of {}", source)));
  return std::optional<std::string>();
}

}  // namespace sgwatch::store
