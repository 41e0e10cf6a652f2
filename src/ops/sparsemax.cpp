// sparsemax (Martins & Astudillo 2016, Keras 3 activations.sparsemax): the Euclidean projection of
// each row onto the probability simplex, y = max(x - tau, 0) with tau chosen so the row sums to 1.
// A row is the values along `axis`, viewed as (outer, n, inner) as in src/ops/nn.cpp.
#include <algorithm>
#include <cmath>
#include <limits>
#include <functional>
#include <vector>

#include "ops/common.hpp"

namespace xkeras::ops {

Tensor sparsemax(const Tensor& x, int axis) {
  detail::require_defined("sparsemax", x);
  const Shape& s = x.shape();
  const std::size_t ax = detail::axis_for("sparsemax", axis, s);
  std::size_t outer = 1, inner = 1;
  for (std::size_t d = 0; d < ax; ++d) outer *= s[d];
  for (std::size_t d = ax + 1; d < s.size(); ++d) inner *= s[d];
  const std::size_t n = s[ax];
  Tensor y(detail::empty(s));
  const float* px = x.data();
  float* py = y.data();
  std::vector<float> z(n);
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t i = 0; i < inner; ++i) {
      const std::size_t b = o * n * inner + i;
      bool nan = false;
      for (std::size_t j = 0; j < n; ++j) nan |= std::isnan(z[j] = px[b + j * inner]);
      if (nan) {  // as softmax: a NaN makes its row NaN (and sort needs an ordering NaN breaks)
        for (std::size_t j = 0; j < n; ++j) py[b + j * inner] = std::numeric_limits<float>::quiet_NaN();
        continue;
      }
      std::sort(z.begin(), z.end(), std::greater<float>());
      // support size k = the largest k with 1 + k z_k > z_1 + ... + z_k (z sorted descending)
      double cum = 0, cum_k = 0;
      std::size_t k = 0;
      for (std::size_t j = 0; j < n; ++j) {
        cum += z[j];
        if (1.0 + double(j + 1) * z[j] > cum) { k = j + 1; cum_k = cum; }
      }
      const float tau = k ? static_cast<float>((cum_k - 1.0) / double(k)) : 0.0f;
      for (std::size_t j = 0; j < n; ++j) py[b + j * inner] = std::max(px[b + j * inner] - tau, 0.0f);
    }
  if (Tape::wants({&x})) {
    // On the support S = {y > 0}: dL/dx_i = g_i - mean_{j in S} g_j; 0 off the support.
    Tape::current().record("sparsemax", {x}, y, [x, y, outer, n, inner]() mutable {
      const float* g = y.impl()->grad.data();
      const float* py = y.data();
      float* gx = x.grad_buffer().data();
      for (std::size_t o = 0; o < outer; ++o)
        for (std::size_t i = 0; i < inner; ++i) {
          const std::size_t b = o * n * inner + i;
          double sum = 0;
          std::size_t count = 0;
          for (std::size_t j = 0; j < n; ++j)
            if (py[b + j * inner] > 0) { sum += g[b + j * inner]; ++count; }
          const float mean = count ? static_cast<float>(sum / double(count)) : 0.0f;
          for (std::size_t j = 0; j < n; ++j)
            if (py[b + j * inner] > 0) gx[b + j * inner] += g[b + j * inner] - mean;
        }
    });
  }
  return y;
}

}  // namespace xkeras::ops
