// The outgoing AWS client against a fake Transport that records what is sent and plays back
// answers: the signed bytes of every query and JSON fixture of ../shared/fixtures/aws-wire (the
// AWS CLI's own requests, User-Agent aside), the error answers of each protocol, retries
// (throttling, 5xx, 429, network) with their backoff and fresh signatures, no retry on denied
// access or validation errors, paging (query NextToken, JSON nextToken), endpoint naming, the
// instance metadata service (IMDSv2) and resolve_client's errors. Real servers:
// tests/integration/aws_client_test.cpp.
#include "aws/client.h"

#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "aws/amz_date.h"
#include "aws/imds.h"
#include "aws/query_params.h"

namespace sgwatch::aws {
namespace {

using namespace std::chrono_literals;
using Reply = core::Result<TransportResponse, std::string>;

struct Exchange {
  std::string url;
  HttpRequest request;
  std::chrono::milliseconds timeout;
};

// What the fake transport saw and what it is to answer: the handler when set, else the script in
// order (an exhausted script is a network error).
struct Wire {
  std::vector<Exchange> sent;
  std::deque<Reply> script;
  std::function<Reply(const std::string& url, const HttpRequest& request)> handler;
};

class FakeTransport : public Transport {
 public:
  explicit FakeTransport(std::shared_ptr<Wire> wire) : wire_(std::move(wire)) {}

  Reply send(const std::string& url, const HttpRequest& request,
             std::chrono::milliseconds timeout) override {
    wire_->sent.push_back(Exchange{url, request, timeout});
    if (wire_->handler) return wire_->handler(url, request);
    if (wire_->script.empty()) return core::unexpected(std::string("no scripted reply left"));
    Reply reply = std::move(wire_->script.front());
    wire_->script.pop_front();
    return reply;
  }

 private:
  std::shared_ptr<Wire> wire_;
};

TransportResponse answer(int status, std::string body, std::vector<Header> headers = {}) {
  TransportResponse response;
  response.status = status;
  response.headers = std::move(headers);
  response.body = std::move(body);
  return response;
}

const Credentials kKeys{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};

struct Harness {
  std::shared_ptr<Wire> wire = std::make_shared<Wire>();
  std::vector<std::chrono::milliseconds> sleeps;
  std::int64_t clock = 1795796749;  // 2026-11-27T20:25:49Z

