// Fused layer normalization over any set of axes. The kernels work on a (rows, D) matrix whose
// rows are examples and whose D columns are the normalized elements; trailing contiguous axes
// are that matrix already, any other axis set is transposed into it and back.
#include <cmath>
#include <string>
#include <vector>

#include "ops/common.hpp"
#include "xkeras/ops/normalization.hpp"

namespace xkeras::ops {
namespace {

// dst = src transposed by `perm` (dst axis k is src axis perm[k]), both row-major.
void permute(const float* src, const Shape& shape, const std::vector<std::size_t>& perm, float* dst) {
  const std::size_t nd = shape.size(), total = shape_size(shape);
  if (total == 0) return;
  std::vector<std::size_t> src_strides(nd, 1);
  for (std::size_t i = nd; i-- > 1;) src_strides[i - 1] = src_strides[i] * shape[i];
  Shape out(nd);
  std::vector<std::size_t> step(nd);
  for (std::size_t k = 0; k < nd; ++k) {
    out[k] = shape[perm[k]];
    step[k] = src_strides[perm[k]];
  }
  std::vector<std::size_t> idx(nd, 0);
  std::size_t s = 0;
  const std::size_t inner = out[nd - 1], inner_step = step[nd - 1];
  for (std::size_t o = 0; o < total; o += inner) {
    for (std::size_t j = 0; j < inner; ++j) dst[o + j] = src[s + j * inner_step];
    for (std::size_t k = nd - 1; k-- > 0;) {  // odometer over the outer destination axes
      s += step[k];
      if (++idx[k] < out[k]) break;
      s -= step[k] * out[k];
      idx[k] = 0;
    }
  }
}

std::vector<std::size_t> inverse(const std::vector<std::size_t>& perm) {
  std::vector<std::size_t> inv(perm.size());
  for (std::size_t k = 0; k < perm.size(); ++k) inv[perm[k]] = k;
  return inv;
}

// How a layer_norm call maps its input onto the (rows, D) matrix.
struct Layout {
  std::size_t rows = 1, cols = 1;
  bool transposed = false;
  std::vector<std::size_t> perm;  // kept axes then normalized axes
  Shape permuted_shape;
};

Layout make_layout(const Shape& s, const std::vector<std::size_t>& axes) {
  Layout l;
  const std::size_t nd = s.size();
  std::vector<bool> normalized(nd, false);
  for (auto a : axes) normalized[a] = true;
  for (std::size_t i = 0; i < nd; ++i)
    if (!normalized[i]) l.perm.push_back(i);
  const std::size_t kept = l.perm.size();
  for (auto a : axes) l.perm.push_back(a);
  for (std::size_t i = 0; i < nd; ++i) {
    l.permuted_shape.push_back(s[l.perm[i]]);
    if (i < kept) l.rows *= s[l.perm[i]];
    else l.cols *= s[l.perm[i]];
  }
  for (std::size_t i = 0; i < nd; ++i) l.transposed = l.transposed || l.perm[i] != i;
  return l;
}

}  // namespace

Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, const Axes& axes, float epsilon) {
  const char* op = "layer_norm";
  const Shape xs = x.shape();
  if (axes.empty()) throw ValueError("layer_norm: expected at least one axis to normalize over");
  for (int a : axes)
    if (a >= static_cast<int>(xs.size()) || a < -static_cast<int>(xs.size()))
      throw ValueError("layer_norm: axis " + std::to_string(a) + " is out of bounds for an input of shape " +
                       shape_str(xs));
  const auto ax = normalize_axes(axes, xs.size());
  Shape param_shape;
  for (auto a : ax) param_shape.push_back(xs[a]);
  for (const auto* p : {&gamma, &beta})
    if (p->defined() && p->shape() != param_shape)
      throw ValueError(std::string(op) + ": expected " + (p == &gamma ? "gamma" : "beta") + " of shape " +
                       shape_str(param_shape) + " for an input of shape " + shape_str(xs) + ", got " +
                       shape_str(p->shape()));

  const Layout l = make_layout(xs, ax);
  const std::size_t R = l.rows, D = l.cols;
  // The (rows, D) view of x: the input itself, or a transposed copy for non-trailing axis sets.
  Array xt_buf;
  const float* px = x.data();
  if (l.transposed) {
    xt_buf = detail::empty(l.permuted_shape);
    permute(x.data(), xs, l.perm, xt_buf.data());
    px = xt_buf.data();
  }
  const float* pg = gamma.defined() ? gamma.data() : nullptr;
  const float* pb = beta.defined() ? beta.data() : nullptr;

  Array y_buf = detail::empty(l.transposed ? l.permuted_shape : xs);
  float* py = y_buf.data();
  std::vector<float> mean(R), inv(R);
  for (std::size_t r = 0; r < R; ++r) {
    const float* row = px + r * D;
    double s = 0;
    for (std::size_t j = 0; j < D; ++j) s += row[j];
    const double m = D ? s / double(D) : 0.0;
    double ss = 0;
    for (std::size_t j = 0; j < D; ++j) ss += (row[j] - m) * (row[j] - m);
    const double var = D ? ss / double(D) : 0.0;  // biased variance, as Keras
    mean[r] = static_cast<float>(m);
    inv[r] = static_cast<float>(1.0 / std::sqrt(var + double(epsilon)));
    float* out = py + r * D;
    for (std::size_t j = 0; j < D; ++j) {
      const float xhat = (row[j] - mean[r]) * inv[r];
      out[j] = xhat * (pg ? pg[j] : 1.0f) + (pb ? pb[j] : 0.0f);
    }
  }
  Tensor y;
  if (l.transposed) {
    Array back = detail::empty(xs);
    permute(y_buf.data(), l.permuted_shape, inverse(l.perm), back.data());
    y = Tensor(std::move(back));
  } else {
    y = Tensor(std::move(y_buf));
  }

  Tensors ins{x};
  if (gamma.defined()) ins.push_back(gamma);
  if (beta.defined()) ins.push_back(beta);
  if (Tape::wants(ins)) {
    // Per row, with xhat = (x - mean) * inv, g = dL/dy, dxhat = g * gamma and sums over the D columns:
    //   dL/dx     = inv / D * (D*dxhat - sum(dxhat) - xhat * sum(dxhat * xhat))
    //   dL/dgamma = sum over rows of g * xhat,   dL/dbeta = sum over rows of g
    Tape::current().record(op, ins, y, [x, gamma, beta, y, l, xt = std::move(xt_buf), mean = std::move(mean),
                                        inv = std::move(inv)]() mutable {
      const std::size_t R = l.rows, D = l.cols;
      const float* px = l.transposed ? xt.data() : x.data();
      Array gt;
      const float* g = y.impl()->grad.data();
      if (l.transposed) {
        gt = detail::empty(l.permuted_shape);
        permute(g, x.shape(), l.perm, gt.data());
        g = gt.data();
      }
      const float* pg = gamma.defined() ? gamma.data() : nullptr;
      float* gg = gamma.defined() && gamma.requires_grad() ? gamma.grad_buffer().data() : nullptr;
      float* gb = beta.defined() && beta.requires_grad() ? beta.grad_buffer().data() : nullptr;
      Array dx;
      float* pdx = nullptr;
      if (x.requires_grad()) {
        dx = detail::empty(l.transposed ? l.permuted_shape : x.shape());
        pdx = dx.data();
      }
      for (std::size_t r = 0; r < R; ++r) {
        const float* row = px + r * D;
        const float* grow = g + r * D;
        double sum_d = 0, sum_dx = 0;
        for (std::size_t j = 0; j < D; ++j) {
          const float xhat = (row[j] - mean[r]) * inv[r];
          const float dxhat = grow[j] * (pg ? pg[j] : 1.0f);
          sum_d += dxhat;
          sum_dx += double(dxhat) * xhat;
          if (gg) gg[j] += grow[j] * xhat;
          if (gb) gb[j] += grow[j];
        }
        if (!pdx) continue;
        const float md = static_cast<float>(sum_d / double(D)), mdx = static_cast<float>(sum_dx / double(D));
        float* out = pdx + r * D;
        for (std::size_t j = 0; j < D; ++j) {
          const float xhat = (row[j] - mean[r]) * inv[r];
          out[j] = inv[r] * (grow[j] * (pg ? pg[j] : 1.0f) - md - xhat * mdx);
        }
      }
      if (!pdx) return;
      float* gx = x.grad_buffer().data();
      if (l.transposed) {
        Array back = detail::empty(x.shape());
        permute(pdx, l.permuted_shape, inverse(l.perm), back.data());
        pdx = back.data();
        for (std::size_t i = 0, n = back.size(); i < n; ++i) gx[i] += pdx[i];
      } else {
        for (std::size_t i = 0, n = dx.size(); i < n; ++i) gx[i] += pdx[i];
      }
    });
  }
  return y;
}

}  // namespace xkeras::ops
