// Unit tests of core/text.h: the number grammar shared by JSON values, delimited conditions and
// metric values (spec sections 5.1 and 7), shortest double formatting, pattern-whitespace
// trimming and the escaping used in one-line error messages.
// Neighbours: src/core/text.cpp; the pattern tests rely on these helpers indirectly.
#include "core/text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace sgwatch::core {
namespace {

// number = [ "+" | "-" ] ( digits [ "." [ digits ] ] | "." digits ) [ (e|E) [+|-] digits ]
struct NumberCase {
  std::string_view text;
  std::optional<double> value;  // nullopt: not a number of the grammar
};

const NumberCase kNumbers[] = {
    {"0", 0.0},
    {"1", 1.0},
    {"+1", 1.0},
    {"-1", -1.0},
    {".5", 0.5},
    {"-.5", -0.5},
    {"1.", 1.0},
    {"1.0", 1.0},
    {"1e3", 1000.0},
    {"1E3", 1000.0},
    {"1e+3", 1000.0},
    {"10e-3", 0.01},
    {"1.e3", 1000.0},
    {"-1.5e3", -1500.0},
    {"007", 7.0},
    {"12345678901234567890", 12345678901234567890.0},
    // Not numbers.
    {"", std::nullopt},
    {"-", std::nullopt},
    {"+", std::nullopt},
    {".", std::nullopt},
    {"-.", std::nullopt},
    {"1e", std::nullopt},
    {"1e+", std::nullopt},
    {"e3", std::nullopt},
    {".e3", std::nullopt},
    {"abc", std::nullopt},
    {"1a", std::nullopt},
    {"1.2.3", std::nullopt},
    {"1e3.5", std::nullopt},
    {"--1", std::nullopt},
    {"+-1", std::nullopt},
    {" 1", std::nullopt},
    {"1 ", std::nullopt},
    {"1,000", std::nullopt},
    {"0x10", std::nullopt},
    {"inf", std::nullopt},
    {"nan", std::nullopt},
    {"4*", std::nullopt},
    {"*", std::nullopt},
    // In the grammar, but beyond a double: parse_pattern_number refuses it.
    {"1e400", std::nullopt},
};

TEST(TextTest, NumberGrammar) {
  for (const NumberCase& c : kNumbers) {
    SCOPED_TRACE(testing::Message() << "text '" << c.text << "'");
    const bool in_grammar = c.value.has_value() || c.text == "1e400";
    EXPECT_EQ(is_pattern_number(c.text), in_grammar);
    const std::optional<double> parsed = parse_pattern_number(c.text);
    ASSERT_EQ(parsed.has_value(), c.value.has_value());
    if (c.value) {
      EXPECT_DOUBLE_EQ(*parsed, *c.value);
    }
  }
}

TEST(TextTest, NegativeZeroIsZero) {
  const auto parsed = parse_pattern_number("-0");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, 0.0);
}

struct FormatCase {
  double value;
  std::string_view text;
};

const FormatCase kFormats[] = {
    {0.0, "0"},          {50.0, "50"},     {-2.0, "-2"},          {0.5, "0.5"},
    {11.5, "11.5"},      {1024.5, "1024.5"}, {0.1, "0.1"},        {1e300, "1e+300"},
    {123456789.0, "123456789"}, {0.1 + 0.2, "0.30000000000000004"},
};

TEST(TextTest, FormatDoubleIsShortest) {
  for (const FormatCase& c : kFormats) {
    SCOPED_TRACE(testing::Message() << "value " << c.value);
    EXPECT_EQ(format_double(c.value), c.text);
  }
}

TEST(TextTest, FormatDoubleReadsBack) {
  const double values[] = {0.0,  1.0,      -1.5,  1e-7, 3.141592653589793, 1e21,
                           1e22, 2.5e-300, 1e300, 47.0, std::numeric_limits<double>::max()};
  for (double value : values) {
    const std::string text = format_double(value);
    SCOPED_TRACE(text);
    ASSERT_TRUE(is_pattern_number(text));
    EXPECT_EQ(parse_pattern_number(text), value);
  }
}

struct TrimCase {
  std::string_view text;
  std::string_view trimmed;
};

