// Elementwise unary ops: forward on hand-computed values (Python's math module, float64, rounded)
// and central-difference gradients. Inputs stay >= 0.3 away from every kink (0 for relu/abs/elu,
// the clip bounds) so the finite differences (step 1e-2) never straddle one.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

namespace {

// Mixed signs, away from 0.
Tensor signed_input() { return Tensor::from({2, 2}, {-2.0f, -0.5f, 0.3f, 1.5f}); }
// Positive, for log / sqrt / rsqrt / pow.
Tensor positive_input() { return Tensor::from({2, 2}, {0.5f, 1.0f, 2.0f, 4.0f}); }
// A random tensor in [0.1, 1) with random signs: never within 0.1 of zero.
Tensor away_from_zero(const Shape& shape, unsigned seed) {
  Tensor t = random_tensor(shape, seed, 0.1f, 1.0f);
  Tensor s = random_tensor(shape, seed + 100, -1.0f, 1.0f);
  for (std::size_t i = 0; i < t.size(); ++i)
    if (s.data()[i] < 0) t.data()[i] = -t.data()[i];
  return t;
}

}  // namespace

TEST_CASE("unary: scale, add_scalar, neg") {
  Tensor x = signed_input();
  check_close(ops::scale(x, 3.0f), {-6.0f, -1.5f, 0.9f, 4.5f});
  check_close(ops::add_scalar(x, 1.0f), {-1.0f, 0.5f, 1.3f, 2.5f});
  check_close(ops::neg(x), {2.0f, 0.5f, -0.3f, -1.5f});
  Tensor r = random_tensor({3, 4}, 1);
  check_gradients([&] { return ops::scale(r, -2.5f); }, {r});
  check_gradients([&] { return ops::add_scalar(r, 4.0f); }, {r});
  check_gradients([&] { return ops::neg(r); }, {r});
}

TEST_CASE("unary: exp, log, log1p") {
  check_close(ops::exp(signed_input()), {0.13533528f, 0.60653066f, 1.3498588f, 4.4816891f});
  check_close(ops::log(positive_input()), {-0.69314718f, 0.0f, 0.69314718f, 1.3862944f});
  check_close(ops::log1p(positive_input()), {0.40546511f, 0.69314718f, 1.0986123f, 1.6094379f});
  Tensor x = random_tensor({3, 4}, 2);
  Tensor p = random_tensor({3, 4}, 3, 0.5f, 2.0f);
  check_gradients([&] { return ops::exp(x); }, {x});
  check_gradients([&] { return ops::log(p); }, {p});
  check_gradients([&] { return ops::log1p(p); }, {p});
}

TEST_CASE("unary: sqrt, rsqrt, square, pow") {
  check_close(ops::sqrt(positive_input()), {0.70710678f, 1.0f, 1.4142136f, 2.0f});
  check_close(ops::rsqrt(positive_input()), {1.4142136f, 1.0f, 0.70710678f, 0.5f});
  check_close(ops::square(signed_input()), {4.0f, 0.25f, 0.09f, 2.25f});
  check_close(ops::pow(positive_input(), 1.5f), {0.35355339f, 1.0f, 2.8284271f, 8.0f});
  check_close(ops::pow(signed_input(), 3.0f), {-8.0f, -0.125f, 0.027f, 3.375f});
  Tensor p = random_tensor({3, 4}, 4, 0.5f, 2.0f);
  Tensor x = random_tensor({3, 4}, 5);
  check_gradients([&] { return ops::sqrt(p); }, {p});
  check_gradients([&] { return ops::rsqrt(p); }, {p});
  check_gradients([&] { return ops::square(x); }, {x});
  check_gradients([&] { return ops::pow(p, 1.5f); }, {p});
  check_gradients([&] { return ops::pow(p, -2.0f); }, {p});
}

