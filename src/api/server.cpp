// Implementation of server.h over cpp-httplib 0.11 (Debian's compiled library). What httplib
// gives and what is done about it:
//  - Request::target is the request-target as sent (only a '#fragment' removed): the path and
//    query are cut from it, still percent-encoded; Request::path is decoded (used for routing).
//  - Request::headers is a case-insensitive multimap: names keep their spelling, repeats keep
//    their order, different names come sorted (SigV4 sorts them anyway). The server adds
//    REMOTE_ADDR, REMOTE_PORT, LOCAL_ADDR and LOCAL_PORT, which are left out.
//  - httplib would parse form bodies (and refuse those over 8 KB) and inflate gzip bodies before
//    handlers see them; SigV4 signs the bytes as sent (botocore gzips large PutMetricData
//    bodies). So bodies are read through a ContentReader, unparsed and with the size limit
//    enforced here, and Content-Encoding is hidden from httplib by the pre-routing handler and
//    restored in the aws::HttpRequest (the Dispatcher inflates after verifying the signature).
//  - httplib's ThreadPool queues accepted connections in an unbounded std::list; the server
//    uses a BoundedTaskQueue (backpressure.h) instead, and a BodyBudget for the bodies in memory.
#include "api/server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <fmt/format.h>
#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <map>
#include <shared_mutex>
#include <thread>
#include <utility>
#include <vector>

#include "api/backpressure.h"
#include "aws/sigv4.h"

namespace sgwatch::api {

namespace {

// Every path: httplib matches handlers with std::regex_match on the decoded path, which is at
// most 8 KB (its request-line limit), so the regex's recursion stays shallow.
constexpr const char* kAnyPath = "[\\s\\S]*";
// The name Content-Encoding travels under inside httplib (see the comment at the top).
constexpr const char* kHiddenContentEncoding = "X-Sgwatch-Hidden-Content-Encoding";

bool is_httplib_pseudo_header(const std::string& name) {
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
         name == "LOCAL_PORT";
}

aws::HttpRequest to_aws_request(const httplib::Request& req, std::string body) {
  aws::HttpRequest out;
  out.method = req.method;
  const std::string_view target = req.target;
  const std::size_t question = target.find('?');
  out.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) out.query = std::string(target.substr(question + 1));
  out.headers.reserve(req.headers.size());
  for (const auto& [name, value] : req.headers) {
    if (is_httplib_pseudo_header(name)) continue;
    if (aws::header_name_equals(name, kHiddenContentEncoding)) {
      out.headers.push_back({"Content-Encoding", value});
    } else {
      out.headers.push_back({name, value});
    }
  }
  out.body = std::move(body);
  return out;
}

void to_httplib_response(aws::HttpResponse response, httplib::Response& res) {
  res.status = response.status;
  std::string content_type;
  for (aws::Header& header : response.headers) {
    if (aws::header_name_equals(header.name, "Content-Type")) {
      content_type = std::move(header.value);
    } else if (!aws::header_name_equals(header.name, "Content-Length")) {
      res.set_header(header.name.c_str(), header.value);
    }
  }
  if (!content_type.empty()) res.set_header("Content-Type", content_type);
  res.body = std::move(response.body);
}

aws::HttpResponse text_response(int status, std::string text) {
  aws::HttpResponse response;
  response.status = status;
  response.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
  response.body = std::move(text);
  return response;
}

// httplib's task-queue interface over a BoundedTaskQueue. httplib 0.11's enqueue() cannot refuse
// a task (it returns nothing, and the task owns the accepted socket), so a full queue blocks the
// accept thread: connections beyond the queue wait in the kernel's listen backlog and then in
// the clients' connect, which costs this process no memory, instead of being answered 503 here.
// Requests are refused with 503 where refusing saves work or memory: while as many connections
// wait as there are threads (at most half the queue), and when a body does not fit the
// BodyBudget; the body is then read and dropped.
class HttplibTaskQueue final : public httplib::TaskQueue {
 public:
  HttplibTaskQueue(std::size_t threads, std::size_t capacity, std::atomic<BoundedTaskQueue*>& current)
      : queue_(threads, capacity), current_(current) {
    current_ = &queue_;
  }
  ~HttplibTaskQueue() override {
    queue_.shutdown();
    current_ = nullptr;
  }
  void enqueue(std::function<void()> fn) override { queue_.enqueue(std::move(fn)); }
  void shutdown() override { queue_.shutdown(); }

 private:
  BoundedTaskQueue queue_;
  std::atomic<BoundedTaskQueue*>& current_;
};

struct PrefixRoute {
  std::string method;
  std::string prefix;
  RouteHandler handler;
};

}  // namespace

struct ApiServer::Impl {
  Dispatcher* dispatcher = nullptr;
  ServerOptions options;

