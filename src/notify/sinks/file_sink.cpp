// Implementation of file_sink.h.
#include "notify/sinks/file_sink.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <system_error>

#include "core/text.h"

namespace sgwatch::notify {

namespace {

// Blocks SIGPIPE for the calling thread while it lives; a SIGPIPE raised meanwhile (by a write
// to a closed pipe, which is directed at the writing thread) is consumed before the old mask
// comes back, unless one was already pending before.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;
  ~SigpipeGuard() {
    if (!was_pending_) {
      sigset_t pending;
      sigemptyset(&pending);
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        const timespec no_wait{0, 0};
        while (sigtimedwait(&pipe_, nullptr, &no_wait) == -1 && errno == EINTR) {
        }
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t pipe_{};
  sigset_t old_{};
  bool was_pending_ = false;
};

std::string reason(int error) {
  return std::system_category().message(error);
}

// Closes the descriptor it owns.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

int write_fully(int fd, std::string_view data, std::chrono::milliseconds timeout) {
  const SigpipeGuard guard;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!data.empty()) {
    const ssize_t written = write(fd, data.data(), data.size());
    if (written > 0) {
      data.remove_prefix(static_cast<std::size_t>(written));
      continue;
    }
    if (written == 0) return EIO;
    const int error = errno;
    if (error == EINTR) continue;
    if (error != EAGAIN && error != EWOULDBLOCK) return error;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return ETIMEDOUT;
    pollfd ready{fd, POLLOUT, 0};
    if (poll(&ready, 1,
             static_cast<int>(std::min<std::chrono::milliseconds::rep>(left.count(), 60000))) < 0 &&
        errno != EINTR) {
      return errno;
    }
  }
  return 0;
}

SinkStatus file_error_status(int error) {
  switch (error) {
    case EACCES:
    case EPERM:
    case ENOENT:
    case ENOTDIR:
    case EISDIR:
    case ELOOP:
    case ENAMETOOLONG:
    case EROFS:
    case EINVAL:
    case ENODEV:
    case EFBIG:
    case EOVERFLOW:
    case EPIPE:
    case EBADF:
    case ETXTBSY:
    case EFAULT:
    case EEXIST:
      return SinkStatus::kFailed;
    default:
      return SinkStatus::kRetry;
  }
}

SinkOutcome FileSink::send(const RenderedDelivery& delivery) {
  if (delivery.kind != DeliveryKind::kFile) {
    return SinkOutcome::failed("the file sink cannot send a " +
                               std::string(delivery_kind_name(delivery.kind)) + " delivery");
  }
  const std::string where = "file " + core::printable(delivery.path, 256);
  if (delivery.path.empty() || delivery.path.find('\0') != std::string::npos) {
    return SinkOutcome::failed(where + ": not a usable path");
  }
  const auto outcome = [&where](const char* step, int error) {
    std::string text = where + ": " + step + ": " + reason(error);
    return file_error_status(error) == SinkStatus::kRetry ? SinkOutcome::retry(std::move(text))
                                                          : SinkOutcome::failed(std::move(text));
  };
  int fd = -1;
  do {
    fd = open(delivery.path.c_str(),
              O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0600);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return outcome("open", errno);
  const Descriptor file(fd);
  std::string line;
  line.reserve(delivery.line.size() + 1);
  line += delivery.line;
  line += '\n';
  if (const int error = write_fully(file.get(), line); error != 0) return outcome("write", error);
  // Regular files are synced; pipes and devices cannot be (EINVAL, EROFS, ENOTSUP).
  if (fsync(file.get()) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP) {
    return outcome("fsync", errno);
  }
  return SinkOutcome::delivered();
}

}  // namespace sgwatch::notify
