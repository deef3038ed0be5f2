// EntrySource: where a feed's files live, behind one small interface, so that a folder and an S3
// bucket prefix share the feed's reading, positions, checkpoints and batching
// (engine/cloudtrail_feed.h). A source lists its entries ({key, size, version stamp} as a
// FileEntry: `relative` is the key used in checkpoint names, `path` the name shown in messages,
// `mtime_ns` the version stamp) and opens one as an event::ByteSource. FolderSource is the
// folder of files (folder.h); S3PrefixSource (s3_prefix.h) is the bucket prefix.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "event/reader.h"
#include "sources/folder.h"

namespace sgwatch::sources {

class EntrySource {
 public:
  virtual ~EntrySource() = default;
  // The first part of the checkpoint names of its entries: "cloudtrail-folder", "s3".
  virtual std::string_view kind() const = 0;
  // Where it reads, for messages: the folder's path, "s3://bucket/prefix".
  virtual std::string where() const = 0;
  // True when an entry never changes once it is listed (S3 objects): it is read as soon as it
  // is seen, without waiting for it to settle.
  virtual bool immutable() const = 0;
  // The entries to consider now, sorted by `relative`; entries that could not be examined are
  // `errors`. Fails when nothing could be listed.
  virtual core::Result<FolderListing, std::string> list() = 0;
  // The bytes of one listed entry; the error says why it cannot be read (no "where" prefix).
  virtual core::Result<std::unique_ptr<event::ByteSource>, std::string> open(const FileEntry& entry) = 0;
};

// A folder of files (list_files): entries keyed by their path below the folder.
class FolderSource : public EntrySource {
 public:
  explicit FolderSource(std::filesystem::path folder) : folder_(std::move(folder)) {}
  std::string_view kind() const override { return "cloudtrail-folder"; }
  std::string where() const override { return folder_.string(); }
  bool immutable() const override { return false; }
  core::Result<FolderListing, std::string> list() override;
  core::Result<std::unique_ptr<event::ByteSource>, std::string> open(const FileEntry& entry) override;

 private:
  std::filesystem::path folder_;
};

// Bytes held in memory (an S3 object's body), owned by the source.
class OwnedBytesSource : public event::ByteSource {
 public:
  explicit OwnedBytesSource(std::string bytes) : bytes_(std::move(bytes)), reader_(bytes_) {}
  std::int64_t read(char* buffer, std::size_t size) override { return reader_.read(buffer, size); }
  std::string error() const override { return {}; }

 private:
  std::string bytes_;
  event::StringSource reader_;
};

}  // namespace sgwatch::sources
