// AWS wire protocols against the AWS CLI's own bytes: every fixture of
// ../shared/fixtures/aws-wire (CLI 2.9.19) and of its awscli-1.45.11-botocore-1.43.11/ folder,
// found at run time. Each captured request is rebuilt from its raw bytes, classified (service,
// protocol, operation), verified with SigV4, and its input read back through the query or JSON
// readers and compared with the values its cli_command gave; each response the CLI accepted is
// rebuilt with the writers from structured values and compared with the fixture's bytes. Then
// unit tests of the query parser, the XML writer, the error envelopes and the classifier.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws.h"
#include "core/json_string.h"

namespace sgwatch::aws {
namespace {

namespace fs = std::filesystem;

const fs::path kWireDir = fs::path(SGWATCH_SHARED_DIR) / "fixtures" / "aws-wire";
constexpr std::string_view kCliV1Folder = "awscli-1.45.11-botocore-1.43.11";
constexpr std::string_view kAccessKey = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
// The request ids the fixtures' hand-written responses carry.
constexpr std::string_view kQueryRequestId = "a1b2c3d4-0000-4000-8000-000000000002";
constexpr std::string_view kJsonRequestId = "7f1e2d3c-0000-4000-8000-000000000001";

// ---------------------------------------------------------------------------------------------
// Fixtures

struct Fixture {
  std::string base;     // "cloudwatch.PutMetricAlarm.dimensions"
  bool cli_v1 = false;  // from the 1.45.11 folder (CloudWatch over awsJson1_0)
  nlohmann::json data;
};

std::string read_text(const fs::path& path) {
  std::error_code error;
  const auto size = fs::file_size(path, error);
  if (error) return {};
  std::string bytes(static_cast<std::size_t>(size), '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

std::vector<Fixture> fixtures_in(const fs::path& dir, bool cli_v1) {
  std::vector<Fixture> out;
  if (!fs::is_directory(dir)) return out;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    Fixture fixture;
    fixture.base = entry.path().stem().string();
    fixture.cli_v1 = cli_v1;
    fixture.data = nlohmann::json::parse(read_text(entry.path()), nullptr, false);
    out.push_back(std::move(fixture));
  }
  std::sort(out.begin(), out.end(),
            [](const Fixture& a, const Fixture& b) { return a.base < b.base; });
  return out;
}

const std::vector<Fixture>& all_fixtures() {
  static const std::vector<Fixture> fixtures = [] {
    std::vector<Fixture> out = fixtures_in(kWireDir, false);
    for (Fixture& f : fixtures_in(kWireDir / kCliV1Folder, true)) out.push_back(std::move(f));
    return out;
  }();
  return fixtures;
}

std::string version_label(const Fixture& f) {
  return f.cli_v1 ? "cli-1.45.11" : "cli-2.9.19";
}

// "POST / HTTP/1.1\r\nName: value\r\n...\r\n\r\nbody" to an HttpRequest.
HttpRequest parse_raw(std::string_view raw) {
  HttpRequest request;
  const std::size_t end = raw.find("\r\n\r\n");
  const std::string_view head = raw.substr(0, end);
  request.body = end == std::string_view::npos ? std::string() : std::string(raw.substr(end + 4));
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= head.size();) {
    std::size_t stop = head.find("\r\n", start);
    if (stop == std::string_view::npos) stop = head.size();
    lines.push_back(head.substr(start, stop - start));
    start = stop + 2;
  }
  const std::string_view first = lines.front();
  const std::size_t space = first.find(' ');
  const std::size_t second = first.find(' ', space + 1);
  request.method = std::string(first.substr(0, space));
  const std::string_view target = first.substr(space + 1, second - space - 1);
  const std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::size_t colon = lines[i].find(':');
    std::string_view value = lines[i].substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers.push_back({std::string(lines[i].substr(0, colon)), std::string(value)});
  }
  return request;
}

// The same request from the fixture's structured fields.
HttpRequest structured_request(const nlohmann::json& r) {
  HttpRequest request;
  request.method = r.at("method").get<std::string>();
  request.path = r.at("path").get<std::string>();
  for (const auto& header : r.at("headers")) {
    request.headers.push_back({header.at(0).get<std::string>(), header.at(1).get<std::string>()});
  }
  request.body = r.at("body").get<std::string>();
  return request;
}

TEST(WireFixtures, AreFoundForBothCliVersions) {
  std::set<std::string> v2, v1;
  for (const Fixture& f : all_fixtures()) {
    ASSERT_FALSE(f.data.is_discarded()) << f.base << " does not parse";
    (f.cli_v1 ? v1 : v2).insert(f.base);
  }
  ASSERT_FALSE(v2.empty()) << "no fixtures in " << kWireDir;
  ASSERT_FALSE(v1.empty()) << "no fixtures in " << kWireDir / kCliV1Folder;
  EXPECT_EQ(v1, v2) << "both CLI versions ran the same cases";
}

TEST(WireFixtures, RawBytesMatchTheStructuredFields) {
  for (const Fixture& f : all_fixtures()) {
    for (const auto& r : f.data.at("requests")) {
      SCOPED_TRACE(version_label(f) + " " + f.base);
      const HttpRequest raw = parse_raw(r.at("raw").get<std::string>());
      const HttpRequest fields = structured_request(r);
      EXPECT_EQ(raw.method, fields.method);
      EXPECT_EQ(raw.path, fields.path);
      EXPECT_EQ(raw.headers, fields.headers);
      EXPECT_EQ(raw.body, fields.body);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs: one reader over both encodings, so that CloudWatch's expectations hold for the awsQuery
// body of CLI 2.9.19 and the awsJson1_0 body of CLI 1.45.11 alike.

using Struct = std::map<std::string, std::string>;

class Input {
 public:
  explicit Input(const WireRequest& request) : request_(request), view_(request.query.view()) {}

  bool is_json() const { return aws::is_json(request_.protocol); }
  const WireRequest& request() const { return request_; }

  std::optional<std::string> string(std::string_view name) const {
    if (!is_json()) return view_.string(name);
    const nlohmann::json* value = member(name);
    if (value == nullptr) return std::nullopt;
    EXPECT_TRUE(value->is_string()) << name;
    return value->is_string() ? std::optional<std::string>(value->get<std::string>())
                              : std::nullopt;
  }

  std::vector<std::string> strings(std::string_view name) const {
    std::vector<std::string> out;
    if (!is_json()) {
      auto list = view_.string_list(name, list_style());
      if (!list.ok()) {
        ADD_FAILURE() << list.error().message;
        return out;
      }
      return *list;
    }
    if (const nlohmann::json* value = member(name)) {
      for (const auto& item : *value) out.push_back(item.get<std::string>());
    }
    return out;
  }

  // A list of structures whose members are strings (numbers in JSON are printed).
  std::vector<Struct> structs(std::string_view name) const {
    std::vector<Struct> out;
    if (!is_json()) {
      auto list = view_.struct_list(name, list_style());
      if (!list.ok()) {
        ADD_FAILURE() << list.error().message;
        return out;
      }
      for (const QueryView& element : *list) {
        Struct fields;
        for (const std::uint32_t i : request_.query.with_prefix(element.prefix())) {
          const QueryParam& param = request_.query.in_order()[i];
          fields[param.name.substr(element.prefix().size())] = param.value;
        }
        out.push_back(std::move(fields));
      }
      return out;
    }
    if (const nlohmann::json* value = member(name)) {
      for (const auto& item : *value) {
        Struct fields;
        for (const auto& [key, field] : item.items()) {
          fields[key] = field.is_string() ? field.get<std::string>() : field.dump();
        }
        out.push_back(std::move(fields));
      }
    }
    return out;
  }

  std::vector<std::pair<std::string, std::string>> map(std::string_view name) const {
    std::vector<std::pair<std::string, std::string>> out;
    if (!is_json()) {
      auto entries = view_.string_map(name);
      if (!entries.ok()) {
        ADD_FAILURE() << entries.error().message;
        return out;
      }
      return *entries;
    }
    if (const nlohmann::json* value = member(name)) {
      for (const auto& [key, field] : value->items())
        out.emplace_back(key, field.get<std::string>());
    }
    return out;
  }

  std::optional<double> number(std::string_view name) const {
    if (!is_json()) return unwrap(view_.number(name));
    const nlohmann::json* value = member(name);
    if (value == nullptr || !value->is_number()) return std::nullopt;
    return value->get<double>();
  }

  std::optional<std::int64_t> integer(std::string_view name) const {
    if (!is_json()) return unwrap(view_.integer(name));
    const nlohmann::json* value = member(name);
    if (value == nullptr || !value->is_number_integer()) return std::nullopt;
    return value->get<std::int64_t>();
  }

  std::optional<bool> boolean(std::string_view name) const {
    if (!is_json()) return unwrap(view_.boolean(name));
    const nlohmann::json* value = member(name);
    if (value == nullptr || !value->is_boolean()) return std::nullopt;
    return value->get<bool>();
  }

  // Unix seconds: ISO-8601 in awsQuery, epoch seconds in CloudWatch's awsJson1_0.
  std::optional<std::int64_t> timestamp(std::string_view name) const {
    if (!is_json()) return unwrap(view_.timestamp(name));
    const nlohmann::json* value = member(name);
    if (value == nullptr || !value->is_number()) return std::nullopt;
    return value->get<std::int64_t>();
  }

 private:
  ListStyle list_style() const {
    return request_.protocol == Protocol::kEc2Query ? ListStyle::kFlattened : ListStyle::kMember;
  }

  const nlohmann::json* member(std::string_view name) const {
    const auto it = request_.json.find(std::string(name));
    return it == request_.json.end() ? nullptr : &*it;
  }

  template <class T>
  static std::optional<T> unwrap(core::Result<std::optional<T>, WireError> field) {
    if (!field.ok()) {
      ADD_FAILURE() << field.error().message;
      return std::nullopt;
    }
    return *field;
  }

  const WireRequest& request_;
  QueryView view_;
};

// Every expected value must be spelled in the fixture's cli_command: the expectations below are
// the command's arguments, read back through the wire.
#define EXPECT_FROM_CLI(text) \
  EXPECT_NE(cli.find(text), std::string::npos) << "not in the command: " << (text)

using Expectation =
    std::function<void(const Input& in, const std::string& cli, std::size_t request_index)>;

constexpr std::string_view kTopicArn = "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges";
constexpr std::string_view kTrailArn =
    "arn:aws:cloudtrail:us-west-2:123456789012:trail/management-events";
constexpr std::string_view kSecurityGroupPattern =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = "
    "AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName "
    "= RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = "
    "DeleteSecurityGroup) }";

void expect_no_input(const Input& in) {
  if (in.is_json()) {
    EXPECT_EQ(in.request().json, nlohmann::json::object());
  } else {
    EXPECT_EQ(in.request().query.size(), 2u) << "only Action and Version";
  }
}

void expect_put_metric_filter(const Input& in, const std::string& cli, std::string_view group) {
  EXPECT_FROM_CLI("--log-group-name " + std::string(group));
  EXPECT_EQ(in.string("logGroupName"), std::string(group));
  EXPECT_EQ(in.string("filterName"), "SecurityGroupEventCount");
  EXPECT_FROM_CLI(std::string(kSecurityGroupPattern));
  EXPECT_EQ(in.string("filterPattern"), std::string(kSecurityGroupPattern));
  EXPECT_FROM_CLI("metricName=SecurityGroupEventCount,metricNamespace=CISBenchmark,metricValue=1");
  EXPECT_EQ(in.structs("metricTransformations"),
            (std::vector<Struct>{{{"metricName", "SecurityGroupEventCount"},
                                  {"metricNamespace", "CISBenchmark"},
                                  {"metricValue", "1"}}}));
}

// PutMetricAlarm's members shared by its three cases.
void expect_alarm_basics(const Input& in, const std::string& cli) {
  EXPECT_FROM_CLI("--alarm-name SecurityGroupChangesAlarm");
  EXPECT_EQ(in.string("AlarmName"), "SecurityGroupChangesAlarm");
  EXPECT_FROM_CLI("--metric-name SecurityGroupEventCount --namespace CISBenchmark --statistic Sum");
  EXPECT_EQ(in.string("MetricName"), "SecurityGroupEventCount");
  EXPECT_EQ(in.string("Namespace"), "CISBenchmark");
  EXPECT_EQ(in.string("Statistic"), "Sum");
  EXPECT_FROM_CLI("--comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1");
  EXPECT_EQ(in.string("ComparisonOperator"), "GreaterThanOrEqualToThreshold");
  EXPECT_EQ(in.integer("EvaluationPeriods"), 1);
}

const std::map<std::string, Expectation>& expectations() {
  static const std::map<std::string, Expectation> table = {
      {"cloudtrail.DescribeTrails",
       [](const Input& in, const std::string&, std::size_t) { expect_no_input(in); }},
      {"cloudtrail.GetEventSelectors",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--trail-name " + std::string(kTrailArn));
         EXPECT_EQ(in.string("TrailName"), std::string(kTrailArn));
       }},
      {"cloudtrail.GetTrailStatus",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--name " + std::string(kTrailArn));
         EXPECT_EQ(in.string("Name"), std::string(kTrailArn));
       }},
      {"cloudtrail.GetTrailStatus.error-TrailNotFound",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--name no-such-trail");
         EXPECT_EQ(in.string("Name"), "no-such-trail");
       }},
      {"cloudwatch.DeleteAlarms",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--alarm-names SecurityGroupChangesAlarm OtherAlarm");
         EXPECT_EQ(in.strings("AlarmNames"),
                   (std::vector<std::string>{"SecurityGroupChangesAlarm", "OtherAlarm"}));
       }},
      {"cloudwatch.DescribeAlarmHistory",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--alarm-name SecurityGroupChangesAlarm");
         EXPECT_EQ(in.string("AlarmName"), "SecurityGroupChangesAlarm");
       }},
      {"cloudwatch.DescribeAlarms",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--alarm-names SecurityGroupChangesAlarm");
         EXPECT_EQ(in.strings("AlarmNames"),
                   (std::vector<std::string>{"SecurityGroupChangesAlarm"}));
       }},
      {"cloudwatch.GetMetricStatistics",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--namespace CISBenchmark --metric-name SecurityGroupEventCount");
         EXPECT_EQ(in.string("Namespace"), "CISBenchmark");
         EXPECT_EQ(in.string("MetricName"), "SecurityGroupEventCount");
         EXPECT_FROM_CLI("--start-time 2026-11-27T00:00:00Z --end-time 2026-11-27T01:00:00Z");
         EXPECT_EQ(in.timestamp("StartTime"), 1795737600);
         EXPECT_EQ(in.timestamp("EndTime"), 1795741200);
         EXPECT_FROM_CLI("--period 300 --statistics Sum");
         EXPECT_EQ(in.integer("Period"), 300);
         EXPECT_EQ(in.strings("Statistics"), (std::vector<std::string>{"Sum"}));
         EXPECT_FROM_CLI("--dimensions Name=LogGroup,Value=my-log-group");
         EXPECT_EQ(in.structs("Dimensions"),
                   (std::vector<Struct>{{{"Name", "LogGroup"}, {"Value", "my-log-group"}}}));
       }},
      {"cloudwatch.ListMetrics",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--namespace CISBenchmark");
         EXPECT_EQ(in.string("Namespace"), "CISBenchmark");
         EXPECT_TRUE(in.structs("Dimensions").empty());
       }},
      {"cloudwatch.PutMetricAlarm",
       [](const Input& in, const std::string& cli, std::size_t) {
         expect_alarm_basics(in, cli);
         EXPECT_FROM_CLI("--alarm-description 'Alert on security group changes'");
         EXPECT_EQ(in.string("AlarmDescription"), "Alert on security group changes");
         EXPECT_FROM_CLI("--period 300 --threshold 1 ");
         EXPECT_EQ(in.integer("Period"), 300);
         EXPECT_EQ(in.number("Threshold"), 1.0);
         EXPECT_FROM_CLI("--alarm-actions " + std::string(kTopicArn));
         EXPECT_EQ(in.strings("AlarmActions"), (std::vector<std::string>{std::string(kTopicArn)}));
         EXPECT_TRUE(in.structs("Dimensions").empty());
         EXPECT_EQ(in.boolean("ActionsEnabled"), std::nullopt);
       }},
      {"cloudwatch.PutMetricAlarm.dimensions",
       [](const Input& in, const std::string& cli, std::size_t) {
         expect_alarm_basics(in, cli);
         EXPECT_FROM_CLI("--period 300 --threshold 1.5 ");
         EXPECT_EQ(in.integer("Period"), 300);
         EXPECT_EQ(in.number("Threshold"), 1.5);
         EXPECT_FROM_CLI("--no-actions-enabled");
         EXPECT_EQ(in.boolean("ActionsEnabled"), false);
         EXPECT_FROM_CLI("--dimensions Name=LogGroup,Value=my-log-group Name=Env,Value=prod");
         EXPECT_EQ(in.structs("Dimensions"),
                   (std::vector<Struct>{{{"Name", "LogGroup"}, {"Value", "my-log-group"}},
                                        {{"Name", "Env"}, {"Value", "prod"}}}));
         EXPECT_FROM_CLI("--treat-missing-data notBreaching");
         EXPECT_EQ(in.string("TreatMissingData"), "notBreaching");
         const std::string other = "arn:aws:sns:us-west-2:123456789012:Other";
         EXPECT_FROM_CLI("--alarm-actions " + std::string(kTopicArn) + " " + other);
         EXPECT_EQ(in.strings("AlarmActions"),
                   (std::vector<std::string>{std::string(kTopicArn), other}));
         EXPECT_FROM_CLI("--tags Key=team,Value=sec");
         EXPECT_EQ(in.structs("Tags"), (std::vector<Struct>{{{"Key", "team"}, {"Value", "sec"}}}));
       }},
      {"cloudwatch.PutMetricAlarm.error-ValidationError",
       [](const Input& in, const std::string& cli, std::size_t) {
         expect_alarm_basics(in, cli);
         EXPECT_FROM_CLI("--period 7 --threshold 1 ");
         EXPECT_EQ(in.integer("Period"), 7);
         EXPECT_EQ(in.number("Threshold"), 1.0);
         EXPECT_TRUE(in.strings("AlarmActions").empty());
       }},
      {"cloudwatch.SetAlarmState",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--alarm-name SecurityGroupChangesAlarm --state-value ALARM");
         EXPECT_EQ(in.string("AlarmName"), "SecurityGroupChangesAlarm");
         EXPECT_EQ(in.string("StateValue"), "ALARM");
         EXPECT_FROM_CLI("--state-reason 'Testing alarm actions'");
         EXPECT_EQ(in.string("StateReason"), "Testing alarm actions");
       }},
      {"cloudwatch.SetAlarmState.error-ResourceNotFound",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--alarm-name NoSuchAlarm --state-value ALARM");
         EXPECT_EQ(in.string("AlarmName"), "NoSuchAlarm");
         EXPECT_EQ(in.string("StateValue"), "ALARM");
         EXPECT_EQ(in.string("StateReason"), "Testing alarm actions");
       }},
      {"ec2.DescribeSecurityGroups",
       [](const Input& in, const std::string&, std::size_t) { expect_no_input(in); }},
      {"ec2.DescribeSecurityGroups.error-AuthFailure",
       [](const Input& in, const std::string&, std::size_t) { expect_no_input(in); }},
      {"ec2.DescribeSecurityGroups.error-InvalidGroupNotFound",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--group-ids sg-0000000000000dead");
         EXPECT_EQ(in.strings("GroupId"), (std::vector<std::string>{"sg-0000000000000dead"}));
       }},
      {"ec2.DescribeSecurityGroups.filters",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--group-ids sg-0123456789abcdef0 sg-0fedcba9876543210");
         EXPECT_EQ(in.strings("GroupId"),
                   (std::vector<std::string>{"sg-0123456789abcdef0", "sg-0fedcba9876543210"}));
         // Filter.N.Name and Filter.N.Value.M: a flattened list of structures holding a
         // flattened list.
         EXPECT_FROM_CLI(
             "--filters Name=vpc-id,Values=vpc-0a1b2c3d "
             "Name=ip-permission.cidr,Values=0.0.0.0/0,::/0");
         auto filters = in.request().query.view().struct_list("Filter", ListStyle::kFlattened);
         ASSERT_TRUE(filters.ok()) << filters.error().message;
         ASSERT_EQ(filters->size(), 2u);
         EXPECT_EQ((*filters)[0].string("Name"), "vpc-id");
         auto values = (*filters)[0].string_list("Value", ListStyle::kFlattened);
         ASSERT_TRUE(values.ok());
         EXPECT_EQ(*values, (std::vector<std::string>{"vpc-0a1b2c3d"}));
         EXPECT_EQ((*filters)[1].string("Name"), "ip-permission.cidr");
         values = (*filters)[1].string_list("Value", ListStyle::kFlattened);
         ASSERT_TRUE(values.ok());
         EXPECT_EQ(*values, (std::vector<std::string>{"0.0.0.0/0", "::/0"}));
       }},
      {"logs.CreateLogGroup",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--log-group-name my-log-group");
         EXPECT_EQ(in.string("logGroupName"), "my-log-group");
       }},
      {"logs.CreateLogGroup.error-ResourceAlreadyExists",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--log-group-name my-log-group");
         EXPECT_EQ(in.string("logGroupName"), "my-log-group");
       }},
      {"logs.CreateLogStream",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--log-group-name my-log-group --log-stream-name my-stream");
         EXPECT_EQ(in.string("logGroupName"), "my-log-group");
         EXPECT_EQ(in.string("logStreamName"), "my-stream");
       }},
      {"logs.DeleteMetricFilter",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--log-group-name my-log-group --filter-name SecurityGroupEventCount");
         EXPECT_EQ(in.string("logGroupName"), "my-log-group");
         EXPECT_EQ(in.string("filterName"), "SecurityGroupEventCount");
       }},
      {"logs.DescribeMetricFilters",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--log-group-name my-log-group");
         EXPECT_EQ(in.string("logGroupName"), "my-log-group");
       }},
      {"logs.FilterLogEvents",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--log-group-name my-log-group");
         EXPECT_EQ(in.string("logGroupName"), "my-log-group");
         EXPECT_FROM_CLI(std::string(kSecurityGroupPattern));
         EXPECT_EQ(in.string("filterPattern"), std::string(kSecurityGroupPattern));
         EXPECT_FROM_CLI("--start-time 1795000000000");
         EXPECT_EQ(in.integer("startTime"), 1795000000000);
       }},
      {"logs.PutLogEvents",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--log-group-name my-log-group --log-stream-name my-stream");
         EXPECT_EQ(in.string("logGroupName"), "my-log-group");
         EXPECT_EQ(in.string("logStreamName"), "my-stream");
         const std::string first =
             R"({"eventName":"AuthorizeSecurityGroupIngress","eventSource":"ec2.amazonaws.com"})";
         const std::string second =
             R"({"eventName":"DescribeInstances","eventSource":"ec2.amazonaws.com"})";
         EXPECT_FROM_CLI(R"("timestamp":1795000000000)");
         EXPECT_FROM_CLI(R"("timestamp":1795000001000)");
         EXPECT_EQ(in.structs("logEvents"),
                   (std::vector<Struct>{{{"timestamp", "1795000000000"}, {"message", first}},
                                        {{"timestamp", "1795000001000"}, {"message", second}}}));
       }},
      {"logs.PutMetricFilter",
       [](const Input& in, const std::string& cli, std::size_t) {
         expect_put_metric_filter(in, cli, "my-log-group");
       }},
      {"logs.PutMetricFilter.error-InvalidSignature",
       [](const Input& in, const std::string& cli, std::size_t) {
         expect_put_metric_filter(in, cli, "my-log-group");
       }},
      {"logs.PutMetricFilter.error-ResourceNotFound",
       [](const Input& in, const std::string& cli, std::size_t) {
         expect_put_metric_filter(in, cli, "no-such-group");
       }},
      {"logs.TestMetricFilter",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI(std::string(kSecurityGroupPattern));
         EXPECT_EQ(in.string("filterPattern"), std::string(kSecurityGroupPattern));
         EXPECT_FROM_CLI(
             R"(--log-event-messages '{"eventName":"AuthorizeSecurityGroupIngress"}' '{"eventName":"DescribeInstances"}')");
         EXPECT_EQ(in.strings("logEventMessages"),
                   (std::vector<std::string>{R"({"eventName":"AuthorizeSecurityGroupIngress"})",
                                             R"({"eventName":"DescribeInstances"})"}));
       }},
      {"sns.ConfirmSubscription",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--topic-arn " + std::string(kTopicArn));
         EXPECT_EQ(in.string("TopicArn"), std::string(kTopicArn));
         EXPECT_FROM_CLI("--token 2336412f37fb687f5d51e6e2425f004aed9a4f1d");
         EXPECT_EQ(in.string("Token"), "2336412f37fb687f5d51e6e2425f004aed9a4f1d");
       }},
      {"sns.CreateTopic",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--name SecurityGroupChanges");
         EXPECT_EQ(in.string("Name"), "SecurityGroupChanges");
         EXPECT_TRUE(in.map("Attributes").empty());
       }},
      {"sns.CreateTopic.attributes-tags",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--name SecurityGroupChanges");
         EXPECT_EQ(in.string("Name"), "SecurityGroupChanges");
         EXPECT_FROM_CLI("--attributes DisplayName=SGChanges,KmsMasterKeyId=alias/aws/sns");
         EXPECT_EQ(in.map("Attributes"),
                   (std::vector<std::pair<std::string, std::string>>{
                       {"DisplayName", "SGChanges"}, {"KmsMasterKeyId", "alias/aws/sns"}}));
         EXPECT_FROM_CLI("--tags Key=team,Value=sec Key=cis,Value=4.10");
         EXPECT_EQ(in.structs("Tags"), (std::vector<Struct>{{{"Key", "team"}, {"Value", "sec"}},
                                                            {{"Key", "cis"}, {"Value", "4.10"}}}));
       }},
      {"sns.ListSubscriptionsByTopic",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--topic-arn " + std::string(kTopicArn));
         EXPECT_EQ(in.string("TopicArn"), std::string(kTopicArn));
       }},
      {"sns.ListTopics",
       [](const Input& in, const std::string&, std::size_t) { expect_no_input(in); }},
      {"sns.ListTopics.paginated",
       [](const Input& in, const std::string&, std::size_t request_index) {
         // The second request follows the first response's NextToken.
         if (request_index == 0) {
           expect_no_input(in);
         } else {
           EXPECT_EQ(in.string("NextToken"), "page-2-token");
         }
       }},
      {"sns.Publish",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--topic-arn " + std::string(kTopicArn));
         EXPECT_EQ(in.string("TopicArn"), std::string(kTopicArn));
         EXPECT_FROM_CLI("--subject 'Security group change'");
         EXPECT_EQ(in.string("Subject"), "Security group change");
         EXPECT_FROM_CLI("--message 'AuthorizeSecurityGroupIngress on sg-0123 & more'");
         EXPECT_EQ(in.string("Message"), "AuthorizeSecurityGroupIngress on sg-0123 & more");
         // A map with model names: MessageAttributes.entry.N.Name / .Value.<Field>.
         EXPECT_FROM_CLI(R"({"source":{"DataType":"String","StringValue":"cis-4.10"}})");
         auto attributes =
             in.request().query.view().struct_map("MessageAttributes", MapNames{"Name", "Value"});
         ASSERT_TRUE(attributes.ok()) << attributes.error().message;
         ASSERT_EQ(attributes->size(), 1u);
         EXPECT_EQ((*attributes)[0].first, "source");
         EXPECT_EQ((*attributes)[0].second.string("DataType"), "String");
         EXPECT_EQ((*attributes)[0].second.string("StringValue"), "cis-4.10");
       }},
      {"sns.Subscribe",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--topic-arn " + std::string(kTopicArn) +
                         " --protocol email --notification-endpoint my-email@example.com");
         EXPECT_EQ(in.string("TopicArn"), std::string(kTopicArn));
         EXPECT_EQ(in.string("Protocol"), "email");
         EXPECT_EQ(in.string("Endpoint"), "my-email@example.com");
       }},
      {"sns.Subscribe.error-NotFound",
       [](const Input& in, const std::string& cli, std::size_t) {
         EXPECT_FROM_CLI("--topic-arn arn:aws:sns:us-west-2:123456789012:NoSuchTopic");
         EXPECT_EQ(in.string("TopicArn"), "arn:aws:sns:us-west-2:123456789012:NoSuchTopic");
         EXPECT_EQ(in.string("Protocol"), "email");
         EXPECT_EQ(in.string("Endpoint"), "my-email@example.com");
       }},
      {"sns.Unsubscribe",
       [](const Input& in, const std::string& cli, std::size_t) {
         const std::string arn = std::string(kTopicArn) + ":0e5d7a8f-3c4b-4e2a-9f1d-6b7c8d9e0a1b";
         EXPECT_FROM_CLI("--subscription-arn " + arn);
         EXPECT_EQ(in.string("SubscriptionArn"), arn);
       }},
      {"sts.GetCallerIdentity",
       [](const Input& in, const std::string&, std::size_t) { expect_no_input(in); }},
      {"sts.GetCallerIdentity.error-InvalidClientTokenId",
       [](const Input& in, const std::string&, std::size_t) { expect_no_input(in); }},
      {"sts.GetCallerIdentity.session-token",
       [](const Input& in, const std::string&, std::size_t) { expect_no_input(in); }},
  };
  return table;
}

