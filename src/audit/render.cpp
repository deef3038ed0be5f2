#include "audit/render.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/time.h"
#include "core/version.h"

namespace sgwatch::audit {
namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view kInformationUri = "https://github.com/sgwatch/sgwatch";

std::string iso_time(std::int64_t unix_seconds) { return core::format_iso8601(unix_seconds); }

std::string finding_uid(const Report& report, const Finding& finding) {
  return fmt::format("sgwatch/{}/{}/{}/{}", report.account.empty() ? "unknown-account" : report.account,
                     report.region, finding.benchmark, finding.control);
}

std::string rule_id(const Finding& finding) { return fmt::format("{}-{}", finding.benchmark, finding.control); }

// The resource a finding is about: the alarm, the filter's log group, the trail, else the account.
std::string resource_of(const Report& report, const Finding& finding) {
  const json& e = finding.evidence;
  if (e.contains("alarm") && e["alarm"].contains("arn") && !e["alarm"]["arn"].get<std::string>().empty()) {
    return e["alarm"]["arn"].get<std::string>();
  }
  if (e.contains("trail") && e["trail"].contains("log_group_arn") &&
      !e["trail"]["log_group_arn"].get<std::string>().empty()) {
    return e["trail"]["log_group_arn"].get<std::string>();
  }
  if (e.contains("trail") && e["trail"].contains("arn")) return e["trail"]["arn"].get<std::string>();
  if (e.contains("hub_arn")) return e["hub_arn"].get<std::string>();
  return fmt::format("arn:aws:::{}", report.account);
}

std::string remediation(const Finding& finding) {
  if (finding.control == "4.16") {
    return "Enable AWS Security Hub in this region: aws securityhub enable-security-hub";
  }
  return fmt::format(
      "Create what the chain lacks: sgwatch apply --benchmark {} --log-group <the trail's log group> --email "
      "<address> (or sgwatch export --format cloudformation|terraform|aws-cli).",
      finding.benchmark);
}

}  // namespace

std::string_view benchmark_title(std::string_view benchmark) {
  if (benchmark == "cis-v5") return "CIS AWS Foundations Benchmark v5.0.0";
  return "CIS AWS Foundations Benchmark v3.0.0";
}

json to_json(const Report& report) {
  json findings = json::array();
  std::map<std::string, int> summary{{"PASS", 0}, {"FAIL", 0}, {"MANUAL", 0}, {"NOT_APPLICABLE", 0}};
  for (const auto& f : report.findings) {
    json one;
    one["control"] = f.control;
    one["benchmark"] = f.benchmark;
    one["title"] = f.title;
    one["status"] = status_name(f.status);
    one["reason"] = f.reason;
    one["permissions"] = f.permissions;
    one["evidence"] = f.evidence;
    findings.push_back(std::move(one));
    ++summary[std::string(status_name(f.status))];
  }
  json out;
  out["account"] = report.account;
  out["region"] = report.region;
  out["benchmark"] = report.benchmark;
  out["taken_at"] = iso_time(report.taken_at);
  out["findings"] = std::move(findings);
  json counts;
  for (const auto* name : {"PASS", "FAIL", "MANUAL", "NOT_APPLICABLE"}) counts[name] = summary[name];
  out["summary"] = std::move(counts);
  return out;
}

