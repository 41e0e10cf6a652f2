#include "callbacks/monitor.hpp"

#include "xkeras/errors.hpp"

namespace xkeras::callbacks {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

int monitor_direction(const std::string& monitor, const std::string& mode, const std::string& who) {
  if (mode == "min") return -1;
  if (mode == "max") return +1;
  if (mode != "auto") throw ValueError(who + ": mode must be \"auto\", \"min\" or \"max\", received \"" + mode + "\"");
  std::string name = monitor.rfind("val_", 0) == 0 ? monitor.substr(4) : monitor;
  // Keras's metrics carry their direction; these are the names xkeras's metrics log, also as
  // "<output>_<name>" for a model with several outputs.
  static const char* const up[] = {"accuracy", "acc", "auc", "precision", "recall", "f1_score", "fbeta_score",
                                   "mean_io_u", "io_u", "top_k_categorical_accuracy",
                                   "sparse_top_k_categorical_accuracy"};
  static const char* const down[] = {"loss", "mae", "mse", "mean_absolute_error", "mean_squared_error"};
  for (const char* n : up)
    if (name == n || ends_with(name, std::string("_") + n)) return +1;
  for (const char* n : down)
    if (name == n || ends_with(name, std::string("_") + n)) return -1;
  return 0;
}

}  // namespace xkeras::callbacks
