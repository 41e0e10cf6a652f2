// Depthwise 2-D convolution on NHWC tensors: a grouped oneDNN convolution with one group per channel.
#include <algorithm>

#include "ops/conv_core.hpp"
#include "ops/image_common.hpp"
#include "xkeras/ops/conv.hpp"

namespace xkeras::ops {

// conv_forward (ops/conv_core.cpp) writes the derivatives. Keras's kernel (kh, kw, C, M) has the
// memory of the grouped kernel (kh, kw, 1, C * M) with C groups, where filter c * M + m is in group
// c: exactly Keras's output channel order, so neither the kernel nor the output is reordered.
Tensor depthwise_conv2d(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size2 strides,
                        const std::string& padding, Size2 dilation_rate) {
  detail::require_nhwc(x, "depthwise_conv2d");
  detail::require_rank(kernel, 4, "depthwise_conv2d", "a kernel (kernel_h, kernel_w, in_channels, depth_multiplier)");
  detail::require_positive(strides, "depthwise_conv2d", "strides");
  detail::require_positive(dilation_rate, "depthwise_conv2d", "dilation_rate");
  const Shape xs = x.shape(), ks = kernel.shape();
  if (ks[0] == 0 || ks[1] == 0) throw ValueError("depthwise_conv2d: the kernel window " + shape_str(ks) + " is empty");
  if (ks[0] > (1u << 24) || ks[1] > (1u << 24))
    throw ValueError("depthwise_conv2d: kernel window too large: " + shape_str(ks));
  if (ks[2] != xs[3])
    throw ValueError("depthwise_conv2d: the kernel " + shape_str(ks) + " expects " + std::to_string(ks[2]) +
                     " input channels, but the input " + shape_str(xs) + " has " + std::to_string(xs[3]));
  const std::size_t F = ks[2] * ks[3];  // a real kernel's size: no overflow
  detail::require_bias(bias, F, "depthwise_conv2d");
  const std::string pad = standardize_padding(padding, "depthwise_conv2d");
  const auto win = detail::windows_2d(xs, Size2(static_cast<int>(ks[0]), static_cast<int>(ks[1])), strides,
                                      dilation_rate, pad, "depthwise_conv2d");
  auto axis = [](std::size_t in, std::size_t k, const Window1D& w, int s, int d) {
    return detail::ConvAxis{in, k, static_cast<std::size_t>(std::max<std::int64_t>(0, w.out)), std::size_t(s),
                            std::size_t(d), w.pad_before};
  };
  const detail::ConvAxis h = axis(xs[1], ks[0], win.h, strides.h, dilation_rate.h);
  const detail::ConvAxis w = axis(xs[2], ks[1], win.w, strides.w, dilation_rate.w);
  const auto g = detail::make_geometry(xs[0], h, w, xs[3], F, std::max<std::size_t>(1, xs[3]), bias.defined());
  return detail::conv_forward("depthwise_conv2d", x, kernel, bias, g, Shape{xs[0], h.out, w.out, F});
}

}  // namespace xkeras::ops
