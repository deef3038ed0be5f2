// ApiServer: the one HTTP(S) listener of `sgwatch serve` (cpp-httplib, a thread pool). Each
// request becomes an aws::HttpRequest exactly as it was sent — method, path still
// percent-encoded, raw query string, headers, body — because SigV4 signs the raw forms. POST /
// and GET / (?Action=...) go to the Dispatcher; other paths to routes that other modules register
// (SNS confirmation links, /healthz, /metrics, ingest endpoints). Neighbours: dispatch (the AWS
// API), cli's serve command (owns the server and the engines).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/dispatch.h"
#include "aws/http_request.h"
#include "aws/wire_response.h"
#include "core/result.h"

namespace sgwatch::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 4566;  // 0: the system picks a free port; port() tells which
  // HTTPS when both are set (PEM files); plain HTTP when both are empty.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::size_t threads = 8;
  // Accepted connections waiting for one of the threads; when that many wait, the listener
  // stops accepting until a thread is free and the kernel's backlog pushes back
  // (backpressure.h). While any connection waits, answers carry `Connection: close`, so a
  // kept-alive client gives its thread back after each request and a new connection (e.g.
  // /healthz) waits for at most this many requests. From as many waiting as there are threads
  // (or half the queue, if fewer) on, requests with a body
  // (POST, PUT, PATCH, DELETE: the ones that store) are answered 503 with `Retry-After: 1`
  // without being stored (the body is read and dropped, never held), so the queue drains at the
  // speed of a refusal; GET requests (/healthz, /metrics, confirmation links) are always served.
  std::size_t queued_connections = 64;
  // The request-body bytes all requests may hold at once; a request whose body does not fit
  // beside the others is answered 503 with `Retry-After: 1` (its body read and dropped). 0: the
  // larger of 64 MiB and max_body_bytes.
  std::size_t max_buffered_body_bytes = 0;
  // Larger bodies are refused with 413 before they are read into memory.
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  // An idle keep-alive connection is closed after this long; stop() waits at most this long for
  // a connection a client keeps open.
  int keep_alive_timeout_seconds = 2;
  int read_timeout_seconds = 30;
  int write_timeout_seconds = 30;
};

// A handler for one method and path: the request as sent (path and query raw), an answer with
// its status, headers and body (Content-Length and Date are added). Handlers run on the server's
// threads, concurrently: they synchronise what they share (Dispatcher::exclusive() for engines).
using RouteHandler = std::function<aws::HttpResponse(const aws::HttpRequest&)>;

class ApiServer {
 public:
  // `dispatcher` (may be null: no AWS API, routes only) must outlive the server.
  ApiServer(Dispatcher* dispatcher, ServerOptions options);
  ~ApiServer();  // stop()
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // `method` ("GET", "POST", ...; a GET route also answers HEAD) and an exact `path` as decoded
  // ("/sns/confirm"). A route for "/" takes that method away from the dispatcher. May be called
  // before or after start().
  void add_route(std::string method, std::string path, RouteHandler handler);
  // The same for every path that starts with `prefix` ("/ingest/"); the longest prefix wins,
  // exact routes first.
  void add_prefix_route(std::string method, std::string prefix, RouteHandler handler);

  // Binds and starts serving on a background thread. Fails (with the reason) when the address
  // cannot be bound or the TLS files cannot be loaded, or when already running.
  core::Result<void, std::string> start();
  // Stops accepting, finishes the requests in progress and joins the threads. Idempotent.
  void stop();
  bool running() const;

  // Accepted connections waiting for a thread now (0 when not running).
  std::size_t waiting_connections() const;

  // What backpressure did since start(): the requests answered 503 with Retry-After, by reason,
  // and the request-body bytes held (ServerOptions::max_buffered_body_bytes bounds them).
  struct Load {
    std::size_t waiting_connections = 0;
    std::uint64_t refused_busy = 0;         // as many connections waited as there are threads
    std::uint64_t refused_body_budget = 0;  // the body did not fit beside the others held
    std::size_t body_bytes_held = 0;
    std::size_t body_bytes_peak = 0;
    std::size_t body_bytes_limit = 0;
  };
  Load load() const;

  // The port bound by start() (the chosen one for port 0); 0 before start().
  int port() const;
  // "http://127.0.0.1:4566" (https with TLS).
  std::string url() const;

  // What the server does with one request, without the network (tests, and the
  // same code path start() serves).
  aws::HttpResponse answer(const aws::HttpRequest& request) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sgwatch::api
