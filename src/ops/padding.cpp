// Window geometry (TF "valid"/"same" rule) and zero padding of images.
#include <algorithm>
#include <cctype>
#include <cstring>

#include "ops/image_common.hpp"

namespace xkeras::ops {

std::string standardize_padding(const std::string& padding, const std::string& who) {
  std::string p = padding;
  for (auto& ch : p) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (p != "valid" && p != "same")
    throw ValueError(who + ": the `padding` argument must be one of \"valid\", \"same\". Received: padding=\"" +
                     padding + "\"");
  return p;
}

Window1D conv_window(std::int64_t n, std::int64_t k, std::int64_t s, std::int64_t d, const std::string& padding) {
  if (k <= 0 || s <= 0 || d <= 0)
    throw ValueError("conv_window: window size, stride and dilation must be positive, got k=" + std::to_string(k) +
                     ", s=" + std::to_string(s) + ", d=" + std::to_string(d));
  const std::string p = standardize_padding(padding, "conv_window");
  // Every factor is bounded first, so neither the window nor the padding arithmetic can overflow.
  if (k > kMaxSampleValues || s > kMaxSampleValues || d > kMaxSampleValues || n > kMaxSampleValues ||
      (k - 1) * d + 1 > kMaxSampleValues)
    throw ValueError("conv_window: a window of " + std::to_string(k) + " with dilation " + std::to_string(d) +
                     ", stride " + std::to_string(s) + " over an input of length " + std::to_string(n) +
                     " is outside the limit of 2^26 per axis ((window - 1) * dilation + 1 must be at most 2^26)");
  const std::int64_t k_eff = (k - 1) * d + 1;
  Window1D w;
  if (p == "valid") {
    w.out = n >= k_eff ? (n - k_eff) / s + 1 : 0;
  } else {
    w.out = (n + s - 1) / s;  // ceil(n / s)
    const std::int64_t total = std::max<std::int64_t>(0, (w.out - 1) * s + k_eff - n);
    w.pad_before = total / 2;
    w.pad_after = total - w.pad_before;  // the extra pixel goes bottom/right
  }
  return w;
}

// y[n, t + i, l + j, c] = x[n, i, j, c], zeros elsewhere.
// dL/dx[n, i, j, c] = dL/dy[n, t + i, l + j, c]: the backward crops the gradient.
Tensor zero_pad2d(const Tensor& x, std::pair<int, int> top_bottom, std::pair<int, int> left_right) {
  detail::require_nhwc(x, "zero_pad2d");
  const auto [t, b] = top_bottom;
  const auto [l, r] = left_right;
  constexpr int kMax = 1 << 24;
  for (int v : {t, b, l, r})
    if (v < 0 || v > kMax)
      throw ValueError("zero_pad2d: padding amounts must be non-negative integers, got ((" + std::to_string(t) + ", " +
                       std::to_string(b) + "), (" + std::to_string(l) + ", " + std::to_string(r) + "))");
  const Shape xs = x.shape();
  const std::size_t N = xs[0], H = xs[1], W = xs[2], C = xs[3];
  const std::size_t OH = H + static_cast<std::size_t>(t) + static_cast<std::size_t>(b);
  const std::size_t OW = W + static_cast<std::size_t>(l) + static_cast<std::size_t>(r);
  detail::require_sane_size({N, OH, OW, C}, "zero_pad2d");
  Tensor y(Array(Shape{N, OH, OW, C}, 0.0f));
  const std::size_t row = W * C;  // one input row, contiguous in both tensors
  const std::size_t top = static_cast<std::size_t>(t), left = static_cast<std::size_t>(l);
  // offset of output row top + i, column left (captured by value: the backward runs later)
  auto at = [OH, OW, C, top, left](std::size_t n, std::size_t i) { return ((n * OH + i + top) * OW + left) * C; };
  const float* px = x.data();
  float* py = y.data();
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t i = 0; i < H; ++i) std::memcpy(py + at(n, i), px + (n * H + i) * row, row * sizeof(float));
  if (Tape::wants({&x})) {
    Tape::current().record("zero_pad2d", {x}, y, [x, y, N, H, row, at]() mutable {
      const float* g = y.impl()->grad.data();
      float* gx = x.grad_buffer().data();
      for (std::size_t n = 0; n < N; ++n)
        for (std::size_t i = 0; i < H; ++i) {
          const float* src = g + at(n, i);
          float* dst = gx + (n * H + i) * row;
          for (std::size_t k = 0; k < row; ++k) dst[k] += src[k];
        }
    });
  }
  return y;
}

}  // namespace xkeras::ops
