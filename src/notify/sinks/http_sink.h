// The HTTP sink: one libcurl POST per delivery (http, https and Slack incoming-webhook
// subscriptions), classified as SNS classifies it (spec 4.6): 2xx delivered; 5xx, 429, timeouts,
// refused connections and DNS failures retried; any other status failed for good. Also the
// transfer itself (http_post) and the status rule, which sms_sink and sns_sink reuse.
// Neighbours: sink.h (the interface), aws/curl_handle.h (libcurl plumbing), sinks.h (the factory).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "notify/sink.h"

namespace sgwatch::notify {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{5000};
  // The whole transfer; SNS waits 15 s for an answer.
  std::chrono::milliseconds total_timeout{15000};
  // PEM bundle of the CAs to trust instead of the system's; empty: the system store.
  std::string ca_file;
  // Certificate and host name verification. Off only for experiments.
  bool verify_tls = true;
  // A proxy URL; empty: no proxy at all (http_proxy and friends in the environment are ignored).
  std::string proxy;
  // The part of a response body that is kept (for error texts and the SNS error document).
  std::size_t max_response_bytes = 64 * 1024;
};

struct HttpResponse {
  long status = 0;
  std::string body;  // at most HttpOptions::max_response_bytes
};

// POSTs `body` with `headers` (in order, nothing added but Host and Content-Length; curl's
// default Accept, Content-Type and Expect are suppressed) to `url`, following no redirects.
// User information in the URL (`https://user:password@host/...`) becomes HTTP Basic
// authentication, as SNS does it. A transfer that got no HTTP answer is the error: a retry
// outcome for timeouts, refused connections, DNS and dropped-connection failures, failed for bad
// URLs, other schemes than http/https, and TLS verification failures. Error texts start with
// "POST <redacted url>" and never hold the URL's user information, path or query.
core::Result<HttpResponse, SinkOutcome> http_post(std::string_view url, const HttpHeaders& headers,
                                                  std::string_view body,
                                                  const HttpOptions& options);

// The outcome of an answered request: 2xx delivered, 5xx and 429 retry, anything else failed.
// Error texts are "<what>: HTTP <status>[: <start of the body>]", with each of `secrets` in the
// body replaced by "***" (servers may echo a webhook's path).
SinkOutcome classify_http_response(const HttpResponse& response, std::string_view what,
                                   const std::vector<std::string_view>& secrets = {});

// http_post, then classify_http_response with the URL's password, path and query (and
// `extra_secrets`, e.g. configured header values) as the secrets.
SinkOutcome post_and_classify(std::string_view url, const HttpHeaders& headers,
                              std::string_view body, const HttpOptions& options,
                              const std::vector<std::string_view>& extra_secrets = {});

// How the sinks name a request in error texts: "POST https://hooks.slack.com/…".
std::string describe_post(std::string_view url);

class HttpSink final : public Sink {
 public:
  explicit HttpSink(HttpOptions options = {}) : options_(std::move(options)) {}

  // kHttp deliveries: POST delivery.body with delivery.headers to delivery.url.
  SinkOutcome send(const RenderedDelivery& delivery) override;

  const HttpOptions& options() const { return options_; }

 private:
  HttpOptions options_;
};

}  // namespace sgwatch::notify
