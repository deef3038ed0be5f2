// Backpressure for ApiServer (server.cpp): what keeps a flood of requests from growing memory
// without bound. BoundedTaskQueue runs accepted connections on a fixed set of worker threads
// with a fixed number of places for connections waiting for a worker (cpp-httplib's own
// ThreadPool queues without limit); BodyBudget caps the request-body bytes held in memory by all
// requests at once. Neighbours: server.cpp (the only user), server.h (ServerOptions sets both).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sgwatch::api {

// A thread pool whose queue holds at most `capacity` tasks. enqueue() blocks while the queue is
// full, so the thread that accepts connections stops accepting and the kernel's listen backlog
// (then the clients' connect) pushes back: a waiting connection costs no memory here.
class BoundedTaskQueue {
 public:
  // `threads` and `capacity` are at least 1.
  BoundedTaskQueue(std::size_t threads, std::size_t capacity);
  ~BoundedTaskQueue();  // shutdown()
  BoundedTaskQueue(const BoundedTaskQueue&) = delete;
  BoundedTaskQueue& operator=(const BoundedTaskQueue&) = delete;

  // Queues `task` for a worker, waiting while `capacity` tasks wait. After shutdown() the task
  // runs on the calling thread (nothing accepted is dropped).
  void enqueue(std::function<void()> task);
  // Runs every queued task, then joins the workers. Idempotent.
  void shutdown();

  std::size_t capacity() const { return slots_.size(); }
  // Tasks queued and not yet started.
  std::size_t waiting() const;
  // enqueue() calls waiting for room.
  std::size_t blocked() const;
  // Tasks running on a worker now.
  std::size_t running() const;

 private:
  void work();

  mutable std::mutex mutex_;
  std::condition_variable has_task_;
  std::condition_variable has_room_;
  std::vector<std::function<void()>> slots_;  // a ring of `capacity` places
  std::size_t head_ = 0;                      // the oldest queued task
  std::size_t size_ = 0;
  std::size_t blocked_ = 0;
  std::size_t running_ = 0;
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
};

// The request-body bytes all requests may hold at once. A request reserves its declared length
// (or, for a body without Content-Length, each piece as it arrives) before reading; a
// reservation that does not fit is refused, and the server answers 503 with Retry-After instead
// of reading the body. One request alone may always take the whole budget, so a body within the
// per-request limit is never refused forever.
class BodyBudget {
 public:
  explicit BodyBudget(std::size_t limit_bytes) : limit_(limit_bytes) {}

  // Takes `bytes` when they fit beside what is held; false (nothing taken) otherwise.
  bool try_reserve(std::size_t bytes);
  void release(std::size_t bytes);

  std::size_t limit() const { return limit_; }
  std::size_t held() const;
  // The most ever held at once.
  std::size_t peak() const;
  // Reservations refused so far.
  std::size_t refusals() const;

 private:
  mutable std::mutex mutex_;
  const std::size_t limit_;
  std::size_t held_ = 0;
  std::size_t peak_ = 0;
  std::size_t refusals_ = 0;
};

}  // namespace sgwatch::api
