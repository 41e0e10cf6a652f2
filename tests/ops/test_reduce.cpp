// Reductions over one axis, several axes and all axes, with and without keepdims.
// Expected values: NumPy on the same data (float64, rounded).
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using Catch::Matchers::Contains;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

// (2, 3, 4), 24 distinct values 0.1 apart ((7 i mod 24) / 10 - 1.2), so every min and max is unique
// and a 1e-2 finite-difference step never changes which element wins.
Tensor distinct() {
  std::vector<float> v(24);
  for (int i = 0; i < 24; ++i) v[i] = static_cast<float>((i * 7) % 24) * 0.1f - 1.2f;
  return Tensor::from({2, 3, 4}, v);
}

Tensor arange(const Shape& s) {
  Tensor t = Tensor::zeros(s);
  for (std::size_t i = 0; i < t.size(); ++i) t.data()[i] = static_cast<float>(i);
  return t;
}

}  // namespace

TEST_CASE("sum over one axis, several axes and all axes") {
  Tensor x = distinct();
  Tensor s1 = ops::sum(x, {1});
  REQUIRE(s1.shape() == Shape{2, 4});
  check_close(s1, {-2.4f, -0.3f, 1.8f, -0.9f, 1.2f, 0.9f, -1.8f, 0.3f});
  Tensor s02 = ops::sum(x, {0, 2}, true);
  REQUIRE(s02.shape() == Shape{1, 3, 1});
  check_close(s02, {-1.2f, -0.4f, 0.4f});
  REQUIRE(ops::sum(x, {2, 0}).shape() == Shape{3});  // axis order does not matter
  Tensor all = ops::sum(x);
  REQUIRE(all.shape() == Shape{});
  check_close(all, {-1.2f});
  REQUIRE(ops::sum(x, {}, true).shape() == Shape{1, 1, 1});
  check_close(ops::sum(x, {-1}), ops::sum(x, {2}).to_vector());
  check_gradients([&] { return ops::sum(x, {1}); }, {x});
  check_gradients([&] { return ops::sum(x, {0, 2}, true); }, {x});
  check_gradients([&] { return ops::sum(x); }, {x});
}

TEST_CASE("sum and mean over axes {1, 2} of a 4-D tensor") {
  Tensor y = arange({2, 2, 3, 4});
  check_close(ops::sum(y, {1, 2}), {60, 66, 72, 78, 204, 210, 216, 222});
  Tensor m = ops::mean(y, {1, 3});
  REQUIRE(m.shape() == Shape{2, 3});
  check_close(m, {7.5f, 11.5f, 15.5f, 31.5f, 35.5f, 39.5f});
  Tensor r = random_tensor({2, 3, 2, 3}, 21);
  check_gradients([&] { return ops::sum(r, {1, 2}); }, {r});
  check_gradients([&] { return ops::mean(r, {1, 3}, true); }, {r});
  check_gradients([&] { return ops::variance(r, {-3, -2}); }, {r});
}

TEST_CASE("mean over one axis, several axes and all axes") {
  Tensor x = distinct();
  check_close(ops::mean(x, {-1}), {-0.15f, -0.35f, 0.05f, -0.15f, 0.25f, 0.05f});
  Tensor m01 = ops::mean(x, {0, 1}, true);
  REQUIRE(m01.shape() == Shape{1, 1, 4});
  check_close(m01, {-0.2f, 0.1f, 0.0f, -0.1f});
  check_close(ops::mean(x), {-0.05f});
  Tensor mk = ops::mean(x, {}, true);
  REQUIRE(mk.shape() == Shape{1, 1, 1});
  check_close(mk, {-0.05f});
  check_gradients([&] { return ops::mean(x, {}, true); }, {x});
  check_gradients([&] { return ops::mean(x, {-1}); }, {x});
  check_gradients([&] { return ops::mean(x, {0, 1}, true); }, {x});
  check_gradients([&] { return ops::mean(x); }, {x});
}

