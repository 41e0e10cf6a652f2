// Conv2D: y = activation(conv2d(x, kernel) + bias), Keras's 2-D convolution (channels_last).
#pragma once

#include <string>
#include <type_traits>

#include "xkeras/layer.hpp"
#include "xkeras/ops/image.hpp"

namespace xkeras::layers {

using ops::Size2;

/// Keras's Conv2D keyword arguments after (filters, kernel_size), in Keras's order and with its
/// defaults, so designated initializers read like the Python call:
/// `{.strides = 2, .padding = "same", .activation = "relu"}`.
struct Conv2DOptions {
  Size2 strides = 1;                          // an int or {h, w}
  std::string padding = "valid";              // "valid" or "same" (case-insensitive)
  std::string data_format = "channels_last";  // only channels_last is implemented ("" = Keras's None)
  Size2 dilation_rate = 1;
  int groups = 1;
  std::string activation = "linear";          // Keras's None; "" also means linear
  bool use_bias = true;
  Initializer kernel_initializer = "glorot_uniform";
  Initializer bias_initializer = "zeros";
  Regularizer kernel_regularizer{}, bias_regularizer{};
  Regularizer activity_regularizer{};         // not implemented: setting it throws NotImplementedError
  Constraint kernel_constraint{}, bias_constraint{};
  std::string name;                           // empty: auto-name "conv2d", "conv2d_1", ...
};

class Conv2DImpl : public Layer {
 public:
  /// Keras's checks: filters > 0, kernel_size/strides/dilation_rate > 0, groups > 0,
  /// filters % groups == 0, padding valid|same, not (strides > 1 and dilation_rate > 1),
  /// data_format channels_last, a known activation. Throws ValueError otherwise.
  Conv2DImpl(int filters, Size2 kernel_size, Conv2DOptions options = {});

  /// Creates kernel (kh, kw, C / groups, filters) and bias (filters,); requires C % groups == 0
  /// and, for known sizes, a window that fits the input. Fixes the channel axis of the InputSpec.
  void build(const TensorShape& input_shape) override;
  /// One fused conv2d op (oneDNN, bias included), then the activation.
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, filters, kernel_size, strides, padding, data_format,
  /// dilation_rate, groups, activation, use_bias, kernel_initializer, bias_initializer,
  /// kernel_regularizer, bias_regularizer, activity_regularizer (null), kernel_constraint, bias_constraint.
  json get_config() const override;

  static std::shared_ptr<Conv2DImpl> from_config(const json& config, const std::string& path);

  int filters() const { return filters_; }
  Size2 kernel_size() const { return kernel_size_; }
  const Conv2DOptions& options() const { return options_; }
  /// The weights once built (null before; bias stays null when use_bias is false).
  const VariablePtr& kernel() const { return kernel_; }
  const VariablePtr& bias() const { return bias_; }

 private:
  int filters_;
  Size2 kernel_size_;
  Conv2DOptions options_;
  VariablePtr kernel_, bias_;
};

/// `layers::Conv2D(32, 3, {.padding = "same", .activation = "relu"})`,
/// `layers::Conv2D(32, {3, 3}, {.strides = {2, 2}})`, `layers::Conv2D(16, 3, "relu")`.
class Conv2D : public Holder<Conv2DImpl> {
 public:
  Conv2D(int filters, Size2 kernel_size, Conv2DOptions options = {});
  Conv2D(int filters, Size2 kernel_size, const char* activation);
  /// An activation held in a std::string (a template, so a braced option list never matches it:
  /// std::string's iterator-pair constructor would otherwise make `{.padding = "same", .activation = "relu"}` ambiguous).
  template <class S, std::enable_if_t<std::is_same_v<S, std::string>, int> = 0>
  Conv2D(int filters, Size2 kernel_size, const S& activation) : Conv2D(filters, kernel_size, activation.c_str()) {}
  Conv2D(std::shared_ptr<Conv2DImpl> impl) : Holder<Conv2DImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
