// ops::reshape(x, {-1, 784}) compiles and works: a braced list of integers picks the initializer_list overload
// (the Shape and std::vector<long> overloads alone made it ambiguous).
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>
#include <xkeras/ops.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;

TEST_CASE("reshape: a braced list with -1 infers the dimension") {
  std::vector<float> v(2 * 784);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i % 97);
  const Tensor x = Tensor::from({2, 28, 28}, v);
  const Tensor y = ops::reshape(x, {-1, 784});
  REQUIRE(y.shape() == Shape{2, 784});
  CHECK(y.data()[0] == 0.0f);
  CHECK(y.data()[785] == static_cast<float>(785 % 97));  // row-major order kept: second row, second value
  CHECK(ops::reshape(x, {2, 28, 28, 1}).shape() == Shape{2, 28, 28, 1});
  CHECK(ops::reshape(x, {-1}).shape() == Shape{1568});
}

TEST_CASE("reshape: a braced list is checked like a vector") {
  const Tensor x = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
  CHECK_THROWS_AS(ops::reshape(x, {-1, -1}), ValueError);
  CHECK_THROWS_AS(ops::reshape(x, {-1, 4}), ValueError);
  CHECK_THROWS_AS(ops::reshape(x, {-3, 2}), ValueError);
  CHECK_THROWS_AS(ops::reshape(x, {4, 2}), ValueError);
}

TEST_CASE("reshape: gradient through the braced overload") {
  Tensor r = xkeras::testing::random_tensor({3, 4}, 7);
  xkeras::testing::check_gradients([&] { return ops::mul(ops::reshape(r, {-1, 6}), ops::reshape(r, {2, 6})); }, {r});
}

TEST_CASE("reshape: the Shape and vector overloads still take their own types") {
  const Tensor x = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
  CHECK(ops::reshape(x, Shape{3, 2}).shape() == Shape{3, 2});
  CHECK(ops::reshape(x, std::vector<long>{-1, 2}).shape() == Shape{3, 2});
  const std::size_t n = 6;
  CHECK(ops::reshape(x, Shape{n}).shape() == Shape{6});
}
