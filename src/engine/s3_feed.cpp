// Implementation of s3_feed.h.
#include "engine/s3_feed.h"

#include <fmt/format.h>

#include <set>
#include <utility>

namespace sgwatch::engine {

namespace {

void merge(FeedReport& into, FeedReport&& from) {
  into.files_read += from.files_read;
  into.records += from.records;
  into.events_accepted += from.events_accepted;
  into.events_refused += from.events_refused;
  into.transitions += from.transitions;
  for (std::string& line : from.problems) into.problems.push_back(std::move(line));
  for (std::string& line : from.notes) into.notes.push_back(std::move(line));
  for (std::string& key : from.unreadable) into.unreadable.push_back(std::move(key));
}

std::string describe(const aws::AwsError& error) {
  return error.code.empty() ? error.message : error.code + ": " + error.message;
}

}  // namespace

S3Feed::S3Feed(LogsEngine& logs, store::Store& store, std::mutex& lock, const core::Clock& clock,
               std::unique_ptr<aws::Client> client, S3FeedOptions options)
    : clock_(clock), client_(std::move(client)), options_(std::move(options)) {
  auto source = std::make_unique<sources::S3PrefixSource>(*client_, clock_, options_.prefix);
  source_ = source.get();
  feed_ = std::make_unique<CloudTrailFeed>(logs, store, lock, clock, options_.feed, std::move(source));
}

core::Result<FeedReport, std::string> S3Feed::poll() {
  FeedReport report;
  const std::int64_t now = clock_.now_ms();
  if (!has_queue() || !next_list_ms_ || now >= *next_list_ms_) {
    auto listed = feed_->poll();
    if (!listed) return core::unexpected(listed.error());
    merge(report, std::move(*listed));
    next_list_ms_ = now + options_.safety_list_ms;
  }
  if (!has_queue()) return report;
  auto messages = aws::sqs_receive_messages(*client_, options_.sqs_queue_url, 10, options_.sqs_wait_seconds);
  if (!messages) {
    return core::unexpected(fmt::format("receiving from {}: {}", options_.sqs_queue_url, describe(messages.error())));
  }
  for (const aws::SqsMessage& message : *messages) {
    auto handled = handle(message, report);
    if (!handled) return core::unexpected(handled.error());
  }
  return report;
}

void S3Feed::remove(const aws::SqsMessage& message, FeedReport& report) {
  attempts_.erase(message.message_id);
  auto deleted = aws::sqs_delete_message(*client_, options_.sqs_queue_url, message.receipt_handle);
  if (!deleted) {
    report.problems.push_back(fmt::format("{}: message {}: cannot delete it (it will come back and be skipped): {}",
                                          options_.sqs_queue_url, message.message_id, describe(deleted.error())));
  }
}

core::Result<void, std::string> S3Feed::handle(const aws::SqsMessage& message, FeedReport& report) {
  const sources::S3Notification notification = sources::parse_s3_notification(message.body);
  const std::string what = fmt::format("{}: message {}", options_.sqs_queue_url, message.message_id);
  if (notification.kind == sources::S3Notification::Kind::kTestEvent) {
    report.notes.push_back(fmt::format("{}: s3:TestEvent, deleted", what));
    remove(message, report);
    return {};
  }
  if (notification.kind == sources::S3Notification::Kind::kUnreadable) {
    report.problems.push_back(fmt::format("{}: {}; deleted", what, notification.error));
    remove(message, report);
    return {};
  }
  std::vector<sources::FileEntry> entries;
  std::set<std::string> seen;
  bool again = false;
  for (const sources::S3ObjectRef& object : notification.objects) {
    if (!seen.insert(object.bucket + "/" + object.key).second) continue;
    if (!source_->covers(object.bucket, object.key)) {
      report.problems.push_back(fmt::format("{}: s3://{}/{} is not under {}; ignored", what, object.bucket,
                                            object.key, source_->where()));
      continue;
    }
    auto entry = source_->entry(object.key);
    if (!entry) {
      if (entry.error().missing) {
        report.problems.push_back(fmt::format("{}: s3://{}/{}: no such object; ignored", what, object.bucket,
                                              object.key));
      } else {
        report.problems.push_back(fmt::format("{}: s3://{}/{}: {}", what, object.bucket, object.key,
                                              entry.error().message));
        again = true;
      }
      continue;
    }
    entries.push_back(std::move(*entry));
  }
  auto read = feed_->read_entries(entries);
  if (!read) return core::unexpected(read.error());
  if (!read->unreadable.empty()) again = true;
  merge(report, std::move(*read));
  if (again) {
    const int attempts = ++attempts_[message.message_id];
    if (attempts < options_.max_receive_attempts) return {};  // back after the visibility timeout
    report.problems.push_back(fmt::format("{}: its objects could not be read in {} attempts; deleted (the listing "
                                          "of the prefix reads them later)",
                                          what, attempts));
  }
  remove(message, report);
  return {};
}

}  // namespace sgwatch::engine
