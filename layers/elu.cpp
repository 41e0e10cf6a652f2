#include "layers/image_layer_utils.hpp"
#include "xkeras/layers/activation_layers.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

ELUImpl::ELUImpl(float alpha, std::string name) : ElementwiseLayer("ELU", std::move(name)), alpha_(alpha) {
  if (!std::isfinite(alpha_)) throw ValueError(detail::who(*this) + ": alpha must be a finite number, got " + std::to_string(alpha_));
  mark_built();
}

Tensor ELUImpl::call(const Tensor& x, bool) { return ops::elu(x, alpha_); }

json ELUImpl::get_config() const {
  // Keras 3's ELU has no get_config: its auto-config puts the constructor argument right after name.
  const json base = base_config();
  json c;
  c["name"] = base["name"];
  c["alpha"] = alpha_;
  for (auto it = base.begin(); it != base.end(); ++it)
    if (it.key() != "name") c[it.key()] = it.value();
  return c;
}

std::shared_ptr<ELUImpl> ELUImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  auto layer = std::make_shared<ELUImpl>(r.get_float("alpha", 1.0f), r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(ELUImpl, "ELU");

ELU::ELU(float alpha, const std::string& name) : Holder<ELUImpl>(std::make_shared<ELUImpl>(alpha, name)) {}

}  // namespace xkeras::layers
