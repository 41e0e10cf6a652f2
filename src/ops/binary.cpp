// Elementwise binary ops with NumPy broadcasting.
#include "ops/common.hpp"

namespace xkeras::ops {
namespace {

// Which side maximum/minimum return: a NaN wins (TF >= 2.4 propagates NaN through Max/Min), then
// ties go to the first operand.
inline bool takes_first_max(float x, float z) { return x != x || (z == z && x >= z); }
inline bool takes_first_min(float x, float z) { return x != x || (z == z && x <= z); }

// Runs y = f(a, b) over the broadcast shape. On the tape, the backward adds
// g * da(a, b, y) into a's gradient and g * db(a, b, y) into b's, where the index maps of the
// broadcast send each output position back to the input element it came from; summing there
// is exactly "reduce the gradient back to the input's shape".
template <class F, class DA, class DB>
Tensor binary(const char* name, const Tensor& a, const Tensor& b, F f, DA da, DB db) {
  detail::require_defined(name, a);
  detail::require_defined(name, b);
  const Shape as = a.shape(), bs = b.shape();
  Shape out = as;
  if (as != bs) {
    try {
      out = broadcast_shapes(as, bs);
    } catch (const ValueError& e) {
      throw ValueError(std::string(name) + ": " + e.what());
    }
  }
  Tensor y(detail::empty(out));
  const float* pa = a.data();
  const float* pb = b.data();
  float* py = y.data();
  const bool same = as == bs;
  std::vector<std::size_t> sa, sb;
  if (same) {
    const std::size_t n = y.size();
    for (std::size_t i = 0; i < n; ++i) py[i] = f(pa[i], pb[i]);
  } else {
    sa = detail::broadcast_strides(as, out);
    sb = detail::broadcast_strides(bs, out);
    detail::for_each_broadcast(out, sa, sb, [&](std::size_t o, std::size_t i, std::size_t j) { py[o] = f(pa[i], pb[j]); });
  }
  if (Tape::wants({&a, &b})) {
    Tape::current().record(name, {a, b}, y, [a, b, y, same, out, sa, sb, da, db]() mutable {
      const float* g = y.impl()->grad.data();
      const float* pa = a.data();
      const float* pb = b.data();
      const float* py = y.data();
      float* ga = a.requires_grad() ? a.grad_buffer().data() : nullptr;
      float* gb = b.requires_grad() ? b.grad_buffer().data() : nullptr;
      if (same) {
        const std::size_t n = y.size();
        if (ga) for (std::size_t i = 0; i < n; ++i) ga[i] += g[i] * da(pa[i], pb[i], py[i]);
        if (gb) for (std::size_t i = 0; i < n; ++i) gb[i] += g[i] * db(pa[i], pb[i], py[i]);
      } else {
        detail::for_each_broadcast(out, sa, sb, [&](std::size_t o, std::size_t i, std::size_t j) {
          if (ga) ga[i] += g[o] * da(pa[i], pb[j], py[o]);
          if (gb) gb[j] += g[o] * db(pa[i], pb[j], py[o]);
        });
      }
    });
  }
  return y;
}

}  // namespace

// d(a+b)/da = 1, d(a+b)/db = 1
Tensor add(const Tensor& a, const Tensor& b) {
  return binary("add", a, b, [](float x, float z) { return x + z; },
                [](float, float, float) { return 1.0f; }, [](float, float, float) { return 1.0f; });
}

// d(a-b)/da = 1, d(a-b)/db = -1
Tensor sub(const Tensor& a, const Tensor& b) {
  return binary("sub", a, b, [](float x, float z) { return x - z; },
                [](float, float, float) { return 1.0f; }, [](float, float, float) { return -1.0f; });
}

// d(ab)/da = b, d(ab)/db = a
Tensor mul(const Tensor& a, const Tensor& b) {
  return binary("mul", a, b, [](float x, float z) { return x * z; },
                [](float, float z, float) { return z; }, [](float x, float, float) { return x; });
}

// d(a/b)/da = 1/b, d(a/b)/db = -a/b^2 = -y/b
Tensor div(const Tensor& a, const Tensor& b) {
  return binary("div", a, b, [](float x, float z) { return x / z; },
                [](float, float z, float) { return 1.0f / z; }, [](float, float z, float y) { return -y / z; });
}

// d max(a,b)/da = [a chosen], d/db = [b chosen]: a >= b picks a (ties send the gradient to a), and
// a NaN on either side is chosen (TF propagates it)
Tensor maximum(const Tensor& a, const Tensor& b) {
  return binary("maximum", a, b, [](float x, float z) { return takes_first_max(x, z) ? x : z; },
                [](float x, float z, float) { return takes_first_max(x, z) ? 1.0f : 0.0f; },
                [](float x, float z, float) { return takes_first_max(x, z) ? 0.0f : 1.0f; });
}

// d min(a,b)/da = [a chosen], d/db = [b chosen]; a NaN on either side is chosen (TF propagates it)
Tensor minimum(const Tensor& a, const Tensor& b) {
  return binary("minimum", a, b, [](float x, float z) { return takes_first_min(x, z) ? x : z; },
                [](float x, float z, float) { return takes_first_min(x, z) ? 1.0f : 0.0f; },
                [](float x, float z, float) { return takes_first_min(x, z) ? 0.0f : 1.0f; });
}

}  // namespace xkeras::ops
