// Image ops on NHWC float32 tensors (Keras's channels_last): convolution, pooling, zero padding
// and nearest-neighbour upsampling. Each is one fused forward kernel with a hand-written backward
// on the tape, so Conv2D / MaxPooling2D / ... layers compose nothing smaller.
//
// Padding follows TensorFlow's "SAME" rule, which every Keras backend uses:
//   out = ceil(n / s),  total = max(0, (out - 1) * s + (k - 1) * d + 1 - n),
//   before = total / 2 (top/left),  after = total - before (bottom/right gets the extra pixel).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "xkeras/ops.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::ops {

/// A (height, width) pair of ints; a single int means the same value for both, as Keras's
/// int-or-tuple arguments: `Size2(3)` == `Size2(3, 3)`, and `{2, 1}` converts implicitly.
struct Size2 {
  int h = 1, w = 1;
  Size2(int v) : h(v), w(v) {}  // NOLINT: implicit on purpose (Keras accepts an int)
  Size2(int height, int width) : h(height), w(width) {}
  friend bool operator==(const Size2& a, const Size2& b) { return a.h == b.h && a.w == b.w; }
  friend bool operator!=(const Size2& a, const Size2& b) { return !(a == b); }
};

/// A (depth, height, width) triple of ints; a single int means the same value on the three axes,
/// as Keras's int-or-tuple arguments: `Size3(2)` == `Size3(2, 2, 2)`.
struct Size3 {
  int d = 1, h = 1, w = 1;
  Size3(int v) : d(v), h(v), w(v) {}  // NOLINT: implicit on purpose (Keras accepts an int)
  Size3(int depth, int height, int width) : d(depth), h(height), w(width) {}
  std::vector<int> list() const { return {d, h, w}; }
  friend bool operator==(const Size3& a, const Size3& b) { return a.d == b.d && a.h == b.h && a.w == b.w; }
  friend bool operator!=(const Size3& a, const Size3& b) { return !(a == b); }
};

/// Output length and the padding before/after along one spatial axis.
struct Window1D {
  std::int64_t out = 0, pad_before = 0, pad_after = 0;
};

/// One spatial axis of a convolution or pooling window of size `k`, stride `s`, dilation `d` over
/// an input of length `n` with padding "valid" or "same". Valid: out = floor((n - (k-1)*d - 1)/s) + 1
/// (0 when the window does not fit). Same: the TF rule above. Throws ValueError on a bad padding
/// string or a non-positive k, s or d.
Window1D conv_window(std::int64_t n, std::int64_t k, std::int64_t s, std::int64_t d, const std::string& padding);

/// Lower-cases `padding` and checks it is "valid" or "same"; `who` names the caller in the error.
std::string standardize_padding(const std::string& padding, const std::string& who);

/// 2-D cross-correlation (the kernel is not flipped), Keras's ops.conv for channels_last:
///   y[n, oh, ow, f] = bias[f] + sum_{i, j, c} xpad[n, oh*sh + i*dh, ow*sw + j*dw, g*Cg + c] * kernel[i, j, c, f]
/// with g = f / (F / groups) the group of filter f and Cg = C / groups.
/// x (N, H, W, C); kernel (kh, kw, C / groups, F); bias (F,) or an undefined Tensor for none.
/// Gradients flow to x, kernel and bias.
Tensor conv2d(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size2 strides = 1,
              const std::string& padding = "valid", Size2 dilation_rate = 1, int groups = 1);

/// Max over each (ph, pw) window; padded cells act as -inf (they never win). The gradient goes to
/// the first maximum of each window (row-major order within the window).
Tensor max_pool2d(const Tensor& x, Size2 pool_size, Size2 strides, const std::string& padding = "valid");

/// Mean over each window, dividing by the number of cells inside the input (with "same" padding
/// the padded cells are not counted, as TF/Keras do).
Tensor avg_pool2d(const Tensor& x, Size2 pool_size, Size2 strides, const std::string& padding = "valid");

/// Max / mean over H and W: (N, H, W, C) -> (N, C), or (N, 1, 1, C) with keepdims.
/// The max's gradient goes to the first maximum of each channel.
Tensor global_max_pool2d(const Tensor& x, bool keepdims = false);
Tensor global_avg_pool2d(const Tensor& x, bool keepdims = false);

/// Zero padding of H by (top, bottom) and W by (left, right) rows/columns: (N, H+t+b, W+l+r, C).
/// `ops::zero_pad2d(x, {1, 1}, {0, 2})`; negative amounts are a ValueError.
Tensor zero_pad2d(const Tensor& x, std::pair<int, int> top_bottom, std::pair<int, int> left_right);

/// Upsampling by integer factors to (N, H*sh, W*sw, C): "nearest" repeats each row size.h times and
/// each column size.w times; "bilinear" is ops::resize_bilinear (spatial.hpp) to that size.
Tensor upsample2d(const Tensor& x, Size2 size, const std::string& interpolation = "nearest");

}  // namespace xkeras::ops
