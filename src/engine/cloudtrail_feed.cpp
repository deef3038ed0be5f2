#include "engine/cloudtrail_feed.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "core/time.h"
#include "engine/log_batches.h"
#include "event/event.h"

namespace sgwatch::engine {

namespace {

constexpr std::size_t kMaxChunkBytes = std::size_t{8} << 20;

std::optional<std::string> string_member(std::string_view record, std::string_view key) {
  auto member = event::json::find_member(record, key);
  if (!member || member->value.empty() || member->value.front() != '"') return std::nullopt;
  auto text = event::json::decode_string(member->value);
  if (!text || text->empty()) return std::nullopt;
  return text;
}

}  // namespace

CloudTrailFeed::CloudTrailFeed(LogsEngine& logs, store::Store& store, std::mutex& lock, const core::Clock& clock,
                               CloudTrailFeedOptions options)
    : logs_(logs),
      store_(store),
      lock_(lock),
      clock_(clock),
      options_(std::move(options)),
      source_(std::make_unique<sources::FolderSource>(options_.folder)) {}

CloudTrailFeed::CloudTrailFeed(LogsEngine& logs, store::Store& store, std::mutex& lock, const core::Clock& clock,
                               CloudTrailFeedOptions options, std::unique_ptr<sources::EntrySource> source)
    : logs_(logs), store_(store), lock_(lock), clock_(clock), options_(std::move(options)), source_(std::move(source)) {}

std::string CloudTrailFeed::checkpoint_name(const std::string& relative) const {
  return fmt::format("{}:{}:{}", source_->kind(), options_.log_group_name, relative);
}

LogsResult<void> CloudTrailFeed::prepare() {
  std::lock_guard<std::mutex> guard(lock_);
  CreateLogGroupRequest request;
  request.log_group_name = options_.log_group_name;
  return logs_.ensure_log_group(request);
}

core::Result<FeedReport, std::string> CloudTrailFeed::poll() {
  auto listing = source_->list();
  if (!listing) return core::unexpected(listing.error());
  FeedReport report;
  for (std::string& error : listing->errors) report.problems.push_back(std::move(error));
  for (const sources::FileEntry& file : listing->files) {
    auto consumed = consume(file, report);
    if (!consumed) return core::unexpected(consumed.error());
  }
  return report;
}

core::Result<FeedReport, std::string> CloudTrailFeed::read_entries(const std::vector<sources::FileEntry>& entries) {
  FeedReport report;
  for (const sources::FileEntry& file : entries) {
    auto consumed = consume(file, report);
    if (!consumed) return core::unexpected(consumed.error());
  }
  return report;
}

core::Result<void, std::string> CloudTrailFeed::consume(const sources::FileEntry& file, FeedReport& report) {
  const std::int64_t now_ns = clock_.now_ms() * 1000000;
  // Still being written (a folder's file); an immutable entry is complete when listed, and a
  // file the folder watch saw closed or renamed in is complete too.
  if (!file.complete && !source_->immutable() && now_ns - file.mtime_ns < options_.settle_ms * 1000000) return {};
  const std::string name = checkpoint_name(file.relative);
  std::optional<std::string> stored;
  {
    std::lock_guard<std::mutex> guard(lock_);
    auto read = store_.checkpoint(name);
    if (!read) return core::unexpected(read.error());
    stored = std::move(*read);
  }
  std::optional<sources::FilePosition> position;
  if (stored) {
    position = sources::decode_position(*stored);
    if (!position) {
      report.problems.push_back(
          fmt::format("{}: the stored position \"{}\" is not readable; reading the file from its start",
                      file.path.string(), *stored));
    }
  }
  const sources::ReadFrom from = sources::read_from(file, position);
  if (from == sources::ReadFrom::kSkip) return {};
  // A file that could not be opened is tried again only once it changes (an immutable entry:
  // at every listing, as the failure may pass).
  if (auto failed = failed_.find(file.relative);
      failed != failed_.end() && failed->second == std::make_pair(file.size, file.mtime_ns)) {
    return {};
  }
  return read_file(file, from, position, report);
}

core::Result<void, std::string> CloudTrailFeed::read_file(const sources::FileEntry& file, sources::ReadFrom from,
                                                          const std::optional<sources::FilePosition>& position,
                                                          FeedReport& report) {
  auto opened = source_->open(file);
  if (!opened) {
    report.problems.push_back(fmt::format("{}: cannot open: {}", file.path.string(), opened.error()));
    report.unreadable.push_back(file.relative);
    if (!source_->immutable()) failed_[file.relative] = {file.size, file.mtime_ns};
    return {};
  }
  failed_.erase(file.relative);
  const bool resume = from == sources::ReadFrom::kPosition && position.has_value();
  const std::uint64_t skip = resume ? position->records : 0;
  std::uint64_t skip_batches = resume ? position->batches : 0;
  event::Reader::Options reader_options;
  reader_options.sniff_json = true;
  const event::Reader reader(reader_options);
  event::ByteSource& source = **opened;

  std::vector<Pending> chunk;
  std::size_t chunk_bytes = 0;
  std::uint64_t index = 0;
  std::uint64_t chunk_first = skip;
  const std::uint64_t accepted_before = report.events_accepted;
  const std::uint64_t refused_before = report.events_refused;
  std::optional<std::string> failure;
  auto flush = [&](bool complete) {
    sources::FilePosition done{file.size, file.mtime_ns, chunk_first + chunk.size(), 0, complete};
    auto stored = store_chunk(file, chunk, chunk_first, skip_batches, done, report);
    if (!stored) failure = stored.error();
    chunk_first = done.records;
    skip_batches = 0;
    chunk.clear();
    chunk_bytes = 0;
  };
  const event::ReadResult result = reader.read(source, [&](const event::Record& record) {
    if (index++ < skip || failure) return;
    Pending pending;
    const auto account = string_member(record.text, "recipientAccountId");
    const auto region = string_member(record.text, "awsRegion");
    pending.stream = fmt::format("{}_CloudTrail_{}", account.value_or(options_.account_id),
                                 region.value_or(options_.region));
    const auto time = string_member(record.text, "eventTime");
    const auto seconds = time ? core::parse_iso8601(*time) : std::nullopt;
    pending.timestamp_ms = seconds ? *seconds * 1000 : clock_.now_ms();
    pending.message.assign(record.text);
    chunk_bytes += pending.message.size();
    chunk.push_back(std::move(pending));
    if (chunk.size() >= options_.chunk_records || chunk_bytes >= kMaxChunkBytes) flush(false);
  });
  if (!failure) flush(true);
  if (failure) return core::unexpected(*failure);

  ++report.files_read;
  report.records += index > skip ? index - skip : 0;
  for (const event::ReadError& error : result.errors) {
    report.problems.push_back(fmt::format("{}: {} {}: {}", file.path.string(),
                                          error.compressed ? "gzip byte" : "byte", error.offset, error.reason));
  }
  if (result.error_count > result.errors.size()) {
    report.problems.push_back(
        fmt::format("{}: {} more errors", file.path.string(), result.error_count - result.errors.size()));
  }
  if (result.skipped) {
    report.notes.push_back(fmt::format("{}: skipped: {}", file.path.string(), *result.skipped));
  } else {
    report.notes.push_back(fmt::format("{}: {} records from record {}, {} stored, {} refused", file.path.string(),
                                       index > skip ? index - skip : 0, skip,
                                       report.events_accepted - accepted_before,
                                       report.events_refused - refused_before));
  }
  return {};
}

core::Result<void, std::string> CloudTrailFeed::store_chunk(const sources::FileEntry& file,
                                                            std::vector<Pending>& chunk, std::uint64_t first,
                                                            std::uint64_t skip_batches,
                                                            const sources::FilePosition& done, FeedReport& report) {
  // Batches PutLogEvents accepts (log_batches.h); an event over 256 KB is refused as the API
  // would refuse it.
  sort_for_batches(chunk);
  std::vector<char> oversized;
  const std::vector<LogBatch> batches = plan_log_batches(chunk, oversized);
  if (skip_batches == 0) {
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      if (!oversized[i]) continue;
      ++report.events_refused;
      report.problems.push_back(fmt::format("{}: record {}: {} bytes, over the 256 KB a log event may hold",
                                            file.path.string(), first + i, chunk[i].message.size()));
    }
  }
  const std::string name = checkpoint_name(file.relative);
  bool stored_last = false;
  for (std::size_t k = 0; k < batches.size(); ++k) {
    if (k < skip_batches) continue;
    const LogBatch& batch = batches[k];
    const std::string& stream = chunk[batch.begin].stream;
    auto ensured = ensure_stream(stream);
    if (!ensured) return ensured;
    PutLogEventsRequest request;
    request.log_group_name = options_.log_group_name;
    request.log_stream_name = stream;
    request.log_events.reserve(batch.end - batch.begin);
    for (std::size_t i = batch.begin; i < batch.end; ++i) {
      request.log_events.push_back(InputLogEvent{chunk[i].timestamp_ms, chunk[i].message});
    }
    const bool last = k + 1 == batches.size();
    sources::FilePosition position =
        last ? done : sources::FilePosition{done.size, done.mtime_ns, first, k + 1, false};
    std::size_t transitions = 0;
    {
      std::lock_guard<std::mutex> guard(lock_);
      auto put = logs_.put_log_events(request, Checkpoint{name, sources::encode_position(position)});
      if (!put) {
        return core::unexpected(fmt::format("{}: storing {} events in {}/{}: {}: {}", file.path.string(),
                                            request.log_events.size(), options_.log_group_name, stream,
                                            put.error().code, put.error().message));
      }
      report.events_accepted += put->accepted_events;
      report.events_refused += request.log_events.size() - put->accepted_events;
      transitions = put->transitions.size();
    }
    report.transitions += transitions;
    if (transitions > 0 && options_.on_transition) options_.on_transition();
    stored_last = last;
  }
  if (!stored_last) return write_position(name, done);
  return {};
}

core::Result<void, std::string> CloudTrailFeed::write_position(const std::string& name,
                                                               const sources::FilePosition& position) {
  std::lock_guard<std::mutex> guard(lock_);
  auto begun = store_.begin();
  if (!begun) return core::unexpected(begun.error());
  auto set = store_.set_checkpoint(name, sources::encode_position(position));
  if (!set) {
    store_.rollback();
    return core::unexpected(set.error());
  }
  auto committed = store_.commit();
  if (!committed) return core::unexpected(committed.error());
  return {};
}

core::Result<void, std::string> CloudTrailFeed::ensure_stream(const std::string& stream) {
  if (streams_.count(stream)) return {};
  std::lock_guard<std::mutex> guard(lock_);
  auto created = logs_.create_log_stream(options_.log_group_name, stream);
  if (!created && created.error().code != "ResourceAlreadyExistsException") {
    return core::unexpected(fmt::format("creating the log stream {}/{}: {}: {}", options_.log_group_name, stream,
                                        created.error().code, created.error().message));
  }
  streams_.insert(stream);
  return {};
}

}  // namespace sgwatch::engine
