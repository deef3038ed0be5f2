// `sgwatch config check FILE` through the binary (docs/cli.md): a complete config is valid and
// described (listener, state, each log group's sources); every kind of mistake serve would stop
// on is reported on stderr as "sgwatch: bad configuration: FILE: why" naming the setting, with
// exit 1; warnings (a folder not there yet, a short push key) leave it valid; an unreadable file
// or a usage error is exit 2. `sgwatch serve` refuses the same configs before it listens.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace sgwatch::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

class ConfigCheck : public ::testing::Test {
 protected:
  fs::path write_config(const std::string& text) {
    const fs::path path = dir_.path() / "sgwatch.yaml";
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  ProcessResult check(const fs::path& path, const std::string& format = "json") {
    return run_process_with_environment({sgwatch_binary(), "config", "check", path.string(), "--format", format},
                                        {"PATH=/usr/bin:/bin"});
  }
  fs::path folder(const std::string& name) {
    fs::create_directories(dir_.path() / name);
    return dir_.path() / name;
  }
  TempDir dir_;
};

TEST_F(ConfigCheck, ACompleteConfigIsValidAndDescribed) {
  const fs::path trail = folder("cloudtrail");
  std::ofstream(dir_.path() / "push.key") << "k3y-from-a-file-0123456789\n";
  const fs::path path = write_config(
      "listen: 127.0.0.1:4599\n"
      "state-dir: " + (dir_.path() / "state").string() + "\n"
      "region: eu-west-1\n"
      "account-id: '210987654321'\n"
      "smtp-url: smtp://mail.example.com:587\n"
      "log-groups:\n"
      "  - name: CloudTrail/security\n"
      "    retention-days: 90\n"
      "    cloudtrail-folder: " + trail.string() + "\n"
      "    poll-seconds: 2\n"
      "    push:\n"
      "      path: /ingest/eventbridge\n"
      "      format: eventbridge\n"
      "      api-key-file: " + (dir_.path() / "push.key").string() + "\n"
      "  - name: api-only\n");
  const ProcessResult result = check(path);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  const Json doc = Json::parse(result.out);
  EXPECT_EQ(doc["valid"], true);
  EXPECT_EQ(doc["listen"], "127.0.0.1:4599");
  EXPECT_EQ(doc["region"], "eu-west-1");
  EXPECT_EQ(doc["account-id"], "210987654321");
  ASSERT_EQ(doc["log-groups"].size(), 2u);
  const Json& group = doc["log-groups"][0];
  EXPECT_EQ(group["name"], "CloudTrail/security");
  EXPECT_EQ(group["retention-days"], 90);
  ASSERT_EQ(group["sources"].size(), 2u);
  EXPECT_EQ(group["sources"][0]["type"], "cloudtrail-folder");
  EXPECT_EQ(group["sources"][0]["poll-seconds"], 2);
  EXPECT_EQ(group["sources"][1]["type"], "push");
  EXPECT_EQ(group["sources"][1]["api-key"], (dir_.path() / "push.key").string()) << "the key itself is never printed";
  EXPECT_EQ(result.out.find("k3y-from-a-file"), std::string::npos);
  EXPECT_TRUE(doc["log-groups"][1]["sources"].empty());

  const ProcessResult text = check(path, "text");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find(": valid\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("log group CloudTrail/security: folder " + trail.string() + " (poll 2 s, settle 1 s); "
                          "push POST /ingest/eventbridge (eventbridge, key in x-api-key)"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("log group api-only: no sources"), std::string::npos) << text.out;
}

// One mistake per config; the error must name the setting.
TEST_F(ConfigCheck, EachMistakeIsReportedWithItsSetting) {
  const std::string state = "state-dir: " + (dir_.path() / "state").string() + "\n";
  std::ofstream(dir_.path() / "not-a-folder") << "x";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {state + "listen: 127.0.0.1:99999\n", "listen: expected HOST:PORT"},
      {state + "account-id: '12345'\n", "account-id: expected 12 digits"},
      {state + "tls-cert: /nonexistent/cert.pem\n", "tls-cert and tls-key: give both or neither"},
      {state + "tls-cert: /nonexistent/cert.pem\ntls-key: /nonexistent/key.pem\n", "tls-cert: cannot read"},
      {state + "credentials: /nonexistent/credentials\n", "credentials: /nonexistent/credentials"},
      {state + "smtp-url: http://mail.example.com\n", "notifications:"},
      {state + "sms-gateway-url: ftp://sms.example.com\n", "sms-gateway-url: expected an http"},
      {state + "public-url: sgwatch.example.com\n", "public-url: expected an http"},
      {"state-dir: " + (dir_.path() / "not-a-folder" / "state").string() + "\n", "state-dir:"},
      {state + "log-groups:\n  - name: 'bad name!'\n", "log-groups: bad name!:"},
      {state + "log-groups:\n  - name: aws/reserved\n", "reserved for AWS services"},
      {state + "log-groups:\n  - name: g\n    retention-days: 42\n", "retentionInDays"},
      {state + "log-groups:\n  - name: g\n    cloudtrail-folder: " + (dir_.path() / "not-a-folder").string() + "\n",
       "is not a folder"},
      {state + "log-groups:\n  - name: g\n    push: {path: /hook, format: jsonl, api-key: abcdefghijklmnopq}\n",
       "expected a path under /ingest/"},
      {state + "log-groups:\n  - name: g\n    colour: blue\n", "unknown setting \"colour\""},
      {state + "listen: [unclosed\n", ", column "},
      {state + "lissten: 127.0.0.1:1\n", "unknown setting \"lissten\""},
  };
  for (const auto& [text, expected] : cases) {
    const fs::path path = write_config(text);
    const ProcessResult result = check(path);
    EXPECT_EQ(result.exit_code, 1) << text << result.err;
    EXPECT_NE(result.err.find("sgwatch: bad configuration: " + path.string() + ": "), std::string::npos)
        << text << result.err;
    EXPECT_NE(result.err.find(expected), std::string::npos) << text << "\n" << result.err;
    const Json doc = Json::parse(result.out);
    EXPECT_EQ(doc["valid"], false) << text;
    EXPECT_FALSE(doc["errors"].empty()) << text;
  }
}

