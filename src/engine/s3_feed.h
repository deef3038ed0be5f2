// S3Feed: a log group fed by an S3 bucket prefix where CloudTrail delivers, as CloudTrailFeed
// feeds one from a folder (the same reading, batching and checkpoints, committed in the same
// transaction as the events they cover; checkpoint names "s3:<log group>:<bucket>/<key>"), with
// optional SQS event notifications.
//   - Without a queue, each poll() lists the prefix (sources/s3_prefix.h says how the listing
//     stays bounded) and reads the objects not yet read.
//   - With a queue, each poll() long-polls ReceiveMessage and reads the objects the messages
//     name (every shape of sources/s3_notification.h), then deletes each message only after the
//     events of its objects are committed. The prefix is still listed at the first poll and every
//     `safety_list_ms` as a safety net. A message that names other buckets or keys outside the
//     prefix, an object that does not exist, or that cannot be read at all is a problem in the
//     report (with the message id) and is deleted; s3:TestEvent is deleted quietly. A message
//     whose objects could not be read for a passing reason is left in the queue to come back,
//     at most `max_receive_attempts` times, then deleted with a problem (the listing still reads
//     the object later): no message loops forever.
// Neighbours: engine/cloudtrail_feed.h, sources/s3_prefix.h, aws/s3.h, cli/serve.cpp (one thread).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "aws/client.h"
#include "core/clock.h"
#include "core/result.h"
#include "engine/cloudtrail_feed.h"
#include "engine/logs_engine.h"
#include "sources/s3_notification.h"
#include "sources/s3_prefix.h"
#include "store/store.h"

namespace sgwatch::engine {

struct S3FeedOptions {
  CloudTrailFeedOptions feed;  // log group, defaults for records, chunking, on_transition
  sources::S3PrefixOptions prefix;
  std::string sqs_queue_url;   // empty: listing only
  int sqs_wait_seconds = 10;   // ReceiveMessage long polling, 0 to 20
  std::int64_t safety_list_ms = 15 * 60 * 1000;  // with a queue: how often the prefix is listed
  int max_receive_attempts = 5;
};

class S3Feed {
 public:
  // `client` signs and sends the S3 and SQS calls; it is used by the thread that calls poll().
  S3Feed(LogsEngine& logs, store::Store& store, std::mutex& lock, const core::Clock& clock,
         std::unique_ptr<aws::Client> client, S3FeedOptions options);

  LogsResult<void> prepare() { return feed_->prepare(); }
  // One round: a listing when due, then (with a queue) one ReceiveMessage and its messages.
  // Fails when the bucket cannot be listed, the queue cannot be read, or the store fails.
  core::Result<FeedReport, std::string> poll();

  const S3FeedOptions& options() const { return options_; }
  bool has_queue() const { return !options_.sqs_queue_url.empty(); }
  std::string where() const { return source_->where(); }
  std::string checkpoint_name(const std::string& bucket, const std::string& key) const {
    return feed_->checkpoint_name(bucket + "/" + key);
  }

 private:
  core::Result<void, std::string> handle(const aws::SqsMessage& message, FeedReport& report);
  void remove(const aws::SqsMessage& message, FeedReport& report);

  const core::Clock& clock_;
  std::unique_ptr<aws::Client> client_;
  S3FeedOptions options_;
  sources::S3PrefixSource* source_ = nullptr;  // owned by feed_
  std::unique_ptr<CloudTrailFeed> feed_;
  std::optional<std::int64_t> next_list_ms_;
  std::map<std::string, int> attempts_;  // message id -> receives that could not finish
};

}  // namespace sgwatch::engine
