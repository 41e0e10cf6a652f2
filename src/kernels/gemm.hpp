// The one place that calls BLAS. Row-major sgemm: C = alpha * op(A) op(B) + beta * C.
#pragma once

#include <cstddef>

namespace xkeras::kernels {

void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
          const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
          std::size_t ldc);

/// Threads OpenBLAS may use (0 = its default).
void set_blas_threads(int n);
int blas_threads();

}  // namespace xkeras::kernels