  mutable std::shared_mutex routes_mutex;
  std::map<std::pair<std::string, std::string>, RouteHandler> exact_routes;  // (method, path)
  std::vector<PrefixRoute> prefix_routes;                                    // longest prefix first

  std::mutex lifecycle_mutex;
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  std::atomic<bool> listener_exited{false};
  std::atomic<bool> serving{false};
  std::atomic<int> port{0};
  bool tls = false;
  // The running listener's queue (handlers run on its threads, so it outlives them).
  std::atomic<BoundedTaskQueue*> queue{nullptr};
  std::unique_ptr<BodyBudget> body_budget;  // made with the server, kept across restarts
  std::size_t shed_when_waiting = 32;  // connections waiting from which bodies are refused
  // Requests answered 503, by reason (BodyBudget::refusals() also counts reservations that
  // failed for bodies then answered 413 as too large).
  std::atomic<std::uint64_t> refused_busy{0};
  std::atomic<std::uint64_t> refused_body_budget{0};
  std::atomic<int> listen_fd{-1};      // the listening socket, once httplib made it

  // The route for (method, decoded path); nullptr when there is none.
  const RouteHandler* find_route(const std::string& method, const std::string& path) const {
    const auto exact = exact_routes.find({method, path});
    if (exact != exact_routes.end()) return &exact->second;
    for (const PrefixRoute& route : prefix_routes) {
      if (route.method == method && path.starts_with(route.prefix)) return &route.handler;
    }
    return nullptr;
  }

  bool path_is_known(const std::string& path) const {
    for (const auto& [key, handler] : exact_routes) {
      if (key.second == path) return true;
    }
    return std::any_of(prefix_routes.begin(), prefix_routes.end(),
                       [&](const PrefixRoute& route) { return path.starts_with(route.prefix); });
  }

  aws::HttpResponse answer(const aws::HttpRequest& request) const;
  void serve(const httplib::Request& req, httplib::Response& res, std::string body) const;
  void configure(httplib::Server& target);
};

void ApiServer::Impl::serve(const httplib::Request& req, httplib::Response& res,
                            std::string body) const {
  aws::HttpResponse response;
  try {
    response = answer(to_aws_request(req, std::move(body)));
  } catch (...) {
    response = text_response(500, "Internal Server Error\n");
  }
  to_httplib_response(std::move(response), res);
  // Connections are waiting for a thread: this one gives its thread back (see ServerOptions).
  const BoundedTaskQueue* waiting = queue.load();
  if (waiting != nullptr && waiting->waiting() > 0) res.set_header("Connection", "close");
}

ApiServer::ApiServer(Dispatcher* dispatcher, ServerOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->dispatcher = dispatcher;
  impl_->options = std::move(options);
  const ServerOptions& set = impl_->options;
  impl_->body_budget = std::make_unique<BodyBudget>(
      set.max_buffered_body_bytes != 0 ? set.max_buffered_body_bytes
                                       : std::max(std::size_t{64} << 20, set.max_body_bytes));
}

ApiServer::~ApiServer() {
  stop();
}

void ApiServer::add_route(std::string method, std::string path, RouteHandler handler) {
  std::unique_lock<std::shared_mutex> lock(impl_->routes_mutex);
  impl_->exact_routes[{std::move(method), std::move(path)}] = std::move(handler);
}

void ApiServer::add_prefix_route(std::string method, std::string prefix, RouteHandler handler) {
  std::unique_lock<std::shared_mutex> lock(impl_->routes_mutex);
  auto& routes = impl_->prefix_routes;
  routes.push_back({std::move(method), std::move(prefix), std::move(handler)});
  std::stable_sort(routes.begin(), routes.end(), [](const PrefixRoute& a, const PrefixRoute& b) {
    return a.prefix.size() > b.prefix.size();
  });
}

aws::HttpResponse ApiServer::answer(const aws::HttpRequest& request) const {
  return impl_->answer(request);
}

aws::HttpResponse ApiServer::Impl::answer(const aws::HttpRequest& request) const {
  const std::string path =
      request.path.empty() ? std::string("/") : aws::uri_decode(request.path, false);
  {
    std::shared_lock<std::shared_mutex> lock(routes_mutex);
    const RouteHandler* handler = find_route(request.method, path);
    if (handler == nullptr && request.method == "HEAD") handler = find_route("GET", path);
    if (handler != nullptr) {
      const RouteHandler route = *handler;  // run it without holding the lock
      lock.unlock();
      try {
        return route(request);
      } catch (...) {
        return text_response(500, "Internal Server Error\n");
      }
    }
  }
  if (path == "/" && dispatcher != nullptr) {
    if (request.method == "POST" || request.method == "GET") {
      return dispatcher->dispatch(request);
    }
    aws::HttpResponse response = text_response(405, "Method Not Allowed\n");
    response.headers.push_back({"Allow", "GET, POST"});
    return response;
  }
  std::shared_lock<std::shared_mutex> lock(routes_mutex);
  if (path_is_known(path)) return text_response(405, "Method Not Allowed\n");
  return text_response(404, "Not Found\n");
}

