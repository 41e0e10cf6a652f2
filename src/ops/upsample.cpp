// Nearest-neighbour upsampling by integer factors (Keras UpSampling2D, interpolation="nearest").
#include <algorithm>
#include <cctype>

#include "ops/image_common.hpp"

namespace xkeras::ops {

// y[n, i, j, c] = x[n, i / sh, j / sw, c]  (integer division: each pixel becomes an sh x sw block).
// dL/dx[n, a, b, c] = sum over the block's sh*sw cells of dL/dy.
Tensor upsample2d(const Tensor& x, Size2 size, const std::string& interpolation) {
  detail::require_nhwc(x, "upsample2d");
  detail::require_positive(size, "upsample2d", "size");
  std::string mode = interpolation;
  for (auto& ch : mode) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (mode == "bilinear" || mode == "bicubic" || mode == "lanczos3" || mode == "lanczos5" || mode == "area")
    throw NotImplementedError("upsample2d: interpolation=\"" + interpolation +
                              "\" is not implemented in xkeras; only \"nearest\" is");
  if (mode != "nearest")
    throw ValueError("upsample2d: `interpolation` must be one of \"nearest\", \"bilinear\", \"bicubic\", \"lanczos3\", "
                     "\"lanczos5\". Received: \"" + interpolation + "\"");
  const Shape xs = x.shape();
  const std::size_t N = xs[0], H = xs[1], W = xs[2], C = xs[3];
  const auto sh = static_cast<std::size_t>(size.h), sw = static_cast<std::size_t>(size.w);
  detail::require_sane_size({N, H, sh, W, sw, C}, "upsample2d");
  const std::size_t OH = H * sh, OW = W * sw;
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

}  // namespace xkeras::ops
