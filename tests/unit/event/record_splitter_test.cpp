// RecordSplitter: every layout, cut at every chunk size (the records and offsets must not depend
// on how the stream is chunked), structural errors with offsets, and the real captures of
// ../shared/data/cloudtrail (record counts checked against nlohmann's reading of each file).
#include "event/record_splitter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/subprocess.h"

namespace sgwatch::event {
namespace {

struct Split {
  std::vector<std::pair<std::uint64_t, std::string>> records;
  std::optional<SplitError> error;
  RecordSplitter::Layout layout = RecordSplitter::Layout::kNone;
};

Split split(std::string_view input, std::size_t chunk_size, RecordSplitter::Options options = {}) {
  RecordSplitter splitter(options);
  Split out;
  auto sink = [&](const RecordRef& r) { out.records.emplace_back(r.offset, std::string(r.text)); };
  for (std::size_t i = 0; i < input.size() && !out.error; i += chunk_size) {
    out.error = splitter.feed(input.substr(i, chunk_size), sink);
  }
  if (!out.error) out.error = splitter.finish(sink);
  out.layout = splitter.layout();
  return out;
}

struct Case {
  const char* name;
  std::string input;
  std::vector<std::string> records;
  RecordSplitter::Layout layout;
};

const std::vector<Case>& cases() {
  using L = RecordSplitter::Layout;
  static const std::vector<Case> kCases = {
      {"records_object", R"({"Records":[{"a":1},{"b":[2,3]}]})", {R"({"a":1})", R"({"b":[2,3]})"},
       L::kRecordsObject},
      {"records_pretty", "{\n  \"Records\" : [\n    {\"a\": \"x]\"},\n    {\"b\": \"}\\\"{\"}\n  ]\n}\n",
       {R"({"a": "x]"})", R"({"b": "}\"{"})"}, L::kRecordsObject},
      {"records_then_more_keys", R"({"Records":[{"a":1}],"x":{"y":[1]}})", {R"({"a":1})"},
       L::kRecordsObject},
      {"records_empty", R"({"Records":[]})", {}, L::kRecordsObject},
      {"records_scalars", R"({"Records":[1,"s",true,null]})", {"1", "\"s\"", "true", "null"},
       L::kRecordsObject},
      {"records_not_first_key", R"({"x":1,"Records":[{"a":1}]})", {R"({"x":1,"Records":[{"a":1}]})"},
       L::kValues},
      {"records_not_array", R"({"Records":null})", {R"({"Records":null})"}, L::kValues},
      {"escaped_key_is_not_records", R"({"Record\u0073":[{"a":1}]})",
       {R"({"Record\u0073":[{"a":1}]})"}, L::kValues},
      {"array", R"([{"a":1}, {"b":{"c":[]}}])", {R"({"a":1})", R"({"b":{"c":[]}})"}, L::kArray},
      {"json_lines", "{\"a\":1}\n{\"b\":2}\r\n\n{\"c\":\"\\n\"}\n",
       {R"({"a":1})", R"({"b":2})", R"({"c":"\n"})"}, L::kValues},
      {"pretty_single", "{\n  \"eventName\": \"X\",\n  \"n\": [1, 2]\n}\n",
       {"{\n  \"eventName\": \"X\",\n  \"n\": [1, 2]\n}"}, L::kValues},
      {"empty_object", "{}", {"{}"}, L::kValues},
      {"top_level_scalars", "42 \"s\" true", {"42", "\"s\"", "true"}, L::kValues},
      {"whitespace_only", " \n\t ", {}, L::kNone},
      {"brackets_in_strings", R"({"Records":[{"a":"[{\"}"},{"b":"\\"}]})",
       {R"({"a":"[{\"}"})", R"({"b":"\\"})"}, L::kRecordsObject},
  };
  return kCases;
}

