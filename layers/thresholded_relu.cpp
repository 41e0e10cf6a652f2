#include <limits>

#include "layers/image_layer_utils.hpp"
#include "xkeras/layers/activation_layers.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

ThresholdedReLUImpl::ThresholdedReLUImpl(float theta, std::string name)
    : ElementwiseLayer("ThresholdedReLU", std::move(name)), theta_(theta) {
  if (!(theta_ >= 0.0f) || !std::isfinite(theta_))
    throw ValueError(detail::who(*this) + ": theta of a Thresholded ReLU layer cannot be a negative value. Received: theta=" +
                     std::to_string(theta_));
  mark_built();
}

// x * [x > theta]: Keras's ReLU formula with threshold theta, no slope and no cap.
Tensor ThresholdedReLUImpl::call(const Tensor& x, bool) {
  return ops::relu(x, 0.0f, std::numeric_limits<float>::infinity(), theta_);
}

json ThresholdedReLUImpl::get_config() const {
  json c = base_config();
  c["theta"] = theta_;
  return c;
}

std::shared_ptr<ThresholdedReLUImpl> ThresholdedReLUImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  if (config.contains("theta") && config["theta"].is_null()) r.fail("theta", "expected a non-negative number, got null");
  const float theta = r.get_float("theta", 1.0f);
  if (theta < 0) r.fail("theta", "expected a non-negative number, got " + shown(config["theta"]));
  auto layer = std::make_shared<ThresholdedReLUImpl>(theta, r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(ThresholdedReLUImpl, "ThresholdedReLU");

ThresholdedReLU::ThresholdedReLU(float theta, const std::string& name)
    : Holder<ThresholdedReLUImpl>(std::make_shared<ThresholdedReLUImpl>(theta, name)) {}

}  // namespace xkeras::layers
