// sgwatch's outgoing AWS client (the front door for calling AWS): SigV4-signed calls in the query
// (awsQuery, ec2), JSON 1.1 and REST-JSON protocols with retries as botocore's standard mode does
// them, every page of paged calls, AWS's errors as AwsError values, and resolve_client, which
// finds credentials and a region the AWS CLI's way plus the EC2 instance metadata service.
// Neighbours: transport.h (the network, injectable), aws_error.h (AwsError), xml_reader.h (reading
// query answers), endpoint.h (where requests go), credentials.h and imds.h (credentials), sigv4.h.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/aws_error.h"
#include "aws/credentials.h"
#include "aws/endpoint.h"
#include "aws/http_request.h"
#include "aws/sigv4.h"
#include "aws/transport.h"
#include "aws/user_agent.h"
#include "aws/xml_reader.h"
#include "core/result.h"

namespace sgwatch::aws {

struct ClientOptions {
  // Required: signs every request and names the endpoints.
  std::string region;
  // --endpoint-url: every service goes there (as the AWS CLI does).
  std::optional<std::string> endpoint_url;
  Credentials credentials;
  // Total tries for throttling, 5xx, 429 and network errors (standard retry mode).
  int max_attempts = 5;
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{20000};
  std::chrono::milliseconds timeout{30000};  // each attempt, connection included
  // Empty functions are replaced by the defaults when the Client is built.
  std::function<std::int64_t()> now;                     // unix seconds for signing; system clock
  std::function<void(std::chrono::milliseconds)> sleep;  // default std::this_thread::sleep_for
  std::function<double()> jitter;                        // [0,1); default random
};

// The endpoint of a service in a region: "https://logs.us-east-1.amazonaws.com" (cloudwatch ->
// monitoring.*, the rest by their signing names; cn- regions end in amazonaws.com.cn), or
// endpoint_url. (Declared in endpoint.h.)
std::string service_endpoint(std::string_view service, std::string_view region,
                             const std::optional<std::string>& endpoint_url);

using QueryParameters = std::vector<std::pair<std::string, std::string>>;
using XmlDocument = std::shared_ptr<pugi::xml_document>;

// One client per thread (the default jitter keeps state); it may be used for any number of calls
// and services. `service` is the name the AWS CLI uses ("logs", "sns", "sts", "ec2", "cloudwatch"
// or its signing name "monitoring", "cloudtrail", "securityhub"); it names the endpoint, the
// signing scope (cloudwatch signs as monitoring) and AwsError::service.
//
// Every call: the request is signed afresh for each attempt (X-Amz-Date from `now`); a throttling
// code, a transient code, HTTP 5xx or 429, or a network failure is retried up to max_attempts in
// all, after min(max_delay, base_delay * 2^n) * jitter (n = 0 for the first retry); any other
// error status fails at once. An error status (>= 300) becomes an AwsError of kind kService with
// the protocol's code, message and request id; a 2xx body that is not the promised XML or JSON is
// kind kResponse; no answer (or a request that could not be built or signed) is kind kNetwork.
// Nothing throws.
class Client {
 public:
  Client(ClientOptions options, std::unique_ptr<Transport> transport);

  const ClientOptions& options() const { return options_; }

  // Query protocol (sns 2010-03-31, monitoring 2010-08-01, sts 2011-06-15, ec2 2016-11-15, sqs):
  // form-encoded POST of Action, Version and params (in the order given, names and values as
  // botocore encodes them: list members "Names.member.1", ec2 "GroupId.1"); the parsed XML
  // response document. Find the output with query_result(*doc, action) (awsQuery) or the root
  // element (ec2).
  core::Result<XmlDocument, AwsError> query(std::string_view service, std::string_view action,
                                            std::string_view version,
                                            const QueryParameters& params);
  // Every page of a query call that pages with NextToken: the token is read from <NextToken>
  // under the <{Action}Result> element (ec2: <nextToken> under the root) and sent back as
  // NextToken (replacing any NextToken in params). One document per page, in order.
  core::Result<std::vector<XmlDocument>, AwsError> query_all(std::string_view service,
                                                             std::string_view action,
                                                             std::string_view version,
                                                             const QueryParameters& params);

