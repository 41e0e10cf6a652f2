#include "kernels/gemm.hpp"

#include <cblas.h>
#include <oneapi/dnnl/dnnl.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "xkeras/errors.hpp"

namespace xkeras::kernels {
namespace {

bool use_onednn() {
  static const bool onednn = [] {
    const char* v = std::getenv("XKERAS_GEMM");
    const std::string s = v ? v : "";
    if (s.empty() || s == "onednn") return true;
    if (s == "openblas") return false;
    throw ValueError("XKERAS_GEMM: expected \"onednn\" or \"openblas\", got \"" + s + "\"");
  }();
  return onednn;
}

}  // namespace

const char* gemm_library() { return use_onednn() ? "onednn" : "openblas"; }

void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
          const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
          std::size_t ldc) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    // An empty sum: C = beta * C. Done here because dnnl_sgemm rejects the null A/B an empty batch
    // gives and, with K = 0, leaves C untouched even when beta = 0.
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n; ++j) c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
    return;
  }
  if (use_onednn()) {
    // dnnl_sgemm is row-major (oneDNN >= 1.0), like the calls below.
    const dnnl_status_t status =
        dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', static_cast<dnnl_dim_t>(m), static_cast<dnnl_dim_t>(n),
                   static_cast<dnnl_dim_t>(k), alpha, a, static_cast<dnnl_dim_t>(lda), b, static_cast<dnnl_dim_t>(ldb),
                   beta, c, static_cast<dnnl_dim_t>(ldc));
    if (status != dnnl_success)
      throw std::runtime_error("gemm: oneDNN's sgemm failed (status " + std::to_string(static_cast<int>(status)) +
                               ") for m=" + std::to_string(m) + ", n=" + std::to_string(n) + ", k=" + std::to_string(k));
    return;
  }
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans,
              static_cast<blasint>(m), static_cast<blasint>(n), static_cast<blasint>(k), alpha, a,
              static_cast<blasint>(lda), b, static_cast<blasint>(ldb), beta, c, static_cast<blasint>(ldc));
}

void set_blas_threads(int n) { openblas_set_num_threads(n); }
int blas_threads() { return openblas_get_num_threads(); }

}  // namespace xkeras::kernels
