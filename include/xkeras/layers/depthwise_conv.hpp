// DepthwiseConv1D, DepthwiseConv2D: each input channel convolved with its own depth_multiplier filters (Keras's
// layers), as one template on the number of spatial axes N.
#pragma once

#include <string>
#include <type_traits>

#include "xkeras/layers/base_conv.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// Keras's DepthwiseConvND keyword arguments after kernel_size, in Keras's order and with its defaults.
template <int N>
struct DepthwiseConvNDOptions {
  XKERAS_OPTION(SpatialSize<N>, strides, 1)
  XKERAS_OPTION(std::string, padding, "valid")               ///< "valid" or "same" (case-insensitive)
  XKERAS_OPTION(int, depth_multiplier, 1)
  XKERAS_OPTION(std::string, data_format, "channels_last")   ///< only channels_last is implemented
  XKERAS_OPTION(SpatialSize<N>, dilation_rate, 1)
  XKERAS_OPTION(std::string, activation, "linear")
  XKERAS_OPTION(bool, use_bias, true)
  XKERAS_OPTION(Initializer, depthwise_initializer, "glorot_uniform")
  XKERAS_OPTION(Initializer, bias_initializer, "zeros")
  // "= nullptr", not "{}": with "{}" in a template, GCC 12 leaves the defaulted constructor undefined.
  XKERAS_OPTION(Regularizer, depthwise_regularizer, nullptr)
  XKERAS_OPTION(Regularizer, bias_regularizer, nullptr)
  XKERAS_OPTION(Regularizer, activity_regularizer, nullptr)  ///< not implemented: setting it throws NotImplementedError
  XKERAS_OPTION(Constraint, depthwise_constraint, nullptr)
  XKERAS_OPTION(Constraint, bias_constraint, nullptr)
  XKERAS_OPTION(std::string, name)                           ///< empty: auto-name "depthwise_conv2d", ...
};

template <int N>
class DepthwiseConvNDImpl : public BaseConvImpl<N, DepthwiseConvNDOptions<N>> {
 public:
  /// Keras's checks: depth_multiplier > 0 (at most 2^20), then the base-conv checks.
  DepthwiseConvNDImpl(SpatialSize<N> kernel_size, DepthwiseConvNDOptions<N> options = {});

  /// Creates depthwise_kernel (*kernel_size, C, depth_multiplier) and bias (C * depth_multiplier,).
  /// (Keras 3 names the first weight "kernel"; tf.keras and TensorFlow.js name it "depthwise_kernel".)
  void build(const TensorShape& input_shape) override;
  /// One depthwise_convNd op (oneDNN grouped convolution; output channel c * M + m), then the activation.
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras 3 order: name, trainable, dtype, depth_multiplier, kernel_size, strides, padding,
  /// data_format, dilation_rate, activation, use_bias, depthwise_initializer, bias_initializer,
  /// depthwise_regularizer, bias_regularizer, activity_regularizer (null), depthwise_constraint, bias_constraint.
  json get_config() const override;

  static std::shared_ptr<DepthwiseConvNDImpl> from_config(const json& config, const std::string& path);

  const VariablePtr& depthwise_kernel() const { return kernel_; }

 private:
  VariablePtr kernel_;
};

/// `layers::DepthwiseConv2D(3, {.padding = "same", .depth_multiplier = 2})`, `layers::DepthwiseConv1D(3, "relu")`.
template <int N>
class DepthwiseConvND : public Holder<DepthwiseConvNDImpl<N>> {
 public:
  DepthwiseConvND(SpatialSize<N> kernel_size, DepthwiseConvNDOptions<N> options = {});
  DepthwiseConvND(SpatialSize<N> kernel_size, const char* activation);
  template <class S, std::enable_if_t<std::is_same_v<S, std::string>, int> = 0>
  DepthwiseConvND(SpatialSize<N> kernel_size, const S& activation) : DepthwiseConvND(kernel_size, activation.c_str()) {}
  DepthwiseConvND(std::shared_ptr<DepthwiseConvNDImpl<N>> impl) : Holder<DepthwiseConvNDImpl<N>>(std::move(impl)) {}  // NOLINT
};

using DepthwiseConv1DOptions = DepthwiseConvNDOptions<1>;
using DepthwiseConv2DOptions = DepthwiseConvNDOptions<2>;
using DepthwiseConv1DImpl = DepthwiseConvNDImpl<1>;
using DepthwiseConv2DImpl = DepthwiseConvNDImpl<2>;
using DepthwiseConv1D = DepthwiseConvND<1>;
using DepthwiseConv2D = DepthwiseConvND<2>;

extern template class DepthwiseConvNDImpl<1>;
extern template class DepthwiseConvNDImpl<2>;
extern template class DepthwiseConvND<1>;
extern template class DepthwiseConvND<2>;

}  // namespace xkeras::layers
