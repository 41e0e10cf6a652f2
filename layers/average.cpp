#include "xkeras/errors.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

Tensor AverageImpl::merge_function(const Tensors& xs) const {
  Tensor out = xs[0];
  for (std::size_t i = 1; i < xs.size(); ++i) out = ops::add(out, xs[i]);
  return xs.size() == 1 ? out : ops::scale(out, 1.0f / static_cast<float>(xs.size()));
}

std::shared_ptr<AverageImpl> AverageImpl::from_config(const json& config, const std::string& path) {
  return from_base_config<AverageImpl>(config, path);
}

XKERAS_REGISTER_LAYER_NAMED(AverageImpl, "Average");

Average::Average(const std::string& name) : MergeHolder<AverageImpl>(std::make_shared<AverageImpl>(name)) {}

}  // namespace xkeras::layers
