// The served API under load, end to end over HTTP (scripts/bench-serve runs it; figures in
// docs/PERFORMANCE.md):
//   throughput  signed PutLogEvents calls (agent-sized batches of gen-cloudtrail JSON lines) into
//               a log group carrying every cis-v3 metric filter with the CIS default alarm on
//               each, one call at a time per kept-alive connection (one or more connections,
//               each writing its own stream, as agents on several hosts do); events/s and MB/s. The
//               same client, batches and setup go to any endpoint, so the peer (moto_server)
//               runs the identical workload. With --check, the metrics the filters published are
//               read back (GetMetricStatistics) and must equal the generator's manifest.
//   latency     PutLogEvents of one AuthorizeSecurityGroupIngress record to the alarm mail at a
//               real SMTP server (tests/servers/smtp_sink.py, which stamps each mail with its
//               arrival time): each trial has its own alarm, on a dimension of its own, so that
//               every trial is one INSUFFICIENT_DATA -> ALARM transition on arrival. The floor
//               beside it: the same mail sent straight to the same SMTP server with libcurl.
// Usage:
//   sgwatch_serve_bench throughput --endpoint URL --corpus FILE.jsonl [--manifest FILE --check]
//                      [--rounds N] [--connections N]
//   sgwatch_serve_bench latency --endpoint URL --smtp-record FILE --smtp-url URL [--trials N]
// Credentials: --access-key, --secret-key; region --region (default us-east-1).
#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "aws/aws.h"
#include "core/time.h"
#include "rules/rules.h"

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "sgwatch_serve_bench: %s\n", what.c_str());
  std::exit(2);
}

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double unix_seconds_precise() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Settings {
  std::string endpoint;
  std::string host;  // host:port of the endpoint, for the Host header
  std::string region = "us-east-1";
  sgwatch::aws::Credentials credentials{"AKIASGWATCHBENCH0001", "c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1", ""};
};

// One kept-alive connection; each call signed with SigV4.
class Client {
 public:
  explicit Client(Settings settings) : settings_(std::move(settings)), curl_(curl_easy_init()) {
    if (curl_ == nullptr) fail("curl_easy_init failed");
  }
  ~Client() { curl_easy_cleanup(curl_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // POST / to `service` with `headers` and `body`; returns the status and the body.
  std::pair<long, std::string> post(const std::string& service, std::vector<sgwatch::aws::Header> headers,
                                    std::string body) {
    sgwatch::aws::HttpRequest request;
    request.method = "POST";
    request.path = "/";
    request.headers = std::move(headers);
    request.headers.push_back({"Host", settings_.host});
    request.body = std::move(body);
    auto signed_request = sgwatch::aws::sign(request, settings_.credentials, settings_.region, service, unix_ms() / 1000);
    if (!signed_request) fail("cannot sign: " + signed_request.error().message);
    curl_slist* list = nullptr;
    for (const auto& header : request.headers) {
      if (header.name == "Host") continue;
      list = curl_slist_append(list, (header.name + ": " + header.value).c_str());
    }
    list = curl_slist_append(list, "Expect:");
    std::string response;
    curl_easy_setopt(curl_, CURLOPT_URL, (settings_.endpoint + "/").c_str());
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* out) -> size_t {
      static_cast<std::string*>(out)->append(data, size * n);
      return size * n;
    });
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response);
    const CURLcode code = curl_easy_perform(curl_);
    curl_slist_free_all(list);
    if (code != CURLE_OK) fail(fmt::format("POST {}: {}", settings_.endpoint, curl_easy_strerror(code)));
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    return {status, response};
  }

  Json logs(const std::string& operation, const Json& input, bool allow_exists = false) {
    auto [status, body] = post("logs",
                               {{"Content-Type", "application/x-amz-json-1.1"},
                                {"X-Amz-Target", "Logs_20140328." + operation}},
                               input.dump());
    if (status != 200) {
      if (allow_exists && body.find("ResourceAlreadyExistsException") != std::string::npos) return Json::object();
      fail(fmt::format("logs {}: HTTP {}: {}", operation, status, body.substr(0, 400)));
    }
    return body.empty() ? Json::object() : Json::parse(body, nullptr, false);
  }

  // An awsQuery call (CloudWatch, SNS): form parameters in, XML out.
  std::string query(const std::string& service, const std::string& version,
                    const std::vector<std::pair<std::string, std::string>>& parameters) {
    std::string body;
    for (const auto& [name, value] : parameters) {
      if (!body.empty()) body += '&';
      body += sgwatch::aws::uri_encode(name, true) + "=" + sgwatch::aws::uri_encode(value, true);
    }
    body += "&Version=" + version;
    auto [status, response] =
        post(service, {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}}, std::move(body));
    if (status != 200) fail(fmt::format("{} {}: HTTP {}: {}", service, parameters.front().second, status, response.substr(0, 400)));
    return response;
  }

 private:
  Settings settings_;
  CURL* curl_;
};