  // JSON 1.1 protocol (logs: "Logs_20140328.DescribeMetricFilters", cloudtrail:
  // "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails"): POST / with
  // X-Amz-Target; the body is `body` (null means {}) written as the AWS CLI writes it. The answer
  // is a JSON object ({} for an empty body). AwsError::operation is the target after its last '.'.
  core::Result<nlohmann::json, AwsError> json(std::string_view service, std::string_view target,
                                              const nlohmann::json& body);
  // Every page of a JSON call: sends body + {token_field: token}, reads the response's
  // token_field ("nextToken" / "NextToken"), concatenates the arrays under list_field. Returns the
  // first page's object with list_field holding every page's elements (an empty array when no page
  // had any) and token_field removed. A token that repeats the previous one is a kResponse error.
  core::Result<nlohmann::json, AwsError> json_all(std::string_view service, std::string_view target,
                                                  nlohmann::json body, std::string_view token_field,
                                                  std::string_view list_field);

  // REST-JSON (Security Hub: GET /accounts is DescribeHub; POST /standards/get): method, path
  // (starting with '/', already percent-encoded), query (encoded, without '?'), a JSON body (sent
  // as application/json) or nullopt. The answer is a JSON object ({} for an empty body); errors
  // take their code from x-amzn-ErrorType first.
  core::Result<nlohmann::json, AwsError> rest_json(std::string_view service,
                                                   std::string_view operation,
                                                   std::string_view method, std::string_view path,
                                                   std::string_view query,
                                                   const std::optional<nlohmann::json>& body);

  // A REST call whose answer is returned as it came (S3's REST-XML: ListObjectsV2, GetObject):
  // `path` already percent-encoded (s3.h encodes keys), `query` encoded, without '?'. With
  // `s3` set the request is signed as S3 signs (path as sent, x-amz-content-sha256), and
  // `bucket` goes into the host (virtual-hosted style, "bucket.s3.region.amazonaws.com") unless
  // an endpoint URL is set or the name has a '.', when it leads the path (path style). Errors
  // are read as XML (<Error><Code>). The 2xx answer: status, headers and body bytes.
  struct RawRequest {
    std::string service;
    std::string operation;
    std::string method = "GET";
    std::string bucket;  // S3 only; empty: none
    std::string path = "/";
    std::string query;
    std::vector<Header> headers;
    std::string body;
    bool s3 = false;
  };
  core::Result<TransportResponse, AwsError> rest_raw(const RawRequest& raw);

 private:
  struct Call;
  core::Result<Call, AwsError> prepare(std::string_view service, std::string_view operation,
                                       ErrorFormat format, std::string_view method,
                                       std::string_view path, std::string_view query,
                                       std::vector<Header> headers, std::string body) const;
  core::Result<TransportResponse, AwsError> send(const Call& call);
  std::chrono::milliseconds backoff(int retry);

  ClientOptions options_;
  std::unique_ptr<Transport> transport_;
};

// The body of a JSON request as the AWS CLI writes it: compact JSON with Python's json.dumps
// spacing (", " and ": "), non-ASCII as \u escapes, invalid UTF-8 replaced by U+FFFD.
std::string aws_json_text(const nlohmann::json& value);

// Credentials and region for a command: resolve_chain (credentials.h), then, when the chain has
// no credentials, EC2 instance metadata v2 (imds.h; the region from the instance identity
// document when none was found); endpoint http://169.254.169.254 or
// AWS_EC2_METADATA_SERVICE_ENDPOINT; AWS_EC2_METADATA_DISABLED=true skips it; 1 s timeout, so a
// machine off EC2 fails fast. Errors: the chain's own (a malformed file, an unknown profile, ...),
// "no credentials: ..." naming what was tried, "no region: pass --region or set AWS_REGION".
// The options' now/sleep/jitter are left empty (the Client's defaults).
struct ClientSetup {
  ClientOptions options;
  // "environment", "profile default in /home/me/.aws/credentials",
  // "EC2 instance metadata (role NAME)"
  std::string credential_source;
};
core::Result<ClientSetup, std::string> resolve_client(
    const CredentialRequest& request, const std::optional<std::string>& endpoint_url,
    const CredentialEnvironment& environment, Transport& metadata_transport);

}  // namespace sgwatch::aws
