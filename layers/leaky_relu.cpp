#include "layers/image_layer_utils.hpp"
#include "xkeras/layers/activation_layers.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

LeakyReLUImpl::LeakyReLUImpl(float negative_slope, std::string name)
    : ElementwiseLayer("LeakyReLU", std::move(name)), negative_slope_(negative_slope) {
  if (!(negative_slope_ >= 0.0f) || !std::isfinite(negative_slope_))
    throw ValueError(detail::who(*this) + ": the negative_slope value of a Leaky ReLU layer cannot be None or negative "
                     "value. Expected a float. Received: negative_slope=" + std::to_string(negative_slope_));
  mark_built();
}

Tensor LeakyReLUImpl::call(const Tensor& x, bool) { return ops::leaky_relu(x, negative_slope_); }

json LeakyReLUImpl::get_config() const {
  json c = base_config();
  c["negative_slope"] = negative_slope_;
  return c;
}

std::shared_ptr<LeakyReLUImpl> LeakyReLUImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  // Keras 3 pops the old "alpha" keyword (tf.keras, Keras 2, TFJS) in place of negative_slope.
  const char* key = config.contains("alpha") ? "alpha" : "negative_slope";
  if (config.contains(key) && config[key].is_null()) r.fail(key, "expected a non-negative number, got null");
  const float slope = r.get_float(key, 0.3f);
  if (slope < 0) r.fail(key, "expected a non-negative number, got " + shown(config[key]));
  auto layer = std::make_shared<LeakyReLUImpl>(slope, r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(LeakyReLUImpl, "LeakyReLU");

LeakyReLU::LeakyReLU(float negative_slope, const std::string& name)
    : Holder<LeakyReLUImpl>(std::make_shared<LeakyReLUImpl>(negative_slope, name)) {}

}  // namespace xkeras::layers
