// Front door of the lint module: `sgwatch lint-pattern` without its command line. The corpus of
// representative security-group events (corpus.h, built from templates.h) and the coverage and
// profile verdicts of one or more filters over it (coverage.h). Pure logic: no I/O, no printing.
// Depends on pattern (the real matcher), rules (sg-all and the CIS profiles), scan (filter sets)
// and core.
#pragma once

#include "lint/corpus.h"
#include "lint/coverage.h"