void ApiServer::Impl::configure(httplib::Server& target) {
  const std::size_t threads = std::max<std::size_t>(1, options.threads);
  const std::size_t queued = std::max<std::size_t>(1, options.queued_connections);
  // Bodies are shed once as many connections wait as there are threads (or half the queue, if
  // smaller): a body admitted behind more would only wait longer, and so would a /healthz probe
  // queued behind it (each admitted push holds a thread for its store transaction).
  shed_when_waiting = std::max<std::size_t>(1, std::min(threads, queued / 2));
  target.new_task_queue = [this, threads, queued] {
    return new HttplibTaskQueue(threads, queued, queue);
  };
  target.set_keep_alive_timeout(std::max(1, options.keep_alive_timeout_seconds));
  target.set_keep_alive_max_count(1000);
  target.set_read_timeout(std::max(1, options.read_timeout_seconds), 0);
  target.set_write_timeout(std::max(1, options.write_timeout_seconds), 0);
  target.set_payload_max_length(options.max_body_bytes);
  // httplib's default also sets SO_REUSEPORT, which lets a second server bind the same port and
  // silently take half the connections; a port in use must be an error.
  // TCP_NODELAY (inherited by accepted connections): httplib writes a response's headers and
  // body separately, and with Nagle's algorithm the body waited for the client's delayed ACK —
  // 40 ms per kept-alive call, which capped PutLogEvents at a quarter of its speed.
  target.set_tcp_nodelay(true);
  target.set_socket_options([this](socket_t sock) {
    listen_fd = sock;
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  });

  target.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    // The request object is httplib's own non-const local; hiding the header keeps httplib from
    // inflating the body, whose bytes SigV4 signs.
    auto& headers = const_cast<httplib::Headers&>(req.headers);
    std::vector<std::string> encodings;
    for (auto it = headers.find("Content-Encoding"); it != headers.end();
         it = headers.find("Content-Encoding")) {
      encodings.push_back(it->second);
      headers.erase(it);
    }
    for (std::string& encoding : encodings)
      headers.emplace(kHiddenContentEncoding, std::move(encoding));
    return httplib::Server::HandlerResponse::Unhandled;
  });

  auto without_body = [this](const httplib::Request& req, httplib::Response& res) {
    serve(req, res, std::string());
  };
  auto with_body = [this](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& reader) {
    if (req.is_multipart_form_data()) {
      to_httplib_response(text_response(415, "multipart bodies are not accepted\n"), res);
      res.set_header("Connection", "close");
      return;
    }
    // A refused body is still read, and dropped piece by piece: closing a connection with
    // unread bytes makes the kernel send a reset, which can destroy the 503 before the client
    // reads it and leaves the client unsure whether its request was stored.
    enum class Refusal { kNone, kBusy, kBudget };
    Refusal refusal = Refusal::kNone;
    const BoundedTaskQueue* pool = queue.load();
    if (pool != nullptr && pool->waiting() >= shed_when_waiting) refusal = Refusal::kBusy;
    std::string body;
    bool too_large = false;
    const std::size_t limit = options.max_body_bytes;
    // The body's bytes are reserved in the budget before they are held: the declared length at
    // once (a length over the limit is refused by httplib with 413), else piece by piece.
    std::size_t reserved = 0;
    std::size_t declared = 0;
    if (req.has_header("Content-Length")) {
      const std::string text = req.get_header_value("Content-Length");
      std::from_chars(text.data(), text.data() + text.size(), declared);
    }
    if (refusal == Refusal::kNone && declared > 0 && declared <= limit) {
      if (body_budget->try_reserve(declared)) {
        reserved = declared;
      } else {
        refusal = Refusal::kBudget;
      }
    }
    std::size_t seen = 0;
    const bool read = reader([&](const char* data, std::size_t size) {
      seen += size;
      if (seen > limit) {
        too_large = true;
        return false;
      }
      if (refusal != Refusal::kNone) return true;  // read and dropped
      if (seen > reserved) {
        const std::size_t more = seen - reserved;
        if (!body_budget->try_reserve(more)) {
          refusal = Refusal::kBudget;
          std::string().swap(body);
          return true;
        }
        reserved += more;
      }
      body.append(data, size);
      return true;
    });
    struct Release {
      BodyBudget& budget;
      std::size_t& bytes;
      ~Release() { budget.release(bytes); }
    } release{*body_budget, reserved};
    if (refusal != Refusal::kNone && !too_large) {
      ++(refusal == Refusal::kBusy ? refused_busy : refused_body_budget);
      aws::HttpResponse response = text_response(
          503, refusal == Refusal::kBusy
                   ? "The server has more connections waiting than it serves; retry after a second.\n"
                   : "The server holds as many request bodies as it may; retry after a second.\n");
      response.headers.push_back({"Retry-After", "1"});
      to_httplib_response(std::move(response), res);
      res.set_header("Connection", "close");
      return;
    }
    if (too_large || (!read && res.status == 413)) {
      aws::HttpResponse response =
          text_response(413, fmt::format("The request body is larger than {} bytes.\n", limit));
      to_httplib_response(std::move(response), res);
      res.set_header("Connection", "close");
      return;
    }
    if (!read) {
      to_httplib_response(text_response(400, "The request body could not be read.\n"), res);
      res.set_header("Connection", "close");
      return;
    }
    serve(req, res, std::move(body));
  };
  target.Get(kAnyPath, without_body);
  target.Options(kAnyPath, without_body);
  target.Post(kAnyPath, with_body);
  target.Put(kAnyPath, with_body);
  target.Patch(kAnyPath, with_body);
  target.Delete(kAnyPath, with_body);
}

