// Does prefetch hide the input pipeline's cost? One epoch of fit on a Dataset that decodes
// Fashion-MNIST's IDX files lazily and augments each image in a map (a random rotation of up to
// +-15 degrees with bilinear sampling, as Keras's RandomRotation, then x / 255), batched, feeding a
// small MLP (784 -> 256 relu -> 10, sparse categorical cross-entropy, Adam). The same pipeline runs
// with and without .prefetch(2), alternating, `--repeats` times each, with the two costs measured apart
// (input_only: a pass over the pipeline; train_only: fit on the same batches held in memory); RESULT
// lines as the other benchmarks (bench/common.hpp) with the load average beside them.
//
// Training runs at `--threads` (default 1) so that, on this 2-core machine, the producer thread has
// the other core: prefetch overlaps the two, without it they take turns.
#include <cmath>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#include <xkeras/data.hpp>
#include <xkeras/datasets.hpp>
#include <xkeras/layers.hpp>
#include <xkeras/xkeras.hpp>

#include "common.hpp"

using namespace xkeras;

namespace {

const char* kUsage =
    "bench_prefetch [--threads 1|2|default] [--batch 128] [--samples 20000] [--repeats 3] [--buffer 2] [--seed 42]";

// Rotates a 28x28 image by `angle` radians about its centre, bilinear, zero outside; scales to [0, 1].
void rotate_normalize(const float* in, float* out, double angle) {
  const double c = std::cos(angle), s = std::sin(angle), mid = 13.5;
  for (int r = 0; r < 28; ++r)
    for (int q = 0; q < 28; ++q) {
      // Where the output pixel comes from in the input (the inverse rotation).
      const double y = c * (r - mid) + s * (q - mid) + mid, x = -s * (r - mid) + c * (q - mid) + mid;
      const int y0 = static_cast<int>(std::floor(y)), x0 = static_cast<int>(std::floor(x));
      const double fy = y - y0, fx = x - x0;
      auto at = [&](int yy, int xx) { return yy < 0 || yy >= 28 || xx < 0 || xx >= 28 ? 0.0 : double(in[yy * 28 + xx]); };
      const double v = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
      out[r * 28 + q] = static_cast<float>(v / 255.0);
    }
}

std::string load_average() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return a + "," + b + "," + c;
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, kUsage);
  const int batch = args.get_int("batch", 128), samples = args.get_int("samples", 20000);
  const int repeats = args.get_int("repeats", 3), buffer = args.get_int("buffer", 2);
  if (batch < 1 || samples < batch || repeats < 1 || buffer < 1) {
    std::cerr << "bad options\n" << kUsage << "\n";
    return 2;
  }
  try {
    const int threads = bench::parse_threads(args);
    const int blas_threads = bench::set_threads(threads);
    set_random_seed(static_cast<std::uint64_t>(args.get_int("seed", 42)));
    const auto files = datasets::idx_files(datasets::fashion_mnist::default_dir(), "train");
    // Each element draws its angle from a thread-local generator: both variants do the same work.
    auto augment = [](const data::Element& e) {
      thread_local std::mt19937 rng(7);
      std::uniform_real_distribution<double> angle(-M_PI / 12, M_PI / 12);
      Array out = Array::from_shape({784});
      rotate_normalize(e[0].data(), out.data(), angle(rng));
      return data::Element{Tensor(std::move(out)), e[1]};
    };
    const data::Dataset base = datasets::idx_dataset(files.images, files.labels).take(samples).map(augment).batch(batch);

    Sequential model({layers::Input({784}), layers::Dense(256, "relu"), layers::Dense(10)}, "mlp");
    model.compile(optimizers::Adam(1e-3f), losses::SparseCategoricalCrossentropy(true));
    const double data_rss = bench::current_rss_mib();
    model.fit(base.take(5), FitOptions().with_verbose(0));  // warm-up: oneDNN's primitives, the page cache

    // The two costs apart: the pipeline alone (a pass, no training) and the training alone (fit on the
    // pass's batches held in memory). Prefetch can at best bring the sum down to the larger of the two.
    auto held = std::make_shared<std::vector<data::Element>>();
    for (const auto& b : base) held->push_back(b);
    const data::Dataset in_memory = data::Dataset::from_generator_factory([held] {
      auto i = std::make_shared<std::size_t>(0);
      return data::Generator([held, i]() -> std::optional<data::Element> {
        if (*i >= held->size()) return std::nullopt;
        return (*held)[(*i)++];
      });
    });
    const std::vector<std::pair<std::string, data::Dataset>> variants = {
        {"none", base}, {"prefetch", base.prefetch(buffer)}, {"input_only", base}, {"train_only", in_memory}};
    std::vector<bench::Timing> timing(variants.size());
    std::vector<bench::ThreadTally> tally(variants.size());
    std::vector<double> loss(variants.size());
    for (int r = 0; r < repeats; ++r)
      for (std::size_t v = 0; v < variants.size(); ++v) {
        const bench::Timing t = bench::time_repeats(1, [&] {
          if (variants[v].first == "input_only") {
            for (const auto& b : variants[v].second) (void)b;
          } else {
            loss[v] = model.fit(variants[v].second, FitOptions().with_verbose(0))["loss"].back();
          }
          tally[v].note();
        });
        timing[v].seconds.push_back(t.seconds[0]);
        timing[v].others_cores = t.others_cores;
      }
    for (std::size_t v = 0; v < variants.size(); ++v) {
      bench::Fields f = bench::common_fields("prefetch-" + variants[v].first, threads, std::size_t(samples), timing[v],
                                             data_rss, tally[v].str());
      f.insert(f.begin() + 3, {{"pipeline", variants[v].first}, {"batch", std::to_string(batch)},
                               {"buffer", variants[v].first == "prefetch" ? std::to_string(buffer) : "0"},
                               {"blas_threads", std::to_string(blas_threads)}});
      f.push_back({"loss", bench::num(loss[v])});
      f.push_back({"loadavg", load_average()});
      bench::print_result(f);
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
