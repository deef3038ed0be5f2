// Front door of the delivery sinks (docs/notifications.md, "Sinks"): one file per channel —
// http_sink (http, https, Slack), smtp_sink (email, email-json), sms_sink (an HTTP SMS gateway),
// file_sink, stdout_sink, sns_sink (aws-sns) — and make_sink_set, which builds a notify::SinkSet
// from one configuration. I/O at the edge: libcurl and the file system; nothing here prints,
// retries or keeps state between sends. Depends on notify, aws, core, libcurl.
#pragma once

#include <optional>

#include "core/clock.h"
#include "core/result.h"
#include "notify/error.h"
#include "notify/sink.h"
#include "notify/sinks/file_sink.h"
#include "notify/sinks/http_sink.h"
#include "notify/sinks/sms_sink.h"
#include "notify/sinks/smtp_sink.h"
#include "notify/sinks/sns_sink.h"
#include "notify/sinks/stdout_sink.h"

namespace sgwatch::notify {

struct SinkConfig {
  HttpOptions http;                      // http, https and Slack deliveries
  std::optional<SmtpOptions> smtp;       // absent: no mail sink
  std::optional<SmsGatewayOptions> sms;  // absent: no SMS sink
  std::optional<SnsOptions> sns;         // absent: no aws-sns sink (it needs credentials)
  int stdout_fd = 1;
  // The clock that dates SNS signatures; it must outlive the set. nullptr: the system clock.
  const core::Clock* clock = nullptr;
};

// The http, file and stdout sinks always, and the SMTP, SMS and SNS sinks when configured; a kind
// without a sink is absent from the set (SinkSet::find returns nullptr, the caller reports it).
// InvalidParameter for an unusable SMTP URL.
core::Result<SinkSet, Error> make_sink_set(const SinkConfig& config);

}  // namespace sgwatch::notify
