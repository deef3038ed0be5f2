// Front door of the metrics module: CloudWatch statistics over a period's values, and the
// in-memory datapoint store keyed by namespace, name and dimensions. Depends on core.
#pragma once

#include "metrics/statistics.h"
#include "metrics/store.h"
