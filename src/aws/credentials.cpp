#include "aws/credentials.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

namespace sgwatch::aws {

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Profile settings botocore turns into credentials in ways sgwatch does not (yet) follow.
constexpr std::pair<const char*, const char*> kUnsupported[] = {
    {"role_arn", "assuming a role (role_arn)"},
    {"credential_process", "an external credential process (credential_process)"},
    {"sso_start_url", "IAM Identity Center (sso_start_url)"},
    {"sso_session", "IAM Identity Center (sso_session)"},
    {"web_identity_token_file", "web identity federation (web_identity_token_file)"},
};

struct ProfileFile {
  std::string path;
  std::optional<IniFile> ini;  // nullopt: the file does not exist
};

core::Result<ProfileFile, std::string> load(const CredentialEnvironment& env, std::string path) {
  ProfileFile out{std::move(path), std::nullopt};
  auto text = env.read_file(out.path);
  if (!text) return core::unexpected(fmt::format("{}: {}", out.path, text.error()));
  if (!*text) return out;
  auto ini = parse_ini(**text);
  if (!ini) return core::unexpected(fmt::format("{}: {}", out.path, ini.error()));
  out.ini = std::move(*ini);
  return out;
}

const std::map<std::string, std::string>* section(const ProfileFile& file, const std::string& name) {
  if (!file.ini) return nullptr;
  const auto it = file.ini->find(name);
  return it == file.ini->end() ? nullptr : &it->second;
}

std::optional<std::string> value(const std::map<std::string, std::string>* settings, const char* key) {
  if (settings == nullptr) return std::nullopt;
  const auto it = settings->find(key);
  if (it == settings->end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// The static keys of one profile section, if it has them.
core::Result<std::optional<Credentials>, std::string> keys_of(const std::map<std::string, std::string>* settings,
                                                              const std::string& where) {
  const auto id = value(settings, "aws_access_key_id");
  const auto secret = value(settings, "aws_secret_access_key");
  if (!id && !secret) return std::optional<Credentials>();
  if (!id || !secret) {
    return core::unexpected(fmt::format("{}: {} is set but {} is not", where,
                                        id ? "aws_access_key_id" : "aws_secret_access_key",
                                        id ? "aws_secret_access_key" : "aws_access_key_id"));
  }
  Credentials c{*id, *secret, value(settings, "aws_session_token").value_or("")};
  return std::optional<Credentials>(std::move(c));
}

}  // namespace

core::Result<IniFile, std::string> parse_ini(std::string_view text) {
  IniFile out;
  std::string current;
  bool in_section = false;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t newline = text.find('\n');
    std::string_view raw = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') return core::unexpected(fmt::format("line {}: a section header needs a closing ]", line_number));
      const std::string_view name = trim(line.substr(1, line.size() - 2));
      if (name.empty()) return core::unexpected(fmt::format("line {}: a section needs a name", line_number));
      current = std::string(name);
      in_section = true;
      out[current];  // an empty section exists too
      continue;
    }
    // Indented lines belong to a nested block (`s3 =` followed by settings): not ours.
    if (raw.front() == ' ' || raw.front() == '\t') continue;
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return core::unexpected(fmt::format("line {}: expected \"key = value\"", line_number));
    }
    if (!in_section) {
      return core::unexpected(fmt::format("line {}: a setting before any [section]", line_number));
    }
    const std::string key = lower(trim(line.substr(0, eq)));
    if (key.empty()) return core::unexpected(fmt::format("line {}: a setting needs a name", line_number));
    out[current][key] = std::string(trim(line.substr(eq + 1)));
  }
  return out;
}

CredentialEnvironment CredentialEnvironment::system() {
  CredentialEnvironment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
  };
  env.read_file = [](const std::string& path) -> core::Result<std::optional<std::string>, std::string> {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>();
      return core::unexpected(std::string(std::strerror(errno)));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return core::unexpected(std::string("read error"));
    return std::optional<std::string>(text.str());
  };
  return env;
}

