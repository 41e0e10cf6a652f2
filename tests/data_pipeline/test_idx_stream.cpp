// The lazy IDX Dataset against the eager loader on Debian's Fashion-MNIST, and on small hand-made files:
// truncated and hostile ones give an IOError naming the file and record.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <xkeras/datasets.hpp>
#include <xkeras/errors.hpp>

using namespace xkeras;

namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const IOError& e) {
    return e.what();
  }
  return "no IOError";
}

void write_file(const std::string& path, const std::vector<unsigned char>& bytes, bool gz) {
  if (gz) {
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
  } else {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
}

// An IDX file of n records of 2x3 bytes, record i holding i*6 .. i*6+5; cut after `keep` data bytes.
std::vector<unsigned char> images(unsigned n, std::size_t keep = SIZE_MAX) {
  std::vector<unsigned char> b = {0, 0, 8, 3, 0, 0, 0, static_cast<unsigned char>(n), 0, 0, 0, 2, 0, 0, 0, 3};
  for (unsigned i = 0; i < 6 * n && i < keep; ++i) b.push_back(static_cast<unsigned char>(i));
  return b;
}
std::vector<unsigned char> labels(unsigned n) {
  std::vector<unsigned char> b = {0, 0, 8, 1, 0, 0, 0, static_cast<unsigned char>(n)};
  for (unsigned i = 0; i < n; ++i) b.push_back(static_cast<unsigned char>(100 + i));
  return b;
}

}  // namespace

TEST_CASE("idx_dataset streams the same elements as fashion_mnist load_data") {
  const auto files = datasets::idx_files(datasets::fashion_mnist::default_dir(), "t10k");
  auto ds = datasets::idx_dataset(files.images, files.labels);
  CHECK(ds.cardinality() == 10000);
  auto [train, test] = datasets::fashion_mnist::load_data(datasets::fashion_mnist::default_dir(), 1000);
  std::size_t i = 0;
  for (const auto& e : ds.take(1000)) {
    REQUIRE(e[0].shape() == Shape{28, 28});
    REQUIRE(e[1].shape() == Shape{});
    REQUIRE(std::equal(e[0].data(), e[0].data() + 784, test.x.data() + i * 784));
    REQUIRE(e[1].item() == test.y.data()[i]);
    ++i;
  }
  CHECK(i == 1000);
  // Batched, the whole test split: 10000 records in 79 batches, the last of 16; the labels sum as the eager ones.
  std::size_t batches = 0, records = 0;
  double label_sum = 0;
  for (const auto& b : ds.batch(128)) {
    ++batches;
    records += b[0].dim(0);
    for (float v : b[1].value()) label_sum += v;
  }
  CHECK(batches == 79);
  CHECK(records == 10000);
  CHECK(label_sum == 45000.0);  // 1000 images of each class 0..9
}

TEST_CASE("idx_dataset reads plain and gzip'd files") {
  for (bool gz : {false, true}) {
    const std::string x = gz ? "xk_idx_x.gz" : "xk_idx_x", y = gz ? "xk_idx_y.gz" : "xk_idx_y";
    write_file(x, images(3), gz);
    write_file(y, labels(3), gz);
    auto es = std::vector<data::Element>();
    for (const auto& e : datasets::idx_dataset(x, y)) es.push_back(e);
    REQUIRE(es.size() == 3);
    CHECK(es[2][0].shape() == Shape{2, 3});
    CHECK(es[2][0].to_vector() == std::vector<float>{12, 13, 14, 15, 16, 17});
    CHECK(es[2][1].item() == 102.0f);
    std::remove(x.c_str());
    std::remove(y.c_str());
  }
}

TEST_CASE("a truncated IDX file gives an IOError naming the file and record") {
  for (bool gz : {false, true}) {
    const std::string x = gz ? "xk_idx_cut.gz" : "xk_idx_cut", y = "xk_idx_cut_y";
    write_file(x, images(5, 6 * 3 + 2), gz);  // records 0..2 whole, record 3 cut after 2 bytes
    write_file(y, labels(5), false);
    auto it = datasets::idx_dataset(x, y).begin_epoch();
    for (int i = 0; i < 3; ++i) REQUIRE(it.next());
    const std::string m = message_of([&] { it.next(); });
    CHECK(m.find(x) != std::string::npos);
    CHECK(m.find("record 3 of 5") != std::string::npos);
    std::remove(x.c_str());
    std::remove(y.c_str());
  }
}

