// Front door of the pattern module: the CloudWatch Logs filter-pattern language.
//   auto matcher = sgwatch::pattern::Matcher::compile(text);   // parse -> check -> compile
//   sgwatch::pattern::Subject subject(message);                 // one event, parsed lazily
//   bool hit = matcher->matches(subject);
// MetricFilter adds the metric transformation of PutMetricFilter. The stages (lexer, parser,
// checker, dump) are public for tests and diagnostics. Depends on core; no I/O.
#pragma once

#include "pattern/ast.h"
#include "pattern/checker.h"
#include "pattern/dump.h"
#include "pattern/error.h"
#include "pattern/json_tree.h"
#include "pattern/lexer.h"
#include "pattern/matcher.h"
#include "pattern/metric_filter.h"
#include "pattern/parser.h"
#include "pattern/regex.h"
#include "pattern/subject.h"
