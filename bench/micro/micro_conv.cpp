// ops::conv2d (oneDNN direct kernels) on the W2 layer shapes at batch 128: forward alone (no tape) and
// forward + backward (gradients of input, kernel and bias).
#include <xkeras/ops/image.hpp>
#include <xkeras/tape.hpp>

#include "micro_util.hpp"

namespace {

using namespace xkeras;

// Args: H (= W), C in, F out, stride. 3x3 'same'.
double conv_flop(const benchmark::State& state) {
  const double h = double(state.range(0)), s = double(state.range(3));
  const double oh = (h + s - 1) / s;
  return 2.0 * 128 * oh * oh * 9 * double(state.range(1)) * double(state.range(2));
}

void BM_conv2d_forward(benchmark::State& state) {
  const auto h = std::size_t(state.range(0)), c = std::size_t(state.range(1)), f = std::size_t(state.range(2));
  const int s = int(state.range(3));
  Tensor x = bench::random_tensor({128, h, h, c}, false), k = bench::random_tensor({3, 3, c, f}, false, 2),
         b = bench::random_tensor({f}, false, 3);
  NoGrad no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(ops::conv2d(x, k, b, s, "same").data());
  bench::set_gflops(state, conv_flop(state));
}

void BM_conv2d_forward_backward(benchmark::State& state) {
  const auto h = std::size_t(state.range(0)), c = std::size_t(state.range(1)), f = std::size_t(state.range(2));
  const int s = int(state.range(3));
  Tensor x = bench::random_tensor({128, h, h, c}, true), k = bench::random_tensor({3, 3, c, f}, true, 2),
         b = bench::random_tensor({f}, true, 3);
  Tensor probe = ops::conv2d(x, k, b, s, "same");
  Tape::current().clear();
  const Array seed = bench::random_tensor(probe.shape(), false, 4).value();
  for (auto _ : state) {
    Tensor y = ops::conv2d(x, k, b, s, "same");
    Tape::current().backward(y, seed);
  }
  bench::set_gflops(state, 3 * conv_flop(state));
}

void w2_shapes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"H", "C", "F", "stride"});
  b->Args({28, 1, 8, 1})->Args({28, 8, 8, 1})->Args({28, 8, 8, 2})->Args({14, 32, 32, 1})->Args({7, 64, 64, 1});
  b->Unit(benchmark::kMicrosecond);
}

}  // namespace

BENCHMARK(BM_conv2d_forward)->Apply(w2_shapes);
BENCHMARK(BM_conv2d_forward_backward)->Apply(w2_shapes);
