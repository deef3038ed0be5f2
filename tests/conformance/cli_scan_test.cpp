// `sgwatch scan` through the binary (CONTRACTS.md "sgwatch scan"): the real captures of
// ../shared/data/cloudtrail (every file of a real delivery or export format read without error,
// with the record counts and CIS v3.0.0 hits of its README), exact agreement with the ground truth
// of ../shared/tools/gen-cloudtrail, the output formats, -j N identical to -j 1, filter names,
// exit statuses, and the bad-input list (truncated gzip, malformed JSON, an over-limit line,
// 1,000,000-deep nesting, invalid UTF-8, an unreadable file): reported with path, byte offset and
// reason, the scan going on, exit 2.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <tuple>
#include <sstream>

#include "event/reader.h"
#include "support/gzip.h"
#include "rules/rules.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace sgwatch::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const std::string kCis410 =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) "
    "|| ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
    "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_text(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}


std::map<std::string, std::uint64_t> parse_counts(const std::string& out) {
  std::map<std::string, std::uint64_t> counts;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) {
      ADD_FAILURE() << "not NAME<TAB>COUNT: " << line;
      continue;
    }
    counts[line.substr(0, tab)] = std::stoull(line.substr(tab + 1));
  }
  return counts;
}

std::vector<Json> parse_lines(const std::string& out) {
  std::vector<Json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) lines.push_back(Json::parse(line));
  return lines;
}

// ---- the real captures --------------------------------------------------------------------

struct InventoryRow {
  std::string file;  // as the README writes it, "…" for the elided AWSLogs part
  std::uint64_t events = 0;
  std::string formats;
  std::map<std::string, std::uint64_t> cis;  // "4.10" -> hits
};

std::vector<InventoryRow> inventory() {
  std::vector<InventoryRow> rows;
  std::istringstream lines(read_text(shared_dir() + "/data/cloudtrail/README.md"));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cols;
    std::size_t start = 1;
    while (start < line.size()) {
      const auto bar = line.find(" | ", start);
      const auto end = bar == std::string::npos ? line.rfind('|') : bar;
      std::string col = line.substr(start, end - start);
      col.erase(0, col.find_first_not_of(' '));
      col.erase(col.find_last_not_of(' ') + 1);
      cols.push_back(col);
      if (bar == std::string::npos) break;
      start = bar + 2;
    }
    if (cols.size() < 8 || cols[1].empty() || !std::isdigit(static_cast<unsigned char>(cols[1][0]))) continue;
    InventoryRow row;
    row.file = cols[0].substr(1, cols[0].size() - 2);
    row.events = std::stoull(cols[2]);
    row.formats = cols[3];
    const std::regex hit(R"((4\.\d+): (\d+))");
    for (auto it = std::sregex_iterator(cols[6].begin(), cols[6].end(), hit); it != std::sregex_iterator(); ++it) {
      row.cis[(*it)[1]] = std::stoull((*it)[2]);
    }
    rows.push_back(row);
  }
  return rows;
}

fs::path resolve(const InventoryRow& row) {
  const fs::path base = fs::path(shared_dir()) / "data/cloudtrail";
  const auto elided = row.file.find("…/");
  if (elided == std::string::npos) return base / row.file;
  const std::string name = row.file.substr(elided + std::string("…/").size());
  for (const auto& entry : fs::recursive_directory_iterator(base / row.file.substr(0, row.file.find('/')))) {
    if (entry.path().filename() == name) return entry.path();
  }
  return base / row.file;
}

bool is_test_wrapper(const InventoryRow& row) { return row.formats.find("test-") != std::string::npos; }

TEST(ScanData, EveryRealCaptureIsReadWithTheReadmeCounts) {
  const auto rows = inventory();
  ASSERT_GE(rows.size(), 110U);
  std::size_t read_files = 0;
  for (const auto& row : rows) {
    SCOPED_TRACE(row.file);
    const fs::path path = resolve(row);
    ASSERT_TRUE(fs::exists(path)) << path;
    const std::string bytes = read_text(path);
    const event::Reader reader;
    const event::ReadResult result = reader.read(bytes, [](const event::Record&) {});
    EXPECT_EQ(result.error_count, 0U);
    for (const auto& e : result.errors) ADD_FAILURE() << e.offset << ": " << e.reason;
    if (is_test_wrapper(row)) {
      EXPECT_TRUE(result.skipped) << "a test-harness wrapper is not CloudTrail";
      continue;
    }
    EXPECT_FALSE(result.skipped) << *result.skipped;
    EXPECT_EQ(result.records, row.events);
    ++read_files;
  }
  EXPECT_GE(read_files, 100U);
}

