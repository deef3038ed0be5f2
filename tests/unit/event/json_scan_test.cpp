// json_scan: member and element walks with exact positions, value ends, string decoding (every
// escape, surrogate pairs, lone surrogates -> U+FFFD, invalid literals) and base64.
#include "event/json_scan.h"

#include <gtest/gtest.h>

namespace sgwatch::event::json {
namespace {

TEST(JsonScan, MembersWithPositions) {
  const std::string text = R"( {"a": 1, "b" : {"c": "}"}, "d":[1,[2]], "e\"x": "v", "f": null} )";
  std::vector<std::pair<std::string, std::string>> seen;
  ASSERT_TRUE(for_each_member(text, [&](const Member& m) {
    EXPECT_EQ(text.substr(m.value_pos, m.value.size()), m.value);
    seen.emplace_back(std::string(m.key), std::string(m.value));
    return true;
  }));
  const std::vector<std::pair<std::string, std::string>> expected{
      {"a", "1"}, {"b", R"({"c": "}"})"}, {"d", "[1,[2]]"}, {R"(e\"x)", R"("v")"}, {"f", "null"}};
  EXPECT_EQ(seen, expected);
}

TEST(JsonScan, MalformedObjectsAreRefused) {
  for (const char* bad : {"", "[]", "{", R"({"a" 1})", R"({"a":1,})", R"({"a":1 "b":2})",
                          R"({a:1})", R"({"a":"unterminated})"}) {
    EXPECT_FALSE(for_each_member(bad, [](const Member&) { return true; })) << bad;
  }
  EXPECT_TRUE(for_each_member("{}", [](const Member&) { return true; }));
}

TEST(JsonScan, ElementsWithPositions) {
  const std::string text = R"([ {"a":[1]} , "x]" ,3,[[]] ])";
  std::vector<std::string> seen;
  ASSERT_TRUE(for_each_element(text, [&](std::string_view v, std::size_t pos) {
    EXPECT_EQ(text.substr(pos, v.size()), v);
    seen.emplace_back(v);
    return true;
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{R"({"a":[1]})", R"("x]")", "3", "[[]]"}));
  EXPECT_TRUE(for_each_element("[]", [](std::string_view, std::size_t) { return true; }));
  EXPECT_FALSE(for_each_element("{}", [](std::string_view, std::size_t) { return true; }));
}

TEST(JsonScan, FindMemberTakesTheLastDuplicate) {
  auto m = find_member(R"({"k":1,"k":2})", "k");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->value, "2");
  EXPECT_FALSE(find_member(R"({"k":1})", "K"));
}

TEST(JsonScan, ValueEnd) {
  EXPECT_EQ(value_end(R"("a\"b" x)", 0), 6U);
  EXPECT_EQ(value_end("123,", 0), 3U);
  EXPECT_EQ(value_end(R"({"a":"]"}])", 0), 9U);
  EXPECT_EQ(value_end("{", 0), kNpos);
  EXPECT_EQ(value_end("", 0), kNpos);
}

TEST(JsonScan, DecodeStringEscapes) {
  EXPECT_EQ(decode_string(R"("a\"b\\c\/d\b\f\n\r\t")"), std::string("a\"b\\c/d\b\f\n\r\t"));
  EXPECT_EQ(decode_string(R"("\u00e9\u20ac")"), std::string("\xC3\xA9\xE2\x82\xAC"));
  EXPECT_EQ(decode_string(R"("\ud83d\ude00")"), std::string("\xF0\x9F\x98\x80"));
  EXPECT_EQ(decode_string(R"("x\ud83dy")"), std::string("x\xEF\xBF\xBDy"));  // lone high
  EXPECT_EQ(decode_string(R"("\ude00")"), std::string("\xEF\xBF\xBD"));      // lone low
  EXPECT_EQ(decode_string(R"("")"), std::string());
  EXPECT_EQ(decode_string("\"\xC3\xA9\""), std::string("\xC3\xA9"));
}

TEST(JsonScan, DecodeStringRefusesInvalidLiterals) {
  for (const char* bad : {"", "\"", "abc", R"("\x")", R"("\u12")", R"("\u12g4")", "\"a\nb\"",
                          R"("a"b")", R"("\")"}) {
    EXPECT_FALSE(decode_string(bad)) << bad;
  }
}

TEST(JsonScan, Base64) {
  EXPECT_EQ(decode_base64("aGVsbG8="), std::string("hello"));
  EXPECT_EQ(decode_base64("aGVsbG8"), std::string("hello"));
  EXPECT_EQ(decode_base64("aGVs\nbG8h"), std::string("hell" "o!"));
  EXPECT_EQ(decode_base64(""), std::string());
  EXPECT_EQ(decode_base64("+/+/"), std::string("\xFB\xFF\xBF"));
  EXPECT_FALSE(decode_base64("a"));
  EXPECT_FALSE(decode_base64("aGVs*G8="));
  EXPECT_FALSE(decode_base64("aG=Vs"));
  EXPECT_FALSE(decode_base64("aGVsbG8==="));
}

}  // namespace
}  // namespace sgwatch::event::json
