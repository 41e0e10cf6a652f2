// Keras's compile() arguments that go beyond (optimizer, loss, metrics): losses, loss weights and
// metrics keyed by output name, and weighted_metrics; and name-keyed data for fit/evaluate/predict.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "xkeras/losses.hpp"
#include "xkeras/metrics.hpp"
#include "xkeras/options.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras {

/// Tensors keyed by input layer name (x) or output layer name (y), as Keras's dicts.
using NamedTensors = std::map<std::string, Tensor>;
using NamedLosses = std::map<std::string, Loss>;
using NamedLossWeights = std::map<std::string, double>;
using NamedMetrics = std::map<std::string, std::vector<Metric>>;

/// model.compile(optimizer, CompileOptions().with_loss_by_output({{"out_a", "mse"}, {"out_b", "mae"}})
///                                          .with_loss_weights_by_output({{"out_a", 1.0}, {"out_b", 0.5}}));
/// Give either the list or the by-output form of each argument, not both. The total loss is
/// sum_i loss_weights[i] * loss_i (+ regularization), as in Keras.
struct CompileOptions {
  XKERAS_OPTION(std::vector<Loss>, loss)  // one for every output, or one per output
  XKERAS_OPTION(NamedLosses, loss_by_output)
  XKERAS_OPTION(std::vector<double>, loss_weights)  // one per output (empty = all 1)
  XKERAS_OPTION(NamedLossWeights, loss_weights_by_output)
  XKERAS_OPTION(std::vector<Metric>, metrics)  // applied to every output
  XKERAS_OPTION(NamedMetrics, metrics_by_output)
  /// Metrics that use the sample weights (Keras's weighted_metrics); `metrics` ignore them.
  XKERAS_OPTION(std::vector<Metric>, weighted_metrics)
};

}  // namespace xkeras
