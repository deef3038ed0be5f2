// Front door of the core module: Result, clock, log, text helpers, per-thread scratch buffers. Depends on
// nothing.
#pragma once

#include "core/clock.h"
#include "core/json_string.h"
#include "core/log.h"
#include "core/random.h"
#include "core/result.h"
#include "core/scratch.h"
#include "core/text.h"
#include "core/time.h"
