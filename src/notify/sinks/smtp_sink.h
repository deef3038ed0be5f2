// The SMTP sink: mail deliveries (email and email-json subscriptions) handed to one configured
// server with libcurl — STARTTLS when an smtp:// server offers it, TLS from the first byte for
// smtps://, AUTH with the user and password of the URL. A 4xx reply (or no reply: refused
// connection, timeout) is retried, a 5xx reply fails for good. The password never appears in an
// error. Neighbours: sink.h (the interface), aws/curl_handle.h, email_message.h (renders the DATA).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/result.h"
#include "notify/error.h"
#include "notify/sink.h"

namespace sgwatch::notify {

struct SmtpOptions {
  // smtp://[user:password@]host[:port][/ehlo-domain] or smtps://... (user and password
  // percent-encoded when they hold ':', '@' or '/'). Default ports 25 and 465.
  std::string url;
  // The envelope sender (MAIL FROM) of deliveries that name none.
  std::string from;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds total_timeout{60000};
  // PEM bundle of the CAs to trust instead of the system's; empty: the system store.
  std::string ca_file;
  // Certificate and host name verification of the server's TLS certificate.
  bool verify_tls = true;
  // smtp:// only: refuse to send when the server offers no STARTTLS (default: plain text then).
  bool require_tls = false;
};

// The outcome rule of an SMTP transfer that did not succeed: a 4xx reply retries, a 5xx reply
// fails for good; without an error reply (0, or the 2xx/3xx that preceded a dropped connection)
// the transport's own status decides.
SinkStatus smtp_failure_status(long reply_code, SinkStatus transport_status);

class SmtpSink final : public Sink {
 public:
  // Checks the URL (scheme smtp or smtps, a host) and takes the credentials out of it.
  // InvalidParameter otherwise; the message never quotes the password.
  static core::Result<std::unique_ptr<SmtpSink>, Error> create(SmtpOptions options);

  // kMail deliveries: MAIL FROM delivery.mail_from (or the configured sender), RCPT TO
  // delivery.rcpt_to, DATA delivery.data (CRLF lines; libcurl dot-stuffs and ends it).
  SinkOutcome send(const RenderedDelivery& delivery) override;

  // The server as error texts name it, without credentials: "smtp://mail.example.com:587".
  const std::string& server() const { return server_; }

 private:
  SmtpSink(SmtpOptions options, std::string url, std::string user, std::string password,
           bool implicit_tls);

  SmtpOptions options_;
  std::string url_;  // without user information
  std::string server_;
  std::string user_;
  std::string password_;
  bool implicit_tls_ = false;
};

}  // namespace sgwatch::notify
