// SigV4 signing and verification: every case of the AWS Signature Version 4 test suite
// (../shared/fixtures/sigv4, found at run time) through sign() — canonical request, string to
// sign, Authorization header and signed request compared byte for byte — and through
// verify_request(); then the verifier's refusals with AWS's codes and messages, presigned URLs,
// and the primitives (SHA-256, HMAC, hex, X-Amz-Date, URI encoding).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws.h"

namespace sgwatch::aws {
namespace {

namespace fs = std::filesystem;

const fs::path kSuiteDir = fs::path(SGWATCH_SHARED_DIR) / "fixtures" / "sigv4";

// The suite's key (its README).
constexpr std::string_view kAccessKey = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
// smithy-rs's test key, which signed double-encode-path.sreq and the .qpsreq. The suite's README
// says it cannot be checked; its secret is the one smithy-rs's own tests pass with it, and both
// signatures reproduce with it.
constexpr std::string_view kTestAccessKey = "ANOTREAL";
constexpr std::string_view kTestSecret = "notrealrnrELgWzOk3IfjzDKtFBhDby";

// The file's bytes; empty when it does not exist.
std::string read_text(const fs::path& path) {
  std::error_code error;
  const auto size = fs::file_size(path, error);
  if (error) return {};
  std::string bytes(static_cast<std::size_t>(size), '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// The suite's request files: "METHOD target[ HTTP/1.1]", "Name:value" lines (a line that starts
// with whitespace continues the previous header and counts as one more value of it), then an
// empty line and the body.

struct RequestText {
  std::string head;  // request line and header lines, as written
  std::string body;
  bool has_body = false;
};

RequestText split_request_text(std::string_view text) {
  RequestText out;
  const std::size_t blank = text.find("\n\n");
  if (blank == std::string_view::npos) {
    out.head = std::string(text);
  } else {
    out.head = std::string(text.substr(0, blank));
    out.body = std::string(text.substr(blank + 2));
    out.has_body = true;
  }
  return out;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

HttpRequest parse_request(std::string_view text) {
  const RequestText parts = split_request_text(text);
  const std::vector<std::string> lines = lines_of(parts.head);
  HttpRequest request;
  if (lines.empty()) return request;
  const std::string& first = lines[0];
  const std::size_t space = first.find(' ');
  request.method = first.substr(0, space);
  std::string target = space == std::string::npos ? std::string() : first.substr(space + 1);
  const std::size_t version = target.rfind(" HTTP/");
  if (version != std::string::npos) target.resize(version);
  const std::size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = target.substr(question + 1);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.empty()) continue;
    if ((line[0] == ' ' || line[0] == '\t') && !request.headers.empty()) {
      request.headers.push_back({request.headers.back().name, line});
      continue;
    }
    const std::size_t colon = line.find(':');
    request.headers.push_back({line.substr(0, colon), colon == std::string::npos
                                                          ? std::string()
                                                          : line.substr(colon + 1)});
  }
  request.body = parts.body;
  return request;
}

// The signed request as the suite writes it: the .req's own text, then one line per header the
// signer added ("Authorization: value" with a space, the others "Name:value"), then the body.
std::string render_signed(std::string_view req_text, const HttpRequest& original,
                          const HttpRequest& signed_request) {
  const RequestText parts = split_request_text(req_text);
  std::string head = parts.head;
  const bool final_newline = !head.empty() && head.back() == '\n';
  if (final_newline) head.pop_back();
  EXPECT_GE(signed_request.headers.size(), original.headers.size());
  for (std::size_t i = 0; i < signed_request.headers.size(); ++i) {
    const Header& header = signed_request.headers[i];
    if (i < original.headers.size()) {
      EXPECT_EQ(header, original.headers[i]) << "the signer changed a header the request had";
      continue;
    }
    head += "\n" + header.name + (header.name == "Authorization" ? ": " : ":") + header.value;
  }
  if (final_newline) head += "\n";
  if (parts.has_body) head += "\n\n" + parts.body;
  return head;
}

// Request line, then the header lines sorted and written "Name:value", then the body: for a
// .sreq whose headers are in another order than the .req's.
std::string normalized_request_text(std::string_view text) {
  const RequestText parts = split_request_text(text);
  std::vector<std::string> lines = lines_of(parts.head);
  if (lines.empty()) return {};
  std::vector<std::string> headers(lines.begin() + 1, lines.end());
  for (std::string& line : headers) {
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::size_t value = colon + 1;
    while (value < line.size() && line[value] == ' ') ++value;
    line = line.substr(0, colon + 1) + line.substr(value);
  }
  std::sort(headers.begin(), headers.end());
  std::string out = lines[0] + "\n";
  for (const std::string& line : headers) out += line + "\n";
  return out + "\n" + parts.body;
}

// ---------------------------------------------------------------------------------------------
// The cases, found at run time. A case is a folder NAME holding NAME.req (or, for iam, only
// NAME.creq); normalize-path/ and post-sts-token/ nest theirs.

struct SuiteCase {
  std::string name;
  fs::path dir;
};

void PrintTo(const SuiteCase& c, std::ostream* out) {
  *out << c.dir.string();
}

std::vector<SuiteCase> find_cases() {
  std::vector<SuiteCase> cases;
  if (!fs::is_directory(kSuiteDir)) return cases;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(kSuiteDir)) {
    if (!entry.is_directory()) continue;
    const std::string name = entry.path().filename().string();
    if (fs::exists(entry.path() / (name + ".req")) || fs::exists(entry.path() / (name + ".creq"))) {
      cases.push_back({name, entry.path()});
    }
  }
  std::sort(cases.begin(), cases.end(),
            [](const SuiteCase& a, const SuiteCase& b) { return a.name < b.name; });
  return cases;
}

// How a case departs from the defaults (the suite README's "Additions and quirks").
struct Quirks {
  std::string_view region = "us-east-1";
  std::string_view service = "service";
  std::string_view access_key = kAccessKey;
  std::string_view secret = kSecret;
  bool session_token = false;           // post-sts-token/*: the token of post-sts-token/readme.txt
  bool sign_session_token = true;       // post-sts-header-after: the token is added after signing
  bool creq_date_differs = false;       // double-encode-path: its .creq is dated 20210511T154045Z
  bool creq_signed_line_wrong = false;  // post-x-www-form-urlencoded: .creq says host;x-amz-date
  bool body_is_query = false;       // post-x-www-form-urlencoded-parameters: .creq signs the body
                                    // as the query string, with an empty payload
  bool sts_final_newline = false;   // double-url-encode: .sts ends in a newline
  bool sreq_drops_version = false;  // double-url-encode: .sreq's request line has no HTTP/1.1
  bool sreq_drops_content_type = false;  // post-x-www-form-urlencoded: .sreq loses Content-Type
  bool sreq_reordered = false;  // double-encode-path: headers in another order, "Name:value"
};

const std::map<std::string, Quirks, std::less<>>& quirks_table() {
  static const std::map<std::string, Quirks, std::less<>> table = [] {
    std::map<std::string, Quirks, std::less<>> t;
    Quirks q;
    q = Quirks{};
    q.access_key = kTestAccessKey;
    q.secret = kTestSecret;
    q.creq_date_differs = true;
    q.sreq_reordered = true;
    t["double-encode-path"] = q;
    q = Quirks{};
    q.region = "us-east-2";
    q.service = "lambda";
    q.sts_final_newline = true;
    q.sreq_drops_version = true;
    t["double-url-encode"] = q;
    q = Quirks{};
    q.session_token = true;
    q.sign_session_token = false;
    t["post-sts-header-after"] = q;
    q = Quirks{};
    q.session_token = true;
    t["post-sts-header-before"] = q;
    q = Quirks{};
    q.creq_signed_line_wrong = true;
    q.sreq_drops_content_type = true;
    t["post-x-www-form-urlencoded"] = q;
    q = Quirks{};
    q.body_is_query = true;
    t["post-x-www-form-urlencoded-parameters"] = q;
    return t;
  }();
  return table;
}

std::string session_token() {
  const std::vector<std::string> lines =
      lines_of(read_text(kSuiteDir / "post-sts-token" / "readme.txt"));
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (!it->empty()) return *it;
  }
  return {};
}

std::string case_test_name(const testing::TestParamInfo<SuiteCase>& info) {
  std::string name = info.param.name;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

class Sigv4Suite : public testing::TestWithParam<SuiteCase> {};

// iam/iam.creq is, despite its name, the string to sign (plus a final newline) of the IAM
// ListUsers example of the AWS General Reference, whose signing key and signature the Reference
// prints; the request below is that example's.
void check_iam_case(const fs::path& dir) {
  HttpRequest request;
  request.method = "GET";
  request.path = "/";
  request.query = "Action=ListUsers&Version=2010-05-08";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                     {"Host", "iam.amazonaws.com"}};
  const auto signed_at = parse_amz_date("20150830T123600Z");
  ASSERT_TRUE(signed_at);
  const auto result = sign(request, Credentials{std::string(kAccessKey), std::string(kSecret), {}},
                           "us-east-1", "iam", *signed_at);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->string_to_sign + "\n", read_text(dir / "iam.creq"));
  EXPECT_EQ(hex_encode(signing_key(kSecret, "20150830", "us-east-1", "iam")),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  EXPECT_EQ(result->signature, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST_P(Sigv4Suite, SignsAndVerifiesLikeTheSuite) {
  const SuiteCase& c = GetParam();
  const fs::path base = c.dir / c.name;
  for (const fs::directory_entry& entry : fs::directory_iterator(c.dir)) {
    if (!entry.is_regular_file()) continue;
    static const std::set<std::string> kKnown = {".req",   ".creq", ".sts",
                                                 ".authz", ".sreq", ".qpsreq"};
    EXPECT_TRUE(kKnown.count(entry.path().extension().string()) == 1 &&
                entry.path().stem().string() == c.name)
        << "a file this test does not check: " << entry.path();
  }
  if (!fs::exists(base.string() + ".req")) {
    ASSERT_EQ(c.name, "iam") << "a case without a .req";
    check_iam_case(c.dir);
    return;
  }

  const auto quirk_it = quirks_table().find(c.name);
  const Quirks quirks = quirk_it == quirks_table().end() ? Quirks{} : quirk_it->second;
  const std::string req_text = read_text(base.string() + ".req");
  const HttpRequest original = parse_request(req_text);
  const std::string* amz_date = original.find_header("x-amz-date");
  ASSERT_NE(amz_date, nullptr);
  const auto signed_at = parse_amz_date(*amz_date);
  ASSERT_TRUE(signed_at) << *amz_date;

  Credentials credentials{std::string(quirks.access_key), std::string(quirks.secret), {}};
  if (quirks.session_token) credentials.session_token = session_token();
  SigningOptions options;
  options.sign_security_token = quirks.sign_session_token;
  HttpRequest request = original;
  if (quirks.body_is_query) {
    request.query = request.body;
    request.body.clear();
  }
  const auto result =
      sign(request, credentials, quirks.region, quirks.service, *signed_at, options);
  ASSERT_TRUE(result.ok()) << result.error().message;

  if (fs::exists(base.string() + ".creq")) {
    std::string expected = read_text(base.string() + ".creq");
    if (quirks.creq_date_differs) {
      expected = replace_all(expected, "x-amz-date:20210511T154045Z", "x-amz-date:" + *amz_date);
    }
    if (quirks.creq_signed_line_wrong) {
      expected = replace_all(expected, "\nhost;x-amz-date\n", "\ncontent-type;host;x-amz-date\n");
    }
    EXPECT_EQ(result->canonical_request, expected) << "canonical request";
  }
  if (fs::exists(base.string() + ".sts")) {
    // A final newline is no part of a string to sign (the case's signature is computed without).
    EXPECT_EQ(result->string_to_sign + (quirks.sts_final_newline ? "\n" : ""),
              read_text(base.string() + ".sts"))
        << "string to sign";
  }
  if (fs::exists(base.string() + ".authz")) {
    EXPECT_EQ(result->authorization, read_text(base.string() + ".authz")) << "Authorization";
  }
  const std::string sreq_text = read_text(base.string() + ".sreq");
  std::string rendered;
  if (quirks.body_is_query) {
    // The .sreq is the .req, body and all, with the Authorization of the query-string reading.
    HttpRequest with_authorization = original;
    with_authorization.headers.push_back({"Authorization", result->authorization});
    rendered = render_signed(req_text, original, with_authorization);
  } else {
    rendered = render_signed(req_text, original, request);
  }
  if (quirks.sreq_drops_version) rendered = replace_all(rendered, " HTTP/1.1\n", "\n");
  if (quirks.sreq_drops_content_type) {
    rendered = replace_all(rendered,
                           "Content-Type:application/x-www-form-urlencoded; charset=utf-8\n", "");
  }
  if (quirks.sreq_reordered) {
    EXPECT_EQ(normalized_request_text(rendered), normalized_request_text(sreq_text))
        << "signed request";
  } else {
    EXPECT_EQ(rendered, sreq_text) << "signed request";
  }

  // The server's side: the suite's signed request verifies at its own X-Amz-Date. Where the
  // .sreq contradicts its own signature (the two inconsistent cases), the request as signed here
  // is verified instead.
  StaticSecrets secrets;
  secrets.add(std::string(quirks.access_key), std::string(quirks.secret));
  VerifyOptions verify_options;
  verify_options.region = std::string(quirks.region);
  verify_options.service = std::string(quirks.service);
  const HttpRequest to_verify =
      (quirks.body_is_query || quirks.sreq_drops_content_type) ? request : parse_request(sreq_text);
  const auto verified = verify_request(to_verify, secrets, *signed_at, verify_options);
  ASSERT_TRUE(verified.ok()) << verified.error().code << ": " << verified.error().message << "\n"
                             << verified.error().canonical_request;
  EXPECT_EQ(verified->access_key_id, quirks.access_key);
  EXPECT_EQ(verified->region, quirks.region);
  EXPECT_EQ(verified->service, quirks.service);
  EXPECT_EQ(verified->signed_at, *signed_at);
  EXPECT_FALSE(verified->presigned);
  EXPECT_EQ(verified->security_token, credentials.session_token);
}

INSTANTIATE_TEST_SUITE_P(AwsTestSuite, Sigv4Suite, testing::ValuesIn(find_cases()), case_test_name);

TEST(Sigv4SuiteFiles, AreFoundAndEveryQuirkNamesACase) {
  const std::vector<SuiteCase> cases = find_cases();
  ASSERT_FALSE(cases.empty()) << "no SigV4 test cases under " << kSuiteDir;
  std::set<std::string> names;
  for (const SuiteCase& c : cases) names.insert(c.name);
  EXPECT_EQ(names.size(), cases.size()) << "two cases share a name";
  EXPECT_GE(cases.size(), 30u);
  EXPECT_EQ(names.count("iam"), 1u);
  for (const auto& [name, quirks] : quirks_table()) {
    EXPECT_EQ(names.count(name), 1u) << "the quirk table names a missing case: " << name;
  }
}

// get-vanilla-query-order-key-case.qpsreq: the request presigned by smithy-rs (payload hash of
// the empty body, X-Amz-Expires=35), byte for byte, and its verification.
TEST(Sigv4SuiteFiles, PresignedRequestMatchesAndVerifies) {
  const fs::path dir = kSuiteDir / "get-vanilla-query-order-key-case";
  const std::string expected = read_text(dir / "get-vanilla-query-order-key-case.qpsreq");
  ASSERT_FALSE(expected.empty());
  HttpRequest request = parse_request(read_text(dir / "get-vanilla-query-order-key-case.req"));
  const auto signed_at = parse_amz_date("20150830T123600Z");
  ASSERT_TRUE(signed_at);
  const auto result =
      presign(request, Credentials{std::string(kTestAccessKey), std::string(kTestSecret), {}},
              "us-east-1", "service", *signed_at, 35);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(result->authorization.empty());
  std::string rendered = request.method + " " + request.path + "?" + request.query + " HTTP/1.1\n";
  for (const Header& header : request.headers) rendered += header.name + ":" + header.value + "\n";
  EXPECT_EQ(rendered, expected);

  StaticSecrets secrets;
  secrets.add(std::string(kTestAccessKey), std::string(kTestSecret));
  const HttpRequest sent = parse_request(expected);
  VerifyOptions options;
  options.region = "us-east-1";
  options.service = "service";
  const auto verified = verify_request(sent, secrets, *signed_at + 35, options);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_TRUE(verified->presigned);
  EXPECT_EQ(verified->access_key_id, kTestAccessKey);
  EXPECT_EQ(verified->signed_headers, std::vector<std::string>{"host"});

  const auto late = verify_request(sent, secrets, *signed_at + 36, options);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().failure, AuthFailure::kRequestExpired);
  EXPECT_EQ(late.error().code, "AccessDenied");
  EXPECT_EQ(late.error().message, "Request has expired");

  HttpRequest tampered = sent;
  tampered.query = replace_all(tampered.query, "Param1=value1", "Param1=value9");
  const auto rejected = verify_request(tampered, secrets, *signed_at, options);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().code, "SignatureDoesNotMatch");
}

// ---------------------------------------------------------------------------------------------
// Verification: what a server refuses, with AWS's codes and messages.

constexpr std::int64_t k20150830T123600Z = 1440938160;

HttpRequest vanilla_request() {
  HttpRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers = {{"Host", "monitoring.us-east-1.amazonaws.com"},
                     {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  request.body = "Action=ListMetrics&Version=2010-08-01";
  return request;
}

Credentials suite_credentials() {
  return {std::string(kAccessKey), std::string(kSecret), {}};
}

HttpRequest signed_vanilla(std::int64_t at = k20150830T123600Z) {
  HttpRequest request = vanilla_request();
  const auto result = sign(request, suite_credentials(), "us-east-1", "monitoring", at);
  EXPECT_TRUE(result.ok());
  return request;
}

class Sigv4Verify : public testing::Test {
 protected:
  Sigv4Verify() {
    secrets_.add(std::string(kAccessKey), std::string(kSecret));
    options_.region = "us-east-1";
    options_.service = "monitoring";
  }

  core::Result<VerifiedRequest, AuthError> verify(const HttpRequest& request,
                                                  std::int64_t now = k20150830T123600Z) const {
    return verify_request(request, secrets_, now, options_);
  }

  // The error of a request that must be refused.
  AuthError refusal(const HttpRequest& request, std::int64_t now = k20150830T123600Z) const {
    auto result = verify(request, now);
    EXPECT_FALSE(result.ok());
    return result.ok() ? AuthError{} : result.error();
  }

  HttpRequest with_authorization(std::string value) const {
    HttpRequest request = signed_vanilla();
    request.set_header("Authorization", std::move(value));
    return request;
  }

  StaticSecrets secrets_;
  VerifyOptions options_;
};

constexpr std::string_view kMismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

TEST_F(Sigv4Verify, SignedRequestVerifies) {
  const auto verified = verify(signed_vanilla());
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_EQ(verified->access_key_id, kAccessKey);
  EXPECT_EQ(verified->signed_headers,
            (std::vector<std::string>{"content-type", "host", "x-amz-date"}));
}

TEST_F(Sigv4Verify, FlippedSignatureByteIsRejected) {
  HttpRequest request = signed_vanilla();
  std::string authorization = *request.find_header("authorization");
  char& last = authorization.back();
  last = last == '0' ? '1' : '0';
  request.set_header("Authorization", authorization);
  const AuthError error = refusal(request);
  EXPECT_EQ(error.failure, AuthFailure::kSignatureDoesNotMatch);
  EXPECT_EQ(error.code, "SignatureDoesNotMatch");
  EXPECT_EQ(error.message, kMismatch);
  EXPECT_EQ(error.http_status, 403);
  EXPECT_NE(error.canonical_request.find("x-amz-date:20150830T123600Z"), std::string::npos);
  EXPECT_EQ(error.string_to_sign.rfind("AWS4-HMAC-SHA256\n20150830T123600Z\n", 0), 0u);
}

TEST_F(Sigv4Verify, WrongSecretIsRejected) {
  HttpRequest request = vanilla_request();
  ASSERT_TRUE(sign(request, Credentials{std::string(kAccessKey), "not-the-secret", {}}, "us-east-1",
                   "monitoring", k20150830T123600Z)
                  .ok());
  const AuthError error = refusal(request);
  EXPECT_EQ(error.code, "SignatureDoesNotMatch");
  EXPECT_EQ(error.message, kMismatch);
}

TEST_F(Sigv4Verify, ModifiedBodyIsRejected) {
  HttpRequest request = signed_vanilla();
  ASSERT_TRUE(verify(request).ok());
  request.body += "&Namespace=AWS/EC2";
  EXPECT_EQ(refusal(request).code, "SignatureDoesNotMatch");
  // Declaring the old body's hash in x-amz-content-sha256 does not help: the body's own hash is
  // what the server signs.
  HttpRequest declared = vanilla_request();
  ASSERT_TRUE(sign(declared, suite_credentials(), "us-east-1", "monitoring", k20150830T123600Z,
                   [] {
                     SigningOptions o;
                     o.add_content_sha256 = true;
                     return o;
                   }())
                  .ok());
  ASSERT_TRUE(verify(declared).ok());
  declared.body = "Action=DeleteAlarms&AlarmNames.member.1=x";
  EXPECT_EQ(refusal(declared).code, "SignatureDoesNotMatch");
}

TEST_F(Sigv4Verify, ModifiedSignedHeaderOrQueryIsRejected) {
  HttpRequest header_changed = signed_vanilla();
  header_changed.set_header("Host", "monitoring.eu-west-1.amazonaws.com");
  EXPECT_EQ(refusal(header_changed).code, "SignatureDoesNotMatch");
  HttpRequest query_changed = signed_vanilla();
  query_changed.query = "Action=DeleteAlarms";
  EXPECT_EQ(refusal(query_changed).code, "SignatureDoesNotMatch");
  HttpRequest unsigned_header_added = signed_vanilla();
  unsigned_header_added.headers.push_back({"User-Agent", "aws-cli/2"});
  EXPECT_TRUE(verify(unsigned_header_added).ok());
}

TEST_F(Sigv4Verify, UnknownKeyCodeDependsOnTheProtocol) {
  HttpRequest request = vanilla_request();
  ASSERT_TRUE(sign(request, Credentials{"AKIDUNKNOWN", std::string(kSecret), {}}, "us-east-1",
                   "monitoring", k20150830T123600Z)
                  .ok());
  const AuthError query = refusal(request);
  EXPECT_EQ(query.failure, AuthFailure::kUnknownAccessKey);
  EXPECT_EQ(query.code, "InvalidClientTokenId");
  EXPECT_EQ(query.message, "The security token included in the request is invalid.");
  EXPECT_EQ(query.http_status, 403);
  options_.protocol = ErrorProtocol::kJson;
  const AuthError json = refusal(request);
  EXPECT_EQ(json.code, "UnrecognizedClientException");
  EXPECT_EQ(json.message, "The security token included in the request is invalid.");
  EXPECT_EQ(json.http_status, 400);
}

TEST_F(Sigv4Verify, MissingAuthentication) {
  const AuthError query = refusal(vanilla_request());
  EXPECT_EQ(query.failure, AuthFailure::kMissingAuthenticationToken);
  EXPECT_EQ(query.code, "MissingAuthenticationToken");
  EXPECT_EQ(query.message, "Request is missing Authentication Token");
  EXPECT_EQ(query.http_status, 403);
  options_.protocol = ErrorProtocol::kJson;
  const AuthError json = refusal(vanilla_request());
  EXPECT_EQ(json.code, "MissingAuthenticationTokenException");
  EXPECT_EQ(json.message, "Missing Authentication Token");
  // A query string with other X-Amz-* parameters but no X-Amz-Algorithm is no authentication.
  HttpRequest request = vanilla_request();
  request.query = "X-Amz-Signature=abc";
  EXPECT_EQ(refusal(request).code, "MissingAuthenticationTokenException");
}

TEST_F(Sigv4Verify, EachMissingPartIsNamed) {
  const std::string credential =
      "Credential=AKIDEXAMPLE/20150830/us-east-1/monitoring/aws4_request";
  const std::string signed_headers = "SignedHeaders=content-type;host;x-amz-date";
  const std::string signature =
      "Signature=0000000000000000000000000000000000000000000000000000000000000000";
  struct Case {
    std::string header;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"AWS4-HMAC-SHA256 " + signed_headers + ", " + signature,
       "Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256 " +
           signed_headers + ", " + signature},
      {"AWS4-HMAC-SHA256 " + credential + ", " + signature,
       "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 " +
           credential + ", " + signature},
      {"AWS4-HMAC-SHA256 " + credential + ", " + signed_headers,
       "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 " +
           credential + ", " + signed_headers},
      {"AWS4-HMAC-SHA256 " + credential,
       "Authorization header requires 'Signature' parameter. Authorization header requires "
       "'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 " +
           credential},
      {"AWS4-HMAC-SHA256",
       "Authorization header requires 'Credential' parameter. Authorization header requires "
       "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
       "Authorization=AWS4-HMAC-SHA256"},
      {"",
       "Authorization header requires 'Credential' parameter. Authorization header requires "
       "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
       "Authorization="},
      // A SigV2 header, as CloudFront answered one.
      {"AWS AKIAI2HBJEUM7LRSTWOQ:qaNdqGsI6bq4Hi+9Gzovwyjbh0E=",
       "Authorization header requires 'Credential' parameter. Authorization header requires "
       "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
       "Authorization=AWS AKIAI2HBJEUM7LRSTWOQ:qaNdqGsI6bq4Hi+9Gzovwyjbh0E="},
      // A space inside the Credential value, as CloudFormation answered one.
      {"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE /20150830/us-east-1/monitoring/aws4_request, " +
           signed_headers + ", " + signature,
       "'/20150830/us-east-1/monitoring/aws4_request' not a valid key=value pair (missing "
       "equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE "
       "/20150830/us-east-1/monitoring/aws4_request, " +
           signed_headers + ", " + signature + "'."},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.header);
    const AuthError error = refusal(with_authorization(c.header));
    EXPECT_EQ(error.failure, AuthFailure::kIncompleteSignature);
    EXPECT_EQ(error.code, "IncompleteSignature");
    EXPECT_EQ(error.message, c.message);
    EXPECT_EQ(error.http_status, 400);
  }

  // No date header at all.
  HttpRequest no_date = signed_vanilla();
  no_date.remove_header("X-Amz-Date");
  const AuthError error = refusal(no_date);
  EXPECT_EQ(error.code, "IncompleteSignature");
  EXPECT_EQ(error.message,
            "Authorization header requires existence of either a 'X-Amz-Date' or "
            "a 'Date' header. Authorization=" +
                *no_date.find_header("authorization"));
  options_.protocol = ErrorProtocol::kJson;
  EXPECT_EQ(refusal(no_date).code, "IncompleteSignatureException");
}

TEST_F(Sigv4Verify, MalformedValuesAreRejected) {
  HttpRequest other_algorithm = signed_vanilla();
  other_algorithm.set_header("Authorization",
                             replace_all(*other_algorithm.find_header("authorization"),
                                         "AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA512 "));
  EXPECT_EQ(refusal(other_algorithm).message, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'");

  HttpRequest bad_date = signed_vanilla();
  bad_date.set_header("X-Amz-Date", "Sun, 30 Aug 2015 12:36:00 GMT");
  const AuthError date_error = refusal(bad_date);
  EXPECT_EQ(date_error.code, "IncompleteSignature");
  EXPECT_EQ(date_error.message,
            "Date must be in ISO-8601 'basic format'. Got 'Sun, 30 Aug 2015 12:36:00 GMT'. See "
            "http://en.wikipedia.org/wiki/ISO_8601");

  HttpRequest short_credential = signed_vanilla();
  short_credential.set_header(
      "Authorization",
      replace_all(*short_credential.find_header("authorization"), "/monitoring/", "/"));
  EXPECT_EQ(refusal(short_credential).code, "IncompleteSignature");
}

TEST_F(Sigv4Verify, CredentialScopeMustFitTheServer) {
  const auto resigned = [](std::string_view region, std::string_view service) {
    HttpRequest request = vanilla_request();
    EXPECT_TRUE(sign(request, suite_credentials(), region, service, k20150830T123600Z).ok());
    return request;
  };
  const AuthError region = refusal(resigned("eu-west-1", "monitoring"));
  EXPECT_EQ(region.code, "SignatureDoesNotMatch");
  EXPECT_EQ(region.message, "Credential should be scoped to a valid region, not 'eu-west-1'. ");
  const AuthError service = refusal(resigned("us-east-1", "sns"));
  EXPECT_EQ(service.code, "SignatureDoesNotMatch");
  EXPECT_EQ(service.message, "Credential should be scoped to correct service: 'monitoring'. ");

  HttpRequest terminator = signed_vanilla();
  terminator.set_header("Authorization", replace_all(*terminator.find_header("authorization"),
                                                     "/aws4_request", "/aws4_reques"));
  EXPECT_EQ(refusal(terminator).message,
            "Credential should be scoped with a valid terminator: 'aws4_request', not "
            "'aws4_reques'. ");

  HttpRequest other_day = signed_vanilla();
  other_day.set_header("Authorization", replace_all(*other_day.find_header("authorization"),
                                                    "/20150830/", "/20150831/"));
  EXPECT_EQ(refusal(other_day).message,
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
            "HTTP: '20150831' != '20150830', from '20150830T123600Z'.");

  // A server that names no region or service takes any.
  options_.region.clear();
  options_.service.clear();
  EXPECT_TRUE(verify(resigned("eu-west-1", "sns")).ok());
}

TEST_F(Sigv4Verify, ClockSkewOfFifteenMinutes) {
  const HttpRequest request = signed_vanilla();
  constexpr std::int64_t kLimit = 15 * 60;
  EXPECT_TRUE(verify(request, k20150830T123600Z + kLimit).ok());
  EXPECT_TRUE(verify(request, k20150830T123600Z - kLimit).ok());

  const AuthError stale = refusal(request, k20150830T123600Z + kLimit + 1);
  EXPECT_EQ(stale.failure, AuthFailure::kSignatureDoesNotMatch);
  EXPECT_EQ(stale.code, "SignatureDoesNotMatch");
  EXPECT_EQ(stale.http_status, 403);
  EXPECT_EQ(stale.message,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
            "(20150830T125101Z - 15 min.)");

  const AuthError early = refusal(request, k20150830T123600Z - kLimit - 1);
  EXPECT_EQ(early.code, "SignatureDoesNotMatch");
  EXPECT_EQ(early.message,
            "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z "
            "(20150830T122059Z + 15 min.)");

  // The example of AWS's own message: signed 12:36:00, received 13:01:00.
  const auto now = parse_amz_date("20150830T130100Z");
  ASSERT_TRUE(now);
  EXPECT_EQ(refusal(request, *now).message,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T124600Z "
            "(20150830T130100Z - 15 min.)");

  options_.protocol = ErrorProtocol::kJson;
  EXPECT_EQ(refusal(request, *now).code, "InvalidSignatureException");
}

TEST_F(Sigv4Verify, ExpiredSignatureWithAnUnknownKeyIsReportedAsExpired) {
  HttpRequest request = vanilla_request();
  ASSERT_TRUE(sign(request, Credentials{"AKIDUNKNOWN", "x", {}}, "us-east-1", "monitoring",
                   k20150830T123600Z)
                  .ok());
  EXPECT_EQ(refusal(request, k20150830T123600Z + 3600).message.rfind("Signature expired: ", 0), 0u);
}

TEST_F(Sigv4Verify, DateHeaderStandsInForXAmzDate) {
  HttpRequest request = vanilla_request();
  request.headers.push_back({"Date", "20150830T123600Z"});
  const std::string scope = credential_scope("20150830", "us-east-1", "monitoring");
  const CanonicalHeaders headers =
      canonical_headers(request.headers, headers_to_sign(request.headers, true));
  const std::string canonical =
      canonical_request("POST", "/", "", headers, sha256_hex(request.body));
  const std::string sig = signature(signing_key(kSecret, "20150830", "us-east-1", "monitoring"),
                                    string_to_sign("20150830T123600Z", scope, canonical));
  request.headers.push_back(
      {"Authorization", authorization_header(kAccessKey, scope, headers.signed_headers, sig)});
  const auto verified = verify(request);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_EQ(verified->signed_headers, (std::vector<std::string>{"content-type", "date", "host"}));
}

TEST_F(Sigv4Verify, SessionTokenIsReportedToTheCaller) {
  HttpRequest request = vanilla_request();
  ASSERT_TRUE(sign(request, Credentials{std::string(kAccessKey), std::string(kSecret), "TOKEN"},
                   "us-east-1", "monitoring", k20150830T123600Z)
                  .ok());
  const auto verified = verify(request);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_EQ(verified->security_token, "TOKEN");
  request.set_header("X-Amz-Security-Token", "OTHER");  // signed: changing it breaks the signature
  EXPECT_EQ(refusal(request).code, "SignatureDoesNotMatch");
}

TEST_F(Sigv4Verify, PresignedRoundTripAndRefusals) {
  HttpRequest request;
  request.method = "GET";
  request.path = "/";
  request.query = "Action=ListMetrics&Version=2010-08-01";
  request.headers = {{"Host", "monitoring.us-east-1.amazonaws.com"}};
  ASSERT_TRUE(presign(request,
                      Credentials{std::string(kAccessKey), std::string(kSecret), "SESSION"},
                      "us-east-1", "monitoring", k20150830T123600Z, 300)
                  .ok());
  EXPECT_NE(request.query.find("&X-Amz-Security-Token=SESSION&X-Amz-Signature="),
            std::string::npos);
  const auto verified = verify(request, k20150830T123600Z + 300);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_TRUE(verified->presigned);
  EXPECT_EQ(verified->security_token, "SESSION");
  EXPECT_EQ(refusal(request, k20150830T123600Z + 301).code, "AccessDenied");
  EXPECT_EQ(refusal(request, k20150830T123600Z - 15 * 60 - 1)
                .message.rfind("Signature not yet current: ", 0),
            0u);

  // Presigning again replaces the earlier parameters instead of adding a second set.
  ASSERT_TRUE(
      presign(request, suite_credentials(), "us-east-1", "monitoring", k20150830T123600Z + 60, 60)
          .ok());
  EXPECT_EQ(request.query.find("X-Amz-Security-Token"), std::string::npos);
  EXPECT_EQ(request.query.find("X-Amz-Signature"), request.query.rfind("X-Amz-Signature"));
  EXPECT_TRUE(verify(request, k20150830T123600Z + 60).ok());

  HttpRequest incomplete = request;
  incomplete.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20150830T123600Z";
  const AuthError error = refusal(incomplete);
  EXPECT_EQ(error.code, "IncompleteSignature");
  EXPECT_EQ(error.message,
            "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string "
            "parameters must include 'X-Amz-Signature'. AWS query-string parameters must include "
            "'X-Amz-SignedHeaders'. Re-examine the query-string parameters.");

  HttpRequest bad_expiry = request;
  bad_expiry.query = replace_all(bad_expiry.query, "X-Amz-Expires=60", "X-Amz-Expires=604801");
  EXPECT_EQ(refusal(bad_expiry).message,
            "X-Amz-Expires must be less than a week (in seconds) that is 604800");

  options_.allow_presigned = false;
  EXPECT_EQ(refusal(request).code, "MissingAuthenticationToken");
}

TEST(Sigv4VerifierClass, UsesItsClock) {
  StaticSecrets secrets;
  secrets.add(std::string(kAccessKey), std::string(kSecret));
  core::ManualClock clock(k20150830T123600Z * 1000);
  VerifyOptions options;
  options.service = "monitoring";
  const Verifier verifier(secrets, clock, options);
  const HttpRequest request = signed_vanilla();
  EXPECT_TRUE(verifier.verify(request).ok());
  clock.advance((15 * 60 + 1) * 1000);
  const auto late = verifier.verify(request);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().message.rfind("Signature expired: ", 0), 0u);
}

// ---------------------------------------------------------------------------------------------
// Signing details beyond the suite.

TEST(Sigv4Sign, RefusesUnusableInputs) {
  HttpRequest no_host = vanilla_request();
  no_host.remove_header("host");
  const auto missing_host = sign(no_host, suite_credentials(), "us-east-1", "monitoring", 0);
  ASSERT_FALSE(missing_host.ok());
  EXPECT_EQ(missing_host.error().message, "the request has no Host header (SigV4 always signs it)");
  HttpRequest request = vanilla_request();
  EXPECT_FALSE(sign(request, Credentials{"", "secret", {}}, "us-east-1", "monitoring", 0).ok());
  EXPECT_FALSE(sign(request, Credentials{"AKID", "", {}}, "us-east-1", "monitoring", 0).ok());
  EXPECT_FALSE(sign(request, suite_credentials(), "us/east", "monitoring", 0).ok());
  EXPECT_FALSE(sign(request, suite_credentials(), "us-east-1", "", 0).ok());
  EXPECT_FALSE(presign(request, suite_credentials(), "us-east-1", "s3", 0, 0).ok());
  EXPECT_FALSE(presign(request, suite_credentials(), "us-east-1", "s3", 0, 604801).ok());
  EXPECT_EQ(request.headers, vanilla_request().headers) << "a refused request is left alone";
}

TEST(Sigv4Sign, S3KeepsThePathAndSignsThePayloadHash) {
  HttpRequest request;
  request.method = "GET";
  request.path = "/my-object//example//photo.user";
  request.headers = {{"Host", "bucket.s3.amazonaws.com"}};
  const auto result = sign(request, suite_credentials(), "us-east-1", "s3", k20150830T123600Z,
                           SigningOptions::s3());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->canonical_request.substr(0, result->canonical_request.find('\n', 4)),
            "GET\n/my-object//example//photo.user");
  EXPECT_EQ(result->signed_headers, "host;x-amz-content-sha256;x-amz-date");
  EXPECT_EQ(*request.find_header("x-amz-content-sha256"), sha256_hex(""));

