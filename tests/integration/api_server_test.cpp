// ApiServer on 127.0.0.1 (port 0) with the CloudWatch and STS APIs over a real alarm engine:
// raw HTTP over a socket (what reaches handlers is the request as sent; routes, 404/405/413/414,
// form bodies over 8 KB, gzip bodies, stop()), then the real AWS CLIs as subprocesses — Debian's
// /usr/bin/aws 2.9.19 (CloudWatch in awsQuery) and the pip awscli 1.45.11 first on PATH
// (CloudWatch in JSON 1.0) — running the seed's commands against --endpoint-url, and the CLI over
// HTTPS with a self-signed certificate.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/api.h"
#include "aws/aws.h"
#include "core/clock.h"
#include "engine/alarm_engine.h"
#include "store/store.h"
#include "support/aws_cli.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

extern char** environ;

namespace sgwatch::api {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;
using sgwatch::testing::ProcessResult;
using sgwatch::testing::TempDir;

constexpr const char* kKeyId = "AKIDSGWATCHTEST0001";
constexpr const char* kSecret = "sgwatch/integration/secret/key/0123456789";
constexpr const char* kTopic = "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges";

// The CloudWatch and STS APIs over a fresh state store, served on 127.0.0.1:<any port>.
struct LiveApi {
  explicit LiveApi(ServerOptions server_options = {}) {
    secrets.add(kKeyId, kSecret);
    auto opened = store::Store::open(dir.path());
    EXPECT_TRUE(opened.ok());
    store = std::move(*opened);
    auto engine_opened = engine::AlarmEngine::open(
        *store, clock, engine::EngineOptions{"us-west-2", "123456789012"});
    EXPECT_TRUE(engine_opened.ok());
    engine = std::move(*engine_opened);
    CloudWatchOptions cloudwatch_options;
    cloudwatch_options.on_transitions = [this](const std::vector<alarms::Transition>& t) {
      std::lock_guard<std::mutex> lock(mutex);
      transitions.insert(transitions.end(), t.begin(), t.end());
    };
    cloudwatch = std::make_unique<CloudWatchApi>(*engine, std::move(cloudwatch_options));
    StsOptions sts_options;
    sts_options.user_names[kKeyId] = "tester";
    sts = std::make_unique<StsApi>(std::move(sts_options));
    DispatcherOptions options;
    options.observer = [this](const RequestRecord& record) {
      std::lock_guard<std::mutex> lock(mutex);
      records.push_back(record);
    };
    dispatcher = std::make_unique<Dispatcher>(secrets, clock, std::move(options));
    dispatcher->register_service(aws::Service::kCloudWatch, *cloudwatch);
    dispatcher->register_service(aws::Service::kSts, *sts);
    server_options.host = "127.0.0.1";
    server_options.port = 0;
    server = std::make_unique<ApiServer>(dispatcher.get(), server_options);
  }
  void start() {
    auto started = server->start();
    ASSERT_TRUE(started.ok()) << started.error();
    ASSERT_GT(server->port(), 0);
  }
  std::vector<RequestRecord> records_copy() {
    std::lock_guard<std::mutex> lock(mutex);
    return records;
  }

