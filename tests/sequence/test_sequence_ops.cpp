// take/gather, stack, flip and where: hand-computed values, errors, and gradients against central differences.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/ops/sequence.hpp>
#include <xkeras/tape.hpp>

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

}  // namespace

TEST_CASE("take on axis 0 is the Keras Embedding test_correctness lookup") {
  // K3 embedding_test.py: E = [[0,0],[2,2],[3,3]], x = [2, 1, 0] -> [[3,3],[2,2],[0,0]]
  Tensor e = Tensor::from({3, 2}, {0, 0, 2, 2, 3, 3});
  Tensor y = ops::take(e, Tensor::from({3}, {2, 1, 0}), 0);
  REQUIRE(y.shape() == Shape{3, 2});
  check_close(y, {3, 3, 2, 2, 0, 0});
}

TEST_CASE("take keeps the indices shape and works on any axis") {
  Tensor p = arange({2, 3, 2});  // p[a][b][c] = 6a + 2b + c
  Tensor idx = Tensor::from({2, 2}, {2, 0, 1, 1});
  Tensor y0 = ops::take(arange({4, 2}), idx, 0);
  REQUIRE(y0.shape() == Shape{2, 2, 2});
  check_close(y0, {4, 5, 0, 1, 2, 3, 2, 3});
  Tensor y1 = ops::take(p, Tensor::from({2}, {2, 0}), 1);
  REQUIRE(y1.shape() == Shape{2, 2, 2});
  check_close(y1, {4, 5, 0, 1, 10, 11, 6, 7});
  Tensor y2 = ops::take(p, Tensor::from({3}, {1, 1, 0}), -1);
  REQUIRE(y2.shape() == Shape{2, 3, 3});
  check_close(y2, {1, 1, 0, 3, 3, 2, 5, 5, 4, 7, 7, 6, 9, 9, 8, 11, 11, 10});
  // A scalar index drops the axis.
  Tensor ys = ops::take(p, Tensor::scalar(1), 1);
  REQUIRE(ys.shape() == Shape{2, 2});
  check_close(ys, {2, 3, 8, 9});
  REQUIRE(ops::gather(p, Tensor::from({1}, {2}), 1).shape() == Shape{2, 1, 2});
}

TEST_CASE("take truncates float indices toward zero and wraps negative ones as ops.take") {
  Tensor e = arange({4, 1});
  check_close(ops::take(e, Tensor::from({4}, {2.7f, 0.9f, -1.0f, -4.0f}), 0), {2, 0, 3, 0});
  // -0.5 truncates to 0 (tf.cast), not to -1.
  check_close(ops::take(e, Tensor::from({1}, {-0.5f}), 0), {0});
}

TEST_CASE("take rejects out-of-range indices naming the index and the bound") {
  Tensor e = arange({3, 2});
  REQUIRE_THROWS_WITH(ops::take(e, Tensor::from({3}, {0, 3, 1}), 0),
                      Contains("index 3") && Contains("position 1") && Contains("[-3, 3)"));
  REQUIRE_THROWS_WITH(ops::take(e, Tensor::from({1}, {-4}), 0), Contains("index -4"));
  REQUIRE_THROWS_AS(ops::take(e, Tensor::from({1}, {1e30f}), 0), ValueError);
  REQUIRE_THROWS_AS(ops::take(e, Tensor::from({1}, {std::nanf("")}), 0), ValueError);
  REQUIRE_THROWS_WITH(ops::take(e, Tensor::from({1}, {2}), 1), Contains("index 2") && Contains("[-2, 2)"));
  REQUIRE_THROWS_AS(ops::take(e, Tensor::from({1}, {0}), 2), ValueError);
  REQUIRE_THROWS_AS(ops::take(Tensor::scalar(1), Tensor::from({1}, {0}), 0), ValueError);
  // An empty axis has no valid index at all.
  REQUIRE_THROWS_AS(ops::take(Tensor::zeros({0, 2}), Tensor::from({1}, {0}), 0), ValueError);
  REQUIRE(ops::take(Tensor::zeros({0, 2}), Tensor::zeros({0}), 0).shape() == Shape{0, 2});
}

TEST_CASE("take backward scatter-adds repeated indices") {
  Tensor e = arange({4, 2});
  e.set_requires_grad(true);
  Tape::current().clear();
  Tensor y = ops::take(e, Tensor::from({2, 2}, {1, 3, 1, 1}), 0);
  Tape::current().backward(y, Tensor::from({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}).value());
  // row 0 untouched, row 1 = [1,2]+[5,6]+[7,8], row 2 untouched, row 3 = [3,4]
  check_close(Tensor(e.grad()), {0, 0, 13, 16, 0, 0, 3, 4});
  // A second backward adds into the existing gradient instead of overwriting it.
  Tensor y2 = ops::take(e, Tensor::from({1}, {0}), 0);
  Tape::current().backward(y2, Tensor::from({1, 2}, {1, 1}).value());
  check_close(Tensor(e.grad()), {1, 1, 13, 16, 0, 0, 3, 4});
  e.zero_grad();
}