TEST_CASE("hostile IDX headers are refused when the dataset is made") {
  const std::string x = "xk_idx_bad", y = "xk_idx_bad_y";
  write_file(y, labels(3), false);
  write_file(x, {0, 0, 9, 3, 0, 0, 0, 3}, false);  // type 0x09: not unsigned bytes
  CHECK(message_of([&] { datasets::idx_dataset(x, y); }).find("expected an unsigned-byte IDX header") != std::string::npos);
  write_file(x, {0, 0, 8, 2, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff}, false);  // an item of 2^32 bytes
  CHECK(message_of([&] { datasets::idx_dataset(x, y); }).find("implausible dimension") != std::string::npos);
  write_file(x, {0, 0, 8, 3, 0, 0}, false);  // header cut short
  CHECK(message_of([&] { datasets::idx_dataset(x, y); }).find("truncated") != std::string::npos);
  write_file(x, images(4), false);  // 4 images, 3 labels
  CHECK(message_of([&] { datasets::idx_dataset(x, y); }).find("holds 3 records but") != std::string::npos);
  CHECK(message_of([&] { datasets::idx_dataset("/nonexistent/x", y); }).find("/nonexistent/x") != std::string::npos);
  CHECK(message_of([&] { datasets::idx_dataset(".", y); }).find("expected a regular file") != std::string::npos);
  std::remove(x.c_str());
  std::remove(y.c_str());
}

TEST_CASE("load_idx_dir reads any MNIST-style folder and idx_dataset streams the same") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "xkeras_idx_dir_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  // Plain train files, gzip'd test files, MNIST's own names.
  write_file((dir / "train-images-idx3-ubyte").string(), images(4), false);
  write_file((dir / "train-labels-idx1-ubyte").string(), labels(4), false);
  write_file((dir / "t10k-images-idx3-ubyte.gz").string(), images(2), true);
  write_file((dir / "t10k-labels-idx1-ubyte.gz").string(), labels(2), true);
  auto [train, test] = datasets::load_idx_dir(dir.string());
  CHECK(train.x.shape() == Shape{4, 2, 3});
  CHECK(train.y.to_vector() == std::vector<float>{100, 101, 102, 103});
  CHECK(test.x.shape() == Shape{2, 2, 3});
  CHECK(test.x.data()[11] == 11.0f);
  const auto files = datasets::idx_files(dir.string(), "t10k");
  CHECK(files.images == (dir / "t10k-images-idx3-ubyte.gz").string());
  std::size_t i = 0;
  for (const auto& e : datasets::idx_dataset(files.images, files.labels)) {
    CHECK(std::equal(e[0].data(), e[0].data() + 6, test.x.data() + 6 * i));
    CHECK(e[1].item() == test.y.data()[i]);
    ++i;
  }
  CHECK(i == 2);
  fs::remove(dir / "t10k-labels-idx1-ubyte.gz");
  CHECK(message_of([&] { datasets::load_idx_dir(dir.string()); }).find("no t10k labels file") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("an IDX header declaring huge records is refused before allocating") {
  const std::string x = "xk_idx_huge";
  // 1 record of 4096 x 4096 x 4096 bytes (2^36): over the per-record limit.
  write_file(x, {0, 0, 8, 4, 0, 0, 0, 1, 0, 0, 16, 0, 0, 0, 16, 0, 0, 0, 16, 0}, false);
  CHECK(message_of([&] { datasets::idx_dataset(std::vector<std::string>{x}); }).find("per record") != std::string::npos);
  // 1 record of 4096 x 4096 bytes (16 MiB) in a file of 16 bytes.
  write_file(x, {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 16, 0, 0, 0, 16, 0}, false);
  CHECK(message_of([&] { datasets::idx_dataset(std::vector<std::string>{x}); }).find("cannot hold one") != std::string::npos);
  std::remove(x.c_str());
}

namespace {
// Resident set size in MiB (/proc/self/statm's second field, in pages).
double rss_mib() {
  std::ifstream f("/proc/self/statm");
  double size = 0, resident = 0;
  f >> size >> resident;
  return resident * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}
}  // namespace

TEST_CASE("streaming the whole training split keeps memory bounded") {
  // 60000 images are 188 MB as float32; a stream holds one record (and zlib's state) at a time.
  const auto files = datasets::idx_files(datasets::fashion_mnist::default_dir(), "train");
  const double before = rss_mib();
  std::size_t n = 0;
  double pixel_sum = 0;
  for (const auto& e : datasets::idx_dataset(files.images, files.labels)) {
    pixel_sum += e[0].data()[14 * 28 + 14];
    ++n;
  }
  const double grown = rss_mib() - before;
  CHECK(n == 60000);
  CHECK(pixel_sum > 0);
  INFO("RSS grew by " << grown << " MiB");
#if defined(__SANITIZE_ADDRESS__)
  // ASan keeps freed blocks in its quarantine (256 MiB by default): RSS says nothing about the reader there.
  WARN("RSS bound not checked under AddressSanitizer (grew " << grown << " MiB)");
#else
  CHECK(grown < 16.0);
#endif
}