core::Result<void, std::string> ApiServer::start() {
  std::lock_guard<std::mutex> lifecycle(impl_->lifecycle_mutex);
  if (impl_->server) return core::unexpected(std::string("the API server is already running"));
  const ServerOptions& options = impl_->options;
  std::unique_ptr<httplib::Server> server;
  impl_->tls = !options.tls_cert_file.empty() || !options.tls_key_file.empty();
  if (impl_->tls) {
    if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
      return core::unexpected(std::string("TLS needs both a certificate file and a key file"));
    }
    auto tls_server = std::make_unique<httplib::SSLServer>(options.tls_cert_file.c_str(),
                                                           options.tls_key_file.c_str());
    if (!tls_server->is_valid()) {
      return core::unexpected(fmt::format("cannot load the TLS certificate {} and key {}",
                                          options.tls_cert_file, options.tls_key_file));
    }
    server = std::move(tls_server);
  } else {
    server = std::make_unique<httplib::Server>();
  }
  impl_->listen_fd = -1;
  impl_->configure(*server);
  int port = -1;
  if (options.port == 0) {
    port = server->bind_to_any_port(options.host);
  } else if (options.port > 0 && options.port < 65536 &&
             server->bind_to_port(options.host, options.port)) {
    port = options.port;
  }
  if (port <= 0) {
    return core::unexpected(fmt::format(
        "cannot listen on {}:{} (in use, not an address of this machine, or not permitted)",
        options.host, options.port));
  }
  // httplib listens with a backlog of 5: connections arriving while the accept thread is busy or
  // waiting for room in the queue (backpressure.h) beyond that had their SYNs dropped, which
  // costs a client a second (the SYN retransmission) even for /healthz. Listening again on the
  // socket sets the backlog to the system's limit; the connections it holds cost this process
  // no memory.
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, SOMAXCONN);
  impl_->port = port;
  impl_->listener_exited = false;
  httplib::Server* listener = server.get();
  impl_->server = std::move(server);
  impl_->thread = std::thread([this, listener] {
    listener->listen_after_bind();
    impl_->listener_exited = true;
  });
  // httplib's stop() only acts once the accept loop runs: wait for it, so that a stop() right
  // after start() is never lost.
  while (!listener->is_running() && !impl_->listener_exited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (impl_->listener_exited) {
    impl_->thread.join();
    impl_->server.reset();
    return core::unexpected(
        fmt::format("the listener on {}:{} stopped at once", options.host, port));
  }
  impl_->serving = true;
  return {};
}

void ApiServer::stop() {
  std::lock_guard<std::mutex> lifecycle(impl_->lifecycle_mutex);
  if (!impl_->server) return;
  impl_->serving = false;
  impl_->server->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->server.reset();
}

bool ApiServer::running() const {
  return impl_->serving && !impl_->listener_exited;
}

std::size_t ApiServer::waiting_connections() const {
  const BoundedTaskQueue* queue = impl_->queue.load();
  return queue != nullptr ? queue->waiting() : 0;
}

ApiServer::Load ApiServer::load() const {
  Load load;
  load.waiting_connections = waiting_connections();
  load.refused_busy = impl_->refused_busy.load();
  load.refused_body_budget = impl_->refused_body_budget.load();
  load.body_bytes_held = impl_->body_budget->held();
  load.body_bytes_peak = impl_->body_budget->peak();
  load.body_bytes_limit = impl_->body_budget->limit();
  return load;
}

int ApiServer::port() const {
  return impl_->port;
}

std::string ApiServer::url() const {
  return fmt::format("{}://{}:{}", impl_->tls ? "https" : "http", impl_->options.host,
                     impl_->port.load());
}

}  // namespace sgwatch::api
