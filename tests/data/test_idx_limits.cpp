// read_idx against hostile files: the header is checked against the file and a size limit before
// anything is allocated. Before the fix a 2 MB gzip'd file made read_idx run 36 s at 10.5 GB RSS.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <xkeras/datasets.hpp>
#include <xkeras/errors.hpp>

using namespace xkeras;
using Catch::Contains;

namespace {

std::string scratch(const std::string& name) {
  const auto dir = std::filesystem::path(XKERAS_BINARY_DIR) / "test_scratch" / "idx";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

std::vector<unsigned char> header(std::vector<std::uint32_t> dims) {
  std::vector<unsigned char> h{0, 0, 8, static_cast<unsigned char>(dims.size())};
  for (auto d : dims)
    for (int s = 24; s >= 0; s -= 8) h.push_back(static_cast<unsigned char>(d >> s));
  return h;
}

// One complete gzip member holding `data`.
std::string gzip_member(const std::vector<unsigned char>& data) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = const_cast<unsigned char*>(data.data());
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<unsigned char*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

void write(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string as_string(const std::vector<unsigned char>& v) { return std::string(v.begin(), v.end()); }

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

}  // namespace

TEST_CASE("a gzip bomb (2 MB holding 2 GiB of zeros behind a matching header) is refused before reading") {
  // The header declares 128 x 4096 x 4096 bytes; the file really decompresses to that much: 2048
  // gzip members of 1 MiB of zeros each, which zlib reads back to back.
  const auto h = header({128, 4096, 4096});
  std::string file = gzip_member(h);
  const std::string zeros = gzip_member(std::vector<unsigned char>(1 << 20, 0));
  for (int i = 0; i < 2048; ++i) file += zeros;
  const std::string p = scratch("bomb.idx.gz");
  write(p, file);
  const long before = peak_rss_kib();
  try {
    datasets::read_idx(p);
    FAIL("expected IOError");
  } catch (const IOError& e) {
    CHECK_THAT(e.what(), Contains("bomb.idx.gz") && Contains("(128, 4096, 4096)") && Contains("limit"));
  }
  CHECK(peak_rss_kib() - before < 64 * 1024);  // nothing near the declared 2 GiB (8 GiB as float) was allocated
  // The same file read with a limit: the first 3 items, 48 MiB of zeros.
  const Tensor first = datasets::read_idx(p, 3);
  CHECK(first.shape() == Shape{3, 4096, 4096});
  CHECK(first.data()[first.size() - 1] == 0.0f);
}

TEST_CASE("a header that declares more than the file can hold is refused before allocating") {
  // 64 MiB declared; a gzip stream of 1 KiB cannot inflate past ~1 MiB (deflate's limit is 1032:1).
  const auto h = header({1024, 256, 256});
  std::vector<unsigned char> data = h;
  data.resize(h.size() + 1024, 7);
  const std::string gz = scratch("short.idx.gz");
  write(gz, gzip_member(data));
  CHECK_THROWS_WITH(datasets::read_idx(gz), Contains("short.idx.gz") && Contains("cannot hold") && Contains("67108864"));
  // The same as a plain file: 1 KiB of data for 64 MiB declared.
  const std::string plain = scratch("short.idx");
  write(plain, as_string(data));
  CHECK_THROWS_WITH(datasets::read_idx(plain), Contains("short.idx") && Contains("cannot hold"));
}

TEST_CASE("read_idx refuses what is not a regular file: directories, FIFOs, devices") {
  const std::string dir = scratch("a_directory.idx");
  std::filesystem::create_directories(dir);
  CHECK_THROWS_WITH(datasets::read_idx(dir), Contains("a_directory.idx") && Contains("expected a regular file, got a directory"));
  const std::string fifo = scratch("fifo.idx");
  std::remove(fifo.c_str());
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_THROWS_WITH(datasets::read_idx(fifo), Contains("fifo.idx") && Contains("expected a regular file, got a FIFO"));  // never blocks
  const std::string link = scratch("zero.idx");
  std::remove(link.c_str());
  REQUIRE(symlink("/dev/zero", link.c_str()) == 0);
  CHECK_THROWS_WITH(datasets::read_idx(link), Contains("zero.idx") && Contains("expected a regular file, got a character device"));
  CHECK_THROWS_WITH(datasets::read_idx(scratch("missing.idx")), Contains("missing.idx"));
}

TEST_CASE("a valid IDX file still reads, gzip'd or plain, whole or limited") {
  std::vector<unsigned char> data = header({3, 2});
  for (unsigned char v : {1, 2, 3, 4, 5, 250}) data.push_back(v);
  const std::string gz = scratch("ok.idx.gz"), plain = scratch("ok.idx");
  write(gz, gzip_member(data));
  write(plain, as_string(data));
  for (const auto& p : {gz, plain}) {
    const Tensor t = datasets::read_idx(p);
    CHECK(t.shape() == Shape{3, 2});
    CHECK(t.to_vector() == std::vector<float>{1, 2, 3, 4, 5, 250});
    CHECK(datasets::read_idx(p, 2).to_vector() == std::vector<float>{1, 2, 3, 4});
  }
}