TEST_F(ConfigCheck, WarningsLeaveTheConfigValid) {
  const fs::path path = write_config("state-dir: " + (dir_.path() / "state").string() +
                                     "\nlog-groups:\n  - name: g\n    cloudtrail-folder: " +
                                     (dir_.path() / "later").string() +
                                     "\n    push: {path: /ingest/g, format: jsonl, api-key: short}\n");
  const ProcessResult result = check(path);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("sgwatch: warning: " + path.string() + ": log-groups: g: cloudtrail-folder"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("does not exist (yet)"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("the API key has 5 characters"), std::string::npos) << result.err;
  const Json doc = Json::parse(result.out);
  EXPECT_EQ(doc["valid"], true);
  EXPECT_EQ(doc["warnings"].size(), 2u);
}

TEST_F(ConfigCheck, AnUnreadableFileOrAMissingArgumentIsExit2) {
  const ProcessResult missing = check(dir_.path() / "missing.yaml");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("sgwatch: cannot read the config: " + (dir_.path() / "missing.yaml").string()),
            std::string::npos)
      << missing.err;
  EXPECT_EQ(missing.out, "");
  const ProcessResult usage = run_process({sgwatch_binary(), "config", "check"});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_NE(usage.err.find("FILE"), std::string::npos) << usage.err;
}

// serve runs the same review before it listens.
TEST_F(ConfigCheck, ServeRefusesWhatTheCheckRefuses) {
  const fs::path path = write_config("state-dir: " + (dir_.path() / "state").string() +
                                     "\nlisten: 127.0.0.1:1\nlog-groups:\n  - name: 'bad name!'\n");
  const ProcessResult result =
      run_process_with_environment({sgwatch_binary(), "serve", "--config", path.string()}, {"PATH=/usr/bin:/bin"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("sgwatch: bad configuration: " + path.string() + ": log-groups: bad name!:"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("listening"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace sgwatch::testing
