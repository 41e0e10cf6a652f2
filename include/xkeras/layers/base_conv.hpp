// BaseConvImpl: what every convolution-family layer (Conv, ConvTranspose, DepthwiseConv, SeparableConv, in 1, 2
// or 3 spatial dimensions) shares: kernel_size and the window arguments, their checks, the bias and the activation.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <type_traits>

#include "xkeras/layer.hpp"
#include "xkeras/ops/image.hpp"

namespace xkeras::layers {

using ops::Size2;
using ops::Size3;

/// The C++ type of an N-D window argument (kernel_size, strides, dilation_rate): Keras's int for 1-D, a tuple
/// otherwise; axes() lists its values in Keras's order, make() builds one from them.
template <int N>
struct SpatialRank;
template <>
struct SpatialRank<1> {
  using Size = int;
  static std::array<int, 1> axes(int v) { return {v}; }
  static int make(const std::array<int, 1>& a) { return a[0]; }
};
template <>
struct SpatialRank<2> {
  using Size = Size2;
  static std::array<int, 2> axes(Size2 v) { return {v.h, v.w}; }
  static Size2 make(const std::array<int, 2>& a) { return Size2(a[0], a[1]); }
};
template <>
struct SpatialRank<3> {
  using Size = Size3;
  static std::array<int, 3> axes(Size3 v) { return {v.d, v.h, v.w}; }
  static Size3 make(const std::array<int, 3>& a) { return Size3(a[0], a[1], a[2]); }
};
template <int N>
using SpatialSize = typename SpatialRank<N>::Size;

/// The shared half of a convolution-family layer over (batch, N spatial axes, channels). `Options` is the
/// family's Keras keyword-argument struct; every family has strides, padding, data_format, dilation_rate,
/// activation, use_bias, activity_regularizer, the bias_ options and name. The member functions are defined in the
/// private layers/base_conv.hpp and instantiated with each family.
template <int N, class Opts>
class BaseConvImpl : public Layer {
 public:
  using Size = SpatialSize<N>;
  using Options = Opts;

  Size kernel_size() const { return kernel_size_; }
  const Options& options() const { return options_; }
  /// The bias once built (null before, and when use_bias is false).
  const VariablePtr& bias() const { return bias_; }

 protected:
  BaseConvImpl(const char* class_name, Size kernel_size, Options options);

  /// Keras's base-conv checks: kernel_size/strides/dilation_rate positive, not (strides > 1 and
  /// dilation_rate > 1), padding valid|same (|causal), data_format channels_last, a known activation, no
  /// activity regularizer. Normalizes padding, data_format and activation. Throws ValueError naming the layer.
  void check_window_args(bool allow_causal);
  /// build()'s input checks: rank N + 2 and a known, positive channel count (returned).
  Dim input_channels(const TensorShape& input_shape) const;
  /// Creates the bias (units,) when use_bias, then fixes the channel axis of the InputSpec.
  void finish_build(std::size_t bias_units, Dim channels);
  /// Runs the op (a ValueError from it names the layer), then the activation.
  template <class Op>
  Tensor run(Op&& op) const;
  /// (batch, the N windowed lengths, channels) for an input shape of rank N + 2.
  TensorShape window_output_shape(const TensorShape& in, Dim channels, const std::string& padding) const;
  /// Config keys in Keras's order: kernel_size, strides, padding; data_format, dilation_rate; activation, use_bias.
  void write_window_keys(json& c) const;
  void write_layout_keys(json& c) const;
  void write_activation_keys(json& c) const;

  Size kernel_size_;
  Options options_;
  VariablePtr bias_;
};

/// The handle of a layer built from (filters, kernel_size, options), as Conv2D, Conv2DTranspose, SeparableConv2D:
/// `layers::Conv2D(32, 3, {.padding = "same", .activation = "relu"})`, `layers::Conv2D(32, {3, 3}, {.strides = {2, 2}})`,
/// `layers::Conv1D(16, 5, "relu")`.
template <class Impl>
class ConvHandle : public Holder<Impl> {
 public:
  using Options = typename Impl::Options;
  using Size = typename Impl::Size;
  ConvHandle(int filters, Size kernel_size, Options options = {})
      : Holder<Impl>(std::make_shared<Impl>(filters, kernel_size, std::move(options))) {}
  ConvHandle(int filters, Size kernel_size, const char* activation)
      : ConvHandle(filters, kernel_size, Options{.activation = activation ? activation : "linear"}) {}
  /// An activation held in a std::string (a template, so a braced option list never matches it:
  /// std::string's iterator-pair constructor would otherwise make `{.padding = "same", .activation = "relu"}` ambiguous).
  template <class S, std::enable_if_t<std::is_same_v<S, std::string>, int> = 0>
  ConvHandle(int filters, Size kernel_size, const S& activation) : ConvHandle(filters, kernel_size, activation.c_str()) {}
  ConvHandle(std::shared_ptr<Impl> impl) : Holder<Impl>(std::move(impl)) {}  // NOLINT
};

}  // namespace xkeras::layers
