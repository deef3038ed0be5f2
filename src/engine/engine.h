// Front door of the engine module: the glue that runs sgwatch live — sources -> matcher ->
// metrics -> alarms -> notifier, persisted in the state store. So far: the alarm engine and the
// CloudWatch Logs engine (log groups, streams, events, metric filters), and the feed of a log group
// from a folder of CloudTrail files.
#pragma once

#include "engine/alarm_actions.h"
#include "engine/alarm_engine.h"
#include "engine/cloudtrail_feed.h"
#include "engine/logs_engine.h"
#include "engine/push_ingest.h"
#include "engine/s3_feed.h"
