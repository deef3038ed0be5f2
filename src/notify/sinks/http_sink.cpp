// Implementation of http_sink.h: one easy handle per POST, headers in the delivery's order, the
// response body kept up to a cap, and the outcome rules of spec 4.6.
#include "notify/sinks/http_sink.h"

#include <algorithm>

#include "aws/curl_handle.h"
#include "core/text.h"
#include "notify/json_text.h"

namespace sgwatch::notify {

namespace {

// Keeps the first `limit` bytes of the response body and discards the rest (the transfer goes
// on: aborting it would turn a 2xx with a long body into an error).
struct BodyCollector {
  std::string* out;
  std::size_t limit;
};

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* collector = static_cast<BodyCollector*>(user);
  const std::size_t bytes = size * count;
  if (collector->out->size() < collector->limit) {
    collector->out->append(data, std::min(bytes, collector->limit - collector->out->size()));
  }
  return bytes;
}

// RFC 9110 token characters.
bool is_token(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return core::is_ascii_alnum(c) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool is_header_value(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool has_header(const HttpHeaders& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [name](const auto& header) {
    return header.first.size() == name.size() &&
           std::equal(name.begin(), name.end(), header.first.begin(),
                      [](char a, char b) { return (a | 0x20) == (b | 0x20); });
  });
}

long milliseconds(std::chrono::milliseconds value) {
  return static_cast<long>(std::max<std::chrono::milliseconds::rep>(value.count(), 1));
}

// The secrets of a split URL that error texts must not show.
std::vector<std::string_view> url_secrets(const aws::curl::UrlParts& parts) {
  std::vector<std::string_view> secrets{parts.password};
  if (parts.path != "/") secrets.push_back(parts.path);
  secrets.push_back(parts.query);
  return secrets;
}

struct Posted {
  HttpResponse response;
  aws::curl::UrlParts url;
};

core::Result<Posted, SinkOutcome> post(std::string_view url, const HttpHeaders& headers,
                                       std::string_view body, const HttpOptions& options) {
  const std::string what = describe_post(url);
  auto split = aws::curl::split_url(url);
  if (!split) return core::unexpected(SinkOutcome::failed(what + ": " + split.error()));
  Posted posted{HttpResponse{}, std::move(*split)};
  const aws::curl::UrlParts& parts = posted.url;
  if (parts.scheme != "http" && parts.scheme != "https") {
    return core::unexpected(SinkOutcome::failed(what + ": not an http or https URL"));
  }

  aws::curl::HeaderList list;
  bool listed = true;
  for (const auto& [name, value] : headers) {
    if (!is_token(name) || !is_header_value(value)) {
      return core::unexpected(SinkOutcome::failed(what + ": header \"" + core::printable(name, 64) +
                                                  "\" is not a valid HTTP header"));
    }
    // "Name;" is libcurl's spelling of a header with an empty value ("Name:" would remove it).
    listed = listed && list.append(value.empty() ? name + ";" : name + ": " + value);
  }
  // libcurl's own defaults would change what the receiver sees.
  for (const char* name : {"Content-Type", "Accept", "Expect"}) {
    if (!has_header(headers, name)) listed = listed && list.append(std::string(name) + ":");
  }
  aws::curl::Easy easy = aws::curl::make_easy();
  if (!listed || !easy) return core::unexpected(SinkOutcome::retry(what + ": out of memory"));

  CURL* handle = easy.get();
  char error_buffer[CURL_ERROR_SIZE] = {};
  BodyCollector collector{&posted.response.body, options.max_response_bytes};
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_URL, parts.url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(handle, CURLOPT_POST, 1L);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(options.connect_timeout));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, milliseconds(options.total_timeout));
  curl_easy_setopt(handle, CURLOPT_PROXY, options.proxy.c_str());
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  if (!options.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, options.ca_file.c_str());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &collector);
  if (parts.has_credentials) {
    curl_easy_setopt(handle, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(handle, CURLOPT_USERNAME, parts.user.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, parts.password.c_str());
  }

  const CURLcode rc = curl_easy_perform(handle);
  if (rc != CURLE_OK) {
    std::string text = aws::curl::scrub_secrets(aws::curl::describe_curl_error(rc, error_buffer),
                                                url_secrets(parts));
    text = what + ": " + text;
    return core::unexpected(aws::curl::worth_retrying(rc) ? SinkOutcome::retry(std::move(text))
                                                          : SinkOutcome::failed(std::move(text)));
  }
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &posted.response.status);
  return posted;
}

}  // namespace

std::string describe_post(std::string_view url) {
  return "POST " + redact_url(url);
}

core::Result<HttpResponse, SinkOutcome> http_post(std::string_view url, const HttpHeaders& headers,
                                                  std::string_view body,
                                                  const HttpOptions& options) {
  auto posted = post(url, headers, body, options);
  if (!posted) return core::unexpected(std::move(posted).error());
  return std::move(posted->response);
}

SinkOutcome classify_http_response(const HttpResponse& response, std::string_view what,
                                   const std::vector<std::string_view>& secrets) {
  if (response.status >= 200 && response.status <= 299) return SinkOutcome::delivered();
  std::string text = std::string(what) + ": HTTP " + std::to_string(response.status);
  const std::string start = valid_utf8(
      core::printable(aws::curl::scrub_secrets(response.body.substr(0, 4096), secrets), 200));
  if (!start.empty()) text += ": " + start;
  const bool retry = (response.status >= 500 && response.status <= 599) || response.status == 429;
  return retry ? SinkOutcome::retry(std::move(text)) : SinkOutcome::failed(std::move(text));
}

SinkOutcome post_and_classify(std::string_view url, const HttpHeaders& headers,
                              std::string_view body, const HttpOptions& options,
                              const std::vector<std::string_view>& extra_secrets) {
  auto posted = post(url, headers, body, options);
  if (!posted) return std::move(posted).error();
  std::vector<std::string_view> secrets = url_secrets(posted->url);
  secrets.insert(secrets.end(), extra_secrets.begin(), extra_secrets.end());
  return classify_http_response(posted->response, describe_post(url), secrets);
}

SinkOutcome HttpSink::send(const RenderedDelivery& delivery) {
  if (delivery.kind != DeliveryKind::kHttp) {
    return SinkOutcome::failed("the http sink cannot send a " +
                               std::string(delivery_kind_name(delivery.kind)) + " delivery");
  }
  return post_and_classify(delivery.url, delivery.headers, delivery.body, options_);
}

}  // namespace sgwatch::notify
