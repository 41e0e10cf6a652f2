// The tape through chains of ops: composite gradients, NoGrad, and what backward keeps.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using namespace xkeras::ops;  // the operators
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

TEST_CASE("tape: gradient of a composite matches the chain rule by hand") {
  // y = sum(exp(2x) + x * x) -> dy/dx = 2 exp(2x) + 2x
  Tensor x = Tensor::from({3}, {-0.5f, 0.0f, 0.5f});
  x.set_requires_grad(true);
  Tensor y = ops::sum(ops::exp(x * 2.0f) + x * x);
  check_close(y, {std::exp(-1.0f) + 0.25f + 1.0f + std::exp(1.0f) + 0.25f});
  Tape::current().backward(y);
  check_close(Tensor(x.grad()), {2 * std::exp(-1.0f) - 1.0f, 2.0f, 2 * std::exp(1.0f) + 1.0f});
}

TEST_CASE("tape: a small network's loss has correct gradients for every parameter") {
  // mean(log_softmax(tanh(x W1 + b1) W2 + b2) * onehot): a cross-entropy through a hidden layer,
  // with a diamond (h is used twice) and broadcasting.
  Tensor x = random_tensor({4, 3}, 61), w1 = random_tensor({3, 5}, 62), b1 = random_tensor({5}, 63);
  Tensor w2 = random_tensor({5, 2}, 64), b2 = random_tensor({2}, 65);
  Tensor onehot = Tensor::from({4, 2}, {1, 0, 0, 1, 0, 1, 1, 0});
  auto f = [&] {
    Tensor h = ops::tanh(ops::linear(x, w1, b1));
    Tensor h2 = h + ops::scale(ops::square(h), 0.5f);
    Tensor logits = ops::linear(h2, w2, b2);
    return -ops::mean(ops::sum(ops::log_softmax(logits) * onehot, {-1}));
  };
  check_gradients(f, {x, w1, b1, w2, b2});
  // A chain through shape ops and reductions.
  Tensor a = random_tensor({2, 3, 4}, 66);
  check_gradients(
      [&] {
        Tensor t = ops::transpose(a, {0, 2, 1});                         // (2, 4, 3)
        Tensor c = ops::concatenate({t, ops::slice(t, 2, 0, 1)}, -1);   // (2, 4, 4)
        return ops::l2_normalize(ops::reshape(c, std::vector<long>{-1, 8}), {-1}) * ops::max(a);
      },
      {a});
}

TEST_CASE("tape: NoGrad records nothing") {
  Tape::current().clear();
  Tensor x = random_tensor({2, 3}, 67);
  x.set_requires_grad(true);
  {
    NoGrad ng;
    REQUIRE_FALSE(Tape::enabled());
    Tensor y = ops::softmax(ops::relu(x) * 2.0f + x);
    REQUIRE(Tape::current().size() == 0);
    REQUIRE_FALSE(y.requires_grad());
  }
  REQUIRE(Tape::enabled());
  Tensor y = ops::relu(x);
  REQUIRE(Tape::current().size() == 1);
  REQUIRE(y.requires_grad());
  Tape::current().clear();
}

TEST_CASE("tape: ops on tensors that need no gradient record nothing") {
  Tape::current().clear();
  Tensor a = random_tensor({2, 2}, 68), b = random_tensor({2, 2}, 69);
  Tensor y = ops::matmul(a, b) + a;
  REQUIRE(Tape::current().size() == 0);
  REQUIRE_FALSE(y.requires_grad());
  REQUIRE_THROWS_AS(Tape::current().backward(y), ValueError);
}

TEST_CASE("tape: backward frees intermediate gradients but keeps leaf gradients") {
  Tape::current().clear();
  Tensor x = Tensor::from({2}, {1, 2});
  x.set_requires_grad(true);
  Tensor h = x * 3.0f;        // intermediate
  Tensor y = ops::sum(h * h);  // y = 9 (x1^2 + x2^2)
  REQUIRE(Tape::current().size() == 3);
  Tape::current().backward(y);
  REQUIRE(Tape::current().size() == 0);  // the tape is cleared
  REQUIRE(x.has_grad());
  check_close(Tensor(x.grad()), {18, 36});
  REQUIRE_FALSE(h.has_grad());
  // Leaf gradients accumulate over backward passes until zero_grad.
  Tape::current().backward(ops::sum(x));
  check_close(Tensor(x.grad()), {19, 37});
  x.zero_grad();
  REQUIRE_FALSE(x.has_grad());
  check_close(Tensor(x.grad()), {0, 0});
}

TEST_CASE("tape: a custom seed weights the output gradient") {
  Tensor x = Tensor::from({2}, {1, 2});
  x.set_requires_grad(true);
  Tensor y = ops::square(x);
  Tape::current().backward(y, Array(xt::xarray<float>({3.0f, -1.0f})));
  check_close(Tensor(x.grad()), {6, -4});
  Tensor z = ops::square(x);
  REQUIRE_THROWS_AS(Tape::current().backward(z, Array(xt::xarray<float>({1.0f}))), ValueError);
}

TEST_CASE("ops reject an undefined tensor with a ValueError instead of crashing") {
  Tensor u, x = Tensor::zeros({2, 2});
  REQUIRE_THROWS_AS(ops::relu(u), ValueError);
  REQUIRE_THROWS_AS(ops::add(x, u), ValueError);
  REQUIRE_THROWS_AS(ops::sum(u), ValueError);
  REQUIRE_THROWS_AS(ops::mean(u, {0}), ValueError);
  REQUIRE_THROWS_AS(ops::max(u), ValueError);
  REQUIRE_THROWS_AS(ops::variance(u), ValueError);
  REQUIRE_THROWS_AS(ops::reshape(u, Shape{1}), ValueError);
  REQUIRE_THROWS_AS(ops::transpose(u), ValueError);
  REQUIRE_THROWS_AS(ops::concatenate({x, u}), ValueError);
  REQUIRE_THROWS_AS(ops::slice(u, 0, 0, 1), ValueError);
  REQUIRE_THROWS_AS(ops::broadcast_to(u, {2}), ValueError);
  REQUIRE_THROWS_AS(ops::matmul(x, u), ValueError);
  REQUIRE_THROWS_AS(ops::linear(u, x, Tensor()), ValueError);
  REQUIRE_THROWS_AS(ops::softmax(u), ValueError);
  REQUIRE_THROWS_WITH(ops::l2_normalize(u), Catch::Matchers::Contains("l2_normalize"));
}
