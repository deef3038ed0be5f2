// The outgoing AWS client over its real libcurl transport against moto_server on 127.0.0.1 (every
// service at one --endpoint-url, as the AWS CLI does it): STS GetCallerIdentity, SNS CreateTopic
// and every page of ListTopics, EC2 DescribeSecurityGroups, CloudWatch DescribeAlarms, CloudWatch
// Logs metric filters (JSON 1.1, paged), CloudTrail DescribeTrails, Security Hub (REST-JSON), the
// services' errors, and the failures of a port nobody listens on (retried, then a network error;
// the instance metadata service failing fast). The transport alone against tests/servers/
// http_sink.py: headers exactly as given, methods, response headers, TLS verification, timeouts
// and the response cap.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <set>

#include "aws/client.h"
#include "support/servers.h"
#include "support/temp_dir.h"

namespace sgwatch::aws {
namespace {

using namespace std::chrono_literals;

class AwsClientMoto : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { moto_ = std::make_unique<sgwatch::testing::MotoServer>(); }
  static void TearDownTestSuite() { moto_.reset(); }

  static Client client() {
    ClientOptions options;
    options.region = "us-east-1";
    options.endpoint_url = moto_->endpoint_url();
    options.credentials = Credentials{"AKIDEXAMPLE", "secret", ""};
    options.timeout = 10000ms;
    return Client(options, make_curl_transport());
  }

