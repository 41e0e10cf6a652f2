// Transposed convolutions (Conv2DTranspose, Conv1DTranspose) on NHWC / NWC tensors: oneDNN's
// convolution run backwards (its backward-data primitive is the forward here).
#include <algorithm>
#include <cctype>

#include "ops/conv_core.hpp"
#include "ops/image_common.hpp"
#include "xkeras/ops/conv.hpp"

namespace xkeras::ops {

TransposeWindow1D conv_transpose_window(std::int64_t n, std::int64_t k, std::int64_t s, std::int64_t d,
                                        const std::string& padding, std::optional<std::int64_t> output_padding) {
  // conv_window checks k, s, d and the padding string and bounds the dilated window (and n).
  conv_window(std::max<std::int64_t>(n, 0), k, s, d, padding);
  const std::string p = standardize_padding(padding, "conv_transpose_window");
  if (output_padding && (*output_padding < 0 || *output_padding >= s))
    throw ValueError("conv_transpose: strides must be greater than output padding, and output padding must be "
                     "non-negative. Received strides=" + std::to_string(s) + ", output_padding=" +
                     std::to_string(*output_padding));
  const std::int64_t k_eff = (k - 1) * d + 1;
  TransposeWindow1D w;
  if (n <= 0) return w;  // nothing to scatter: an empty axis stays empty
  if (p == "valid")
    w.out = output_padding ? (n - 1) * s + k_eff + *output_padding : (n - 1) * s + std::max(k_eff, s);
  else
    w.out = output_padding ? (n - 1) * s + k_eff % 2 + *output_padding : n * s;
  if (w.out > kMaxSampleValues)
    throw ValueError("conv_transpose: the output length " + std::to_string(w.out) + " (input " + std::to_string(n) +
                     ", window " + std::to_string(k) + ", stride " + std::to_string(s) +
                     ") is outside the limit of 2^26 per axis");
  if (p == "same") w.pad_before = std::max<std::int64_t>((n - 1) * s + k_eff - w.out, 0) / 2;
  return w;
}

namespace {

detail::ConvAxis transpose_axis(std::size_t n, std::size_t k, int s, int d, const std::string& padding,
                                std::optional<int> op) {
  const TransposeWindow1D w = conv_transpose_window(static_cast<std::int64_t>(n), static_cast<std::int64_t>(k), s, d,
                                                    padding, op ? std::optional<std::int64_t>(*op) : std::nullopt);
  // The underlying convolution reads the (long) output and writes the (short) input.
  return {static_cast<std::size_t>(w.out), k, n, std::size_t(s), std::size_t(d), w.pad_before};
}

}  // namespace

// conv_transpose_forward (ops/conv_core.cpp) writes the derivatives.
Tensor conv2d_transpose(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size2 strides,
                        const std::string& padding, std::optional<Size2> output_padding, Size2 dilation_rate) {
  detail::require_nhwc(x, "conv2d_transpose");
  detail::require_rank(kernel, 4, "conv2d_transpose", "a kernel (kernel_h, kernel_w, filters, in_channels)");
  detail::require_positive(strides, "conv2d_transpose", "strides");
  detail::require_positive(dilation_rate, "conv2d_transpose", "dilation_rate");
  const Shape xs = x.shape(), ks = kernel.shape();
  if (ks[0] == 0 || ks[1] == 0) throw ValueError("conv2d_transpose: the kernel window " + shape_str(ks) + " is empty");
  if (ks[3] != xs[3])
    throw ValueError("conv2d_transpose: the kernel " + shape_str(ks) + " expects " + std::to_string(ks[3]) +
                     " input channels (its last axis), but the input " + shape_str(xs) + " has " + std::to_string(xs[3]));
  detail::require_bias(bias, ks[2], "conv2d_transpose");
  const std::string pad = standardize_padding(padding, "conv2d_transpose");
  const auto oph = output_padding ? std::optional<int>(output_padding->h) : std::nullopt;
  const auto opw = output_padding ? std::optional<int>(output_padding->w) : std::nullopt;
  const detail::ConvAxis h = transpose_axis(xs[1], ks[0], strides.h, dilation_rate.h, pad, oph);
  const detail::ConvAxis w = transpose_axis(xs[2], ks[1], strides.w, dilation_rate.w, pad, opw);
  detail::require_sane_size({xs[0], h.in, w.in, ks[2]}, "conv2d_transpose");
  const auto g = detail::make_geometry(xs[0], h, w, ks[2], xs[3], 1, false);
  return detail::conv_transpose_forward("conv2d_transpose", x, kernel, bias, g, Shape{xs[0], h.in, w.in, ks[2]});
}

Tensor conv1d_transpose(const Tensor& x, const Tensor& kernel, const Tensor& bias, int strides,
                        const std::string& padding, std::optional<int> output_padding, int dilation_rate) {
  detail::require_rank(x, 3, "conv1d_transpose", "an input (batch, steps, channels)");
  detail::require_rank(kernel, 3, "conv1d_transpose", "a kernel (kernel_size, filters, in_channels)");
  const Shape xs = x.shape(), ks = kernel.shape();
  if (ks[0] == 0) throw ValueError("conv1d_transpose: the kernel window " + shape_str(ks) + " is empty");
  if (ks[2] != xs[2])
    throw ValueError("conv1d_transpose: the kernel " + shape_str(ks) + " expects " + std::to_string(ks[2]) +
                     " input channels (its last axis), but the input " + shape_str(xs) + " has " + std::to_string(xs[2]));
  detail::require_bias(bias, ks[1], "conv1d_transpose");
  const std::string pad = standardize_padding(padding, "conv1d_transpose");
  const detail::ConvAxis t = transpose_axis(xs[1], ks[0], strides, dilation_rate, pad, output_padding);
  detail::require_sane_size({xs[0], t.in, ks[1]}, "conv1d_transpose");
  const auto g = detail::make_geometry(xs[0], {}, t, ks[1], xs[2], 1, false);
  return detail::conv_transpose_forward("conv1d_transpose", x, kernel, bias, g, Shape{xs[0], t.in, ks[1]});
}

}  // namespace xkeras::ops
