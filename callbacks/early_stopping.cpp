// Keras 3's EarlyStopping (keras/src/callbacks/early_stopping.py), step for step: the wait counter
// grows every monitored epoch and restarts on an improvement by more than min_delta that also beats the
// baseline; training stops once wait >= patience (never after epoch 0).
#include <cmath>
#include <iostream>

#include "callbacks/monitor.hpp"
#include "xkeras/distributed.hpp"
#include "xkeras/callbacks.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::callbacks {

EarlyStopping::EarlyStopping(Options o) : o_(std::move(o)), min_delta_(std::fabs(o_.min_delta)) {
  if (o_.patience < 0) throw ValueError("EarlyStopping: patience must be >= 0, received " + std::to_string(o_.patience));
  if (o_.mode != "auto" && o_.mode != "min" && o_.mode != "max") {
    std::cerr << "WARNING: EarlyStopping mode " << o_.mode << " is unknown, fallback to auto mode.\n";
    o_.mode = "auto";
  }
}

void EarlyStopping::on_train_begin(Logs&) {
  wait_ = stopped_epoch_ = best_epoch_ = 0;
  best_.reset();
  best_weights_.clear();
  have_best_weights_ = false;
}

// Keras: monitor_op(value - min_delta, reference), with min_delta negated when lower is better.
bool EarlyStopping::is_improvement(double value, std::optional<double> reference) const {
  if (!reference) return true;
  return direction_ > 0 ? value - min_delta_ > *reference : value + min_delta_ < *reference;
}

void EarlyStopping::on_epoch_end(int epoch, Logs& logs) {
  if (direction_ == 0) {
    direction_ = monitor_direction(o_.monitor, o_.mode, "EarlyStopping");
    if (direction_ == 0)
      throw ValueError("EarlyStopping callback received monitor=" + o_.monitor +
                       " but xkeras isn't able to automatically determine whether that metric should be maximized or "
                       "minimized. Pass mode=\"max\" in order to do early stopping based on the highest metric value, "
                       "or pass mode=\"min\" in order to use the lowest value.");
  }
  if (!logs.contains(o_.monitor)) {
    std::string keys;
    for (const auto& kv : logs) keys += (keys.empty() ? "" : ",") + kv.first;
    std::cerr << "WARNING: Early stopping conditioned on metric `" << o_.monitor
              << "` which is not available. Available metrics are: " << keys << "\n";
    return;
  }
  if (epoch < o_.start_from_epoch) return;  // still warming up
  const double current = logs.at(o_.monitor);
  if (o_.restore_best_weights && !have_best_weights_) {  // never set: the current weights are the best
    best_weights_ = model().get_weights();
    have_best_weights_ = true;
    best_epoch_ = epoch;
  }
  ++wait_;
  if (is_improvement(current, best_)) {
    best_ = current;
    best_epoch_ = epoch;
    if (o_.restore_best_weights) best_weights_ = model().get_weights();
    // Only restart wait if we beat both the baseline and our previous best.
    if (!o_.baseline || is_improvement(current, o_.baseline)) wait_ = 0;
    return;
  }
  if (wait_ >= o_.patience && epoch > 0) {
    stopped_epoch_ = epoch;
    model().set_stop_training(true);
  }
}

void EarlyStopping::on_train_end(Logs&) {
  if (stopped_epoch_ > 0 && o_.verbose > 0 && distributed::is_chief()) std::cout << "Epoch " << stopped_epoch_ + 1 << ": early stopping\n";
  if (o_.restore_best_weights && have_best_weights_) {
    if (o_.verbose > 0 && distributed::is_chief()) std::cout << "Restoring model weights from the end of the best epoch: " << best_epoch_ + 1 << ".\n";
    model().set_weights(best_weights_);
  }
  std::cout << std::flush;
}

}  // namespace xkeras::callbacks
