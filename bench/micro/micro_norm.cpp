// Fused normalization ops: batch norm (training statistics; forward and forward + backward;
// inference forward) on W2 activation shapes, layer norm over the last axis of Dense outputs.
#include <xkeras/ops/normalization.hpp>
#include <xkeras/tape.hpp>

#include "micro_util.hpp"

namespace {

using namespace xkeras;

// Args: H (= W), C; batch 128, NHWC, normalized per channel.
void BM_batch_norm_train_forward(benchmark::State& state) {
  const auto h = std::size_t(state.range(0)), c = std::size_t(state.range(1));
  Tensor x = bench::random_tensor({128, h, h, c}, false), g = Tensor::full({c}, 1.0f), b = Tensor::zeros({c});
  Array mean, var;
  NoGrad no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(ops::batch_norm_train(x, g, b, -1, 1e-3f, mean, var).data());
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(x.size()) * 8);
}

void BM_batch_norm_train_forward_backward(benchmark::State& state) {
  const auto h = std::size_t(state.range(0)), c = std::size_t(state.range(1));
  Tensor x = bench::random_tensor({128, h, h, c}, true), g = Tensor::full({c}, 1.0f), b = Tensor::zeros({c});
  g.set_requires_grad(true);
  b.set_requires_grad(true);
  const Array seed = bench::random_tensor(x.shape(), false, 5).value();
  Array mean, var;
  for (auto _ : state) {
    Tensor y = ops::batch_norm_train(x, g, b, -1, 1e-3f, mean, var);
    Tape::current().backward(y, seed);
  }
}

void BM_batch_norm_infer(benchmark::State& state) {
  const auto h = std::size_t(state.range(0)), c = std::size_t(state.range(1));
  Tensor x = bench::random_tensor({128, h, h, c}, false), g = Tensor::full({c}, 1.0f), b = Tensor::zeros({c});
  Tensor mm = Tensor::zeros({c}), mv = Tensor::full({c}, 1.0f);
  NoGrad no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(ops::batch_norm_infer(x, g, b, mm, mv, -1, 1e-3f).data());
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(x.size()) * 8);
}

// Args: features; batch 128, normalized over the last axis.
void BM_layer_norm_forward(benchmark::State& state) {
  const auto d = std::size_t(state.range(0));
  Tensor x = bench::random_tensor({128, d}, false), g = Tensor::full({d}, 1.0f), b = Tensor::zeros({d});
  NoGrad no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(ops::layer_norm(x, g, b, -1, 1e-3f).data());
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(x.size()) * 8);
}

void BM_layer_norm_forward_backward(benchmark::State& state) {
  const auto d = std::size_t(state.range(0));
  Tensor x = bench::random_tensor({128, d}, true), g = Tensor::full({d}, 1.0f), b = Tensor::zeros({d});
  g.set_requires_grad(true);
  b.set_requires_grad(true);
  const Array seed = bench::random_tensor(x.shape(), false, 6).value();
  for (auto _ : state) {
    Tensor y = ops::layer_norm(x, g, b, -1, 1e-3f);
    Tape::current().backward(y, seed);
  }
}

}  // namespace

BENCHMARK(BM_batch_norm_train_forward)->ArgNames({"H", "C"})->Args({28, 8})->Args({14, 32})->Args({7, 64})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_batch_norm_train_forward_backward)->ArgNames({"H", "C"})->Args({28, 8})->Args({14, 32})->Args({7, 64})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_batch_norm_infer)->ArgNames({"H", "C"})->Args({28, 8})->Args({14, 32})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_layer_norm_forward)->ArgName("D")->Arg(256)->Arg(784)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_layer_norm_forward_backward)->ArgName("D")->Arg(256)->Arg(784)->Unit(benchmark::kMicrosecond);
