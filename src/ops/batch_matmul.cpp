// Batched matrix products through BLAS, one gemm per batch entry.
#include "xkeras/ops/batch_matmul.hpp"

#include <algorithm>

#include "kernels/gemm.hpp"
#include "ops/common.hpp"

namespace xkeras::ops {

// Y[i] = A[i] B[i]. With G = dL/dY:  dL/dA[i] = G[i] B[i]^T,  dL/dB[i] = A[i]^T G[i]
// (accumulated into the gradient buffers with beta = 1).
Tensor batch_matmul(const Tensor& a, const Tensor& b) {
  detail::require_defined("batch_matmul", a);
  detail::require_defined("batch_matmul", b);
  const Shape as = a.shape(), bs = b.shape();
  if (as.size() != 3 || bs.size() != 3 || as[0] != bs[0] || as[2] != bs[1])
    throw ValueError("batch_matmul: expected (B, m, k) x (B, k, n), got " + shape_str(as) + " x " + shape_str(bs));
  const std::size_t batch = as[0], m = as[1], k = as[2], n = bs[2];
  Tensor y(detail::empty({batch, m, n}));
  float* py = y.data();
  if (k == 0 || m == 0 || n == 0) {
    std::fill(py, py + y.size(), 0.0f);  // an empty inner product is zero; BLAS rejects zero leading dimensions
  } else {
    for (std::size_t i = 0; i < batch; ++i)
      kernels::gemm(false, false, m, n, k, 1.0f, a.data() + i * m * k, k, b.data() + i * k * n, n, 0.0f,
                    py + i * m * n, n);
  }
  if (Tape::wants({&a, &b})) {
    Tape::current().record("batch_matmul", {a, b}, y, [a, b, y, batch, m, n, k]() mutable {
      if (k == 0 || m == 0 || n == 0) return;  // no gradient flows through an empty product
      const float* g = y.impl()->grad.data();
      if (a.requires_grad()) {
        float* ga = a.grad_buffer().data();
        for (std::size_t i = 0; i < batch; ++i)
          kernels::gemm(false, true, m, k, n, 1.0f, g + i * m * n, n, b.data() + i * k * n, n, 1.0f, ga + i * m * k, k);
      }
      if (b.requires_grad()) {
        float* gb = b.grad_buffer().data();
        for (std::size_t i = 0; i < batch; ++i)
          kernels::gemm(true, false, k, n, m, 1.0f, a.data() + i * m * k, k, g + i * m * n, n, 1.0f, gb + i * k * n, n);
      }
    });
  }
  return y;
}

}  // namespace xkeras::ops