  TempDir dir{"sgwatch-api-server"};
  core::SystemClock clock;
  aws::StaticSecrets secrets;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<engine::AlarmEngine> engine;
  std::unique_ptr<CloudWatchApi> cloudwatch;
  std::unique_ptr<StsApi> sts;
  std::unique_ptr<Dispatcher> dispatcher;
  std::unique_ptr<ApiServer> server;  // declared last: stopped first
  std::mutex mutex;
  std::vector<alarms::Transition> transitions;
  std::vector<RequestRecord> records;
};

// ---- a raw HTTP/1.1 client ----------------------------------------------------------------------

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// Sends `bytes` to 127.0.0.1:`port` and reads until the server closes the connection.
RawResponse http_exchange(int port, const std::string& bytes) {
  RawResponse out;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    ADD_FAILURE() << "cannot connect to port " << port;
    return out;
  }
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (413) and close before reading everything
    sent += static_cast<std::size_t>(n);
  }
  std::string received;
  char buffer[65536];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 1000) <= 0) continue;
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
    // Done once the body announced by Content-Length is in (the server may keep the connection).
    const std::size_t head = received.find("\r\n\r\n");
    const std::size_t length = received.find("Content-Length: ");
    if (head != std::string::npos && length != std::string::npos && length < head &&
        received.size() >= head + 4 + std::stoul(received.substr(length + 16))) {
      break;
    }
  }
  close(fd);
  const std::size_t head_end = received.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    ADD_FAILURE() << "no HTTP answer: " << received;
    return out;
  }
  out.status = std::atoi(received.substr(9, 3).c_str());
  std::size_t at = received.find("\r\n") + 2;
  while (at < head_end) {
    const std::size_t end = received.find("\r\n", at);
    const std::string line = received.substr(at, end - at);
    const std::size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    at = end + 2;
  }
  out.body = received.substr(head_end + 4);
  return out;
}

// The request's bytes on the wire, with Content-Length and Connection: close added.
std::string wire_bytes(const aws::HttpRequest& request) {
  std::string out = request.method + " " + request.path;
  if (!request.query.empty()) out += "?" + request.query;
  out += " HTTP/1.1\r\n";
  for (const aws::Header& header : request.headers)
    out += header.name + ": " + header.value + "\r\n";
  out += "Content-Length: " + std::to_string(request.body.size()) + "\r\nConnection: close\r\n\r\n";
  return out + request.body;
}

aws::HttpRequest signed_request(int port, std::string content_type, std::string body,
                                std::vector<aws::Header> extra = {}) {
  aws::HttpRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers.push_back({"Host", "127.0.0.1:" + std::to_string(port)});
  request.headers.push_back({"Content-Type", std::move(content_type)});
  for (aws::Header& header : extra) request.headers.push_back(std::move(header));
  request.body = std::move(body);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  auto signed_result =
      aws::sign(request, aws::Credentials{kKeyId, kSecret, ""}, "us-west-2", "monitoring", now);
  EXPECT_TRUE(signed_result.ok());
  return request;
}

std::string gzip(const std::string& text) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

// ---- the server over a socket -------------------------------------------------------------------

