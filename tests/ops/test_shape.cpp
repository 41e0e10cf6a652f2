// Shape ops: values land where NumPy puts them, and each gradient moves back to its source.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using Catch::Matchers::Contains;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

Tensor arange(const Shape& s, float start = 0.0f) {
  Tensor t = Tensor::zeros(s);
  for (std::size_t i = 0; i < t.size(); ++i) t.data()[i] = start + static_cast<float>(i);
  return t;
}

std::vector<float> range(int from, int to) {
  std::vector<float> v;
  for (int i = from; i < to; ++i) v.push_back(static_cast<float>(i));
  return v;
}

}  // namespace

TEST_CASE("reshape keeps row-major order and infers one -1") {
  Tensor x = arange({2, 3});
  Tensor y = ops::reshape(x, Shape{3, 2});
  REQUIRE(y.shape() == Shape{3, 2});
  check_close(y, range(0, 6));
  REQUIRE(ops::reshape(x, std::vector<long>{-1, 2}).shape() == Shape{3, 2});
  REQUIRE(ops::reshape(x, std::vector<long>{6, -1}).shape() == Shape{6, 1});
  REQUIRE(ops::reshape(x, std::vector<long>{-1}).shape() == Shape{6});
  Tensor r = random_tensor({2, 3, 2}, 31);
  check_gradients([&] { return ops::reshape(r, std::vector<long>{-1, 4}); }, {r});
  check_gradients([&] { return ops::reshape(r, Shape{12}); }, {r});
  REQUIRE_THROWS_WITH(ops::reshape(x, Shape{4, 2}), Contains("(2, 3)") && Contains("(4, 2)"));
  REQUIRE_THROWS_AS(ops::reshape(x, std::vector<long>{-1, -1}), ValueError);
  REQUIRE_THROWS_WITH(ops::reshape(x, std::vector<long>{-1, 4}), Contains("(2, 3)"));
  REQUIRE_THROWS_AS(ops::reshape(x, std::vector<long>{-2, 3}), ValueError);
}

TEST_CASE("transpose: empty perm reverses the axes, any permutation works") {
  Tensor x = arange({2, 3, 4});
  Tensor t = ops::transpose(x);
  REQUIRE(t.shape() == Shape{4, 3, 2});
  check_close(t, {0, 12, 4, 16, 8, 20, 1, 13, 5, 17, 9, 21, 2, 14, 6, 18, 10, 22, 3, 15, 7, 19, 11, 23});
  Tensor t102 = ops::transpose(x, {1, 0, 2});
  REQUIRE(t102.shape() == Shape{3, 2, 4});
  check_close(t102, {0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11, 20, 21, 22, 23});
  Tensor t201 = ops::transpose(x, {2, 0, 1});
  REQUIRE(t201.shape() == Shape{4, 2, 3});
  check_close(t201, {0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23});
  check_close(ops::transpose(Tensor::from({2, 2}, {1, 2, 3, 4})), {1, 3, 2, 4});
  Tensor r = random_tensor({2, 3, 4}, 32);
  check_gradients([&] { return ops::transpose(r); }, {r});
  check_gradients([&] { return ops::transpose(r, {2, 0, 1}); }, {r});
  check_gradients([&] { return ops::transpose(r, {0, 2, 1}); }, {r});
  REQUIRE_THROWS_AS(ops::transpose(x, {0, 1}), ValueError);
  REQUIRE_THROWS_WITH(ops::transpose(x, {0, 1, 1}), Contains("transpose") && Contains("(2, 3, 4)") && Contains("(0, 1, 1)"));
  REQUIRE_THROWS_WITH(ops::transpose(x, {0, 1, 3}), Contains("(2, 3, 4)"));
}

TEST_CASE("concatenate along the last, first and a middle axis") {
  Tensor a = arange({2, 3}), b = arange({2, 2}, 100);
  Tensor c = ops::concatenate({a, b}, -1);
  REQUIRE(c.shape() == Shape{2, 5});
  check_close(c, {0, 1, 2, 100, 101, 3, 4, 5, 102, 103});
  Tensor c0 = ops::concatenate({a, arange({1, 3}, 50)}, 0);
  REQUIRE(c0.shape() == Shape{3, 3});
  check_close(c0, {0, 1, 2, 3, 4, 5, 50, 51, 52});
  Tensor p = arange({2, 1, 3}), q = arange({2, 2, 3}, 10);
  Tensor c1 = ops::concatenate({p, q}, 1);
  REQUIRE(c1.shape() == Shape{2, 3, 3});
  check_close(c1, {0, 1, 2, 10, 11, 12, 13, 14, 15, 3, 4, 5, 16, 17, 18, 19, 20, 21});
  REQUIRE(ops::concatenate({a}, 0).shape() == Shape{2, 3});
}

TEST_CASE("concatenate: the gradient slices back to each input") {
  Tensor a = random_tensor({2, 1, 3}, 33), b = random_tensor({2, 2, 3}, 34), c = random_tensor({2, 3, 3}, 35);
  check_gradients([&] { return ops::concatenate({a, b, c}, 1); }, {a, b, c});
  check_gradients([&] { return ops::concatenate({a, a}, -1); }, {a});  // the same tensor twice
  Tensor x = Tensor::from({2, 1}, {1, 2}), y = Tensor::from({2, 2}, {3, 4, 5, 6});
  x.set_requires_grad(true);
  Tensor z = ops::concatenate({x, y}, 1);  // only x requires grad
  Tape::current().backward(z, Array(xt::xarray<float>({{10, 20, 30}, {40, 50, 60}})));
  check_close(Tensor(x.grad()), {10, 40});
  REQUIRE_FALSE(y.has_grad());
}