// The text between <tag> and </tag> after `from`, or nullopt.
std::optional<std::string> xml_value(const std::string& xml, const std::string& tag, std::size_t& from) {
  const std::string open = "<" + tag + ">";
  const std::size_t start = xml.find(open, from);
  if (start == std::string::npos) return std::nullopt;
  const std::size_t end = xml.find("</" + tag + ">", start);
  if (end == std::string::npos) return std::nullopt;
  from = end;
  return xml.substr(start + open.size(), end - start - open.size());
}

void put_alarm(Client& client, const std::string& name, const std::string& metric, const std::string& name_space,
               const std::vector<std::pair<std::string, std::string>>& dimensions, const std::string& action) {
  std::vector<std::pair<std::string, std::string>> p{{"Action", "PutMetricAlarm"},
                                                     {"AlarmName", name},
                                                     {"MetricName", metric},
                                                     {"Namespace", name_space},
                                                     {"Statistic", "Sum"},
                                                     {"Period", "300"},
                                                     {"EvaluationPeriods", "1"},
                                                     {"Threshold", "1"},
                                                     {"ComparisonOperator", "GreaterThanOrEqualToThreshold"}};
  for (std::size_t i = 0; i < dimensions.size(); ++i) {
    p.emplace_back(fmt::format("Dimensions.member.{}.Name", i + 1), dimensions[i].first);
    p.emplace_back(fmt::format("Dimensions.member.{}.Value", i + 1), dimensions[i].second);
  }
  if (!action.empty()) p.emplace_back("AlarmActions.member.1", action);
  client.query("monitoring", "2010-08-01", p);
}

// ---- throughput ----------------------------------------------------------------------------

constexpr std::size_t kMaxBatchBytes = 1048576;
constexpr std::size_t kEventOverhead = 26;
constexpr std::size_t kMaxBatchEvents = 10000;
const std::string kGroup = "aws-cloudtrail-logs";
const std::string kStream = "123456789012_CloudTrail_us-east-1";

