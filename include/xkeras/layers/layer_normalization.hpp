// LayerNormalization: normalizes each example over `axis` (one or several axes), then scales by
// gamma and shifts by beta (Keras's layers.LayerNormalization).
#pragma once

#include <string>
#include <vector>

#include "xkeras/layer.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// Keras's LayerNormalization keyword arguments, with Keras's defaults.
struct LayerNormalizationOptions {
  XKERAS_OPTION(std::vector<int>, axis, {-1})  ///< the normalized axes (negative count from the end), any set
  XKERAS_OPTION(float, epsilon, 1e-3f)         ///< Keras's default (PyTorch's is 1e-5)
  XKERAS_OPTION(bool, center, true)            ///< learn beta
  XKERAS_OPTION(bool, scale, true)             ///< learn gamma
  XKERAS_OPTION(Initializer, beta_initializer, "zeros")
  XKERAS_OPTION(Initializer, gamma_initializer, "ones")
  XKERAS_OPTION(Regularizer, beta_regularizer)
  XKERAS_OPTION(Regularizer, gamma_regularizer)
  XKERAS_OPTION(Constraint, beta_constraint)
  XKERAS_OPTION(Constraint, gamma_constraint)
  XKERAS_OPTION(std::string, name)             ///< empty: auto-name "layer_normalization", ...
};

class LayerNormalizationImpl : public Layer {
 public:
  /// ValueError for an empty axis list or a bad epsilon.
  explicit LayerNormalizationImpl(LayerNormalizationOptions options = {});

  /// gamma (if scale) then beta (if center), each of shape input_shape[axis...] with the axes in
  /// ascending order: axis {1, 2, 3} on (None, 20, 30, 40) gives (20, 30, 40).
  void build(const TensorShape& input_shape) override;
  /// One fused op: per-example mean and biased variance over the axes.
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, axis (always a list, as a built Keras 3 layer writes it),
  /// epsilon, center, scale, rms_scaling (false), beta_initializer, gamma_initializer,
  /// beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint.
  json get_config() const override;
  /// Keras 3: the input's mask passes through to the output.
  bool supports_masking() const override { return true; }

  /// Accepts axis as an int or a list; ConfigError for rms_scaling=true (deprecated in Keras).
  static std::shared_ptr<LayerNormalizationImpl> from_config(const json& config, const std::string& path);

  const LayerNormalizationOptions& options() const { return options_; }
  const std::vector<int>& axis() const { return options_.axis; }
  float epsilon() const { return options_.epsilon; }
  const VariablePtr& gamma() const { return gamma_; }
  const VariablePtr& beta() const { return beta_; }

 private:
  LayerNormalizationOptions options_;
  VariablePtr gamma_, beta_;
};

/// `layers::LayerNormalization()`, `layers::LayerNormalization(1)` or
/// `layers::LayerNormalization({.axis = {1, 2, 3}, .epsilon = 1e-5f})`.
class LayerNormalization : public Holder<LayerNormalizationImpl> {
 public:
  LayerNormalization(LayerNormalizationOptions options = {});  // NOLINT
  explicit LayerNormalization(int axis, float epsilon = 1e-3f);
  LayerNormalization(std::shared_ptr<LayerNormalizationImpl> impl)  // NOLINT
      : Holder<LayerNormalizationImpl>(std::move(impl)) {}
};

}  // namespace xkeras::layers
