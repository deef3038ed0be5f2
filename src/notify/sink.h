// The one small interface every delivery channel implements, and the outcome it reports. A sink
// sends one rendered delivery and says whether it arrived, failed in a way worth retrying
// (connection refused, timeout, HTTP 5xx or 429, SMTP 4xx), or failed for good (other HTTP 4xx,
// SMTP 5xx, a bad address). Sinks never log, never retry and never put secrets (passwords,
// webhook tokens) into their error texts. Neighbours: delivery.h (what is sent), the sink files
// (http_sink, smtp_sink, sms_sink, file_sink, stdout_sink, sns_sink), delivery_worker (retries).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "notify/delivery.h"

namespace sgwatch::notify {

enum class SinkStatus { kDelivered, kRetry, kFailed };

struct SinkOutcome {
  SinkStatus status = SinkStatus::kDelivered;
  std::string error;  // empty when delivered; what went wrong, without secrets

  static SinkOutcome delivered() { return {}; }
  static SinkOutcome retry(std::string error) { return {SinkStatus::kRetry, std::move(error)}; }
  static SinkOutcome failed(std::string error) { return {SinkStatus::kFailed, std::move(error)}; }
};

class Sink {
 public:
  virtual ~Sink() = default;
  // Sends one delivery; blocking, bounded by the sink's timeouts. Must be safe to call from
  // several threads at once: the delivery worker sends one round's deliveries in parallel.
  virtual SinkOutcome send(const RenderedDelivery& delivery) = 0;
};

// The sinks by delivery kind. A kind without a sink fails its deliveries for good with a message
// naming the missing configuration (e.g. no SMTP server configured), so nothing waits forever.
class SinkSet {
 public:
  void set(DeliveryKind kind, std::unique_ptr<Sink> sink) { sinks_[kind] = std::move(sink); }
  Sink* find(DeliveryKind kind) const {
    const auto it = sinks_.find(kind);
    return it == sinks_.end() ? nullptr : it->second.get();
  }

 private:
  std::map<DeliveryKind, std::unique_ptr<Sink>> sinks_;
};

}  // namespace sgwatch::notify
