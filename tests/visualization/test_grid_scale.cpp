// image::save_grid_png's scale: every pixel becomes a scale x scale square, the gaps scale too.
#include <catch2/catch.hpp>

#include <png.h>

#include <unistd.h>

#include <filesystem>
#include <vector>

#include <xkeras/errors.hpp>
#include <xkeras/image.hpp>

using namespace xkeras;
namespace fs = std::filesystem;

TEST_CASE("save_grid_png with scale 3 draws each pixel as a 3x3 square") {
  const std::string path = (fs::temp_directory_path() / ("xkeras_grid_" + std::to_string(::getpid()) + ".png")).string();
  // Two 2x2 images side by side: [[0, 1], [1, 0]] and [[0.5, 0.5], [0.5, 0.5]].
  Tensor images(Array(xt::xarray<float>{{{0.f, 1.f}, {1.f, 0.f}}, {{0.5f, 0.5f}, {0.5f, 0.5f}}}));
  image::save_grid_png(path, images, 2, 3);

  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  REQUIRE(png_image_begin_read_from_file(&img, path.c_str()));
  img.format = PNG_FORMAT_GRAY;
  // Unscaled: width 2 * 2 + 3 gaps of 2 = 10, height 2 + 2 gaps of 2 = 6; scaled by 3.
  REQUIRE(img.width == 30);
  REQUIRE(img.height == 18);
  std::vector<png_byte> px(PNG_IMAGE_SIZE(img));
  REQUIRE(png_image_finish_read(&img, nullptr, px.data(), 0, nullptr));
  auto at = [&](int x, int y) { return int(px[std::size_t(y) * 30 + std::size_t(x)]); };
  // First image starts at (6, 6): pixel (0, 0) black fills x 6..8, y 6..8; pixel (0, 1) white at x 9..11.
  for (int y = 6; y < 9; ++y)
    for (int x = 6; x < 9; ++x) CHECK(at(x, y) == 0);
  for (int x = 9; x < 12; ++x) CHECK(at(x, 6) == 255);
  CHECK(at(6, 9) == 255);   // pixel (1, 0)
  CHECK(at(9, 11) == 0);    // pixel (1, 1)
  CHECK(at(5, 6) == 255);   // the gap left of the first image is white
  // Second image starts at x = 6 + 6 + 6 = 18: all 0.5 -> 128.
  CHECK(at(18, 6) == 128);
  CHECK(at(23, 11) == 128);
  CHECK(at(24, 6) == 255);  // the right-hand gap
  fs::remove(path);

  CHECK_THROWS_AS(image::save_grid_png(path, images, 2, 0), ValueError);
  CHECK_THROWS_AS(image::save_grid_png(path, images, 2, 65), ValueError);
  CHECK_FALSE(fs::exists(path));
}