core::Result<ResolvedChain, std::string> resolve_chain(const CredentialRequest& request,
                                                       const CredentialEnvironment& env) {
  ResolvedChain out;
  const bool explicit_profile = request.profile.has_value() && !request.profile->empty();
  const std::optional<std::string> env_profile = env.getenv("AWS_PROFILE");
  out.profile = explicit_profile ? *request.profile : env_profile.value_or("default");

  const std::string home = env.getenv("HOME").value_or("");
  auto credentials_file =
      load(env, env.getenv("AWS_SHARED_CREDENTIALS_FILE").value_or(home.empty() ? std::string() : home + "/.aws/credentials"));
  if (!credentials_file) return core::unexpected(credentials_file.error());
  auto config_file = load(env, env.getenv("AWS_CONFIG_FILE").value_or(home.empty() ? std::string() : home + "/.aws/config"));
  if (!config_file) return core::unexpected(config_file.error());
  out.credentials_file = credentials_file->path;
  out.config_file = config_file->path;

  const auto* in_credentials = section(*credentials_file, out.profile);
  const auto* in_config = section(*config_file, out.profile == "default" ? std::string("default") : "profile " + out.profile);
  if (in_config == nullptr && out.profile == "default") in_config = section(*config_file, "profile default");
  const bool named = explicit_profile || env_profile.has_value();
  if (named && out.profile != "default" && in_credentials == nullptr && in_config == nullptr) {
    return core::unexpected(fmt::format("the config profile ({}) could not be found in {} or {}", out.profile,
                                        credentials_file->path, config_file->path));
  }

  // The region: flag, environment, then the profile (the credentials file's value over the
  // config file's, as botocore merges them).
  if (request.region && !request.region->empty()) {
    out.region = *request.region;
  } else if (auto region = env.getenv("AWS_REGION")) {
    out.region = *region;
  } else if (auto fallback = env.getenv("AWS_DEFAULT_REGION")) {
    out.region = *fallback;
  } else if (auto from_credentials = value(in_credentials, "region")) {
    out.region = *from_credentials;
  } else if (auto from_config = value(in_config, "region")) {
    out.region = *from_config;
  }

  // The environment, unless a profile was asked for by name on the command line.
  if (!explicit_profile) {
    const auto id = env.getenv("AWS_ACCESS_KEY_ID");
    const auto secret = env.getenv("AWS_SECRET_ACCESS_KEY");
    if (id || secret) {
      if (!id || !secret) {
        return core::unexpected(fmt::format("the environment sets {} but not {}",
                                            id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                                            id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"));
      }
      const auto token = env.getenv("AWS_SESSION_TOKEN");
      out.credentials =
          ResolvedCredentials{Credentials{*id, *secret, token ? *token : env.getenv("AWS_SECURITY_TOKEN").value_or("")},
                              "environment"};
      return out;
    }
  }

  // The profile: features botocore would use before its static keys are refused by name.
  for (const auto* settings : {in_credentials, in_config}) {
    for (const auto& [key, what] : kUnsupported) {
      if (value(settings, key)) {
        return core::unexpected(fmt::format("profile {} uses {}, which sgwatch does not support; give static keys "
                                            "(aws_access_key_id, aws_secret_access_key, aws_session_token) or the "
                                            "AWS_* environment variables",
                                            out.profile, what));
      }
    }
  }
  const std::pair<const std::map<std::string, std::string>*, const std::string*> files[] = {
      {in_credentials, &credentials_file->path}, {in_config, &config_file->path}};
  for (const auto& [settings, path] : files) {
    const std::string where = fmt::format("profile {} in {}", out.profile, *path);
    auto keys = keys_of(settings, where);
    if (!keys) return core::unexpected(keys.error());
    if (*keys) {
      out.credentials = ResolvedCredentials{std::move(**keys), where};
      return out;
    }
  }
  return out;
}

}  // namespace sgwatch::aws
