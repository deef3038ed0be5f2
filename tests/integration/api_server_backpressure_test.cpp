// ApiServer under more connections than threads (api/backpressure.h, ServerOptions::
// queued_connections), over real sockets on 127.0.0.1: connections wait in the bounded queue;
// while any waits, answers carry `Connection: close`; from as many waiting as there are threads
// (at most half the queue) on, a request with a body is answered 503 with Retry-After without
// reaching its handler, while GET routes are served. The one worker is held by a gate, and the test waits for the queue to fill through
// ApiServer::waiting_connections(), so nothing depends on timing.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "api/server.h"

namespace sgwatch::api {
namespace {

int connect_to(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

void send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    ASSERT_GT(n, 0);
    sent += static_cast<std::size_t>(n);
  }
}

// Reads one whole response (headers and the Content-Length body); "" after 20 s.
std::string read_response(int fd) {
  std::string received;
  char buffer[4096];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 200) <= 0) continue;
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
    const std::size_t head = received.find("\r\n\r\n");
    const std::size_t length = received.find("Content-Length: ");
    if (head != std::string::npos && length != std::string::npos && length < head &&
        received.size() >= head + 4 + std::stoul(received.substr(length + 16))) {
      break;
    }
  }
  return received;
}

std::string post(const std::string& path, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

class Gate {
 public:
  void pass() {
    std::unique_lock<std::mutex> lock(mutex_);
    ++arrived_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  void wait_arrived(int count) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return arrived_ >= count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int arrived_ = 0;
  bool open_ = false;
};

aws::HttpResponse ok(std::string body) {
  aws::HttpResponse response;
  response.status = 200;
  response.headers.push_back({"Content-Type", "text/plain"});
  response.body = std::move(body);
  return response;
}

TEST(ApiServerBackpressure, QueuedConnectionsAreServedInTurnAndBodiesShedFromHalfTheQueue) {
  ServerOptions options;
  options.port = 0;
  options.threads = 1;
  options.queued_connections = 2;  // bodies are shed while 1 or more connections wait
  ApiServer server(nullptr, options);
  Gate gate;
  std::atomic<int> stored{0};
  server.add_route("POST", "/slow", [&](const aws::HttpRequest&) {
    gate.pass();
    return ok("slow\n");
  });
  server.add_route("POST", "/store", [&](const aws::HttpRequest&) {
    ++stored;
    return ok("stored\n");
  });
  server.add_route("GET", "/healthz", [](const aws::HttpRequest&) { return ok("ok\n"); });
  ASSERT_TRUE(server.start().ok());

  const int busy = connect_to(server.port());
  ASSERT_GE(busy, 0);
  send_all(busy, post("/slow", "x"));
  gate.wait_arrived(1);  // the one thread is held
  const int shed = connect_to(server.port());
  ASSERT_GE(shed, 0);
  while (server.waiting_connections() < 1) std::this_thread::yield();
  const int health = connect_to(server.port());
  ASSERT_GE(health, 0);
  while (server.waiting_connections() < 2) std::this_thread::yield();
  send_all(shed, post("/store", "event"));
  send_all(health, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");

  gate.open();
  const std::string first = read_response(busy);
  EXPECT_NE(first.find("HTTP/1.1 200"), std::string::npos) << first;
  EXPECT_NE(first.find("Connection: close"), std::string::npos) << first;  // two were waiting
  close(busy);  // as a client does when told to close: the thread is free at once
  const std::string refused = read_response(shed);
  EXPECT_NE(refused.find("HTTP/1.1 503"), std::string::npos) << refused;  // one still waited
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
  EXPECT_EQ(stored.load(), 0);
  EXPECT_EQ(server.load().refused_busy, 1u);  // counted for /metrics
  EXPECT_EQ(server.load().refused_body_budget, 0u);
  close(shed);
  const std::string healthy = read_response(health);
  EXPECT_NE(healthy.find("HTTP/1.1 200"), std::string::npos) << healthy;  // GET: always served
  EXPECT_EQ(healthy.find("Connection: close"), std::string::npos) << healthy;  // none waited
  close(health);  // an idle kept-alive connection would hold the thread for its keep-alive time

  // With nothing waiting, the same request is stored.
  const int again = connect_to(server.port());
  ASSERT_GE(again, 0);
  send_all(again, post("/store", "event"));
  const std::string accepted = read_response(again);
  EXPECT_NE(accepted.find("HTTP/1.1 200"), std::string::npos) << accepted;
  EXPECT_EQ(stored.load(), 1);
  EXPECT_EQ(server.load().refused_busy, 1u);
  EXPECT_EQ(server.load().body_bytes_peak, 5u);  // "event"
  EXPECT_EQ(server.load().body_bytes_held, 0u);
  close(again);
  server.stop();
  EXPECT_EQ(server.waiting_connections(), 0u);
}

TEST(ApiServerBackpressure, ABodyThatDoesNotFitBesideTheHeldOnesIsRefusedAndCounted) {
  ServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.max_body_bytes = 10;
  options.max_buffered_body_bytes = 10;
  ApiServer server(nullptr, options);
  Gate gate;
  std::atomic<int> stored{0};
  server.add_route("POST", "/hold", [&](const aws::HttpRequest&) {
    gate.pass();
    return ok("held\n");
  });
  server.add_route("POST", "/store", [&](const aws::HttpRequest&) {
    ++stored;
    return ok("stored\n");
  });
  ASSERT_TRUE(server.start().ok());

  const int holder = connect_to(server.port());
  ASSERT_GE(holder, 0);
  send_all(holder, post("/hold", "0123456789"));  // the whole budget, held by its handler
  gate.wait_arrived(1);
  EXPECT_EQ(server.load().body_bytes_held, 10u);
  const int late = connect_to(server.port());
  ASSERT_GE(late, 0);
  send_all(late, post("/store", "event"));
  const std::string refused = read_response(late);
  EXPECT_NE(refused.find("HTTP/1.1 503"), std::string::npos) << refused;
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
  EXPECT_EQ(stored.load(), 0);
  EXPECT_EQ(server.load().refused_body_budget, 1u);
  EXPECT_EQ(server.load().refused_busy, 0u);
  close(late);

  gate.open();
  EXPECT_NE(read_response(holder).find("HTTP/1.1 200"), std::string::npos);
  close(holder);
  const ApiServer::Load load = server.load();
  EXPECT_EQ(load.body_bytes_peak, 10u);
  EXPECT_EQ(load.body_bytes_limit, 10u);
  server.stop();
  EXPECT_EQ(server.load().body_bytes_held, 0u);
}

}  // namespace
}  // namespace sgwatch::api
