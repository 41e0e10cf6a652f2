// Conv1DTranspose, Conv2DTranspose, Conv3DTranspose: the transposed ("deconvolution", upsampling) convolutions
// of Keras, as one template on the number of spatial axes N.
#pragma once

#include <optional>
#include <string>
#include <type_traits>

#include "xkeras/layers/base_conv.hpp"
#include "xkeras/options.hpp"

namespace xkeras::layers {

/// Keras's ConvNDTranspose keyword arguments after (filters, kernel_size), in Keras's order and with its defaults.
template <int N>
struct ConvNDTransposeOptions {
  XKERAS_OPTION(SpatialSize<N>, strides, 1)
  XKERAS_OPTION(std::string, padding, "valid")                  ///< "valid" or "same" (case-insensitive)
  XKERAS_OPTION(std::optional<SpatialSize<N>>, output_padding)  ///< Keras's None; each entry must be < its stride
  XKERAS_OPTION(std::string, data_format, "channels_last")      ///< only channels_last is implemented
  XKERAS_OPTION(SpatialSize<N>, dilation_rate, 1)
  XKERAS_OPTION(std::string, activation, "linear")
  XKERAS_OPTION(bool, use_bias, true)
  XKERAS_OPTION(Initializer, kernel_initializer, "glorot_uniform")
  XKERAS_OPTION(Initializer, bias_initializer, "zeros")
  // "= nullptr", not "{}": with "{}" in a template, GCC 12 leaves the defaulted constructor undefined.
  XKERAS_OPTION(Regularizer, kernel_regularizer, nullptr)
  XKERAS_OPTION(Regularizer, bias_regularizer, nullptr)
  XKERAS_OPTION(Regularizer, activity_regularizer, nullptr)     ///< not implemented: setting it throws NotImplementedError
  XKERAS_OPTION(Constraint, kernel_constraint, nullptr)
  XKERAS_OPTION(Constraint, bias_constraint, nullptr)
  XKERAS_OPTION(std::string, name)                              ///< empty: auto-name "conv2d_transpose", ...
};

template <int N>
class ConvNDTransposeImpl : public BaseConvImpl<N, ConvNDTransposeOptions<N>> {
 public:
  /// Keras's checks: filters > 0, the base-conv checks, 0 <= output_padding < strides.
  ConvNDTransposeImpl(int filters, SpatialSize<N> kernel_size, ConvNDTransposeOptions<N> options = {});

  /// Creates kernel (*kernel_size, filters, C) (filters before input channels, as Keras) and bias (filters,).
  void build(const TensorShape& input_shape) override;
  /// One convNd_transpose op (oneDNN, bias included), then the activation.
  Tensor call(const Tensor& x, bool training) override;
  /// Keras's sizes: valid (n-1)s + max(k_eff, s), same n*s; with output_padding op:
  /// valid (n-1)s + k_eff + op, same (n-1)s + k_eff % 2 + op (k_eff = (k-1)*dilation + 1).
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras 3 order: name, trainable, dtype, filters, kernel_size, strides, padding, output_padding,
  /// data_format, dilation_rate, activation, use_bias, kernel_initializer, bias_initializer,
  /// kernel_regularizer, bias_regularizer, activity_regularizer (null), kernel_constraint, bias_constraint.
  json get_config() const override;

  static std::shared_ptr<ConvNDTransposeImpl> from_config(const json& config, const std::string& path);

  int filters() const { return filters_; }
  const VariablePtr& kernel() const { return kernel_; }

 private:
  int filters_;
  VariablePtr kernel_;
};

using Conv1DTransposeOptions = ConvNDTransposeOptions<1>;
using Conv2DTransposeOptions = ConvNDTransposeOptions<2>;
using Conv3DTransposeOptions = ConvNDTransposeOptions<3>;
using Conv1DTransposeImpl = ConvNDTransposeImpl<1>;
using Conv2DTransposeImpl = ConvNDTransposeImpl<2>;
using Conv3DTransposeImpl = ConvNDTransposeImpl<3>;
/// `layers::Conv2DTranspose(16, 3, {.strides = 2, .padding = "same"})`, `layers::Conv1DTranspose(8, 2, "relu")`.
using Conv1DTranspose = ConvHandle<ConvNDTransposeImpl<1>>;
using Conv2DTranspose = ConvHandle<ConvNDTransposeImpl<2>>;
using Conv3DTranspose = ConvHandle<ConvNDTransposeImpl<3>>;

extern template class ConvNDTransposeImpl<1>;
extern template class ConvNDTransposeImpl<2>;
extern template class ConvNDTransposeImpl<3>;

}  // namespace xkeras::layers