int throughput(const Settings& settings, const std::string& corpus_path, const std::string& manifest_path,
               bool check, int rounds, int connections) {
  std::ifstream in(corpus_path);
  if (!in) fail("cannot read " + corpus_path);
  std::vector<std::string> records;
  std::size_t bytes = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    bytes += line.size();
    records.push_back(std::move(line));
  }
  // Batches as an agent fills them.
  std::vector<std::pair<std::size_t, std::size_t>> batches;
  std::size_t begin = 0;
  std::size_t batch_bytes = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::size_t size = records[i].size() + kEventOverhead;
    if (batch_bytes + size > kMaxBatchBytes || i - begin == kMaxBatchEvents) {
      batches.emplace_back(begin, i);
      begin = i;
      batch_bytes = 0;
    }
    batch_bytes += size;
  }
  if (begin < records.size()) batches.emplace_back(begin, records.size());

  Client client(settings);
  client.logs("CreateLogGroup", {{"logGroupName", kGroup}}, true);
  // One stream per connection, as agents on several hosts write to a group at once.
  const auto stream_of = [](int connection) { return fmt::format("{}-{}", kStream, connection); };
  for (int c = 0; c < connections; ++c) {
    client.logs("CreateLogStream", {{"logGroupName", kGroup}, {"logStreamName", stream_of(c)}}, true);
  }
  const auto* pack = sgwatch::rules::find_pack("cis-v3");
  for (const auto& filter : pack->filters) {
    client.logs("PutMetricFilter",
                {{"logGroupName", kGroup},
                 {"filterName", filter.name},
                 {"filterPattern", filter.pattern},
                 {"metricTransformations", Json::array({{{"metricName", filter.name},
                                                         {"metricNamespace", std::string(sgwatch::rules::kNamespace)},
                                                         {"metricValue", "1"}}})}});
    put_alarm(client, filter.name, filter.name, std::string(sgwatch::rules::kNamespace), {}, "");
  }

  // The request bodies, stamped with the time the timed run starts (a second apart per round).
  const std::int64_t start_ms = unix_ms();
  auto body_of = [&](std::size_t b, std::int64_t timestamp) {
    Json events = Json::array();
    for (std::size_t i = batches[b].first; i < batches[b].second; ++i) {
      events.push_back({{"timestamp", timestamp}, {"message", records[i]}});
    }
    const int connection = static_cast<int>(b % static_cast<std::size_t>(connections));
    return Json{{"logGroupName", kGroup}, {"logStreamName", stream_of(connection)}, {"logEvents", std::move(events)}}
        .dump();
  };
  std::vector<std::vector<std::string>> bodies(static_cast<std::size_t>(rounds));
  for (int r = 0; r < rounds; ++r) {
    for (std::size_t b = 0; b < batches.size(); ++b) bodies[static_cast<std::size_t>(r)].push_back(body_of(b, start_ms + r * 1000));
  }

  // Connection c sends batches c, c + N, c + 2N, ... of each round, in order, on its own
  // kept-alive connection; a round ends when every connection is done.
  std::vector<std::unique_ptr<Client>> clients;
  for (int c = 0; c < connections; ++c) clients.push_back(std::make_unique<Client>(settings));
  std::vector<double> seconds;
  for (int r = 0; r < rounds; ++r) {
    const auto& round = bodies[static_cast<std::size_t>(r)];
    const auto t0 = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < connections; ++c) {
      threads.emplace_back([&, c] {
        for (std::size_t b = static_cast<std::size_t>(c); b < round.size(); b += static_cast<std::size_t>(connections)) {
          auto [status, response] = clients[static_cast<std::size_t>(c)]->post(
              "logs", {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "Logs_20140328.PutLogEvents"}},
              round[b]);
          if (status != 200) fail(fmt::format("PutLogEvents: HTTP {}: {}", status, response.substr(0, 400)));
          if (response.find("rejectedLogEventsInfo") != std::string::npos) fail("events were rejected: " + response);
        }
      });
    }
    for (auto& thread : threads) thread.join();
    seconds.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  std::vector<double> sorted = seconds;
  std::sort(sorted.begin(), sorted.end());
  const double median = sorted[sorted.size() / 2];
  Json out{{"events", records.size()},
           {"bytes", bytes},
           {"batches", batches.size()},
           {"rounds", rounds},
           {"connections", connections},
           {"seconds", seconds},
           {"median_seconds", median},
           {"events_per_second", static_cast<double>(records.size()) / median},
           {"mb_per_second", static_cast<double>(bytes) / 1e6 / median}};

  if (check) {
    std::ifstream manifest_in(manifest_path);
    const Json manifest = Json::parse(manifest_in, nullptr, false);
    if (manifest.is_discarded()) fail("cannot read the manifest " + manifest_path);
    std::size_t compared = 0;
    for (const auto& [item, count] : manifest.at("cis_v3_matches").items()) {
      const std::string metric = "cis-v3-" + item;
      const std::string xml = client.query(
          "monitoring", "2010-08-01",
          {{"Action", "GetMetricStatistics"}, {"Namespace", std::string(sgwatch::rules::kNamespace)},
           {"MetricName", metric}, {"StartTime", sgwatch::core::format_iso8601((start_ms / 1000 / 3600 - 1) * 3600)},
           {"EndTime", sgwatch::core::format_iso8601((start_ms / 1000 / 3600 + 3) * 3600)}, {"Period", "3600"},
           {"Statistics.member.1", "Sum"}});
      double sum = 0;
      std::size_t from = 0;
      while (auto value = xml_value(xml, "Sum", from)) sum += std::stod(*value);
      const double expected = count.get<double>() * rounds;
      if (sum != expected) {
        fail(fmt::format("{}: the served metric sums to {}, the manifest says {} x {} rounds", metric, sum,
                         count.get<double>(), rounds));
      }
      ++compared;
    }
    out["checked_filters"] = compared;
  }
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

// ---- latency -------------------------------------------------------------------------------

std::vector<Json> mails(const std::string& record_file) {
  std::vector<Json> out;
  std::ifstream in(record_file);
  for (std::string line; std::getline(in, line);) {
    Json mail = Json::parse(line, nullptr, false);
    if (!mail.is_discarded()) out.push_back(std::move(mail));
  }
  return out;
}

