// 1-D convolutions on NWC tensors (Conv1D, DepthwiseConv1D): the 2-D oneDNN convolution of the
// (N, 1, T, C) image that has the same memory, so there is no copy and no separate kernel.
#include <algorithm>
#include <cctype>

#include "ops/conv_core.hpp"
#include "ops/image_common.hpp"
#include "xkeras/ops/conv.hpp"

namespace xkeras::ops {
namespace {

// "valid", "same" or "causal" (lower-cased); `causal` says whether the op accepts the last.
std::string padding_1d(const std::string& padding, bool causal, const char* op) {
  std::string p = padding;
  for (auto& ch : p) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (causal && p == "causal") return p;
  if (p == "valid" || p == "same") return p;
  throw ValueError(std::string(op) + ": the `padding` argument must be one of \"valid\", \"same\"" +
                   (causal ? ", \"causal\"" : "") + ". Received: padding=\"" + padding + "\"");
}

// The time axis of a 1-D convolution; causal = "same"'s length with all (k - 1) * d pads before.
detail::ConvAxis time_axis(const Shape& xs, std::size_t k, int s, int d, const std::string& pad, const char* op) {
  if (s <= 0 || d <= 0)
    throw ValueError(std::string(op) + ": expected `strides` and `dilation_rate` to be positive integers, got " +
                     std::to_string(s) + " and " + std::to_string(d));
  const auto n = static_cast<std::int64_t>(xs[1]);
  Window1D w = conv_window(n, static_cast<std::int64_t>(k), s, d,
                           pad == "causal" ? "same" : pad);
  if (pad == "causal") w.pad_before = static_cast<std::int64_t>(k - 1) * d;
  if (w.out <= 0 && n > 0)
    throw ValueError(std::string(op) + ": the window " + std::to_string(k) + " with dilation " + std::to_string(d) +
                     " does not fit the input of shape " + shape_str(xs) + " with padding=\"" + pad +
                     "\": the output size would be zero or negative");
  return {xs[1], k, static_cast<std::size_t>(std::max<std::int64_t>(0, w.out)), std::size_t(s), std::size_t(d),
          w.pad_before};
}

}  // namespace

// conv_forward (ops/conv_core.cpp) writes the derivatives; here the height is 1.
Tensor conv1d(const Tensor& x, const Tensor& kernel, const Tensor& bias, int strides, const std::string& padding,
              int dilation_rate, int groups) {
  detail::require_rank(x, 3, "conv1d", "an input (batch, steps, channels)");
  detail::require_rank(kernel, 3, "conv1d", "a kernel (kernel_size, in_channels / groups, filters)");
  if (groups <= 0) throw ValueError("conv1d: `groups` must be a positive integer, got " + std::to_string(groups));
  const Shape xs = x.shape(), ks = kernel.shape();
  const auto G = static_cast<std::size_t>(groups);
  if (ks[0] == 0) throw ValueError("conv1d: the kernel window " + shape_str(ks) + " is empty");
  if (ks[1] * G != xs[2])
    throw ValueError("conv1d: the kernel " + shape_str(ks) + " expects " + std::to_string(ks[1]) + " x " +
                     std::to_string(groups) + " (groups) input channels, but the input " + shape_str(xs) + " has " +
                     std::to_string(xs[2]));
  if (ks[2] % G != 0)
    throw ValueError("conv1d: the number of filters (" + std::to_string(ks[2]) + ") must be divisible by groups=" +
                     std::to_string(groups));
  detail::require_bias(bias, ks[2], "conv1d");
  const std::string pad = padding_1d(padding, true, "conv1d");
  const detail::ConvAxis t = time_axis(xs, ks[0], strides, dilation_rate, pad, "conv1d");
  const auto g = detail::make_geometry(xs[0], {}, t, xs[2], ks[2], G, bias.defined());
  return detail::conv_forward("conv1d", x, kernel, bias, g, Shape{xs[0], t.out, ks[2]});
}

// conv_forward (ops/conv_core.cpp) writes the derivatives: a kernel (k, C, M) is the grouped
// kernel (1, k, 1, C * M) with C groups, whose filter c * M + m belongs to group c.
Tensor depthwise_conv1d(const Tensor& x, const Tensor& kernel, const Tensor& bias, int strides,
                        const std::string& padding, int dilation_rate) {
  detail::require_rank(x, 3, "depthwise_conv1d", "an input (batch, steps, channels)");
  detail::require_rank(kernel, 3, "depthwise_conv1d", "a kernel (kernel_size, in_channels, depth_multiplier)");
  const Shape xs = x.shape(), ks = kernel.shape();
  if (ks[0] == 0) throw ValueError("depthwise_conv1d: the kernel window " + shape_str(ks) + " is empty");
  if (ks[1] != xs[2])
    throw ValueError("depthwise_conv1d: the kernel " + shape_str(ks) + " expects " + std::to_string(ks[1]) +
                     " input channels, but the input " + shape_str(xs) + " has " + std::to_string(xs[2]));
  const std::size_t F = ks[1] * ks[2];  // a real kernel's size: no overflow
  detail::require_bias(bias, F, "depthwise_conv1d");
  const std::string pad = padding_1d(padding, false, "depthwise_conv1d");
  const detail::ConvAxis t = time_axis(xs, ks[0], strides, dilation_rate, pad, "depthwise_conv1d");
  const auto g = detail::make_geometry(xs[0], {}, t, xs[2], F, std::max<std::size_t>(1, xs[2]), bias.defined());
  return detail::conv_forward("depthwise_conv1d", x, kernel, bias, g, Shape{xs[0], t.out, F});
}

}  // namespace xkeras::ops
