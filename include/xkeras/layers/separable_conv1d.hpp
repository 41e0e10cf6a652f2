// SeparableConv1D: a depthwise convolution followed by a pointwise (size-1) convolution, Keras's layer.
#pragma once

#include <string>
#include <type_traits>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

/// Keras's SeparableConv1D keyword arguments after (filters, kernel_size), in Keras's order and with its defaults.
struct SeparableConv1DOptions {
  int strides = 1;
  std::string padding = "valid";              // "valid" or "same" (case-insensitive)
  std::string data_format = "channels_last";  // only channels_last is implemented
  int dilation_rate = 1;
  int depth_multiplier = 1;
  std::string activation = "linear";
  bool use_bias = true;
  Initializer depthwise_initializer = "glorot_uniform";
  Initializer pointwise_initializer = "glorot_uniform";
  Initializer bias_initializer = "zeros";
  Regularizer depthwise_regularizer{}, pointwise_regularizer{}, bias_regularizer{};
  Regularizer activity_regularizer{};         // not implemented: setting it throws NotImplementedError
  Constraint depthwise_constraint{}, pointwise_constraint{}, bias_constraint{};
  std::string name;                           // empty: auto-name "separable_conv1d", ...
};

class SeparableConv1DImpl : public Layer {
 public:
  /// Keras's checks: filters > 0, depth_multiplier > 0, kernel_size/strides/dilation_rate > 0,
  /// not (strides > 1 and dilation_rate > 1), padding valid|same, channels_last, a known activation.
  SeparableConv1DImpl(int filters, int kernel_size, SeparableConv1DOptions options = {});

  /// Creates depthwise_kernel (kernel_size, C, M), pointwise_kernel (1, C * M, filters), bias (filters,).
  void build(const TensorShape& input_shape) override;
  /// depthwise_conv1d (strides, padding, dilation; no bias), then conv1d with the size-1 kernel and
  /// the bias, then the activation (Keras's ops.separable_conv).
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras 3 order: name, trainable, dtype, depth_multiplier, filters, kernel_size, strides, padding,
  /// data_format, dilation_rate, activation, use_bias, depthwise_initializer, pointwise_initializer,
  /// bias_initializer, depthwise_regularizer, pointwise_regularizer, bias_regularizer,
  /// activity_regularizer (null), depthwise_constraint, pointwise_constraint, bias_constraint.
  json get_config() const override;

  static std::shared_ptr<SeparableConv1DImpl> from_config(const json& config, const std::string& path);

  int filters() const { return filters_; }
  int kernel_size() const { return kernel_size_; }
  const SeparableConv1DOptions& options() const { return options_; }
  const VariablePtr& depthwise_kernel() const { return depthwise_; }
  const VariablePtr& pointwise_kernel() const { return pointwise_; }
  const VariablePtr& bias() const { return bias_; }

 private:
  int filters_;
  int kernel_size_;
  SeparableConv1DOptions options_;
  VariablePtr depthwise_, pointwise_, bias_;
};

/// `layers::SeparableConv1D(32, 3, {.padding = "same", .depth_multiplier = 2})`, `layers::SeparableConv1D(8, 3, "relu")`.
class SeparableConv1D : public Holder<SeparableConv1DImpl> {
 public:
  SeparableConv1D(int filters, int kernel_size, SeparableConv1DOptions options = {});
  SeparableConv1D(int filters, int kernel_size, const char* activation);
  template <class S, std::enable_if_t<std::is_same_v<S, std::string>, int> = 0>
  SeparableConv1D(int filters, int kernel_size, const S& activation)
      : SeparableConv1D(filters, kernel_size, activation.c_str()) {}
  SeparableConv1D(std::shared_ptr<SeparableConv1DImpl> impl) : Holder<SeparableConv1DImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
