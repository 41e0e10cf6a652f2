#include "xkeras/config.hpp"
#include "xkeras/layers/noise.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"
#include "layers/noise_utils.hpp"

namespace xkeras::layers {

GaussianNoiseImpl::GaussianNoiseImpl(double stddev, std::optional<std::uint64_t> seed, std::string name)
    : RandomLayerImpl("GaussianNoise", seed, std::move(name)), stddev_(stddev) {
  check_fraction("stddev", stddev_);
}

Tensor GaussianNoiseImpl::call(const Tensor& x, bool training) {
  if (!training || stddev_ == 0.0) return x;
  Array noise = Array::from_shape(x.shape());
  std::normal_distribution<float> draw(0.0f, static_cast<float>(stddev_));
  float* p = noise.data();
  for (std::size_t i = 0, n = noise.size(); i < n; ++i) p[i] = draw(rng_);
  // The noise is a constant of the tape: ops::add records d(x + n)/dx = 1.
  return ops::add(x, Tensor(std::move(noise)));
}

json GaussianNoiseImpl::get_config() const {
  json c = base_config();
  c["stddev"] = stddev_;
  c["seed"] = seed_json();
  return c;
}

std::shared_ptr<GaussianNoiseImpl> GaussianNoiseImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  auto layer = std::make_shared<GaussianNoiseImpl>(detail::read_fraction(r, "stddev"), detail::read_seed(r), r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(GaussianNoiseImpl, "GaussianNoise");

GaussianNoise::GaussianNoise(double stddev, std::optional<std::uint64_t> seed, const std::string& name)
    : Holder<GaussianNoiseImpl>(std::make_shared<GaussianNoiseImpl>(stddev, seed, name)) {}

}  // namespace xkeras::layers
