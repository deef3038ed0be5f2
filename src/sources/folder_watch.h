// FolderWatch: the changes under a folder of CloudTrail files as the kernel reports them (Linux
// inotify), so that a file dropped into the folder is read the moment it is complete instead of
// at the next listing. A file closed after writing (IN_CLOSE_WRITE) or renamed into the folder
// (IN_MOVED_TO, the way CloudTrail delivery tools and `mv` publish a finished file) is complete;
// a file that is only written to (IN_MODIFY, a copy in progress or a log that grows) is touched
// and waits for the settle time as in a listing. Subfolders are watched as they appear; when the
// kernel's queue overflows or a folder appears, the answer asks for a full listing, which stays
// the source of truth. Neighbours: sources/folder.h (listing and positions),
// engine/cloudtrail_feed.h (the reader), cli/serve.cpp (waits on it between polls).
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "core/result.h"

namespace sgwatch::sources {

struct FolderChanges {
  std::set<std::string> complete;  // relative paths ('/'-separated) closed after writing or moved in
  std::set<std::string> touched;   // relative paths written to, not (yet) closed
  bool rescan = false;             // list the whole folder: events were lost or a folder appeared
  std::string problem;             // why the watch stopped working ("" while it works)

  bool empty() const { return complete.empty() && touched.empty() && !rescan; }
};

class FolderWatch {
 public:
  // Watches `root` and every folder below it (names starting with '.' and symbolic links left
  // out, as list_files does). Fails when the folder cannot be watched (not a folder, inotify
  // limits reached); the caller then lists the folder at its poll interval instead.
  static core::Result<std::unique_ptr<FolderWatch>, std::string> open(const std::filesystem::path& root);
  ~FolderWatch();
  FolderWatch(const FolderWatch&) = delete;
  FolderWatch& operator=(const FolderWatch&) = delete;

  // Waits until something changes, `timeout` passes or interrupt() is called, then returns every
  // change queued by then (empty on a timeout or an interrupt).
  FolderChanges wait(std::chrono::milliseconds timeout);
  // Makes a wait() in progress (or the next one) return at once; safe from any thread.
  void interrupt();
  // How many folders are watched.
  std::size_t folders() const { return folders_.size(); }

 private:
  FolderWatch(int inotify_fd, int wake_fd, std::filesystem::path root);
  // Adds a watch on `relative` (under root) and its subfolders; false when one could not be added.
  bool add_tree(const std::string& relative, std::string& problem);
  void read_events(FolderChanges& changes);

  int inotify_fd_;
  int wake_fd_;
  std::filesystem::path root_;
  std::map<int, std::string> folders_;  // watch descriptor -> relative folder ("" for the root)
};

}  // namespace sgwatch::sources
