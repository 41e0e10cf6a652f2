// Max and average pooling over windows, and global pooling over H and W (NHWC).
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "ops/image_common.hpp"

namespace xkeras::ops {
namespace {

// The part of each pooling window that lies inside the input (padding cells are never read).
struct PoolGeometry {
  std::size_t n, h, w, c, oh, ow;
  std::int64_t ph, pw, sh, sw, pad_top, pad_left;

  // [h0, h1) x [w0, w1): the window of output pixel (oh, ow) clipped to the input.
  void window(std::size_t i, std::size_t j, std::size_t& h0, std::size_t& h1, std::size_t& w0, std::size_t& w1) const {
    const std::int64_t hs = static_cast<std::int64_t>(i) * sh - pad_top, ws = static_cast<std::int64_t>(j) * sw - pad_left;
    h0 = static_cast<std::size_t>(std::max<std::int64_t>(hs, 0));
    h1 = static_cast<std::size_t>(std::min<std::int64_t>(hs + ph, static_cast<std::int64_t>(h)));
    w0 = static_cast<std::size_t>(std::max<std::int64_t>(ws, 0));
    w1 = static_cast<std::size_t>(std::min<std::int64_t>(ws + pw, static_cast<std::int64_t>(w)));
  }
};

PoolGeometry pool_geometry(const Tensor& x, Size2 pool, Size2 strides, const std::string& padding, const char* who) {
  detail::require_nhwc(x, who);
  detail::require_positive(pool, who, "pool_size");
  detail::require_positive(strides, who, "strides");
  const std::string pad = standardize_padding(padding, who);
  const Shape xs = x.shape();
  const auto win = detail::windows_2d(xs, pool, strides, Size2(1), pad, who);
  PoolGeometry g{xs[0], xs[1], xs[2], xs[3],
                 static_cast<std::size_t>(std::max<std::int64_t>(0, win.h.out)),
                 static_cast<std::size_t>(std::max<std::int64_t>(0, win.w.out)),
                 pool.h, pool.w, strides.h, strides.w, win.h.pad_before, win.w.pad_before};
  return g;
}

// Max over the windows; with `arg` non-null also records the flat input index of the first maximum.
// Branch-free selects so the channel loop vectorizes (random data would mispredict every branch).
template <bool kTrack>
void max_pool_kernel(const PoolGeometry& g, const float* px, float* py, std::uint32_t* arg) {
  std::size_t o = 0;
  for (std::size_t n = 0; n < g.n; ++n)
    for (std::size_t i = 0; i < g.oh; ++i)
      for (std::size_t j = 0; j < g.ow; ++j, o += g.c) {
        std::size_t h0, h1, w0, w1;
        g.window(i, j, h0, h1, w0, w1);
        float* best = py + o;
        const std::size_t first = ((n * g.h + h0) * g.w + w0) * g.c;
        std::copy(px + first, px + first + g.c, best);
        if constexpr (kTrack)
          for (std::size_t c = 0; c < g.c; ++c) arg[o + c] = static_cast<std::uint32_t>(first + c);
        for (std::size_t a = h0; a < h1; ++a)
          for (std::size_t b = w0; b < w1; ++b) {
            const std::size_t cell = ((n * g.h + a) * g.w + b) * g.c;
            const float* __restrict v = px + cell;
            float* __restrict bst = best;
            if constexpr (kTrack) {
              // 32-bit index arithmetic throughout, so the selects vectorize 8 lanes at a time
              std::uint32_t* __restrict ag = arg + o;
              const auto base = static_cast<std::uint32_t>(cell);
              const auto nc = static_cast<std::uint32_t>(g.c);
              for (std::uint32_t c = 0; c < nc; ++c) {
                const bool wins = v[c] > bst[c] || (v[c] != v[c] && bst[c] == bst[c]);
                const std::uint32_t gt = 0u - static_cast<std::uint32_t>(wins);  // all ones when v wins
                bst[c] = wins ? v[c] : bst[c];
                ag[c] = (ag[c] & ~gt) | ((base + c) & gt);
              }
            } else {
              for (std::size_t c = 0; c < g.c; ++c) bst[c] = v[c] > bst[c] || v[c] != v[c] ? v[c] : bst[c];
            }
          }
      }
}

}  // namespace

// y[n, i, j, c] = max over the window's cells inside the input (padding is -inf, so it never wins;
// every "same" window holds at least one real cell since pad_before < pool size).
// dL/dx[cell] += dL/dy[n, i, j, c] for the first maximal cell of each window (row-major), 0 elsewhere.
// A NaN in a window is its maximum (TF propagates NaN through max pooling).
Tensor max_pool2d(const Tensor& x, Size2 pool_size, Size2 strides, const std::string& padding) {
  const PoolGeometry g = pool_geometry(x, pool_size, strides, padding, "max_pool2d");
  if (x.size() > std::numeric_limits<std::uint32_t>::max())
    throw ValueError("max_pool2d: inputs above 2^32 elements are not supported, got " + shape_str(x.shape()));
  Tensor y(detail::empty(Shape{g.n, g.oh, g.ow, g.c}));
  if (!Tape::wants({&x})) {  // inference: no argmax bookkeeping
    max_pool_kernel<false>(g, x.data(), y.data(), nullptr);
    return y;
  }
  std::vector<std::uint32_t> where(y.size());
  max_pool_kernel<true>(g, x.data(), y.data(), where.data());
  Tape::current().record("max_pool2d", {x}, y, [x, y, where = std::move(where)]() mutable {
    const float* gy = y.impl()->grad.data();
    float* gx = x.grad_buffer().data();
    for (std::size_t k = 0; k < where.size(); ++k) gx[where[k]] += gy[k];
  });
  return y;
}

// y[n, i, j, c] = (1 / m) * sum of the m window cells inside the input (TF does not count padding).
// dL/dx[cell] += dL/dy[n, i, j, c] / m for every cell of every window containing it.
Tensor avg_pool2d(const Tensor& x, Size2 pool_size, Size2 strides, const std::string& padding) {
  const PoolGeometry g = pool_geometry(x, pool_size, strides, padding, "avg_pool2d");
  Tensor y(Array(Shape{g.n, g.oh, g.ow, g.c}, 0.0f));
  const float* px = x.data();
  float* py = y.data();
  std::size_t o = 0;
  for (std::size_t n = 0; n < g.n; ++n)
    for (std::size_t i = 0; i < g.oh; ++i)
      for (std::size_t j = 0; j < g.ow; ++j, o += g.c) {
        std::size_t h0, h1, w0, w1;
        g.window(i, j, h0, h1, w0, w1);
        float* acc = py + o;
        for (std::size_t a = h0; a < h1; ++a)
          for (std::size_t b = w0; b < w1; ++b) {
            const float* cell = px + ((n * g.h + a) * g.w + b) * g.c;
            for (std::size_t c = 0; c < g.c; ++c) acc[c] += cell[c];
          }
        const float inv = 1.0f / static_cast<float>((h1 - h0) * (w1 - w0));
        for (std::size_t c = 0; c < g.c; ++c) acc[c] *= inv;
      }
  if (Tape::wants({&x})) {
    Tape::current().record("avg_pool2d", {x}, y, [x, y, g]() mutable {
      const float* gy = y.impl()->grad.data();
      float* gx = x.grad_buffer().data();
      std::size_t o = 0;
      for (std::size_t n = 0; n < g.n; ++n)
        for (std::size_t i = 0; i < g.oh; ++i)
          for (std::size_t j = 0; j < g.ow; ++j, o += g.c) {
            std::size_t h0, h1, w0, w1;
            g.window(i, j, h0, h1, w0, w1);
            const float inv = 1.0f / static_cast<float>((h1 - h0) * (w1 - w0));
            for (std::size_t a = h0; a < h1; ++a)
              for (std::size_t b = w0; b < w1; ++b) {
                float* cell = gx + ((n * g.h + a) * g.w + b) * g.c;
                for (std::size_t c = 0; c < g.c; ++c) cell[c] += gy[o + c] * inv;
              }
          }
    });
  }
  return y;
}

// y[n, c] = max over (h, w) of x[n, h, w, c]; dL/dx goes to the first maximal cell (row-major).
Tensor global_max_pool2d(const Tensor& x, bool keepdims) {
  detail::require_nhwc(x, "global_max_pool2d");
  const Shape xs = x.shape();
  const std::size_t N = xs[0], HW = xs[1] * xs[2], C = xs[3];
  if (HW == 0) throw ValueError("global_max_pool2d: cannot take the max over an empty image, got " + shape_str(xs));
  if (x.size() > std::numeric_limits<std::uint32_t>::max())
    throw ValueError("global_max_pool2d: inputs above 2^32 elements are not supported, got " + shape_str(xs));
  Tensor y(detail::empty(keepdims ? Shape{N, 1, 1, C} : Shape{N, C}));
  // The whole image is one window: reuse the windowed kernel (branch-free, vectorized).
  const PoolGeometry g{N, xs[1], xs[2], C, 1, 1,
                       static_cast<std::int64_t>(xs[1]), static_cast<std::int64_t>(xs[2]), 1, 1, 0, 0};
  if (!Tape::wants({&x})) {
    max_pool_kernel<false>(g, x.data(), y.data(), nullptr);
    return y;
  }
  std::vector<std::uint32_t> where(y.size());
  max_pool_kernel<true>(g, x.data(), y.data(), where.data());
  Tape::current().record("global_max_pool2d", {x}, y, [x, y, where = std::move(where)]() mutable {
    const float* gy = y.impl()->grad.data();
    float* gx = x.grad_buffer().data();
    for (std::size_t k = 0; k < where.size(); ++k) gx[where[k]] += gy[k];
  });
  return y;
}

// y[n, c] = (1 / (H*W)) * sum over (h, w) of x[n, h, w, c];  dL/dx[n, h, w, c] = dL/dy[n, c] / (H*W).
Tensor global_avg_pool2d(const Tensor& x, bool keepdims) {
  detail::require_nhwc(x, "global_avg_pool2d");
  const Shape xs = x.shape();
  const std::size_t N = xs[0], HW = xs[1] * xs[2], C = xs[3];
  if (HW == 0) throw ValueError("global_avg_pool2d: cannot average over an empty image, got " + shape_str(xs));
  Tensor y(Array(keepdims ? Shape{N, 1, 1, C} : Shape{N, C}, 0.0f));
  const float inv = 1.0f / static_cast<float>(HW);
  const float* px = x.data();
  float* py = y.data();
  for (std::size_t n = 0; n < N; ++n) {
    float* acc = py + n * C;
    for (std::size_t p = 0; p < HW; ++p)
      for (std::size_t c = 0; c < C; ++c) acc[c] += px[(n * HW + p) * C + c];
    for (std::size_t c = 0; c < C; ++c) acc[c] *= inv;
  }
  if (Tape::wants({&x})) {
    Tape::current().record("global_avg_pool2d", {x}, y, [x, y, N, HW, C, inv]() mutable {
      const float* gy = y.impl()->grad.data();
      float* gx = x.grad_buffer().data();
      for (std::size_t n = 0; n < N; ++n)
        for (std::size_t p = 0; p < HW; ++p)
          for (std::size_t c = 0; c < C; ++c) gx[(n * HW + p) * C + c] += gy[n * C + c] * inv;
    });
  }
  return y;
}

}  // namespace xkeras::ops
