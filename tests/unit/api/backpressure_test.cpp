// BoundedTaskQueue and BodyBudget (api/backpressure.h): tasks run on the workers in order, the
// queue never holds more than its capacity (a full queue blocks enqueue until a worker takes a
// task), shutdown drains the queue and runs later tasks on the caller; the budget refuses what
// does not fit beside what is held, lets a lone request through, and counts. Workers are held
// with gates (condition variables), never with sleeps.
#include "api/backpressure.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace sgwatch::api {
namespace {

// A gate tasks wait at until the test opens it; counts who arrived.
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

// Spins (yielding) until `done` holds: for states another thread reaches without notifying.
template <typename Predicate>
void wait_until(Predicate done) {
  while (!done()) std::this_thread::yield();
}

TEST(BoundedTaskQueueTest, RunsEveryTaskOnItsWorkers) {
  std::atomic<int> ran{0};
  {
    BoundedTaskQueue queue(3, 4);
    for (int i = 0; i < 100; ++i) queue.enqueue([&ran] { ++ran; });
    queue.shutdown();
    EXPECT_EQ(ran.load(), 100);
    EXPECT_EQ(queue.waiting(), 0u);
  }
  EXPECT_EQ(ran.load(), 100);
}

TEST(BoundedTaskQueueTest, OneWorkerRunsTasksInArrivalOrder) {
  std::vector<int> order;
  BoundedTaskQueue queue(1, 8);
  for (int i = 0; i < 50; ++i) queue.enqueue([&order, i] { order.push_back(i); });
  queue.shutdown();
  ASSERT_EQ(order.size(), 50u);
  for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], static_cast<int>(i));
}

TEST(BoundedTaskQueueTest, AFullQueueBlocksEnqueueUntilAWorkerTakesATask) {
  Gate gate;
  BoundedTaskQueue queue(2, 3);
  EXPECT_EQ(queue.capacity(), 3u);
  // Two tasks occupy the two workers, three more fill the queue.
  for (int i = 0; i < 5; ++i) queue.enqueue([&gate] { gate.pass(); });
  gate.wait_arrived(2);
  EXPECT_EQ(queue.running(), 2u);
  EXPECT_EQ(queue.waiting(), 3u);
  EXPECT_EQ(queue.blocked(), 0u);

  std::atomic<bool> sixth_queued{false};
  std::thread producer([&] {
    queue.enqueue([&gate] { gate.pass(); });
    sixth_queued = true;
  });
  wait_until([&] { return queue.blocked() == 1; });
  EXPECT_FALSE(sixth_queued.load());
  EXPECT_EQ(queue.waiting(), 3u);  // never more than the capacity

  gate.open();  // the workers finish and take the queued tasks: room for the sixth
  producer.join();
  EXPECT_TRUE(sixth_queued.load());
  queue.shutdown();
  gate.wait_arrived(6);
  EXPECT_EQ(queue.waiting(), 0u);
  EXPECT_EQ(queue.blocked(), 0u);
}

TEST(BoundedTaskQueueTest, ShutdownDrainsTheQueueAndReleasesABlockedProducer) {
  Gate gate;
  std::atomic<int> ran{0};
  BoundedTaskQueue queue(1, 1);
  queue.enqueue([&] {
    gate.pass();
    ++ran;
  });
  gate.wait_arrived(1);
  queue.enqueue([&] { ++ran; });  // fills the queue
  std::thread producer([&] { queue.enqueue([&] { ++ran; }); });
  wait_until([&] { return queue.blocked() == 1; });
  std::thread stopper([&] { queue.shutdown(); });
  // The blocked producer runs its task itself once shut down; the worker drains the queue.
  producer.join();
  EXPECT_GE(ran.load(), 1);
  gate.open();
  stopper.join();
  EXPECT_EQ(ran.load(), 3);
  queue.enqueue([&] { ++ran; });  // after shutdown: on the caller
  EXPECT_EQ(ran.load(), 4);
}

TEST(BoundedTaskQueueTest, ZeroThreadsOrCapacityMeanOne) {
  std::atomic<int> ran{0};
  BoundedTaskQueue queue(0, 0);
  EXPECT_EQ(queue.capacity(), 1u);
  for (int i = 0; i < 10; ++i) queue.enqueue([&ran] { ++ran; });
  queue.shutdown();
  EXPECT_EQ(ran.load(), 10);
}

TEST(BodyBudgetTest, RefusesWhatDoesNotFitBesideWhatIsHeld) {
  BodyBudget budget(100);
  EXPECT_TRUE(budget.try_reserve(60));
  EXPECT_TRUE(budget.try_reserve(40));
  EXPECT_EQ(budget.held(), 100u);
  EXPECT_FALSE(budget.try_reserve(1));
  EXPECT_EQ(budget.refusals(), 1u);
  EXPECT_EQ(budget.held(), 100u);  // a refusal takes nothing
  budget.release(40);
  EXPECT_FALSE(budget.try_reserve(41));
  EXPECT_TRUE(budget.try_reserve(40));
  budget.release(100);
  EXPECT_EQ(budget.held(), 0u);
  EXPECT_EQ(budget.peak(), 100u);
  EXPECT_EQ(budget.refusals(), 2u);
}

TEST(BodyBudgetTest, ALoneRequestMayTakeMoreThanTheBudget) {
  BodyBudget budget(100);
  EXPECT_TRUE(budget.try_reserve(150));
  EXPECT_FALSE(budget.try_reserve(1));
  budget.release(150);
  EXPECT_TRUE(budget.try_reserve(static_cast<std::size_t>(-1)));  // no overflow in the check
  EXPECT_FALSE(budget.try_reserve(1));
  budget.release(static_cast<std::size_t>(-1));
  EXPECT_EQ(budget.held(), 0u);
  budget.release(5);  // more than held: stays at zero
  EXPECT_EQ(budget.held(), 0u);
}

TEST(BodyBudgetTest, ConcurrentReservationsNeverExceedTheLimit) {
  BodyBudget budget(1000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&budget] {
      for (int i = 0; i < 2000; ++i) {
        if (budget.try_reserve(300)) budget.release(300);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(budget.held(), 0u);
  EXPECT_LE(budget.peak(), 900u);
}

}  // namespace
}  // namespace sgwatch::api
