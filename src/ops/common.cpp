#include "ops/common.hpp"

#include <algorithm>
#include <string>

namespace xkeras::ops {

std::vector<std::size_t> normalize_axes(const Axes& axes, std::size_t ndim) {
  std::vector<std::size_t> out;
  if (axes.empty()) {
    for (std::size_t i = 0; i < ndim; ++i) out.push_back(i);
    return out;
  }
  for (int a : axes) {
    const long n = static_cast<long>(ndim);
    const long v = a < 0 ? a + n : a;
    if (v < 0 || v >= n)
      throw ValueError("axis " + std::to_string(a) + " is out of bounds for a tensor of rank " + std::to_string(ndim));
    out.push_back(static_cast<std::size_t>(v));
  }
  std::sort(out.begin(), out.end());
  const auto dup = std::adjacent_find(out.begin(), out.end());
  if (dup != out.end())
    throw ValueError("axis " + std::to_string(*dup) + " is repeated in the axes of a tensor of rank " + std::to_string(ndim));
  return out;
}

Shape broadcast_shapes(const Shape& a, const Shape& b) {
  const std::size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    const std::size_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1)
      throw ValueError("operands could not be broadcast together with shapes " + shape_str(a) + " and " + shape_str(b));
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Array reduce_to_shape(const Array& g, const Shape& shape) {
  const Shape gs = to_shape(g);
  if (gs == shape) return g;
  Array out = Array::from_shape(shape);
  out.fill(0.0f);
  const auto so = detail::broadcast_strides(shape, gs);
  const std::vector<std::size_t> sg = detail::broadcast_strides(gs, gs);
  const float* pg = g.data();
  float* po = out.data();
  detail::for_each_broadcast(gs, so, sg, [&](std::size_t, std::size_t io, std::size_t ig) { po[io] += pg[ig]; });
  return out;
}

namespace detail {

std::vector<std::size_t> broadcast_strides(const Shape& src, const Shape& out) {
  const std::size_t n = out.size();
  if (src.size() > n) throw ValueError("cannot broadcast " + shape_str(src) + " to " + shape_str(out));
  std::vector<std::size_t> strides(n, 0);
  std::size_t s = 1;
  for (std::size_t i = src.size(); i-- > 0;) {
    const std::size_t o = i + (n - src.size());
    if (src[i] != 1 && src[i] != out[o])
      throw ValueError("cannot broadcast " + shape_str(src) + " to " + shape_str(out));
    strides[o] = src[i] == 1 ? 0 : s;
    s *= src[i];
  }
  return strides;
}

std::vector<std::size_t> axes_for(const char* op, const Axes& axes, const Shape& shape) {
  try {
    return normalize_axes(axes, shape.size());
  } catch (const ValueError& e) {
    throw ValueError(std::string(op) + ": " + e.what() + "; received input with shape " + shape_str(shape));
  }
}

std::size_t axis_for(const char* op, int axis, const Shape& shape) {
  const long n = static_cast<long>(shape.size());
  const long v = axis < 0 ? axis + n : axis;
  if (v < 0 || v >= n)
    throw ValueError(std::string(op) + ": axis " + std::to_string(axis) + " is out of bounds for a tensor of rank " +
                     std::to_string(n) + "; received input with shape " + shape_str(shape));
  return static_cast<std::size_t>(v);
}

Shape keepdims_shape(const Shape& in, const std::vector<std::size_t>& axes) {
  Shape s = in;
  for (auto a : axes) s[a] = 1;
  return s;
}

Shape dropped_shape(const Shape& in, const std::vector<std::size_t>& axes) {
  Shape s;
  for (std::size_t i = 0; i < in.size(); ++i)
    if (std::find(axes.begin(), axes.end(), i) == axes.end()) s.push_back(in[i]);
  return s;
}

}  // namespace detail
}  // namespace xkeras::ops
