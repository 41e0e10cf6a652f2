// Conv3DTranspose: the transposed 3-D convolution over (batch, depth, height, width, channels).
#pragma once

#include <optional>
#include <string>
#include <type_traits>

#include "xkeras/layer.hpp"
#include "xkeras/ops/conv.hpp"

namespace xkeras::layers {

using ops::Size3;

/// Keras's Conv3DTranspose keyword arguments after (filters, kernel_size), in Keras's order and with its defaults.
struct Conv3DTransposeOptions {
  Size3 strides = 1;
  std::string padding = "valid";              // "valid" or "same" (case-insensitive)
  std::optional<Size3> output_padding;        // Keras's None; each entry must be < its stride
  std::string data_format = "channels_last";  // only channels_last is implemented
  Size3 dilation_rate = 1;
  std::string activation = "linear";
  bool use_bias = true;
  Initializer kernel_initializer = "glorot_uniform";
  Initializer bias_initializer = "zeros";
  Regularizer kernel_regularizer{}, bias_regularizer{};
  Regularizer activity_regularizer{};         // not implemented: setting it throws NotImplementedError
  Constraint kernel_constraint{}, bias_constraint{};
  std::string name;                           // empty: auto-name "conv3d_transpose", ...
};

class Conv3DTransposeImpl : public Layer {
 public:
  /// Keras's checks: filters > 0, kernel_size/strides/dilation_rate > 0, not (strides > 1 and
  /// dilation_rate > 1), 0 <= output_padding < strides, padding valid|same, channels_last.
  Conv3DTransposeImpl(int filters, Size3 kernel_size, Conv3DTransposeOptions options = {});

  /// Creates kernel (kd, kh, kw, filters, C) (filters before input channels, as Keras) and bias (filters,).
  void build(const TensorShape& input_shape) override;
  /// One conv3d_transpose op (oneDNN, bias included), then the activation.
  Tensor call(const Tensor& x, bool training) override;
  /// Keras's sizes: valid (n-1)s + max(k_eff, s), same n*s; with output_padding op:
  /// valid (n-1)s + k_eff + op, same (n-1)s + k_eff % 2 + op (k_eff = (k-1)*dilation + 1).
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras 3 order: name, trainable, dtype, filters, kernel_size, strides, padding, output_padding,
  /// data_format, dilation_rate, activation, use_bias, kernel_initializer, bias_initializer,
  /// kernel_regularizer, bias_regularizer, activity_regularizer (null), kernel_constraint, bias_constraint.
  json get_config() const override;

  static std::shared_ptr<Conv3DTransposeImpl> from_config(const json& config, const std::string& path);

  int filters() const { return filters_; }
  Size3 kernel_size() const { return kernel_size_; }
  const Conv3DTransposeOptions& options() const { return options_; }
  const VariablePtr& kernel() const { return kernel_; }
  const VariablePtr& bias() const { return bias_; }

 private:
  int filters_;
  Size3 kernel_size_;
  Conv3DTransposeOptions options_;
  VariablePtr kernel_, bias_;
};

/// `layers::Conv3DTranspose(16, 3, {.strides = 2, .padding = "same"})`, `layers::Conv3DTranspose(8, 2, "relu")`.
class Conv3DTranspose : public Holder<Conv3DTransposeImpl> {
 public:
  Conv3DTranspose(int filters, Size3 kernel_size, Conv3DTransposeOptions options = {});
  Conv3DTranspose(int filters, Size3 kernel_size, const char* activation);
  template <class S, std::enable_if_t<std::is_same_v<S, std::string>, int> = 0>
  Conv3DTranspose(int filters, Size3 kernel_size, const S& activation)
      : Conv3DTranspose(filters, kernel_size, activation.c_str()) {}
  Conv3DTranspose(std::shared_ptr<Conv3DTransposeImpl> impl) : Holder<Conv3DTransposeImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