TEST(RecordSplitter, EveryLayoutAtEveryChunkSize) {
  for (const Case& c : cases()) {
    const Split whole = split(c.input, c.input.size() + 1);
    ASSERT_FALSE(whole.error) << c.name << ": " << whole.error->reason;
    std::vector<std::string> texts;
    for (const auto& [offset, text] : whole.records) {
      texts.push_back(text);
      EXPECT_EQ(c.input.substr(offset, text.size()), text) << c.name << ": offset points at the record";
    }
    EXPECT_EQ(texts, c.records) << c.name;
    EXPECT_EQ(whole.layout, c.layout) << c.name;
    for (std::size_t chunk = 1; chunk <= c.input.size(); ++chunk) {
      const Split cut = split(c.input, chunk);
      ASSERT_FALSE(cut.error) << c.name << " chunk " << chunk;
      EXPECT_EQ(cut.records, whole.records) << c.name << " chunk " << chunk;
    }
  }
}

TEST(RecordSplitter, StructuralErrorsCarryOffsets) {
  struct Bad {
    std::string input;
    std::uint64_t offset;
    std::string reason_part;
  };
  const std::vector<Bad> bad = {
      {R"({"Records":[{"a":1]]})", 18, "does not close"},
      {R"({"Records":[{"a":1})", 12, "ends inside a value"},
      {R"({"a":"unterminated)", 0, "ends inside a value"},
      {"x{}", 0, "cannot start a JSON value"},
      {R"([{"a":1}, x])", 10, "cannot start an array element"},
      {"}", 0, "cannot start a JSON value"},
  };
  for (const Bad& b : bad) {
    for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, b.input.size()}) {
      const Split s = split(b.input, chunk);
      ASSERT_TRUE(s.error) << b.input;
      EXPECT_NE(s.error->reason.find(b.reason_part), std::string::npos) << b.input << ": " << s.error->reason;
      if (b.reason_part != "ends inside a value") {
        EXPECT_EQ(s.error->offset, b.offset) << b.input;
      }
    }
  }
}

TEST(RecordSplitter, LimitsAreErrorsNotCrashes) {
  RecordSplitter::Options small;
  small.max_record_size = 16;
  const Split big = split(R"({"Records":[{"a":"0123456789abcdef"}]})", 5, small);
  ASSERT_TRUE(big.error);
  EXPECT_EQ(big.error->offset, 12u);
  EXPECT_NE(big.error->reason.find("exceeds"), std::string::npos);

  std::string deep(5000, '[');
  const Split nested = split(deep, 64);
  ASSERT_TRUE(nested.error);
  EXPECT_NE(nested.error->reason.find("nesting deeper than 1024"), std::string::npos);

  // Memory stays bounded by the record, not the stream: a million small records, tiny chunks.
  std::string many = "{\"Records\":[";
  for (int i = 0; i < 100000; ++i) many += i == 0 ? "{\"i\":1}" : ",{\"i\":1}";
  many += "]}";
  RecordSplitter splitter;
  std::size_t count = 0;
  for (std::size_t i = 0; i < many.size(); i += 4096) {
    ASSERT_FALSE(splitter.feed(std::string_view(many).substr(i, 4096), [&](const RecordRef& r) {
      EXPECT_EQ(r.text, "{\"i\":1}");
      ++count;
    }));
  }
  EXPECT_FALSE(splitter.finish([](const RecordRef&) {}));
  EXPECT_EQ(count, 100000u);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The real captures: S3 delivery objects, JSON arrays, JSON lines and single pretty-printed
// records. The expected count is what nlohmann reads from the same file.
TEST(RecordSplitter, RealCloudTrailCaptures) {
  const std::filesystem::path root = std::filesystem::path(testing::shared_dir()) / "data/cloudtrail";
  ASSERT_TRUE(std::filesystem::exists(root)) << root;
  std::size_t files = 0;
  std::size_t total = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    const bool jsonl = name.size() > 6 && name.substr(name.size() - 6) == ".jsonl";
    const bool json = name.size() > 5 && name.substr(name.size() - 5) == ".json";
    if (!entry.is_regular_file() || (!json && !jsonl)) continue;
    const std::string content = read_file(entry.path());
    std::size_t expected = 0;
    RecordSplitter::Layout expected_layout = RecordSplitter::Layout::kValues;
    const auto doc = nlohmann::json::parse(content, nullptr, false);
    if (jsonl || doc.is_discarded()) {  // some captures named .json hold JSON lines
      std::istringstream lines(content);
      std::string line;
      while (std::getline(lines, line)) expected += line.find_first_not_of(" \t\r") != std::string::npos;
    } else {
      if (doc.is_object() && doc.contains("Records") && doc.begin().key() == "Records") {
        expected = doc["Records"].size();
        expected_layout = RecordSplitter::Layout::kRecordsObject;
      } else if (doc.is_array()) {
        expected = doc.size();
        expected_layout = RecordSplitter::Layout::kArray;
      } else {
        expected = 1;
      }
    }
    for (std::size_t chunk : {std::size_t{4096}, content.size() + 1}) {
      const Split s = split(content, chunk);
      ASSERT_FALSE(s.error) << entry.path() << ": " << s.error->reason;
      EXPECT_EQ(s.records.size(), expected) << entry.path();
      if (expected > 0) {
        EXPECT_EQ(s.layout, expected_layout) << entry.path();
      }
      for (const auto& [offset, text] : s.records) {
        EXPECT_FALSE(nlohmann::json::parse(text, nullptr, false).is_discarded()) << entry.path() << " @" << offset;
      }
    }
    ++files;
    total += expected;
  }
  EXPECT_GE(files, 110u);
  EXPECT_GT(total, 3000u);
}

}  // namespace
}  // namespace sgwatch::event

