#include "xkeras/layers/dropout.hpp"

#include <cmath>

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

DropoutImpl::DropoutImpl(double rate, std::optional<std::uint64_t> seed, std::optional<TensorShape> noise_shape,
                         std::string name)
    : Layer("Dropout", std::move(name)), rate_(rate), seed_(seed), noise_shape_(std::move(noise_shape)),
      rng_(seed ? *seed : draw_seed()) {
  if (!(rate_ >= 0.0 && rate_ <= 1.0))  // also rejects NaN
    throw ValueError("Layer \"" + this->name() + "\" (Dropout): Invalid value received for argument `rate`. Expected a "
                     "float value between 0 and 1. Received: rate=" + std::to_string(rate_));
  if (noise_shape_)
    for (Dim d : *noise_shape_)
      if (d == 0 || d < None)
        throw ValueError("Layer \"" + this->name() + "\" (Dropout): `noise_shape` entries must be positive or None. "
                         "Received: noise_shape=" + shape_str(*noise_shape_));
  mark_built();
}

Shape DropoutImpl::mask_shape(const Shape& input) const {
  if (!noise_shape_) return input;
  const TensorShape& ns = *noise_shape_;
  const std::string expected = "expected an input compatible with noise_shape=" + shape_str(ns) +
                               " (same rank; each axis equal to the noise axis or the noise axis 1)";
  if (ns.size() != input.size()) incompatible(0, expected, TensorShape(input.begin(), input.end()));
  Shape out(input.size());
  for (std::size_t d = 0; d < input.size(); ++d) {
    out[d] = ns[d] < 0 ? input[d] : static_cast<std::size_t>(ns[d]);
    if (out[d] != 1 && out[d] != input[d]) incompatible(0, expected, TensorShape(input.begin(), input.end()));
  }
  return out;
}

Tensor DropoutImpl::call(const Tensor& x, bool training) {
  if (!training || rate_ == 0.0) return x;
  // Inverted dropout: keep with probability 1 - rate and scale the kept values by 1 / (1 - rate),
  // so inference needs no rescaling. rate == 1 drops everything (Keras returns zeros).
  const double keep = 1.0 - rate_;
  const float kept_value = keep > 0.0 ? static_cast<float>(1.0 / keep) : 0.0f;
  Array mask = Array::from_shape(mask_shape(x.shape()));
  std::bernoulli_distribution draw(keep);
  for (auto& m : mask) m = draw(rng_) ? kept_value : 0.0f;
  // The mask is a constant of the tape: ops::mul records d(x*m)/dx = m (broadcast back over
  // the noise_shape's size-1 axes), so gradients flow only through the kept entries.
  return ops::mul(x, Tensor(std::move(mask)));
}

std::vector<TensorShape> DropoutImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer \"" + name() + "\" (Dropout) expects 1 input, but it received " +
                     std::to_string(input_shapes.size()) + " input tensors");
  return input_shapes;
}

json DropoutImpl::get_config() const {
  json c = base_config();
  c["rate"] = rate_;
  c["seed"] = seed_ ? json(*seed_) : json(nullptr);
  c["noise_shape"] = noise_shape_ ? shape_to_json(*noise_shape_) : json(nullptr);
  return c;
}

std::shared_ptr<DropoutImpl> DropoutImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const json& rate = r.raw("rate");
  if (!rate.is_number() || !(rate.get<double>() >= 0.0 && rate.get<double>() <= 1.0))
    r.fail("rate", "expected a number between 0 and 1, got " + rate.dump());
  std::optional<std::uint64_t> seed;
  if (r.has("seed")) {
    const json& s = r.raw("seed");
    if (!s.is_number_integer() || s.get<long long>() < 0) r.fail("seed", "expected a non-negative integer, got " + s.dump());
    seed = s.get<std::uint64_t>();
  }
  std::optional<TensorShape> noise_shape;
  if (r.has("noise_shape")) {
    noise_shape = r.shape("noise_shape");
    for (Dim d : *noise_shape)
      if (d == 0) r.fail("noise_shape", "expected positive integers or null, got " + r.raw("noise_shape").dump());
  }
  auto layer = std::make_shared<DropoutImpl>(rate.get<double>(), seed, noise_shape, r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(DropoutImpl, "Dropout");

Dropout::Dropout(double rate, std::optional<std::uint64_t> seed, std::optional<TensorShape> noise_shape,
                 const std::string& name)
    : Holder<DropoutImpl>(std::make_shared<DropoutImpl>(rate, seed, std::move(noise_shape), name)) {}

}  // namespace xkeras::layers