  static std::unique_ptr<sgwatch::testing::MotoServer> moto_;
};

std::unique_ptr<sgwatch::testing::MotoServer> AwsClientMoto::moto_;

// A port on 127.0.0.1 that refuses connections (free_port binds one and closes it again).
int closed_port() {
  return sgwatch::testing::free_port();
}

TEST_F(AwsClientMoto, StsCallerIdentity) {
  Client aws = client();
  const auto identity = aws.query("sts", "GetCallerIdentity", "2011-06-15", {});
  ASSERT_TRUE(identity) << identity.error().describe();
  const pugi::xml_node result = query_result(**identity, "GetCallerIdentity");
  ASSERT_TRUE(result);
  EXPECT_EQ(xml_text(result, "Account"), "123456789012");
  EXPECT_FALSE(xml_text(result, "Arn").empty());
}

TEST_F(AwsClientMoto, SnsTopicsOverEveryPage) {
  Client aws = client();
  std::set<std::string> created;
  for (int i = 0; i < 120; ++i) {  // moto pages ListTopics by 100
    const auto topic = aws.query("sns", "CreateTopic", "2010-03-31",
                                 {{"Name", "sgwatch-client-" + std::to_string(i)}});
    ASSERT_TRUE(topic) << topic.error().describe();
    const std::string arn = xml_text(query_result(**topic, "CreateTopic"), "TopicArn");
    ASSERT_EQ(arn, "arn:aws:sns:us-east-1:123456789012:sgwatch-client-" + std::to_string(i));
    created.insert(arn);
  }
  const auto pages = aws.query_all("sns", "ListTopics", "2010-03-31", {});
  ASSERT_TRUE(pages) << pages.error().describe();
  EXPECT_GE(pages->size(), 2u);
  std::set<std::string> listed;
  for (const XmlDocument& page : *pages) {
    for (const pugi::xml_node& arn : xml_all(page->document_element(), "TopicArn")) {
      listed.insert(xml_own_text(arn));
    }
  }
  for (const std::string& arn : created) EXPECT_EQ(listed.count(arn), 1u) << arn;

  const auto missing =
      aws.query("sns", "GetTopicAttributes", "2010-03-31",
                {{"TopicArn", "arn:aws:sns:us-east-1:123456789012:no-such-topic"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, AwsError::Kind::kService);
  EXPECT_EQ(missing.error().http_status, 404);
  EXPECT_EQ(missing.error().code, "NotFound");
  EXPECT_EQ(missing.error().attempts, 1);
}

TEST_F(AwsClientMoto, Ec2SecurityGroupsAndCloudWatchAlarms) {
  Client aws = client();
  const auto groups =
      aws.query_all("ec2", "DescribeSecurityGroups", "2016-11-15",
                    {{"Filter.1.Name", "group-name"}, {"Filter.1.Value.1", "default"}});
  ASSERT_TRUE(groups) << groups.error().describe();
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ(xml_text((*groups)[0]->document_element(), "groupName"), "default");

  const auto bad_group = aws.query("ec2", "DescribeSecurityGroups", "2016-11-15",
                                   {{"GroupId.1", "sg-0000000000000dead"}});
  ASSERT_FALSE(bad_group);
  EXPECT_EQ(bad_group.error().code, "InvalidGroup.NotFound");
  EXPECT_EQ(bad_group.error().http_status, 400);

  const auto put = aws.query("cloudwatch", "PutMetricAlarm", "2010-08-01",
                             {{"AlarmName", "sg-changes"},
                              {"MetricName", "SecurityGroupEventCount"},
                              {"Namespace", "CISBenchmark"},
                              {"Statistic", "Sum"},
                              {"Period", "300"},
                              {"EvaluationPeriods", "1"},
                              {"Threshold", "1.0"},
                              {"ComparisonOperator", "GreaterThanOrEqualToThreshold"}});
  ASSERT_TRUE(put) << put.error().describe();
  const auto alarms = aws.query_all("monitoring", "DescribeAlarms", "2010-08-01", {});
  ASSERT_TRUE(alarms) << alarms.error().describe();
  const pugi::xml_node result = query_result(*alarms->front(), "DescribeAlarms");
  ASSERT_TRUE(result);
  EXPECT_EQ(xml_text(result, "AlarmName"), "sg-changes");
}

TEST_F(AwsClientMoto, LogsMetricFiltersAndCloudTrail) {
  Client aws = client();
  const auto group =
      aws.json("logs", "Logs_20140328.CreateLogGroup", {{"logGroupName", "trail-logs"}});
  ASSERT_TRUE(group) << group.error().describe();
  for (int i = 0; i < 3; ++i) {
    const auto filter =
        aws.json("logs", "Logs_20140328.PutMetricFilter",
                 {{"logGroupName", "trail-logs"},
                  {"filterName", "sg-" + std::to_string(i)},
                  {"filterPattern", "{ $.eventName = AuthorizeSecurityGroupIngress }"},
                  {"metricTransformations",
                   {{{"metricName", "SG" + std::to_string(i)},
                     {"metricNamespace", "CIS"},
                     {"metricValue", "1"}}}}});
    ASSERT_TRUE(filter) << filter.error().describe();
  }
  const auto filters =
      aws.json_all("logs", "Logs_20140328.DescribeMetricFilters",
                   {{"logGroupName", "trail-logs"}, {"limit", 2}}, "nextToken", "metricFilters");
  ASSERT_TRUE(filters) << filters.error().describe();
  ASSERT_EQ(filters->at("metricFilters").size(), 3u) << filters->dump();
  EXPECT_FALSE(filters->contains("nextToken"));
  EXPECT_EQ(filters->at("metricFilters").at(0).at("logGroupName"), "trail-logs");

  const auto again =
      aws.json("logs", "Logs_20140328.CreateLogGroup", {{"logGroupName", "trail-logs"}});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, AwsError::Kind::kService);
  EXPECT_EQ(again.error().code, "ResourceAlreadyExistsException");
  EXPECT_EQ(again.error().operation, "CreateLogGroup");
  EXPECT_EQ(again.error().attempts, 1);

  const auto trails = aws.json_all(
      "cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails", {},
      "NextToken", "trailList");
  ASSERT_TRUE(trails) << trails.error().describe();
  EXPECT_TRUE(trails->at("trailList").is_array());
  const auto status = aws.json(
      "cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetTrailStatus",
      {{"Name", "no-such-trail"}});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, "TrailNotFoundException");
}

TEST_F(AwsClientMoto, SecurityHubOverRestJson) {
  Client aws = client();
  const auto enabled = aws.rest_json("securityhub", "EnableSecurityHub", "POST", "/accounts", "",
                                     nlohmann::json{{"EnableDefaultStandards", false}});
  ASSERT_TRUE(enabled) << enabled.error().describe();
  const auto hub =
      aws.rest_json("securityhub", "DescribeHub", "GET", "/accounts", "", std::nullopt);
  ASSERT_TRUE(hub) << hub.error().describe();
  EXPECT_NE(hub->value("HubArn", std::string()).find(":hub/default"), std::string::npos)
      << hub->dump();
}

TEST(AwsClientNetwork, RefusedConnectionsAreRetriedThenReported) {
  ClientOptions options;
  options.region = "us-east-1";
  options.endpoint_url = "http://127.0.0.1:" + std::to_string(closed_port());
  options.credentials = Credentials{"AKIDEXAMPLE", "secret", ""};
  options.max_attempts = 3;
  options.timeout = 2000ms;
  std::vector<std::chrono::milliseconds> sleeps;
  options.sleep = [&sleeps](std::chrono::milliseconds delay) { sleeps.push_back(delay); };
  Client aws(options, make_curl_transport());
  const auto identity = aws.query("sts", "GetCallerIdentity", "2011-06-15", {});
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().kind, AwsError::Kind::kNetwork);
  EXPECT_EQ(identity.error().attempts, 3);
  EXPECT_EQ(sleeps.size(), 2u);
  const std::string text = identity.error().describe();
  EXPECT_EQ(text.rfind("sts GetCallerIdentity: POST " + *options.endpoint_url + "/: ", 0), 0u)
      << text;
  EXPECT_NE(text.find("(after 3 attempts)"), std::string::npos) << text;
}

