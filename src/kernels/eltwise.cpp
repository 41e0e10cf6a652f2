#include "kernels/eltwise.hpp"

#include <oneapi/dnnl/dnnl.hpp>

#include <omp.h>

#include <map>
#include <stdexcept>
#include <string>
#include <tuple>

#include "kernels/onednn.hpp"

namespace xkeras::kernels {
namespace {

struct Eltwise {
  dnnl::memory::desc md;
  dnnl::eltwise_forward prim;
};

// One primitive per (algorithm, length, thread count), built once: every training step sees the same
// sizes. oneDNN fixes a primitive's thread count when it is built, so set_num_threads needs a new one.
const Eltwise& eltwise(dnnl::algorithm alg, std::size_t n) {
  thread_local std::map<std::tuple<int, std::size_t, int>, Eltwise> cache;
  const auto key = std::make_tuple(static_cast<int>(alg), n, omp_get_max_threads());
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  if (cache.size() >= 256) cache.clear();  // ever-changing sizes must not grow the cache without bound
  const dnnl::memory::desc md({static_cast<dnnl::memory::dim>(n)}, dnnl::memory::data_type::f32,
                              dnnl::memory::format_tag::a);
  const dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, alg, md, 0.0f, 0.0f);
  Eltwise e{md, dnnl::eltwise_forward(dnnl::eltwise_forward::primitive_desc(desc, cpu_engine()))};
  return cache.emplace(key, std::move(e)).first->second;
}

struct Softmax {
  dnnl::memory::desc md;
  dnnl::softmax_forward prim;
};

// Cached like eltwise(): attention calls it with the same (rows, n) every step.
const Softmax& softmax(std::size_t rows, std::size_t n) {
  thread_local std::map<std::tuple<std::size_t, std::size_t, int>, Softmax> cache;
  const auto key = std::make_tuple(rows, n, omp_get_max_threads());
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  if (cache.size() >= 256) cache.clear();
  const dnnl::memory::desc md({static_cast<dnnl::memory::dim>(rows), static_cast<dnnl::memory::dim>(n)},
                              dnnl::memory::data_type::f32, dnnl::memory::format_tag::ab);
  const dnnl::softmax_forward::desc desc(dnnl::prop_kind::forward_inference, md, 1);
  Softmax e{md, dnnl::softmax_forward(dnnl::softmax_forward::primitive_desc(desc, cpu_engine()))};
  return cache.emplace(key, std::move(e)).first->second;
}

}  // namespace

void softmax_rows(const float* x, float* y, std::size_t rows, std::size_t n) {
  if (rows == 0 || n == 0) return;
  try {
    const Softmax& e = softmax(rows, n);
    dnnl::memory src(e.md, cpu_engine(), const_cast<float*>(x)), dst(e.md, cpu_engine(), y);
    e.prim.execute(cpu_stream(), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
  } catch (const dnnl::error& err) {
    throw std::runtime_error("softmax: oneDNN failed on " + std::to_string(rows) + " rows of " + std::to_string(n) +
                             ": " + err.what());
  }
}

void sigmoid(const float* x, float* y, std::size_t n) {
  if (n == 0) return;
  try {
    const Eltwise& e = eltwise(dnnl::algorithm::eltwise_logistic, n);
    dnnl::memory src(e.md, cpu_engine(), const_cast<float*>(x)), dst(e.md, cpu_engine(), y);
    e.prim.execute(cpu_stream(), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
  } catch (const dnnl::error& err) {
    throw std::runtime_error("sigmoid: oneDNN failed on " + std::to_string(n) + " elements: " + err.what());
  }
}

}  // namespace xkeras::kernels
