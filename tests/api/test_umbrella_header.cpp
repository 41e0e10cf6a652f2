// <xkeras/xkeras.hpp> alone is enough for a program that uses layers, datasets, image and ops
// (this file includes nothing else from xkeras on purpose).
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

#include <xkeras/xkeras.hpp>

using namespace xkeras;

TEST_CASE("umbrella header: layers datasets image and ops from xkeras.hpp alone") {
  // ops::reshape with a braced list, then a layer from layers.hpp with fixed weights: y = relu(x W + b).
  const Tensor x = ops::reshape(Tensor::from({4}, {1, 2, 3, 4}), {-1, 2});  // [[1, 2], [3, 4]]
  layers::Dense d(1, layers::DenseOptions().with_activation("relu"));
  d(x);
  d->set_weights({Tensor::from({2, 1}, {1, -1}).value(), Tensor::from({1}, {0.5f}).value()});
  const Tensor y = d(x);
  REQUIRE(y.shape() == Shape{2, 1});
  CHECK(y.data()[0] == 0.0f);  // relu(1 - 2 + 0.5)
  CHECK(y.data()[1] == 0.0f);  // relu(3 - 4 + 0.5)
  d->set_weights({Tensor::from({2, 1}, {-1, 1}).value(), Tensor::from({1}, {0.5f}).value()});
  CHECK(d(x).data()[1] == 1.5f);  // relu(-3 + 4 + 0.5)

  // A dataset function from datasets.hpp.
  const auto records = datasets::split_records("one\n%\ntwo\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0] == "one\n");

  // image::save_grid_png from image.hpp: 3 tiles of 4x5 at 2 per row, 2-pixel gaps -> 16 x 14 pixels.
  const auto path = std::filesystem::temp_directory_path() / ("xkeras_umbrella_" + std::to_string(::getpid()) + ".png");
  image::save_grid_png(path.string(), Tensor::zeros({3, 4, 5}), 2);
  std::ifstream in(path, std::ios::binary);
  const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove(path);
  REQUIRE(bytes.size() > 24);
  CHECK(bytes[1] == 'P');
  CHECK(bytes[2] == 'N');
  CHECK(bytes[3] == 'G');
  const auto be32 = [&](std::size_t at) {
    return (std::uint32_t(bytes[at]) << 24) | (std::uint32_t(bytes[at + 1]) << 16) | (std::uint32_t(bytes[at + 2]) << 8) | bytes[at + 3];
  };
  CHECK(be32(16) == 16u);  // IHDR width
  CHECK(be32(20) == 14u);  // IHDR height
}
