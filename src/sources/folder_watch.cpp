#include "sources/folder_watch.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <system_error>
#include <vector>

namespace sgwatch::sources {

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kFolderMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_MODIFY | IN_CREATE |
                                      IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK;

bool hidden_name(std::string_view name) { return !name.empty() && name.front() == '.'; }

std::string join(const std::string& folder, std::string_view name) {
  return folder.empty() ? std::string(name) : folder + "/" + std::string(name);
}

}  // namespace

core::Result<std::unique_ptr<FolderWatch>, std::string> FolderWatch::open(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return core::unexpected(fmt::format("{}: {}", root.string(), ec ? ec.message() : "not a folder"));
  }
  const int inotify_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd < 0) return core::unexpected(fmt::format("inotify: {}", std::strerror(errno)));
  const int wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd < 0) {
    const int saved = errno;
    ::close(inotify_fd);
    return core::unexpected(fmt::format("eventfd: {}", std::strerror(saved)));
  }
  std::unique_ptr<FolderWatch> watch(new FolderWatch(inotify_fd, wake_fd, root));
  std::string problem;
  if (!watch->add_tree("", problem)) return core::unexpected(problem);
  return watch;
}

FolderWatch::FolderWatch(int inotify_fd, int wake_fd, fs::path root)
    : inotify_fd_(inotify_fd), wake_fd_(wake_fd), root_(std::move(root)) {}

FolderWatch::~FolderWatch() {
  ::close(inotify_fd_);
  ::close(wake_fd_);
}

bool FolderWatch::add_tree(const std::string& relative, std::string& problem) {
  const fs::path folder = relative.empty() ? root_ : root_ / relative;
  const int wd = ::inotify_add_watch(inotify_fd_, folder.c_str(), kFolderMask);
  if (wd < 0) {
    // A folder that vanished in the meantime is no problem; running out of watches is.
    if (errno == ENOENT || errno == ENOTDIR) return true;
    problem = fmt::format("{}: cannot watch: {}{}", folder.string(), std::strerror(errno),
                          errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "");
    return false;
  }
  folders_[wd] = relative;  // a folder moved within the tree keeps its descriptor, under its new name
  std::error_code ec;
  for (fs::directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code entry_ec;
    if (hidden_name(name) || it->is_symlink(entry_ec) || !it->is_directory(entry_ec)) continue;
    if (!add_tree(join(relative, name), problem)) return false;
  }
  return true;
}

void FolderWatch::interrupt() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);
}

FolderChanges FolderWatch::wait(std::chrono::milliseconds timeout) {
  FolderChanges changes;
  pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  const int ready = ::poll(fds, 2, static_cast<int>(std::clamp<std::int64_t>(timeout.count(), 0, 1 << 30)));
  if (ready < 0) return changes;  // EINTR: the caller waits again
  if (fds[1].revents & POLLIN) {
    std::uint64_t count = 0;
    [[maybe_unused]] const auto got = ::read(wake_fd_, &count, sizeof count);
  }
  if (fds[0].revents & POLLIN) read_events(changes);
  return changes;
}

void FolderWatch::read_events(FolderChanges& changes) {
  alignas(inotify_event) char buffer[64 * 1024];
  for (;;) {
    const ssize_t got = ::read(inotify_fd_, buffer, sizeof buffer);
    if (got <= 0) break;  // EAGAIN: drained
    for (std::size_t at = 0; at + sizeof(inotify_event) <= static_cast<std::size_t>(got);) {
      inotify_event event;
      std::memcpy(&event, buffer + at, sizeof event);
      const std::string_view name(buffer + at + sizeof event, event.len > 0 ? ::strnlen(buffer + at + sizeof event, event.len) : 0);
      at += sizeof event + event.len;
      if (event.mask & IN_Q_OVERFLOW) {
        changes.rescan = true;
        continue;
      }
      const auto folder = folders_.find(event.wd);
      if (folder == folders_.end()) continue;
      if (event.mask & IN_IGNORED) {
        if (folder->second.empty()) changes.problem = fmt::format("{}: the folder was removed", root_.string());
        folders_.erase(folder);
        changes.rescan = true;
        continue;
      }
      if (event.mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
        if (folder->second.empty()) changes.problem = fmt::format("{}: the folder was moved or removed", root_.string());
        changes.rescan = true;
        continue;
      }
      if (name.empty() || hidden_name(name)) continue;
      const std::string path = join(folder->second, name);
      if (event.mask & IN_ISDIR) {
        if (event.mask & IN_MOVED_FROM) {
          // The folder left (or is being renamed): forget its watches; a rename reports it again.
          for (auto it = folders_.begin(); it != folders_.end();) {
            if (it->second == path || it->second.starts_with(path + "/")) {
              ::inotify_rm_watch(inotify_fd_, it->first);
              it = folders_.erase(it);
            } else {
              ++it;
            }
          }
        } else if (event.mask & (IN_CREATE | IN_MOVED_TO)) {
          // Files may have arrived before the watch did: a listing finds them.
          if (!add_tree(path, changes.problem)) changes.problem += "; new files there are found by listing";
          changes.rescan = true;
        }
        continue;
      }
      if (event.mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
        changes.touched.erase(path);
        changes.complete.insert(path);
      } else if (event.mask & (IN_MODIFY | IN_CREATE)) {
        changes.complete.erase(path);  // written again after it was closed: growing
        changes.touched.insert(path);
      }
    }
  }
}

}  // namespace sgwatch::sources
