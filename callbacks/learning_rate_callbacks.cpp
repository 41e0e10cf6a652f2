// Keras 3's ReduceLROnPlateau and LearningRateScheduler (keras/src/callbacks/reduce_lr_on_plateau.py,
// learning_rate_scheduler.py). Both write the optimizer's learning rate, which an optimizer built on a
// LearningRateSchedule refuses (as Keras does).
#include <iostream>
#include <limits>

#include "xkeras/distributed.hpp"
#include "xkeras/callbacks.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::callbacks {

ReduceLROnPlateau::ReduceLROnPlateau(Options o) : o_(std::move(o)) {
  if (o_.factor >= 1.0)
    throw ValueError("ReduceLROnPlateau does not support a factor >= 1.0. Received factor=" + python_float_str(o_.factor));
  reset();
}

// Keras: "min" mode, or "auto" with a monitor whose name lacks "acc", means lower is better.
void ReduceLROnPlateau::reset() {
  if (o_.mode != "auto" && o_.mode != "min" && o_.mode != "max") {
    std::cerr << "WARNING: Learning rate reduction mode " << o_.mode << " is unknown, fallback to auto mode.\n";
    o_.mode = "auto";
  }
  lower_is_better_ = o_.mode == "min" || (o_.mode == "auto" && o_.monitor.find("acc") == std::string::npos);
  best_ = lower_is_better_ ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  cooldown_counter_ = 0;
  wait_ = 0;
}

void ReduceLROnPlateau::on_train_begin(Logs&) { reset(); }

void ReduceLROnPlateau::on_epoch_end(int epoch, Logs& logs) {
  Optimizer opt = model().optimizer();
  logs.set("learning_rate", opt->learning_rate());
  if (!logs.contains(o_.monitor)) {
    std::string keys;
    for (const auto& kv : logs) keys += (keys.empty() ? "" : ",") + kv.first;
    std::cerr << "WARNING: Learning rate reduction is conditioned on metric `" << o_.monitor
              << "` which is not available. Available metrics are: " << keys << ".\n";
    return;
  }
  const double current = logs.at(o_.monitor);
  if (cooldown_counter_ > 0) {
    --cooldown_counter_;
    wait_ = 0;
  }
  const bool improved = lower_is_better_ ? current < best_ - o_.min_delta : current > best_ + o_.min_delta;
  if (improved) {
    best_ = current;
    wait_ = 0;
  } else if (cooldown_counter_ == 0) {
    ++wait_;
    if (wait_ >= o_.patience) {
      const double old_lr = opt->learning_rate();
      if (old_lr > static_cast<double>(static_cast<float>(o_.min_lr))) {
        const double new_lr = std::max(old_lr * o_.factor, o_.min_lr);
        opt->set_learning_rate(static_cast<float>(new_lr));
        if (o_.verbose > 0 && distributed::is_chief())
          std::cout << "\nEpoch " << epoch + 1 << ": ReduceLROnPlateau reducing learning rate to "
                    << python_float_str(new_lr) << ".\n" << std::flush;
        cooldown_counter_ = o_.cooldown;
        wait_ = 0;
      }
    }
  }
}

LearningRateScheduler::LearningRateScheduler(Schedule schedule, int verbose)
    : schedule_(std::move(schedule)), verbose_(verbose) {
  if (!schedule_) throw ValueError("LearningRateScheduler: the schedule function is empty");
}

void LearningRateScheduler::on_epoch_begin(int epoch, Logs&) {
  Optimizer opt = model().optimizer();
  const double lr = schedule_(epoch, opt->learning_rate());
  if (!std::isfinite(lr))
    throw ValueError("LearningRateScheduler: the schedule returned " + python_float_str(lr) + " for epoch " +
                     std::to_string(epoch) + "; expected a finite learning rate");
  opt->set_learning_rate(static_cast<float>(lr));
  if (verbose_ > 0 && distributed::is_chief())
    std::cout << "\nEpoch " << epoch + 1 << ": LearningRateScheduler setting learning rate to " << python_float_str(lr)
              << ".\n" << std::flush;
}

void LearningRateScheduler::on_epoch_end(int, Logs& logs) { logs.set("learning_rate", model().optimizer()->learning_rate()); }

}  // namespace xkeras::callbacks
