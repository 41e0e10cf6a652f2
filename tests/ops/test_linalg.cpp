// matmul and the fused linear op (BLAS).
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
}  // namespace

TEST_CASE("matmul: 2-D x 2-D, batched (..., m, k) x (k, n) and 1-D x 2-D") {
  Tensor a = arange({2, 3}), b = arange({3, 4}, -5);
  Tensor ab = ops::matmul(a, b);
  REQUIRE(ab.shape() == Shape{2, 4});
  check_close(ab, {5, 8, 11, 14, -4, 8, 20, 32});
  Tensor c = ops::matmul(arange({2, 2, 3}), b);
  REQUIRE(c.shape() == Shape{2, 2, 4});
  check_close(c, {5, 8, 11, 14, -4, 8, 20, 32, -13, 8, 29, 50, -22, 8, 38, 68});
  Tensor v = ops::matmul(Tensor::from({3}, {1, -1, 2}), b);
  REQUIRE(v.shape() == Shape{4});
  check_close(v, {2, 4, 6, 8});
  Tensor x = random_tensor({2, 3, 4}, 41), w = random_tensor({4, 5}, 42);
  check_gradients([&] { return ops::matmul(x, w); }, {x, w});
  Tensor p = random_tensor({3, 2}, 43), q = random_tensor({2, 6}, 44);
  check_gradients([&] { return ops::matmul(p, q); }, {p, q});
}

TEST_CASE("matmul of a matrix with itself accumulates both gradients") {
  Tensor s = random_tensor({3, 3}, 45);
  check_gradients([&] { return ops::matmul(s, s); }, {s});
}

TEST_CASE("linear: Keras dense_test values, with and without bias") {
  // Keras dense_test: kernel [[1,-2],[3,-4]], bias [5,-6], x [[-1,2]] -> [[10,-12]], relu -> [[10, 0]];
  // use_bias=False -> [[5, -6]].
  Tensor x = Tensor::from({1, 2}, {-1, 2});
  Tensor w = Tensor::from({2, 2}, {1, -2, 3, -4});
  Tensor b = Tensor::from({2}, {5, -6});
  check_close(ops::linear(x, w, b), {10, -12});
  check_close(ops::relu(ops::linear(x, w, b)), {10, 0});
  check_close(ops::linear(x, w, Tensor()), {5, -6});
}

TEST_CASE("linear: gradients of x, kernel and bias, including a batched input") {
  Tensor x = random_tensor({3, 4}, 3), w = random_tensor({4, 5}, 4), b = random_tensor({5}, 5);
  check_gradients([&] { return ops::linear(x, w, b); }, {x, w, b});
  Tensor x3 = random_tensor({2, 3, 4}, 6);
  check_gradients([&] { return ops::linear(x3, w, b); }, {x3, w, b});
  check_gradients([&] { return ops::linear(x, w, Tensor()); }, {w});  // only the kernel requires grad
  // Hand values: x = [[1, 2]], W = [[3], [4]], b = [5], dL/dy = 1 -> dW = x^T, dx = W^T, db = 1.
  Tensor xs = Tensor::from({1, 2}, {1, 2}), ws = Tensor::from({2, 1}, {3, 4}), bs = Tensor::from({1}, {5});
  for (auto* t : {&xs, &ws, &bs}) t->set_requires_grad(true);
  Tensor y = ops::linear(xs, ws, bs);
  check_close(y, {16});
  Tape::current().backward(y);
  check_close(Tensor(xs.grad()), {3, 4});
  check_close(Tensor(ws.grad()), {1, 2});
  check_close(Tensor(bs.grad()), {1});
}

TEST_CASE("linear and matmul with empty dimensions") {
  // An empty inner product is 0 (plus the bias); an empty batch gives an empty result.
  Tensor x = Tensor::zeros({2, 0}), w = Tensor::zeros({0, 3});
  check_close(ops::matmul(x, w), {0, 0, 0, 0, 0, 0});
  check_close(ops::linear(x, w, Tensor::from({3}, {1, 2, 3})), {1, 2, 3, 1, 2, 3});
  Tensor e = ops::linear(Tensor::zeros({0, 4}), random_tensor({4, 3}, 7), Tensor::zeros({3}));
  REQUIRE(e.shape() == Shape{0, 3});
}

TEST_CASE("linear on an empty batch: zero kernel and bias gradients, even over a reused gradient buffer") {
  // dL/dW = x^T G is an empty sum (K = 0 in the GEMM): every entry is 0, not what the buffer held.
  Tensor w = random_tensor({4, 3}, 7), b = Tensor::zeros({3});
  w.set_requires_grad(true);
  b.set_requires_grad(true);
  std::fill(w.grad_buffer().begin(), w.grad_buffer().end(), 7.0f);
  w.zero_grad();
  Tensor x = Tensor::zeros({0, 4});
  x.set_requires_grad(true);
  Tape::current().clear();
  Tensor y = ops::linear(x, w, b);
  Tape::current().backward(y);
  check_close(Tensor(w.grad()), std::vector<float>(12, 0.0f));
  check_close(Tensor(b.grad()), {0, 0, 0});
  REQUIRE(x.grad().size() == 0);
}

TEST_CASE("linear and matmul reject incompatible shapes naming both") {
  Tensor x = Tensor::zeros({2, 3});
  REQUIRE_THROWS_AS(ops::matmul(x, Tensor::zeros({4, 2})), ValueError);
  REQUIRE_THROWS_WITH(ops::matmul(x, Tensor::zeros({4, 2})), Contains("(2, 3)") && Contains("(4, 2)"));
  REQUIRE_THROWS_WITH(ops::matmul(x, Tensor::zeros({3})), Contains("(2, 3)") && Contains("(3,)"));
  REQUIRE_THROWS_WITH(ops::linear(x, Tensor::zeros({3, 2}), Tensor::zeros({3})), Contains("bias") && Contains("(3,)"));
  REQUIRE_THROWS_AS(ops::matmul(Tensor::scalar(1), Tensor::zeros({1, 1})), ValueError);
}
