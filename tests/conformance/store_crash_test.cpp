// Kill-and-restart test of the state store (issue acceptance): the crash driver feeds a stream
// with three alarms through the alarm engine; one run goes uninterrupted, another is killed with
// SIGKILL at random moments at least 20 times and restarted each time. Both must end with the
// same alarm history: no transition lost, none repeated, none changed.
#include <signal.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "support/temp_dir.h"

namespace {

using sgwatch::testing::TempDir;

pid_t start_driver(const std::string& state, const std::string& input, const std::string& batch) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    dup2(null, 1);
    execl(SGWATCH_STORE_CRASH_DRIVER, SGWATCH_STORE_CRASH_DRIVER, state.c_str(), input.c_str(), batch.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

std::vector<std::string> state_updates(const std::filesystem::path& dir) {
  auto store = sgwatch::store::Store::open(dir);
  EXPECT_TRUE(store) << store.error();
  std::vector<std::string> out;
  sgwatch::store::HistoryQuery q;
  q.type = sgwatch::alarms::HistoryType::kStateUpdate;
  q.ascending = true;
  q.limit = 1000000;
  auto items = (*store)->history(q);
  EXPECT_TRUE(items);
  if (!items) return out;
  for (const auto& h : *items) {
    out.push_back(h.item.alarm_name + " " + std::to_string(h.item.timestamp_ms) + " " + h.item.summary + " " + h.item.data);
  }
  return out;
}

TEST(StoreCrash, KilledTwentyTimesLosesAndRepeatsNothing) {
  TempDir dir("sgwatch-crash");
  // Bursts of security-group events over two days: a few hundred transitions.
  std::mt19937 random(4242);
  std::ofstream input(dir.path() / "input.txt");
  std::int64_t t = 1795000000;
  for (int i = 0; i < 4000; ++i) {
    t += static_cast<std::int64_t>(random() % 6 == 0 ? 600 + random() % 3000 : random() % 40);
    input << t << " " << (random() % 5) << "\n";
  }
  input.close();
  const std::string in = (dir.path() / "input.txt").string();

  // Batches of 2 lines, so that kills also land between the lines of one transaction.
  const auto began = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_exit(start_driver((dir.path() / "reference").string(), in, "2")), 0);
  // Kill delays scale with the uninterrupted run (sanitizer builds start and run slower): each
  // run gets between 1/80 and 1/25 of it, so twenty kills land inside the stream.
  const auto reference_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - began).count();
  std::uniform_int_distribution<std::int64_t> delay(std::max<std::int64_t>(1, reference_ms / 80),
                                                    std::max<std::int64_t>(2, reference_ms / 25));
  const auto expected = state_updates(dir.path() / "reference");
  ASSERT_GT(expected.size(), 100U);

  const std::string killed = (dir.path() / "killed").string();
  int kills = 0;
  int runs = 0;
  while (true) {
    const pid_t pid = start_driver(killed, in, "2");
    ++runs;
    if (kills < 20) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay(random)));
      if (kill(pid, SIGKILL) == 0) {
        const int status = wait_exit(pid);
        if (status == -SIGKILL) {
          ++kills;
          continue;
        }
        ASSERT_EQ(status, 0);
        break;
      }
    }
    ASSERT_EQ(wait_exit(pid), 0);
    break;
  }
  EXPECT_GE(kills, 20) << "the stream ended before 20 kills; make it longer";
  const auto actual = state_updates(killed);
  ASSERT_EQ(actual.size(), expected.size()) << kills << " kills in " << runs << " runs";
  for (std::size_t i = 0; i < actual.size(); ++i) ASSERT_EQ(actual[i], expected[i]) << i;
}

}  // namespace