// The first mail (at or after `skip`) whose text holds `needle`; waits up to `timeout`.
std::optional<Json> wait_for_mail(const std::string& record_file, const std::string& needle, std::size_t& skip,
                                  std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    auto all = mails(record_file);
    for (std::size_t i = skip; i < all.size(); ++i) {
      const std::string data = all[i].value("data", "");
      // Quoted-printable bodies may break a long needle over lines; the subject never is.
      if (data.find(needle) != std::string::npos) {
        skip = i + 1;
        return all[i];
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return std::nullopt;
}

std::string http_get(const std::string& url) {
  CURL* curl = curl_easy_init();
  std::string body;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* out) -> size_t {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
  });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK || status != 200) fail(fmt::format("GET {}: {} {}", url, curl_easy_strerror(code), status));
  return body;
}

// Sends one mail straight to the SMTP server (the floor of any mail's latency).
void send_direct_mail(const std::string& smtp_url, const std::string& subject) {
  CURL* curl = curl_easy_init();
  const std::string message = fmt::format(
      "From: bench@example.com\r\nTo: ops@example.com\r\nSubject: {}\r\n\r\nA direct mail of the same size class.\r\n",
      subject);
  std::size_t offset = 0;
  struct Upload {
    const std::string* text;
    std::size_t* offset;
  } upload{&message, &offset};
  curl_slist* rcpt = curl_slist_append(nullptr, "<ops@example.com>");
  curl_easy_setopt(curl, CURLOPT_URL, smtp_url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, "<bench@example.com>");
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, +[](char* buffer, size_t size, size_t n, void* data) -> size_t {
    auto* u = static_cast<Upload*>(data);
    const std::size_t left = u->text->size() - *u->offset;
    const std::size_t take = std::min(left, size * n);
    std::copy_n(u->text->data() + *u->offset, take, buffer);
    *u->offset += take;
    return take;
  });
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) fail(fmt::format("direct mail: {}", curl_easy_strerror(code)));
}

Json percentiles(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))]; };
  return Json{{"n", ms.size()}, {"p50_ms", at(0.5)}, {"p90_ms", at(0.9)}, {"p99_ms", at(0.99)}, {"max_ms", ms.back()}};
}

