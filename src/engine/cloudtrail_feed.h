// CloudTrailFeed: a log group fed by a folder of CloudTrail files, as CloudTrail's CloudWatch
// Logs integration feeds one. Every record of every file under the folder (any input format the
// event reader knows: S3 delivery objects, gzip'd or not, JSON lines, EventBridge envelopes, ...)
// becomes one log event of the stream "<recipientAccountId>_CloudTrail_<awsRegion>", stamped
// with the record's eventTime, and goes through LogsEngine::put_log_events — so the group's
// metric filters, alarms and notifications see it exactly as they see PutLogEvents.
//
// Each file's position is a store checkpoint committed in the same transaction as the batch it
// advances past: after a crash a file resumes at the first batch not stored, never twice and
// never skipped. Files are read once they have been unchanged for `settle_ms`, then again only
// when they change (a grown file from where it stopped, a shorter one from its start).
// The files come from a sources::EntrySource: a folder (sources/folder.h) by default, or any
// other source of entries, such as an S3 bucket prefix (sources/s3_prefix.h, engine/s3_feed.h),
// whose checkpoints are then named "<source kind>:<log group>:<entry key>".
// Neighbours: sources/folder.h (listing, positions), engine/logs_engine.h (ingestion),
// cli/serve.cpp (runs poll() on its own thread), docs/logs.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "engine/logs_engine.h"
#include "sources/entry_source.h"
#include "sources/folder.h"
#include "store/store.h"

namespace sgwatch::engine {

struct CloudTrailFeedOptions {
  std::string log_group_name;
  std::filesystem::path folder;
  // For records that do not name their account or region (recipientAccountId, awsRegion).
  std::string account_id = "123456789012";
  std::string region = "us-east-1";
  // A file is read only once it has not changed for this long (a copy still in progress).
  std::int64_t settle_ms = 1000;
  // Records read before they are sorted into batches; a batch holds at most 10,000 events, 1 MB
  // and 24 hours, as PutLogEvents allows.
  std::size_t chunk_records = 10000;
  // Called (without the lock) after a batch whose datapoints changed an alarm's state.
  std::function<void()> on_transition;
};

struct FeedReport {
  std::uint64_t files_read = 0;
  std::uint64_t records = 0;
  std::uint64_t events_accepted = 0;
  // Refused by the log group as PutLogEvents refuses them: older than 14 days or than the
  // group's retention, more than 2 hours ahead, or larger than 256 KB.
  std::uint64_t events_refused = 0;
  std::uint64_t transitions = 0;
  // One line per problem: "<path>: <what>" (bad input with its offset, unreadable files).
  std::vector<std::string> problems;
  // One line per file read: "<path>: N records, M stored, K refused".
  std::vector<std::string> notes;
  // The keys (FileEntry::relative) of entries that could not be opened this time.
  std::vector<std::string> unreadable;
};

class CloudTrailFeed {
 public:
  // `lock` guards `logs` and `store` (the server's API mutex); poll() holds it only while it
  // stores a batch, never while it reads files.
  CloudTrailFeed(LogsEngine& logs, store::Store& store, std::mutex& lock, const core::Clock& clock,
                 CloudTrailFeedOptions options);
  // The same over another source of entries (options.folder is then unused).
  CloudTrailFeed(LogsEngine& logs, store::Store& store, std::mutex& lock, const core::Clock& clock,
                 CloudTrailFeedOptions options, std::unique_ptr<sources::EntrySource> source);

  // Creates the log group when it does not exist. Errors: the group name is invalid.
  LogsResult<void> prepare();

  // Reads every file that is new or changed since it was last read. Fails only when the folder
  // cannot be listed or the store fails; bad files are problems in the report.
  core::Result<FeedReport, std::string> poll();
  // Reads the given entries (as a listing of the source would give them) that are new or
  // changed since they were last read: for entries named by notifications. Fails only when the
  // store fails.
  core::Result<FeedReport, std::string> read_entries(const std::vector<sources::FileEntry>& entries);
  sources::EntrySource& source() { return *source_; }

  const CloudTrailFeedOptions& options() const { return options_; }
  // The checkpoint name of a file of this feed.
  std::string checkpoint_name(const std::string& relative) const;

 private:
  struct Pending {
    std::string stream;
    std::int64_t timestamp_ms = 0;
    std::string message;
  };
  // Reads one listed entry unless its checkpoint says it is done.
  core::Result<void, std::string> consume(const sources::FileEntry& file, FeedReport& report);
  core::Result<void, std::string> read_file(const sources::FileEntry& file, sources::ReadFrom from,
                                            const std::optional<sources::FilePosition>& position,
                                            FeedReport& report);
  // Stores one chunk (records [first, first + chunk.size()) of the file), skipping the batches
  // `skip_batches` already stored; the last batch carries `done` as the file's position.
  core::Result<void, std::string> store_chunk(const sources::FileEntry& file, std::vector<Pending>& chunk,
                                              std::uint64_t first, std::uint64_t skip_batches,
                                              const sources::FilePosition& done, FeedReport& report);
  core::Result<void, std::string> write_position(const std::string& name, const sources::FilePosition& position);
  core::Result<void, std::string> ensure_stream(const std::string& stream);

  LogsEngine& logs_;
  store::Store& store_;
  std::mutex& lock_;
  const core::Clock& clock_;
  CloudTrailFeedOptions options_;
  std::unique_ptr<sources::EntrySource> source_;
  std::set<std::string> streams_;  // streams known to exist
  // Files that could not be opened, with the size and mtime they had: tried again once changed.
  std::map<std::string, std::pair<std::uint64_t, std::int64_t>> failed_;
};

}  // namespace sgwatch::engine
