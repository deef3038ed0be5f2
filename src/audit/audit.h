// Front door of the audit module: `sgwatch audit` without its command line. collect.h reads an
// account into a Snapshot (model.h) through aws/client.h; evaluate.h judges every CIS
// section-4 control semantically (lint/controls.h runs the real engine over the configured
// patterns); render.h writes table, JSON, OCSF, ASFF and SARIF; chain.h is the chain that
// apply.h creates and the export formats write. Depends on lint, aws, core.
#pragma once

#include "audit/apply.h"
#include "audit/chain.h"
#include "audit/collect.h"
#include "audit/evaluate.h"
#include "audit/model.h"
#include "audit/render.h"
