// Conv3D: y = activation(conv3d(x, kernel) + bias), Keras's 3-D convolution over (batch, depth, height, width, channels).
#pragma once

#include <string>
#include <type_traits>

#include "xkeras/layer.hpp"
#include "xkeras/ops/conv.hpp"

namespace xkeras::layers {

using ops::Size3;

/// Keras's Conv3D keyword arguments after (filters, kernel_size), in Keras's order and with its defaults.
struct Conv3DOptions {
  Size3 strides = 1;                          // an int or {d, h, w}
  std::string padding = "valid";              // "valid" or "same" (case-insensitive)
  std::string data_format = "channels_last";  // only channels_last is implemented
  Size3 dilation_rate = 1;
  int groups = 1;
  std::string activation = "linear";
  bool use_bias = true;
  Initializer kernel_initializer = "glorot_uniform";
  Initializer bias_initializer = "zeros";
  Regularizer kernel_regularizer{}, bias_regularizer{};
  Regularizer activity_regularizer{};         // not implemented: setting it throws NotImplementedError
  Constraint kernel_constraint{}, bias_constraint{};
  std::string name;                           // empty: auto-name "conv3d", "conv3d_1", ...
};

class Conv3DImpl : public Layer {
 public:
  /// Keras's checks as Conv2D's, with 3-tuples.
  Conv3DImpl(int filters, Size3 kernel_size, Conv3DOptions options = {});

  /// Creates kernel (kd, kh, kw, C / groups, filters) and bias (filters,).
  void build(const TensorShape& input_shape) override;
  /// One fused conv3d op (oneDNN, bias included), then the activation.
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order as Conv2D's: name, trainable, dtype, filters, kernel_size, strides, padding, data_format,
  /// dilation_rate, groups, activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
  /// bias_regularizer, activity_regularizer (null), kernel_constraint, bias_constraint.
  json get_config() const override;

  static std::shared_ptr<Conv3DImpl> from_config(const json& config, const std::string& path);

  int filters() const { return filters_; }
  Size3 kernel_size() const { return kernel_size_; }
  const Conv3DOptions& options() const { return options_; }
  const VariablePtr& kernel() const { return kernel_; }
  const VariablePtr& bias() const { return bias_; }

 private:
  int filters_;
  Size3 kernel_size_;
  Conv3DOptions options_;
  VariablePtr kernel_, bias_;
};

/// `layers::Conv3D(8, 3, {.padding = "same", .activation = "relu"})`, `layers::Conv3D(4, {3, 3, 1}, "relu")`.
class Conv3D : public Holder<Conv3DImpl> {
 public:
  Conv3D(int filters, Size3 kernel_size, Conv3DOptions options = {});
  Conv3D(int filters, Size3 kernel_size, const char* activation);
  template <class S, std::enable_if_t<std::is_same_v<S, std::string>, int> = 0>
  Conv3D(int filters, Size3 kernel_size, const S& activation) : Conv3D(filters, kernel_size, activation.c_str()) {}
  Conv3D(std::shared_ptr<Conv3DImpl> impl) : Holder<Conv3DImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
