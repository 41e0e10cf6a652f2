// Bilinear image resize with half-pixel centres (tf.image.resize, Keras 3's ops.image.resize with
// interpolation="bilinear"): UpSampling2D(interpolation="bilinear") runs on it.
#include <algorithm>
#include <cmath>
#include <vector>

#include "ops/image_common.hpp"
#include "xkeras/ops/spatial.hpp"

namespace xkeras::ops {
namespace {

// For each output index along one axis: the two source indices and the weight of the second.
struct Taps {
  std::vector<std::size_t> lo, hi;
  std::vector<float> frac;
};

// s = (o + 0.5) * in / out - 0.5; lo = clamp(floor(s)), hi = clamp(floor(s) + 1), frac = s - floor(s)
// (TF's compute_interpolation_weights: a coordinate left of the first centre reads the first cell only).
Taps taps(std::size_t in, std::size_t out) {
  Taps t;
  t.lo.resize(out);
  t.hi.resize(out);
  t.frac.resize(out);
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  const auto last = static_cast<double>(in) - 1;
  for (std::size_t o = 0; o < out; ++o) {
    const double s = (static_cast<double>(o) + 0.5) * scale - 0.5;
    const double f = std::floor(s);
    t.lo[o] = static_cast<std::size_t>(std::clamp(f, 0.0, last));
    t.hi[o] = static_cast<std::size_t>(std::clamp(f + 1, 0.0, last));
    t.frac[o] = static_cast<float>(s - f);
  }
  return t;
}

}  // namespace

// y[n, i, j, c] = (1 - fy_i) * ((1 - fx_j) * x[n, ly_i, lx_j, c] + fx_j * x[n, ly_i, hx_j, c])
//               +      fy_i  * ((1 - fx_j) * x[n, hy_i, lx_j, c] + fx_j * x[n, hy_i, hx_j, c]).
// y is linear in x, so dL/dx scatters dL/dy[n, i, j, c] to the same four cells with the same
// four weights (cells that coincide after clamping receive the sum of their weights).
Tensor resize_bilinear(const Tensor& x, std::size_t out_h, std::size_t out_w) {
  detail::require_nhwc(x, "resize_bilinear");
  const Shape xs = x.shape();
  const std::size_t N = xs[0], H = xs[1], W = xs[2], C = xs[3];
  if ((H == 0 && out_h > 0) || (W == 0 && out_w > 0))
    throw ValueError("resize_bilinear: cannot resize an empty image, got shape " + shape_str(xs));
  detail::require_sane_size({N, out_h, out_w, C}, "resize_bilinear");
  const Taps ty = taps(H, out_h), tx = taps(W, out_w);
  Tensor y(detail::empty(Shape{N, out_h, out_w, C}));
  const float* px = x.data();
  float* py = y.data();
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t i = 0; i < out_h; ++i) {
      const float* r0 = px + (n * H + ty.lo[i]) * W * C;
      const float* r1 = px + (n * H + ty.hi[i]) * W * C;
      const float fy = ty.frac[i];
      float* dst = py + (n * out_h + i) * out_w * C;
      for (std::size_t j = 0; j < out_w; ++j) {
        const float fx = tx.frac[j];
        const float* a = r0 + tx.lo[j] * C;
        const float* b = r0 + tx.hi[j] * C;
        const float* c0 = r1 + tx.lo[j] * C;
        const float* d = r1 + tx.hi[j] * C;
        float* o = dst + j * C;
        for (std::size_t c = 0; c < C; ++c) {
          const float top = a[c] + fx * (b[c] - a[c]);
          const float bottom = c0[c] + fx * (d[c] - c0[c]);
          o[c] = top + fy * (bottom - top);
        }
      }
    }
  if (Tape::wants({&x})) {
    Tape::current().record("resize_bilinear", {x}, y, [x, y, N, H, W, C, out_h, out_w, ty, tx]() mutable {
      const float* g = y.impl()->grad.data();
      float* gx = x.grad_buffer().data();
      for (std::size_t n = 0; n < N; ++n)
        for (std::size_t i = 0; i < out_h; ++i) {
          float* r0 = gx + (n * H + ty.lo[i]) * W * C;
          float* r1 = gx + (n * H + ty.hi[i]) * W * C;
          const float fy = ty.frac[i];
          const float* src = g + (n * out_h + i) * out_w * C;
          for (std::size_t j = 0; j < out_w; ++j) {
            const float fx = tx.frac[j];
            const float w00 = (1 - fy) * (1 - fx), w01 = (1 - fy) * fx, w10 = fy * (1 - fx), w11 = fy * fx;
            float* a = r0 + tx.lo[j] * C;
            float* b = r0 + tx.hi[j] * C;
            float* c0 = r1 + tx.lo[j] * C;
            float* d = r1 + tx.hi[j] * C;
            const float* s = src + j * C;
            for (std::size_t c = 0; c < C; ++c) {
              a[c] += w00 * s[c];
              b[c] += w01 * s[c];
              c0[c] += w10 * s[c];
              d[c] += w11 * s[c];
            }
          }
        }
    });
  }
  return y;
}

}  // namespace xkeras::ops
