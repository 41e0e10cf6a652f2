// softmax, log_softmax and the two L2 normalisations (reference §2.6 and §5 give the Keras values).
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using Catch::Matchers::Contains;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

TEST_CASE("softmax: values along the last axis, the first axis, and for huge logits") {
  Tensor x = Tensor::from({2, 3}, {1, 2, 3, 1, 1, 1});
  check_close(ops::softmax(x), {0.090030573f, 0.24472847f, 0.66524096f, 1 / 3.0f, 1 / 3.0f, 1 / 3.0f});
  Tensor y = Tensor::from({2, 2}, {1, 2, 3, 5});
  check_close(ops::softmax(y, 0), {0.11920292f, 0.047425873f, 0.88079708f, 0.95257413f});
  // Stable: the max is subtracted, so 1000 does not overflow.
  check_close(ops::softmax(Tensor::from({3}, {1000, 1001, -1000})), {0.26894142f, 0.73105858f, 0.0f});
}

TEST_CASE("softmax: gradients along every axis") {
  Tensor x = random_tensor({2, 3, 4}, 51, -2.0f, 2.0f);
  check_gradients([&] { return ops::softmax(x, -1); }, {x});
  check_gradients([&] { return ops::softmax(x, 1); }, {x});
  check_gradients([&] { return ops::softmax(x, 0); }, {x});
}

TEST_CASE("log_softmax: values, stability and gradients") {
  Tensor x = Tensor::from({2, 3}, {1, 2, 3, 1, 1, 1});
  check_close(ops::log_softmax(x), {-2.407606f, -1.407606f, -0.40760596f, -1.0986123f, -1.0986123f, -1.0986123f});
  check_close(ops::log_softmax(Tensor::from({2, 2}, {1, 2, 3, 5}), 0),
              {-2.126928f, -3.0485874f, -0.12692801f, -0.048587352f});
  check_close(ops::log_softmax(Tensor::from({3}, {1000, 1001, -1000})), {-1.3132617f, -0.31326169f, -2001.3133f});
  Tensor r = random_tensor({3, 2, 4}, 52, -2.0f, 2.0f);
  check_gradients([&] { return ops::log_softmax(r, -1); }, {r});
  check_gradients([&] { return ops::log_softmax(r, 1); }, {r});
  check_gradients([&] { return ops::log_softmax(r, -3); }, {r});
}

TEST_CASE("softmax and log_softmax reject a bad axis naming the shape") {
  Tensor x = Tensor::zeros({2, 2});
  REQUIRE_THROWS_AS(ops::softmax(x, 2), ValueError);
  REQUIRE_THROWS_WITH(ops::softmax(x, 2), Contains("softmax") && Contains("(2, 2)"));
  REQUIRE_THROWS_WITH(ops::log_softmax(x, -3), Contains("log_softmax") && Contains("axis -3") && Contains("(2, 2)"));
  REQUIRE_THROWS_AS(ops::softmax(Tensor::scalar(1)), ValueError);
}

TEST_CASE("l2_normalize and unit_normalize: Keras test_normalize values") {
  Tensor x = Tensor::from({2, 3}, {1, 2, 3, 1, 2, 3});
  const std::vector<float> last = {0.26726124f, 0.53452247f, 0.8017837f, 0.26726124f, 0.53452247f, 0.8017837f};
  check_close(ops::l2_normalize(x, {-1}), last);
  check_close(ops::unit_normalize(x, {-1}), last);
  check_close(ops::l2_normalize(x, {0}), std::vector<float>(6, 0.70710677f));
  check_close(ops::unit_normalize(x, {0}), std::vector<float>(6, 0.70710677f));
  const std::vector<float> whole = {0.18898225f, 0.3779645f, 0.56694674f, 0.18898225f, 0.3779645f, 0.56694674f};
  check_close(ops::unit_normalize(x, {}), whole);
  check_close(ops::l2_normalize(x, {0, 1}), whole);
  // ops.normalize docstring
  check_close(ops::unit_normalize(Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6})),
              {0.26726124f, 0.5345225f, 0.8017837f, 0.45584232f, 0.5698029f, 0.68376344f});
}

