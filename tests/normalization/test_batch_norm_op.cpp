// The fused batch-normalization ops: Keras's op-level test values, the batch moments, and
// central-difference gradient checks of x, gamma and beta in both modes.
#include <catch2/catch.hpp>

#include <cmath>

#include <xkeras/errors.hpp>
#include <xkeras/ops/normalization.hpp>

#include "support/gradcheck.hpp"

using namespace xkeras;
using xkeras::testing::check_close;
using xkeras::testing::check_gradients;
using xkeras::testing::random_tensor;

TEST_CASE("batch_norm_infer matches Keras's ops.batch_normalization test") {
  // keras/src/ops/nn_test.py::test_batch_normalization
  Tensor x = Tensor::from({2, 3}, {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f});
  Tensor mean = Tensor::from({3}, {0.2f, 0.3f, 0.4f});
  Tensor var = Tensor::from({3}, {4.0f, 16.0f, 64.0f});
  Tensor offset = Tensor::from({3}, {5.0f, 10.0f, 15.0f});
  Tensor scale = Tensor::from({3}, {10.0f, 20.0f, 30.0f});
  Tensor y = ops::batch_norm_infer(x, scale, offset, mean, var, -1, 1e-7f);
  check_close(y, {4.5f, 9.5f, 14.625f, 6.0f, 11.0f, 15.75f});

  // Without offset and scale, axis = 1.
  Tensor y2 = ops::batch_norm_infer(x, Tensor(), Tensor(), mean, var, 1, 1e-7f);
  check_close(y2, {-0.05f, -0.025f, -0.0125f, 0.1f, 0.05f, 0.025f});
}

TEST_CASE("batch_norm_train uses the batch mean and the biased variance") {
  // keras test_moments: x = [0, 1, 2, 3, 4, 100, -200] -> np.mean, np.var (population variance).
  Tensor x = Tensor::from({7, 1}, {0, 1, 2, 3, 4, 100, -200});
  Array m, v;
  Tensor y = ops::batch_norm_train(x, Tensor(), Tensor(), -1, 1e-3f, m, v);
  const double mean = -90.0 / 7.0, var = 50030.0 / 7.0 - mean * mean;
  REQUIRE(m.shape() == std::vector<std::size_t>{1});
  CHECK(m(0) == Approx(mean).epsilon(1e-6));
  CHECK(v(0) == Approx(var).epsilon(1e-6));
  const float xs[] = {0, 1, 2, 3, 4, 100, -200};
  std::vector<float> expected;
  for (float xi : xs) expected.push_back(static_cast<float>((xi - mean) / std::sqrt(var + 1e-3)));
  check_close(y, expected, 1e-5);
}

TEST_CASE("batch_norm_train normalizes per channel with gamma and beta (NHWC and channels-first)") {
  // Channel c of a (2, 2, 2) input along axis 1: values {x[0,c,:], x[1,c,:]}.
  Tensor x = Tensor::from({2, 2, 2}, {1, 3, 10, 20, 5, 7, 30, 40});
  Tensor gamma = Tensor::from({2}, {2.0f, 0.5f});
  Tensor beta = Tensor::from({2}, {1.0f, -1.0f});
  Array m, v;
  Tensor y = ops::batch_norm_train(x, gamma, beta, 1, 0.0f, m, v);
  // channel 0: {1, 3, 5, 7}: mean 4, var 5; channel 1: {10, 20, 30, 40}: mean 25, var 125
  check_close(Tensor(m), {4.0f, 25.0f});
  check_close(Tensor(v), {5.0f, 125.0f});
  const float s5 = std::sqrt(5.0f), s125 = std::sqrt(125.0f);
  check_close(y, {2 * (1 - 4) / s5 + 1, 2 * (3 - 4) / s5 + 1, 0.5f * (10 - 25) / s125 - 1, 0.5f * (20 - 25) / s125 - 1,
                  2 * (5 - 4) / s5 + 1, 2 * (7 - 4) / s5 + 1, 0.5f * (30 - 25) / s125 - 1, 0.5f * (40 - 25) / s125 - 1},
              1e-5);
}

