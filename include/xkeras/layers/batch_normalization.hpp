// BatchNormalization: normalizes each channel with the batch's statistics while training and
// with moving averages of them at inference (Keras's layers.BatchNormalization).
#pragma once

#include <string>

#include "xkeras/layer.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// Keras's BatchNormalization keyword arguments, with Keras's defaults.
struct BatchNormalizationOptions {
  XKERAS_OPTION(int, axis, -1)       ///< the channel axis (negative counts from the end)
  XKERAS_OPTION(float, momentum, 0.99f)
  XKERAS_OPTION(float, epsilon, 1e-3f)
  XKERAS_OPTION(bool, center, true)  ///< learn beta
  XKERAS_OPTION(bool, scale, true)   ///< learn gamma
  XKERAS_OPTION(Initializer, beta_initializer, "zeros")
  XKERAS_OPTION(Initializer, gamma_initializer, "ones")
  XKERAS_OPTION(Initializer, moving_mean_initializer, "zeros")
  XKERAS_OPTION(Initializer, moving_variance_initializer, "ones")
  XKERAS_OPTION(Regularizer, beta_regularizer)
  XKERAS_OPTION(Regularizer, gamma_regularizer)
  XKERAS_OPTION(Constraint, beta_constraint)
  XKERAS_OPTION(Constraint, gamma_constraint)
  /// Under data-parallel training, normalize with the statistics of the global batch (every rank's
  /// rows) instead of this rank's (Keras's synchronized=True); with one process it changes nothing.
  XKERAS_OPTION(bool, synchronized, false)
  XKERAS_OPTION(std::string, name)   ///< empty: auto-name "batch_normalization", "batch_normalization_1", ...
};

class BatchNormalizationImpl : public Layer {
 public:
  /// ValueError when momentum or epsilon is not a finite number (epsilon must be >= 0).
  explicit BatchNormalizationImpl(BatchNormalizationOptions options = {});

  /// Weights of shape (C,), C = input_shape[axis], in Keras's order: gamma (if scale), beta
  /// (if center), then the non-trainable moving_mean and moving_variance.
  void build(const TensorShape& input_shape) override;
  /// Training mode iff `training && trainable()`: normalizes with the batch mean and biased
  /// variance (one fused op) and then updates, in place and off the tape,
  ///   moving = moving * momentum + batch * (1 - momentum).
  /// Otherwise normalizes with the moving statistics (one fused op).
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, axis, momentum, epsilon, center, scale, beta_initializer,
  /// gamma_initializer, moving_mean_initializer, moving_variance_initializer, beta_regularizer,
  /// gamma_regularizer, beta_constraint, gamma_constraint, synchronized.
  json get_config() const override;
  /// Keras 3: the input's mask passes through to the output.
  bool supports_masking() const override { return true; }
  /// With a mask (one rank less than the input) in training: Keras 3's masked moments, the mean and
  /// biased variance over the unmasked positions only (each divided by count + 1e-7), composed of ops
  /// so gradients flow through them; the moving statistics take these moments. Inference ignores masks.
  Tensors call_args(const Tensors& xs, const CallArgs& args) override;

  /// Reads Keras 3 and tf.keras configs (axis as an int or a one-element list; `fused` and
  /// `renorm*` = false are ignored). ConfigError for renorm=true.
  static std::shared_ptr<BatchNormalizationImpl> from_config(const json& config, const std::string& path);

  const BatchNormalizationOptions& options() const { return options_; }
  int axis() const { return options_.axis; }
  float momentum() const { return options_.momentum; }
  float epsilon() const { return options_.epsilon; }
  /// The weights once built (null before; gamma/beta stay null when scale/center is false).
  const VariablePtr& gamma() const { return gamma_; }
  const VariablePtr& beta() const { return beta_; }
  const VariablePtr& moving_mean() const { return moving_mean_; }
  const VariablePtr& moving_variance() const { return moving_variance_; }

 private:
  void update_moving(VariablePtr& moving, const Array& batch);

  BatchNormalizationOptions options_;
  VariablePtr gamma_, beta_, moving_mean_, moving_variance_;
};

/// `layers::BatchNormalization()`, `layers::BatchNormalization(1)` (channels-first) or
/// `layers::BatchNormalization({.momentum = 0.9f, .center = false})`.
class BatchNormalization : public Holder<BatchNormalizationImpl> {
 public:
  BatchNormalization(BatchNormalizationOptions options = {});  // NOLINT
  explicit BatchNormalization(int axis, float momentum = 0.99f, float epsilon = 1e-3f);
  BatchNormalization(std::shared_ptr<BatchNormalizationImpl> impl)  // NOLINT
      : Holder<BatchNormalizationImpl>(std::move(impl)) {}
};

}  // namespace xkeras::layers
