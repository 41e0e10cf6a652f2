// Matrix products through BLAS.
#include "kernels/gemm.hpp"
#include "ops/common.hpp"

namespace xkeras::ops {
namespace {

// Rows of x viewed as a (rows, k) matrix: every leading axis folds into the rows.
std::size_t leading_rows(const Shape& s) {
  std::size_t r = 1;
  for (std::size_t i = 0; i + 1 < s.size(); ++i) r *= s[i];
  return r;
}

}  // namespace

// y = x W (+ b). With G = dL/dy:  dL/dx = G W^T,  dL/dW = x^T G,  dL/db = sum_rows(G).
// The weight gradients accumulate straight into their buffers (beta = 1).
Tensor linear(const Tensor& x, const Tensor& kernel, const Tensor& bias) {
  detail::require_defined("linear", x);
  detail::require_defined("linear", kernel);
  const Shape xs = x.shape(), ks = kernel.shape();
  if (xs.empty() || ks.size() != 2 || xs.back() != ks[0])
    throw ValueError("linear/matmul: expected the last axis of " + shape_str(xs) + " to equal the first axis of " +
                     shape_str(ks));
  const std::size_t m = leading_rows(xs), k = ks[0], n = ks[1];
  if (bias.defined() && (bias.ndim() != 1 || bias.dim(0) != n))
    throw ValueError("linear: expected a bias of shape (" + std::to_string(n) + ",), got " + shape_str(bias.shape()));
  Shape ys = xs;
  ys.back() = n;
  Tensor y(detail::empty(ys));
  float* py = y.data();
  if (bias.defined()) {
    const float* pb = bias.data();
    for (std::size_t r = 0; r < m; ++r) std::copy(pb, pb + n, py + r * n);
  }
  if (k > 0) {
    kernels::gemm(false, false, m, n, k, 1.0f, x.data(), k, kernel.data(), n, bias.defined() ? 1.0f : 0.0f, py, n);
  } else if (!bias.defined()) {
    // BLAS rejects lda = 0; an empty inner product is zero.
    std::fill(py, py + y.size(), 0.0f);
  }
  Tensors ins{x, kernel};
  if (bias.defined()) ins.push_back(bias);
  if (Tape::wants(ins)) {
    Tape::current().record("linear", ins, y, [x, kernel, bias, y, m, n, k]() mutable {
      const float* g = y.impl()->grad.data();
      if (x.requires_grad()) kernels::gemm(false, true, m, k, n, 1.0f, g, n, kernel.data(), n, 1.0f, x.grad_buffer().data(), k);
      if (kernel.requires_grad())
        kernels::gemm(true, false, k, n, m, 1.0f, x.data(), k, g, n, 1.0f, kernel.grad_buffer().data(), n);
      if (bias.defined() && bias.requires_grad()) {
        float* gb = bias.grad_buffer().data();
        for (std::size_t r = 0; r < m; ++r)
          for (std::size_t j = 0; j < n; ++j) gb[j] += g[r * n + j];
      }
    });
  }
  return y;
}

Tensor matmul(const Tensor& a, const Tensor& b) {
  detail::require_defined("matmul", a);
  detail::require_defined("matmul", b);
  if (a.ndim() < 1 || b.ndim() != 2)
    throw ValueError("matmul: expected (..., m, k) x (k, n), got " + shape_str(a.shape()) + " x " + shape_str(b.shape()));
  return linear(a, b, Tensor());
}

}  // namespace xkeras::ops
