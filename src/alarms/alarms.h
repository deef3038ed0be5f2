// Front door of the alarms module: CloudWatch metric alarms with CloudWatch's semantics
// (../shared/spec/alarms.md): PutMetricAlarm definitions validated with AWS's rules and error
// codes, the evaluation of M out of N with every TreatMissingData mode, reason texts in AWS's
// grammar, the state machine with its actions, history items, the live schedule (minute
// boundaries and the early-ALARM rule) and the scenario driver behind `sgwatch alarm simulate`.
// Depends on metrics and core; no I/O, no clock of its own (callers pass the time).
#pragma once

#include "alarms/alarm.h"
#include "alarms/definition.h"
#include "alarms/evaluator.h"
#include "alarms/history.h"
#include "alarms/live.h"
#include "alarms/reason.h"
#include "alarms/simulate.h"
