// Keras 3's ProgbarLogger (keras/src/callbacks/progbar_logger.py) over training::Progbar: one bar per
// epoch in fit (validation draws none), one per evaluate/predict call outside fit.
#include <iostream>
#include <memory>

#include "models/training/progbar.hpp"
#include "xkeras/callbacks.hpp"

namespace xkeras::callbacks {

struct ProgbarLogger::State {
  std::unique_ptr<training::Progbar> bar;
  bool called_in_fit = false;
  int seen = 0;
};

namespace {

int param_int(const json& p, const char* key, int fallback) {
  return p.contains(key) && p[key].is_number_integer() ? p[key].get<int>() : fallback;
}

}  // namespace

ProgbarLogger::ProgbarLogger() : s_(std::make_unique<State>()) {}
ProgbarLogger::ProgbarLogger(ProgbarLogger&&) noexcept = default;
ProgbarLogger::~ProgbarLogger() = default;

void ProgbarLogger::on_train_begin(Logs&) { s_->called_in_fit = true; }

void ProgbarLogger::on_epoch_begin(int epoch, Logs&) {
  const int verbose = param_int(params(), "verbose", 1), epochs = param_int(params(), "epochs", 1);
  s_->seen = 0;
  s_->bar = std::make_unique<training::Progbar>(param_int(params(), "steps", -1), verbose, std::cout,
                                                training::stdout_is_tty());
  if (verbose && epochs > 1) std::cout << "Epoch " << epoch + 1 << "/" << epochs << "\n" << std::flush;
}

void ProgbarLogger::on_train_batch_end(int batch, Logs& logs) {
  s_->seen = batch + 1;
  if (s_->bar && param_int(params(), "verbose", 1) == 1) s_->bar->update(s_->seen, logs, false);
}

// The bar's target is the step count, or what was seen when the count was unknown (a generator).
void ProgbarLogger::on_epoch_end(int, Logs& logs) {
  if (!s_->bar) return;
  if (param_int(params(), "steps", -1) < 0) s_->bar->set_target(s_->seen);
  s_->bar->update(param_int(params(), "steps", -1) < 0 ? s_->seen : param_int(params(), "steps", -1), logs, true);
  s_->bar.reset();
}

void ProgbarLogger::on_test_begin(Logs& logs) {
  if (s_->called_in_fit) return;
  Logs none;
  on_epoch_begin(0, none);  // one bar, no "Epoch" line (epochs is 1 outside fit)
}

void ProgbarLogger::on_test_batch_end(int batch, Logs& logs) {
  if (!s_->called_in_fit) on_train_batch_end(batch, logs);
}

void ProgbarLogger::on_test_end(Logs& logs) {
  if (!s_->called_in_fit) on_epoch_end(0, logs);
}

void ProgbarLogger::on_predict_begin(Logs&) {
  Logs none;
  on_epoch_begin(0, none);
}

void ProgbarLogger::on_predict_batch_end(int batch, Logs&) {
  Logs none;
  on_train_batch_end(batch, none);
}

void ProgbarLogger::on_predict_end(Logs&) {
  Logs none;
  on_epoch_end(0, none);
}

}  // namespace xkeras::callbacks