  StaticSecrets secrets;
  secrets.add(std::string(kAccessKey), std::string(kSecret));
  EXPECT_TRUE(verify_request(request, secrets, k20150830T123600Z, VerifyOptions::s3()).ok());
  VerifyOptions not_s3;  // normalizing the path breaks the signature
  EXPECT_FALSE(verify_request(request, secrets, k20150830T123600Z, not_s3).ok());

  SigningOptions unsigned_payload = SigningOptions::s3();
  unsigned_payload.payload_hash = std::string(kUnsignedPayload);
  HttpRequest upload = request;
  upload.method = "PUT";
  upload.body = "large body";
  ASSERT_TRUE(
      sign(upload, suite_credentials(), "us-east-1", "s3", k20150830T123600Z, unsigned_payload)
          .ok());
  EXPECT_EQ(*upload.find_header("x-amz-content-sha256"), kUnsignedPayload);
  EXPECT_TRUE(verify_request(upload, secrets, k20150830T123600Z, VerifyOptions::s3()).ok());
  VerifyOptions strict = VerifyOptions::s3();
  strict.allow_unsigned_payload = false;
  EXPECT_FALSE(verify_request(upload, secrets, k20150830T123600Z, strict).ok());
}

TEST(Sigv4Sign, ReplacesHeadersInPlaceAndSkipsUnsignedOnes) {
  HttpRequest request = vanilla_request();
  request.headers.push_back({"x-amz-date", "19990101T000000Z"});
  request.headers.push_back({"User-Agent", "sgwatch"});
  request.headers.push_back({"authorization", "stale"});
  const auto result =
      sign(request, suite_credentials(), "us-east-1", "monitoring", k20150830T123600Z);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->signed_headers, "content-type;host;x-amz-date");
  ASSERT_EQ(request.headers.size(), 5u);
  EXPECT_EQ(request.headers[2], (Header{"x-amz-date", "20150830T123600Z"}));
  EXPECT_EQ(request.headers[4].name, "authorization");
  EXPECT_EQ(request.headers[4].value, result->authorization);
}