TEST_CASE("min and max over one axis, several axes and all axes") {
  Tensor x = distinct();
  check_close(ops::min(x, {1}), {-1.2f, -0.5f, 0.2f, -1.1f, 0.0f, -0.9f, -1.0f, -0.3f});
  Tensor mk = ops::max(x, {-1}, true);
  REQUIRE(mk.shape() == Shape{2, 3, 1});
  check_close(mk, {0.9f, 0.6f, 1.0f, 0.7f, 1.1f, 0.8f});
  check_close(ops::max(x, {0, 2}), {0.9f, 1.1f, 1.0f});
  check_close(ops::min(x), {-1.2f});
  check_close(ops::min(x, {0, 1, 2}, true), {-1.2f});
  REQUIRE(ops::max(x, {}, true).shape() == Shape{1, 1, 1});
  check_close(ops::max(arange({2, 2, 3, 4}), {1, 2}, true), {20, 21, 22, 23, 44, 45, 46, 47});
  check_gradients([&] { return ops::min(x, {1}); }, {x});
  check_gradients([&] { return ops::max(x, {-1}, true); }, {x});
  check_gradients([&] { return ops::max(x, {0, 2}); }, {x});
  check_gradients([&] { return ops::min(x); }, {x});
}

TEST_CASE("min and max send the gradient to the first extremum on ties") {
  Tensor x = Tensor::from({2, 3}, {1, 3, 3, -2, 0, -2});
  x.set_requires_grad(true);
  Tape::current().backward(ops::max(x, {1}));
  check_close(Tensor(x.grad()), {0, 1, 0, 0, 1, 0});
  x.zero_grad();
  Tape::current().backward(ops::min(x, {1}));
  check_close(Tensor(x.grad()), {1, 0, 0, 1, 0, 0});
}

TEST_CASE("variance is the biased (population) variance") {
  Tensor x = distinct();
  check_close(ops::variance(x, {-1}), {0.6125f, 0.4325f, 0.4325f, 0.3725f, 0.3725f, 0.4325f});
  Tensor v = ops::variance(x, {0, 2}, true);
  REQUIRE(v.shape() == Shape{1, 3, 1});
  check_close(v, {0.4925f, 0.4925f, 0.4325f});
  check_close(ops::variance(x), {0.4791667f});
  REQUIRE(ops::variance(x, {}, true).shape() == Shape{1, 1, 1});
  check_close(ops::variance(x, {}, true), {0.4791667f});
  // Keras test_moments: var([0, 1, 2, 3, 4, 100, -200]) == np.var
  check_close(ops::variance(Tensor::from({7}, {0, 1, 2, 3, 4, 100, -200})), {6981.8367f}, 1e-5);
  check_gradients([&] { return ops::variance(x, {-1}); }, {x});
  check_gradients([&] { return ops::variance(x, {0, 2}, true); }, {x});
  check_gradients([&] { return ops::variance(x); }, {x});
}

TEST_CASE("reductions reject bad axes with a message naming the op and the shape") {
  Tensor x = Tensor::zeros({2, 3, 4});
  REQUIRE_THROWS_AS(ops::sum(x, {3}), ValueError);
  REQUIRE_THROWS_WITH(ops::sum(x, {3}), Contains("sum") && Contains("axis 3") && Contains("(2, 3, 4)"));
  REQUIRE_THROWS_WITH(ops::mean(x, {-4}), Contains("mean") && Contains("axis -4") && Contains("(2, 3, 4)"));
  REQUIRE_THROWS_WITH(ops::max(x, {1, -2}), Contains("max") && Contains("repeated") && Contains("(2, 3, 4)"));
  REQUIRE_THROWS_WITH(ops::min(x, {0, 7}), Contains("min") && Contains("(2, 3, 4)"));
  REQUIRE_THROWS_WITH(ops::variance(x, {5}), Contains("variance") && Contains("(2, 3, 4)"));
  // An extremum over an empty axis has no value; an empty result is fine.
  REQUIRE_THROWS_WITH(ops::max(Tensor::zeros({2, 0})), Contains("empty") && Contains("(2, 0)"));
  REQUIRE(ops::max(Tensor::zeros({0, 3}), {1}).shape() == Shape{0});
}
