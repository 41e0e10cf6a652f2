// Convolution variants on NWC / NHWC / NDHWC float32 tensors (Keras's channels_last), each one
// oneDNN op with its backward on the tape: 1-D convolution (with causal padding), transposed
// convolution, depthwise convolution and 3-D convolution. Windows, strides, dilations and the TF "same" rule are those of
// ops::conv2d (xkeras/ops/image.hpp); the limits on window sizes are ops::conv_window's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "xkeras/ops/image.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::ops {

/// One spatial axis of a transposed convolution (Keras's compute_conv_transpose_output_shape):
/// with k_eff = (k - 1) * d + 1 and op the output padding (nullopt = Keras's None),
///   valid: out = (n - 1) * s + max(k_eff, s)        or (n - 1) * s + k_eff + op
///   same:  out = n * s                              or (n - 1) * s + k_eff % 2 + op
/// and the input pixel i lands on outputs i * s + a * d - pad_before, where pad_before is 0 for
/// valid and max((n - 1) * s + k_eff - out, 0) / 2 for same. Throws ValueError when op is not in
/// [0, s) (Keras: strides must be greater than output padding), for k, s, d outside conv_window's
/// limits, or when out would pass 2^26.
struct TransposeWindow1D {
  std::int64_t out = 0, pad_before = 0;
};
TransposeWindow1D conv_transpose_window(std::int64_t n, std::int64_t k, std::int64_t s, std::int64_t d,
                                        const std::string& padding, std::optional<std::int64_t> output_padding = {});

/// 1-D cross-correlation, Keras's Conv1D: x (N, T, C), kernel (k, C / groups, F), bias (F,) or undefined.
///   y[n, t, f] = bias[f] + sum_{j, c} xpad[n, t * s + j * d, g * Cg + c] * kernel[j, c, f]
/// padding "valid", "same" (TF split) or "causal": (k - 1) * d zeros on the left only, so y[t]
/// sees x[t - (k-1)d .. t]; its length is ceil(T / s), as "same". Gradients flow to all three.
Tensor conv1d(const Tensor& x, const Tensor& kernel, const Tensor& bias, int strides = 1,
              const std::string& padding = "valid", int dilation_rate = 1, int groups = 1);

/// Transposed 2-D convolution (the input-gradient of conv2d), Keras's Conv2DTranspose:
/// x (N, H, W, C), kernel (kh, kw, F, C) (filters before input channels, as Keras stores it),
/// bias (F,) or undefined; output (N, OH, OW, F) with OH, OW from conv_transpose_window:
///   y[n, i*sh + a*dh - top, j*sw + b*dw - left, f] += x[n, i, j, c] * kernel[a, b, f, c]   (+ bias[f])
Tensor conv2d_transpose(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size2 strides = 1,
                        const std::string& padding = "valid", std::optional<Size2> output_padding = {},
                        Size2 dilation_rate = 1);

/// Transposed 1-D convolution, Keras's Conv1DTranspose: x (N, T, C), kernel (k, F, C), bias (F,).
Tensor conv1d_transpose(const Tensor& x, const Tensor& kernel, const Tensor& bias, int strides = 1,
                        const std::string& padding = "valid", std::optional<int> output_padding = {},
                        int dilation_rate = 1);

/// Depthwise 2-D convolution, Keras's DepthwiseConv2D: x (N, H, W, C), kernel (kh, kw, C, M),
/// bias (C * M,) or undefined; each channel c is convolved with its own M filters and output
/// channel c * M + m is
///   y[n, i, j, c*M + m] = bias[c*M + m] + sum_{a, b} xpad[n, i*sh + a*dh, j*sw + b*dw, c] * kernel[a, b, c, m]
/// (a grouped convolution with C groups on oneDNN).
Tensor depthwise_conv2d(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size2 strides = 1,
                        const std::string& padding = "valid", Size2 dilation_rate = 1);

/// Depthwise 1-D convolution, Keras's DepthwiseConv1D: x (N, T, C), kernel (k, C, M), bias (C * M,).
Tensor depthwise_conv1d(const Tensor& x, const Tensor& kernel, const Tensor& bias, int strides = 1,
                        const std::string& padding = "valid", int dilation_rate = 1);

/// 3-D cross-correlation, Keras's Conv3D: x (N, D, H, W, C), kernel (kd, kh, kw, C / groups, F),
/// bias (F,) or undefined; valid or same (the TF split on each axis), as conv2d with one more axis.
Tensor conv3d(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size3 strides = 1,
              const std::string& padding = "valid", Size3 dilation_rate = 1, int groups = 1);

/// Transposed 3-D convolution, Keras's Conv3DTranspose: x (N, D, H, W, C), kernel (kd, kh, kw, F, C),
/// bias (F,); each output length from conv_transpose_window.
Tensor conv3d_transpose(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size3 strides = 1,
                        const std::string& padding = "valid", std::optional<Size3> output_padding = {},
                        Size3 dilation_rate = 1);

}  // namespace xkeras::ops
