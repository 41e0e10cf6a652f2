// Maximum and Minimum: elementwise extrema folded left over the inputs (Keras's maximum.py, minimum.py).
#include "xkeras/layers/merging.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

// ops::maximum/minimum send the gradient of a tie to their first operand, so folding left gives it
// to the earliest input holding the extremum, as TensorFlow's gradient of tf.maximum does.
Tensor MaximumImpl::merge_function(const Tensors& xs) const {
  Tensor out = xs[0];
  for (std::size_t i = 1; i < xs.size(); ++i) out = ops::maximum(out, xs[i]);
  return out;
}

Tensor MinimumImpl::merge_function(const Tensors& xs) const {
  Tensor out = xs[0];
  for (std::size_t i = 1; i < xs.size(); ++i) out = ops::minimum(out, xs[i]);
  return out;
}

std::shared_ptr<MaximumImpl> MaximumImpl::from_config(const json& config, const std::string& path) {
  return from_base_config<MaximumImpl>(config, path);
}

std::shared_ptr<MinimumImpl> MinimumImpl::from_config(const json& config, const std::string& path) {
  return from_base_config<MinimumImpl>(config, path);
}

XKERAS_REGISTER_LAYER_NAMED(MaximumImpl, "Maximum");
XKERAS_REGISTER_LAYER_NAMED(MinimumImpl, "Minimum");

Maximum::Maximum(const std::string& name) : MergeHolder<MaximumImpl>(std::make_shared<MaximumImpl>(name)) {}
Minimum::Minimum(const std::string& name) : MergeHolder<MinimumImpl>(std::make_shared<MinimumImpl>(name)) {}

}  // namespace xkeras::layers