  ClientOptions options() {
    ClientOptions o;
    o.region = "us-west-2";
    o.endpoint_url = "http://127.0.0.1:47123";
    o.credentials = kKeys;
    o.now = [this] { return clock++; };
    o.sleep = [this](std::chrono::milliseconds delay) { sleeps.push_back(delay); };
    o.jitter = [] { return 0.5; };
    return o;
  }
  Client client() { return Client(options(), std::make_unique<FakeTransport>(wire)); }
  Client client(ClientOptions o) {
    return Client(std::move(o), std::make_unique<FakeTransport>(wire));
  }
  void play(Reply reply) { wire->script.push_back(std::move(reply)); }
};

// --- the fixtures ---

std::filesystem::path fixture_dir() {
  return std::filesystem::path(SGWATCH_SHARED_DIR) / "fixtures" / "aws-wire";
}

nlohmann::json fixture(const std::string& name) {
  std::ifstream in(fixture_dir() / name, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

std::string header_of(const nlohmann::json& request, std::string_view name) {
  for (const auto& pair : request.at("headers")) {
    if (header_name_equals(pair.at(0).get<std::string>(), name))
      return pair.at(1).get<std::string>();
  }
  return {};
}

TransportResponse response_of(const nlohmann::json& request) {
  const nlohmann::json& response = request.at("response");
  TransportResponse out;
  out.status = response.at("status").get<int>();
  for (const auto& pair : response.at("headers")) {
    out.headers.push_back({pair.at(0).get<std::string>(), pair.at(1).get<std::string>()});
  }
  out.body = response.at("body").get<std::string>();
  return out;
}

// The request as bytes on the wire: what the fixture's `raw` holds (Content-Length last, as the
// CLI sends it and as libcurl adds it).
std::string raw_bytes(const HttpRequest& request) {
  std::string out = request.method + " " + request.path + " HTTP/1.1\r\n";
  for (const Header& header : request.headers) out += header.name + ": " + header.value + "\r\n";
  out += "Content-Length: " + std::to_string(request.body.size()) + "\r\n\r\n";
  return out + request.body;
}

// The fixture's raw request with our User-Agent in place of the CLI's.
std::string expected_raw(const nlohmann::json& request) {
  std::string raw = request.at("raw").get<std::string>();
  const std::string cli_agent = header_of(request, "User-Agent");
  const auto at = raw.find("User-Agent: " + cli_agent + "\r\n");
  EXPECT_NE(at, std::string::npos);
  if (at != std::string::npos) raw.replace(at + 12, cli_agent.size(), user_agent());
  return raw;
}

Harness harness_for(const nlohmann::json& file) {
  Harness h;
  const nlohmann::json& first = file.at("requests").at(0);
  const auto when = parse_amz_date(header_of(first, "X-Amz-Date"));
  EXPECT_TRUE(when.has_value());
  h.clock = when.value_or(0);
  return h;
}

ClientOptions fixture_options(Harness& h, const nlohmann::json& file) {
  ClientOptions o = h.options();
  o.now = [&h] { return h.clock; };  // every request of a case carries the same date
  const auto env = file.value("extra_env", nlohmann::json::object());
  if (env.contains("AWS_SESSION_TOKEN")) {
    o.credentials.session_token = env.at("AWS_SESSION_TOKEN").get<std::string>();
  }
  return o;
}

void expect_same_wire(const Harness& h, const nlohmann::json& file, const std::string& name) {
  const auto& requests = file.at("requests");
  ASSERT_EQ(h.wire->sent.size(), requests.size()) << name;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const Exchange& sent = h.wire->sent[i];
    EXPECT_EQ(sent.url, "http://127.0.0.1:47123/") << name;
    EXPECT_EQ(sent.request.body, requests[i].at("body").get<std::string>()) << name;
    EXPECT_EQ(*sent.request.find_header("Authorization"), header_of(requests[i], "Authorization"))
        << name;
    EXPECT_EQ(raw_bytes(sent.request), expected_raw(requests[i])) << name;
  }
}

std::vector<std::string> fixture_names() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(fixture_dir())) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// --- the signed requests, byte for byte ---

TEST(AwsClientWire, QueryRequestsAreTheCliBytes) {
  int compared = 0;
  for (const std::string& name : fixture_names()) {
    const nlohmann::json file = fixture(name);
    const std::string protocol = file.at("protocol").get<std::string>();
    if (protocol != "awsQuery" && protocol != "ec2") continue;
    Harness h = harness_for(file);
    const auto& requests = file.at("requests");
    for (const auto& request : requests) h.play(response_of(request));
    const auto form = QueryParams::parse(requests.at(0).at("body").get<std::string>());
    ASSERT_TRUE(form) << name;
    const auto& in_order = form->in_order();
    ASSERT_GE(in_order.size(), 2u) << name;
    ASSERT_EQ(in_order[0].name, "Action");
    ASSERT_EQ(in_order[1].name, "Version");
    QueryParameters params;
    for (std::size_t i = 2; i < in_order.size(); ++i) {
      params.emplace_back(in_order[i].name, in_order[i].value);
    }
    const std::string service = file.at("service").get<std::string>();
    Client client = h.client(fixture_options(h, file));
    const bool is_error = name.find(".error-") != std::string::npos;
    if (requests.size() > 1) {
      const auto pages = client.query_all(service, in_order[0].value, in_order[1].value, params);
      ASSERT_TRUE(pages) << name << ": " << pages.error().describe();
      EXPECT_EQ(pages->size(), requests.size()) << name;
    } else {
      const auto document = client.query(service, in_order[0].value, in_order[1].value, params);
      EXPECT_EQ(document.ok(), !is_error) << name;
    }
    expect_same_wire(h, file, name);
    ++compared;
  }
  EXPECT_EQ(compared, 27);  // every awsQuery and ec2 fixture
}

TEST(AwsClientWire, JsonRequestsAreTheCliBytes) {
  int compared = 0;
  int reordered = 0;
  for (const std::string& name : fixture_names()) {
    const nlohmann::json file = fixture(name);
    if (file.at("protocol").get<std::string>() != "awsJson1_1") continue;
    const auto& request = file.at("requests").at(0);
    const std::string body_text = request.at("body").get<std::string>();
    const nlohmann::json body = nlohmann::json::parse(body_text);
    Harness h = harness_for(file);
    h.play(response_of(request));
    Client client = h.client(fixture_options(h, file));
    const auto result = client.json(file.at("service").get<std::string>(),
                                    header_of(request, "X-Amz-Target"), body);
    EXPECT_EQ(result.ok(), name.find(".error-") == std::string::npos) << name;
    if (aws_json_text(body) == body_text) {
      expect_same_wire(h, file, name);
      ++compared;
      continue;
    }
    // nlohmann::json keeps members sorted; the CLI writes them in model order. Such bodies
    // cannot be the same bytes, but are the same JSON under the same headers.
    ++reordered;
    ASSERT_EQ(h.wire->sent.size(), 1u) << name;
    const HttpRequest& sent = h.wire->sent[0].request;
    EXPECT_EQ(nlohmann::json::parse(sent.body), body) << name;
    std::vector<std::string> names;
    for (const Header& header : sent.headers) names.push_back(header.name);
    std::vector<std::string> expected;
    for (const auto& pair : request.at("headers")) {
      if (pair.at(0) != "Content-Length") expected.push_back(pair.at(0).get<std::string>());
    }
    EXPECT_EQ(names, expected) << name;
  }
  EXPECT_EQ(compared, 9);
  EXPECT_EQ(compared + reordered, 15);  // every awsJson fixture
}

TEST(AwsClientWire, SessionTokenIsSigned) {
  const nlohmann::json file = fixture("sts.GetCallerIdentity.session-token.json");
  Harness h = harness_for(file);
  h.play(response_of(file.at("requests").at(0)));
  Client client = h.client(fixture_options(h, file));
  const auto document = client.query("sts", "GetCallerIdentity", "2011-06-15", {});
  ASSERT_TRUE(document) << document.error().describe();
  EXPECT_EQ(xml_text(query_result(**document, "GetCallerIdentity"), "Arn"),
            "arn:aws:sts::123456789012:assumed-role/Auditor/session1");
  EXPECT_EQ(*h.wire->sent.at(0).request.find_header("X-Amz-Security-Token"), "EXAMPLESESSIONTOKEN");
  expect_same_wire(h, file, "session-token");
}

TEST(AwsClientWire, JsonBodiesUseTheCliSpacing) {
  EXPECT_EQ(aws_json_text(nlohmann::json()), "{}");
  EXPECT_EQ(aws_json_text(nlohmann::json::object()), "{}");
  EXPECT_EQ(aws_json_text({{"a", 1}, {"b", {true, nullptr, 1.5}}}),
            R"({"a": 1, "b": [true, null, 1.5]})");
  EXPECT_EQ(aws_json_text({{"k", "x: y, \"z\" \\"}}), R"({"k": "x: y, \"z\" \\"})");
  EXPECT_EQ(aws_json_text({{"k", "caf\xC3\xA9"}}), R"({"k": "caf\u00e9"})");
  EXPECT_EQ(aws_json_text({{"k", "bad\xFF"}}), R"({"k": "bad\ufffd"})");
}

// --- answers ---

TEST(AwsClientAnswers, QueryResultAndXmlHelpers) {
  Harness h;
  h.play(answer(200, R"(<?xml version="1.0"?>
<ns:ListTopicsResponse xmlns:ns="http://sns.amazonaws.com/doc/2010-03-31/">
  <ns:ListTopicsResult><ns:Topics>
    <ns:member><ns:TopicArn>arn:1</ns:TopicArn></ns:member>
    <ns:member><ns:TopicArn><![CDATA[arn:2&]]></ns:TopicArn></ns:member>
  </ns:Topics></ns:ListTopicsResult>
</ns:ListTopicsResponse>)"));
  Client client = h.client();
  const auto document = client.query("sns", "ListTopics", "2010-03-31", {});
  ASSERT_TRUE(document) << document.error().describe();
  const pugi::xml_node result = query_result(**document, "ListTopics");
  ASSERT_TRUE(result);
  EXPECT_EQ(xml_local_name(result), "ListTopicsResult");
  EXPECT_EQ(xml_text(result, "TopicArn"), "arn:1");
  const auto arns = xml_all(result, "TopicArn");
  ASSERT_EQ(arns.size(), 2u);
  EXPECT_EQ(xml_own_text(arns[1]), "arn:2&");
  EXPECT_EQ(xml_children(xml_child(result, "Topics"), "member").size(), 2u);
  EXPECT_FALSE(xml_find(result, "NoSuch"));
  EXPECT_EQ(xml_text(result, "NoSuch"), "");
  EXPECT_FALSE(query_result(**document, "Other"));
}

TEST(AwsClientAnswers, UnreadableSuccessIsAResponseError) {
  Harness h;
  h.play(answer(200, "<ListTopicsResponse><unclosed>", {{"x-amzn-RequestId", "r-1"}}));
  h.play(answer(200, "not json"));
  h.play(answer(200, "[1, 2]"));
  h.play(answer(200, ""));
  Client client = h.client();
  const auto xml = client.query("sns", "ListTopics", "2010-03-31", {});
  ASSERT_FALSE(xml);
  EXPECT_EQ(xml.error().kind, AwsError::Kind::kResponse);
  EXPECT_EQ(xml.error().request_id, "r-1");
  EXPECT_NE(
      xml.error().describe().find("sns ListTopics: HTTP 200: the response is not readable XML"),
      std::string::npos)
      << xml.error().describe();
  const auto text = client.json("logs", "Logs_20140328.DescribeLogGroups", {});
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().kind, AwsError::Kind::kResponse);
  EXPECT_EQ(text.error().operation, "DescribeLogGroups");
  const auto array = client.json("logs", "Logs_20140328.DescribeLogGroups", {});
  ASSERT_FALSE(array);
  EXPECT_NE(array.error().message.find("not an object"), std::string::npos);
  const auto empty = client.json("logs", "Logs_20140328.CreateLogGroup", {{"logGroupName", "g"}});
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, nlohmann::json::object());
  EXPECT_EQ(h.wire->sent.size(), 4u);  // none of these is retried
}

