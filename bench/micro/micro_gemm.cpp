// kernels::gemm (the library's one BLAS entry point) on the W1 shapes at batch 128, width 256:
// forward X W, kernel gradient X^T dY and input gradient dY W^T of each Dense layer.
#include <algorithm>
#include <utility>
#include <vector>

#include "kernels/gemm.hpp"
#include "micro_util.hpp"

namespace {

// Args: M (batch), K (in), N (out), product (0 forward, 1 kernel gradient, 2 input gradient).
void BM_gemm(benchmark::State& state) {
  const auto m = std::size_t(state.range(0)), k = std::size_t(state.range(1)), n = std::size_t(state.range(2));
  const int product = int(state.range(3));
  std::vector<float> x(m * k, 0.5f), w(k * n, 0.25f), dy(m * n, 0.125f), out(std::max({m * n, k * n, m * k}));
  for (auto _ : state) {
    if (product == 0) xkeras::kernels::gemm(false, false, m, n, k, 1.0f, x.data(), k, w.data(), n, 0.0f, out.data(), n);
    if (product == 1) xkeras::kernels::gemm(true, false, k, n, m, 1.0f, x.data(), k, dy.data(), n, 0.0f, out.data(), n);
    if (product == 2) xkeras::kernels::gemm(false, true, m, k, n, 1.0f, dy.data(), n, w.data(), n, 0.0f, out.data(), k);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  bench::set_gflops(state, 2.0 * double(m) * double(k) * double(n));
}

void w1_shapes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"M", "K", "N", "prod"});
  for (const auto& [k, n] : std::vector<std::pair<int, int>>{{784, 256}, {256, 64}, {64, 256}, {256, 784}})
    for (int product = 0; product < 3; ++product) b->Args({128, k, n, product});
}

}  // namespace

BENCHMARK(BM_gemm)->Apply(w1_shapes);
