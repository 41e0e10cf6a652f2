// Batched matrix product (the core of Keras's batch_dot and the Dot layer).
#pragma once

#include "xkeras/tensor.hpp"

namespace xkeras::ops {

/// a (B, m, k) x b (B, k, n) -> (B, m, n): one matrix product per batch entry, each through BLAS.
/// ValueError naming both shapes unless the ranks are 3, the batch sizes agree and the k's match.
Tensor batch_matmul(const Tensor& a, const Tensor& b);

}  // namespace xkeras::ops
