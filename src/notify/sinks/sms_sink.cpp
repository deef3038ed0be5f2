// Implementation of sms_sink.h.
#include "notify/sinks/sms_sink.h"

#include <algorithm>

#include "core/text.h"
#include "notify/json_text.h"

namespace sgwatch::notify {

bool is_e164(std::string_view phone) {
  if (phone.size() < 9 || phone.size() > 16 || phone[0] != '+' || phone[1] == '0') return false;
  return std::all_of(phone.begin() + 1, phone.end(), core::is_ascii_digit);
}

std::string sms_gateway_body(std::string_view phone, std::string_view text,
                             std::string_view message_id) {
  std::string body = "{\"to\":";
  append_json_string(body, valid_utf8(phone));
  body += ",\"message\":";
  append_json_string(body, valid_utf8(text));
  body += ",\"messageId\":";
  append_json_string(body, valid_utf8(message_id));
  body += '}';
  return body;
}

SinkOutcome SmsSink::send(const RenderedDelivery& delivery) {
  if (delivery.kind != DeliveryKind::kSms) {
    return SinkOutcome::failed("the SMS sink cannot send a " +
                               std::string(delivery_kind_name(delivery.kind)) + " delivery");
  }
  if (!is_e164(delivery.phone)) {
    return SinkOutcome::failed("SMS to \"" + core::printable(delivery.phone, 32) +
                               "\": not an E.164 phone number (+ and 8 to 15 digits)");
  }
  HttpHeaders headers{{"Content-Type", "application/json"}};
  std::vector<std::string_view> header_values;
  for (const auto& header : options_.headers) {
    headers.push_back(header);
    header_values.push_back(header.second);
  }
  SinkOutcome outcome = post_and_classify(
      options_.url, headers, sms_gateway_body(delivery.phone, delivery.text, delivery.message_id),
      options_.http, header_values);
  if (!outcome.error.empty()) outcome.error = "SMS gateway: " + outcome.error;
  return outcome;
}

}  // namespace sgwatch::notify