TEST_CASE("take backward on a table large enough to split over threads") {
  // 300 x 256 gradient values: over the parallel threshold, so the columns are split.
  Tensor e = random_tensor({300, 256}, 3);
  e.set_requires_grad(true);
  std::vector<float> iv;
  for (int i = 0; i < 400; ++i) iv.push_back(static_cast<float>((i * 7) % 150));
  Tensor idx = Tensor::from({20, 20}, iv);
  Tape::current().clear();
  Tensor y = ops::take(e, idx, 0);
  Tensor seed = random_tensor(y.shape(), 4);
  Tape::current().backward(y, seed.value());
  std::vector<float> expect(300 * 256, 0.0f);
  for (int i = 0; i < 400; ++i)
    for (int j = 0; j < 256; ++j) expect[static_cast<std::size_t>(iv[i]) * 256 + j] += seed.data()[i * 256 + j];
  check_close(Tensor(e.grad()), expect, 1e-5);
  e.zero_grad();
}

TEST_CASE("take gradient checks on axes 0, 1 and -1") {
  Tensor p = random_tensor({3, 4, 2}, 11);
  Tensor idx = Tensor::from({2, 3}, {0, 2, 2, 1, 0, 2});
  check_gradients([&] { return ops::take(p, idx, 0); }, {p});
  Tensor idx1 = Tensor::from({5}, {3, 0, 3, -1, 1});
  check_gradients([&] { return ops::take(p, idx1, 1); }, {p});
  check_gradients([&] { return ops::take(p, Tensor::from({3}, {1, 1, 0}), -1); }, {p});
}

TEST_CASE("stack joins along a new axis") {
  Tensor a = arange({2, 3}), b = arange({2, 3}, 10);
  Tensor s0 = ops::stack({a, b}, 0);
  REQUIRE(s0.shape() == Shape{2, 2, 3});
  check_close(s0, {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15});
  Tensor s1 = ops::stack({a, b}, 1);
  REQUIRE(s1.shape() == Shape{2, 2, 3});
  check_close(s1, {0, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15});
  Tensor s2 = ops::stack({a, b}, -1);
  REQUIRE(s2.shape() == Shape{2, 3, 2});
  check_close(s2, {0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15});
  REQUIRE_THROWS_AS(ops::stack({a, arange({3, 2})}, 0), ValueError);
  REQUIRE_THROWS_AS(ops::stack({a, b}, 3), ValueError);
  REQUIRE_THROWS_AS(ops::stack({}, 0), ValueError);
  Tensor x = random_tensor({2, 3}, 5), y = random_tensor({2, 3}, 6), z = random_tensor({2, 3}, 7);
  check_gradients([&] { return ops::stack({x, y, z}, 1); }, {x, y, z});
  check_gradients([&] { return ops::stack({x, x, y}, -1); }, {x, y});
}

TEST_CASE("flip reverses one axis") {
  Tensor x = arange({2, 3, 2});
  check_close(ops::flip(x, 1), {4, 5, 2, 3, 0, 1, 10, 11, 8, 9, 6, 7});
  check_close(ops::flip(x, 0), {6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5});
  check_close(ops::reverse(x, -1), {1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10});
  REQUIRE_THROWS_AS(ops::flip(x, 3), ValueError);
  Tensor r = random_tensor({2, 4, 3}, 8);
  check_gradients([&] { return ops::flip(r, 1); }, {r});
  check_gradients([&] { return ops::flip(r, -1); }, {r});
}

TEST_CASE("where selects and broadcasts") {
  Tensor c = Tensor::from({2, 1}, {1, 0});
  Tensor a = arange({2, 3}), b = Tensor::from({3}, {-1, -2, -3});
  Tensor y = ops::where(c, a, b);
  REQUIRE(y.shape() == Shape{2, 3});
  check_close(y, {0, 1, 2, -1, -2, -3});
  // Any nonzero value counts as true.
  check_close(ops::where(Tensor::from({3}, {0.5f, 0, -2}), Tensor::full({3}, 1), Tensor::full({3}, 0)), {1, 0, 1});
  REQUIRE_THROWS_WITH(ops::where(Tensor::zeros({4}), a, b), Contains("(4,)") && Contains("(2, 3)"));
}

TEST_CASE("where gradient goes to a where cond holds and to b elsewhere") {
  Tensor c = Tensor::from({2, 3}, {1, 0, 1, 0, 0, 1});
  Tensor a = random_tensor({2, 3}, 9), b = random_tensor({3}, 10);
  check_gradients([&] { return ops::where(c, a, b); }, {a, b});
  a.set_requires_grad(true);
  b.set_requires_grad(true);
  a.zero_grad();
  b.zero_grad();
  Tape::current().clear();
  Tensor y = ops::where(c, a, b);
  Tape::current().backward(y, Tensor::full({2, 3}, 1).value());
  check_close(Tensor(a.grad()), {1, 0, 1, 0, 0, 1});
  check_close(Tensor(b.grad()), {1, 2, 0});
  a.zero_grad();
  b.zero_grad();
}

TEST_CASE("take reads int32 indices and checks them the same way") {
  Tensor e = arange({4, 2});
  check_close(ops::take(e, Tensor::from_ints({3}, {3, -1, 0}), 0), {6, 7, 6, 7, 0, 1});
  REQUIRE_THROWS_WITH(ops::take(e, Tensor::from_ints({2}, {1, 4}), 0), Contains("index 4") && Contains("[-4, 4)"));
  Tensor p = random_tensor({3, 2}, 12);
  const Tensor idx = Tensor::from_ints({2, 2}, {2, 2, 0, 1});
  check_gradients([&] { return ops::take(p, idx, 0); }, {p});
}
