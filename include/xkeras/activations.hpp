// Activations by name: every string Keras 3, tf.keras 2 and TensorFlow.js accept (see
// docs/keras_differences.md). Keras 3 names: linear, relu, relu6, leaky_relu (slope 0.2), elu, selu,
// sigmoid, tanh, softplus, softsign, exponential, silu (alias swish), gelu (exact), hard_sigmoid
// (relu6(x + 3) / 6), hard_silu (alias hard_swish), mish, softmax, log_softmax, celu, glu, hard_tanh,
// hard_shrink, soft_shrink, squareplus, tanh_shrink, log_sigmoid, sparse_plus, sparsemax, sparse_sigmoid.
// TensorFlow.js: gelu_new (tanh-approximated gelu), hardSigmoid, logSoftmax. Internal:
// hard_sigmoid_keras2 = clip(0.2 x + 0.5, 0, 1), the hard_sigmoid of Keras 1/2, tf.keras and TFJS.
#pragma once

#include <string>
#include <vector>

#include "xkeras/tensor.hpp"

namespace xkeras::activations {

/// Applies the named activation (composed of ops, so it differentiates on the tape). Aliases work.
Tensor apply(const std::string& name, const Tensor& x);
/// True for every accepted name, aliases included.
bool exists(const std::string& name);
/// Every accepted name (canonical names and aliases), sorted.
std::vector<std::string> names();
/// Throws ValueError listing the known names when `name` is unknown.
void check(const std::string& name);
/// The name Keras 3 writes for `name`: aliases resolve to their target ("swish" -> "silu",
/// "hard_swish" -> "hard_silu", "logSoftmax" -> "log_softmax", "hardSigmoid" -> "hard_sigmoid_keras2").
/// Throws like check() when unknown.
std::string canonical(const std::string& name);

}  // namespace xkeras::activations
