// Conv1D: y = activation(conv1d(x, kernel) + bias), Keras's 1-D convolution over (batch, steps, channels).
#pragma once

#include <string>
#include <type_traits>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

/// Keras's Conv1D keyword arguments after (filters, kernel_size), in Keras's order and with its defaults.
struct Conv1DOptions {
  int strides = 1;
  std::string padding = "valid";              // "valid", "same" or "causal" (case-insensitive)
  std::string data_format = "channels_last";  // only channels_last is implemented ("" = Keras's None)
  int dilation_rate = 1;
  int groups = 1;
  std::string activation = "linear";          // Keras's None; "" also means linear
  bool use_bias = true;
  Initializer kernel_initializer = "glorot_uniform";
  Initializer bias_initializer = "zeros";
  Regularizer kernel_regularizer{}, bias_regularizer{};
  Regularizer activity_regularizer{};         // not implemented: setting it throws NotImplementedError
  Constraint kernel_constraint{}, bias_constraint{};
  std::string name;                           // empty: auto-name "conv1d", "conv1d_1", ...
};

class Conv1DImpl : public Layer {
 public:
  /// Keras's checks: filters > 0, kernel_size/strides/dilation_rate > 0, groups > 0,
  /// filters % groups == 0, padding valid|same|causal, not (strides > 1 and dilation_rate > 1),
  /// data_format channels_last, a known activation. Throws ValueError otherwise.
  Conv1DImpl(int filters, int kernel_size, Conv1DOptions options = {});

  /// Creates kernel (kernel_size, C / groups, filters) and bias (filters,).
  void build(const TensorShape& input_shape) override;
  /// One fused conv1d op (oneDNN, bias included; causal pads (k - 1) * dilation on the left), then the activation.
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, filters, kernel_size, strides, padding, data_format,
  /// dilation_rate, groups, activation, use_bias, kernel_initializer, bias_initializer,
  /// kernel_regularizer, bias_regularizer, activity_regularizer (null), kernel_constraint, bias_constraint.
  json get_config() const override;

  static std::shared_ptr<Conv1DImpl> from_config(const json& config, const std::string& path);

  int filters() const { return filters_; }
  int kernel_size() const { return kernel_size_; }
  const Conv1DOptions& options() const { return options_; }
  const VariablePtr& kernel() const { return kernel_; }
  const VariablePtr& bias() const { return bias_; }

 private:
  int filters_;
  int kernel_size_;
  Conv1DOptions options_;
  VariablePtr kernel_, bias_;
};

/// `layers::Conv1D(32, 3, {.padding = "causal", .dilation_rate = 2})`, `layers::Conv1D(16, 5, "relu")`.
class Conv1D : public Holder<Conv1DImpl> {
 public:
  Conv1D(int filters, int kernel_size, Conv1DOptions options = {});
  Conv1D(int filters, int kernel_size, const char* activation);
  template <class S, std::enable_if_t<std::is_same_v<S, std::string>, int> = 0>
  Conv1D(int filters, int kernel_size, const S& activation) : Conv1D(filters, kernel_size, activation.c_str()) {}
  Conv1D(std::shared_ptr<Conv1DImpl> impl) : Holder<Conv1DImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
