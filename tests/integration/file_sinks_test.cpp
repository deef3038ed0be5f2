// The file and stdout sinks on a real file system and real pipes: lines appended with mode 0600,
// failures for good (missing folder, a folder, a path through a file) and worth retrying (a full
// device, a FIFO nobody reads), whole lines on a pipe from many threads, a closed pipe failing
// without killing the process, and a full pipe timing out.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "notify/sinks/sinks.h"
#include "support/servers.h"
#include "support/temp_dir.h"

namespace sgwatch::notify {
namespace {

using sgwatch::testing::read_text_file;
using sgwatch::testing::TempDir;
using namespace std::chrono_literals;

RenderedDelivery file_line(std::string path, std::string line) {
  RenderedDelivery d;
  d.kind = DeliveryKind::kFile;
  d.message_id = "m-1";
  d.path = std::move(path);
  d.line = std::move(line);
  return d;
}

RenderedDelivery stdout_line(std::string line) {
  RenderedDelivery d;
  d.kind = DeliveryKind::kStdout;
  d.message_id = "m-1";
  d.line = std::move(line);
  return d;
}

// Reads everything from `fd` until EOF.
std::string drain(int fd) {
  std::string out;
  char buffer[65536];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

TEST(FileSink, AppendsLinesWithMode0600) {
  TempDir dir;
  const std::string path = (dir.path() / "alarms.jsonl").string();
  FileSink sink;
  const std::string big(300000, 'x');
  EXPECT_EQ(sink.send(file_line(path, R"({"AlarmName":"sg-changes"})")).status,
            SinkStatus::kDelivered);
  EXPECT_EQ(sink.send(file_line(path, big)).status, SinkStatus::kDelivered);
  EXPECT_EQ(sink.send(file_line(path, "")).status, SinkStatus::kDelivered);
  EXPECT_EQ(read_text_file(path),
            std::string(R"({"AlarmName":"sg-changes"})") + "\n" + big + "\n\n");
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(FileSink, KeepsWhatIsThere) {
  TempDir dir;
  const auto path = dir.path() / "existing.log";
  {
    FILE* f = fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs("earlier\n", f);
    fclose(f);
  }
  chmod(path.c_str(), 0644);
  EXPECT_EQ(FileSink().send(file_line(path.string(), "later")).status, SinkStatus::kDelivered);
  EXPECT_EQ(read_text_file(path), "earlier\nlater\n");
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);  // an existing file keeps its mode
}

TEST(FileSink, FailuresForGood) {
  TempDir dir;
  FileSink sink;
  const std::string missing = (dir.path() / "no-such-dir" / "x.log").string();
  const auto no_dir = sink.send(file_line(missing, "x"));
  EXPECT_EQ(no_dir.status, SinkStatus::kFailed);
  EXPECT_EQ(no_dir.error, "file " + missing + ": open: No such file or directory");

  const auto is_dir = sink.send(file_line(dir.path().string(), "x"));
  EXPECT_EQ(is_dir.status, SinkStatus::kFailed);
  EXPECT_NE(is_dir.error.find("Is a directory"), std::string::npos) << is_dir.error;

  const auto plain = dir.path() / "plain";
  ASSERT_EQ(sink.send(file_line(plain.string(), "x")).status, SinkStatus::kDelivered);
  const auto through_file = sink.send(file_line((plain / "y.log").string(), "x"));
  EXPECT_EQ(through_file.status, SinkStatus::kFailed);
  EXPECT_NE(through_file.error.find("Not a directory"), std::string::npos) << through_file.error;

  EXPECT_EQ(sink.send(file_line("", "x")).status, SinkStatus::kFailed);
  EXPECT_EQ(sink.send(file_line(std::string("a\0b", 3), "x")).status, SinkStatus::kFailed);
  EXPECT_EQ(sink.send(stdout_line("x")).status, SinkStatus::kFailed);
}

TEST(FileSink, PermissionDenied) {
  if (geteuid() == 0) GTEST_SKIP() << "root is not denied";
  TempDir dir;
  const auto locked = dir.path() / "locked";
  ASSERT_EQ(mkdir(locked.c_str(), 0500), 0);
  const auto outcome = FileSink().send(file_line((locked / "x.log").string(), "x"));
  EXPECT_EQ(outcome.status, SinkStatus::kFailed);
  EXPECT_NE(outcome.error.find("Permission denied"), std::string::npos) << outcome.error;
}

TEST(FileSink, FullDeviceIsRetried) {
  const auto outcome = FileSink().send(file_line("/dev/full", "x"));
  EXPECT_EQ(outcome.status, SinkStatus::kRetry) << outcome.error;
  EXPECT_EQ(outcome.error, "file /dev/full: write: No space left on device");
}

TEST(FileSink, FifoWithoutReaderIsRetriedWithoutBlocking) {
  TempDir dir;
  const auto fifo = dir.path() / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const auto outcome = FileSink().send(file_line(fifo.string(), "x"));
  EXPECT_EQ(outcome.status, SinkStatus::kRetry) << outcome.error;

  const int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  EXPECT_EQ(FileSink().send(file_line(fifo.string(), "through the fifo")).status,
            SinkStatus::kDelivered);
  char buffer[64] = {};
  EXPECT_EQ(read(reader, buffer, sizeof buffer), 17);
  EXPECT_EQ(std::string(buffer, 17), "through the fifo\n");
  close(reader);
}

TEST(StdoutSink, WritesWholeLinesToAPipe) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  std::string received;
  std::thread reader([&] { received = drain(fds[0]); });
  {
    StdoutSink sink(fds[1]);
    const std::string long_line(100000, 'y');
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
      writers.emplace_back([&, t] {
        StdoutSink own(fds[1]);
        for (int i = 0; i < 25; ++i) {
          const std::string line = std::string(1, static_cast<char>('a' + t)) +
                                   long_line.substr(0, 5000 + 1000 * static_cast<std::size_t>(i));
          EXPECT_EQ(own.send(stdout_line(line)).status, SinkStatus::kDelivered);
        }
      });
    }
    for (auto& w : writers) w.join();
    EXPECT_EQ(sink.send(stdout_line("last")).status, SinkStatus::kDelivered);
  }
  close(fds[1]);
  reader.join();
  close(fds[0]);
  // Every line arrived whole: 100 lines of the writers plus "last".
  std::size_t lines = 0;
  std::size_t at = 0;
  for (std::size_t end = received.find('\n'); end != std::string::npos;
       end = received.find('\n', at)) {
    const std::string line = received.substr(at, end - at);
    if (line != "last") {
      ASSERT_GE(line.size(), 5001u);
      EXPECT_EQ(line.find_first_not_of('y', 1), std::string::npos);
      EXPECT_EQ((line.size() - 5001) % 1000, 0u);
    }
    ++lines;
    at = end + 1;
  }
  EXPECT_EQ(lines, 101u);
  EXPECT_EQ(received.substr(received.size() - 5), "last\n");
}

TEST(StdoutSink, ClosedPipeFailsWithoutKillingTheProcess) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  close(fds[0]);
  const auto outcome = StdoutSink(fds[1]).send(stdout_line("nobody reads this"));
  close(fds[1]);
  EXPECT_EQ(outcome.status, SinkStatus::kFailed);
  EXPECT_NE(outcome.error.find("Broken pipe"), std::string::npos) << outcome.error;
  // No SIGPIPE was left pending either.
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  EXPECT_EQ(sigismember(&pending, SIGPIPE), 0);
}

TEST(StdoutSink, FullPipeTimesOutAndIsRetried) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
  const std::string chunk(65536, 'z');
  while (write(fds[1], chunk.data(), chunk.size()) > 0) {
  }
  const auto start = std::chrono::steady_clock::now();
  const auto outcome = StdoutSink(fds[1], 100ms).send(stdout_line("no room"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  close(fds[0]);
  close(fds[1]);
  EXPECT_EQ(outcome.status, SinkStatus::kRetry) << outcome.error;
}

}  // namespace
}  // namespace sgwatch::notify
