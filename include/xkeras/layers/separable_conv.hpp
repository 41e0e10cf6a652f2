// SeparableConv1D, SeparableConv2D: a depthwise convolution followed by a pointwise (size-1) convolution (Keras's
// layers), as one template on the number of spatial axes N.
#pragma once

#include <string>
#include <type_traits>

#include "xkeras/layers/base_conv.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// Keras's SeparableConvND keyword arguments after (filters, kernel_size), in Keras's order and with its defaults.
template <int N>
struct SeparableConvNDOptions {
  XKERAS_OPTION(SpatialSize<N>, strides, 1)
  XKERAS_OPTION(std::string, padding, "valid")               ///< "valid" or "same" (case-insensitive)
  XKERAS_OPTION(std::string, data_format, "channels_last")   ///< only channels_last is implemented
  XKERAS_OPTION(SpatialSize<N>, dilation_rate, 1)
  XKERAS_OPTION(int, depth_multiplier, 1)
  XKERAS_OPTION(std::string, activation, "linear")
  XKERAS_OPTION(bool, use_bias, true)
  XKERAS_OPTION(Initializer, depthwise_initializer, "glorot_uniform")
  XKERAS_OPTION(Initializer, pointwise_initializer, "glorot_uniform")
  XKERAS_OPTION(Initializer, bias_initializer, "zeros")
  // "= nullptr", not "{}": with "{}" in a template, GCC 12 leaves the defaulted constructor undefined.
  XKERAS_OPTION(Regularizer, depthwise_regularizer, nullptr)
  XKERAS_OPTION(Regularizer, pointwise_regularizer, nullptr)
  XKERAS_OPTION(Regularizer, bias_regularizer, nullptr)
  XKERAS_OPTION(Regularizer, activity_regularizer, nullptr)  ///< not implemented: setting it throws NotImplementedError
  XKERAS_OPTION(Constraint, depthwise_constraint, nullptr)
  XKERAS_OPTION(Constraint, pointwise_constraint, nullptr)
  XKERAS_OPTION(Constraint, bias_constraint, nullptr)
  XKERAS_OPTION(std::string, name)                           ///< empty: auto-name "separable_conv2d", ...
};

template <int N>
class SeparableConvNDImpl : public BaseConvImpl<N, SeparableConvNDOptions<N>> {
 public:
  /// Keras's checks: depth_multiplier > 0 (at most 2^20), filters > 0, then the base-conv checks.
  SeparableConvNDImpl(int filters, SpatialSize<N> kernel_size, SeparableConvNDOptions<N> options = {});

  /// Creates depthwise_kernel (*kernel_size, C, M), pointwise_kernel (1, ..., 1, C * M, filters), bias (filters,).
  void build(const TensorShape& input_shape) override;
  /// depthwise_convNd (strides, padding, dilation; no bias), then convNd with the size-1 kernel and
  /// the bias, then the activation (Keras's ops.separable_conv).
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras 3 order: name, trainable, dtype, depth_multiplier, filters, kernel_size, strides, padding,
  /// data_format, dilation_rate, activation, use_bias, depthwise_initializer, pointwise_initializer,
  /// bias_initializer, depthwise_regularizer, pointwise_regularizer, bias_regularizer,
  /// activity_regularizer (null), depthwise_constraint, pointwise_constraint, bias_constraint.
  json get_config() const override;

  static std::shared_ptr<SeparableConvNDImpl> from_config(const json& config, const std::string& path);

  int filters() const { return filters_; }
  const VariablePtr& depthwise_kernel() const { return depthwise_; }
  const VariablePtr& pointwise_kernel() const { return pointwise_; }

 private:
  int filters_;
  VariablePtr depthwise_, pointwise_;
};

using SeparableConv1DOptions = SeparableConvNDOptions<1>;
using SeparableConv2DOptions = SeparableConvNDOptions<2>;
using SeparableConv1DImpl = SeparableConvNDImpl<1>;
using SeparableConv2DImpl = SeparableConvNDImpl<2>;
/// `layers::SeparableConv2D(32, 3, {.padding = "same", .depth_multiplier = 2})`, `layers::SeparableConv1D(8, 3, "relu")`.
using SeparableConv1D = ConvHandle<SeparableConvNDImpl<1>>;
using SeparableConv2D = ConvHandle<SeparableConvNDImpl<2>>;

extern template class SeparableConvNDImpl<1>;
extern template class SeparableConvNDImpl<2>;

}  // namespace xkeras::layers
