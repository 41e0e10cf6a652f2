// Splitting an elementwise pass over the OpenMP threads (the pool xkeras::set_num_threads sizes,
// shared with oneDNN). Private to src/.
#pragma once

#include <omp.h>

#include <cstddef>

namespace xkeras::ops::detail {

/// Passes shorter than this many elements cost less than waking the threads.
constexpr std::size_t kParallelMin = std::size_t(1) << 16;

/// Calls fn(begin, end) on contiguous chunks that cover [0, n) exactly once: one chunk per thread
/// when `work` (elements touched) is at least kParallelMin, else fn(0, n) on the calling thread.
/// fn runs a plain loop over its chunk, which the compiler vectorizes (a `#pragma omp for` body,
/// reading its pointers through the shared-variable block, did not: 5x slower at one thread).
template <class Fn>
void parallel_chunks(std::size_t n, std::size_t work, Fn&& fn) {
  const int threads = work >= kParallelMin ? omp_get_max_threads() : 1;
  if (threads <= 1 || n < 2) {
    fn(std::size_t(0), n);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    const auto t = static_cast<std::size_t>(omp_get_thread_num()), nt = static_cast<std::size_t>(omp_get_num_threads());
    fn(n * t / nt, n * (t + 1) / nt);
  }
}

}  // namespace xkeras::ops::detail