TEST(AwsClientNetwork, MetadataServiceOffEc2FailsFast) {
  const std::string endpoint = "http://127.0.0.1:" + std::to_string(closed_port());
  CredentialEnvironment environment;
  environment.getenv = [&endpoint](const std::string& name) -> std::optional<std::string> {
    if (name == "AWS_EC2_METADATA_SERVICE_ENDPOINT") return endpoint;
    if (name == "AWS_REGION") return std::string("us-east-1");
    return std::nullopt;
  };
  environment.read_file =
      [](const std::string&) -> core::Result<std::optional<std::string>, std::string> {
    return std::optional<std::string>();
  };
  auto transport = make_curl_transport();
  const auto started = std::chrono::steady_clock::now();
  const auto setup = resolve_client({}, std::nullopt, environment, *transport);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(setup);
  EXPECT_EQ(setup.error().rfind("no credentials: none in the environment", 0), 0u) << setup.error();
  EXPECT_NE(setup.error().find("PUT " + endpoint + "/latest/api/token"), std::string::npos)
      << setup.error();
  EXPECT_LT(took, 2s);
}

// --- the curl transport alone ---

HttpRequest signed_like_post(const std::string& host) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers = {{"Host", host},
                     {"Accept-Encoding", "identity"},
                     {"X-Amz-Target", "Logs_20140328.DescribeMetricFilters"},
                     {"Content-Type", "application/x-amz-json-1.1"},
                     {"User-Agent", user_agent()},
                     {"X-Amz-Date", "20261127T203629Z"},
                     {"Authorization", "AWS4-HMAC-SHA256 Credential=x"}};
  request.body = R"({"logGroupName": "g"})";
  return request;
}