// A hostile endpoint's answer nested 100,000 levels deep is refused before parsing (nothing
// recurses over it); AWS's own answers nest a few levels, and 256 still parse.
TEST(AwsClientAnswers, DeeplyNestedJsonIsRefused) {
  Harness h;
  const std::string deep = "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  const std::string fine = "{\"a\": " + std::string(255, '[') + std::string(255, ']') + ", \"b\": \"[[[[\"}";
  h.play(answer(200, deep));
  h.play(answer(200, fine));
  Client client = h.client();
  const auto refused = client.json("cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetEventSelectors", {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, AwsError::Kind::kResponse);
  EXPECT_NE(refused.error().message.find("more than 256 levels"), std::string::npos) << refused.error().message;
  const auto parsed = client.json("cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetEventSelectors", {});
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ((*parsed)["b"], "[[[[");
}

struct ErrorCase {
  const char* fixture;
  int status;
  const char* code;
  const char* message;
  const char* request_id;
};

TEST(AwsClientErrors, EveryProtocolsErrorFixture) {
  const ErrorCase cases[] = {
      {"cloudwatch.PutMetricAlarm.error-ValidationError.json", 400, "ValidationError",
       "Period must be 10, 20, 30 or a multiple of 60", "a1b2c3d4-0000-4000-8000-000000000002"},
      {"cloudwatch.SetAlarmState.error-ResourceNotFound.json", 404, "ResourceNotFound",
       "Alarm NoSuchAlarm not found", "a1b2c3d4-0000-4000-8000-000000000002"},
      {"sns.Subscribe.error-NotFound.json", 404, "NotFound", "Topic does not exist",
       "a1b2c3d4-0000-4000-8000-000000000002"},
      {"sts.GetCallerIdentity.error-InvalidClientTokenId.json", 403, "InvalidClientTokenId",
       "The security token included in the request is invalid.",
       "a1b2c3d4-0000-4000-8000-000000000002"},
      {"ec2.DescribeSecurityGroups.error-AuthFailure.json", 401, "AuthFailure",
       "AWS was not able to validate the provided access credentials",
       "5f1c3c5e-0000-4000-8000-000000000005"},
      {"ec2.DescribeSecurityGroups.error-InvalidGroupNotFound.json", 400, "InvalidGroup.NotFound",
       "The security group 'sg-0000000000000dead' does not exist",
       "5f1c3c5e-0000-4000-8000-000000000004"},
      {"logs.CreateLogGroup.error-ResourceAlreadyExists.json", 400,
       "ResourceAlreadyExistsException", "The specified log group already exists",
       "7f1e2d3c-0000-4000-8000-000000000001"},
      {"logs.PutMetricFilter.error-ResourceNotFound.json", 400, "ResourceNotFoundException",
       "The specified log group does not exist.", "7f1e2d3c-0000-4000-8000-000000000001"},
      {"logs.PutMetricFilter.error-InvalidSignature.json", 400, "InvalidSignatureException",
       "The request signature we calculated does not match the signature you provided. Check your "
       "AWS Secret Access Key and signing method. Consult the service documentation for details.",
       "7f1e2d3c-0000-4000-8000-000000000001"},
      {"cloudtrail.GetTrailStatus.error-TrailNotFound.json", 400, "TrailNotFoundException",
       "Unknown trail: no-such-trail for the user: 123456789012",
       "7f1e2d3c-0000-4000-8000-000000000001"},
  };
  for (const ErrorCase& c : cases) {
    const nlohmann::json file = fixture(c.fixture);
    const bool json = file.at("protocol").get<std::string>() == "awsJson1_1";
    const AwsError error = error_from_response(json ? ErrorFormat::kJson : ErrorFormat::kXml, "svc",
                                               "Op", response_of(file.at("requests").at(0)));
    EXPECT_EQ(error.kind, AwsError::Kind::kService) << c.fixture;
    EXPECT_EQ(error.http_status, c.status) << c.fixture;
    EXPECT_EQ(error.code, c.code) << c.fixture;
    EXPECT_EQ(error.message, c.message) << c.fixture;
    EXPECT_EQ(error.request_id, c.request_id) << c.fixture;
    EXPECT_EQ(error.describe(), "svc Op: " + std::string(c.code) + " (HTTP " +
                                    std::to_string(c.status) + "): " + c.message);
    EXPECT_FALSE(error.access_denied()) << c.fixture;
    EXPECT_FALSE(error.throttled()) << c.fixture;
  }
  const AwsError auth = error_from_response(
      ErrorFormat::kXml, "ec2", "DescribeSecurityGroups",
      response_of(
          fixture("ec2.DescribeSecurityGroups.error-AuthFailure.json").at("requests").at(0)));
  EXPECT_TRUE(auth.credentials_rejected());
}

TEST(AwsClientErrors, JsonAndRestSpellings) {
  // REST: the header names the code, the body only the message.
  const AwsError rest = error_from_response(
      ErrorFormat::kRestJson, "securityhub", "DescribeHub",
      answer(403, R"({"message":"User: arn:aws:iam::1:user/a is not authorized"})",
             {{"x-amzn-ErrorType",
               "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/"},
              {"x-amzn-RequestId", "rq-9"}}));
  EXPECT_EQ(rest.code, "AccessDeniedException");
  EXPECT_TRUE(rest.access_denied());
  EXPECT_EQ(rest.request_id, "rq-9");
  EXPECT_EQ(
      rest.describe(),
      "securityhub DescribeHub: AccessDeniedException (HTTP 403): User: arn:aws:iam::1:user/a "
      "is not authorized");

  // JSON: __type wins over the header; a "code" member; the query-compatible header first.
  EXPECT_EQ(
      error_from_response(ErrorFormat::kJson, "logs", "X",
                          answer(400, R"({"__type":"a.b#ThrottlingException","message":"slow"})",
                                 {{"x-amzn-ErrorType", "Other"}}))
          .code,
      "ThrottlingException");
  EXPECT_EQ(error_from_response(ErrorFormat::kJson, "logs", "X",
                                answer(400, R"({"code":"AccessDenied","Message":"no"})"))
                .message,
            "no");
  const AwsError query_compatible = error_from_response(
      ErrorFormat::kJson, "cloudwatch", "DescribeAlarms",
      answer(400,
             R"({"__type":"com.amazonaws.cloudwatch#ResourceNotFoundException","message":"m"})",
             {{"x-amzn-query-error", "ResourceNotFound;Sender"}}));
  EXPECT_EQ(query_compatible.code, "ResourceNotFound");
  const AwsError header_only = error_from_response(
      ErrorFormat::kJson, "logs", "X", answer(400, "", {{"X-Amzn-ErrorType", "Throttling"}}));
  EXPECT_EQ(header_only.code, "Throttling");
  EXPECT_TRUE(header_only.throttled());

  // No code anywhere: say what came instead.
  const AwsError html = error_from_response(ErrorFormat::kXml, "sns", "Publish",
                                            answer(503, "<html><body>Service Unavailable"));
  EXPECT_EQ(html.code, "");
  EXPECT_EQ(html.describe(),
            "sns Publish: HTTP 503: a body that is not an AWS error: \"<html><body>Service "
            "Unavailable\"");
  EXPECT_EQ(error_from_response(ErrorFormat::kJson, "logs", "X", answer(502, "")).describe(),
            "logs X: HTTP 502: an empty body");
}

TEST(AwsClientErrors, CodeLists) {
  for (const char* code :
       {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
        "Client.UnauthorizedOperation", "AuthorizationError", "UnauthorizedAccess"}) {
    EXPECT_TRUE(is_access_denied_code(code)) << code;
  }
  for (const char* code :
       {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
        "ThrottledException", "SlowDown", "RequestThrottledException", "EC2ThrottledException",
        "LimitExceededException"}) {
    EXPECT_TRUE(is_throttling_code(code)) << code;
  }
  for (const char* code :
       {"", "ValidationError", "ResourceNotFoundException", "InvalidClientTokenId"}) {
    EXPECT_FALSE(is_access_denied_code(code)) << code;
    EXPECT_FALSE(is_throttling_code(code)) << code;
  }
  EXPECT_TRUE(is_retryable_answer(500, ""));
  EXPECT_TRUE(is_retryable_answer(429, ""));
  EXPECT_TRUE(is_retryable_answer(400, "RequestTimeout"));
  EXPECT_FALSE(is_retryable_answer(400, "AccessDeniedException"));
  EXPECT_FALSE(is_retryable_answer(404, ""));
}

// --- retries ---

TransportResponse throttled_json() {
  return answer(400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})",
                {{"x-amzn-RequestId", "t-1"}});
}

