#include <cmath>

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/noise.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"
#include "layers/noise_utils.hpp"

namespace xkeras::layers {

namespace {
// SELU's constants, as Keras writes them in alpha_dropout.py.
constexpr double kAlpha = 1.6732632423543772848170429916717;
constexpr double kScale = 1.0507009873554804934193349852946;
}  // namespace

AlphaDropoutImpl::AlphaDropoutImpl(double rate, std::optional<TensorShape> noise_shape,
                                   std::optional<std::uint64_t> seed, std::string name)
    : RandomLayerImpl("AlphaDropout", seed, std::move(name)), rate_(rate), noise_shape_(std::move(noise_shape)) {
  check_fraction("rate", rate_);
  if (noise_shape_)
    for (Dim d : *noise_shape_)
      if (d == 0 || d < None)
        throw ValueError("Layer \"" + this->name() + "\" (AlphaDropout): `noise_shape` entries must be positive or None. "
                         "Received: noise_shape=" + shape_str(*noise_shape_));
}

Tensor AlphaDropoutImpl::call(const Tensor& x, bool training) {
  // rate 1 makes a infinite (Keras 3 returns NaN everywhere); tf.keras applies the noise only for 0 < rate < 1.
  if (!training || rate_ == 0.0 || rate_ == 1.0) return x;
  const double alpha_p = -kAlpha * kScale;
  const double a = std::pow((1.0 - rate_) * (1.0 + rate_ * alpha_p * alpha_p), -0.5);
  const double b = -a * alpha_p * rate_;
  // y = a (x k + alpha' (1 - k)) + b = x * (a k) + (a alpha' (1 - k) + b): one scale and one shift
  // per mask entry. Both are constants of the tape, so dL/dx = dL/dy * a k.
  const Shape ms = detail::concrete_noise_shape(*this, noise_shape_, x.shape());
  Array scale = Array::from_shape(ms), shift = Array::from_shape(ms);
  const float kept_scale = static_cast<float>(a), dropped_shift = static_cast<float>(a * alpha_p + b),
              kept_shift = static_cast<float>(b);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  float* ps = scale.data();
  float* pb = shift.data();
  for (std::size_t i = 0; i < scale.size(); ++i) {
    const bool kept = u(rng_) >= rate_;  // Keras: keep where U(0, 1) >= rate
    ps[i] = kept ? kept_scale : 0.0f;
    pb[i] = kept ? kept_shift : dropped_shift;
  }
  return ops::add(ops::mul(x, Tensor(std::move(scale))), Tensor(std::move(shift)));
}

json AlphaDropoutImpl::get_config() const {
  json c = base_config();
  c["rate"] = rate_;
  c["seed"] = seed_json();
  c["noise_shape"] = noise_shape_ ? shape_to_json(*noise_shape_) : json(nullptr);
  return c;
}

std::shared_ptr<AlphaDropoutImpl> AlphaDropoutImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const double rate = detail::read_fraction(r, "rate");
  auto layer = std::make_shared<AlphaDropoutImpl>(rate, detail::read_noise_shape(r), detail::read_seed(r), r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(AlphaDropoutImpl, "AlphaDropout");

AlphaDropout::AlphaDropout(double rate, std::optional<TensorShape> noise_shape, std::optional<std::uint64_t> seed,
                           const std::string& name)
    : Holder<AlphaDropoutImpl>(std::make_shared<AlphaDropoutImpl>(rate, std::move(noise_shape), seed, name)) {}

}  // namespace xkeras::layers
