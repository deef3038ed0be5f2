// libcurl plumbing shared by every HTTP and SMTP client of sgwatch: the one global initialisation
// (std::call_once), owners for easy handles and header lists, the split of a URL into its parts
// with the user information taken out (credentials go to CURLOPT_USERNAME/PASSWORD, never into a
// URL or a message), which curl results are worth retrying, and the scrubbing of secrets out of
// error texts. Neighbours: curl_transport.cpp (the AWS client's transport) and, above this
// module, notify's http_sink (HTTP POST, reused by sms_sink and sns_sink) and smtp_sink.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sgwatch::aws::curl {

// curl_global_init(CURL_GLOBAL_DEFAULT), once per process, before the first handle.
void global_init();

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;

// A fresh easy handle with CURLOPT_NOSIGNAL set (timeouts must not use SIGALRM in a threaded
// program); nullptr when libcurl cannot allocate one.
Easy make_easy();

// A curl_slist freed with its owner.
class HeaderList {
 public:
  HeaderList() = default;
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
  ~HeaderList() { curl_slist_free_all(list_); }

  // False when libcurl cannot allocate the entry.
  bool append(const std::string& line);
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

// A URL as libcurl reads it, with the user information removed and decoded.
struct UrlParts {
  std::string url;  // the URL without user information and fragment, as handed to CURLOPT_URL
  std::string scheme;
  std::string host;      // IPv6 addresses in brackets
  std::string port;      // only when the URL spells one
  std::string path;      // "/" when the URL has none
  std::string query;     // without '?'
  std::string user;      // percent-decoded; empty when absent
  std::string password;  // percent-decoded; empty when absent
  bool has_credentials = false;
};

// Parses `url` (scheme required). The error text never quotes the URL.
core::Result<UrlParts, std::string> split_url(std::string_view url);

// `text` with every occurrence of each non-empty secret replaced by "***".
std::string scrub_secrets(std::string text, const std::vector<std::string_view>& secrets);

// Whether a failed transfer is worth another attempt: connection refused, DNS failure, timeout,
// a connection dropped mid-way, a TLS handshake broken off. Bad URLs, unsupported protocols,
// certificate verification failures and rejected logins are for good.
bool worth_retrying(CURLcode code);

// What went wrong in words: curl's error buffer when it says something, else curl_easy_strerror.
std::string describe_curl_error(CURLcode code, const char* error_buffer);

}  // namespace sgwatch::aws::curl