TEST(AwsClientRetry, ThrottlingThenSuccess) {
  Harness h;
  h.play(throttled_json());
  h.play(throttled_json());
  h.play(answer(200, R"({"trailList":[]})"));
  Client client = h.client();
  const auto trails = client.json(
      "cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails", {});
  ASSERT_TRUE(trails) << trails.error().describe();
  EXPECT_EQ(trails->at("trailList"), nlohmann::json::array());
  ASSERT_EQ(h.wire->sent.size(), 3u);
  // Full jitter (0.5 here) of 100 ms * 2^n.
  EXPECT_EQ(h.sleeps, (std::vector<std::chrono::milliseconds>{50ms, 100ms}));
  // Each attempt is signed afresh, at the clock's time.
  std::set<std::string> dates;
  std::set<std::string> signatures;
  for (const Exchange& e : h.wire->sent) {
    dates.insert(*e.request.find_header("X-Amz-Date"));
    signatures.insert(*e.request.find_header("Authorization"));
    EXPECT_EQ(e.timeout, 30000ms);
    EXPECT_EQ(e.request.headers.back().name, "Authorization");
  }
  EXPECT_EQ(dates.size(), 3u);
  EXPECT_EQ(signatures.size(), 3u);
  EXPECT_EQ(*h.wire->sent[0].request.find_header("X-Amz-Date"), format_amz_date(1795796749));
}

