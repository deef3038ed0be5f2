// The real AWS CLIs as test clients: Debian's aws-cli 2.9 (/usr/bin/aws) and the pip awscli 1.x
// first on PATH, run with a clean AWS environment (a given key pair and region, no machine
// settings leaking in) against an --endpoint-url. Neighbours: subprocess.h (which runs them),
// tests/integration (the API and serve tests).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "support/subprocess.h"

namespace sgwatch::testing {

bool is_executable(const std::filesystem::path& path);

// awscli 1.x: the first `aws` on PATH outside /usr/bin and /bin, else `python3 -m awscli`.
std::optional<std::vector<std::string>> find_cli_v1();

struct Cli {
  std::string label;
  std::vector<std::string> argv;
  std::string cloudwatch_protocol;  // what this CLI speaks to CloudWatch
  int service_error_exit;           // 254 for CLI v2, 255 for v1
};

// Debian's aws-cli 2.9: CloudWatch over awsQuery.
Cli cli_v2();

struct CliCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string region = "us-west-2";
};

// Our environment without AWS_* entries, plus the key pair, region, `config` as AWS_CONFIG_FILE,
// no shared credentials file, no pager, one attempt, no instance metadata.
std::vector<std::string> cli_environment(const std::filesystem::path& config, const CliCredentials& credentials);

// `cli` --endpoint-url `endpoint` --output json ... `arguments`.
ProcessResult run_cli(const Cli& cli, const std::string& endpoint, const std::filesystem::path& config,
                      const CliCredentials& credentials, std::vector<std::string> arguments,
                      bool verify_ssl = true);

// A CLI config file in `dir` ([default] cli_timestamp_format = iso8601); returns its path.
std::filesystem::path write_cli_config(const std::filesystem::path& dir);

}  // namespace sgwatch::testing
