// Upsampling by integer factors: nearest neighbour for 1 to 3 spatial axes (Keras's UpSampling1D/2D/3D),
// and UpSampling2D's interpolation="bilinear" through resize_bilinear.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "ops/image_common.hpp"
#include "xkeras/ops/spatial.hpp"

namespace xkeras::ops {

// y[n, i, j, c] = x[n, i / sh, j / sw, c]  (integer division: each pixel becomes an sh x sw block).
// dL/dx[n, a, b, c] = sum over the block's sh*sw cells of dL/dy.
Tensor upsample2d(const Tensor& x, Size2 size, const std::string& interpolation) {
  detail::require_nhwc(x, "upsample2d");
  detail::require_positive(size, "upsample2d", "size");
  std::string mode = interpolation;
  for (auto& ch : mode) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (mode == "bicubic" || mode == "lanczos3" || mode == "lanczos5" || mode == "area")
    throw NotImplementedError("upsample2d: interpolation=\"" + interpolation +
                              "\" is not implemented in xkeras; only \"nearest\" and \"bilinear\" are");
  if (mode != "nearest" && mode != "bilinear")
    throw ValueError("upsample2d: `interpolation` must be one of \"nearest\", \"bilinear\", \"bicubic\", \"lanczos3\", "
                     "\"lanczos5\". Received: \"" + interpolation + "\"");
  const Shape xs = x.shape();
  const std::size_t N = xs[0], H = xs[1], W = xs[2], C = xs[3];
  const auto sh = static_cast<std::size_t>(size.h), sw = static_cast<std::size_t>(size.w);
  detail::require_sane_size({N, H, sh, W, sw, C}, "upsample2d");
  const std::size_t OH = H * sh, OW = W * sw;
  if (mode == "bilinear") return resize_bilinear(x, OH, OW);
  Tensor y(detail::empty(Shape{N, OH, OW, C}));
  const float* px = x.data();
  float* py = y.data();
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t i = 0; i < OH; ++i) {
      const float* src_row = px + (n * H + i / sh) * W * C;
      float* dst = py + (n * OH + i) * OW * C;
      for (std::size_t j = 0; j < OW; ++j) std::copy(src_row + (j / sw) * C, src_row + (j / sw + 1) * C, dst + j * C);
    }
  if (Tape::wants({&x})) {
    Tape::current().record("upsample2d", {x}, y, [x, y, N, H, W, C, sh, sw, OH, OW]() mutable {
      const float* g = y.impl()->grad.data();
      float* gx = x.grad_buffer().data();
      for (std::size_t n = 0; n < N; ++n)
        for (std::size_t i = 0; i < OH; ++i) {
          float* dst_row = gx + (n * H + i / sh) * W * C;
          const float* src = g + (n * OH + i) * OW * C;
          for (std::size_t j = 0; j < OW; ++j) {
            float* d = dst_row + (j / sw) * C;
            for (std::size_t c = 0; c < C; ++c) d[c] += src[j * C + c];
          }
        }
    });
  }
  return y;
}

// y[n, a, i, j, c] = x[n, a / sd, i / sh, j / sw, c] on the (N, D, H, W, C) view (integer division:
// each cell becomes a block). dL/dx[n, p, q, r, c] = sum over its block's cells of dL/dy.
Tensor upsample_nearest(const Tensor& x, const std::vector<int>& sizes) {
  if (!x.defined()) throw ValueError("upsample_nearest: the input tensor is undefined");
  const std::size_t k = sizes.size();
  if (k < 1 || k > 3 || x.ndim() != k + 2)
    throw ValueError("upsample_nearest: expected a " + std::to_string(k + 2) + "-D input for " + std::to_string(k) +
                     " upsampling factors (1 to 3 spatial axes), got shape " + shape_str(x.shape()));
  const Shape xs = x.shape();
  std::array<std::size_t, 3> in{1, 1, 1}, f{1, 1, 1}, out{};
  for (std::size_t a = 0; a < k; ++a) {
    if (sizes[a] <= 0 || sizes[a] > (1 << 24))
      throw ValueError("upsample_nearest: upsampling factors must be positive integers, got " + std::to_string(sizes[a]));
    in[3 - k + a] = xs[1 + a];
    f[3 - k + a] = static_cast<std::size_t>(sizes[a]);
  }
  const std::size_t N = xs[0], C = xs.back();
  detail::require_sane_size({N, in[0], f[0], in[1], f[1], in[2], f[2], C}, "upsample_nearest");
  for (std::size_t a = 0; a < 3; ++a) out[a] = in[a] * f[a];
  Shape ys{N};
  for (std::size_t a = 3 - k; a < 3; ++a) ys.push_back(out[a]);
  ys.push_back(C);
  Tensor y(detail::empty(ys));
  const std::size_t in_row = in[2] * C, out_row = out[2] * C;
  const float* px = x.data();
  float* py = y.data();
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t p = 0; p < in[0]; ++p)
      for (std::size_t q = 0; q < in[1]; ++q) {
        const float* src = px + ((n * in[0] + p) * in[1] + q) * in_row;
        // build the first output row of the block, then copy it to the block's other rows
        float* first = py + ((n * out[0] + p * f[0]) * out[1] + q * f[1]) * out_row;
        for (std::size_t j = 0; j < out[2]; ++j) std::memcpy(first + j * C, src + (j / f[2]) * C, C * sizeof(float));
        for (std::size_t a = 0; a < f[0]; ++a)
          for (std::size_t b = 0; b < f[1]; ++b) {
            if (a == 0 && b == 0) continue;
            std::memcpy(py + ((n * out[0] + p * f[0] + a) * out[1] + q * f[1] + b) * out_row, first, out_row * sizeof(float));
          }
      }
  if (Tape::wants({&x})) {
    Tape::current().record("upsample_nearest", {x}, y, [x, y, N, C, in, out, f]() mutable {
      const float* g = y.impl()->grad.data();
      float* gx = x.grad_buffer().data();
      const std::size_t in_row = in[2] * C, out_row = out[2] * C;
      for (std::size_t n = 0; n < N; ++n)
        for (std::size_t a = 0; a < out[0]; ++a)
          for (std::size_t b = 0; b < out[1]; ++b) {
            const float* src = g + ((n * out[0] + a) * out[1] + b) * out_row;
            float* dst = gx + ((n * in[0] + a / f[0]) * in[1] + b / f[1]) * in_row;
            for (std::size_t j = 0; j < out[2]; ++j) {
              float* d = dst + (j / f[2]) * C;
              for (std::size_t c = 0; c < C; ++c) d[c] += src[j * C + c];
            }
          }
    });
  }
  return y;
}

}  // namespace xkeras::ops
