// Implementation of sigv4.h. The rules follow the AWS SigV4 test suite
// (../shared/fixtures/sigv4): trimmed and joined header values, sorted re-encoded query pairs,
// dot-segment removal and double encoding of the path for every service but S3.
#include "aws/sigv4.h"

#include <algorithm>

#include "aws/amz_date.h"
#include "core/text.h"

namespace sgwatch::aws {

namespace {

bool is_unreserved(char c) {
  return core::is_ascii_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Region and service become path segments of the scope and keys of the HMAC chain.
bool is_scope_part(std::string_view part) {
  return !part.empty() && std::none_of(part.begin(), part.end(), [](char c) {
    return c == '/' || is_space(c) || static_cast<unsigned char>(c) < 0x20;
  });
}

std::optional<SignError> check_inputs(const HttpRequest& request, const Credentials& credentials,
                                      std::string_view region, std::string_view service) {
  if (credentials.access_key_id.empty() || !is_scope_part(credentials.access_key_id)) {
    return SignError{"the access key id is empty or holds '/' or whitespace"};
  }
  if (credentials.secret_access_key.empty()) return SignError{"the secret access key is empty"};
  if (!is_scope_part(region)) {
    return SignError{"the region is empty or holds '/' or whitespace: '" + std::string(region) +
                     "'"};
  }
  if (!is_scope_part(service)) {
    return SignError{"the service is empty or holds '/' or whitespace: '" + std::string(service) +
                     "'"};
  }
  if (request.find_header("host") == nullptr) {
    return SignError{"the request has no Host header (SigV4 always signs it)"};
  }
  return std::nullopt;
}

std::string join(const std::vector<std::string>& parts, char separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.push_back(separator);
    out += parts[i];
  }
  return out;
}

// The query-string parameters presign() writes; earlier ones are dropped before signing again.
constexpr std::string_view kPresignParameters[] = {
    "X-Amz-Algorithm",     "X-Amz-Credential",     "X-Amz-Date",     "X-Amz-Expires",
    "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature"};

std::string without_presign_parameters(std::string_view query) {
  std::string out;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view piece = query.substr(start, end - start);
    const std::string name = uri_decode(piece.substr(0, piece.find('=')), true);
    const bool drop =
        piece.empty() || std::find(std::begin(kPresignParameters), std::end(kPresignParameters),
                                   name) != std::end(kPresignParameters);
    if (!drop) {
      if (!out.empty()) out.push_back('&');
      out += piece;
    }
    start = end + 1;
  }
  return out;
}

void append_parameter(std::string& query, std::string_view name, std::string_view value) {
  if (!query.empty()) query.push_back('&');
  query += name;
  query.push_back('=');
  query += uri_encode(value, true);
}

}  // namespace

SigningOptions SigningOptions::s3() {
  SigningOptions options;
  options.normalize_path = false;
  options.double_encode_path = false;
  options.add_content_sha256 = true;
  return options;
}

std::string uri_encode(std::string_view bytes, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) {
    if (is_unreserved(c) || (c == '/' && !encode_slash)) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0f]);
    }
  }
  return out;
}

std::string uri_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out = "/";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out += segments[i];
  }
  if (!segments.empty() && !path.empty() && path.back() == '/') out.push_back('/');
  return out;
}

std::string canonical_uri(std::string_view path, bool normalize, bool double_encode) {
  std::string out = path.empty() ? std::string("/") : std::string(path);
  if (normalize) out = normalize_path(out);
  if (double_encode) out = uri_encode(out, false);
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view piece = query.substr(start, end - start);
    if (!piece.empty()) {
      const std::size_t equals = piece.find('=');
      if (equals == std::string_view::npos) {
        pairs.emplace_back(uri_decode(piece, true), std::string());
      } else {
        pairs.emplace_back(uri_decode(piece.substr(0, equals), true),
                           uri_decode(piece.substr(equals + 1), true));
      }
    }
    start = end + 1;
  }
  return pairs;
}

