// Implementation of serve_config.h.
#include "cli/serve_config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/log.h"
#include "engine/logs_engine.h"
#include "engine/push_ingest.h"
#include "notify/sinks/sinks.h"

namespace sgwatch::cli {
namespace {

std::string trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\r");
  return std::string(text.substr(begin, end - begin + 1));
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

core::Result<std::string, std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::unexpected(fmt::format("cannot read {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A log group's `push` mapping (engine/push_ingest.h). Errors name the line and the key.
core::Result<PushConfig, std::string> read_push_config(const std::string& path, const YAML::Node& node) {
  const auto at = [&](const YAML::Node& where, std::string_view why) {
    return fmt::format("{}: line {}: log-groups: push: {}", path, where.Mark().line + 1, why);
  };
  if (!node.IsMap()) return core::unexpected(at(node, "expected a mapping with path, format and api-key"));
  PushConfig push;
  bool header_given = false;
  for (const auto& field : node) {
    const std::string name = field.first.as<std::string>();
    const YAML::Node& v = field.second;
    if (!v.IsScalar()) return core::unexpected(at(v, fmt::format("{}: expected a single value", name)));
    if (name == "path") {
      push.path = v.as<std::string>();
    } else if (name == "format") {
      push.format = v.as<std::string>();
    } else if (name == "api-key-header") {
      push.api_key_header = v.as<std::string>();
      header_given = true;
    } else if (name == "api-key") {
      push.api_key = v.as<std::string>();
    } else if (name == "api-key-file") {
      push.api_key_file = v.as<std::string>();
    } else {
      return core::unexpected(at(field.first, fmt::format("unknown setting \"{}\"", name)));
    }
  }
  // Under /ingest/ (CONTRACTS.md), so that no endpoint can take the place of /healthz, /metrics or
  // the SNS links.
  if (push.path.rfind("/ingest/", 0) != 0 || push.path.size() <= 8 ||
      push.path.find_first_of("?# ") != std::string::npos) {
    return core::unexpected(at(node, "path: expected a path under /ingest/, such as /ingest/cloudtrail"));
  }
  const auto format = engine::parse_push_format(push.format);
  if (!format) return core::unexpected(at(node, "format: expected eventbridge, firehose or jsonl"));
  if (*format == engine::PushFormat::kFirehose && header_given) {
    return core::unexpected(at(node, "api-key-header: Firehose always sends X-Amz-Firehose-Access-Key"));
  }
  if (push.api_key_header.empty()) return core::unexpected(at(node, "api-key-header: empty"));
  if (!push.api_key.empty() && !push.api_key_file.empty()) {
    return core::unexpected(at(node, "api-key and api-key-file: give one of them"));
  }
  if (!push.api_key_file.empty()) {
    auto text = read_text(push.api_key_file);
    if (!text) return core::unexpected(at(node, fmt::format("api-key-file: {}", text.error())));
    const std::string_view key = *text;
    const auto first = key.find_first_not_of(" \t\r\n");
    push.api_key = first == std::string_view::npos
                       ? std::string()
                       : std::string(key.substr(first, key.find_last_not_of(" \t\r\n") - first + 1));
  }
  if (push.api_key.empty()) {
    return core::unexpected(at(node, push.api_key_file.empty() ? "api-key or api-key-file is required"
                                                               : "api-key-file: the file holds no key"));
  }
  return push;
}

}  // namespace

void register_serve_flags(CLI::App& command, ServeFlags& flags) {
  auto& v = flags.values;
  command.add_option("--config", flags.config_file, "YAML file with the same keys as these flags (flags win)");
  command.add_option("--listen", v.listen, "Address and port of the API (default 127.0.0.1:4566)");
  command.add_option("--state-dir", v.state_dir, "Where state lives (default ./sgwatch-state)");
  command.add_option("--credentials", v.credentials_file,
                     "Credentials file (~/.aws/credentials format); every profile's key is accepted");
  command.add_option("--account-id", v.account_id, "The account id in ARNs (default 123456789012)");
  command.add_option("--region", v.region, "The region served (default: AWS_REGION, else us-east-1)");
  command.add_option("--smtp-url", v.smtp_url, "smtp://[user:pass@]host:port or smtps://...; STARTTLS when offered");
  command.add_option("--smtp-from", v.smtp_from, "The sender address of mails");
  command.add_option("--sms-gateway-url", v.sms_gateway_url, "HTTP gateway for sms subscriptions (docs/notifications.md)");
  command.add_option("--public-url", v.public_url,
                     "The URL receivers reach sgwatch at (confirmation links, SigningCertURL)");
  command.add_option("--tls-cert", v.tls_cert, "PEM certificate: serve HTTPS");
  command.add_option("--tls-key", v.tls_key, "PEM private key of --tls-cert");
  command.add_flag("--allow-unsigned", v.allow_unsigned, "Accept requests without a signature (local experiments)");
  command.add_option("--log-format", v.log_format, "text (default) or json: one JSON object per line");
  command.add_option("--log-level", v.log_level, "debug, info (default), warn or error");
}

core::Result<std::vector<CredentialPair>, std::string> parse_credentials(std::string_view text) {
  std::vector<CredentialPair> out;
  std::map<std::string, CredentialPair> profiles;
  std::vector<std::string> order;
  std::string profile;
  std::size_t number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    const std::string line = trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    start = end == std::string_view::npos ? text.size() + 1 : end + 1;
    ++number;
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') return core::unexpected(fmt::format("line {}: a section header needs its ']'", number));
      profile = trim(std::string_view(line).substr(1, line.size() - 2));
      if (!profiles.contains(profile)) order.push_back(profile);
      profiles[profile];
      continue;
    }
    const auto equals = line.find('=');
    if (equals == std::string::npos) return core::unexpected(fmt::format("line {}: expected key = value", number));
    if (profile.empty()) return core::unexpected(fmt::format("line {}: a key outside any [profile] section", number));
    const std::string key = lower(trim(std::string_view(line).substr(0, equals)));
    const std::string value = trim(std::string_view(line).substr(equals + 1));
    if (key == "aws_access_key_id") profiles[profile].access_key_id = value;
    if (key == "aws_secret_access_key") profiles[profile].secret_access_key = value;
  }
  for (const auto& name : order) {
    const auto& pair = profiles[name];
    if (pair.access_key_id.empty() && pair.secret_access_key.empty()) continue;
    if (pair.access_key_id.empty() || pair.secret_access_key.empty()) {
      return core::unexpected(fmt::format("profile [{}] needs both aws_access_key_id and aws_secret_access_key", name));
    }
    out.push_back(pair);
  }
  if (out.empty()) return core::unexpected("no profile with aws_access_key_id and aws_secret_access_key");
  return out;
}

