// Conv1D, Conv2D, Conv3D: y = activation(convNd(x, kernel) + bias), Keras's convolutions over
// (batch, *N spatial axes, channels), as one template on the number of spatial axes N.
#pragma once

#include <string>
#include <type_traits>

#include "xkeras/layers/base_conv.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// Keras's ConvND keyword arguments after (filters, kernel_size), in Keras's order and with its defaults, so
/// designated initializers read like the Python call: `{.strides = 2, .padding = "same", .activation = "relu"}`.
/// A window argument is an int in 1-D and an int or a tuple ({h, w}, {d, h, w}) otherwise.
template <int N>
struct ConvNDOptions {
  XKERAS_OPTION(SpatialSize<N>, strides, 1)
  XKERAS_OPTION(std::string, padding, "valid")               ///< "valid" or "same" (case-insensitive); Conv1D also "causal"
  XKERAS_OPTION(std::string, data_format, "channels_last")   ///< only channels_last is implemented ("" = Keras's None)
  XKERAS_OPTION(SpatialSize<N>, dilation_rate, 1)
  XKERAS_OPTION(int, groups, 1)
  XKERAS_OPTION(std::string, activation, "linear")           ///< Keras's None; "" also means linear
  XKERAS_OPTION(bool, use_bias, true)
  XKERAS_OPTION(Initializer, kernel_initializer, "glorot_uniform")
  XKERAS_OPTION(Initializer, bias_initializer, "zeros")
  // "= nullptr", not "{}": with "{}" in a template, GCC 12 leaves the defaulted constructor undefined.
  XKERAS_OPTION(Regularizer, kernel_regularizer, nullptr)
  XKERAS_OPTION(Regularizer, bias_regularizer, nullptr)
  XKERAS_OPTION(Regularizer, activity_regularizer, nullptr)  ///< not implemented: setting it throws NotImplementedError
  XKERAS_OPTION(Constraint, kernel_constraint, nullptr)
  XKERAS_OPTION(Constraint, bias_constraint, nullptr)
  XKERAS_OPTION(std::string, name)                           ///< empty: auto-name "conv2d", "conv2d_1", ...
};

template <int N>
class ConvNDImpl : public BaseConvImpl<N, ConvNDOptions<N>> {
 public:
  /// Keras's checks: filters > 0, groups > 0, filters % groups == 0, then the base-conv checks (padding
  /// "causal" only in 1-D). Throws ValueError otherwise.
  ConvNDImpl(int filters, SpatialSize<N> kernel_size, ConvNDOptions<N> options = {});

  /// Creates kernel (*kernel_size, C / groups, filters) and bias (filters,); requires C % groups == 0
  /// and, for known sizes, a window that fits the input.
  void build(const TensorShape& input_shape) override;
  /// One fused conv op (oneDNN, bias included; causal pads (k - 1) * dilation on the left), then the activation.
  Tensor call(const Tensor& x, bool training) override;
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras order: name, trainable, dtype, filters, kernel_size, strides, padding, data_format,
  /// dilation_rate, groups, activation, use_bias, kernel_initializer, bias_initializer,
  /// kernel_regularizer, bias_regularizer, activity_regularizer (null), kernel_constraint, bias_constraint.
  json get_config() const override;

  static std::shared_ptr<ConvNDImpl> from_config(const json& config, const std::string& path);

  int filters() const { return filters_; }
  /// The kernel once built (null before).
  const VariablePtr& kernel() const { return kernel_; }

 private:
  int filters_;
  VariablePtr kernel_;
};

using Conv1DOptions = ConvNDOptions<1>;
using Conv2DOptions = ConvNDOptions<2>;
using Conv3DOptions = ConvNDOptions<3>;
using Conv1DImpl = ConvNDImpl<1>;
using Conv2DImpl = ConvNDImpl<2>;
using Conv3DImpl = ConvNDImpl<3>;
/// `layers::Conv2D(32, 3, {.padding = "same", .activation = "relu"})`, `layers::Conv1D(32, 3, {.padding = "causal", .dilation_rate = 2})`,
/// `layers::Conv3D(4, {3, 3, 1}, "relu")`: handles on ConvNDImpl<N>.
using Conv1D = ConvHandle<ConvNDImpl<1>>;
using Conv2D = ConvHandle<ConvNDImpl<2>>;
using Conv3D = ConvHandle<ConvNDImpl<3>>;

extern template class ConvNDImpl<1>;
extern template class ConvNDImpl<2>;
extern template class ConvNDImpl<3>;

}  // namespace xkeras::layers
