// Implementation of content_encoding.h with zlib (gzip members, concatenated ones too).
#include "api/content_encoding.h"

#include <fmt/format.h>
#include <zlib.h>

#include <string>
#include <utility>

#include "core/text.h"

namespace sgwatch::api {

namespace {

std::string lower_trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

aws::WireError bad_body(std::string message, int status = 400) {
  aws::WireError error = aws::invalid_parameter_value(std::move(message));
  error.http_status = status;
  return error;
}

core::Result<std::string, aws::WireError> gunzip(const std::string& input, std::size_t max_bytes) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) {
    return core::unexpected(aws::internal_failure("zlib could not be initialised"));
  }
  std::string out;
  char buffer[65536];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  int rc = Z_OK;
  while (true) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&stream);
      return core::unexpected(aws::request_entity_too_large(
          fmt::format("The request body inflates to more than {} bytes.", max_bytes)));
    }
    if (rc == Z_STREAM_END) {
      if (stream.avail_in == 0) break;
      inflateReset(&stream);  // another gzip member follows
      continue;
    }
    if (rc != Z_OK || (stream.avail_in == 0 && stream.avail_out != 0)) break;
  }
  inflateEnd(&stream);
  if (rc != Z_STREAM_END) {
    return core::unexpected(bad_body("The request body is not valid gzip data."));
  }
  return out;
}

}  // namespace

core::Result<std::optional<aws::HttpRequest>, aws::WireError> decoded_request(
    const aws::HttpRequest& request, std::size_t max_bytes) {
  const std::string* header = request.find_header("Content-Encoding");
  if (header == nullptr) return std::optional<aws::HttpRequest>();
  const std::string encoding = lower_trimmed(*header);
  if (encoding.empty() || encoding == "identity") return std::optional<aws::HttpRequest>();
  if (encoding != "gzip" && encoding != "x-gzip") {
    return core::unexpected(
        bad_body(fmt::format("Content-Encoding {} is not supported: send gzip or identity.",
                             core::printable(*header)),
                 415));
  }
  auto body = gunzip(request.body, max_bytes);
  if (!body) return core::unexpected(std::move(body).error());
  aws::HttpRequest decoded = request;
  decoded.remove_header("Content-Encoding");
  decoded.body = std::move(*body);
  return std::optional<aws::HttpRequest>(std::move(decoded));
}

}  // namespace sgwatch::api
