// Options and results of Model::fit / evaluate / predict.
//
// Every option struct can be written with designated initializers in declaration order,
// `model.fit(x, y, {.epochs = 5, .batch_size = 128, .validation_split = 0.1, .verbose = 2})`, or with
// chained setters in any order, `FitOptions().with_verbose(2).with_epochs(5)` (xkeras/options.hpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "xkeras/callback.hpp"
#include "xkeras/distributed.hpp"
#include "xkeras/json.hpp"
#include "xkeras/options.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras {

/// (x, y[, sample_weight]) for validation; several inputs/outputs are vectors.
struct ValidationData {
  Tensors x;
  Tensors y;
  Tensor sample_weight;  // per sample, shape (N,); undefined = every sample weighs 1
};

using Callbacks = std::vector<callbacks::CallbackRef>;
/// class index -> weight (Keras's class_weight dict).
using ClassWeight = std::map<int, double>;

/// Keras's fit arguments and defaults.
struct FitOptions {
  XKERAS_OPTION(int, epochs, 1)
  XKERAS_OPTION(int, batch_size, 32)            // ceil(N / batch_size) steps; the last partial batch is kept
  /// The LAST N - floor(N (1 - split)) rows validate, split before shuffling.
  XKERAS_OPTION(double, validation_split, 0.0)
  XKERAS_OPTION(std::optional<ValidationData>, validation_data)  // overrides validation_split
  /// Reshuffled every epoch (the model's stream, seeded from the global one at compile).
  XKERAS_OPTION(bool, shuffle, true)
  XKERAS_OPTION(int, verbose, 1)  // 0 silent, 1 progress bar, 2 one line per epoch
  XKERAS_OPTION(int, initial_epoch, 0)  // epochs run from initial_epoch to epochs - 1
  /// Run in Keras's order after the user's callbacks: History, then the progress bar (unless given here).
  XKERAS_OPTION(Callbacks, callbacks)
  /// Per-sample weights of the training data, shape (N,) (Keras's sample_weight).
  XKERAS_OPTION(Tensor, sample_weight)
  /// Weights per class index, applied to each sample through its target's class (Keras's class_weight).
  XKERAS_OPTION(ClassWeight, class_weight)
  /// Steps per epoch (0 = one pass over the data). With fewer steps than batches, the next epoch goes on
  /// where the last one stopped; the data is reshuffled only when it is used up (Keras's EpochIterator).
  XKERAS_OPTION(int, steps_per_epoch, 0)
  XKERAS_OPTION(int, validation_steps, 0)  // validation batches per epoch (0 = all)
  /// xkeras's guard, on by default: a batch whose loss or gradient is NaN or Inf stops training at
  /// that batch without applying it (the weights stay those from before it), and fit prints what
  /// happened; that epoch's logs (its loss NaN) end the history. Keras's own TerminateOnNaN callback
  /// (callbacks::TerminateOnNaN) stops after the batch instead.
  XKERAS_OPTION(bool, terminate_on_nan, true)
  /// Data parallelism over the processes mpirun started (xkeras/distributed.hpp): batch_size is then
  /// the global batch, each rank trains on its share of it, and the logs are those of the whole batch.
  /// Without mpirun (one process) it changes nothing.
  XKERAS_OPTION(std::optional<distributed::DataParallel>, distribution)
};

/// Keras's evaluate arguments (verbose defaults to 0 here, as the positional overload).
struct EvaluateOptions {
  XKERAS_OPTION(int, batch_size, 32)
  XKERAS_OPTION(int, verbose, 0)
  XKERAS_OPTION(Tensor, sample_weight)  // per sample, shape (N,)
  XKERAS_OPTION(int, steps, 0)          // batches to run (0 = all)
  XKERAS_OPTION(Callbacks, callbacks)
  /// Each rank evaluates its share of every batch; the results are those of the whole data.
  XKERAS_OPTION(std::optional<distributed::DataParallel>, distribution)
};

/// Keras's predict arguments.
struct PredictOptions {
  XKERAS_OPTION(int, batch_size, 32)
  XKERAS_OPTION(int, verbose, 0)
  XKERAS_OPTION(int, steps, 0)  // batches to run (0 = all)
  XKERAS_OPTION(Callbacks, callbacks)
};

/// Keras's History callback, which fit always runs and returns: per-key values per epoch, keys in
/// Keras's order: "loss", the metrics ("<output>_<metric>" with several outputs), "<output>_loss" per
/// output (several outputs only), then the same with "val_", then keys callbacks added ("learning_rate").
/// `h["loss"]` throws ValueError for an unknown key.
class History : public callbacks::Callback {
 public:
  std::vector<std::string> keys;
  std::map<std::string, std::vector<double>> history;
  std::vector<int> epoch;
  xkeras::json params;  // {"verbose", "epochs", "steps"}

  const std::vector<double>& operator[](const std::string& key) const;

  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
};

}  // namespace xkeras