std::string canonical_query_string(std::string_view query, std::string_view skip_name) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto& [name, value] : parse_query(query)) {
    if (!skip_name.empty() && name == skip_name) continue;
    encoded.emplace_back(uri_encode(name, true), uri_encode(value, true));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

std::string canonical_header_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (const char c : value) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> headers_to_sign(const std::vector<Header>& headers,
                                         bool sign_security_token) {
  static constexpr std::string_view kNeverSigned[] = {"authorization", "connection", "expect",
                                                      "user-agent", "x-amzn-trace-id"};
  std::vector<std::string> names;
  for (const Header& header : headers) {
    std::string name = lower(header.name);
    if (name.empty()) continue;
    if (std::find(std::begin(kNeverSigned), std::end(kNeverSigned), name) !=
        std::end(kNeverSigned)) {
      continue;
    }
    if (!sign_security_token && name == "x-amz-security-token") continue;
    names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

CanonicalHeaders canonical_headers(const std::vector<Header>& headers,
                                   const std::vector<std::string>& names) {
  CanonicalHeaders out;
  for (const std::string& name : names) {
    out.text += name;
    out.text.push_back(':');
    bool first = true;
    for (const Header& header : headers) {
      if (!header_name_equals(header.name, name)) continue;
      if (!first) out.text.push_back(',');
      out.text += canonical_header_value(header.value);
      first = false;
    }
    out.text.push_back('\n');
  }
  out.signed_headers = join(names, ';');
  return out;
}

std::string canonical_request(std::string_view method, std::string_view canonical_uri,
                              std::string_view canonical_query, const CanonicalHeaders& headers,
                              std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + canonical_uri.size() + canonical_query.size() + headers.text.size() +
              headers.signed_headers.size() + payload_hash.size() + 8);
  out.append(method).append("\n");
  out.append(canonical_uri).append("\n");
  out.append(canonical_query).append("\n");
  out.append(headers.text).append("\n");
  out.append(headers.signed_headers).append("\n");
  out.append(payload_hash);
  return out;
}

std::string credential_scope(std::string_view date, std::string_view region,
                             std::string_view service) {
  std::string out;
  out.append(date).append("/").append(region).append("/").append(service).append("/");
  out.append(kScopeTerminator);
  return out;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request) {
  std::string out;
  out.append(kAlgorithm).append("\n").append(amz_date).append("\n").append(scope).append("\n");
  out.append(sha256_hex(canonical_request));
  return out;
}

Sha256Digest signing_key(std::string_view secret_access_key, std::string_view date,
                         std::string_view region, std::string_view service) {
  std::string first_key = "AWS4";
  first_key.append(secret_access_key);
  const Sha256Digest date_key = hmac_sha256(first_key, date);
  const Sha256Digest region_key = hmac_sha256(date_key, region);
  const Sha256Digest service_key = hmac_sha256(region_key, service);
  return hmac_sha256(service_key, kScopeTerminator);
}

std::string signature(const Sha256Digest& signing_key, std::string_view string_to_sign) {
  return hex_encode(hmac_sha256(signing_key, string_to_sign));
}

std::string authorization_header(std::string_view access_key_id, std::string_view scope,
                                 std::string_view signed_headers, std::string_view signature) {
  std::string out;
  out.append(kAlgorithm).append(" Credential=").append(access_key_id).append("/").append(scope);
  out.append(", SignedHeaders=").append(signed_headers);
  out.append(", Signature=").append(signature);
  return out;
}

core::Result<SigningResult, SignError> sign(HttpRequest& request, const Credentials& credentials,
                                            std::string_view region, std::string_view service,
                                            std::int64_t unix_seconds,
                                            const SigningOptions& options) {
  if (auto error = check_inputs(request, credentials, region, service)) {
    return core::unexpected(std::move(*error));
  }
  const std::string amz_date = format_amz_date(unix_seconds);
  const std::string date = amz_date.substr(0, 8);
  const std::string& token = credentials.session_token;

  request.set_header("X-Amz-Date", amz_date);
  if (!token.empty() && options.sign_security_token) {
    request.set_header("X-Amz-Security-Token", token);
  }
  const std::string payload_hash = options.payload_hash.value_or(sha256_hex(request.body));
  if (options.add_content_sha256) request.set_header("X-Amz-Content-Sha256", payload_hash);

  SigningResult result;
  const CanonicalHeaders headers = canonical_headers(
      request.headers, headers_to_sign(request.headers, options.sign_security_token));
  result.canonical_request = canonical_request(
      request.method,
      canonical_uri(request.path, options.normalize_path, options.double_encode_path),
      canonical_query_string(request.query), headers, payload_hash);
  const std::string scope = credential_scope(date, region, service);
  result.string_to_sign = string_to_sign(amz_date, scope, result.canonical_request);
  result.signed_headers = headers.signed_headers;
  result.signature = signature(signing_key(credentials.secret_access_key, date, region, service),
                               result.string_to_sign);
  result.authorization = authorization_header(credentials.access_key_id, scope,
                                              result.signed_headers, result.signature);

  if (!token.empty() && !options.sign_security_token) {
    request.set_header("X-Amz-Security-Token", token);
  }
  request.set_header("Authorization", result.authorization);
  return result;
}

core::Result<SigningResult, SignError> presign(HttpRequest& request, const Credentials& credentials,
                                               std::string_view region, std::string_view service,
                                               std::int64_t unix_seconds,
                                               std::int64_t expires_seconds,
                                               const SigningOptions& options) {
  if (auto error = check_inputs(request, credentials, region, service)) {
    return core::unexpected(std::move(*error));
  }
  if (expires_seconds < 1 || expires_seconds > kMaxPresignExpiry) {
    return core::unexpected(SignError{"the expiry must be 1 to 604800 seconds, not " +
                                      std::to_string(expires_seconds)});
  }
  const std::string amz_date = format_amz_date(unix_seconds);
  const std::string date = amz_date.substr(0, 8);
  const std::string scope = credential_scope(date, region, service);
  const std::string& token = credentials.session_token;

  request.remove_header("X-Amz-Date");
  request.remove_header("Authorization");
  request.query = without_presign_parameters(request.query);

  SigningResult result;
  const CanonicalHeaders headers =
      canonical_headers(request.headers, headers_to_sign(request.headers, true));
  result.signed_headers = headers.signed_headers;
  append_parameter(request.query, "X-Amz-Algorithm", kAlgorithm);
  append_parameter(request.query, "X-Amz-Credential", credentials.access_key_id + "/" + scope);
  append_parameter(request.query, "X-Amz-Date", amz_date);
  append_parameter(request.query, "X-Amz-Expires", std::to_string(expires_seconds));
  append_parameter(request.query, "X-Amz-SignedHeaders", result.signed_headers);
  if (!token.empty() && options.sign_security_token) {
    append_parameter(request.query, "X-Amz-Security-Token", token);
  }

  const std::string payload_hash = options.payload_hash.value_or(sha256_hex(request.body));
  result.canonical_request = canonical_request(
      request.method,
      canonical_uri(request.path, options.normalize_path, options.double_encode_path),
      canonical_query_string(request.query), headers, payload_hash);
  result.string_to_sign = string_to_sign(amz_date, scope, result.canonical_request);
  result.signature = signature(signing_key(credentials.secret_access_key, date, region, service),
                               result.string_to_sign);

  append_parameter(request.query, "X-Amz-Signature", result.signature);
  if (!token.empty() && !options.sign_security_token) {
    append_parameter(request.query, "X-Amz-Security-Token", token);
  }
  return result;
}

}  // namespace sgwatch::aws
