// EarlyStopping against Keras 3's own tests (keras/src/callbacks/early_stopping_test.py) and hand-worked
// sequences for min_delta and the baseline.
#include <catch2/catch.hpp>

#include <xkeras/callbacks.hpp>

#include "callbacks/callback_fixtures.hpp"
#include "support/cout_capture.hpp"

using namespace xkeras;
using callbacks::EarlyStopping;
using callbacks::EarlyStoppingOptions;

namespace {

// Feeds `values` as logs[monitor] epoch by epoch, as Keras's tests do, until the stopper stops training.
// Returns the number of epochs run.
int drive(EarlyStopping& stopper, Model& m, const std::string& monitor, const std::vector<double>& values,
          bool set_weights_to_epoch = false) {
  stopper.set_model(m.ptr());
  Logs none;
  stopper.on_train_begin(none);
  m.set_stop_training(false);
  int run = 0;
  for (std::size_t e = 0; e < values.size(); ++e) {
    ++run;
    if (set_weights_to_epoch) {  // Keras's DummyModel.set_weight_to_epoch
      auto w = m.get_weights();
      for (auto& a : w) a.fill(static_cast<float>(e));
      m.set_weights(w);
    }
    Logs logs{{monitor, values[e]}};
    stopper.on_epoch_end(static_cast<int>(e), logs);
    if (m.stop_training()) break;
  }
  stopper.on_train_end(none);
  return run;
}

}  // namespace

TEST_CASE("EarlyStopping stops after patience as in Keras test_EarlyStopping_patience") {
  const std::vector<double> losses = {10.0, 9.0, 8.0, 9.0, 8.9, 8.8, 8.7, 8.6, 8.5};
  for (int patience : {0, 1, 2, 3}) {
    Model m = cbtest::regressor(optimizers::SGD(0.01f));
    EarlyStopping stopper(EarlyStoppingOptions().with_monitor("loss").with_patience(patience));
    drive(stopper, m, "loss", losses);
    INFO("patience " << patience);
    CHECK(stopper.stopped_epoch() == std::max(patience, 1) + 2);
  }
}

TEST_CASE("EarlyStopping restores the best weights as in Keras's restore test") {
  Model m = cbtest::regressor(optimizers::SGD(0.01f));
  EarlyStopping stopper(EarlyStoppingOptions().with_patience(2).with_restore_best_weights(true));
  // The best configuration is epoch 2 (loss 0.1); patience 2 stops at epoch 4.
  const int run = drive(stopper, m, "val_loss", {0.2, 0.15, 0.1, 0.11, 0.12}, true);
  CHECK(run == 5);
  for (const auto& w : m.get_weights()) CHECK(w(0) == 2.0f);

  // No epoch beats the baseline: 5 epochs (patience), and the weights of the best epoch (2) come back.
  Model m2 = cbtest::regressor(optimizers::SGD(0.01f));
  EarlyStopping stopper2(EarlyStoppingOptions().with_patience(5).with_baseline(0.5).with_restore_best_weights(true));
  const int run2 = drive(stopper2, m2, "val_loss", {0.9, 0.8, 0.7, 0.71, 0.72, 0.73}, true);
  CHECK(run2 == 5);
  for (const auto& w : m2.get_weights()) CHECK(w(0) == 2.0f);
}

TEST_CASE("EarlyStopping min_delta makes small improvements count as none") {
  // min_delta 0.1, patience 2: epoch 1's 0.95 is within 0.1 of 1.0 (wait 1); epoch 2's 0.85 improves by
  // 0.15 (wait 0); epochs 3 and 4 improve by less than 0.1, so wait reaches 2 at epoch 4.
  Model m = cbtest::regressor(optimizers::SGD(0.01f));
  EarlyStopping stopper(EarlyStoppingOptions().with_monitor("loss").with_min_delta(0.1).with_patience(2));
  const int run = drive(stopper, m, "loss", {1.0, 0.95, 0.85, 0.8, 0.78, 0.7});
  CHECK(run == 5);
  CHECK(stopper.stopped_epoch() == 4);
  CHECK(stopper.best() == Approx(0.85));
  // The same sequence without min_delta improves every epoch and never stops.
  Model m2 = cbtest::regressor(optimizers::SGD(0.01f));
  EarlyStopping plain(EarlyStoppingOptions().with_monitor("loss").with_patience(2));
  CHECK(drive(plain, m2, "loss", {1.0, 0.95, 0.85, 0.8, 0.78, 0.7}) == 6);
}

TEST_CASE("EarlyStopping reads the direction from the metric and start_from_epoch waits") {
  Model m = cbtest::regressor(optimizers::SGD(0.01f));
  // Accuracy improves upwards: 0.5, 0.6, 0.55, 0.58 with patience 1 stops at epoch 2.
  EarlyStopping up(EarlyStoppingOptions().with_monitor("val_accuracy").with_patience(1));
  CHECK(drive(up, m, "val_accuracy", {0.5, 0.6, 0.55, 0.58}) == 3);
  // Keras's test_EarlyStopping_with_start_from_epoch: epochs before start_from_epoch are not monitored.
  EarlyStopping late(EarlyStoppingOptions().with_monitor("loss").with_patience(0).with_start_from_epoch(3));
  CHECK(drive(late, m, "loss", {1.0, 2.0, 3.0, 4.0, 5.0, 6.0}) == 5);  // monitored from epoch 3, stops at 4
  EarlyStopping unknown(EarlyStoppingOptions().with_monitor("my_score"));
  CHECK_THROWS_WITH(drive(unknown, m, "my_score", {1.0}), Catch::Contains("mode=\"max\""));
}

TEST_CASE("EarlyStopping in fit stops training and says so") {
  Model m = cbtest::regressor(optimizers::SGD(0.0f));  // a rate of 0: the loss never improves
  auto [x, y] = cbtest::make_data(16);
  auto stopper = std::make_shared<EarlyStopping>(EarlyStoppingOptions().with_monitor("loss").with_patience(2).with_verbose(1));
  testing::CoutCapture out;
  const History h = m.fit(x, y, FitOptions().with_epochs(10).with_batch_size(8).with_shuffle(false).with_verbose(0).with_callbacks({stopper}));
  CHECK(h.epoch == std::vector<int>{0, 1, 2});
  CHECK(out.text.str() == "Epoch 3: early stopping\n");
}
