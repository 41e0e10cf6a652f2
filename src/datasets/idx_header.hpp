// The IDX format's shared pieces (private to src/datasets): opening through zlib, exact reads that
// name the file, and the header checks both the whole-file reader (idx.cpp) and the lazy one
// (idx_stream.cpp) apply before they allocate anything.
#pragma once

#include <zlib.h>

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "xkeras/tensor.hpp"

namespace xkeras::datasets::detail {

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

/// Size of a regular file and whether it is gzip'd (by its magic bytes); IOError for anything else.
std::pair<std::size_t, bool> regular_file(const std::string& path);

/// Opens `path` (gzip'd or plain) for reading; IOError naming it when that fails.
GzFile open_gz(const std::string& path);

/// Reads exactly n bytes; IOError naming the file, `what` and how much was read otherwise.
void read_exact(gzFile f, void* buf, std::size_t n, const std::string& path, const std::string& what);

struct IdxHeader {
  Shape shape;               // as declared: (items, dims...)
  std::size_t header_bytes;  // 4 + 4 * rank
  std::size_t item_bytes;    // bytes per item (product of shape[1:])
};

/// Reads and checks the header: unsigned-byte type, rank 1..4, every item dimension in 1..4096,
/// at most 10^7 items. IOError naming the file otherwise.
IdxHeader read_header(gzFile f, const std::string& path);

}  // namespace xkeras::datasets::detail
