// The SMS sink: text messages (sms subscriptions) POSTed as JSON to a configured HTTP gateway —
// sgwatch has no carrier of its own. The request is
//   POST <gateway url>   Content-Type: application/json   [configured headers, in order]
//   {"to":"+15555550100","message":"ALARM: ...","messageId":"<the SNS MessageId>"}
// with http_sink's transfer and outcome rules (2xx delivered; 5xx, 429, timeouts and connection
// failures retried; other statuses failed). A phone number that is not E.164 fails for good.
// Neighbours: http_sink.h (the transfer), sink.h.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "notify/sink.h"
#include "notify/sinks/http_sink.h"

namespace sgwatch::notify {

struct SmsGatewayOptions {
  // http:// or https://; user information becomes Basic authentication, as for http_sink.
  std::string url;
  // Sent after Content-Type, in order (e.g. {"Authorization", "Bearer <token>"}).
  HttpHeaders headers;
  HttpOptions http;
};

// E.164: '+' then 8 to 15 digits, the first not 0 ("+15555550100").
bool is_e164(std::string_view phone);

// The gateway's request body: {"to":...,"message":...,"messageId":...}, compact, valid UTF-8.
std::string sms_gateway_body(std::string_view phone, std::string_view text,
                             std::string_view message_id);

class SmsSink final : public Sink {
 public:
  explicit SmsSink(SmsGatewayOptions options) : options_(std::move(options)) {}

  // kSms deliveries: delivery.text to delivery.phone.
  SinkOutcome send(const RenderedDelivery& delivery) override;

 private:
  SmsGatewayOptions options_;
};

}  // namespace sgwatch::notify
