// W2 (training) and W3 (inference) of the side-by-side benchmark: the seed-003 CNN on
// Fashion-MNIST (28x28x1, x / 255):
//   [Conv 1->8, BN, relu, Conv 8->8, BN, relu, Conv 8->8 stride 2, BN, relu]
//   [the same with 32 filters] [Conv 32->64, BN, relu, Conv 64->64, BN, relu] Flatten Dense(10)
// every Conv 3x3 'same' with bias, sparse categorical crossentropy from logits, Adam(1e-3).
// bench/torch_cnn.py is the same run in PyTorch; both print one RESULT line (bench/common.hpp).
// Protocol as bench_autoencoder (train: warm-up steps, then timed passes over the same batches).
#include <iostream>
#include <string>
#include <vector>

#include <xkeras/datasets.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/layers/batch_normalization.hpp>
#include <xkeras/layers/conv2d.hpp>
#include <xkeras/xkeras.hpp>

#include "common.hpp"
#include "workload_models.hpp"
#include "workload_shapes.hpp"

using namespace xkeras;

namespace {

const char* kUsage =
    "bench_cnn [--mode train|predict] [--threads 1|2|default] [--batch 128] [--samples 6400]\n"
    "          [--warmup 20] [--repeats 3] [--workload W2] [--seed 42]";

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, kUsage);
  const std::string mode = args.get("mode", "train");
  const int threads = bench::parse_threads(args);  // 0: default
  const int batch = args.get_int("batch", mode == "train" ? 128 : 256);
  const int samples = args.get_int("samples", mode == "train" ? 6400 : 10000);
  const int warmup = args.get_int("warmup", 20), repeats = args.get_int("repeats", 3);
  const std::string workload = args.get("workload", mode == "train" ? "W2" : "W3-cnn");
  if ((mode != "train" && mode != "predict") || batch < 1 || samples < batch || warmup < 0 ||
      repeats < 1) {
    std::cerr << "bad options\n" << kUsage << "\n";
    return 2;
  }
  try {
    const int blas_threads = bench::set_threads(threads);
    set_random_seed(static_cast<std::uint64_t>(args.get_int("seed", 42)));
    auto [train_split, test_split] = datasets::fashion_mnist::load_data(
        datasets::fashion_mnist::default_dir(), static_cast<std::size_t>(samples));
    Tensor x, y;
    {
      NoGrad no_grad;
      const datasets::Split& split = mode == "train" ? train_split : test_split;
      x = ops::scale(ops::reshape(split.x, std::vector<long>{-1, 28, 28, 1}), 1.0f / 255.0f);
      y = split.y;
      train_split = {};
      test_split = {};
    }

    Sequential model = bench::w2_cnn();
    const bench::Flops flops = bench::count_flops(bench::cnn_gemms());

    double data_rss = bench::current_rss_mib();  // updated once the batches exist
    bench::Fields extra;
    bench::Timing timing;
    bench::ThreadTally tally;  // threads per timed step (the default may change them)
    std::size_t timed_samples = 0;
    if (mode == "train") {
      const int steps = samples / batch;
      std::vector<Tensor> xb, yb;
      for (int i = 0; i < steps; ++i) {
        xb.push_back(ops::slice(x, 0, std::size_t(i) * batch, std::size_t(i + 1) * batch));
        yb.push_back(ops::slice(y, 0, std::size_t(i) * batch, std::size_t(i + 1) * batch));
      }
      x = y = Tensor();  // the batches are copies; keep one copy of the data, as torch's views do
      data_rss = bench::current_rss_mib();
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
      timed_samples = std::size_t(steps) * batch;
      extra = {{"steps", std::to_string(steps)}, {"loss", bench::num(loss_sum / steps)},
               {"last_loss", bench::num(last_loss)}, {"gflop_per_sample", bench::num(flops.train / 1e9)},
               {"gflops", bench::num(flops.train * timed_samples / timing.min() / 1e9)}};
    } else {
      model.predict(ops::slice(x, 0, 0, std::min<std::size_t>(1024, x.dim(0))), batch);
      Tensor out;
      timing = bench::time_repeats(repeats, [&] {
        out = model.predict(x, batch);
        tally.note();
      });
      timed_samples = x.dim(0);
      double sum = 0;
      for (std::size_t i = 0; i < out.size(); ++i) sum += out.data()[i];
      extra = {{"output_mean", bench::num(sum / double(out.size()))},
               {"gflop_per_sample", bench::num(flops.forward / 1e9)},
               {"gflops", bench::num(flops.forward * timed_samples / timing.min() / 1e9)}};
    }
    bench::Fields f = bench::common_fields(workload, threads, timed_samples, timing, data_rss, tally.str());
    f.insert(f.begin() + 3, {{"mode", mode}, {"width", "-"}, {"batch", std::to_string(batch)},
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
