// Dense: y = activation(x · kernel + bias), Keras's densely-connected layer.
#pragma once

#include <string>
#include <type_traits>

#include "xkeras/layer.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// Keras's Dense keyword arguments, with Keras's defaults.
struct DenseOptions {
  XKERAS_OPTION(std::string, activation, "linear")  ///< Keras's None; "" also means linear
  XKERAS_OPTION(bool, use_bias, true)
  XKERAS_OPTION(Initializer, kernel_initializer, "glorot_uniform")
  XKERAS_OPTION(Initializer, bias_initializer, "zeros")
  XKERAS_OPTION(Regularizer, kernel_regularizer)
  XKERAS_OPTION(Regularizer, bias_regularizer)
  XKERAS_OPTION(Constraint, kernel_constraint)
  XKERAS_OPTION(Constraint, bias_constraint)
  XKERAS_OPTION(std::string, name)                  ///< empty: auto-name "dense", "dense_1", ...
};

class DenseImpl : public Layer {
 public:
  /// Throws ValueError when units <= 0 or the activation is unknown.
  DenseImpl(int units, DenseOptions options = {});

  /// Creates kernel (input_dim, units) and bias (units,); input_dim is the last input axis.
  void build(const TensorShape& input_shape) override;
  /// Contracts the last axis (any rank >= 2) with one fused op, then applies the activation.
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, units, activation, use_bias, kernel_initializer,
  /// bias_initializer, kernel_regularizer, bias_regularizer, kernel_constraint, bias_constraint.
  json get_config() const override;
  /// Keras 3: the input's mask passes through to the output.
  bool supports_masking() const override { return true; }

  static std::shared_ptr<DenseImpl> from_config(const json& config, const std::string& path);

  int units() const { return units_; }
  const std::string& activation() const { return options_.activation; }
  bool use_bias() const { return options_.use_bias; }
  /// The weights once built (null before; bias stays null when use_bias is false).
  const VariablePtr& kernel() const { return kernel_; }
  const VariablePtr& bias() const { return bias_; }

 private:
  int units_;
  DenseOptions options_;
  VariablePtr kernel_, bias_;
};

/// `layers::Dense(64)`, `layers::Dense(64, "relu")` or `layers::Dense(64, {.activation = "relu", .use_bias = false})`.
class Dense : public Holder<DenseImpl> {
 public:
  explicit Dense(int units, DenseOptions options = {});
  /// Dense(units, activation). A template so that a braced `{.name = "x"}` can only mean
  /// DenseOptions (GCC would otherwise also try std::string's constructors on it: ambiguous).
  template <class S, std::enable_if_t<std::is_convertible_v<const S&, std::string>, int> = 0>
  Dense(int units, const S& activation) : Dense(units, DenseOptions{.activation = std::string(activation)}) {}
  Dense(std::shared_ptr<DenseImpl> impl) : Holder<DenseImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
