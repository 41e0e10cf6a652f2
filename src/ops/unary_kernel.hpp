// The elementwise unary op skeleton shared by src/ops/unary.cpp and src/ops/activation_ops.cpp:
// a forward loop and a backward g * f'(x, y), both parallel over chunks (private to src/ops).
#pragma once

#include <cmath>

#include "ops/common.hpp"
#include "ops/parallel.hpp"

namespace xkeras::ops::detail {

// y = f(x) elementwise, with fill(px, py, n) computing the whole forward at once.
template <class Fill, class D>
inline Tensor unary_fill(const char* name, const Tensor& x, Fill fill, D d) {
  require_defined(name, x);
  Tensor y(empty(x.shape()));
  fill(x.data(), y.data(), x.size());
  if (Tape::wants({&x})) {
    Tape::current().record(name, {x}, y, [x, y, d]() mutable {
      const float* g = y.impl()->grad.data();
      const float* px = x.data();
      const float* py = y.data();
      bool fresh = false;
      float* gx = x.grad_buffer_for_write(fresh).data();
      const std::size_t n = x.size();
      parallel_chunks(n, n, [=](std::size_t b, std::size_t e) {
        // Four distinct buffers: __restrict lets the loops vectorize, which also turns relu's
        // `v > 0 ? 1 : 0` into a mask instead of a branch that mispredicts on every other sign.
        const float *__restrict gr = g, *__restrict xr = px, *__restrict yr = py;
        float* __restrict out = gx;
        if (fresh)  // the first gradient to arrive: write it, no zero fill and no read of gx
          for (std::size_t i = b; i < e; ++i) out[i] = gr[i] * d(xr[i], yr[i]);
        else
          for (std::size_t i = b; i < e; ++i) out[i] += gr[i] * d(xr[i], yr[i]);
      });
    });
  }
  return y;
}

template <class F, class D>
inline Tensor unary(const char* name, const Tensor& x, F f, D d) {
  return unary_fill(name, x, [f](const float* px, float* py, std::size_t n) {
    parallel_chunks(n, n, [=](std::size_t b, std::size_t e) {
      const float* __restrict xr = px;  // distinct buffers: lets the loop vectorize
      float* __restrict yr = py;
      for (std::size_t i = b; i < e; ++i) yr[i] = f(xr[i]);
    });
  }, d);
}

inline float sigm(float v) {
  // Stable for large |v|: never evaluates exp of a large positive number.
  if (v >= 0) return 1.0f / (1.0f + std::exp(-v));
  const float e = std::exp(v);
  return e / (1.0f + e);
}

}  // namespace xkeras::ops::detail
