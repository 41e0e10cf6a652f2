// Elementwise kernels that the compiler cannot vectorize on its own (exp has no inline vector form
// at our baseline target), computed by oneDNN's JIT eltwise kernels.
#pragma once

#include <cstddef>

namespace xkeras::kernels {

/// y[i] = 1 / (1 + exp(-x[i])) for i < n (x and y may be the same buffer).
void sigmoid(const float* x, float* y, std::size_t n);

/// Softmax of each of `rows` contiguous rows of n values: y = exp(x - max) / sum (x and y may be the same buffer).
void softmax_rows(const float* x, float* y, std::size_t rows, std::size_t n);

}  // namespace xkeras::kernels
