// Softmax and log-softmax along one axis, each a single fused op.
// The tensor is viewed as (outer, n, inner) around the axis: a "row" is the n values
// base + j * inner (j < n) for base = o * n * inner + i.
#include <algorithm>
#include <cmath>
#include <limits>

#include "ops/common.hpp"

namespace xkeras::ops {
namespace {

struct Rows {
  std::size_t outer = 1, n = 1, inner = 1;
};

Rows rows_of(const char* op, const Shape& s, int axis) {
  const std::size_t ax = detail::axis_for(op, axis, s);
  Rows r;
  for (std::size_t d = 0; d < ax; ++d) r.outer *= s[d];
  r.n = s[ax];
  for (std::size_t d = ax + 1; d < s.size(); ++d) r.inner *= s[d];
  return r;
}

// Calls fn(p, stride) with a pointer offset p to the start of every row and the row's stride.
template <class Fn>
void for_each_row(const Rows& r, Fn&& fn) {
  for (std::size_t o = 0; o < r.outer; ++o)
    for (std::size_t i = 0; i < r.inner; ++i) fn(o * r.n * r.inner + i, r.inner);
}

inline float row_max(const float* x, std::size_t n, std::size_t stride) {
  float m = -std::numeric_limits<float>::infinity();
  for (std::size_t j = 0; j < n; ++j) m = std::max(m, x[j * stride]);
  return m;
}

// log(sum(exp(x - m))) of one row, m its max: exp never sees a positive argument.
// Kept apart from m so that x - m - log(...) loses no precision when |m| is large.
inline float row_log_sum_exp_shifted(const float* x, std::size_t n, std::size_t stride, float m) {
  float s = 0.0f;
  for (std::size_t j = 0; j < n; ++j) s += std::exp(x[j * stride] - m);
  return std::log(s);
}

}  // namespace

// y_j = exp(x_j - m) / sum_k exp(x_k - m), with m the row max (the shift cancels).
Tensor softmax(const Tensor& x, int axis) {
  detail::require_defined("softmax", x);
  const Rows r = rows_of("softmax", x.shape(), axis);
  Tensor y(detail::empty(x.shape()));
  const float* px = x.data();
  float* py = y.data();
  for_each_row(r, [&](std::size_t b, std::size_t st) {
    const float m = row_max(px + b, r.n, st);
    float s = 0.0f;
    for (std::size_t j = 0; j < r.n; ++j) s += (py[b + j * st] = std::exp(px[b + j * st] - m));
    const float inv = 1.0f / s;
    for (std::size_t j = 0; j < r.n; ++j) py[b + j * st] *= inv;
  });
  if (Tape::wants({&x})) {
    // dy_j/dx_i = y_j (delta_ij - y_i), so dL/dx_i = y_i (g_i - sum_j g_j y_j).
    Tape::current().record("softmax", {x}, y, [x, y, r]() mutable {
      const float* g = y.impl()->grad.data();
      const float* py = y.data();
      float* gx = x.grad_buffer().data();
      for_each_row(r, [&](std::size_t b, std::size_t st) {
        float dot = 0.0f;
        for (std::size_t j = 0; j < r.n; ++j) dot += g[b + j * st] * py[b + j * st];
        for (std::size_t j = 0; j < r.n; ++j) gx[b + j * st] += py[b + j * st] * (g[b + j * st] - dot);
      });
    });
  }
  return y;
}

// y_j = x_j - logsumexp(x), computed as (x_j - m) - log(sum_k exp(x_k - m)), m the row max.
Tensor log_softmax(const Tensor& x, int axis) {
  detail::require_defined("log_softmax", x);
  const Rows r = rows_of("log_softmax", x.shape(), axis);
  Tensor y(detail::empty(x.shape()));
  const float* px = x.data();
  float* py = y.data();
  for_each_row(r, [&](std::size_t b, std::size_t st) {
    const float m = row_max(px + b, r.n, st);
    const float ls = row_log_sum_exp_shifted(px + b, r.n, st, m);
    for (std::size_t j = 0; j < r.n; ++j) py[b + j * st] = (px[b + j * st] - m) - ls;
  });
  if (Tape::wants({&x})) {
    // dy_j/dx_i = delta_ij - softmax_i, so dL/dx_i = g_i - softmax_i * sum_j g_j, with softmax_i = exp(y_i).
    Tape::current().record("log_softmax", {x}, y, [x, y, r]() mutable {
      const float* g = y.impl()->grad.data();
      const float* py = y.data();
      float* gx = x.grad_buffer().data();
      for_each_row(r, [&](std::size_t b, std::size_t st) {
        float gs = 0.0f;
        for (std::size_t j = 0; j < r.n; ++j) gs += g[b + j * st];
        for (std::size_t j = 0; j < r.n; ++j) gx[b + j * st] += g[b + j * st] - std::exp(py[b + j * st]) * gs;
      });
    });
  }
  return y;
}

}  // namespace xkeras::ops
