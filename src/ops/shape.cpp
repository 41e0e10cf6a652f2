// Shape ops: reshape, transpose, concatenate, expand_dims, squeeze, slice, broadcast_to.
// Each only moves values, so each backward moves the output gradient back to where the value came from.
#include <algorithm>
#include <string>

#include "ops/common.hpp"

namespace xkeras::ops {

// reshape keeps the row-major order: the gradient is the output gradient reshaped back.
Tensor reshape(const Tensor& x, const Shape& shape) {
  detail::require_defined("reshape", x);
  if (shape_size(shape) != x.size())
    throw ValueError("reshape: cannot reshape a tensor of shape " + shape_str(x.shape()) + " (" + std::to_string(x.size()) +
                     " values) into shape " + shape_str(shape));
  Array v = Array::from_shape(shape);
  std::copy(x.data(), x.data() + x.size(), v.data());
  Tensor y(std::move(v));
  if (Tape::wants({&x})) {
    Tape::current().record("reshape", {x}, y, [x, y]() mutable {
      const float* g = y.impl()->grad.data();
      float* gx = x.grad_buffer().data();
      for (std::size_t i = 0, n = x.size(); i < n; ++i) gx[i] += g[i];
    });
  }
  return y;
}

Tensor reshape(const Tensor& x, const std::vector<long>& shape) {
  detail::require_defined("reshape", x);
  Shape s;
  long infer = -1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (infer >= 0) throw ValueError("reshape: only one dimension can be -1");
      infer = static_cast<long>(i);
      s.push_back(1);
    } else if (shape[i] < 0) {
      throw ValueError("reshape: invalid dimension " + std::to_string(shape[i]));
    } else {
      s.push_back(static_cast<std::size_t>(shape[i]));
    }
  }
  const std::size_t known = shape_size(s);  // the -1 counts as 1; overflow is a ValueError
  if (infer >= 0) {
    if (known == 0 || x.size() % known != 0)
      throw ValueError("reshape: cannot infer the -1 dimension reshaping " + shape_str(x.shape()));
    s[static_cast<std::size_t>(infer)] = x.size() / known;
  }
  return reshape(x, s);
}

Tensor reshape(const Tensor& x, std::initializer_list<long> shape) { return reshape(x, std::vector<long>(shape)); }

namespace {

std::string perm_str(const std::vector<std::size_t>& p) {
  std::string s = "(";
  for (std::size_t i = 0; i < p.size(); ++i) s += (i ? ", " : "") + std::to_string(p[i]);
  return s + (p.size() == 1 ? ",)" : ")");
}

// Product of shape[from, to).
std::size_t span(const Shape& s, std::size_t from, std::size_t to) {
  std::size_t n = 1;
  for (std::size_t i = from; i < to; ++i) n *= s[i];
  return n;
}

}  // namespace

// y[i_0, ..., i_n] = x[j] with j_{perm[d]} = i_d. The backward applies the inverse map:
// dL/dx[j] = g[i] for the same (i, j) pairs, so one strided walk serves both directions.
Tensor transpose(const Tensor& x, const std::vector<std::size_t>& perm_in) {
  detail::require_defined("transpose", x);
  const Shape in = x.shape();
  const std::size_t nd = in.size();
  std::vector<std::size_t> perm = perm_in;
  if (perm.empty())
    for (std::size_t i = 0; i < nd; ++i) perm.push_back(nd - 1 - i);
  std::vector<bool> seen(nd, false);
  bool ok = perm.size() == nd;
  for (std::size_t p : perm) {
    if (p >= nd || seen[p]) { ok = false; break; }
    seen[p] = true;
  }
  if (!ok)
    throw ValueError("transpose: expected a permutation of the " + std::to_string(nd) + " axes of a tensor of shape " +
                     shape_str(in) + ", got " + perm_str(perm));
  const auto in_strides = detail::broadcast_strides(in, in);
  Shape out(nd);
  std::vector<std::size_t> src(nd);  // stride in x of each output axis
  for (std::size_t d = 0; d < nd; ++d) {
    out[d] = in[perm[d]];
    src[d] = in_strides[perm[d]];
  }
  Tensor y(detail::empty(out));
  const float* px = x.data();
  float* py = y.data();
  detail::for_each_broadcast(out, src, src, [&](std::size_t o, std::size_t i, std::size_t) { py[o] = px[i]; });
  if (Tape::wants({&x})) {
    Tape::current().record("transpose", {x}, y, [x, y, out, src]() mutable {
      const float* g = y.impl()->grad.data();
      float* gx = x.grad_buffer().data();
      detail::for_each_broadcast(out, src, src, [&](std::size_t o, std::size_t i, std::size_t) { gx[i] += g[o]; });
    });
  }
  return y;
}

