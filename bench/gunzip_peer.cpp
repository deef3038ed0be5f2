// The "decompression alone" peer of scripts/bench-scan: inflates each gzip file named on the
// command line with zlib, exactly as sgwatch's reader does (1 MiB reads, 1 MiB output buffer
// reused, concatenated members), and does nothing with the bytes. Prints the byte count.
#include <zlib.h>

#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  std::vector<unsigned char> in(1 << 20);
  std::vector<unsigned char> out(1 << 20);
  unsigned long long total = 0;
  for (int a = 1; a < argc; ++a) {
    std::FILE* f = std::fopen(argv[a], "rb");
    if (f == nullptr) {
      std::perror(argv[a]);
      return 2;
    }
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return 2;
    std::size_t n = 0;
    while ((n = std::fread(in.data(), 1, in.size(), f)) > 0) {
      z.next_in = in.data();
      z.avail_in = static_cast<uInt>(n);
      while (z.avail_in > 0) {
        z.next_out = out.data();
        z.avail_out = static_cast<uInt>(out.size());
        const int rc = inflate(&z, Z_NO_FLUSH);
        total += out.size() - z.avail_out;
        if (rc == Z_STREAM_END) {
          inflateReset(&z);
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
          std::fprintf(stderr, "%s: corrupt gzip data\n", argv[a]);
          return 2;
        }
      }
    }
    inflateEnd(&z);
    std::fclose(f);
  }
  std::printf("%llu\n", total);
  return 0;
}
