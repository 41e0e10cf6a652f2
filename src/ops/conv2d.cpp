// 2-D convolution (cross-correlation) on NHWC tensors; the arithmetic is oneDNN's (kernels/conv2d).
#include <algorithm>

#include "kernels/conv2d.hpp"
#include "ops/conv_core.hpp"
#include "ops/image_common.hpp"

namespace xkeras::ops {
namespace {

kernels::ConvGeometry geometry(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size2 strides,
                               const std::string& padding, Size2 dilation, int groups) {
  detail::require_nhwc(x, "conv2d");
  if (!kernel.defined() || kernel.ndim() != 4)
    throw ValueError("conv2d: expected a 4-D kernel (kernel_h, kernel_w, in_channels / groups, filters), got " +
                     (kernel.defined() ? shape_str(kernel.shape()) : std::string("an undefined tensor")));
  detail::require_positive(strides, "conv2d", "strides");
  detail::require_positive(dilation, "conv2d", "dilation_rate");
  if (groups <= 0) throw ValueError("conv2d: `groups` must be a positive integer, got " + std::to_string(groups));
  const Shape xs = x.shape(), ks = kernel.shape();
  const auto G = static_cast<std::size_t>(groups);
  if (ks[0] == 0 || ks[1] == 0) throw ValueError("conv2d: the kernel window " + shape_str(ks) + " is empty");
  if (ks[2] * G != xs[3])
    throw ValueError("conv2d: the kernel " + shape_str(ks) + " expects " + std::to_string(ks[2]) + " x " +
                     std::to_string(groups) + " (groups) input channels, but the input " + shape_str(xs) + " has " +
                     std::to_string(xs[3]));
  if (ks[3] % G != 0)
    throw ValueError("conv2d: the number of filters (" + std::to_string(ks[3]) +
                     ") must be divisible by groups=" + std::to_string(groups));
  if (bias.defined() && (bias.ndim() != 1 || bias.dim(0) != ks[3]))
    throw ValueError("conv2d: expected a bias of shape (" + std::to_string(ks[3]) + ",), got " + shape_str(bias.shape()));
  const std::string pad = standardize_padding(padding, "conv2d");
  if (ks[0] > (1u << 24) || ks[1] > (1u << 24)) throw ValueError("conv2d: kernel window too large: " + shape_str(ks));
  const auto win = detail::windows_2d(xs, Size2(static_cast<int>(ks[0]), static_cast<int>(ks[1])), strides, dilation,
                                      pad, "conv2d");
  kernels::ConvGeometry g;
  g.n = xs[0], g.h = xs[1], g.w = xs[2], g.c = xs[3];
  g.kh = ks[0], g.kw = ks[1];
  g.oh = static_cast<std::size_t>(std::max<std::int64_t>(0, win.h.out));
  g.ow = static_cast<std::size_t>(std::max<std::int64_t>(0, win.w.out));
  g.sh = static_cast<std::size_t>(strides.h), g.sw = static_cast<std::size_t>(strides.w);
  g.dh = static_cast<std::size_t>(dilation.h), g.dw = static_cast<std::size_t>(dilation.w);
  g.pad_top = win.h.pad_before, g.pad_left = win.w.pad_before;
  g.groups = G;
  g.f = ks[3];
  g.bias = bias.defined();
  return g;
}

}  // namespace

// The arithmetic, the tape record and the backward are conv_forward's (ops/conv_core.cpp).
Tensor conv2d(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size2 strides, const std::string& padding,
              Size2 dilation_rate, int groups) {
  const kernels::ConvGeometry g = geometry(x, kernel, bias, strides, padding, dilation_rate, groups);
  return detail::conv_forward("conv2d", x, kernel, bias, g, Shape{g.n, g.oh, g.ow, g.f});
}

}  // namespace xkeras::ops
