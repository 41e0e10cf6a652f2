// Reductions over one or several axes, with keepdims.
#include <limits>

#include "ops/common.hpp"

namespace xkeras::ops {
namespace {

Shape result_shape(const Shape& in, const std::vector<std::size_t>& ax, bool keepdims) {
  return keepdims ? detail::keepdims_shape(in, ax) : detail::dropped_shape(in, ax);
}

// Calls fn(i_in, i_out) for every input element, where i_out indexes the keepdims-shaped result.
template <class Fn>
void for_each_reduced(const Shape& in, const Shape& kept, Fn&& fn) {
  const auto so = detail::broadcast_strides(kept, in);
  const auto si = detail::broadcast_strides(in, in);
  detail::for_each_broadcast(in, si, so, [&](std::size_t, std::size_t i, std::size_t o) { fn(i, o); });
}

// min/max share one kernel: remember where each extremum was so the backward can route to it.
template <class Better>
Tensor extremum(const char* name, const Tensor& x, const Axes& axes, bool keepdims, Better better) {
  detail::require_defined(name, x);
  const Shape in = x.shape();
  const auto ax = detail::axes_for(name, axes, in);
  const Shape kept = detail::keepdims_shape(in, ax);
  Tensor y(detail::empty(result_shape(in, ax, keepdims)));
  // An extremum over zero elements has no value (NumPy raises too); an empty output is fine.
  if (x.size() == 0 && y.size() != 0)
    throw ValueError(std::string(name) + ": cannot reduce over an empty axis; received input with shape " + shape_str(in));
  float* py = y.data();
  std::vector<std::size_t> where(y.size(), std::numeric_limits<std::size_t>::max());
  const float* px = x.data();
  for_each_reduced(in, kept, [&](std::size_t i, std::size_t o) {
    if (where[o] == std::numeric_limits<std::size_t>::max() || better(px[i], py[o])) {
      py[o] = px[i];
      where[o] = i;
    }
  });
  if (Tape::wants({&x})) {
    // d extremum / dx_i = 1 for the first extremal element, 0 elsewhere.
    Tape::current().record(name, {x}, y, [x, y, where = std::move(where)]() mutable {
      const float* g = y.impl()->grad.data();
      float* gx = x.grad_buffer().data();
      for (std::size_t o = 0; o < where.size(); ++o) gx[where[o]] += g[o];
    });
  }
  return y;
}

}  // namespace

// d sum / dx_i = 1: the backward broadcasts g back over the reduced axes.
Tensor sum(const Tensor& x, const Axes& axes, bool keepdims) {
  detail::require_defined("sum", x);
  const Shape in = x.shape();
  const auto ax = detail::axes_for("sum", axes, in);
  const Shape kept = detail::keepdims_shape(in, ax);
  Array r = reduce_to_shape(x.value(), kept);
  Tensor y(keepdims ? std::move(r) : Array(xt::reshape_view(r, result_shape(in, ax, false))));
  if (Tape::wants({&x})) {
    Tape::current().record("sum", {x}, y, [x, y, in, kept]() mutable {
      const float* g = y.impl()->grad.data();
      float* gx = x.grad_buffer().data();
      for_each_reduced(in, kept, [&](std::size_t i, std::size_t o) { gx[i] += g[o]; });
    });
  }
  return y;
}

// mean = sum / n, with n the number of reduced elements
Tensor mean(const Tensor& x, const Axes& axes, bool keepdims) {
  detail::require_defined("mean", x);
  const Shape in = x.shape();
  const auto ax = detail::axes_for("mean", axes, in);
  std::size_t n = 1;
  for (auto a : ax) n *= in[a];
  return scale(sum(x, axes, keepdims), n ? 1.0f / static_cast<float>(n) : 0.0f);
}

Tensor min(const Tensor& x, const Axes& axes, bool keepdims) {
  // A NaN wins over any number (TF >= 2.4 propagates NaN through Min/Max); the first NaN stays.
  return extremum("min", x, axes, keepdims, [](float a, float b) { return a < b || (a != a && b == b); });
}

Tensor max(const Tensor& x, const Axes& axes, bool keepdims) {
  return extremum("max", x, axes, keepdims, [](float a, float b) { return a > b || (a != a && b == b); });
}

// biased variance: mean((x - mean(x))^2); composed so its gradient comes from the parts
Tensor variance(const Tensor& x, const Axes& axes, bool keepdims) {
  detail::require_defined("variance", x);
  detail::axes_for("variance", axes, x.shape());  // so a bad axis is reported as variance's
  Tensor m = mean(x, axes, true);
  return mean(square(sub(x, m)), axes, keepdims);
}

}  // namespace xkeras::ops