TEST_CASE("l2_normalize clamps the squared sum, unit_normalize clamps the norm") {
  // Keras test_normalize: [[1e-6, 1e-8]], epsilon 1e-5 -> [[0.1, 1e-3]] (norm clamped at 1e-5).
  Tensor tiny = Tensor::from({1, 2}, {1e-6f, 1e-8f});
  check_close(ops::unit_normalize(tiny, {-1}, 1e-5f), {0.1f, 0.001f});
  // TF semantics on the same input: x * rsqrt(1e-5) -> [[3.1622777e-4, 3.1622777e-6]].
  check_close(ops::l2_normalize(tiny, {-1}, 1e-5f), {3.1622777e-4f, 3.1622777e-6f});
  // Reference §2.6: [1e-7, 0] -> [0.1, 0] under TF (eps 1e-12 on the squared sum), [1, 0] under Keras >= 3.6.
  Tensor v = Tensor::from({2}, {1e-7f, 0.0f});
  check_close(ops::l2_normalize(v), {0.1f, 0.0f});
  check_close(ops::unit_normalize(v), {1.0f, 0.0f});
  // An all-zero input gives zeros, not NaN.
  check_close(ops::l2_normalize(Tensor::zeros({2, 3})), std::vector<float>(6, 0.0f));
  check_close(ops::unit_normalize(Tensor::zeros({2, 3})), std::vector<float>(6, 0.0f));
  REQUIRE_THROWS_AS(ops::l2_normalize(v, {-1}, -1.0f), ValueError);
}

TEST_CASE("l2_normalize and unit_normalize: gradients without the clamp") {
  Tensor x = random_tensor({3, 4}, 53);
  check_gradients([&] { return ops::l2_normalize(x, {-1}); }, {x});
  check_gradients([&] { return ops::unit_normalize(x, {-1}); }, {x});
  check_gradients([&] { return ops::l2_normalize(x, {0}); }, {x});
  check_gradients([&] { return ops::unit_normalize(x, {}); }, {x});
}

TEST_CASE("l2_normalize and unit_normalize: the clamped branch has gradient g * scale") {
  // Row 0 has sum(x^2) = 0.98, far above the floor 0.01; row 1 has 7.25e-4, far below it even after
  // a 1e-2 finite-difference step. l2_normalize's floor is epsilon, unit_normalize's is epsilon^2.
  Tensor x = Tensor::from({2, 3}, {0.5f, -0.8f, 0.3f, 0.01f, -0.02f, 0.015f});
  check_gradients([&] { return ops::l2_normalize(x, {-1}, 0.01f); }, {x});
  check_gradients([&] { return ops::unit_normalize(x, {-1}, 0.1f); }, {x});
  // Clamped: y = x / 0.1, so with dL/dy = 1 every dL/dx = 10.
  Tensor c = Tensor::from({1, 3}, {0.01f, -0.02f, 0.015f});
  c.set_requires_grad(true);
  Tape::current().backward(ops::unit_normalize(c, {-1}, 0.1f));
  check_close(Tensor(c.grad()), {10, 10, 10});
  // Unclamped: dL/dx = r (g - y sum(g y)) with g = 1; for x = [3, 4]: r = 1/5, y = [0.6, 0.8],
  // sum(g y) = 1.4 -> [0.2 (1 - 0.84), 0.2 (1 - 1.12)] = [0.032, -0.024].
  Tensor u = Tensor::from({1, 2}, {3, 4});
  u.set_requires_grad(true);
  Tape::current().backward(ops::l2_normalize(u));
  check_close(Tensor(u.grad()), {0.032f, -0.024f});
  // The gradient at an all-zero input is finite (the clamped scale, 1 / epsilon).
  Tensor z = Tensor::zeros({1, 2});
  z.set_requires_grad(true);
  Tape::current().backward(ops::unit_normalize(z, {-1}, 1e-6f));
  for (float g : Tensor(z.grad()).to_vector()) REQUIRE(std::isfinite(g));
  check_close(Tensor(z.grad()), {1e6f, 1e6f});
}

TEST_CASE("l2_normalize and unit_normalize over axes {1, 2} of a 4-D tensor") {
  Tensor x = random_tensor({2, 3, 2, 2}, 54);
  Tensor y = ops::unit_normalize(x, {1, 2});
  REQUIRE(y.shape() == x.shape());
  // Each (batch, last-axis) group of 3 x 2 values has unit norm.
  check_close(ops::sum(ops::square(y), {1, 2}), std::vector<float>(4, 1.0f));
  check_close(ops::l2_normalize(x, {2, 1}), y.to_vector());
  check_gradients([&] { return ops::unit_normalize(x, {1, 2}); }, {x});
  check_gradients([&] { return ops::l2_normalize(x, {-3, -1}); }, {x});
  REQUIRE_THROWS_WITH(ops::l2_normalize(x, {4}), Contains("l2_normalize") && Contains("(2, 3, 2, 2)"));
  REQUIRE_THROWS_WITH(ops::unit_normalize(x, {1, -3}), Contains("unit_normalize") && Contains("repeated"));
}
