// Implementation of stdout_sink.h.
#include "notify/sinks/stdout_sink.h"

#include <mutex>
#include <string>
#include <system_error>

#include "notify/sinks/file_sink.h"

namespace sgwatch::notify {

namespace {

// One lock for every StdoutSink: they usually share descriptor 1.
std::mutex& output_mutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

SinkOutcome StdoutSink::send(const RenderedDelivery& delivery) {
  if (delivery.kind != DeliveryKind::kStdout) {
    return SinkOutcome::failed("the stdout sink cannot send a " +
                               std::string(delivery_kind_name(delivery.kind)) + " delivery");
  }
  std::string line;
  line.reserve(delivery.line.size() + 1);
  line += delivery.line;
  line += '\n';
  int error = 0;
  {
    const std::lock_guard lock(output_mutex());
    error = write_fully(fd_, line, write_timeout_);
  }
  if (error == 0) return SinkOutcome::delivered();
  std::string text = "output descriptor " + std::to_string(fd_) +
                     ": write: " + std::system_category().message(error);
  return file_error_status(error) == SinkStatus::kRetry ? SinkOutcome::retry(std::move(text))
                                                        : SinkOutcome::failed(std::move(text));
}

}  // namespace sgwatch::notify
