// `sgwatch apply` and `sgwatch export` (docs/audit.md, "apply and export"):
//   sgwatch apply --log-group NAME [--email ADDR]... [--benchmark cis-v3|cis-v5] [--topic-name T]
//                 [--namespace N] [--dry-run] [--profile P] [--region R] [--endpoint-url URL]
//                 [--format table|json]
// creates what is missing of the CIS section-4 chain on the log group, idempotently; exit 0 done
// (or nothing to do), 1 a prerequisite it does not create is missing, 2 error.
//   sgwatch export --format cloudformation|terraform|aws-cli --log-group NAME [--email ADDR]...
//                  [--benchmark ...] [--topic-name T] [--namespace N]
// writes the same chain as code on stdout; no AWS call. Exit 0, or 2 on bad usage.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "audit/apply.h"
#include "audit/evaluate.h"
#include "audit/chain.h"
#include "cli/aws_session.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace sgwatch::cli {
namespace {

struct ChainFlags {
  std::string benchmark = "cis-v3";
  std::string log_group;
  std::vector<std::string> emails;
  std::string topic_name = "cis-alarms";
  std::string metric_namespace = "CISBenchmark";
};

void add_chain_flags(CLI::App* sub, ChainFlags& flags) {
  sub->add_option("--benchmark", flags.benchmark, "cis-v3 (default) or cis-v5");
  sub->add_option("--log-group", flags.log_group, "the CloudWatch Logs group the multi-region trail delivers to")
      ->required();
  sub->add_option("--email", flags.emails, "an address to subscribe to the alarm topic (repeatable)");
  sub->add_option("--topic-name", flags.topic_name, "the SNS topic's name (default cis-alarms)");
  sub->add_option("--namespace", flags.metric_namespace, "the metrics' namespace (default CISBenchmark)");
}

std::optional<audit::ChainSpec> chain_spec(const ChainFlags& flags) {
  auto benchmark = audit::parse_benchmark(flags.benchmark);
  if (!benchmark) {
    print_error("usage", "--benchmark", fmt::format("'{}' is not one of cis-v3, cis-v5", flags.benchmark));
    return std::nullopt;
  }
  for (const auto& email : flags.emails) {
    if (email.find('@') == std::string::npos || email.find_first_of(" \t\r\n") != std::string::npos) {
      print_error("usage", "--email", fmt::format("'{}' is not an e-mail address", email));
      return std::nullopt;
    }
  }
  if (flags.topic_name.empty() || flags.metric_namespace.empty()) {
    print_error("usage", flags.topic_name.empty() ? "--topic-name" : "--namespace", "must not be empty");
    return std::nullopt;
  }
  audit::ChainSpec spec;
  spec.benchmark = *benchmark;
  spec.log_group = flags.log_group;
  spec.emails = flags.emails;
  spec.topic_name = flags.topic_name;
  spec.metric_namespace = flags.metric_namespace;
  return spec;
}

struct ApplyFlags {
  ChainFlags chain;
  AwsFlags aws;
  bool dry_run = false;
  std::string format;
};

std::string apply_table(const audit::ApplyReport& report, bool dry_run) {
  std::string out = fmt::format("{}account {}, region {}\n\nprerequisites\n", dry_run ? "dry run: " : "",
                                report.account.empty() ? "unknown" : report.account, report.region);
  for (const auto& p : report.prerequisites) {
    out += fmt::format("  {} {:<13} {}\n", p.ok ? "ok     " : "MISSING", p.what, p.detail);
  }
  if (!report.actions.empty()) out += "\nchain\n";
  for (const auto& a : report.actions) {
    out += fmt::format("  {:<6} {:<13} {:<14} {:<32} {}\n", a.control.empty() ? "-" : a.control, a.kind, a.status,
                       a.name, a.detail);
  }
  out += report.changes() == 0 ? "\nnothing to change\n"
                               : fmt::format("\n{} change{}{}\n", report.changes(), report.changes() == 1 ? "" : "s",
                                             dry_run ? " planned" : " made");
  return out;
}

std::string apply_json(const audit::ApplyReport& report, bool dry_run) {
  Json doc;
  doc["account"] = report.account;
  doc["region"] = report.region;
  doc["dry_run"] = dry_run;
  Json prerequisites = Json::array();
  for (const auto& p : report.prerequisites) {
    prerequisites.push_back({{"what", p.what}, {"ok", p.ok}, {"detail", p.detail}});
  }
  doc["prerequisites"] = std::move(prerequisites);
  Json actions = Json::array();
  for (const auto& a : report.actions) {
    actions.push_back({{"control", a.control}, {"kind", a.kind}, {"name", a.name}, {"status", a.status},
                       {"detail", a.detail}});
  }
  doc["actions"] = std::move(actions);
  doc["changes"] = report.changes();
  return aws_cli_json(doc);
}

int run_apply(const ApplyFlags& flags) {
  std::string format = flags.format;
  if (format.empty()) format = ::isatty(STDOUT_FILENO) != 0 ? "table" : "json";
  if (format != "table" && format != "json") {
    print_error("usage", "--format", fmt::format("'{}' is not one of table, json", format));
    return kExitError;
  }
  auto spec = chain_spec(flags.chain);
  if (!spec) return kExitError;
  auto session = AwsSession::open(flags.aws);
  if (!session) {
    print_error("cannot apply", "AWS credentials", session.error());
    return kExitError;
  }
  audit::ApplyOptions options;
  options.spec = *spec;
  options.region = (*session)->region();
  options.dry_run = flags.dry_run;
  auto report = audit::apply(options, [&session](const std::string& region) -> aws::Client& {
    return (*session)->client(region);
  });
  if (!report) {
    print_error("cannot apply", (*session)->endpoint_url().value_or("AWS"), report.error());
    return kExitError;
  }
  std::string out = format == "table" ? apply_table(*report, flags.dry_run) : apply_json(*report, flags.dry_run);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return report->prerequisites_ok() ? kExitOk : kExitNothing;
}

struct ExportFlags {
  ChainFlags chain;
  std::string format;
};

int run_export(const ExportFlags& flags) {
  auto spec = chain_spec(flags.chain);
  if (!spec) return kExitError;
  std::string out;
  if (flags.format == "cloudformation") {
    out = audit::export_cloudformation(*spec);
  } else if (flags.format == "terraform") {
    out = audit::export_terraform(*spec);
  } else if (flags.format == "aws-cli") {
    out = audit::export_aws_cli(*spec);
  } else {
    print_error("usage", "--format",
                fmt::format("'{}' is not one of cloudformation, terraform, aws-cli", flags.format));
    return kExitError;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace

Runner add_apply(CLI::App& app) {
  auto flags = std::make_shared<ApplyFlags>();
  CLI::App* sub = app.add_subcommand(
      "apply", "Create what is missing of the CIS section-4 chain (metric filters, alarms, SNS topic and "
               "subscriptions) on a log group, idempotently.");
  add_chain_flags(sub, flags->chain);
  sub->add_flag("--dry-run", flags->dry_run, "show what would be created; change nothing");
  sub->add_option("--profile", flags->aws.profile, "the AWS CLI profile to use");
  sub->add_option("--region", flags->aws.region, "the region (default: the profile's or AWS_REGION)");
  sub->add_option("--endpoint-url", flags->aws.endpoint_url, "send every AWS call to this URL");
  sub->add_option("--format", flags->format, "table or json (default: table on a tty, else json)");
  return [sub, flags]() -> int {
    if (!sub->parsed()) return -1;
    return run_apply(*flags);
  };
}

Runner add_export(CLI::App& app) {
  auto flags = std::make_shared<ExportFlags>();
  CLI::App* sub = app.add_subcommand(
      "export", "Write the CIS section-4 chain as a CloudFormation template, a Terraform configuration or an "
                "AWS CLI script.");
  add_chain_flags(sub, flags->chain);
  sub->add_option("--format", flags->format, "cloudformation, terraform or aws-cli")->required();
  return [sub, flags]() -> int {
    if (!sub->parsed()) return -1;
    return run_export(*flags);
  };
}

}  // namespace sgwatch::cli
