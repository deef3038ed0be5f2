// Implementation of curl_handle.h.
#include "aws/curl_handle.h"

#include <mutex>

namespace sgwatch::aws::curl {

namespace {

// Owner of a CURLU parse tree.
struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

// One part of a parsed URL; empty when the URL does not have it.
std::string url_part(CURLU* url, CURLUPart part, unsigned int flags = 0) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, flags) != CURLUE_OK || value == nullptr) return {};
  std::string out(value);
  curl_free(value);
  return out;
}

}  // namespace

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Easy make_easy() {
  global_init();
  Easy easy(curl_easy_init());
  if (easy) curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
  return easy;
}

bool HeaderList::append(const std::string& line) {
  curl_slist* longer = curl_slist_append(list_, line.c_str());
  if (longer == nullptr) return false;
  list_ = longer;
  return true;
}

core::Result<UrlParts, std::string> split_url(std::string_view url) {
  global_init();
  if (url.find('\0') != std::string_view::npos) {
    return core::unexpected(std::string("the URL holds a NUL byte"));
  }
  UrlHandle handle(curl_url());
  if (!handle) return core::unexpected(std::string("out of memory"));
  const std::string text(url);
  // No CURLU_GUESS_SCHEME: a URL must say what it is.
  const CURLUcode rc =
      curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME);
  if (rc != CURLUE_OK)
    return core::unexpected(std::string("unusable URL: ") + curl_url_strerror(rc));
  UrlParts parts;
  parts.scheme = url_part(handle.get(), CURLUPART_SCHEME);
  parts.host = url_part(handle.get(), CURLUPART_HOST);
  parts.port = url_part(handle.get(), CURLUPART_PORT);
  parts.path = url_part(handle.get(), CURLUPART_PATH);
  if (parts.path.empty()) parts.path = "/";
  parts.query = url_part(handle.get(), CURLUPART_QUERY);
  char* user = nullptr;
  char* password = nullptr;
  if (curl_url_get(handle.get(), CURLUPART_USER, &user, CURLU_URLDECODE) == CURLUE_OK &&
      user != nullptr) {
    parts.user = user;
    parts.has_credentials = true;
  }
  curl_free(user);
  if (curl_url_get(handle.get(), CURLUPART_PASSWORD, &password, CURLU_URLDECODE) == CURLUE_OK &&
      password != nullptr) {
    parts.password = password;
    parts.has_credentials = true;
  }
  curl_free(password);
  curl_url_set(handle.get(), CURLUPART_USER, nullptr, 0);
  curl_url_set(handle.get(), CURLUPART_PASSWORD, nullptr, 0);
  curl_url_set(handle.get(), CURLUPART_OPTIONS, nullptr, 0);
  curl_url_set(handle.get(), CURLUPART_FRAGMENT, nullptr, 0);  // never sent anyway
  parts.url = url_part(handle.get(), CURLUPART_URL);
  if (parts.scheme.empty() || parts.host.empty() || parts.url.empty()) {
    return core::unexpected(std::string("unusable URL: no scheme or host"));
  }
  return parts;
}

std::string scrub_secrets(std::string text, const std::vector<std::string_view>& secrets) {
  for (const std::string_view secret : secrets) {
    if (secret.empty()) continue;
    for (std::size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "***");
    }
  }
  return text;
}

bool worth_retrying(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_UPLOAD_FAILED:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_QUIC_CONNECT_ERROR:
    case CURLE_PROXY:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_AGAIN:
    case CURLE_UNRECOVERABLE_POLL:
      return true;
    default:
      return false;
  }
}

std::string describe_curl_error(CURLcode code, const char* error_buffer) {
  std::string text = error_buffer != nullptr ? std::string(error_buffer) : std::string();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty()) text = curl_easy_strerror(code);
  return text;
}

}  // namespace sgwatch::aws::curl
