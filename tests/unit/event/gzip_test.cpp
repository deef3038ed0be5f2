// GzipDecoder: round trips at every input chunking, concatenated members, and every way a gzip
// file can be broken (truncated, corrupt, trailing garbage, empty) reported with an offset.
#include "event/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>

#include "support/gzip.h"

namespace sgwatch::event {
namespace {

using testing::gzip_compress;
std::string gzip(std::string_view text) { return gzip_compress(text); }


struct Decoded {
  std::string out;
  std::optional<GzipError> error;
};

Decoded decode(std::string_view compressed, std::size_t chunk, std::size_t out_buffer = 4096) {
  GzipDecoder decoder(out_buffer);
  Decoded d;
  for (std::size_t i = 0; i < compressed.size() && !d.error; i += chunk) {
    d.error = decoder.feed(compressed.substr(i, chunk), [&](std::string_view piece) {
      d.out.append(piece);
      return true;
    });
  }
  if (!d.error) d.error = decoder.finish();
  return d;
}

std::string sample(std::size_t n) {
  std::mt19937 rng(7);
  std::string s;
  while (s.size() < n) s += R"({"eventName":"AuthorizeSecurityGroupIngress","n":)" + std::to_string(rng()) + "}\n";
  return s;
}

TEST(Gzip, MagicNumber) {
  EXPECT_TRUE(looks_gzip("\x1f\x8b\x08"));
  EXPECT_FALSE(looks_gzip("{\"Records\""));
  EXPECT_FALSE(looks_gzip("\x1f"));
}

TEST(Gzip, RoundTripAtEveryChunking) {
  const std::string text = sample(200000);
  const std::string compressed = gzip(text);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, compressed.size()}) {
    const Decoded d = decode(compressed, chunk);
    ASSERT_FALSE(d.error) << d.error->reason;
    EXPECT_EQ(d.out, text) << "chunk " << chunk;
  }
}

TEST(Gzip, ConcatenatedMembersAreOneStream) {
  const std::string compressed = gzip("first\n") + gzip("second\n") + gzip("");
  const Decoded d = decode(compressed, 3);
  ASSERT_FALSE(d.error) << d.error->reason;
  EXPECT_EQ(d.out, "first\nsecond\n");
}

TEST(Gzip, TrailingZeroPaddingIsAccepted) {
  const Decoded d = decode(gzip("x") + std::string(10, '\0'), 5);
  ASSERT_FALSE(d.error) << d.error->reason;
  EXPECT_EQ(d.out, "x");
}

TEST(Gzip, TruncatedStreamIsAnError) {
  const std::string compressed = gzip(sample(50000));
  for (std::size_t keep : {std::size_t{2}, std::size_t{10}, compressed.size() / 2, compressed.size() - 1}) {
    const Decoded d = decode(compressed.substr(0, keep), 1000);
    ASSERT_TRUE(d.error) << "kept " << keep;
    EXPECT_NE(d.error->reason.find("truncated"), std::string::npos) << d.error->reason;
    EXPECT_EQ(d.error->offset, keep);
  }
}

TEST(Gzip, CorruptDataIsAnErrorWithItsOffset) {
  std::string compressed = gzip(sample(50000));
  compressed[compressed.size() / 2] ^= 0x55;
  compressed[compressed.size() / 2 + 1] ^= 0x55;
  const Decoded d = decode(compressed, 512);
  ASSERT_TRUE(d.error);
  EXPECT_NE(d.error->reason.find("gzip"), std::string::npos) << d.error->reason;
  EXPECT_LE(d.error->offset, compressed.size());
}

TEST(Gzip, GarbageAfterTheStreamIsAnError) {
  const std::string compressed = gzip("x");
  const Decoded d = decode(compressed + "junk", 100);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->offset, compressed.size());
  EXPECT_NE(d.error->reason.find("not gzip"), std::string::npos) << d.error->reason;
}

TEST(Gzip, BadHeaderIsAnError) {
  const Decoded d = decode("\x1f\x8b\x01\x00garbage", 100);
  ASSERT_TRUE(d.error);
}

TEST(Gzip, SinkCanStopEarly) {
  GzipDecoder decoder(16);
  std::size_t calls = 0;
  auto error = decoder.feed(gzip(sample(10000)), [&](std::string_view) { return ++calls < 3; });
  EXPECT_FALSE(error);
  EXPECT_EQ(calls, 3U);
  EXPECT_FALSE(decoder.finish());
}

TEST(Gzip, GunzipRefusesOutputBeyondItsBound) {
  std::string out;
  const std::string compressed = gzip(std::string(100000, 'a'));
  auto error = gunzip(compressed, 1000, out);
  ASSERT_TRUE(error);
  EXPECT_NE(error->reason.find("more than 1000"), std::string::npos);
  EXPECT_FALSE(gunzip(compressed, 100000, out));
  EXPECT_EQ(out.size(), 100000U);
}

}  // namespace
}  // namespace sgwatch::event
