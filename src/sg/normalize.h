// normalize(): one CloudTrail record (its JSON text, as a metric filter sees it) to the
// security-group changes it made — one Change per group touched (a RunInstances naming three
// groups gives three). Every API of ../shared/spec/security-group-events.md is read, in every
// rendering the spec lists (structured and legacy flat rules, rule ids, the `<Action>Request`
// wrappers, responses' rule sets). A record that is not a security-group event is
// NotSecurityGroupEvent (a value, not an error). A record that cannot be read — not JSON, not an
// object, too deep, a member of an unexpected type or form — still gives a Change, flagged
// unknown_shape with the reason and the record kept raw: never dropped, never a crash.
// Neighbours: change.h (the model), exposure.h (assess() runs on every Change returned).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sg/change.h"
#include "sg/exposure.h"

namespace sgwatch::sg {

struct NotSecurityGroupEvent {
  std::string event_name;  // "" when the record has none
  std::string reason;      // "CreateBucket is not a security-group event", ...
};

struct NormalizeOptions {
  ExposurePolicy policy;
  // Records nesting deeper are not parsed (flagged). CloudTrail records nest about a dozen levels.
  std::size_t max_depth = 256;
};

using NormalizeResult = core::Result<std::vector<Change>, NotSecurityGroupEvent>;

NormalizeResult normalize(std::string_view record_json);
NormalizeResult normalize(std::string_view record_json, const NormalizeOptions& options);

// True when normalize() reads events of this name from this source (an empty source stands for
// any source, for the EC2 security-group APIs only). Lambda's versioned names
// ("UpdateFunctionConfiguration20150331v2") count.
bool is_security_group_api(std::string_view event_source, std::string_view event_name);

}  // namespace sgwatch::sg
