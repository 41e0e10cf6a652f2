#include "xkeras/threads.hpp"

#include <omp.h>

#include <string>

#include "kernels/gemm.hpp"
#include "xkeras/errors.hpp"

namespace xkeras {

void set_num_threads(int n) {
  if (n < 1) throw ValueError("set_num_threads: expected a positive thread count, got " + std::to_string(n));
  kernels::set_blas_threads(n);
  omp_set_num_threads(n);
}

int num_threads() { return kernels::blas_threads(); }

}  // namespace xkeras
