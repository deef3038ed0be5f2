// Implementation of sinks.h: the factory.
#include "notify/sinks/sinks.h"

#include <memory>

namespace sgwatch::notify {

core::Result<SinkSet, Error> make_sink_set(const SinkConfig& config) {
  static const core::SystemClock system_clock;
  SinkSet set;
  set.set(DeliveryKind::kHttp, std::make_unique<HttpSink>(config.http));
  set.set(DeliveryKind::kFile, std::make_unique<FileSink>());
  set.set(DeliveryKind::kStdout, std::make_unique<StdoutSink>(config.stdout_fd));
  if (config.smtp) {
    auto smtp = SmtpSink::create(*config.smtp);
    if (!smtp) return core::unexpected(std::move(smtp).error());
    set.set(DeliveryKind::kMail, std::move(*smtp));
  }
  if (config.sms) set.set(DeliveryKind::kSms, std::make_unique<SmsSink>(*config.sms));
  if (config.sns) {
    const core::Clock& clock = config.clock != nullptr ? *config.clock : system_clock;
    set.set(DeliveryKind::kSns, std::make_unique<SnsSink>(*config.sns, clock));
  }
  return set;
}

}  // namespace sgwatch::notify
