// The credential and region chain as the AWS CLI walks it: environment, shared credentials file,
// config file ("[profile NAME]"), explicit --profile over the environment, AWS_PROFILE under it,
// region precedence, partial keys, missing profiles, unsupported profile features, INI details.
#include "aws/credentials.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace sgwatch::aws {
namespace {

struct FakeSystem {
  std::map<std::string, std::string> env;
  std::map<std::string, std::string> files;

  CredentialEnvironment environment() const {
    CredentialEnvironment e;
    e.getenv = [this](const std::string& name) -> std::optional<std::string> {
      const auto it = env.find(name);
      if (it == env.end() || it->second.empty()) return std::nullopt;
      return it->second;
    };
    e.read_file = [this](const std::string& path) -> core::Result<std::optional<std::string>, std::string> {
      if (path == "/unreadable") return core::unexpected(std::string("Permission denied"));
      const auto it = files.find(path);
      if (it == files.end()) return std::optional<std::string>();
      return std::optional<std::string>(it->second);
    };
    return e;
  }

  core::Result<ResolvedChain, std::string> resolve(CredentialRequest request = {}) const {
    return resolve_chain(request, environment());
  }
};

FakeSystem home_with_files() {
  FakeSystem s;
  s.env["HOME"] = "/home/ops";
  s.files["/home/ops/.aws/credentials"] =
      "# keys\n"
      "[default]\n"
      "aws_access_key_id = AKIADEFAULT\n"
      "aws_secret_access_key = secret/default\n"
      "\n"
      "[audit]\n"
      "AWS_ACCESS_KEY_ID=AKIAAUDIT\n"
      "aws_secret_access_key=secret-audit\n"
      "aws_session_token = token-audit\n";
  s.files["/home/ops/.aws/config"] =
      "[default]\n"
      "region = eu-west-1\n"
      "s3 =\n"
      "  max_concurrent_requests = 20\n"
      "[profile audit]\n"
      "region = us-west-2\n"
      "; a comment\n"
      "[profile config-only]\n"
      "aws_access_key_id = AKIACONFIG\n"
      "aws_secret_access_key = secret-config\n";
  return s;
}

TEST(CredentialChain, DefaultProfileFromTheSharedFilesWithItsRegion) {
  auto chain = home_with_files().resolve();
  ASSERT_TRUE(chain) << chain.error();
  ASSERT_TRUE(chain->credentials);
  EXPECT_EQ(chain->credentials->credentials.access_key_id, "AKIADEFAULT");
  EXPECT_EQ(chain->credentials->credentials.secret_access_key, "secret/default");
  EXPECT_EQ(chain->credentials->credentials.session_token, "");
  EXPECT_EQ(chain->credentials->source, "profile default in /home/ops/.aws/credentials");
  EXPECT_EQ(chain->region, "eu-west-1");
  EXPECT_EQ(chain->profile, "default");
}

TEST(CredentialChain, TheEnvironmentComesBeforeFilesButNotBeforeAnExplicitProfile) {
  FakeSystem s = home_with_files();
  s.env["AWS_ACCESS_KEY_ID"] = "AKIAENV";
  s.env["AWS_SECRET_ACCESS_KEY"] = "secret-env";
  s.env["AWS_SESSION_TOKEN"] = "token-env";
  auto chain = s.resolve();
  ASSERT_TRUE(chain) << chain.error();
  EXPECT_EQ(chain->credentials->credentials.access_key_id, "AKIAENV");
  EXPECT_EQ(chain->credentials->credentials.session_token, "token-env");
  EXPECT_EQ(chain->credentials->source, "environment");

  // AWS_PROFILE names the profile for the region, but environment keys still win.
  s.env["AWS_PROFILE"] = "audit";
  chain = s.resolve();
  ASSERT_TRUE(chain) << chain.error();
  EXPECT_EQ(chain->credentials->credentials.access_key_id, "AKIAENV");
  EXPECT_EQ(chain->region, "us-west-2");

  // --profile: that profile only.
  chain = s.resolve(CredentialRequest{std::string("audit"), std::nullopt});
  ASSERT_TRUE(chain) << chain.error();
  EXPECT_EQ(chain->credentials->credentials.access_key_id, "AKIAAUDIT");
  EXPECT_EQ(chain->credentials->credentials.session_token, "token-audit");
}

TEST(CredentialChain, KeysInTheConfigFileAndTheLegacyTokenVariable) {
  FakeSystem s = home_with_files();
  auto chain = s.resolve(CredentialRequest{std::string("config-only"), std::nullopt});
  ASSERT_TRUE(chain) << chain.error();
  EXPECT_EQ(chain->credentials->credentials.access_key_id, "AKIACONFIG");
  EXPECT_EQ(chain->credentials->source, "profile config-only in /home/ops/.aws/config");
  EXPECT_FALSE(chain->region);

  FakeSystem legacy;
  legacy.env = {{"AWS_ACCESS_KEY_ID", "AKIA1"}, {"AWS_SECRET_ACCESS_KEY", "s"}, {"AWS_SECURITY_TOKEN", "old"}};
  chain = legacy.resolve();
  ASSERT_TRUE(chain) << chain.error();
  EXPECT_EQ(chain->credentials->credentials.session_token, "old");
}

TEST(CredentialChain, RegionPrecedence) {
  FakeSystem s = home_with_files();
  s.env["AWS_DEFAULT_REGION"] = "ap-south-1";
  EXPECT_EQ(s.resolve()->region, "ap-south-1");
  s.env["AWS_REGION"] = "sa-east-1";
  EXPECT_EQ(s.resolve()->region, "sa-east-1");
  EXPECT_EQ(s.resolve(CredentialRequest{std::nullopt, std::string("ca-central-1")})->region, "ca-central-1");
  // A region in the credentials file wins over the config file's (botocore merges it on top).
  FakeSystem merged = home_with_files();
  merged.files["/home/ops/.aws/credentials"] += "[other]\nregion = me-south-1\n";
  merged.files["/home/ops/.aws/config"] += "[profile other]\nregion = af-south-1\n";
  EXPECT_EQ(merged.resolve(CredentialRequest{std::string("other"), std::nullopt})->region, "me-south-1");
}

TEST(CredentialChain, FileLocationsFromTheEnvironment) {
  FakeSystem s;
  s.env = {{"AWS_SHARED_CREDENTIALS_FILE", "/etc/sgwatch/credentials"}, {"AWS_CONFIG_FILE", "/etc/sgwatch/config"}};
  s.files["/etc/sgwatch/credentials"] = "[default]\naws_access_key_id=A\naws_secret_access_key=B\n";
  s.files["/etc/sgwatch/config"] = "[default]\nregion=us-east-2\n";
  auto chain = s.resolve();
  ASSERT_TRUE(chain) << chain.error();
  EXPECT_EQ(chain->credentials->source, "profile default in /etc/sgwatch/credentials");
  EXPECT_EQ(chain->region, "us-east-2");
}

TEST(CredentialChain, NothingFoundIsNotAnError) {
  FakeSystem s;
  s.env["HOME"] = "/nowhere";
  auto chain = s.resolve();
  ASSERT_TRUE(chain) << chain.error();
  EXPECT_FALSE(chain->credentials);  // the client asks the instance metadata service next
  EXPECT_FALSE(chain->region);
}

TEST(CredentialChain, ErrorsNameTheProblem) {
  FakeSystem s = home_with_files();
  auto missing = s.resolve(CredentialRequest{std::string("nope"), std::nullopt});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("the config profile (nope) could not be found"), std::string::npos);
  s.env["AWS_PROFILE"] = "nope";
  EXPECT_FALSE(s.resolve());

