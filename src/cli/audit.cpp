// `sgwatch audit [--benchmark cis-v3|cis-v5] [--profile P] [--region R] [--endpoint-url URL]
// [--format table|json|ocsf|asff|sarif] [--strict]` (CONTRACTS.md, docs/audit.md): reads the
// account's CIS section-4 chains through the AWS APIs (read-only) and judges each control by
// evaluating the configured filter patterns with the real engine. Output: a table on a tty,
// else JSON. Exit 0 nothing FAILs, 1 something FAILs (or is MANUAL with --strict), 2 error.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "audit/audit.h"
#include "aws/client.h"
#include "cli/aws_session.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace sgwatch::cli {
namespace {

struct AuditOptions {
  std::string benchmark = "cis-v3";
  AwsFlags aws;
  std::string format;
  bool strict = false;
};

int run(const AuditOptions& options) {
  std::string format = options.format;
  if (format.empty()) format = ::isatty(STDOUT_FILENO) != 0 ? "table" : "json";
  if (format != "table" && format != "json" && format != "ocsf" && format != "asff" && format != "sarif") {
    print_error("usage", "--format", fmt::format("'{}' is not one of table, json, ocsf, asff, sarif", format));
    return kExitError;
  }
  auto benchmark = audit::parse_benchmark(options.benchmark);
  if (!benchmark) {
    print_error("usage", "--benchmark", fmt::format("'{}' is not one of cis-v3, cis-v5", options.benchmark));
    return kExitError;
  }
  auto session = AwsSession::open(options.aws);
  if (!session) {
    print_error("cannot audit", "AWS credentials", session.error());
    return kExitError;
  }
  audit::CollectOptions collect_options;
  collect_options.region = (*session)->region();
  auto snapshot = audit::collect(collect_options, [&session](const std::string& region) -> aws::Client& {
    return (*session)->client(region);
  });
  if (!snapshot) {
    print_error("cannot audit", (*session)->endpoint_url().value_or("AWS"), snapshot.error());
    return kExitError;
  }
  auto report = audit::evaluate(*snapshot, *benchmark);
  if (!report) {
    print_error("internal error", "audit", report.error());
    return kExitError;
  }
  std::string out;
  if (format == "table") {
    out = audit::to_table(*report, ::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr);
  } else if (format == "json") {
    out = aws_cli_json(audit::to_json(*report));
  } else if (format == "ocsf") {
    out = aws_cli_json(audit::to_ocsf(*report));
  } else if (format == "asff") {
    out = aws_cli_json(audit::to_asff(*report));
  } else {
    out = aws_cli_json(audit::to_sarif(*report));
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (report->any(audit::Status::kFail)) return kExitNothing;
  if (options.strict && report->any(audit::Status::kManual)) return kExitNothing;
  return kExitOk;
}

}  // namespace

Runner add_audit(CLI::App& app) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* sub = app.add_subcommand(
      "audit", "Audit an AWS account's CIS section-4 monitoring chains (trail -> log group -> metric filter -> "
               "alarm -> SNS topic -> subscription), judging each filter by what it matches.");
  sub->add_option("--benchmark", options->benchmark, "cis-v3 (default) or cis-v5");
  sub->add_option("--profile", options->aws.profile, "the AWS CLI profile to use");
  sub->add_option("--region", options->aws.region, "the region to audit (default: the profile's or AWS_REGION)");
  sub->add_option("--endpoint-url", options->aws.endpoint_url, "send every AWS call to this URL (e.g. an emulator)");
  sub->add_option("--format", options->format, "table, json, ocsf, asff or sarif (default: table on a tty, else json)");
  sub->add_flag("--strict", options->strict, "exit 1 when a control is MANUAL too");
  return [sub, options]() -> int {
    if (!sub->parsed()) return -1;
    return run(*options);
  };
}

}  // namespace sgwatch::cli
