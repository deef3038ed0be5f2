// Dispatcher: one AWS request in, one answer out, with no network involved. It classifies the
// request (service, protocol, operation: aws/wire_request.h), verifies its SigV4 signature with
// the signing name of that service (aws/verifier.h), gives it a request id, and hands it to the
// ServiceApi registered for the service, holding one mutex so that handlers over the engines
// (which are not thread-safe) never run at the same time. Every failure is an answer in the
// request's own protocol. Neighbours: server (HTTP in front), sts_api and cloudwatch_api (the
// services), shapes (what handlers use to read input and write output).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "aws/errors.h"
#include "aws/http_request.h"
#include "aws/verifier.h"
#include "aws/wire_protocol.h"
#include "aws/wire_request.h"
#include "aws/wire_response.h"
#include "core/clock.h"

namespace sgwatch::api {

// What a handler knows about the request besides its input.
struct RequestContext {
  std::string request_id;     // the UUID the answer carries (x-amzn-RequestId, <RequestId>)
  std::string access_key_id;  // the verified key; empty for an unsigned request (allow_unsigned)
  std::string session_token;  // X-Amz-Security-Token as sent (not validated); empty when absent
  std::string region;       // the signature scope's region, else DispatcherOptions::default_region
  std::string account_id;   // DispatcherOptions::account_id
  std::int64_t now_ms = 0;  // the dispatcher's clock when the request arrived
};

// One AWS service's operations. handle() runs under the dispatcher's mutex; it answers every
// request, errors included, in request.protocol (shapes.h has the helpers). Exceptions that
// escape become InternalFailure (500).
class ServiceApi {
 public:
  virtual ~ServiceApi() = default;
  virtual aws::HttpResponse handle(const aws::WireRequest& request,
                                   const RequestContext& context) = 0;
};

// The error for an operation the service's model has but this server does not implement:
// InvalidAction ("Could not find operation X for version V") over the query protocols,
// UnknownOperationException over JSON.
aws::WireError unsupported_operation_error(const aws::WireRequest& request);
aws::HttpResponse unsupported_operation(const aws::WireRequest& request,
                                        const RequestContext& context);

// One line of an access log: what was asked and how it was answered.
struct RequestRecord {
  std::string request_id;
  std::string service;    // "cloudwatch"; empty when the request named no known service
  std::string operation;  // empty when it could not be read
  std::string protocol;   // "awsQuery", "awsJson1_0", ...: the protocol of the answer
  std::string access_key_id;
  int status = 0;
  std::string error_code;  // empty on success
};

struct DispatcherOptions {
  // Signatures must be scoped to this region; empty accepts any region.
  std::string region;
  // The region of unsigned requests (allow_unsigned).
  std::string default_region = "us-east-1";
  std::string account_id = "123456789012";
  // Requests without any authentication (no Authorization header, no X-Amz-Algorithm parameter)
  // are served instead of rejected with MissingAuthenticationToken. Signed requests are always
  // verified.
  bool allow_unsigned = false;
  int max_skew_minutes = 15;  // AWS's limit for X-Amz-Date against the server's clock
  aws::WireLimits limits;
  // Called after every request (under no lock; keep it cheap), e.g. for an access log.
  std::function<void(const RequestRecord&)> observer;
};

class Dispatcher {
 public:
  // `secrets` and `clock` must outlive the dispatcher; SecretLookup must be safe to call from
  // several threads at once (StaticSecrets is, once filled).
  Dispatcher(const aws::SecretLookup& secrets, const core::Clock& clock,
             DispatcherOptions options = {});
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Routes `service` to `api`, which must outlive the dispatcher (or be replaced first). A
  // service without an api answers every operation with unsupported_operation_error.
  void register_service(aws::Service service, ServiceApi& api);

  // Answers one request; never throws. Safe to call from many threads.
  aws::HttpResponse dispatch(const aws::HttpRequest& request);

  // The lock handlers run under. Code outside the API that drives the same engines (the tick
  // loop, ingest) takes it too: `auto lock = dispatcher.exclusive();`.
  std::unique_lock<std::mutex> exclusive() { return std::unique_lock<std::mutex>(mutex_); }
  // The same lock, for components that take it themselves (the delivery worker).
  std::mutex& mutex() { return mutex_; }

  const DispatcherOptions& options() const { return options_; }

 private:
  const aws::SecretLookup& secrets_;
  const core::Clock& clock_;
  DispatcherOptions options_;
  std::mutex mutex_;
  std::map<aws::Service, ServiceApi*> apis_;
};

// True when `request` carries some SigV4 authentication (an Authorization header or presigned
// X-Amz-Algorithm parameter), valid or not.
bool has_authentication(const aws::HttpRequest& request);

}  // namespace sgwatch::api
