// gzip compression for tests and fuzz harnesses (the library only decompresses). Header-only so
// that fuzz/ can use it without the test support library.
#pragma once

#include <zlib.h>

#include <string>
#include <string_view>

namespace sgwatch::testing {

// `text` as one gzip member, at zlib `level`.
inline std::string gzip_compress(std::string_view text, int level = 6) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace sgwatch::testing
