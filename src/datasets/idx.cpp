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

#include "datasets/idx_header.hpp"
#include "xkeras/datasets.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::datasets {

namespace {

// The most data bytes one call reads (a float32 tensor of 1 GiB); larger datasets read in parts
// with `limit`. Fashion-MNIST's training images are 47 MB.
constexpr std::size_t kMaxIdxBytes = std::size_t(1) << 28;
// Deflate cannot expand a stream by more than 1032:1, so a gzip file of S bytes holds at most this much.
constexpr std::size_t kMaxDeflateRatio = 1032;

}  // namespace

Tensor read_idx(const std::string& path, std::optional<std::size_t> limit) {
  const auto [file_size, gzipped] = detail::regular_file(path);
  detail::GzFile f = detail::open_gz(path);
  const detail::IdxHeader h = detail::read_header(f.get(), path);
  Shape shape = h.shape;
  const std::size_t header_bytes = h.header_bytes, per_item = h.item_bytes;
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
    detail::read_exact(f.get(), chunk.data(), want, path, "the data");
    for (std::size_t i = 0; i < want; ++i) p[done + i] = chunk[i];
    done += want;
  }
  return Tensor(std::move(a));
}

}  // namespace xkeras::datasets
