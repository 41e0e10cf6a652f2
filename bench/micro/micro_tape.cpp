// The tape's fixed cost per op: ops::add on tiny (4-element) tensors, where the arithmetic is
// negligible and what is timed is the op's allocation, shape checks and (when recording) the
// tape entry and backward closure. Each iteration runs 256 adds; items/s = ops/s.
#include <xkeras/ops.hpp>
#include <xkeras/tape.hpp>

#include "micro_util.hpp"

namespace {

using namespace xkeras;
constexpr int kOps = 256;

// Inside NoGrad: no recording at all (inference).
void BM_add_tiny_nograd(benchmark::State& state) {
  Tensor a = bench::random_tensor({4}, true), b = bench::random_tensor({4}, true, 2);
  NoGrad no_grad;
  for (auto _ : state)
    for (int i = 0; i < kOps; ++i) benchmark::DoNotOptimize(ops::add(a, b).data());
  state.SetItemsProcessed(std::int64_t(state.iterations()) * kOps);
}

// Tape on, but no input requires grad: Tape::wants is false, nothing recorded.
void BM_add_tiny_no_requires_grad(benchmark::State& state) {
  Tensor a = bench::random_tensor({4}, false), b = bench::random_tensor({4}, false, 2);
  for (auto _ : state)
    for (int i = 0; i < kOps; ++i) benchmark::DoNotOptimize(ops::add(a, b).data());
  state.SetItemsProcessed(std::int64_t(state.iterations()) * kOps);
}

// Recording: each add appends a tape entry; the tape is cleared after every 256 adds.
void BM_add_tiny_recorded(benchmark::State& state) {
  Tensor a = bench::random_tensor({4}, true), b = bench::random_tensor({4}, true, 2);
  for (auto _ : state) {
    for (int i = 0; i < kOps; ++i) benchmark::DoNotOptimize(ops::add(a, b).data());
    Tape::current().clear();
  }
  state.SetItemsProcessed(std::int64_t(state.iterations()) * kOps);
}

// Recording a chain of 256 adds, then running its backward (the full per-op cost in training).
void BM_add_tiny_recorded_backward(benchmark::State& state) {
  Tensor a = bench::random_tensor({4}, true), b = bench::random_tensor({4}, true, 2);
  const Array seed = bench::random_tensor({4}, false, 3).value();
  for (auto _ : state) {
    Tensor y = a;
    for (int i = 0; i < kOps; ++i) y = ops::add(y, b);
    Tape::current().backward(y, seed);
  }
  state.SetItemsProcessed(std::int64_t(state.iterations()) * kOps);
}

}  // namespace

BENCHMARK(BM_add_tiny_nograd);
BENCHMARK(BM_add_tiny_no_requires_grad);
BENCHMARK(BM_add_tiny_recorded);
BENCHMARK(BM_add_tiny_recorded_backward);