namespace sgwatch::event {
namespace {

// has_escapes lets the literal prefilter skip its search for "\u": it must be true for every
// record with a backslash in a string, whatever the chunking and whichever scan loop read it.
TEST(RecordSplitter, EscapeFlag) {
  const std::string plain = R"({"a":")" + std::string(200, 'x') + R"(","b":[1,2]})";
  const std::string escaped = R"({"a":")" + std::string(100, 'x') + R"(\u0041","b":"\\"})";
  const std::string key_escape = R"({"\u0061":1})";
  const std::string input = plain + "\n" + escaped + "\n" + key_escape + "\n" + plain + "\n";
  for (const bool block_scan : {true, false}) {
    for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{64}, input.size()}) {
      RecordSplitter::Options options;
      options.block_scan = block_scan;
      RecordSplitter splitter(options);
      std::vector<bool> flags;
      auto sink = [&](const RecordRef& r) { flags.push_back(r.has_escapes); };
      for (std::size_t i = 0; i < input.size(); i += chunk) {
        ASSERT_FALSE(splitter.feed(std::string_view(input).substr(i, chunk), sink));
      }
      ASSERT_FALSE(splitter.finish(sink));
      EXPECT_EQ(flags, (std::vector<bool>{false, true, true, false})) << "chunk " << chunk;
    }
  }
}

}  // namespace
}  // namespace sgwatch::event

namespace sgwatch::event {
namespace {

// The anchor hint: false only when the record certainly lacks the anchor, at every chunking, in
// every position relative to the 64-byte blocks and to chunk ends.
TEST(RecordSplitter, AnchorHintNeverMissesTheAnchor) {
  for (std::size_t at = 0; at < 200; at += 7) {
    std::string value(220, 'x');
    value.replace(at, 13, "SecurityGroup");
    const std::string with = R"({"eventName":")" + value + R"(","n":[1,2,{"a":"b"}]})";
    const std::string without = R"({"eventName":")" + std::string(220, 'x') + R"(","n":[1,2,{"a":"SecurityGrou"}]})";
    const std::string input = without + "\n" + with + "\n" + without + "\n" + without + "\n";
    for (std::size_t chunk : {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{100}, input.size()}) {
      RecordSplitter::Options options;
      options.anchor = "SecurityGroup";
      RecordSplitter splitter(options);
      std::vector<bool> hints;
      auto sink = [&](const RecordRef& r) { hints.push_back(r.may_have_anchor); };
      for (std::size_t i = 0; i < input.size(); i += chunk) {
        ASSERT_FALSE(splitter.feed(std::string_view(input).substr(i, chunk), sink));
      }
      ASSERT_FALSE(splitter.finish(sink));
      ASSERT_EQ(hints.size(), 4U);
      EXPECT_TRUE(hints[1]) << "at " << at << " chunk " << chunk;
      if (chunk == input.size()) {
        // In one chunk the block scan reads the third record whole (its end shares a block with
        // the fourth record's start, never with the anchor), so the hint is useful there.
        EXPECT_FALSE(hints[2]) << "at " << at;
      }
    }
  }
}

}  // namespace
}  // namespace sgwatch::event