// Viewed as (outer, d_k * inner) blocks, y's rows are the inputs' rows side by side.
// The gradient of input k is its column block of g: dL/dx_k = g[..., off_k : off_k + d_k, ...].
Tensor concatenate(const Tensors& xs, int axis) {
  if (xs.empty()) throw ValueError("concatenate: expected a non-empty list of tensors");
  for (const Tensor& t : xs) detail::require_defined("concatenate", t);
  const Shape first = xs[0].shape();
  std::string shapes;
  for (std::size_t k = 0; k < xs.size(); ++k) shapes += (k ? ", " : "") + shape_str(xs[k].shape());
  if (first.empty()) throw ValueError("concatenate: cannot concatenate rank-0 tensors; received shapes " + shapes);
  const std::size_t ax = detail::axis_for("concatenate", axis, first);
  Shape out = first;
  out[ax] = 0;
  for (const Tensor& t : xs) {
    Shape s = t.shape();
    bool match = s.size() == first.size();
    for (std::size_t d = 0; match && d < s.size(); ++d) match = d == ax || s[d] == first[d];
    if (!match)
      throw ValueError("concatenate: expected tensors whose shapes match except on axis " + std::to_string(axis) +
                       ", received shapes " + shapes);
    out[ax] += s[ax];
  }
  const std::size_t outer = span(first, 0, ax), inner = span(first, ax + 1, first.size());
  const std::size_t row = out[ax] * inner;  // output values per outer index
  Tensor y(detail::empty(out));
  float* py = y.data();
  std::vector<std::size_t> width(xs.size()), offset(xs.size());
  for (std::size_t k = 0, off = 0; k < xs.size(); ++k) {
    width[k] = xs[k].dim(static_cast<int>(ax)) * inner;
    offset[k] = off;
    off += width[k];
  }
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const float* px = xs[k].data();
    for (std::size_t o = 0; o < outer; ++o) std::copy(px + o * width[k], px + (o + 1) * width[k], py + o * row + offset[k]);
  }
  if (Tape::wants(xs)) {
    Tape::current().record("concatenate", xs, y, [xs, y, outer, row, width, offset]() mutable {
      const float* g = y.impl()->grad.data();
      for (std::size_t k = 0; k < xs.size(); ++k) {
        if (!xs[k].requires_grad()) continue;
        float* gx = xs[k].grad_buffer().data();
        for (std::size_t o = 0; o < outer; ++o) {
          const float* src = g + o * row + offset[k];
          float* dst = gx + o * width[k];
          for (std::size_t j = 0; j < width[k]; ++j) dst[j] += src[j];
        }
      }
    });
  }
  return y;
}

// A reshape that inserts a size-1 axis; axis may be in [-(rank+1), rank] as in NumPy.
Tensor expand_dims(const Tensor& x, int axis) {
  detail::require_defined("expand_dims", x);
  Shape s = x.shape();
  const long n = static_cast<long>(s.size()) + 1;
  const long a = axis < 0 ? axis + n : axis;
  if (a < 0 || a >= n)
    throw ValueError("expand_dims: axis " + std::to_string(axis) + " is out of bounds for the result of rank " +
                     std::to_string(n) + "; received input with shape " + shape_str(s));
  s.insert(s.begin() + a, 1);
  return reshape(x, s);
}

// A reshape that drops a size-1 axis.
Tensor squeeze(const Tensor& x, int axis) {
  detail::require_defined("squeeze", x);
  Shape s = x.shape();
  const std::size_t a = detail::axis_for("squeeze", axis, s);
  if (s[a] != 1)
    throw ValueError("squeeze: cannot squeeze axis " + std::to_string(axis) + " of size " + std::to_string(s[a]) +
                     " (expected size 1); received input with shape " + shape_str(s));
  s.erase(s.begin() + static_cast<long>(a));
  return reshape(x, s);
}

// y = x[..., begin:end, ...]; dL/dx is g placed at [begin, end) along the axis, zero elsewhere.
Tensor slice(const Tensor& x, int axis, std::size_t begin, std::size_t end) {
  detail::require_defined("slice", x);
  const Shape in = x.shape();
  const std::size_t ax = detail::axis_for("slice", axis, in);
  if (begin > end || end > in[ax])
    throw ValueError("slice: expected 0 <= begin <= end <= " + std::to_string(in[ax]) + " on axis " + std::to_string(axis) +
                     ", got [" + std::to_string(begin) + ", " + std::to_string(end) + "); received input with shape " +
                     shape_str(in));
  const std::size_t outer = span(in, 0, ax), inner = span(in, ax + 1, in.size());
  const std::size_t src_row = in[ax] * inner, width = (end - begin) * inner, start = begin * inner;
  Shape out = in;
  out[ax] = end - begin;
  Tensor y(detail::empty(out));
  const float* px = x.data();
  float* py = y.data();
  for (std::size_t o = 0; o < outer; ++o) std::copy(px + o * src_row + start, px + o * src_row + start + width, py + o * width);
  if (Tape::wants({&x})) {
    Tape::current().record("slice", {x}, y, [x, y, outer, src_row, width, start]() mutable {
      const float* g = y.impl()->grad.data();
      float* gx = x.grad_buffer().data();
      for (std::size_t o = 0; o < outer; ++o) {
        float* dst = gx + o * src_row + start;
        const float* src = g + o * width;
        for (std::size_t j = 0; j < width; ++j) dst[j] += src[j];
      }
    });
  }
  return y;
}

// y = x broadcast NumPy-style; dL/dx sums g over the broadcast positions of each element.
Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  detail::require_defined("broadcast_to", x);
  std::vector<std::size_t> sx;
  try {
    sx = detail::broadcast_strides(x.shape(), shape);
  } catch (const ValueError&) {
    throw ValueError("broadcast_to: cannot broadcast a tensor of shape " + shape_str(x.shape()) + " to shape " +
                     shape_str(shape));
  }
  Tensor y(detail::empty(shape));
  const float* px = x.data();
  float* py = y.data();
  detail::for_each_broadcast(shape, sx, sx, [&](std::size_t o, std::size_t i, std::size_t) { py[o] = px[i]; });
  if (Tape::wants({&x})) {
    Tape::current().record("broadcast_to", {x}, y, [x, y, shape, sx]() mutable {
      const float* g = y.impl()->grad.data();
      float* gx = x.grad_buffer().data();
      detail::for_each_broadcast(shape, sx, sx, [&](std::size_t o, std::size_t i, std::size_t) { gx[i] += g[o]; });
    });
  }
  return y;
}

}  // namespace xkeras::ops