// The protocol the fixture names ("awsJson1_0 (awsQueryCompatible)" -> "awsJson1_0").
std::string fixture_protocol(const Fixture& f) {
  const std::string protocol = f.data.at("protocol").get<std::string>();
  return protocol.substr(0, protocol.find(' '));
}

TEST(WireFixtures, EveryRequestIsClassifiedVerifiedAndReadBack) {
  std::map<std::string, int> requests_per_version;
  StaticSecrets secrets;
  secrets.add(std::string(kAccessKey), std::string(kSecret));
  for (const Fixture& f : all_fixtures()) {
    const auto& requests = f.data.at("requests");
    for (std::size_t index = 0; index < requests.size(); ++index) {
      SCOPED_TRACE(version_label(f) + " " + f.base + " request " + std::to_string(index));
      const nlohmann::json& r = requests[index];
      const HttpRequest request = parse_raw(r.at("raw").get<std::string>());
      auto classified = classify_request(request);
      ASSERT_TRUE(classified.ok())
          << classified.error().error.code << ": " << classified.error().error.message;
      const WireRequest& wire = *classified;
      const ServiceInfo& info = service_info(wire.service);
      EXPECT_EQ(info.name, f.data.at("service").get<std::string>());
      EXPECT_EQ(protocol_name(wire.protocol), fixture_protocol(f));
      EXPECT_EQ(wire.operation, f.data.at("operation").get<std::string>());
      EXPECT_EQ(info.signing_name, r.at("sigv4").at("service").get<std::string>());
      EXPECT_EQ(signing_service(request), info.signing_name);
      EXPECT_EQ(wire.query_mode, f.cli_v1 && wire.service == Service::kCloudWatch);

      if (is_json(wire.protocol)) {
        EXPECT_TRUE(wire.query.empty());
        const nlohmann::json body =
            request.body.empty() ? nlohmann::json::object() : nlohmann::json::parse(request.body);
        EXPECT_EQ(wire.json, body);
      } else {
        // Decoding is exact: the parameters, encoded again in their order the way botocore
        // encodes them, give the body byte for byte.
        EXPECT_EQ(wire.version, info.query_version);
        QueryBuilder again;
        for (const QueryParam& param : wire.query.in_order()) again.add(param.name, param.value);
        EXPECT_EQ(again.body(), request.body);
      }

      // The signature verifies for the scope the classification implies.
      VerifyOptions options;
      options.region = "us-west-2";
      options.service = std::string(info.signing_name);
      options.protocol = auth_error_protocol(wire.protocol);
      const auto signed_at = parse_amz_date(*request.find_header("X-Amz-Date"));
      ASSERT_TRUE(signed_at.has_value());
      const auto verified = verify_request(request, secrets, *signed_at, options);
      EXPECT_TRUE(verified.ok()) << (verified.ok() ? "" : verified.error().message);

      const auto expectation = expectations().find(f.base);
      ASSERT_NE(expectation, expectations().end()) << "no expected input for " << f.base;
      expectation->second(Input(wire), f.data.at("cli_command").get<std::string>(), index);
      ++requests_per_version[version_label(f)];
    }
  }
  // Every fixture and request of both versions went through (43 requests each: 42 cases, one of
  // them paginated).
  EXPECT_GT(requests_per_version["cli-2.9.19"], 0);
  EXPECT_EQ(requests_per_version["cli-2.9.19"], requests_per_version["cli-1.45.11"]);
}

