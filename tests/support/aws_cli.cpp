#include "support/aws_cli.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

extern char** environ;

namespace sgwatch::testing {

namespace fs = std::filesystem;

bool is_executable(const fs::path& path) { return access(path.c_str(), X_OK) == 0 && fs::is_regular_file(path); }

std::optional<std::vector<std::string>> find_cli_v1() {
  const char* path = std::getenv("PATH");
  std::string entries = path != nullptr ? path : "";
  std::vector<std::vector<std::string>> candidates;
  for (std::size_t start = 0; start <= entries.size();) {
    std::size_t end = entries.find(':', start);
    if (end == std::string::npos) end = entries.size();
    const std::string dir = entries.substr(start, end - start);
    start = end + 1;
    if (dir.empty() || dir == "/usr/bin" || dir == "/bin") continue;
    if (is_executable(fs::path(dir) / "aws")) candidates.push_back({(fs::path(dir) / "aws").string()});
    if (is_executable(fs::path(dir) / "python3")) {
      candidates.push_back({(fs::path(dir) / "python3").string(), "-m", "awscli"});
    }
  }
  for (const std::vector<std::string>& argv : candidates) {
    std::vector<std::string> version = argv;
    version.push_back("--version");
    const ProcessResult result = run_process(version);
    if (result.exit_code == 0 && (result.out + result.err).find("aws-cli/1.") != std::string::npos) return argv;
  }
  return std::nullopt;
}

Cli cli_v2() { return Cli{"aws-cli 2.9 (/usr/bin/aws)", {"/usr/bin/aws"}, "awsQuery", 254}; }

std::vector<std::string> cli_environment(const fs::path& config, const CliCredentials& credentials) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    if (text.starts_with("AWS_")) continue;
    env.push_back(text);
  }
  for (std::string setting :
       {"AWS_ACCESS_KEY_ID=" + credentials.access_key_id, "AWS_SECRET_ACCESS_KEY=" + credentials.secret_access_key,
        "AWS_DEFAULT_REGION=" + credentials.region, "AWS_REGION=" + credentials.region,
        "AWS_CONFIG_FILE=" + config.string(), std::string("AWS_SHARED_CREDENTIALS_FILE=/dev/null"),
        std::string("AWS_PAGER="), std::string("AWS_MAX_ATTEMPTS=1"), std::string("AWS_RETRY_MODE=standard"),
        std::string("AWS_EC2_METADATA_DISABLED=true")}) {
    env.push_back(std::move(setting));
  }
  return env;
}

ProcessResult run_cli(const Cli& cli, const std::string& endpoint, const fs::path& config,
                      const CliCredentials& credentials, std::vector<std::string> arguments, bool verify_ssl) {
  std::vector<std::string> argv = cli.argv;
  for (const char* option :
       {"--endpoint-url", endpoint.c_str(), "--output", "json", "--cli-read-timeout", "20", "--cli-connect-timeout", "5"}) {
    argv.emplace_back(option);
  }
  if (!verify_ssl) argv.emplace_back("--no-verify-ssl");
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run_process_with_environment(argv, cli_environment(config, credentials));
}

fs::path write_cli_config(const fs::path& dir) {
  const fs::path config = dir / "aws-config";
  std::ofstream(config) << "[default]\ncli_timestamp_format = iso8601\n";
  return config;
}

}  // namespace sgwatch::testing
