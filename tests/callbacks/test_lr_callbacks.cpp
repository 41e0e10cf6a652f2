// ReduceLROnPlateau and LearningRateScheduler against Keras 3's tests
// (keras/src/callbacks/reduce_lr_on_plateau_test.py, learning_rate_scheduler_test.py): SGD(0.01),
// min_delta so large that only the first epoch counts as an improvement.
#include <catch2/catch.hpp>

#include <xkeras/callbacks.hpp>

#include "callbacks/callback_fixtures.hpp"
#include "support/cout_capture.hpp"

using namespace xkeras;
using callbacks::ReduceLROnPlateau;
using callbacks::ReduceLROnPlateauOptions;

namespace {

float fit_with(const callbacks::CallbackPtr& cb, int epochs, History* h = nullptr) {
  Model m = cbtest::regressor(optimizers::SGD(0.01f));
  auto [x, y] = cbtest::make_data(20);
  auto [xv, yv] = cbtest::make_data(6, 9);
  const History hist = m.fit(x, y, FitOptions().with_epochs(epochs).with_batch_size(5).with_verbose(0)
                                        .with_validation_data(ValidationData{{xv}, {yv}}).with_callbacks({cb}));
  if (h) *h = hist;
  return m.optimizer()->learning_rate();
}

}  // namespace

TEST_CASE("ReduceLROnPlateau reduces after patience as in Keras test_reduces_lr_with_model_fit") {
  auto cb = std::make_shared<ReduceLROnPlateau>(ReduceLROnPlateauOptions().with_patience(1).with_factor(0.1).with_min_delta(100));
  History h;
  CHECK(fit_with(cb, 2, &h) == Approx(0.001f));
  // The rate is logged at every epoch end, before any reduction of that epoch.
  REQUIRE(h.history.count("learning_rate"));
  CHECK(h["learning_rate"][0] == Approx(0.01));
  CHECK(h["learning_rate"][1] == Approx(0.01));
}

TEST_CASE("ReduceLROnPlateau honors min_lr as in Keras test_honors_min_lr") {
  auto cb = std::make_shared<ReduceLROnPlateau>(
      ReduceLROnPlateauOptions().with_patience(1).with_factor(0.1).with_min_delta(10).with_min_lr(0.005));
  CHECK(fit_with(cb, 4) == Approx(0.005f));
}

TEST_CASE("ReduceLROnPlateau cooldown reduces every other epoch as in Keras test_cooldown") {
  // Epoch 0 improves; epoch 1 reduces (cooldown 2); epoch 2 is in cooldown; epoch 3 reduces again.
  auto cb = std::make_shared<ReduceLROnPlateau>(
      ReduceLROnPlateauOptions().with_patience(1).with_factor(0.1).with_min_delta(100).with_cooldown(2));
  CHECK(fit_with(cb, 4) == Approx(0.0001f));
  CHECK(cb->cooldown_counter() == 2);
}

TEST_CASE("ReduceLROnPlateau refuses a factor of 1 and says when it reduces") {
  CHECK_THROWS_WITH(ReduceLROnPlateau(ReduceLROnPlateauOptions().with_factor(1.0)),
                    "ReduceLROnPlateau does not support a factor >= 1.0. Received factor=1.0");
  auto cb = std::make_shared<ReduceLROnPlateau>(
      ReduceLROnPlateauOptions().with_patience(1).with_factor(0.5).with_min_delta(100).with_verbose(1));
  testing::CoutCapture out;
  fit_with(cb, 2);
  CHECK(out.text.str() == "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.004999999888241291.\n");
}

TEST_CASE("LearningRateScheduler sets the rate each epoch as in Keras test_updates_learning_rate") {
  auto cb = std::make_shared<callbacks::LearningRateScheduler>([](int epoch, double) { return 1.0 / (2.0 + epoch); });
  CHECK(fit_with(cb, 1) == 0.5f);
  History h;
  auto cb2 = std::make_shared<callbacks::LearningRateScheduler>([](int epoch, double lr) { return epoch == 0 ? lr : lr * 0.5; });
  CHECK(fit_with(cb2, 3, &h) == Approx(0.0025f));
  CHECK(h["learning_rate"] == std::vector<double>{0.009999999776482582, 0.004999999888241291, 0.0024999999441206455});
}

TEST_CASE("TerminateOnNaN stops after the batch whose loss is not finite") {
  Model m = cbtest::regressor(optimizers::SGD(0.01f));
  auto [x, y] = cbtest::make_data(16);
  x.mutable_value()(9, 0) = std::numeric_limits<float>::quiet_NaN();  // batch 2 of 4 rows, without shuffling
  testing::CoutCapture out;
  const History h = m.fit(x, y, FitOptions().with_epochs(3).with_batch_size(4).with_shuffle(false).with_verbose(0)
                                    .with_terminate_on_nan(false)
                                    .with_callbacks({std::make_shared<callbacks::TerminateOnNaN>()}));
  CHECK(out.text.str() == "Batch 2: Invalid loss, terminating training\n");
  CHECK(h.epoch == std::vector<int>{0});
  CHECK(m.optimizer()->iterations() == 3);  // Keras applies the batch, then stops
}

TEST_CASE("the learning-rate callbacks refuse an optimizer driven by a schedule as Keras does") {
  Model m = cbtest::regressor(optimizers::SGD(optimizers::schedules::ExponentialDecay(0.1, 10, 0.5)));
  auto [x, y] = cbtest::make_data(8);
  auto fit_with_cb = [&](callbacks::CallbackRef cb) {
    m.fit(x, y, FitOptions().with_epochs(2).with_batch_size(4).with_verbose(0).with_callbacks({cb}));
  };
  CHECK_THROWS_AS(fit_with_cb(callbacks::LearningRateScheduler([](int, double lr) { return lr; })), ValueError);
  // ReduceLROnPlateau only writes when it reduces: patience 0 with a min_delta nothing meets reduces at epoch 1.
  CHECK_THROWS_AS(fit_with_cb(ReduceLROnPlateau(ReduceLROnPlateauOptions().with_monitor("loss").with_patience(0)
                                                    .with_min_delta(1e9))),
                  ValueError);
}
