// The one place that calls a BLAS-style sgemm. Row-major: C = alpha * op(A) op(B) + beta * C.
#pragma once

#include <cstddef>

namespace xkeras::kernels {

void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
          const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
          std::size_t ldc);

/// The library behind gemm(), chosen once from the environment variable XKERAS_GEMM:
/// "onednn" (the default: oneDNN's JIT sgemm, 1.6-1.9x OpenBLAS 0.3.21's Haswell kernels on the W1
/// shapes on our AVX-512 machine, docs/benchmarks.md) or "openblas". Any other value throws ValueError.
const char* gemm_library();

/// Threads OpenBLAS may use (0 = its default).
void set_blas_threads(int n);
int blas_threads();

}  // namespace xkeras::kernels