// The lists and maps of the query fixtures, read and written again with QueryBuilder, give back
// exactly the parameters they came from.
TEST(WireFixtures, ListsAndMapsRoundTrip) {
  int lists = 0;
  for (const Fixture& f : all_fixtures()) {
    for (const auto& r : f.data.at("requests")) {
      const HttpRequest request = parse_raw(r.at("raw").get<std::string>());
      auto wire = classify_request(request);
      ASSERT_TRUE(wire.ok());
      if (is_json(wire->protocol)) continue;
      SCOPED_TRACE(version_label(f) + " " + f.base);
      const ListStyle style =
          wire->protocol == Protocol::kEc2Query ? ListStyle::kFlattened : ListStyle::kMember;
      const QueryView in = wire->query.view();
      // The top-level names that hold lists or maps.
      std::set<std::string> containers;
      for (const QueryParam& param : wire->query.in_order()) {
        const std::size_t dot = param.name.find('.');
        if (dot != std::string::npos) containers.insert(param.name.substr(0, dot));
      }
      for (const std::string& name : containers) {
        QueryBuilder rebuilt;
        if (wire->query.find(name + ".entry.1.key") != nullptr) {
          auto map = in.string_map(name);
          ASSERT_TRUE(map.ok()) << map.error().message;
          rebuilt.add_map(name, *map);
        } else if (wire->query.find(name + ".entry.1.Name") != nullptr) {
          auto map = in.struct_map(name, MapNames{"Name", "Value"});
          ASSERT_TRUE(map.ok()) << map.error().message;
          std::size_t entry = 0;
          for (const auto& [key, value] : *map) {
            rebuilt.add(name + ".entry." + std::to_string(++entry) + ".Name", key);
            for (const std::string_view field : {"DataType", "StringValue"}) {
              if (auto text = value.string(field)) rebuilt.add(value.full_name(field), *text);
            }
          }
        } else if (wire->query.find(name + (style == ListStyle::kMember ? ".member.1" : ".1")) !=
                   nullptr) {
          auto list = in.string_list(name, style);
          ASSERT_TRUE(list.ok()) << list.error().message;
          rebuilt.add_list(name, *list, style);
        } else {
          // A list of structures: each element's fields in the order they were sent.
          auto list = in.struct_list(name, style);
          ASSERT_TRUE(list.ok()) << list.error().message;
          for (const QueryView& element : *list) {
            for (const QueryParam& param : wire->query.in_order()) {
              if (param.name.starts_with(element.prefix())) rebuilt.add(param.name, param.value);
            }
          }
        }
        QueryBuilder original;
        for (const QueryParam& param : wire->query.in_order()) {
          if (param.name.starts_with(name + ".")) original.add(param.name, param.value);
        }
        EXPECT_EQ(rebuilt.body(), original.body()) << name;
        ++lists;
      }
    }
  }
  EXPECT_GT(lists, 0);
}

// ---------------------------------------------------------------------------------------------
// Responses, rebuilt from structured values.

// The Response the CLI accepted, compared with ours:
//   kBytes     byte for byte, where the fixture's bytes are what AWS sends (our writers make the
//              same choices: indentation, compact JSON errors)
//   kParsed    as parsed documents: JSON successes (the fixtures used Python's json.dumps
//              spacing, AWS sends compact JSON), and XML whose text holds '"' (the fixture writes
//              it raw, AWS and we write &quot;)
//   kClientView  JSON errors compared as botocore reads them: the code after the last '#' and
//              the message from "message" or "Message" (CloudTrail's fixture uses "Message")
enum class Compare { kBytes, kParsed, kClientView };

struct Built {
  HttpResponse response;
  Compare compare = Compare::kBytes;
};

struct Dimension {
  std::string name;
  std::string value;
};

void write_dimensions(XmlWriter& xml, const std::vector<Dimension>& dimensions) {
  if (dimensions.empty()) {
    xml.empty("Dimensions");
    return;
  }
  xml.open("Dimensions");
  for (const Dimension& d : dimensions) {
    xml.open("member").element("Name", d.name).element("Value", d.value).close();
  }
  xml.close();
}

nlohmann::ordered_json json_dimensions(const std::vector<Dimension>& dimensions) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Dimension& d : dimensions) out.push_back({{"Name", d.name}, {"Value", d.value}});
  return out;
}

struct MetricAlarm {
  std::string name = "SecurityGroupChangesAlarm";
  std::string arn = "arn:aws:cloudwatch:us-west-2:123456789012:alarm:SecurityGroupChangesAlarm";
  std::string description = "Alert on security group changes";
  std::int64_t configuration_updated_ms = 1795809600000;
  bool actions_enabled = true;
  std::vector<std::string> ok_actions;
  std::vector<std::string> alarm_actions{std::string(kTopicArn)};
  std::vector<std::string> insufficient_data_actions;
  std::string state_value = "INSUFFICIENT_DATA";
  std::string state_reason = "Unchecked: Initial alarm creation";
  std::int64_t state_updated_ms = 1795809600000;
  std::string metric_name = "SecurityGroupEventCount";
  std::string metric_namespace = "CISBenchmark";
  std::string statistic = "Sum";
  std::vector<Dimension> dimensions;
  std::int64_t period = 300;
  std::int64_t evaluation_periods = 1;
  double threshold = 1.0;
  std::string comparison = "GreaterThanOrEqualToThreshold";
  std::int64_t state_transitioned_ms = 1795809600000;
};