core::Result<std::vector<CredentialPair>, std::string> read_credentials_file(const std::string& path) {
  auto text = read_text(path);
  if (!text) return core::unexpected(text.error());
  return parse_credentials(*text);
}

core::Result<ServeConfig, std::string> read_serve_config_file(const std::string& path, ServeConfig config) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return core::unexpected(fmt::format("cannot read {}", path));
  } catch (const YAML::Exception& e) {
    return core::unexpected(fmt::format("{}: line {}, column {}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  if (root.IsNull()) return config;
  if (!root.IsMap()) return core::unexpected(fmt::format("{}: expected a mapping of settings", path));
  const std::map<std::string, std::string*> strings{
      {"listen", &config.listen},       {"state-dir", &config.state_dir},
      {"account-id", &config.account_id}, {"region", &config.region},
      {"smtp-url", &config.smtp_url},   {"smtp-from", &config.smtp_from},
      {"sms-gateway-url", &config.sms_gateway_url}, {"public-url", &config.public_url},
      {"tls-cert", &config.tls_cert},   {"tls-key", &config.tls_key},
      {"log-format", &config.log_format}, {"log-level", &config.log_level}};
  try {
    for (const auto& item : root) {
      const std::string key = item.first.as<std::string>();
      const YAML::Node& value = item.second;
      const auto where = [&](std::string_view why) {
        return fmt::format("{}: line {}: {}: {}", path, value.Mark().line + 1, key, why);
      };
      if (const auto it = strings.find(key); it != strings.end()) {
        if (!value.IsScalar()) return core::unexpected(where("expected a single value"));
        *it->second = value.as<std::string>();
      } else if (key == "allow-unsigned") {
        if (!value.IsScalar()) return core::unexpected(where("expected true or false"));
        config.allow_unsigned = value.as<bool>();
      } else if (key == "credentials") {
        if (value.IsScalar()) {
          config.credentials_file = value.as<std::string>();
        } else if (value.IsSequence()) {
          for (const auto& entry : value) {
            if (!entry.IsMap() || !entry["access-key-id"] || !entry["secret-access-key"]) {
              return core::unexpected(where("each entry needs access-key-id and secret-access-key"));
            }
            config.credentials.push_back(
                {entry["access-key-id"].as<std::string>(), entry["secret-access-key"].as<std::string>()});
          }
        } else {
          return core::unexpected(where("expected a file path or a list of key pairs"));
        }
      } else if (key == "log-groups") {
        if (!value.IsSequence()) return core::unexpected(where("expected a list of log groups"));
        for (const auto& entry : value) {
          const auto at = [&](const YAML::Node& node, std::string_view why) {
            return fmt::format("{}: line {}: log-groups: {}", path, node.Mark().line + 1, why);
          };
          if (!entry.IsMap()) return core::unexpected(at(entry, "each entry is a mapping with at least a name"));
          LogGroupConfig group;
          for (const auto& field : entry) {
            const std::string name = field.first.as<std::string>();
            const YAML::Node& v = field.second;
            if (name == "push") {
              auto push = read_push_config(path, v);
              if (!push) return core::unexpected(push.error());
              group.push = std::move(*push);
              continue;
            }
            if (name == "s3") {
              auto s3 = read_s3_source_config(path, v);
              if (!s3) return core::unexpected(s3.error());
              group.s3 = std::move(*s3);
              continue;
            }
            if (!v.IsScalar()) return core::unexpected(at(v, fmt::format("{}: expected a single value", name)));
            if (name == "name") {
              group.name = v.as<std::string>();
            } else if (name == "retention-days") {
              group.retention_days = v.as<int>();
            } else if (name == "cloudtrail-folder") {
              group.cloudtrail_folder = v.as<std::string>();
            } else if (name == "poll-seconds" || name == "settle-seconds") {
              const double seconds = v.as<double>();
              if (!(seconds >= 0.05 && seconds <= 3600)) {
                return core::unexpected(at(v, fmt::format("{}: expected seconds between 0.05 and 3600", name)));
              }
              (name == "poll-seconds" ? group.poll_seconds : group.settle_seconds) = seconds;
            } else {
              return core::unexpected(at(field.first, fmt::format("unknown setting \"{}\"", name)));
            }
          }
          if (group.name.empty()) return core::unexpected(at(entry, "an entry has no name"));
          for (const auto& other : config.log_groups) {
            if (other.name == group.name) {
              return core::unexpected(at(entry, fmt::format("\"{}\" is listed twice", group.name)));
            }
          }
          for (const auto& other : config.log_groups) {
            if (group.push && other.push && other.push->path == group.push->path) {
              return core::unexpected(
                  at(entry, fmt::format("push: path {} is used by \"{}\" too", group.push->path, other.name)));
            }
          }
          config.log_groups.push_back(std::move(group));
        }
      } else {
        return core::unexpected(fmt::format("{}: line {}: unknown setting \"{}\"", path, item.first.Mark().line + 1, key));
      }
    }
  } catch (const YAML::Exception& e) {
    return core::unexpected(fmt::format("{}: line {}, column {}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  return config;
}

core::Result<S3SourceConfig, std::string> read_s3_source_config(const std::string& path, const YAML::Node& node) {
  const auto at = [&](const YAML::Node& where, std::string_view why) {
    return fmt::format("{}: line {}: log-groups: s3: {}", path, where.Mark().line + 1, why);
  };
  if (!node.IsMap()) return core::unexpected(at(node, "expected a mapping with at least a bucket"));
  S3SourceConfig s3;
  for (const auto& field : node) {
    const std::string name = field.first.as<std::string>();
    const YAML::Node& v = field.second;
    if (!v.IsScalar()) return core::unexpected(at(v, fmt::format("{}: expected a single value", name)));
    if (name == "bucket") {
      s3.bucket = v.as<std::string>();
    } else if (name == "prefix") {
      s3.prefix = v.as<std::string>();
    } else if (name == "region") {
      s3.region = v.as<std::string>();
    } else if (name == "endpoint-url") {
      s3.endpoint_url = v.as<std::string>();
    } else if (name == "sqs-queue-url") {
      s3.sqs_queue_url = v.as<std::string>();
    } else if (name == "profile") {
      s3.profile = v.as<std::string>();
    } else if (name == "poll-seconds") {
      const double seconds = v.as<double>();
      if (!(seconds >= 0.05 && seconds <= 3600)) {
        return core::unexpected(at(v, "poll-seconds: expected seconds between 0.05 and 3600"));
      }
      s3.poll_seconds = seconds;
    } else {
      return core::unexpected(at(field.first, fmt::format("unknown setting \"{}\"", name)));
    }
  }
  if (s3.bucket.empty() || s3.bucket.size() > 63 || s3.bucket.find('/') != std::string::npos) {
    return core::unexpected(at(node, "bucket: expected a bucket name (3 to 63 characters, no '/')"));
  }
  if (s3.prefix.starts_with("/")) return core::unexpected(at(node, "prefix: a key prefix does not start with '/'"));
  return s3;
}

ServeConfig default_serve_config() {
  ServeConfig config;
  if (const char* region = std::getenv("AWS_REGION"); region != nullptr && *region != '\0') {
    config.region = region;
  } else if (const char* fallback = std::getenv("AWS_DEFAULT_REGION"); fallback != nullptr && *fallback != '\0') {
    config.region = fallback;
  }
  return config;
}

core::Result<ServeConfig, std::string> resolve_serve_config(const CLI::App& command, const ServeFlags& flags) {
  ServeConfig config = default_serve_config();
  if (!flags.config_file.empty()) {
    auto read = read_serve_config_file(flags.config_file, config);
    if (!read) return core::unexpected(read.error());
    config = std::move(*read);
    config.config_file = flags.config_file;
  }
  const auto& v = flags.values;
  const auto given = [&command](const char* name) { return command.count(name) > 0; };
  if (given("--listen")) config.listen = v.listen;
  if (given("--state-dir")) config.state_dir = v.state_dir;
  if (given("--credentials")) config.credentials_file = v.credentials_file;
  if (given("--account-id")) config.account_id = v.account_id;
  if (given("--region")) config.region = v.region;
  if (given("--smtp-url")) config.smtp_url = v.smtp_url;
  if (given("--smtp-from")) config.smtp_from = v.smtp_from;
  if (given("--sms-gateway-url")) config.sms_gateway_url = v.sms_gateway_url;
  if (given("--public-url")) config.public_url = v.public_url;
  if (given("--tls-cert")) config.tls_cert = v.tls_cert;
  if (given("--tls-key")) config.tls_key = v.tls_key;
  if (given("--allow-unsigned")) config.allow_unsigned = v.allow_unsigned;
  if (given("--log-format")) config.log_format = v.log_format;
  if (given("--log-level")) config.log_level = v.log_level;
  return config;
}

core::Result<std::pair<std::string, int>, std::string> parse_listen_address(const std::string& listen) {
  const auto colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? std::string("127.0.0.1") : listen.substr(0, colon);
  const std::string port_text = colon == std::string::npos ? listen : listen.substr(colon + 1);
  bool bracketed = false;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    bracketed = true;
  }
  if (!bracketed && host.find(':') != std::string::npos) {
    return core::unexpected("listen: an IPv6 address goes in brackets ([::1]:4566), got \"" + listen + "\"");
  }
  int port = -1;
  if (!port_text.empty() && port_text.size() <= 5 &&
      std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    port = std::stoi(port_text);
  }
  if (port < 0 || port > 65535 || host.empty()) {
    return core::unexpected("listen: expected HOST:PORT (e.g. 127.0.0.1:4566), got \"" + listen + "\"");
  }
  return std::pair{host, port};
}

namespace {

// Whether `path` (a folder that may not exist yet) can be created or written by this process.
std::string writable_folder_problem(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path probe = path.empty() ? fs::path(".") : path;
  while (!fs::exists(probe, ec)) {
    if (!probe.has_parent_path() || probe.parent_path() == probe) {
      probe = ".";
      break;
    }
    probe = probe.parent_path();
  }
  if (!fs::is_directory(probe, ec)) return fmt::format("{} is not a folder", probe.string());
  if (::access(probe.c_str(), W_OK | X_OK) != 0) return fmt::format("{} is not writable", probe.string());
  return {};
}

}  // namespace

ConfigReview review_serve_config(const ServeConfig& config) {
  namespace fs = std::filesystem;
  ConfigReview review;
  auto error = [&review](std::string text) { review.errors.push_back(std::move(text)); };
  auto warning = [&review](std::string text) { review.warnings.push_back(std::move(text)); };
  std::error_code ec;

  if (auto listen = parse_listen_address(config.listen); !listen) error(listen.error());
  if (config.account_id.size() != 12 ||
      !std::all_of(config.account_id.begin(), config.account_id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    error(fmt::format("account-id: expected 12 digits, got \"{}\"", config.account_id));
  }
  if (config.region.empty()) error("region: must not be empty");
  if (!core::parse_log_format(config.log_format)) {
    error(fmt::format("log-format: expected text or json, got \"{}\"", config.log_format));
  }
  if (!core::parse_log_level(config.log_level)) {
    error(fmt::format("log-level: expected debug, info, warn or error, got \"{}\"", config.log_level));
  }
  if (const std::string problem = writable_folder_problem(config.state_dir); !problem.empty()) {
    error(fmt::format("state-dir: {}: {}", config.state_dir, problem));
  }
  if (!config.credentials_file.empty()) {
    if (auto read = read_credentials_file(config.credentials_file); !read) {
      error(fmt::format("credentials: {}: {}", config.credentials_file, read.error()));
    }
  }
  for (const CredentialPair& pair : config.credentials) {
    if (pair.access_key_id.empty() || pair.secret_access_key.empty()) {
      error("credentials: every entry needs a non-empty access-key-id and secret-access-key");
    }
  }
  if (config.tls_cert.empty() != config.tls_key.empty()) error("tls-cert and tls-key: give both or neither");
  for (const auto& [name, file] : {std::pair<const char*, const std::string&>{"tls-cert", config.tls_cert},
                                   std::pair<const char*, const std::string&>{"tls-key", config.tls_key}}) {
    if (!file.empty() && ::access(file.c_str(), R_OK) != 0) error(fmt::format("{}: cannot read {}", name, file));
  }
  if (!config.public_url.empty() && config.public_url.rfind("http://", 0) != 0 &&
      config.public_url.rfind("https://", 0) != 0) {
    error(fmt::format("public-url: expected an http:// or https:// URL, got \"{}\"", config.public_url));
  }
  if (!config.sms_gateway_url.empty() && config.sms_gateway_url.rfind("http://", 0) != 0 &&
      config.sms_gateway_url.rfind("https://", 0) != 0) {
    error(fmt::format("sms-gateway-url: expected an http:// or https:// URL, got \"{}\"", config.sms_gateway_url));
  }
  if (!config.smtp_url.empty()) {
    notify::SinkConfig sinks;
    notify::SmtpOptions smtp;
    smtp.url = config.smtp_url;
    sinks.smtp = smtp;
    if (auto made = notify::make_sink_set(sinks); !made) error(fmt::format("notifications: {}", made.error().message));
  }
  for (const LogGroupConfig& group : config.log_groups) {
    engine::CreateLogGroupRequest request;
    request.log_group_name = group.name;
    request.retention_in_days = group.retention_days;
    if (auto valid = engine::LogsEngine::validate_log_group(request); !valid) {
      error(fmt::format("log-groups: {}: {}", group.name, valid.error().message));
    }
    if (!group.cloudtrail_folder.empty()) {
      const fs::path folder = group.cloudtrail_folder;
      if (!fs::exists(folder, ec)) {
        warning(fmt::format("log-groups: {}: cloudtrail-folder {} does not exist (yet); it is read once it does",
                            group.name, group.cloudtrail_folder));
      } else if (!fs::is_directory(folder, ec)) {
        error(fmt::format("log-groups: {}: cloudtrail-folder {} is not a folder", group.name, group.cloudtrail_folder));
      } else if (::access(folder.c_str(), R_OK | X_OK) != 0) {
        error(fmt::format("log-groups: {}: cloudtrail-folder {} is not readable", group.name, group.cloudtrail_folder));
      }
    }
    if (group.push && group.push->api_key.size() < 16) {
      warning(fmt::format("log-groups: {}: push: the API key has {} characters; 16 or more random ones resist guessing",
                          group.name, group.push->api_key.size()));
    }
  }
  return review;
}

}  // namespace sgwatch::cli
