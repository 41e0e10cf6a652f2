#include "xkeras/errors.hpp"
#include "xkeras/layers/merging.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

void SubtractImpl::check_input_count(std::size_t n) const {
  if (n != 2) fail("A `Subtract` layer should be called on exactly 2 inputs. Received " + std::to_string(n) + " inputs.");
}

Tensor SubtractImpl::merge_function(const Tensors& xs) const { return ops::sub(xs[0], xs[1]); }

std::shared_ptr<SubtractImpl> SubtractImpl::from_config(const json& config, const std::string& path) {
  return from_base_config<SubtractImpl>(config, path);
}

XKERAS_REGISTER_LAYER_NAMED(SubtractImpl, "Subtract");

Subtract::Subtract(const std::string& name) : MergeHolder<SubtractImpl>(std::make_shared<SubtractImpl>(name)) {}

}  // namespace xkeras::layers
