// Helpers shared by the op implementations (private to src/).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/tape.hpp"

namespace xkeras::ops::detail {

/// Row-major strides of `shape` into a tensor of shape `src` right-aligned against it,
/// with stride 0 on broadcast (size-1 or missing) dimensions.
std::vector<std::size_t> broadcast_strides(const Shape& src, const Shape& out);

/// Calls fn(o, ia, ib) for every flat output index o of `out`, with the flat indices of the
/// matching elements of two inputs whose broadcast strides are sa and sb.
template <class Fn>
void for_each_broadcast(const Shape& out, const std::vector<std::size_t>& sa,
                        const std::vector<std::size_t>& sb, Fn&& fn) {
  const std::size_t nd = out.size();
  std::size_t total = shape_size(out);
  if (total == 0) return;
  if (nd == 0) { fn(0, 0, 0); return; }
  const std::size_t inner = out[nd - 1], ia_step = sa[nd - 1], ib_step = sb[nd - 1];
  std::vector<std::size_t> idx(nd, 0);
  std::size_t o = 0, ia = 0, ib = 0;
  while (o < total) {
    for (std::size_t j = 0; j < inner; ++j) fn(o + j, ia + j * ia_step, ib + j * ib_step);
    o += inner;
    // odometer over the outer dimensions
    for (std::size_t d = nd - 1; d-- > 0;) {
      ia += sa[d];
      ib += sb[d];
      if (++idx[d] < out[d]) break;
      ia -= sa[d] * out[d];
      ib -= sb[d] * out[d];
      idx[d] = 0;
    }
  }
}

/// Throws a ValueError naming `op` when `t` is an undefined (default-constructed) Tensor.
inline void require_defined(const char* op, const Tensor& t) {
  if (!t.defined()) throw ValueError(std::string(op) + ": received an undefined tensor");
}

/// normalize_axes for op `op` on an input of shape `shape`; errors name the op, the axes and the shape.
std::vector<std::size_t> axes_for(const char* op, const Axes& axes, const Shape& shape);
/// One axis in [-rank, rank) of `shape`, made non-negative; errors name the op and the shape.
std::size_t axis_for(const char* op, int axis, const Shape& shape);

/// Shape with the reduced axes kept as 1.
Shape keepdims_shape(const Shape& in, const std::vector<std::size_t>& axes);
/// Shape with the reduced axes removed.
Shape dropped_shape(const Shape& in, const std::vector<std::size_t>& axes);

/// An uninitialized array; ValueError when the shape's product overflows (xtensor would wrap it).
inline Array empty(const Shape& s) {
  shape_size(s);
  return Array::from_shape(s);
}

}  // namespace xkeras::ops::detail
