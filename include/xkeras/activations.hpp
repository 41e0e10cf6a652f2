// Activations by Keras name: linear, relu, sigmoid, tanh, softmax, elu, selu, softplus,
// softsign, gelu, swish (alias silu), leaky_relu, exponential, hard_sigmoid.
#pragma once

#include <string>
#include <vector>

#include "xkeras/tensor.hpp"

namespace xkeras::activations {

/// Applies the named activation (composed of ops, so it differentiates on the tape).
Tensor apply(const std::string& name, const Tensor& x);
bool exists(const std::string& name);
std::vector<std::string> names();
/// Throws ValueError listing the known names when `name` is unknown.
void check(const std::string& name);

}  // namespace xkeras::activations