void write_alarm(XmlWriter& xml, const MetricAlarm& a) {
  xml.open("member");
  xml.element("AlarmName", a.name).element("AlarmArn", a.arn);
  xml.element("AlarmDescription", a.description);
  xml.timestamp("AlarmConfigurationUpdatedTimestamp", a.configuration_updated_ms);
  xml.boolean("ActionsEnabled", a.actions_enabled);
  xml.list("OKActions", a.ok_actions).list("AlarmActions", a.alarm_actions);
  xml.list("InsufficientDataActions", a.insufficient_data_actions);
  xml.element("StateValue", a.state_value).element("StateReason", a.state_reason);
  xml.timestamp("StateUpdatedTimestamp", a.state_updated_ms);
  xml.element("MetricName", a.metric_name).element("Namespace", a.metric_namespace);
  xml.element("Statistic", a.statistic);
  write_dimensions(xml, a.dimensions);
  xml.integer("Period", a.period).integer("EvaluationPeriods", a.evaluation_periods);
  xml.number("Threshold", a.threshold).element("ComparisonOperator", a.comparison);
  xml.timestamp("StateTransitionedTimestamp", a.state_transitioned_ms);
  xml.close();
}

nlohmann::ordered_json json_alarm(const MetricAlarm& a) {
  return {{"AlarmName", a.name},
          {"AlarmArn", a.arn},
          {"AlarmDescription", a.description},
          {"AlarmConfigurationUpdatedTimestamp", a.configuration_updated_ms / 1000},
          {"ActionsEnabled", a.actions_enabled},
          {"OKActions", a.ok_actions},
          {"AlarmActions", a.alarm_actions},
          {"InsufficientDataActions", a.insufficient_data_actions},
          {"StateValue", a.state_value},
          {"StateReason", a.state_reason},
          {"StateUpdatedTimestamp", a.state_updated_ms / 1000},
          {"MetricName", a.metric_name},
          {"Namespace", a.metric_namespace},
          {"Statistic", a.statistic},
          {"Dimensions", json_dimensions(a.dimensions)},
          {"Period", a.period},
          {"EvaluationPeriods", a.evaluation_periods},
          {"Threshold", a.threshold},
          {"ComparisonOperator", a.comparison},
          {"StateTransitionedTimestamp", a.state_transitioned_ms / 1000}};
}

struct HistoryItem {
  std::string alarm_name = "SecurityGroupChangesAlarm";
  std::string alarm_type = "MetricAlarm";
  std::int64_t timestamp_ms = 1795809900000;
  std::string item_type = "StateUpdate";
  std::string summary = "Alarm updated from INSUFFICIENT_DATA to ALARM";
  std::string data =
      R"({"version":"1.0","oldState":{"stateValue":"INSUFFICIENT_DATA"},"newState":{"stateValue":"ALARM"}})";
};

struct Datapoint {
  std::int64_t timestamp_ms;
  double sum;
  std::string unit;
};

const std::vector<Datapoint> kDatapoints = {{1795737900000, 2.0, "None"},
                                            {1795737600000, 1.0, "None"}};

// CloudWatch's answers: awsQuery XML for CLI 2.9.19, awsJson1_0 for 1.45.11, from the same values.
Built cloudwatch_success(const Fixture& f, std::string_view operation, bool has_result,
                         const std::function<void(XmlWriter&)>& xml_result,
                         const nlohmann::ordered_json& json_result) {
  if (f.cli_v1) {
    const nlohmann::json body =
        json_result.is_null() ? nlohmann::json() : nlohmann::json::parse(json_text(json_result));
    return {json_success_response(Protocol::kAwsJson1_0, body, kQueryRequestId),
            json_result.is_null() || json_result.empty() ? Compare::kBytes : Compare::kParsed};
  }
  QueryResponseWriter writer(operation, service_info(Service::kCloudWatch).xml_namespace,
                             has_result);
  if (xml_result) xml_result(writer.xml());
  return {success_response(Protocol::kAwsQuery, writer.finish(kQueryRequestId), kQueryRequestId)};
}

Built cloudwatch_error(const Fixture& f, const WireError& error) {
  return {error_response(error, f.cli_v1 ? Protocol::kAwsJson1_0 : Protocol::kAwsQuery,
                         kQueryRequestId, Service::kCloudWatch)};
}

Built query_success(Service service, std::string_view operation,
                    const std::function<void(XmlWriter&)>& result) {
  QueryResponseWriter writer(operation, service_info(service).xml_namespace, bool(result));
  if (result) result(writer.xml());
  return {success_response(Protocol::kAwsQuery, writer.finish(kQueryRequestId), kQueryRequestId)};
}

Built json_success(Protocol protocol, const nlohmann::ordered_json& body) {
  const nlohmann::json plain =
      body.is_null() ? nlohmann::json() : nlohmann::json::parse(json_text(body));
  return {json_success_response(protocol, plain, kJsonRequestId),
          body.is_null() ? Compare::kBytes : Compare::kParsed};
}

struct IpPermission {
  std::string protocol;
  std::optional<std::int64_t> from_port;
  std::optional<std::int64_t> to_port;
  std::vector<std::string> cidrs;
};

void write_permissions(XmlWriter& xml, std::string_view name,
                       const std::vector<IpPermission>& permissions) {
  xml.open(name);
  for (const IpPermission& p : permissions) {
    xml.open("item").element("ipProtocol", p.protocol);
    if (p.from_port) xml.integer("fromPort", *p.from_port);
    if (p.to_port) xml.integer("toPort", *p.to_port);
    xml.empty("groups").open("ipRanges");
    for (const std::string& cidr : p.cidrs) xml.open("item").element("cidrIp", cidr).close();
    xml.close().empty("ipv6Ranges").empty("prefixListIds").close();
  }
  xml.close();
}

Built describe_security_groups(std::string_view request_id) {
  Ec2ResponseWriter writer("DescribeSecurityGroups", service_info(Service::kEc2).xml_namespace,
                           request_id);
  XmlWriter& xml = writer.xml();
  xml.open("securityGroupInfo").open("item");
  xml.element("ownerId", "123456789012").element("groupId", "sg-0123456789abcdef0");
  xml.element("groupName", "web").element("groupDescription", "web servers");
  xml.element("vpcId", "vpc-0a1b2c3d");
  write_permissions(xml, "ipPermissions", {{"tcp", 22, 22, {"0.0.0.0/0"}}});
  write_permissions(xml, "ipPermissionsEgress",
                    {{"-1", std::nullopt, std::nullopt, {"0.0.0.0/0"}}});
  xml.open("tagSet").open("item").element("key", "Name").element("value", "web").close().close();
  return {success_response(Protocol::kEc2Query, writer.finish(), request_id)};
}

// The fixture's request with a signature the server cannot accept: verified with a wrong secret
// (or no known key), the verifier's own error is what the response carries.
AuthError auth_failure_of(const Fixture& f, Protocol protocol, bool unknown_key) {
  const HttpRequest request = parse_raw(f.data.at("requests").at(0).at("raw").get<std::string>());
  StaticSecrets secrets;
  if (!unknown_key) secrets.add(std::string(kAccessKey), "not-the-secret");
  VerifyOptions options;
  options.protocol = auth_error_protocol(protocol);
  const auto verified = verify_request(
      request, secrets, *parse_amz_date(*request.find_header("X-Amz-Date")), options);
  EXPECT_FALSE(verified.ok());
  return verified.ok() ? AuthError{} : verified.error();
}

using Builder = std::function<Built(const Fixture& f, std::size_t request_index)>;

