// The settings of `sgwatch serve`: its flags, the YAML config file with the same keys (flags
// win), and credentials files in the ~/.aws/credentials format. Neighbours: serve.cpp (which
// runs with a resolved ServeConfig).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace sgwatch::cli {

struct CredentialPair {
  std::string access_key_id;
  std::string secret_access_key;
};

// An HTTP push endpoint of a log group (engine/push_ingest.h): POSTs to `path` in `format`
// (eventbridge, firehose or jsonl), authenticated by `api_key` in `api_key_header` (Firehose:
// X-Amz-Firehose-Access-Key). The key comes from `api-key` or from the file `api-key-file`.
struct PushConfig {
  std::string path;
  std::string format;
  std::string api_key_header = "x-api-key";
  std::string api_key;
  std::string api_key_file;  // where the key was read from, when it came from a file
};

// A log group the config file declares: created at start when missing, and fed from a folder of
// CloudTrail files when `cloudtrail_folder` is set (engine/cloudtrail_feed.h).
struct LogGroupConfig {
  std::string name;
  std::optional<int> retention_days;
  std::string cloudtrail_folder;
  double poll_seconds = 1;    // how often the folder is listed
  double settle_seconds = 1;  // a file is read once unchanged this long
  std::optional<PushConfig> push;  // `push`: an HTTP push endpoint feeding the group
};

struct ServeConfig {
  std::string config_file;
  std::string listen = "127.0.0.1:4566";
  std::string state_dir = "./sgwatch-state";
  std::string credentials_file;
  std::vector<CredentialPair> credentials;  // from the config file's `credentials` list
  std::string account_id = "123456789012";
  std::string region = "us-east-1";
  std::string smtp_url;
  std::string smtp_from;
  std::string sms_gateway_url;
  std::string public_url;
  std::string tls_cert;
  std::string tls_key;
  bool allow_unsigned = false;
  std::vector<LogGroupConfig> log_groups;  // config file only (`log-groups`)
};

// What the command line said (before the config file is merged in).
struct ServeFlags {
  std::string config_file;
  ServeConfig values;
};

void register_serve_flags(CLI::App& command, ServeFlags& flags);

// Defaults, then the config file's keys, then the flags given on the command line. The region
// defaults to AWS_REGION or AWS_DEFAULT_REGION when set. Errors name the key and the problem.
core::Result<ServeConfig, std::string> resolve_serve_config(const CLI::App& command, const ServeFlags& flags);

// Reads the YAML config: a mapping whose keys are the flag names without "--" (listen,
// state-dir, credentials, account-id, region, smtp-url, smtp-from, sms-gateway-url, public-url,
// tls-cert, tls-key, allow-unsigned). `credentials` is a file path, or a list of
// {access-key-id, secret-access-key}. `log-groups` (no flag) is a list of {name, retention-days,
// cloudtrail-folder, poll-seconds, settle-seconds, push}; `push` is a mapping {path, format,
// api-key-header, api-key | api-key-file}. Unknown keys are errors.
core::Result<ServeConfig, std::string> read_serve_config_file(const std::string& path, ServeConfig base);

// Every profile's key pair of a credentials file ([profile] sections, aws_access_key_id and
// aws_secret_access_key, '#' and ';' comments). Errors name the line.
core::Result<std::vector<CredentialPair>, std::string> read_credentials_file(const std::string& path);
core::Result<std::vector<CredentialPair>, std::string> parse_credentials(std::string_view text);

}  // namespace sgwatch::cli
