// Implementation of fake_s3.h.
#include "support/fake_s3.h"

#include "aws/xml_writer.h"

#include <fmt/format.h>

#include <algorithm>

#include "aws/sigv4.h"
#include "core/time.h"

namespace sgwatch::testing {

namespace {


std::string hex(const std::string& bytes) {
  std::string out;
  for (const char c : bytes) out += fmt::format("{:02x}", static_cast<unsigned char>(c));
  return out;
}

std::string unhex(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) out += static_cast<char>(std::stoi(text.substr(i, 2), nullptr, 16));
  return out;
}

aws::TransportResponse answer(int status, std::string body, std::vector<aws::Header> headers = {}) {
  aws::TransportResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

std::string http_date(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return text;
}

class FakeS3 : public aws::Transport {
 public:
  explicit FakeS3(std::shared_ptr<FakeS3State> state) : state_(std::move(state)) {}

  core::Result<aws::TransportResponse, std::string> send(const std::string&, const aws::HttpRequest& request,
                                                         std::chrono::milliseconds) override {
    FakeS3State& s = *state_;
    if (request.method == "POST") return sqs(request);
    // Path style: /bucket[/key].
    std::string path = request.path.substr(1);
    const auto slash = path.find('/');
    const std::string bucket = aws::uri_decode(path.substr(0, slash), false);
    const std::string key = slash == std::string::npos ? std::string() : aws::uri_decode(path.substr(slash + 1), false);
    const auto found = s.buckets.find(bucket);
    if (found == s.buckets.end()) {
      return answer(404, "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>");
    }
    if (key.empty()) {
      s.requests.push_back({"GET", "ListObjectsV2", request.query});
      return list(found->second, request.query);
    }
    s.requests.push_back({request.method, request.method == "HEAD" ? "HeadObject" : "GetObject", key});
    const auto object = found->second.find(key);
    if (object == found->second.end()) {
      return answer(404, request.method == "HEAD"
                             ? std::string()
                             : "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");
    }
    if (request.method == "GET") {
      if (auto failing = s.fail_gets.find(key); failing != s.fail_gets.end() && failing->second > 0) {
        --failing->second;
        return answer(403, "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");
      }
    }
    std::vector<aws::Header> headers = {{"Content-Length", std::to_string(object->second.bytes.size())},
                                        {"Last-Modified", http_date(object->second.last_modified)},
                                        {"ETag", "\"0123456789abcdef\""}};
    return answer(200, request.method == "HEAD" ? std::string() : object->second.bytes, std::move(headers));
  }

 private:
  aws::TransportResponse list(const std::map<std::string, FakeS3State::Object>& objects, const std::string& query) {
    std::string prefix, delimiter, start_after, token;
    std::size_t max_keys = 1000;
    for (const auto& [name, value] : aws::parse_query(query)) {
      if (name == "prefix") prefix = value;
      if (name == "delimiter") delimiter = value;
      if (name == "start-after") start_after = value;
      if (name == "continuation-token") token = unhex(value);
      if (name == "max-keys") max_keys = std::stoul(value);
    }
    const std::string start = std::max(start_after, token);
    std::string contents;
    std::string common;
    std::string last_common;
    std::size_t count = 0;
    std::string next;
    for (auto it = objects.upper_bound(start); it != objects.end(); ++it) {
      const std::string& key = it->first;
      if (!key.starts_with(prefix)) continue;
      if (count == max_keys) {
        next = hex(std::string(last_common.empty() ? std::prev(it)->first : last_common));
        break;
      }
      if (!delimiter.empty()) {
        const auto at = key.find(delimiter, prefix.size());
        if (at != std::string::npos) {
          const std::string cp = key.substr(0, at + delimiter.size());
          if (cp == last_common) continue;
          last_common = cp;
          common += "<CommonPrefixes><Prefix>" + aws::xml_escape(cp) + "</Prefix></CommonPrefixes>";
          ++count;
          // Past every key under this common prefix.
          if (count == max_keys) last_common = cp + "\xff";
          continue;
        }
      }
      last_common.clear();
      contents += fmt::format("<Contents><Key>{}</Key><LastModified>{}</LastModified><ETag>\"0123456789abcdef\"</ETag>"
                              "<Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
                              aws::xml_escape(key), core::format_iso8601(it->second.last_modified).insert(19, ".000"),
                              it->second.bytes.size());
      ++count;
    }
    std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
    body += contents + common;
    body += fmt::format("<KeyCount>{}</KeyCount><IsTruncated>{}</IsTruncated>", count, next.empty() ? "false" : "true");
    if (!next.empty()) body += "<NextContinuationToken>" + next + "</NextContinuationToken>";
    body += "</ListBucketResult>";
    return answer(200, body);
  }

  aws::TransportResponse sqs(const aws::HttpRequest& request) {
    FakeS3State& s = *state_;
    std::map<std::string, std::string> form;
    for (auto& [name, value] : aws::parse_query(request.body)) form[name] = value;
    const std::string action = form["Action"];
    if (action == "ReceiveMessage") {
      s.requests.push_back({"POST", action, form["QueueUrl"]});
      const std::size_t max = std::stoul(form["MaxNumberOfMessages"]);
      std::string messages;
      for (std::size_t i = 0; i < max && !s.visible.empty(); ++i) {
        FakeS3State::Message message = std::move(s.visible.front());
        s.visible.pop_front();
        ++message.receives;
        const std::string handle = fmt::format("handle-{}", ++s.next_handle);
        messages += fmt::format("<Message><MessageId>{}</MessageId><ReceiptHandle>{}</ReceiptHandle>"
                                "<MD5OfBody>x</MD5OfBody><Body>{}</Body></Message>",
                                message.id, handle, aws::xml_escape(message.body));
        s.in_flight.emplace(handle, std::move(message));
      }
      return answer(200, "<ReceiveMessageResponse><ReceiveMessageResult>" + messages +
                             "</ReceiveMessageResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
                             "</ReceiveMessageResponse>");
    }
    if (action == "DeleteMessage") {
      const std::string handle = form["ReceiptHandle"];
      s.requests.push_back({"POST", action, handle});
      const auto found = s.in_flight.find(handle);
      if (found != s.in_flight.end()) {
        s.deleted.push_back(found->second.id);
        s.in_flight.erase(found);
      }
      return answer(200, "<DeleteMessageResponse><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
                         "</DeleteMessageResponse>");
    }
    return answer(400, "<ErrorResponse><Error><Code>InvalidAction</Code><Message>no</Message></Error></ErrorResponse>");
  }

  std::shared_ptr<FakeS3State> state_;
};

}  // namespace

void FakeS3State::release() {
  for (auto& [handle, message] : in_flight) visible.push_back(std::move(message));
  in_flight.clear();
}

std::size_t FakeS3State::count(const std::string& action) const {
  return static_cast<std::size_t>(
      std::count_if(requests.begin(), requests.end(), [&](const Request& r) { return r.action == action; }));
}

std::unique_ptr<aws::Transport> make_fake_s3(std::shared_ptr<FakeS3State> state) {
  return std::make_unique<FakeS3>(std::move(state));
}

}  // namespace sgwatch::testing
