// Helpers shared by the Google Benchmark micro-benchmarks: random tensors and FLOP counters.
// Threads: OpenBLAS's default unless OPENBLAS_NUM_THREADS is set (scripts/bench.sh sets 1).
#pragma once

#include <benchmark/benchmark.h>

#include <random>

#include <xkeras/tensor.hpp>

namespace bench {

inline xkeras::Tensor random_tensor(const xkeras::Shape& shape, bool requires_grad, unsigned seed = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  xkeras::Tensor t = xkeras::Tensor::zeros(shape);
  for (std::size_t i = 0; i < t.size(); ++i) t.data()[i] = u(rng);
  t.set_requires_grad(requires_grad);
  return t;
}

/// Reports GFLOP/s as a rate, given the FLOPs of one iteration.
inline void set_gflops(benchmark::State& state, double flop_per_iteration) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(flop_per_iteration / 1e9, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace bench
