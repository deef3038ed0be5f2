// Front door of the event module: decoding of CloudTrail inputs into records. No I/O of its own:
// it takes bytes and hands out records. Depends on core.
#pragma once

#include "event/formats.h"
#include "event/gzip.h"
#include "event/json_scan.h"
#include "event/reader.h"
#include "event/record_splitter.h"
