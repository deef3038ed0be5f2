// sources::list_files and file positions: what a folder source sees (hidden entries, symlinked
// folders, order) and how a stored position decides where a file is read from.
#include "sources/folder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "support/temp_dir.h"

namespace sgwatch::sources {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

TEST(ListFiles, RecursiveSortedWithoutHiddenEntriesOrLinkedFolders) {
  testing::TempDir dir;
  write(dir.path() / "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/28/b.json.gz", "x");
  write(dir.path() / "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/28/a.json.gz", "yy");
  write(dir.path() / "top.jsonl", "zzz");
  write(dir.path() / ".partial.json", "hidden");
  write(dir.path() / ".sync/inner.json", "hidden folder");
  fs::create_directory_symlink(dir.path() / "AWSLogs", dir.path() / "loop");
  auto listing = list_files(dir.path());
  ASSERT_TRUE(listing) << listing.error();
  std::vector<std::string> names;
  for (const auto& file : listing->files) names.push_back(file.relative);
  EXPECT_EQ(names, (std::vector<std::string>{"AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/28/a.json.gz",
                                             "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/28/b.json.gz",
                                             "top.jsonl"}));
  EXPECT_EQ(listing->files[0].size, 2u);
  EXPECT_GT(listing->files[0].mtime_ns, 1700000000LL * 1000000000);
  EXPECT_TRUE(listing->errors.empty());
}

TEST(ListFiles, MissingOrNotAFolderIsAnError) {
  testing::TempDir dir;
  auto missing = list_files(dir.path() / "nope");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("nope"), std::string::npos);
  write(dir.path() / "file", "x");
  auto file = list_files(dir.path() / "file");
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().find("not a folder"), std::string::npos);
}

TEST(ListFiles, UnreadableSubfolderIsReportedAndTheWalkGoesOn) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads every folder";
  testing::TempDir dir;
  write(dir.path() / "closed/inside.json", "x");
  write(dir.path() / "open.json", "y");
  fs::permissions(dir.path() / "closed", fs::perms::none);
  auto listing = list_files(dir.path());
  fs::permissions(dir.path() / "closed", fs::perms::owner_all);
  ASSERT_TRUE(listing) << listing.error();
  ASSERT_EQ(listing->files.size(), 1u);
  EXPECT_EQ(listing->files[0].relative, "open.json");
}

TEST(FilePosition, RoundTripsAndRejectsAnythingElse) {
  const FilePosition p{1234, 1795000000123456789, 17, 2, true};
  EXPECT_EQ(encode_position(p), "v1 size=1234 mtime=1795000000123456789 records=17 batches=2 complete=1");
  EXPECT_EQ(decode_position(encode_position(p)), p);
  for (const char* bad : {"", "v1", "v2 size=1 mtime=1 records=1 batches=0 complete=0",
                          "v1 size=1 mtime=1 records=1 batches=0", "v1 size=x mtime=1 records=1 batches=0 complete=0",
                          "v1 size=1 mtime=1 records=1 batches=0 complete=2",
                          "v1 size=1 mtime=1 records=1 batches=0 complete=0 extra=1",
                          "v1 size=-1 mtime=1 records=1 batches=0 complete=0"}) {
    EXPECT_FALSE(decode_position(bad)) << bad;
  }
}

TEST(FilePosition, DecidesWhereAFileIsReadFrom) {
  FileEntry file{"/f", "f", 100, 5};
  EXPECT_EQ(read_from(file, std::nullopt), ReadFrom::kStart);
  EXPECT_EQ(read_from(file, FilePosition{100, 5, 10, 0, true}), ReadFrom::kSkip);
  EXPECT_EQ(read_from(file, FilePosition{100, 4, 10, 0, true}), ReadFrom::kPosition);  // touched
  EXPECT_EQ(read_from(file, FilePosition{80, 4, 10, 0, true}), ReadFrom::kPosition);   // grown
  EXPECT_EQ(read_from(file, FilePosition{100, 5, 3, 1, false}), ReadFrom::kPosition);  // unfinished
  EXPECT_EQ(read_from(file, FilePosition{120, 5, 10, 0, true}), ReadFrom::kStart);     // shrank: replaced
}

}  // namespace
}  // namespace sgwatch::sources