TEST_CASE("batch_norm_train gradients of x, gamma and beta (2-D)") {
  Tensor x = random_tensor({6, 3}, 1, -2.0f, 2.0f);
  Tensor gamma = random_tensor({3}, 2, 0.5f, 1.5f);
  Tensor beta = random_tensor({3}, 3);
  Array m, v;
  check_gradients([&] { return ops::batch_norm_train(x, gamma, beta, -1, 1e-3f, m, v); }, {x, gamma, beta}, 1e-2, 2e-2,
                  3e-3);
}

TEST_CASE("batch_norm_train gradients of x, gamma and beta (4-D NHWC)") {
  Tensor x = random_tensor({2, 3, 3, 4}, 4, -2.0f, 2.0f);
  Tensor gamma = random_tensor({4}, 5, 0.5f, 1.5f);
  Tensor beta = random_tensor({4}, 6);
  Array m, v;
  check_gradients([&] { return ops::batch_norm_train(x, gamma, beta, -1, 1e-3f, m, v); }, {x, gamma, beta}, 1e-2, 2e-2,
                  3e-3);
}

TEST_CASE("batch_norm_train gradients with a middle channel axis and without gamma/beta") {
  Tensor x = random_tensor({3, 2, 4}, 7, -2.0f, 2.0f);
  Array m, v;
  check_gradients([&] { return ops::batch_norm_train(x, Tensor(), Tensor(), 1, 1e-3f, m, v); }, {x}, 1e-2, 2e-2, 3e-3);
}

TEST_CASE("batch_norm_infer gradients of x, gamma and beta, none for the moving statistics") {
  Tensor x = random_tensor({2, 3, 3, 4}, 8, -2.0f, 2.0f);
  Tensor gamma = random_tensor({4}, 9, 0.5f, 1.5f);
  Tensor beta = random_tensor({4}, 10);
  Tensor mm = random_tensor({4}, 11);
  Tensor mv = random_tensor({4}, 12, 0.5f, 2.0f);
  check_gradients([&] { return ops::batch_norm_infer(x, gamma, beta, mm, mv, 3, 1e-3f); }, {x, gamma, beta});
  CHECK_FALSE(mm.has_grad());
  CHECK_FALSE(mv.has_grad());
}

TEST_CASE("batch norm ops reject bad axes and parameter shapes") {
  Tensor x = Tensor::zeros({2, 3});
  Array m, v;
  CHECK_THROWS_AS(ops::batch_norm_train(x, Tensor(), Tensor(), 2, 1e-3f, m, v), ValueError);
  CHECK_THROWS_AS(ops::batch_norm_train(x, Tensor::zeros({2}), Tensor(), -1, 1e-3f, m, v), ValueError);
  CHECK_THROWS_AS(ops::batch_norm_infer(x, Tensor(), Tensor(), Tensor::zeros({3}), Tensor::zeros({4}), -1, 1e-3f),
                  ValueError);
  CHECK_THROWS_AS(ops::batch_norm_infer(Tensor::zeros({}), Tensor(), Tensor(), Tensor::zeros({1}), Tensor::zeros({1}), 0,
                                        1e-3f),
                  ValueError);
}

TEST_CASE("batch_norm_train on an empty batch returns an empty output without NaN statistics") {
  Tensor x = Tensor::zeros({0, 3});
  Array m, v;
  Tensor y = ops::batch_norm_train(x, Tensor(), Tensor(), -1, 1e-3f, m, v);
  CHECK(y.shape() == Shape{0, 3});
  for (std::size_t c = 0; c < 3; ++c) {
    CHECK(m(c) == 0.0f);
    CHECK(v(c) == 0.0f);
  }
}