TEST(ScanData, CisV3CountsOfTheDataFolder) {
  std::map<std::string, std::uint64_t> expected;
  for (const auto& row : inventory()) {
    if (is_test_wrapper(row)) continue;
    for (const auto& [item, hits] : row.cis) expected["cis-v3-" + item] += hits;
  }
  const ProcessResult r = run_process(
      {sgwatch_binary(), "scan", "--rules", "cis-v3", "--count", shared_dir() + "/data/cloudtrail"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("bad input"), std::string::npos) << r.err;
  const auto counts = parse_counts(r.out);
  ASSERT_EQ(counts.size(), 16U);
  for (const auto& [name, count] : counts) {
    if (name == "cis-v3-4.2-sso") continue;  // the README counts pattern 1 of 4.2 only
    EXPECT_EQ(count, expected[name]) << name;
  }
  // Notes name the files that hold no CloudTrail, and nothing else is said.
  std::istringstream lines(r.err);
  std::string line;
  while (std::getline(lines, line)) {
    EXPECT_EQ(line.rfind("sgwatch: note: ", 0), 0U) << line;
    EXPECT_NE(line.find("skipped"), std::string::npos) << line;
  }
}

// ---- the project's own examples, against the counts their generator computed -----------------

TEST(ScanExamples, CountsEqualExpectedMd) {
  const std::string expected_md = read_text(SGWATCH_SOURCE_DIR "/examples/cloudtrail/EXPECTED.md");
  // The row under "| 4.1 | 4.2 | 4.2-sso | ... |".
  const auto header = expected_md.find("| 4.1 | 4.2 | 4.2-sso |");
  ASSERT_NE(header, std::string::npos);
  std::istringstream lines(expected_md.substr(header));
  std::string names_line, rule_line, values_line;
  std::getline(lines, names_line);
  std::getline(lines, rule_line);
  std::getline(lines, values_line);
  auto cells = [](const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    std::string cell;
    while (std::getline(in, cell, '|')) {
      cell.erase(0, cell.find_first_not_of(' '));
      cell.erase(cell.find_last_not_of(' ') + 1);
      if (!cell.empty()) out.push_back(cell);
    }
    return out;
  };
  const auto names = cells(names_line);
  const auto values = cells(values_line);
  ASSERT_EQ(names.size(), 16U);
  ASSERT_EQ(values.size(), 16U);
  const auto r = run_process({sgwatch_binary(), "scan", "--rules", "cis-v3", "--rules", "cis-v5", "--pattern",
                              "{ $.eventVersion = * }", "--count", SGWATCH_SOURCE_DIR "/examples/cloudtrail"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("bad input"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 5) << r.err;  // 3 digests, 2 non-JSON files
  const auto counts = parse_counts(r.out);
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(counts.at("cis-v3-" + names[i]), std::stoull(values[i])) << names[i];
  }
  const std::regex total(R"(\*\*(\d+) log files, (\d+) records\*\*)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(expected_md, m, total));
  EXPECT_EQ(counts.at("pattern"), std::stoull(m[2]));
  const std::regex v5(R"(CIS v5\.0\.0 4\.10 matches[^|]*\| (\d+) \|)");
  ASSERT_TRUE(std::regex_search(expected_md, m, v5));
  EXPECT_EQ(counts.at("cis-v5-4.10"), std::stoull(m[1]));
}

std::vector<Json> transitions_of(const std::string& out);

// ---- ground truth of the corpus generator -----------------------------------------------------

class GeneratedCorpus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    for (const char* format : {"jsonl", "s3"}) {
      const std::string out = (dir_->path() / (std::string("corpus.") + format)).string();
      const ProcessResult gen = run_process({"/usr/bin/env", "python3", shared_dir() + "/tools/gen-cloudtrail",
                                             "--out", out, "--size-mb", "6", "--format", format,
                                             "--sg-rate", "0.02", "--seed", "11"});
      ASSERT_EQ(gen.exit_code, 0) << gen.err;
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string corpus(const std::string& format) {
    return (dir_->path() / ("corpus." + format)).string();
  }
  static Json manifest(const std::string& format) {
    return Json::parse(read_text(corpus(format) + ".manifest.json"));
  }
  static TempDir* dir_;
};
TempDir* GeneratedCorpus::dir_ = nullptr;

TEST_F(GeneratedCorpus, CountsEqualTheManifest) {
  for (const std::string format : {"jsonl", "s3"}) {
    SCOPED_TRACE(format);
    const Json truth = manifest(format);
    ProcessResult r = run_process({sgwatch_binary(), "scan", "--pattern", kCis410, "--count", corpus(format)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "pattern\t" + std::to_string(truth["cis_4_10_pattern_matches"].get<std::uint64_t>()) + "\n");
    r = run_process({sgwatch_binary(), "scan", "--rules", "cis-v3", "--count", "-j", "2", corpus(format)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    const auto counts = parse_counts(r.out);
    for (const auto& [item, count] : truth["cis_v3_matches"].items()) {
      EXPECT_EQ(counts.at("cis-v3-" + item), count.get<std::uint64_t>()) << item;
    }
  }
}

TEST_F(GeneratedCorpus, ParallelOutputIsIdenticalToSerial) {
  const auto serial = run_process({sgwatch_binary(), "scan", "--rules", "sg-all", "--rules", "cis-v3",
                                   "-j", "1", "--format", "jsonl", corpus("s3")});
  ASSERT_EQ(serial.exit_code, 0) << serial.err;
  EXPECT_GT(parse_lines(serial.out).size(), 50U);
  for (const char* jobs : {"2", "3", "8"}) {
    const auto parallel = run_process({sgwatch_binary(), "scan", "--rules", "sg-all", "--rules", "cis-v3",
                                       "-j", jobs, "--format", "jsonl", corpus("s3")});
    EXPECT_EQ(parallel.exit_code, 0);
    EXPECT_EQ(parallel.out, serial.out) << "-j " << jobs;
  }
}

TEST_F(GeneratedCorpus, StdinGivesTheSameAnswer) {
  const std::string bytes = read_text(corpus("jsonl"));
  const auto from_file = run_process({sgwatch_binary(), "scan", "--rules", "cis-v3", "--count", corpus("jsonl")});
  const auto dash = run_process({sgwatch_binary(), "scan", "--rules", "cis-v3", "--count", "-"}, bytes);
  const auto none = run_process({sgwatch_binary(), "scan", "--rules", "cis-v3", "--count"}, bytes);
  EXPECT_EQ(dash.out, from_file.out);
  EXPECT_EQ(none.out, from_file.out);
  EXPECT_EQ(dash.exit_code, 0);
}

TEST_F(GeneratedCorpus, AlarmTimelineDoesNotDependOnHowEventsAreCut) {
  // The same records, cut into 7 files at random, each in a random order: the counts and the
  // alarm timeline must not change (data points are placed by eventTime, not by arrival).
  const auto whole = run_process({sgwatch_binary(), "scan", "--rules", "cis-v3", "--alarms", "default",
                                  "--count", "-j", "1", corpus("jsonl")});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  ASSERT_GT(transitions_of(whole.out.substr(whole.out.find('\n', whole.out.find("cis-v3-4.15")) + 1)).size(), 20U);
  std::vector<std::string> lines;
  {
    std::istringstream in(read_text(corpus("jsonl")));
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
  }
  for (const unsigned seed : {1U, 2U, 3U}) {
    SCOPED_TRACE(seed);
    std::mt19937 rng(seed);
    std::shuffle(lines.begin(), lines.end(), rng);
    TempDir dir;
    std::vector<std::string> parts(7);
    for (std::size_t i = 0; i < lines.size(); ++i) parts[rng() % parts.size()] += lines[i] + "\n";
    for (std::size_t k = 0; k < parts.size(); ++k) write_text(dir.path() / ("part-" + std::to_string(k) + ".jsonl"), parts[k]);
    for (const char* jobs : {"1", "2"}) {
      const auto cut = run_process({sgwatch_binary(), "scan", "--rules", "cis-v3", "--alarms", "default",
                                    "--count", "-j", jobs, dir.path().string()});
      EXPECT_EQ(cut.exit_code, 0) << cut.err;
      EXPECT_EQ(cut.out, whole.out) << "-j " << jobs;
    }
  }
}

// ---- formats, names, exit statuses ------------------------------------------------------------

const std::string kAuthorize =
    R"({"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/bob","accountId":"123456789012","userName":"bob"},"eventTime":"2026-11-20T09:08:41Z","eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.57","requestParameters":{"groupId":"sg-0abc","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"groups":{},"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]},"ipv6Ranges":{},"prefixListIds":{}}]}},"responseElements":{"_return":true},"recipientAccountId":"123456789012"})";
const std::string kDescribe =
    R"({"eventVersion":"1.09","eventTime":"2026-11-20T09:09:00Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeSecurityGroups","awsRegion":"us-east-1","recipientAccountId":"123456789012"})";
const std::string kModify =
    R"({"eventVersion":"1.09","eventTime":"2026-11-20T14:01:00Z","eventSource":"ec2.amazonaws.com","eventName":"ModifySecurityGroupRules","awsRegion":"eu-west-1","requestParameters":{"ModifySecurityGroupRulesRequest":{"GroupId":"sg-0def","SecurityGroupRule":{"SecurityGroupRuleId":"sgr-1","SecurityGroupRule":{"IpProtocol":"tcp","FromPort":5432,"ToPort":5432,"CidrIpv4":"0.0.0.0/0"}}}},"recipientAccountId":"123456789012"})";

TEST(ScanCli, JsonLinesCarryTheRecordFiltersAndSource) {
  TempDir dir;
  const std::string file = R"({"Records":[)" + kDescribe + "," + kAuthorize + "," + kModify + "]}";
  write_text(dir.path() / "a.json", file);
  const auto r = run_process({sgwatch_binary(), "scan", "--rules", "cis-v3", "--rules", "cis-v5",
                              (dir.path() / "a.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = parse_lines(r.out);  // not a tty: JSON lines by default
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0]["event"], Json::parse(kAuthorize));
  EXPECT_EQ(lines[0]["filters"], Json::array({"cis-v3-4.10", "cis-v5-4.10"}));
  EXPECT_EQ(lines[0]["source"]["path"], (dir.path() / "a.json").string());
  const std::uint64_t offset = lines[0]["source"]["offset"];
  EXPECT_EQ(file.substr(offset, kAuthorize.size()), kAuthorize);
  EXPECT_EQ(lines[1]["filters"], Json::array({"cis-v5-4.10"}));
  // The record's bytes are copied, not re-serialised: the line holds them verbatim.
  EXPECT_EQ(r.out.substr(0, 9 + kAuthorize.size()), "{\"event\":" + kAuthorize);
  // The keys in the contract's order.
  const nlohmann::ordered_json first = nlohmann::ordered_json::parse(r.out.substr(0, r.out.find('\n')));
  std::vector<std::string> keys;
  for (const auto& item : first.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"event", "filters", "source"}));
}

TEST(ScanCli, JsonFormatIsOneArrayOfTheSameObjects) {
  TempDir dir;
  write_text(dir.path() / "a.jsonl", kAuthorize + "\n" + kModify + "\n" + kAuthorize + "\n");
  const auto jsonl = run_process({sgwatch_binary(), "scan", "--rules", "cis-v5", "--format", "jsonl", (dir.path() / "a.jsonl").string()});
  const auto json = run_process({sgwatch_binary(), "scan", "--rules", "cis-v5", "--format", "json", (dir.path() / "a.jsonl").string()});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const Json array = Json::parse(json.out);
  ASSERT_TRUE(array.is_array());
  EXPECT_EQ(array, Json(parse_lines(jsonl.out)));
  EXPECT_EQ(array.size(), 3U);
  const auto none = run_process({sgwatch_binary(), "scan", "--pattern", "NoSuchThing", "--format", "json", (dir.path() / "a.jsonl").string()});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(Json::parse(none.out), Json::array());
}

TEST(ScanCli, PrettyRecordsBecomeOneLine) {
  TempDir dir;
  write_text(dir.path() / "pretty.json", Json::parse(kAuthorize).dump(2) + "\n");
  const auto r = run_process({sgwatch_binary(), "scan", "--rules", "cis-v3", (dir.path() / "pretty.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = parse_lines(r.out);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0]["event"], Json::parse(kAuthorize));
}

TEST(ScanCli, CountListsEveryFilterInDefinitionOrderWithZeros) {
  TempDir dir;
  write_text(dir.path() / "a.jsonl", kAuthorize + "\n" + kDescribe + "\n");
  const std::string described = Json{{"metricFilters", Json::array({
      Json{{"filterName", "sg-changes"}, {"filterPattern", kCis410}, {"logGroupName", "aws-cloudtrail"},
           {"metricTransformations", Json::array({Json{{"metricName", "SecurityGroupEventCount"}, {"metricNamespace", "CISBenchmark"}, {"metricValue", "1"}}})}},
      Json{{"filterName", "describe"}, {"filterPattern", "DescribeSecurityGroups"}, {"logGroupName", "other"}}})}}.dump(4);
  write_text(dir.path() / "filters.json", described);
  const auto r = run_process({sgwatch_binary(), "scan", "--pattern", "{ $.eventName = Nothing }", "--pattern",
                              "Authorize", "--filters", (dir.path() / "filters.json").string(), "--rules", "cis-v5",
                              "--count", (dir.path() / "a.jsonl").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string expected = "pattern-1\t0\npattern-2\t1\naws-cloudtrail/sg-changes\t1\nother/describe\t1\n";
  for (const auto& f : rules::find_pack("cis-v5")->filters) {
    expected += f.name + "\t" + (f.name == "cis-v5-4.10" ? "1" : "0") + "\n";
  }
  EXPECT_EQ(r.out, expected);
  const auto single = run_process({sgwatch_binary(), "scan", "--pattern", "Authorize", "--count", (dir.path() / "a.jsonl").string()});
  EXPECT_EQ(single.out, "pattern\t1\n");
}

TEST(ScanCli, ExitStatusesAndUsageErrors) {
  TempDir dir;
  write_text(dir.path() / "a.jsonl", kDescribe + "\n");
  const std::string file = (dir.path() / "a.jsonl").string();
  EXPECT_EQ(run_process({sgwatch_binary(), "scan", "--rules", "cis-v3", file}).exit_code, 1);
  EXPECT_EQ(run_process({sgwatch_binary(), "scan", "--pattern", "DescribeSecurityGroups", file}).exit_code, 0);
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"scan", file},
           {"scan", "--rules", "cis-v9", file},
           {"scan", "--pattern", "{ $.x = ", file},
           {"scan", "--filters", (dir.path() / "missing.json").string(), file},
           {"scan", "--filters", file, file},
           {"scan", "--pattern", "x", "--format", "xml", file},
           {"scan", "--pattern", "x", "-j", "0", file}}) {
    std::vector<std::string> argv{sgwatch_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = run_process(argv);
    EXPECT_EQ(r.exit_code, 2) << args[1] << " " << args[2];
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("sgwatch: ", 0), 0U) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST(ScanCli, TableShowsWhoChangedWhat) {
  TempDir dir;
  write_text(dir.path() / "a.jsonl", kAuthorize + "\n" + kModify + "\n");
  const auto r = run_process({sgwatch_binary(), "scan", "--rules", "cis-v5", "--format", "table", (dir.path() / "a.jsonl").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string header, first, second;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  for (const char* column : {"TIME", "ACCOUNT", "REGION", "EVENT", "ACTOR", "SOURCE IP", "DETAILS", "ERROR", "FILTERS"}) {
    EXPECT_NE(header.find(column), std::string::npos) << column;
  }
  for (const char* text : {"2026-11-20T09:08:41Z", "123456789012", "us-east-1", "AuthorizeSecurityGroupIngress",
                           "user/bob", "203.0.113.57", "sg-0abc tcp/22 from 0.0.0.0/0", "cis-v5-4.10"}) {
    EXPECT_NE(first.find(text), std::string::npos) << text << " in " << first;
  }
  EXPECT_NE(second.find("sg-0def sgr-1 -> tcp/5432 0.0.0.0/0"), std::string::npos) << second;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);  // no colour off a tty
}

// ---- --explain and --min-severity: the normalized security-group change --------------------------

TEST(ScanCli, ExplainAddsTheNormalizedChangesAndMinSeverityFilters) {
  const std::string kEc2 = R"({ $.eventSource = "ec2.amazonaws.com" })";
  TempDir dir;
  write_text(dir.path() / "a.jsonl", kAuthorize + "\n" + kDescribe + "\n" + kModify + "\n");
  const std::string file = (dir.path() / "a.jsonl").string();
  const auto r = run_process({sgwatch_binary(), "scan", "--pattern", kEc2, "--explain", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = parse_lines(r.out);
  ASSERT_EQ(lines.size(), 3U);
  ASSERT_TRUE(lines[0].contains("sg"));
  ASSERT_EQ(lines[0]["sg"].size(), 1U);
  EXPECT_EQ(lines[0]["sg"][0]["severity"], "critical");
  EXPECT_EQ(lines[0]["sg"][0]["reason"], "SSH (22) open to the world");
  EXPECT_EQ(lines[0]["sg"][0]["group"]["id"], "sg-0abc");
  EXPECT_EQ(lines[0]["event"], Json::parse(kAuthorize));
  EXPECT_FALSE(lines[1].contains("sg"));  // DescribeSecurityGroups is not a change
  EXPECT_EQ(lines[2]["sg"][0]["kind"], "rules-modified");
  // The keys: the contract's three, then "sg".
  const nlohmann::ordered_json first = nlohmann::ordered_json::parse(r.out.substr(0, r.out.find('\n')));
  std::vector<std::string> keys;
  for (const auto& item : first.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"event", "filters", "source", "sg"}));

  // --min-severity: only security-group events reaching the level; counts follow.
  const auto high = run_process({sgwatch_binary(), "scan", "--pattern", kEc2, "--min-severity", "high", file});
  ASSERT_EQ(high.exit_code, 0) << high.err;
  const auto kept = parse_lines(high.out);
  ASSERT_EQ(kept.size(), 2U);
  EXPECT_EQ(kept[0]["event"]["eventName"], "AuthorizeSecurityGroupIngress");
  EXPECT_EQ(kept[1]["event"]["eventName"], "ModifySecurityGroupRules");
  EXPECT_FALSE(kept[0].contains("sg"));
  const auto counted = run_process({sgwatch_binary(), "scan", "--pattern", kEc2, "--min-severity", "info", "--count", file});
  EXPECT_EQ(counted.out, "pattern\t2\n");
  write_text(dir.path() / "b.jsonl", kDescribe + "\n");
  const auto none = run_process({sgwatch_binary(), "scan", "--pattern", kEc2, "--min-severity", "low",
                                 (dir.path() / "b.jsonl").string()});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.out, "");
  const auto bad = run_process({sgwatch_binary(), "scan", "--pattern", "x", "--min-severity", "severe", file});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_EQ(bad.err, "sgwatch: usage: --min-severity: 'severe' is not one of info, low, medium, high, critical\n");

  // The table: the worst severity and its reason.
  const auto table = run_process({sgwatch_binary(), "scan", "--pattern", kEc2, "--format", "table", file});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  std::istringstream rows(table.out);
  std::string header, authorize, describe;
  std::getline(rows, header);
  std::getline(rows, authorize);
  std::getline(rows, describe);
  EXPECT_NE(header.find("SEVERITY"), std::string::npos);
  EXPECT_NE(header.find("REASON"), std::string::npos);
  EXPECT_NE(authorize.find("critical  pattern  SSH (22) open to the world"), std::string::npos) << authorize;
  EXPECT_NE(describe.find("-" + std::string(9, ' ') + "pattern"), std::string::npos) << describe;
}

// ---- --alarms: the alarm timeline of a backtest ------------------------------------------------

std::string at_time(const std::string& record, const std::string& time) {
  Json j = Json::parse(record);
  j["eventTime"] = time;
  return j.dump();
}

std::vector<Json> transitions_of(const std::string& out) {
  std::vector<Json> result;
  for (const Json& line : parse_lines(out)) {
    if (line.contains("alarm")) result.push_back(line);
  }
  return result;
}

TEST(ScanAlarms, DefaultAlarmTimeline) {
  TempDir dir;
  write_text(dir.path() / "a.jsonl", at_time(kAuthorize, "2026-11-20T09:08:41Z") + "\n" +
                                         at_time(kDescribe, "2026-11-20T09:09:00Z") + "\n");
  write_text(dir.path() / "b.jsonl", at_time(kAuthorize, "2026-11-20T09:31:00Z") + "\n");
  const auto r = run_process({sgwatch_binary(), "scan", "--pattern", kCis410, "--alarms", "default",
                              "--format", "jsonl", "-j", "1", dir.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = parse_lines(r.out);
  ASSERT_EQ(lines.size(), 6U);  // two matches, then four transitions
  EXPECT_TRUE(lines[0].contains("event"));
  EXPECT_TRUE(lines[1].contains("event"));
  const auto t = transitions_of(r.out);
  ASSERT_EQ(t.size(), 4U);
  const std::vector<std::tuple<std::string, std::string, std::string>> expected{
      // The 09:08 bucket closes at 09:09: the sliding window [09:04, 09:09) breaches; R = 3
      // periods later (15 minutes) no window sees it.
      {"2026-11-20T09:09:00Z", "INSUFFICIENT_DATA", "ALARM"},
      {"2026-11-20T09:24:00Z", "ALARM", "INSUFFICIENT_DATA"},
      {"2026-11-20T09:32:00Z", "INSUFFICIENT_DATA", "ALARM"},
      {"2026-11-20T09:47:00Z", "ALARM", "INSUFFICIENT_DATA"}};
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_EQ(t[i]["alarm"], "pattern");
    EXPECT_EQ(t[i]["time"], std::get<0>(expected[i])) << i;
    EXPECT_EQ(t[i]["from"], std::get<1>(expected[i])) << i;
    EXPECT_EQ(t[i]["to"], std::get<2>(expected[i])) << i;
    EXPECT_EQ(t[i]["actions"], Json::array());
  }
  EXPECT_EQ(t[0]["reason"],
            "Threshold Crossed: 1 datapoint [1.0 (20/11/26 09:04:00)] was greater than or equal to the threshold (1.0).");
  EXPECT_EQ(t[1]["reason"], "Insufficient Data: 1 datapoint was unknown.");
  const Json data = Json::parse(t[0]["reasonData"].get<std::string>());
  EXPECT_EQ(data["startDate"], "2026-11-20T09:04:00.000+0000");
  EXPECT_EQ(data["queryDate"], "2026-11-20T09:09:00.000+0000");
  EXPECT_EQ(data["evaluatedDatapoints"][0]["sampleCount"], 1.0);
  // -j 2 prints the same bytes; --count prints the counts, then the transitions.
  const auto parallel = run_process({sgwatch_binary(), "scan", "--pattern", kCis410, "--alarms", "default",
                                     "--format", "jsonl", "-j", "2", dir.path().string()});
  EXPECT_EQ(parallel.out, r.out);
  const auto counted = run_process({sgwatch_binary(), "scan", "--pattern", kCis410, "--alarms", "default",
                                    "--count", dir.path().string()});
  ASSERT_EQ(counted.exit_code, 0);
  EXPECT_EQ(counted.out.substr(0, counted.out.find('\n') + 1), "pattern\t2\n");
  EXPECT_EQ(transitions_of(counted.out.substr(counted.out.find('\n') + 1)).size(), 4U);
  // The table shows the same timeline.
  const auto table = run_process({sgwatch_binary(), "scan", "--pattern", kCis410, "--alarms", "default",
                                  "--format", "table", dir.path().string()});
  EXPECT_NE(table.out.find("ALARM TIMELINE: 1 alarms, 4 transitions"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("2026-11-20T09:09:00Z  pattern  INSUFFICIENT_DATA -> ALARM"), std::string::npos) << table.out;
}

TEST(ScanAlarms, AlarmFileAndDefaultValues) {
  TempDir dir;
  std::string records;
  for (int minute = 0; minute < 30; minute += 3) {
    const std::string time = "2026-11-20T10:" + std::string(minute < 10 ? "0" : "") + std::to_string(minute) + ":00Z";
    records += at_time(minute == 12 ? kAuthorize : kDescribe, time) + "\n";
  }
  write_text(dir.path() / "events.jsonl", records);
  // A described filter with defaultValue 0: every record publishes, so the alarm is OK, not
  // INSUFFICIENT_DATA, between changes (the seed scenario with a default value).
  const Json described = {{"metricFilters", Json::array({Json{
      {"filterName", "SecurityGroupEventCount"}, {"filterPattern", kCis410}, {"logGroupName", "CloudTrail/logs"},
      {"metricTransformations", Json::array({Json{{"metricName", "SecurityGroupEventCount"},
                                                  {"metricNamespace", "CISBenchmark"},
                                                  {"metricValue", "1"}, {"defaultValue", 0}}})}}})}};
  write_text(dir.path() / "filters.json", described.dump());
  const Json alarm = {{"AlarmName", "SecurityGroupChangesAlarm"}, {"MetricName", "SecurityGroupEventCount"},
                      {"Namespace", "CISBenchmark"}, {"Statistic", "Sum"}, {"Period", 300},
                      {"EvaluationPeriods", 1}, {"Threshold", 1}, {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
                      {"AlarmActions", Json::array({"arn:aws:sns:us-west-2:123456789012:my-sns-topic"})}};
  write_text(dir.path() / "alarms.json", Json::array({alarm}).dump());
  const auto r = run_process({sgwatch_binary(), "scan", "--filters", (dir.path() / "filters.json").string(),
                              "--alarms", (dir.path() / "alarms.json").string(), "--count",
                              (dir.path() / "events.jsonl").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto t = transitions_of(r.out.substr(r.out.find('\n') + 1));
  ASSERT_EQ(t.size(), 4U) << r.out;
  EXPECT_EQ(t[0]["to"], "OK");
  EXPECT_EQ(t[0]["time"], "2026-11-20T10:01:00Z");  // the first bucket closes
  EXPECT_EQ(t[1]["to"], "ALARM");
  EXPECT_EQ(t[1]["time"], "2026-11-20T10:13:00Z");
  EXPECT_EQ(t[1]["actions"], Json::array({"arn:aws:sns:us-west-2:123456789012:my-sns-topic"}));
  EXPECT_EQ(t[2]["to"], "OK");
  EXPECT_EQ(t[2]["time"], "2026-11-20T10:18:00Z");  // the window [10:13, 10:18) holds the 10:15 zero
  EXPECT_EQ(t[2]["reason"],
            "Threshold Crossed: 1 datapoint [0.0 (20/11/26 10:13:00)] was not greater than or equal to the threshold (1.0).");
  // The data ends with the scanned records: R periods after the last one, nothing is left.
  EXPECT_EQ(t[3]["to"], "INSUFFICIENT_DATA");
  EXPECT_EQ(t[3]["time"], "2026-11-20T10:43:00Z");

  // A bad alarm file is refused before anything is read.
  write_text(dir.path() / "bad.json", R"([{"AlarmName": "x"}])");
  const auto bad = run_process({sgwatch_binary(), "scan", "--pattern", "x", "--alarms",
                                (dir.path() / "bad.json").string(), (dir.path() / "events.jsonl").string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_NE(bad.err.find("MissingParameter"), std::string::npos) << bad.err;
}

TEST(ScanAlarms, RecordsWithoutEventTimeAreNoted) {
  TempDir dir;
  write_text(dir.path() / "a.jsonl", kAuthorize + "\n");  // kAuthorize has eventTime; drop it
  Json record = Json::parse(kAuthorize);
  record.erase("eventTime");
  write_text(dir.path() / "a.jsonl", record.dump() + "\n");
  const auto r = run_process({sgwatch_binary(), "scan", "--pattern", kCis410, "--alarms", "default",
                              "--count", (dir.path() / "a.jsonl").string()});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "pattern\t1\n");
  EXPECT_NE(r.err.find("1 matching records have no eventTime"), std::string::npos) << r.err;
}

// ---- bad input ----------------------------------------------------------------------------------

TEST(ScanCli, BadInputIsReportedAndTheScanGoesOn) {
  TempDir dir;
  std::string records;
  for (int i = 0; i < 3000; ++i) records += kDescribe + "\n";
  records += kAuthorize + "\n";
  const std::string compressed = gzip_compress(records);
  write_text(dir.path() / "1-truncated.json.gz", compressed.substr(0, compressed.size() - 100));
  write_text(dir.path() / "2-malformed.jsonl", kAuthorize + "\n{\"eventName\": \"x\"]\n" + kAuthorize + "\n");
  write_text(dir.path() / "3-long-line.jsonl", R"({"eventName":")" + std::string(20u << 20, 'A') + "\"}\n");
  write_text(dir.path() / "4-deep.json", std::string(1000000, '[') + std::string(1000000, ']'));
  write_text(dir.path() / "5-utf8.jsonl", kAuthorize + "\n" + R"({"eventName":"AuthorizeSecurityGroupIngress","x":")" "\xFF" "\"}\n");
  write_text(dir.path() / "6-good.jsonl", kAuthorize + "\n");
  const std::string missing = (dir.path() / "0-missing.json").string();
  const auto r = run_process({sgwatch_binary(), "scan", "--pattern", kCis410, "--count", "-j", "1", missing, dir.path().string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "pattern\t3\n");  // 2-malformed's first line, 5-utf8's first line, 6-good
  const auto p = [&](const char* name) { return (dir.path() / name).string(); };
  const std::vector<std::string> expected_errors{
      "sgwatch: cannot read: " + missing + ": No such file or directory",
      "sgwatch: bad input: " + p("1-truncated.json.gz") + " at byte " + std::to_string(compressed.size() - 100) +
          " of the gzip file: the gzip stream is truncated (it ends inside a member)",
      "sgwatch: bad input: " + p("2-malformed.jsonl") + " at byte " + std::to_string(kAuthorize.size() + 1 + 17) +
          ": ']' does not close an open '['",
      "sgwatch: bad input: " + p("3-long-line.jsonl") + " at byte 0: a record exceeds the limit of 16777216 bytes",
      "sgwatch: bad input: " + p("4-deep.json") + " at byte 1024: nesting deeper than 1024 levels",
      "sgwatch: bad input: " + p("5-utf8.jsonl") + " at byte " +
          std::to_string(kAuthorize.size() + 1 + 50) + ": invalid UTF-8 (byte 0xff); the record is skipped",
  };
  std::istringstream lines(r.err);
  std::vector<std::string> errors;
  std::string line;
  while (std::getline(lines, line)) errors.push_back(line);
  EXPECT_EQ(errors, expected_errors);
}

TEST(ScanCli, TruncatedGzipStillYieldsTheRecordsBeforeTheCut) {
  TempDir dir;
  std::string records;
  for (int i = 0; i < 2000; ++i) records += kAuthorize + "\n";
  const std::string compressed = gzip_compress(records);
  write_text(dir.path() / "t.jsonl.gz", compressed.substr(0, compressed.size() / 2));
  const auto r = run_process({sgwatch_binary(), "scan", "--pattern", kCis410, "--count", (dir.path() / "t.jsonl.gz").string()});
  EXPECT_EQ(r.exit_code, 2);
  const auto counts = parse_counts(r.out);
  EXPECT_GT(counts.at("pattern"), 0U);
  EXPECT_LT(counts.at("pattern"), 2000U);
}

TEST(ScanCli, FilesNamedOnTheCommandLineMustBeJson) {
  TempDir dir;
  write_text(dir.path() / "notes.txt", "hello\n");
  write_text(dir.path() / "manifest.json", R"({"files":[]})");
  auto r = run_process({sgwatch_binary(), "scan", "--pattern", "x", (dir.path() / "notes.txt").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad input"), std::string::npos);
  r = run_process({sgwatch_binary(), "scan", "--pattern", "x", dir.path().string()});  // walked: skipped
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("notes.txt: skipped: not JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("manifest.json: skipped"), std::string::npos) << r.err;
}

// On a terminal (a pty from script(1)): the table by default, colour unless NO_COLOR is set, the
// progress line and the summary on stderr, and no progress with --no-progress.
TEST(ScanCli, TerminalOutput) {
  if (access("/usr/bin/script", X_OK) != 0) GTEST_SKIP() << "script(1) is not installed";
  const std::string scan = "'" + sgwatch_binary() + "' scan --rules cis-v3 '" SGWATCH_SOURCE_DIR "/examples/cloudtrail/AWSLogs'";
  auto on_tty = [](const std::string& command) {
    return run_process({"/usr/bin/script", "-qec", command, "/dev/null"});
  };
  const auto r = on_tty(scan);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("TIME  "), std::string::npos) << "a table by default";
  EXPECT_NE(r.out.find("\x1b[33m"), std::string::npos) << "colour on a terminal";
  EXPECT_NE(r.out.find("14/14 files"), std::string::npos) << "a progress line";
  EXPECT_NE(r.out.find("sgwatch: 24 matching records of 371 in 14 inputs"), std::string::npos) << "the summary";
  const auto plain = on_tty("NO_COLOR=1 " + scan + " --no-progress");
  EXPECT_EQ(plain.out.find("\x1b[33m"), std::string::npos) << "NO_COLOR";
  EXPECT_EQ(plain.out.find("14/14 files"), std::string::npos) << "--no-progress";
  EXPECT_NE(plain.out.find("AuthorizeSecurityGroupIngress"), std::string::npos);
}

TEST(ScanCli, RulesListShowsThePacks) {
  const auto r = run_process({sgwatch_binary(), "rules", "list"});
  ASSERT_EQ(r.exit_code, 0);
  for (const auto& pack : rules::packs()) {
    EXPECT_NE(r.out.find(pack.name + ": "), std::string::npos);
    for (const auto& filter : pack.filters) EXPECT_NE(r.out.find("  " + filter.name + " "), std::string::npos);
  }
  const auto with_patterns = run_process({sgwatch_binary(), "rules", "list", "--patterns"});
  EXPECT_NE(with_patterns.out.find(rules::find_pack("cis-v3")->filters[0].pattern), std::string::npos);
}

}  // namespace
}  // namespace sgwatch::testing
