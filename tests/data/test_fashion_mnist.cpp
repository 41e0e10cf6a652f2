#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include <png.h>
#include <xkeras/datasets.hpp>
#include <xkeras/errors.hpp>
#include <xkeras/image.hpp>

using namespace xkeras;

TEST_CASE("Fashion-MNIST loads from the Debian package with Keras's shapes") {
  auto [train, test] = datasets::fashion_mnist::load_data();
  CHECK(train.x.shape() == Shape{60000, 28, 28});
  CHECK(train.y.shape() == Shape{60000});
  CHECK(test.x.shape() == Shape{10000, 28, 28});
  CHECK(test.y.shape() == Shape{10000});
  // Known facts of the real data: first training label is 9 (ankle boot), first test label 9,
  // pixel values are bytes, and every class has 6000 training images.
  CHECK(train.y.data()[0] == 9.0f);
  CHECK(test.y.data()[0] == 9.0f);
  float mx = 0;
  for (float v : train.x.value()) mx = std::max(mx, v);
  CHECK(mx == 255.0f);
  std::vector<int> counts(10, 0);
  for (float v : train.y.value()) counts[static_cast<int>(v)]++;
  for (int c : counts) CHECK(c == 6000);
}

TEST_CASE("Fashion-MNIST limit keeps the first samples") {
  auto [train, test] = datasets::fashion_mnist::load_data(datasets::fashion_mnist::default_dir(), 100);
  CHECK(train.x.shape() == Shape{100, 28, 28});
  CHECK(test.y.shape() == Shape{100});
}

TEST_CASE("a missing dataset directory gives a clear IOError") {
  try {
    datasets::fashion_mnist::load_data("/nonexistent/dir");
    FAIL("expected IOError");
  } catch (const IOError& e) {
    CHECK(std::string(e.what()).find("/nonexistent/dir/train-images-idx3-ubyte.gz") != std::string::npos);
    CHECK(std::string(e.what()).find("dataset-fashion-mnist") != std::string::npos);
  }
}

TEST_CASE("malformed IDX files are rejected, never over-read") {
  const std::string p = "xkeras_test_bad.idx";
  {
    std::ofstream f(p, std::ios::binary);
    f << "not an idx file";
  }
  CHECK_THROWS_AS(datasets::read_idx(p), IOError);
  {
    // valid header claiming 1000 items of 28x28, but only 10 bytes of data
    std::ofstream f(p, std::ios::binary);
    const unsigned char hdr[] = {0, 0, 8, 3, 0, 0, 3, 232, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    f.write(reinterpret_cast<const char*>(hdr), sizeof hdr);
  }
  try {
    datasets::read_idx(p);
    FAIL("expected IOError");
  } catch (const IOError& e) {
    CHECK(std::string(e.what()).find("truncated") != std::string::npos);
  }
  std::remove(p.c_str());
}

TEST_CASE("save_grid_png writes a readable PNG of the expected size") {
  Array a = Array::from_shape({3, 4, 5});
  for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = float(i % 7) / 6.0f;
  const std::string p = "xkeras_test_grid.png";
  image::save_grid_png(p, Tensor(a), 2);
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  REQUIRE(png_image_begin_read_from_file(&img, p.c_str()));
  CHECK(img.width == 2 * 5 + 3 * 2);   // 2 columns of width 5, 3 gaps of 2
  CHECK(img.height == 2 * 4 + 3 * 2);  // 2 rows of height 4
  img.format = PNG_FORMAT_GRAY;
  std::vector<png_byte> buf(PNG_IMAGE_SIZE(img));
  REQUIRE(png_image_finish_read(&img, nullptr, buf.data(), 0, nullptr));
  CHECK(buf[2 * img.width + 2] == 0);        // first pixel of image 0: value 0
  CHECK(buf[2 * img.width + 3] == 43);       // 1/6 * 255 = 42.5 -> 43
  CHECK(buf[0] == 255);                      // background
  std::remove(p.c_str());
}
