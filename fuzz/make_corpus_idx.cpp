// The IDX seeds of fuzz_make_corpus: for the whole-file reader (idx) and the lazy one (idx_stream).
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <xkeras/datasets.hpp>

#include "make_corpus.hpp"

namespace make_corpus {

namespace fs = std::filesystem;

namespace {

// IDX: magic 00 00 08 rank, big-endian uint32 dimensions, then unsigned bytes. Plain and gzip'd
// (zlib's gzip header has no timestamp, so the bytes are reproducible).
void idx_seed(const std::string& name, const std::vector<std::uint32_t>& dims) {
  std::string bytes = {0, 0, 8, static_cast<char>(dims.size())};
  std::size_t n = 1;
  for (std::uint32_t d : dims) {
    for (int s = 24; s >= 0; s -= 8) bytes.push_back(static_cast<char>((d >> s) & 0xff));
    n *= d;
  }
  for (std::size_t i = 0; i < n; ++i) bytes.push_back(static_cast<char>((i * 37) % 256));
  const fs::path plain = out_dir / "idx" / (name + "-ubyte");
  write_file(plain, bytes);
  const fs::path gz = out_dir / "idx" / (name + "-ubyte.gz");
  gzFile f = gzopen(gz.c_str(), "wb9");
  if (!f || gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())) != static_cast<int>(bytes.size()) ||
      gzclose(f) != Z_OK) {
    std::fprintf(stderr, "make_corpus: cannot write %s\n", gz.c_str());
    std::exit(1);
  }
  ++written;
  for (const auto& p : {plain, gz})
    if (!check(p.filename().string(), [&] { xkeras::datasets::read_idx(p.string()); })) fs::remove(p), --written;
  // The same files seed the lazy reader's target.
  for (const auto& p : {plain, gz}) {
    if (!fs::exists(p)) continue;
    const fs::path s = out_dir / "idx_stream" / p.filename();
    fs::copy_file(p, s, fs::copy_options::overwrite_existing);
    ++written;
    if (!check(s.filename().string(), [&] {
          for (const auto& e : xkeras::datasets::idx_dataset(std::vector<std::string>{s.string()})) (void)e;
        }))
      fs::remove(s), --written;
  }
}

}  // namespace

void idx_seeds() {
  idx_seed("labels-idx1", {10});
  idx_seed("empty-idx1", {0});
  idx_seed("matrix-idx2", {3, 4});
  idx_seed("images-idx3", {5, 3, 3});  // more items than read_idx(path, 3) keeps
  idx_seed("image-28x28-idx3", {1, 28, 28});
  idx_seed("tensor-idx4", {2, 2, 3, 2});
}


}  // namespace make_corpus
