// `sgwatch explain` through the binary (docs/cli.md): the real captures in every container the
// reader knows (Records files, arrays, JSON lines, lookup-events items, gzip, stdin), the three
// output formats, --min-severity, the note on skipped records, and the exit statuses.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/gzip.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace sgwatch::testing {
namespace {

using Json = nlohmann::json;

const std::string kCaptures = "/data/cloudtrail/";
const std::string kInvictusFile =
    "invictus-aws-dataset/AWSLogs/218007301253/CloudTrail/us-east-1/2023/07/10/"
    "218007301253_CloudTrail_us-east-1_20230710T1215Z_YMDRJwtmC82bUwAo.json";

std::string capture(const std::string& file) { return shared_dir() + kCaptures + file; }

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<Json> parse_lines(const std::string& out) {
  std::vector<Json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) lines.push_back(Json::parse(line));
  return lines;
}

ProcessResult explain(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), {sgwatch_binary(), "explain"});
  return run_process(args, input);
}

TEST(CliExplain, JsonLinesByDefaultWhenStdoutIsNotATerminal) {
  const auto r = explain({capture(kInvictusFile)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = parse_lines(r.out);
  ASSERT_EQ(lines.size(), 4U);
  EXPECT_EQ(lines[0]["eventName"], "CreateSecurityGroup");
  EXPECT_EQ(lines[2]["eventName"], "AuthorizeSecurityGroupIngress");
  EXPECT_EQ(lines[2]["severity"], "critical");
  EXPECT_EQ(lines[2]["reason"], "SSH (22) open to the world");
  EXPECT_EQ(lines[2]["rules"][0]["peer"]["value"], "0.0.0.0/0");
  EXPECT_EQ(lines[2]["rules"][0]["ruleId"], "sgr-0a11552a7d225f5c7");
  EXPECT_EQ(lines[3]["kind"], "group-deleted");
  EXPECT_NE(r.err.find("sgwatch: note: "), std::string::npos);
  EXPECT_NE(r.err.find("are not security-group events (skipped)"), std::string::npos);
}

TEST(CliExplain, TableFormat) {
  const auto r = explain({"--format", "table", capture(kInvictusFile)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2023-07-10T12:10:08Z  AuthorizeSecurityGroupIngress  [critical: SSH (22) open to the world]\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  + ingress tcp 22 from 0.0.0.0/0 (sgr-0a11552a7d225f5c7)  [critical: SSH (22) open to the "
                       "world]\n"),
            std::string::npos);
  EXPECT_NE(r.out.find("  actor    arn:aws:iam::123837392027:user/bert-jan (IAMUser), from 192.168.10.20\n"),
            std::string::npos);
  EXPECT_EQ(r.out.find("\x1b["), std::string::npos) << "no colour off a terminal";
}

TEST(CliExplain, JsonFormatIsOneArray) {
  const auto r = explain({"--format", "json", capture(kInvictusFile)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json doc = Json::parse(r.out);
  ASSERT_TRUE(doc.is_array());
  EXPECT_EQ(doc.size(), 4U);
  EXPECT_NE(r.out.find("\n    {\n        \"eventId\""), std::string::npos) << "4-space indent";
}

TEST(CliExplain, MinSeverityFilters) {
  auto r = explain({"--min-severity", "high", capture(kInvictusFile)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = parse_lines(r.out);
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0]["severity"], "high");
  EXPECT_EQ(lines[1]["severity"], "critical");
  EXPECT_NE(r.err.find("2 changes below --min-severity high (not shown)"), std::string::npos) << r.err;

  // Nothing at or above: exit 1.
  r = explain({"--min-severity", "critical", capture("cloud-custodian/event-cloud-trail-run-instances.json")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(r.out.empty());

  r = explain({"--min-severity", "severe", capture(kInvictusFile)});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "sgwatch: usage: --min-severity: 'severe' is not one of info, low, medium, high, critical\n");
  EXPECT_TRUE(r.out.empty());
}

TEST(CliExplain, StdinGzipAndContainers) {
  // stdin, gzip'd.
  const std::string records = read_text(capture(kInvictusFile));
  auto r = explain({"-"}, gzip_compress(records));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(parse_lines(r.out).size(), 4U);
  // lookup-events items (plaso) and an array of bare records (stratus).
  r = explain({capture("plaso/aws_cloudtrail.jsonl"),
               capture("stratus-red-team/aws.exfiltration.ec2-security-group-open-port-22-ingress.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = parse_lines(r.out);
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[0]["eventName"], "RunInstances");
  EXPECT_EQ(lines[1]["eventName"], "CreateSecurityGroup");
  EXPECT_EQ(lines[2]["group"]["id"], "sg-003dc7f1f1c686164");
}

TEST(CliExplain, EventBridgeEnvelope) {
  const std::string detail =
      R"({"eventVersion":"1.09","eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress","eventTime":"2025-03-04T09:15:27Z","awsRegion":"eu-west-1","requestParameters":{"groupId":"sg-0aaa","ipPermissions":{},"ipProtocol":"tcp","fromPort":0,"toPort":65535,"cidrIp":"0.0.0.0/0"},"responseElements":{"_return":true}})";
  const std::string envelope =
      R"({"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","account":"111122223333","time":"2025-03-04T09:15:27Z","region":"eu-west-1","resources":[],"detail":)" +
      detail + "}\n";
  const auto r = explain({}, envelope);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = parse_lines(r.out);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0]["severity"], "critical");
}

TEST(CliExplain, NothingToExplainExitsOne) {
  const auto r = explain({capture("stratus-red-team/aws.defense-evasion.cloudtrail-stop.json")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(r.err, "sgwatch: note: 1 of 1 records are not security-group events (skipped)\n");
}

TEST(CliExplain, UnreadableRecordsArePrintedFlagged) {
  const auto r = explain({}, "{\"eventName\":\"AuthorizeSecurityGroupIngress\",\"requestParameters\":\"x\"}\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = parse_lines(r.out);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0]["unknownShape"], true);
  EXPECT_EQ(lines[0]["unknownReason"], "requestParameters is not an object; no rule found in the event");
  EXPECT_EQ(lines[0]["raw"]["requestParameters"], "x");
}

TEST(CliExplain, ErrorsExitTwo) {
  TempDir dir;
  const std::string missing = (dir.path() / "missing.json").string();
  auto r = explain({missing});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("sgwatch: cannot read: " + missing + ": "), std::string::npos) << r.err;

  // Broken JSON structure after a good record: the record is explained, the error reported.
  const std::string good = read_text(capture("stratus-red-team/aws.exfiltration.ec2-security-group-open-port-22-ingress.json"));
  r = explain({"--format", "jsonl", "-"}, good + "\n{\"eventName\": \"x\"\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(parse_lines(r.out).size(), 1U);
  EXPECT_NE(r.err.find("sgwatch: bad input: - at byte"), std::string::npos) << r.err;

  r = explain({"--format", "yaml", capture(kInvictusFile)});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "sgwatch: usage: --format: 'yaml' is not one of table, jsonl, json\n");
}

}  // namespace
}  // namespace sgwatch::testing
