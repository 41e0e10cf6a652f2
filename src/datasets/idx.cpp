// IDX reader (the MNIST file format: big-endian header, unsigned bytes) through zlib, which
// also reads uncompressed files transparently. A hostile file must not make it allocate or work
// without bound: the header is checked against the file's size and a limit before any allocation.
#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "file_kind.hpp"
#include "xkeras/datasets.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::datasets {

namespace {

// The most data bytes one call reads (a float32 tensor of 1 GiB); larger datasets read in parts
// with `limit`. Fashion-MNIST's training images are 47 MB.
constexpr std::size_t kMaxIdxBytes = std::size_t(1) << 28;
// Deflate cannot expand a stream by more than 1032:1, so a gzip file of S bytes holds at most this much.
constexpr std::size_t kMaxDeflateRatio = 1032;

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

// Size of a regular file, whether it is gzip'd (by its magic bytes); IOError for anything else.
std::pair<std::size_t, bool> regular_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw IOError("cannot open dataset file " + path + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    throw IOError("cannot read dataset file " + path + ": expected a regular file, got " + detail::file_kind(st.st_mode));
  unsigned char magic[2] = {0, 0};
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    const std::size_t got = std::fread(magic, 1, 2, f);
    std::fclose(f);
    if (got != 2) magic[0] = 0;
  }
  return {static_cast<std::size_t>(st.st_size), magic[0] == 0x1f && magic[1] == 0x8b};
}

}  // namespace

Tensor read_idx(const std::string& path, std::optional<std::size_t> limit) {
  const auto [file_size, gzipped] = regular_file(path);
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
  const std::size_t header_bytes = 4 + 4 * shape.size();
  // Dimensions a real IDX dataset can have: items of at most 4096 per axis, at most 10^7 items.
  std::size_t per_item = 1;
  for (std::size_t i = 1; i < shape.size(); ++i) {
    if (shape[i] == 0 || shape[i] > 4096) throw IOError("IDX file " + path + ": implausible dimension " + std::to_string(shape[i]));
    per_item *= shape[i];
  }
  if (shape[0] > 10'000'000) throw IOError("IDX file " + path + ": implausible size " + shape_str(shape));
  const std::size_t declared = shape[0] * per_item;  // < 2^24 * 2^36: no overflow
  const Shape declared_shape = shape;
  if (limit && *limit < shape[0]) shape[0] = *limit;
  const std::size_t n = shape[0] * per_item;
  // Check what will be read against the limit and against the file before allocating it.
  if (n > kMaxIdxBytes)
    throw IOError("IDX file " + path + ": reading " + shape_str(shape) + " (" + std::to_string(n) +
                  " bytes) passes the limit of " + std::to_string(kMaxIdxBytes) +
                  " bytes per call; read it in parts with the `limit` argument (header: " + shape_str(declared_shape) + ")");
  const std::size_t can_hold = gzipped ? file_size * kMaxDeflateRatio : file_size;
  if (header_bytes + n > can_hold)
    throw IOError("IDX file " + path + ": its header declares " + shape_str(declared_shape) + " = " +
                  std::to_string(declared) + " bytes of data, but a " + (gzipped ? "gzip file" : "file") + " of " +
                  std::to_string(file_size) + " bytes cannot hold " + std::to_string(n) + " (truncated or forged header)");
  // Decode in chunks straight into the result: no second copy of the data.
  Array a = Array::from_shape(shape);
  float* p = a.data();
  std::vector<unsigned char> chunk(std::min<std::size_t>(n, std::size_t(1) << 20));
  for (std::size_t done = 0; done < n;) {
    const std::size_t want = std::min(chunk.size(), n - done);
    read_exact(f.get(), chunk.data(), want, path, "the data");
    for (std::size_t i = 0; i < want; ++i) p[done + i] = chunk[i];
    done += want;
  }
  return Tensor(std::move(a));
}

}  // namespace xkeras::datasets
