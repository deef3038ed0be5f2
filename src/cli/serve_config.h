// The settings of `sgwatch serve`: its flags, the YAML config file with the same keys (flags
// win), and credentials files in the ~/.aws/credentials format. Neighbours: serve.cpp (which
// runs with a resolved ServeConfig).
#pragma once

#include <CLI/CLI.hpp>
#include <yaml-cpp/yaml.h>
#include <optional>
#include <utility>
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

// An S3 bucket prefix feeding a log group (engine/s3_feed.h): listed every `poll_seconds`, or,
// with `sqs_queue_url`, told of new objects by SQS (the prefix then listed at start and every
// 15 minutes). Credentials and region as the AWS CLI resolves them, with `profile`.
struct S3SourceConfig {
  std::string bucket;
  std::string prefix;
  std::optional<std::string> region;        // default: the profile's or environment's region
  std::optional<std::string> endpoint_url;  // e.g. a local S3 and SQS emulator (path-style URLs)
  std::string sqs_queue_url;
  double poll_seconds = 60;
  std::optional<std::string> profile;
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
  std::optional<S3SourceConfig> s3;  // `s3`: an S3 bucket prefix feeding the group
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
  std::string log_format = "text";  // text or json (core/log.h)
  std::string log_level = "info";   // debug, info, warn or error
  std::vector<LogGroupConfig> log_groups;  // config file only (`log-groups`)
};

// What the command line said (before the config file is merged in).
struct ServeFlags {
  std::string config_file;
  ServeConfig values;
};

void register_serve_flags(CLI::App& command, ServeFlags& flags);

// The defaults before any file or flag: the region is AWS_REGION or AWS_DEFAULT_REGION when set.
ServeConfig default_serve_config();

// Defaults, then the config file's keys, then the flags given on the command line. The region
// defaults to AWS_REGION or AWS_DEFAULT_REGION when set. Errors name the key and the problem.
core::Result<ServeConfig, std::string> resolve_serve_config(const CLI::App& command, const ServeFlags& flags);

// Reads the YAML config: a mapping whose keys are the flag names without "--" (listen,
// state-dir, credentials, account-id, region, smtp-url, smtp-from, sms-gateway-url, public-url,
// tls-cert, tls-key, allow-unsigned, log-format, log-level). `credentials` is a file path, or a list of
// {access-key-id, secret-access-key}. `log-groups` (no flag) is a list of {name, retention-days,
// cloudtrail-folder, poll-seconds, settle-seconds, push}; `push` is a mapping {path, format,
// api-key-header, api-key | api-key-file}. Unknown keys are errors.
// A log group may also have `s3` (read_s3_source_config below).
core::Result<ServeConfig, std::string> read_serve_config_file(const std::string& path, ServeConfig base);

// host:port -> parts; a bare port means 127.0.0.1, and "[::1]:4566" an IPv6 address.
core::Result<std::pair<std::string, int>, std::string> parse_listen_address(const std::string& listen);

// What a resolved config must satisfy beyond the file's syntax, checked by `sgwatch config check`
// and by serve before it starts: `errors` keep serve from starting (a bad listen address, account
// id or log group name, unreadable TLS or credentials files, a bad SMTP or gateway URL, a state
// directory that cannot be written); `warnings` do not (a CloudTrail folder that does not exist
// yet is read once it does; a short push key). Each item names the setting.
struct ConfigReview {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
};
ConfigReview review_serve_config(const ServeConfig& config);

// A log group's `s3` mapping: {bucket, prefix, region, endpoint-url, sqs-queue-url, poll-seconds,
// profile}; `bucket` is required. Unknown keys are errors naming the line.
core::Result<S3SourceConfig, std::string> read_s3_source_config(const std::string& path, const YAML::Node& node);

// Every profile's key pair of a credentials file ([profile] sections, aws_access_key_id and
// aws_secret_access_key, '#' and ';' comments). Errors name the line.
core::Result<std::vector<CredentialPair>, std::string> read_credentials_file(const std::string& path);
core::Result<std::vector<CredentialPair>, std::string> parse_credentials(std::string_view text);

}  // namespace sgwatch::cli