json to_ocsf(const Report& report) {
  json out = json::array();
  const std::int64_t time_ms = report.taken_at * 1000;
  for (const auto& f : report.findings) {
    // OCSF compliance.status_id: 1 Pass, 2 Warning, 3 Fail, 0 Unknown.
    int status_id = 0;
    std::string status = "Unknown";
    switch (f.status) {
      case Status::kPass: status_id = 1; status = "Pass"; break;
      case Status::kFail: status_id = 3; status = "Fail"; break;
      case Status::kManual: status_id = 2; status = "Warning"; break;
      case Status::kNotApplicable: status_id = 0; status = "Unknown"; break;
    }
    bool failed = f.status == Status::kFail;
    json finding;
    finding["activity_id"] = 1;
    finding["activity_name"] = "Create";
    finding["category_uid"] = 2;
    finding["category_name"] = "Findings";
    finding["class_uid"] = 2003;
    finding["class_name"] = "Compliance Finding";
    finding["type_uid"] = 200301;
    finding["type_name"] = "Compliance Finding: Create";
    finding["time"] = time_ms;
    finding["severity_id"] = failed ? 3 : 1;
    finding["severity"] = failed ? "Medium" : "Informational";
    finding["status_id"] = 1;
    finding["status"] = "New";
    finding["status_code"] = status_name(f.status);
    finding["status_detail"] = f.reason;
    finding["message"] = fmt::format("{} {}: {}", rule_id(f), status_name(f.status), f.reason);
    finding["metadata"] = {{"version", "1.1.0"},
                           {"product", {{"name", "sgwatch"}, {"vendor_name", "sgwatch"},
                                        {"version", std::string(core::kVersion)}}},
                           {"event_code", rule_id(f)}};
    finding["finding_info"] = {{"uid", finding_uid(report, f)},
                               {"title", f.title},
                               {"desc", f.reason},
                               {"types", json::array({std::string(benchmark_title(f.benchmark))})},
                               {"created_time", time_ms}};
    finding["compliance"] = {{"control", f.control},
                             {"standards", json::array({std::string(benchmark_title(f.benchmark))})},
                             {"requirements", json::array({rule_id(f)})},
                             {"status_id", status_id},
                             {"status", status},
                             {"status_detail", f.reason}};
    finding["cloud"] = {{"provider", "AWS"},
                        {"region", report.region},
                        {"account", {{"uid", report.account}, {"type", "AWS Account"}, {"type_id", 10}}}};
    finding["resources"] = json::array({{{"uid", resource_of(report, f)}, {"region", report.region},
                                         {"cloud_partition", "aws"}}});
    if (!f.permissions.empty()) finding["remediation"] = {{"desc", "Grant: " + fmt::format("{}", fmt::join(f.permissions, ", "))}};
    else if (failed) finding["remediation"] = {{"desc", remediation(f)}};
    finding["unmapped"] = {{"evidence", f.evidence}};
    out.push_back(std::move(finding));
  }
  return out;
}

json to_asff(const Report& report) {
  json out = json::array();
  const std::string time = iso_time(report.taken_at);
  for (const auto& f : report.findings) {
    std::string compliance = "NOT_AVAILABLE";
    switch (f.status) {
      case Status::kPass: compliance = "PASSED"; break;
      case Status::kFail: compliance = "FAILED"; break;
      case Status::kManual: compliance = "WARNING"; break;
      case Status::kNotApplicable: compliance = "NOT_AVAILABLE"; break;
    }
    json finding;
    finding["SchemaVersion"] = "2018-10-08";
    finding["Id"] = finding_uid(report, f);
    finding["ProductArn"] = fmt::format("arn:aws:securityhub:{}:{}:product/{}/default", report.region,
                                        report.account, report.account);
    finding["GeneratorId"] = "sgwatch-" + rule_id(f);
    finding["AwsAccountId"] = report.account;
    finding["Types"] = json::array(
        {"Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark"});
    finding["CreatedAt"] = time;
    finding["UpdatedAt"] = time;
    finding["Severity"] = {{"Label", f.status == Status::kFail ? "MEDIUM" : "INFORMATIONAL"}};
    finding["Title"] = fmt::format("{} {}", f.control, f.title);
    std::string description = f.reason;
    if (description.size() > 1024) description = description.substr(0, 1021) + "...";  // ASFF's limit
    finding["Description"] = description;
    finding["Resources"] = json::array({{{"Type", "AwsAccount"},
                                         {"Id", fmt::format("AWS::::Account:{}", report.account)},
                                         {"Partition", "aws"},
                                         {"Region", report.region}}});
    finding["Compliance"] = {{"Status", compliance},
                             {"RelatedRequirements", json::array({fmt::format("{} {}", benchmark_title(f.benchmark),
                                                                              f.control)})}};
    if (f.status != Status::kPass) {
      finding["Remediation"] = {{"Recommendation",
                                 {{"Text", f.permissions.empty()
                                               ? remediation(f)
                                               : "Grant the audit: " + fmt::format("{}", fmt::join(f.permissions, ", "))}}}};
    }
    finding["ProductFields"] = {{"sgwatch/control", f.control},
                                {"sgwatch/benchmark", f.benchmark},
                                {"sgwatch/status", std::string(status_name(f.status))},
                                {"sgwatch/resource", resource_of(report, f)}};
    finding["RecordState"] = "ACTIVE";
    finding["Workflow"] = {{"Status", "NEW"}};
    out.push_back(std::move(finding));
  }
  return out;
}

