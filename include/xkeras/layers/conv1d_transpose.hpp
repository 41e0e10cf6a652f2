// Conv1DTranspose: the transposed 1-D convolution over (batch, steps, channels), Keras's layer.
#pragma once

#include <optional>
#include <string>
#include <type_traits>

#include "xkeras/layer.hpp"

namespace xkeras::layers {

/// Keras's Conv1DTranspose keyword arguments after (filters, kernel_size), in Keras's order and with its defaults.
struct Conv1DTransposeOptions {
  int strides = 1;
  std::string padding = "valid";              // "valid" or "same" (case-insensitive)
  std::optional<int> output_padding;          // Keras's None; must be < strides
  std::string data_format = "channels_last";  // only channels_last is implemented
  int dilation_rate = 1;
  std::string activation = "linear";
  bool use_bias = true;
  Initializer kernel_initializer = "glorot_uniform";
  Initializer bias_initializer = "zeros";
  Regularizer kernel_regularizer{}, bias_regularizer{};
  Regularizer activity_regularizer{};         // not implemented: setting it throws NotImplementedError
  Constraint kernel_constraint{}, bias_constraint{};
  std::string name;                           // empty: auto-name "conv1d_transpose", ...
};

class Conv1DTransposeImpl : public Layer {
 public:
  /// Keras's checks as Conv2DTranspose's, for one axis.
  Conv1DTransposeImpl(int filters, int kernel_size, Conv1DTransposeOptions options = {});

  /// Creates kernel (kernel_size, filters, C) and bias (filters,).
  void build(const TensorShape& input_shape) override;
  /// One conv1d_transpose op (oneDNN, bias included), then the activation.
  Tensor call(const Tensor& x, bool training) override;
  /// Keras's lengths (ops::conv_transpose_window).
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  /// Keras 3 order: as Conv2DTranspose's, with 1-tuples.
  json get_config() const override;

  static std::shared_ptr<Conv1DTransposeImpl> from_config(const json& config, const std::string& path);

  int filters() const { return filters_; }
  int kernel_size() const { return kernel_size_; }
  const Conv1DTransposeOptions& options() const { return options_; }
  const VariablePtr& kernel() const { return kernel_; }
  const VariablePtr& bias() const { return bias_; }

 private:
  int filters_;
  int kernel_size_;
  Conv1DTransposeOptions options_;
  VariablePtr kernel_, bias_;
};

/// `layers::Conv1DTranspose(16, 3, {.strides = 2, .padding = "same"})`.
class Conv1DTranspose : public Holder<Conv1DTransposeImpl> {
 public:
  Conv1DTranspose(int filters, int kernel_size, Conv1DTransposeOptions options = {});
  Conv1DTranspose(int filters, int kernel_size, const char* activation);
  template <class S, std::enable_if_t<std::is_same_v<S, std::string>, int> = 0>
  Conv1DTranspose(int filters, int kernel_size, const S& activation)
      : Conv1DTranspose(filters, kernel_size, activation.c_str()) {}
  Conv1DTranspose(std::shared_ptr<Conv1DTransposeImpl> impl) : Holder<Conv1DTransposeImpl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