// ---------------------------------------------------------------------------------------------
// The canonical forms and primitives.

TEST(Sigv4Canonical, PathNormalizationAndEncoding) {
  EXPECT_EQ(normalize_path(""), "/");
  EXPECT_EQ(normalize_path("/"), "/");
  EXPECT_EQ(normalize_path("//"), "/");
  EXPECT_EQ(normalize_path("//example//"), "/example/");
  EXPECT_EQ(normalize_path("/example1/example2/../.."), "/");
  EXPECT_EQ(normalize_path("/a/b/../c/./d"), "/a/c/d");
  EXPECT_EQ(normalize_path("/../../a"), "/a");
  EXPECT_EQ(normalize_path("/a/."), "/a");
  EXPECT_EQ(canonical_uri("", true, true), "/");
  EXPECT_EQ(canonical_uri("/a b/%3A", true, true), "/a%20b/%253A");
  EXPECT_EQ(canonical_uri("/a b/%3A", false, false), "/a b/%3A");
  EXPECT_EQ(uri_encode("a/b c~-._*+=", false), "a/b%20c~-._%2A%2B%3D");
  EXPECT_EQ(uri_encode("a/b", true), "a%2Fb");
  EXPECT_EQ(uri_encode("\xe1\x88\xb4", true), "%E1%88%B4");
  EXPECT_EQ(uri_decode("a%2fb+c%zz%4", true), "a/b c%zz%4");
  EXPECT_EQ(uri_decode("a+b", false), "a+b");
}

