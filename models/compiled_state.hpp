// What compile() fixes for a model: optimizer, one loss per output, metric specs; and Keras's
// compile_config JSON for saving and loading a compiled model.
#pragma once

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "xkeras/initializers.hpp"
#include "xkeras/losses.hpp"
#include "xkeras/metrics.hpp"
#include "xkeras/optimizers.hpp"

namespace xkeras {

struct CompiledState {
  Optimizer optimizer;
  /// One loss, applied to every output, or one per output.
  std::vector<Loss> losses;
  /// Applied to every output (named "<output>_<metric>" when the model has several outputs).
  std::vector<Metric> metrics;
  /// compile() received a list of losses (compile_config then writes a list).
  bool losses_as_list = false;
  /// fit's shuffling: the model's own stream, seeded from the global generator at compile time, so
  /// that training in one thread never races with (or depends on) another thread's draws.
  std::mt19937_64 shuffle_rng{draw_seed()};
  /// compile() received losses keyed by output name (`losses` is then empty).
  std::map<std::string, Loss> losses_by_output;
  /// Keras's loss_weights: one per output, or keyed by output name (both empty = every weight 1).
  std::vector<double> loss_weights;
  std::map<std::string, double> loss_weights_by_output;
  /// Metrics for one output each (added to `metrics`, which apply to every output).
  std::map<std::string, std::vector<Metric>> metrics_by_output;
  /// Metrics updated with the sample weights (Keras's weighted_metrics).
  std::vector<Metric> weighted_metrics;
};

/// Keras 3 compile_config: {"optimizer", "loss", "loss_weights": null, "metrics", "weighted_metrics": null,
/// "run_eagerly": false, "steps_per_execution": 1, "jit_compile": false}.
xkeras::json compile_config(const CompiledState& state);

/// Reads a compile_config (Keras 3, or tf.keras 2.x's training_config with the same keys).
/// Errors are ConfigErrors naming `path` (e.g. "compile_config.optimizer.config.beta_1").
std::shared_ptr<CompiledState> compiled_state_from_config(const xkeras::json& config, const std::string& path);

}  // namespace xkeras
