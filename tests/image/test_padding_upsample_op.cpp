// ops::zero_pad2d and ops::upsample2d: Keras docstring values, hand values and gradients.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/ops/image.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

TEST_CASE("zero_pad2d: Keras docstring example (padding=1 on arange(4).reshape(1,1,2,2))") {
  Tensor x = Tensor::from({1, 1, 2, 2}, {0, 1, 2, 3});
  Tensor y = ops::zero_pad2d(x, {1, 1}, {1, 1});
  REQUIRE(y.shape() == Shape{1, 3, 4, 2});
  check_close(y, {0, 0, 0, 0, 0, 0, 0, 0,  //
                  0, 0, 0, 1, 2, 3, 0, 0,  //
                  0, 0, 0, 0, 0, 0, 0, 0});
}

TEST_CASE("zero_pad2d: asymmetric padding, zero amounts and gradients") {
  Tensor x = Tensor::from({1, 2, 2, 1}, {1, 2, 3, 4});
  Tensor y = ops::zero_pad2d(x, {0, 1}, {2, 0});
  REQUIRE(y.shape() == Shape{1, 3, 4, 1});
  check_close(y, {0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0});
  CHECK(ops::zero_pad2d(x, {0, 0}, {0, 0}).to_vector() == x.to_vector());
  Tensor r = random_tensor({2, 3, 4, 2}, 1);
  check_gradients([&] { return ops::zero_pad2d(r, {1, 2}, {3, 0}); }, {r});
  CHECK_THROWS_WITH(ops::zero_pad2d(x, {-1, 0}, {0, 0}), Catch::Contains("non-negative"));
  CHECK_THROWS_AS(ops::zero_pad2d(random_tensor({2, 2}, 1), {1, 1}, {1, 1}), ValueError);
}

TEST_CASE("upsample2d: Keras docstring example (size (1, 2) on arange(12).reshape(2,2,1,3))") {
  std::vector<float> v(12);
  for (int i = 0; i < 12; ++i) v[std::size_t(i)] = float(i);
  Tensor x = Tensor::from({2, 2, 1, 3}, v);
  Tensor y = ops::upsample2d(x, {1, 2});
  REQUIRE(y.shape() == Shape{2, 2, 2, 3});
  check_close(y, {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8, 6, 7, 8, 9, 10, 11, 9, 10, 11});
}

TEST_CASE("upsample2d: repeats rows and columns, gradient sums each block") {
  Tensor x = Tensor::from({1, 2, 2, 1}, {1, 2, 3, 4});
  Tensor y = ops::upsample2d(x, 2);
  REQUIRE(y.shape() == Shape{1, 4, 4, 1});
  check_close(y, {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
  Tensor r = random_tensor({2, 3, 2, 3}, 2);
  check_gradients([&] { return ops::upsample2d(r, {2, 3}); }, {r});
  CHECK_THROWS_AS(ops::upsample2d(x, 0), ValueError);
  CHECK_THROWS_AS(ops::upsample2d(x, 2, "bicubic"), NotImplementedError);
  CHECK_THROWS_WITH(ops::upsample2d(x, 2, "cubic"), Catch::Contains("interpolation"));
  CHECK_THROWS_WITH(ops::upsample2d(x, 1 << 24), Catch::Contains("2^36"));
}