TEST_CASE("concatenate rejects mismatched shapes, bad axes and empty lists") {
  Tensor a = Tensor::zeros({2, 3}), b = Tensor::zeros({3, 3});
  REQUIRE_THROWS_AS(ops::concatenate({a, b}, 1), ValueError);
  REQUIRE_THROWS_WITH(ops::concatenate({a, b}, 1), Contains("concatenate") && Contains("(2, 3)") && Contains("(3, 3)"));
  REQUIRE_THROWS_WITH(ops::concatenate({a, Tensor::zeros({2, 3, 1})}, 0), Contains("(2, 3, 1)"));
  REQUIRE_THROWS_WITH(ops::concatenate({a, a}, 2), Contains("axis 2") && Contains("(2, 3)"));
  REQUIRE_THROWS_AS(ops::concatenate({a, a}, -3), ValueError);
  REQUIRE_THROWS_AS(ops::concatenate({}, 0), ValueError);
  REQUIRE_THROWS_AS(ops::concatenate({Tensor::scalar(1), Tensor::scalar(2)}, 0), ValueError);
}

TEST_CASE("expand_dims and squeeze") {
  Tensor x = arange({2, 3});
  REQUIRE(ops::expand_dims(x, 0).shape() == Shape{1, 2, 3});
  REQUIRE(ops::expand_dims(x, 1).shape() == Shape{2, 1, 3});
  REQUIRE(ops::expand_dims(x, 2).shape() == Shape{2, 3, 1});
  REQUIRE(ops::expand_dims(x, -1).shape() == Shape{2, 3, 1});
  REQUIRE(ops::expand_dims(x, -3).shape() == Shape{1, 2, 3});
  check_close(ops::expand_dims(x, 1), range(0, 6));
  REQUIRE(ops::expand_dims(Tensor::scalar(4), 0).shape() == Shape{1});
  Tensor s = arange({2, 1, 3});
  REQUIRE(ops::squeeze(s, 1).shape() == Shape{2, 3});
  REQUIRE(ops::squeeze(s, -2).shape() == Shape{2, 3});
  check_close(ops::squeeze(s, 1), range(0, 6));
  Tensor r = random_tensor({2, 3}, 36), q = random_tensor({2, 1, 3}, 37);
  check_gradients([&] { return ops::expand_dims(r, -1); }, {r});
  check_gradients([&] { return ops::squeeze(q, 1); }, {q});
  REQUIRE_THROWS_WITH(ops::expand_dims(x, 3), Contains("expand_dims") && Contains("(2, 3)"));
  REQUIRE_THROWS_AS(ops::expand_dims(x, -4), ValueError);
  REQUIRE_THROWS_WITH(ops::squeeze(s, 0), Contains("squeeze") && Contains("size 2") && Contains("(2, 1, 3)"));
  REQUIRE_THROWS_WITH(ops::squeeze(s, 3), Contains("axis 3") && Contains("(2, 1, 3)"));
}

TEST_CASE("slice takes begin <= i < end along one axis") {
  Tensor x = arange({2, 3, 4});
  Tensor s = ops::slice(x, 1, 1, 3);
  REQUIRE(s.shape() == Shape{2, 2, 4});
  check_close(s, {4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23});
  Tensor s2 = ops::slice(x, -1, 1, 2);
  REQUIRE(s2.shape() == Shape{2, 3, 1});
  check_close(s2, {1, 5, 9, 13, 17, 21});
  check_close(ops::slice(x, 0, 1, 2), range(12, 24));
  REQUIRE(ops::slice(x, 2, 2, 2).shape() == Shape{2, 3, 0});
  Tensor r = random_tensor({3, 4, 2}, 38);
  check_gradients([&] { return ops::slice(r, 1, 1, 3); }, {r});
  check_gradients([&] { return ops::slice(r, 0, 2, 3); }, {r});
  check_gradients([&] { return ops::slice(r, -1, 0, 1); }, {r});
  REQUIRE_THROWS_WITH(ops::slice(x, 1, 2, 4), Contains("slice") && Contains("(2, 3, 4)"));
  REQUIRE_THROWS_AS(ops::slice(x, 1, 2, 1), ValueError);
  REQUIRE_THROWS_WITH(ops::slice(x, 3, 0, 1), Contains("axis 3") && Contains("(2, 3, 4)"));
}

TEST_CASE("broadcast_to repeats values and sums the gradient back") {
  Tensor row = Tensor::from({3}, {1, 2, 3});
  Tensor b = ops::broadcast_to(row, {2, 3});
  REQUIRE(b.shape() == Shape{2, 3});
  check_close(b, {1, 2, 3, 1, 2, 3});
  Tensor col = Tensor::from({2, 1}, {1, 2});
  check_close(ops::broadcast_to(col, {2, 3}), {1, 1, 1, 2, 2, 2});
  check_close(ops::broadcast_to(Tensor::scalar(5), {2}), {5, 5});
  check_close(ops::broadcast_to(col, {2, 2, 1}), {1, 2, 1, 2});
  row.set_requires_grad(true);
  Tape::current().backward(ops::broadcast_to(row, {4, 3}));
  check_close(Tensor(row.grad()), {4, 4, 4});
  Tensor r = random_tensor({3, 1}, 39);
  check_gradients([&] { return ops::broadcast_to(r, {2, 3, 4}); }, {r});
  REQUIRE_THROWS_AS(ops::broadcast_to(row, {3, 2}), ValueError);
  REQUIRE_THROWS_WITH(ops::broadcast_to(row, {3, 2}), Contains("broadcast_to") && Contains("(3,)") && Contains("(3, 2)"));
  REQUIRE_THROWS_WITH(ops::broadcast_to(Tensor::zeros({2, 3}), {3}), Contains("(2, 3)") && Contains("(3,)"));
}
