// The AWS CLI's way of finding credentials and a region, for sgwatch's own AWS calls (audit,
// apply): the standard chain as botocore walks it, without the network step (the instance
// metadata service is asked by resolve_client, client.h and imds.h, only when this chain finds
// nothing).
//   1. an explicit profile (--profile) first reads that profile and nothing else;
//   2. else the environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN);
//   3. else the profile AWS_PROFILE (or "default") of the shared credentials file
//      (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials), then of the config file
//      (AWS_CONFIG_FILE, else ~/.aws/config, where sections are "[profile NAME]" and "[default]").
// The region: --region, else AWS_REGION, else AWS_DEFAULT_REGION, else the profile's `region` in
// the config file. Files are INI as botocore reads them: '#' and ';' comments, "key = value",
// indented lines continue a nested block (e.g. `s3 =`) and are ignored here. Pure logic: the
// environment and file reads are injected. Neighbours: sigv4.h (what the credentials sign).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "aws/sigv4.h"
#include "core/result.h"

namespace sgwatch::aws {

// One INI file: section name -> key -> value (keys lower-cased, as botocore does).
using IniFile = std::map<std::string, std::map<std::string, std::string>>;

// Parses `text`; errors name the line ("line 3: expected key = value").
core::Result<IniFile, std::string> parse_ini(std::string_view text);

struct CredentialEnvironment {
  // Returns the variable's value, or nullopt when unset (an empty value counts as unset).
  std::function<std::optional<std::string>(const std::string&)> getenv;
  // Returns the file's text, nullopt when it does not exist, or an error for other failures.
  std::function<core::Result<std::optional<std::string>, std::string>(const std::string&)> read_file;

  // The process environment and file system.
  static CredentialEnvironment system();
};

struct CredentialRequest {
  std::optional<std::string> profile;  // --profile
  std::optional<std::string> region;   // --region
};

struct ResolvedCredentials {
  Credentials credentials;
  // Where they came from, for messages: "environment", "profile default in ~/.aws/credentials".
  std::string source;
};

struct ResolvedChain {
  std::optional<ResolvedCredentials> credentials;  // nullopt: nothing in the chain (ask IMDS)
  std::optional<std::string> region;
  std::string profile;  // the profile consulted
  // The files read (empty when HOME is unset and no AWS_* variable names them), for messages.
  std::string credentials_file;
  std::string config_file;
};

// Walks the chain. Errors: an unreadable or malformed file, an explicit profile that exists in
// neither file, a profile with a key id but no secret (or the reverse), a profile that needs a
// feature sgwatch does not offer (role_arn, credential_process, sso_*), named so.
core::Result<ResolvedChain, std::string> resolve_chain(const CredentialRequest& request,
                                                       const CredentialEnvironment& environment);

}  // namespace sgwatch::aws
