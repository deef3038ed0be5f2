// Front door of the core module: Result, text helpers. Depends on nothing.
#pragma once

#include "core/result.h"
#include "core/text.h"
