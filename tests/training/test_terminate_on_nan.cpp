// fit's terminate_on_nan (on by default): a batch whose loss or gradient is NaN or Inf stops
// training at that batch, keeps the weights from before it, and says so. Before, fit went on and
// wrote NaN into every weight without a word.
#include <catch2/catch.hpp>

#include <cmath>
#include <iostream>
#include <limits>
#include <sstream>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

#include "support/cout_capture.hpp"
#include "support/gradcheck.hpp"

using namespace xkeras;
using Catch::Contains;

namespace {

using xkeras::testing::CoutCapture;

Model regressor(float lr, std::uint64_t seed = 4) {
  set_random_seed(seed);
  Sequential m({layers::Input({4}), layers::Dense(8, "relu"), layers::Dense(1)});
  m.compile(optimizers::SGD(lr), "mse");
  return m;
}

bool all_finite(const Model& m) {
  for (const auto& w : m.get_weights())
    for (float v : w)
      if (!std::isfinite(v)) return false;
  return true;
}

// 64 samples: 8 batches of 8 without shuffling; sample 43 (batch 5, 0-based) holds a NaN.
std::pair<Tensor, Tensor> data_with_nan_at(std::size_t row) {
  Tensor x = testing::random_tensor({64, 4}, 3);
  Tensor y = testing::random_tensor({64, 1}, 5);
  if (row < 64) x.data()[row * 4 + 2] = std::numeric_limits<float>::quiet_NaN();
  return {x, y};
}

}  // namespace

TEST_CASE("a NaN input stops fit at its batch, with the weights from before that batch") {
  const auto [x, y] = data_with_nan_at(43);
  Model m = regressor(0.01f);
  CoutCapture out;
  History h = m.fit(x, y, {.epochs = 3, .batch_size = 8, .shuffle = false, .verbose = 0});
  // The same model trained on the five clean batches before it.
  Model ref = regressor(0.01f);
  ref.fit(ops::slice(x, 0, 0, 40), ops::slice(y, 0, 0, 40), {.epochs = 1, .batch_size = 8, .shuffle = false, .verbose = 0});
  const auto w = m.get_weights(), wr = ref.get_weights();
  REQUIRE(w.size() == wr.size());
  for (std::size_t i = 0; i < w.size(); ++i) CHECK((w[i] == wr[i]));
  CHECK(all_finite(m));
  CHECK(h.epoch == std::vector<int>{0});  // the first epoch was the last
  CHECK(std::isnan(h["loss"][0]));        // and its logged loss says why, as Keras's history would
  CHECK_THAT(out.text.str(), Contains("Batch 6/8 of epoch 1") && Contains("loss is nan") &&
                                 Contains("terminate_on_nan") && Contains("weights are those from before"));
}

TEST_CASE("a learning rate of 1e6 stops fit before any weight becomes NaN or Inf") {
  const auto [x, y] = data_with_nan_at(1000);
  Model m = regressor(1e6f);
  CoutCapture out;
  History h = m.fit(x, y, {.epochs = 20, .batch_size = 8, .verbose = 0});
  CHECK(all_finite(m));
  CHECK(h.epoch.size() < 20);
  CHECK_THAT(out.text.str(), Contains("terminate_on_nan"));
  INFO(out.text.str());
}

TEST_CASE("terminate_on_nan = false keeps Keras's behaviour without the callback: training goes on") {
  const auto [x, y] = data_with_nan_at(43);
  Model m = regressor(0.01f);
  History h = m.fit(x, y, {.epochs = 2, .batch_size = 8, .shuffle = false, .verbose = 0, .terminate_on_nan = false});
  CHECK(h.epoch.size() == 2);
  CHECK(!all_finite(m));
}

TEST_CASE("a clean run is untouched by terminate_on_nan") {
  const auto [x, y] = data_with_nan_at(1000);
  Model a = regressor(0.01f), b = regressor(0.01f);
  a.fit(x, y, {.epochs = 3, .batch_size = 8, .shuffle = false, .verbose = 0});
  b.fit(x, y, {.epochs = 3, .batch_size = 8, .shuffle = false, .verbose = 0, .terminate_on_nan = false});
  const auto wa = a.get_weights(), wb = b.get_weights();
  for (std::size_t i = 0; i < wa.size(); ++i) CHECK((wa[i] == wb[i]));
}