TEST(AwsClientRetry, GivesUpAfterMaxAttempts) {
  Harness h;
  for (int i = 0; i < 6; ++i) {
    h.play(answer(503,
                  "<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>busy</Message>"
                  "</Error></ErrorResponse>"));
  }
  ClientOptions options = h.options();
  options.max_delay = 150ms;
  Client client = h.client(options);
  const auto result = client.query("cloudwatch", "DescribeAlarms", "2010-08-01", {});
  ASSERT_FALSE(result);
  EXPECT_EQ(h.wire->sent.size(), 5u);
  EXPECT_EQ(h.sleeps, (std::vector<std::chrono::milliseconds>{50ms, 75ms, 75ms, 75ms}));
  EXPECT_EQ(result.error().attempts, 5);
  EXPECT_EQ(result.error().describe(),
            "cloudwatch DescribeAlarms: ServiceUnavailable (HTTP 503): busy (after 5 attempts)");
  // cloudwatch is signed as monitoring.
  EXPECT_NE(h.wire->sent[0]
                .request.find_header("Authorization")
                ->find("/us-west-2/monitoring/aws4_request"),
            std::string::npos);
}

TEST(AwsClientRetry, NetworkErrorsAnd429AreRetried) {
  Harness h;
  h.play(core::unexpected(std::string("POST http://127.0.0.1:47123/: Connection refused")));
  h.play(answer(429, ""));
  h.play(answer(200,
                "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1</Account>"
                "</GetCallerIdentityResult></GetCallerIdentityResponse>"));
  Client client = h.client();
  const auto identity = client.query("sts", "GetCallerIdentity", "2011-06-15", {});
  ASSERT_TRUE(identity) << identity.error().describe();
  EXPECT_EQ(h.wire->sent.size(), 3u);

  Harness down;
  ClientOptions options = down.options();
  options.max_attempts = 2;
  Client unreachable = down.client(options);
  const auto failed = unreachable.query("sts", "GetCallerIdentity", "2011-06-15", {});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind, AwsError::Kind::kNetwork);
  EXPECT_EQ(failed.error().http_status, 0);
  EXPECT_EQ(failed.error().describe(),
            "sts GetCallerIdentity: no scripted reply left (after 2 attempts)");
}

TEST(AwsClientRetry, NoRetryOnDeniedAccessOrBadRequests) {
  Harness h;
  h.play(answer(
      400,
      R"({"__type":"AccessDeniedException","Message":"User: arn:aws:iam::123456789012:user/a is not authorized to perform: logs:DescribeMetricFilters"})"));
  h.play(answer(403,
                "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not "
                "authorized to perform this "
                "operation.</Message></Error></Errors><RequestID>e-1</RequestID></Response>"));
  h.play(answer(400, R"({"__type":"InvalidParameterException","message":"bad"})"));
  Client client = h.client();
  const auto logs = client.json("logs", "Logs_20140328.DescribeMetricFilters", {});
  ASSERT_FALSE(logs);
  EXPECT_TRUE(logs.error().access_denied());
  EXPECT_EQ(logs.error().attempts, 1);
  EXPECT_EQ(
      logs.error().describe(),
      "logs DescribeMetricFilters: AccessDeniedException (HTTP 400): User: "
      "arn:aws:iam::123456789012:user/a is not authorized to perform: logs:DescribeMetricFilters");
  const auto ec2 = client.query("ec2", "DescribeSecurityGroups", "2016-11-15", {});
  ASSERT_FALSE(ec2);
  EXPECT_TRUE(ec2.error().access_denied());
  EXPECT_EQ(ec2.error().request_id, "e-1");
  const auto invalid = client.json("logs", "Logs_20140328.DescribeMetricFilters", {});
  ASSERT_FALSE(invalid);
  EXPECT_FALSE(invalid.error().access_denied());
  EXPECT_EQ(h.wire->sent.size(), 3u);
  EXPECT_TRUE(h.sleeps.empty());
}

// --- paging ---

TEST(AwsClientPaging, JsonPagesAreConcatenated) {
  Harness h;
  h.play(answer(200, R"({"metricFilters":[{"filterName":"a"}],"nextToken":"t1"})"));
  h.play(answer(200, R"({"metricFilters":[],"nextToken":"t2"})"));
  h.play(answer(200, R"({"metricFilters":[{"filterName":"b"},{"filterName":"c"}]})"));
  Client client = h.client();
  const auto all = client.json_all("logs", "Logs_20140328.DescribeMetricFilters",
                                   {{"logGroupName", "g"}, {"nextToken", "stale"}}, "nextToken",
                                   "metricFilters");
  ASSERT_TRUE(all) << all.error().describe();
  EXPECT_EQ(*all,
            nlohmann::json::parse(
                R"({"metricFilters":[{"filterName":"a"},{"filterName":"b"},{"filterName":"c"}]})"));
  ASSERT_EQ(h.wire->sent.size(), 3u);
  EXPECT_EQ(h.wire->sent[0].request.body, R"({"logGroupName": "g"})");
  EXPECT_EQ(h.wire->sent[1].request.body, R"({"logGroupName": "g", "nextToken": "t1"})");
  EXPECT_EQ(h.wire->sent[2].request.body, R"({"logGroupName": "g", "nextToken": "t2"})");

  Harness none;
  none.play(answer(200, "{}"));
  Client empty = none.client();
  const auto trails =
      empty.json_all("cloudtrail", "X.DescribeTrails", {}, "NextToken", "trailList");
  ASSERT_TRUE(trails);
  EXPECT_EQ(*trails, nlohmann::json::parse(R"({"trailList":[]})"));
}

