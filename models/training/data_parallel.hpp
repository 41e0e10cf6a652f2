// fit's and evaluate's side of data parallelism (FitOptions::distribution): what the loops and the
// train step ask of the other ranks. The collectives themselves are in src/distributed/.
#pragma once

#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "distributed/gradient_buckets.hpp"
#include "xkeras/distributed.hpp"
#include "xkeras/layer.hpp"

namespace xkeras {
class ModelImpl;
struct CompiledState;
}  // namespace xkeras

namespace xkeras::training {

class DataParallelContext {
 public:
  explicit DataParallelContext(const distributed::DataParallel& options);
  /// More than one rank: the loops shard the data and the steps talk to the other ranks.
  bool active() const { return size_ > 1; }
  int rank() const { return rank_; }
  int size() const { return size_; }
  const distributed::DataParallel& options() const { return options_; }

  /// The train step's backward: runs the tape from `loss` with the seed `share` (this rank's part
  /// of the global batch, so the ranks' gradients add up to the global batch's), sums each
  /// trainable gradient over the ranks as it becomes final (tensor fusion, overlapped with the rest
  /// of the backward pass), and waits for the sums. Returns true when `bad_loss` held on any rank.
  bool backward(const Tensor& loss, double share, const std::vector<VariablePtr>& trainable, bool bad_loss);

  /// Sums over ranks in place (the loss and metric states behind the logs).
  void sum(std::vector<double>& values, const char* what);
  /// True on every rank when `flag` is true on any (stop_training and the like).
  bool any(bool flag, const char* what);

  /// At the start of fit: rank 0's `resume_epoch` (BackupAndRestore) and shuffling stream on every
  /// rank, and its weights and optimizer state when the model is built (broadcast_weights).
  void broadcast_state(ModelImpl& model, CompiledState& compiled, std::optional<int>& resume_epoch);
  /// Rank 0's weights and optimizer state (slots, iterations, scalars, learning rate) on every rank,
  /// once per fit: at its start, or at the first train step for a model that builds on its first call.
  /// ValueError when a rank's model or optimizer differs from rank 0's.
  void broadcast_weights(ModelImpl& model, CompiledState& compiled);
  /// Averages the non-trainable float weights over ranks (BatchNormalization's moving statistics,
  /// which each rank updates from its own rows unless synchronized), before callbacks read or save them.
  void average_non_trainable(ModelImpl& model);

 private:
  distributed::DataParallel options_;
  int rank_ = 0, size_ = 1;
  distributed::detail::GradientBuckets buckets_;
  std::vector<std::size_t> sizes_;
  std::vector<const TensorImpl*> watch_;
  bool weights_sent_ = false;
};

/// Runs `body`. With data parallelism over several ranks and abort_on_error, an exception from it (a
/// callback's, a wrong shape on one rank) prints this rank and the message and ends the job: the other
/// ranks would otherwise wait for this one in their next collective.
template <class F>
auto run_or_abort(const DataParallelContext* dp, const char* fn, F&& body) {
  if (!dp || !dp->active() || !dp->options().abort_on_error) return body();
  try {
    return body();
  } catch (const std::exception& e) {
    distributed::abort(std::string(fn) + " failed: " + e.what());
  } catch (...) {
    distributed::abort(std::string(fn) + " failed: an exception of unknown type");
  }
}

}  // namespace xkeras::training
