// The stdout sink: a delivery's `line` and a newline written to a file descriptor (standard
// output unless told otherwise) in one write loop, under a process-wide lock, so lines from
// several sinks or threads never interleave. A closed pipe fails for good; a pipe that stays
// full past the timeout is retried. Neighbours: file_sink.h (write_fully), sink.h.
#pragma once

#include <chrono>

#include "notify/sink.h"

namespace sgwatch::notify {

class StdoutSink final : public Sink {
 public:
  // `fd` is borrowed: the sink never closes it.
  explicit StdoutSink(int fd = 1,
                      std::chrono::milliseconds write_timeout = std::chrono::milliseconds(5000))
      : fd_(fd), write_timeout_(write_timeout) {}

  // kStdout deliveries: delivery.line + '\n'.
  SinkOutcome send(const RenderedDelivery& delivery) override;

 private:
  int fd_;
  std::chrono::milliseconds write_timeout_;
};

}  // namespace sgwatch::notify
