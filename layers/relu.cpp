#include <limits>

#include "layers/image_layer_utils.hpp"
#include "xkeras/layers/activation_layers.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

ReLUImpl::ReLUImpl(ReLUOptions options) : ElementwiseLayer("ReLU", options.name), options_(std::move(options)) {
  const auto& o = options_;
  if (o.max_value && !(*o.max_value >= 0.0f))
    throw ValueError(detail::who(*this) + ": max_value of a ReLU layer cannot be a negative value. Received: max_value=" +
                     std::to_string(*o.max_value));
  if (!(o.negative_slope >= 0.0f) || !std::isfinite(o.negative_slope))
    throw ValueError(detail::who(*this) + ": negative_slope of a ReLU layer cannot be a negative value. Received: "
                     "negative_slope=" + std::to_string(o.negative_slope));
  if (!(o.threshold >= 0.0f) || !std::isfinite(o.threshold))
    throw ValueError(detail::who(*this) + ": threshold of a ReLU layer cannot be a negative value. Received: threshold=" +
                     std::to_string(o.threshold));
  mark_built();
}

Tensor ReLUImpl::call(const Tensor& x, bool) {
  const auto& o = options_;
  if (!o.max_value && o.negative_slope == 0.0f && o.threshold == 0.0f) return ops::relu(x);
  if (o.max_value && *o.max_value == 6.0f && o.negative_slope == 0.0f && o.threshold == 0.0f) return ops::relu6(x);
  return ops::relu(x, o.negative_slope, o.max_value ? *o.max_value : std::numeric_limits<float>::infinity(), o.threshold);
}

json ReLUImpl::get_config() const {
  json c = base_config();
  c["max_value"] = options_.max_value ? json(*options_.max_value) : json(nullptr);
  c["negative_slope"] = options_.negative_slope;
  c["threshold"] = options_.threshold;
  return c;
}

std::shared_ptr<ReLUImpl> ReLUImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  ReLUOptions o;
  if (r.has("max_value")) o.max_value = r.get_float("max_value", 0.0f);
  // Keras rejects None for these two; TFJS writes neither (its ReLU knows only max_value).
  if (config.contains("negative_slope") && config["negative_slope"].is_null()) r.fail("negative_slope", "expected a number, got null");
  if (config.contains("threshold") && config["threshold"].is_null()) r.fail("threshold", "expected a number, got null");
  o.negative_slope = r.get_float("negative_slope", 0.0f);
  o.threshold = r.get_float("threshold", 0.0f);
  if (o.max_value && *o.max_value < 0) r.fail("max_value", "expected a non-negative number or null, got " + shown(config["max_value"]));
  if (o.negative_slope < 0) r.fail("negative_slope", "expected a non-negative number, got " + shown(config["negative_slope"]));
  if (o.threshold < 0) r.fail("threshold", "expected a non-negative number, got " + shown(config["threshold"]));
  o.name = r.name();
  auto layer = std::make_shared<ReLUImpl>(std::move(o));
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(ReLUImpl, "ReLU");

ReLU::ReLU(ReLUOptions options) : Holder<ReLUImpl>(std::make_shared<ReLUImpl>(std::move(options))) {}

}  // namespace xkeras::layers
