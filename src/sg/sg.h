// Front door of the sg module: security-group intelligence without I/O. normalize() turns one
// CloudTrail record into the security-group changes it made (../shared/spec/security-group-events.md:
// every API that changes a group's rules or which groups apply to a resource), assess() rates
// each rule and change for exposure (world-open peers, sensitive ports, all traffic), and the
// renderers give the JSON and text forms `sgwatch explain` prints. state.h keeps the live state
// of groups (baseline.h reads describe-security-groups) and apply()s changes to it with a rule
// diff. Depends on core only; never prints. The severity table and the choices where the spec
// is silent are in docs/sg.md.
#pragma once

#include "sg/baseline.h"
#include "sg/change.h"
#include "sg/exposure.h"
#include "sg/normalize.h"
#include "sg/ports.h"
#include "sg/render.h"
#include "sg/state.h"