const std::map<std::string, Builder>& builders() {
  const auto topic = std::string(kTopicArn);
  static const std::map<std::string, Builder> table = {
      {"cloudtrail.DescribeTrails",
       [](const Fixture&, std::size_t) {
         return json_success(Protocol::kAwsJson1_1,
                             {{"trailList",
                               {{{"Name", "management-events"},
                                 {"S3BucketName", "aws-cloudtrail-logs-123456789012"},
                                 {"IncludeGlobalServiceEvents", true},
                                 {"IsMultiRegionTrail", true},
                                 {"HomeRegion", "us-west-2"},
                                 {"TrailARN", std::string(kTrailArn)},
                                 {"LogFileValidationEnabled", true},
                                 {"CloudWatchLogsLogGroupArn",
                                  "arn:aws:logs:us-west-2:123456789012:log-group:my-log-group:*"},
                                 {"CloudWatchLogsRoleArn",
                                  "arn:aws:iam::123456789012:role/CloudTrail_CloudWatchLogs_Role"},
                                 {"HasCustomEventSelectors", false},
                                 {"HasInsightSelectors", false},
                                 {"IsOrganizationTrail", false}}}}});
       }},
      {"cloudtrail.GetEventSelectors",
       [](const Fixture&, std::size_t) {
         return json_success(
             Protocol::kAwsJson1_1,
             {{"TrailARN", std::string(kTrailArn)},
              {"EventSelectors",
               {{{"ReadWriteType", "All"},
                 {"IncludeManagementEvents", true},
                 {"DataResources", nlohmann::ordered_json::array()},
                 {"ExcludeManagementEventSources", nlohmann::ordered_json::array()}}}}});
       }},
      {"cloudtrail.GetTrailStatus",
       [](const Fixture&, std::size_t) {
         return json_success(Protocol::kAwsJson1_1,
                             {{"IsLogging", true},
                              {"LatestDeliveryTime", 1795000000.123},
                              {"StartLoggingTime", 1794000000.0},
                              {"LatestCloudWatchLogsDeliveryTime", 1795000100.5},
                              {"LatestDigestDeliveryTime", 1795000200},
                              {"LatestDeliveryAttemptTime", "2026-11-18T11:06:40Z"},
                              {"LatestNotificationAttemptTime", ""},
                              {"LatestNotificationAttemptSucceeded", ""},
                              {"LatestDeliveryAttemptSucceeded", "2026-11-18T11:06:40Z"},
                              {"TimeLoggingStarted", "2026-11-06T21:20:00Z"},
                              {"TimeLoggingStopped", ""}});
       }},
      {"cloudtrail.GetTrailStatus.error-TrailNotFound",
       [](const Fixture&, std::size_t) {
         WireError error{"TrailNotFoundException",
                         "Unknown trail: no-such-trail for the user: 123456789012", 400,
                         "com.amazonaws.cloudtrail.v20131101#TrailNotFoundException"};
         return Built{
             error_response(error, Protocol::kAwsJson1_1, kJsonRequestId, Service::kCloudTrail),
             Compare::kClientView};
       }},
      {"cloudwatch.DeleteAlarms",
       [](const Fixture& f, std::size_t) {
         // No output: an empty body over JSON (as the fixture), the bare envelope over XML.
         return cloudwatch_success(f, "DeleteAlarms", false, nullptr, nullptr);
       }},
      {"cloudwatch.DescribeAlarmHistory",
       [](const Fixture& f, std::size_t) {
         const HistoryItem item;
         Built built = cloudwatch_success(
             f, "DescribeAlarmHistory", true,
             [&](XmlWriter& xml) {
               xml.open("AlarmHistoryItems").open("member");
               xml.element("AlarmName", item.alarm_name).element("AlarmType", item.alarm_type);
               xml.timestamp("Timestamp", item.timestamp_ms);
               xml.element("HistoryItemType", item.item_type);
               xml.element("HistorySummary", item.summary).element("HistoryData", item.data);
             },
             {{"AlarmHistoryItems",
               {{{"AlarmName", item.alarm_name},
                 {"AlarmType", item.alarm_type},
                 {"Timestamp", item.timestamp_ms / 1000},
                 {"HistoryItemType", item.item_type},
                 {"HistorySummary", item.summary},
                 {"HistoryData", item.data}}}}});
         // HistoryData holds '"': we write &quot; where the fixture has raw quotes.
         built.compare = Compare::kParsed;
         return built;
       }},
      {"cloudwatch.DescribeAlarms",
       [](const Fixture& f, std::size_t) {
         const MetricAlarm alarm;
         return cloudwatch_success(f, "DescribeAlarms", true,
                                   [&](XmlWriter& xml) {
                                     xml.open("MetricAlarms");
                                     write_alarm(xml, alarm);
                                     xml.close().empty("CompositeAlarms");
                                   },
                                   {{"MetricAlarms", {json_alarm(alarm)}},
                                    {"CompositeAlarms", nlohmann::ordered_json::array()}});
       }},
      {"cloudwatch.GetMetricStatistics",
       [](const Fixture& f, std::size_t) {
         nlohmann::ordered_json points = nlohmann::ordered_json::array();
         for (const Datapoint& p : kDatapoints) {
           points.push_back(
               {{"Timestamp", p.timestamp_ms / 1000}, {"Sum", p.sum}, {"Unit", p.unit}});
         }
         return cloudwatch_success(
             f, "GetMetricStatistics", true,
             [](XmlWriter& xml) {
               xml.element("Label", "SecurityGroupEventCount").open("Datapoints");
               for (const Datapoint& p : kDatapoints) {
                 xml.open("member").timestamp("Timestamp", p.timestamp_ms,
                                              TimestampFormat::kSeconds);
                 xml.number("Sum", p.sum).element("Unit", p.unit).close();
               }
             },
             {{"Label", "SecurityGroupEventCount"}, {"Datapoints", points}});
       }},
      {"cloudwatch.ListMetrics",
       [](const Fixture& f, std::size_t) {
         return cloudwatch_success(f, "ListMetrics", true,
                                   [](XmlWriter& xml) {
                                     xml.open("Metrics").open("member");
                                     xml.element("Namespace", "CISBenchmark");
                                     xml.element("MetricName", "SecurityGroupEventCount");
                                     write_dimensions(xml, {});
                                   },
                                   {{"Metrics",
                                     {{{"Namespace", "CISBenchmark"},
                                       {"MetricName", "SecurityGroupEventCount"},
                                       {"Dimensions", nlohmann::ordered_json::array()}}}}});
       }},
      {"cloudwatch.PutMetricAlarm",
       [](const Fixture& f, std::size_t) {
         return cloudwatch_success(f, "PutMetricAlarm", false, nullptr,
                                   nlohmann::ordered_json::object());
       }},
      {"cloudwatch.PutMetricAlarm.dimensions",
       [](const Fixture& f, std::size_t) {
         return cloudwatch_success(f, "PutMetricAlarm", false, nullptr,
                                   nlohmann::ordered_json::object());
       }},
      {"cloudwatch.PutMetricAlarm.error-ValidationError",
       [](const Fixture& f, std::size_t) {
         return cloudwatch_error(f,
                                 validation_error("Period must be 10, 20, 30 or a multiple of 60"));
       }},
      {"cloudwatch.SetAlarmState",
       [](const Fixture& f, std::size_t) {
         return cloudwatch_success(f, "SetAlarmState", false, nullptr,
                                   nlohmann::ordered_json::object());
       }},
      {"cloudwatch.SetAlarmState.error-ResourceNotFound",
       [](const Fixture& f, std::size_t) {
         return cloudwatch_error(
             f, WireError{"ResourceNotFound", "Alarm NoSuchAlarm not found", 404, ""});
       }},
      {"ec2.DescribeSecurityGroups",
       [](const Fixture&, std::size_t) {
         return describe_security_groups("5f1c3c5e-0000-4000-8000-000000000003");
       }},
      {"ec2.DescribeSecurityGroups.filters",
       [](const Fixture&, std::size_t) {
         return describe_security_groups("5f1c3c5e-0000-4000-8000-000000000003");
       }},
      {"ec2.DescribeSecurityGroups.error-AuthFailure",
       [](const Fixture& f, std::size_t) {
         const AuthError auth = auth_failure_of(f, Protocol::kEc2Query, false);
         return Built{error_response(from_auth_error(auth, Protocol::kEc2Query),
                                     Protocol::kEc2Query, "5f1c3c5e-0000-4000-8000-000000000005",
                                     Service::kEc2)};
       }},
      {"ec2.DescribeSecurityGroups.error-InvalidGroupNotFound",
       [](const Fixture&, std::size_t) {
         const WireError error{"InvalidGroup.NotFound",
                               "The security group 'sg-0000000000000dead' does not exist", 400, ""};
         return Built{error_response(error, Protocol::kEc2Query,
                                     "5f1c3c5e-0000-4000-8000-000000000004", Service::kEc2)};
       }},
      {"logs.CreateLogGroup",
       [](const Fixture&, std::size_t) { return json_success(Protocol::kAwsJson1_1, nullptr); }},
      {"logs.CreateLogGroup.error-ResourceAlreadyExists",
       [](const Fixture&, std::size_t) {
         const WireError error{"ResourceAlreadyExistsException",
                               "The specified log group already exists", 400,
                               "com.amazonaws.logs#ResourceAlreadyExistsException"};
         return Built{error_response(error, Protocol::kAwsJson1_1, kJsonRequestId, Service::kLogs)};
       }},
      {"logs.CreateLogStream",
       [](const Fixture&, std::size_t) { return json_success(Protocol::kAwsJson1_1, nullptr); }},
      {"logs.DeleteMetricFilter",
       [](const Fixture&, std::size_t) { return json_success(Protocol::kAwsJson1_1, nullptr); }},
      {"logs.DescribeMetricFilters",
       [](const Fixture&, std::size_t) {
         return json_success(Protocol::kAwsJson1_1,
                             {{"metricFilters",
                               {{{"filterName", "SecurityGroupEventCount"},
                                 {"filterPattern", std::string(kSecurityGroupPattern)},
                                 {"metricTransformations",
                                  {{{"metricName", "SecurityGroupEventCount"},
                                    {"metricNamespace", "CISBenchmark"},
                                    {"metricValue", "1"}}}},
                                 {"creationTime", 1795000000000},
                                 {"logGroupName", "my-log-group"}}}}});
       }},
      {"logs.FilterLogEvents",
       [](const Fixture&, std::size_t) {
         return json_success(
             Protocol::kAwsJson1_1,
             {{"events",
               {{{"logStreamName", "my-stream"},
                 {"timestamp", 1795000000000},
                 {"message",
                  R"({"eventName":"AuthorizeSecurityGroupIngress","eventSource":"ec2.amazonaws.com"})"},
                 {"ingestionTime", 1795000000500},
                 {"eventId", "37134448277055111952026231138549883963542325493919240192"}}}},
              {"searchedLogStreams",
               {{{"logStreamName", "my-stream"}, {"searchedCompletely", true}}}}});
       }},
      {"logs.PutLogEvents",
       [](const Fixture&, std::size_t) {
         Built built = json_success(
             Protocol::kAwsJson1_1,
             {{"nextSequenceToken", "49039859616000000000000000000000000000000000000000000002"}});
         built.compare = Compare::kBytes;  // the fixture happens to be compact here
         return built;
       }},
      {"logs.PutMetricFilter",
       [](const Fixture&, std::size_t) { return json_success(Protocol::kAwsJson1_1, nullptr); }},
      {"logs.PutMetricFilter.error-InvalidSignature",
       [](const Fixture& f, std::size_t) {
         const AuthError auth = auth_failure_of(f, Protocol::kAwsJson1_1, false);
         return Built{error_response(from_auth_error(auth, Protocol::kAwsJson1_1),
                                     Protocol::kAwsJson1_1, kJsonRequestId, Service::kLogs)};
       }},
      {"logs.PutMetricFilter.error-ResourceNotFound",
       [](const Fixture&, std::size_t) {
         const WireError error{"ResourceNotFoundException",
                               "The specified log group does not exist.", 400, ""};
         return Built{error_response(error, Protocol::kAwsJson1_1, kJsonRequestId, Service::kLogs)};
       }},
      {"logs.TestMetricFilter",
       [](const Fixture&, std::size_t) {
         return json_success(
             Protocol::kAwsJson1_1,
             {{"matches",
               {{{"eventNumber", 1},
                 {"eventMessage", R"({"eventName":"AuthorizeSecurityGroupIngress"})"},
                 {"extractedValues", nlohmann::ordered_json::object()}}}}});
       }},
      {"sns.ConfirmSubscription",
       [topic](const Fixture&, std::size_t) {
         return query_success(Service::kSns, "ConfirmSubscription", [&](XmlWriter& xml) {
           xml.element("SubscriptionArn", topic + ":0e5d7a8f-3c4b-4e2a-9f1d-6b7c8d9e0a1b");
         });
       }},
      {"sns.CreateTopic",
       [topic](const Fixture&, std::size_t) {
         return query_success(Service::kSns, "CreateTopic",
                              [&](XmlWriter& xml) { xml.element("TopicArn", topic); });
       }},
      {"sns.CreateTopic.attributes-tags",
       [topic](const Fixture&, std::size_t) {
         return query_success(Service::kSns, "CreateTopic",
                              [&](XmlWriter& xml) { xml.element("TopicArn", topic); });
       }},
      {"sns.ListSubscriptionsByTopic",
       [topic](const Fixture&, std::size_t) {
         struct Subscription {
           std::string arn, endpoint;
         };
         const std::vector<Subscription> subscriptions = {
             {topic + ":0e5d7a8f-3c4b-4e2a-9f1d-6b7c8d9e0a1b", "my-email@example.com"},
             {"PendingConfirmation", "other@example.com"}};
         return query_success(Service::kSns, "ListSubscriptionsByTopic", [&](XmlWriter& xml) {
           xml.open("Subscriptions");
           for (const Subscription& s : subscriptions) {
             xml.open("member").element("TopicArn", topic).element("Protocol", "email");
             xml.element("SubscriptionArn", s.arn).element("Owner", "123456789012");
             xml.element("Endpoint", s.endpoint).close();
           }
         });
       }},
      {"sns.ListTopics",
       [topic](const Fixture&, std::size_t) {
         return query_success(Service::kSns, "ListTopics", [&](XmlWriter& xml) {
           xml.open("Topics").open("member").element("TopicArn", topic).close().close();
         });
       }},
      {"sns.ListTopics.paginated",
       [topic](const Fixture&, std::size_t request_index) {
         return query_success(Service::kSns, "ListTopics", [&](XmlWriter& xml) {
           const std::string arn =
               request_index == 0 ? topic : "arn:aws:sns:us-west-2:123456789012:Other";
           xml.open("Topics").open("member").element("TopicArn", arn).close().close();
           if (request_index == 0) xml.element("NextToken", "page-2-token");
         });
       }},
      {"sns.Publish",
       [](const Fixture&, std::size_t) {
         return query_success(Service::kSns, "Publish", [](XmlWriter& xml) {
           xml.element("MessageId", "95df01b4-ee98-5cb9-9903-4c221d41eb5e");
         });
       }},
      {"sns.Subscribe",
       [](const Fixture&, std::size_t) {
         return query_success(Service::kSns, "Subscribe", [](XmlWriter& xml) {
           xml.element("SubscriptionArn", "pending confirmation");
         });
       }},
      {"sns.Subscribe.error-NotFound",
       [](const Fixture&, std::size_t) {
         return Built{error_response(WireError{"NotFound", "Topic does not exist", 404, ""},
                                     Protocol::kAwsQuery, kQueryRequestId, Service::kSns)};
       }},
      {"sns.Unsubscribe",
       [](const Fixture&, std::size_t) {
         return query_success(Service::kSns, "Unsubscribe", nullptr);
       }},
      {"sts.GetCallerIdentity",
       [](const Fixture&, std::size_t) {
         return query_success(Service::kSts, "GetCallerIdentity", [](XmlWriter& xml) {
           xml.element("Arn", "arn:aws:iam::123456789012:user/auditor");
           xml.element("UserId", "AIDAEXAMPLEUSERID0001").element("Account", "123456789012");
         });
       }},
      {"sts.GetCallerIdentity.session-token",
       [](const Fixture&, std::size_t) {
         return query_success(Service::kSts, "GetCallerIdentity", [](XmlWriter& xml) {
           xml.element("Arn", "arn:aws:sts::123456789012:assumed-role/Auditor/session1");
           xml.element("UserId", "AROAEXAMPLEROLEID0001:session1");
           xml.element("Account", "123456789012");
         });
       }},
      {"sts.GetCallerIdentity.error-InvalidClientTokenId",
       [](const Fixture& f, std::size_t) {
         const AuthError auth = auth_failure_of(f, Protocol::kAwsQuery, true);
         return Built{error_response(from_auth_error(auth, Protocol::kAwsQuery),
                                     Protocol::kAwsQuery, kQueryRequestId, Service::kSts)};
       }},
  };
  return table;
}

// A canonical form of an XML document for comparisons "as parsed": no declaration, no
// whitespace-only text between elements, <a/> as <a></a>, entities and character references
// decoded (then written back with the minimal escapes).
std::string canonical_xml(std::string_view xml) {
  std::string out;
  std::size_t at = 0;
  const auto decode = [](std::string_view text) {
    std::string decoded;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '&') {
        decoded += text[i];
        continue;
      }
      const std::size_t semi = text.find(';', i);
      const std::string_view entity = text.substr(i + 1, semi - i - 1);
      if (entity == "amp")
        decoded += '&';
      else if (entity == "lt")
        decoded += '<';
      else if (entity == "gt")
        decoded += '>';
      else if (entity == "quot")
        decoded += '"';
      else if (entity == "apos")
        decoded += '\'';
      else if (entity.starts_with("#x")) {
        core::append_utf8(decoded, static_cast<std::uint32_t>(
                                       std::stoul(std::string(entity.substr(2)), nullptr, 16)));
      } else if (entity.starts_with("#")) {
        core::append_utf8(decoded,
                          static_cast<std::uint32_t>(std::stoul(std::string(entity.substr(1)))));
      } else {
        ADD_FAILURE() << "unknown entity &" << entity << ";";
      }
      i = semi;
    }
    return decoded;
  };
  while (at < xml.size()) {
    if (xml[at] == '<') {
      const std::size_t end = xml.find('>', at);
      std::string_view tag = xml.substr(at + 1, end - at - 1);
      at = end + 1;
      if (tag.starts_with("?")) continue;
      if (tag.ends_with("/")) {
        tag.remove_suffix(1);
        const std::string_view name = tag.substr(0, tag.find(' '));
        out += "<" + std::string(tag) + "></" + std::string(name) + ">";
      } else {
        out += "<" + std::string(tag) + ">";
      }
      continue;
    }
    const std::size_t next = std::min(xml.find('<', at), xml.size());
    const std::string_view text = xml.substr(at, next - at);
    at = next;
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) continue;
    out += xml_escape(decode(text));
  }
  return out;
}

