// The live security-group state tables of store.h (their DDL is in store.cpp's schema): one JSON
// document per group id, and the (event id, group id) pairs already applied to it. The store keeps
// the documents as text; sg/state.h reads and writes them.
// Neighbours: store.cpp (connection, schema, transactions), src/cli/state.cpp (the meaning).
#include <fmt/format.h>
#include <sqlite3.h>

#include "store/store.h"

namespace sgwatch::store {
namespace {

// Resets a cached statement when it goes out of scope.
class Reset {
 public:
  explicit Reset(sqlite3_stmt* statement) : s_(statement) {}
  ~Reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Reset(const Reset&) = delete;
  Reset& operator=(const Reset&) = delete;

 private:
  sqlite3_stmt* s_;
};

void bind_text_at(sqlite3_stmt* s, int index, std::string_view text) {
  sqlite3_bind_text(s, index, text.empty() ? "" : text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

std::string text_of(sqlite3_stmt* s, int index) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, index));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, index))) : std::string();
}

SgGroupRecord read_group(sqlite3_stmt* s) {
  SgGroupRecord r;
  r.group_id = text_of(s, 0);
  r.document = text_of(s, 1);
  r.updated_ms = sqlite3_column_int64(s, 2);
  return r;
}

}  // namespace

Result<void> Store::put_sg_group(const SgGroupRecord& group) {
  static constexpr const char* kSql = "INSERT OR REPLACE INTO sg_groups VALUES (?1, ?2, ?3)";
  auto s = prepare(kSql, "prepare put_sg_group");
  if (!s) return core::unexpected(s.error());
  Reset reset(*s);
  bind_text_at(*s, 1, group.group_id);
  bind_text_at(*s, 2, group.document);
  sqlite3_bind_int64(*s, 3, group.updated_ms);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error(fmt::format("write security group {}", group.group_id)));
  return {};
}

Result<std::optional<SgGroupRecord>> Store::sg_group(std::string_view group_id) {
  static constexpr const char* kSql = "SELECT group_id, document, updated_ms FROM sg_groups WHERE group_id = ?1";
  auto s = prepare(kSql, "prepare sg_group");
  if (!s) return core::unexpected(s.error());
  Reset reset(*s);
  bind_text_at(*s, 1, group_id);
  const int rc = sqlite3_step(*s);
  if (rc == SQLITE_ROW) return std::optional<SgGroupRecord>(read_group(*s));
  if (rc != SQLITE_DONE) return core::unexpected(error(fmt::format("read security group {}", group_id)));
  return std::optional<SgGroupRecord>();
}

Result<std::vector<SgGroupRecord>> Store::sg_groups() {
  static constexpr const char* kSql = "SELECT group_id, document, updated_ms FROM sg_groups ORDER BY group_id";
  auto s = prepare(kSql, "prepare sg_groups");
  if (!s) return core::unexpected(s.error());
  Reset reset(*s);
  std::vector<SgGroupRecord> out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) out.push_back(read_group(*s));
  if (rc != SQLITE_DONE) return core::unexpected(error("read security groups"));
  return out;
}

Result<bool> Store::sg_change_applied(std::string_view event_id, std::string_view group_id) {
  static constexpr const char* kSql = "SELECT 1 FROM sg_applied_changes WHERE event_id = ?1 AND group_id = ?2";
  auto s = prepare(kSql, "prepare sg_change_applied");
  if (!s) return core::unexpected(s.error());
  Reset reset(*s);
  bind_text_at(*s, 1, event_id);
  bind_text_at(*s, 2, group_id);
  const int rc = sqlite3_step(*s);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) return core::unexpected(error("read the applied security-group changes"));
  return false;
}

Result<void> Store::mark_sg_change_applied(std::string_view event_id, std::string_view group_id,
                                           std::string_view event_time) {
  static constexpr const char* kSql = "INSERT OR IGNORE INTO sg_applied_changes VALUES (?1, ?2, ?3)";
  if (event_id.empty()) return {};
  auto s = prepare(kSql, "prepare mark_sg_change_applied");
  if (!s) return core::unexpected(s.error());
  Reset reset(*s);
  bind_text_at(*s, 1, event_id);
  bind_text_at(*s, 2, group_id);
  bind_text_at(*s, 3, event_time);
  if (sqlite3_step(*s) != SQLITE_DONE) return core::unexpected(error("record an applied security-group change"));
  return {};
}

}  // namespace sgwatch::store
