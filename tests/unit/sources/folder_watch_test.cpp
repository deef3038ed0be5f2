// sources::FolderWatch over real inotify on a temporary folder: which files it calls complete
// (closed after writing, renamed in) or touched (still open), subfolders that appear or move in,
// hidden names, interrupt() and a folder that cannot be watched. The kernel queues inotify events
// while the writing call runs, so one wait() after the writes sees them all; the timeouts below
// are upper bounds that are never reached, except in the one test of a quiet folder.
#include "sources/folder_watch.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "support/temp_dir.h"

namespace sgwatch::sources {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

void write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::unique_ptr<FolderWatch> watch(const fs::path& root) {
  auto opened = FolderWatch::open(root);
  if (!opened) ADD_FAILURE() << opened.error();
  return opened ? std::move(*opened) : nullptr;
}

TEST(FolderWatch, AFileClosedAfterWritingIsComplete) {
  testing::TempDir dir;
  auto w = watch(dir.path());
  ASSERT_TRUE(w);
  write(dir.path() / "a.json", "{}");
  const FolderChanges changes = w->wait(5s);
  EXPECT_EQ(changes.complete, (std::set<std::string>{"a.json"}));
  EXPECT_TRUE(changes.touched.empty());
  EXPECT_FALSE(changes.rescan);
}

TEST(FolderWatch, AFileRenamedInIsCompleteAndHiddenTemporariesAreNotReported) {
  testing::TempDir dir;
  auto w = watch(dir.path());
  ASSERT_TRUE(w);
  write(dir.path() / ".a.json.tmp", "{\"Records\": []}");
  fs::rename(dir.path() / ".a.json.tmp", dir.path() / "a.json");
  const FolderChanges changes = w->wait(5s);
  EXPECT_EQ(changes.complete, (std::set<std::string>{"a.json"}));
  EXPECT_TRUE(changes.touched.empty());
}

TEST(FolderWatch, AFileStillOpenIsTouchedUntilClosed) {
  testing::TempDir dir;
  auto w = watch(dir.path());
  ASSERT_TRUE(w);
  const int fd = ::open((dir.path() / "growing.jsonl").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "{}\n", 3), 3);
  FolderChanges changes = w->wait(5s);
  EXPECT_EQ(changes.touched, (std::set<std::string>{"growing.jsonl"}));
  EXPECT_TRUE(changes.complete.empty());
  ::close(fd);
  changes = w->wait(5s);
  EXPECT_EQ(changes.complete, (std::set<std::string>{"growing.jsonl"}));
  EXPECT_TRUE(changes.touched.empty());
}

TEST(FolderWatch, AppendingAfterTheCloseMakesTheFileTouchedAgain) {
  testing::TempDir dir;
  auto w = watch(dir.path());
  ASSERT_TRUE(w);
  write(dir.path() / "log.jsonl", "{}\n");
  const int fd = ::open((dir.path() / "log.jsonl").c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "{}\n", 3), 3);
  const FolderChanges changes = w->wait(5s);
  ::close(fd);
  EXPECT_TRUE(changes.complete.empty());
  EXPECT_EQ(changes.touched, (std::set<std::string>{"log.jsonl"}));
}

TEST(FolderWatch, ANewSubfolderAsksForAListingAndIsWatchedFromThen) {
  testing::TempDir dir;
  auto w = watch(dir.path());
  ASSERT_TRUE(w);
  EXPECT_EQ(w->folders(), 1u);
  fs::create_directories(dir.path() / "AWSLogs/123456789012");
  write(dir.path() / "AWSLogs/123456789012/early.json", "{}");  // may precede the watch
  FolderChanges changes = w->wait(5s);
  EXPECT_TRUE(changes.rescan);
  EXPECT_EQ(w->folders(), 3u);
  write(dir.path() / "AWSLogs/123456789012/late.json", "{}");
  changes = w->wait(5s);
  EXPECT_EQ(changes.complete, (std::set<std::string>{"AWSLogs/123456789012/late.json"}));
}

TEST(FolderWatch, AFolderMovedInIsWatchedUnderItsNewName) {
  testing::TempDir outside;
  testing::TempDir dir;
  fs::create_directories(outside.path() / "day/hour");
  write(outside.path() / "day/hour/first.json", "{}");
  auto w = watch(dir.path());
  ASSERT_TRUE(w);
  fs::rename(outside.path() / "day", dir.path() / "2026-11-28");
  FolderChanges changes = w->wait(5s);
  EXPECT_TRUE(changes.rescan);
  EXPECT_EQ(w->folders(), 3u);
  write(dir.path() / "2026-11-28/hour/second.json", "{}");
  changes = w->wait(5s);
  EXPECT_EQ(changes.complete, (std::set<std::string>{"2026-11-28/hour/second.json"}));
  // Renamed within the tree: reported under the new name only.
  fs::rename(dir.path() / "2026-11-28", dir.path() / "renamed");
  changes = w->wait(5s);
  EXPECT_TRUE(changes.rescan);
  write(dir.path() / "renamed/hour/third.json", "{}");
  changes = w->wait(5s);
  EXPECT_EQ(changes.complete, (std::set<std::string>{"renamed/hour/third.json"}));
}

TEST(FolderWatch, HiddenFoldersAreNotWatched) {
  testing::TempDir dir;
  fs::create_directories(dir.path() / ".sync");
  auto w = watch(dir.path());
  ASSERT_TRUE(w);
  EXPECT_EQ(w->folders(), 1u);
  write(dir.path() / ".sync/inner.json", "{}");
  const FolderChanges changes = w->wait(50ms);
  EXPECT_TRUE(changes.empty());
}

TEST(FolderWatch, AQuietFolderTimesOutEmpty) {
  testing::TempDir dir;
  auto w = watch(dir.path());
  ASSERT_TRUE(w);
  EXPECT_TRUE(w->wait(20ms).empty());
}

TEST(FolderWatch, InterruptEndsTheWaitAtOnce) {
  testing::TempDir dir;
  auto w = watch(dir.path());
  ASSERT_TRUE(w);
  w->interrupt();
  // Were the interrupt lost, this would wait an hour and the test would time out.
  EXPECT_TRUE(w->wait(std::chrono::hours(1)).empty());
}

TEST(FolderWatch, RemovingTheFolderIsReported) {
  testing::TempDir parent;
  fs::create_directories(parent.path() / "watched");
  auto w = watch(parent.path() / "watched");
  ASSERT_TRUE(w);
  fs::remove_all(parent.path() / "watched");
  const FolderChanges changes = w->wait(5s);
  EXPECT_TRUE(changes.rescan);
  EXPECT_NE(changes.problem.find("watched"), std::string::npos) << changes.problem;
}

TEST(FolderWatch, OpeningSomethingThatIsNotAFolderFails) {
  testing::TempDir dir;
  write(dir.path() / "file", "x");
  auto file = FolderWatch::open(dir.path() / "file");
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().find("not a folder"), std::string::npos) << file.error();
  auto missing = FolderWatch::open(dir.path() / "missing");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("missing"), std::string::npos) << missing.error();
}

}  // namespace
}  // namespace sgwatch::sources
