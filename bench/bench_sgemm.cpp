// The sgemm ceilings for W1/W2/W4: times OpenBLAS's cblas_sgemm (or, with --library onednn, oneDNN's
// dnnl_sgemm, which xkeras's Dense layers call by default) alone on exactly the GEMM shapes of one
// training step (bench/workload_shapes.hpp) at the same batch and thread count, so the training
// benchmarks' GFLOP/s can be read against what BLAS does on the same products with no framework
// around them. Also times one 1024^3 product (the machine's large-GEMM rate).
//
// For each layer, with X (M x k), W (k x n), dY (M x n), row-major:
//   forward  Y  = X W      (M x k)(k x n)
//   kernel   dW = X^T dY   (k x M)(M x n)
//   input    dX = dY W^T   (M x n)(n x k)   (not for the first layer)
// Prints one "SGEMM ..." line per product and one RESULT line with side=sgemm.
#include <cblas.h>
#include <oneapi/dnnl/dnnl.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "common.hpp"
#include "workload_shapes.hpp"

namespace {

const char* kUsage =
    "bench_sgemm [--workload W1|W2] [--threads 1] [--batch 128] [--width 256] [--min-ms 200] "
    "[--library openblas|onednn]";
bool g_onednn = false;  // --library

std::vector<float> random_buffer(std::size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

// Seconds per call of `call`, run until at least `min_ms` have passed (after 2 untimed calls).
template <class F>
double seconds_per_call(F call, int min_ms) {
  call();
  call();
  long calls = 0;
  const auto t0 = std::chrono::steady_clock::now();
  double elapsed = 0;
  do {
    call();
    ++calls;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  } while (elapsed * 1000 < min_ms);
  return elapsed / double(calls);
}

// C (m x n) = op(A) op(B), row-major, leading dimensions of the stored (untransposed) matrices.
void sgemm(bool ta, bool tb, long m, long n, long k, const float* a, const float* b, float* c) {
  if (g_onednn) {
    if (dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, 1.0f, a, ta ? m : k, b, tb ? k : n, 0.0f, c, n) !=
        dnnl_success) {
      std::cerr << "bench_sgemm: oneDNN's sgemm failed for M=" << m << " N=" << n << " K=" << k << "\n";
      std::exit(1);  // a failed call would be timed as a fast one
    }
    return;
  }
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a,
              ta ? m : k, b, tb ? k : n, 0.0f, c, n);
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, kUsage);
  const std::string workload = args.get("workload", "W1");
  const int threads = args.get_int("threads", 1), batch = args.get_int("batch", 128);
  const int width = args.get_int("width", 256), min_ms = args.get_int("min-ms", 200);
  const std::string library = args.get("library", "openblas");
  g_onednn = library == "onednn";
  if ((workload != "W1" && workload != "W2") || (library != "openblas" && library != "onednn") || threads < 1 || batch < 1 || width < 1 || min_ms < 1) {
    std::cerr << "bad options\n" << kUsage << "\n";
    return 2;
  }
  const int blas_threads = bench::set_threads(threads);
  const auto gemms = workload == "W1" ? bench::autoencoder_gemms(width) : bench::cnn_gemms();
  std::mt19937 rng(7);

  double train_s = 0, forward_s = 0;  // one training step's / one forward pass's GEMM time
  for (const auto& g : gemms) {
    const long m = g.rows_per_sample * batch, k = g.k, n = g.n;
    const auto x = random_buffer(std::size_t(m * k), rng), w = random_buffer(std::size_t(k * n), rng);
    const auto dy = random_buffer(std::size_t(m * n), rng);
    std::vector<float> y(std::size_t(m * n)), dw(std::size_t(k * n)), dx(std::size_t(m * k));
    struct Product {
      const char* op;
      double s;
    };
    std::vector<Product> products{
        {"forward", seconds_per_call([&] { sgemm(false, false, m, n, k, x.data(), w.data(), y.data()); }, min_ms)},
        {"kernel_grad", seconds_per_call([&] { sgemm(true, false, k, n, m, x.data(), dy.data(), dw.data()); }, min_ms)}};
    if (g.input_grad)
      products.push_back(
          {"input_grad", seconds_per_call([&] { sgemm(false, true, m, k, n, dy.data(), w.data(), dx.data()); }, min_ms)});
    const double flop = 2.0 * double(m) * double(k) * double(n);
    for (const auto& p : products) {
      std::cout << "SGEMM library=" << library << " workload=" << workload << " threads=" << threads << " layer=" << g.name << " op=" << p.op
                << " M=" << m << " K=" << k << " N=" << n << " us=" << bench::num(p.s * 1e6)
                << " gflops=" << bench::num(flop / p.s / 1e9) << "\n";
      train_s += p.s;
    }
    forward_s += products[0].s;
  }
  const auto flops = bench::count_flops(gemms);

  const long big = 1024;
  std::vector<float> a(std::size_t(big * big), 0.5f), b(std::size_t(big * big), 0.25f), c(std::size_t(big * big));
  const double big_s = seconds_per_call([&] { sgemm(false, false, big, big, big, a.data(), b.data(), c.data()); }, min_ms);

  const char* core = std::getenv("OPENBLAS_CORETYPE");
  bench::print_result({{"side", "sgemm"},
                       {"library", library},
                       {"workload", workload},
                       {"threads", std::to_string(threads)},
                       {"batch", std::to_string(batch)},
                       {"width", workload == "W1" ? std::to_string(width) : "-"},
                       {"blas_threads", std::to_string(blas_threads)},
                       {"train_step_gemm_us", bench::num(train_s * 1e6)},
                       {"gflops", bench::num(flops.train * batch / train_s / 1e9)},
                       {"gflops_forward", bench::num(flops.forward * batch / forward_s / 1e9)},
                       {"gflops_1024cube", bench::num(2.0 * big * big * big / big_s / 1e9)},
                       {"coretype", core && *core ? core : "unset"}});
  return 0;
}
