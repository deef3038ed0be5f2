// The SMTP sink against tests/servers/smtp_sink.py (aiosmtpd) on 127.0.0.1: the envelope and
// DATA received exactly (dot-stuffing undone), 451 retried and 550 failed, AUTH with the URL's
// credentials (never shown in errors), STARTTLS with a CA file, implicit TLS (smtps://),
// required TLS, refused connections and a server that never greets.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "notify/json_text.h"
#include "notify/sinks/sinks.h"
#include "support/servers.h"

namespace sgwatch::notify {
namespace {

using sgwatch::testing::ScriptServer;
using namespace std::chrono_literals;

// Mail as render_email writes it: CRLF lines, one starting with a dot.
const std::string kData =
    "Date: Thu, 27 Nov 2025 20:20:45 +0000\r\n"
    "From: AWS Notifications <alerts@sgwatch.example>\r\n"
    "To: oncall@example.com\r\n"
    "Message-ID: <6c1f4a3e@sgwatch.example>\r\n"
    "Subject: ALARM: \"sg-changes\" in US East (N. Virginia)\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "Content-Transfer-Encoding: 7bit\r\n"
    "\r\n"
    "You are receiving this email because your Amazon CloudWatch Alarm ...\r\n"
    ".a line that starts with a dot\r\n"
    ".\r\n"
    "--\r\n";

RenderedDelivery mail(std::string from = "alerts@sgwatch.example") {
  RenderedDelivery d;
  d.kind = DeliveryKind::kMail;
  d.message_id = "6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80";
  d.mail_from = std::move(from);
  d.rcpt_to = "oncall@example.com";
  d.data = kData;
  return d;
}

std::unique_ptr<SmtpSink> make(std::string url, std::string ca_file = "",
                               bool require_tls = false) {
  SmtpOptions options;
  options.url = std::move(url);
  options.from = "default-sender@sgwatch.example";
  options.connect_timeout = 2s;
  options.total_timeout = 5s;
  options.ca_file = std::move(ca_file);
  options.require_tls = require_tls;
  auto sink = SmtpSink::create(std::move(options));
  EXPECT_TRUE(sink) << sink.error().message;
  return std::move(sink).value();
}

std::string smtp_url(const ScriptServer& server, std::string_view userinfo = "",
                     std::string_view scheme = "smtp") {
  return std::string(scheme) + "://" + std::string(userinfo) +
         "127.0.0.1:" + std::to_string(server.port());
}

TEST(SmtpSink, DeliversEnvelopeAndDataExactly) {
  ScriptServer server("smtp_sink.py", {});
  auto sink = make(smtp_url(server));
  const auto outcome = sink->send(mail());
  EXPECT_EQ(outcome.status, SinkStatus::kDelivered) << outcome.error;
  const auto records = server.records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].at("mail_from"), "alerts@sgwatch.example");
  EXPECT_EQ(records[0].at("rcpt_tos"), nlohmann::json::array({"oncall@example.com"}));
  EXPECT_EQ(*base64_decode(records[0].at("data_b64").get<std::string>()), kData);
  EXPECT_EQ(records[0].at("tls"), false);
  EXPECT_EQ(records[0].at("auth"), nullptr);
}

TEST(SmtpSink, ConfiguredSenderWhenTheDeliveryHasNone) {
  ScriptServer server("smtp_sink.py", {});
  auto sink = make(smtp_url(server));
  EXPECT_EQ(sink->send(mail("")).status, SinkStatus::kDelivered);
  const auto records = server.records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].at("mail_from"), "default-sender@sgwatch.example");
}

TEST(SmtpSink, TemporaryRejectionIsRetried) {
  ScriptServer server("smtp_sink.py", {"--rcpt-status", "451"});
  const auto outcome = make(smtp_url(server))->send(mail());
  EXPECT_EQ(outcome.status, SinkStatus::kRetry) << outcome.error;
  EXPECT_NE(outcome.error.find("451"), std::string::npos) << outcome.error;
  EXPECT_EQ(outcome.error.rfind("SMTP smtp://127.0.0.1:" + std::to_string(server.port()) + ": ", 0),
            0u)
      << outcome.error;
  EXPECT_TRUE(server.records().empty());
}

TEST(SmtpSink, PermanentRejectionFails) {
  ScriptServer server("smtp_sink.py", {"--rcpt-status", "550"});
  const auto outcome = make(smtp_url(server))->send(mail());
  EXPECT_EQ(outcome.status, SinkStatus::kFailed) << outcome.error;
  EXPECT_NE(outcome.error.find("550 5.1.1 Mailbox unavailable"), std::string::npos)
      << outcome.error;
}

TEST(SmtpSink, AuthenticatesWithTheUrlCredentials) {
  ScriptServer server("smtp_sink.py", {"--auth", "alice:pa55:w0rd@x"});
  auto sink = make(smtp_url(server, "alice:pa55%3Aw0rd%40x@"));
  const auto outcome = sink->send(mail());
  EXPECT_EQ(outcome.status, SinkStatus::kDelivered) << outcome.error;
  const auto records = server.records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].at("auth"), "alice");
  EXPECT_EQ(sink->server(), "smtp://127.0.0.1:" + std::to_string(server.port()));
}

