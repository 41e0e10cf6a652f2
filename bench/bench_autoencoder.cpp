// W1 / W4 (training) and W3 (inference) of the side-by-side benchmark: the seed-004 autoencoder
//   784 -> Dense(width, relu) -> Dense(64, relu) -> l2_normalize(axis 1) -> Dense(width, relu) -> Dense(784, sigmoid)
// on Fashion-MNIST (x / 255, flattened), MSE, Adam(1e-3). bench/torch_autoencoder.py is the same
// run in PyTorch; both print one RESULT line (see bench/common.hpp).
//
// train:   `--warmup` train_on_batch steps, then `--repeats` timed passes over the same
//          floor(samples / batch) batches (training continues across repeats, no shuffling);
//          loss = mean batch loss of the last timed pass.
// predict: one warm-up predict on 1024 images, then `--repeats` timed predict(x, batch) calls.
#include <iostream>
#include <string>
#include <vector>

#include <xkeras/datasets.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

#include "common.hpp"
#include "workload_models.hpp"
#include "workload_shapes.hpp"

using namespace xkeras;

namespace {

const char* kUsage =
    "bench_autoencoder [--mode train|predict] [--threads 1|2|default] [--width 256] [--batch 128]\n"
    "                  [--samples 20000] [--warmup 20] [--repeats 3] [--workload W1] [--seed 42]";

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, kUsage);
  const std::string mode = args.get("mode", "train");
  const int threads = bench::parse_threads(args), width = args.get_int("width", 256);  // 0: default
  const int batch = args.get_int("batch", mode == "train" ? 128 : 256);
  const int samples = args.get_int("samples", mode == "train" ? 20000 : 10000);
  const int warmup = args.get_int("warmup", 20), repeats = args.get_int("repeats", 3);
  const std::string workload = args.get("workload", mode == "train" ? "W1" : "W3-autoencoder");
  if ((mode != "train" && mode != "predict") || width < 1 || batch < 1 || samples < batch ||
      warmup < 0 || repeats < 1) {
    std::cerr << "bad options\n" << kUsage << "\n";
    return 2;
  }
  try {
    const int blas_threads = bench::set_threads(threads);
    set_random_seed(static_cast<std::uint64_t>(args.get_int("seed", 42)));
    auto [train_split, test_split] = datasets::fashion_mnist::load_data(
        datasets::fashion_mnist::default_dir(), static_cast<std::size_t>(samples));
    Tensor x;
    {
      NoGrad no_grad;
      x = ops::scale(ops::reshape(mode == "train" ? train_split.x : test_split.x, std::vector<long>{-1, 784}), 1.0f / 255.0f);
      train_split = {};
      test_split = {};
    }

    Sequential model = bench::w1_autoencoder(width);
    const bench::Flops flops = bench::count_flops(bench::autoencoder_gemms(width));

    double data_rss = bench::current_rss_mib();  // updated once the batches exist
    bench::Fields extra;
    bench::Timing timing;
    bench::ThreadTally tally;  // threads per timed step (the default may change them)
    std::size_t timed_samples = 0;
    if (mode == "train") {
      const int steps = samples / batch;
      std::vector<Tensor> batches;
      for (int i = 0; i < steps; ++i) batches.push_back(ops::slice(x, 0, std::size_t(i) * batch, std::size_t(i + 1) * batch));
      x = Tensor();  // the batches are copies; keep one copy of the data, as torch's views do
      data_rss = bench::current_rss_mib();
      for (int i = 0; i < warmup; ++i) model.train_on_batch(batches[i % steps], batches[i % steps]);
      double loss_sum = 0, last_loss = 0;
      timing = bench::time_repeats(repeats, [&] {
        loss_sum = 0;
        for (const Tensor& b : batches) {
          last_loss = model.train_on_batch(b, b).at("loss");
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
      Tensor y;
      timing = bench::time_repeats(repeats, [&] {
        y = model.predict(x, batch);
        tally.note();
      });
      timed_samples = x.dim(0);
      double sum = 0;
      for (std::size_t i = 0; i < y.size(); ++i) sum += y.data()[i];
      extra = {{"output_mean", bench::num(sum / double(y.size()))},
               {"gflop_per_sample", bench::num(flops.forward / 1e9)},
               {"gflops", bench::num(flops.forward * timed_samples / timing.min() / 1e9)}};
    }
    bench::Fields f = bench::common_fields(workload, threads, timed_samples, timing, data_rss, tally.str());
    f.insert(f.begin() + 3, {{"mode", mode}, {"width", std::to_string(width)}, {"batch", std::to_string(batch)},
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