// botocore's view of an awsJson error: the code after the last '#' (before any ':'), and the
// message from "message" or "Message".
std::pair<std::string, std::string> client_view(const std::string& body) {
  const nlohmann::json json = nlohmann::json::parse(body);
  std::string code = json.value("__type", "");
  code = code.substr(0, code.find(':'));
  code = code.substr(code.rfind('#') + 1);
  const std::string message =
      json.contains("message") ? json.value("message", "") : json.value("Message", "");
  return {code, message};
}

TEST(WireFixtures, EveryResponseIsRebuiltWithTheWriters) {
  std::map<std::string, std::map<Compare, int>> counts;
  for (const Fixture& f : all_fixtures()) {
    const auto builder = builders().find(f.base);
    ASSERT_NE(builder, builders().end()) << "no response builder for " << f.base;
    const auto& requests = f.data.at("requests");
    for (std::size_t index = 0; index < requests.size(); ++index) {
      SCOPED_TRACE(version_label(f) + " " + f.base + " response " + std::to_string(index));
      const nlohmann::json& expected = requests[index].at("response");
      const Built built = builder->second(f, index);
      const HttpResponse& ours = built.response;
      EXPECT_EQ(ours.status, expected.at("status").get<int>());
      // Every header the fixture sent, but Content-Length (the HTTP server's), with its value.
      for (const auto& header : expected.at("headers")) {
        const std::string name = header.at(0).get<std::string>();
        const std::string value = header.at(1).get<std::string>();
        if (header_name_equals(name, "Content-Length")) {
          EXPECT_EQ(std::stoul(value), expected.at("body").get<std::string>().size());
          continue;
        }
        const std::string* mine = ours.find_header(name);
        ASSERT_NE(mine, nullptr) << "missing header " << name;
        EXPECT_EQ(*mine, value) << name;
      }
      const std::string body = expected.at("body").get<std::string>();
      switch (built.compare) {
        case Compare::kBytes:
          EXPECT_EQ(ours.body, body);
          break;
        case Compare::kParsed:
          if (body.starts_with("<")) {
            EXPECT_NE(ours.body, body) << "byte-identical: compare kBytes instead";
            EXPECT_EQ(canonical_xml(ours.body), canonical_xml(body));
          } else {
            EXPECT_EQ(nlohmann::json::parse(ours.body), nlohmann::json::parse(body));
          }
          break;
        case Compare::kClientView:
          EXPECT_EQ(client_view(ours.body), client_view(body));
          break;
      }
      ++counts[version_label(f)][built.compare];
    }
  }
  for (auto& [version, by_mode] : counts) {
    std::printf(
        "[ wire     ] %s: %d responses byte-exact, %d parsed-equal, %d as the client reads them\n",
        version.c_str(), by_mode[Compare::kBytes], by_mode[Compare::kParsed],
        by_mode[Compare::kClientView]);
  }
  EXPECT_EQ(counts.size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// The query parser

core::Result<QueryParams, WireError> parse(std::string_view body, const QueryLimits& limits = {}) {
  return QueryParams::parse(body, limits);
}

void expect_error(const WireError& error, std::string_view code, int status,
                  std::string_view fragment) {
  EXPECT_EQ(error.code, code) << error.message;
  EXPECT_EQ(error.http_status, status);
  EXPECT_NE(error.message.find(fragment), std::string::npos)
      << "'" << error.message << "' does not name " << fragment;
}

TEST(QueryParams, DecodesPercentEscapesAndPlus) {
  auto params = parse("Action=Publish&Message=a+b%26c%2Fd%3D%e2%82%ac&Empty=&Bare&&Subject=%41");
  ASSERT_TRUE(params.ok()) << params.error().message;
  const QueryView in = params->view();
  EXPECT_EQ(in.string("Message"), "a b&c/d=\xE2\x82\xAC");
  EXPECT_EQ(in.string("Empty"), "");
  EXPECT_EQ(in.string("Bare"), "");
  EXPECT_EQ(in.string("Subject"), "A");
  EXPECT_EQ(in.string("Missing"), std::nullopt);
  ASSERT_EQ(params->size(), 5u);
  EXPECT_EQ(params->in_order()[1].name, "Message");
}

TEST(QueryParams, MalformedBodiesAreRefused) {
  struct Case {
    std::string body;
    std::string code;
    int status;
    std::string fragment;
  };
  const std::vector<Case> cases = {
      {"Action=Publish&Message=100%", "MalformedQueryString", 404, "'%'"},
      {"Action=Publish&Message=%4", "MalformedQueryString", 404, "'%4'"},
      {"Action=Publish&Message=%G1", "MalformedQueryString", 404, "Message"},
      {"Act%zzion=Publish", "MalformedQueryString", 404, "byte 3"},
      {"Action=Publish&Action=Subscribe", "MalformedQueryString", 404, "Action appears more"},
      {"Action=Publish&%41ction=Subscribe", "MalformedQueryString", 404, "Action appears more"},
      {"=value", "MalformedQueryString", 404, "without a name"},
      {"Action=Publish&Message=%FF%FE", "MalformedQueryString", 404, "not valid UTF-8"},
      {"Action=Publish&Message=%ED%A0%80", "MalformedQueryString", 404, "not valid UTF-8"},
      {"%C0%AF=x", "MalformedQueryString", 404, "not valid UTF-8"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    auto params = parse(c.body);
    ASSERT_FALSE(params.ok());
    expect_error(params.error(), c.code, c.status, c.fragment);
  }
}

TEST(QueryParams, LimitsAreErrorsNotCrashes) {
  QueryLimits limits;
  limits.max_bytes = 64;
  limits.max_parameters = 3;
  limits.max_name_bytes = 8;
  auto too_long = parse(std::string(65, 'a'), limits);
  ASSERT_FALSE(too_long.ok());
  expect_error(too_long.error(), "RequestEntityTooLarge", 413, "at most 64");
  auto too_many = parse("a=1&b=2&c=3&d=4", limits);
  ASSERT_FALSE(too_many.ok());
  expect_error(too_many.error(), "RequestEntityTooLarge", 413, "more than 3");
  auto long_name = parse("abcdefghi=1", limits);
  ASSERT_FALSE(long_name.ok());
  expect_error(long_name.error(), "MalformedQueryString", 404, "longer than 8");
  EXPECT_TRUE(parse("abcdefgh=1&b=2&c=3", limits).ok());
  // Fifty thousand list members under the default limits.
  std::string big;
  for (int i = 1; i <= 50000; ++i) big += "AlarmNames.member." + std::to_string(i) + "=x&";
  auto many = parse(big);
  ASSERT_TRUE(many.ok()) << many.error().message;
  auto list = many->view().string_list("AlarmNames");
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->size(), 50000u);
}

TEST(QueryParams, ScalarsAreTyped) {
  auto params = parse(
      "Period=300&Negative=-12&Big=9223372036854775807&Over=9223372036854775808&Fraction=1.5&"
      "Plus=%2B1&Dash=-&Threshold=1.0&Exp=-2.5e3&Word=abc&Huge=1e999&"
      "On=true&Off=FALSE&Yes=yes&Start=2026-11-27T00%3A00%3A00Z&Milli=2026-11-27T00%3A00%3A00.123Z&"
      "Offset=2026-11-27T00%3A00%3A00%2B00%3A00&Local=2026-11-27T00%3A00%3A00%2B02%3A00&Epoch="
      "1795737600");
  ASSERT_TRUE(params.ok()) << params.error().message;
  const QueryView in = params->view();
  EXPECT_EQ(*in.integer("Period"), 300);
  EXPECT_EQ(*in.integer("Negative"), -12);
  EXPECT_EQ(*in.integer("Big"), INT64_MAX);
  EXPECT_EQ(*in.integer("Missing"), std::nullopt);
  for (const char* bad : {"Over", "Fraction", "Plus", "Dash", "Word"}) {
    auto value = in.integer(bad);
    ASSERT_FALSE(value.ok()) << bad;
    expect_error(value.error(), "InvalidParameterValue", 400, bad);
  }
  EXPECT_EQ(*in.number("Threshold"), 1.0);
  EXPECT_EQ(*in.number("Period"), 300.0);
  EXPECT_EQ(*in.number("Exp"), -2500.0);
  EXPECT_FALSE(in.number("Word").ok());
  EXPECT_FALSE(in.number("Huge").ok());
  EXPECT_EQ(*in.boolean("On"), true);
  EXPECT_EQ(*in.boolean("Off"), false);
  EXPECT_FALSE(in.boolean("Yes").ok());
  EXPECT_EQ(*in.timestamp("Start"), 1795737600);
  EXPECT_EQ(*in.timestamp("Milli"), 1795737600);
  EXPECT_EQ(*in.timestamp("Offset"), 1795737600);
  EXPECT_FALSE(in.timestamp("Local").ok());
  EXPECT_FALSE(in.timestamp("Epoch").ok());
  auto required = in.required_integer("EvaluationPeriods");
  ASSERT_FALSE(required.ok());
  expect_error(required.error(), "MissingParameter", 400,
               "The request must contain the parameter EvaluationPeriods.");
  EXPECT_EQ(*in.required_string("Word"), "abc");
  EXPECT_FALSE(in.required_string("Nope").ok());
  EXPECT_EQ(*in.required_number("Threshold"), 1.0);
  EXPECT_EQ(*in.required_boolean("On"), true);
  EXPECT_EQ(*in.required_timestamp("Start"), 1795737600);
  EXPECT_FALSE(in.required_boolean("Yes").ok());
}

TEST(QueryParams, ListsAreNumberedFromOneWithoutGaps) {
  std::string body;
  for (int i = 12; i >= 1; --i)
    body += "AlarmNames.member." + std::to_string(i) + "=a" + std::to_string(i) + "&";
  auto params = parse(body + "Empty=&Scalar=x");
  ASSERT_TRUE(params.ok());
  const QueryView in = params->view();
  auto names = in.string_list("AlarmNames");
  ASSERT_TRUE(names.ok()) << names.error().message;
  ASSERT_EQ(names->size(), 12u);
  EXPECT_EQ((*names)[1], "a2");  // by number, not by text ("10" < "2")
  EXPECT_EQ((*names)[11], "a12");
  EXPECT_TRUE(in.string_list("Empty")->empty());
  EXPECT_TRUE(in.string_list("Absent")->empty());
  EXPECT_TRUE(in.has("AlarmNames"));
  EXPECT_TRUE(in.has("Empty"));
  EXPECT_FALSE(in.has("Alarm"));
  auto scalar = in.string_list("Scalar");
  ASSERT_FALSE(scalar.ok());
  expect_error(scalar.error(), "MalformedQueryString", 404, "Scalar.member.N");

  struct Case {
    std::string body;
    std::string fragment;
  };
  const std::vector<Case> bad = {
      {"L.member.1=a&L.member.3=c", "L.member.2 is missing"},
      {"L.member.2=b", "L.member.1 is missing"},
      {"L.member.0=a", "invalid member number '0'"},
      {"L.member.01=a", "invalid member number '01'"},
      {"L.member.x=a", "invalid member number 'x'"},
      {"L.member.=a", "invalid member number ''"},
      {"L.member.100001=a", "invalid member number '100001'"},
      {"L.member.99999999999999999999=a", "invalid member number"},
      {"L.member.1=a&L.member.1.Name=b", "L.member.1.Name is not expected"},
  };
  for (const Case& c : bad) {
    SCOPED_TRACE(c.body);
    auto p = parse(c.body);
    ASSERT_TRUE(p.ok());
    auto list = p->view().string_list("L");
    ASSERT_FALSE(list.ok());
    expect_error(list.error(), "MalformedQueryString", 404, c.fragment);
  }
}

TEST(QueryParams, ListsOfStructuresAndNestedViews) {
  auto params = parse(
      "Dimensions.member.2.Name=Env&Dimensions.member.1.Name=LogGroup&"
      "Dimensions.member.1.Value=my-log-group&Dimensions.member.2.Value=prod&"
      "Bad.member.1=x&Gap.member.1.Name=a&Gap.member.3.Name=c");
  ASSERT_TRUE(params.ok());
  auto dimensions = params->view().struct_list("Dimensions");
  ASSERT_TRUE(dimensions.ok()) << dimensions.error().message;
  ASSERT_EQ(dimensions->size(), 2u);
  EXPECT_EQ((*dimensions)[0].prefix(), "Dimensions.member.1.");
  EXPECT_EQ((*dimensions)[0].string("Name"), "LogGroup");
  EXPECT_EQ((*dimensions)[1].string("Value"), "prod");
  auto missing = (*dimensions)[1].required_string("Unit");
  ASSERT_FALSE(missing.ok());
  expect_error(missing.error(), "MissingParameter", 400, "Dimensions.member.2.Unit");
  auto bad = params->view().struct_list("Bad");
  ASSERT_FALSE(bad.ok());
  expect_error(bad.error(), "MalformedQueryString", 404, "Bad.member.1 is not expected");
  auto gap = params->view().struct_list("Gap");
  ASSERT_FALSE(gap.ok());
  expect_error(gap.error(), "MalformedQueryString", 404, "Gap.member.2 is missing");
}

TEST(QueryParams, Ec2FlattenedLists) {
  auto params = parse(
      "Action=DescribeSecurityGroups&Version=2016-11-15&GroupId.2=sg-b&GroupId.1=sg-a&"
      "Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1&Filter.2.Name=group-name&"
      "Filter.2.Value.2=y&Filter.2.Value.1=x&Filter.3.Name=tag-key");
  ASSERT_TRUE(params.ok());
  const QueryView in = params->view();
  EXPECT_EQ(*in.string_list("GroupId", ListStyle::kFlattened),
            (std::vector<std::string>{"sg-a", "sg-b"}));
  auto filters = in.struct_list("Filter", ListStyle::kFlattened);
  ASSERT_TRUE(filters.ok()) << filters.error().message;
  ASSERT_EQ(filters->size(), 3u);
  EXPECT_EQ(*(*filters)[1].string_list("Value", ListStyle::kFlattened),
            (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE((*filters)[2].string_list("Value", ListStyle::kFlattened)->empty());
  auto gap = parse("GroupId.1=a&GroupId.3=c");
  ASSERT_TRUE(gap.ok());
  auto list = gap->view().string_list("GroupId", ListStyle::kFlattened);
  ASSERT_FALSE(list.ok());
  expect_error(list.error(), "MalformedQueryString", 404, "GroupId.2 is missing");
}

TEST(QueryParams, Maps) {
  auto params = parse(
      "Attributes.entry.2.key=KmsMasterKeyId&Attributes.entry.2.value=alias%2Faws%2Fsns&"
      "Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=SGChanges&"
      "MessageAttributes.entry.1.Name=source&MessageAttributes.entry.1.Value.DataType=String&"
      "MessageAttributes.entry.1.Value.StringValue=cis&"
      "NoKey.entry.1.value=v&NoValue.entry.1.key=k&"
      "Twice.entry.1.key=a&Twice.entry.1.value=1&Twice.entry.2.key=a&Twice.entry.2.value=2&"
      "Deep.entry.1.key=a&Deep.entry.1.value.x=1&Deep.entry.1.value=2");
  ASSERT_TRUE(params.ok());
  const QueryView in = params->view();
  auto attributes = in.string_map("Attributes");
  ASSERT_TRUE(attributes.ok()) << attributes.error().message;
  EXPECT_EQ(*attributes, (std::vector<std::pair<std::string, std::string>>{
                             {"DisplayName", "SGChanges"}, {"KmsMasterKeyId", "alias/aws/sns"}}));
  auto message_attributes = in.struct_map("MessageAttributes", MapNames{"Name", "Value"});
  ASSERT_TRUE(message_attributes.ok()) << message_attributes.error().message;
  ASSERT_EQ(message_attributes->size(), 1u);
  EXPECT_EQ((*message_attributes)[0].first, "source");
  EXPECT_EQ((*message_attributes)[0].second.prefix(), "MessageAttributes.entry.1.Value.");
  EXPECT_EQ((*message_attributes)[0].second.string("DataType"), "String");
  auto no_key = in.string_map("NoKey");
  ASSERT_FALSE(no_key.ok());
  expect_error(no_key.error(), "MalformedQueryString", 404, "NoKey.entry.1.key is missing");
  auto no_value = in.string_map("NoValue");
  ASSERT_FALSE(no_value.ok());
  expect_error(no_value.error(), "MalformedQueryString", 404, "NoValue.entry.1.value is missing");
  auto twice = in.string_map("Twice");
  ASSERT_FALSE(twice.ok());
  expect_error(twice.error(), "InvalidParameterValue", 400, "Twice.entry.2.key");
  auto deep = in.string_map("Deep");
  ASSERT_FALSE(deep.ok());
  expect_error(deep.error(), "MalformedQueryString", 404, "Deep.entry.1.value.x");
  EXPECT_TRUE(in.string_map("Absent")->empty());
}

TEST(QueryParams, BuilderEncodesLikeBotocoreAndRoundTrips) {
  EXPECT_EQ(form_encode("a b/c:d@e~f-g_h.i&j=k+l%\xE2\x82\xAC"),
            "a+b%2Fc%3Ad%40e~f-g_h.i%26j%3Dk%2Bl%25%E2%82%AC");
  const std::vector<std::string> actions = {"arn:a", "arn:b"};
  const std::vector<std::pair<std::string, std::string>> attributes = {{"DisplayName", "x y"}};
  QueryBuilder builder;
  builder.add("Action", "PutMetricAlarm").add_list("AlarmActions", actions);
  builder.add_list("OKActions", {}).add_list("GroupId", actions, ListStyle::kFlattened);
  builder.add_list("Nothing", {}, ListStyle::kFlattened).add_map("Attributes", attributes);
  EXPECT_EQ(builder.body(),
            "Action=PutMetricAlarm&AlarmActions.member.1=arn%3Aa&AlarmActions.member.2=arn%3Ab&"
            "OKActions=&GroupId.1=arn%3Aa&GroupId.2=arn%3Ab&Attributes.entry.1.key=DisplayName&"
            "Attributes.entry.1.value=x+y");
  auto params = parse(builder.body());
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(*params->view().string_list("AlarmActions"), actions);
  EXPECT_TRUE(params->view().string_list("OKActions")->empty());
  EXPECT_EQ(*params->view().string_list("GroupId", ListStyle::kFlattened), actions);
  EXPECT_EQ(*params->view().string_map("Attributes"), attributes);
}

// ---------------------------------------------------------------------------------------------
// The XML writer

TEST(XmlWriter, EscapesWhatXmlNeeds) {
  EXPECT_EQ(xml_escape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e'f");
  EXPECT_EQ(xml_escape("a\"'b", XmlEscape::kAttribute), "a&quot;'b");
  EXPECT_EQ(xml_escape("tab\tline\ncr\r"), "tab\tline\ncr&#xD;");
  EXPECT_EQ(xml_escape("tab\tline\ncr\r", XmlEscape::kAttribute), "tab&#x9;line&#xA;cr&#xD;");
  // Characters XML 1.0 cannot carry, even as references, become U+FFFD.
  EXPECT_EQ(xml_escape(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(xml_escape("\x01\x08\x0B\x0C\x1F"),
            replacement + replacement + replacement + replacement + replacement);
  EXPECT_EQ(xml_escape("\xEF\xBF\xBE|\xEF\xBF\xBF"), "\xEF\xBF\xBD|\xEF\xBF\xBD");
  // Bad UTF-8: one U+FFFD per byte that starts no valid sequence.
  EXPECT_EQ(xml_escape("a\xFF"
                       "b\xC3"),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  EXPECT_EQ(xml_escape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  // Valid text passes as it is: DEL, C1 controls, BMP and astral characters.
  EXPECT_EQ(xml_escape("\x7F\xC2\x85\xE2\x82\xAC\xF0\x9F\x98\x80"),
            "\x7F\xC2\x85\xE2\x82\xAC\xF0\x9F\x98\x80");
  EXPECT_EQ(xml_escape("]]>"), "]]&gt;");
}

TEST(XmlWriter, NumbersAndTimesAsAwsWritesThem) {
  const std::vector<std::pair<double, std::string>> doubles = {
      {1.0, "1.0"},
      {1.5, "1.5"},
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {-2.5, "-2.5"},
      {300.0, "300.0"},
      {0.001, "0.001"},
      {0.0001, "1.0E-4"},
      {1e7, "1.0E7"},
      {9999999.0, "9999999.0"},
      {123456789.0, "1.23456789E8"},
      {0.1, "0.1"},
      {1.0 / 3, "0.3333333333333333"},
      {1e300, "1.0E300"},
  };
  for (const auto& [value, text] : doubles) EXPECT_EQ(format_aws_double(value), text) << text;
  EXPECT_EQ(format_aws_double(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(format_aws_double(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(format_aws_timestamp(1795809600000), "2026-11-27T20:00:00.000Z");
  EXPECT_EQ(format_aws_timestamp(1795809600123), "2026-11-27T20:00:00.123Z");
  EXPECT_EQ(format_aws_timestamp(1795809600123, TimestampFormat::kSeconds), "2026-11-27T20:00:00Z");
  EXPECT_EQ(format_aws_timestamp(-1), "1969-12-31T23:59:59.999Z");
}

TEST(XmlWriter, StructureIndentationAndEnvelopes) {
  XmlWriter xml;
  xml.open("Root", "xmlns", "urn:a&b").open("Empty").close();
  xml.list("None", {}).list("Some", std::vector<std::string>{"x<y"});
  xml.map("Map", std::vector<std::pair<std::string, std::string>>{{"k", "v"}});
  xml.boolean("On", true).integer("N", -3).element("Text", "").open("Open");
  EXPECT_EQ(xml.depth(), 2u);
  EXPECT_EQ(
      xml.finish(),
      "<Root xmlns=\"urn:a&amp;b\">\n  <Empty/>\n  <None/>\n  <Some>\n    <member>x&lt;y</member>\n"
      "  </Some>\n  <Map>\n    <entry>\n      <key>k</key>\n      <value>v</value>\n"
      "    </entry>\n  </Map>\n  <On>true</On>\n  <N>-3</N>\n  <Text></Text>\n  <Open/>\n"
      "</Root>\n");
  XmlWriter compact(XmlWriterOptions{0, true});
  compact.open("A").element("B", "1").list("C", std::vector<std::string>{"2"}, "item");
  EXPECT_EQ(compact.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<A><B>1</B><C><item>2</item></C></A>\n");
  QueryResponseWriter query("CreateTopic", "");
  query.xml().element("TopicArn", "arn");
  EXPECT_EQ(query.finish("id"),
            "<CreateTopicResponse>\n  <CreateTopicResult>\n    <TopicArn>arn</TopicArn>\n"
            "  </CreateTopicResult>\n  <ResponseMetadata>\n    <RequestId>id</RequestId>\n"
            "  </ResponseMetadata>\n</CreateTopicResponse>\n");
}

// ---------------------------------------------------------------------------------------------
// Error envelopes

TEST(WireErrors, EveryProtocolsEnvelope) {
  const WireError error{"LimitExceeded", "Too <many> & more", 400, "LimitExceededFault"};
  const HttpResponse query =
      error_response(error, Protocol::kAwsQuery, "rid", Service::kCloudWatch);
  EXPECT_EQ(query.status, 400);
  EXPECT_EQ(*query.find_header("Content-Type"), "text/xml");
  EXPECT_EQ(*query.find_header("x-amzn-RequestId"), "rid");
  EXPECT_EQ(query.body,
            "<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">\n"
            "  <Error>\n    <Type>Sender</Type>\n    <Code>LimitExceeded</Code>\n"
            "    <Message>Too &lt;many&gt; &amp; more</Message>\n  </Error>\n"
            "  <RequestId>rid</RequestId>\n</ErrorResponse>\n");
  const HttpResponse json =
      error_response(error, Protocol::kAwsJson1_0, "rid", Service::kCloudWatch);
  EXPECT_EQ(
      json.body,
      R"({"__type":"com.amazonaws.cloudwatch#LimitExceededFault","message":"Too <many> & more"})");
  EXPECT_EQ(*json.find_header("x-amzn-query-error"), "LimitExceeded;Sender");
  EXPECT_EQ(*json.find_header("x-amzn-ErrorType"), "LimitExceeded");
  EXPECT_EQ(*json.find_header("Content-Type"), "application/x-amz-json-1.0");
  const HttpResponse logs =
      error_response(WireError{"InvalidParameterException", "bad \"x\"\n", 400, ""},
                     Protocol::kAwsJson1_1, "rid", Service::kLogs);
  EXPECT_EQ(logs.body, R"({"__type":"InvalidParameterException","message":"bad \"x\"\n"})");
  EXPECT_EQ(logs.find_header("x-amzn-query-error"), nullptr);
  const HttpResponse internal = error_response(internal_failure("boom"), Protocol::kAwsQuery, "r");
  EXPECT_EQ(internal.status, 500);
  EXPECT_NE(internal.body.find("<Type>Receiver</Type>"), std::string::npos);
  EXPECT_TRUE(internal.body.starts_with("<ErrorResponse>\n")) << "no service, no xmlns";
  const HttpResponse ec2 = error_response(missing_parameter("GroupId"), Protocol::kEc2Query, "r");
  EXPECT_EQ(ec2.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>"
            "MissingParameter</Code><Message>The request must contain the parameter GroupId."
            "</Message></Error></Errors><RequestID>r</RequestID></Response>\n");
  // Invalid UTF-8 in a message never breaks a body.
  const WireError bad_utf8{"X", "a\xFF", 400, ""};
  EXPECT_EQ(json_error_body(bad_utf8, ""), "{\"__type\":\"X\",\"message\":\"a\xEF\xBF\xBD\"}");
  EXPECT_NE(query_error_body(bad_utf8, "", "r").find("a\xEF\xBF\xBD"), std::string::npos);
}

TEST(WireErrors, AuthErrorsPerProtocol) {
  const AuthError unknown = make_auth_error(
      AuthFailure::kUnknownAccessKey, "The security token included in the request is invalid.",
      ErrorProtocol::kJson);
  EXPECT_EQ(from_auth_error(unknown, Protocol::kAwsJson1_1).code, "UnrecognizedClientException");
  const WireError ec2 = from_auth_error(unknown, Protocol::kEc2Query);
  EXPECT_EQ(ec2.code, "AuthFailure");
  EXPECT_EQ(ec2.http_status, 401);
  const AuthError incomplete =
      make_auth_error(AuthFailure::kIncompleteSignature, "m", ErrorProtocol::kQuery);
  EXPECT_EQ(from_auth_error(incomplete, Protocol::kEc2Query).code, "IncompleteSignature");
  EXPECT_EQ(auth_error_protocol(Protocol::kAwsJson1_0), ErrorProtocol::kJson);
  EXPECT_EQ(auth_error_protocol(Protocol::kEc2Query), ErrorProtocol::kQuery);
}

// ---------------------------------------------------------------------------------------------
// Classification

HttpRequest make_request(std::vector<Header> headers, std::string body, std::string query = {}) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers = std::move(headers);
  request.body = std::move(body);
  request.query = std::move(query);
  return request;
}

Header scope(std::string_view service) {
  return {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-west-2/" +
                               std::string(service) +
                               "/aws4_request, SignedHeaders=host, Signature=00"};
}

const Header kForm{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"};

TEST(WireRequest, JsonTargets) {
  auto logs = classify_request(make_request({{"X-Amz-Target", "Logs_20140328.CreateLogGroup"},
                                             {"Content-Type", "application/x-amz-json-1.1"}},
                                            R"({"logGroupName": "g"})"));
  ASSERT_TRUE(logs.ok());
  EXPECT_EQ(logs->service, Service::kLogs);
  EXPECT_EQ(logs->protocol, Protocol::kAwsJson1_1);
  EXPECT_EQ(logs->json.at("logGroupName"), "g");
  auto empty =
      classify_request(make_request({{"X-Amz-Target", "Logs_20140328.DescribeLogGroups"}}, ""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->json, nlohmann::json::object());

  struct Case {
    std::vector<Header> headers;
    std::string body;
    std::string code;
    Protocol protocol;
    std::optional<Service> service;
  };
  const std::vector<Case> cases = {
      {{{"X-Amz-Target", "Logs_20140328.DeleteEverything"}},
       "{}",
       "UnknownOperationException",
       Protocol::kAwsJson1_1,
       Service::kLogs},
      {{{"X-Amz-Target", "GraniteServiceVersion20100801.Nope"}},
       "{}",
       "UnknownOperationException",
       Protocol::kAwsJson1_0,
       Service::kCloudWatch},
      {{{"X-Amz-Target", "DynamoDB_20120810.GetItem"},
        {"Content-Type", "application/x-amz-json-1.0"}},
       "{}",
       "UnknownOperationException",
       Protocol::kAwsJson1_0,
       std::nullopt},
      {{{"X-Amz-Target", "NoDot"}, scope("logs")},
       "{}",
       "UnknownOperationException",
       Protocol::kAwsJson1_1,
       Service::kLogs},
      {{{"X-Amz-Target", "Logs_20140328.CreateLogGroup"}},
       "{\"a\":",
       "SerializationException",
       Protocol::kAwsJson1_1,
       Service::kLogs},
      {{{"X-Amz-Target", "Logs_20140328.CreateLogGroup"}},
       "[1]",
       "SerializationException",
       Protocol::kAwsJson1_1,
       Service::kLogs},
      {{{"X-Amz-Target", "Logs_20140328.CreateLogGroup"}},
       "{\"a\":\"\xFF\"}",
       "SerializationException",
       Protocol::kAwsJson1_1,
       Service::kLogs},
      {{{"X-Amz-Target", "Logs_20140328.CreateLogGroup"}},
       std::string(200000, '['),
       "SerializationException",
       Protocol::kAwsJson1_1,
       Service::kLogs},
      {{{"Content-Type", "application/x-amz-json-1.1"}},
       "{}",
       "UnknownOperationException",
       Protocol::kAwsJson1_1,
       std::nullopt},
      {{{"smithy-protocol", "rpc-v2-cbor"}, scope("monitoring")},
       "",
       "UnknownOperationException",
       Protocol::kAwsJson1_0,
       Service::kCloudWatch},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.headers.front().value + " " + c.body.substr(0, 20));
    auto result = classify_request(make_request(c.headers, c.body));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().error.code, c.code) << result.error().error.message;
    EXPECT_EQ(result.error().protocol, c.protocol);
    EXPECT_EQ(result.error().service, c.service);
  }
  // Nesting at the limit still parses; one level more is refused before the recursive parser.
  WireLimits limits;
  limits.max_json_depth = 3;
  limits.max_json_bytes = 32;
  auto too_big = classify_request(
      make_request({{"X-Amz-Target", "Logs_20140328.PutLogEvents"}}, std::string(33, ' ')), limits);
  ASSERT_FALSE(too_big.ok());
  expect_error(too_big.error().error, "RequestEntityTooLarge", 413, "at most 32");
  EXPECT_TRUE(classify_request(make_request({{"X-Amz-Target", "Logs_20140328.PutLogEvents"}},
                                            R"({"a":[{"b":"[[[["}]})"),
                               limits)
                  .ok());
  EXPECT_FALSE(classify_request(make_request({{"X-Amz-Target", "Logs_20140328.PutLogEvents"}},
                                             R"({"a":[{"b":[]}]})"),
                                limits)
                   .ok());
}

TEST(WireRequest, QueryActionsVersionsAndScopes) {
  struct Case {
    std::vector<Header> headers;
    std::string body;
    Service service;
    Protocol protocol;
  };
  const std::vector<Case> good = {
      {{kForm}, "Action=Publish&Version=2010-03-31", Service::kSns, Protocol::kAwsQuery},
      {{kForm},
       "Action=DescribeSecurityGroups&Version=2016-11-15",
       Service::kEc2,
       Protocol::kEc2Query},
      // No Version: the scope decides ...
      {{kForm, scope("monitoring")},
       "Action=TagResource",
       Service::kCloudWatch,
       Protocol::kAwsQuery},
      {{kForm, scope("sns")}, "Action=TagResource", Service::kSns, Protocol::kAwsQuery},
      // ... or an Action only one service has.
      {{kForm}, "Action=PutMetricAlarm", Service::kCloudWatch, Protocol::kAwsQuery},
      // Version wins over a scope that disagrees (the verifier then refuses the scope).
      {{kForm, scope("sns")},
       "Action=ListMetrics&Version=2010-08-01",
       Service::kCloudWatch,
       Protocol::kAwsQuery},
      // Without Content-Type, and as a GET with the parameters in the URL.
      {{}, "Action=GetCallerIdentity&Version=2011-06-15", Service::kSts, Protocol::kAwsQuery},
  };
  for (const Case& c : good) {
    SCOPED_TRACE(c.body);
    auto result = classify_request(make_request(c.headers, c.body));
    ASSERT_TRUE(result.ok()) << result.error().error.message;
    EXPECT_EQ(result->service, c.service);
    EXPECT_EQ(result->protocol, c.protocol);
  }
  auto get = classify_request(make_request({}, "", "Action=ListTopics&Version=2010-03-31"));
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->service, Service::kSns);
  EXPECT_EQ(get->operation, "ListTopics");

  struct Bad {
    std::vector<Header> headers;
    std::string body;
    std::string code;
    Protocol protocol;
    std::optional<Service> service;
    std::string fragment;
  };
  const std::vector<Bad> bad = {
      {{kForm}, "Version=2010-03-31", "MissingAction", Protocol::kAwsQuery, std::nullopt, "Action"},
      {{kForm},
       "Action=Nope&Version=2010-03-31",
       "InvalidAction",
       Protocol::kAwsQuery,
       Service::kSns,
       "Could not find operation Nope for version 2010-03-31"},
      {{kForm, scope("ec2")},
       "Action=Publish&Version=1999-01-01",
       "InvalidAction",
       Protocol::kEc2Query,
       Service::kEc2,
       "version 1999-01-01"},
      {{kForm},
       "Action=TagResource",
       "MissingParameter",
       Protocol::kAwsQuery,
       std::nullopt,
       "Version"},
      {{kForm},
       "Action=Frobnicate",
       "MissingParameter",
       Protocol::kAwsQuery,
       std::nullopt,
       "Version"},
      {{kForm, scope("sns")},
       "Action=Publish&Message=%ZZ",
       "MalformedQueryString",
       Protocol::kAwsQuery,
       Service::kSns,
       "'%ZZ'"},
      {{kForm, scope("logs")},
       "Action=Publish&Action=Publish",
       "MalformedQueryString",
       Protocol::kAwsQuery,
       std::nullopt,
       "more than once"},
      {{kForm, scope("monitoring")},
       "Action=DescribeTrails&Version=2010-08-01",
       "InvalidAction",
       Protocol::kAwsQuery,
       Service::kCloudWatch,
       "DescribeTrails"},
  };
  for (const Bad& c : bad) {
    SCOPED_TRACE(c.body);
    auto result = classify_request(make_request(c.headers, c.body));
    ASSERT_FALSE(result.ok());
    expect_error(result.error().error, c.code, result.error().error.http_status, c.fragment);
    EXPECT_EQ(result.error().protocol, c.protocol);
    EXPECT_EQ(result.error().service, c.service);
    // Every failure can be answered.
    const HttpResponse answer = error_response(result.error(), "rid");
    EXPECT_GE(answer.status, 400);
    EXPECT_FALSE(answer.body.empty());
  }
}

TEST(WireRequest, HelpersAndTables) {
  EXPECT_EQ(media_type(" Application/X-WWW-Form-Urlencoded ; charset=utf-8"),
            "application/x-www-form-urlencoded");
  EXPECT_EQ(json_nesting_depth(R"({"a":"[{\"[","b":[[]]})", 10), 3u);
  EXPECT_EQ(json_nesting_depth("[[[", 2), std::nullopt);
  EXPECT_EQ(signing_service(make_request({scope("monitoring")}, "")), "monitoring");
  EXPECT_EQ(signing_service(make_request(
                {}, "", "X-Amz-Credential=AKID%2F20261127%2Fus-west-2%2Fsns%2Faws4_request")),
            "sns");
  EXPECT_EQ(signing_service(make_request({{"Authorization", "garbage"}}, "")), "");
  for (const ServiceInfo& info : all_services()) {
    SCOPED_TRACE(info.name);
    EXPECT_EQ(&service_info(info.service), &info);
    EXPECT_TRUE(std::is_sorted(info.operations.begin(), info.operations.end()));
    EXPECT_FALSE(info.operations.empty());
    EXPECT_EQ(service_by_signing_name(info.signing_name), info.service);
    if (!info.query_version.empty()) {
      EXPECT_EQ(service_by_query_version(info.query_version), info.service);
    }
    if (!info.json_target_prefix.empty()) {
      EXPECT_EQ(service_by_target_prefix(info.json_target_prefix), info.service);
    }
  }
  EXPECT_EQ(protocol_name(Protocol::kEc2Query), "ec2");
  EXPECT_EQ(success_response(Protocol::kEc2Query, "x", "id").find_header("x-amzn-RequestId"),
            nullptr);
  EXPECT_EQ(json_success_response(Protocol::kAwsJson1_1, nlohmann::json(), "id").body, "");
  EXPECT_EQ(json_success_response(Protocol::kAwsJson1_1, nlohmann::json::object(), "id").body,
            "{}");
}

}  // namespace
}  // namespace sgwatch::aws
