// Implementation of page_token.h.
#include "api/page_token.h"

#include "aws/crypto.h"

namespace sgwatch::api {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string encode_page_token(std::string_view kind, std::string_view position) {
  std::string plain(kind);
  plain += '\n';
  plain += position;
  return aws::hex_encode(plain);
}

std::optional<std::string> decode_page_token(std::string_view kind, std::string_view token) {
  if (token.size() % 2 != 0) return std::nullopt;
  std::string plain;
  plain.reserve(token.size() / 2);
  for (std::size_t i = 0; i < token.size(); i += 2) {
    const int high = hex_value(token[i]);
    const int low = hex_value(token[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    plain += static_cast<char>(high * 16 + low);
  }
  const std::size_t newline = plain.find('\n');
  if (newline == std::string::npos || std::string_view(plain).substr(0, newline) != kind) {
    return std::nullopt;
  }
  return plain.substr(newline + 1);
}

aws::WireError invalid_next_token() {
  aws::WireError error;
  error.code = "InvalidNextToken";
  error.message = "The NextToken value is not valid.";
  error.http_status = 400;
  return error;
}

}  // namespace sgwatch::api
