// Jackson-style JSON writing, base64, UTF-8 helpers, and MessageStructure=json parsing (spec 3).
#include <gtest/gtest.h>

#include <limits>

#include "unit/notify/seed_notice.h"

namespace sgwatch::notify {
namespace {

std::string json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

std::string json(const nlohmann::ordered_json& value) {
  std::string out;
  append_json(out, value);
  return out;
}

TEST(NotifyJsonText, StringsAsJacksonWritesThem) {
  EXPECT_EQ(json_string("a/b"), R"("a/b")");
  EXPECT_EQ(json_string("\"\\"), R"("\"\\")");
  EXPECT_EQ(json_string("\b\t\n\f\r"), R"("\b\t\n\f\r")");
  EXPECT_EQ(json_string(std::string_view("\x00\x01\x1F", 3)), R"("\u0000\u0001\u001F")");
  EXPECT_EQ(json_string("\x7F"), "\"\x7F\"");
  EXPECT_EQ(json_string("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x9A\xA8"),
            "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x9A\xA8\"");
  EXPECT_EQ(json_string("\xE2\x80\xA8"), "\"\xE2\x80\xA8\"");  // U+2028 as it is
  // Invalid UTF-8: stray bytes, overlong forms, surrogates, truncation -> U+FFFD per byte.
  EXPECT_EQ(json_string("a\xFF"
                        "b"),
            "\"a\xEF\xBF\xBD"
            "b\"");
  EXPECT_EQ(json_string("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(json_string("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(json_string("\xE2\x82"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(valid_utf8("ok\xF4\x90\x80\x80"), "ok\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(NotifyJsonText, ValuesKeepOrderAndJavaNumbers) {
  nlohmann::ordered_json value = {{"z", 1},
                                  {"a", {1.0, 2.5, 1e7, -0.0}},
                                  {"m", nullptr},
                                  {"t", true},
                                  {"u", std::numeric_limits<std::uint64_t>::max()},
                                  {"i", -5},
                                  {"e", nlohmann::ordered_json::object()},
                                  {"l", nlohmann::ordered_json::array()}};
  EXPECT_EQ(
      json(value),
      R"({"z":1,"a":[1.0,2.5,1.0E7,-0.0],"m":null,"t":true,"u":18446744073709551615,"i":-5,"e":{},"l":[]})");
  EXPECT_EQ(json(std::numeric_limits<double>::quiet_NaN()), R"("NaN")");
  EXPECT_EQ(json(-std::numeric_limits<double>::infinity()), R"("-Infinity")");
  EXPECT_EQ(json(nlohmann::ordered_json::binary({1, 2, 3})), R"("AQID")");
  EXPECT_EQ(json("x"), R"("x")");
}

TEST(NotifyJsonText, DeepNestingUsesNoRecursion) {
  nlohmann::ordered_json value = nlohmann::ordered_json::array();
  for (int i = 0; i < 20000; ++i) value = nlohmann::ordered_json::array({std::move(value)});
  const std::string text = json(value);
  EXPECT_EQ(text.size(), 2u * 20001u);
  EXPECT_EQ(json_depth(text), 20001u);
}

TEST(NotifyJsonText, DepthAndCodePoints) {
  EXPECT_EQ(json_depth(R"({"a":["]]]",{"b":"\"{"}]})"), 3u);
  EXPECT_EQ(json_depth("1"), 0u);
  EXPECT_FALSE(json_depth("[[]"));
  EXPECT_FALSE(json_depth("]["));
  EXPECT_EQ(code_point_count("a\xC3\xA9\xF0\x9F\x9A\xA8"), 3u);
  EXPECT_EQ(code_point_prefix("a\xC3\xA9\xF0\x9F\x9A\xA8", 2), "a\xC3\xA9");
  EXPECT_EQ(code_point_prefix("ab", 5), "ab");
}

TEST(NotifyJsonText, Base64) {
  for (const std::string_view text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    EXPECT_EQ(base64_decode(base64_encode(text)), std::string(text)) << text;
  }
  EXPECT_EQ(base64_encode(std::string_view("foobar")), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string_view("fo")), "Zm8=");
  for (const char* bad : {"Zm9", "Zm9v!A==", "Z===", "Zm=v"})
    EXPECT_FALSE(base64_decode(bad)) << bad;
}

TEST(NotifyMessageStructure, PicksTheProtocolText) {
  auto parsed = parse_message_structure(
      R"({"default":"d","email":"e","sms":"s","unknown":"u","http":5,"https":"h","email":"e2"})");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->default_message, "d");
  EXPECT_EQ(parsed->for_protocol("email"), "e2");  // a repeated key keeps its last value
  EXPECT_EQ(parsed->for_protocol("sms"), "s");
  EXPECT_EQ(parsed->for_protocol("https"), "h");
  EXPECT_EQ(parsed->for_protocol("http"), "d");  // non-string values are ignored
  EXPECT_EQ(parsed->for_protocol("unknown"), "d");
  EXPECT_EQ(parsed->for_protocol("sqs"), "d");
  EXPECT_TRUE(is_message_protocol("email-json"));
  EXPECT_FALSE(is_message_protocol("default"));
}

TEST(NotifyMessageStructure, Rejections) {
  const auto message = [](std::string_view text) {
    auto parsed = parse_message_structure(text);
    EXPECT_FALSE(parsed) << text;
    return parsed ? std::string() : parsed.error().code + ": " + parsed.error().message;
  };
  EXPECT_EQ(message(R"({"email":"e"})"),
            "InvalidParameter: Invalid parameter: Message Structure - No default entry in JSON "
            "message body");
  EXPECT_EQ(message(R"({"default":1})"),
            "InvalidParameter: Invalid parameter: Message Structure - No default entry in JSON "
            "message body");
  EXPECT_EQ(
      message("not json"),
      "InvalidParameter: Invalid parameter: Message Structure - JSON message body failed to parse");
  EXPECT_EQ(
      message(R"(["default"])"),
      "InvalidParameter: Invalid parameter: Message Structure - JSON message body failed to parse");
  EXPECT_EQ(
      message(std::string(100000, '[') + std::string(100000, ']')),
      "InvalidParameter: Invalid parameter: Message Structure - JSON message body failed to parse");
}

}  // namespace
}  // namespace sgwatch::notify
