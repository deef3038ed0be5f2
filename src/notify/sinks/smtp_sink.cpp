// Implementation of smtp_sink.h: one easy handle per mail, the DATA fed from the delivery by a
// read callback, the server's last reply line captured through the debug callback (so errors
// can quote "550 5.1.1 ..."), and the reply code deciding between retry and failed.
#include "notify/sinks/smtp_sink.h"

#include <algorithm>
#include <cstring>

#include "aws/curl_handle.h"
#include "core/text.h"
#include "notify/json_text.h"

namespace sgwatch::notify {

namespace {

// Feeds the DATA to libcurl.
struct DataReader {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t read_data(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* reader = static_cast<DataReader*>(user);
  const std::size_t bytes = std::min(size * count, reader->data.size() - reader->offset);
  std::memcpy(buffer, reader->data.data() + reader->offset, bytes);
  reader->offset += bytes;
  return bytes;
}

// The last error reply line (4xx or 5xx) the server sent ("550 5.1.1 <x@y>: Recipient address
// rejected"); the "221 Bye" of the QUIT that follows an error must not replace it. Only incoming
// lines are looked at: outgoing ones carry AUTH data.
int keep_last_reply(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  auto* last = static_cast<std::string*>(user);
  std::string_view line(data, std::min<std::size_t>(size, 512));
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.size() >= 3 && (line[0] == '4' || line[0] == '5') && core::is_ascii_digit(line[1]) &&
      core::is_ascii_digit(line[2])) {
    last->assign(line);
  }
  return 0;
}

long milliseconds(std::chrono::milliseconds value) {
  return static_cast<long>(std::max<std::chrono::milliseconds::rep>(value.count(), 1));
}

bool is_envelope_address(std::string_view address) {
  return !address.empty() &&
         address.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

Error invalid(std::string message) {
  return Error{"InvalidParameter", std::move(message)};
}

}  // namespace

SinkStatus smtp_failure_status(long reply_code, SinkStatus transport_status) {
  if (reply_code >= 400 && reply_code <= 499) return SinkStatus::kRetry;
  if (reply_code >= 500 && reply_code <= 599) return SinkStatus::kFailed;
  return transport_status;
}

core::Result<std::unique_ptr<SmtpSink>, Error> SmtpSink::create(SmtpOptions options) {
  auto parts = aws::curl::split_url(options.url);
  if (!parts) {
    return core::unexpected(
        invalid("SMTP server " + redact_url(options.url) + ": " + parts.error()));
  }
  if (parts->scheme != "smtp" && parts->scheme != "smtps") {
    return core::unexpected(invalid("SMTP server " + redact_url(options.url) +
                                    ": the URL must start with smtp:// or smtps://"));
  }
  if (!options.from.empty() && !is_envelope_address(options.from)) {
    return core::unexpected(invalid("the SMTP sender address holds a line break"));
  }
  const bool implicit_tls = parts->scheme == "smtps";
  return std::unique_ptr<SmtpSink>(new SmtpSink(std::move(options), std::move(parts->url),
                                                std::move(parts->user), std::move(parts->password),
                                                implicit_tls));
}

SmtpSink::SmtpSink(SmtpOptions options, std::string url, std::string user, std::string password,
                   bool implicit_tls)
    : options_(std::move(options)),
      url_(std::move(url)),
      server_(redact_url(url_)),
      user_(std::move(user)),
      password_(std::move(password)),
      implicit_tls_(implicit_tls) {
  // The credentials live in user_ and password_ only.
  options_.url = url_;
}

SinkOutcome SmtpSink::send(const RenderedDelivery& delivery) {
  const std::string what = "SMTP " + server_;
  if (delivery.kind != DeliveryKind::kMail) {
    return SinkOutcome::failed("the SMTP sink cannot send a " +
                               std::string(delivery_kind_name(delivery.kind)) + " delivery");
  }
  const std::string& from = delivery.mail_from.empty() ? options_.from : delivery.mail_from;
  if (!is_envelope_address(from)) {
    return SinkOutcome::failed(what + ": no usable sender address (MAIL FROM)");
  }
  if (!is_envelope_address(delivery.rcpt_to)) {
    return SinkOutcome::failed(what + ": no usable recipient address (RCPT TO)");
  }

  aws::curl::HeaderList recipients;
  aws::curl::Easy easy = aws::curl::make_easy();
  if (!easy || !recipients.append(delivery.rcpt_to))
    return SinkOutcome::retry(what + ": out of memory");
  CURL* handle = easy.get();
  char error_buffer[CURL_ERROR_SIZE] = {};
  std::string last_reply;  // the last 4xx/5xx reply line
  DataReader reader{delivery.data, 0};
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(options_.connect_timeout));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, milliseconds(options_.total_timeout));
  curl_easy_setopt(handle, CURLOPT_PROXY, "");
  curl_easy_setopt(
      handle, CURLOPT_USE_SSL,
      static_cast<long>(implicit_tls_ || options_.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!user_.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, user_.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, password_.c_str());
  }
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(delivery.data.size()));
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, read_data);
  curl_easy_setopt(handle, CURLOPT_READDATA, &reader);
  // The debug callback sees the server's replies; with it set, nothing is printed.
  curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, keep_last_reply);
  curl_easy_setopt(handle, CURLOPT_DEBUGDATA, &last_reply);
  curl_easy_setopt(handle, CURLOPT_VERBOSE, 1L);

  const CURLcode rc = curl_easy_perform(handle);
  if (rc == CURLE_OK) return SinkOutcome::delivered();
  long reply_code = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply_code);
  std::string text = what + ": " + aws::curl::describe_curl_error(rc, error_buffer);
  if (!last_reply.empty() && reply_code >= 400) {
    text += " (server said: " + valid_utf8(core::printable(last_reply, 200)) + ")";
  }
  text = aws::curl::scrub_secrets(std::move(text), {password_});
  const SinkStatus transport_status =
      aws::curl::worth_retrying(rc) ? SinkStatus::kRetry : SinkStatus::kFailed;
  return smtp_failure_status(reply_code, transport_status) == SinkStatus::kRetry
             ? SinkOutcome::retry(std::move(text))
             : SinkOutcome::failed(std::move(text));
}

}  // namespace sgwatch::notify
