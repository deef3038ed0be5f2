// A folder of CloudTrail files as a source: the regular files under it (recursively, in path
// order) and a position per file that says how far its records have been consumed, so that a
// reader resumes after a restart exactly where it stopped and reads a file again only when it
// has changed. Reading a file's records is event::Reader's job; this module only finds files and
// keeps positions. Neighbours: engine/cloudtrail_feed.h (the consumer), store checkpoints (where
// positions are kept).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sgwatch::sources {

struct FileEntry {
  std::filesystem::path path;
  std::string relative;  // path below the folder, '/'-separated
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  // last modification, ns since the epoch
  // Known to be complete (closed after writing or renamed in, as FolderWatch reports): read at
  // once instead of after the settle time.
  bool complete = false;
};

struct FolderListing {
  std::vector<FileEntry> files;     // sorted by `relative`
  std::vector<std::string> errors;  // entries that could not be examined: "<path>: <why>"
};

// The regular files under `root`, recursively. Names starting with '.' (files and folders) are
// left out, as are symbolic links to folders (no cycles). An unreadable subfolder is an error
// entry; the walk goes on. Fails only when `root` itself is not a readable folder.
core::Result<FolderListing, std::string> list_files(const std::filesystem::path& root);

// The entry list_files would give for `relative` (a '/'-separated path below `root`), or nullopt
// when it is not there, not a regular file, or hidden (a name starting with '.').
std::optional<FileEntry> stat_file(const std::filesystem::path& root, const std::string& relative);

// How far a file has been consumed. `records` counts the file's records (in file order) whose
// events are stored; `batches` counts, within the chunk of records that starts there, the
// batches already stored (a chunk is cut into several batches when it spans streams). `complete`
// says the whole file was read at `size` and `mtime_ns`.
struct FilePosition {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::uint64_t records = 0;
  std::uint64_t batches = 0;
  bool complete = false;

  bool operator==(const FilePosition&) const = default;
};

std::string encode_position(const FilePosition& position);
// nullopt: not a position encode_position wrote.
std::optional<FilePosition> decode_position(std::string_view text);

// Where to start reading `file` given its stored position (nullopt: never read).
enum class ReadFrom {
  kSkip,      // read completely and unchanged since
  kStart,     // never read, or replaced (it shrank): from the first record
  kPosition,  // unfinished or grown: from `position.records` (and `position.batches`)
};
ReadFrom read_from(const FileEntry& file, const std::optional<FilePosition>& position);

}  // namespace sgwatch::sources