TEST(SmtpSink, WrongPasswordFailsWithoutShowingIt) {
  ScriptServer server("smtp_sink.py", {"--auth", "alice:right-one"});
  const auto outcome = make(smtp_url(server, "alice:Wr0ngPassw0rd@"))->send(mail());
  EXPECT_EQ(outcome.status, SinkStatus::kFailed) << outcome.error;
  EXPECT_NE(outcome.error.find("535"), std::string::npos) << outcome.error;
  EXPECT_EQ(outcome.error.find("Wr0ngPassw0rd"), std::string::npos) << outcome.error;
  EXPECT_EQ(outcome.error.find("alice"), std::string::npos) << outcome.error;
  EXPECT_TRUE(server.records().empty());
}

TEST(SmtpSink, MissingCredentialsFail) {
  ScriptServer server("smtp_sink.py", {"--auth", "alice:pw"});
  const auto outcome = make(smtp_url(server))->send(mail());
  EXPECT_EQ(outcome.status, SinkStatus::kFailed) << outcome.error;
  EXPECT_NE(outcome.error.find("530"), std::string::npos) << outcome.error;
}

TEST(SmtpSink, StartTlsWithCaFile) {
  sgwatch::testing::TempDir dir;
  const auto cert = sgwatch::testing::make_test_certificate(dir.path());
  ScriptServer server("smtp_sink.py", {"--tls-cert", cert.cert.string(), "--tls-key",
                                       cert.key.string(), "--auth", "alice:tls-secret"});
  const auto ok = make(smtp_url(server, "alice:tls-secret@"), cert.cert.string())->send(mail());
  EXPECT_EQ(ok.status, SinkStatus::kDelivered) << ok.error;
  auto records = server.records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].at("tls"), true);
  EXPECT_EQ(records[0].at("auth"), "alice");

  // Without the CA file the self-signed certificate is not trusted: failed for good.
  const auto untrusted = make(smtp_url(server, "alice:tls-secret@"))->send(mail());
  EXPECT_EQ(untrusted.status, SinkStatus::kFailed) << untrusted.error;
  EXPECT_EQ(untrusted.error.find("tls-secret"), std::string::npos) << untrusted.error;
  EXPECT_EQ(server.records().size(), 1u);
}

TEST(SmtpSink, ImplicitTls) {
  sgwatch::testing::TempDir dir;
  const auto cert = sgwatch::testing::make_test_certificate(dir.path());
  ScriptServer server("smtp_sink.py", {"--tls-cert", cert.cert.string(), "--tls-key",
                                       cert.key.string(), "--implicit-tls"});
  const auto outcome = make(smtp_url(server, "", "smtps"), cert.cert.string())->send(mail());
  EXPECT_EQ(outcome.status, SinkStatus::kDelivered) << outcome.error;
  const auto records = server.records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(*base64_decode(records[0].at("data_b64").get<std::string>()), kData);
}

TEST(SmtpSink, RequiredTlsRefusesAPlainServer) {
  ScriptServer server("smtp_sink.py", {});
  const auto outcome = make(smtp_url(server), "", /*require_tls=*/true)->send(mail());
  EXPECT_EQ(outcome.status, SinkStatus::kFailed) << outcome.error;
  EXPECT_TRUE(server.records().empty());
}

TEST(SmtpSink, ConnectionRefusedIsRetried) {
  const int port = sgwatch::testing::free_port();
  const auto outcome =
      make("smtp://bob:hunter2-secret@127.0.0.1:" + std::to_string(port))->send(mail());
  EXPECT_EQ(outcome.status, SinkStatus::kRetry) << outcome.error;
  EXPECT_EQ(outcome.error.find("hunter2"), std::string::npos) << outcome.error;
  EXPECT_EQ(outcome.error.find("bob"), std::string::npos) << outcome.error;
}

TEST(SmtpSink, SilentServerTimesOutAndIsRetried) {
  // A listening socket that never accepts: the connection completes, the greeting never comes.
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  SmtpOptions options;
  options.url = "smtp://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  options.from = "a@b.example";
  options.connect_timeout = 1s;
  options.total_timeout = 500ms;
  auto sink = SmtpSink::create(options);
  ASSERT_TRUE(sink);
  const auto start = std::chrono::steady_clock::now();
  const auto outcome = (*sink)->send(mail());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  close(fd);
  EXPECT_EQ(outcome.status, SinkStatus::kRetry) << outcome.error;
}

TEST(SmtpSink, BadConfigurationAndDeliveries) {
  auto bad_scheme = SmtpSink::create(
      SmtpOptions{"http://u:topsecret@127.0.0.1:25", "a@b", 1s, 1s, "", true, false});
  ASSERT_FALSE(bad_scheme);
  EXPECT_EQ(bad_scheme.error().code, "InvalidParameter");
  EXPECT_EQ(bad_scheme.error().message.find("topsecret"), std::string::npos)
      << bad_scheme.error().message;
  EXPECT_FALSE(SmtpSink::create(SmtpOptions{"127.0.0.1:25", "a@b", 1s, 1s, "", true, false}));

  auto sink = make("smtp://127.0.0.1:1");
  auto no_rcpt = mail();
  no_rcpt.rcpt_to = "";
  EXPECT_EQ(sink->send(no_rcpt).status, SinkStatus::kFailed);
  auto injected = mail();
  injected.rcpt_to = "a@b.example>\r\nRCPT TO:<c@d.example";
  EXPECT_EQ(sink->send(injected).status, SinkStatus::kFailed);
  RenderedDelivery http;
  EXPECT_EQ(sink->send(http).status, SinkStatus::kFailed);
}

}  // namespace
}  // namespace sgwatch::notify
