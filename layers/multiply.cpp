#include "xkeras/errors.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

Tensor MultiplyImpl::merge_function(const Tensors& xs) const {
  Tensor out = xs[0];
  for (std::size_t i = 1; i < xs.size(); ++i) out = ops::mul(out, xs[i]);
  return out;
}

std::shared_ptr<MultiplyImpl> MultiplyImpl::from_config(const json& config, const std::string& path) {
  return from_base_config<MultiplyImpl>(config, path);
}

XKERAS_REGISTER_LAYER_NAMED(MultiplyImpl, "Multiply");

Multiply::Multiply(const std::string& name) : MergeHolder<MultiplyImpl>(std::make_shared<MultiplyImpl>(name)) {}

}  // namespace xkeras::layers
