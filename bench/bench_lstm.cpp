// W5 of the side-by-side benchmark: Embedding(20000, 128) -> LSTM(128) -> Dense(1, sigmoid) on
// sequences of length 200, batch 64, Adam(1e-3), binary crossentropy; train steps and predict.
// bench/torch_lstm.py is the same run in PyTorch (nn.Embedding + nn.LSTM(batch_first) + Linear);
// both print one RESULT line (bench/common.hpp). `--input tokens` (the default: W5 itself) feeds int32
// token ids to the Embedding; `--input float` feeds the LSTM a float (N, 200, 128) input instead
// (W5-float, the LSTM alone). Protocol as bench_cnn (train: warm-up steps, then timed passes).
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

#include "common.hpp"

using namespace xkeras;

namespace {

const char* kUsage =
    "bench_lstm [--mode train|predict] [--threads 1|2|default] [--batch 64] [--samples 640|1280]\n"
    "           [--warmup 3] [--repeats 3] [--input float|tokens] [--workload W5] [--seed 42]";

constexpr int kVocab = 20000, kLen = 200, kDim = 128, kUnits = 128;

// Rows [begin, end) of x, float or int32 (ops::slice is a float op).
Tensor rows(const Tensor& x, std::size_t begin, std::size_t end) {
  if (!x.is_int()) return ops::slice(x, 0, begin, end);
  const std::size_t row = x.size() / x.dim(0);
  Shape s = x.shape();
  s[0] = end - begin;
  return Tensor::from_ints(s, std::vector<std::int32_t>(x.idata() + begin * row, x.idata() + end * row));
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, kUsage);
  const std::string mode = args.get("mode", "train");
  const int threads = bench::parse_threads(args);
  const int batch = args.get_int("batch", 64);
  const int samples = args.get_int("samples", mode == "train" ? 640 : 1280);
  const int warmup = args.get_int("warmup", 3), repeats = args.get_int("repeats", 3);
  const std::string input = args.get("input", "tokens");
  // Distinct names per mode and input, as report.py keys its rows by workload.
  const std::string workload = args.get("workload", std::string("W5") + (input == "float" ? "-float" : "") +
                                                        (mode == "predict" ? "-predict" : ""));
  if ((mode != "train" && mode != "predict") || batch < 1 || samples < batch || warmup < 0 || repeats < 1 ||
      (input != "float" && input != "tokens")) {
    std::cerr << "bad options\n" << kUsage << "\n";
    return 2;
  }
  try {
    const int blas_threads = bench::set_threads(threads);
    set_random_seed(static_cast<std::uint64_t>(args.get_int("seed", 42)));
    std::mt19937_64 rng(static_cast<std::uint64_t>(args.get_int("seed", 42)));
    // Data: token ids uniform in [1, vocab) (or floats uniform in [-1, 1)), labels 0/1.
    Tensor x, y = Tensor::zeros({std::size_t(samples), 1});
    for (int i = 0; i < samples; ++i) y.data()[i] = float(rng() & 1);
    std::vector<LayerPtr> stack;
    if (input == "float") {
      x = Tensor::zeros({std::size_t(samples), kLen, kDim});
      std::uniform_real_distribution<float> u(-1.0f, 1.0f);
      for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = u(rng);
      stack.push_back(layers::Input({kLen, kDim}));
    } else {
      std::vector<std::int32_t> ids(std::size_t(samples) * kLen);
      std::uniform_int_distribution<int> tok(1, kVocab - 1);
      for (auto& v : ids) v = tok(rng);
      x = Tensor::from_ints({std::size_t(samples), kLen}, ids);
      stack.push_back(layers::Input({kLen}, DType::int32));
      stack.push_back(layers::Embedding(kVocab, kDim));
    }
    stack.push_back(layers::LSTM(kUnits));
    stack.push_back(layers::Dense(1, "sigmoid"));
    Sequential model(stack, "lstm_imdb");
    model.compile(optimizers::Adam(1e-3f), losses::BinaryCrossentropy());
    // GEMM FLOPs per sample: per step (1, D) x (D, 4u) and (1, u) x (u, 4u); training 3x.
    const double forward = double(kLen) * 2.0 * (kDim + kUnits) * 4.0 * kUnits + 2.0 * kUnits;

    double data_rss = bench::current_rss_mib();
    bench::Fields extra;
    bench::Timing timing;
    bench::ThreadTally tally;
    std::size_t timed_samples = 0;
    if (mode == "train") {
      const int steps = samples / batch;
      std::vector<Tensor> xb, yb;
      for (int i = 0; i < steps; ++i) {
        xb.push_back(rows(x, std::size_t(i) * batch, std::size_t(i + 1) * batch));
        yb.push_back(ops::slice(y, 0, std::size_t(i) * batch, std::size_t(i + 1) * batch));
      }
      x = y = Tensor();
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
               {"last_loss", bench::num(last_loss)}, {"gflop_per_sample", bench::num(3 * forward / 1e9)},
               {"gflops", bench::num(3 * forward * timed_samples / timing.min() / 1e9)}};
    } else {
      model.predict(rows(x, 0, std::min<std::size_t>(std::size_t(batch) * 2, x.dim(0))), batch);
      Tensor out;
      timing = bench::time_repeats(repeats, [&] {
        out = model.predict(x, batch);
        tally.note();
      });
      timed_samples = x.dim(0);
      double sum = 0;
      for (std::size_t i = 0; i < out.size(); ++i) sum += out.data()[i];
      extra = {{"output_mean", bench::num(sum / double(out.size()))}, {"gflop_per_sample", bench::num(forward / 1e9)},
               {"gflops", bench::num(forward * timed_samples / timing.min() / 1e9)}};
    }
    bench::Fields f = bench::common_fields(workload, threads, timed_samples, timing, data_rss, tally.str());
    f.insert(f.begin() + 3, {{"mode", mode}, {"width", input}, {"batch", std::to_string(batch)},
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
