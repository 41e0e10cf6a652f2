#include <cmath>

#include "xkeras/config.hpp"
#include "xkeras/layers/noise.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"
#include "layers/noise_utils.hpp"

namespace xkeras::layers {

GaussianDropoutImpl::GaussianDropoutImpl(double rate, std::optional<std::uint64_t> seed, std::string name)
    : RandomLayerImpl("GaussianDropout", seed, std::move(name)), rate_(rate) {
  check_fraction("rate", rate_);
}

Tensor GaussianDropoutImpl::call(const Tensor& x, bool training) {
  // rate 1 would need an infinite stddev (Keras 3 raises ZeroDivisionError); tf.keras returns x, as we do.
  if (!training || rate_ == 0.0 || rate_ == 1.0) return x;
  const float stddev = static_cast<float>(std::sqrt(rate_ / (1.0 - rate_)));
  Array factor = Array::from_shape(x.shape());
  std::normal_distribution<float> draw(1.0f, stddev);
  float* p = factor.data();
  for (std::size_t i = 0, n = factor.size(); i < n; ++i) p[i] = draw(rng_);
  // The factor is a constant of the tape: ops::mul records d(x * f)/dx = f.
  return ops::mul(x, Tensor(std::move(factor)));
}

json GaussianDropoutImpl::get_config() const {
  json c = base_config();
  c["rate"] = rate_;
  c["seed"] = seed_json();
  return c;
}

std::shared_ptr<GaussianDropoutImpl> GaussianDropoutImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  auto layer = std::make_shared<GaussianDropoutImpl>(detail::read_fraction(r, "rate"), detail::read_seed(r), r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(GaussianDropoutImpl, "GaussianDropout");

GaussianDropout::GaussianDropout(double rate, std::optional<std::uint64_t> seed, const std::string& name)
    : Holder<GaussianDropoutImpl>(std::make_shared<GaussianDropoutImpl>(rate, seed, name)) {}

}  // namespace xkeras::layers
