// Options and results of Model::fit / evaluate.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "xkeras/json.hpp"

#include "xkeras/tensor.hpp"

namespace xkeras {

/// (x, y) for validation; several inputs/outputs are vectors.
struct ValidationData {
  Tensors x;
  Tensors y;
};

/// Keras's fit arguments and defaults. Designated initializers must follow this order:
/// `model.fit(x, y, {.epochs = 5, .batch_size = 128, .validation_split = 0.1, .verbose = 2})`.
struct FitOptions {
  int epochs = 1;
  int batch_size = 32;              // ceil(N / batch_size) steps; the last partial batch is kept
  double validation_split = 0.0;    // the LAST N - floor(N (1 - split)) rows validate, split before shuffling
  std::optional<ValidationData> validation_data;  // overrides validation_split
  bool shuffle = true;              // reshuffled every epoch (the model's stream, seeded from the global one at compile)
  int verbose = 1;  // 0 silent, 1 progress bar, 2 one line per epoch
  int initial_epoch = 0;            // epochs run from initial_epoch to epochs - 1
  /// Keras's TerminateOnNaN callback, on by default: a batch whose loss or gradient is NaN or Inf
  /// stops training at that batch without applying it (the weights stay those from before it), and
  /// fit prints what happened; that epoch's logs (its loss NaN) end the history.
  bool terminate_on_nan = true;
};

/// What fit returns: per-key values per epoch, keys in Keras's order: "loss", the metrics
/// ("<output>_<metric>" with several outputs), "<output>_loss" per output (several outputs only),
/// then the same with "val_". `h["loss"]` throws ValueError for an unknown key.
struct History {
  std::vector<std::string> keys;
  std::map<std::string, std::vector<double>> history;
  std::vector<int> epoch;
  xkeras::json params;  // {"verbose", "epochs", "steps"}

  const std::vector<double>& operator[](const std::string& key) const;
};

}  // namespace xkeras