TEST_CASE("unary: abs, relu, leaky_relu away from the kink") {
  check_close(ops::abs(signed_input()), {2.0f, 0.5f, 0.3f, 1.5f});
  check_close(ops::relu(signed_input()), {0.0f, 0.0f, 0.3f, 1.5f});
  check_close(ops::leaky_relu(signed_input()), {-0.4f, -0.1f, 0.3f, 1.5f});  // Keras default slope 0.2
  check_close(ops::leaky_relu(signed_input(), 0.1f), {-0.2f, -0.05f, 0.3f, 1.5f});
  Tensor x = away_from_zero({3, 5}, 6);
  check_gradients([&] { return ops::abs(x); }, {x});
  check_gradients([&] { return ops::relu(x); }, {x});
  check_gradients([&] { return ops::leaky_relu(x, 0.3f); }, {x});
}

TEST_CASE("unary: sigmoid, tanh, softplus, softsign") {
  check_close(ops::sigmoid(signed_input()), {0.11920292f, 0.37754067f, 0.57444252f, 0.81757448f});
  check_close(ops::tanh(signed_input()), {-0.96402758f, -0.46211716f, 0.29131261f, 0.90514825f});
  check_close(ops::softplus(signed_input()), {0.12692801f, 0.47407698f, 0.85435524f, 1.7014133f});
  check_close(ops::softsign(signed_input()), {-0.66666667f, -0.33333333f, 0.23076923f, 0.6f});
  // Stable at large |x|: no inf or NaN.
  Tensor big = Tensor::from({2}, {-100.0f, 100.0f});
  check_close(ops::sigmoid(big), {0.0f, 1.0f});
  check_close(ops::softplus(big), {0.0f, 100.0f});
  Tensor x = random_tensor({3, 4}, 7, -3.0f, 3.0f);
  Tensor s = away_from_zero({3, 4}, 8);  // softsign has a kink in its second derivative at 0 only
  check_gradients([&] { return ops::sigmoid(x); }, {x});
  check_gradients([&] { return ops::tanh(x); }, {x});
  check_gradients([&] { return ops::softplus(x); }, {x});
  check_gradients([&] { return ops::softsign(s); }, {s});
}

TEST_CASE("unary: elu, selu") {
  check_close(ops::elu(signed_input()), {-0.86466472f, -0.39346934f, 0.3f, 1.5f});
  check_close(ops::elu(signed_input(), 0.5f), {-0.43233236f, -0.19673467f, 0.3f, 1.5f});
  check_close(ops::selu(signed_input()), {-1.5201665f, -0.69175819f, 0.3152103f, 1.5760515f});
  Tensor x = away_from_zero({3, 4}, 9);
  check_gradients([&] { return ops::elu(x); }, {x});
  check_gradients([&] { return ops::elu(x, 0.5f); }, {x});
  check_gradients([&] { return ops::selu(x); }, {x});
}

TEST_CASE("unary: gelu exact and approximate, swish") {
  check_close(ops::gelu(signed_input()), {-0.045500264f, -0.15426877f, 0.18537343f, 1.3997892f});
  check_close(ops::gelu(signed_input(), true), {-0.045402306f, -0.15428599f, 0.18537092f, 1.3995716f});
  check_close(ops::swish(signed_input()), {-0.23840584f, -0.18877033f, 0.17233276f, 1.2263617f});
  Tensor x = random_tensor({3, 4}, 10, -3.0f, 3.0f);
  check_gradients([&] { return ops::gelu(x); }, {x});
  check_gradients([&] { return ops::gelu(x, true); }, {x});
  check_gradients([&] { return ops::swish(x); }, {x});
}

TEST_CASE("unary: clip passes the gradient only inside the bounds") {
  Tensor x = Tensor::from({5}, {-2.0f, -0.5f, 0.0f, 0.5f, 2.0f});
  check_close(ops::clip(x, -1.0f, 1.0f), {-1.0f, -0.5f, 0.0f, 0.5f, 1.0f});
  // Keep every value 0.1 away from the bounds -1 and 1.
  Tensor r = Tensor::from({2, 3}, {-1.7f, -0.8f, 0.2f, 0.9f, 1.4f, -1.2f});
  check_gradients([&] { return ops::clip(r, -1.0f, 1.0f); }, {r});
  r.zero_grad();  // check_gradients left its own gradient there
  Tensor y = ops::clip(r, -1.0f, 1.0f);
  Tape::current().backward(y);
  check_close(Tensor(r.grad()), {0, 1, 1, 1, 0, 0});
  REQUIRE_THROWS_AS(ops::clip(x, 1.0f, -1.0f), ValueError);
}
