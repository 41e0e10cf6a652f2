// Ops for sequence models: gathering rows by index (Embedding), stacking per-step results, reversing
// time (go_backwards, Bidirectional) and selecting by a mask. Each records its backward on the tape.
#pragma once

#include "xkeras/ops.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras::ops {

/// Keras's ops.take / tf.gather: the slices of `params` along `axis` at `indices`.
/// Output shape: params.shape[:axis] + indices.shape + params.shape[axis+1:].
/// `indices` is an int32 tensor, or a float one whose values are truncated toward zero (as Keras casts);
/// an index i in [-n, n) is used as i (negative ones count from the end, as ops.take); anything else
/// is a ValueError naming the index, its position and the bound, before any value is read.
/// The backward scatter-adds the output gradient into params (a repeated index adds up); no
/// gradient flows to `indices`.
Tensor take(const Tensor& params, const Tensor& indices, int axis = 0);
/// Same as take (TensorFlow's name).
Tensor gather(const Tensor& params, const Tensor& indices, int axis = 0);

/// Keras's ops.stack: the tensors (all of one shape) joined along a new axis in [-(rank+1), rank].
Tensor stack(const Tensors& xs, int axis = 0);

/// Keras's ops.flip along one axis (negative counts from the end): y[..., i, ...] = x[..., n-1-i, ...].
Tensor flip(const Tensor& x, int axis);
/// Same as flip (TensorFlow's name, tf.reverse along one axis).
Tensor reverse(const Tensor& x, int axis);

/// Keras's ops.where(condition, x1, x2) with NumPy broadcasting of the three: a where cond != 0,
/// b elsewhere. The gradient goes to a where cond holds and to b elsewhere (summed back to each
/// input's shape); none to cond.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);

}  // namespace xkeras::ops