std::string write_script(const std::filesystem::path& dir, const nlohmann::json& answers) {
  const auto path = dir / "answers.json";
  FILE* f = std::fopen(path.c_str(), "w");
  EXPECT_NE(f, nullptr);
  if (f != nullptr) {
    const std::string text = answers.dump();
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  return path.string();
}

TEST(CurlTransport, SendsHeadersAsGivenAndReadsTheAnswer) {
  sgwatch::testing::TempDir dir;
  const std::string script = write_script(
      dir.path(), nlohmann::json::array({{{"status", 400},
                                          {"body", R"({"__type":"X"})"},
                                          {"headers", {{"x-amzn-RequestId", "req-1"}}}},
                                         {{"status", 200}, {"body", "TOKEN"}},
                                         {{"status", 200}, {"body", "role"}}}));
  sgwatch::testing::ScriptServer server("http_sink.py", {"--script", script});
  const std::string host = "127.0.0.1:" + std::to_string(server.port());
  auto transport = make_curl_transport();

  const auto posted = transport->send(server.url() + "/", signed_like_post(host), 5000ms);
  ASSERT_TRUE(posted) << posted.error();
  EXPECT_EQ(posted->status, 400);
  EXPECT_EQ(posted->body, R"({"__type":"X"})");
  ASSERT_NE(posted->find_header("X-Amzn-RequestId"), nullptr);
  EXPECT_EQ(*posted->find_header("X-Amzn-RequestId"), "req-1");

  HttpRequest put;
  put.method = "PUT";
  put.path = "/latest/api/token";
  put.headers = {{"Host", host}, {"X-aws-ec2-metadata-token-ttl-seconds", "21600"}};
  const auto token = transport->send(server.url() + "/latest/api/token", put, 5000ms);
  ASSERT_TRUE(token) << token.error();
  EXPECT_EQ(token->body, "TOKEN");
  HttpRequest get;
  get.method = "GET";
  get.path = "/latest/meta-data/iam/security-credentials/";
  get.headers = {{"Host", host}, {"X-aws-ec2-metadata-token", "TOKEN"}};
  const auto role = transport->send(server.url() + get.path, get, 5000ms);
  ASSERT_TRUE(role) << role.error();
  EXPECT_EQ(role->body, "role");

  const auto records = server.wait_for_records(3);
  ASSERT_EQ(records.size(), 3u);
  // Every header as given, in order, and only Content-Length added: no Accept, Expect or a
  // form Content-Type of libcurl's own.
  nlohmann::json expected = nlohmann::json::array();
  for (const Header& header : signed_like_post(host).headers)
    expected.push_back({header.name, header.value});
  expected.push_back({"Content-Length", "21"});
  EXPECT_EQ(records[0].at("headers"), expected);
  EXPECT_EQ(records[0].at("body"), R"({"logGroupName": "g"})");
  EXPECT_EQ(records[1].at("method"), "PUT");
  EXPECT_EQ(records[1].at("headers"),
            nlohmann::json::array({{"Host", host},
                                   {"X-aws-ec2-metadata-token-ttl-seconds", "21600"},
                                   {"Content-Length", "0"}}));
  EXPECT_EQ(records[2].at("method"), "GET");
  EXPECT_EQ(records[2].at("path"), "/latest/meta-data/iam/security-credentials/");
}

TEST(CurlTransport, TlsIsVerified) {
  sgwatch::testing::TempDir dir;
  const auto cert = sgwatch::testing::make_test_certificate(dir.path());
  sgwatch::testing::ScriptServer server(
      "http_sink.py", {"--cert", cert.cert.string(), "--key", cert.key.string(), "--body", "{}"});
  const std::string host = "127.0.0.1:" + std::to_string(server.port());

  // The system store does not know a self-signed certificate.
  const auto untrusted =
      make_curl_transport()->send(server.url("https") + "/", signed_like_post(host), 5000ms);
  ASSERT_FALSE(untrusted);
  EXPECT_NE(untrusted.error().find("certificate"), std::string::npos) << untrusted.error();

  CurlTransportOptions options;
  options.ca_file = cert.cert.string();
  const auto trusted =
      make_curl_transport(options)->send(server.url("https") + "/", signed_like_post(host), 5000ms);
  ASSERT_TRUE(trusted) << trusted.error();
  EXPECT_EQ(trusted->status, 200);
  EXPECT_EQ(server.wait_for_records(1).at(0).at("tls"), true);
}

TEST(CurlTransport, TimeoutsAndTheResponseCap) {
  sgwatch::testing::TempDir dir;
  const std::string script = write_script(
      dir.path(), nlohmann::json::array({{{"status", 200}, {"body", "late"}, {"delay_ms", 2000}},
                                         {{"status", 200}, {"body", std::string(5000, 'x')}}}));
  sgwatch::testing::ScriptServer server("http_sink.py", {"--script", script});
  const std::string host = "127.0.0.1:" + std::to_string(server.port());
  CurlTransportOptions options;
  options.max_response_bytes = 1000;
  auto transport = make_curl_transport(options);
  const auto late = transport->send(server.url() + "/", signed_like_post(host), 300ms);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().rfind("POST " + server.url() + "/: ", 0), 0u) << late.error();
  EXPECT_NE(late.error().find("timed out"), std::string::npos) << late.error();
  const auto big = transport->send(server.url() + "/", signed_like_post(host), 5000ms);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().find("larger than 1000 bytes"), std::string::npos) << big.error();

  HttpRequest bad = signed_like_post(host);
  bad.headers.push_back({"X-Evil", "a\r\nInjected: 1"});
  const auto refused = transport->send(server.url() + "/", bad, 5000ms);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("is not a valid HTTP header"), std::string::npos)
      << refused.error();
  EXPECT_FALSE(transport->send("ftp://127.0.0.1/", signed_like_post(host), 5000ms));
}

}  // namespace
}  // namespace sgwatch::aws