TEST(Sigv4Canonical, QueryString) {
  EXPECT_EQ(canonical_query_string(""), "");
  EXPECT_EQ(canonical_query_string("b=2&a=1&a=0"), "a=0&a=1&b=2");
  EXPECT_EQ(canonical_query_string("flag&x=a+b&&y=%7e%2f"), "flag=&x=a%20b&y=~%2F");
  EXPECT_EQ(canonical_query_string("X-Amz-Signature=abc&a=1", "X-Amz-Signature"), "a=1");
  const auto pairs = parse_query("a=1&b&=c&&d=%20");
  ASSERT_EQ(pairs.size(), 4u);
  EXPECT_EQ(pairs[1], (std::pair<std::string, std::string>{"b", ""}));
  EXPECT_EQ(pairs[2], (std::pair<std::string, std::string>{"", "c"}));
  EXPECT_EQ(pairs[3], (std::pair<std::string, std::string>{"d", " "}));
}

TEST(Sigv4Canonical, Headers) {
  EXPECT_EQ(canonical_header_value("  a   b \t c  "), "a b c");
  EXPECT_EQ(canonical_header_value(""), "");
  const std::vector<Header> headers = {
      {"Host", "h"},          {"My-Header", " x "},       {"my-header", "y"},
      {"Authorization", "a"}, {"Expect", "100-continue"}, {"X-Amz-Security-Token", "t"}};
  EXPECT_EQ(headers_to_sign(headers, true),
            (std::vector<std::string>{"host", "my-header", "x-amz-security-token"}));
  EXPECT_EQ(headers_to_sign(headers, false), (std::vector<std::string>{"host", "my-header"}));
  const CanonicalHeaders canonical = canonical_headers(headers, {"host", "my-header", "missing"});
  EXPECT_EQ(canonical.text, "host:h\nmy-header:x,y\nmissing:\n");
  EXPECT_EQ(canonical.signed_headers, "host;my-header;missing");
}

