#include "datasets/idx_header.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "file_kind.hpp"
#include "xkeras/errors.hpp"

namespace xkeras::datasets::detail {

void read_exact(gzFile f, void* buf, std::size_t n, const std::string& path, const std::string& what) {
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

std::pair<std::size_t, bool> regular_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw IOError("cannot open dataset file " + path + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    throw IOError("cannot read dataset file " + path + ": expected a regular file, got " +
                  xkeras::detail::file_kind(st.st_mode));
  unsigned char magic[2] = {0, 0};
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    const std::size_t got = std::fread(magic, 1, 2, f);
    std::fclose(f);
    if (got != 2) magic[0] = 0;
  }
  return {static_cast<std::size_t>(st.st_size), magic[0] == 0x1f && magic[1] == 0x8b};
}

GzFile open_gz(const std::string& path) {
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) throw IOError("cannot open dataset file " + path);
  return f;
}

IdxHeader read_header(gzFile f, const std::string& path) {
  unsigned char magic[4];
  read_exact(f, magic, 4, path, "the header");
  // magic: 0, 0, type (0x08 = unsigned byte), rank
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] < 1 || magic[3] > 4)
    throw IOError("IDX file " + path + ": expected an unsigned-byte IDX header (00 00 08 rank<=4), got " +
                  std::to_string(magic[0]) + " " + std::to_string(magic[1]) + " " + std::to_string(magic[2]) + " " +
                  std::to_string(magic[3]));
  IdxHeader h;
  for (int i = 0; i < magic[3]; ++i) {
    unsigned char b[4];
    read_exact(f, b, 4, path, "the dimensions");
    const std::uint32_t d = (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | b[3];
    h.shape.push_back(d);
  }
  h.header_bytes = 4 + 4 * h.shape.size();
  // Dimensions a real IDX dataset can have: items of at most 4096 per axis, at most 10^7 items.
  h.item_bytes = 1;
  for (std::size_t i = 1; i < h.shape.size(); ++i) {
    if (h.shape[i] == 0 || h.shape[i] > 4096)
      throw IOError("IDX file " + path + ": implausible dimension " + std::to_string(h.shape[i]));
    h.item_bytes *= h.shape[i];
  }
  if (h.shape[0] > 10'000'000) throw IOError("IDX file " + path + ": implausible size " + shape_str(h.shape));
  return h;
}

}  // namespace xkeras::datasets::detail