const TrimCase kTrims[] = {
    {"", ""},
    {"a", "a"},
    {"  a b  ", "a b"},
    {"\t\r\n a \r\n\t", "a"},
    {" \t\r\n ", ""},
    {"\va\v", "\va\v"},            // vertical tab is not pattern whitespace
    {"\xC2\xA0x", "\xC2\xA0x"},    // nor is U+00A0
    {"{ $.a = 1 }\r\n", "{ $.a = 1 }"},
};

TEST(TextTest, TrimPatternSpace) {
  for (const TrimCase& c : kTrims) {
    SCOPED_TRACE(testing::Message() << "text '" << printable(c.text) << "'");
    EXPECT_EQ(trim_pattern_space(c.text), c.trimmed);
  }
}

TEST(TextTest, PatternSpaceIsSpaceTabCrLf) {
  for (char c : std::string_view(" \t\r\n")) EXPECT_TRUE(is_pattern_space(c)) << int{c};
  for (char c : std::string_view("\v\fa0_")) EXPECT_FALSE(is_pattern_space(c)) << int{c};
}

struct PrintableCase {
  std::string_view text;
  std::size_t max_length;
  std::string_view printed;
};

const PrintableCase kPrintables[] = {
    {"plain text", 80, "plain text"},
    {"a\nb", 80, "a\\nb"},
    {"a\tb\r", 80, "a\\tb\\r"},
    {std::string_view("\x01\x1f\x7f", 3), 80, "\\x01\\x1f\\x7f"},
    {std::string_view("a\0b", 3), 80, "a\\x00b"},
    {"caf\xC3\xA9", 80, "caf\xC3\xA9"},  // UTF-8 is kept as is
    {"abc", 3, "abc"},
    {"abcd", 3, "abc..."},
    {"\n\nx", 1, "\\n..."},
};

TEST(TextTest, Printable) {
  for (const PrintableCase& c : kPrintables) {
    SCOPED_TRACE(testing::Message() << "expected '" << c.printed << "'");
    EXPECT_EQ(printable(c.text, c.max_length), c.printed);
  }
}

TEST(TextTest, AsciiClasses) {
  EXPECT_TRUE(is_ascii_digit('0'));
  EXPECT_TRUE(is_ascii_digit('9'));
  EXPECT_FALSE(is_ascii_digit('a'));
  EXPECT_TRUE(is_ascii_alpha('z'));
  EXPECT_TRUE(is_ascii_alpha('Z'));
  EXPECT_FALSE(is_ascii_alpha('_'));
  EXPECT_FALSE(is_ascii_alpha('\xC3'));
  EXPECT_TRUE(is_ascii_alnum('5'));
  EXPECT_FALSE(is_ascii_alnum('-'));
}

}  // namespace
}  // namespace sgwatch::core

namespace sgwatch::core {
namespace {

// contains_bytes against std::string_view::find on random haystacks over a small alphabet, at
// every needle length and alignment (the SIMD path reads 32 positions at a time).
TEST(ContainsBytes, AgreesWithFind) {
  std::uint32_t seed = 12345;
  auto next = [&] {
    seed = seed * 1664525U + 1013904223U;
    return seed >> 16;
  };
  const std::string alphabet = "ab\"{}\\\xC3\xA9";
  for (int round = 0; round < 20000; ++round) {
    std::string hay(next() % 100, ' ');
    for (char& c : hay) c = alphabet[next() % alphabet.size()];
    std::string needle(1 + next() % 6, ' ');
    for (char& c : needle) c = alphabet[next() % alphabet.size()];
    if (next() % 3 == 0 && hay.size() >= needle.size()) {
      hay.replace(next() % (hay.size() - needle.size() + 1), needle.size(), needle);
    }
    const std::string_view h(hay);
    for (std::size_t start = 0; start < std::min<std::size_t>(h.size(), 3); ++start) {
      const std::string_view sub = h.substr(start);
      ASSERT_EQ(contains_bytes(sub, needle), sub.find(needle) != std::string_view::npos)
          << "haystack '" << sub << "' needle '" << needle << "'";
    }
  }
  EXPECT_TRUE(contains_bytes("abc", ""));
  EXPECT_FALSE(contains_bytes("", "a"));
  EXPECT_TRUE(contains_bytes(std::string(1000, 'x') + "SecurityGroup", "SecurityGroup"));
  EXPECT_FALSE(contains_bytes(std::string(1000, 'x') + "SecurityGrou", "SecurityGroup"));
}

}  // namespace
}  // namespace sgwatch::core
