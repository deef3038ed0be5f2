// The file and stdout sinks' common ground and the file sink itself: a delivery's `line` and a
// newline appended to a file with one write (continued after short writes), then fsync'd, so a
// line reported delivered is on disk. Full disks, I/O errors and busy resources are retried;
// missing folders, permissions and the like fail for good, with the path and the system's
// reason. Neighbours: stdout_sink.h (same writing loop, to a descriptor), sink.h.
#pragma once

#include <chrono>
#include <string_view>

#include "notify/sink.h"

namespace sgwatch::notify {

// Writes all of `data` to `fd`: short writes are continued, EINTR is retried, EAGAIN (a
// non-blocking pipe that is full) is waited out with poll for at most `timeout`, and SIGPIPE is
// held off for the calling thread, so a closed pipe is EPIPE rather than the end of the process.
// Returns 0, or the errno of the failure (ETIMEDOUT when `timeout` ran out).
int write_fully(int fd, std::string_view data,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

// Whether an errno from open, write or fsync is worth another attempt: kFailed for EACCES,
// EPERM, ENOENT, ENOTDIR, EISDIR, ELOOP, ENAMETOOLONG, EROFS, EINVAL, ENODEV, EFBIG, EOVERFLOW,
// EPIPE, EBADF, ETXTBSY, EFAULT, EEXIST; kRetry for the rest (ENOSPC, EDQUOT, EIO, EINTR,
// EAGAIN, ENOMEM, EMFILE, ENFILE, EBUSY, ENXIO — a FIFO without a reader —, ETIMEDOUT, ...).
SinkStatus file_error_status(int error);

class FileSink final : public Sink {
 public:
  FileSink() = default;

  // kFile deliveries: delivery.line + '\n' appended to delivery.path, which is created with
  // mode 0600 when missing (open with O_WRONLY|O_APPEND|O_CREAT|O_CLOEXEC|O_NOCTTY|O_NONBLOCK:
  // a FIFO without a reader is an error, not a wait). A write that failed half-way leaves a
  // partial line, which the retry follows with the whole line.
  SinkOutcome send(const RenderedDelivery& delivery) override;
};

}  // namespace sgwatch::notify
