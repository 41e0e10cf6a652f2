// Softmax over the last axis with a 0/1 mask broadcast onto the logits (attention's masking).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/eltwise.hpp"
#include "ops/common.hpp"
#include "ops/parallel.hpp"
#include "xkeras/ops/attention.hpp"

namespace xkeras::ops {
namespace {

constexpr float kMaskedLogit = -1e9f;  // Keras's large negative number for float32

// The mask expanded to x's shape as bytes (1 = keep), or empty when no mask is given.
std::vector<std::uint8_t> expand_mask(const Tensor& x, const Tensor& mask) {
  if (!mask.defined()) return {};
  const Shape xs = x.shape(), ms = mask.shape();
  bool fits = ms.size() <= xs.size();
  for (std::size_t d = 0; fits && d < ms.size(); ++d) {
    const std::size_t md = ms[ms.size() - 1 - d];
    fits = md == 1 || md == xs[xs.size() - 1 - d];
  }
  if (!fits)
    throw ValueError("masked_softmax: the mask of shape " + shape_str(ms) + " does not broadcast to the logits' shape " +
                     shape_str(xs));
  std::vector<std::uint8_t> keep(x.size());
  const auto sm = detail::broadcast_strides(ms, xs), sx = detail::broadcast_strides(xs, xs);
  const float* pm = mask.data();
  detail::for_each_broadcast(xs, sx, sm, [&](std::size_t o, std::size_t, std::size_t im) { keep[o] = pm[im] > 0.5f; });
  return keep;
}

}  // namespace

// Unmasked: y_j = exp(x_j - m) / sum_k exp(x_k - m). Masked logits are the constant -1e9, so their
// outputs are ~0 (uniform when a whole row is masked) and they pass no gradient.
Tensor masked_softmax(const Tensor& x, const Tensor& mask, bool zero_masked) {
  detail::require_defined("masked_softmax", x);
  if (x.ndim() == 0) throw ValueError("masked_softmax: expected an input of rank >= 1, got a scalar");
  const std::vector<std::uint8_t> keep = expand_mask(x, mask);
  const std::size_t n = x.shape().back(), rows = n ? x.size() / n : 0;
  Tensor y(detail::empty(x.shape()));
  const float* px = x.data();
  float* py = y.data();
  const std::uint8_t* pk = keep.empty() ? nullptr : keep.data();
  if (pk) {  // masked logits become -1e9 in the output buffer, which the softmax then reads in place
    for (std::size_t i = 0, e = x.size(); i < e; ++i) py[i] = pk[i] ? px[i] : kMaskedLogit;
    px = py;
  }
  kernels::softmax_rows(px, py, rows, n);  // oneDNN's vectorized exp; the row max is subtracted first
  if (zero_masked && pk)
    for (std::size_t i = 0, e = x.size(); i < e; ++i) py[i] = pk[i] ? py[i] : 0.0f;
  if (Tape::wants({&x})) {
    // With softmax values z (before any zeroing) and h = g masked like the output:
    // dL/dx_i = z_i (h_i - sum_j h_j z_j) for kept i, 0 for masked i (their logit is a constant).
    // When zero_masked, y = z at kept entries and h = g there, 0 elsewhere; else y = z and h = g.
    Tape::current().record("masked_softmax", {x}, y, [x, y, keep, n, rows, zero_masked]() mutable {
      const float* g = y.impl()->grad.data();
      const float* py = y.data();
      float* gx = x.grad_buffer().data();
      const std::uint8_t* pk = keep.empty() ? nullptr : keep.data();
      detail::parallel_chunks(rows, x.size() * 4, [&](std::size_t r0, std::size_t r1) {
        for (std::size_t r = r0; r < r1; ++r) {
          const float *gr = g + r * n, *yr = py + r * n;
          const std::uint8_t* kr = pk ? pk + r * n : nullptr;
          float* gxr = gx + r * n;
          float dot = 0.0f;
          // masked entries: y = 0 when zeroed (or ~0 in a partly masked row); a fully masked row's
          // uniform values contribute g_j z_j but only feed masked (gradient-free) logits.
          for (std::size_t j = 0; j < n; ++j) dot += (!kr || kr[j] || !zero_masked) ? gr[j] * yr[j] : 0.0f;
          for (std::size_t j = 0; j < n; ++j)
            if (!kr || kr[j]) gxr[j] += yr[j] * (gr[j] - dot);
        }
      });
    });
  }
  return y;
}

}  // namespace xkeras::ops
