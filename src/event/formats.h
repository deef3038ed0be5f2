// What a JSON value read from a CloudTrail input is: a CloudTrail record itself, or one of the
// containers records travel in (EventBridge envelope, `lookup-events` item or response,
// CloudWatch Logs subscription payload, Firehose HTTP-endpoint batch), a CloudTrail digest, or
// something else. Decided from the value's top-level keys only. Neighbours: reader.h uses it.
#pragma once

#include <string_view>

namespace sgwatch::event {

enum class ValueKind {
  kRecord,           // a CloudTrail record (eventVersion / eventName / eventSource at top level)
  kEventBridge,      // {"detail-type": ..., "detail": {...}}
  kLookupItem,       // {"EventId": ..., "CloudTrailEvent": "<record as a string>"}
  kLookupResponse,   // {"Events": [lookup items], "NextToken": ...}
  kCwlSubscription,  // {"messageType": "DATA_MESSAGE" | "CONTROL_MESSAGE", "logEvents": [...]}
  kFirehoseBatch,    // {"requestId": ..., "records": [{"data": "<base64>"}]}
  kDigest,           // a CloudTrail digest file
  kOther,            // JSON that holds no CloudTrail record (a manifest, a test wrapper, ...)
};

ValueKind classify_value(std::string_view text);
std::string_view value_kind_name(ValueKind kind);

}  // namespace sgwatch::event
