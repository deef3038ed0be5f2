// Front door of the engine module: the glue that runs sgwatch live — sources -> matcher ->
// metrics -> alarms -> notifier, persisted in the state store. So far: the alarm engine.
#pragma once

#include "engine/alarm_engine.h"
