// 3-D convolutions on NDHWC tensors (Conv3D, Conv3DTranspose): the oneDNN plans of conv2d with a
// depth axis in front.
#include <algorithm>

#include "ops/conv_core.hpp"
#include "ops/image_common.hpp"
#include "xkeras/ops/conv.hpp"

namespace xkeras::ops {
namespace {

void require_positive3(Size3 v, const char* op, const char* what) {
  constexpr int kMax = 1 << 24;
  if (v.d <= 0 || v.h <= 0 || v.w <= 0 || v.d > kMax || v.h > kMax || v.w > kMax)
    throw ValueError(std::string(op) + ": expected `" + what + "` to be positive integers, got (" + std::to_string(v.d) +
                     ", " + std::to_string(v.h) + ", " + std::to_string(v.w) + ")");
}

// One axis of a forward 3-D convolution; throws when the window does not fit.
detail::ConvAxis forward_axis(const Shape& xs, std::size_t axis, std::size_t k, int s, int d, const std::string& pad) {
  const Window1D w = conv_window(static_cast<std::int64_t>(xs[axis]), static_cast<std::int64_t>(k), s, d, pad);
  if (w.out <= 0 && xs[1] > 0 && xs[2] > 0 && xs[3] > 0)
    throw ValueError("conv3d: the window " + std::to_string(k) + " with dilation " + std::to_string(d) +
                     " does not fit axis " + std::to_string(axis) + " of the input of shape " + shape_str(xs) +
                     " with padding=\"" + pad + "\": the output size would be zero or negative");
  return {xs[axis], k, static_cast<std::size_t>(std::max<std::int64_t>(0, w.out)), std::size_t(s), std::size_t(d),
          w.pad_before};
}

// One axis of a transposed 3-D convolution, as the underlying convolution sees it (it reads the output).
detail::ConvAxis transpose_axis(std::size_t n, std::size_t k, int s, int d, const std::string& pad, std::optional<int> op) {
  const TransposeWindow1D w = conv_transpose_window(static_cast<std::int64_t>(n), static_cast<std::int64_t>(k), s, d, pad,
                                                    op ? std::optional<std::int64_t>(*op) : std::nullopt);
  return {static_cast<std::size_t>(w.out), k, n, std::size_t(s), std::size_t(d), w.pad_before};
}

}  // namespace

// conv_forward (ops/conv_core.cpp) writes the derivatives; the depth axis is one more sum.
Tensor conv3d(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size3 strides, const std::string& padding,
              Size3 dilation_rate, int groups) {
  detail::require_rank(x, 5, "conv3d", "an input (batch, depth, height, width, channels)");
  detail::require_rank(kernel, 5, "conv3d", "a kernel (kernel_d, kernel_h, kernel_w, in_channels / groups, filters)");
  require_positive3(strides, "conv3d", "strides");
  require_positive3(dilation_rate, "conv3d", "dilation_rate");
  if (groups <= 0) throw ValueError("conv3d: `groups` must be a positive integer, got " + std::to_string(groups));
  const Shape xs = x.shape(), ks = kernel.shape();
  const auto G = static_cast<std::size_t>(groups);
  if (ks[0] == 0 || ks[1] == 0 || ks[2] == 0) throw ValueError("conv3d: the kernel window " + shape_str(ks) + " is empty");
  if (ks[3] * G != xs[4])
    throw ValueError("conv3d: the kernel " + shape_str(ks) + " expects " + std::to_string(ks[3]) + " x " +
                     std::to_string(groups) + " (groups) input channels, but the input " + shape_str(xs) + " has " +
                     std::to_string(xs[4]));
  if (ks[4] % G != 0)
    throw ValueError("conv3d: the number of filters (" + std::to_string(ks[4]) + ") must be divisible by groups=" +
                     std::to_string(groups));
  detail::require_bias(bias, ks[4], "conv3d");
  const std::string pad = standardize_padding(padding, "conv3d");
  const detail::ConvAxis d = forward_axis(xs, 1, ks[0], strides.d, dilation_rate.d, pad);
  const detail::ConvAxis h = forward_axis(xs, 2, ks[1], strides.h, dilation_rate.h, pad);
  const detail::ConvAxis w = forward_axis(xs, 3, ks[2], strides.w, dilation_rate.w, pad);
  const auto g = detail::make_geometry3(xs[0], d, h, w, xs[4], ks[4], G, bias.defined());
  return detail::conv_forward("conv3d", x, kernel, bias, g, Shape{xs[0], d.out, h.out, w.out, ks[4]});
}

// conv_transpose_forward (ops/conv_core.cpp) writes the derivatives.
Tensor conv3d_transpose(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size3 strides,
                        const std::string& padding, std::optional<Size3> output_padding, Size3 dilation_rate) {
  detail::require_rank(x, 5, "conv3d_transpose", "an input (batch, depth, height, width, channels)");
  detail::require_rank(kernel, 5, "conv3d_transpose", "a kernel (kernel_d, kernel_h, kernel_w, filters, in_channels)");
  require_positive3(strides, "conv3d_transpose", "strides");
  require_positive3(dilation_rate, "conv3d_transpose", "dilation_rate");
  const Shape xs = x.shape(), ks = kernel.shape();
  if (ks[0] == 0 || ks[1] == 0 || ks[2] == 0)
    throw ValueError("conv3d_transpose: the kernel window " + shape_str(ks) + " is empty");
  if (ks[4] != xs[4])
    throw ValueError("conv3d_transpose: the kernel " + shape_str(ks) + " expects " + std::to_string(ks[4]) +
                     " input channels (its last axis), but the input " + shape_str(xs) + " has " + std::to_string(xs[4]));
  detail::require_bias(bias, ks[3], "conv3d_transpose");
  const std::string pad = standardize_padding(padding, "conv3d_transpose");
  auto op = [&](int Size3::*axis) { return output_padding ? std::optional<int>((*output_padding).*axis) : std::nullopt; };
  const detail::ConvAxis d = transpose_axis(xs[1], ks[0], strides.d, dilation_rate.d, pad, op(&Size3::d));
  const detail::ConvAxis h = transpose_axis(xs[2], ks[1], strides.h, dilation_rate.h, pad, op(&Size3::h));
  const detail::ConvAxis w = transpose_axis(xs[3], ks[2], strides.w, dilation_rate.w, pad, op(&Size3::w));
  detail::require_sane_size({xs[0], d.in, h.in, w.in, ks[3]}, "conv3d_transpose");
  const auto g = detail::make_geometry3(xs[0], d, h, w, ks[3], xs[4], 1, false);
  return detail::conv_transpose_forward("conv3d_transpose", x, kernel, bias, g, Shape{xs[0], d.in, h.in, w.in, ks[3]});
}

}  // namespace xkeras::ops
