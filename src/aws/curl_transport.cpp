// The libcurl Transport of transport.h: one easy handle reused between calls (so the connection
// stays alive across pages and retries), reset and configured afresh for every request; headers
// exactly as the request lists them, libcurl's own defaults (Accept, Expect, a form Content-Type)
// suppressed; the response's headers and body collected up to a cap.
#include <algorithm>
#include <mutex>
#include <utility>

#include "aws/curl_handle.h"
#include "aws/transport.h"
#include "core/text.h"

namespace sgwatch::aws {

namespace {

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

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

struct Collector {
  TransportResponse* response = nullptr;
  std::size_t limit = 0;
  bool too_large = false;
};

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* collector = static_cast<Collector*>(user);
  const std::size_t bytes = size * count;
  if (collector->response->body.size() + bytes > collector->limit) {
    collector->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  collector->response->body.append(data, bytes);
  return bytes;
}

// One header line at a time; a status line starts a new response (an interim 1xx, say), whose
// headers replace the earlier ones.
std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* collector = static_cast<Collector*>(user);
  const std::size_t bytes = size * count;
  const std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {
    collector->response->headers.clear();
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return bytes;
  collector->response->headers.push_back(
      Header{std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
  return bytes;
}

long milliseconds(std::chrono::milliseconds value) {
  return static_cast<long>(std::clamp<std::chrono::milliseconds::rep>(value.count(), 1, 86400000));
}

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CurlTransportOptions options) : options_(std::move(options)) {}

  core::Result<TransportResponse, std::string> send(const std::string& url,
                                                    const HttpRequest& request,
                                                    std::chrono::milliseconds timeout) override {
    const std::string method = request.method.empty() ? std::string("GET") : request.method;
    auto split = curl::split_url(url);
    if (!split) return core::unexpected(method + " (URL not shown): " + split.error());
    const curl::UrlParts& parts = *split;
    const std::string what = method + " " + parts.url;
    if (parts.scheme != "http" && parts.scheme != "https") {
      return core::unexpected(what + ": only http and https URLs are supported");
    }
    if (parts.has_credentials) {
      return core::unexpected(what + ": the URL must not carry a user name or password");
    }
    if (!is_token(method)) return core::unexpected(what + ": the method is not an HTTP token");

    curl::HeaderList list;
    bool listed = true;
    for (const Header& header : request.headers) {
      if (!is_token(header.name) || !is_header_value(header.value)) {
        return core::unexpected(what + ": header \"" + core::printable(header.name, 64) +
                                "\" is not a valid HTTP header");
      }
      if (header_name_equals(header.name, "Content-Length")) continue;  // libcurl writes it
      // "Name;" is libcurl's spelling of a header with an empty value ("Name:" would remove it).
      listed = listed && list.append(header.value.empty() ? header.name + ";"
                                                          : header.name + ": " + header.value);
    }
    // libcurl's own defaults would change what was signed or what the server sees.
    for (const char* name : {"Content-Type", "Accept", "Expect"}) {
      if (request.find_header(name) == nullptr)
        listed = listed && list.append(std::string(name) + ":");
    }
    if (!listed) return core::unexpected(what + ": out of memory for the header list");

    const std::lock_guard<std::mutex> lock(mutex_);
    if (!easy_) easy_ = curl::make_easy();
    if (!easy_) return core::unexpected(what + ": libcurl could not create a handle");
    CURL* handle = easy_.get();
    curl_easy_reset(handle);  // keeps the connection cache

    TransportResponse response;
    Collector collector{&response, options_.max_response_bytes, false};
    char error_buffer[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(handle, CURLOPT_URL, parts.url.c_str());
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(handle, CURLOPT_PROXY, options_.proxy.c_str());
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_file.empty())
      curl_easy_setopt(handle, CURLOPT_CAINFO, options_.ca_file.c_str());
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(timeout));
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, milliseconds(timeout));
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &collector);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, collect_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &collector);

    const bool has_body =
        !request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
    if (method == "HEAD") {
      curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
    } else if (has_body) {
      curl_easy_setopt(handle, CURLOPT_POST, 1L);
      curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      if (method != "POST") curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, method.c_str());
    } else {
      curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
      if (method != "GET") curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, method.c_str());
    }

    const CURLcode rc = curl_easy_perform(handle);
    if (collector.too_large) {
      easy_.reset();  // the connection holds the rest of the answer
      return core::unexpected(what + ": the response is larger than " +
                              std::to_string(options_.max_response_bytes) + " bytes");
    }
    if (rc != CURLE_OK) {
      return core::unexpected(what + ": " + curl::describe_curl_error(rc, error_buffer));
    }
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
  }

 private:
  CurlTransportOptions options_;
  std::mutex mutex_;
  curl::Easy easy_;
};

}  // namespace

const std::string* TransportResponse::find_header(std::string_view name) const {
  for (const Header& header : headers) {
    if (header_name_equals(header.name, name)) return &header.value;
  }
  return nullptr;
}

std::unique_ptr<Transport> make_curl_transport() {
  return make_curl_transport(CurlTransportOptions{});
}

std::unique_ptr<Transport> make_curl_transport(CurlTransportOptions options) {
  return std::make_unique<CurlTransport>(std::move(options));
}

}  // namespace sgwatch::aws
