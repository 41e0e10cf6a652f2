#include "xkeras/errors.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

Tensor AddImpl::merge_function(const Tensors& xs) const {
  Tensor out = xs[0];
  for (std::size_t i = 1; i < xs.size(); ++i) out = ops::add(out, xs[i]);
  return out;
}

std::shared_ptr<AddImpl> AddImpl::from_config(const json& config, const std::string& path) {
  return from_base_config<AddImpl>(config, path);
}

XKERAS_REGISTER_LAYER_NAMED(AddImpl, "Add");

Add::Add(const std::string& name) : MergeHolder<AddImpl>(std::make_shared<AddImpl>(name)) {}

}  // namespace xkeras::layers
