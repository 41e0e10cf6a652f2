// One pass of training or evaluation over batches: the train and test steps and the running
// loss/metric trackers whose values fill the logs (Keras's train_step/test_step + metrics).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/compiled_state.hpp"
#include "models/training/data_parallel.hpp"
#include "models/training/progbar.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::training {

class Runner {
 public:
  Runner(ModelImpl& model, CompiledState& compiled);

  /// What a guarded train step found wrong ("" when the step was applied).
  struct StepProblem {
    std::string what;  // "the loss is nan", "the gradient of dense/kernel is inf", ...
  };
  /// Keras's train_step: forward in training mode, loss (+ regularization penalties), backward,
  /// optimizer step, then the trackers with the pre-update predictions. With `guard`
  /// (fit's terminate_on_nan), a non-finite loss or gradient skips the optimizer step and is
  /// returned instead; the loss is tracked either way, so the logs show it.
  /// `sample_weight` (per sample, undefined = none) weighs each sample's loss.
  StepProblem train_step(const Tensors& x, const Tensors& y, const Tensor& sample_weight, bool guard = false);
  /// Data parallelism (null = none): train_step then sums the gradients over the ranks, `share`
  /// being this rank's part of the global batch, and logs() sums the loss and metric states.
  void set_data_parallel(DataParallelContext* dp, double share = 1.0) {
    dp_ = dp;
    share_ = share;
  }
  /// Keras's test_step: forward in inference mode without the tape, loss and trackers.
  void test_step(const Tensors& x, const Tensors& y, const Tensor& sample_weight = Tensor());

  /// Clears the running means (each epoch and each evaluation starts afresh).
  void reset();
  /// Keras's log order: "loss", the metrics ("<output>_<metric>" with several outputs), then the
  /// per-output losses "<output>_loss" (only with several outputs); each key gets `prefix`.
  Logs logs(const std::string& prefix = "");

 private:
  /// Builds a model that has no weights yet (a Sequential without Input) with one inference call,
  /// then collects the weight lists the steps need.
  void prepare(const Tensors& x);
  /// Resolves compile()'s per-output or name-keyed losses, loss weights and metrics for the outputs.
  void resolve_outputs();
  /// sum_i w_i * loss_i plus the regularization penalties; records each output's unweighted loss.
  Tensor total_loss(const Tensors& y, const Tensors& y_pred, const Tensor& sample_weight, std::vector<double>& per_output);
  void track(const Tensors& y, const Tensors& y_pred, const Tensor& sample_weight, double loss,
             const std::vector<double>& per_output);

  ModelImpl& model_;
  CompiledState& compiled_;
  bool prepared_ = false;
  std::vector<VariablePtr> weights_, trainable_, regularized_;
  std::vector<bool> is_trainable_;     // per weights_ entry
  std::vector<std::string> output_names_;
  std::vector<Loss> losses_;         // per output
  std::vector<double> loss_weights_;  // per output
  struct OutputMetrics {
    std::vector<Metric> specs, weighted_specs;
    std::vector<std::shared_ptr<metrics::MetricImpl>> plain, weighted;  // built on first use
  };
  std::vector<OutputMetrics> metrics_;  // per output
  double loss_sum_ = 0, seen_ = 0;
  std::vector<double> output_loss_sum_;
  std::vector<double> per_output_;  // reused per step
  DataParallelContext* dp_ = nullptr;
  double share_ = 1.0;
  Logs local_logs(const std::string& prefix) const;
  /// The running sums behind the logs (loss, per-output losses, metric states), in one order;
  /// `all_summable` is false when some metric has no summable state.
  std::vector<std::pair<double*, std::size_t>> summable_state(bool& all_summable);
};

}  // namespace xkeras::training