TEST(AwsClientPaging, RepeatedTokensStop) {
  Harness h;
  h.play(answer(200, R"({"items":[1],"nextToken":"same"})"));
  h.play(answer(200, R"({"items":[2],"nextToken":"same"})"));
  Client client = h.client();
  const auto all =
      client.json_all("logs", "Logs_20140328.DescribeLogGroups", {}, "nextToken", "items");
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().kind, AwsError::Kind::kResponse);
  EXPECT_NE(all.error().message.find("same nextToken twice"), std::string::npos);

  const std::string page =
      "<ListTopicsResponse><ListTopicsResult><NextToken>x</NextToken></ListTopicsResult></"
      "ListTopicsResponse>";
  h.play(answer(200, page));
  h.play(answer(200, page));
  const auto topics = client.query_all("sns", "ListTopics", "2010-03-31", {});
  ASSERT_FALSE(topics);
  EXPECT_NE(topics.error().describe().find("same NextToken twice"), std::string::npos);
}

TEST(AwsClientPaging, Ec2PagesWithLowerCaseNextToken) {
  Harness h;
  h.play(answer(
      200,
      "<DescribeSecurityGroupsResponse><securityGroupInfo><item><groupId>sg-1</groupId>"
      "</item></securityGroupInfo><nextToken>p2</nextToken></DescribeSecurityGroupsResponse>"));
  h.play(answer(200,
                "<DescribeSecurityGroupsResponse><securityGroupInfo><item><groupId>sg-2</groupId>"
                "</item></securityGroupInfo></DescribeSecurityGroupsResponse>"));
  Client client = h.client();
  const auto pages = client.query_all("ec2", "DescribeSecurityGroups", "2016-11-15",
                                      {{"Filter.1.Name", "vpc-id"}, {"Filter.1.Value.1", "vpc-1"}});
  ASSERT_TRUE(pages) << pages.error().describe();
  ASSERT_EQ(pages->size(), 2u);
  EXPECT_EQ(xml_text((*pages)[1]->document_element(), "groupId"), "sg-2");
  EXPECT_EQ(
      h.wire->sent[1].request.body,
      "Action=DescribeSecurityGroups&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1"
      "&NextToken=p2");
}

// --- endpoints ---

TEST(AwsClientEndpoints, Naming) {
  EXPECT_EQ(service_endpoint("logs", "us-east-1", std::nullopt),
            "https://logs.us-east-1.amazonaws.com");
  EXPECT_EQ(service_endpoint("cloudwatch", "eu-west-1", std::nullopt),
            "https://monitoring.eu-west-1.amazonaws.com");
  EXPECT_EQ(service_endpoint("monitoring", "eu-west-1", std::nullopt),
            "https://monitoring.eu-west-1.amazonaws.com");
  EXPECT_EQ(service_endpoint("ec2", "cn-north-1", std::nullopt),
            "https://ec2.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(service_endpoint("securityhub", "us-gov-west-1", std::nullopt),
            "https://securityhub.us-gov-west-1.amazonaws.com");
  EXPECT_EQ(service_endpoint("sns", "us-east-1", std::string("http://localhost:4566")),
            "http://localhost:4566");
  EXPECT_EQ(signing_name("cloudwatch"), "monitoring");
  EXPECT_EQ(signing_name("logs"), "logs");

  const auto plain = split_endpoint("https://logs.us-east-1.amazonaws.com:443/");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->origin, "https://logs.us-east-1.amazonaws.com");
  EXPECT_EQ(plain->host, "logs.us-east-1.amazonaws.com");
  EXPECT_EQ(plain->base_path, "");
  const auto local = split_endpoint("http://127.0.0.1:4566/prefix/");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->host, "127.0.0.1:4566");
  EXPECT_EQ(local->base_path, "/prefix");
  EXPECT_FALSE(split_endpoint("ftp://example.com"));
  EXPECT_FALSE(split_endpoint("https://user:pw@example.com"));
  EXPECT_FALSE(split_endpoint("https://example.com/?a=1"));
  EXPECT_FALSE(split_endpoint("example.com"));
}

TEST(AwsClientEndpoints, RegionalRequestsAndRest) {
  Harness h;
  h.play(answer(200, R"({"HubArn":"arn:aws:securityhub:us-east-1:1:hub/default"})"));
  h.play(answer(200, R"({"Standards":[]})"));
  ClientOptions options = h.options();
  options.endpoint_url.reset();
  options.region = "us-east-1";
  Client client = h.client(options);
  const auto hub = client.rest_json("securityhub", "DescribeHub", "GET", "/accounts",
                                    "HubArn=x%3Ay", std::nullopt);
  ASSERT_TRUE(hub) << hub.error().describe();
  EXPECT_EQ(hub->at("HubArn"), "arn:aws:securityhub:us-east-1:1:hub/default");
  const Exchange& get = h.wire->sent.at(0);
  EXPECT_EQ(get.url, "https://securityhub.us-east-1.amazonaws.com/accounts?HubArn=x%3Ay");
  EXPECT_EQ(get.request.method, "GET");
  EXPECT_EQ(get.request.path, "/accounts");
  EXPECT_EQ(get.request.query, "HubArn=x%3Ay");
  EXPECT_EQ(*get.request.find_header("Host"), "securityhub.us-east-1.amazonaws.com");
  EXPECT_EQ(*get.request.find_header("User-Agent"), user_agent());
  EXPECT_EQ(get.request.find_header("Content-Type"), nullptr);
  EXPECT_NE(get.request.find_header("Authorization")->find("/us-east-1/securityhub/aws4_request"),
            std::string::npos);
  EXPECT_EQ(user_agent().rfind("sgwatch/", 0), 0u);

  const auto standards = client.rest_json("securityhub", "GetEnabledStandards", "POST",
                                          "/standards/get", "", nlohmann::json::object());
  ASSERT_TRUE(standards);
  const Exchange& post = h.wire->sent.at(1);
  EXPECT_EQ(*post.request.find_header("Content-Type"), "application/json");
  EXPECT_EQ(post.request.body, "{}");
}

