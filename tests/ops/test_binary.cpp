// Elementwise binary ops with NumPy broadcasting, and the Tensor operators.
#include <catch2/catch.hpp>

#include <xkeras/errors.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using namespace xkeras::ops;  // the operators
using Catch::Matchers::Contains;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

TEST_CASE("binary: forward with a row broadcast over a matrix") {
  Tensor a = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = Tensor::from({3}, {10, 20, 30});
  check_close(ops::add(a, b), {11, 22, 33, 14, 25, 36});
  check_close(ops::sub(a, b), {-9, -18, -27, -6, -15, -24});
  check_close(ops::mul(a, b), {10, 40, 90, 40, 100, 180});
  check_close(ops::div(a, b), {0.1f, 0.1f, 0.1f, 0.4f, 0.25f, 0.2f});
  // The broadcast operand may come first, and a column (2, 1) broadcasts too.
  check_close(ops::sub(b, a), {9, 18, 27, 6, 15, 24});
  Tensor c = Tensor::from({2, 1}, {100, 200});
  check_close(ops::add(a, c), {101, 102, 103, 204, 205, 206});
  REQUIRE(ops::add(c, b).shape() == Shape{2, 3});  // (2,1) + (3,) -> (2,3)
  check_close(ops::add(c, b), {110, 120, 130, 210, 220, 230});
}

TEST_CASE("binary: a 0-d scalar tensor broadcasts against anything") {
  Tensor a = Tensor::from({2, 2}, {1, 2, 3, 4});
  Tensor s = Tensor::scalar(2.0f);
  check_close(ops::mul(a, s), {2, 4, 6, 8});
  check_close(ops::div(s, a), {2.0f, 1.0f, 2.0f / 3.0f, 0.5f});
  Tensor x = random_tensor({3, 2}, 11), t = Tensor::scalar(0.7f);
  check_gradients([&] { return ops::mul(x, t); }, {x, t});
  check_gradients([&] { return ops::sub(t, x); }, {t, x});
}

TEST_CASE("binary: gradients are summed back to each input's broadcast shape") {
  Tensor a = random_tensor({2, 3, 4}, 1);
  Tensor b = random_tensor({3, 1}, 2, 0.5f, 1.5f);  // away from 0 for div
  check_gradients([&] { return ops::add(a, b); }, {a, b});
  check_gradients([&] { return ops::sub(a, b); }, {a, b});
  check_gradients([&] { return ops::mul(a, b); }, {a, b});
  check_gradients([&] { return ops::div(a, b); }, {a, b});
  // Both inputs broadcast: (2, 1, 4) with (3, 1) -> (2, 3, 4).
  Tensor c = random_tensor({2, 1, 4}, 3, 0.5f, 1.5f);
  check_gradients([&] { return ops::mul(c, b); }, {c, b});
  check_gradients([&] { return ops::div(b, c); }, {b, c});
  // Same shape (the fast path).
  Tensor d = random_tensor({2, 3, 4}, 4, 0.5f, 1.5f);
  check_gradients([&] { return ops::div(a, d); }, {a, d});
}

TEST_CASE("binary: the summed-back gradient has hand-computed values") {
  // y = a (2,3) * b (3,), dL/dy = 1: dL/da = b per row, dL/db = column sums of a.
  Tensor a = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = Tensor::from({3}, {10, 20, 30});
  a.set_requires_grad(true);
  b.set_requires_grad(true);
  Tape::current().backward(ops::mul(a, b));
  check_close(Tensor(a.grad()), {10, 20, 30, 10, 20, 30});
  check_close(Tensor(b.grad()), {5, 7, 9});
}

TEST_CASE("binary: a tensor combined with itself accumulates both paths") {
  Tensor x = Tensor::from({3}, {1, -2, 3});
  x.set_requires_grad(true);
  Tape::current().backward(ops::mul(x, x));  // d x^2 = 2x
  check_close(Tensor(x.grad()), {2, -4, 6});
  Tensor r = random_tensor({2, 3}, 5);
  check_gradients([&] { return ops::mul(r, r); }, {r});
}

TEST_CASE("binary: maximum and minimum route the gradient to the winner") {
  // Every pair differs by >= 0.2, so the finite differences never cross a tie.
  Tensor a = Tensor::from({2, 3}, {0.1f, 0.9f, -0.5f, 0.7f, -0.2f, 0.4f});
  Tensor b = Tensor::from({3}, {0.5f, 0.0f, -0.1f});
  check_close(ops::maximum(a, b), {0.5f, 0.9f, -0.1f, 0.7f, 0.0f, 0.4f});
  check_close(ops::minimum(a, b), {0.1f, 0.0f, -0.5f, 0.5f, -0.2f, -0.1f});
  check_gradients([&] { return ops::maximum(a, b); }, {a, b});
  check_gradients([&] { return ops::minimum(a, b); }, {a, b});
  // Ties send the gradient to the first operand.
  Tensor p = Tensor::from({2}, {1, 2}), q = Tensor::from({2}, {1, 3});
  p.set_requires_grad(true);
  q.set_requires_grad(true);
  Tape::current().backward(ops::maximum(p, q));
  check_close(Tensor(p.grad()), {1, 0});
  check_close(Tensor(q.grad()), {0, 1});
  p.zero_grad();
  q.zero_grad();
  Tape::current().backward(ops::minimum(p, q));
  check_close(Tensor(p.grad()), {1, 1});
  check_close(Tensor(q.grad()), {0, 0});
}

TEST_CASE("operators: + - * / with tensors and scalars") {
  Tensor a = Tensor::from({2}, {1, 4}), b = Tensor::from({2}, {2, 8});
  check_close(a + b, {3, 12});
  check_close(a - b, {-1, -4});
  check_close(a * b, {2, 32});
  check_close(a / b, {0.5f, 0.5f});
  check_close(-a, {-1, -4});
  check_close(a * 3.0f, {3, 12});
  check_close(3.0f * a, {3, 12});
  check_close(a / 4.0f, {0.25f, 1.0f});
  check_close(a + 1.0f, {2, 5});
  check_close(1.0f + a, {2, 5});
  check_close(a - 1.0f, {0, 3});
  check_close(1.0f - a, {0, -3});
  Tensor x = random_tensor({2, 3}, 6), y = random_tensor({3}, 7, 0.5f, 1.5f);
  check_gradients([&] { return (2.0f - x) * y / 3.0f + (x - y) / y - 1.0f; }, {x, y});
}

TEST_CASE("binary: incompatible shapes raise a ValueError naming the op and both shapes") {
  Tensor a = Tensor::zeros({2, 3}), b = Tensor::zeros({4});
  REQUIRE_THROWS_AS(ops::add(a, b), ValueError);
  REQUIRE_THROWS_WITH(ops::add(a, b), Contains("add") && Contains("(2, 3)") && Contains("(4,)"));
  REQUIRE_THROWS_WITH(ops::mul(Tensor::zeros({2, 3, 4}), Tensor::zeros({3, 3})),
                      Contains("mul") && Contains("(2, 3, 4)") && Contains("(3, 3)"));
  REQUIRE_THROWS_WITH(a / Tensor::zeros({3, 2}), Contains("div") && Contains("(3, 2)"));
  REQUIRE_THROWS_AS(ops::maximum(a, Tensor::zeros({2, 2})), ValueError);
}
