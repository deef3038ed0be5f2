// `sgwatch config check FILE`: reads a `sgwatch serve` config file as serve would (the same
// parser, defaults and environment) and reviews it as serve does before it starts
// (serve_config.h, review_serve_config), without opening the state or the listener. Prints what
// serve would run: the listener, the state directory, and each log group with its sources.
// Exit 0 when serve would start, 1 when the config has errors (each on stderr as
// "sgwatch: bad configuration: FILE: why"), 2 on a usage error. docs/cli.md.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/serve_config.h"

namespace sgwatch::cli {
namespace {

struct CheckFlags {
  std::string file;
  std::string format;
};

Json describe_group(const LogGroupConfig& group) {
  Json out = Json::object();
  out["name"] = group.name;
  if (group.retention_days) out["retention-days"] = *group.retention_days;
  Json sources = Json::array();
  if (!group.cloudtrail_folder.empty()) {
    sources.push_back({{"type", "cloudtrail-folder"},
                       {"folder", group.cloudtrail_folder},
                       {"poll-seconds", json_number(group.poll_seconds)},
                       {"settle-seconds", json_number(group.settle_seconds)}});
  }
  if (group.push) {
    sources.push_back({{"type", "push"},
                       {"path", group.push->path},
                       {"format", group.push->format},
                       {"api-key-header", group.push->api_key_header},
                       {"api-key", group.push->api_key_file.empty() ? "(in the config)" : group.push->api_key_file}});
  }
  if (group.s3) {
    Json s3 = {{"type", "s3"}, {"bucket", group.s3->bucket}, {"prefix", group.s3->prefix}};
    if (group.s3->region) s3["region"] = *group.s3->region;
    if (group.s3->profile) s3["profile"] = *group.s3->profile;
    if (group.s3->endpoint_url) s3["endpoint-url"] = *group.s3->endpoint_url;
    if (!group.s3->sqs_queue_url.empty()) s3["sqs-queue-url"] = group.s3->sqs_queue_url;
    s3["poll-seconds"] = json_number(group.s3->poll_seconds);
    sources.push_back(std::move(s3));
  }
  out["sources"] = std::move(sources);
  return out;
}

std::string describe_text(const Json& source) {
  const std::string type = source["type"].get<std::string>();
  if (type == "cloudtrail-folder") {
    return "folder " + source["folder"].get<std::string>() + " (poll " + source["poll-seconds"].dump() + " s, settle " +
           source["settle-seconds"].dump() + " s)";
  }
  if (type == "s3") {
    std::string text = "s3://" + source["bucket"].get<std::string>() + "/" + source["prefix"].get<std::string>();
    if (source.contains("sqs-queue-url")) text += " with notifications from " + source["sqs-queue-url"].get<std::string>();
    return text;
  }
  return "push POST " + source["path"].get<std::string>() + " (" + source["format"].get<std::string>() + ", key in " +
         source["api-key-header"].get<std::string>() + ")";
}

int run_check(const CheckFlags& flags) {
  const std::string format = flags.format.empty() ? (::isatty(1) ? "text" : "json") : flags.format;
  auto read = read_serve_config_file(flags.file, default_serve_config());
  ConfigReview review;
  if (!read) {
    if (read.error().rfind("cannot read ", 0) == 0) {
      print_error("cannot read the config", flags.file, read.error().substr(12));
      return kExitError;
    }
    review.errors.push_back(read.error());
  } else {
    review = review_serve_config(*read);
  }
  for (const std::string& warning : review.warnings) print_error("warning", flags.file, warning);
  for (const std::string& problem : review.errors) print_error("bad configuration", flags.file, problem);

  Json doc = Json::object();
  doc["file"] = flags.file;
  doc["valid"] = review.errors.empty();
  doc["errors"] = review.errors;
  doc["warnings"] = review.warnings;
  if (read) {
    doc["listen"] = read->listen;
    doc["state-dir"] = read->state_dir;
    doc["region"] = read->region;
    doc["account-id"] = read->account_id;
    Json groups = Json::array();
    for (const LogGroupConfig& group : read->log_groups) groups.push_back(describe_group(group));
    doc["log-groups"] = std::move(groups);
  }
  if (format == "json") {
    std::cout << doc.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
  } else if (read) {
    std::cout << flags.file << ": " << (review.errors.empty() ? "valid" : "not valid") << "\n";
    std::cout << "  listen " << read->listen << ", state " << read->state_dir << ", region " << read->region
              << ", account " << read->account_id << "\n";
    for (const Json& group : doc["log-groups"]) {
      std::cout << "  log group " << group["name"].get<std::string>() << ":";
      if (group["sources"].empty()) std::cout << " no sources (PutLogEvents only)";
      bool first = true;
      for (const Json& source : group["sources"]) {
        std::cout << (first ? " " : "; ") << describe_text(source);
        first = false;
      }
      std::cout << "\n";
    }
  } else {
    std::cout << flags.file << ": not valid\n";
  }
  return review.errors.empty() ? kExitOk : kExitNothing;
}

}  // namespace

Runner add_config(CLI::App& app) {
  auto* config = app.add_subcommand("config", "Work with `sgwatch serve` config files.");
  config->require_subcommand(1);
  auto* check = config->add_subcommand(
      "check", "Check a serve config file as `sgwatch serve` would before starting (exit 0 valid, 1 not valid).");
  auto flags = std::make_shared<CheckFlags>();
  check->add_option("FILE", flags->file, "The YAML config file")->required();
  check->add_option("--format", flags->format, "text or json (default: text on a terminal, else json)")
      ->check(CLI::IsMember({"text", "json"}));
  return [check, flags]() -> int {
    if (!check->parsed()) return -1;
    return run_check(*flags);
  };
}

}  // namespace sgwatch::cli
