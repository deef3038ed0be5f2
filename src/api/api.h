// Front door of the api module: the AWS-compatible HTTP API of `sgwatch serve`. ApiServer
// (server.h) is the listener: AWS requests at "/" go to the Dispatcher (dispatch.h), which
// verifies SigV4 and hands each request to the ServiceApi registered for its service; other
// paths go to routes other modules register. Services so far: STS (sts_api.h) and CloudWatch
// over the alarm engine (cloudwatch_api.h). shapes.h is the toolkit for writing a service: one
// handler answers both the query and the JSON protocols. Depends on engine, aws, alarms,
// metrics, core; cpp-httplib stays inside server.cpp.
#pragma once

#include "api/cloudwatch_api.h"
#include "api/dispatch.h"
#include "api/page_token.h"
#include "api/request_id.h"
#include "api/server.h"
#include "api/shapes.h"
#include "api/sts_api.h"
