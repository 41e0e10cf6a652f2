// DepthwiseConv2D: each input channel convolved with its own depth_multiplier filters (Keras's layer).
#pragma once

#include <string>
#include <type_traits>

#include "xkeras/layer.hpp"
#include "xkeras/ops/image.hpp"

namespace xkeras::layers {

using ops::Size2;

/// Keras's DepthwiseConv2D keyword arguments after kernel_size, in Keras's order and with its defaults.
struct DepthwiseConv2DOptions {
  Size2 strides = 1;
  std::string padding = "valid";              // "valid" or "same" (case-insensitive)
  int depth_multiplier = 1;
  std::string data_format = "channels_last";  // only channels_last is implemented
  Size2 dilation_rate = 1;
  std::string activation = "linear";
  bool use_bias = true;
  Initializer depthwise_initializer = "glorot_uniform";
  Initializer bias_initializer = "zeros";
  Regularizer depthwise_regularizer{}, bias_regularizer{};
  Regularizer activity_regularizer{};         // not implemented: setting it throws NotImplementedError
  Constraint depthwise_constraint{}, bias_constraint{};
  std::string name;                           // empty: auto-name "depthwise_conv2d", ...
};

class DepthwiseConv2DImpl : public Layer {
 public:
  /// Keras's checks: kernel_size/strides/dilation_rate > 0, depth_multiplier > 0, not (strides > 1
  /// and dilation_rate > 1), padding valid|same, channels_last, a known activation.
  DepthwiseConv2DImpl(Size2 kernel_size, DepthwiseConv2DOptions options = {});

  /// Creates depthwise_kernel (kh, kw, C, depth_multiplier) and bias (C * depth_multiplier,).
  /// (Keras 3 names the first weight "kernel"; tf.keras and TensorFlow.js name it "depthwise_kernel".)
  void build(const TensorShape& input_shape) override;
  /// One depthwise_conv2d op (oneDNN grouped convolution; output channel c * M + m), then the activation.
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras 3 order: name, trainable, dtype, depth_multiplier, kernel_size, strides, padding,
  /// data_format, dilation_rate, activation, use_bias, depthwise_initializer, bias_initializer,
  /// depthwise_regularizer, bias_regularizer, activity_regularizer (null), depthwise_constraint, bias_constraint.
  json get_config() const override;

  static std::shared_ptr<DepthwiseConv2DImpl> from_config(const json& config, const std::string& path);

  Size2 kernel_size() const { return kernel_size_; }
  const DepthwiseConv2DOptions& options() const { return options_; }
  const VariablePtr& depthwise_kernel() const { return kernel_; }
  const VariablePtr& bias() const { return bias_; }

 private:
  Size2 kernel_size_;
  DepthwiseConv2DOptions options_;
  VariablePtr kernel_, bias_;
};

/// `layers::DepthwiseConv2D(3, {.padding = "same", .depth_multiplier = 2})`, `layers::DepthwiseConv2D(3, "relu")`.
class DepthwiseConv2D : public Holder<DepthwiseConv2DImpl> {
 public:
  DepthwiseConv2D(Size2 kernel_size, DepthwiseConv2DOptions options = {});
  DepthwiseConv2D(Size2 kernel_size, const char* activation);
  template <class S, std::enable_if_t<std::is_same_v<S, std::string>, int> = 0>
  DepthwiseConv2D(Size2 kernel_size, const S& activation) : DepthwiseConv2D(kernel_size, activation.c_str()) {}
  DepthwiseConv2D(std::shared_ptr<DepthwiseConv2DImpl> impl) : Holder<DepthwiseConv2DImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
