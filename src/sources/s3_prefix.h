// S3PrefixSource: the objects under an S3 bucket prefix as entries of a feed (entry_source.h),
// listed with ListObjectsV2 and read with GetObject (aws/s3.h). An entry's key is
// "<bucket>/<key>", its version stamp the object's size and LastModified (objects are
// immutable; CloudTrail never rewrites one).
//
// Listing cost stays bounded as a CloudTrail prefix grows for years. CloudTrail writes
// AWSLogs/[o-org/]<account>/CloudTrail/<region>/YYYY/MM/DD/<file>, so:
//   - discovery walks the prefix one level at a time (Delimiter "/") and stops at each
//     "partition": a prefix whose children are year folders ("2026/"); it never lists the
//     dated folders themselves. CloudTrail-Digest folders are left out (digests hold no
//     records). Objects met above the date level are entries too (a prefix of plain objects).
//     Discovery runs at the first list(), at every list() while it has found no partition (a
//     trail that has not delivered yet), and every `rediscover_ms` (new regions, accounts).
//   - each list() asks, per partition, only for keys after "<partition>YYYY/MM/DD" of a day
//     before (StartAfter): today's and yesterday's folders, one page per region and day. The
//     first list() after a start looks back `first_lookback_days` (15: CloudWatch Logs, and so
//     the feed, refuses events older than 14 days), and after failed lists back to the last one
//     that succeeded (at most that far), so an outage loses nothing the log group would take.
//   - objects already read are skipped by their checkpoints (a store read, no GET).
// Neighbours: engine/cloudtrail_feed.h (the feed), engine/s3_feed.h (adds SQS notifications),
// sources/s3_notification.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/client.h"
#include "aws/s3.h"
#include "core/clock.h"
#include "sources/entry_source.h"

namespace sgwatch::sources {

struct S3PrefixOptions {
  std::string bucket;
  std::string prefix;  // "" or e.g. "AWSLogs/" or "team/AWSLogs/123456789012/CloudTrail/"
  int first_lookback_days = 15;
  int lookback_days = 1;  // besides today, at every later list()
  std::int64_t rediscover_ms = 10 * 60 * 1000;
  std::size_t max_prefixes = 100000;  // discovery gives up past this many folders
  int max_depth = 12;                 // or this many levels below the prefix
};

class S3PrefixSource : public EntrySource {
 public:
  // `client` is used by this source's thread only.
  S3PrefixSource(aws::Client& client, const core::Clock& clock, S3PrefixOptions options);

  std::string_view kind() const override { return "s3"; }
  std::string where() const override;
  bool immutable() const override { return true; }
  core::Result<FolderListing, std::string> list() override;
  core::Result<std::unique_ptr<event::ByteSource>, std::string> open(const FileEntry& entry) override;

  // The entry of one object, from HeadObject (for objects named by notifications). The error
  // says why; `missing` is set when S3 answered that there is no such object.
  struct EntryError {
    std::string message;
    bool missing = false;
  };
  core::Result<FileEntry, EntryError> entry(const std::string& key);

  // True when `key` of `bucket` belongs to this source (its bucket, under its prefix).
  bool covers(const std::string& bucket, const std::string& key) const;

  const S3PrefixOptions& options() const { return options_; }
  // Partitions found by the last discovery, sorted (for tests and messages).
  const std::vector<std::string>& partitions() const { return partitions_; }

  // The StartAfter of a partition's listing `days` days before `now_ms` ("<partition>YYYY/MM/DD").
  static std::string start_after(const std::string& partition, std::int64_t now_ms, int days);

 private:
  core::Result<void, std::string> discover(FolderListing& out);
  // One level under `prefix` (delimiter '/'): its objects and its folders, every page.
  core::Result<aws::S3ListPage, std::string> list_level(const std::string& prefix);
  FileEntry make_entry(const aws::S3Object& object) const;

  aws::Client& client_;
  const core::Clock& clock_;
  S3PrefixOptions options_;
  std::vector<std::string> partitions_;
  std::vector<std::string> flat_prefixes_;  // folders holding objects above the date level
  std::optional<std::int64_t> discovered_ms_;
  std::optional<std::int64_t> listed_ms_;  // start of the last list() that succeeded
};

}  // namespace sgwatch::sources