  FakeSystem partial;
  partial.env = {{"AWS_ACCESS_KEY_ID", "AKIA1"}};
  auto half = partial.resolve();
  ASSERT_FALSE(half);
  EXPECT_EQ(half.error(), "the environment sets AWS_ACCESS_KEY_ID but not AWS_SECRET_ACCESS_KEY");

  FakeSystem half_profile;
  half_profile.env["HOME"] = "/h";
  half_profile.files["/h/.aws/credentials"] = "[default]\naws_secret_access_key = s\n";
  auto no_id = half_profile.resolve();
  ASSERT_FALSE(no_id);
  EXPECT_NE(no_id.error().find("aws_secret_access_key is set but aws_access_key_id is not"), std::string::npos);

  FakeSystem role;
  role.env["HOME"] = "/h";
  role.files["/h/.aws/config"] = "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = default\n";
  auto assumed = role.resolve(CredentialRequest{std::string("deploy"), std::nullopt});
  ASSERT_FALSE(assumed);
  EXPECT_NE(assumed.error().find("assuming a role (role_arn)"), std::string::npos);

  FakeSystem unreadable;
  unreadable.env["AWS_CONFIG_FILE"] = "/unreadable";
  auto denied = unreadable.resolve();
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error(), "/unreadable: Permission denied");

  FakeSystem broken;
  broken.env["AWS_SHARED_CREDENTIALS_FILE"] = "/c";
  broken.files["/c"] = "[default]\nthis line has no equals sign\n";
  auto malformed = broken.resolve();
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error(), "/c: line 2: expected \"key = value\"");
}

TEST(ParseIni, SectionsKeysCommentsAndNestedBlocks) {
  auto ini = parse_ini("[a]\nKey = v = w\n  nested = ignored\n# c\n; c\n[ b ]\n\n[a]\nother=1\n");
  ASSERT_TRUE(ini) << ini.error();
  EXPECT_EQ((*ini)["a"]["key"], "v = w");
  EXPECT_EQ((*ini)["a"]["other"], "1");
  EXPECT_EQ(ini->count("b"), 1u);
  EXPECT_EQ((*ini)["a"].count("nested"), 0u);
  EXPECT_FALSE(parse_ini("key = before any section\n"));
  EXPECT_FALSE(parse_ini("[unclosed\n"));
  EXPECT_FALSE(parse_ini("[]\n"));
  EXPECT_FALSE(parse_ini("[a]\n= no name\n"));
}

}  // namespace
}  // namespace sgwatch::aws
