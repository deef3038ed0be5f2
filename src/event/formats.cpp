// Implementation of formats.h: one walk over the top-level members of an object.
#include "event/formats.h"

#include "event/json_scan.h"

namespace sgwatch::event {

ValueKind classify_value(std::string_view text) {
  bool record = false;
  bool detail_type = false;
  bool detail = false;
  bool cloudtrail_event = false;
  bool events = false;
  bool message_type = false;
  bool log_events = false;
  bool request_id = false;
  bool records = false;
  bool digest = false;
  const bool object = json::for_each_member(text, [&](const json::Member& m) {
    const std::string_view k = m.key;
    const char first = m.value.empty() ? '\0' : m.value.front();
    if (k == "eventVersion" || k == "eventName" || k == "eventSource") {
      record = true;
    } else if (k == "detail-type") {
      detail_type = true;
    } else if (k == "detail") {
      detail = first == '{';
    } else if (k == "CloudTrailEvent") {
      cloudtrail_event = first == '"';
    } else if (k == "Events") {
      events = first == '[';
    } else if (k == "messageType") {
      message_type = true;
    } else if (k == "logEvents") {
      log_events = first == '[';
    } else if (k == "requestId") {
      request_id = true;
    } else if (k == "records") {
      records = first == '[';
    } else if (k == "digestStartTime" || k == "digestEndTime" || k == "digestSignatureAlgorithm") {
      digest = true;
    }
    return true;
  });
  if (!object) return ValueKind::kOther;
  if (record) return ValueKind::kRecord;
  if (detail_type && detail) return ValueKind::kEventBridge;
  if (cloudtrail_event) return ValueKind::kLookupItem;
  if (events) return ValueKind::kLookupResponse;
  if (message_type && log_events) return ValueKind::kCwlSubscription;
  if (request_id && records) return ValueKind::kFirehoseBatch;
  if (digest) return ValueKind::kDigest;
  return ValueKind::kOther;
}

std::string_view value_kind_name(ValueKind kind) {
  switch (kind) {
    case ValueKind::kRecord: return "CloudTrail record";
    case ValueKind::kEventBridge: return "EventBridge event";
    case ValueKind::kLookupItem: return "lookup-events item";
    case ValueKind::kLookupResponse: return "lookup-events response";
    case ValueKind::kCwlSubscription: return "CloudWatch Logs subscription payload";
    case ValueKind::kFirehoseBatch: return "Firehose HTTP endpoint batch";
    case ValueKind::kDigest: return "CloudTrail digest";
    case ValueKind::kOther: return "JSON without CloudTrail records";
  }
  return "unknown";
}

}  // namespace sgwatch::event