int latency(const Settings& settings, const std::string& record_file, const std::string& smtp_url, int trials) {
  Client client(settings);
  const std::string group = "latency-probe";
  client.logs("CreateLogGroup", {{"logGroupName", group}}, true);
  client.logs("CreateLogStream", {{"logGroupName", group}, {"logStreamName", "probe"}}, true);
  client.logs("PutMetricFilter",
              {{"logGroupName", group},
               {"filterName", "ingress"},
               {"filterPattern", "{ $.eventName = AuthorizeSecurityGroupIngress }"},
               {"metricTransformations", Json::array({{{"metricName", "IngressChanges"},
                                                       {"metricNamespace", "sgwatch-bench"},
                                                       {"metricValue", "1"},
                                                       {"dimensions", {{"GroupId", "$.requestParameters.groupId"}}}}})}});
  const std::string xml = client.query("sns", "2010-03-31", {{"Action", "CreateTopic"}, {"Name", "latency-probe"}});
  std::size_t from = 0;
  const auto topic = xml_value(xml, "TopicArn", from);
  if (!topic) fail("CreateTopic answered without a TopicArn: " + xml);
  std::size_t seen = mails(record_file).size();
  client.query("sns", "2010-03-31",
               {{"Action", "Subscribe"}, {"TopicArn", *topic}, {"Protocol", "email"}, {"Endpoint", "ops@example.com"}});
  auto confirmation = wait_for_mail(record_file, "/sns/confirm?", seen, std::chrono::seconds(10));
  if (!confirmation) fail("no confirmation mail arrived");
  const std::string text = confirmation->value("data", "");
  // The link, with quoted-printable soft breaks and =3D undone.
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "=\r\n") == 0) {
      i += 2;
    } else if (text.compare(i, 3, "=3D") == 0) {
      decoded += '=';
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  const std::size_t link = decoded.find(settings.endpoint + "/sns/confirm?");
  if (link == std::string::npos) fail("no link in the confirmation mail");
  http_get(decoded.substr(link, decoded.find_first_of("\r\n <\"", link) - link));

  // One alarm per trial, each on its own GroupId dimension: every trial is one transition.
  for (int t = 0; t < trials; ++t) {
    put_alarm(client, fmt::format("probe-{:04}", t), "IngressChanges", "sgwatch-bench",
              {{"GroupId", fmt::format("sg-{:017x}", t)}}, *topic);
  }
  std::vector<double> through_sgwatch;
  std::vector<double> direct;
  for (int t = 0; t < trials; ++t) {
    const std::string group_id = fmt::format("sg-{:017x}", t);
    const Json record{{"eventVersion", "1.08"},
                      {"userIdentity", {{"type", "IAMUser"}, {"arn", "arn:aws:iam::123456789012:user/bench"}}},
                      {"eventTime", "2026-11-28T00:00:00Z"},
                      {"eventSource", "ec2.amazonaws.com"},
                      {"eventName", "AuthorizeSecurityGroupIngress"},
                      {"awsRegion", settings.region},
                      {"sourceIPAddress", "203.0.113.7"},
                      {"requestParameters",
                       {{"groupId", group_id},
                        {"ipPermissions",
                         {{"items", Json::array({{{"ipProtocol", "tcp"}, {"fromPort", 22}, {"toPort", 22},
                                                  {"ipRanges", {{"items", Json::array({{{"cidrIp", "0.0.0.0/0"}}})}}}}})}}}}},
                      {"eventID", fmt::format("00000000-0000-4000-8000-{:012}", t)},
                      {"recipientAccountId", "123456789012"}};
    const std::string body =
        Json{{"logGroupName", group},
             {"logStreamName", "probe"},
             {"logEvents", Json::array({{{"timestamp", unix_ms()}, {"message", record.dump()}}})}}
            .dump();
    const double sent = unix_seconds_precise();
    auto [status, response] = client.post(
        "logs", {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "Logs_20140328.PutLogEvents"}}, body);
    if (status != 200) fail(fmt::format("PutLogEvents: HTTP {}: {}", status, response));
    auto mail = wait_for_mail(record_file, fmt::format("probe-{:04}", t), seen, std::chrono::seconds(10));
    if (!mail) fail(fmt::format("trial {}: no alarm mail within 10 s", t));
    through_sgwatch.push_back((mail->value("received", 0.0) - sent) * 1000);

    const std::string subject = fmt::format("direct-{:04}", t);
    const double direct_sent = unix_seconds_precise();
    send_direct_mail(smtp_url, subject);
    auto direct_mail = wait_for_mail(record_file, subject, seen, std::chrono::seconds(10));
    if (!direct_mail) fail("the direct mail did not arrive");
    direct.push_back((direct_mail->value("received", 0.0) - direct_sent) * 1000);
  }
  std::printf("%s\n", Json{{"put_log_events_to_mail", percentiles(through_sgwatch)},
                           {"direct_smtp_send", percentiles(direct)}}
                          .dump()
                          .c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) fail("usage: sgwatch_serve_bench throughput|latency --endpoint URL ...");
  const std::string mode = argv[1];
  std::map<std::string, std::string> args;
  bool check = false;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--check") {
      check = true;
    } else if (arg.starts_with("--") && i + 1 < argc) {
      args[arg.substr(2)] = argv[++i];
    } else {
      fail("unexpected argument " + arg);
    }
  }
  Settings settings;
  settings.endpoint = args["endpoint"];
  if (!settings.endpoint.starts_with("http://")) fail("--endpoint http://HOST:PORT is required");
  settings.host = settings.endpoint.substr(7);
  if (args.count("region")) settings.region = args["region"];
  if (args.count("access-key")) settings.credentials.access_key_id = args["access-key"];
  if (args.count("secret-key")) settings.credentials.secret_access_key = args["secret-key"];
  curl_global_init(CURL_GLOBAL_DEFAULT);
  if (mode == "throughput") {
    return throughput(settings, args["corpus"], args["manifest"], check,
                      args.count("rounds") ? std::stoi(args["rounds"]) : 3,
                      args.count("connections") ? std::max(1, std::stoi(args["connections"])) : 1);
  }
  if (mode == "latency") {
    return latency(settings, args["smtp-record"], args["smtp-url"],
                   args.count("trials") ? std::stoi(args["trials"]) : 100);
  }
  fail("unknown mode " + mode);
}