json to_sarif(const Report& report) {
  json rules = json::array();
  json results = json::array();
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    const auto& f = report.findings[i];
    rules.push_back({{"id", rule_id(f)},
                     {"name", fmt::format("CIS{}", f.control)},
                     {"shortDescription", {{"text", f.title}}},
                     {"fullDescription", {{"text", fmt::format("{} {}: {}", benchmark_title(f.benchmark), f.control,
                                                               f.title)}}},
                     {"help", {{"text", remediation(f)}}},
                     {"properties", {{"tags", json::array({"security", "cis", f.benchmark})}}}});
    // SARIF: a result whose kind is not "fail" has level "none".
    std::string kind = "fail";
    switch (f.status) {
      case Status::kPass: kind = "pass"; break;
      case Status::kFail: kind = "fail"; break;
      case Status::kManual: kind = "review"; break;
      case Status::kNotApplicable: kind = "notApplicable"; break;
    }
    json result;
    result["ruleId"] = rule_id(f);
    result["ruleIndex"] = i;
    result["kind"] = kind;
    result["level"] = kind == "fail" ? "error" : "none";
    result["message"] = {{"text", fmt::format("{}: {}", status_name(f.status), f.reason)}};
    result["locations"] = json::array(
        {{{"logicalLocations", json::array({{{"fullyQualifiedName", resource_of(report, f)}, {"kind", "resource"}}})}}});
    result["partialFingerprints"] = {{"sgwatch/finding", finding_uid(report, f)}};
    result["properties"] = {{"status", std::string(status_name(f.status))},
                            {"permissions", f.permissions},
                            {"evidence", f.evidence}};
    results.push_back(std::move(result));
  }
  json run;
  run["tool"] = {{"driver", {{"name", "sgwatch"},
                             {"version", std::string(core::kVersion)},
                             {"informationUri", std::string(kInformationUri)},
                             {"rules", std::move(rules)}}}};
  run["automationDetails"] = {{"id", fmt::format("sgwatch-audit/{}/{}/{}", report.benchmark, report.account,
                                                 report.region)}};
  run["results"] = std::move(results);
  json out;
  out["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  out["version"] = "2.1.0";
  out["runs"] = json::array({std::move(run)});
  return out;
}

std::string to_table(const Report& report, bool colour) {
  auto paint = [colour](std::string_view text, std::string_view code) {
    return colour ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  };
  std::string out = fmt::format("{} — account {}, region {}\n\n", benchmark_title(report.benchmark),
                                report.account.empty() ? "unknown" : report.account, report.region);
  std::size_t width = 5;
  for (const auto& f : report.findings) width = std::max(width, f.title.size());
  width = std::min<std::size_t>(width, 60);
  out += fmt::format("{:<6} {:<7} {:<{}}  {}\n", "CTRL", "STATUS", "TITLE", width, "WHY");
  int counts[4] = {0, 0, 0, 0};
  for (const auto& f : report.findings) {
    std::string_view status = status_name(f.status);
    std::string_view code = f.status == Status::kPass ? "32" : f.status == Status::kFail ? "31" : "33";
    std::string padded = fmt::format("{:<7}", status);
    std::string title = f.title.size() > width ? f.title.substr(0, width - 1) + "…" : f.title;
    out += fmt::format("{:<6} {} {:<{}}  {}\n", f.control, paint(padded, code), title, width, f.reason);
    if (!f.permissions.empty()) {
      out += fmt::format("{:<6} {:<7} {:<{}}  needs: {}\n", "", "", "", width, fmt::join(f.permissions, ", "));
    }
    ++counts[static_cast<int>(f.status)];
  }
  out += fmt::format("\n{} PASS, {} FAIL, {} MANUAL, {} NOT_APPLICABLE\n", counts[0], counts[1], counts[2], counts[3]);
  return out;
}

}  // namespace sgwatch::audit
