// The seam between the AWS client and the network: Transport sends one HttpRequest to a URL and
// returns the status, headers and body, or why nothing came back. make_curl_transport is the real
// one (libcurl, http and https); tests inject their own. Neighbours: client.h (signs requests and
// reads answers), imds.h (the instance metadata service), curl_handle.h (libcurl plumbing).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/http_request.h"
#include "core/result.h"

namespace sgwatch::aws {

struct TransportResponse {
  int status = 0;
  std::vector<Header> headers;  // in the order received; the last response's only
  std::string body;

  // The value of the first header named `name` (any case); nullptr when there is none.
  const std::string* find_header(std::string_view name) const;
};

// Injectable for tests. send() never throws: a request that could not be sent, or whose answer
// did not arrive in time, is an error that says what was sent where and why it failed
// ("POST https://logs.us-east-1.amazonaws.com/: Failed to connect to ... : Connection refused").
class Transport {
 public:
  virtual ~Transport() = default;
  // `url` is where to send (scheme, host, port, path and query); `request` gives the method,
  // headers (Host included) and body. Content-Length is the transport's to write.
  virtual core::Result<TransportResponse, std::string> send(const std::string& url,
                                                            const HttpRequest& request,
                                                            std::chrono::milliseconds timeout) = 0;
};

struct CurlTransportOptions {
  // Proxies are never taken from http_proxy / HTTPS_PROXY / NO_PROXY: empty means none at all.
  std::string proxy;
  // The CA bundle to verify servers with; empty: the system's store. Verification is always on.
  std::string ca_file;
  // A longer answer is an error, not a truncated document.
  std::size_t max_response_bytes = std::size_t{256} * 1024 * 1024;
};

// libcurl over HTTP/1.1, http and https only, no redirects followed, TLS peer and host
// verification on, no proxy unless one is given, `timeout` for the connection and for the whole
// exchange. One connection is kept alive between calls; calls are serialised (a mutex), so one
// transport may be shared by threads.
std::unique_ptr<Transport> make_curl_transport();
std::unique_ptr<Transport> make_curl_transport(CurlTransportOptions options);

}  // namespace sgwatch::aws
