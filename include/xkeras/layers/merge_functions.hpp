// Keras's lower-case functional merge helpers: each builds the layer and calls it on the list at
// once, so the model JSON shows the layer class (Add, Dot, ...) with its usual auto-name.
//
//   auto s = layers::add({a, b});
//   auto c = layers::concatenate({a, b}, 1);
//   auto d = layers::dot({a, b}, 1, true);          // cosine similarity
#pragma once

#include <string>

#include "xkeras/layers/merging.hpp"

namespace xkeras::layers {

/// Symbolic (KerasTensors) and eager (Tensors, inference mode) forms of each helper.
KerasTensor add(const KerasTensors& inputs, const std::string& name = "");
Tensor add(const Tensors& inputs, const std::string& name = "");
KerasTensor subtract(const KerasTensors& inputs, const std::string& name = "");
Tensor subtract(const Tensors& inputs, const std::string& name = "");
KerasTensor multiply(const KerasTensors& inputs, const std::string& name = "");
Tensor multiply(const Tensors& inputs, const std::string& name = "");
KerasTensor average(const KerasTensors& inputs, const std::string& name = "");
Tensor average(const Tensors& inputs, const std::string& name = "");
KerasTensor maximum(const KerasTensors& inputs, const std::string& name = "");
Tensor maximum(const Tensors& inputs, const std::string& name = "");
KerasTensor minimum(const KerasTensors& inputs, const std::string& name = "");
Tensor minimum(const Tensors& inputs, const std::string& name = "");
/// Keras's concatenate(inputs, axis=-1).
KerasTensor concatenate(const KerasTensors& inputs, int axis = -1, const std::string& name = "");
Tensor concatenate(const Tensors& inputs, int axis = -1, const std::string& name = "");
/// Keras's dot(inputs, axes=-1, normalize=False): unlike the Dot class, `axes` has a default.
KerasTensor dot(const KerasTensors& inputs, DotAxes axes = -1, bool normalize = false, const std::string& name = "");
Tensor dot(const Tensors& inputs, DotAxes axes = -1, bool normalize = false, const std::string& name = "");

}  // namespace xkeras::layers