TEST(AwsClientEndpoints, BadSettingsFailBeforeSending) {
  Harness h;
  ClientOptions options = h.options();
  options.region = "";
  Client no_region = h.client(options);
  const auto a = no_region.query("sts", "GetCallerIdentity", "2011-06-15", {});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().kind, AwsError::Kind::kNetwork);
  EXPECT_EQ(a.error().describe(),
            "sts GetCallerIdentity: no region: pass --region or set AWS_REGION");

  options.region = "us-east-1/evil";
  Client bad_region = h.client(options);
  EXPECT_FALSE(bad_region.query("sts", "GetCallerIdentity", "2011-06-15", {}));

  options = h.options();
  options.endpoint_url = "gopher://x";
  Client bad_endpoint = h.client(options);
  const auto b = bad_endpoint.json("logs", "Logs_20140328.DescribeLogGroups", {});
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().message.find("endpoint gopher://x"), std::string::npos) << b.error().message;

  options = h.options();
  options.credentials = Credentials{};
  Client no_keys = h.client(options);
  const auto c = no_keys.json("logs", "Logs_20140328.DescribeLogGroups", {});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("could not sign the request"), std::string::npos)
      << c.error().message;

  Client no_transport(h.options(), nullptr);
  EXPECT_FALSE(no_transport.json("logs", "Logs_20140328.DescribeLogGroups", {}));
  EXPECT_FALSE(h.client().json("logs", "Logs_20140328.DescribeLogGroups", nlohmann::json::array()));
  EXPECT_TRUE(h.wire->sent.empty());
}

// --- the instance metadata service and resolve_client ---

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
    e.read_file =
        [this](const std::string& path) -> core::Result<std::optional<std::string>, std::string> {
      const auto it = files.find(path);
      if (it == files.end()) return std::optional<std::string>();
      return std::optional<std::string>(it->second);
    };
    return e;
  }
};

// An instance with the role AuditRole in eu-west-1, answering at `origin`.
std::function<Reply(const std::string&, const HttpRequest&)> instance(const std::string& origin) {
  return [origin](const std::string& url, const HttpRequest& request) -> Reply {
    if (url == origin + "/latest/api/token") {
      if (request.method != "PUT" ||
          request.find_header("X-aws-ec2-metadata-token-ttl-seconds") == nullptr) {
        return answer(400, "");
      }
      return answer(200, "TOKEN-1");
    }
    const std::string* token = request.find_header("X-aws-ec2-metadata-token");
    if (request.method != "GET" || token == nullptr || *token != "TOKEN-1") return answer(401, "");
    if (url == origin + "/latest/meta-data/iam/security-credentials/")
      return answer(200, "AuditRole\n");
    if (url == origin + "/latest/meta-data/iam/security-credentials/AuditRole") {
      return answer(200, R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAEXAMPLE",
        "SecretAccessKey":"secret","Token":"session","Expiration":"2026-11-27T21:00:00Z"})");
    }
    if (url == origin + "/latest/dynamic/instance-identity/document") {
      return answer(200, R"({"accountId":"123456789012","region":"eu-west-1"})");
    }
    return answer(404, "");
  };
}

