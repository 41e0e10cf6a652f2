// Data-parallel training of W1 (autoencoder) or W2 (CNN) through fit(..., distribution): run it as one
// process (`--threads 2`) or under mpirun (`mpirun -np 2 bench_distributed --threads 1`) and compare.
// scripts/bench_distributed.sh runs the matrix and the table in docs/distributed.md comes from it.
//
// Each timed repeat is one epoch of fit over `--samples` images in global batches of `--batch`
// (every rank trains on batch/P rows of each; no shuffling, no validation, verbose 0), after a
// warm-up fit of 5 steps. The time of a repeat is the slowest rank's. The RESULT line adds the
// process count, the wall time per step spent waiting for the gradient allreduce (rank 0's, and
// the ranks' mean), the bytes each rank contributes to allreduces per step, and the time of one
// allreduce of the gradient's size alone (every rank waiting for it: the pure transfer).

#include <algorithm>
#include <chrono>
#include <vector>
#include <iostream>
#include <string>

#include <xkeras/datasets.hpp>
#include <xkeras/distributed.hpp>
#include <xkeras/xkeras.hpp>

#include "common.hpp"
#include "workload_models.hpp"

using namespace xkeras;

namespace {

const char* kUsage =
    "bench_distributed [--workload W1|W2] [--threads 1|2|default] [--batch 128] [--samples 20000|6400]\n"
    "                  [--repeats 5] [--overlap 0|1] [--bucket-kib 1024] [--seed 42]";

}  // namespace

int main(int argc, char** argv) {
  distributed::Session mpi(&argc, &argv);
  const bench::Args args(argc, argv, kUsage);
  const std::string workload = args.get("workload", "W1");
  const int threads = bench::parse_threads(args);
  const int batch = args.get_int("batch", 128);
  const int samples = args.get_int("samples", workload == "W1" ? 20000 : 6400);
  const int repeats = args.get_int("repeats", 5), overlap = args.get_int("overlap", 0);
  const int bucket_kib = args.get_int("bucket-kib", 1024);
  if ((workload != "W1" && workload != "W2") || batch < 1 || samples < batch || repeats < 1 || bucket_kib < 1) {
    std::cerr << "bad options\n" << kUsage << "\n";
    return 2;
  }
  try {
    const int blas_threads = bench::set_threads(threads);
    set_random_seed(static_cast<std::uint64_t>(args.get_int("seed", 42)));
    auto [train, test] = datasets::fashion_mnist::load_data(datasets::fashion_mnist::default_dir(),
                                                            static_cast<std::size_t>(samples));
    Tensor x, y;
    {
      NoGrad no_grad;
      if (workload == "W1") {
        x = ops::scale(ops::reshape(train.x, std::vector<long>{-1, 784}), 1.0f / 255.0f);
        y = x;
      } else {
        x = ops::scale(ops::reshape(train.x, std::vector<long>{-1, 28, 28, 1}), 1.0f / 255.0f);
        y = train.y;
      }
      train = {};
      test = {};
    }
    Sequential model = workload == "W1" ? bench::w1_autoencoder(256) : bench::w2_cnn();
    const double data_rss = bench::current_rss_mib();
    FitOptions o = FitOptions().with_epochs(1).with_batch_size(batch).with_shuffle(false).with_verbose(0);
    o.distribution = distributed::DataParallel()
                         .with_overlap(overlap != 0)
                         .with_bucket_bytes(std::size_t(bucket_kib) * 1024);
    {
      FitOptions warm = o;
      warm.steps_per_epoch = 5;
      model.fit(x, y, warm);
    }
    const int steps = (samples + batch - 1) / batch;
    distributed::reset_stats();
    bench::Timing timing;
    bench::ThreadTally tally;
    double loss = 0;
    for (int r = 0; r < repeats; ++r) {
      distributed::barrier();
      const auto t0 = std::chrono::steady_clock::now();
      loss = model.fit(x, y, o)["loss"].back();
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      distributed::allreduce_max(&seconds, 1);  // the job is as fast as its slowest rank
      timing.seconds.push_back(seconds);
      tally.note();
    }
    const distributed::Stats s = distributed::stats();
    const double total_steps = double(steps) * repeats;
    double wait_ms = s.allreduce_seconds * 1e3 / total_steps, mean_wait_ms = wait_ms;
    distributed::allreduce_sum(&mean_wait_ms, 1);
    mean_wait_ms /= distributed::size();
    // The allreduce of one step's gradient bytes alone, with every rank ready (no compute, no
    // imbalance): the scaling model's bandwidth term (docs/distributed.md). Median of 21.
    std::vector<float> grads(static_cast<std::size_t>(model.count_params()), 1.0f);
    std::vector<double> alone;
    for (int i = 0; i < 21; ++i) {
      distributed::barrier();
      const auto t0 = std::chrono::steady_clock::now();
      distributed::allreduce_sum(grads.data(), grads.size());
      alone.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() * 1e3);
    }
    std::nth_element(alone.begin(), alone.begin() + 10, alone.end());
    if (!distributed::is_chief()) return 0;
    bench::Fields f = bench::common_fields(workload, threads, std::size_t(samples), timing, data_rss, tally.str());
    f.insert(f.begin() + 3, {{"mode", "distributed"}, {"processes", std::to_string(distributed::size())},
                             {"batch", std::to_string(batch)}, {"params", std::to_string(model.count_params())},
                             {"blas_threads", std::to_string(blas_threads)}, {"overlap", std::to_string(overlap)},
                             {"bucket_kib", std::to_string(bucket_kib)}});
    f.insert(f.end(), {{"steps", std::to_string(steps)}, {"loss", bench::num(loss)},
                       {"allreduce_wait_ms_per_step", bench::num(wait_ms)},
                       {"allreduce_wait_ms_per_step_mean", bench::num(mean_wait_ms)},
                       {"allreduce_calls_per_step", bench::num(double(s.allreduce_calls) / total_steps)},
                       {"allreduce_bytes_per_step", bench::num(double(s.allreduce_bytes) / total_steps)},
                       {"gradient_allreduce_alone_ms", bench::num(distributed::size() > 1 ? alone[10] : 0.0)}});
    bench::print_result(f);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    if (distributed::size() > 1) distributed::abort(e.what());
    return 1;
  }
  return 0;
}
