// Front door of the scan module: `sgwatch scan` without its command line. A FilterSet holds named
// compiled patterns; a Scanner reads inputs (files, folders, stdin) with event::Reader, applies
// every filter to every record (literal prefilters first, the real matcher after), and hands
// the results to a ScanSink in input order, whatever the number of threads. Depends on event,
// pattern and rules.
#pragma once

#include "scan/backtest.h"
#include "scan/filters.h"
#include "scan/inputs.h"
#include "scan/literal_index.h"
#include "scan/scanner.h"
