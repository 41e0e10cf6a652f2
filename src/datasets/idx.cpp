// IDX reader (the MNIST file format: big-endian header, unsigned bytes) through zlib, which
// also reads uncompressed files transparently.
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "xkeras/datasets.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::datasets {

namespace {

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

void read_exact(gzFile f, void* buf, std::size_t n, const std::string& path, const char* what) {
  std::size_t done = 0;
  auto* p = static_cast<unsigned char*>(buf);
  while (done < n) {
    const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - done, 1u << 30));
    const int got = gzread(f, p + done, chunk);
    if (got <= 0) {
      int err = 0;
      const char* msg = gzerror(f, &err);
      throw IOError("IDX file " + path + ": truncated or unreadable while reading " + what + " (read " +
                    std::to_string(done) + " of " + std::to_string(n) + " bytes" +
                    (err != Z_OK && err != Z_STREAM_END ? std::string(", zlib: ") + msg : std::string()) + ")");
    }
    done += static_cast<std::size_t>(got);
  }
}

}  // namespace

Tensor read_idx(const std::string& path, std::optional<std::size_t> limit) {
  std::unique_ptr<gzFile_s, GzCloser> f(gzopen(path.c_str(), "rb"));
  if (!f) throw IOError("cannot open dataset file " + path);
  unsigned char magic[4];
  read_exact(f.get(), magic, 4, path, "the header");
  // magic: 0, 0, type (0x08 = unsigned byte), rank
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] < 1 || magic[3] > 4)
    throw IOError("IDX file " + path + ": expected an unsigned-byte IDX header (00 00 08 rank<=4), got " +
                  std::to_string(magic[0]) + " " + std::to_string(magic[1]) + " " + std::to_string(magic[2]) + " " +
                  std::to_string(magic[3]));
  Shape shape;
  for (int i = 0; i < magic[3]; ++i) {
    unsigned char b[4];
    read_exact(f.get(), b, 4, path, "the dimensions");
    const std::uint32_t d = (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | b[3];
    shape.push_back(d);
  }
  // Bound the allocation by what a real IDX dataset can hold (no file makes us allocate more).
  std::size_t per_item = 1;
  for (std::size_t i = 1; i < shape.size(); ++i) {
    if (shape[i] == 0 || shape[i] > 4096) throw IOError("IDX file " + path + ": implausible dimension " + std::to_string(shape[i]));
    per_item *= shape[i];
  }
  if (shape[0] > 10'000'000 || per_item * shape[0] > (std::size_t(1) << 31))
    throw IOError("IDX file " + path + ": implausible size " + shape_str(shape));
  if (limit && *limit < shape[0]) shape[0] = *limit;
  // Read in chunks and allocate the result only once the data has arrived: a header alone (or a
  // small gzip bomb that ends early) never makes us allocate what its dimensions claim.
  const std::size_t n = shape[0] * per_item;
  std::vector<unsigned char> bytes;
  std::vector<unsigned char> chunk(std::size_t(1) << 20);
  while (bytes.size() < n) {
    const std::size_t want = std::min(chunk.size(), n - bytes.size());
    read_exact(f.get(), chunk.data(), want, path, "the data");
    bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + static_cast<long>(want));
  }
  Array a = Array::from_shape(shape);
  float* p = a.data();
  for (std::size_t i = 0; i < n; ++i) p[i] = bytes[i];
  return Tensor(std::move(a));
}

}  // namespace xkeras::datasets
