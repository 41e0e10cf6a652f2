#include "xkeras/layers/activation.hpp"

#include "xkeras/activations.hpp"
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

ActivationImpl::ActivationImpl(std::string activation, std::string name)
    : Layer("Activation", std::move(name)),
      // Keras writes an alias as its target ("swish" -> "silu"); canonical() also checks the name.
      activation_(activations::canonical(activation.empty() ? "linear" : activation)) {
  mark_built();
}

Tensor ActivationImpl::call(const Tensor& x, bool) { return activations::apply(activation_, x); }

std::vector<TensorShape> ActivationImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer \"" + name() + "\" (Activation) expects 1 input, but it received " +
                     std::to_string(input_shapes.size()) + " input tensors");
  return input_shapes;
}

json ActivationImpl::get_config() const {
  json c = base_config();
  c["activation"] = activation_;
  return c;
}

std::shared_ptr<ActivationImpl> ActivationImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  if (!r.has("activation")) r.fail("activation", "missing required key");
  auto layer = std::make_shared<ActivationImpl>(r.activation("activation"), r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(ActivationImpl, "Activation");

Activation::Activation(const std::string& activation, const std::string& name)
    : Holder<ActivationImpl>(std::make_shared<ActivationImpl>(activation, name)) {}

}  // namespace xkeras::layers
