// Implementation of backpressure.h: a mutex, two condition variables and a ring of task slots
// allocated once; a byte counter under a mutex.
#include "api/backpressure.h"

#include <algorithm>
#include <utility>

namespace sgwatch::api {

BoundedTaskQueue::BoundedTaskQueue(std::size_t threads, std::size_t capacity)
    : slots_(std::max<std::size_t>(1, capacity)) {
  const std::size_t count = std::max<std::size_t>(1, threads);
  threads_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) threads_.emplace_back([this] { work(); });
}

BoundedTaskQueue::~BoundedTaskQueue() {
  shutdown();
}

void BoundedTaskQueue::enqueue(std::function<void()> task) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (size_ == slots_.size() && !shutdown_) {
    ++blocked_;
    has_room_.wait(lock, [this] { return size_ < slots_.size() || shutdown_; });
    --blocked_;
  }
  if (shutdown_) {
    lock.unlock();
    task();
    return;
  }
  slots_[(head_ + size_) % slots_.size()] = std::move(task);
  ++size_;
  lock.unlock();
  has_task_.notify_one();
}

void BoundedTaskQueue::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shutdown_) return;
    shutdown_ = true;
  }
  has_task_.notify_all();
  has_room_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

std::size_t BoundedTaskQueue::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return size_;
}

std::size_t BoundedTaskQueue::blocked() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return blocked_;
}

std::size_t BoundedTaskQueue::running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_;
}

void BoundedTaskQueue::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      has_task_.wait(lock, [this] { return size_ > 0 || shutdown_; });
      if (size_ == 0) return;  // shut down and drained
      task = std::move(slots_[head_]);
      slots_[head_] = nullptr;
      head_ = (head_ + 1) % slots_.size();
      --size_;
      ++running_;
    }
    has_room_.notify_one();
    task();
    std::lock_guard<std::mutex> lock(mutex_);
    --running_;
  }
}

bool BodyBudget::try_reserve(std::size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  // A lone request may take the whole budget (and more: the per-request limit governs it).
  if (held_ != 0 && (bytes > limit_ || held_ > limit_ - bytes)) {
    ++refusals_;
    return false;
  }
  held_ += bytes;
  peak_ = std::max(peak_, held_);
  return true;
}

void BodyBudget::release(std::size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  held_ -= std::min(bytes, held_);
}

std::size_t BodyBudget::held() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return held_;
}

std::size_t BodyBudget::peak() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return peak_;
}

std::size_t BodyBudget::refusals() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return refusals_;
}

}  // namespace sgwatch::api
