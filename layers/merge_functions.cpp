#include "xkeras/layers/merge_functions.hpp"

namespace xkeras::layers {

KerasTensor add(const KerasTensors& inputs, const std::string& name) { return Add(name)(inputs); }
Tensor add(const Tensors& inputs, const std::string& name) { return Add(name)(inputs); }
KerasTensor subtract(const KerasTensors& inputs, const std::string& name) { return Subtract(name)(inputs); }
Tensor subtract(const Tensors& inputs, const std::string& name) { return Subtract(name)(inputs); }
KerasTensor multiply(const KerasTensors& inputs, const std::string& name) { return Multiply(name)(inputs); }
Tensor multiply(const Tensors& inputs, const std::string& name) { return Multiply(name)(inputs); }
KerasTensor average(const KerasTensors& inputs, const std::string& name) { return Average(name)(inputs); }
Tensor average(const Tensors& inputs, const std::string& name) { return Average(name)(inputs); }
KerasTensor maximum(const KerasTensors& inputs, const std::string& name) { return Maximum(name)(inputs); }
Tensor maximum(const Tensors& inputs, const std::string& name) { return Maximum(name)(inputs); }
KerasTensor minimum(const KerasTensors& inputs, const std::string& name) { return Minimum(name)(inputs); }
Tensor minimum(const Tensors& inputs, const std::string& name) { return Minimum(name)(inputs); }

KerasTensor concatenate(const KerasTensors& inputs, int axis, const std::string& name) {
  return Concatenate(axis, name)(inputs);
}
Tensor concatenate(const Tensors& inputs, int axis, const std::string& name) { return Concatenate(axis, name)(inputs); }

KerasTensor dot(const KerasTensors& inputs, DotAxes axes, bool normalize, const std::string& name) {
  return Dot(axes, normalize, name)(inputs);
}
Tensor dot(const Tensors& inputs, DotAxes axes, bool normalize, const std::string& name) {
  return Dot(axes, normalize, name)(inputs);
}

}  // namespace xkeras::layers