TEST(Sigv4Canonical, HeaderHelpers) {
  HttpRequest request;
  request.headers = {{"A", "1"}, {"b", "2"}, {"a", "3"}};
  ASSERT_NE(request.find_header("a"), nullptr);
  EXPECT_EQ(*request.find_header("a"), "1");
  EXPECT_EQ(request.find_header("c"), nullptr);
  request.set_header("a", "9");
  EXPECT_EQ(request.headers, (std::vector<Header>{{"A", "9"}, {"b", "2"}}));
  request.set_header("C", "4");
  EXPECT_EQ(request.headers.back(), (Header{"C", "4"}));
  request.remove_header("B");
  EXPECT_EQ(request.headers, (std::vector<Header>{{"A", "9"}, {"C", "4"}}));
  EXPECT_TRUE(header_name_equals("X-Amz-Date", "x-amz-date"));
  EXPECT_FALSE(header_name_equals("X-Amz-Date", "x-amz-dat"));
}

TEST(Sigv4Canonical, ParseCredential) {
  const auto scope = parse_credential("AKID/20150830/us-east-1/service/aws4_request");
  ASSERT_TRUE(scope);
  EXPECT_EQ(scope->access_key_id, "AKID");
  EXPECT_EQ(scope->date, "20150830");
  EXPECT_EQ(scope->region, "us-east-1");
  EXPECT_EQ(scope->service, "service");
  EXPECT_EQ(scope->terminator, "aws4_request");
  EXPECT_FALSE(parse_credential("AKID/20150830/us-east-1/aws4_request"));
  EXPECT_FALSE(parse_credential("AKID/20150830/us-east-1/service/aws4_request/x"));
  EXPECT_FALSE(parse_credential("AKID//us-east-1/service/aws4_request"));
  EXPECT_FALSE(parse_credential(""));
}

