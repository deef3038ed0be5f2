// Front door of the lint module: `sgwatch lint-pattern` without its command line. The corpus of
// representative security-group events (corpus.h, built from templates.h) and the coverage and
// profile verdicts of one or more filters over it (coverage.h). Pure logic: no I/O, no printing.
// Depends on pattern (the real matcher), rules (sg-all and the CIS profiles), scan (filter sets)
// and core.
// Also the CIS section-4 control verdicts of `sgwatch audit` (controls.h), over the control
// event sets of control_events.h and the pattern-derived variants of probes.h.
#pragma once

#include "lint/control_events.h"
#include "lint/controls.h"
#include "lint/corpus.h"
#include "lint/coverage.h"
#include "lint/probes.h"
