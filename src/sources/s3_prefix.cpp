// Implementation of s3_prefix.h.
#include "sources/s3_prefix.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <deque>
#include <set>
#include <utility>

namespace sgwatch::sources {

namespace {

constexpr std::int64_t kDayMs = 24 * 3600 * 1000;

// The last segment of a common prefix ("a/b/2026/" -> "2026").
std::string_view last_segment(std::string_view prefix) {
  if (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  const auto slash = prefix.rfind('/');
  return slash == std::string_view::npos ? prefix : prefix.substr(slash + 1);
}

bool is_year(std::string_view segment) {
  return segment.size() == 4 && (segment.starts_with("19") || segment.starts_with("20")) &&
         std::all_of(segment.begin(), segment.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string describe(const aws::AwsError& error) {
  std::string text = error.code.empty() ? error.message : error.code + ": " + error.message;
  if (error.http_status != 0 && error.code.empty()) text = fmt::format("HTTP {}: {}", error.http_status, text);
  return text;
}

}  // namespace

S3PrefixSource::S3PrefixSource(aws::Client& client, const core::Clock& clock, S3PrefixOptions options)
    : client_(client), clock_(clock), options_(std::move(options)) {}

std::string S3PrefixSource::where() const {
  return fmt::format("s3://{}/{}", options_.bucket, options_.prefix);
}

bool S3PrefixSource::covers(const std::string& bucket, const std::string& key) const {
  return bucket == options_.bucket && key.starts_with(options_.prefix);
}

std::string S3PrefixSource::start_after(const std::string& partition, std::int64_t now_ms, int days) {
  const std::time_t seconds = static_cast<std::time_t>((now_ms - days * kDayMs) / 1000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  return fmt::format("{}{:04}/{:02}/{:02}", partition, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

FileEntry S3PrefixSource::make_entry(const aws::S3Object& object) const {
  FileEntry entry;
  entry.path = fmt::format("s3://{}/{}", options_.bucket, object.key);
  entry.relative = options_.bucket + "/" + object.key;
  entry.size = object.size;
  entry.mtime_ns = object.last_modified * 1000000000;
  return entry;
}

core::Result<void, std::string> S3PrefixSource::discover(FolderListing& out) {
  std::vector<std::string> partitions;
  std::vector<std::string> flat;
  std::deque<std::pair<std::string, int>> queue{{options_.prefix, 0}};
  std::size_t seen = 1;
  while (!queue.empty()) {
    auto [prefix, depth] = std::move(queue.front());
    queue.pop_front();
    auto listed = list_level(prefix);
    if (!listed) return core::unexpected(listed.error());
    if (!listed->objects.empty()) flat.push_back(prefix);
    for (const aws::S3Object& object : listed->objects) out.files.push_back(make_entry(object));
    const bool partition = std::any_of(listed->prefixes.begin(), listed->prefixes.end(),
                                       [](const std::string& child) { return is_year(last_segment(child)); });
    if (partition) partitions.push_back(prefix);
    for (std::string& child : listed->prefixes) {
      const std::string_view segment = last_segment(child);
      if (is_year(segment) || segment == "CloudTrail-Digest") continue;
      if (depth + 1 > options_.max_depth || seen >= options_.max_prefixes) {
        out.errors.push_back(fmt::format("s3://{}/{}: not listed: more than {} folders or {} levels under the prefix",
                                         options_.bucket, child, options_.max_prefixes, options_.max_depth));
        continue;
      }
      ++seen;
      queue.emplace_back(std::move(child), depth + 1);
    }
  }
  std::sort(partitions.begin(), partitions.end());
  partitions_ = std::move(partitions);
  flat_prefixes_ = std::move(flat);
  return {};
}

core::Result<aws::S3ListPage, std::string> S3PrefixSource::list_level(const std::string& prefix) {
  aws::S3ListRequest request;
  request.bucket = options_.bucket;
  request.prefix = prefix;
  request.delimiter = "/";
  auto listed = aws::s3_list_all(client_, request);
  if (!listed) {
    return core::unexpected(fmt::format("listing s3://{}/{}: {}", options_.bucket, prefix, describe(listed.error())));
  }
  return std::move(*listed);
}

core::Result<FolderListing, std::string> S3PrefixSource::list() {
  const std::int64_t now = clock_.now_ms();
  FolderListing out;
  std::set<std::string> flat_listed;
  if (!discovered_ms_ || partitions_.empty() || now - *discovered_ms_ >= options_.rediscover_ms) {
    auto found = discover(out);
    if (!found) return core::unexpected(found.error());
    discovered_ms_ = now;
    flat_listed.insert(flat_prefixes_.begin(), flat_prefixes_.end());
  }
  // Folders of plain objects found by discovery, listed again (one level).
  for (const std::string& prefix : flat_prefixes_) {
    if (flat_listed.count(prefix)) continue;
    auto listed = list_level(prefix);
    if (!listed) return core::unexpected(listed.error());
    for (const aws::S3Object& object : listed->objects) out.files.push_back(make_entry(object));
  }
  // The recent days of each partition.
  int days = options_.first_lookback_days;
  if (listed_ms_) {
    const std::int64_t since = (now - *listed_ms_) / kDayMs + options_.lookback_days;
    days = static_cast<int>(std::min<std::int64_t>(since, options_.first_lookback_days));
  }
  for (const std::string& partition : partitions_) {
    aws::S3ListRequest request;
    request.bucket = options_.bucket;
    request.prefix = partition;
    request.start_after = start_after(partition, now, days);
    auto listed = aws::s3_list_all(client_, request);
    if (!listed) {
      return core::unexpected(
          fmt::format("listing s3://{}/{}: {}", options_.bucket, partition, describe(listed.error())));
    }
    for (const aws::S3Object& object : listed->objects) {
      if (object.key.find("/CloudTrail-Digest/") != std::string::npos) continue;
      out.files.push_back(make_entry(object));
    }
  }
  std::sort(out.files.begin(), out.files.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.relative < b.relative; });
  out.files.erase(std::unique(out.files.begin(), out.files.end(),
                              [](const FileEntry& a, const FileEntry& b) { return a.relative == b.relative; }),
                  out.files.end());
  listed_ms_ = now;
  return out;
}

core::Result<std::unique_ptr<event::ByteSource>, std::string> S3PrefixSource::open(const FileEntry& entry) {
  const std::string bucket_slash = options_.bucket + "/";
  if (!entry.relative.starts_with(bucket_slash)) {
    return core::unexpected(fmt::format("not an object of the bucket {}", options_.bucket));
  }
  auto body = aws::s3_get_object(client_, options_.bucket, entry.relative.substr(bucket_slash.size()));
  if (!body) return core::unexpected(describe(body.error()));
  return std::unique_ptr<event::ByteSource>(std::make_unique<OwnedBytesSource>(std::move(*body)));
}

core::Result<FileEntry, S3PrefixSource::EntryError> S3PrefixSource::entry(const std::string& key) {
  auto head = aws::s3_head_object(client_, options_.bucket, key);
  if (!head) {
    EntryError error;
    error.message = describe(head.error());
    error.missing = head.error().http_status == 404;
    return core::unexpected(std::move(error));
  }
  return make_entry(*head);
}

}  // namespace sgwatch::sources
