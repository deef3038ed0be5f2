// `sgwatch apply`: creates what is missing of the CIS section-4 chain (chain.h) on one log
// group, through the same AWS APIs the AWS CLI uses (PutMetricFilter, CreateTopic, Subscribe,
// PutMetricAlarm), idempotently: a control whose filter (judged by the engine, as the audit
// does), alarm and topic already work is left alone, so a second run changes nothing. It never
// edits or deletes a resource it did not name itself. Prerequisites it does not create (the log
// group, a trail delivering to it, Security Hub) are checked and reported. Neighbours:
// collect.h (what exists), evaluate.h (what works), chain.h (what to create).
#pragma once

#include <string>
#include <vector>

#include "audit/chain.h"
#include "audit/collect.h"
#include "core/result.h"

namespace sgwatch::audit {

struct ApplyOptions {
  ChainSpec spec;
  std::string region;
  bool dry_run = false;
};

struct ApplyAction {
  std::string control;  // "4.10"; empty for the topic and its subscriptions
  std::string kind;     // "metric-filter", "alarm", "topic", "subscription"
  std::string name;     // the resource's name (or e-mail address)
  std::string status;   // "exists", "created", "replaced", "would create", "would replace"
  std::string detail;   // why, e.g. "filter cis-4-10 is equivalent"
};

struct Prerequisite {
  std::string what;  // "log group", "trail", "security hub"
  bool ok = false;
  std::string detail;
};

struct ApplyReport {
  std::string account;
  std::string region;
  std::vector<Prerequisite> prerequisites;
  std::vector<ApplyAction> actions;
  int changes() const;  // created + replaced (or would be, on a dry run)
  bool prerequisites_ok() const;
};

// Fails on an error AWS returned for a write, or when the log group cannot be checked.
core::Result<ApplyReport, std::string> apply(const ApplyOptions& options, const ClientForRegion& clients);

}  // namespace sgwatch::audit
