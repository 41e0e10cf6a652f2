// take / gather: rows of a tensor picked by index (Embedding's lookup). The forward copies one
// contiguous slice per (outer, index) pair; the backward scatter-adds the slices back.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "ops/common.hpp"
#include "ops/parallel.hpp"
#include "xkeras/ops/sequence.hpp"

namespace xkeras::ops {

namespace {

std::size_t span(const Shape& s, std::size_t from, std::size_t to) {
  std::size_t n = 1;
  for (std::size_t i = from; i < to; ++i) n *= s[i];
  return n;
}

[[noreturn]] void bad_index(const std::string& index, std::size_t pos, std::size_t bound, const Shape& params,
                            std::size_t axis) {
  throw ValueError("take: index " + index + " (at flat position " + std::to_string(pos) + " of the indices) is out of range [" +
                   "-" + std::to_string(bound) + ", " + std::to_string(bound) + ") for axis " + std::to_string(axis) +
                   " of params with shape " + shape_str(params));
}

// The indices as non-negative row numbers below `bound`, each checked before any row is read.
// Float indices are truncated toward zero (Keras casts them to int32); negative ones wrap once.
std::vector<std::size_t> read_indices(const Tensor& indices, std::size_t bound, const Shape& params, std::size_t axis) {
  const std::size_t n = indices.size();
  std::vector<std::size_t> out(n);
  const long long b = static_cast<long long>(bound);
  if (indices.is_int()) {
    const std::int32_t* q = indices.idata();
    for (std::size_t i = 0; i < n; ++i) {
      const long long v = q[i];
      if (v < -b || v >= b) bad_index(std::to_string(v), i, bound, params, axis);
      out[i] = static_cast<std::size_t>(v < 0 ? v + b : v);
    }
    return out;
  }
  const float* p = indices.data();
  for (std::size_t i = 0; i < n; ++i) {
    const float f = p[i];
    // Compare in float before converting: a huge or NaN value must not reach the integer cast.
    if (!(std::fabs(f) < 4.0e18f)) bad_index(std::to_string(f), i, bound, params, axis);
    long long v = static_cast<long long>(f);  // truncation toward zero, as tf.cast
    if (v < -b || v >= b) bad_index(std::to_string(v), i, bound, params, axis);
    out[i] = static_cast<std::size_t>(v < 0 ? v + b : v);
  }
  return out;
}

}  // namespace

// y[o, k, j] = p[o, idx[k], j] with params viewed as (outer, n, inner) and the indices flattened to k.
// dL/dp[o, r, j] = sum over k with idx[k] = r of g[o, k, j]: a scatter-add. The buffer is written
// once: a fresh one gets zeros only in rows no index touches, and each touched row's first
// contribution is copied instead of added (no zero fill of a large Embedding table first).
Tensor take(const Tensor& params, const Tensor& indices, int axis) {
  detail::require_defined("take", params);
  detail::require_defined("take", indices);
  const Shape ps = params.shape();
  if (ps.empty()) throw ValueError("take: params must have rank >= 1; received a scalar");
  const std::size_t ax = detail::axis_for("take", axis, ps);
  const std::size_t n = ps[ax], outer = span(ps, 0, ax), inner = span(ps, ax + 1, ps.size());
  const std::vector<std::size_t> idx = read_indices(indices, n, ps, ax);
  const std::size_t k = idx.size();
  Shape out(ps.begin(), ps.begin() + static_cast<long>(ax));
  for (std::size_t d : indices.shape()) out.push_back(d);
  out.insert(out.end(), ps.begin() + static_cast<long>(ax) + 1, ps.end());
  Tensor y(detail::empty(out));
  const float* pp = params.data();
  float* py = y.data();
  const std::size_t rows = outer * k;
  detail::parallel_chunks(rows, rows * inner, [&](std::size_t begin, std::size_t end) {
    for (std::size_t r = begin; r < end; ++r) {
      const std::size_t o = r / (k ? k : 1), i = r - o * k;
      std::memcpy(py + r * inner, pp + (o * n + idx[i]) * inner, inner * sizeof(float));
    }
  });
  if (Tape::wants({&params})) {
    Tape::current().record("take", {params}, y, [params, y, idx, outer, n, inner]() mutable {
      const float* g = y.impl()->grad.data();
      bool fresh = false;
      float* gp = params.grad_buffer_for_write(fresh).data();
      const std::size_t k = idx.size();
      // first[i]: idx[i] has not appeared before; touched[r]: some index names row r.
      std::vector<unsigned char> first, touched;
      if (fresh) {
        first.assign(k, 0);
        touched.assign(n, 0);
        for (std::size_t i = 0; i < k; ++i)
          if (!touched[idx[i]]) touched[idx[i]] = first[i] = 1;
      }
      // Threads split the columns of each row, so no two threads ever write one element; within a
      // thread the indices run in order, so a row's first contribution comes before the others.
      detail::parallel_chunks(inner, outer * (k + (fresh ? n : 0)) * inner, [&](std::size_t c0, std::size_t c1) {
        const std::size_t w = c1 - c0;
        for (std::size_t o = 0; o < outer; ++o) {
          if (fresh)
            for (std::size_t r = 0; r < n; ++r)
              if (!touched[r]) std::memset(gp + (o * n + r) * inner + c0, 0, w * sizeof(float));
          for (std::size_t i = 0; i < k; ++i) {
            float* dst = gp + (o * n + idx[i]) * inner + c0;
            const float* src = g + (o * k + i) * inner + c0;
            if (fresh && first[i]) {
              std::memcpy(dst, src, w * sizeof(float));
            } else {
              for (std::size_t j = 0; j < w; ++j) dst[j] += src[j];
            }
          }
        }
      });
    });
  }
  return y;
}

Tensor gather(const Tensor& params, const Tensor& indices, int axis) { return take(params, indices, axis); }

}  // namespace xkeras::ops
