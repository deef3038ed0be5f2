// The libcurl plumbing every HTTP and SMTP client shares: which curl results are worth another
// attempt, error texts, URL splitting (user information kept out of URLs and messages) and secret
// scrubbing. No network: the transports against real servers are in tests/integration/.
#include "aws/curl_handle.h"

#include <gtest/gtest.h>

namespace sgwatch::aws {
namespace {

TEST(CurlHandle, CurlResults) {
  for (const CURLcode code : {CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST,
                              CURLE_OPERATION_TIMEDOUT, CURLE_RECV_ERROR, CURLE_SEND_ERROR,
                              CURLE_GOT_NOTHING, CURLE_SSL_CONNECT_ERROR, CURLE_PARTIAL_FILE}) {
    EXPECT_TRUE(curl::worth_retrying(code)) << curl_easy_strerror(code);
  }
  for (const CURLcode code :
       {CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_PEER_FAILED_VERIFICATION,
        CURLE_SSL_CACERT_BADFILE, CURLE_LOGIN_DENIED, CURLE_USE_SSL_FAILED}) {
    EXPECT_FALSE(curl::worth_retrying(code)) << curl_easy_strerror(code);
  }
  EXPECT_EQ(curl::describe_curl_error(CURLE_COULDNT_CONNECT, ""), "Couldn't connect to server");
  EXPECT_EQ(curl::describe_curl_error(CURLE_COULDNT_CONNECT, "Failed to connect\n"),
            "Failed to connect");
}

TEST(CurlHandle, SplitUrl) {
  const auto parts = curl::split_url("https://us%40er:p%3Ass@hooks.example.com:8443/a/b?t=1#frag");
  ASSERT_TRUE(parts) << parts.error();
  EXPECT_EQ(parts->url, "https://hooks.example.com:8443/a/b?t=1");
  EXPECT_EQ(parts->scheme, "https");
  EXPECT_EQ(parts->host, "hooks.example.com");
  EXPECT_EQ(parts->port, "8443");
  EXPECT_EQ(parts->path, "/a/b");
  EXPECT_EQ(parts->query, "t=1");
  EXPECT_EQ(parts->user, "us@er");
  EXPECT_EQ(parts->password, "p:ss");
  EXPECT_TRUE(parts->has_credentials);

  const auto bare = curl::split_url("http://[::1]");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->host, "[::1]");
  EXPECT_EQ(bare->port, "");
  EXPECT_EQ(bare->path, "/");
  EXPECT_FALSE(bare->has_credentials);

  for (const char* bad : {"", "hooks.example.com/x", "http://", "http://a b/"}) {
    EXPECT_FALSE(curl::split_url(bad)) << bad;
  }
  const auto error = curl::split_url("https://user:secretpw@exa mple.com/");
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().find("secretpw"), std::string::npos) << error.error();
}

TEST(CurlHandle, ScrubSecrets) {
  EXPECT_EQ(curl::scrub_secrets("pw=hunter2 and hunter2hunter2", {"hunter2"}), "pw=*** and ******");
  EXPECT_EQ(curl::scrub_secrets("a/b/c", {"", "/b"}), "a***/c");
  // A secret that contains the replacement does not loop.
  EXPECT_EQ(curl::scrub_secrets("x***y", {"***"}), "x***y");
}

}  // namespace
}  // namespace sgwatch::aws
