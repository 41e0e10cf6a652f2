// stack, flip and where: the value-moving ops RNN wrappers compose (per-step outputs joined along
// time, go_backwards, masked selection). Each backward moves the gradient back where the value came from.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "ops/common.hpp"
#include "xkeras/ops/sequence.hpp"

namespace xkeras::ops {

namespace {

std::size_t span(const Shape& s, std::size_t from, std::size_t to) {
  std::size_t n = 1;
  for (std::size_t i = from; i < to; ++i) n *= s[i];
  return n;
}

}  // namespace

// With each input viewed as (outer, inner) split at the new axis, y viewed as (outer, K, inner) holds
// y[o, k, :] = x_k[o, :]; so dL/dx_k[o, :] = g[o, k, :].
Tensor stack(const Tensors& xs, int axis) {
  if (xs.empty()) throw ValueError("stack: expected a non-empty list of tensors");
  for (const Tensor& t : xs) detail::require_defined("stack", t);
  const Shape first = xs[0].shape();
  for (const Tensor& t : xs)
    if (t.shape() != first)
      throw ValueError("stack: expected tensors of one shape, received " + shape_str(first) + " and " + shape_str(t.shape()));
  const long rank = static_cast<long>(first.size()) + 1;
  const long a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    throw ValueError("stack: axis " + std::to_string(axis) + " is out of bounds for the result of rank " + std::to_string(rank) +
                     "; received tensors of shape " + shape_str(first));
  const std::size_t ax = static_cast<std::size_t>(a), count = xs.size();
  const std::size_t outer = span(first, 0, ax), inner = span(first, ax, first.size());
  Shape out = first;
  out.insert(out.begin() + a, count);
  Tensor y(detail::empty(out));
  float* py = y.data();
  for (std::size_t k = 0; k < count; ++k) {
    const float* px = xs[k].data();
    for (std::size_t o = 0; o < outer; ++o) std::memcpy(py + (o * count + k) * inner, px + o * inner, inner * sizeof(float));
  }
  if (Tape::wants(xs)) {
    Tape::current().record("stack", xs, y, [xs, y, outer, inner]() mutable {
      const float* g = y.impl()->grad.data();
      const std::size_t count = xs.size();
      for (std::size_t k = 0; k < count; ++k) {
        if (!xs[k].requires_grad()) continue;
        float* gx = xs[k].grad_buffer().data();
        for (std::size_t o = 0; o < outer; ++o) {
          const float* src = g + (o * count + k) * inner;
          float* dst = gx + o * inner;
          for (std::size_t j = 0; j < inner; ++j) dst[j] += src[j];
        }
      }
    });
  }
  return y;
}

// y[o, i, :] = x[o, n-1-i, :]; the map is its own inverse, so dL/dx[o, i, :] = g[o, n-1-i, :].
Tensor flip(const Tensor& x, int axis) {
  detail::require_defined("flip", x);
  const Shape s = x.shape();
  if (s.empty()) throw ValueError("flip: expected a tensor of rank >= 1, received a scalar");
  const std::size_t ax = detail::axis_for("flip", axis, s);
  const std::size_t outer = span(s, 0, ax), n = s[ax], inner = span(s, ax + 1, s.size());
  Tensor y(detail::empty(s));
  const float* px = x.data();
  float* py = y.data();
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t i = 0; i < n; ++i)
      std::memcpy(py + (o * n + i) * inner, px + (o * n + n - 1 - i) * inner, inner * sizeof(float));
  if (Tape::wants({&x})) {
    Tape::current().record("flip", {x}, y, [x, y, outer, n, inner]() mutable {
      const float* g = y.impl()->grad.data();
      float* gx = x.grad_buffer().data();
      for (std::size_t o = 0; o < outer; ++o)
        for (std::size_t i = 0; i < n; ++i) {
          const float* src = g + (o * n + n - 1 - i) * inner;
          float* dst = gx + (o * n + i) * inner;
          for (std::size_t j = 0; j < inner; ++j) dst[j] += src[j];
        }
    });
  }
  return y;
}

Tensor reverse(const Tensor& x, int axis) { return flip(x, axis); }

// y = c ? a : b elementwise after broadcasting the three. dL/da = g where c, dL/db = g where not c,
// each summed over the positions a (or b) was broadcast to.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  detail::require_defined("where", cond);
  detail::require_defined("where", a);
  detail::require_defined("where", b);
  Shape out;
  try {
    out = broadcast_shapes(broadcast_shapes(cond.shape(), a.shape()), b.shape());
  } catch (const ValueError&) {
    throw ValueError("where: the condition, x1 and x2 could not be broadcast together; received shapes " +
                     shape_str(cond.shape()) + ", " + shape_str(a.shape()) + " and " + shape_str(b.shape()));
  }
  // The condition expanded to the output shape once, shared by the forward and the backward.
  std::vector<unsigned char> c(shape_size(out));
  const auto sc = detail::broadcast_strides(cond.shape(), out);
  const float* pc = cond.data();
  detail::for_each_broadcast(out, sc, sc, [&](std::size_t o, std::size_t i, std::size_t) { c[o] = pc[i] != 0.0f; });
  const auto sa = detail::broadcast_strides(a.shape(), out), sb = detail::broadcast_strides(b.shape(), out);
  Tensor y(detail::empty(out));
  const float *pa = a.data(), *pb = b.data();
  float* py = y.data();
  detail::for_each_broadcast(out, sa, sb, [&](std::size_t o, std::size_t ia, std::size_t ib) { py[o] = c[o] ? pa[ia] : pb[ib]; });
  if (Tape::wants({&a, &b})) {
    Tape::current().record("where", {a, b}, y, [a, b, y, out, sa, sb, c = std::move(c)]() mutable {
      const float* g = y.impl()->grad.data();
      float* ga = a.requires_grad() ? a.grad_buffer().data() : nullptr;
      float* gb = b.requires_grad() ? b.grad_buffer().data() : nullptr;
      detail::for_each_broadcast(out, sa, sb, [&](std::size_t o, std::size_t ia, std::size_t ib) {
        if (c[o]) {
          if (ga) ga[ia] += g[o];
        } else if (gb) {
          gb[ib] += g[o];
        }
      });
    });
  }
  return y;
}

}  // namespace xkeras::ops
