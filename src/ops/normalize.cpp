// L2 normalisation over any set of axes, as one fused op with two epsilon conventions:
//   l2_normalize   (TF / tf.keras backend):     y = x * rsqrt(max(sum(x^2), eps))    — the squared sum is clamped
//   unit_normalize (Keras >= 3.6 ops.normalize): y = x * rsqrt(max(sum(x^2), eps^2)) — the norm is clamped
// Both are y = x * r with r = rsqrt(max(s, floor)), s = sum(x^2) over the axes; only the floor differs.
#include <cmath>

#include "ops/common.hpp"

namespace xkeras::ops {
namespace {

// Calls fn(i, o) for every element i of a tensor of shape `in`, with o the flat index of its
// group in the keepdims-shaped reduction result.
template <class Fn>
void for_each_grouped(const Shape& in, const std::vector<std::size_t>& si, const std::vector<std::size_t>& so, Fn&& fn) {
  detail::for_each_broadcast(in, si, so, [&](std::size_t, std::size_t i, std::size_t o) { fn(i, o); });
}

Tensor normalize(const char* name, const Tensor& x, const Axes& axes, float floor) {
  detail::require_defined(name, x);
  const Shape in = x.shape();
  const Shape kept = detail::keepdims_shape(in, detail::axes_for(name, axes, in));
  const auto si = detail::broadcast_strides(in, in);
  const auto so = detail::broadcast_strides(kept, in);
  const std::size_t groups = shape_size(kept);
  std::vector<float> s(groups, 0.0f), r(groups);
  std::vector<char> clamped(groups);
  const float* px = x.data();
  for_each_grouped(in, si, so, [&](std::size_t i, std::size_t o) { s[o] += px[i] * px[i]; });
  for (std::size_t o = 0; o < groups; ++o) {
    // Ties go to s, as TF's maximum gradient does: the clamp is active only strictly below the floor.
    clamped[o] = s[o] < floor;
    r[o] = 1.0f / std::sqrt(clamped[o] ? floor : s[o]);
  }
  Tensor y(detail::empty(in));
  float* py = y.data();
  for_each_grouped(in, si, so, [&](std::size_t i, std::size_t o) { py[i] = px[i] * r[o]; });
  if (Tape::wants({&x})) {
    // Unclamped: r = s^(-1/2), dr/dx_i = -x_i r^3, so
    //   dL/dx_i = g_i r + sum_j g_j x_j dr/dx_i = r (g_i - y_i sum_j g_j y_j)   (sum over the group).
    // Clamped (s < floor): r is the constant floor^(-1/2), so dL/dx_i = g_i r.
    Tape::current().record(name, {x}, y, [x, y, in, si, so, r = std::move(r), clamped = std::move(clamped)]() mutable {
      const float* g = y.impl()->grad.data();
      const float* py = y.data();
      float* gx = x.grad_buffer().data();
      std::vector<float> dot(r.size(), 0.0f);
      for_each_grouped(in, si, so, [&](std::size_t i, std::size_t o) { dot[o] += g[i] * py[i]; });
      for (std::size_t o = 0; o < dot.size(); ++o)
        if (clamped[o]) dot[o] = 0.0f;
      for_each_grouped(in, si, so, [&](std::size_t i, std::size_t o) { gx[i] += r[o] * (g[i] - py[i] * dot[o]); });
    });
  }
  return y;
}

}  // namespace

Tensor l2_normalize(const Tensor& x, const Axes& axes, float epsilon) {
  if (!(epsilon >= 0.0f)) throw ValueError("l2_normalize: expected epsilon >= 0, got " + std::to_string(epsilon));
  return normalize("l2_normalize", x, axes, epsilon);
}

Tensor unit_normalize(const Tensor& x, const Axes& axes, float epsilon) {
  if (!(epsilon >= 0.0f)) throw ValueError("unit_normalize: expected epsilon >= 0, got " + std::to_string(epsilon));
  return normalize("unit_normalize", x, axes, epsilon * epsilon);
}

}  // namespace xkeras::ops