TEST(Sigv4Parse, AuthorizationHeaderFields) {
  const auto parsed = parse_authorization_header(
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request,"
      "SignedHeaders=host;x-amz-date,Signature=abc, Extra=1, Signature=def",
      true);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->algorithm, "AWS4-HMAC-SHA256");
  EXPECT_EQ(parsed->credential, "AKID/20150830/us-east-1/service/aws4_request");
  EXPECT_EQ(parsed->signed_headers, "host;x-amz-date");
  EXPECT_EQ(parsed->signature, "abc");
}

TEST(AwsCrypto, KnownAnswers) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  EXPECT_EQ(hex_encode(hmac_sha256(std::string_view("Jefe"), "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex_encode(hmac_sha256(std::string_view(), "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  EXPECT_EQ(hex_encode(std::string_view("\x00\x7f\xff", 3)), "007fff");
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(AwsAmzDate, ParseAndFormat) {
  EXPECT_EQ(parse_amz_date("20150830T123600Z"), k20150830T123600Z);
  EXPECT_EQ(format_amz_date(k20150830T123600Z), "20150830T123600Z");
  EXPECT_EQ(format_amz_date(0), "19700101T000000Z");
  EXPECT_EQ(parse_amz_date("20160229T000000Z"), 1456704000);
  for (const std::string_view bad :
       {"", "20150830T123600", "20150830T123600ZZ", "2015-08-30T12:36:00Z", "20150830 123600Z",
        "20150230T000000Z", "20150830T246000Z", "20150830T123660Z", "2015083OT123600Z",
        "+0150830T123600Z"}) {
    EXPECT_FALSE(parse_amz_date(bad)) << bad;
  }
}

}  // namespace
}  // namespace sgwatch::aws