TEST(ApiServer, HandlersSeeTheRequestAsItWasSent) {
  LiveApi api;
  RouteHandler echo = [](const aws::HttpRequest& request) {
    Json headers = Json::array();
    for (const aws::Header& header : request.headers)
      headers.push_back({header.name, header.value});
    aws::HttpResponse response;
    response.headers.push_back({"Content-Type", "application/json"});
    response.headers.push_back({"X-Echo", "yes"});
    response.body = Json{
        {"method", request.method},
        {"path", request.path},
        {"query", request.query},
        {"headers", headers},
        {"body",
         request.body}}.dump();
    return response;
  };
  api.server->add_route("GET", "/echo it/", echo);
  api.server->add_prefix_route("POST", "/ingest/", echo);
  api.start();
  const int port = api.server->port();

  RawResponse get = http_exchange(port,
                                  "GET /echo%20it/?b=2&a=%2F&a=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                  "X-Dup: one\r\nx-dup: two\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(get.status, 200) << get.body;
  EXPECT_EQ(get.headers["x-echo"], "yes");
  EXPECT_EQ(get.headers["content-type"], "application/json");
  const Json seen = Json::parse(get.body);
  EXPECT_EQ(seen["method"], "GET");
  EXPECT_EQ(seen["path"], "/echo%20it/");
  EXPECT_EQ(seen["query"], "b=2&a=%2F&a=1");
  std::vector<std::string> dups;
  for (const Json& header : seen["headers"]) {
    const std::string name = header[0].get<std::string>();
    EXPECT_NE(name, "REMOTE_ADDR");
    EXPECT_NE(name, "LOCAL_PORT");
    if (name == "X-Dup" || name == "x-dup")
      dups.push_back(name + "=" + header[1].get<std::string>());
  }
  EXPECT_EQ(dups, (std::vector<std::string>{"X-Dup=one", "x-dup=two"}));

  const std::string payload(20000, 'x');
  RawResponse post =
      http_exchange(port,
                    "POST /ingest/cloudtrail HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    "application/x-www-form-urlencoded\r\n"
                    "Content-Encoding: gzip\r\nContent-Length: " +
                        std::to_string(payload.size()) + "\r\nConnection: close\r\n\r\n" + payload);
  ASSERT_EQ(post.status, 200) << post.body;
  const Json posted = Json::parse(post.body);
  EXPECT_EQ(posted["path"], "/ingest/cloudtrail");
  EXPECT_EQ(posted["body"], payload);  // neither parsed as a form nor inflated
  bool encoding_kept = false;
  for (const Json& header : posted["headers"]) {
    if (header[0] == "Content-Encoding" && header[1] == "gzip") encoding_kept = true;
  }
  EXPECT_TRUE(encoding_kept);

  EXPECT_EQ(
      http_exchange(port, "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status,
      404);
  EXPECT_EQ(http_exchange(port,
                          "DELETE /echo%20it/ HTTP/1.1\r\nHost: x\r\nContent-Length: "
                          "0\r\nConnection: close\r\n\r\n")
                .status,
            405);
  EXPECT_EQ(http_exchange(
                port, "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .status,
            405);
  // A request line beyond httplib's 8 KB limit is refused, and the server goes on.
  EXPECT_EQ(http_exchange(port, "GET /" + std::string(20000, 'a') +
                                    " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .status,
            414);
  EXPECT_EQ(http_exchange(port, "GET /echo%20it/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .status,
            200);
}

TEST(ApiServer, ServesTheAwsApiWithLargeFormsAndGzipBodies) {
  LiveApi api;
  api.start();
  const int port = api.server->port();

  // An awsQuery PutMetricData of 300 datapoints: a form body far over 8 KB.
  aws::QueryBuilder form;
  form.add("Action", "PutMetricData").add("Version", "2010-08-01").add("Namespace", "App");
  for (int i = 1; i <= 300; ++i) {
    const std::string item = "MetricData.member." + std::to_string(i);
    form.add(item + ".MetricName", "Requests").add(item + ".Value", std::to_string(i) + ".0");
    form.add(item + ".Dimensions.member.1.Name", "Host")
        .add(item + ".Dimensions.member.1.Value", "web-" + std::to_string(i % 3));
  }
  ASSERT_GT(form.body().size(), 8192u);
  RawResponse query = http_exchange(
      port, wire_bytes(signed_request(port, "application/x-www-form-urlencoded; charset=utf-8",
                                      form.body())));
  EXPECT_EQ(query.status, 200) << query.body;

  // botocore gzips PutMetricData bodies of 10 KB and more; the signature covers the gzip bytes.
  Json data = Json::array();
  for (int i = 0; i < 200; ++i)
    data.push_back({{"MetricName", "Compressed"}, {"Value", i}, {"Unit", "Count"}});
  const std::string json_body = Json{{"Namespace", "App"}, {"MetricData", data}}.dump();
  ASSERT_GT(json_body.size(), 10240u);
  RawResponse compressed = http_exchange(
      port,
      wire_bytes(signed_request(port, "application/x-amz-json-1.0", gzip(json_body),
                                {{"X-Amz-Target", "GraniteServiceVersion20100801.PutMetricData"},
                                 {"x-amzn-query-mode", "true"},
                                 {"Content-Encoding", "gzip"}})));
  EXPECT_EQ(compressed.status, 200) << compressed.body;

  RawResponse listed = http_exchange(
      port,
      wire_bytes(signed_request(port, "application/x-amz-json-1.0", R"({"Namespace": "App"})",
                                {{"X-Amz-Target", "GraniteServiceVersion20100801.ListMetrics"},
                                 {"x-amzn-query-mode", "true"}})));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.headers["content-type"], "application/x-amz-json-1.0");
  EXPECT_EQ(listed.headers["x-amzn-requestid"].size(), 36u);
  EXPECT_EQ(Json::parse(listed.body)["Metrics"].size(), 4u);  // Requests x 3 hosts, Compressed

  // Unsigned: rejected in the protocol of the request.
  RawResponse unsigned_request = http_exchange(
      port,
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 43\r\nConnection: close\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15");
  EXPECT_EQ(unsigned_request.status, 403);
  EXPECT_NE(unsigned_request.body.find("<Code>MissingAuthenticationToken</Code>"),
            std::string::npos);
}

TEST(ApiServer, BodiesOverTheLimitAre413) {
  ServerOptions options;
  options.max_body_bytes = 64 * 1024;
  LiveApi api(options);
  api.start();
  const int port = api.server->port();
  const std::string body(100 * 1024, 'a');
  RawResponse declared =
      http_exchange(port,
                    "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: "
                    "application/x-www-form-urlencoded\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  EXPECT_EQ(declared.status, 413);
  // Chunked bodies have no Content-Length: the limit holds while they are read.
  std::string chunked =
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
  for (int i = 0; i < 4; ++i) chunked += "8000\r\n" + std::string(0x8000, 'b') + "\r\n";
  chunked += "0\r\n\r\n";
  EXPECT_EQ(http_exchange(port, chunked).status, 413);
  // Within the limit the AWS API answers (unsigned: MissingAuthenticationToken).
  EXPECT_EQ(http_exchange(
                port, "GET /?Action=ListMetrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .status,
            403);
}

TEST(ApiServer, StartsStopsAndReportsBindFailures) {
  LiveApi api;
  api.start();
  EXPECT_TRUE(api.server->running());
  EXPECT_EQ(api.server->url(), "http://127.0.0.1:" + std::to_string(api.server->port()));
  EXPECT_FALSE(api.server->start().ok());  // already running

  ServerOptions taken;
  taken.host = "127.0.0.1";
  taken.port = api.server->port();
  ApiServer second(api.dispatcher.get(), taken);
  const auto refused = second.start();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("cannot listen on 127.0.0.1:"), std::string::npos);

  ServerOptions tls;
  tls.port = 0;
  tls.tls_cert_file = "/nonexistent/cert.pem";
  tls.tls_key_file = "/nonexistent/key.pem";
  ApiServer broken(api.dispatcher.get(), tls);
  EXPECT_FALSE(broken.start().ok());

  const auto before = std::chrono::steady_clock::now();
  api.server->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(1));
  EXPECT_FALSE(api.server->running());
  api.server->stop();  // idempotent
  // Started and stopped at once, many times: no stop is lost.
  for (int i = 0; i < 20; ++i) {
    ServerOptions any_port;
    any_port.port = 0;
    ApiServer quick(api.dispatcher.get(), any_port);
    ASSERT_TRUE(quick.start().ok());
  }
}

TEST(ApiServer, StopClosesIdleKeepAliveConnectionsWithinTheirTimeout) {
  ServerOptions options;
  options.keep_alive_timeout_seconds = 1;
  LiveApi api(options);
  api.start();
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(api.server->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const std::string request = "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n";  // keep-alive
  ASSERT_EQ(send(fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  char buffer[4096];
  pollfd pfd{fd, POLLIN, 0};
  ASSERT_EQ(poll(&pfd, 1, 5000), 1);
  ASSERT_GT(recv(fd, buffer, sizeof buffer, 0), 0);
  const auto before = std::chrono::steady_clock::now();
  api.server->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::milliseconds(2500));
  close(fd);
}

// ---- the AWS CLIs -------------------------------------------------------------------------------

using sgwatch::testing::Cli;
using sgwatch::testing::find_cli_v1;
using sgwatch::testing::is_executable;

const sgwatch::testing::CliCredentials kCliCredentials{kKeyId, kSecret, "us-west-2"};

ProcessResult run_cli(const Cli& cli, const std::string& endpoint, const fs::path& config,
                      std::vector<std::string> arguments, bool verify_ssl = true) {
  return sgwatch::testing::run_cli(cli, endpoint, config, kCliCredentials, std::move(arguments), verify_ssl);
}

fs::path write_config(const fs::path& dir) { return sgwatch::testing::write_cli_config(dir); }

void run_seed_commands(const Cli& cli) {
  SCOPED_TRACE(cli.label);
  LiveApi api;
  api.start();
  const std::string endpoint = api.server->url();
  const fs::path config = write_config(api.dir.path());

  const ProcessResult identity = run_cli(cli, endpoint, config, {"sts", "get-caller-identity"});
  ASSERT_EQ(identity.exit_code, 0) << identity.err;
  const Json who = Json::parse(identity.out);
  EXPECT_EQ(who["Account"], "123456789012");
  EXPECT_EQ(who["Arn"], "arn:aws:iam::123456789012:user/tester");
  EXPECT_TRUE(who["UserId"].get<std::string>().starts_with("AIDA"));

  const ProcessResult put = run_cli(cli, endpoint, config,
                                    {"cloudwatch",
                                     "put-metric-alarm",
                                     "--alarm-name",
                                     "SecurityGroupChangesAlarm",
                                     "--metric-name",
                                     "SecurityGroupEventCount",
                                     "--namespace",
                                     "CISBenchmark",
                                     "--statistic",
                                     "Sum",
                                     "--period",
                                     "300",
                                     "--threshold",
                                     "1",
                                     "--comparison-operator",
                                     "GreaterThanOrEqualToThreshold",
                                     "--evaluation-periods",
                                     "1",
                                     "--alarm-actions",
                                     kTopic});
  ASSERT_EQ(put.exit_code, 0) << put.err;
  EXPECT_EQ(put.out, "");

  const ProcessResult described = run_cli(cli, endpoint, config, {"cloudwatch", "describe-alarms"});
  ASSERT_EQ(described.exit_code, 0) << described.err;
  const OrderedJson alarms = OrderedJson::parse(described.out);
  ASSERT_EQ(alarms["MetricAlarms"].size(), 1u);
  const OrderedJson& alarm = alarms["MetricAlarms"][0];
  std::vector<std::string> keys;
  for (const auto& [key, value] : alarm.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "AlarmName", "AlarmArn", "AlarmConfigurationUpdatedTimestamp",
                      "ActionsEnabled", "OKActions", "AlarmActions", "InsufficientDataActions",
                      "StateValue", "StateReason", "StateUpdatedTimestamp", "MetricName",
                      "Namespace", "Statistic", "Dimensions", "Period", "EvaluationPeriods",
                      "Threshold", "ComparisonOperator", "StateTransitionedTimestamp"}));
  EXPECT_EQ(alarm["AlarmArn"],
            "arn:aws:cloudwatch:us-west-2:123456789012:alarm:SecurityGroupChangesAlarm");
  EXPECT_EQ(alarm["ActionsEnabled"], true);
  EXPECT_EQ(alarm["AlarmActions"], OrderedJson::array({kTopic}));
  EXPECT_EQ(alarm["OKActions"], OrderedJson::array());
  EXPECT_EQ(alarm["StateValue"], "INSUFFICIENT_DATA");
  EXPECT_EQ(alarm["StateReason"], "Unchecked: Initial alarm creation");
  EXPECT_EQ(alarm["Threshold"], 1.0);
  EXPECT_EQ(alarm["Period"], 300);
  EXPECT_EQ(alarm["Dimensions"], OrderedJson::array());
  EXPECT_TRUE(alarm["StateUpdatedTimestamp"].get<std::string>().ends_with("+00:00"));
  EXPECT_EQ(alarms["CompositeAlarms"], OrderedJson::array());

  const ProcessResult set =
      run_cli(cli, endpoint, config,
              {"cloudwatch", "set-alarm-state", "--alarm-name", "SecurityGroupChangesAlarm",
               "--state-value", "ALARM", "--state-reason", "sgwatch integration test"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(set.out, "");
  {
    std::lock_guard<std::mutex> lock(api.mutex);
    ASSERT_EQ(api.transitions.size(), 1u);
    EXPECT_EQ(api.transitions[0].to, alarms::AlarmState::kAlarm);
    EXPECT_EQ(api.transitions[0].actions, std::vector<std::string>{kTopic});
  }

  const ProcessResult history = run_cli(
      cli, endpoint, config,
      {"cloudwatch", "describe-alarm-history", "--alarm-name", "SecurityGroupChangesAlarm"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  const Json items = Json::parse(history.out)["AlarmHistoryItems"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["HistoryItemType"], "StateUpdate");
  EXPECT_EQ(items[0]["HistorySummary"], "Alarm updated from INSUFFICIENT_DATA to ALARM");
  EXPECT_EQ(items[0]["AlarmType"], "MetricAlarm");
  EXPECT_EQ(Json::parse(items[0]["HistoryData"].get<std::string>())["newState"]["stateReason"],
            "sgwatch integration test");
  EXPECT_EQ(items[1]["HistoryItemType"], "ConfigurationUpdate");
  EXPECT_EQ(items[1]["HistorySummary"], "Alarm \"SecurityGroupChangesAlarm\" created");

  const ProcessResult missing =
      run_cli(cli, endpoint, config,
              {"cloudwatch", "set-alarm-state", "--alarm-name", "NoSuchAlarm", "--state-value",
               "OK", "--state-reason", "x"});
  EXPECT_EQ(missing.exit_code, cli.service_error_exit) << missing.err;
  EXPECT_NE(missing.err.find(
                "An error occurred (ResourceNotFound) when calling the SetAlarmState operation"),
            std::string::npos)
      << missing.err;

  // The CLI spoke the protocol this version speaks to CloudWatch, and every call was signed.
  for (const RequestRecord& record : api.records_copy()) {
    EXPECT_EQ(record.access_key_id, kKeyId);
    if (record.service == "cloudwatch") {
      EXPECT_EQ(record.protocol, cli.cloudwatch_protocol);
    } else {
      EXPECT_EQ(record.service, "sts");
      EXPECT_EQ(record.protocol, "awsQuery");
    }
  }
}

TEST(AwsCli, Version2RunsTheSeedCommandsOverAwsQuery) {
  ASSERT_TRUE(is_executable("/usr/bin/aws"))
      << "Debian's awscli package (aws-cli 2.9) is not installed";
  run_seed_commands(Cli{"aws-cli 2.9 (/usr/bin/aws)", {"/usr/bin/aws"}, "awsQuery", 254});
}

TEST(AwsCli, Version1RunsTheSeedCommandsOverJson) {
  const std::optional<std::vector<std::string>> cli = find_cli_v1();
  ASSERT_TRUE(cli.has_value()) << "awscli 1.x (pip) is neither on PATH nor importable by python3";
  run_seed_commands(Cli{"aws-cli 1.x (" + cli->front() + ")", *cli, "awsJson1_0", 255});
}

TEST(AwsCli, TalksToTheServerOverTls) {
  ASSERT_TRUE(is_executable("/usr/bin/aws"))
      << "Debian's awscli package (aws-cli 2.9) is not installed";
  TempDir certs("sgwatch-api-tls");
  const fs::path cert = certs.path() / "cert.pem";
  const fs::path key = certs.path() / "key.pem";
  const ProcessResult made = sgwatch::testing::run_process(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
       "-nodes", "-keyout", key.string(), "-out", cert.string(), "-days", "1", "-subj",
       "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  ServerOptions options;
  options.tls_cert_file = cert.string();
  options.tls_key_file = key.string();
  LiveApi api(options);
  api.start();
  EXPECT_TRUE(api.server->url().starts_with("https://127.0.0.1:"));
  const fs::path config = write_config(api.dir.path());
  const ProcessResult identity =
      run_cli(Cli{"aws-cli 2.9", {"/usr/bin/aws"}, "awsQuery", 254}, api.server->url(), config,
              {"sts", "get-caller-identity"}, false);
  ASSERT_EQ(identity.exit_code, 0) << identity.err;
  EXPECT_EQ(Json::parse(identity.out)["Arn"], "arn:aws:iam::123456789012:user/tester");
}

}  // namespace
}  // namespace sgwatch::api
