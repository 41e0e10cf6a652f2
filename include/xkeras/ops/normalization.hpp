// Fused normalization ops: batch normalization (training and inference) and layer normalization.
// Each is one forward kernel and one hand-written backward on the tape, so a BatchNormalization
// or LayerNormalization layer costs two passes over the data instead of a chain of small ops.
#pragma once

#include "xkeras/ops.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::ops {

/// Batch normalization with the batch's own statistics (Keras's training mode).
/// Normalizes over every axis except `axis` (the channel axis, negative counts from the end) with
/// the batch mean and the biased (population) variance:
///   y = (x - mean) * rsqrt(var + epsilon) * gamma + beta
/// `gamma`/`beta` have shape (C,) with C = x.shape[axis]; pass an undefined Tensor for "no scale"
/// (gamma = 1) or "no center" (beta = 0). The batch statistics are written to `batch_mean` and
/// `batch_var` (shape (C,), plain values, not on the tape) for the moving-average update.
/// Gradients flow to x, gamma and beta.
/// `synchronized` (Keras's synchronized=True): under data-parallel training the statistics are those
/// of the global batch, every rank's rows (their sums and counts added over the ranks), and so are
/// the two sums of the backward pass; with one process it changes nothing.
Tensor batch_norm_train(const Tensor& x, const Tensor& gamma, const Tensor& beta, int axis, float epsilon,
                        Array& batch_mean, Array& batch_var, bool synchronized = false);

/// Batch normalization with fixed statistics (Keras's inference mode):
///   y = x * inv + (beta - mean * inv),  inv = rsqrt(moving_var + epsilon) * gamma
/// `moving_mean`/`moving_var` are constants (no gradient); gradients flow to x, gamma and beta.
Tensor batch_norm_infer(const Tensor& x, const Tensor& gamma, const Tensor& beta, const Tensor& moving_mean,
                        const Tensor& moving_var, int axis, float epsilon);

/// Layer normalization: per-example mean and biased variance over `axes` (any set of axes,
/// negative counting from the end, order irrelevant), then
///   y = (x - mean) * rsqrt(var + epsilon) * gamma + beta
/// `gamma`/`beta` have the input's sizes on the normalized axes, in ascending axis order
/// (e.g. (20, 30, 40) for axes {1, 2, 3} of a (5, 20, 30, 40) input), broadcast over the others;
/// either may be undefined. Gradients flow to x, gamma and beta.
Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, const Axes& axes, float epsilon = 1e-3f);
inline Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, int axis = -1,
                         float epsilon = 1e-3f) {
  return layer_norm(x, gamma, beta, Axes{axis}, epsilon);
}

}  // namespace xkeras::ops
