// Max and average pooling over windows, and global pooling, for channels-last tensors with 1, 2
// or 3 spatial axes. Every rank runs the same kernels on a (N, D, H, W, C) view: a sequence is
// (N, 1, 1, T, C), an image (N, 1, H, W, C).
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "ops/image_common.hpp"
#include "xkeras/ops/spatial.hpp"

namespace xkeras::ops {
namespace {

// The part of each pooling window that lies inside the input (padding cells are never read).
struct PoolGeometry {
  std::size_t n, d, h, w, c, od, oh, ow;
  std::int64_t pd, ph, pw, sd, sh, sw, pad_d, pad_h, pad_w;

  struct Box {
    std::size_t d0, d1, h0, h1, w0, w1;
    std::size_t cells() const { return (d1 - d0) * (h1 - h0) * (w1 - w0); }
  };
  static void clip(std::int64_t start, std::int64_t k, std::size_t len, std::size_t& lo, std::size_t& hi) {
    lo = static_cast<std::size_t>(std::max<std::int64_t>(start, 0));
    hi = static_cast<std::size_t>(std::min<std::int64_t>(start + k, static_cast<std::int64_t>(len)));
  }
  // The window of output cell (a, i, j) clipped to the input. Without kDepth the depth axis is
  // trivial (d == 1, so a == 0 and the depth range is [0, 1)) and the compiler drops its loop:
  // sequences and images then run the plain 2-D loops (the generic ones cost a 2x2 max pool time).
  template <bool kDepth>
  Box window(std::size_t a, std::size_t i, std::size_t j) const {
    Box b{0, 1, 0, 0, 0, 0};
    if constexpr (kDepth) clip(static_cast<std::int64_t>(a) * sd - pad_d, pd, d, b.d0, b.d1);
    clip(static_cast<std::int64_t>(i) * sh - pad_h, ph, h, b.h0, b.h1);
    clip(static_cast<std::int64_t>(j) * sw - pad_w, pw, w, b.w0, b.w1);
    return b;
  }
  template <bool kDepth>
  std::size_t cell(std::size_t b, std::size_t a, std::size_t i, std::size_t j) const {
    if constexpr (kDepth) return (((b * d + a) * h + i) * w + j) * c;
    return ((b * h + i) * w + j) * c;
  }
  Shape out_shape(std::size_t rank) const {
    if (rank == 3) return {n, ow, c};
    if (rank == 4) return {n, oh, ow, c};
    return {n, od, oh, ow, c};
  }
};

std::string tuple_str(const std::vector<int>& v) {
  std::string s = "(";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + (v.size() == 1 ? ",)" : ")");
}

// Checks x against the per-axis arguments and computes the output geometry; errors name `who`.
PoolGeometry pool_geometry(const Tensor& x, const std::vector<int>& pool, const std::vector<int>& strides,
                           const std::string& padding, const char* who) {
  if (!x.defined()) throw ValueError(std::string(who) + ": the input tensor is undefined");
  const std::size_t k = pool.size();
  if (k < 1 || k > 3 || strides.size() != k)
    throw ValueError(std::string(who) + ": expected pool_size and strides with one entry per spatial axis (1 to 3), got " +
                     tuple_str(pool) + " and " + tuple_str(strides));
  if (x.ndim() != k + 2)
    throw ValueError(std::string(who) + ": expected a " + std::to_string(k + 2) +
                     "-D input (batch, spatial axes..., channels), got shape " + shape_str(x.shape()));
  constexpr int kMax = 1 << 24;
  for (std::size_t a = 0; a < k; ++a)
    if (pool[a] <= 0 || strides[a] <= 0 || pool[a] > kMax || strides[a] > kMax)
      throw ValueError(std::string(who) + ": expected `pool_size` and `strides` to be positive integers, got " +
                       tuple_str(pool) + " and " + tuple_str(strides));
  const std::string pad = standardize_padding(padding, who);
  const Shape xs = x.shape();
  // spatial axis a of x is axis (3 - k + a) of the (D, H, W) view
  std::int64_t len[3] = {1, 1, 1}, kk[3] = {1, 1, 1}, ss[3] = {1, 1, 1};
  for (std::size_t a = 0; a < k; ++a) {
    len[3 - k + a] = static_cast<std::int64_t>(xs[1 + a]);
    kk[3 - k + a] = pool[a];
    ss[3 - k + a] = strides[a];
  }
  Window1D win[3];
  bool empty_input = false, fits = true;
  for (int a = 0; a < 3; ++a) {
    win[a] = conv_window(len[a], kk[a], ss[a], 1, pad);
    empty_input = empty_input || len[a] == 0;
    fits = fits && win[a].out > 0;
  }
  if (!fits && !empty_input)
    throw ValueError(std::string(who) + ": the window " + tuple_str(pool) + " does not fit the input of shape " +
                     shape_str(xs) + " with padding=\"" + pad + "\": the output size would be zero or negative");
  auto out = [](const Window1D& w) { return static_cast<std::size_t>(std::max<std::int64_t>(0, w.out)); };
  return PoolGeometry{xs[0], static_cast<std::size_t>(len[0]), static_cast<std::size_t>(len[1]),
                      static_cast<std::size_t>(len[2]), xs.back(), out(win[0]), out(win[1]), out(win[2]),
                      kk[0], kk[1], kk[2], ss[0], ss[1], ss[2], win[0].pad_before, win[1].pad_before, win[2].pad_before};
}

// Max over the windows; with kTrack also records the flat input index of the first maximum.
// Branch-free selects so the channel loop vectorizes (random data would mispredict every branch).
template <bool kTrack, bool kDepth>
void max_pool_kernel(const PoolGeometry& g, const float* px, float* py, std::uint32_t* arg) {
  std::size_t o = 0;
  for (std::size_t n = 0; n < g.n; ++n)
    for (std::size_t a = 0; a < g.od; ++a)
      for (std::size_t i = 0; i < g.oh; ++i)
        for (std::size_t j = 0; j < g.ow; ++j, o += g.c) {
          const PoolGeometry::Box b = g.template window<kDepth>(a, i, j);
          float* best = py + o;
          const std::size_t first = g.template cell<kDepth>(n, b.d0, b.h0, b.w0);
          std::copy(px + first, px + first + g.c, best);
          if constexpr (kTrack)
            for (std::size_t c = 0; c < g.c; ++c) arg[o + c] = static_cast<std::uint32_t>(first + c);
          for (std::size_t p = b.d0; p < b.d1; ++p)
            for (std::size_t q = b.h0; q < b.h1; ++q)
              for (std::size_t r = b.w0; r < b.w1; ++r) {
                const std::size_t cell = g.template cell<kDepth>(n, p, q, r);
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

// y = max over the windows; dL/dx[cell] += dL/dy[o] for the first maximal cell of each window.
Tensor max_pool_with(const Tensor& x, const PoolGeometry& g, const Shape& out, const char* who) {
  if (x.size() > std::numeric_limits<std::uint32_t>::max())
    throw ValueError(std::string(who) + ": inputs above 2^32 elements are not supported, got " + shape_str(x.shape()));
  Tensor y(detail::empty(out));
  const bool depth = g.d > 1;
  if (!Tape::wants({&x})) {  // inference: no argmax bookkeeping
    (depth ? max_pool_kernel<false, true> : max_pool_kernel<false, false>)(g, x.data(), y.data(), nullptr);
    return y;
  }
  std::vector<std::uint32_t> where(y.size());
  (depth ? max_pool_kernel<true, true> : max_pool_kernel<true, false>)(g, x.data(), y.data(), where.data());
  Tape::current().record(who, {x}, y, [x, y, where = std::move(where)]() mutable {
    const float* gy = y.impl()->grad.data();
    float* gx = x.grad_buffer().data();
    for (std::size_t k = 0; k < where.size(); ++k) gx[where[k]] += gy[k];
  });
  return y;
}

template <bool kDepth>
void avg_pool_forward(const PoolGeometry& g, const float* px, float* py) {
  std::size_t o = 0;
  for (std::size_t n = 0; n < g.n; ++n)
    for (std::size_t a = 0; a < g.od; ++a)
      for (std::size_t i = 0; i < g.oh; ++i)
        for (std::size_t j = 0; j < g.ow; ++j, o += g.c) {
          const PoolGeometry::Box b = g.template window<kDepth>(a, i, j);
          float* acc = py + o;
          for (std::size_t p = b.d0; p < b.d1; ++p)
            for (std::size_t q = b.h0; q < b.h1; ++q)
              for (std::size_t r = b.w0; r < b.w1; ++r) {
                const float* cell = px + g.template cell<kDepth>(n, p, q, r);
                for (std::size_t c = 0; c < g.c; ++c) acc[c] += cell[c];
              }
          const float inv = 1.0f / static_cast<float>(b.cells());
          for (std::size_t c = 0; c < g.c; ++c) acc[c] *= inv;
        }
}

template <bool kDepth>
void avg_pool_backward(const PoolGeometry& g, const float* gy, float* gx) {
  std::size_t o = 0;
  for (std::size_t n = 0; n < g.n; ++n)
    for (std::size_t a = 0; a < g.od; ++a)
      for (std::size_t i = 0; i < g.oh; ++i)
        for (std::size_t j = 0; j < g.ow; ++j, o += g.c) {
          const PoolGeometry::Box b = g.template window<kDepth>(a, i, j);
          const float inv = 1.0f / static_cast<float>(b.cells());
          for (std::size_t p = b.d0; p < b.d1; ++p)
            for (std::size_t q = b.h0; q < b.h1; ++q)
              for (std::size_t r = b.w0; r < b.w1; ++r) {
                float* cell = gx + g.template cell<kDepth>(n, p, q, r);
                for (std::size_t c = 0; c < g.c; ++c) cell[c] += gy[o + c] * inv;
              }
        }
}

// y[o] = (1 / m) * sum of the m window cells inside the input (TF does not count padding).
// dL/dx[cell] += dL/dy[o] / m for every cell of every window containing it.
Tensor avg_pool_with(const Tensor& x, const PoolGeometry& g, const Shape& out, const char* who) {
  Tensor y(Array(out, 0.0f));
  const bool depth = g.d > 1;
  (depth ? avg_pool_forward<true> : avg_pool_forward<false>)(g, x.data(), y.data());
  if (Tape::wants({&x})) {
    Tape::current().record(who, {x}, y, [x, y, g, depth]() mutable {
      (depth ? avg_pool_backward<true> : avg_pool_backward<false>)(g, y.impl()->grad.data(), x.grad_buffer().data());
    });
  }
  return y;
}

// The whole of each sample's spatial extent as one window: (N, S, C) with S the spatial size.
PoolGeometry global_geometry(const Tensor& x, const char* who, Shape& out, bool keepdims) {
  if (!x.defined()) throw ValueError(std::string(who) + ": the input tensor is undefined");
  const Shape xs = x.shape();
  if (xs.size() < 3 || xs.size() > 5)
    throw ValueError(std::string(who) + ": expected a 3-D to 5-D input (batch, spatial axes..., channels), got shape " +
                     shape_str(xs));
  std::size_t S = 1;
  for (std::size_t a = 1; a + 1 < xs.size(); ++a) S *= xs[a];
  if (S == 0) throw ValueError(std::string(who) + ": cannot pool over an empty spatial extent, got " + shape_str(xs));
  out = keepdims ? Shape(xs.size(), 1) : Shape{xs[0], xs.back()};
  out.front() = xs[0];
  out.back() = xs.back();
  const auto s = static_cast<std::int64_t>(S);
  return PoolGeometry{xs[0], 1, 1, S, xs.back(), 1, 1, 1, 1, 1, s, 1, 1, 1, 0, 0, 0};
}

std::vector<int> pair_list(Size2 v) { return {v.h, v.w}; }

}  // namespace

Tensor max_pool(const Tensor& x, const std::vector<int>& pool_size, const std::vector<int>& strides,
                const std::string& padding) {
  const PoolGeometry g = pool_geometry(x, pool_size, strides, padding, "max_pool");
  return max_pool_with(x, g, g.out_shape(x.ndim()), "max_pool");
}

Tensor avg_pool(const Tensor& x, const std::vector<int>& pool_size, const std::vector<int>& strides,
                const std::string& padding) {
  const PoolGeometry g = pool_geometry(x, pool_size, strides, padding, "avg_pool");
  return avg_pool_with(x, g, g.out_shape(x.ndim()), "avg_pool");
}

// Padding is -inf, so it never wins; every "same" window holds at least one real cell since
// pad_before < pool size. A NaN in a window is its maximum (TF propagates NaN through max pooling).
Tensor max_pool2d(const Tensor& x, Size2 pool_size, Size2 strides, const std::string& padding) {
  detail::require_nhwc(x, "max_pool2d");
  const PoolGeometry g = pool_geometry(x, pair_list(pool_size), pair_list(strides), padding, "max_pool2d");
  return max_pool_with(x, g, g.out_shape(4), "max_pool2d");
}

Tensor avg_pool2d(const Tensor& x, Size2 pool_size, Size2 strides, const std::string& padding) {
  detail::require_nhwc(x, "avg_pool2d");
  const PoolGeometry g = pool_geometry(x, pair_list(pool_size), pair_list(strides), padding, "avg_pool2d");
  return avg_pool_with(x, g, g.out_shape(4), "avg_pool2d");
}

// y[n, c] = max over the spatial cells of x[n, ..., c]; dL/dx goes to the first maximal cell.
Tensor global_max_pool(const Tensor& x, bool keepdims) {
  Shape out;
  const PoolGeometry g = global_geometry(x, "global_max_pool", out, keepdims);
  return max_pool_with(x, g, out, "global_max_pool");
}

// y[n, c] = (1 / S) * sum over the S spatial cells of x[n, ..., c];  dL/dx[n, ..., c] = dL/dy[n, c] / S.
Tensor global_avg_pool(const Tensor& x, bool keepdims) {
  Shape out;
  const PoolGeometry g = global_geometry(x, "global_avg_pool", out, keepdims);
  return avg_pool_with(x, g, out, "global_avg_pool");
}

Tensor global_max_pool2d(const Tensor& x, bool keepdims) {
  detail::require_nhwc(x, "global_max_pool2d");
  Shape out;
  const PoolGeometry g = global_geometry(x, "global_max_pool2d", out, keepdims);
  return max_pool_with(x, g, out, "global_max_pool2d");
}

Tensor global_avg_pool2d(const Tensor& x, bool keepdims) {
  detail::require_nhwc(x, "global_avg_pool2d");
  Shape out;
  const PoolGeometry g = global_geometry(x, "global_avg_pool2d", out, keepdims);
  return avg_pool_with(x, g, out, "global_avg_pool2d");
}

}  // namespace xkeras::ops
