// The static event set of each CIS metric-filter control (4.1-4.15): realistic CloudTrail
// records, written into the source, of what the control means to catch (REQUIRED, in identity,
// region and event-version variants), of what its reference pattern matches but a reasonable
// tuned filter may exclude (OPTIONAL: failed calls, dry runs, calls by an automation role or by
// a service on a user's behalf) and NEAR MISSES the reference does not match (reads, look-alike
// names, the right name from another event source, MFA sign-ins, HeadBucket, log delivery...).
// 4.10 reuses the lint corpus (corpus.h). Neighbours: controls.h evaluates patterns over these
// sets; probes.h derives further variants of the required records.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "lint/controls.h"

namespace sgwatch::lint {

enum class EventClass { kRequired, kOptional, kNearMiss };
std::string_view event_class_name(EventClass event_class);

struct TableEvent {
  ControlEvent event;
  std::string group;  // the event name as logged: missed events are reported a few per group
  EventClass intended = EventClass::kRequired;  // the table's class (the reference must agree)
  std::size_t base = 0;  // index of the record this one is a variant of (itself for a main record)
};

// The control's static events (required ones first within each API, near misses last). The
// classes are the table's intent; evaluation classifies by the reference pattern (a record the
// reference does not match is a near miss whatever the table says), and the unit tests check
// that the two agree. Fails for an unknown control or when the lint corpus cannot be built.
core::Result<std::vector<TableEvent>, std::string> control_events(Benchmark benchmark,
                                                                  std::string_view control);

}  // namespace sgwatch::lint