TEST(AwsClientImds, CredentialsAndRegionFromTheInstance) {
  auto wire = std::make_shared<Wire>();
  wire->handler = instance("http://169.254.169.254");
  FakeTransport transport(wire);
  FakeSystem system;
  system.env["HOME"] = "/home/me";
  const auto setup =
      resolve_client({}, std::string("http://127.0.0.1:1"), system.environment(), transport);
  ASSERT_TRUE(setup) << setup.error();
  EXPECT_EQ(setup->credential_source, "EC2 instance metadata (role AuditRole)");
  EXPECT_EQ(setup->options.credentials.access_key_id, "ASIAEXAMPLE");
  EXPECT_EQ(setup->options.credentials.secret_access_key, "secret");
  EXPECT_EQ(setup->options.credentials.session_token, "session");
  EXPECT_EQ(setup->options.region, "eu-west-1");
  EXPECT_EQ(setup->options.endpoint_url, std::optional<std::string>("http://127.0.0.1:1"));
  ASSERT_EQ(wire->sent.size(), 4u);
  EXPECT_EQ(wire->sent[0].request.method, "PUT");
  EXPECT_EQ(*wire->sent[0].request.find_header("X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(*wire->sent[0].request.find_header("Host"), "169.254.169.254");
  for (const Exchange& e : wire->sent) EXPECT_EQ(e.timeout, 1000ms);

  // A region from the chain is kept; the identity document is not asked for.
  wire->sent.clear();
  system.env["AWS_REGION"] = "ap-south-1";
  const auto regional = resolve_client({}, std::nullopt, system.environment(), transport);
  ASSERT_TRUE(regional) << regional.error();
  EXPECT_EQ(regional->options.region, "ap-south-1");
  EXPECT_EQ(wire->sent.size(), 3u);
}

TEST(AwsClientImds, EndpointFromTheEnvironment) {
  auto wire = std::make_shared<Wire>();
  wire->handler = instance("http://127.0.0.1:1338");
  FakeTransport transport(wire);
  FakeSystem system;
  system.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:1338/";
  system.env["AWS_REGION"] = "us-east-2";
  const auto setup = resolve_client({}, std::nullopt, system.environment(), transport);
  ASSERT_TRUE(setup) << setup.error();
  EXPECT_EQ(*wire->sent[0].request.find_header("Host"), "127.0.0.1:1338");
}

TEST(AwsClientImds, DisabledUnreachableAndRoleless) {
  auto wire = std::make_shared<Wire>();
  FakeTransport transport(wire);
  FakeSystem system;
  system.env["HOME"] = "/home/me";
  system.env["AWS_REGION"] = "us-east-1";

  system.env["AWS_EC2_METADATA_DISABLED"] = "TRUE";
  const auto disabled = resolve_client({}, std::nullopt, system.environment(), transport);
  ASSERT_FALSE(disabled);
  EXPECT_EQ(
      disabled.error(),
      "no credentials: none in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), "
      "profile default in /home/me/.aws/credentials or /home/me/.aws/config, and the EC2 "
      "instance metadata service is disabled (AWS_EC2_METADATA_DISABLED=true)");
  EXPECT_TRUE(wire->sent.empty());

  system.env.erase("AWS_EC2_METADATA_DISABLED");
  wire->handler = [](const std::string&, const HttpRequest&) -> Reply {
    return core::unexpected(
        std::string("PUT http://169.254.169.254/latest/api/token: Connection timed out after 1000 "
                    "milliseconds"));
  };
  const auto unreachable = resolve_client({}, std::nullopt, system.environment(), transport);
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(
      unreachable.error(),
      "no credentials: none in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), "
      "profile default in /home/me/.aws/credentials or /home/me/.aws/config, and none from the "
      "EC2 instance metadata service at http://169.254.169.254 (PUT "
      "http://169.254.169.254/latest/api/token: Connection timed out after 1000 milliseconds)");
  EXPECT_EQ(wire->sent.size(), 1u);

  wire->sent.clear();
  wire->handler = [](const std::string& url, const HttpRequest&) -> Reply {
    if (url.ends_with("/latest/api/token")) return answer(200, "T");
    return answer(404, "<html>Not Found</html>");
  };
  CredentialRequest named;
  named.profile = "audit";
  system.files["/home/me/.aws/config"] = "[profile audit]\nregion = us-west-1\n";
  const auto roleless = resolve_client(named, std::nullopt, system.environment(), transport);
  ASSERT_FALSE(roleless);
  EXPECT_EQ(
      roleless.error(),
      "no credentials: none in profile audit in /home/me/.aws/credentials or "
      "/home/me/.aws/config, and none from the EC2 instance metadata service at "
      "http://169.254.169.254 (GET "
      "http://169.254.169.254/latest/meta-data/iam/security-credentials/: HTTP 404 (no IAM role "
      "is attached to this instance): \"<html>Not Found</html>\")");

  wire->handler = [](const std::string& url, const HttpRequest&) -> Reply {
    if (url.ends_with("/latest/api/token")) return answer(403, "");
    return answer(200, "");
  };
  const auto refused = resolve_client({}, std::nullopt, system.environment(), transport);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("HTTP 403 instead of a session token"), std::string::npos)
      << refused.error();
}

TEST(AwsClientImds, BadCredentialDocuments) {
  auto wire = std::make_shared<Wire>();
  FakeTransport transport(wire);
  std::string document;
  wire->handler = [&document](const std::string& url, const HttpRequest&) -> Reply {
    if (url.ends_with("/latest/api/token")) return answer(200, "T");
    if (url.ends_with("/security-credentials/")) return answer(200, "Role");
    return answer(200, document);
  };
  for (const auto& [body, expected] : std::vector<std::pair<std::string, std::string>>{
           {"{", "the answer is not a JSON object"},
           {R"({"Code":"AssumeRoleUnauthorizedAccess","Message":"denied"})",
            "the service answered Code AssumeRoleUnauthorizedAccess: denied"},
           {R"({"Code":"Success","AccessKeyId":"A"})", "no AccessKeyId or SecretAccessKey"}}) {
    document = body;
    InstanceMetadata metadata(transport, {});
    const auto credentials = metadata.credentials();
    ASSERT_FALSE(credentials) << body;
    EXPECT_NE(credentials.error().find(expected), std::string::npos) << credentials.error();
  }
  wire->handler = [](const std::string& url, const HttpRequest&) -> Reply {
    if (url.ends_with("/latest/api/token")) return answer(200, "T");
    return answer(200, "../../etc");
  };
  InstanceMetadata metadata(transport, {});
  const auto odd = metadata.credentials();
  ASSERT_FALSE(odd);
  EXPECT_NE(odd.error().find("is not an IAM role name"), std::string::npos) << odd.error();
}

TEST(AwsClientSetup, ChainCredentialsAndErrors) {
  auto wire = std::make_shared<Wire>();
  FakeTransport transport(wire);
  FakeSystem system;
  system.env["AWS_ACCESS_KEY_ID"] = "AKID";
  system.env["AWS_SECRET_ACCESS_KEY"] = "secret";

  const auto no_region = resolve_client({}, std::nullopt, system.environment(), transport);
  ASSERT_FALSE(no_region);
  EXPECT_EQ(no_region.error(), "no region: pass --region or set AWS_REGION");

  CredentialRequest request;
  request.region = "us-east-1";
  const auto setup = resolve_client(request, std::nullopt, system.environment(), transport);
  ASSERT_TRUE(setup) << setup.error();
  EXPECT_EQ(setup->credential_source, "environment");
  EXPECT_EQ(setup->options.credentials.access_key_id, "AKID");
  EXPECT_EQ(setup->options.region, "us-east-1");
  EXPECT_FALSE(setup->options.endpoint_url.has_value());
  EXPECT_EQ(setup->options.max_attempts, 5);

  request.region = "Not A Region";
  const auto bad_region = resolve_client(request, std::nullopt, system.environment(), transport);
  ASSERT_FALSE(bad_region);
  EXPECT_EQ(bad_region.error(),
            "the region \"Not A Region\" is not an AWS region name (like us-east-1)");

  request.profile = "missing";
  const auto missing = resolve_client(request, std::nullopt, system.environment(), transport);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("the config profile (missing) could not be found"),
            std::string::npos);
  EXPECT_TRUE(wire->sent.empty());

  // No HOME: the message says there were no files to read.
  FakeSystem bare;
  bare.env["AWS_EC2_METADATA_DISABLED"] = "true";
  const auto nothing = resolve_client({}, std::nullopt, bare.environment(), transport);
  ASSERT_FALSE(nothing);
  EXPECT_NE(
      nothing.error().find("profile default (no credentials or config file: HOME is not set)"),
      std::string::npos)
      << nothing.error();
}

}  // namespace
}  // namespace sgwatch::aws
