// The oneDNN CPU engine and this thread's stream, shared by every kernel that calls oneDNN.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

namespace xkeras::kernels {

inline dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

/// Primitives run in order on the calling thread's stream (our tape is per thread too).
inline dnnl::stream& cpu_stream() {
  thread_local dnnl::stream stream(cpu_engine());
  return stream;
}

}  // namespace xkeras::kernels
