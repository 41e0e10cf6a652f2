// W6 of the side-by-side benchmark: a 2-block Transformer encoder trained on random data.
// Each block: x + MultiHeadAttention(4 heads, key_dim 32)(x, x) -> LayerNormalization, then
// h + Dense(128)(Dense(256, relu)(h)) -> LayerNormalization; d_model 128, sequences of 64 steps,
// batch 32, MSE against random targets of the same shape (B, 64, 128), Adam(1e-3).
// bench/torch_transformer.py is the same run in PyTorch; both print one RESULT line (bench/common.hpp).
// Protocol as bench_cnn: warm-up steps, then timed passes over the same batches.
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <xkeras/layers.hpp>
#include <xkeras/layers/layer_normalization.hpp>
#include <xkeras/layers/multi_head_attention.hpp>
#include <xkeras/xkeras.hpp>

#include "common.hpp"

using namespace xkeras;

namespace {

const char* kUsage =
    "bench_transformer [--mode train|predict] [--threads 1|2|default] [--batch 32] [--samples 1024]\n"
    "                  [--warmup 5] [--repeats 3] [--workload W6] [--seed 42]";

constexpr int kSteps = 64, kModel = 128, kHeads = 4, kKeyDim = 32, kFeedForward = 256, kBlocks = 2;

Tensor uniform(std::size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  Array a = Array::from_shape({n, std::size_t(kSteps), std::size_t(kModel)});
  for (auto& v : a) v = u(rng);
  return Tensor(std::move(a));
}

// GEMM FLOPs per sample (multiply-add = 2) of one forward pass, and of a training step (3x: forward,
// input gradient, weight gradient; the attention products also 3x: forward and both operands).
double forward_flops() {
  const double t = kSteps, d = kModel, inner = kHeads * kKeyDim;
  const double proj = 2 * t * d * inner * 3 + 2 * t * inner * d;  // q, k, v and the output projection
  const double attn = 2 * (2 * t * t * inner);                     // scores and the weighted sum
  const double ffn = 2 * t * d * kFeedForward * 2;
  return kBlocks * (proj + attn + ffn);
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, kUsage);
  const std::string mode = args.get("mode", "train");
  const int threads = bench::parse_threads(args);
  const int batch = args.get_int("batch", 32);
  const int samples = args.get_int("samples", 1024);
  const int warmup = args.get_int("warmup", 5), repeats = args.get_int("repeats", 3);
  const std::string workload = args.get("workload", mode == "train" ? "W6" : "W6-predict");
  if ((mode != "train" && mode != "predict") || batch < 1 || samples < batch || warmup < 0 || repeats < 1) {
    std::cerr << "bad options\n" << kUsage << "\n";
    return 2;
  }
  try {
    const int blas_threads = bench::set_threads(threads);
    const auto seed = static_cast<std::uint64_t>(args.get_int("seed", 42));
    set_random_seed(seed);
    std::mt19937 rng(static_cast<unsigned>(seed));
    const int steps = samples / batch;
    std::vector<Tensor> xb, yb;
    for (int i = 0; i < steps; ++i) {
      xb.push_back(uniform(std::size_t(batch), rng));
      yb.push_back(uniform(std::size_t(batch), rng));
    }
    const double data_rss = bench::current_rss_mib();

    auto x = Input({kSteps, kModel});
    KerasTensor h = x;
    for (int b = 0; b < kBlocks; ++b) {
      const KerasTensor a = layers::MultiHeadAttention(kHeads, kKeyDim)(KerasTensors{h, h});
      h = layers::LayerNormalization()(layers::Add()(KerasTensors{h, a}));
      const KerasTensor f = layers::Dense(kModel)(layers::Dense(kFeedForward, "relu")(h));
      h = layers::LayerNormalization()(layers::Add()(KerasTensors{h, f}));
    }
    Model model(x, h, "transformer");
    model.compile(optimizers::Adam(1e-3f), "mse");

    bench::Fields extra;
    bench::Timing timing;
    bench::ThreadTally tally;
    std::size_t timed_samples = std::size_t(steps) * batch;
    const double fwd = forward_flops(), train = 3 * fwd;
    if (mode == "train") {
      for (int i = 0; i < warmup; ++i) model.train_on_batch(xb[i % steps], yb[i % steps]);
      double loss_sum = 0, last_loss = 0;
      timing = bench::time_repeats(repeats, [&] {
        loss_sum = 0;
        for (int i = 0; i < steps; ++i) {
          last_loss = model.train_on_batch(xb[i], yb[i]).at("loss");
          loss_sum += last_loss;
          tally.note();
        }
      });
      extra = {{"steps", std::to_string(steps)}, {"loss", bench::num(loss_sum / steps)},
               {"last_loss", bench::num(last_loss)}, {"gflop_per_sample", bench::num(train / 1e9)},
               {"gflops", bench::num(train * timed_samples / timing.min() / 1e9)}};
    } else {
      model.predict(xb[0], batch);
      double sum = 0;
      timing = bench::time_repeats(repeats, [&] {
        sum = 0;
        for (int i = 0; i < steps; ++i) {
          const Tensor out = model.predict(xb[i], batch);
          for (std::size_t j = 0; j < out.size(); ++j) sum += out.data()[j];
          tally.note();
        }
      });
      extra = {{"output_mean", bench::num(sum / (double(timed_samples) * kSteps * kModel))},
               {"gflop_per_sample", bench::num(fwd / 1e9)},
               {"gflops", bench::num(fwd * timed_samples / timing.min() / 1e9)}};
    }
    bench::Fields f = bench::common_fields(workload, threads, timed_samples, timing, data_rss, tally.str());
    f.insert(f.begin() + 3, {{"mode", mode}, {"width", std::to_string(kModel)}, {"batch", std::to_string(batch)},
                             {"params", std::to_string(model.count_params())},
                             {"blas_threads", std::to_string(blas_threads)}});
    f.insert(f.end(), extra.begin(), extra.end());
    bench::print_result(f);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
